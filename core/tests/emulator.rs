//! The platform emulator over real loopback HTTP: privnum's client ops
//! (sans-IO) sent with `ureq`, pushes received by a `tiny_http` webhook that
//! verifies them as an application would.
#![cfg(feature = "emulator")]

mod support;

use std::collections::HashMap;
use std::net::TcpListener;
use std::time::Duration;

use privnum::callback::push::{self, Push};
use privnum::client::axb::{AxbBind, AxbModify, AxbQuery, AxbUnbind};
use privnum::client::{HttpResponse, Operation};
use privnum::emulator::{
    AppConfig, AttemptOutcome, CallOutcome, CallRoute, Emulator, EmulatorConfig, PushStatus,
    SimulatedCall,
};
use privnum::engine::{CloseReason, Mode, Shape};
use privnum::sign::{Scheme, format_created, unix_now};
use privnum::{ErrorKind, Signer};
use support::{
    A, AX_KEY, AX_SECRET, AXB_KEY as KEY, AXB_SECRET as SECRET, B, C, Got, Webhook, call_as,
    control, http, n, raw, start,
};

const X1: &str = "+8617000000010";
const X2: &str = "+8617000000011";
const X3: &str = "+8617000000020";

fn axb_app() -> AppConfig {
    AppConfig::new(Mode::Axb, KEY, SECRET)
        .with_number(n(X1), "0755")
        .unwrap()
        .with_number(n(X2), "0755")
        .unwrap()
        .with_number(n(X3), "010")
        .unwrap()
}

fn ax_app() -> AppConfig {
    AppConfig::new(Mode::Ax, AX_KEY, AX_SECRET)
        .with_number(n("+8617100000001"), "0755")
        .unwrap()
}

// ---------------------------------------------------------------------------
// Client side
// ---------------------------------------------------------------------------

fn call<O: Operation>(emu: &Emulator, op: &O) -> privnum::Result<O::Output> {
    call_as(emu, KEY, SECRET, op)
}

fn assert_refused(got: (u16, serde_json::Value), status: u16, code: &str) {
    assert_eq!(got.0, status, "{}", got.1);
    assert_eq!(got.1["resultcode"], code, "{}", got.1);
    assert!(got.1["resultdesc"].as_str().is_some_and(|d| !d.is_empty()));
}

fn bind(emu: &Emulator, a: &str, b: &str, x: Option<&str>) -> privnum::Result<String> {
    let mut op = AxbBind::new(n(a), n(b));
    op.relation_num = x.map(n);
    call(emu, &op).map(|out| out.subscription_id)
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

#[test]
fn bind_query_modify_unbind_round_trip() {
    let emu = start(vec![axb_app()]);
    assert!(emu.base_url().starts_with("http://127.0.0.1:"));

    // Bind without relationNum: the platform picks an X of the pool.
    let mut op = AxbBind::new(n(A), n(B));
    op.duration = Some(86_400);
    op.max_duration = Some(30);
    op.user_data = Some("order-42".into());
    let bound = call(&emu, &op).unwrap();
    let id = bound.subscription_id.clone();
    assert_eq!(id.len(), 36, "{id}");
    assert_eq!(id.matches('-').count(), 4, "{id}");
    let x = bound
        .relation_num
        .as_ref()
        .and_then(|w| w.number())
        .unwrap();
    assert!([n(X1), n(X2), n(X3)].contains(&x));
    assert_eq!(
        (bound.duration, bound.max_duration),
        (Some(86_400), Some(30))
    );

    // Query by id.
    let found = call(&emu, &AxbQuery::BySubscriptionId(id.clone())).unwrap();
    assert_eq!(found.total_count, Some(1));
    let r = &found.bindings[0];
    assert_eq!(r.subscription_id.as_deref(), Some(id.as_str()));
    assert_eq!(r.caller_num.as_ref().and_then(|w| w.number()), Some(n(A)));
    assert_eq!(r.callee_num.as_ref().and_then(|w| w.number()), Some(n(B)));
    assert_eq!(r.relation_num.as_ref().and_then(|w| w.number()), Some(x));
    assert_eq!((r.duration, r.max_duration), (Some(86_400), Some(30)));
    assert_eq!((r.record_flag, r.private_sms), (Some(false), Some(true)));
    assert_eq!(r.user_data.as_deref(), Some("order-42"));

    // Query on X narrowed to A.
    let q = AxbQuery::OnX {
        relation_num: x,
        caller_num: Some(n(A)),
        callee_num: None,
        page_index: None,
        page_size: None,
    };
    assert_eq!(call(&emu, &q).unwrap().bindings.len(), 1);

    // Modify B and userData; the rest stays.
    let mut m = AxbModify::new(id.clone());
    m.callee_num = Some(n(C));
    m.user_data = Some("order-43".into());
    call(&emu, &m).unwrap();
    let r = &call(&emu, &AxbQuery::BySubscriptionId(id.clone()))
        .unwrap()
        .bindings[0];
    assert_eq!(r.callee_num.as_ref().and_then(|w| w.number()), Some(n(C)));
    assert_eq!(r.user_data.as_deref(), Some("order-43"));
    assert_eq!(r.max_duration, Some(30));
    let held = emu.bindings(KEY).unwrap();
    assert_eq!(held.len(), 1);
    assert!(matches!(held[0].shape, Shape::Pair { b, .. } if b == n(C)));

    // Unbind by id; it is gone.
    call(&emu, &AxbUnbind::BySubscriptionId(id.clone())).unwrap();
    let e = call(&emu, &AxbQuery::BySubscriptionId(id.clone())).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PlatformNotFound);
    assert_eq!(e.platform_code(), Some("1016001"));
    let e = call(&emu, &AxbUnbind::BySubscriptionId(id)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PlatformNotFound);
    assert!(emu.bindings(KEY).unwrap().is_empty());
    emu.stop();
}

#[test]
fn paging_given_x_and_unbinding_everything_on_x() {
    let emu = start(vec![axb_app()]);
    // A given X wins over an area code.
    let mut op = AxbBind::new(n(A), n(B));
    op.relation_num = Some(n(X3));
    op.area_code = Some("0755".into());
    let bound = call(&emu, &op).unwrap();
    assert_eq!(
        bound.relation_num.and_then(|w| w.number()),
        Some(n(X3)),
        "relationNum wins"
    );
    // An area code picks in that area.
    let mut op = AxbBind::new(n("+8613800000099"), n("+8613900000099"));
    op.area_code = Some("0755".into());
    let x = call(&emu, &op)
        .unwrap()
        .relation_num
        .and_then(|w| w.number());
    assert!(x == Some(n(X1)) || x == Some(n(X2)));

    // 12 more pairs on X3: 13 in all, paged by 10.
    for i in 0..12 {
        bind(
            &emu,
            &format!("+86138000001{i:02}"),
            &format!("+86139000001{i:02}"),
            Some(X3),
        )
        .unwrap();
    }
    let page = |index, size| AxbQuery::OnX {
        relation_num: n(X3),
        caller_num: None,
        callee_num: None,
        page_index: index,
        page_size: size,
    };
    let p1 = call(&emu, &page(Some(1), Some(10))).unwrap();
    let p2 = call(&emu, &page(Some(2), Some(10))).unwrap();
    assert_eq!((p1.total_count, p1.bindings.len()), (Some(13), 10));
    assert_eq!((p2.total_count, p2.bindings.len()), (Some(13), 3));
    let all = call(&emu, &page(None, None)).unwrap();
    assert_eq!(all.bindings.len(), 13, "default page size 50");
    let mut ids: Vec<_> = p1
        .bindings
        .iter()
        .chain(&p2.bindings)
        .filter_map(|r| r.subscription_id.clone())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 13, "pages do not overlap");

    // An out-of-range pageSize is the platform's 50, not an error.
    let (status, body) = raw(
        &emu,
        KEY,
        SECRET,
        "GET",
        "/rest/caas/relationnumber/partners/v1.0?relationNum=%2B8617000000020&pageSize=500",
        None,
    );
    assert_eq!((status, body["totalCount"].as_u64()), (200, Some(13)));

    // A raw '+' in the query decodes as a space: refused.
    let got = raw(
        &emu,
        KEY,
        SECRET,
        "DELETE",
        "/rest/caas/relationnumber/partners/v1.0?relationNum=+8617000000020",
        None,
    );
    assert_refused(got, 403, "1010002");

    // relationNum alone removes every binding on X.
    call(&emu, &AxbUnbind::EverythingOnX(n(X3))).unwrap();
    let e = call(&emu, &page(None, None)).unwrap_err();
    assert_eq!(e.platform_code(), Some("1016001"));
    assert_eq!(
        emu.bindings(KEY).unwrap().len(),
        1,
        "the 0755 binding stays"
    );
    let e = call(&emu, &AxbUnbind::EverythingOnX(n(X3))).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PlatformNotFound);
}

#[test]
fn every_auth_failure_has_its_code() {
    let emu = start(vec![axb_app(), ax_app()]);
    let url = format!(
        "{}/rest/caas/relationnumber/partners/v1.0?subscriptionId=s1",
        emu.base_url()
    );
    let get = |headers: &[(&str, &str)]| {
        let (status, _, body) = http("GET", &url, headers, None);
        (
            status,
            serde_json::from_slice::<serde_json::Value>(&body).unwrap(),
        )
    };
    let signer = Signer::new(KEY, SECRET).unwrap();
    let good = signer.sign_now(Scheme::Aksk).unwrap();
    let auth = good.authorization();
    let token = good.value();
    let now = unix_now().unwrap();
    let created = format_created(now).unwrap();
    let created = created.as_str();

    assert_refused(get(&[("X-AKSK", token)]), 400, "1023006");
    assert_refused(
        get(&[
            (
                "Authorization",
                r#"AKSK profile="UsernameToken",type="Appkey""#,
            ),
            ("X-AKSK", token),
        ]),
        400,
        "1023007",
    );
    assert_refused(
        get(&[
            (
                "Authorization",
                r#"AKSK realm="ABC",profile="UsernameToken",type="Appkey""#,
            ),
            ("X-AKSK", token),
        ]),
        400,
        "1023009",
    );
    assert_refused(
        get(&[
            (
                "Authorization",
                r#"AKSK realm="SDP",profile="UsernameToken""#,
            ),
            ("X-AKSK", token),
        ]),
        400,
        "1023012",
    );
    assert_refused(get(&[("Authorization", auth)]), 400, "1023033");
    let no_nonce =
        format!(r#"UsernameToken Username="{KEY}", PasswordDigest="abc=", Created="{created}""#);
    assert_refused(
        get(&[("Authorization", auth), ("X-AKSK", &no_nonce)]),
        400,
        "1023035",
    );
    let bad_created = format!(
        r#"UsernameToken Username="{KEY}", PasswordDigest="abc=", Nonce="1", Created="yesterday""#
    );
    assert_refused(
        get(&[("Authorization", auth), ("X-AKSK", &bad_created)]),
        400,
        "1023038",
    );

    // Through privnum's client: unknown key, wrong secret, stale time, wrong mode.
    let q = AxbQuery::BySubscriptionId("s1".into());
    let e = call_as(&emu, "nosuchkey", SECRET, &q).unwrap_err();
    assert_eq!(
        (e.kind(), e.platform_code(), e.http_status()),
        (ErrorKind::PlatformAuth, Some("1010003"), Some(401))
    );
    let e = call_as(&emu, KEY, "wrong-secret", &q).unwrap_err();
    assert_eq!(
        (e.kind(), e.platform_code(), e.http_status()),
        (ErrorKind::PlatformAuth, Some("1010010"), Some(401))
    );
    let stale = signer.sign_at(Scheme::Aksk, now - 3600).unwrap();
    let got = get(&[
        ("Authorization", stale.authorization()),
        ("X-AKSK", stale.value()),
    ]);
    assert_refused(got.clone(), 401, "1010013");
    let e = q
        .parse(&HttpResponse {
            status: got.0,
            location: None,
            body: got.1.to_string().as_bytes(),
        })
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PlatformClockSkew);
    let e = call_as(&emu, AX_KEY, AX_SECRET, &q).unwrap_err();
    assert_eq!(e.platform_code(), Some("1010040"));
    assert_eq!(e.kind(), ErrorKind::PlatformAuth);

    // The AX application on its own API: authenticated and served (nothing
    // is bound to that A).
    let ax = Signer::new(AX_KEY, AX_SECRET)
        .unwrap()
        .sign_now(Scheme::Aksk)
        .unwrap();
    let (status, _, body) = http(
        "GET",
        &format!(
            "{}/rest/provision/caas/privatenumber/v1.0?origNum=%2B8613800000001",
            emu.base_url()
        ),
        &[
            ("Authorization", ax.authorization()),
            ("X-AKSK", ax.value()),
        ],
        None,
    );
    let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_refused((status, body), 400, "1016001");
    // No API at that path: 404, not JSON (a wrong base URL on the platform).
    let (status, _, body) = http(
        "GET",
        &format!("{}/rest/nothing", emu.base_url()),
        &[],
        None,
    );
    assert_eq!((status, body.as_slice()), (404, &b"Not Found"[..]));
    // A good request still passes.
    assert_eq!(
        call(&emu, &q).unwrap_err().platform_code(),
        Some("1016001"),
        "authenticated, and no such binding"
    );
}

#[test]
fn rules_refuse_as_the_platform_does() {
    let app = AppConfig::new(Mode::Axb, KEY, SECRET)
        .with_number(n(X1), "0755")
        .unwrap();
    let emu = start(vec![app]);
    let path = "/rest/caas/relationnumber/partners/v1.0";

    // A == B (the client refuses it before sending; the platform too).
    let body = format!(r#"{{"callerNum":"{A}","calleeNum":"{A}"}}"#);
    let got = raw(&emu, KEY, SECRET, "POST", path, Some(&body));
    assert_refused(got.clone(), 403, "1010002");
    assert!(got.1["resultdesc"].as_str().unwrap().contains("calleeNum"));
    // Field bounds: the client's rules, the field named.
    for (body, field) in [
        (
            format!(r#"{{"callerNum":"{A}","calleeNum":"{B}","duration":7776001}}"#),
            "duration",
        ),
        (
            format!(r#"{{"callerNum":"{A}","calleeNum":"{B}","callDirection":3}}"#),
            "callDirection",
        ),
        (
            format!(r#"{{"callerNum":"{A}","calleeNum":"{B}","userData":"{{x}}"}}"#),
            "userData",
        ),
        (
            format!(r#"{{"callerNum":"{A}","calleeNum":"{B}","recordFlag":"yes"}}"#),
            "recordFlag",
        ),
        (
            format!(r#"{{"callerNum":"13800000001","calleeNum":"{B}"}}"#),
            "callerNum",
        ),
        (r#"{"calleeNum":"+8613900000002"}"#.to_owned(), "callerNum"),
        ("not json".to_owned(), "body"),
    ] {
        let got = raw(&emu, KEY, SECRET, "POST", path, Some(&body));
        assert!(
            got.1["resultdesc"].as_str().unwrap().contains(field),
            "{body}: {}",
            got.1
        );
        assert_refused(got, 403, "1010002");
    }

    // The same pair twice on one X, then A with someone else on that X.
    let id = bind(&emu, A, B, Some(X1)).unwrap();
    let e = bind(&emu, A, B, Some(X1)).unwrap_err();
    assert_eq!(
        (e.kind(), e.platform_code()),
        (ErrorKind::PlatformConflict, Some("1012010"))
    );
    let e = bind(&emu, B, C, Some(X1)).unwrap_err();
    assert_eq!(e.platform_code(), Some("1012010"), "B already on X");
    // No X left for A in the pool (one X, A on it already).
    let e = bind(&emu, A, C, None).unwrap_err();
    assert_eq!(
        (e.kind(), e.platform_code()),
        (ErrorKind::PlatformExhausted, Some("1012008"))
    );
    // An X the application does not own.
    let e = bind(&emu, C, "+8613900000004", Some(X2)).unwrap_err();
    assert_eq!(
        (e.kind(), e.platform_code()),
        (ErrorKind::PlatformNotFound, Some("1012001"))
    );
    // A modification into a conflict, and on an unknown binding.
    bind(&emu, C, "+8613900000004", Some(X1)).unwrap();
    let mut m = AxbModify::new(id.clone());
    m.callee_num = Some(n(C));
    assert_eq!(call(&emu, &m).unwrap_err().platform_code(), Some("1012010"));
    let mut m = AxbModify::new("00000000-0000-4000-8000-000000000000");
    m.duration = Some(60);
    let e = call(&emu, &m).unwrap_err();
    assert_eq!(
        (e.kind(), e.platform_code()),
        (ErrorKind::PlatformNotFound, Some("1012001"))
    );
    // Unknown subscriptionId: not found for unbind and query.
    let e = call(&emu, &AxbUnbind::BySubscriptionId("nope".into())).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PlatformNotFound);
    let e = call(&emu, &AxbQuery::BySubscriptionId("nope".into())).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PlatformNotFound);
    // Neither subscriptionId nor relationNum.
    assert_refused(raw(&emu, KEY, SECRET, "DELETE", path, None), 403, "1010002");
    // A method the API does not have.
    let (status, body) = raw(&emu, KEY, SECRET, "PATCH", path, Some("{}"));
    assert_eq!(
        (status, body["resultcode"].as_str()),
        (403, Some("1010006"))
    );
}

fn webhook_app(url: &str, scale: u32) -> AppConfig {
    axb_app()
        .with_push_urls(url, None)
        .with_retry_time_scale(scale)
}

#[test]
fn a_simulated_call_pushes_signed_events_in_order_then_the_cdr() {
    let hook = Webhook::start(KEY, SECRET);
    // CDRs leave only when flushed, so that batches are known.
    let emu = Emulator::start(EmulatorConfig {
        cdr_batch_window: Duration::from_secs(30),
        ..EmulatorConfig::new(vec![webhook_app(&hook.at("/push"), 1)])
    })
    .unwrap();
    let mut op = AxbBind::new(n(A), n(B));
    op.relation_num = Some(n(X1));
    op.user_data = Some("ticket-7".into());
    let id = call(&emu, &op).unwrap().subscription_id;

    let report = emu
        .simulate_call(&SimulatedCall::answered(n(A), n(X1), 42))
        .unwrap();
    assert_eq!(report.subscription_id.as_deref(), Some(id.as_str()));
    assert_eq!(
        report.route,
        CallRoute::Connected {
            callee: n(B),
            display: n(X1)
        }
    );
    assert_eq!(
        report.events,
        ["callin", "callout", "alerting", "answer", "disconnect"]
    );
    assert_eq!(report.push_ids.len(), 5);
    assert!(report.cdr_queued);
    emu.flush_cdrs();
    assert!(emu.wait_idle(Duration::from_secs(10)));

    let got = hook.got();
    let events: Vec<&str> = got.iter().map(|g| g.event.as_str()).collect();
    assert_eq!(
        events,
        [
            "callin",
            "callout",
            "alerting",
            "answer",
            "disconnect",
            "fee"
        ]
    );
    assert!(
        got.iter().all(|g| g.verified),
        "every push carries a valid X-AKSK"
    );
    for g in &got[..5] {
        assert_eq!(g.session_id.as_deref(), Some(report.session_id.as_str()));
    }
    assert_eq!(
        got[5].cdr_sessions,
        std::slice::from_ref(&report.session_id)
    );
    let pushes = emu.pushes();
    assert_eq!(pushes.len(), 6);
    assert!(
        pushes
            .iter()
            .all(|p| p.status == PushStatus::Delivered && p.attempts == 1)
    );
    assert!(
        !format!("{:?}", pushes[0]).contains("8613800000001"),
        "Debug hides the body"
    );
    // The bodies as sent parse with privnum's parser and carry the binding.
    let Push::Call(callin) = push::parse(pushes[0].body.as_bytes()).unwrap() else {
        panic!("callin is a call event")
    };
    assert_eq!(callin.info.user_data.as_deref(), Some("ticket-7"));
    assert_eq!(callin.info.subscription_id.as_deref(), Some(id.as_str()));
    let Push::Cdrs(cdrs) = push::parse(pushes[5].body.as_bytes()).unwrap() else {
        panic!("fee is a CDR push")
    };
    assert_eq!((cdrs[0].talk_seconds(), cdrs[0].direction), (42, Some(1)));
    assert_eq!(cdrs[0].app_key.as_deref(), Some(KEY));
    let deliveries = emu.deliveries();
    assert_eq!(deliveries.len(), 6);
    assert!(
        deliveries
            .iter()
            .all(|d| d.outcome == AttemptOutcome::Delivered && d.attempt == 1)
    );

    // B calls back: direction 0. A stranger: callin and disconnect (8014).
    let back = emu
        .simulate_call(&SimulatedCall::new(n(B), n(X1), CallOutcome::Busy))
        .unwrap();
    assert_eq!(back.events, ["callin", "callout", "disconnect"]);
    assert_eq!(back.state_code, 8102);
    let stranger = emu
        .simulate_call(&SimulatedCall::answered(n(C), n(X1), 10))
        .unwrap();
    assert_eq!(
        stranger.route,
        CallRoute::Closed {
            reason: CloseReason::NoBinding
        }
    );
    assert_eq!((stranger.events.len(), stranger.state_code), (2, 8014));
    assert_eq!(stranger.subscription_id, None);
    emu.flush_cdrs();
    assert!(emu.wait_idle(Duration::from_secs(10)));
    let got = hook.got();
    assert_eq!(got.len(), 6 + 3 + 2 + 1, "one fee push for both calls");
    assert_eq!(got.last().unwrap().cdr_sessions.len(), 2);
    // A number no application owns cannot be called.
    let e = emu
        .simulate_call(&SimulatedCall::answered(n(A), n("+8617900000000"), 1))
        .unwrap_err();
    assert_eq!(
        (e.kind(), e.field()),
        (ErrorKind::InvalidArgument, Some("dialled"))
    );
}

#[test]
fn cdrs_are_batched_fifty_to_a_push() {
    let hook = Webhook::start(KEY, SECRET);
    let config = EmulatorConfig {
        cdr_batch_window: Duration::from_secs(30),
        ..EmulatorConfig::new(vec![
            webhook_app(&hook.at("/push"), 1)
                .with_push_urls(hook.at("/push"), Some(hook.at("/push/fee"))),
        ])
    };
    let emu = Emulator::start(config).unwrap();
    bind(&emu, A, B, Some(X1)).unwrap();
    for _ in 0..60 {
        emu.simulate_call(&SimulatedCall::answered(n(A), n(X1), 5))
            .unwrap();
    }
    emu.flush_cdrs();
    assert!(emu.wait_idle(Duration::from_secs(30)));
    let fees: Vec<usize> = hook
        .got()
        .iter()
        .filter(|g| g.event == "fee")
        .map(|g| g.cdr_sessions.len())
        .collect();
    assert_eq!(fees.iter().sum::<usize>(), 60, "{fees:?}");
    assert!(fees.iter().all(|&k| (1..=50).contains(&k)), "{fees:?}");
    assert_eq!(fees[0], 50, "a full batch leaves at 50: {fees:?}");
    let fee_urls: Vec<_> = emu
        .pushes()
        .into_iter()
        .filter(|p| p.event == "fee")
        .map(|p| p.url)
        .collect();
    assert!(fee_urls.iter().all(|u| u.ends_with("/push/fee")));
}

#[test]
fn failed_pushes_are_retried_on_the_scaled_schedule() {
    // Scale 6000: a minute is 10 ms; +1 and +4 minutes are 10 and 40 ms.
    let hook = Webhook::start_failing(KEY, SECRET, 2);
    let emu = start(vec![webhook_app(&hook.at("/push"), 6000)]);
    bind(&emu, A, B, Some(X1)).unwrap();
    emu.simulate_call(&SimulatedCall::new(n(A), n(X1), CallOutcome::NoAnswer))
        .unwrap();
    emu.flush_cdrs();
    assert!(emu.wait_idle(Duration::from_secs(20)));

    let pushes = emu.pushes();
    assert_eq!(
        pushes.len(),
        5,
        "callin, callout, alerting, disconnect, fee"
    );
    for p in &pushes {
        assert_eq!((p.status, p.attempts), (PushStatus::Delivered, 3), "{p:?}");
        let tries: Vec<_> = emu
            .deliveries()
            .into_iter()
            .filter(|d| d.push_id == p.id)
            .collect();
        assert_eq!(tries.len(), 3);
        assert!(matches!(
            tries[0].outcome,
            AttemptOutcome::Refused { status: 500 }
        ));
        assert!(matches!(
            tries[1].outcome,
            AttemptOutcome::Refused { status: 500 }
        ));
        assert_eq!(tries[2].outcome, AttemptOutcome::Delivered);
        assert_eq!(tries[0].since_first, Duration::ZERO);
        for (t, minutes) in [(&tries[1], 1), (&tries[2], 4)] {
            let nominal = Duration::from_millis(10 * minutes);
            assert!(
                t.since_first >= nominal,
                "{:?} < {nominal:?}",
                t.since_first
            );
            assert!(
                t.since_first < nominal + Duration::from_secs(5),
                "{:?}",
                t.since_first
            );
        }
    }
    // The webhook saw each push three times, the retries spaced as scheduled.
    let got = hook.got();
    assert_eq!(got.len(), 15);
    let mut by_push: HashMap<String, Vec<&Got>> = HashMap::new();
    for g in &got {
        by_push
            .entry(format!("{}/{:?}", g.event, g.session_id))
            .or_default()
            .push(g);
    }
    for (key, seen) in by_push {
        assert_eq!(
            seen.iter().map(|g| g.answered).collect::<Vec<_>>(),
            [500, 500, 200],
            "{key}"
        );
        assert!(seen.iter().all(|g| g.verified), "retries are signed afresh");
        // The schedule itself is checked on the emulator's side above (the
        // webhook's clock also counts each attempt's transit).
        assert!(seen[0].at < seen[1].at && seen[1].at < seen[2].at, "{key}");
    }
}

#[test]
fn a_push_nobody_answers_is_given_up_after_seven_attempts() {
    // A port with nothing listening: every attempt fails to connect.
    let dead = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/push", dead.local_addr().unwrap());
    drop(dead);
    // Scale 600 000: 300 minutes are 30 ms.
    let emu = start(vec![webhook_app(&url, 600_000)]);
    bind(&emu, A, B, Some(X1)).unwrap();
    emu.simulate_call(&SimulatedCall::new(n(A), n(X1), CallOutcome::Busy))
        .unwrap();
    emu.flush_cdrs();
    assert!(emu.wait_idle(Duration::from_secs(30)));
    let pushes = emu.pushes();
    assert_eq!(pushes.len(), 4);
    for p in &pushes {
        assert_eq!((p.status, p.attempts), (PushStatus::GaveUp, 7), "{p:?}");
    }
    let first: Vec<_> = emu
        .deliveries()
        .into_iter()
        .filter(|d| d.push_id == pushes[0].id)
        .collect();
    assert_eq!(
        first.iter().map(|d| d.attempt).collect::<Vec<_>>(),
        [1, 2, 3, 4, 5, 6, 7]
    );
    assert!(
        first
            .iter()
            .all(|d| matches!(d.outcome, AttemptOutcome::Failed { .. }))
    );
    assert!(first[6].since_first >= Duration::from_millis(30));
}

#[test]
fn the_control_interface_over_http() {
    let hook = Webhook::start(KEY, SECRET);
    let emu = start(vec![webhook_app(&hook.at("/push"), 1)]);
    bind(&emu, A, B, Some(X1)).unwrap();
    let get = |path: &str| control(&emu, "GET", path, "");
    let post = |path: &str, body: &str| control(&emu, "POST", path, body);

    let (status, apps) = get("apps");
    assert_eq!(status, 200);
    assert_eq!(apps["ok"][0]["app_key"], KEY);
    assert_eq!(apps["ok"][0]["mode"], "axb");
    assert!(
        !apps.to_string().contains(SECRET),
        "no secret over the control interface"
    );

    let (status, b) = get(&format!("bindings?app_key={KEY}"));
    assert_eq!(status, 200);
    assert_eq!(b["ok"][0]["bindings"].as_array().unwrap().len(), 1);

    let (status, r) = post(
        "calls",
        &format!(r#"{{"caller":"{A}","dialled":"{X1}","outcome":"answered","talk_secs":12}}"#),
    );
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["ok"]["route"]["operation"], "connect");
    assert_eq!(r["ok"]["events"].as_array().unwrap().len(), 5);
    let (_, _) = post("cdrs/flush", "");
    let (status, idle) = post("wait_idle?timeout_ms=10000", "");
    assert_eq!((status, idle["ok"].as_bool()), (200, Some(true)));
    let (_, d) = get("deliveries");
    let d = d["ok"].as_array().unwrap().clone();
    assert_eq!(d.len(), 6);
    assert!(
        d.iter()
            .all(|a| a["outcome"] == "delivered" && a["status"] == 200)
    );
    let (_, p) = get("pushes");
    assert_eq!(p["ok"][5]["event"], "fee");
    assert_eq!(hook.got().len(), 6);

    let (status, e) = post("calls", r#"{"caller":"+8613800000001"}"#);
    assert_eq!(status, 400);
    assert_eq!(e["error"]["field"], "dialled");
    let (status, e) = post(
        "calls",
        &format!(r#"{{"caller":"{A}","dialled":"+8617900000000"}}"#),
    );
    assert_eq!(
        (status, e["error"]["kind"].as_str()),
        (400, Some("INVALID_ARGUMENT"))
    );
    let (status, e) = get("bindings?app_key=nope");
    assert_eq!(
        (status, e["error"]["kind"].as_str()),
        (400, Some("INVALID_ARGUMENT"))
    );
    let (status, e) = get("nothing");
    assert_eq!(
        (status, e["error"]["kind"].as_str()),
        (404, Some("INVALID_COMMAND"))
    );
}

#[test]
fn stop_frees_the_port_and_a_busy_port_is_an_error() {
    let emu = start(vec![axb_app()]);
    let addr = emu.addr();
    let busy = Emulator::start(EmulatorConfig {
        port: addr.port(),
        ..EmulatorConfig::new(vec![axb_app()])
    })
    .unwrap_err();
    assert_eq!(busy.kind(), ErrorKind::InvalidArgument);
    emu.stop();
    let again = TcpListener::bind(addr).expect("the port is free after stop()");
    drop(again);
    // Dropping stops it too; a fixed port can be reused right away.
    let emu = Emulator::start(EmulatorConfig {
        port: addr.port(),
        ..EmulatorConfig::new(vec![axb_app()])
    })
    .unwrap();
    assert_eq!(emu.addr(), addr);
    drop(emu);
    TcpListener::bind(addr).expect("the port is free after drop");
    // A bad configuration never starts.
    let e = Emulator::start(EmulatorConfig::new(vec![])).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
}
