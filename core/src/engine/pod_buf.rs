//! A growable buffer of plain-old-data values that large engines keep in
//! transparent huge pages.
//!
//! Why: a route hit reads an index entry and then a record, each at a
//! random place in hundreds of MiB. With 4 KiB pages each read also misses
//! the TLB, and the page-table walk itself goes to memory. A dependent
//! random read measured on the benchmark machine: over 128 MiB, 218 ns with
//! 4 KiB pages and 159 ns with huge pages; over 1.2 GiB, 376 ns and 254 ns.
//! The engine benchmark shows the effect on whole lookups (README,
//! "Binding engine").
//!
//! On Linux, a buffer of at least [`HUGE`] bytes is an anonymous mapping
//! (`memmap2`) advised `MADV_HUGEPAGE`, with its data starting on a 2 MiB
//! boundary so that whole huge pages cover it; smaller buffers, and every
//! buffer on other systems, are a plain `Vec`. Where the kernel has
//! transparent huge pages switched off the advice is a no-op and the
//! mapping behaves like a `Vec`. Mappings come zeroed from the kernel and
//! are resident only where touched, so a large, mostly empty table costs
//! address space, not memory.

use bytemuck::Pod;

/// The size of a huge page, and the smallest buffer that gets mapped.
pub(crate) const HUGE: usize = 2 << 20;

/// See the module docs.
pub(crate) struct PodVec<T> {
    store: Backing<T>,
    len: usize,
}

enum Backing<T> {
    Heap(Vec<T>),
    #[cfg(target_os = "linux")]
    Map {
        map: memmap2::MmapMut,
        /// Byte offset of the data in `map` (the first 2 MiB boundary).
        start: usize,
        /// Capacity in elements.
        cap: usize,
    },
}

impl<T: Pod> Default for PodVec<T> {
    fn default() -> Self {
        Self {
            store: Backing::Heap(Vec::new()),
            len: 0,
        }
    }
}

impl<T: Pod> PodVec<T> {
    /// Room for `cap` elements, none in use.
    pub(crate) fn with_capacity(cap: usize) -> Self {
        Self {
            store: Backing::new(cap),
            len: 0,
        }
    }

    /// `len` zeroed elements.
    pub(crate) fn zeroed(len: usize) -> Self {
        let mut v = Self::with_capacity(len);
        if let Backing::Heap(h) = &mut v.store {
            h.resize(len, T::zeroed());
        }
        v.len = len;
        v
    }

    /// Elements in use.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Whether no element is in use.
    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Elements it can hold without moving.
    pub(crate) fn capacity(&self) -> usize {
        match &self.store {
            Backing::Heap(h) => h.capacity(),
            #[cfg(target_os = "linux")]
            Backing::Map { cap, .. } => *cap,
        }
    }

    /// Whether the data sits in a mapping advised for huge pages.
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) fn is_mapped(&self) -> bool {
        !matches!(self.store, Backing::Heap(_))
    }

    /// Append `value`, moving to a buffer twice the size when full.
    pub(crate) fn push(&mut self, value: T) {
        if self.len == self.capacity() {
            let mut bigger = Self::with_capacity(self.len.saturating_mul(2).max(16));
            bigger.extend_from(self.as_slice());
            *self = bigger;
        }
        match &mut self.store {
            Backing::Heap(h) => h.push(value),
            #[cfg(target_os = "linux")]
            Backing::Map { .. } => {
                let i = self.len;
                self.len += 1;
                self.as_mut_slice()[i] = value;
                return;
            }
        }
        self.len += 1;
    }

    fn extend_from(&mut self, values: &[T]) {
        debug_assert!(self.len + values.len() <= self.capacity());
        match &mut self.store {
            Backing::Heap(h) => h.extend_from_slice(values),
            #[cfg(target_os = "linux")]
            Backing::Map { .. } => {
                let at = self.len;
                self.len += values.len();
                self.as_mut_slice()[at..].copy_from_slice(values);
                return;
            }
        }
        self.len += values.len();
    }

    /// The elements in use.
    #[inline]
    pub(crate) fn as_slice(&self) -> &[T] {
        match &self.store {
            Backing::Heap(h) => h,
            #[cfg(target_os = "linux")]
            Backing::Map { map, start, .. } => {
                bytemuck::cast_slice(&map[*start..*start + self.len * size_of::<T>()])
            }
        }
    }

    /// The elements in use, writable.
    #[inline]
    pub(crate) fn as_mut_slice(&mut self) -> &mut [T] {
        let len = self.len;
        match &mut self.store {
            Backing::Heap(h) => h,
            #[cfg(target_os = "linux")]
            Backing::Map { map, start, .. } => {
                bytemuck::cast_slice_mut(&mut map[*start..*start + len * size_of::<T>()])
            }
        }
    }
}

impl<T: Pod> Backing<T> {
    fn new(cap: usize) -> Self {
        #[cfg(target_os = "linux")]
        if cap.saturating_mul(size_of::<T>()) >= HUGE {
            if let Some(s) = Self::map(cap) {
                return s;
            }
        }
        Self::Heap(Vec::with_capacity(cap))
    }

    /// A huge-page mapping for `cap` elements, or `None` when the system
    /// refuses it (the caller falls back to the heap).
    #[cfg(target_os = "linux")]
    fn map(cap: usize) -> Option<Self> {
        let bytes = cap.checked_mul(size_of::<T>())?;
        // One huge page more than asked, so the data can start on a huge
        // page boundary; the pages before it are never touched.
        let map = memmap2::MmapOptions::new()
            .len(bytes.checked_add(HUGE)?)
            .map_anon()
            .ok()?;
        // Advice only: where the kernel can't follow it, pages are small.
        let _ = map.advise(memmap2::Advice::HugePage);
        let addr = map.as_ptr() as usize;
        let start = addr.next_multiple_of(HUGE) - addr;
        Some(Self::Map { map, start, cap })
    }
}

impl<T: Pod> std::ops::Index<usize> for PodVec<T> {
    type Output = T;

    #[inline]
    fn index(&self, i: usize) -> &T {
        &self.as_slice()[i]
    }
}

impl<T: Pod> std::ops::IndexMut<usize> for PodVec<T> {
    #[inline]
    fn index_mut(&mut self, i: usize) -> &mut T {
        &mut self.as_mut_slice()[i]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_buffers_live_on_the_heap_and_large_ones_are_mapped() {
        let small = PodVec::<u64>::zeroed(1024);
        assert!(!small.is_mapped());
        assert_eq!(small.as_slice(), &[0u64; 1024][..]);
        let large = PodVec::<u64>::zeroed(HUGE / 8);
        assert_eq!(large.len(), HUGE / 8);
        assert!(large.as_slice().iter().all(|&v| v == 0));
        #[cfg(target_os = "linux")]
        {
            assert!(large.is_mapped());
            // The data starts on a huge page boundary.
            assert_eq!(large.as_slice().as_ptr() as usize % HUGE, 0);
        }
    }

    #[test]
    fn push_keeps_every_value_across_the_move_to_a_mapping() {
        let mut v = PodVec::<[u64; 8]>::default();
        assert!(v.is_empty());
        let n = 3 * HUGE / 64 + 7;
        for i in 0..n {
            v.push([i as u64; 8]);
        }
        assert_eq!(v.len(), n);
        #[cfg(target_os = "linux")]
        assert!(v.is_mapped());
        for (i, x) in v.as_slice().iter().enumerate() {
            assert_eq!(*x, [i as u64; 8]);
        }
        v[5] = [1; 8];
        assert_eq!(v[5], [1; 8]);
    }
}
