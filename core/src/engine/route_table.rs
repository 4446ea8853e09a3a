//! The routing index: an open-addressed hash table from a routing key
//! (dialled number, caller) to the record slot that answers it.
//!
//! Why not `hashbrown::HashTable<u32>`, which the other indexes use: a hit
//! there reads the control bytes, then the bucket (another cache line), then
//! the record to compare keys: three dependent memory reads, and at millions
//! of bindings each one is a cache miss. Here an entry is a single `u64`
//! holding the slot and 32 bits of the key's hash, and probing is linear, so
//! a hit reads one entry (the probe sequence almost always stays in its cache
//! line) and then the record: two dependent reads. Measured with the
//! `engine` benchmark at 1M bindings, same machine, back to back: a hit's
//! p50 went from 0.50 µs to 0.42–0.47 µs and the mean over batches of
//! lookups (where independent lookups overlap) from 0.48 µs to 0.25 µs. The
//! price: 8 bytes an entry instead of 5 (about 10 more bytes a binding), and
//! a stranger's call (a miss) reads one entry from memory (about 190 ns)
//! where hashbrown's control bytes, 1 byte a bucket, mostly sit in cache
//! (about 40 ns).
//!
//! The table does not know keys: callers pass the key's hash and an equality
//! test that reads the record. The stored 32 hash bits decide an entry's home
//! position, so growing and deleting (backward shift, no tombstones) never
//! read records.

use super::pod_buf::PodVec;

/// An empty entry.
const EMPTY: u64 = 0;
/// Grow when more than 3/4 full.
const LOAD_NUM: usize = 3;
const LOAD_DEN: usize = 4;
const MIN_CAPACITY: usize = 16;

/// The largest value an entry can hold (`value + 1` must fit in 32 bits).
pub(crate) const MAX_VALUE: u32 = u32::MAX - 1;

/// See the module docs.
#[derive(Default)]
pub(crate) struct RouteTable {
    /// Power-of-two length (or empty); each entry is `hash32 << 32 |
    /// (value + 1)`, or [`EMPTY`]. Large tables sit in huge pages.
    entries: PodVec<u64>,
    len: usize,
}

fn pack(h32: u32, value: u32) -> u64 {
    (u64::from(h32) << 32) | (u64::from(value) + 1)
}

fn value_of(entry: u64) -> u32 {
    // Entries are never EMPTY here, so the low half is at least 1.
    (entry as u32).wrapping_sub(1)
}

fn hash_of(entry: u64) -> u32 {
    (entry >> 32) as u32
}

impl RouteTable {
    /// How many entries the table holds.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Bytes allocated.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.entries.len() * size_of::<u64>()
    }

    fn mask(&self) -> usize {
        self.entries.len().wrapping_sub(1)
    }

    /// The value stored under hash `h` for which `eq` holds.
    #[inline]
    pub(crate) fn find(&self, h: u64, mut eq: impl FnMut(u32) -> bool) -> Option<u32> {
        if self.entries.is_empty() {
            return None;
        }
        let h32 = h as u32;
        let mask = self.mask();
        let entries = self.entries.as_slice();
        let mut i = h32 as usize & mask;
        loop {
            let e = entries[i];
            if e == EMPTY {
                return None;
            }
            if hash_of(e) == h32 && eq(value_of(e)) {
                return Some(value_of(e));
            }
            i = (i + 1) & mask;
        }
    }

    /// Room for `additional` more entries without growing.
    pub(crate) fn reserve(&mut self, additional: usize) {
        let need = self.len.saturating_add(additional);
        if need.saturating_mul(LOAD_DEN) > self.entries.len().saturating_mul(LOAD_NUM) {
            let cap = need
                .saturating_mul(LOAD_DEN)
                .div_ceil(LOAD_NUM)
                .max(MIN_CAPACITY)
                .checked_next_power_of_two()
                .unwrap_or(usize::MAX / 2 + 1);
            self.rebuild(cap);
        }
    }

    fn rebuild(&mut self, cap: usize) {
        let old = std::mem::replace(&mut self.entries, PodVec::zeroed(cap));
        let mask = self.mask();
        let entries = self.entries.as_mut_slice();
        for &e in old.as_slice().iter().filter(|&&e| e != EMPTY) {
            let mut i = hash_of(e) as usize & mask;
            while entries[i] != EMPTY {
                i = (i + 1) & mask;
            }
            entries[i] = e;
        }
    }

    /// Add `value` under hash `h`. The caller guarantees the key is not
    /// present already and `value <= MAX_VALUE`.
    pub(crate) fn insert(&mut self, h: u64, value: u32) {
        debug_assert!(value <= MAX_VALUE);
        self.reserve(1);
        let h32 = h as u32;
        let mask = self.mask();
        let entries = self.entries.as_mut_slice();
        let mut i = h32 as usize & mask;
        while entries[i] != EMPTY {
            i = (i + 1) & mask;
        }
        entries[i] = pack(h32, value);
        self.len += 1;
    }

    /// Remove `value`, stored under hash `h`. Whether it was there.
    pub(crate) fn remove(&mut self, h: u64, value: u32) -> bool {
        if self.entries.is_empty() {
            return false;
        }
        let target = pack(h as u32, value);
        let mask = self.mask();
        let entries = self.entries.as_mut_slice();
        let mut i = h as u32 as usize & mask;
        loop {
            let e = entries[i];
            if e == EMPTY {
                return false;
            }
            if e == target {
                break;
            }
            i = (i + 1) & mask;
        }
        // Backward shift: move later entries of the cluster into the hole
        // when their home position allows it.
        let mut hole = i;
        let mut j = (i + 1) & mask;
        loop {
            let e = entries[j];
            if e == EMPTY {
                break;
            }
            let home = hash_of(e) as usize & mask;
            if (j.wrapping_sub(home) & mask) >= (j.wrapping_sub(hole) & mask) {
                entries[hole] = e;
                hole = j;
            }
            j = (j + 1) & mask;
        }
        entries[hole] = EMPTY;
        self.len -= 1;
        true
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    /// splitmix64, for reproducible random operations.
    fn mix(mut z: u64) -> u64 {
        z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    #[test]
    fn empty_table_finds_nothing() {
        let mut t = RouteTable::default();
        assert_eq!(t.find(7, |_| true), None);
        assert!(!t.remove(7, 1));
        assert_eq!(t.heap_bytes(), 0);
    }

    #[test]
    fn extreme_values_round_trip() {
        let mut t = RouteTable::default();
        t.insert(0, 0);
        t.insert(u64::MAX, MAX_VALUE);
        assert_eq!(t.find(0, |v| v == 0), Some(0));
        assert_eq!(t.find(u64::MAX, |v| v == MAX_VALUE), Some(MAX_VALUE));
        assert!(t.remove(0, 0));
        assert_eq!(t.find(0, |v| v == 0), None);
        assert_eq!(t.find(u64::MAX, |v| v == MAX_VALUE), Some(MAX_VALUE));
    }

    /// Random inserts and removes against a `HashMap`, with a deliberately
    /// weak hash (few distinct values) so clusters, wrap-around and equal
    /// hashes all happen.
    #[test]
    fn agrees_with_a_hash_map_under_random_operations() {
        for weak_bits in [3u32, 8, 32] {
            let mut t = RouteTable::default();
            let mut model: HashMap<u32, u64> = HashMap::new();
            let hash = |k: u32| mix(u64::from(k)) & ((1u64 << weak_bits) - 1) | 0xABCD << 48;
            let mut next_key = 0u32;
            let steps = if weak_bits < 8 { 3_000 } else { 20_000 };
            for step in 0..steps {
                let r = mix(step ^ u64::from(weak_bits) << 40);
                if r % 3 != 0 || model.is_empty() {
                    let k = next_key;
                    next_key += 1;
                    t.insert(hash(k), k);
                    model.insert(k, hash(k));
                } else {
                    let k = *model.keys().nth((r >> 8) as usize % model.len()).unwrap();
                    assert!(t.remove(hash(k), k));
                    model.remove(&k);
                    assert!(!t.remove(hash(k), k), "removed twice");
                }
                if step % 997 == 0 {
                    for (&k, &h) in &model {
                        assert_eq!(t.find(h, |v| v == k), Some(k), "lost {k}");
                    }
                    for gone in (0..next_key).filter(|k| !model.contains_key(k)).take(50) {
                        assert_eq!(t.find(hash(gone), |v| v == gone), None);
                    }
                }
                assert_eq!(t.len(), model.len());
            }
            for (&k, &h) in &model {
                assert_eq!(t.find(h, |v| v == k), Some(k));
            }
        }
    }

    #[test]
    fn reserve_keeps_entries_and_avoids_regrowth() {
        let mut t = RouteTable::default();
        for k in 0..100 {
            t.insert(mix(k), k as u32);
        }
        t.reserve(10_000);
        let bytes = t.heap_bytes();
        for k in 100..10_100 {
            t.insert(mix(k), k as u32);
        }
        assert_eq!(t.heap_bytes(), bytes, "grew despite reserve");
        for k in 0..10_100 {
            assert_eq!(t.find(mix(k), |v| v == k as u32), Some(k as u32));
        }
    }
}
