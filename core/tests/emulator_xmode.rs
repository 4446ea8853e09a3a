//! The emulator's X mode (calls decided by the application's reply to a
//! Block-mode `callin`) and SMS of every mode (AXE, AXYB and X added to AX
//! and AXB), over real loopback HTTP: replies built by privnum's own
//! reply builders, every push verified (X-AKSK) and parsed by privnum's
//! push parser.
#![cfg(feature = "emulator")]

mod support;

use std::time::{Duration, Instant};

use privnum::callback::push::{self, Push};
use privnum::callback::reply::{CloseReply, ConnectReply, InfoForm, SmsReply};
use privnum::client::axe::AxeBind;
use privnum::client::axyb::{AxybBindAx, AxybBindYb};
use privnum::client::{self, Operation};
use privnum::emulator::{
    CallOutcome, CallRoute, Emulator, PushStatus, SimulatedCall, SimulatedSms, SmsOutcome,
};
use privnum::engine::{Ext, Mode};
use privnum::{Number, Signer};
use support::{
    A, AXB_KEY, AXB_SECRET, AXE_KEY, AXE_SECRET, AXYB_KEY, AXYB_SECRET, B, BlockReply, C, Webhook,
    X_KEY, X_SECRET, app, call_as, http, idle, n, names, start_unbatched, with_hook, xs,
};

const S: &str = "+8613700000004";

/// Sign and send `op`; its parsed answer.
fn send<O: Operation>(emu: &Emulator, key: &str, secret: &str, op: &O) -> O::Output {
    call_as(emu, key, secret, op).unwrap()
}

// ---------------------------------------------------------------------------
// What the webhook saw: CDRs and SMS notifications
// ---------------------------------------------------------------------------

impl Webhook {
    /// The CDRs, as JSON records (each also parsed by privnum).
    fn cdrs(&self) -> Vec<serde_json::Value> {
        let mut out = Vec::new();
        for g in self.got_at("/fee") {
            assert!(g.verified, "every push carries a valid X-AKSK");
            let Push::Cdrs(records) = push::parse(&g.body).unwrap() else {
                panic!("only CDRs go to /fee");
            };
            let v: serde_json::Value = serde_json::from_slice(&g.body).unwrap();
            let list = v["feeLst"].as_array().unwrap().clone();
            assert_eq!(records.len(), list.len());
            out.extend(list);
        }
        out
    }

    /// The SMS notifications pushed to `path`, as `smsEvent` JSON.
    fn sms_events(&self, path: &str) -> Vec<serde_json::Value> {
        self.got_at(path)
            .into_iter()
            .map(|g| {
                assert!(g.verified, "every push carries a valid X-AKSK");
                let Push::Sms(_) = push::parse(&g.body).unwrap() else {
                    panic!("an SMS notification");
                };
                let v: serde_json::Value = serde_json::from_slice(&g.body).unwrap();
                v["smsEvent"].clone()
            })
            .collect()
    }
}

// ---------------------------------------------------------------------------
// X-mode calls
// ---------------------------------------------------------------------------

#[test]
fn x_mode_numbers_are_pooled_and_the_key_has_no_api() {
    let x = xs("175", 2);
    let emu = start_unbatched(vec![app(Mode::X, X_KEY, X_SECRET, &x)]);
    let pool: Vec<Number> = emu
        .engine(X_KEY)
        .unwrap()
        .pool()
        .into_iter()
        .flat_map(|(_, xs)| xs)
        .collect();
    assert_eq!(pool.len(), 2);
    assert!(x.iter().all(|n| pool.contains(n)));
    // An X-mode key on the AXE API: the wrong mode.
    let signer = Signer::new(X_KEY, X_SECRET).unwrap();
    let req = client::sign_now(AxeBind::new(n(A)).prepare().unwrap(), &signer).unwrap();
    let headers: Vec<(&str, &str)> = req
        .headers()
        .iter()
        .map(|(k, v)| (*k, v.as_str()))
        .collect();
    let (_, _, body) = http("POST", &req.url(&emu.base_url()), &headers, req.body());
    let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(body["resultcode"], "1010040", "{body}");
}

#[test]
fn x_mode_connect_routes_as_the_reply_says() {
    let hook = Webhook::start(X_KEY, X_SECRET);
    let x = xs("175", 1)[0];
    let emu = start_unbatched(vec![with_hook(app(Mode::X, X_KEY, X_SECRET, &[x]), &hook)]);
    let reply = ConnectReply::new(n(B))
        .display(x)
        .max_duration_minutes(1)
        .record(true)
        .record_hint_tone("rec_notice.wav")
        .user_data("ticket-7")
        .to_json()
        .unwrap();
    hook.on_callin(BlockReply::ok(reply));

    // 90 s of talk, cut at the reply's one minute.
    let r = emu
        .simulate_call(&SimulatedCall::answered(n(A), x, 90))
        .unwrap();
    assert_eq!(
        r.route,
        CallRoute::Connected {
            callee: n(B),
            display: x
        }
    );
    assert_eq!(r.state_code, 8010);
    assert_eq!(r.subscription_id, None);
    assert_eq!(
        r.events,
        ["callin", "callout", "alerting", "answer", "disconnect"]
    );
    assert_eq!(r.push_ids.len(), 5);
    assert_eq!(r.block_push_id, r.push_ids.first().copied());
    assert!(r.record_file.is_some(), "the reply turned recording on");
    idle(&emu);

    let ev = hook.events();
    assert_eq!(names(&ev), r.events);
    let (_, block, callin) = &ev[0];
    assert!(block, "callin is a Block push");
    assert_eq!(callin["notifyMode"], "Block");
    assert!(callin.get("subscriptionId").is_none());
    assert!(
        callin.get("userData").is_none(),
        "not known before the reply"
    );
    assert_eq!(callin["caller"], A);
    assert_eq!(callin["called"], x.e164().as_str());
    let session = callin["sessionId"].as_str().unwrap();
    for (kind, block, info) in &ev[1..] {
        assert!(!block, "{kind} is Notify-style");
        assert!(info.get("notifyMode").is_none(), "{kind}");
        assert!(info.get("subscriptionId").is_none(), "{kind}");
        assert_eq!(info["userData"], "ticket-7", "{kind}");
        assert_eq!(info["sessionId"], session, "{kind}");
    }
    assert_eq!(ev[1].2["called"], B);
    assert_eq!(ev[4].2["stateCode"], 8010);

    let cdrs = hook.cdrs();
    assert_eq!(cdrs.len(), 1);
    let fee = serde_json::json!({"eventType": "fee", "feeLst": cdrs}).to_string();
    let Push::Cdrs(records) = push::parse(fee.as_bytes()).unwrap() else {
        panic!("fee");
    };
    let cdr = &records[0];
    assert_eq!(cdr.notify_mode.as_deref(), Some("Block"));
    assert_eq!(cdr.user_data.as_deref(), Some("ticket-7"));
    assert_eq!(cdr.destination_number(), Some(n(B)));
    assert_eq!(cdr.fwd_display_num.as_deref(), Some(x.e164().as_str()));
    assert_eq!(cdr.talk_seconds(), 60);
    assert_eq!(cdr.ul_fail_reason.map(|c| c.0), Some(8010));
    assert_eq!(cdr.record_flag, Some(1));
    assert_eq!(cdr.direction, Some(0));
    assert_eq!(cdr.session_id.as_deref(), Some(session));
    assert!(cdr.subscription_id.is_none());

    // The demo code's array form, no display (X shown), no cap, busy.
    hook.clear();
    let reply = ConnectReply::new(n(C))
        .form(InfoForm::Array)
        .to_json()
        .unwrap();
    hook.on_callin(BlockReply::ok(reply));
    let r = emu
        .simulate_call(&SimulatedCall::new(n(A), x, CallOutcome::Busy))
        .unwrap();
    assert_eq!(
        r.route,
        CallRoute::Connected {
            callee: n(C),
            display: x
        }
    );
    assert_eq!(r.events, ["callin", "callout", "disconnect"]);
    assert_eq!(r.state_code, 8102);
    idle(&emu);
    let ev = hook.events();
    assert!(ev[2].2.get("userData").is_none());
}

#[test]
fn x_mode_close_ends_the_call_on_instruction() {
    let hook = Webhook::start(X_KEY, X_SECRET);
    let x = xs("175", 1)[0];
    let emu = start_unbatched(vec![with_hook(app(Mode::X, X_KEY, X_SECRET, &[x]), &hook)]);
    for form in InfoForm::ALL {
        hook.clear();
        let reply = CloseReply::new()
            .close_hint_tone("no_route.wav")
            .user_data("closed-1")
            .form(*form)
            .to_json()
            .unwrap();
        hook.on_callin(BlockReply::ok(reply));
        let r = emu
            .simulate_call(&SimulatedCall::answered(n(A), x, 30))
            .unwrap();
        assert_eq!(r.route, CallRoute::ClosedByApplication);
        assert_eq!(r.state_code, 8017);
        assert_eq!(r.events, ["callin", "disconnect"]);
        idle(&emu);
        let ev = hook.events();
        assert_eq!(names(&ev), ["callin", "disconnect"]);
        assert_eq!(ev[1].2["stateCode"], 8017);
        assert_eq!(ev[1].2["userData"], "closed-1");
        let cdrs = hook.cdrs();
        assert_eq!(cdrs[0]["ulFailReason"], 8017);
        assert_eq!(cdrs[0]["notifyMode"], "Block");
        assert_eq!(cdrs[0]["userData"], "closed-1");
        assert_eq!(cdrs[0]["direction"], 2);
    }
}

#[test]
fn x_mode_without_a_valid_reply_ends_with_8014() {
    let hook = Webhook::start(X_KEY, X_SECRET);
    let x = xs("175", 2);
    let emu = start_unbatched(vec![
        with_hook(app(Mode::X, X_KEY, X_SECRET, &x[..1]), &hook)
            .with_block_reply_timeout(Duration::from_millis(300)),
        // No call-event URL: nobody to ask.
        app(Mode::X, AXB_KEY, AXB_SECRET, &x[1..]),
    ]);
    let no_decision = |r: &privnum::emulator::CallReport| {
        assert!(
            matches!(r.route, CallRoute::NoDecision { .. }),
            "{:?}",
            r.route
        );
        assert_eq!(r.state_code, 8014);
        assert_eq!(r.events, ["callin", "disconnect"]);
        let CallRoute::NoDecision { why } = &r.route else {
            unreachable!()
        };
        assert!(!why.contains("13900000002") && !why.is_empty(), "{why}");
    };

    // maxDuration 7200: out of range (PN §7).
    let bad = r#"{"operation":"connect","connectInfo":{"calleeNum":"+8613900000002","maxDuration":7200}}"#;
    for body in [
        bad,
        "",
        "{}",
        r#"{"operation":"transfer"}"#,
        r#"{"operation":"connect","connectInfo":[]}"#,
        r#"{"operation":"connect","connectInfo":{"calleeNum":"4001234567"}}"#,
    ] {
        hook.on_callin(BlockReply::ok(body));
        let r = emu
            .simulate_call(&SimulatedCall::answered(n(A), x[0], 30))
            .unwrap();
        no_decision(&r);
    }

    // Not HTTP 200: one attempt, never retried (PN §7).
    hook.on_callin(BlockReply {
        status: 500,
        body: String::new(),
        delay: Duration::ZERO,
    });
    let r = emu
        .simulate_call(&SimulatedCall::answered(n(A), x[0], 30))
        .unwrap();
    no_decision(&r);
    idle(&emu);
    let block = r.block_push_id.unwrap();
    let attempts = emu
        .deliveries()
        .into_iter()
        .filter(|d| d.push_id == block)
        .count();
    assert_eq!(attempts, 1);
    let push = emu.pushes().into_iter().find(|p| p.id == block).unwrap();
    assert_eq!((push.event, push.status), ("callin", PushStatus::GaveUp));

    // Too slow: the platform stops waiting after block_reply_timeout.
    let good = ConnectReply::new(n(B)).to_json().unwrap();
    hook.on_callin(BlockReply {
        status: 200,
        body: good,
        delay: Duration::from_millis(1500),
    });
    let t = Instant::now();
    let r = emu
        .simulate_call(&SimulatedCall::answered(n(A), x[0], 30))
        .unwrap();
    let took = t.elapsed();
    no_decision(&r);
    assert!(
        took >= Duration::from_millis(250) && took < Duration::from_millis(1400),
        "{took:?}"
    );

    // Refused by the platform before anyone is asked: a fixed-line
    // caller (8023), a paused X.
    let fixed = n("+8675528000002");
    assert!(!fixed.can_call_x());
    let r = emu
        .simulate_call(&SimulatedCall::answered(fixed, x[0], 30))
        .unwrap();
    assert_eq!((r.state_code, r.block_push_id), (8023, None));
    assert!(matches!(r.route, CallRoute::Closed { .. }));
    emu.set_number_status(x[0], privnum::engine::XStatus::Paused, None)
        .unwrap();
    let r = emu
        .simulate_call(&SimulatedCall::answered(n(A), x[0], 30))
        .unwrap();
    assert_eq!(r.block_push_id, None);
    assert!(matches!(r.route, CallRoute::Closed { .. }), "{:?}", r.route);
    emu.set_number_status(x[0], privnum::engine::XStatus::Normal, None)
        .unwrap();

    // No URL: no push at all.
    let r = emu
        .simulate_call(&SimulatedCall::answered(n(A), x[1], 30))
        .unwrap();
    no_decision(&r);
    assert_eq!((r.block_push_id, r.push_ids.len()), (None, 0));
    idle(&emu);
}

#[test]
fn x_mode_held_call_and_the_control_interface() {
    let hook = Webhook::start(X_KEY, X_SECRET);
    let x = xs("175", 1)[0];
    let emu = start_unbatched(vec![with_hook(app(Mode::X, X_KEY, X_SECRET, &[x]), &hook)]);
    hook.on_callin(BlockReply::ok(
        ConnectReply::new(n(B))
            .user_data("held-1")
            .to_json()
            .unwrap(),
    ));
    let r = emu
        .simulate_call(&SimulatedCall::answered(n(A), x, 120).held())
        .unwrap();
    assert!(r.live);
    assert_eq!(r.events, ["callin", "callout", "alerting", "answer"]);
    let ended = emu.advance_clock(600).unwrap();
    assert_eq!(ended.calls_ended, 1);
    idle(&emu);
    let ev = hook.events();
    assert_eq!(ev.last().unwrap().0, "disconnect");
    assert_eq!(ev.last().unwrap().2["userData"], "held-1");
    assert_eq!(hook.cdrs()[0]["userData"], "held-1");

    // The same over the JSON control interface.
    hook.on_callin(BlockReply::ok(CloseReply::new().to_json().unwrap()));
    let call = format!(r#"{{"caller":"{A}","dialled":"{}"}}"#, x.e164().as_str());
    let v = emu.control("POST", "calls", call.as_bytes());
    assert_eq!(v["ok"]["route"]["operation"], "close", "{v}");
    assert_eq!(v["ok"]["route"]["reason"], "closed_by_application", "{v}");
    assert_eq!(v["ok"]["state_code"], 8017);
    assert!(v["ok"]["block_push_id"].is_u64(), "{v}");
    hook.on_callin(BlockReply::ok("nonsense"));
    let v = emu.control("POST", "calls", call.as_bytes());
    assert_eq!(v["ok"]["route"]["reason"], "no_decision", "{v}");
    assert!(v["ok"]["route"]["why"].is_string(), "{v}");
    let apps = emu.control("GET", "apps", b"");
    assert_eq!(apps["ok"][0]["mode"], "x");
    assert_eq!(apps["ok"][0]["block_reply_timeout_ms"], 2000);
    idle(&emu);
}

// ---------------------------------------------------------------------------
// SMS: X, AXE, AXYB
// ---------------------------------------------------------------------------

#[test]
fn x_mode_sms_asks_first_then_notifies() {
    let hook = Webhook::start(X_KEY, X_SECRET);
    let x = xs("175", 1)[0];
    let emu = start_unbatched(vec![with_hook(app(Mode::X, X_KEY, X_SECRET, &[x]), &hook)]);
    hook.on_sms(BlockReply::ok(
        SmsReply::route(n(S), n(B))
            .user_data("sms-ud")
            .to_json()
            .unwrap(),
    ));
    let r = emu
        .simulate_sms(&SimulatedSms::new(n(S), x, "hello there"))
        .unwrap();
    assert_eq!(r.outcome, SmsOutcome::Forwarded { receiver: n(B) });
    assert_eq!(r.subscription_id, None);
    assert!(r.block_push_id.is_some() && r.notify_push_id.is_some());
    idle(&emu);
    let block = hook.sms_events("/sms-control");
    assert_eq!(block.len(), 1);
    assert_eq!(block[0]["notificationMode"], "Block");
    assert_eq!(block[0]["calling"], S);
    assert!(block[0].get("called").is_none());
    assert!(block[0].get("subscriptionId").is_none());
    let notify = hook.sms_events("/sms");
    assert_eq!(notify.len(), 1);
    assert_eq!(notify[0]["notificationMode"], "Notify");
    assert_eq!(notify[0]["called"], B);
    assert_eq!(notify[0]["userData"], "sms-ud");
    assert_eq!(notify[0]["smsIdentifier"], block[0]["smsIdentifier"]);

    // Discarded by the application, or no valid reply: no Notify.
    for reply in [SmsReply::discard().to_json().unwrap(), "{}".into()] {
        hook.clear();
        hook.on_sms(BlockReply::ok(reply));
        let r = emu
            .simulate_sms(&SimulatedSms::new(n(S), x, "hello again"))
            .unwrap();
        assert!(matches!(r.outcome, SmsOutcome::Discarded { .. }));
        assert_eq!(r.notify_push_id, None);
        idle(&emu);
        assert_eq!(hook.sms_events("/sms-control").len(), 1);
        assert!(hook.sms_events("/sms").is_empty());
    }
}

#[test]
fn axe_sms_follows_the_callback_rules() {
    let hook = Webhook::start(AXE_KEY, AXE_SECRET);
    let x = xs("176", 1)[0];
    let emu = start_unbatched(vec![with_hook(
        app(Mode::Axe, AXE_KEY, AXE_SECRET, &[x]),
        &hook,
    )]);
    let mut op = AxeBind::new(n(A));
    op.virtual_num = Some(x);
    op.extend_num = Some("0137".into());
    op.callback_num = Some(n(C));
    op.user_data = Some("axe-ud".into());
    let id = send(&emu, AXE_KEY, AXE_SECRET, &op).subscription_id;

    // A texts X with no callback record: to the callback number.
    let r = emu
        .simulate_sms(&SimulatedSms::new(n(A), x, "call me"))
        .unwrap();
    assert_eq!(r.outcome, SmsOutcome::Forwarded { receiver: n(C) });
    assert_eq!(r.subscription_id.as_deref(), Some(id.as_str()));
    assert_eq!(r.block_push_id, None);

    // B reaches A through the extension; A's text then goes to B.
    let ext = Ext::parse("0137").unwrap();
    let call = emu
        .simulate_call(&SimulatedCall::answered(n(B), x, 5).with_extension(ext))
        .unwrap();
    assert!(matches!(call.route, CallRoute::Connected { .. }));
    let r = emu
        .simulate_sms(&SimulatedSms::new(n(A), x, "thanks"))
        .unwrap();
    assert_eq!(r.outcome, SmsOutcome::Forwarded { receiver: n(B) });

    // Someone else: no extension in an SMS, so the application decides.
    hook.on_sms(BlockReply::ok(
        SmsReply::route(n(S), n(A)).to_json().unwrap(),
    ));
    let r = emu
        .simulate_sms(&SimulatedSms::new(n(S), x, "for A"))
        .unwrap();
    assert_eq!(r.outcome, SmsOutcome::Forwarded { receiver: n(A) });
    assert!(r.block_push_id.is_some());
    assert_eq!(r.subscription_id, None);
    idle(&emu);

    let notify = hook.sms_events("/sms");
    assert_eq!(notify.len(), 3);
    assert_eq!(notify[0]["called"], C);
    assert_eq!(notify[0]["subscriptionId"], id.as_str());
    assert_eq!(notify[0]["userData"], "axe-ud");
    assert_eq!(notify[1]["called"], B);
    assert_eq!(notify[2]["called"], A);
    assert!(notify[2].get("subscriptionId").is_none());
    let ext_value = |ev: &serde_json::Value, key: &str| {
        ev["extInfo"]["extParas"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["key"] == key)
            .map(|p| p["value"].clone())
    };
    assert_eq!(ext_value(&notify[0], "direction"), Some("1".into()));
    assert_eq!(ext_value(&notify[2], "direction"), Some("0".into()));
    let block = hook.sms_events("/sms-control");
    assert_eq!(block.len(), 1);
    assert_eq!(block[0]["calling"], S);
}

#[test]
fn axyb_sms_follows_the_relations() {
    let hook = Webhook::start(AXYB_KEY, AXYB_SECRET);
    let x = xs("177", 4);
    let emu = start_unbatched(vec![with_hook(
        app(Mode::Axyb, AXYB_KEY, AXYB_SECRET, &x),
        &hook,
    )]);
    let ax = send(
        &emu,
        AXYB_KEY,
        AXYB_SECRET,
        &AxybBindAx::new(AXYB_KEY, n(A), "0755"),
    );
    let xa = ax.relation_number.and_then(|w| w.number()).unwrap();
    let id = ax.subscription_id;
    let yb = send(
        &emu,
        AXYB_KEY,
        AXYB_SECRET,
        &AxybBindYb::new(AXYB_KEY, n(B), id.clone()),
    );
    let y = yb.relation_number.and_then(|w| w.number()).unwrap();

    // A texts Y: B gets it. B texts X: A gets it.
    let r = emu
        .simulate_sms(&SimulatedSms::new(n(A), y, "hi B"))
        .unwrap();
    assert_eq!(r.outcome, SmsOutcome::Forwarded { receiver: n(B) });
    assert_eq!(r.subscription_id.as_deref(), Some(id.as_str()));
    let r = emu
        .simulate_sms(&SimulatedSms::new(n(B), xa, "hi A"))
        .unwrap();
    assert_eq!(r.outcome, SmsOutcome::Forwarded { receiver: n(A) });
    // A stranger texting X: no relation, dropped (no Y for an SMS).
    let r = emu
        .simulate_sms(&SimulatedSms::new(n(S), xa, "who?"))
        .unwrap();
    assert!(matches!(r.outcome, SmsOutcome::Discarded { .. }));
    assert_eq!(r.notify_push_id, None);
    idle(&emu);

    let notify = hook.sms_events("/sms");
    assert_eq!(notify.len(), 2);
    assert_eq!(notify[0]["virtualNumber"], y.e164().as_str());
    assert_eq!(notify[0]["called"], B);
    assert_eq!(notify[1]["virtualNumber"], xa.e164().as_str());
    assert_eq!(notify[1]["called"], A);
    for ev in &notify {
        assert_eq!(ev["subscriptionId"], id.as_str());
        assert_eq!(ev["notificationMode"], "Notify");
    }
    assert!(hook.sms_events("/sms-control").is_empty());
    // No binding was added for the stranger.
    assert_eq!(emu.bindings(AXYB_KEY).unwrap().len(), 2);
}
