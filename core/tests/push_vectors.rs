//! Runs `tests/vectors/pushes.json` (typed push parsing) and
//! `tests/vectors/inbox.json` (the entry point: size, signature, de-duplication).

use std::path::PathBuf;

use privnum::ErrorKind;
use privnum::callback::push::{self, CallStatusInfo, CdrRecord, Push, SmsEvent};
use privnum::callback::{Inbox, InboxConfig};
use privnum::sign::VerifierConfig;
use serde_json::{Value, json};

fn load(name: &str) -> Vec<Value> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/vectors")
        .join(name);
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(doc["schema"], 1);
    doc["cases"].as_array().unwrap().clone()
}

fn body(case: &Value) -> Vec<u8> {
    match case.get("body_hex") {
        Some(h) => {
            let h = h.as_str().unwrap();
            (0..h.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&h[i..i + 2], 16).unwrap())
                .collect()
        }
        None => case["body"].as_str().unwrap().as_bytes().to_vec(),
    }
}

fn opt<T: Into<Value>>(v: Option<T>) -> Value {
    v.map_or(Value::Null, Into::into)
}

fn text(v: Option<&std::borrow::Cow<'_, str>>) -> Value {
    opt(v.map(|s| s.to_string()))
}

/// The value of a record field or derived fact, by its vector name.
fn cdr_value(r: &CdrRecord<'_>, name: &str) -> Value {
    match name {
        "icid" => text(r.icid.as_ref()),
        "session_id" => text(r.session_id.as_ref()),
        "caller_num" => text(r.caller_num.as_ref()),
        "fwd_dst_num" => text(r.fwd_dst_num.as_ref()),
        "bind_num" => text(r.bind_num.as_ref()),
        "subscription_id" => text(r.subscription_id.as_ref()),
        "extend_num" => text(r.extend_num.as_ref()),
        "user_data" => text(r.user_data.as_ref()),
        "notify_mode" => text(r.notify_mode.as_ref()),
        "direction" => opt(r.direction),
        "record_flag" => opt(r.record_flag),
        "call_in_time" => opt(r.call_in_time),
        "fwd_answer_time" => opt(r.fwd_answer_time),
        "call_end_time" => opt(r.call_end_time),
        "record_start_time" => opt(r.record_start_time),
        "ul_fail_reason" => opt(r.ul_fail_reason.map(|c| c.0)),
        "fwd_unasw_rsn" => opt(r.fwd_unasw_rsn.map(|c| c.0)),
        "answered" => r.answered().into(),
        "talk_seconds" => r.talk_seconds().into(),
        "ring_seconds" => opt(r.ring_seconds()),
        "hung_up_by" => opt(r.hung_up_by().map(|p| p.name())),
        "has_failure" => r.failure().is_some().into(),
        "recording" => opt(r
            .recording()
            .map(|x| json!({"file_name": x.file_name, "record_domain": x.record_domain}))),
        "key" => opt(r.key()),
        "caller_e164" => opt(r.caller_number().map(|n| n.e164().to_string())),
        "destination_e164" => opt(r.destination_number().map(|n| n.e164().to_string())),
        other => panic!("unknown CDR field {other} in vectors"),
    }
}

fn info_value(i: &CallStatusInfo<'_>, name: &str) -> Value {
    match name {
        "timestamp" => opt(i.timestamp),
        "session_id" => text(i.session_id.as_ref()),
        "caller" => text(i.caller.as_ref()),
        "called" => text(i.called.as_ref()),
        "subscription_id" => text(i.subscription_id.as_ref()),
        "user_data" => text(i.user_data.as_ref()),
        "notify_mode" => text(i.notify_mode.as_ref()),
        "digit_info" => text(i.digit_info.as_ref()),
        "state_code" => opt(i.state_code.map(|c| c.0)),
        "state_desc" => text(i.state_desc.as_ref()),
        "display_caller_num" => text(i.display_caller_num.as_ref()),
        "extra_party_type" => opt(i.party_type.map(|r| r.get().to_owned())),
        "caller_e164" => opt(i.caller_number().map(|n| n.e164().to_string())),
        other => panic!("unknown statusInfo field {other} in vectors"),
    }
}

fn sms_value(s: &SmsEvent<'_>, name: &str) -> Value {
    match name {
        "app_key" => text(s.app_key.as_ref()),
        "sms_identifier" => text(s.sms_identifier.as_ref()),
        "notification_mode" => text(s.notification_mode.as_ref()),
        "calling" => text(s.calling.as_ref()),
        "called" => text(s.called.as_ref()),
        "virtual_number" => text(s.virtual_number.as_ref()),
        "time_stamp" => opt(s.time_stamp),
        "send_result" => opt(s.send_result.map(|c| c.0)),
        "sms_content" => text(s.sms_content.as_ref()),
        "split_num" => opt(s.split_num()),
        "direction" => opt(s.direction()),
        "needs_reply" => s.needs_reply().into(),
        "key" => opt(s.key()),
        other => panic!("unknown SMS field {other} in vectors"),
    }
}

fn check_fields(id: &str, want: &Value, get: impl Fn(&str) -> Value) {
    for (name, expected) in want.as_object().unwrap() {
        assert_eq!(&get(name), expected, "{id}: {name}");
    }
}

fn check_push(id: &str, push: &Push<'_>, e: &Value) {
    assert_eq!(push.kind_name(), e["kind"].as_str().unwrap(), "{id}: kind");
    match push {
        Push::Cdrs(records) => {
            if let Some(n) = e.get("count") {
                assert_eq!(records.len() as u64, n.as_u64().unwrap(), "{id}: count");
            }
            let want = e["records"].as_array().unwrap();
            assert!(want.len() <= records.len(), "{id}: record count");
            for (i, (r, w)) in records.iter().zip(want).enumerate() {
                let rid = format!("{id}[{i}]");
                for (name, expected) in w.as_object().unwrap() {
                    if name == "extra" {
                        for (field, raw) in expected.as_object().unwrap() {
                            let got = opt(r.field(field).map(|x| x.get().to_owned()));
                            assert_eq!(&got, raw, "{rid}: extra {field}");
                        }
                    } else {
                        assert_eq!(&cdr_value(r, name), expected, "{rid}: {name}");
                    }
                }
            }
        }
        Push::Call(ev) => {
            assert_eq!(ev.kind.name(), e["event"].as_str().unwrap(), "{id}: event");
            if let Some(n) = e.get("needs_reply") {
                assert_eq!(ev.needs_reply(), n.as_bool().unwrap(), "{id}: needs_reply");
            }
            if let Some(info) = e.get("info") {
                check_fields(id, info, |n| info_value(&ev.info, n));
            }
        }
        Push::Sms(sms) => check_fields(id, &e["sms"], |n| sms_value(sms, n)),
        Push::NumberStatus(entries) => {
            let want = e["entries"].as_array().unwrap();
            assert_eq!(entries.len(), want.len(), "{id}: entries");
            for (got, w) in entries.iter().zip(want) {
                assert_eq!(got.number, w["number"].as_str().unwrap(), "{id}");
                assert_eq!(
                    u64::from(got.status.code()),
                    w["status"].as_u64().unwrap(),
                    "{id}"
                );
                assert_eq!(opt(got.cause.map(|c| c.code())), w["cause"], "{id}");
            }
        }
        _ => panic!("{id}: unexpected push kind"),
    }
}

fn check_error(id: &str, case: &Value, e: &privnum::Error) {
    let want = ErrorKind::from_name(case["error"].as_str().unwrap()).unwrap();
    assert_eq!(e.kind(), want, "{id}: {e}");
    if let Some(part) = case.get("message_contains") {
        let part = part.as_str().unwrap();
        assert!(
            e.message().contains(part),
            "{id}: {e:?} should mention {part}"
        );
    }
}

#[test]
fn pushes() {
    let cases = load("pushes.json");
    assert!(cases.len() >= 40);
    for case in &cases {
        let id = case["id"].as_str().unwrap();
        let bytes = body(case);
        match (push::parse(&bytes), case.get("error")) {
            (Ok(p), None) => check_push(id, &p, &case["expect"]),
            (Err(e), Some(_)) => check_error(id, case, &e),
            (Ok(p), Some(k)) => panic!("{id}: expected {k}, got {}", p.kind_name()),
            (Err(e), None) => panic!("{id}: unexpected error {e}"),
        }
    }
}

fn inbox_config(v: &Value) -> InboxConfig {
    let d = InboxConfig::default();
    InboxConfig {
        max_body_bytes: v
            .get("max_body_bytes")
            .map_or(d.max_body_bytes, |x| x.as_u64().unwrap() as usize),
        dedup_window_secs: v
            .get("dedup_window_secs")
            .map_or(d.dedup_window_secs, |x| x.as_u64().unwrap() as u32),
        dedup_capacity: v
            .get("dedup_capacity")
            .map_or(d.dedup_capacity, |x| x.as_u64().unwrap() as usize),
        verifier: VerifierConfig {
            max_age_secs: v
                .get("max_age_secs")
                .map_or(600, |x| x.as_u64().unwrap() as u32),
            ..VerifierConfig::default()
        },
    }
}

#[test]
fn inbox() {
    for case in load("inbox.json") {
        let id = case["id"].as_str().unwrap();
        let config = inbox_config(&case["config"]);
        let inbox = match (case.get("app_key"), case.get("app_secret")) {
            (Some(k), Some(s)) => {
                Inbox::with_secret(k.as_str().unwrap(), s.as_str().unwrap(), &config).unwrap()
            }
            _ => Inbox::new(&config),
        };
        for (i, step) in case["steps"].as_array().unwrap().iter().enumerate() {
            let sid = format!("{id}#{i}");
            let bytes = body(step);
            let headers: Vec<(String, String)> = step
                .get("headers")
                .and_then(Value::as_array)
                .map(|h| {
                    h.iter()
                        .map(|p| {
                            (
                                p[0].as_str().unwrap().to_owned(),
                                p[1].as_str().unwrap().to_owned(),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            let now = step["now"].as_i64().unwrap();
            let result = inbox.receive(
                &bytes,
                headers.iter().map(|(a, b)| (a.as_str(), b.as_str())),
                now,
            );
            match (result, step.get("error")) {
                (Ok(r), None) => {
                    let e = &step["expect"];
                    let dups: Vec<bool> = r.items.iter().map(|i| i.duplicate).collect();
                    let want: Vec<bool> = e["duplicates"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|b| b.as_bool().unwrap())
                        .collect();
                    assert_eq!(dups, want, "{sid}: duplicates");
                    assert_eq!(
                        r.is_duplicate(),
                        e["is_duplicate"].as_bool().unwrap(),
                        "{sid}"
                    );
                    assert_eq!(
                        r.verified.is_some(),
                        e["verified"].as_bool().unwrap(),
                        "{sid}"
                    );
                    if step.get("commit").and_then(Value::as_bool).unwrap_or(false) {
                        inbox.commit(&r, now);
                    }
                }
                (Err(err), Some(_)) => check_error(&sid, step, &err),
                (Ok(_), Some(k)) => panic!("{sid}: expected {k}"),
                (Err(err), None) => panic!("{sid}: unexpected {err}"),
            }
        }
    }
}
