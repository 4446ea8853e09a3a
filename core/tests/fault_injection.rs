//! Ten thousand randomized operations against the emulator over loopback
//! HTTP, through a transport that injects the failures the real platform and
//! network produce: a request that never leaves, an answer lost after the
//! platform committed the change, 5xx answers, throttling, and a client whose
//! clock is skewed. Afterwards the client's view, the emulator's state and
//! the platform's rules must agree: no binding lost, none duplicated, none
//! unaccounted for.
#![cfg(feature = "emulator")]

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use privnum::client::HttpRequest;
use privnum::client::axb::{AxbBind, AxbQuery, AxbUnbind};
use privnum::client::retry::{Client, Clock, RetryPolicy};
use privnum::client::transport::{
    OwnedResponse, Transport, TransportConfig, TransportError, UreqTransport,
};
use privnum::emulator::{AppConfig, Emulator, EmulatorConfig};
use privnum::engine::Mode;
use privnum::{ErrorKind, Number, Signer, number};

const KEY: &str = "fault-key-00000000000000000000001";
const SECRET: &str = "fault-secret-0000000000000000001";
const OPS: usize = 10_000;
const XS: usize = 40;
const PARTIES: usize = 120;

/// A small deterministic generator (xorshift64*): the run is reproducible
/// from its seed, printed on failure.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// What the transport did, for the report and the assertions.
#[derive(Default)]
struct Counts {
    not_sent: AtomicU64,
    lost_answers: AtomicU64,
    fake_5xx: AtomicU64,
    throttled: AtomicU64,
    passed: AtomicU64,
}

/// Wraps the real transport and injects faults.
struct Faulty {
    inner: UreqTransport,
    rng: Mutex<Rng>,
    counts: Counts,
}

impl Transport for Faulty {
    fn send(&self, base_url: &str, req: &HttpRequest) -> Result<OwnedResponse, TransportError> {
        let roll = self.rng.lock().unwrap().below(100);
        let c = &self.counts;
        match roll {
            0..=4 => {
                c.not_sent.fetch_add(1, Ordering::Relaxed);
                Err(TransportError::not_sent("injected: connection refused"))
            }
            5..=9 => {
                // The platform receives and commits it; the answer is lost.
                let _ = self.inner.send(base_url, req);
                c.lost_answers.fetch_add(1, Ordering::Relaxed);
                Err(TransportError::maybe_sent(
                    "injected: connection reset after sending",
                ))
            }
            10..=12 => {
                c.fake_5xx.fetch_add(1, Ordering::Relaxed);
                Ok(OwnedResponse::new(
                    500,
                    r#"{"resultcode":"1010001","resultdesc":"System error."}"#,
                ))
            }
            13..=14 => {
                c.throttled.fetch_add(1, Ordering::Relaxed);
                Ok(OwnedResponse::new(
                    200,
                    r#"{"resultcode":"1010010","resultdesc":"Flow control."}"#,
                ))
            }
            _ => {
                c.passed.fetch_add(1, Ordering::Relaxed);
                self.inner.send(base_url, req)
            }
        }
    }
}

/// Real time shifted by `skew` seconds; waits are skipped (the retries'
/// timing is tested elsewhere; here only their decisions matter).
struct TestClock {
    skew: i64,
}

impl Clock for TestClock {
    fn unix_now(&self) -> privnum::Result<i64> {
        Ok(privnum::sign::unix_now()? + self.skew)
    }

    fn sleep(&self, _: Duration) {}

    fn jitter(&self) -> f64 {
        0.5
    }
}

fn plain_transport() -> UreqTransport {
    let mut config = TransportConfig::default();
    config.https_only = false;
    UreqTransport::new(config)
}

fn client(emu: &Emulator, transport: impl Transport + 'static, skew: i64) -> Client {
    let mut policy = RetryPolicy::default();
    policy.max_attempts = 4;
    Client::with_transport(emu.base_url(), Signer::new(KEY, SECRET).unwrap(), transport)
        .unwrap()
        .with_policy(policy)
        .with_clock(TestClock { skew })
}

type Pair = (Number, Number, Number); // (X, A, B)

/// The client's view: bindings it knows exist, and operations whose outcome
/// it could not learn (each is either there or not).
#[derive(Default)]
struct View {
    known: BTreeMap<String, Pair>,
    /// (X if the bind named one, A, B).
    uncertain_binds: BTreeSet<(Option<Number>, Number, Number)>,
    uncertain_unbinds: BTreeMap<String, Pair>,
}

#[test]
fn ten_thousand_operations_with_faults_leave_every_view_in_agreement() {
    let seed = std::env::var("PRIVNUM_FAULT_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x005E_ED0F_FA17_u64);
    let xs: Vec<Number> = (0..XS)
        .map(|i| number::parse(&format!("+861700000{i:04}")).unwrap())
        .collect();
    let parties: Vec<Number> = (0..PARTIES)
        .map(|i| number::parse(&format!("+861380000{i:04}")).unwrap())
        .collect();
    let mut app = AppConfig::new(Mode::Axb, KEY, SECRET);
    for x in &xs {
        app = app.with_number(*x, "0755").unwrap();
    }
    let emu = Emulator::start(EmulatorConfig::new(vec![app])).unwrap();
    let faulty = std::sync::Arc::new(Faulty {
        inner: plain_transport(),
        rng: Mutex::new(Rng(seed)),
        counts: Counts::default(),
    });
    let normal = client(&emu, faulty.clone(), 0);
    let skewed = client(&emu, faulty.clone(), 3600);
    let clean = client(&emu, plain_transport(), 0);

    let mut rng = Rng(seed ^ 0xA5A5);
    let mut view = View::default();
    let mut outcomes: BTreeMap<&'static str, u64> = BTreeMap::new();
    let mut note = |what: &'static str| *outcomes.entry(what).or_default() += 1;

    for i in 0..OPS {
        let skew = rng.chance(2);
        let c = if skew { &skewed } else { &normal };
        if view.known.is_empty() || rng.chance(55) {
            // Bind A and B, on a given X most of the time (so that an unknown
            // outcome can be settled), else on an X the platform picks.
            let x = xs[rng.below(XS)];
            let a = parties[rng.below(PARTIES)];
            let b = parties[rng.below(PARTIES)];
            if a == b {
                continue;
            }
            let mut op = AxbBind::new(a, b);
            let given = rng.chance(90);
            if given {
                op.relation_num = Some(x);
            }
            match c.call_settled(&op) {
                Ok(bound) => {
                    let got = bound.relation_num.as_ref().and_then(|w| w.number());
                    let x = got.unwrap_or(x);
                    if given {
                        assert_eq!(got, Some(x), "op {i}: bound on another X");
                    }
                    // A bind whose answer was lost is settled by a query,
                    // which finds A and B on X even when they were bound
                    // before (the platform allows one such binding): the
                    // answer is then that same binding, never another one.
                    let prev = view.known.insert(bound.subscription_id.clone(), (x, a, b));
                    assert!(
                        prev.is_none_or(|p| p == (x, a, b)),
                        "op {i}: id {} answered for another binding",
                        bound.subscription_id
                    );
                    note("bind ok");
                }
                Err(e) => match e.kind() {
                    // Refused by the rules or the clock: certainly not bound.
                    ErrorKind::PlatformConflict
                    | ErrorKind::PlatformExhausted
                    | ErrorKind::PlatformInvalidRequest
                    | ErrorKind::PlatformClockSkew => note("bind refused"),
                    // Never left, or retries used up on answers that say
                    // "not processed": not bound.
                    ErrorKind::TransportNotSent | ErrorKind::PlatformThrottled => {
                        note("bind not sent");
                    }
                    ErrorKind::OutcomeUnknown
                    | ErrorKind::PlatformRetry
                    | ErrorKind::TransportNoResponse => {
                        // (A settled bind that was re-sent and lost again
                        // is a transport failure: it may have bound.)
                        view.uncertain_binds.insert((given.then_some(x), a, b));
                        note("bind unknown");
                    }
                    _ => panic!("op {i}: unexpected bind error {e:?}"),
                },
            }
        } else {
            let ids: Vec<&String> = view.known.keys().collect();
            let id = ids[rng.below(ids.len())].clone();
            let pair = view.known[&id];
            match c.call(&AxbUnbind::BySubscriptionId(id.clone())) {
                Ok(()) => {
                    view.known.remove(&id);
                    note("unbind ok");
                }
                // A retried unbind whose first attempt went through.
                Err(e) if e.kind() == ErrorKind::PlatformNotFound => {
                    view.known.remove(&id);
                    note("unbind already gone");
                }
                Err(e)
                    if matches!(
                        e.kind(),
                        ErrorKind::PlatformClockSkew
                            | ErrorKind::TransportNotSent
                            | ErrorKind::PlatformThrottled
                    ) =>
                {
                    note("unbind not done");
                }
                Err(e)
                    if matches!(
                        e.kind(),
                        ErrorKind::TransportNoResponse | ErrorKind::PlatformRetry
                    ) =>
                {
                    view.known.remove(&id);
                    view.uncertain_unbinds.insert(id, pair);
                    note("unbind unknown");
                }
                Err(e) => panic!("op {i}: unexpected unbind error {e:?}"),
            }
        }
    }

    // The platform's truth, read with a clean client, X by X.
    let mut platform: BTreeMap<String, Pair> = BTreeMap::new();
    for &x in &xs {
        let mut page = 1;
        loop {
            let op = AxbQuery::OnX {
                relation_num: x,
                caller_num: None,
                callee_num: None,
                page_index: Some(page),
                page_size: Some(100),
            };
            let list = match clean.call(&op) {
                Ok(list) => list,
                Err(e) if e.kind() == ErrorKind::PlatformNotFound => break,
                Err(e) => panic!("query {x:?}: {e:?}"),
            };
            assert_eq!(list.skipped, 0);
            for r in &list.bindings {
                let id = r.subscription_id.clone().expect("an id");
                let a = r.caller_num.as_ref().and_then(|w| w.number()).expect("A");
                let b = r.callee_num.as_ref().and_then(|w| w.number()).expect("B");
                assert!(
                    platform.insert(id, (x, a, b)).is_none(),
                    "an id listed twice"
                );
            }
            if list.bindings.len() < 100 {
                break;
            }
            page += 1;
        }
    }

    // 1. Nothing lost: every binding the client knows is on the platform.
    for (id, pair) in &view.known {
        assert_eq!(platform.get(id), Some(pair), "lost binding {id}");
    }
    // 2. Nothing unaccounted for: every platform binding is known, or is
    //    the result of an operation whose outcome the client could not learn.
    for (id, pair) in &platform {
        if view.known.contains_key(id) {
            continue;
        }
        let from_bind = view
            .uncertain_binds
            .iter()
            .any(|(x, a, b)| x.is_none_or(|x| x == pair.0) && (*a, *b) == (pair.1, pair.2));
        let from_unbind = view.uncertain_unbinds.contains_key(id);
        assert!(
            from_bind || from_unbind,
            "binding {id} {pair:?} unaccounted for"
        );
    }
    // 3. The platform's rules hold: on one X, a party is in one binding.
    let mut on_x: BTreeMap<Number, BTreeSet<Number>> = BTreeMap::new();
    for (x, a, b) in platform.values() {
        let parties = on_x.entry(*x).or_default();
        assert!(parties.insert(*a), "{a:?} twice on {x:?}");
        assert!(parties.insert(*b), "{b:?} twice on {x:?}");
    }
    // 4. The emulator's own state is what its API answers.
    let state: BTreeSet<String> = emu
        .bindings(KEY)
        .unwrap()
        .iter()
        .map(|b| b.id.to_string())
        .collect();
    assert_eq!(state, platform.keys().cloned().collect::<BTreeSet<_>>());

    let c = &faulty.counts;
    let injected = [
        c.not_sent.load(Ordering::Relaxed),
        c.lost_answers.load(Ordering::Relaxed),
        c.fake_5xx.load(Ordering::Relaxed),
        c.throttled.load(Ordering::Relaxed),
    ];
    assert!(
        injected.iter().all(|&n| n > 50),
        "faults injected: {injected:?}"
    );
    assert!(
        outcomes.get("bind unknown").copied().unwrap_or(0) > 0,
        "{outcomes:?}"
    );
    assert!(
        outcomes.get("bind refused").copied().unwrap_or(0) > 0,
        "{outcomes:?}"
    );
    eprintln!(
        "seed {seed:#x}: {outcomes:?}; injected not-sent/lost/5xx/throttled {injected:?}; \
         {} bindings at the end ({} uncertain binds, {} uncertain unbinds)",
        platform.len(),
        view.uncertain_binds.len(),
        view.uncertain_unbinds.len()
    );
    emu.stop();
}
