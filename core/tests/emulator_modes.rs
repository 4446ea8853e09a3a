//! The emulator's AX, AXE and AXYB APIs, callStop, recording downloads,
//! simulated calls and SMS of those modes, X-number status pushes and the
//! clock control, over real loopback HTTP: privnum's client ops (sans-IO)
//! sent with `ureq`, pushes received by a `tiny_http` webhook and parsed by
//! privnum's own push parser.
#![cfg(feature = "emulator")]

mod support;

use privnum::callback::codes::{NumberStatus, UnavailableCause};
use privnum::callback::push::{self, CallEventKind, Push};
use privnum::client::ax::{
    AxBind, AxModify, AxQuery, AxSetTempCallee, AxTarget, AxUnbind, TurnFlag,
};
use privnum::client::axb::{AxbBind, AxbQuery};
use privnum::client::axe::{AxeBind, AxeModify, AxeQuery, AxeTarget, AxeUnbind, TimeUnit};
use privnum::client::axyb::{
    AxybBindAx, AxybBindYb, AxybQuery, AxybQueryBy, AxybUnbind, AxybUnbindScope,
};
use privnum::client::call::CallStop;
use privnum::client::recording::RecordingDownloadUrl;
use privnum::emulator::{
    AppConfig, CallOutcome, CallRoute, SimulatedCall, SimulatedSms, SmsOutcome,
};
use privnum::engine::{CloseReason, Ext, Mode, XStatus};
use privnum::sign::unix_now;
use support::{
    A, AX_KEY, AX_SECRET, AXB_KEY, AXB_SECRET, AXE_KEY, AXE_SECRET, AXYB_KEY, AXYB_SECRET, B,
    BlockReply, C, Webhook, app, call_as, control, http, idle, n, names, raw, start_unbatched, xs,
};

fn code(e: &privnum::Error) -> Option<&str> {
    e.platform_code()
}

/// `support::with_hook`, and X-number status pushes to `/status` too.
fn with_hook(a: AppConfig, hook: &Webhook) -> AppConfig {
    support::with_hook(a, hook).with_x_status_url(hook.at("/status"))
}

// AX
// ---------------------------------------------------------------------------

#[test]
fn ax_api_round_trip_and_rules() {
    let x = xs("171", 7);
    let other = xs("174", 1);
    let emu = start_unbatched(vec![
        app(Mode::Ax, AX_KEY, AX_SECRET, &x),
        app(Mode::Axb, AXB_KEY, AXB_SECRET, &other),
    ]);
    // Bind by area code: the platform picks an X.
    let mut op = AxBind::new(n(A));
    op.area_code = Some("0755".into());
    op.user_data = Some("order-1".into());
    op.turn_flag = Some(TurnFlag::On);
    op.max_duration = Some(30);
    let bound = call_as(&emu, AX_KEY, AX_SECRET, &op).unwrap();
    let x1 = bound.private_num.as_ref().and_then(|w| w.number()).unwrap();
    assert!(x.contains(&x1));
    assert_eq!(bound.orig_num.and_then(|w| w.number()), Some(n(A)));
    let id = bound.subscription_id;

    // Query three ways.
    for q in [
        AxQuery::BySubscriptionId(id.clone()),
        AxQuery::ByOrigNum(n(A)),
        AxQuery::ByPrivateNum(x1),
    ] {
        let found = call_as(&emu, AX_KEY, AX_SECRET, &q).unwrap();
        assert_eq!(found.bindings.len(), 1, "{q:?}");
        let r = &found.bindings[0];
        assert_eq!(r.subscription_id.as_deref(), Some(id.as_str()));
        assert_eq!(r.orig_num.as_ref().and_then(|w| w.number()), Some(n(A)));
        assert_eq!(r.private_num.as_ref().and_then(|w| w.number()), Some(x1));
        assert_eq!(r.user_data.as_deref(), Some("order-1"));
        assert_eq!(r.turn_flag, Some(TurnFlag::On));
        assert_eq!(r.max_duration, Some(30));
    }

    // Modify by X: userData and the switch; the rest stays.
    let mut m = AxModify::new(AxTarget::PrivateNum(x1));
    m.user_data = Some("order-2".into());
    m.turn_flag = Some(TurnFlag::Off);
    call_as(&emu, AX_KEY, AX_SECRET, &m).unwrap();
    let r = call_as(
        &emu,
        AX_KEY,
        AX_SECRET,
        &AxQuery::BySubscriptionId(id.clone()),
    )
    .unwrap()
    .bindings
    .remove(0);
    assert_eq!(r.user_data.as_deref(), Some("order-2"));
    assert_eq!(
        (r.turn_flag, r.max_duration),
        (Some(TurnFlag::Off), Some(30))
    );

    // Temporary callee; an origNum that is not X's A is refused.
    call_as(&emu, AX_KEY, AX_SECRET, &AxSetTempCallee::new(x1, n(B))).unwrap();
    let mut wrong = AxSetTempCallee::new(x1, n(B));
    wrong.orig_num = Some(n(C));
    let e = call_as(&emu, AX_KEY, AX_SECRET, &wrong).unwrap_err();
    assert_eq!(code(&e), Some("1012001"));

    // A holds at most 5 X: four more bind, the sixth is 1011003.
    for _ in 0..4 {
        call_as(&emu, AX_KEY, AX_SECRET, &AxBind::new(n(A))).unwrap();
    }
    let e = call_as(&emu, AX_KEY, AX_SECRET, &AxBind::new(n(A))).unwrap_err();
    assert_eq!(code(&e), Some("1011003"), "{e}");
    // One A per X: 1011005. An X of another application: 1011004.
    let mut taken = AxBind::new(n(B));
    taken.private_num = Some(x1);
    assert_eq!(
        code(&call_as(&emu, AX_KEY, AX_SECRET, &taken).unwrap_err()),
        Some("1011005")
    );
    let mut foreign = AxBind::new(n(B));
    foreign.private_num = Some(other[0]);
    assert_eq!(
        code(&call_as(&emu, AX_KEY, AX_SECRET, &foreign).unwrap_err()),
        Some("1011004")
    );
    // areaCode without privateNumType is refused, naming the field.
    let (status, body) = raw(
        &emu,
        AX_KEY,
        AX_SECRET,
        "POST",
        "/rest/provision/caas/privatenumber/v1.0",
        Some(r#"{"origNum":"+8613900000002","areaCode":"0755"}"#),
    );
    assert_eq!(
        (status, body["resultcode"].as_str()),
        (403, Some("1010002"))
    );
    assert!(
        body["resultdesc"]
            .as_str()
            .unwrap()
            .contains("privateNumType")
    );
    // The AXB key on the AX API: 1010040.
    let e = call_as(&emu, AXB_KEY, AXB_SECRET, &AxQuery::ByOrigNum(n(A))).unwrap_err();
    assert_eq!(code(&e), Some("1010040"));

    // Unbind by X (origNum is not needed); then it is gone.
    call_as(
        &emu,
        AX_KEY,
        AX_SECRET,
        &AxUnbind::ByX {
            private_num: x1,
            orig_num: None,
        },
    )
    .unwrap();
    let e = call_as(
        &emu,
        AX_KEY,
        AX_SECRET,
        &AxQuery::BySubscriptionId(id.clone()),
    )
    .unwrap_err();
    assert_eq!(code(&e), Some("1016001"));
    let e = call_as(&emu, AX_KEY, AX_SECRET, &AxUnbind::BySubscriptionId(id)).unwrap_err();
    assert_eq!(code(&e), Some("1012001"));
    assert_eq!(
        call_as(&emu, AX_KEY, AX_SECRET, &AxQuery::ByOrigNum(n(A)))
            .unwrap()
            .bindings
            .len(),
        4
    );
}

#[test]
fn ax_calls_reach_a_and_a_reaches_the_temporary_callee() {
    let hook = Webhook::start(AX_KEY, AX_SECRET);
    let x = xs("171", 1);
    let emu = start_unbatched(vec![with_hook(app(Mode::Ax, AX_KEY, AX_SECRET, &x), &hook)]);
    let mut op = AxBind::new(n(A));
    op.private_num = Some(x[0]);
    let id = call_as(&emu, AX_KEY, AX_SECRET, &op)
        .unwrap()
        .subscription_id;

    // Anyone → X → A, who sees X.
    let r = emu
        .simulate_call(&SimulatedCall::answered(n(C), x[0], 20))
        .unwrap();
    assert_eq!(
        r.route,
        CallRoute::Connected {
            callee: n(A),
            display: x[0]
        }
    );
    // A → X without a temporary callee: 8013.
    let r = emu
        .simulate_call(&SimulatedCall::answered(n(A), x[0], 20))
        .unwrap();
    assert_eq!(
        (r.route, r.state_code),
        (
            CallRoute::Closed {
                reason: CloseReason::NoTempCallee
            },
            8013
        )
    );
    // With one: A → X → B.
    call_as(&emu, AX_KEY, AX_SECRET, &AxSetTempCallee::new(x[0], n(B))).unwrap();
    let r = emu
        .simulate_call(&SimulatedCall::answered(n(A), x[0], 20))
        .unwrap();
    assert_eq!(
        r.route,
        CallRoute::Connected {
            callee: n(B),
            display: x[0]
        }
    );
    idle(&emu);
    let ev = hook.events();
    assert_eq!(
        names(&ev),
        [
            "callin",
            "callout",
            "alerting",
            "answer",
            "disconnect", // C → A
            "callin",
            "disconnect", // A without callee
            "callin",
            "callout",
            "alerting",
            "answer",
            "disconnect", // A → B
        ]
    );
    assert!(
        ev.iter()
            .all(|(_, _, i)| i["subscriptionId"] == id.as_str())
    );
    assert_eq!(ev[1].2["called"], A);
    assert_eq!(ev[6].2["stateCode"], 8013);
    assert_eq!(ev[8].2["called"], B);
    // CDR directions: 0 = someone called A, 1 = A called out.
    let mut dirs = Vec::new();
    for g in hook.got().iter().filter(|g| g.path == "/fee") {
        let Push::Cdrs(records) = push::parse(&g.body).unwrap() else {
            panic!("fee push")
        };
        dirs.extend(records.iter().map(|r| r.direction));
    }
    assert_eq!(dirs, [Some(0), Some(2), Some(1)]);
}

// ---------------------------------------------------------------------------
// AXE
// ---------------------------------------------------------------------------

#[test]
fn axe_api_round_trip_and_rules() {
    let x = xs("172", 2);
    let emu = start_unbatched(vec![
        app(Mode::Axe, AXE_KEY, AXE_SECRET, &x).with_extension_digits(1),
    ]);
    // Auto-assigned extension on a given X.
    let mut op = AxeBind::new(n(A));
    op.virtual_num = Some(x[0]);
    op.time_unit = Some(TimeUnit::Minutes);
    op.bind_expired_time = Some(60);
    op.callback_num = Some(n(C));
    op.user_data = Some("shop-1".into());
    let bound = call_as(&emu, AXE_KEY, AXE_SECRET, &op).unwrap();
    assert_eq!(bound.virtual_num.and_then(|w| w.number()), Some(x[0]));
    assert_eq!(bound.extend_num.as_deref(), Some("1"));
    let id = bound.subscription_id;

    // A given extension; the same one again is 1013102.
    let mut given = AxeBind::new(n(B));
    given.virtual_num = Some(x[0]);
    given.extend_num = Some("7".into());
    let b7 = call_as(&emu, AXE_KEY, AXE_SECRET, &given).unwrap();
    assert_eq!(b7.extend_num.as_deref(), Some("7"));
    let mut again = AxeBind::new(n(C));
    again.virtual_num = Some(x[0]);
    again.extend_num = Some("7".into());
    assert_eq!(
        code(&call_as(&emu, AXE_KEY, AXE_SECRET, &again).unwrap_err()),
        Some("1013102")
    );

    // Query by extension; modify keeps the bind's lifetime values.
    let q = AxeQuery::ByExtension {
        virtual_num: x[0],
        extend_num: "1".into(),
    };
    let r = call_as(&emu, AXE_KEY, AXE_SECRET, &q).unwrap();
    assert_eq!(r.subscription_id.as_deref(), Some(id.as_str()));
    assert_eq!(r.bind_num.as_ref().and_then(|w| w.number()), Some(n(A)));
    assert_eq!(r.callback_num.as_ref().and_then(|w| w.number()), Some(n(C)));
    assert_eq!(
        (r.time_unit, r.bind_expired_time),
        (Some(TimeUnit::Minutes), Some(60))
    );
    let mut m = AxeModify::new(AxeTarget::SubscriptionId(id.clone()));
    m.bind_expired_time = Some(2);
    m.user_data = Some("shop-2".into());
    call_as(&emu, AXE_KEY, AXE_SECRET, &m).unwrap();
    let r = call_as(
        &emu,
        AXE_KEY,
        AXE_SECRET,
        &AxeQuery::BySubscriptionId(id.clone()),
    )
    .unwrap();
    assert_eq!(r.user_data.as_deref(), Some("shop-2"));
    assert_eq!(
        r.bind_expired_time,
        Some(60),
        "the bind's value is reported"
    );

    // Nine 1-digit extensions on X: seven more fill it, then 1020167.
    for i in 0..7 {
        let mut op = AxeBind::new(n(&format!("+86137000000{i:02}")));
        op.virtual_num = Some(x[0]);
        call_as(&emu, AXE_KEY, AXE_SECRET, &op).unwrap();
    }
    let mut full = AxeBind::new(n("+8613600000001"));
    full.virtual_num = Some(x[0]);
    let e = call_as(&emu, AXE_KEY, AXE_SECRET, &full).unwrap_err();
    assert_eq!(code(&e), Some("1020167"), "{e}");

    // Unbind by extension frees it.
    call_as(
        &emu,
        AXE_KEY,
        AXE_SECRET,
        &AxeUnbind::ByExtension {
            virtual_num: x[0],
            extend_num: "7".into(),
        },
    )
    .unwrap();
    let again = call_as(&emu, AXE_KEY, AXE_SECRET, &full).unwrap();
    assert_eq!(again.extend_num.as_deref(), Some("7"));
    let e = call_as(
        &emu,
        AXE_KEY,
        AXE_SECRET,
        &AxeUnbind::BySubscriptionId("nope".into()),
    )
    .unwrap_err();
    assert_eq!(code(&e), Some("1012001"));
}

#[test]
fn axe_calls_collect_the_extension_and_a_calls_back() {
    let hook = Webhook::start(AXE_KEY, AXE_SECRET);
    let x = xs("172", 1);
    let emu = start_unbatched(vec![with_hook(
        app(Mode::Axe, AXE_KEY, AXE_SECRET, &x),
        &hook,
    )]);
    let mut op = AxeBind::new(n(A));
    op.virtual_num = Some(x[0]);
    op.extend_num = Some("0137".into());
    let id = call_as(&emu, AXE_KEY, AXE_SECRET, &op)
        .unwrap()
        .subscription_id;

    // B dials X, keys 0137, reaches A.
    let ext = Ext::parse("0137").unwrap();
    let r = emu
        .simulate_call(&SimulatedCall::answered(n(B), x[0], 15).with_extension(ext))
        .unwrap();
    assert_eq!(
        r.events,
        [
            "callin",
            "collectInfo",
            "callout",
            "alerting",
            "answer",
            "disconnect"
        ]
    );
    assert_eq!(
        r.route,
        CallRoute::Connected {
            callee: n(A),
            display: x[0]
        }
    );
    // A calls X back: connected to B (the callback record).
    let r = emu
        .simulate_call(&SimulatedCall::answered(n(A), x[0], 5))
        .unwrap();
    assert_eq!(
        r.route,
        CallRoute::Connected {
            callee: n(B),
            display: x[0]
        }
    );
    // No extension keyed: 8033.
    let r = emu
        .simulate_call(&SimulatedCall::answered(n(C), x[0], 5))
        .unwrap();
    assert_eq!(r.state_code, 8033);
    idle(&emu);

    let ev = hook.events();
    assert_eq!(ev[0].0, "callin");
    assert!(
        ev[0].2.get("subscriptionId").is_none(),
        "not sent on AXE callin"
    );
    let collect = hook
        .got()
        .into_iter()
        .find(|g| String::from_utf8_lossy(&g.body).contains("collectInfo"))
        .unwrap();
    let Push::Call(collect) = push::parse(&collect.body).unwrap() else {
        panic!("a call event")
    };
    assert_eq!(collect.kind, CallEventKind::CollectInfo);
    assert_eq!(collect.info.digit_info.as_deref(), Some("0137"));
    assert_eq!(ev[2].2["subscriptionId"], id.as_str());
    let fee: Vec<_> = hook
        .got()
        .into_iter()
        .filter(|g| g.path == "/fee")
        .collect();
    let Push::Cdrs(first) = push::parse(&fee[0].body).unwrap() else {
        panic!("fee")
    };
    assert_eq!(first[0].direction, Some(0));
    assert_eq!(first[0].extend_num.as_deref(), Some("0137"));
}

// ---------------------------------------------------------------------------
// AXYB
// ---------------------------------------------------------------------------

#[test]
fn axyb_api_round_trip_app_key_and_calls() {
    let hook = Webhook::start(AXYB_KEY, AXYB_SECRET);
    let x = xs("173", 4);
    let emu = start_unbatched(vec![
        with_hook(app(Mode::Axyb, AXYB_KEY, AXYB_SECRET, &x), &hook),
        app(Mode::Axb, AXB_KEY, AXB_SECRET, &xs("174", 1)),
    ]);
    let mut op = AxybBindAx::new(AXYB_KEY, n(A), "0755");
    op.duration = Some(3600);
    op.user_data = Some("ride-9".into());
    let ax = call_as(&emu, AXYB_KEY, AXYB_SECRET, &op).unwrap();
    let xa = ax.relation_number.and_then(|w| w.number()).unwrap();
    let id = ax.subscription_id;

    let yb = call_as(
        &emu,
        AXYB_KEY,
        AXYB_SECRET,
        &AxybBindYb::new(AXYB_KEY, n(B), id.clone()),
    )
    .unwrap();
    assert_eq!(
        yb.subscription_id, id,
        "the AX binding's id, as in the spec"
    );
    let y = yb.relation_number.and_then(|w| w.number()).unwrap();
    assert_ne!(y, xa);

    // Query by id and by X.
    for by in [
        AxybQueryBy::SubscriptionId(id.clone()),
        AxybQueryBy::RelationNum(xa),
    ] {
        let found = call_as(&emu, AXYB_KEY, AXYB_SECRET, &AxybQuery::new(AXYB_KEY, by)).unwrap();
        assert_eq!(found.bindings.len(), 1);
        let r = &found.bindings[0];
        assert_eq!(r.bind_id.as_deref(), Some(id.as_str()));
        assert_eq!(r.num_a.as_ref().and_then(|w| w.number()), Some(n(A)));
        assert_eq!(r.num_x.as_ref().and_then(|w| w.number()), Some(xa));
        assert_eq!(r.num_y.as_ref().and_then(|w| w.number()), Some(y));
        assert_eq!(r.num_b.as_ref().and_then(|w| w.number()), Some(n(B)));
        assert_eq!(r.duration, Some(3600));
        assert_eq!(r.user_data.as_deref(), Some("ride-9"));
        assert!(r.subscribe_time.is_some());
    }

    // app_key must be the signing key.
    let path = format!("/rest/omp/xyrelationnumber/v1.0?subscriptionId={id}");
    let (s, b) = raw(&emu, AXYB_KEY, AXYB_SECRET, "GET", &path, None);
    assert_eq!((s, b["resultcode"].as_str()), (403, Some("1010002")));
    let (s, b) = raw(
        &emu,
        AXYB_KEY,
        AXYB_SECRET,
        "GET",
        &format!("{path}&app_key=nobody"),
        None,
    );
    assert_eq!((s, b["resultcode"].as_str()), (401, Some("1010003")));
    let (_, b) = raw(
        &emu,
        AXYB_KEY,
        AXYB_SECRET,
        "GET",
        &format!("{path}&app_key={AXB_KEY}"),
        None,
    );
    assert_eq!(b["resultcode"], "1010040");

    // Calls: A dials Y → B sees X; B dials X → A sees Y.
    let r = emu
        .simulate_call(&SimulatedCall::answered(n(A), y, 10))
        .unwrap();
    assert_eq!(
        r.route,
        CallRoute::Connected {
            callee: n(B),
            display: xa
        }
    );
    assert_eq!(r.subscription_id.as_deref(), Some(id.as_str()));
    let r = emu
        .simulate_call(&SimulatedCall::answered(n(B), xa, 10))
        .unwrap();
    assert_eq!(
        r.route,
        CallRoute::Connected {
            callee: n(A),
            display: y
        }
    );
    // A stranger dialling X gets a Y of their own.
    let r = emu
        .simulate_call(&SimulatedCall::answered(n(C), xa, 10))
        .unwrap();
    let CallRoute::Connected { callee, display } = r.route else {
        panic!("a stranger is connected through a new Y: {r:?}")
    };
    assert_eq!(callee, n(A));
    assert!(display != y && display != xa && x.contains(&display));
    let found = call_as(
        &emu,
        AXYB_KEY,
        AXYB_SECRET,
        &AxybQuery::new(AXYB_KEY, AxybQueryBy::SubscriptionId(id.clone())),
    )
    .unwrap();
    assert_eq!(found.bindings.len(), 2);
    idle(&emu);
    let ev = hook.events();
    assert_eq!(ev.len(), 15);
    assert_eq!(ev[1].2["called"], B);

    // Unbind the stranger's relation by B, then everything.
    call_as(
        &emu,
        AXYB_KEY,
        AXYB_SECRET,
        &AxybUnbind::new(AXYB_KEY, id.clone(), AxybUnbindScope::ByB(n(C))),
    )
    .unwrap();
    let e = call_as(
        &emu,
        AXYB_KEY,
        AXYB_SECRET,
        &AxybUnbind::new(AXYB_KEY, id.clone(), AxybUnbindScope::ByB(n(C))),
    )
    .unwrap_err();
    assert_eq!(code(&e), Some("1012001"));
    call_as(
        &emu,
        AXYB_KEY,
        AXYB_SECRET,
        &AxybUnbind::everything(AXYB_KEY, id.clone()),
    )
    .unwrap();
    let e = call_as(
        &emu,
        AXYB_KEY,
        AXYB_SECRET,
        &AxybQuery::new(AXYB_KEY, AxybQueryBy::RelationNum(xa)),
    )
    .unwrap_err();
    assert_eq!(code(&e), Some("1016001"));
    assert!(emu.bindings(AXYB_KEY).unwrap().is_empty());
}

// ---------------------------------------------------------------------------
// callStop, recordings, the clock
// ---------------------------------------------------------------------------

#[test]
fn call_stop_ends_a_held_call_and_its_recording_downloads() {
    let hook = Webhook::start(AX_KEY, AX_SECRET);
    let x = xs("171", 1);
    let emu = start_unbatched(vec![with_hook(app(Mode::Ax, AX_KEY, AX_SECRET, &x), &hook)]);
    let mut op = AxBind::new(n(A));
    op.private_num = Some(x[0]);
    op.record_flag = Some(true);
    call_as(&emu, AX_KEY, AX_SECRET, &op).unwrap();

    let r = emu
        .simulate_call(&SimulatedCall::answered(n(B), x[0], 3600).held())
        .unwrap();
    assert!(r.live && !r.cdr_queued);
    assert_eq!(r.events, ["callin", "callout", "alerting", "answer"]);
    assert_eq!(emu.live_calls(), std::slice::from_ref(&r.session_id));
    idle(&emu);
    assert_eq!(hook.events().len(), 4);

    // 90 s later on the emulator's clock, the application stops it.
    emu.advance_clock(90).unwrap();
    call_as(
        &emu,
        AX_KEY,
        AX_SECRET,
        &CallStop::new(r.session_id.clone()),
    )
    .unwrap();
    assert!(emu.live_calls().is_empty());
    idle(&emu);
    let ev = hook.events();
    assert_eq!(ev.last().map(|(k, _, _)| k.as_str()), Some("disconnect"));
    assert_eq!(ev.last().unwrap().2["sessionId"], r.session_id.as_str());
    let fee = hook.got().into_iter().find(|g| g.path == "/fee").unwrap();
    let Push::Cdrs(records) = push::parse(&fee.body).unwrap() else {
        panic!("fee")
    };
    let cdr = &records[0];
    assert!(
        (80..=90).contains(&cdr.talk_seconds()),
        "{}",
        cdr.talk_seconds()
    );
    let rec = cdr.recording().expect("recorded");
    // Stopping it again: 1020152; a made-up session too.
    for s in [
        r.session_id.clone(),
        "1200_1_4294967295_20240501080000@nowhere".into(),
    ] {
        let e = call_as(&emu, AX_KEY, AX_SECRET, &CallStop::new(s)).unwrap_err();
        assert_eq!(code(&e), Some("1020152"));
    }
    let (status, b) = raw(
        &emu,
        AX_KEY,
        AX_SECRET,
        "POST",
        "/rest/httpsessions/callStop/v2.0",
        Some(r#"{"sessionid":"s1","signal":"hang_up"}"#),
    );
    assert_eq!((status, b["resultcode"].as_str()), (403, Some("1010002")));

    // The recording: 301 to a loopback URL that serves a WAV file.
    let op = RecordingDownloadUrl::new(rec.file_name, rec.record_domain);
    let url = call_as(&emu, AX_KEY, AX_SECRET, &op).unwrap();
    assert_eq!(url.http_status, 301);
    assert!(url.url().starts_with(&emu.base_url()), "{url:?}");
    let (status, _, bytes) = http("GET", url.url(), &[], None);
    assert_eq!(status, 200);
    assert_eq!(&bytes[..4], b"RIFF");
    assert!(bytes.len() > 8000);
    // Unknown file: 1016001. Eight days later: gone.
    let e = call_as(
        &emu,
        AX_KEY,
        AX_SECRET,
        &RecordingDownloadUrl::new("none.wav", rec.record_domain),
    )
    .unwrap_err();
    assert_eq!(code(&e), Some("1016001"));
    emu.advance_clock(8 * 86_400).unwrap();
    let e = call_as(&emu, AX_KEY, AX_SECRET, &op).unwrap_err();
    assert_eq!(code(&e), Some("1016001"));
}

#[test]
fn the_clock_expires_bindings_and_ends_held_calls() {
    let hook = Webhook::start(AXB_KEY, AXB_SECRET);
    let x = xs("174", 1);
    let emu = start_unbatched(vec![with_hook(
        app(Mode::Axb, AXB_KEY, AXB_SECRET, &x),
        &hook,
    )]);
    let mut op = AxbBind::new(n(A), n(B));
    op.relation_num = Some(x[0]);
    op.duration = Some(600);
    let id = call_as(&emu, AXB_KEY, AXB_SECRET, &op)
        .unwrap()
        .subscription_id;

    // A held call of 120 s ends on its own once the clock passes it.
    let r = emu
        .simulate_call(&SimulatedCall::answered(n(A), x[0], 120).held())
        .unwrap();
    assert!(r.live);
    let step = emu.advance_clock(300).unwrap();
    assert_eq!(
        (step.calls_ended, step.expired, step.offset_secs),
        (1, 0, 300)
    );
    assert!(emu.live_calls().is_empty());
    // 10 minutes after binding, the binding is gone.
    let step = emu.advance_clock(301).unwrap();
    assert_eq!(step.expired, 1);
    assert!(emu.bindings(AXB_KEY).unwrap().is_empty());
    let e = call_as(&emu, AXB_KEY, AXB_SECRET, &AxbQuery::BySubscriptionId(id)).unwrap_err();
    assert_eq!(code(&e), Some("1016001"));
    let r = emu
        .simulate_call(&SimulatedCall::answered(n(A), x[0], 5))
        .unwrap();
    assert_eq!(r.state_code, 8014);
    idle(&emu);
    let fee = hook.got().into_iter().find(|g| g.path == "/fee").unwrap();
    let Push::Cdrs(records) = push::parse(&fee.body).unwrap() else {
        panic!("fee")
    };
    assert_eq!(records[0].talk_seconds(), 120);
    assert!(emu.now().unwrap() >= unix_now().unwrap() as u64 + 600);
}

// ---------------------------------------------------------------------------
// SMS and X-number status
// ---------------------------------------------------------------------------

fn sms_events(hook: &Webhook, path: &str) -> Vec<serde_json::Value> {
    hook.got_at(path)
        .into_iter()
        .map(|g| {
            assert!(g.verified);
            let Push::Sms(ev) = push::parse(&g.body).unwrap() else {
                panic!("an SMS notification")
            };
            assert!(ev.sms_identifier.is_some() && ev.split_num() == Some(1));
            serde_json::from_slice::<serde_json::Value>(&g.body).unwrap()["smsEvent"].clone()
        })
        .collect()
}

#[test]
fn sms_notify_and_block_replies_are_honoured() {
    let hook = Webhook::start(AX_KEY, AX_SECRET);
    let x = xs("171", 1);
    let emu = start_unbatched(vec![with_hook(app(Mode::Ax, AX_KEY, AX_SECRET, &x), &hook)]);
    let mut op = AxBind::new(n(A));
    op.private_num = Some(x[0]);
    call_as(&emu, AX_KEY, AX_SECRET, &op).unwrap();

    // A → X with @B: forwarded to B without the suffix (Notify only).
    let r = emu
        .simulate_sms(&SimulatedSms::new(n(A), x[0], format!("see you at 8@{B}")))
        .unwrap();
    assert_eq!(r.outcome, SmsOutcome::Forwarded { receiver: n(B) });
    assert_eq!(r.forwarded_text.as_deref(), Some("see you at 8"));
    assert_eq!(r.block_push_id, None);
    // B → X: forwarded to A with [From B].
    let r = emu
        .simulate_sms(&SimulatedSms::new(n(B), x[0], "ok"))
        .unwrap();
    assert_eq!(r.outcome, SmsOutcome::Forwarded { receiver: n(A) });
    assert_eq!(r.forwarded_text, Some(format!("ok[From{B}]")));
    // A → X without @B: Block; the reply forwards it to C.
    hook.on_sms(BlockReply::ok(format!(
        r#"{{"actions":[{{"operation":"vNumberRoute","message":{{"calling":"{A}","called":"{C}"}}}}]}}"#
    )));
    let r = emu
        .simulate_sms(&SimulatedSms::new(n(A), x[0], "no suffix"))
        .unwrap();
    assert_eq!(r.outcome, SmsOutcome::Forwarded { receiver: n(C) });
    assert!(r.block_push_id.is_some() && r.notify_push_id.is_some());
    // The reply discards it.
    hook.on_sms(BlockReply::ok(
        r#"{"actions":[{"operation":"DiscardMessage"}]}"#,
    ));
    let r = emu
        .simulate_sms(&SimulatedSms::new(n(A), x[0], "drop me"))
        .unwrap();
    assert!(matches!(r.outcome, SmsOutcome::Discarded { .. }), "{r:?}");
    assert!(r.notify_push_id.is_none());
    idle(&emu);

    let notes = sms_events(&hook, "/sms");
    assert_eq!(notes.len(), 3);
    assert_eq!(notes[0]["called"], B);
    assert_eq!(notes[0]["smsContent"], "see you at 8");
    assert_eq!(notes[1]["called"], A);
    assert_eq!(notes[2]["called"], C);
    assert!(notes.iter().all(|e| e["notificationMode"] == "Notify"));
    let blocks = sms_events(&hook, "/sms-control");
    assert_eq!(blocks.len(), 2);
    for b in &blocks {
        assert_eq!(b["notificationMode"], "Block");
        assert!(b.get("called").is_none());
    }
    let block = hook
        .got()
        .into_iter()
        .find(|g| g.path == "/sms-control")
        .unwrap();
    let Push::Sms(ev) = push::parse(&block.body).unwrap() else {
        panic!("an SMS notification")
    };
    assert!(ev.needs_reply());
    assert_eq!(blocks[0]["smsIdentifier"], notes[2]["smsIdentifier"]);
}

#[test]
fn axb_sms_and_x_status_pushes() {
    let hook = Webhook::start(AXB_KEY, AXB_SECRET);
    let x = xs("174", 1);
    let emu = start_unbatched(vec![with_hook(
        app(Mode::Axb, AXB_KEY, AXB_SECRET, &x),
        &hook,
    )]);
    let mut op = AxbBind::new(n(A), n(B));
    op.relation_num = Some(x[0]);
    call_as(&emu, AXB_KEY, AXB_SECRET, &op).unwrap();
    let r = emu
        .simulate_sms(&SimulatedSms::new(n(B), x[0], "hello"))
        .unwrap();
    assert_eq!(r.outcome, SmsOutcome::Forwarded { receiver: n(A) });
    let r = emu
        .simulate_sms(&SimulatedSms::new(n(C), x[0], "hello"))
        .unwrap();
    assert!(matches!(r.outcome, SmsOutcome::Discarded { .. }));

    // X becomes unavailable (arrears): its binding is suspended, calls and
    // SMS fail; back to normal, they work again.
    assert_eq!(
        emu.set_number_status(x[0], XStatus::Unavailable, Some(2))
            .unwrap(),
        1
    );
    let r = emu
        .simulate_call(&SimulatedCall::answered(n(A), x[0], 5))
        .unwrap();
    assert_eq!(
        r.route,
        CallRoute::Closed {
            reason: CloseReason::XUnavailable
        }
    );
    let r = emu
        .simulate_sms(&SimulatedSms::new(n(B), x[0], "hello"))
        .unwrap();
    assert!(matches!(r.outcome, SmsOutcome::Discarded { .. }));
    emu.set_number_status(x[0], XStatus::Normal, None).unwrap();
    let r = emu
        .simulate_call(&SimulatedCall::new(n(A), x[0], CallOutcome::Busy))
        .unwrap();
    assert_eq!(r.state_code, 8102);
    // A cause goes with "unavailable" only.
    assert!(
        emu.set_number_status(x[0], XStatus::Paused, Some(2))
            .is_err()
    );
    idle(&emu);

    let statuses: Vec<_> = hook
        .got()
        .into_iter()
        .filter(|g| g.path == "/status")
        .collect();
    assert_eq!(statuses.len(), 2);
    let Push::NumberStatus(entries) = push::parse(&statuses[0].body).unwrap() else {
        panic!("a numStatus push")
    };
    assert_eq!(entries[0].number, x[0].e164().as_str());
    assert_eq!(entries[0].status, NumberStatus::Unavailable);
    assert_eq!(entries[0].cause, Some(UnavailableCause::Arrears));
    let Push::NumberStatus(entries) = push::parse(&statuses[1].body).unwrap() else {
        panic!("a numStatus push")
    };
    assert_eq!(
        (entries[0].status, entries[0].cause),
        (NumberStatus::Normal, None)
    );
    assert_eq!(sms_events(&hook, "/sms").len(), 1);
}

// ---------------------------------------------------------------------------
// The control interface
// ---------------------------------------------------------------------------

#[test]
fn the_new_control_operations_over_http() {
    let hook = Webhook::start(AX_KEY, AX_SECRET);
    let x = xs("171", 1);
    let emu = start_unbatched(vec![with_hook(app(Mode::Ax, AX_KEY, AX_SECRET, &x), &hook)]);
    let mut op = AxBind::new(n(A));
    op.private_num = Some(x[0]);
    call_as(&emu, AX_KEY, AX_SECRET, &op).unwrap();
    let base = emu.base_url();
    let ctl = |method: &str, path: &str, body: &str| control(&emu, method, path, body);
    let x0 = x[0].e164().as_str().to_owned();

    let (s, v) = ctl("GET", "clock", "");
    assert_eq!((s, v["ok"]["offset_secs"].as_i64()), (200, Some(0)));
    let (s, v) = ctl("POST", "clock/advance", r#"{"secs":60}"#);
    assert_eq!((s, v["ok"]["offset_secs"].as_i64()), (200, Some(60)));
    let (s, v) = ctl("POST", "clock/advance?secs=40", "");
    assert_eq!((s, v["ok"]["offset_secs"].as_i64()), (200, Some(100)));
    let (s, v) = ctl("POST", "clock/advance", r#"{"secs":-1}"#);
    assert_eq!((s, v["error"]["field"].as_str()), (400, Some("secs")));

    let (s, v) = ctl(
        "POST",
        "calls",
        &format!(r#"{{"caller":"{B}","dialled":"{x0}","hold":true,"talk_secs":600}}"#),
    );
    assert_eq!((s, v["ok"]["live"].as_bool()), (200, Some(true)), "{v}");
    let session = v["ok"]["session_id"].as_str().unwrap().to_owned();
    let (_, v) = ctl("GET", "calls/live", "");
    assert_eq!(v["ok"][0], session.as_str());
    let (_, v) = ctl("POST", "clock/advance", r#"{"secs":700}"#);
    assert_eq!(v["ok"]["calls_ended"], 1);
    let (_, v) = ctl(
        "POST",
        "calls",
        &format!(r#"{{"caller":"{B}","dialled":"{x0}","ext":"12x"}}"#),
    );
    assert_eq!(v["error"]["field"], "ext");

    let (s, v) = ctl(
        "POST",
        "sms",
        &format!(r#"{{"sender":"{A}","dialled":"{x0}","text":"hi@{B}"}}"#),
    );
    assert_eq!(
        (s, v["ok"]["outcome"]["operation"].as_str()),
        (200, Some("forward"))
    );
    assert_eq!(v["ok"]["outcome"]["receiver"], B);
    let (s, v) = ctl(
        "POST",
        "numbers/status",
        &format!(r#"{{"number":"{x0}","status":"paused"}}"#),
    );
    assert_eq!(
        (s, v["ok"]["bindings_changed"].as_u64()),
        (200, Some(1)),
        "{v}"
    );
    let (s, v) = ctl(
        "POST",
        "numbers/status",
        &format!(r#"{{"number":"{x0}","status":"asleep"}}"#),
    );
    assert_eq!((s, v["error"]["field"].as_str()), (400, Some("status")));
    let (s, _, _) = http(
        "GET",
        &format!("{base}/_emulator/recordings/none.wav"),
        &[],
        None,
    );
    assert_eq!(s, 404);
    idle(&emu);
    assert!(hook.got().iter().any(|g| g.path == "/status"));
}
