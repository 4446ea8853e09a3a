//! The binding engine: what a binding is, which bindings may exist, how
//! calls route through them, and state that survives a crash.
//!
//! ```text
//!  host ──bind / request_bind / settle / modify / unbind / tick(now)──▶ ┌────────┐
//!  X-number status push ──set_x_status──────────────────────────────▶ │ Engine │──▶ events
//!  X-mode callin ──route(caller, X, ext, now)──▶ Connect | Close ◀──── │        │
//!                                      journal + snapshots (optional) ◀┴────────┘
//! ```
//!
//! One [`Engine`] holds the bindings of one application (one [`Mode`]). It is
//! used two ways:
//! - **client side**, to validate a request before sending it, to mirror
//!   what the platform holds (`request_bind` → `settle`), and to answer
//!   X-mode routing from local bindings;
//! - **platform side** (the emulator), answering requests with the same
//!   rules (`bind`, `modify`, `unbind` take effect at once).
//!
//! Rules live in [`rules`], transitions in [`machine`], X choice in
//! [`pool`], routing in [`route`]. Time is always an input (`now`, Unix
//! seconds); nothing here reads a clock. Bindings expire in
//! [`Engine::tick`] and, first of all, in every change given a `now`: a
//! binding past its lifetime is gone on the platform, so it never blocks a
//! new binding nor takes a change. Routing only reads: until then it
//! answers a due binding with [`route::CloseReason::Expired`].
//!
//! # Concurrency
//!
//! `Engine` is `Send + Sync`. Reads (routing, lookups) take a shared
//! `parking_lot` read lock on the state. Changes are serialized by a
//! separate writer mutex: a change is validated under the read lock, written
//! to the journal (if any) while holding only the writer mutex, and then
//! applied under the write lock for the few hundred nanoseconds the index
//! updates take. Routing therefore never waits for validation or for an
//! `fsync`, only for the in-memory apply.
//!
//! AXE callback records (who last reached an extension's A, so that A
//! calling X is connected back to them) are call history, not binding
//! state: the engine keeps them beside the store in a small map under
//! their own mutex, which routing takes only on the extension paths (pairs,
//! owners and AXYB relations never do) and changes take once to drop the
//! records they make stale. A record is dropped when its
//! binding is removed (unbound, expired, refused or replaced under a new
//! id) or its A or X changes; an expired record is ignored and replaced by
//! the next call. A modification of the callback number or the record
//! lifetime ([`Changes::callback`], [`Changes::callback_lifetime_secs`],
//! the platform's `callbackNum` and `callbackExpiredTime`) keeps the
//! record; from then on it lasts the new lifetime from its call.
//!
//! # Durability
//!
//! [`Engine::open`] keeps the state in a directory: every change is appended
//! to the journal (and, with [`FsyncPolicy::Always`], synced) before the
//! call returns; after [`EngineConfig::compact_after`] journal records a
//! snapshot replaces the journal. Reopening replays the snapshot and the
//! journal; a torn last record (a crash mid-write of a change that was
//! never acknowledged) is cut off and reported in [`OpenReport`].
//!
//! Callback records are not journaled: they are short-lived call history.
//! After a restart, an extension's A calling X reaches its callback number
//! (`callbackNum`) until someone reaches A through X and the extension
//! again.

pub mod command;
pub mod journal;
pub mod machine;
pub mod model;
pub mod pool;
pub mod route;
pub mod rules;

mod codec;
mod pod_buf;
mod route_table;
mod store;

use std::collections::VecDeque;
use std::path::Path;

use hashbrown::HashMap;
use parking_lot::{Mutex, RwLock};

pub use journal::{FsyncPolicy, TornTail};
pub use machine::Trigger;
pub use model::{
    BindRequest, Binding, BindingId, Changes, Direction, Event, EventKind, Ext, Extras, Mode,
    Settings, Shape, ShapeRequest, State, XChoice,
};
pub use pool::{AreaPressure, XStatus};
pub use route::{CallIn, CloseReason, Connect, Route};

use crate::error::{Error, ErrorKind, Result};
use crate::number::Number;
use journal::Journal;
use pool::Need;
use route::CallbackRecord;
use rules::XView;
use store::{Mutation, Store};

/// How an engine is set up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EngineConfig {
    /// The application's mode.
    pub mode: Mode,
    /// AXE: how many digits extensions have (1–4; an application setting).
    pub extension_digits: u8,
    /// At most this many unread events are kept; older ones are dropped and
    /// counted in [`Engine::events_dropped`].
    pub max_events: usize,
    /// With a directory: when to sync the journal.
    pub fsync: FsyncPolicy,
    /// With a directory: write a snapshot after this many journal records.
    pub compact_after: u64,
    /// Mint binding ids from this seed instead of the OS random source
    /// (tests and reproducible runs).
    pub id_seed: Option<u64>,
}

impl EngineConfig {
    /// Defaults for `mode`: 4-digit extensions, 65 536 events, fsync always,
    /// a snapshot every 100 000 records, random ids.
    #[must_use]
    pub fn new(mode: Mode) -> Self {
        Self {
            mode,
            extension_digits: 4,
            max_events: 65_536,
            fsync: FsyncPolicy::Always,
            compact_after: 100_000,
            id_seed: None,
        }
    }
}

/// What [`Engine::open`] found in the directory.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OpenReport {
    /// Whether a snapshot was loaded.
    pub snapshot_loaded: bool,
    /// Journal records replayed after it.
    pub records_replayed: u64,
    /// Bindings restored.
    pub bindings: usize,
    /// A torn last record that was cut off (never acknowledged).
    pub torn_tail: Option<TornTail>,
}

/// The outcome the platform gave for a pending request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// It succeeded. For a bind: the platform's `subscriptionId` (replaces
    /// the `pending-<n>` id), the X it chose and the extension it assigned,
    /// where they were not known when the request was recorded.
    Confirmed {
        /// The platform's id for the binding.
        id: Option<BindingId>,
        /// The X the platform chose.
        x: Option<Number>,
        /// The extension the platform assigned (AXE).
        ext: Option<Ext>,
    },
    /// It was refused with this `resultcode`.
    Failed {
        /// The platform `resultcode`.
        code: String,
    },
}

impl Outcome {
    /// A confirmation that adds nothing (modify, unbind, or a bind whose id
    /// and X were already known).
    #[must_use]
    pub fn confirmed() -> Self {
        Self::Confirmed {
            id: None,
            x: None,
            ext: None,
        }
    }
}

struct Writer {
    journal: Option<Journal>,
    next_pending: u64,
    id_state: Option<u64>,
}

struct Events {
    queue: VecDeque<Event>,
    next_seq: u64,
    dropped: u64,
    max: usize,
}

/// A binding engine: see the module docs.
pub struct Engine {
    config: EngineConfig,
    store: RwLock<Store>,
    writer: Mutex<Writer>,
    events: Mutex<Events>,
    /// AXE callback records by binding (not journaled; see the module
    /// docs). Locked after `store` when both are held.
    callbacks: Mutex<HashMap<BindingId, CallbackRecord>>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("mode", &self.config.mode)
            .field("bindings", &self.len())
            .finish_non_exhaustive()
    }
}

/// An event to emit once a change is applied.
struct Draft {
    kind: EventKind,
    id: BindingId,
    previous_id: Option<BindingId>,
    from: Option<State>,
    to: State,
    x: Option<Number>,
    code: Option<String>,
}

impl Draft {
    fn of(b: &Binding, kind: EventKind, from: Option<State>, to: State) -> Self {
        Self {
            kind,
            id: b.id.clone(),
            previous_id: None,
            from,
            to,
            x: b.x,
            code: None,
        }
    }
}

fn violation(v: rules::Violation) -> Error {
    v.into()
}

fn rule(code: &'static str, field: Option<&'static str>, msg: impl Into<String>) -> Error {
    violation(rules::Violation::new(code, field, msg))
}

fn not_found(id: &BindingId) -> Error {
    Error::new(ErrorKind::BindingNotFound, format!("no binding {id}"))
}

/// `resultcode` 1010040: the app key is not allowed to invoke the API (a
/// request for another mode; PN §11).
pub const CODE_WRONG_MODE: &str = "1010040";
/// `resultcode` 1012001: the number does not belong to this application.
pub const CODE_NOT_OWNED: &str = "1012001";
/// `resultcode` 1011004: the number does not belong to this application
/// (AX family).
pub const CODE_NOT_OWNED_AX: &str = "1011004";

impl Engine {
    /// An in-memory engine.
    pub fn new(config: EngineConfig) -> Result<Self> {
        if rules::extension_pool_size(config.extension_digits).is_none() {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                format!(
                    "extension_digits must be 1-4, got {}",
                    config.extension_digits
                ),
            ));
        }
        Ok(Self {
            store: RwLock::new(Store::new(config.mode, config.extension_digits)),
            writer: Mutex::new(Writer {
                journal: None,
                next_pending: 1,
                id_state: config.id_seed,
            }),
            events: Mutex::new(Events {
                queue: VecDeque::new(),
                next_seq: 1,
                dropped: 0,
                max: config.max_events,
            }),
            callbacks: Mutex::new(HashMap::new()),
            config,
        })
    }

    /// An engine kept in `dir` (created if missing): the state found there
    /// is restored, and every change is journaled before it is acknowledged.
    /// A directory written by an engine of another mode is refused.
    pub fn open(dir: &Path, config: EngineConfig) -> Result<(Self, OpenReport)> {
        let engine = Self::new(config)?;
        let (journal, recovered) = Journal::open(dir, engine.config.fsync)?;
        let mut report = OpenReport {
            torn_tail: recovered.torn_tail,
            ..OpenReport::default()
        };
        {
            let mut store = engine.store.write();
            if let Some(snap) = &recovered.snapshot {
                let (mode, digits, muts) = codec::decode_snapshot(snap)?;
                if mode != engine.config.mode || digits != engine.config.extension_digits {
                    return Err(Error::new(
                        ErrorKind::InvalidArgument,
                        format!(
                            "{} holds a {mode} engine with {digits}-digit extensions, not {} with {}",
                            dir.display(),
                            engine.config.mode,
                            engine.config.extension_digits
                        ),
                    ));
                }
                for m in &muts {
                    store.apply(m)?;
                }
                report.snapshot_loaded = true;
            }
            for rec in &recovered.records {
                for m in &codec::decode_record(rec)? {
                    if let Mutation::Put(b) = m {
                        if b.mode != engine.config.mode {
                            return Err(Error::new(
                                ErrorKind::InvalidArgument,
                                format!(
                                    "{} holds a {} engine, not {}",
                                    dir.display(),
                                    b.mode,
                                    engine.config.mode
                                ),
                            ));
                        }
                    }
                    store.apply(m)?;
                }
                report.records_replayed += 1;
            }
            report.bindings = store.len();
            let mut w = engine.writer.lock();
            w.next_pending = store
                .slots()
                .filter_map(|s| {
                    let id = store.id_of(s).as_string();
                    id.strip_prefix("pending-")?.parse::<u64>().ok()
                })
                .max()
                .map_or(1, |n| n + 1);
            w.journal = Some(journal);
        }
        Ok((engine, report))
    }

    /// The engine's configuration.
    #[must_use]
    pub fn config(&self) -> &EngineConfig {
        &self.config
    }

    /// The application's mode.
    #[must_use]
    pub fn mode(&self) -> Mode {
        self.config.mode
    }

    /// How many bindings the engine holds (in any non-terminal state).
    #[must_use]
    pub fn len(&self) -> usize {
        self.store.read().len()
    }

    /// Whether the engine holds no binding.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Room for `n` more bindings without growing the indexes (bulk loads).
    pub fn reserve(&self, n: usize) {
        let _w = self.writer.lock();
        self.store.write().reserve(n);
    }

    /// Bytes of memory the records, indexes and AXE callback records use
    /// (from capacities; the allocator's own overhead is not counted).
    #[must_use]
    pub fn memory_bytes(&self) -> usize {
        let store = self.store.read().heap_bytes();
        let entry = size_of::<(BindingId, CallbackRecord)>() + 1;
        store + self.callbacks.lock().capacity() * entry
    }

    // ----- reads ---------------------------------------------------------

    /// Decide a call reaching `call.dialled` at `now` (see [`route`]).
    ///
    /// AXE: a call connected to A through X and an extension becomes that
    /// binding's callback record (the newest call wins); A calling X is
    /// connected to the recorded party while the record lasts
    /// (`callback_lifetime_secs` from the call, or as long as the binding
    /// when 0), else to its callback number.
    #[must_use]
    pub fn route(&self, call: &CallIn, now: u64) -> Route {
        let store = self.store.read();
        let lookup = |id: &BindingId| self.callbacks.lock().get(id).copied();
        let decision = route::route(&store, call, now, &lookup);
        if let (Some(party), Route::Connect(c)) = (decision.callback_party, &decision.route) {
            // Recorded under the read lock: a change that drops the
            // binding's record comes wholly before or after this.
            let rec = CallbackRecord { party, at: now };
            self.callbacks
                .lock()
                .entry(c.binding.clone())
                .and_modify(|r| {
                    if r.at <= now {
                        *r = rec;
                    }
                })
                .or_insert(rec);
        }
        drop(store);
        decision.route
    }

    /// The binding with this id.
    #[must_use]
    pub fn get(&self, id: &BindingId) -> Option<Binding> {
        let s = self.store.read();
        s.find(id).map(|slot| s.binding(slot))
    }

    /// Every binding on `x` (for AXYB, an AX binding and its relations).
    #[must_use]
    pub fn bindings_on(&self, x: Number) -> Vec<Binding> {
        let s = self.store.read();
        s.x_info(x)
            .map(|i| i.slots.iter().map(|&slot| s.binding(slot)).collect())
            .unwrap_or_default()
    }

    /// The binding through which `caller` reaches someone by dialling
    /// `dialled` (a pair, an extension's A calling back, an AXYB relation).
    #[must_use]
    pub fn find_party(&self, dialled: Number, caller: Number) -> Option<Binding> {
        let s = self.store.read();
        s.route_entry(dialled, caller)
            .map(|(slot, _)| s.binding(slot))
    }

    /// The AX (or AXYB AX) bindings A holds.
    #[must_use]
    pub fn owned_by(&self, a: Number) -> Vec<Binding> {
        let s = self.store.read();
        s.owned_by(a).iter().map(|&slot| s.binding(slot)).collect()
    }

    /// The binding of extension `ext` on `x` (AXE).
    #[must_use]
    pub fn find_extension(&self, x: Number, ext: Ext) -> Option<Binding> {
        let s = self.store.read();
        s.ext_slot(x, ext).map(|slot| s.binding(slot))
    }

    /// The AXYB relations under the AX binding `parent`.
    #[must_use]
    pub fn relations(&self, parent: &BindingId) -> Vec<Binding> {
        let s = self.store.read();
        s.find(parent)
            .map(|slot| s.children(slot).into_iter().map(|c| s.binding(c)).collect())
            .unwrap_or_default()
    }

    /// Every binding, in no particular order.
    #[must_use]
    pub fn bindings(&self) -> Vec<Binding> {
        let s = self.store.read();
        s.slots().map(|slot| s.binding(slot)).collect()
    }

    /// The status of `x` (normal unless a status was set).
    #[must_use]
    pub fn x_status(&self, x: Number) -> XStatus {
        self.store.read().x_status(x)
    }

    /// How close each pool area is to running out.
    #[must_use]
    pub fn pool_pressure(&self) -> Vec<AreaPressure> {
        self.store.read().pressure()
    }

    /// The pool's numbers, by area.
    #[must_use]
    pub fn pool(&self) -> Vec<(String, Vec<Number>)> {
        self.store
            .read()
            .areas
            .iter()
            .map(|(a, xs)| (a.to_string(), xs.clone()))
            .collect()
    }

    /// Take up to `max` unread events, oldest first.
    pub fn poll_events(&self, max: usize) -> Vec<Event> {
        let mut ev = self.events.lock();
        let n = max.min(ev.queue.len());
        ev.queue.drain(..n).collect()
    }

    /// How many events were dropped because nobody read them in time.
    #[must_use]
    pub fn events_dropped(&self) -> u64 {
        self.events.lock().dropped
    }

    // ----- checks without changes ---------------------------------------

    /// Check a bind request against the rules and the current state without
    /// changing anything; returns the binding it would create.
    pub fn check_bind(&self, req: &BindRequest, now: u64) -> Result<Binding> {
        let mut w = self.writer.lock();
        self.expire_due(&mut w, now)?;
        let s = self.store.read();
        self.plan_bind(&s, &mut w, req, now, State::Active, true)
    }

    // ----- changes -------------------------------------------------------

    /// Bind at once (the platform answered, or this engine is the platform).
    pub fn bind(&self, req: &BindRequest, now: u64) -> Result<Binding> {
        let mut w = self.writer.lock();
        self.expire_due(&mut w, now)?;
        let b = {
            let s = self.store.read();
            self.plan_bind(&s, &mut w, req, now, State::Active, false)?
        };
        let draft = Draft::of(&b, EventKind::Bound, None, b.state);
        self.commit(&mut w, vec![Mutation::Put(b.clone())], vec![draft], now)?;
        Ok(b)
    }

    /// Record a bind request that was (or is about to be) sent to the
    /// platform: the binding is [`State::Requested`] under a `pending-<n>`
    /// id (unless the request names one) and holds its place under the
    /// rules until [`Engine::settle`] gives the platform's answer. X may be
    /// left to the platform ([`XChoice::Platform`]).
    pub fn request_bind(&self, req: &BindRequest, now: u64) -> Result<Binding> {
        let mut w = self.writer.lock();
        self.expire_due(&mut w, now)?;
        let b = {
            let s = self.store.read();
            self.plan_bind(&s, &mut w, req, now, State::Requested, false)?
        };
        if req.id.is_none() {
            w.next_pending += 1;
        }
        let draft = Draft::of(&b, EventKind::Requested, None, State::Requested);
        self.commit(&mut w, vec![Mutation::Put(b.clone())], vec![draft], now)?;
        Ok(b)
    }

    /// Record the platform's answer to the pending request on `id` (bind,
    /// modify or unbind); returns the binding afterwards (`None` once it is
    /// gone: unbound, or a refused bind).
    pub fn settle(&self, id: &BindingId, outcome: &Outcome, now: u64) -> Result<Option<Binding>> {
        let mut w = self.writer.lock();
        self.expire_due(&mut w, now)?;
        let (muts, drafts, after) = {
            let s = self.store.read();
            let slot = s.find(id).ok_or_else(|| not_found(id))?;
            let old = s.binding(slot);
            let x_down = old.x.is_some_and(|x| s.x_status(x).is_down());
            let ok = matches!(outcome, Outcome::Confirmed { .. });
            let trigger = if ok { Trigger::Confirm } else { Trigger::Fail };
            let (to, kind) = machine::next(old.state, trigger, x_down)?
                .ok_or_else(|| Error::new(ErrorKind::InvalidTransition, "nothing to settle"))?;
            let code = match outcome {
                Outcome::Failed { code } => Some(code.clone()),
                Outcome::Confirmed { .. } => None,
            };
            match (old.state, outcome) {
                (State::Requested, Outcome::Confirmed { id: new_id, x, ext }) => {
                    let mut b = old.clone();
                    b.state = to;
                    b.bound_at = now;
                    let mut muts = Vec::new();
                    let mut previous = None;
                    if let Some(new_id) = new_id.clone().filter(|n| *n != old.id) {
                        if s.find(&new_id).is_some() {
                            return Err(Error::new(
                                ErrorKind::BindingExists,
                                format!("a binding {new_id} already exists"),
                            ));
                        }
                        muts.push(Mutation::Del(old.id.clone()));
                        previous = Some(old.id.clone());
                        b.id = new_id;
                    }
                    if let Some(x) = x {
                        if old.x.is_some_and(|o| o != *x) {
                            return Err(Error::new(
                                ErrorKind::InvalidArgument,
                                "the confirmed X differs from the one requested",
                            ));
                        }
                        if old.x.is_none() {
                            b.x = Some(*x);
                            self.check_shape_on(&s, &b, Some(slot))?;
                        }
                    }
                    if let (Some(ext), Shape::Extension { ext: e, .. }) = (ext, &mut b.shape) {
                        *e = *ext;
                    }
                    if b.x.is_none() {
                        return Err(Error::new(
                            ErrorKind::InvalidArgument,
                            "the platform's answer must say which X it bound",
                        ));
                    }
                    muts.push(Mutation::Put(b.clone()));
                    let mut d = Draft::of(&b, kind, Some(old.state), to);
                    d.previous_id = previous;
                    (muts, vec![d], Some(b))
                }
                (State::Requested, Outcome::Failed { .. }) => {
                    let mut d = Draft::of(&old, kind, Some(old.state), to);
                    d.code = code;
                    (vec![Mutation::Del(old.id.clone())], vec![d], None)
                }
                (State::Modifying, _) => {
                    let mut b = if ok {
                        let changes = old.pending.as_deref().cloned().unwrap_or_default();
                        self.apply_changes(&s, &old, &changes, now)?
                    } else {
                        old.clone()
                    };
                    b.pending = None;
                    b.state = to;
                    let mut d = Draft::of(&b, kind, Some(old.state), to);
                    d.code = code;
                    (vec![Mutation::Put(b.clone())], vec![d], Some(b))
                }
                (State::Unbinding, _) if ok => {
                    let (muts, drafts) = self.removal(&s, slot, EventKind::Unbound, State::Unbound);
                    (muts, drafts, None)
                }
                _ => {
                    let mut b = old.clone();
                    b.state = to;
                    let mut d = Draft::of(&b, kind, Some(old.state), to);
                    d.code = code;
                    (vec![Mutation::Put(b.clone())], vec![d], Some(b))
                }
            }
        };
        self.commit(&mut w, muts, drafts, now)?;
        Ok(after)
    }

    /// Modify at once; the lifetime restarts at `now`.
    pub fn modify(&self, id: &BindingId, changes: &Changes, now: u64) -> Result<Binding> {
        let mut w = self.writer.lock();
        self.expire_due(&mut w, now)?;
        let (b, draft) = {
            let s = self.store.read();
            let slot = s.find(id).ok_or_else(|| not_found(id))?;
            let old = s.binding(slot);
            let x_down = old.x.is_some_and(|x| s.x_status(x).is_down());
            let (to, kind) = machine::next(old.state, Trigger::Modify, x_down)?
                .ok_or_else(|| Error::new(ErrorKind::InvalidTransition, "cannot modify"))?;
            let mut b = self.apply_changes(&s, &old, changes, now)?;
            b.state = to;
            let d = Draft::of(&b, kind, Some(old.state), to);
            (b, d)
        };
        self.commit(&mut w, vec![Mutation::Put(b.clone())], vec![draft], now)?;
        Ok(b)
    }

    /// Record a modification sent to the platform (checked now, applied by
    /// [`Engine::settle`]).
    pub fn request_modify(&self, id: &BindingId, changes: &Changes, now: u64) -> Result<Binding> {
        let mut w = self.writer.lock();
        self.expire_due(&mut w, now)?;
        let (b, draft) = {
            let s = self.store.read();
            let slot = s.find(id).ok_or_else(|| not_found(id))?;
            let old = s.binding(slot);
            let (to, kind) = machine::next(old.state, Trigger::RequestModify, false)?
                .ok_or_else(|| Error::new(ErrorKind::InvalidTransition, "cannot modify"))?;
            self.apply_changes(&s, &old, changes, now)?;
            let mut b = old.clone();
            b.state = to;
            b.pending = Some(Box::new(changes.clone()));
            let d = Draft::of(&b, kind, Some(old.state), to);
            (b, d)
        };
        self.commit(&mut w, vec![Mutation::Put(b.clone())], vec![draft], now)?;
        Ok(b)
    }

    /// Unbind at once (an AXYB AX binding takes its relations with it).
    pub fn unbind(&self, id: &BindingId, now: u64) -> Result<()> {
        let mut w = self.writer.lock();
        self.expire_due(&mut w, now)?;
        let (muts, drafts) = {
            let s = self.store.read();
            let slot = s.find(id).ok_or_else(|| not_found(id))?;
            let state = s.rec(slot).state();
            machine::next(state, Trigger::Unbind, false)?;
            self.removal(&s, slot, EventKind::Unbound, State::Unbound)
        };
        self.commit(&mut w, muts, drafts, now)
    }

    /// Record an unbind sent to the platform (done by [`Engine::settle`]).
    pub fn request_unbind(&self, id: &BindingId, now: u64) -> Result<Binding> {
        let mut w = self.writer.lock();
        self.expire_due(&mut w, now)?;
        let (b, draft) = {
            let s = self.store.read();
            let slot = s.find(id).ok_or_else(|| not_found(id))?;
            let old = s.binding(slot);
            let (to, kind) = machine::next(old.state, Trigger::RequestUnbind, false)?
                .ok_or_else(|| Error::new(ErrorKind::InvalidTransition, "cannot unbind"))?;
            let mut b = old.clone();
            b.state = to;
            let d = Draft::of(&b, kind, Some(old.state), to);
            (b, d)
        };
        self.commit(&mut w, vec![Mutation::Put(b.clone())], vec![draft], now)?;
        Ok(b)
    }

    /// Unbind every binding on `x` at once (AXB unbind by `relationNum`
    /// alone, PN §3.2); returns how many were removed.
    pub fn unbind_x(&self, x: Number, now: u64) -> Result<usize> {
        let mut w = self.writer.lock();
        self.expire_due(&mut w, now)?;
        let (muts, drafts) = {
            let s = self.store.read();
            let slots: Vec<u32> = s.x_info(x).map(|i| i.slots.clone()).unwrap_or_default();
            let mut muts = Vec::new();
            let mut drafts = Vec::new();
            for slot in slots {
                let r = s.rec(slot);
                if r.state().is_bound() && s.rec_view(slot).parent.is_none() {
                    let (m, d) = self.removal(&s, slot, EventKind::Unbound, State::Unbound);
                    muts.extend(m);
                    drafts.extend(d);
                }
            }
            (muts, drafts)
        };
        let n = drafts.len();
        self.commit(&mut w, muts, drafts, now)?;
        Ok(n)
    }

    /// Set the temporary callee of the AX binding on `x` (PN §4.5); a new
    /// one replaces the old.
    pub fn set_temp_callee(&self, x: Number, callee: Number, now: u64) -> Result<Binding> {
        let mut w = self.writer.lock();
        self.expire_due(&mut w, now)?;
        let (b, draft) = {
            let s = self.store.read();
            rules::check_party(&callee, "calleeNum").map_err(violation)?;
            let slot = s
                .x_info(x)
                .and_then(|i| i.owner)
                .filter(|&slot| matches!(s.binding(slot).shape, Shape::Owner { .. }))
                .ok_or_else(|| {
                    Error::new(
                        ErrorKind::BindingNotFound,
                        format!("no AX binding on {}", x.masked()),
                    )
                })?;
            let mut b = s.binding(slot);
            if !b.state.is_bound() {
                return Err(Error::new(
                    ErrorKind::InvalidTransition,
                    format!("a binding in state {} cannot take a callee", b.state),
                ));
            }
            if let Shape::Owner { temp_callee, .. } = &mut b.shape {
                *temp_callee = Some(callee);
            }
            let d = Draft::of(&b, EventKind::Modified, Some(b.state), b.state);
            (b, d)
        };
        self.commit(&mut w, vec![Mutation::Put(b.clone())], vec![draft], now)?;
        Ok(b)
    }

    /// Expire every binding whose lifetime is over at `now`; returns how
    /// many expired (an AXYB AX binding takes its relations with it). Every
    /// change given a `now` does the same first; call this to expire
    /// bindings (and get their events) when no change comes.
    pub fn tick(&self, now: u64) -> Result<usize> {
        let mut w = self.writer.lock();
        self.expire_due(&mut w, now)
    }

    /// Expire every binding whose lifetime is over at `now`, the writer
    /// lock held. Every change given a `now` does this first, so a binding
    /// past its lifetime neither blocks a new one nor takes a change: on
    /// the platform it is already gone.
    fn expire_due(&self, w: &mut Writer, now: u64) -> Result<usize> {
        let due = self.store.write().take_expired(now);
        if due.is_empty() {
            return Ok(0);
        }
        let (muts, drafts) = {
            let s = self.store.read();
            let mut muts = Vec::new();
            let mut drafts: Vec<Draft> = Vec::new();
            // An AX binding and its relations may both be due: each id is
            // removed once (a removal's drafts and mutations pair up).
            let mut seen = std::collections::HashSet::new();
            for &slot in &due {
                let (m, d) = self.removal(&s, slot, EventKind::Expired, State::Expired);
                for (m, d) in m.into_iter().zip(d) {
                    if seen.insert(d.id.clone()) {
                        muts.push(m);
                        drafts.push(d);
                    }
                }
            }
            (muts, drafts)
        };
        let n = drafts.len();
        if let Err(e) = self.commit(w, muts, drafts, now) {
            self.store.write().restore_expiry(&due);
            return Err(e);
        }
        Ok(n)
    }

    /// Apply an X-number status (PN §9.5): paused or unavailable suspends
    /// the bindings on `x`, normal resumes them, frozen and blacklisted only
    /// stop new bindings. Returns how many bindings changed state.
    pub fn set_x_status(&self, x: Number, status: XStatus, now: u64) -> Result<usize> {
        let mut w = self.writer.lock();
        self.expire_due(&mut w, now)?;
        let (muts, drafts) = {
            let s = self.store.read();
            let mut muts = vec![Mutation::XStatus(x, status)];
            let mut drafts = Vec::new();
            let trigger = if status.is_down() {
                Trigger::Suspend
            } else {
                Trigger::Resume
            };
            for &slot in s.x_info(x).map(|i| i.slots.as_slice()).unwrap_or(&[]) {
                let old = s.binding(slot);
                if let Ok(Some((to, kind))) = machine::next(old.state, trigger, status.is_down()) {
                    let mut b = old.clone();
                    b.state = to;
                    drafts.push(Draft::of(&b, kind, Some(old.state), to));
                    muts.push(Mutation::Put(b));
                }
            }
            (muts, drafts)
        };
        let n = drafts.len();
        self.commit(&mut w, muts, drafts, now)?;
        Ok(n)
    }

    /// Add `x` to the pool in `area` (moving it if it was in another).
    pub fn pool_add(&self, x: Number, area: &str) -> Result<()> {
        if area.is_empty() || area.len() > 32 || !area.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                format!("an area code must be 1-32 ASCII digits, got {area:?}"),
            )
            .with_field("areaCode"));
        }
        let mut w = self.writer.lock();
        self.commit(
            &mut w,
            vec![Mutation::PoolAdd(x, area.to_owned())],
            vec![],
            0,
        )
    }

    /// Take `x` out of the pool (its bindings stay).
    pub fn pool_remove(&self, x: Number) -> Result<()> {
        let mut w = self.writer.lock();
        self.commit(&mut w, vec![Mutation::PoolRemove(x)], vec![], 0)
    }

    /// Write a snapshot now and start an empty journal (no-op in memory).
    pub fn compact(&self) -> Result<()> {
        let mut w = self.writer.lock();
        self.snapshot(&mut w)
    }

    // ----- internals -----------------------------------------------------

    fn snapshot(&self, w: &mut Writer) -> Result<()> {
        let Some(journal) = w.journal.as_mut() else {
            return Ok(());
        };
        let payload = {
            let s = self.store.read();
            codec::encode_snapshot(self.config.mode, self.config.extension_digits, &s.dump())?
        };
        journal.write_snapshot(&payload)
    }

    fn commit(
        &self,
        w: &mut Writer,
        muts: Vec<Mutation>,
        drafts: Vec<Draft>,
        now: u64,
    ) -> Result<()> {
        if muts.is_empty() {
            return Ok(());
        }
        if let Some(journal) = w.journal.as_mut() {
            journal.append(&codec::encode_record(&muts)?)?;
        }
        {
            let mut s = self.store.write();
            let mut callbacks = self.callbacks.lock();
            for m in &muts {
                if !callbacks.is_empty() {
                    forget_callback(&s, &mut callbacks, m);
                }
                // Planned under the same writer lock, so they fit.
                s.apply(m)?;
            }
        }
        if !drafts.is_empty() {
            let mut ev = self.events.lock();
            for d in drafts {
                let seq = ev.next_seq;
                ev.next_seq += 1;
                if ev.queue.len() >= ev.max {
                    ev.queue.pop_front();
                    ev.dropped += 1;
                }
                if ev.max > 0 {
                    ev.queue.push_back(Event {
                        seq,
                        at: now,
                        kind: d.kind,
                        id: d.id,
                        previous_id: d.previous_id,
                        from: d.from,
                        to: d.to,
                        x: d.x,
                        code: d.code,
                    });
                } else {
                    ev.dropped += 1;
                }
            }
        }
        let compact = w
            .journal
            .as_ref()
            .is_some_and(|j| j.records_since_snapshot() >= self.config.compact_after);
        if compact {
            self.snapshot(w)?;
        }
        Ok(())
    }

    /// Mutations and events that remove the binding in `slot` (and, for an
    /// AXYB AX binding, its relations first).
    fn removal(
        &self,
        s: &Store,
        slot: u32,
        kind: EventKind,
        to: State,
    ) -> (Vec<Mutation>, Vec<Draft>) {
        let mut muts = Vec::new();
        let mut drafts = Vec::new();
        for c in s.children(slot).into_iter().chain([slot]) {
            let b = s.binding(c);
            drafts.push(Draft::of(&b, kind, Some(b.state), to));
            muts.push(Mutation::Del(b.id));
        }
        (muts, drafts)
    }

    fn mint_id(&self, w: &mut Writer) -> Result<BindingId> {
        let mut bytes = [0u8; 16];
        match w.id_state.as_mut() {
            Some(state) => {
                for chunk in bytes.chunks_mut(8) {
                    // splitmix64
                    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
                    let mut z = *state;
                    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
                    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
                    z ^= z >> 31;
                    chunk.copy_from_slice(&z.to_le_bytes());
                }
            }
            None => getrandom::fill(&mut bytes).map_err(|e| {
                Error::new(
                    ErrorKind::RandomUnavailable,
                    format!("cannot mint a binding id: {e}"),
                )
            })?,
        }
        Ok(BindingId::from_random(bytes))
    }

    fn check_settings(&self, shape: &ShapeRequest, s: &Settings) -> Result<()> {
        rules::check_max_duration_minutes(u32::from(s.max_duration_min)).map_err(violation)?;
        let d = u64::from(s.duration_secs);
        match shape {
            ShapeRequest::Pair { .. } => rules::check_duration_secs(d),
            ShapeRequest::Owner { .. } if d != 0 => Err(rules::Violation::invalid(
                "duration",
                "AX bindings have no lifetime (duration must be 0)",
            )),
            ShapeRequest::Owner { .. } => Ok(()),
            ShapeRequest::Extension {
                callback_lifetime_secs,
                ..
            } => axe_minutes("bindExpiredTime", d, rules::check_axe_expiry).and_then(|()| {
                axe_minutes(
                    "callbackExpiredTime",
                    u64::from(*callback_lifetime_secs),
                    rules::check_axe_callback_expiry,
                )
            }),
            ShapeRequest::AxybAx { yb_duration, .. } => rules::check_axyb_duration(d)
                .and_then(|()| rules::check_yb_duration(u64::from(*yb_duration))),
            ShapeRequest::AxybYb { yb_duration, .. } => {
                rules::check_yb_duration(u64::from(yb_duration.unwrap_or(0)))
            }
        }
        .map_err(violation)?;
        if let Some(user_data) = s.extras.as_ref().and_then(|e| e.user_data.as_deref()) {
            rules::check_user_data(user_data).map_err(violation)?;
        }
        Ok(())
    }

    /// Check that X (known) may be used for a new binding.
    fn check_x_usable(&self, s: &Store, x: Number, ax_family: bool) -> Result<()> {
        let status = s.x_status(x);
        if status == XStatus::Blacklisted {
            return Err(rule(
                pool::CODE_BLACKLISTED,
                None,
                format!("{} is blacklisted", x.masked()),
            ));
        }
        if !status.takes_new_bindings() {
            return Err(rule(
                rules::CODE_NO_RESOURCE,
                None,
                format!("{} is {status} and takes no new bindings", x.masked()),
            ));
        }
        if !s.areas.is_empty() && s.x_info(x).is_none_or(|i| i.area.is_none()) {
            let code = if ax_family {
                CODE_NOT_OWNED_AX
            } else {
                CODE_NOT_OWNED
            };
            return Err(rule(
                code,
                None,
                format!("{} is not a number of this application", x.masked()),
            ));
        }
        Ok(())
    }

    /// The rules for binding `b` on its (known) X; `own` is its own slot
    /// when it is already in the store (a confirmed request), so that it
    /// does not conflict with itself.
    fn check_shape_on(&self, s: &Store, b: &Binding, own: Option<u32>) -> Result<()> {
        let Some(x) = b.x else { return Ok(()) };
        if own.is_some() {
            // Confirming what the platform already did: only the X itself.
            return Ok(());
        }
        match &b.shape {
            Shape::Pair { a, b: bb } => {
                if s.x_info(x).is_some_and(|i| i.owner.is_some() || i.exts > 0) {
                    return Err(rule(
                        rules::CODE_ALREADY_BOUND,
                        None,
                        format!("{} is held by an owner or extensions", x.masked()),
                    ));
                }
                rules::check_axb_bind(s, x, *a, *bb).map_err(violation)
            }
            Shape::Owner { a, .. } | Shape::AxybAx { a, .. } => {
                if s.x_info(x).is_some_and(|i| !i.slots.is_empty()) && s.ax_owner(x).is_none() {
                    return Err(rule(
                        rules::CODE_X_ALLOCATED,
                        None,
                        format!("{} already carries other bindings", x.masked()),
                    ));
                }
                rules::check_ax_bind(s, *a, x).map_err(violation)
            }
            Shape::Extension { a, .. } => {
                if s.route_entry(x, *a).is_some() {
                    return Err(rule(
                        rules::CODE_ALREADY_BOUND,
                        Some("bindNum"),
                        format!("{} is already bound on {}", a.masked(), x.masked()),
                    ));
                }
                if s.x_info(x)
                    .is_some_and(|i| i.owner.is_some() || i.pairs > 0)
                {
                    return Err(rule(
                        rules::CODE_X_ALLOCATED,
                        None,
                        format!("{} already carries other bindings", x.masked()),
                    ));
                }
                Ok(())
            }
            Shape::AxybYb { .. } => Ok(()),
        }
    }

    #[allow(clippy::too_many_lines)]
    fn plan_bind(
        &self,
        s: &Store,
        w: &mut Writer,
        req: &BindRequest,
        now: u64,
        state: State,
        dry_run: bool,
    ) -> Result<Binding> {
        let mode = self.config.mode;
        let allowed = matches!(
            (mode, &req.shape),
            (Mode::Axb | Mode::X, ShapeRequest::Pair { .. })
                | (Mode::Ax | Mode::X, ShapeRequest::Owner { .. })
                | (Mode::Axe | Mode::X, ShapeRequest::Extension { .. })
                | (
                    Mode::Axyb,
                    ShapeRequest::AxybAx { .. } | ShapeRequest::AxybYb { .. }
                )
        );
        if !allowed {
            return Err(rule(
                CODE_WRONG_MODE,
                None,
                format!("a {mode} application cannot make this binding"),
            ));
        }
        if s.len() >= store::MAX_BINDINGS {
            return Err(Error::new(
                ErrorKind::RuleViolation,
                format!(
                    "this engine holds its maximum of {} bindings",
                    store::MAX_BINDINGS
                ),
            ));
        }
        self.check_settings(&req.shape, &req.settings)?;
        let id = match &req.id {
            Some(id) => {
                if s.find(id).is_some() {
                    return Err(Error::new(
                        ErrorKind::BindingExists,
                        format!("a binding {id} already exists"),
                    ));
                }
                id.clone()
            }
            None if state == State::Requested => BindingId::pending(w.next_pending),
            None if dry_run => BindingId::pending(0),
            // A seeded sequence restarts when the engine is reopened: skip
            // the ids it already handed out that are still live.
            None => loop {
                let id = self.mint_id(w)?;
                if s.find(&id).is_none() {
                    break id;
                }
            },
        };
        let mut settings = req.settings.clone();
        if settings.extras.as_ref().is_some_and(|e| e.is_empty()) {
            settings.extras = None;
        }
        let ax_family = matches!(mode, Mode::Ax | Mode::Axyb);
        let choose = |need: Need, default_area: Option<String>| -> Result<Option<Number>> {
            match &req.x {
                XChoice::Given(x) => {
                    self.check_x_usable(s, *x, ax_family)?;
                    Ok(Some(*x))
                }
                XChoice::Pick { area, fallback } => {
                    // No area given: A's own area (a fixed line's), strictly
                    // unless fall-back is asked for (PN §3.1
                    // `areaMatchMode`); a mobile A has no area, so any.
                    let area = area.clone().or(default_area);
                    let fallback = *fallback || area.is_none();
                    s.pick(need, area.as_deref(), fallback).map(Some)
                }
                XChoice::Platform if state == State::Requested => Ok(None),
                XChoice::Platform => Err(Error::new(
                    ErrorKind::InvalidArgument,
                    "the platform chooses X only for a bind request; give X or a pool area",
                )
                .with_field("relationNum")),
            }
        };
        let (shape, x) = match &req.shape {
            ShapeRequest::Pair { a, b } => {
                rules::check_party(a, "callerNum").map_err(violation)?;
                rules::check_party(b, "calleeNum").map_err(violation)?;
                let area = a.area_code().map(|n| n.as_str().to_owned());
                let x = choose(Need::Pair { a: *a, b: *b }, area)?;
                (Shape::Pair { a: *a, b: *b }, x)
            }
            ShapeRequest::Owner { a } => {
                rules::check_party(a, "origNum").map_err(violation)?;
                if s.ax_count_for(*a) >= rules::AX_MAX_X_PER_A {
                    return Err(rule(
                        rules::CODE_AX_LIMIT,
                        Some("origNum"),
                        format!("{} already holds {} X", a.masked(), rules::AX_MAX_X_PER_A),
                    ));
                }
                let x = choose(Need::Owner, None)?;
                (
                    Shape::Owner {
                        a: *a,
                        temp_callee: None,
                    },
                    x,
                )
            }
            ShapeRequest::AxybAx { a, yb_duration } => {
                rules::check_party(a, "origNum").map_err(violation)?;
                if s.ax_count_for(*a) >= rules::AX_MAX_X_PER_A {
                    return Err(rule(
                        rules::CODE_AX_LIMIT,
                        Some("origNum"),
                        format!("{} already holds {} X", a.masked(), rules::AX_MAX_X_PER_A),
                    ));
                }
                let x = choose(Need::Owner, None)?;
                (
                    Shape::AxybAx {
                        a: *a,
                        yb_duration: *yb_duration,
                    },
                    x,
                )
            }
            ShapeRequest::Extension {
                a,
                ext,
                callback,
                callback_lifetime_secs,
            } => {
                rules::check_party(a, "bindNum").map_err(violation)?;
                if let Some(cb) = callback {
                    rules::check_party(cb, "callbackNum").map_err(violation)?;
                }
                let x = choose(Need::Extension, None)?;
                let digits = self.config.extension_digits;
                let ext = match x {
                    Some(x) => {
                        // `extendNum` is honoured only with a given X (PN §5).
                        let wanted = match req.x {
                            XChoice::Given(_) => ext.as_deref(),
                            _ => None,
                        };
                        let e = rules::check_axe_bind(s, x, wanted, digits).map_err(violation)?;
                        Ext::parse(&e)?
                    }
                    None => match ext.as_deref().filter(|e| !e.is_empty()) {
                        Some(e) => {
                            rules::check_extension(e, digits).map_err(violation)?;
                            Ext::parse(e)?
                        }
                        None => Ext::new(1, digits).unwrap_or(Ext::PLACEHOLDER),
                    },
                };
                (
                    Shape::Extension {
                        a: *a,
                        ext,
                        callback: *callback,
                        callback_lifetime_secs: *callback_lifetime_secs,
                    },
                    x,
                )
            }
            ShapeRequest::AxybYb {
                parent,
                b,
                yb_duration,
            } => {
                rules::check_party(b, "origNum").map_err(violation)?;
                let pslot = s.find(parent).ok_or_else(|| not_found(parent))?;
                let p = s.binding(pslot);
                let (
                    Shape::AxybAx {
                        a: pa,
                        yb_duration: default_yb,
                    },
                    Some(px),
                ) = (&p.shape, p.x)
                else {
                    return Err(Error::new(
                        ErrorKind::InvalidArgument,
                        format!("{parent} is not a bound AXYB AX binding"),
                    )
                    .with_field("subscriptionId"));
                };
                if !p.state.is_bound() {
                    return Err(Error::new(
                        ErrorKind::InvalidTransition,
                        format!("AX binding {parent} is {}", p.state),
                    ));
                }
                if *b == *pa {
                    return Err(violation(rules::Violation::invalid(
                        "origNum",
                        "B must differ from the AX binding's A",
                    )));
                }
                if s.route_entry(px, *b).is_some() {
                    return Err(rule(
                        rules::CODE_ALREADY_BOUND,
                        Some("origNum"),
                        format!("{} already has a relation on {}", b.masked(), px.masked()),
                    ));
                }
                let y = match &req.x {
                    XChoice::Given(y) => {
                        self.check_x_usable(s, *y, true)?;
                        *y
                    }
                    XChoice::Pick { area, fallback } => s.pick(
                        Need::Y { x: px, a: *pa },
                        area.as_deref(),
                        *fallback || area.is_none(),
                    )?,
                    XChoice::Platform => {
                        return Err(Error::new(
                            ErrorKind::InvalidArgument,
                            "a YB relation needs Y given or chosen from the pool",
                        )
                        .with_field("relationNum"));
                    }
                };
                if y == px {
                    return Err(violation(rules::Violation::invalid(
                        "relationNum",
                        "Y must differ from the AX binding's X",
                    )));
                }
                if s.children(pslot).iter().any(|&c| s.rec_view(c).a == y)
                    || s.route_entry(y, *pa).is_some()
                {
                    return Err(rule(
                        rules::CODE_ALREADY_BOUND,
                        None,
                        format!("{} is already a Y of {}", y.masked(), pa.masked()),
                    ));
                }
                rules::check_yb_bind(s, y).map_err(violation)?;
                let yb = yb_duration.unwrap_or(*default_yb);
                let ax_left = p.expires_at().map_or(0, |e| e.saturating_sub(now).max(1));
                settings.duration_secs =
                    u32::try_from(rules::clamp_yb_duration(u64::from(yb), ax_left))
                        .unwrap_or(u32::MAX);
                (
                    Shape::AxybYb {
                        parent: p.id.clone(),
                        b: *b,
                        y,
                    },
                    Some(px),
                )
            }
        };
        let b = Binding {
            id,
            mode,
            x,
            shape,
            settings,
            state,
            bound_at: now,
            pending: None,
        };
        self.check_shape_on(s, &b, None)?;
        Ok(b)
    }

    /// `old` with `changes` applied and checked (the lifetime restarts at
    /// `now`).
    fn apply_changes(&self, s: &Store, old: &Binding, c: &Changes, now: u64) -> Result<Binding> {
        if !matches!(old.shape, Shape::Extension { .. }) {
            if c.callback.is_some() {
                return Err(Error::new(
                    ErrorKind::InvalidArgument,
                    "only an AXE extension has a callback number to change",
                )
                .with_field("callbackNum"));
            }
            if c.callback_lifetime_secs.is_some() {
                return Err(Error::new(
                    ErrorKind::InvalidArgument,
                    "only an AXE extension has a callback-record lifetime to change",
                )
                .with_field("callbackExpiredTime"));
            }
        }
        let mut b = old.clone();
        let st = &mut b.settings;
        if let Some(d) = c.direction {
            st.direction = d;
        }
        if let Some(r) = c.record {
            st.record = r;
        }
        if let Some(v) = c.sms {
            st.sms = v;
        }
        if let Some(m) = c.max_duration_min {
            st.max_duration_min = m;
        }
        if let Some(d) = c.duration_secs {
            st.duration_secs = d;
        }
        if let Some(e) = &c.extras {
            st.extras = (!e.is_empty()).then(|| e.clone());
        }
        let shape_req = match &old.shape {
            Shape::Pair { a, b } => ShapeRequest::Pair { a: *a, b: *b },
            Shape::Owner { a, .. } => ShapeRequest::Owner { a: *a },
            Shape::Extension {
                a,
                callback_lifetime_secs,
                ..
            } => ShapeRequest::Extension {
                a: *a,
                ext: None,
                callback: None,
                callback_lifetime_secs: c.callback_lifetime_secs.unwrap_or(*callback_lifetime_secs),
            },
            Shape::AxybAx { a, yb_duration } => ShapeRequest::AxybAx {
                a: *a,
                yb_duration: *yb_duration,
            },
            Shape::AxybYb { parent, b, .. } => ShapeRequest::AxybYb {
                parent: parent.clone(),
                b: *b,
                yb_duration: None,
            },
        };
        self.check_settings(&shape_req, &b.settings)?;
        let x = old.x.unwrap_or(Number::PLACEHOLDER);
        match &mut b.shape {
            Shape::Pair { a, b: bb } => {
                let (na, nb) = (c.a.unwrap_or(*a), c.b.unwrap_or(*bb));
                rules::check_party(&na, "callerNum").map_err(violation)?;
                rules::check_party(&nb, "calleeNum").map_err(violation)?;
                if na == nb {
                    return Err(violation(rules::Violation::invalid(
                        "calleeNum",
                        "callerNum and calleeNum must be different numbers",
                    )));
                }
                for (new, field) in [(na, "callerNum"), (nb, "calleeNum")] {
                    if new != *a && new != *bb && old.x.is_some() && s.axb_has_party(x, new) {
                        return Err(rule(
                            rules::CODE_ALREADY_BOUND,
                            Some(field),
                            format!(
                                "{field} {} is already bound on {}",
                                new.masked(),
                                x.masked()
                            ),
                        ));
                    }
                }
                *a = na;
                *bb = nb;
            }
            Shape::Owner { a, .. } | Shape::AxybAx { a, .. } => {
                if let Some(na) = c.a.filter(|na| na != a) {
                    rules::check_party(&na, "origNum").map_err(violation)?;
                    if s.ax_count_for(na) >= rules::AX_MAX_X_PER_A {
                        return Err(rule(
                            rules::CODE_AX_LIMIT,
                            Some("origNum"),
                            format!("{} already holds {} X", na.masked(), rules::AX_MAX_X_PER_A),
                        ));
                    }
                    *a = na;
                }
            }
            Shape::Extension {
                a,
                callback,
                callback_lifetime_secs,
                ..
            } => {
                if let Some(na) = c.a.filter(|na| na != a) {
                    rules::check_party(&na, "bindNum").map_err(violation)?;
                    if s.route_entry(x, na).is_some() {
                        return Err(rule(
                            rules::CODE_ALREADY_BOUND,
                            Some("bindNum"),
                            format!("{} is already bound on {}", na.masked(), x.masked()),
                        ));
                    }
                    *a = na;
                }
                if let Some(cb) = c.callback {
                    rules::check_party(&cb, "callbackNum").map_err(violation)?;
                    *callback = Some(cb);
                }
                // Checked with the settings above, as at bind time. The
                // callback records stay; their liveness follows the new
                // lifetime.
                if let Some(life) = c.callback_lifetime_secs {
                    *callback_lifetime_secs = life;
                }
            }
            Shape::AxybYb { .. } => {
                if c.a.is_some() || c.b.is_some() {
                    return Err(Error::new(
                        ErrorKind::InvalidArgument,
                        "a YB relation's numbers cannot be modified; unbind and bind again",
                    ));
                }
            }
        }
        if c.b.is_some() && !matches!(b.shape, Shape::Pair { .. }) {
            return Err(
                Error::new(ErrorKind::InvalidArgument, "only a pair has a B to change")
                    .with_field("calleeNum"),
            );
        }
        b.bound_at = now;
        Ok(b)
    }
}

/// An AXE lifetime given in seconds: whole minutes (the engine keeps AXE
/// lifetimes with `timeUnit` minutes), then `check` on the minutes.
fn axe_minutes(
    field: &'static str,
    secs: u64,
    check: fn(u64, bool) -> std::result::Result<(), rules::Violation>,
) -> std::result::Result<(), rules::Violation> {
    if secs % 60 == 0 {
        check(secs / 60, true)
    } else {
        Err(rules::Violation::invalid(
            field,
            "an AXE lifetime must be whole minutes",
        ))
    }
}

/// Drop the callback record that mutation `m` makes stale (checked
/// against the state before `m`): the binding goes away, or an extension
/// is put with another A or X than the one it had (a modified A, a
/// confirmed request, a rebind under the same id).
fn forget_callback(s: &Store, callbacks: &mut HashMap<BindingId, CallbackRecord>, m: &Mutation) {
    match m {
        Mutation::Del(id) => {
            callbacks.remove(id);
        }
        Mutation::Put(b) => {
            if let Shape::Extension { a, .. } = &b.shape {
                let same = s.find(&b.id).is_some_and(|slot| {
                    let v = s.rec_view(slot);
                    v.is_ext && v.a == *a && v.x == b.x
                });
                if !same {
                    callbacks.remove(&b.id);
                }
            }
        }
        Mutation::XStatus(..) | Mutation::PoolAdd(..) | Mutation::PoolRemove(..) => {}
    }
}
