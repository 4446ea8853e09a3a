//! The engine's state: compact binding records and their indexes.
//!
//! Single-threaded; [`super::Engine`] wraps it in a lock. It changes only
//! through [`Store::apply`] of a [`Mutation`], the same records the journal
//! holds, so replaying a journal rebuilds exactly the same state.
//!
//! Memory: a binding is one 64-byte record (one cache line) in fixed-size
//! chunks (no reallocation spikes), one 4-byte slot in the id index, one or
//! two 8-byte entries in the routing index, 4 bytes in its X's list and,
//! when it can expire, 8 bytes in the expiry heap. Tones and user data,
//! when a binding has them, sit in a side table by slot. The id and
//! extension indexes are `hashbrown` `HashTable<u32>`s and the routing index
//! is a [`RouteTable`](super::route_table) (why: see there); all of them
//! keep only record slots and compare keys by looking at the record, which
//! is what keeps the whole under 128 bytes a binding. Records and the
//! routing index of a large engine sit in huge pages
//! ([`PodVec`](super::pod_buf)).

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};
use std::hash::BuildHasher;
use std::sync::Arc;

use bytemuck::{Pod, Zeroable};
use hashbrown::{DefaultHashBuilder, HashMap, HashTable};
use serde::{Deserialize, Serialize};

use super::model::{
    Binding, BindingId, Changes, Direction, Ext, Extras, IdKey, Mode, Settings, Shape, State,
};
use super::pod_buf::PodVec;
use super::pool::XStatus;
use super::route_table::RouteTable;
use super::rules::XView;
use crate::error::{Error, ErrorKind, Result};
use crate::number::Number;

/// Times are kept as seconds since this Unix time (2020-01-01T00:00:00Z) in
/// 32 bits, which lasts until 2156.
pub(crate) const EPOCH_BASE: u64 = 1_577_836_800;

pub(crate) fn to_rel(t: u64) -> u32 {
    u32::try_from(t.saturating_sub(EPOCH_BASE)).unwrap_or(u32::MAX)
}

pub(crate) fn from_rel(t: u32) -> u64 {
    EPOCH_BASE + u64::from(t)
}

/// The most bindings one engine holds: a routing entry packs the slot with
/// one bit for the side into a [`super::route_table`] value.
pub(crate) const MAX_BINDINGS: usize = super::route_table::MAX_VALUE as usize >> 1;

const CHUNK_BITS: u32 = 16;
const CHUNK: usize = 1 << CHUNK_BITS;
const NONE: u32 = u32::MAX;
const FREE: u8 = u8::MAX;
const KIND_LONG: u8 = 19;
const FLAG_EXTRAS: u8 = 16;

const SHAPE_PAIR: u8 = 0;
const SHAPE_OWNER: u8 = 1;
const SHAPE_EXT: u8 = 2;
const SHAPE_AXYB_AX: u8 = 3;
const SHAPE_AXYB_YB: u8 = 4;

/// One change to the state; what the journal records.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Mutation {
    /// Insert or replace a binding (by id).
    Put(Binding),
    /// Forget a binding.
    Del(BindingId),
    /// Set an X's status.
    XStatus(
        #[serde(with = "super::model::number_serde")] Number,
        XStatus,
    ),
    /// Add an X to the pool in an area.
    PoolAdd(#[serde(with = "super::model::number_serde")] Number, String),
    /// Take an X out of the pool.
    PoolRemove(#[serde(with = "super::model::number_serde")] Number),
}

/// A binding record: 64 bytes, one cache line, plain old data so that
/// large engines keep records in huge pages ([`PodVec`]).
#[derive(Clone, Copy, Pod, Zeroable)]
#[repr(C)]
pub(crate) struct Rec {
    id: [u8; 16],
    x: u64,
    /// Pair/Owner/Extension/AxybAx: A. AxybYb: Y.
    a: u64,
    /// Pair: B. Owner: temporary callee. Extension: callback. AxybYb: B.
    b: u64,
    bound_at: u32,
    duration: u32,
    /// Extension: packed ext. AxybAx: default ybDuration. AxybYb: parent slot.
    aux: u32,
    /// Where this slot sits in its X's `XInfo::slots`.
    xpos: u32,
    max_dur: u16,
    /// Extension: the callback record's lifetime in whole minutes (at
    /// most 43 200, so it fits the two bytes that were padding).
    cb_life_min: u16,
    id_kind: u8,
    shape: u8,
    state: u8,
    /// bits 0-1 direction, bit 2 record, bit 3 sms, bit 4 has extras (in
    /// `Store::extras`).
    flags: u8,
}

impl Rec {
    fn expires(&self) -> Option<u32> {
        (self.duration > 0).then(|| self.bound_at.saturating_add(self.duration))
    }

    pub(crate) fn state(&self) -> State {
        State::from_code(u32::from(self.state)).unwrap_or(State::Failed)
    }

    fn direction(&self) -> Direction {
        Direction::from_code(u32::from(self.flags & 3)).unwrap_or_default()
    }

    pub(crate) fn x(&self) -> Option<Number> {
        Number::from_raw(self.x)
    }
}

/// What routing reads of a record.
pub(crate) struct RecView<'a> {
    /// A (Y for a relation).
    pub(crate) a: Number,
    /// B, temporary callee or callback.
    pub(crate) b: Option<Number>,
    pub(crate) x: Option<Number>,
    pub(crate) direction: Direction,
    pub(crate) max_dur: u16,
    pub(crate) record: bool,
    pub(crate) extras: Option<&'a Arc<Extras>>,
    pub(crate) is_ext: bool,
    /// Extension: how long a callback record lasts in seconds (0 = as long
    /// as the binding).
    pub(crate) callback_life_secs: u32,
    pub(crate) is_axyb_ax: bool,
    /// For a relation: its AX binding's slot.
    pub(crate) parent: Option<u32>,
}

#[derive(Debug, Default)]
pub(crate) struct XInfo {
    pub(crate) slots: Vec<u32>,
    pub(crate) owner: Option<u32>,
    pub(crate) pairs: u32,
    pub(crate) exts: u32,
    pub(crate) status: XStatus,
    pub(crate) area: Option<Arc<str>>,
}

/// The state of one engine.
pub(crate) struct Store {
    pub(crate) mode: Mode,
    pub(crate) ext_digits: u8,
    chunks: Vec<PodVec<Rec>>,
    free: Vec<u32>,
    /// Tones and user data, by slot, for the records flagged
    /// [`FLAG_EXTRAS`]: kept out of the record so that it stays plain data
    /// in one cache line. As long as the highest such slot.
    extras: Vec<Option<Arc<Extras>>>,
    long_ids: Vec<Option<Arc<str>>>,
    long_free: Vec<u32>,
    by_id: HashTable<u32>,
    routes: RouteTable,
    exts: HashTable<u32>,
    pub(crate) xs: HashMap<Number, XInfo>,
    /// AX / AXYB: A → the slots of the X it owns.
    owners: HashMap<Number, Vec<u32>>,
    /// AXYB: Y → how many relations it carries.
    y_count: HashMap<Number, u32>,
    expiry: BinaryHeap<Reverse<(u32, u32)>>,
    /// Modifications awaiting the platform's answer, by slot.
    pub(crate) pending: HashMap<u32, Changes>,
    /// The pool: area → its X numbers.
    pub(crate) areas: BTreeMap<Arc<str>, Vec<Number>>,
    hasher: DefaultHashBuilder,
    live: usize,
    /// How many X numbers are down: while none is, routing skips the
    /// status lookups.
    down: usize,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("mode", &self.mode)
            .field("bindings", &self.live)
            .field("xs", &self.xs.len())
            .finish_non_exhaustive()
    }
}

fn corrupt(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::JournalCorrupt, msg.into())
}

impl Store {
    pub(crate) fn new(mode: Mode, ext_digits: u8) -> Self {
        Self {
            mode,
            ext_digits,
            chunks: Vec::new(),
            free: Vec::new(),
            extras: Vec::new(),
            long_ids: Vec::new(),
            long_free: Vec::new(),
            by_id: HashTable::new(),
            routes: RouteTable::default(),
            exts: HashTable::new(),
            xs: HashMap::new(),
            owners: HashMap::new(),
            y_count: HashMap::new(),
            expiry: BinaryHeap::new(),
            pending: HashMap::new(),
            areas: BTreeMap::new(),
            hasher: DefaultHashBuilder::default(),
            live: 0,
            down: 0,
        }
    }

    /// Room for `n` more bindings without rehashing the indexes.
    pub(crate) fn reserve(&mut self, n: usize) {
        let hasher = &self.hasher;
        let chunks = &self.chunks;
        let long_ids = &self.long_ids;
        self.by_id
            .reserve(n, |&s| id_hash_rec(hasher, long_ids, rec_at(chunks, s)));
        self.routes.reserve(n * 2);
    }

    pub(crate) fn len(&self) -> usize {
        self.live
    }

    pub(crate) fn rec(&self, slot: u32) -> &Rec {
        rec_at(&self.chunks, slot)
    }

    fn rec_mut(&mut self, slot: u32) -> &mut Rec {
        rec_at_mut(&mut self.chunks, slot)
    }

    // ----- lookups -------------------------------------------------------

    pub(crate) fn find(&self, id: &BindingId) -> Option<u32> {
        let key = id.key();
        let h = match &key {
            IdKey::Packed(k, b) => self.hasher.hash_one((k, b)),
            IdKey::Long(s) => self.hasher.hash_one(&**s),
        };
        self.by_id
            .find(h, |&s| {
                let r = self.rec(s);
                match &key {
                    IdKey::Packed(k, b) => r.id_kind == *k && r.id == *b,
                    IdKey::Long(s) => {
                        r.id_kind == KIND_LONG && self.long_id(r).as_deref() == Some(&**s)
                    }
                }
            })
            .copied()
    }

    fn long_id(&self, r: &Rec) -> Option<Arc<str>> {
        let i = u32::from_le_bytes([r.id[0], r.id[1], r.id[2], r.id[3]]) as usize;
        self.long_ids.get(i).cloned().flatten()
    }

    pub(crate) fn id_of(&self, slot: u32) -> BindingId {
        let r = self.rec(slot);
        if r.id_kind == KIND_LONG {
            match self.long_id(r) {
                Some(s) => BindingId::from_long(&s),
                None => BindingId::pending(u64::MAX),
            }
        } else {
            BindingId::from_packed(r.id_kind, r.id)
        }
    }

    /// The slot of the binding that answers `caller` dialling `dialled`
    /// (pairs, extension owners calling back, AXYB relations), and which
    /// side of it the caller is (0 = A side, 1 = B side).
    pub(crate) fn route_entry(&self, dialled: Number, caller: Number) -> Option<(u32, u8)> {
        let h = self.hasher.hash_one((dialled.to_bits(), caller.to_bits()));
        self.routes
            .find(h, |e| {
                route_key(&self.chunks, e) == (dialled.to_bits(), caller.to_bits())
            })
            .map(|e| (e >> 1, (e & 1) as u8))
    }

    pub(crate) fn ext_slot(&self, x: Number, ext: Ext) -> Option<u32> {
        let h = self.hasher.hash_one((x.to_bits(), ext.pack()));
        self.exts
            .find(h, |&s| {
                let r = self.rec(s);
                r.x == x.to_bits() && r.aux == ext.pack()
            })
            .copied()
    }

    pub(crate) fn owned_by(&self, a: Number) -> &[u32] {
        self.owners.get(&a).map_or(&[], Vec::as_slice)
    }

    pub(crate) fn x_info(&self, x: Number) -> Option<&XInfo> {
        self.xs.get(&x)
    }

    pub(crate) fn x_status(&self, x: Number) -> XStatus {
        self.xs.get(&x).map_or(XStatus::Normal, |i| i.status)
    }

    /// Whether any X number is down (routing checks statuses only then).
    pub(crate) fn any_x_down(&self) -> bool {
        self.down > 0
    }

    /// Every live slot.
    pub(crate) fn slots(&self) -> impl Iterator<Item = u32> + '_ {
        self.chunks.iter().enumerate().flat_map(|(c, chunk)| {
            chunk
                .as_slice()
                .iter()
                .enumerate()
                .filter(|(_, r)| r.state != FREE)
                .map(move |(i, _)| ((c as u32) << CHUNK_BITS) | i as u32)
        })
    }

    /// The AXYB relations under the AX binding in `slot`.
    pub(crate) fn children(&self, slot: u32) -> Vec<u32> {
        let r = self.rec(slot);
        if r.shape != SHAPE_AXYB_AX {
            return Vec::new();
        }
        let Some(x) = r.x() else { return Vec::new() };
        self.xs.get(&x).map_or_else(Vec::new, |i| {
            i.slots
                .iter()
                .copied()
                .filter(|&s| {
                    let c = self.rec(s);
                    c.shape == SHAPE_AXYB_YB && c.aux == slot
                })
                .collect()
        })
    }

    /// The routing-relevant fields of the record in `slot`.
    pub(crate) fn rec_view(&self, slot: u32) -> RecView<'_> {
        let r = self.rec(slot);
        RecView {
            a: Number::from_raw(r.a).unwrap_or(Number::PLACEHOLDER),
            b: Number::from_raw(r.b),
            x: r.x(),
            direction: r.direction(),
            max_dur: r.max_dur,
            record: r.flags & 4 != 0,
            extras: self.extras_of(slot, r),
            is_ext: r.shape == SHAPE_EXT,
            callback_life_secs: u32::from(r.cb_life_min) * 60,
            is_axyb_ax: r.shape == SHAPE_AXYB_AX,
            parent: (r.shape == SHAPE_AXYB_YB && r.aux != NONE).then_some(r.aux),
        }
    }

    fn extras_of(&self, slot: u32, r: &Rec) -> Option<&Arc<Extras>> {
        if r.flags & FLAG_EXTRAS == 0 {
            return None;
        }
        self.extras.get(slot as usize)?.as_ref()
    }

    /// A and B of the pair in `slot`, if it is a pair.
    pub(crate) fn pair_of(&self, slot: u32) -> Option<(Number, Number)> {
        let r = self.rec(slot);
        if r.shape != SHAPE_PAIR {
            return None;
        }
        Some((Number::from_raw(r.a)?, Number::from_raw(r.b)?))
    }

    /// An owned copy of the binding in `slot`.
    pub(crate) fn binding(&self, slot: u32) -> Binding {
        let r = self.rec(slot);
        let num = |v: u64| Number::from_raw(v);
        let shape = match r.shape {
            SHAPE_PAIR => Shape::Pair {
                a: num(r.a).unwrap_or_else(dummy),
                b: num(r.b).unwrap_or_else(dummy),
            },
            SHAPE_OWNER => Shape::Owner {
                a: num(r.a).unwrap_or_else(dummy),
                temp_callee: num(r.b),
            },
            SHAPE_EXT => Shape::Extension {
                a: num(r.a).unwrap_or_else(dummy),
                ext: Ext::unpack(r.aux).unwrap_or(Ext::PLACEHOLDER),
                callback: num(r.b),
                callback_lifetime_secs: u32::from(r.cb_life_min) * 60,
            },
            SHAPE_AXYB_AX => Shape::AxybAx {
                a: num(r.a).unwrap_or_else(dummy),
                yb_duration: r.aux,
            },
            _ => Shape::AxybYb {
                parent: self.id_of(r.aux),
                b: num(r.b).unwrap_or_else(dummy),
                y: num(r.a).unwrap_or_else(dummy),
            },
        };
        Binding {
            id: self.id_of(slot),
            mode: self.mode,
            x: r.x(),
            shape,
            settings: Settings {
                direction: r.direction(),
                record: r.flags & 4 != 0,
                sms: r.flags & 8 != 0,
                max_duration_min: r.max_dur,
                duration_secs: r.duration,
                extras: self.extras_of(slot, r).cloned(),
            },
            state: r.state(),
            bound_at: from_rel(r.bound_at),
            pending: self.pending.get(&slot).cloned().map(Box::new),
        }
    }

    /// Whether the record in `slot` has expired by `now` (Unix seconds).
    pub(crate) fn expired_at(&self, slot: u32, now: u64) -> bool {
        self.rec(slot).expires().is_some_and(|e| from_rel(e) <= now)
    }

    /// Slots whose lifetime is over at `now`, oldest first; stale heap
    /// entries (records since modified, removed or reused) are dropped.
    pub(crate) fn take_expired(&mut self, now: u64) -> Vec<u32> {
        let limit = to_rel(now);
        let mut out = Vec::new();
        let mut seen = std::collections::HashSet::new();
        while let Some(&Reverse((at, slot))) = self.expiry.peek() {
            if at > limit {
                break;
            }
            self.expiry.pop();
            let live = self
                .chunks
                .get((slot >> CHUNK_BITS) as usize)
                .and_then(|c| c.as_slice().get(slot as usize & (CHUNK - 1)))
                .is_some_and(|r| r.state != FREE);
            if live && rec_at(&self.chunks, slot).expires() == Some(at) && seen.insert(slot) {
                out.push(slot);
            }
        }
        out
    }

    /// Put back expiry entries taken by [`Store::take_expired`] that were
    /// not acted on (the journal write failed).
    pub(crate) fn restore_expiry(&mut self, slots: &[u32]) {
        for &s in slots {
            if let Some(e) = self.rec(s).expires() {
                self.expiry.push(Reverse((e, s)));
            }
        }
    }

    // ----- changes -------------------------------------------------------

    /// Apply one mutation. Errors mean the mutation does not fit the state
    /// (only possible when replaying a damaged journal); the state is then
    /// unchanged.
    pub(crate) fn apply(&mut self, m: &Mutation) -> Result<()> {
        match m {
            Mutation::Put(b) => {
                let parent = match &b.shape {
                    Shape::AxybYb { parent, .. } => Some(self.find(parent).ok_or_else(|| {
                        corrupt(format!(
                            "relation {} names an unknown AX binding {parent}",
                            b.id
                        ))
                    })?),
                    _ => None,
                };
                let Some(old) = self.find(&b.id) else {
                    self.insert(b, parent);
                    return Ok(());
                };
                // Replacing an AX binding: its relations key their routes
                // on it, so take them out and put them back on the new slot.
                let children = self.children(old);
                for &c in &children {
                    self.unindex(c);
                }
                self.remove(old);
                let slot = self.insert(b, parent);
                for &c in &children {
                    self.rec_mut(c).aux = slot;
                    self.index(c);
                }
                Ok(())
            }
            Mutation::Del(id) => {
                let slot = self
                    .find(id)
                    .ok_or_else(|| corrupt(format!("removal of unknown binding {id}")))?;
                self.remove(slot);
                Ok(())
            }
            Mutation::XStatus(x, status) => {
                let info = self.xs.entry(*x).or_default();
                let was = info.status.is_down();
                info.status = *status;
                match (was, status.is_down()) {
                    (false, true) => self.down += 1,
                    (true, false) => self.down -= 1,
                    _ => {}
                }
                Ok(())
            }
            Mutation::PoolAdd(x, area) => {
                let area: Arc<str> = Arc::from(area.as_str());
                let info = self.xs.entry(*x).or_default();
                if let Some(old) = info.area.take() {
                    if let Some(v) = self.areas.get_mut(&old) {
                        v.retain(|n| n != x);
                        if v.is_empty() {
                            self.areas.remove(&old);
                        }
                    }
                }
                info.area = Some(Arc::clone(&area));
                let list = self.areas.entry(area).or_default();
                if let Err(i) = list.binary_search(x) {
                    list.insert(i, *x);
                }
                Ok(())
            }
            Mutation::PoolRemove(x) => {
                if let Some(info) = self.xs.get_mut(x) {
                    if let Some(area) = info.area.take() {
                        if let Some(v) = self.areas.get_mut(&area) {
                            v.retain(|n| n != x);
                            if v.is_empty() {
                                self.areas.remove(&area);
                            }
                        }
                    }
                }
                Ok(())
            }
        }
    }

    fn alloc(&mut self, rec: Rec) -> u32 {
        if let Some(slot) = self.free.pop() {
            *self.rec_mut(slot) = rec;
            return slot;
        }
        if self.chunks.last().is_none_or(|c| c.len() == CHUNK) {
            // The first chunk grows as needed, so that a small engine
            // stays small; later ones are made whole.
            let cap = if self.chunks.is_empty() { 16 } else { CHUNK };
            self.chunks.push(PodVec::with_capacity(cap));
        }
        let c = self.chunks.len() - 1;
        let chunk = &mut self.chunks[c];
        chunk.push(rec);
        ((c as u32) << CHUNK_BITS) | (chunk.len() - 1) as u32
    }

    fn insert(&mut self, b: &Binding, parent: Option<u32>) -> u32 {
        let (id_kind, id) = match b.id.key() {
            IdKey::Packed(k, bytes) => (k, bytes),
            IdKey::Long(s) => {
                let i = match self.long_free.pop() {
                    Some(i) => {
                        self.long_ids[i as usize] = Some(s);
                        i
                    }
                    None => {
                        self.long_ids.push(Some(s));
                        (self.long_ids.len() - 1) as u32
                    }
                };
                let mut bytes = [0u8; 16];
                bytes[..4].copy_from_slice(&i.to_le_bytes());
                (KIND_LONG, bytes)
            }
        };
        let bits = |n: Option<Number>| n.map_or(0, Number::to_bits);
        let mut cb_life_min = 0;
        let (shape, a, bb, aux) = match &b.shape {
            Shape::Pair { a, b } => (SHAPE_PAIR, a.to_bits(), b.to_bits(), 0),
            Shape::Owner { a, temp_callee } => (SHAPE_OWNER, a.to_bits(), bits(*temp_callee), 0),
            Shape::Extension {
                a,
                ext,
                callback,
                callback_lifetime_secs,
            } => {
                // Checked to be whole minutes within bounds; a longer
                // value (only from a damaged journal) is capped.
                cb_life_min =
                    u16::try_from(callback_lifetime_secs.div_ceil(60)).unwrap_or(u16::MAX);
                (SHAPE_EXT, a.to_bits(), bits(*callback), ext.pack())
            }
            Shape::AxybAx { a, yb_duration } => (SHAPE_AXYB_AX, a.to_bits(), 0, *yb_duration),
            Shape::AxybYb { b, y, .. } => (
                SHAPE_AXYB_YB,
                y.to_bits(),
                b.to_bits(),
                parent.unwrap_or(NONE),
            ),
        };
        let s = &b.settings;
        let extras = s.extras.clone().filter(|e| !e.is_empty());
        let rec = Rec {
            id,
            x: bits(b.x),
            a,
            b: bb,
            bound_at: to_rel(b.bound_at),
            duration: s.duration_secs,
            aux,
            xpos: 0,
            max_dur: s.max_duration_min,
            cb_life_min,
            id_kind,
            shape,
            state: b.state.code() as u8,
            flags: (s.direction.code() as u8)
                | (u8::from(s.record) << 2)
                | (u8::from(s.sms) << 3)
                | if extras.is_some() { FLAG_EXTRAS } else { 0 },
        };
        let slot = self.alloc(rec);
        if let Some(e) = extras {
            let i = slot as usize;
            if self.extras.len() <= i {
                self.extras.resize(i + 1, None);
            }
            self.extras[i] = Some(e);
        }
        self.live += 1;
        let hasher = &self.hasher;
        let chunks = &self.chunks;
        let long_ids = &self.long_ids;
        let h = id_hash_rec(hasher, long_ids, rec_at(chunks, slot));
        self.by_id.insert_unique(h, slot, |&s| {
            id_hash_rec(hasher, long_ids, rec_at(chunks, s))
        });
        if let Some(c) = &b.pending {
            self.pending.insert(slot, (**c).clone());
        }
        self.index(slot);
        slot
    }

    /// Add the record in `slot` to the number indexes.
    fn index(&mut self, slot: u32) {
        let r = *self.rec(slot);
        if let Some(e) = r.expires() {
            self.expiry.push(Reverse((e, slot)));
        }
        let Some(x) = r.x() else { return };
        let info = self.xs.entry(x).or_default();
        let xpos = info.slots.len() as u32;
        info.slots.push(slot);
        rec_at_mut(&mut self.chunks, slot).xpos = xpos;
        let mut route_sides: &[u32] = &[];
        match r.shape {
            SHAPE_PAIR => {
                info.pairs += 1;
                route_sides = &[0, 1];
            }
            SHAPE_OWNER | SHAPE_AXYB_AX => {
                info.owner = Some(slot);
                if let Some(a) = Number::from_raw(r.a) {
                    self.owners.entry(a).or_default().push(slot);
                }
            }
            SHAPE_EXT => {
                info.exts += 1;
                route_sides = &[0];
                let h = self.hasher.hash_one((r.x, r.aux));
                let hasher = &self.hasher;
                let chunks = &self.chunks;
                self.exts.insert_unique(h, slot, |&s| {
                    let r = rec_at(chunks, s);
                    hasher.hash_one((r.x, r.aux))
                });
            }
            _ => {
                route_sides = &[0, 1];
                if let Some(y) = Number::from_raw(r.a) {
                    *self.y_count.entry(y).or_default() += 1;
                }
            }
        }
        for &side in route_sides {
            let e = (slot << 1) | side;
            let h = route_hash_entry(&self.hasher, &self.chunks, e);
            self.routes.insert(h, e);
        }
    }

    fn unindex(&mut self, slot: u32) {
        let r = *self.rec(slot);
        let Some(x) = r.x() else { return };
        let sides: &[u32] = match r.shape {
            SHAPE_PAIR | SHAPE_AXYB_YB => &[0, 1],
            SHAPE_EXT => &[0],
            _ => &[],
        };
        for &side in sides {
            let e = (slot << 1) | side;
            let h = route_hash_entry(&self.hasher, &self.chunks, e);
            self.routes.remove(h, e);
        }
        if r.shape == SHAPE_EXT {
            let h = self.hasher.hash_one((r.x, r.aux));
            if let Ok(entry) = self.exts.find_entry(h, |&v| v == slot) {
                entry.remove();
            }
        }
        if matches!(r.shape, SHAPE_OWNER | SHAPE_AXYB_AX) {
            if let Some(a) = Number::from_raw(r.a) {
                if let Some(v) = self.owners.get_mut(&a) {
                    v.retain(|&s| s != slot);
                    if v.is_empty() {
                        self.owners.remove(&a);
                    }
                }
            }
        }
        if r.shape == SHAPE_AXYB_YB {
            if let Some(y) = Number::from_raw(r.a) {
                if let Some(c) = self.y_count.get_mut(&y) {
                    *c = c.saturating_sub(1);
                    if *c == 0 {
                        self.y_count.remove(&y);
                    }
                }
            }
        }
        if let Some(info) = self.xs.get_mut(&x) {
            let at = r.xpos as usize;
            let i = if info.slots.get(at) == Some(&slot) {
                Some(at)
            } else {
                info.slots.iter().position(|&s| s == slot)
            };
            if let Some(i) = i {
                info.slots.swap_remove(i);
                if let Some(&moved) = info.slots.get(i) {
                    rec_at_mut(&mut self.chunks, moved).xpos = i as u32;
                }
            }
            match r.shape {
                SHAPE_PAIR => info.pairs = info.pairs.saturating_sub(1),
                SHAPE_EXT => info.exts = info.exts.saturating_sub(1),
                SHAPE_OWNER | SHAPE_AXYB_AX if info.owner == Some(slot) => info.owner = None,
                _ => {}
            }
            if info.slots.is_empty() && info.area.is_none() && info.status == XStatus::Normal {
                self.xs.remove(&x);
            }
        }
    }

    fn remove(&mut self, slot: u32) {
        self.unindex(slot);
        let h = id_hash_rec(&self.hasher, &self.long_ids, self.rec(slot));
        if let Ok(entry) = self.by_id.find_entry(h, |&s| s == slot) {
            entry.remove();
        }
        let r = self.rec_mut(slot);
        r.state = FREE;
        let had_extras = r.flags & FLAG_EXTRAS != 0;
        r.flags &= !FLAG_EXTRAS;
        let (kind, id) = (r.id_kind, r.id);
        if had_extras {
            if let Some(e) = self.extras.get_mut(slot as usize) {
                *e = None;
            }
        }
        if kind == KIND_LONG {
            let i = u32::from_le_bytes([id[0], id[1], id[2], id[3]]);
            if let Some(e) = self.long_ids.get_mut(i as usize) {
                *e = None;
                self.long_free.push(i);
            }
        }
        self.pending.remove(&slot);
        self.free.push(slot);
        self.live -= 1;
    }

    /// Every mutation needed to rebuild the current state (for snapshots):
    /// pool and statuses first, AX bindings before their relations.
    pub(crate) fn dump(&self) -> Vec<Mutation> {
        let mut out = Vec::with_capacity(self.live + self.xs.len());
        for (area, xs) in &self.areas {
            for x in xs {
                out.push(Mutation::PoolAdd(*x, area.to_string()));
            }
        }
        for (x, info) in &self.xs {
            if info.status != XStatus::Normal {
                out.push(Mutation::XStatus(*x, info.status));
            }
        }
        let mut yb = Vec::new();
        for slot in self.slots() {
            if self.rec(slot).shape == SHAPE_AXYB_YB {
                yb.push(slot);
            } else {
                out.push(Mutation::Put(self.binding(slot)));
            }
        }
        out.extend(yb.into_iter().map(|s| Mutation::Put(self.binding(s))));
        out
    }

    /// Bytes used by records and indexes (an estimate from capacities).
    pub(crate) fn heap_bytes(&self) -> usize {
        let recs = self.chunks.iter().map(PodVec::capacity).sum::<usize>() * size_of::<Rec>()
            + self.extras.capacity() * size_of::<Option<Arc<Extras>>>();
        let tables = (self.by_id.capacity() + self.exts.capacity()) * 5 + self.routes.heap_bytes();
        let xs = self
            .xs
            .values()
            .map(|i| i.slots.capacity() * 4 + 64)
            .sum::<usize>();
        recs + tables + xs + self.expiry.capacity() * 8 + self.free.capacity() * 4
    }
}

/// Records written by this crate always hold their numbers; this only
/// keeps the conversion total.
fn dummy() -> Number {
    Number::PLACEHOLDER
}

#[inline]
fn rec_at(chunks: &[PodVec<Rec>], slot: u32) -> &Rec {
    &chunks[(slot >> CHUNK_BITS) as usize][(slot as usize) & (CHUNK - 1)]
}

fn rec_at_mut(chunks: &mut [PodVec<Rec>], slot: u32) -> &mut Rec {
    &mut chunks[(slot >> CHUNK_BITS) as usize][(slot as usize) & (CHUNK - 1)]
}

fn id_hash_rec(hasher: &DefaultHashBuilder, long_ids: &[Option<Arc<str>>], r: &Rec) -> u64 {
    if r.id_kind == KIND_LONG {
        let i = u32::from_le_bytes([r.id[0], r.id[1], r.id[2], r.id[3]]) as usize;
        let s = long_ids.get(i).and_then(|s| s.as_deref()).unwrap_or("");
        hasher.hash_one(s)
    } else {
        hasher.hash_one((&r.id_kind, &r.id))
    }
}

/// The (dialled, caller) key of a routing entry.
fn route_key(chunks: &[PodVec<Rec>], e: u32) -> (u64, u64) {
    let r = rec_at(chunks, e >> 1);
    let side = e & 1;
    match (r.shape, side) {
        (SHAPE_AXYB_YB, 0) => {
            // A dials Y: the caller is the AX binding's A.
            let parent_a = if r.aux == NONE {
                0
            } else {
                rec_at(chunks, r.aux).a
            };
            (r.a, parent_a)
        }
        (_, 0) => (r.x, r.a),
        (_, _) => (r.x, r.b),
    }
}

fn route_hash_entry(hasher: &DefaultHashBuilder, chunks: &[PodVec<Rec>], e: u32) -> u64 {
    hasher.hash_one(route_key(chunks, e))
}

impl XView for Store {
    fn axb_pair_count(&self, x: Number) -> usize {
        self.xs.get(&x).map_or(0, |i| i.pairs as usize)
    }

    fn axb_has_party(&self, x: Number, party: Number) -> bool {
        self.route_entry(x, party).is_some()
    }

    fn ax_owner(&self, x: Number) -> Option<Number> {
        let slot = self.xs.get(&x)?.owner?;
        Number::from_raw(self.rec(slot).a)
    }

    fn ax_count_for(&self, a: Number) -> usize {
        self.owned_by(a).len()
    }

    fn y_relation_count(&self, y: Number) -> usize {
        self.y_count.get(&y).copied().unwrap_or(0) as usize
    }

    fn axe_extension_taken(&self, x: Number, ext: &str) -> bool {
        Ext::parse(ext).is_ok_and(|e| self.ext_slot(x, e).is_some())
    }

    fn axe_extension_count(&self, x: Number) -> usize {
        self.xs.get(&x).map_or(0, |i| i.exts as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_is_one_cache_line() {
        assert_eq!(size_of::<Rec>(), 64);
    }
}
