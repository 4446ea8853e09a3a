//! Runs every case of `tests/vectors/replies.json` (Block-mode reply bodies)
//! against `privnum::callback::reply`.

use std::collections::HashSet;
use std::path::PathBuf;

use privnum::callback::reply::{
    CallControlReply, CloseReply, ConnectReply, ControlOperate, InfoForm, SmsReply,
};
use privnum::number::{self, Number};
use privnum::{Error, ErrorKind};
use serde_json::Value;

fn load(name: &str) -> Vec<Value> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/vectors")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let doc: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["schema"], 1, "{name}: unknown schema");
    assert!(doc["_comment"].is_string(), "{name}: no _comment");
    let cases = doc["cases"].as_array().unwrap().clone();
    assert!(!cases.is_empty(), "{name} has no cases");
    cases
}

/// The inputs each kind takes (besides `id`, `kind`, `expect`, `error`).
fn inputs_of(kind: &str) -> &'static [&'static str] {
    match kind {
        "connect" => &[
            "callee",
            "display",
            "max_duration",
            "wait_voice",
            "record",
            "record_hint_tone",
            "last_min_voice",
            "user_data",
            "form",
        ],
        "close" => &["close_hint_tone", "user_data", "form"],
        "sms_route" => &["calling", "called", "user_data"],
        "sms_discard" => &["user_data"],
        "call_control" => &[
            "operate",
            "message",
            "control_msg",
            "subs_id",
            "call_no_play_code",
            "extra",
        ],
        other => panic!("unknown kind {other}"),
    }
}

fn opt_str<'a>(case: &'a Value, key: &str) -> Option<&'a str> {
    case.get(key).map(|v| {
        v.as_str()
            .unwrap_or_else(|| panic!("{key} must be a string in {case}"))
    })
}

fn num(case: &Value, key: &str) -> Option<Number> {
    opt_str(case, key)
        .map(|s| number::parse(s).unwrap_or_else(|e| panic!("{}: {key} {s:?}: {e}", case["id"])))
}

fn form(case: &Value) -> Option<InfoForm> {
    opt_str(case, "form").map(|f| InfoForm::from_name(f).unwrap_or_else(|| panic!("form {f}")))
}

fn connect(case: &Value) -> Result<String, Error> {
    let mut r = ConnectReply::new(num(case, "callee").expect("connect needs callee"));
    if let Some(x) = num(case, "display") {
        r = r.display(x);
    }
    if let Some(m) = case.get("max_duration") {
        r = r.max_duration_minutes(u32::try_from(m.as_u64().unwrap()).unwrap());
    }
    if let Some(v) = opt_str(case, "wait_voice") {
        r = r.wait_voice(v);
    }
    if let Some(on) = case.get("record") {
        r = r.record(on.as_bool().unwrap());
    }
    if let Some(v) = opt_str(case, "record_hint_tone") {
        r = r.record_hint_tone(v);
    }
    if let Some(v) = opt_str(case, "last_min_voice") {
        r = r.last_min_voice(v);
    }
    if let Some(v) = opt_str(case, "user_data") {
        r = r.user_data(v);
    }
    if let Some(f) = form(case) {
        r = r.form(f);
    }
    // validate() and to_json() agree.
    assert_eq!(r.validate().err(), r.to_json().err(), "{}", case["id"]);
    r.to_json()
}

fn close(case: &Value) -> Result<String, Error> {
    let mut r = CloseReply::new();
    if let Some(v) = opt_str(case, "close_hint_tone") {
        r = r.close_hint_tone(v);
    }
    if let Some(v) = opt_str(case, "user_data") {
        r = r.user_data(v);
    }
    if let Some(f) = form(case) {
        r = r.form(f);
    }
    assert_eq!(r.validate().err(), r.to_json().err(), "{}", case["id"]);
    r.to_json()
}

fn sms(case: &Value, route: bool) -> Result<String, Error> {
    let mut r = if route {
        SmsReply::route(
            num(case, "calling").expect("sms_route needs calling"),
            num(case, "called").expect("sms_route needs called"),
        )
    } else {
        SmsReply::discard()
    };
    assert_eq!(r.is_route(), route);
    if let Some(v) = opt_str(case, "user_data") {
        r = r.user_data(v);
    }
    assert_eq!(r.validate().err(), r.to_json().err(), "{}", case["id"]);
    r.to_json()
}

fn call_control(case: &Value) -> Result<String, Error> {
    let op = opt_str(case, "operate").expect("call_control needs operate");
    let op = ControlOperate::from_name(op).unwrap_or_else(|| panic!("operate {op}"));
    let mut r = CallControlReply::new(op);
    if let Some(v) = opt_str(case, "message") {
        r = r.message(v);
    }
    if let Some(v) = opt_str(case, "control_msg") {
        r = r.control_msg(v);
    }
    if let Some(v) = opt_str(case, "subs_id") {
        r = r.subs_id(v);
    }
    if let Some(v) = opt_str(case, "call_no_play_code") {
        r = r.call_no_play_code(v);
    }
    for pair in case.get("extra").map_or(&[][..], |e| e.as_array().unwrap()) {
        let pair = pair.as_array().unwrap();
        assert_eq!(pair.len(), 2, "{}: extra is [name, value]", case["id"]);
        r = r.extra(pair[0].as_str().unwrap(), pair[1].as_str().unwrap());
    }
    assert_eq!(r.validate().err(), r.to_json().err(), "{}", case["id"]);
    r.to_json()
}

#[test]
fn replies() {
    let cases = load("replies.json");
    assert!(cases.len() >= 25, "only {} cases", cases.len());
    let mut ids = HashSet::new();
    let mut kinds_seen = HashSet::new();
    let mut errors_seen = HashSet::new();
    for case in &cases {
        let id = case["id"].as_str().expect("id");
        assert!(ids.insert(id), "duplicate id {id}");
        let kind = case["kind"].as_str().expect("kind");
        kinds_seen.insert(kind);
        // No unknown (mistyped) inputs.
        let inputs = inputs_of(kind);
        for key in case.as_object().unwrap().keys() {
            assert!(
                ["id", "kind", "expect", "error"].contains(&key.as_str())
                    || inputs.contains(&key.as_str()),
                "{id}: unknown key {key}"
            );
        }
        let result = match kind {
            "connect" => connect(case),
            "close" => close(case),
            "sms_route" => sms(case, true),
            "sms_discard" => sms(case, false),
            "call_control" => call_control(case),
            other => panic!("{id}: unknown kind {other}"),
        };
        match (result, case.get("expect"), case.get("error")) {
            (Ok(json), Some(expect), None) => {
                let want = expect["json"].as_str().expect("expect.json");
                assert_eq!(json, want, "{id}");
                // The body is valid JSON, and means what the expected text means.
                let got: Value = serde_json::from_str(&json)
                    .unwrap_or_else(|e| panic!("{id}: not valid JSON: {e}: {json}"));
                let want: Value = serde_json::from_str(want).unwrap();
                assert_eq!(got, want, "{id}");
                assert!(got.is_object(), "{id}");
            }
            (Err(e), None, Some(kind)) => {
                let want = ErrorKind::from_name(kind.as_str().unwrap())
                    .unwrap_or_else(|| panic!("{id}: unknown error kind {kind}"));
                assert!(
                    matches!(want, ErrorKind::ReplyInvalid | ErrorKind::FieldOutOfBounds),
                    "{id}: replies fail only with REPLY_INVALID or FIELD_OUT_OF_BOUNDS"
                );
                assert_eq!(e.kind(), want, "{id}: {e}");
                assert!(!e.message().is_empty(), "{id}: empty message");
                errors_seen.insert(want);
            }
            (Ok(json), None, Some(kind)) => panic!("{id}: expected error {kind}, got {json}"),
            (Err(e), Some(_), None) => panic!("{id}: unexpected error {e}"),
            _ => panic!("{id}: a case has exactly one of expect and error"),
        }
    }
    for kind in [
        "connect",
        "close",
        "sms_route",
        "sms_discard",
        "call_control",
    ] {
        assert!(kinds_seen.contains(kind), "no case of kind {kind}");
    }
    assert!(errors_seen.contains(&ErrorKind::ReplyInvalid));
    assert!(errors_seen.contains(&ErrorKind::FieldOutOfBounds));
}
