//! Model-based test of the AXB binding engine (`privnum::engine::Engine`).
//!
//! A deterministic random sequence of operations (bind on a given X or from
//! the pool, strict or with fall-back, with given or minted ids; modify;
//! unbind; unbind by X; X status changes; pool add, move and remove; ticks;
//! calls to route) runs against the engine and against a plain model of the
//! platform rules kept in this file (PN §3, §9.5, §11, §12, §14, and the
//! choices listed in `tests/vectors/engine.json`). After every operation the
//! engine must agree with the model: accept or refuse (with the same error
//! kind, `resultcode` and field), for most binds also `check_bind`'s dry
//! run,
//! the binding it returns, the route (callee, display, `maxDuration`, record
//! flag, extras, binding; or the close reason and binding), `find_party`,
//! the events, and `len()`. Every 500 operations, and at the end, the whole
//! state is compared: every binding (`bindings`, `get`), the bindings on
//! each X, each X's status, the pool, its pressure, and the route and
//! `find_party` of every (caller, X).
//!
//! The pool is small (6 X in 2 areas, plus a spare X outside it) and so is
//! the population (40 numbers, 4 of them fixed lines), so the "a user number
//! only once per X" rule, pool exhaustion and expiry fire all the time.
//!
//! Each seed runs two legs in lock step: an in-memory engine, and one kept
//! in a temporary directory (`Engine::open`) that is dropped and reopened,
//! always with the same `id_seed`, at random points (in pairs, the second
//! soon after the first); after each reopen the restored engine must equal
//! the model. A failure names the seed, the step and the leg.
//!
//! The model follows the engine where it makes a documented choice:
//! - every change given a `now` (bind and its dry run `check_bind`, modify,
//!   unbind, unbind by X, X status) first expires every binding whose
//!   lifetime is over at `now`, exactly as `tick` does, even when the change
//!   is then refused: the Expired events come first, in expiry order, then
//!   the change's own. Routing changes nothing, so between a lifetime's end
//!   and the next change it closes calls through the binding as `expired`
//!   (route module docs); pool changes take no `now` and expire nothing.
//!   The random run makes no requests, settles or AX changes; a regression
//!   test below checks that those expire first too;
//! - a pool choice with no area uses A's own area (a fixed line's) strictly
//!   unless fall-back is asked for (PN §3.1 `areaMatchMode`), and any area
//!   (in code order) for a mobile A, which has none (pool docs);
//! - an area whose last X leaves, removed or moved to another area, goes;
//! - an engine reopened with the same `id_seed` mints the same sequence
//!   again but skips the ids of live bindings, so a minted id never names a
//!   live binding (checked at every bind);
//! - a paused or unavailable X suspends its bindings, frozen and blacklisted
//!   X only refuse new ones (`Engine::set_x_status` docs);
//! - an engine without a pool takes any X (`engine.json`).
//!
//! Four disagreements this test once found (a strict pool choice without
//! an area for a fixed-line A, moving the last X out of an area, reopening
//! with the same `id_seed`, and a binding past its lifetime still blocking
//! or taking changes until `tick`) are fixed in the engine, back in the
//! random run, and each has a small regression test at the end of this
//! file.

use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use privnum::engine::{
    AreaPressure, BindRequest, Binding, BindingId, CallIn, Changes, CloseReason, Connect,
    Direction, Engine, EngineConfig, Event, EventKind, Extras, FsyncPolicy, Mode, OpenReport,
    Outcome, Route, Settings, Shape, ShapeRequest, State, XChoice, XStatus,
};
use privnum::number::parse;
use privnum::{Error, ErrorKind, Number, NumberClass};

/// Operations per seed.
const OPS: usize = 20_000;
/// Compare the whole state this often.
const FULL_CHECK_EVERY: usize = 500;
/// Reopen the durable engine this many times per seed.
const REOPENS: usize = 5;
/// The first `now`.
const T0: u64 = 1_800_000_000;
/// At most this many pairs on one X (PN §3).
const MAX_PAIRS: usize = 5000;

const AREA_A: &str = "010";
const AREA_B: &str = "0755";
/// An area with no number in the pool.
const AREA_NONE: &str = "021";

// ---------------------------------------------------------------------------
// Randomness
// ---------------------------------------------------------------------------

/// splitmix64: small and deterministic, so a seed reproduces a run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn index(&mut self, len: usize) -> usize {
        self.below(len as u64) as usize
    }

    /// True with probability `pct` percent.
    fn chance(&mut self, pct: u64) -> bool {
        self.below(100) < pct
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.index(items.len())]
    }
}

// ---------------------------------------------------------------------------
// The numbers
// ---------------------------------------------------------------------------

fn num(s: &str) -> Number {
    parse(s).unwrap()
}

struct World {
    /// The pool at the start, by area (areas in code order, numbers
    /// ascending).
    pool: Vec<(&'static str, Vec<Number>)>,
    /// Every X of the starting pool.
    xs: Vec<Number>,
    /// An X that starts outside the application's pool.
    spare_x: Number,
    /// Who may be bound: mobiles and a few fixed lines.
    parties: Vec<Number>,
    /// Mobiles that are never bound.
    strangers: Vec<Number>,
    /// A service number: never bindable, cannot call X.
    service: Number,
}

impl World {
    fn new() -> Self {
        let mut pool = vec![
            (
                AREA_A,
                vec![
                    num("+8617000000012"),
                    num("+8617000000010"),
                    num("+8617000000011"),
                ],
            ),
            (
                AREA_B,
                vec![
                    num("+8617100000021"),
                    num("+8617100000020"),
                    num("+8617100000022"),
                ],
            ),
        ];
        for (_, xs) in &mut pool {
            xs.sort();
        }
        let xs = pool.iter().flat_map(|(_, xs)| xs.clone()).collect();
        let mut parties: Vec<Number> = (0..18)
            .flat_map(|i| {
                [
                    num(&format!("+86138000000{i:02}")),
                    num(&format!("+86139000000{i:02}")),
                ]
            })
            .collect();
        for fixed in [
            "+8675528000001",
            "+8675528000002",
            "+861062000001",
            "+861062000002",
        ] {
            let n = num(fixed);
            assert_eq!(n.class(), NumberClass::FixedLine, "{fixed}");
            parties.push(n);
        }
        assert_eq!(parties.len(), 40);
        let strangers = (0..5)
            .map(|i| num(&format!("+86137000000{i:02}")))
            .collect();
        let service = num("95588");
        assert!(!service.is_bindable() && !service.can_call_x());
        Self {
            pool,
            xs,
            spare_x: num("+8616500000099"),
            parties,
            strangers,
            service,
        }
    }

    /// Every X the test talks about: the pool and the spare one.
    fn all_xs(&self) -> Vec<Number> {
        let mut v = self.xs.clone();
        v.push(self.spare_x);
        v
    }

    /// Every caller the test routes from.
    fn all_callers(&self) -> Vec<Number> {
        let mut v = self.parties.clone();
        v.extend(&self.strangers);
        v.push(self.service);
        v
    }
}

// ---------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------

#[derive(Clone, Debug)]
enum IdSpec {
    /// `m-<key>`.
    Given,
    /// The engine mints one.
    Mint,
    /// The id of the live binding with this key: refused as a duplicate,
    /// unless its lifetime is over (the bind expires it first and then
    /// takes its id).
    Existing(u64),
}

#[derive(Clone, Debug)]
enum Target {
    Key(u64),
    /// An id no binding ever had.
    Unknown,
}

#[derive(Clone, Debug)]
enum Op {
    Bind {
        key: u64,
        id: IdSpec,
        a: Number,
        b: Number,
        x: XChoice,
        settings: Settings,
        /// Run `check_bind` first (which does the expiring then).
        dry_run: bool,
    },
    Modify {
        target: Target,
        changes: Changes,
    },
    Unbind {
        target: Target,
    },
    UnbindX {
        x: Number,
    },
    SetStatus {
        x: Number,
        status: XStatus,
    },
    Tick,
    /// `pool_add(x, area)` (adding or moving x), or `pool_remove(x)`.
    Pool {
        x: Number,
        area: Option<&'static str>,
    },
    Route {
        caller: Number,
        dialled: Number,
        at: u64,
    },
}

fn extras(user_data: &str) -> Option<Arc<Extras>> {
    Some(Arc::new(Extras {
        user_data: Some(user_data.to_owned()),
        ..Extras::default()
    }))
}

fn gen_direction(rng: &mut Rng) -> Direction {
    match rng.below(5) {
        0 => Direction::AToB,
        1 => Direction::BToA,
        _ => Direction::Both,
    }
}

fn gen_max_duration(rng: &mut Rng) -> u16 {
    if rng.chance(1) {
        1441
    } else {
        rng.pick(&[0, 0, 5, 30, 1440])
    }
}

fn gen_duration(rng: &mut Rng) -> u32 {
    match rng.below(100) {
        0 => 7_776_001,
        1 => 7_776_000,
        2..=4 => 1 + rng.below(59) as u32,
        5..=49 => 0,
        _ => 60 + rng.below(1741) as u32,
    }
}

fn gen_party(rng: &mut Rng, w: &World) -> Number {
    if rng.chance(1) {
        w.service
    } else {
        rng.pick(&w.parties)
    }
}

fn gen_op(rng: &mut Rng, w: &World, model: &Model, now: u64) -> Op {
    let live: Vec<u64> = model.pairs.keys().copied().collect();
    // Bindings whose lifetime is over but that no change has expired yet:
    // the change about to run expires them first.
    let due: Vec<u64> = model
        .pairs
        .iter()
        .filter(|(_, p)| p.expired(now))
        .map(|(&k, _)| k)
        .collect();
    let live_key = |rng: &mut Rng| {
        if !due.is_empty() && rng.chance(30) {
            rng.pick(&due)
        } else {
            rng.pick(&live)
        }
    };
    let target = |rng: &mut Rng| {
        if live.is_empty() || rng.chance(4) {
            Target::Unknown
        } else {
            Target::Key(live_key(rng))
        }
    };
    match rng.below(100) {
        0..=39 => {
            let a = gen_party(rng, w);
            let b = if rng.chance(2) { a } else { gen_party(rng, w) };
            let x = if rng.chance(50) {
                XChoice::Given(if rng.chance(8) {
                    w.spare_x
                } else {
                    rng.pick(&w.xs)
                })
            } else {
                let area = match rng.below(20) {
                    0 => Some(AREA_NONE.to_owned()),
                    1..=6 => None,
                    7..=13 => Some(AREA_A.to_owned()),
                    _ => Some(AREA_B.to_owned()),
                };
                XChoice::Pick {
                    area,
                    fallback: rng.chance(50),
                }
            };
            let settings = Settings {
                direction: gen_direction(rng),
                record: rng.chance(20),
                sms: !rng.chance(10),
                max_duration_min: gen_max_duration(rng),
                duration_secs: gen_duration(rng),
                extras: match rng.below(100) {
                    0 => extras("{bad}"),
                    1..=9 => extras(&format!("order-{}", model.next_key)),
                    _ => None,
                },
            };
            let id = match rng.below(100) {
                0..=4 if !live.is_empty() => IdSpec::Existing(live_key(rng)),
                0..=29 => IdSpec::Mint,
                _ => IdSpec::Given,
            };
            Op::Bind {
                key: model.next_key,
                id,
                a,
                b,
                x,
                settings,
                dry_run: !rng.chance(20),
            }
        }
        40..=53 => {
            let mut c = Changes::default();
            if rng.chance(15) {
                c.a = Some(gen_party(rng, w));
            }
            if rng.chance(15) {
                c.b = Some(gen_party(rng, w));
            }
            if rng.chance(30) {
                c.direction = Some(gen_direction(rng));
            }
            if rng.chance(10) {
                c.record = Some(rng.chance(50));
            }
            if rng.chance(5) {
                c.sms = Some(rng.chance(50));
            }
            if rng.chance(20) {
                c.max_duration_min = Some(gen_max_duration(rng));
            }
            if rng.chance(30) {
                c.duration_secs = Some(gen_duration(rng));
            }
            if rng.chance(5) {
                c.extras = match rng.below(4) {
                    0 => Some(Arc::new(Extras::default())),
                    1 => extras("^"),
                    _ => extras(&format!("changed-{now}")),
                };
            }
            Op::Modify {
                target: target(rng),
                changes: c,
            }
        }
        54..=60 => Op::Unbind {
            target: target(rng),
        },
        61 => Op::UnbindX { x: rng.pick(&w.xs) },
        62..=65 => {
            let x = if rng.chance(10) {
                w.spare_x
            } else {
                rng.pick(&w.xs)
            };
            let others = [
                XStatus::Paused,
                XStatus::Unavailable,
                XStatus::BindFrozen,
                XStatus::Blacklisted,
            ];
            // Mostly back to normal, so that most of the pool stays usable.
            let status = match (model.status(x), rng.below(100)) {
                (XStatus::Normal, 0..=24) => rng.pick(&others),
                (XStatus::Normal, _) => XStatus::Normal,
                (_, 0..=79) => XStatus::Normal,
                _ => rng.pick(&others),
            };
            Op::SetStatus { x, status }
        }
        66..=70 => Op::Tick,
        71..=72 => {
            let x = rng.pick(&w.all_xs());
            let area = match model.area_of(x) {
                // A move may take an area's last X: the area goes.
                Some(from) => match rng.below(100) {
                    0..=19 => None,
                    20..=49 => Some(rng.pick(&[AREA_A, AREA_B, AREA_NONE])),
                    _ => Some(from),
                },
                None => Some(rng.pick(&[AREA_A, AREA_A, AREA_B, AREA_B, AREA_NONE])),
            };
            Op::Pool { x, area }
        }
        _ => {
            let caller = match rng.below(100) {
                0..=4 => w.service,
                5..=9 => rng.pick(&w.xs),
                10..=24 => rng.pick(&w.strangers),
                _ => rng.pick(&w.parties),
            };
            let dialled = match rng.below(100) {
                0..=4 => w.spare_x,
                5..=9 => rng.pick(&w.parties),
                _ => rng.pick(&w.xs),
            };
            let pairs: Vec<&Pair> = model.pairs.values().collect();
            // Often a call right at the edge of some binding's lifetime.
            let timed: Vec<&Pair> = pairs
                .iter()
                .copied()
                .filter(|p| p.expires_at().is_some())
                .collect();
            match rng.below(100) {
                0..=19 if !timed.is_empty() => {
                    let p = rng.pick(&timed);
                    Op::Route {
                        caller: if rng.chance(50) { p.a } else { p.b },
                        dialled: p.x,
                        at: p.expires_at().unwrap() - rng.below(2),
                    }
                }
                // A party of a live pair, through that pair's X or another.
                20..=49 if !pairs.is_empty() => {
                    let p = rng.pick(&pairs);
                    Op::Route {
                        caller: if rng.chance(50) { p.a } else { p.b },
                        dialled: if rng.chance(80) { p.x } else { dialled },
                        at: now,
                    }
                }
                _ => Op::Route {
                    caller,
                    dialled,
                    at: now,
                },
            }
        }
    }
}

// ---------------------------------------------------------------------------
// The model
// ---------------------------------------------------------------------------

/// A pair the model holds.
#[derive(Clone, Debug)]
struct Pair {
    x: Number,
    a: Number,
    b: Number,
    settings: Settings,
    bound_at: u64,
    state: State,
}

impl Pair {
    fn expires_at(&self) -> Option<u64> {
        (self.settings.duration_secs > 0)
            .then(|| self.bound_at + u64::from(self.settings.duration_secs))
    }

    fn expired(&self, now: u64) -> bool {
        self.expires_at().is_some_and(|e| e <= now)
    }

    /// The pair as the engine reports it, under `id`.
    fn binding(&self, id: BindingId) -> Binding {
        Binding {
            id,
            mode: Mode::Axb,
            x: Some(self.x),
            shape: Shape::Pair {
                a: self.a,
                b: self.b,
            },
            settings: self.settings.clone(),
            state: self.state,
            bound_at: self.bound_at,
            pending: None,
        }
    }
}

/// The engine's platform codes as `&'static str`, so [`Refusal`] stays
/// `Copy`: `Error::platform_code` borrows from the error. Each distinct code
/// is allocated once (the engine only uses a handful).
fn intern_code(code: &str) -> &'static str {
    static SEEN: std::sync::Mutex<Vec<&'static str>> = std::sync::Mutex::new(Vec::new());
    let mut seen = SEEN
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(&known) = seen.iter().find(|&&c| c == code) {
        return known;
    }
    let owned: &'static str = Box::leak(code.to_owned().into_boxed_str());
    seen.push(owned);
    owned
}

/// A refusal: error kind, platform `resultcode`, request field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Refusal {
    kind: ErrorKind,
    code: Option<&'static str>,
    field: Option<&'static str>,
}

impl Refusal {
    fn of(e: &Error) -> Self {
        Self {
            kind: e.kind(),
            code: e.platform_code().map(intern_code),
            field: e.field(),
        }
    }

    fn rule(code: &'static str, field: Option<&'static str>) -> Self {
        Self {
            kind: ErrorKind::RuleViolation,
            code: Some(code),
            field,
        }
    }

    fn invalid(field: &'static str) -> Self {
        Self::rule("1010002", Some(field))
    }

    fn plain(kind: ErrorKind) -> Self {
        Self {
            kind,
            code: None,
            field: None,
        }
    }

    fn label(&self) -> String {
        format!(
            "{}/{}/{}",
            self.kind.name(),
            self.code.unwrap_or("-"),
            self.field.unwrap_or("-")
        )
    }
}

/// The model's route answer; bindings named by model key.
#[derive(Clone, Debug, PartialEq, Eq)]
enum ExpRoute {
    Connect {
        callee: Number,
        display: Number,
        max: u16,
        record: bool,
        key: u64,
        extras: Option<Arc<Extras>>,
    },
    Close {
        reason: CloseReason,
        key: Option<u64>,
    },
}

/// An event the model expects: kind, binding, from, to, X.
type ExpEvent = (EventKind, u64, Option<State>, State, Number);

struct Model {
    pairs: BTreeMap<u64, Pair>,
    status: HashMap<Number, XStatus>,
    pool: Vec<(&'static str, Vec<Number>)>,
    next_key: u64,
}

impl Model {
    fn new() -> Self {
        Self {
            pairs: BTreeMap::new(),
            status: HashMap::new(),
            pool: Vec::new(),
            next_key: 0,
        }
    }

    fn status(&self, x: Number) -> XStatus {
        self.status.get(&x).copied().unwrap_or_default()
    }

    fn in_pool(&self, x: Number) -> bool {
        self.area_of(x).is_some()
    }

    fn area_of(&self, x: Number) -> Option<&'static str> {
        self.pool
            .iter()
            .find_map(|(a, xs)| xs.contains(&x).then_some(*a))
    }

    fn area_len(&self, area: &str) -> usize {
        self.pool
            .iter()
            .find(|(a, _)| *a == area)
            .map_or(0, |(_, xs)| xs.len())
    }

    /// Take `x` out of the pool (an area left without numbers goes), and
    /// put it in `area` if given.
    fn pool_set(&mut self, x: Number, area: Option<&'static str>) {
        for (_, xs) in &mut self.pool {
            xs.retain(|&n| n != x);
        }
        self.pool.retain(|(_, xs)| !xs.is_empty());
        if let Some(area) = area {
            match self.pool.iter_mut().find(|(a, _)| *a == area) {
                Some((_, xs)) => {
                    xs.push(x);
                    xs.sort();
                }
                None => {
                    self.pool.push((area, vec![x]));
                    self.pool.sort_by_key(|(a, _)| *a);
                }
            }
        }
    }

    fn pairs_on(&self, x: Number) -> usize {
        self.pairs.values().filter(|p| p.x == x).count()
    }

    /// Whether `party` is A or B of a pair on `x`.
    fn party_on(&self, x: Number, party: Number) -> bool {
        self.pairs
            .values()
            .any(|p| p.x == x && (p.a == party || p.b == party))
    }

    /// The pair through which `caller` reaches someone by dialling `x`, and
    /// whether the caller is its A.
    fn find(&self, x: Number, caller: Number) -> Option<(u64, bool)> {
        self.pairs.iter().find_map(|(&k, p)| {
            (p.x == x && (p.a == caller || p.b == caller)).then_some((k, p.a == caller))
        })
    }

    /// The settings rules, in the engine's order (`maxDuration`, then
    /// `duration`, then `userData`).
    fn check_settings(s: &Settings) -> Result<(), Refusal> {
        if s.max_duration_min > 1440 {
            return Err(Refusal::invalid("maxDuration"));
        }
        if s.duration_secs > 7_776_000 {
            return Err(Refusal::invalid("duration"));
        }
        if let Some(d) = s.extras.as_ref().and_then(|e| e.user_data.as_deref()) {
            if d.is_empty() || d.len() > 256 || d.contains(['{', '}', '^']) {
                return Err(Refusal::invalid("userData"));
            }
        }
        Ok(())
    }

    /// Whether `x` can take the new pair (a, b) from the pool.
    fn candidate(&self, x: Number, a: Number, b: Number) -> bool {
        self.status(x) == XStatus::Normal
            && !self.party_on(x, a)
            && !self.party_on(x, b)
            && self.pairs_on(x) < MAX_PAIRS
    }

    /// The pool's choice: in an area, the X that already carries the most
    /// pairs, ties to the lowest number. The requested area (without one,
    /// A's own area: a fixed line's) first, then, with fall-back, the other
    /// areas in code order; with no area at all (a mobile A), every area in
    /// code order (PN §3.1 `areaMatchMode`).
    fn pick(&self, a: Number, b: Number, area: Option<&str>, fallback: bool) -> Option<Number> {
        let area = area
            .map(str::to_owned)
            .or_else(|| a.area_code().map(|c| c.as_str().to_owned()));
        let fallback = fallback || area.is_none();
        let best_in = |xs: &[Number]| {
            xs.iter()
                .copied()
                .filter(|&x| self.candidate(x, a, b))
                .max_by_key(|&x| (self.pairs_on(x), Reverse(x)))
        };
        if let Some(area) = &area {
            if let Some((_, xs)) = self.pool.iter().find(|(n, _)| n == area) {
                if let Some(x) = best_in(xs) {
                    return Some(x);
                }
            }
            if !fallback {
                return None;
            }
        }
        self.pool
            .iter()
            .filter(|(n, _)| Some(*n) != area.as_deref())
            .find_map(|(_, xs)| best_in(xs))
    }

    fn expect_bind(
        &self,
        id: &IdSpec,
        a: Number,
        b: Number,
        x: &XChoice,
        settings: &Settings,
        now: u64,
    ) -> Result<Pair, Refusal> {
        Self::check_settings(settings)?;
        if let IdSpec::Existing(k) = id {
            // Gone when its lifetime was over: the id is free again.
            if self.pairs.contains_key(k) {
                return Err(Refusal::plain(ErrorKind::BindingExists));
            }
        }
        if !a.is_bindable() {
            return Err(Refusal::invalid("callerNum"));
        }
        if !b.is_bindable() {
            return Err(Refusal::invalid("calleeNum"));
        }
        let x = match x {
            XChoice::Given(x) => {
                match self.status(*x) {
                    XStatus::Blacklisted => return Err(Refusal::rule("1012102", None)),
                    XStatus::Normal => {}
                    _ => return Err(Refusal::rule("1012008", None)),
                }
                // An engine without a pool takes any X (engine.json).
                if !self.pool.is_empty() && !self.in_pool(*x) {
                    return Err(Refusal::rule("1012001", None));
                }
                *x
            }
            XChoice::Pick { area, fallback } => {
                self.pick(a, b, area.as_deref(), *fallback).ok_or(Refusal {
                    kind: ErrorKind::PoolExhausted,
                    code: Some("1012008"),
                    field: None,
                })?
            }
            XChoice::Platform => unreachable!("the test never leaves X to the platform"),
        };
        if a == b {
            return Err(Refusal::invalid("calleeNum"));
        }
        if self.party_on(x, a) {
            return Err(Refusal::rule("1012010", Some("callerNum")));
        }
        if self.party_on(x, b) {
            return Err(Refusal::rule("1012010", Some("calleeNum")));
        }
        if self.pairs_on(x) >= MAX_PAIRS {
            return Err(Refusal::rule("1012008", None));
        }
        let mut settings = settings.clone();
        if settings.extras.as_ref().is_some_and(|e| e.is_empty()) {
            settings.extras = None;
        }
        Ok(Pair {
            x,
            a,
            b,
            settings,
            bound_at: now,
            state: State::Active,
        })
    }

    fn expect_modify(&self, key: u64, c: &Changes, now: u64) -> Result<Pair, Refusal> {
        let old = &self.pairs[&key];
        let mut p = old.clone();
        let s = &mut p.settings;
        if let Some(d) = c.direction {
            s.direction = d;
        }
        if let Some(r) = c.record {
            s.record = r;
        }
        if let Some(v) = c.sms {
            s.sms = v;
        }
        if let Some(m) = c.max_duration_min {
            s.max_duration_min = m;
        }
        if let Some(d) = c.duration_secs {
            s.duration_secs = d;
        }
        if let Some(e) = &c.extras {
            s.extras = (!e.is_empty()).then(|| e.clone());
        }
        Self::check_settings(&p.settings)?;
        let (na, nb) = (c.a.unwrap_or(old.a), c.b.unwrap_or(old.b));
        if !na.is_bindable() {
            return Err(Refusal::invalid("callerNum"));
        }
        if !nb.is_bindable() {
            return Err(Refusal::invalid("calleeNum"));
        }
        if na == nb {
            return Err(Refusal::invalid("calleeNum"));
        }
        // A new party must not already be on X (its own pair's parties may
        // swap places).
        for (new, field) in [(na, "callerNum"), (nb, "calleeNum")] {
            if new != old.a && new != old.b && self.party_on(old.x, new) {
                return Err(Refusal::rule("1012010", Some(field)));
            }
        }
        p.a = na;
        p.b = nb;
        p.bound_at = now;
        p.state = if self.status(old.x).is_down() {
            State::Suspended
        } else {
            State::Active
        };
        Ok(p)
    }

    fn expect_route(&self, caller: Number, dialled: Number, at: u64) -> ExpRoute {
        let close = |reason, key| ExpRoute::Close { reason, key };
        if !caller.can_call_x() {
            return close(CloseReason::CallerCannotCallX, None);
        }
        let Some((key, caller_is_a)) = self.find(dialled, caller) else {
            return close(CloseReason::NoBinding, None);
        };
        let p = &self.pairs[&key];
        if p.expired(at) {
            return close(CloseReason::Expired, Some(key));
        }
        if self.status(dialled).is_down() {
            return close(CloseReason::XUnavailable, Some(key));
        }
        let d = p.settings.direction;
        let (callee, allowed) = if caller_is_a {
            (p.b, d != Direction::BToA)
        } else {
            (p.a, d != Direction::AToB)
        };
        if !allowed {
            return close(CloseReason::DirectionNotAllowed, Some(key));
        }
        ExpRoute::Connect {
            callee,
            display: dialled,
            max: p.settings.max_duration_min,
            record: p.settings.record,
            key,
            extras: p.settings.extras.clone(),
        }
    }

    fn remove(&mut self, key: u64, kind: EventKind, to: State) -> ExpEvent {
        let p = self.pairs.remove(&key).unwrap();
        (kind, key, Some(p.state), to, p.x)
    }

    /// Expire every pair whose lifetime is over at `now`, as `tick` (and
    /// every change given a `now`, first) does. Returns the Expired events
    /// with each pair's end of lifetime, in the engine's order: by end of
    /// lifetime (among pairs that end in the same second the engine goes
    /// by slot, which the model does not know; here by key).
    fn expire(&mut self, now: u64) -> Vec<(u64, ExpEvent)> {
        let mut due: Vec<(u64, u64)> = self
            .pairs
            .iter()
            .filter(|(_, p)| p.expired(now))
            .map(|(&k, p)| (p.expires_at().unwrap(), k))
            .collect();
        due.sort_unstable();
        due.into_iter()
            .map(|(at, k)| (at, self.remove(k, EventKind::Expired, State::Expired)))
            .collect()
    }

    /// The pressure of each area, as `Engine::pool_pressure` reports it.
    fn pressure(&self) -> Vec<AreaPressure> {
        self.pool
            .iter()
            .map(|(area, xs)| {
                let usable = xs
                    .iter()
                    .filter(|&&x| self.status(x) == XStatus::Normal)
                    .count();
                let bindings: usize = xs.iter().map(|&x| self.pairs_on(x)).sum();
                let free: usize = xs
                    .iter()
                    .filter(|&&x| self.status(x) == XStatus::Normal)
                    .map(|&x| MAX_PAIRS - self.pairs_on(x))
                    .sum();
                let mut per_party: HashMap<Number, usize> = HashMap::new();
                for p in self.pairs.values().filter(|p| xs.contains(&p.x)) {
                    *per_party.entry(p.a).or_default() += 1;
                    *per_party.entry(p.b).or_default() += 1;
                }
                let busiest = per_party.values().copied().max().unwrap_or(0);
                let capacity = usable * MAX_PAIRS;
                AreaPressure {
                    area: (*area).to_owned(),
                    numbers: xs.len(),
                    usable,
                    bindings,
                    capacity,
                    free,
                    utilization: if capacity == 0 {
                        1.0
                    } else {
                        (capacity - free) as f64 / capacity as f64
                    },
                    busiest_party_pairs: busiest,
                    busiest_party_headroom: usable.saturating_sub(busiest),
                }
            })
            .collect()
    }
}

/// What an operation is expected to do.
enum Expect {
    Bind(Result<Pair, Refusal>),
    Modify(Result<Pair, Refusal>),
    /// Unbind, pool changes: done or refused.
    Done(Result<(), Refusal>),
    /// unbind_x, set_x_status, tick: how many bindings changed.
    Count(usize),
    Route(ExpRoute),
}

// ---------------------------------------------------------------------------
// A leg: one engine and the ids it gave the model's bindings
// ---------------------------------------------------------------------------

struct Leg {
    name: &'static str,
    engine: Option<Engine>,
    /// Model key → the engine's id (minted ids differ between legs).
    ids: HashMap<u64, BindingId>,
    keys: HashMap<BindingId, u64>,
    /// The durable leg's directory.
    dir: Option<PathBuf>,
    seed: u64,
    opened: u64,
    next_seq: u64,
}

impl Leg {
    fn memory(seed: u64) -> Self {
        let mut config = EngineConfig::new(Mode::Axb);
        config.id_seed = Some(seed);
        Self::with("memory", Engine::new(config).unwrap(), None, seed)
    }

    fn durable(seed: u64, dir: PathBuf) -> Self {
        let (engine, report) = Engine::open(&dir, durable_config(seed)).unwrap();
        assert_eq!(report, OpenReport::default());
        Self::with("durable", engine, Some(dir), seed)
    }

    fn with(name: &'static str, engine: Engine, dir: Option<PathBuf>, seed: u64) -> Self {
        Self {
            name,
            engine: Some(engine),
            ids: HashMap::new(),
            keys: HashMap::new(),
            dir,
            seed,
            opened: 0,
            next_seq: 1,
        }
    }

    fn e(&self) -> &Engine {
        self.engine.as_ref().unwrap()
    }

    fn id(&self, key: u64) -> BindingId {
        self.ids[&key].clone()
    }

    fn key(&self, id: &BindingId, ctx: &Ctx<'_>) -> u64 {
        *self
            .keys
            .get(id)
            .unwrap_or_else(|| panic!("{ctx}: the engine names a binding {id} it never made"))
    }

    fn learn(&mut self, key: u64, id: BindingId, ctx: &Ctx<'_>) {
        // A minted id never names a live binding, even after a reopen with
        // the same `id_seed` (the engine skips those).
        assert!(
            !self.keys.contains_key(&id),
            "{ctx}: the engine gave a new binding the id {id} of a live one"
        );
        self.keys.insert(id.clone(), key);
        self.ids.insert(key, id);
    }

    fn forget(&mut self, key: u64) {
        if let Some(id) = self.ids.remove(&key) {
            self.keys.remove(&id);
        }
    }

    fn route(&self, r: &ExpRoute) -> Route {
        match r {
            ExpRoute::Connect {
                callee,
                display,
                max,
                record,
                key,
                extras,
            } => Route::Connect(Connect {
                callee: *callee,
                display: *display,
                max_duration_min: *max,
                record: *record,
                binding: self.id(*key),
                extras: extras.clone(),
            }),
            ExpRoute::Close { reason, key } => Route::Close {
                reason: *reason,
                binding: key.map(|k| self.id(k)),
            },
        }
    }

    fn binding(&self, key: u64, p: &Pair) -> Binding {
        p.binding(self.id(key))
    }

    /// Drop the durable engine and open its directory again.
    fn reopen(&mut self, model: &Model, ctx: &Ctx<'_>) -> OpenReport {
        self.engine = None;
        self.opened += 1;
        // The same `id_seed` each time: the id sequence starts again, and
        // the engine must skip the ids of live bindings (`learn` checks).
        let (engine, report) = Engine::open(self.dir.as_ref().unwrap(), durable_config(self.seed))
            .unwrap_or_else(|e| panic!("{ctx}: reopening failed: {e:?}"));
        assert_eq!(report.bindings, model.pairs.len(), "{ctx}: {report:?}");
        assert_eq!(report.torn_tail, None, "{ctx}");
        self.engine = Some(engine);
        self.next_seq = 1;
        assert!(
            self.e().poll_events(1).is_empty(),
            "{ctx}: events after reopen"
        );
        report
    }
}

fn durable_config(seed: u64) -> EngineConfig {
    let mut c = EngineConfig::new(Mode::Axb);
    c.fsync = FsyncPolicy::Never;
    // Small, so that reopening replays a snapshot and a journal.
    c.compact_after = 300;
    c.id_seed = Some(seed);
    c
}

/// Where a failure happened.
struct Ctx<'a> {
    seed: u64,
    step: usize,
    leg: &'static str,
    now: u64,
    op: Option<&'a Op>,
}

impl fmt::Display for Ctx<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "seed {:#x} step {} leg {} now {}",
            self.seed, self.step, self.leg, self.now
        )?;
        if let Some(op) = self.op {
            write!(f, " op {op:?}")?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------

/// What one operation is expected to emit: first the Expired events of
/// the bindings whose lifetime was over (with each one's end of lifetime),
/// then the operation's own.
struct StepEvents {
    expired: Vec<(u64, ExpEvent)>,
    own: Vec<ExpEvent>,
}

/// The events `leg` emitted since the last call must be `want`: the
/// Expired ones first, in order of end of lifetime (in any order among
/// those ending in the same second, where the engine goes by slot), then
/// the operation's own (in any order, since the engine's order there is by
/// slot). The bindings expired are forgotten before the new binding's id
/// (`bound`) is learnt, since the bind may reuse the id of one that just
/// expired.
fn check_events(
    leg: &mut Leg,
    want: &StepEvents,
    bound: Option<(u64, BindingId)>,
    now: u64,
    ctx: &Ctx<'_>,
) {
    let got: Vec<Event> = leg.e().poll_events(usize::MAX);
    for e in &got {
        assert_eq!(e.seq, leg.next_seq, "{ctx}: event numbering {e:?}");
        leg.next_seq += 1;
        assert_eq!(e.at, now, "{ctx}: {e:?}");
        assert_eq!((&e.previous_id, &e.code), (&None, &None), "{ctx}: {e:?}");
    }
    let n = got
        .iter()
        .take_while(|e| e.kind == EventKind::Expired)
        .count();
    assert_eq!(n, want.expired.len(), "{ctx}: Expired events first {got:?}");
    let to_exp = |leg: &Leg, e: &Event| {
        (
            e.kind,
            leg.key(&e.id, ctx),
            e.from,
            e.to,
            e.x.unwrap_or_else(|| panic!("{ctx}: event without X {e:?}")),
        )
    };
    let ends: HashMap<u64, u64> = want.expired.iter().map(|(at, e)| (e.1, *at)).collect();
    let mut expired: Vec<(u64, ExpEvent)> = got[..n]
        .iter()
        .map(|e| {
            let e = to_exp(leg, e);
            (ends.get(&e.1).copied().unwrap_or(u64::MAX), e)
        })
        .collect();
    assert!(
        expired.windows(2).all(|p| p[0].0 <= p[1].0),
        "{ctx}: Expired events out of order {expired:?}"
    );
    expired.sort_by_key(|(at, e)| (*at, e.1));
    assert_eq!(expired, want.expired, "{ctx}: Expired events");
    for (_, e) in &want.expired {
        leg.forget(e.1);
    }
    if let Some((key, id)) = bound {
        leg.learn(key, id, ctx);
    }
    let mut own: Vec<ExpEvent> = got[n..].iter().map(|e| to_exp(leg, e)).collect();
    own.sort_by_key(|e| e.1);
    let mut want_own = want.own.clone();
    want_own.sort_by_key(|e| e.1);
    assert_eq!(own, want_own, "{ctx}: events");
}

fn check_route(leg: &Leg, model: &Model, caller: Number, dialled: Number, at: u64, ctx: &Ctx<'_>) {
    let want = leg.route(&model.expect_route(caller, dialled, at));
    let got = leg.e().route(
        &CallIn {
            caller,
            dialled,
            ext: None,
        },
        at,
    );
    assert_eq!(
        got, want,
        "{ctx}: route {caller:?} dialling {dialled:?} at {at}"
    );
}

/// Compare the whole engine with the model.
fn check_full(leg: &Leg, model: &Model, w: &World, now: u64, ctx: &Ctx<'_>) {
    let e = leg.e();
    assert_eq!(e.len(), model.pairs.len(), "{ctx}: len");
    let mut got: Vec<(u64, Binding)> = e
        .bindings()
        .into_iter()
        .map(|b| (leg.key(&b.id, ctx), b))
        .collect();
    got.sort_by_key(|(k, _)| *k);
    let want: Vec<(u64, Binding)> = model
        .pairs
        .iter()
        .map(|(&k, p)| (k, leg.binding(k, p)))
        .collect();
    assert_eq!(got, want, "{ctx}: bindings");
    for (k, b) in &want {
        assert_eq!(e.get(&b.id).as_ref(), Some(b), "{ctx}: get {k}");
    }
    for x in w.all_xs() {
        let mut on: Vec<u64> = e
            .bindings_on(x)
            .iter()
            .map(|b| leg.key(&b.id, ctx))
            .collect();
        on.sort_unstable();
        let want_on: Vec<u64> = model
            .pairs
            .iter()
            .filter(|(_, p)| p.x == x)
            .map(|(&k, _)| k)
            .collect();
        assert_eq!(on, want_on, "{ctx}: bindings on {x:?}");
        assert_eq!(e.x_status(x), model.status(x), "{ctx}: status of {x:?}");
    }
    let pool: Vec<(String, Vec<Number>)> = model
        .pool
        .iter()
        .map(|(a, xs)| ((*a).to_owned(), xs.clone()))
        .collect();
    assert_eq!(e.pool(), pool, "{ctx}: pool");
    assert_eq!(e.pool_pressure(), model.pressure(), "{ctx}: pressure");
    for caller in w.all_callers() {
        for x in w.all_xs() {
            check_route(leg, model, caller, x, now, ctx);
            let found = e.find_party(x, caller).map(|b| leg.key(&b.id, ctx));
            let want = model.find(x, caller).map(|(k, _)| k);
            assert_eq!(found, want, "{ctx}: find_party {caller:?} on {x:?}");
        }
    }
}

// ---------------------------------------------------------------------------
// Running one operation
// ---------------------------------------------------------------------------

impl Op {
    /// Whether the operation is a change given a `now`, which first expires
    /// every binding whose lifetime is over (routing and pool changes are
    /// not).
    fn expires_first(&self) -> bool {
        !matches!(self, Self::Pool { .. } | Self::Route { .. })
    }
}

/// What `op` is expected to do, the model having already expired what was
/// due (`expired` bindings; `tick` counts them).
fn expect(model: &Model, op: &Op, now: u64, expired: usize) -> Expect {
    // A binding whose lifetime was over is gone by the time the change
    // looks for it.
    let found = |target: &Target| match target {
        Target::Key(k) if model.pairs.contains_key(k) => Some(*k),
        _ => None,
    };
    match op {
        Op::Bind {
            id,
            a,
            b,
            x,
            settings,
            ..
        } => Expect::Bind(model.expect_bind(id, *a, *b, x, settings, now)),
        Op::Modify { target, changes } => Expect::Modify(match found(target) {
            Some(k) => model.expect_modify(k, changes, now),
            None => Err(Refusal::plain(ErrorKind::BindingNotFound)),
        }),
        Op::Unbind { target } => Expect::Done(match found(target) {
            Some(_) => Ok(()),
            None => Err(Refusal::plain(ErrorKind::BindingNotFound)),
        }),
        Op::UnbindX { x } => Expect::Count(model.pairs_on(*x)),
        Op::SetStatus { x, status } => {
            let from = if status.is_down() {
                State::Active
            } else {
                State::Suspended
            };
            Expect::Count(
                model
                    .pairs
                    .values()
                    .filter(|p| p.x == *x && p.state == from)
                    .count(),
            )
        }
        Op::Tick => Expect::Count(expired),
        Op::Pool { .. } => Expect::Done(Ok(())),
        Op::Route {
            caller,
            dialled,
            at,
        } => Expect::Route(model.expect_route(*caller, *dialled, *at)),
    }
}

fn unknown_id() -> BindingId {
    BindingId::new("no-such-binding").unwrap()
}

/// Run `op` on `leg`'s engine and compare the answer with `want`. Returns
/// the id a successful bind got.
fn run(leg: &mut Leg, op: &Op, want: &Expect, now: u64, ctx: &Ctx<'_>) -> Option<BindingId> {
    let e = leg.e();
    let done = |r: &Result<(), Error>, want: &Result<(), Refusal>| {
        let got = r.as_ref().map(|_| ()).map_err(Refusal::of);
        assert_eq!(&got, want, "{ctx}: {r:?}");
    };
    match (op, want) {
        (
            Op::Bind {
                key,
                id,
                a,
                b,
                x,
                settings,
                dry_run,
            },
            Expect::Bind(want),
        ) => {
            let req = BindRequest {
                shape: ShapeRequest::Pair { a: *a, b: *b },
                x: x.clone(),
                settings: settings.clone(),
                id: match id {
                    IdSpec::Given => Some(BindingId::new(&format!("m-{key}")).unwrap()),
                    IdSpec::Mint => None,
                    IdSpec::Existing(k) => Some(leg.id(*k)),
                },
            };
            // The dry run must agree with the bind and change nothing but
            // expire what is due (which the bind then finds done).
            if *dry_run {
                let dry = e.check_bind(&req, now);
                match (&dry, want) {
                    (Ok(b), Ok(p)) => {
                        let id = req.id.clone().unwrap_or_else(|| BindingId::pending(0));
                        assert_eq!(b, &p.binding(id), "{ctx}: check_bind");
                    }
                    (dry, want) => {
                        let dry = dry.as_ref().map(|b| b.x).map_err(Refusal::of);
                        let want = want.as_ref().map(|p| Some(p.x)).map_err(|r| *r);
                        assert_eq!(dry, want, "{ctx}: check_bind");
                    }
                }
            }
            let got = e.bind(&req, now);
            match (got, want) {
                (Ok(b), Ok(p)) => {
                    if let Some(given) = &req.id {
                        assert_eq!(&b.id, given, "{ctx}");
                    } else {
                        assert!(!b.id.is_pending(), "{ctx}: {b:?}");
                    }
                    assert_eq!(b, p.binding(b.id.clone()), "{ctx}: bound");
                    return Some(b.id);
                }
                (got, want) => {
                    let got = got.map(|b| b.x).map_err(|e| Refusal::of(&e));
                    let want = want.as_ref().map(|p| Some(p.x)).map_err(|r| *r);
                    assert_eq!(got, want, "{ctx}: bind");
                }
            }
        }
        (Op::Modify { target, changes }, Expect::Modify(want)) => {
            let (key, id) = match target {
                Target::Key(k) => (Some(*k), leg.id(*k)),
                Target::Unknown => (None, unknown_id()),
            };
            let got = e.modify(&id, changes, now);
            match (got, want) {
                (Ok(b), Ok(p)) => {
                    assert_eq!(b, leg.binding(key.unwrap(), p), "{ctx}: modified");
                }
                (got, want) => {
                    let got = got.map(|_| ()).map_err(|e| Refusal::of(&e));
                    let want = want.as_ref().map(|_| ()).map_err(|r| *r);
                    assert_eq!(got, want, "{ctx}: modify");
                }
            }
        }
        (Op::Unbind { target }, Expect::Done(want)) => {
            let id = match target {
                Target::Key(k) => leg.id(*k),
                Target::Unknown => unknown_id(),
            };
            done(&e.unbind(&id, now), want);
        }
        (Op::UnbindX { x }, Expect::Count(n)) => {
            assert_eq!(e.unbind_x(*x, now).unwrap(), *n, "{ctx}: unbind_x");
        }
        (Op::SetStatus { x, status }, Expect::Count(n)) => {
            assert_eq!(
                e.set_x_status(*x, *status, now).unwrap(),
                *n,
                "{ctx}: set_x_status"
            );
        }
        (Op::Tick, Expect::Count(n)) => {
            assert_eq!(e.tick(now).unwrap(), *n, "{ctx}: tick");
        }
        (Op::Pool { x, area }, Expect::Done(want)) => {
            let r = match area {
                Some(area) => e.pool_add(*x, area),
                None => e.pool_remove(*x),
            };
            done(&r, want);
        }
        // Routes are compared before `run` (they change nothing).
        (Op::Route { .. }, Expect::Route(_)) => {}
        _ => unreachable!(),
    }
    None
}

/// Apply `op` to the model (its expected outcome is `want`); returns the
/// events it expects and the keys of the bindings it removed.
fn apply(model: &mut Model, op: &Op, want: Expect) -> (Vec<ExpEvent>, Vec<u64>) {
    let mut events = Vec::new();
    let mut removed = Vec::new();
    match (op, want) {
        (Op::Bind { key, .. }, Expect::Bind(Ok(p))) => {
            events.push((EventKind::Bound, *key, None, State::Active, p.x));
            model.pairs.insert(*key, p);
        }
        (Op::Modify { target, .. }, Expect::Modify(Ok(p))) => {
            let Target::Key(k) = target else {
                unreachable!()
            };
            let old = model.pairs.insert(*k, p.clone()).unwrap();
            events.push((EventKind::Modified, *k, Some(old.state), p.state, p.x));
        }
        (
            Op::Unbind {
                target: Target::Key(k),
            },
            Expect::Done(Ok(())),
        ) => {
            events.push(model.remove(*k, EventKind::Unbound, State::Unbound));
            removed.push(*k);
        }
        (Op::UnbindX { x }, _) => {
            let keys: Vec<u64> = model
                .pairs
                .iter()
                .filter(|(_, p)| p.x == *x)
                .map(|(&k, _)| k)
                .collect();
            for k in keys {
                events.push(model.remove(k, EventKind::Unbound, State::Unbound));
                removed.push(k);
            }
        }
        (Op::SetStatus { x, status }, _) => {
            for (&k, p) in model.pairs.iter_mut().filter(|(_, p)| p.x == *x) {
                let (from, to, kind) = if status.is_down() {
                    (State::Active, State::Suspended, EventKind::Suspended)
                } else {
                    (State::Suspended, State::Active, EventKind::Resumed)
                };
                if p.state == from {
                    p.state = to;
                    events.push((kind, k, Some(from), to, p.x));
                }
            }
            model.status.insert(*x, *status);
        }
        (Op::Pool { x, area }, _) => model.pool_set(*x, *area),
        // A tick only expires, which the model did before the operation.
        _ => {}
    }
    (events, removed)
}

// ---------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------

/// Removes the directory when the run ends, passed or not.
struct TempDir(PathBuf);

impl TempDir {
    /// A new directory's path (`Engine::open` makes it).
    fn new(name: &str) -> Self {
        Self(std::env::temp_dir().join(format!(
            "privnum-engine-model-{}-{name}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
        )))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// What a run saw, to check that the generator reaches every rule.
#[derive(Default)]
struct Stats(BTreeMap<String, usize>);

impl Stats {
    fn add(&mut self, what: impl Into<String>) {
        *self.0.entry(what.into()).or_default() += 1;
    }

    fn get(&self, what: &str) -> usize {
        self.0.get(what).copied().unwrap_or(0)
    }
}

/// Record what `op` is about to do; `model` has already expired the
/// `expired` bindings that were due.
fn record(stats: &mut Stats, op: &Op, want: &Expect, model: &Model, expired: usize) {
    // A target (or id) whose binding just expired.
    let gone = |k: &u64| !model.pairs.contains_key(k);
    let what = match (op, want) {
        (Op::Bind { a, x, id, .. }, Expect::Bind(r)) => {
            let how = match x {
                XChoice::Given(_) => "given",
                XChoice::Pick { fallback: true, .. } => "pick-fallback",
                XChoice::Pick { area: None, .. } if a.area_code().is_some() => "pick-own-area",
                _ => "pick-strict",
            };
            if let (IdSpec::Existing(k), Ok(_)) = (id, r) {
                if gone(k) {
                    stats.add("bind takes an expired binding's id");
                }
            }
            match r {
                Ok(_) => format!("bind {how} ok"),
                Err(e) => format!("bind {how} {}", e.label()),
            }
        }
        (Op::Modify { target, .. }, Expect::Modify(r)) => match (r, target) {
            (Err(_), Target::Key(k)) if gone(k) => "modify expired".to_owned(),
            (Ok(p), _) if p.state == State::Suspended => "modify ok suspended".to_owned(),
            (Ok(_), _) => "modify ok".to_owned(),
            (Err(e), _) => format!("modify {}", e.label()),
        },
        (Op::Unbind { target }, Expect::Done(r)) => match (r, target) {
            (Err(_), Target::Key(k)) if gone(k) => "unbind expired".to_owned(),
            (Ok(()), _) => "unbind ok".to_owned(),
            (Err(e), _) => format!("unbind {}", e.label()),
        },
        (Op::Tick, Expect::Count(_)) => "tick".to_owned(),
        (Op::UnbindX { .. }, Expect::Count(n)) => format!("unbind_x {}", n.min(&1)),
        (Op::Pool { x, area }, _) => match (model.area_of(*x), area) {
            (None, Some(_)) => "pool add".to_owned(),
            (Some(from), Some(to)) if from == *to => "pool again".to_owned(),
            (Some(from), Some(_)) if model.area_len(from) == 1 => "pool move last".to_owned(),
            (Some(_), Some(_)) => "pool move".to_owned(),
            (_, None) => "pool remove".to_owned(),
        },
        (Op::SetStatus { status, .. }, Expect::Count(n)) => {
            format!("status {} {}", status.name(), n.min(&1))
        }
        (Op::Route { .. }, Expect::Route(r)) => match r {
            ExpRoute::Connect { .. } => "route connect".to_owned(),
            ExpRoute::Close { reason, .. } => format!("route {}", reason.name()),
        },
        _ => unreachable!(),
    };
    if expired > 0 {
        *stats.0.entry("expired".into()).or_default() += expired;
        let before = match (op, want) {
            (Op::Tick, _) => "tick",
            (Op::Bind { dry_run: true, .. }, _) => "check_bind",
            (Op::Bind { .. }, _) => "bind",
            (_, Expect::Modify(Err(_)) | Expect::Done(Err(_))) => "a refused change",
            (Op::Modify { .. }, _) => "modify",
            (Op::Unbind { .. }, _) => "unbind",
            (Op::UnbindX { .. }, _) => "unbind_x",
            (Op::SetStatus { .. }, _) => "set_x_status",
            _ => unreachable!("{op:?} expires nothing"),
        };
        stats.add(format!("expired by {before}"));
        if let Expect::Bind(Err(_)) = want {
            stats.add("expired by a refused bind");
        }
    }
    stats.add(what);
    stats.0.insert(
        "max pairs".into(),
        stats.get("max pairs").max(model.pairs.len()),
    );
}

/// Follows the seeded id sequence, to check that the run reaches the case
/// the engine must handle: a reopened engine mints the same sequence again
/// and meets the id of a binding still live.
#[derive(Default)]
struct Mints {
    /// The minted ids the in-memory engine (never reopened) gave, by their
    /// place in the sequence.
    place: HashMap<BindingId, usize>,
    /// Bindings with minted ids the durable engine carried over its last
    /// reopen: (place in the sequence, model key).
    carried: Vec<(usize, u64)>,
}

impl Mints {
    fn minted(&mut self, durable: bool, id: &BindingId, model: &Model, stats: &mut Stats) {
        if !durable {
            let n = self.place.len();
            self.place.insert(id.clone(), n);
            return;
        }
        let Some(&at) = self.place.get(id) else {
            return;
        };
        if at + 1 < self.place.len() {
            stats.add("mint repeats an id after reopen");
        }
        // The sequence has come past these places since the reopen: a
        // binding carried over that is still live (keys are never reused)
        // was skipped.
        self.carried.retain(|&(p, key)| {
            if p < at && model.pairs.contains_key(&key) {
                stats.add("mint skips a live id");
            }
            p >= at
        });
    }

    fn reopened(&mut self, durable: &Leg) {
        self.carried = durable
            .ids
            .iter()
            .filter_map(|(&k, id)| self.place.get(id).map(|&p| (p, k)))
            .collect();
    }
}

fn run_seed(seed: u64) {
    let w = World::new();
    let mut rng = Rng(seed);
    let mut model = Model::new();
    let dir = TempDir::new(&format!("{seed:x}"));
    let mut legs = [Leg::memory(seed), Leg::durable(seed, dir.0.clone())];
    for (area, xs) in &w.pool {
        for &x in xs {
            let op = Op::Pool {
                x,
                area: Some(area),
            };
            for leg in &mut legs {
                let ctx = Ctx {
                    seed,
                    step: 0,
                    leg: leg.name,
                    now: T0,
                    op: Some(&op),
                };
                run(leg, &op, &Expect::Done(Ok(())), T0, &ctx);
            }
            apply(&mut model, &op, Expect::Done(Ok(())));
        }
    }
    assert_eq!(model.pool, w.pool);
    // Reopens come in pairs: the second soon after the first, while ids
    // minted in between are still live, so that the restarted id sequence
    // meets them.
    let mut reopen_at = Vec::new();
    while reopen_at.len() < REOPENS {
        let at = rng.index(OPS);
        reopen_at.push(at);
        if reopen_at.len() < REOPENS {
            reopen_at.push((at + 1 + rng.index(150)).min(OPS - 1));
        }
    }
    reopen_at.sort_unstable();
    let mut stats = Stats::default();
    let mut mints = Mints::default();
    let mut pair_steps = 0;
    let mut now = T0;
    for step in 0..OPS {
        now += rng.below(15);
        // Now and then, straight to the end of some binding's lifetime.
        if rng.chance(3) {
            let ends: Vec<u64> = model
                .pairs
                .values()
                .filter_map(Pair::expires_at)
                .filter(|&e| e > now && e - now <= 600)
                .collect();
            if !ends.is_empty() {
                now = rng.pick(&ends);
            }
        }
        pair_steps += model.pairs.len();
        let op = gen_op(&mut rng, &w, &model, now);
        // A change given a `now` first expires what is due, as tick does.
        let expired = if op.expires_first() {
            model.expire(now)
        } else {
            Vec::new()
        };
        let want = expect(&model, &op, now, expired.len());
        record(&mut stats, &op, &want, &model, expired.len());
        let mut minted = Vec::new();
        for leg in &mut legs {
            let ctx = Ctx {
                seed,
                step,
                leg: leg.name,
                now,
                op: Some(&op),
            };
            if let Op::Route {
                caller,
                dialled,
                at,
            } = &op
            {
                check_route(leg, &model, *caller, *dialled, *at, &ctx);
                let found = leg
                    .e()
                    .find_party(*dialled, *caller)
                    .map(|b| leg.key(&b.id, &ctx));
                assert_eq!(
                    found,
                    model.find(*dialled, *caller).map(|(k, _)| k),
                    "{ctx}: find_party"
                );
            }
            minted.push(run(leg, &op, &want, now, &ctx));
        }
        let (own, removed) = apply(&mut model, &op, want);
        let events = StepEvents { expired, own };
        for (leg, id) in legs.iter_mut().zip(minted) {
            let ctx = Ctx {
                seed,
                step,
                leg: leg.name,
                now,
                op: Some(&op),
            };
            let bound = match (id, &op) {
                (Some(id), Op::Bind { key, .. }) => Some((*key, id)),
                _ => None,
            };
            if let (
                Some((_, id)),
                Op::Bind {
                    id: IdSpec::Mint, ..
                },
            ) = (&bound, &op)
            {
                mints.minted(leg.dir.is_some(), id, &model, &mut stats);
            }
            check_events(leg, &events, bound, now, &ctx);
            for &k in &removed {
                leg.forget(k);
            }
            assert_eq!(leg.e().len(), model.pairs.len(), "{ctx}: len");
            // The parties of a binding just made or changed, both ways.
            if let Op::Bind { key: k, .. }
            | Op::Modify {
                target: Target::Key(k),
                ..
            } = &op
            {
                if let Some(p) = model.pairs.get(k) {
                    for caller in [p.a, p.b] {
                        check_route(leg, &model, caller, p.x, now, &ctx);
                    }
                }
            }
            if (step + 1) % FULL_CHECK_EVERY == 0 {
                check_full(leg, &model, &w, now, &ctx);
            }
        }
        if let Op::Bind { .. } = op {
            model.next_key += 1;
        }
        while reopen_at.first() == Some(&step) {
            reopen_at.remove(0);
            let leg = &mut legs[1];
            let ctx = Ctx {
                seed,
                step,
                leg: leg.name,
                now,
                op: None,
            };
            leg.reopen(&model, &ctx);
            mints.reopened(leg);
            check_full(leg, &model, &w, now, &ctx);
        }
    }
    // Last: everything once more, and the durable engine reopened.
    for leg in &legs {
        let ctx = Ctx {
            seed,
            step: OPS,
            leg: leg.name,
            now,
            op: None,
        };
        check_full(leg, &model, &w, now, &ctx);
    }
    let ctx = Ctx {
        seed,
        step: OPS,
        leg: "durable",
        now,
        op: None,
    };
    let report = legs[1].reopen(&model, &ctx);
    assert!(report.snapshot_loaded, "{ctx}: {report:?}");
    check_full(&legs[1], &model, &w, now, &ctx);
    assert_eq!(legs[1].opened as usize, REOPENS + 1);

    eprintln!(
        "seed {seed:#x}: {OPS} operations, {:.1} bindings on average",
        pair_steps as f64 / OPS as f64
    );
    for (k, v) in &stats.0 {
        eprintln!("  {k}: {v}");
    }
    // The generator must reach every rule it is meant to exercise.
    for what in [
        "bind given ok",
        "bind pick-strict ok",
        "bind pick-fallback ok",
        "bind given RULE_VIOLATION/1012010/callerNum",
        "bind given RULE_VIOLATION/1012010/calleeNum",
        "bind given RULE_VIOLATION/1012008/-",
        "bind given RULE_VIOLATION/1012102/-",
        "bind given RULE_VIOLATION/1012001/-",
        "bind pick-strict POOL_EXHAUSTED/1012008/-",
        "bind pick-own-area ok",
        "bind pick-own-area POOL_EXHAUSTED/1012008/-",
        "bind takes an expired binding's id",
        "mint repeats an id after reopen",
        "mint skips a live id",
        "bind given RULE_VIOLATION/1010002/calleeNum",
        "bind given BINDING_EXISTS/-/-",
        "modify ok",
        "modify ok suspended",
        "modify RULE_VIOLATION/1012010/callerNum",
        "modify RULE_VIOLATION/1012010/calleeNum",
        "modify RULE_VIOLATION/1010002/duration",
        "modify BINDING_NOT_FOUND/-/-",
        "modify expired",
        "unbind ok",
        "unbind BINDING_NOT_FOUND/-/-",
        "unbind expired",
        "unbind_x 1",
        "status paused 1",
        "status normal 1",
        "expired",
        "expired by tick",
        "expired by check_bind",
        "expired by bind",
        "expired by a refused bind",
        "expired by modify",
        "expired by unbind",
        "expired by a refused change",
        "expired by unbind_x",
        "expired by set_x_status",
        "route connect",
        "route expired",
        "route x_unavailable",
        "route direction_not_allowed",
        "route caller_cannot_call_x",
        "route no_binding",
        "pool add",
        "pool move",
        "pool move last",
        "pool remove",
    ] {
        assert!(stats.get(what) > 0, "seed {seed:#x}: never saw {what}");
    }
}

#[test]
fn engine_matches_model_seed_1() {
    run_seed(0x0001_5eed);
}

#[test]
fn engine_matches_model_seed_2() {
    run_seed(0xdead_beef_cafe_f00d);
}

#[test]
fn engine_matches_model_seed_3() {
    run_seed(42);
}

// ---------------------------------------------------------------------------
// Regressions: the four disagreements this test once found
// ---------------------------------------------------------------------------

fn pair_request(a: &str, b: &str, x: XChoice, duration_secs: u32) -> BindRequest {
    BindRequest {
        shape: ShapeRequest::Pair {
            a: num(a),
            b: num(b),
        },
        x,
        settings: Settings {
            duration_secs,
            ..Settings::default()
        },
        id: None,
    }
}

fn memory_engine(seed: u64) -> Engine {
    let mut config = EngineConfig::new(Mode::Axb);
    config.id_seed = Some(seed);
    Engine::new(config).unwrap()
}

/// (kind, id) of every unread event.
fn events_of(e: &Engine) -> Vec<(EventKind, BindingId)> {
    e.poll_events(usize::MAX)
        .into_iter()
        .map(|ev| (ev.kind, ev.id))
        .collect()
}

/// An engine reopened with the same `id_seed` mints the same sequence
/// again: it must skip the ids of live bindings instead of handing one out
/// twice.
#[test]
fn regression_reopen_with_the_same_seed_skips_live_ids() {
    const SEED: u64 = 0x5eed;
    let dir = TempDir::new("same-seed");
    let x = XChoice::Given(num("+8617000000010"));
    let (e, _) = Engine::open(&dir.0, durable_config(SEED)).unwrap();
    let first = e
        .bind(
            &pair_request("+8613800000001", "+8613900000001", x.clone(), 0),
            T0,
        )
        .unwrap();
    drop(e);
    // The sequence starts again: a fresh engine's first id is the same.
    let fresh = memory_engine(SEED)
        .bind(
            &pair_request("+8613800000009", "+8613900000009", x.clone(), 0),
            T0,
        )
        .unwrap();
    assert_eq!(fresh.id, first.id);

    let (e, report) = Engine::open(&dir.0, durable_config(SEED)).unwrap();
    assert_eq!(report.bindings, 1);
    let second = e
        .bind(
            &pair_request("+8613800000002", "+8613900000002", x.clone(), 0),
            T0 + 1,
        )
        .unwrap();
    assert_ne!(second.id, first.id);
    assert_eq!(e.len(), 2);
    assert_eq!(e.get(&first.id), Some(first.clone()));
    assert_eq!(e.get(&second.id), Some(second.clone()));
    drop(e);

    // Once more: both earlier ids are live and skipped.
    let (e, _) = Engine::open(&dir.0, durable_config(SEED)).unwrap();
    let third = e
        .bind(
            &pair_request("+8613800000003", "+8613900000003", x, 0),
            T0 + 2,
        )
        .unwrap();
    assert!(third.id != first.id && third.id != second.id, "{third:?}");
    assert_eq!(e.len(), 3);
    for b in [&first, &second, &third] {
        assert_eq!(e.get(&b.id).as_ref(), Some(b));
    }
}

/// A pool choice without an area is strict to a fixed-line A's own area
/// unless fall-back is asked for (PN §3.1 `areaMatchMode`); a mobile A has
/// no area, so any will do.
#[test]
fn regression_pool_choice_without_area_is_strict_to_a_fixed_lines_area() {
    let e = memory_engine(1);
    let x = num("+8617000000010");
    e.pool_add(x, AREA_A).unwrap();
    let fixed = "+8675528000001";
    assert_eq!(
        num(fixed).area_code().map(|c| c.as_str().to_owned()),
        Some(AREA_B.to_owned())
    );
    let pick = |fallback| XChoice::Pick {
        area: None,
        fallback,
    };
    let strict = pair_request(fixed, "+8613800000001", pick(false), 0);
    let exhausted = Refusal {
        kind: ErrorKind::PoolExhausted,
        code: Some(privnum::engine::rules::CODE_NO_RESOURCE),
        field: None,
    };
    assert_eq!(exhausted.code, Some("1012008"));
    for r in [e.check_bind(&strict, T0), e.bind(&strict, T0)] {
        assert_eq!(r.map_err(|e| Refusal::of(&e)).unwrap_err(), exhausted);
    }
    assert!(e.is_empty());
    assert!(e.poll_events(usize::MAX).is_empty());

    let with_fallback = pair_request(fixed, "+8613800000001", pick(true), 0);
    assert_eq!(e.check_bind(&with_fallback, T0).unwrap().x, Some(x));
    assert_eq!(e.bind(&with_fallback, T0).unwrap().x, Some(x));

    let mobile = pair_request("+8613900000001", "+8613800000002", pick(false), 0);
    assert_eq!(num("+8613900000001").area_code(), None);
    assert_eq!(e.bind(&mobile, T0).unwrap().x, Some(x));
    assert_eq!(e.len(), 2);
}

/// A change given a `now` first expires what is due, as `tick` does: a
/// binding past its lifetime neither blocks a new one nor takes a change.
#[test]
fn regression_a_change_expires_what_is_due_first() {
    let e = memory_engine(2);
    let x = num("+8617000000010");
    let (a1, b2, b3) = ("+8613800000001", "+8613900000002", "+8613900000003");
    let first = e
        .bind(&pair_request(a1, b2, XChoice::Given(x), 60), T0)
        .unwrap();
    assert_eq!(events_of(&e), vec![(EventKind::Bound, first.id.clone())]);
    // Routing changes nothing: until a change comes, the binding is still
    // there and closes calls as expired.
    let call = CallIn {
        caller: num(a1),
        dialled: x,
        ext: None,
    };
    assert!(matches!(e.route(&call, T0 + 59), Route::Connect(_)));
    let closed = Route::Close {
        reason: CloseReason::Expired,
        binding: Some(first.id.clone()),
    };
    assert_eq!(e.route(&call, T0 + 60), closed);
    assert_eq!(e.len(), 1);

    // A1 again on the same X, the first binding's lifetime just over.
    let second = e
        .bind(&pair_request(a1, b3, XChoice::Given(x), 0), T0 + 60)
        .unwrap();
    let events = e.poll_events(usize::MAX);
    let got: Vec<_> = events.iter().map(|ev| (ev.kind, ev.id.clone())).collect();
    assert_eq!(
        got,
        vec![
            (EventKind::Expired, first.id.clone()),
            (EventKind::Bound, second.id.clone()),
        ]
    );
    assert!(events.iter().all(|ev| ev.at == T0 + 60));
    assert_eq!(
        (events[0].from, events[0].to),
        (Some(State::Active), State::Expired)
    );
    assert_eq!(e.len(), 1);
    assert_eq!(e.get(&first.id), None);

    let not_found = Refusal::plain(ErrorKind::BindingNotFound);
    let changes = Changes {
        direction: Some(Direction::AToB),
        ..Changes::default()
    };
    let r = e.modify(&first.id, &changes, T0 + 100);
    assert_eq!(r.map_err(|e| Refusal::of(&e)).unwrap_err(), not_found);
    let r = e.unbind(&first.id, T0 + 100);
    assert_eq!(r.map_err(|e| Refusal::of(&e)).unwrap_err(), not_found);
    assert!(e.poll_events(usize::MAX).is_empty());
    assert_eq!(e.tick(T0 + 100).unwrap(), 0);
}

/// The dry run and a refused change expire too.
#[test]
fn regression_check_bind_and_refused_changes_expire_first() {
    let e = memory_engine(3);
    let x = XChoice::Given(num("+8617000000010"));
    let (a1, b2, b3) = ("+8613800000001", "+8613900000002", "+8613900000003");
    let first = e.bind(&pair_request(a1, b2, x.clone(), 60), T0).unwrap();
    events_of(&e);
    let dry = e
        .check_bind(&pair_request(a1, b3, x.clone(), 0), T0 + 60)
        .unwrap();
    assert!(dry.id.is_pending(), "{dry:?}");
    assert_eq!(events_of(&e), vec![(EventKind::Expired, first.id.clone())]);
    assert!(e.is_empty());

    let second = e
        .bind(&pair_request(a1, b2, x.clone(), 60), T0 + 100)
        .unwrap();
    events_of(&e);
    let r = e.unbind(&unknown_id(), T0 + 160);
    assert_eq!(
        r.map_err(|e| Refusal::of(&e)).unwrap_err(),
        Refusal::plain(ErrorKind::BindingNotFound)
    );
    assert_eq!(events_of(&e), vec![(EventKind::Expired, second.id.clone())]);
    assert!(e.is_empty());

    // A refused bind as well: the expiry stays done.
    let third = e
        .bind(&pair_request(a1, b2, x.clone(), 60), T0 + 200)
        .unwrap();
    events_of(&e);
    let mut bad = pair_request(a1, b3, x, 0);
    bad.settings.max_duration_min = 1441;
    let r = e.bind(&bad, T0 + 260);
    assert_eq!(
        r.map_err(|e| Refusal::of(&e)).unwrap_err(),
        Refusal::invalid("maxDuration")
    );
    assert_eq!(events_of(&e), vec![(EventKind::Expired, third.id.clone())]);
    assert!(e.is_empty());
}

/// Moving an area's last X to another area removes the emptied area, as
/// `pool_remove` does, and a reopen (journal or snapshot) agrees.
#[test]
fn regression_moving_an_areas_last_x_removes_the_area() {
    let x = num("+8617000000010");
    let want = vec![(AREA_B.to_owned(), vec![x])];
    let mem = memory_engine(4);
    mem.pool_add(x, AREA_A).unwrap();
    mem.pool_add(x, AREA_B).unwrap();
    assert_eq!(mem.pool(), want);
    let areas =
        |e: &Engine| -> Vec<String> { e.pool_pressure().into_iter().map(|p| p.area).collect() };
    assert_eq!(areas(&mem), vec![AREA_B.to_owned()]);

    let dir = TempDir::new("last-x");
    let (e, _) = Engine::open(&dir.0, durable_config(4)).unwrap();
    e.pool_add(x, AREA_A).unwrap();
    e.pool_add(x, AREA_B).unwrap();
    assert_eq!(e.pool(), want);
    drop(e);
    // From the journal.
    let (e, report) = Engine::open(&dir.0, durable_config(4)).unwrap();
    assert!(!report.snapshot_loaded, "{report:?}");
    assert_eq!(e.pool(), want);
    e.compact().unwrap();
    drop(e);
    // From a snapshot.
    let (e, report) = Engine::open(&dir.0, durable_config(4)).unwrap();
    assert!(report.snapshot_loaded, "{report:?}");
    assert_eq!(e.pool(), want);
    assert_eq!(areas(&e), vec![AREA_B.to_owned()]);
}

/// Every change given a `now` expires what is due first, whether it then
/// succeeds or is refused (the random run covers the changes it makes;
/// this covers the request, settle and AX ones too); pool changes take no
/// `now` and expire nothing.
#[test]
fn regression_every_change_given_a_now_expires_first() {
    struct Setup {
        e: Engine,
        due: BindingId,
        live: BindingId,
        pending: BindingId,
        x2: Number,
    }
    let setup = || {
        let e = memory_engine(5);
        let (x1, x2) = (num("+8617000000010"), num("+8617000000011"));
        let due = e
            .bind(
                &pair_request("+8613800000001", "+8613900000001", XChoice::Given(x1), 60),
                T0,
            )
            .unwrap()
            .id;
        let live = e
            .bind(
                &pair_request("+8613800000002", "+8613900000002", XChoice::Given(x2), 0),
                T0,
            )
            .unwrap()
            .id;
        let pending = e
            .request_bind(
                &pair_request("+8613800000003", "+8613900000003", XChoice::Given(x2), 0),
                T0,
            )
            .unwrap()
            .id;
        assert!(pending.is_pending());
        e.poll_events(usize::MAX);
        Setup {
            e,
            due,
            live,
            pending,
            x2,
        }
    };
    let new_pair =
        |s: &Setup| pair_request("+8613800000004", "+8613900000004", XChoice::Given(s.x2), 0);
    let bad_pair = |s: &Setup| {
        let mut r = new_pair(s);
        r.settings.max_duration_min = 1441;
        r
    };
    let changes = Changes {
        record: Some(true),
        ..Changes::default()
    };
    let now = T0 + 60;
    type Change<'a> = Box<dyn Fn(&Setup) -> bool + 'a>;
    let cases: Vec<(&str, Change<'_>)> = vec![
        (
            "check_bind",
            Box::new(|s| s.e.check_bind(&new_pair(s), now).is_ok()),
        ),
        (
            "check_bind refused",
            Box::new(|s| s.e.check_bind(&bad_pair(s), now).is_ok()),
        ),
        ("bind", Box::new(|s| s.e.bind(&new_pair(s), now).is_ok())),
        (
            "bind refused",
            Box::new(|s| s.e.bind(&bad_pair(s), now).is_ok()),
        ),
        (
            "request_bind",
            Box::new(|s| s.e.request_bind(&new_pair(s), now).is_ok()),
        ),
        (
            "request_bind refused",
            Box::new(|s| s.e.request_bind(&bad_pair(s), now).is_ok()),
        ),
        (
            "settle",
            Box::new(|s| s.e.settle(&s.pending, &Outcome::confirmed(), now).is_ok()),
        ),
        (
            "settle refused",
            Box::new(|s| {
                s.e.settle(&unknown_id(), &Outcome::confirmed(), now)
                    .is_ok()
            }),
        ),
        (
            "modify",
            Box::new(|s| s.e.modify(&s.live, &changes, now).is_ok()),
        ),
        (
            "modify refused",
            Box::new(|s| s.e.modify(&unknown_id(), &changes, now).is_ok()),
        ),
        (
            "request_modify",
            Box::new(|s| s.e.request_modify(&s.live, &changes, now).is_ok()),
        ),
        (
            "request_modify refused",
            Box::new(|s| s.e.request_modify(&unknown_id(), &changes, now).is_ok()),
        ),
        ("unbind", Box::new(|s| s.e.unbind(&s.live, now).is_ok())),
        (
            "unbind refused",
            Box::new(|s| s.e.unbind(&unknown_id(), now).is_ok()),
        ),
        (
            "request_unbind",
            Box::new(|s| s.e.request_unbind(&s.live, now).is_ok()),
        ),
        (
            "request_unbind refused",
            Box::new(|s| s.e.request_unbind(&unknown_id(), now).is_ok()),
        ),
        ("unbind_x", Box::new(|s| s.e.unbind_x(s.x2, now).is_ok())),
        (
            "set_x_status",
            Box::new(|s| s.e.set_x_status(s.x2, XStatus::Paused, now).is_ok()),
        ),
        (
            // No AX binding in an AXB engine: refused.
            "set_temp_callee refused",
            Box::new(|s| {
                s.e.set_temp_callee(s.x2, num("+8613900000009"), now)
                    .is_ok()
            }),
        ),
    ];
    for (name, change) in &cases {
        let s = setup();
        let ok = change(&s);
        assert_eq!(ok, !name.ends_with("refused"), "{name}");
        let events = events_of(&s.e);
        assert_eq!(
            events.first(),
            Some(&(EventKind::Expired, s.due.clone())),
            "{name}: {events:?}"
        );
        assert!(
            events[1..]
                .iter()
                .all(|(k, id)| *k != EventKind::Expired && *id != s.due),
            "{name}: {events:?}"
        );
        assert_eq!(s.e.get(&s.due), None, "{name}");
        assert_eq!(s.e.tick(now).unwrap(), 0, "{name}");
    }

    // Pool changes take no `now`: the due binding stays until a change.
    let s = setup();
    s.e.pool_add(num("+8617000000012"), AREA_A).unwrap();
    s.e.pool_remove(num("+8617000000012")).unwrap();
    assert!(s.e.poll_events(usize::MAX).is_empty());
    assert!(s.e.get(&s.due).is_some());
    assert_eq!(s.e.tick(now).unwrap(), 1);

    // set_temp_callee on a live AX owner, in an engine that takes both
    // shapes (AX bindings have no lifetime; the pair has).
    let mut config = EngineConfig::new(Mode::X);
    config.id_seed = Some(6);
    let e = Engine::new(config).unwrap();
    let (x1, x2) = (num("+8617000000010"), num("+8617000000011"));
    let due = e
        .bind(
            &pair_request("+8613800000001", "+8613900000001", XChoice::Given(x1), 60),
            T0,
        )
        .unwrap();
    let live = e
        .bind(
            &BindRequest {
                shape: ShapeRequest::Owner {
                    a: num("+8613800000002"),
                },
                x: XChoice::Given(x2),
                settings: Settings::default(),
                id: None,
            },
            T0,
        )
        .unwrap();
    events_of(&e);
    e.set_temp_callee(x2, num("+8613900000009"), now).unwrap();
    assert_eq!(
        events_of(&e),
        vec![(EventKind::Expired, due.id), (EventKind::Modified, live.id)]
    );
}
