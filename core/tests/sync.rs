//! `client::sync`: a `Mirror` keeps an engine in step with a scripted
//! platform (no network): write-ahead binds, modifications and unbinds,
//! unknown outcomes, and reconciling.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use privnum::client::any::AnyOperation;
use privnum::client::axb::{AxbBind, AxbModify, AxbUnbind};
use privnum::client::retry::{Client, Clock};
use privnum::client::sync::{Answer, CODE_RECONCILED, Difference, Mirror};
use privnum::client::transport::{OwnedResponse, Transport, TransportError};
use privnum::client::{HttpRequest, Method};
use privnum::engine::{
    BindRequest, BindingId, Engine, EngineConfig, EventKind, Mode, Settings, ShapeRequest, State,
    XChoice,
};
use privnum::number::parse;
use privnum::{ErrorKind, Number, Signer};
use serde_json::json;

const KEY: &str = "a1d1f50cad21415fbdd13d8f53d36d60";
const SECRET: &str = "cfc881cc704c4fba8d8fef5788e03e6b";
const BASE: &str = "https://platform.example";
const X: &str = "+8617000000010";
const A: &str = "+8613800000001";
const B: &str = "+8613900000002";

type Reply = Result<OwnedResponse, TransportError>;

/// Answers from a script, one per request, and keeps the requests.
#[derive(Default)]
struct Scripted {
    replies: Mutex<VecDeque<Reply>>,
    seen: Mutex<Vec<HttpRequest>>,
}

impl Scripted {
    fn push(&self, replies: Vec<Reply>) {
        self.replies.lock().unwrap().extend(replies);
    }

    fn methods(&self) -> Vec<Method> {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .map(HttpRequest::method)
            .collect()
    }

    fn paths(&self) -> Vec<String> {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .map(|r| r.path_and_query().to_owned())
            .collect()
    }

    fn clear(&self) {
        self.seen.lock().unwrap().clear();
    }

    fn left(&self) -> usize {
        self.replies.lock().unwrap().len()
    }
}

impl Transport for Scripted {
    fn send(&self, base_url: &str, request: &HttpRequest) -> Reply {
        assert_eq!(base_url, BASE);
        self.seen.lock().unwrap().push(request.clone());
        self.replies
            .lock()
            .unwrap()
            .pop_front()
            .unwrap_or_else(|| Err(TransportError::not_sent("the script has no answer left")))
    }
}

/// A clock that never waits: waits advance it.
#[derive(Clone)]
struct FakeClock {
    now: Arc<Mutex<i64>>,
}

impl Clock for FakeClock {
    fn unix_now(&self) -> privnum::Result<i64> {
        Ok(*self.now.lock().unwrap())
    }

    fn sleep(&self, d: Duration) {
        *self.now.lock().unwrap() += i64::try_from(d.as_secs()).unwrap_or(0);
    }

    fn jitter(&self) -> f64 {
        0.0
    }
}

struct Harness {
    script: Arc<Scripted>,
    clock: FakeClock,
    mirror: Mirror,
}

impl Harness {
    fn new() -> Self {
        let script = Arc::new(Scripted::default());
        let clock = FakeClock {
            now: Arc::new(Mutex::new(1_700_000_000)),
        };
        let client =
            Client::with_transport(BASE, Signer::new(KEY, SECRET).unwrap(), Arc::clone(&script))
                .unwrap()
                .with_clock(clock.clone());
        let mut config = EngineConfig::new(Mode::Axb);
        config.id_seed = Some(7);
        let engine = Engine::new(config).unwrap();
        Self {
            script,
            clock,
            mirror: Mirror::new(client, engine),
        }
    }

    fn engine(&self) -> &Engine {
        self.mirror.engine()
    }

    fn advance(&self, secs: i64) {
        *self.clock.now.lock().unwrap() += secs;
    }

    fn events(&self) -> Vec<(EventKind, Option<String>)> {
        self.engine()
            .poll_events(100)
            .into_iter()
            .map(|e| (e.kind, e.code))
            .collect()
    }
}

fn n(s: &str) -> Number {
    parse(s).unwrap()
}

fn id(s: &str) -> BindingId {
    BindingId::new(s).unwrap()
}

fn ok(body: &str) -> Reply {
    Ok(OwnedResponse::new(200, body.as_bytes().to_vec()))
}

fn answer(status: u16, code: &str) -> Reply {
    Ok(OwnedResponse::new(
        status,
        format!(r#"{{"resultcode":"{code}","resultdesc":"desc"}}"#).into_bytes(),
    ))
}

fn maybe_sent() -> Reply {
    Err(TransportError::maybe_sent("read timed out"))
}

const BOUND: &str = r#"{"resultcode":"0","subscriptionId":"sub-1","relationNum":"+8617000000010"}"#;
const FOUND: &str = r#"{"resultcode":"0","totalCount":1,"relationNumList":[{"subscriptionId":"sub-found","relationNum":"+8617000000010","callerNum":"+8613800000001","calleeNum":"+8613900000002","userData":"order-42"}]}"#;
const EMPTY: &str = r#"{"resultcode":"0","totalCount":0,"relationNumList":[]}"#;

fn bind() -> AxbBind {
    let mut b = AxbBind::new(n(A), n(B));
    b.relation_num = Some(n(X));
    b.user_data = Some("order-42".into());
    b
}

#[test]
fn a_confirmed_bind_is_active_under_the_platforms_id() {
    let h = Harness::new();
    h.script.push(vec![ok(BOUND)]);
    let m = h.mirror.bind(&bind()).unwrap();
    assert_eq!(m.confirmed().unwrap().subscription_id, "sub-1");
    assert_eq!(m.ids, [id("sub-1")]);
    assert_eq!(m.record_error, None);
    let b = h.engine().get(&id("sub-1")).unwrap();
    assert_eq!((b.state, b.x), (State::Active, Some(n(X))));
    assert_eq!(h.engine().len(), 1);
    assert_eq!(
        h.events(),
        [(EventKind::Requested, None), (EventKind::Bound, None)]
    );
}

#[test]
fn a_refused_bind_is_removed_with_the_platforms_code() {
    let h = Harness::new();
    h.script.push(vec![answer(200, "1012010")]);
    let m = h.mirror.bind(&bind()).unwrap();
    let Answer::Refused(e) = &m.answer else {
        panic!("{m:?}")
    };
    assert_eq!(e.kind(), ErrorKind::PlatformConflict);
    assert!(h.engine().is_empty());
    assert!(m.bindings.is_empty());
    assert_eq!(
        h.events(),
        [
            (EventKind::Requested, None),
            (EventKind::Failed, Some("1012010".into()))
        ]
    );
}

#[test]
fn a_bind_the_engine_refuses_is_never_sent() {
    let h = Harness::new();
    h.script.push(vec![ok(BOUND)]);
    h.mirror.bind(&bind()).unwrap();
    // A again on the same X: refused locally (1012010), nothing sent.
    h.script.clear();
    let mut again = bind();
    again.callee_num = n("+8613900000003");
    let e = h.mirror.bind(&again).unwrap_err();
    assert_eq!(e.platform_code(), Some("1012010"));
    assert!(h.script.methods().is_empty());
    // An operation that does not validate: nothing recorded either.
    let mut bad = bind();
    bad.max_duration = Some(5000);
    assert!(h.mirror.bind(&bad).is_err());
    assert_eq!(h.engine().len(), 1);
}

#[test]
fn a_bind_that_timed_out_and_was_found_is_confirmed() {
    let h = Harness::new();
    h.script.push(vec![maybe_sent(), ok(FOUND)]);
    let m = h.mirror.bind(&bind()).unwrap();
    assert_eq!(m.confirmed().unwrap().subscription_id, "sub-found");
    assert_eq!(h.script.methods(), [Method::Post, Method::Get]);
    assert_eq!(
        h.engine().get(&id("sub-found")).unwrap().state,
        State::Active
    );
}

#[test]
fn a_bind_that_timed_out_and_was_not_found_is_sent_again() {
    let h = Harness::new();
    h.script.push(vec![maybe_sent(), ok(EMPTY), ok(BOUND)]);
    let m = h.mirror.bind(&bind()).unwrap();
    assert_eq!(m.ids, [id("sub-1")]);
    assert_eq!(
        h.script.methods(),
        [Method::Post, Method::Get, Method::Post]
    );
    assert_eq!(h.engine().len(), 1);
}

#[test]
fn an_unknown_bind_stays_requested_until_reconciled() {
    let h = Harness::new();
    // The settling query fails: outcome unknown.
    h.script.push(vec![maybe_sent(), answer(401, "1010010")]);
    let m = h.mirror.bind(&bind()).unwrap();
    let Answer::Unknown(e) = &m.answer else {
        panic!("{m:?}")
    };
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown);
    let pending = m.ids[0].clone();
    assert!(pending.is_pending());
    assert_eq!(h.engine().get(&pending).unwrap().state, State::Requested);
    // It holds its place: the same bind is refused locally meanwhile.
    h.script.clear();
    assert!(h.mirror.bind(&bind()).is_err());
    assert!(h.script.methods().is_empty());

    // Later, reconciling finds it on X: confirmed under the platform's id.
    h.script.push(vec![ok(FOUND)]);
    let r = h.mirror.reconcile(true).unwrap();
    assert_eq!(r.differences.len(), 1);
    assert!(matches!(
        &r.differences[0],
        Difference::RequestedButPresent { local, took_effect: Some(true), .. } if local.id == pending
    ));
    assert_eq!(r.applied.as_ref().unwrap().applied, 1);
    assert!(h.engine().get(&pending).is_none());
    assert_eq!(
        h.engine().get(&id("sub-found")).unwrap().state,
        State::Active
    );
    assert_eq!(
        h.script.paths(),
        [
            "/rest/caas/relationnumber/partners/v1.0?relationNum=%2B8617000000010&pageIndex=1&pageSize=100"
        ]
    );
}

#[test]
fn a_crash_before_recording_is_resolved_by_reconciling() {
    // The process died after `request_bind` (and maybe after sending):
    // the engine holds pending requests only.
    let h = Harness::new();
    let pending = |b: &str| BindRequest {
        shape: ShapeRequest::Pair { a: n(A), b: n(b) },
        x: XChoice::Given(n(X)),
        settings: Settings::default(),
        id: None,
    };
    let sent = h.engine().request_bind(&pending(B), 1_700_000_000).unwrap();
    let mut never = pending("+8613900000003");
    never.shape = ShapeRequest::Pair {
        a: n("+8613800000003"),
        b: n("+8613900000003"),
    };
    let lost = h.engine().request_bind(&never, 1_700_000_000).unwrap();
    // And one whose X the platform was to choose: nothing to look up.
    let mut no_x = pending("+8613900000004");
    no_x.shape = ShapeRequest::Pair {
        a: n("+8613800000004"),
        b: n("+8613900000004"),
    };
    no_x.x = XChoice::Platform;
    let unknown = h.engine().request_bind(&no_x, 1_700_000_000).unwrap();

    h.script.push(vec![ok(FOUND)]);
    let r = h.mirror.reconcile(true).unwrap();
    assert_eq!(r.unchecked, std::slice::from_ref(&unknown.id));
    assert!(r.query_errors.is_empty());
    let mut kinds: Vec<(&str, BindingId)> = r
        .differences
        .iter()
        .map(|d| match d {
            Difference::RequestedButPresent { local, .. } => ("present", local.id.clone()),
            Difference::RequestedButAbsent { local } => ("absent", local.id.clone()),
            other => panic!("{other:?}"),
        })
        .collect();
    kinds.sort_by_key(|k| k.0);
    assert_eq!(kinds, [("absent", lost.id.clone()), ("present", sent.id)]);
    assert!(h.engine().get(&lost.id).is_none());
    assert!(h.engine().get(&id("sub-found")).is_some());
    assert_eq!(h.engine().get(&unknown.id).unwrap().state, State::Requested);
    let failed: Vec<_> = h
        .events()
        .into_iter()
        .filter(|e| e.0 == EventKind::Failed)
        .collect();
    assert_eq!(failed, [(EventKind::Failed, Some(CODE_RECONCILED.into()))]);
}

#[test]
fn modifications_are_recorded_write_ahead() {
    let h = Harness::new();
    h.script.push(vec![ok(BOUND)]);
    h.mirror.bind(&bind()).unwrap();

    // Confirmed: applied.
    let mut m = AxbModify::new("sub-1");
    m.record_flag = Some(true);
    m.user_data = Some("order-43".into());
    h.script.push(vec![answer(200, "0")]);
    let out = h.mirror.modify(&m).unwrap();
    assert_eq!(out.answer, Answer::Confirmed(()));
    let b = h.engine().get(&id("sub-1")).unwrap();
    assert!(b.settings.record);
    assert_eq!(
        b.settings.extras.as_ref().and_then(|e| e.user_data.clone()),
        Some("order-43".into())
    );

    // Refused: as before.
    let mut m2 = AxbModify::new("sub-1");
    m2.record_flag = Some(false);
    h.script.push(vec![answer(403, "1010002")]);
    let out = h.mirror.modify(&m2).unwrap();
    assert!(matches!(out.answer, Answer::Refused(_)));
    let b = h.engine().get(&id("sub-1")).unwrap();
    assert_eq!((b.state, b.settings.record), (State::Active, true));

    // No answer after every attempt: left modifying.
    h.script
        .push(vec![maybe_sent(), maybe_sent(), maybe_sent()]);
    let out = h.mirror.modify(&m2).unwrap();
    assert!(
        matches!(&out.answer, Answer::Unknown(e) if e.kind() == ErrorKind::TransportNoResponse)
    );
    assert_eq!(
        h.engine().get(&id("sub-1")).unwrap().state,
        State::Modifying
    );
    // Reconciling sees the old value: it did not take effect.
    h.script.push(vec![ok(
        r#"{"resultcode":"0","relationNumList":[{"subscriptionId":"sub-1","relationNum":"+8617000000010","callerNum":"+8613800000001","calleeNum":"+8613900000002","recordFlag":"true","userData":"order-43"}]}"#,
    )]);
    let r = h.mirror.reconcile(true).unwrap();
    assert!(matches!(
        &r.differences[..],
        [Difference::RequestedButPresent {
            took_effect: Some(false),
            ..
        }]
    ));
    let b = h.engine().get(&id("sub-1")).unwrap();
    assert_eq!((b.state, b.settings.record), (State::Active, true));

    // A binding the engine does not know is not modified.
    h.script.clear();
    let e = h.mirror.modify(&AxbModify::new("nope")).unwrap_err();
    assert!(matches!(
        e.kind(),
        ErrorKind::BindingNotFound | ErrorKind::InvalidArgument
    ));
    assert!(h.script.methods().is_empty());
}

#[test]
fn unbinds_are_recorded_write_ahead() {
    let h = Harness::new();
    h.script.push(vec![ok(BOUND)]);
    h.mirror.bind(&bind()).unwrap();

    // No answer: left unbinding; "not found" on the retry: gone.
    h.script
        .push(vec![maybe_sent(), maybe_sent(), maybe_sent()]);
    let op = AxbUnbind::BySubscriptionId("sub-1".into());
    let out = h.mirror.unbind(&op).unwrap();
    assert!(matches!(out.answer, Answer::Unknown(_)));
    assert_eq!(
        h.engine().get(&id("sub-1")).unwrap().state,
        State::Unbinding
    );
    // Cannot unbind twice while pending.
    assert!(h.mirror.unbind(&op).is_err());
    // Reconciling: absent on X, so the unbind took effect.
    h.script.push(vec![ok(EMPTY)]);
    let r = h.mirror.reconcile(true).unwrap();
    assert!(matches!(
        &r.differences[..],
        [Difference::RequestedButAbsent { .. }]
    ));
    assert!(h.engine().is_empty());

    // Confirmed, and "not found" counts as done.
    for reply in [answer(200, "0"), answer(200, "1016001")] {
        h.script.push(vec![ok(BOUND)]);
        h.mirror.bind(&bind()).unwrap();
        h.script.push(vec![reply]);
        let out = h.mirror.unbind(&op).unwrap();
        assert_eq!(out.answer, Answer::Confirmed(()));
        assert!(h.engine().is_empty());
    }
    // Refused: back to active.
    h.script.push(vec![ok(BOUND)]);
    h.mirror.bind(&bind()).unwrap();
    h.script.push(vec![answer(403, "1010002")]);
    let out = h.mirror.unbind(&op).unwrap();
    assert!(matches!(out.answer, Answer::Refused(_)));
    assert_eq!(h.engine().get(&id("sub-1")).unwrap().state, State::Active);
}

#[test]
fn reconcile_reports_each_kind_of_difference() {
    let h = Harness::new();
    let now = 1_700_000_000;
    let e = h.engine();
    let req = |a: &str, b: &str, id: Option<&str>| BindRequest {
        shape: ShapeRequest::Pair { a: n(a), b: n(b) },
        x: XChoice::Given(n(X)),
        settings: Settings::default(),
        id: id.map(self::id),
    };
    e.bind(&req(A, B, Some("same")), now).unwrap();
    e.bind(&req("+8613800000002", "+8613900000003", Some("gone")), now)
        .unwrap();
    e.request_bind(&req("+8613800000003", "+8613900000004", None), now)
        .unwrap();
    e.request_bind(&req("+8613800000004", "+8613900000005", None), now)
        .unwrap();
    // Two pages: 100 entries (the first being "same" with other settings,
    // then 98 made elsewhere, then the pending one), then one more.
    let entry = |id: &str, a: &str, b: &str, extra: &str| {
        format!(
            r#"{{"subscriptionId":"{id}","relationNum":"{X}","callerNum":"{a}","calleeNum":"{b}","callDirection":0{extra}}}"#
        )
    };
    let mut page1 = vec![entry("same", A, B, r#","recordFlag":"true""#)];
    page1.push(entry("sub-4", "+8613800000003", "+8613900000004", ""));
    for i in 0..98 {
        page1.push(entry(
            &format!("other-{i}"),
            &format!("+861350000{i:04}"),
            &format!("+861360000{i:04}"),
            "",
        ));
    }
    let page2 = [entry("last", "+8613700000001", "+8613700000002", "")];
    let body = |list: &[String]| {
        format!(
            r#"{{"resultcode":"0","totalCount":101,"relationNumList":[{}]}}"#,
            list.join(",")
        )
    };
    h.script.push(vec![ok(&body(&page1)), ok(&body(&page2))]);
    h.advance(10);
    let r = h.mirror.reconcile(false).unwrap();
    assert_eq!(h.script.left(), 0);
    assert!(r.applied.is_none());
    let mut counts = std::collections::BTreeMap::new();
    for d in &r.differences {
        let k = match d {
            Difference::OnlyOnPlatform { .. } => "only_on_platform",
            Difference::OnlyLocal { local } => {
                assert_eq!(local.id, id("gone"));
                "only_local"
            }
            Difference::SettingsDiffer { local, fields, .. } => {
                assert_eq!(
                    (local.id.clone(), fields.clone()),
                    (id("same"), vec!["recordFlag"])
                );
                "settings_differ"
            }
            Difference::RequestedButPresent { platform, .. } => {
                assert_eq!(platform.id, Some(id("sub-4")));
                "requested_but_present"
            }
            Difference::RequestedButAbsent { .. } => "requested_but_absent",
            other => panic!("{other:?}"),
        };
        *counts.entry(k).or_insert(0) += 1;
    }
    assert_eq!(
        counts.into_iter().collect::<Vec<_>>(),
        [
            ("only_local", 1),
            ("only_on_platform", 99),
            ("requested_but_absent", 1),
            ("requested_but_present", 1),
            ("settings_differ", 1),
        ]
    );
    // Nothing changed without `apply`.
    assert_eq!(h.engine().len(), 4);

    // A failed query proves nothing: everything on X is unchecked.
    h.script.push(vec![answer(401, "1010010")]);
    let r = h.mirror.reconcile(true).unwrap();
    assert!(r.differences.is_empty());
    assert_eq!(r.unchecked.len(), 4);
    assert_eq!(r.query_errors.len(), 1);
    assert_eq!(h.engine().len(), 4);

    // Applied: the engine holds what the platform holds.
    h.script.push(vec![ok(&body(&page1)), ok(&body(&page2))]);
    let r = h.mirror.reconcile(true).unwrap();
    let report = r.applied.unwrap();
    assert_eq!(report.applied, r.differences.len(), "{report:?}");
    assert_eq!(h.engine().len(), 101);
    assert!(h.engine().get(&id("same")).unwrap().settings.record);
}

#[test]
fn tick_expires_by_the_clients_clock() {
    let h = Harness::new();
    let mut b = bind();
    b.duration = Some(60);
    h.script.push(vec![ok(BOUND)]);
    h.mirror.bind(&b).unwrap();
    assert_eq!(h.mirror.tick().unwrap(), 0);
    h.advance(61);
    assert_eq!(h.mirror.tick().unwrap(), 1);
    assert!(h.engine().is_empty());
    // Debug output never shows the secret.
    let text = format!("{:?}", h.mirror);
    assert!(!text.contains(SECRET), "{text}");
}

// ---------------------------------------------------------------------------
// By name, with JSON answers (what the C ABI and Python use)
// ---------------------------------------------------------------------------

fn any(name: &str, args: serde_json::Value) -> AnyOperation {
    AnyOperation::from_json(name, &args).unwrap()
}

#[test]
fn call_any_binds_and_answers_json() {
    let h = Harness::new();
    h.script.push(vec![ok(BOUND)]);
    let v = h
        .mirror
        .call_any(&any(
            "axb.bind",
            json!({"callerNum": A, "calleeNum": B, "relationNum": X}),
        ))
        .unwrap();
    assert_eq!(v["operation"], "axb.bind");
    assert_eq!(v["answer"], "confirmed");
    assert_eq!(v["output"]["subscription_id"], "sub-1");
    assert_eq!(v["error"], json!(null));
    assert_eq!(v["ids"], json!(["sub-1"]));
    assert_eq!(v["bindings"][0]["id"], "sub-1");
    assert_eq!(v["bindings"][0]["state"], "active");
    assert_eq!(v["bindings"][0]["x"], X);
    assert_eq!(v["record_error"], json!(null));

    // A modification and an unbind by name.
    h.script.push(vec![answer(200, "0"), answer(200, "0")]);
    let v = h
        .mirror
        .call_any(&any(
            "axb.modify",
            json!({"subscriptionId": "sub-1", "recordFlag": true}),
        ))
        .unwrap();
    assert_eq!(
        (v["answer"].clone(), v["output"].clone()),
        (json!("confirmed"), json!({}))
    );
    assert!(h.engine().get(&id("sub-1")).unwrap().settings.record);
    let v = h
        .mirror
        .call_any(&any("axb.unbind", json!({"subscriptionId": "sub-1"})))
        .unwrap();
    assert_eq!(v["answer"], "confirmed");
    assert_eq!(v["bindings"], json!([]));
    assert!(h.engine().is_empty());
}

#[test]
fn call_any_reports_refusals_and_unknown_outcomes() {
    let h = Harness::new();
    h.script.push(vec![answer(200, "1012010")]);
    let v = h
        .mirror
        .call_any(&any(
            "axb.bind",
            json!({"callerNum": A, "calleeNum": B, "relationNum": X}),
        ))
        .unwrap();
    assert_eq!(v["answer"], "refused");
    assert_eq!(v["output"], json!(null));
    assert_eq!(v["error"]["kind"], "PLATFORM_CONFLICT");
    assert_eq!(v["error"]["platform_code"], "1012010");
    assert_eq!(v["error"]["http_status"], 200);
    assert_eq!(v["bindings"], json!([]));
    assert!(h.engine().is_empty());

    h.script.push(vec![maybe_sent(), answer(401, "1010010")]);
    let v = h
        .mirror
        .call_any(&any(
            "axb.bind",
            json!({"callerNum": A, "calleeNum": B, "relationNum": X}),
        ))
        .unwrap();
    assert_eq!(v["answer"], "unknown");
    assert_eq!(v["error"]["kind"], "OUTCOME_UNKNOWN");
    assert_eq!(v["bindings"][0]["state"], "requested");
    assert!(v["ids"][0].as_str().unwrap().starts_with("pending-"));
}

#[test]
fn call_any_refuses_what_it_does_not_record_without_sending() {
    let h = Harness::new();
    for (name, args) in [
        ("axb.query", json!({"relationNum": X})),
        ("call.stop", json!({"sessionId": "s-1"})),
    ] {
        let e = h.mirror.call_any(&any(name, args)).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument);
        assert!(e.message().contains(name), "{e}");
    }
    // Another mode's bind: the engine's rules refuse it, nothing sent.
    let e = h
        .mirror
        .call_any(&any("ax.bind", json!({"origNum": A, "privateNum": X})))
        .unwrap_err();
    assert_eq!(e.platform_code(), Some("1010040"));
    // A modification of a binding the engine does not hold.
    let e = h
        .mirror
        .call_any(&any(
            "axb.modify",
            json!({"subscriptionId": "nope", "recordFlag": true}),
        ))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BindingNotFound);
    assert!(h.script.methods().is_empty());
}

#[test]
fn reconciliation_as_json() {
    let h = Harness::new();
    let e = h.engine();
    e.bind(
        &BindRequest {
            shape: ShapeRequest::Pair { a: n(A), b: n(B) },
            x: XChoice::Given(n(X)),
            settings: Settings::default(),
            id: Some(id("gone")),
        },
        1_700_000_000,
    )
    .unwrap();
    let elsewhere = r#"{"resultcode":"0","totalCount":1,"relationNumList":[{"subscriptionId":"elsewhere","relationNum":"+8617000000010","callerNum":"+8613800000007","calleeNum":"+8613900000007","callDirection":0,"recordFlag":"true","userData":"u-1"}]}"#;
    h.script.push(vec![ok(elsewhere)]);
    let v = h.mirror.reconcile(false).unwrap().to_json();
    assert_eq!(v["applied"], json!(null));
    assert_eq!(v["unchecked"], json!([]));
    assert_eq!(v["query_errors"], json!([]));
    let d = v["differences"].as_array().unwrap();
    assert_eq!(d.len(), 2, "{v:#}");
    assert_eq!(
        (d[0]["kind"].clone(), d[0]["fix"].clone()),
        (json!("only_local"), json!("remove"))
    );
    assert_eq!(d[0]["local"]["id"], "gone");
    assert_eq!(d[1]["kind"], "only_on_platform");
    assert_eq!(d[1]["fix"], "import");
    let p = &d[1]["platform"];
    assert_eq!(
        (
            p["id"].clone(),
            p["x"].clone(),
            p["shape"].clone(),
            p["a"].clone(),
            p["b"].clone()
        ),
        (
            json!("elsewhere"),
            json!(X),
            json!("pair"),
            json!("+8613800000007"),
            json!("+8613900000007")
        )
    );
    assert_eq!(p["seen"]["record"], true);
    assert_eq!(p["seen"]["direction"], "both");
    assert_eq!(p["seen"]["user_data"], "u-1");
    assert_eq!(p["seen"]["sms"], json!(null));

    h.script.push(vec![ok(elsewhere)]);
    let v = h.mirror.reconcile(true).unwrap().to_json();
    assert_eq!(
        v["applied"],
        json!({"applied": 2, "skipped": 0, "errors": []})
    );
    assert_eq!(
        h.engine().get(&id("elsewhere")).unwrap().state,
        State::Active
    );

    // A failed query is listed with its error.
    h.script.push(vec![answer(401, "1010010")]);
    let v = h.mirror.reconcile(false).unwrap().to_json();
    assert_eq!(v["query_errors"][0]["platform_code"], "1010010");
    assert_eq!(v["unchecked"], json!(["elsewhere"]));
}

#[test]
fn the_engine_stays_shared() {
    let script = Arc::new(Scripted::default());
    let client =
        Client::with_transport(BASE, Signer::new(KEY, SECRET).unwrap(), Arc::clone(&script))
            .unwrap();
    let engine = Arc::new(Engine::new(EngineConfig::new(Mode::Axb)).unwrap());
    let mirror = Mirror::new(client, Arc::clone(&engine));
    script.push(vec![ok(BOUND)]);
    mirror.bind(&bind()).unwrap();
    assert_eq!(engine.get(&id("sub-1")).unwrap().state, State::Active);
    assert!(Arc::ptr_eq(&engine, &mirror.shared_engine()));
}
