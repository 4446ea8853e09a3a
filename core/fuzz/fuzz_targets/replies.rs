//! Block-mode reply builders (`callback::reply`) fed with fuzzed values.
//!
//! Input (text, `\n`-separated lines; inside a value `\n` is a line feed and
//! `\\` a backslash):
//! ```text
//! kind                     connect | close | sms_route | sms_discard | call_control
//! name=value               a setter and its argument, applied in order
//! extra=name=value         (call_control) one `extra`, in order
//! ```
//! Names are the replies.json inputs: callee, display, max_duration,
//! wait_voice, record, record_hint_tone, last_min_voice, user_data, form,
//! close_hint_tone, calling, called, operate, message, control_msg, subs_id,
//! call_no_play_code. Numbers are typed text (`number::parse`); a party that
//! does not parse falls back to a fixed mobile number, a display that does not
//! parse is left unset.
//!
//! Asserts:
//! * `to_json` succeeds exactly when `validate` does; errors are REPLY_INVALID
//!   or FIELD_OUT_OF_BOUNDS and name the JSON field;
//! * the body parses with serde_json, and re-serializing it compactly (object
//!   members kept in order) gives the body back byte for byte: compact,
//!   RFC 8259 escaping, no duplicate or reordered members;
//! * its members are the documented ones in the documented order, carrying the
//!   values that were set (empty optional strings left out).

#![no_main]

use libfuzzer_sys::fuzz_target;
use privnum::callback::reply::{
    CallControlReply, CloseReply, ConnectReply, ControlOperate, InfoForm, SmsReply,
};
use privnum::number::{self, Number};
use privnum::{Error, ErrorKind};
use privnum_fuzz::{Json, lines, split_once, text, unescape};

fn fallback() -> Number {
    number::parse("+8613900000002").expect("a valid mobile")
}

fn party(v: &str) -> Number {
    number::parse(v).unwrap_or_else(|_| fallback())
}

fn is_true(v: &str) -> bool {
    matches!(v.trim(), "true" | "1")
}

fn form_of(v: &str) -> InfoForm {
    InfoForm::from_name(v.trim()).unwrap_or_default()
}

/// Check an Ok body (text and parsed) or an error, for one builder.
fn check_result(
    json: Result<String, Error>,
    validated: Result<(), Error>,
    path: &str,
) -> Option<Json> {
    assert_eq!(
        json.as_ref().map(|_| ()).map_err(Error::kind),
        validated.as_ref().map(|_| ()).map_err(|e| e.kind()),
        "to_json and validate disagree"
    );
    let body = match json {
        Ok(b) => b,
        Err(e) => {
            assert!(
                matches!(
                    e.kind(),
                    ErrorKind::ReplyInvalid | ErrorKind::FieldOutOfBounds
                ),
                "{e:?}"
            );
            assert!(e.message().contains(path), "{path} not named in {e}");
            return None;
        }
    };
    let value: serde_json::Value =
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("body is not JSON ({e}): {body:?}"));
    assert!(value.is_object());
    let ordered = Json::parse(&body).expect("serde_json parsed it once");
    assert_eq!(ordered.to_compact(), body, "not compact canonical JSON");
    Some(ordered)
}

/// The object inside `connectInfo` / `closeInfo` for `form`.
fn info<'a>(body: &'a Json, name: &str, form: InfoForm) -> &'a Json {
    let v = body.get(name).expect("info member");
    match (form, v) {
        (InfoForm::Object, Json::Object(_)) => v,
        (InfoForm::Array, Json::Array(items)) if items.len() == 1 => &items[0],
        _ => panic!("{name} has the wrong form for {form:?}: {v:?}"),
    }
}

/// `keys` is `order` with some members left out (documented order kept).
fn assert_in_order(keys: &[&str], order: &[&str]) {
    let mut it = order.iter();
    for k in keys {
        assert!(it.any(|o| o == k), "member {k:?} out of order in {keys:?}");
    }
}

/// Optional string member: present with `value` exactly when `value` is non-empty.
fn assert_opt(obj: &Json, name: &str, value: &str) {
    let got = obj.get(name);
    if value.is_empty() {
        assert!(got.is_none(), "{name} written though empty");
    } else {
        assert_eq!(got.and_then(Json::as_str), Some(value), "{name}");
    }
}

fn connect(settings: &[(&str, String)]) {
    // The last value of each setting wins, as with repeated setter calls.
    let last = |name: &str| {
        settings
            .iter()
            .rev()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    };
    let callee = last("callee").map_or_else(fallback, party);
    let display = last("display").and_then(|v| number::parse(v).ok());
    let max = last("max_duration").and_then(|v| v.trim().parse::<u32>().ok());
    let record = last("record").map(is_true);
    let form = last("form").map(form_of);
    let names = [
        "wait_voice",
        "record_hint_tone",
        "last_min_voice",
        "user_data",
    ];
    let strings = names.map(|n| last(n).unwrap_or(""));

    let mut r = ConnectReply::new(callee);
    if let Some(d) = display {
        r = r.display(d);
    }
    if let Some(m) = max {
        r = r.max_duration_minutes(m);
    }
    if let Some(on) = record {
        r = r.record(on);
    }
    if let Some(f) = form {
        r = r.form(f);
    }
    // Strings through both `impl Into<String>` flavours.
    r = r
        .wait_voice(strings[0])
        .record_hint_tone(strings[1].to_owned())
        .last_min_voice(strings[2])
        .user_data(strings[3].to_owned());
    let record = record.unwrap_or(false);
    let form = form.unwrap_or_default();
    let Some(body) = check_result(r.to_json(), r.validate(), "connectInfo") else {
        return;
    };
    assert_eq!(body.keys(), ["operation", "connectInfo"]);
    assert_eq!(
        body.get("operation").and_then(Json::as_str),
        Some("connect")
    );
    let ci = info(&body, "connectInfo", form);
    assert_in_order(
        &ci.keys(),
        &[
            "calleeNum",
            "displayCalleeNum",
            "maxDuration",
            "waitVoice",
            "recordFlag",
            "recordHintTone",
            "lastMinVoice",
            "userData",
        ],
    );
    let e164 = callee.e164();
    assert_eq!(
        ci.get("calleeNum").and_then(Json::as_str),
        Some(e164.as_str())
    );
    let shown = display.map(|d| d.e164());
    assert_eq!(
        ci.get("displayCalleeNum").and_then(Json::as_str),
        shown.as_ref().map(|s| s.as_str())
    );
    assert_eq!(
        ci.get("maxDuration"),
        max.map(|m| Json::Number(m.into())).as_ref()
    );
    assert!(max.is_none_or(|m| m <= 1440));
    assert_eq!(
        ci.get("recordFlag").and_then(Json::as_str),
        Some(if record { "true" } else { "false" })
    );
    for (value, member) in
        strings
            .iter()
            .zip(["waitVoice", "recordHintTone", "lastMinVoice", "userData"])
    {
        assert_opt(ci, member, value);
    }
}

fn close(settings: &[(&str, String)]) {
    let mut r = CloseReply::new();
    let (mut tone, mut user_data, mut form) = (String::new(), String::new(), InfoForm::Object);
    for (name, v) in settings {
        r = match *name {
            "close_hint_tone" => {
                tone.clone_from(v);
                r.close_hint_tone(v.as_str())
            }
            "user_data" => {
                user_data.clone_from(v);
                r.user_data(v.as_str())
            }
            "form" => {
                form = form_of(v);
                r.form(form)
            }
            _ => r,
        };
    }
    let Some(body) = check_result(r.to_json(), r.validate(), "closeInfo") else {
        return;
    };
    assert_eq!(body.keys(), ["operation", "closeInfo"]);
    assert_eq!(body.get("operation").and_then(Json::as_str), Some("close"));
    let ci = info(&body, "closeInfo", form);
    assert_in_order(&ci.keys(), &["closeHintTone", "userData"]);
    assert_opt(ci, "closeHintTone", &tone);
    assert_opt(ci, "userData", &user_data);
}

fn sms(settings: &[(&str, String)], route: bool) {
    let (mut calling, mut called, mut user_data) = (fallback(), fallback(), String::new());
    for (name, v) in settings {
        match *name {
            "calling" => calling = party(v),
            "called" => called = party(v),
            "user_data" => user_data.clone_from(v),
            _ => {}
        }
    }
    let r = if route {
        SmsReply::route(calling, called)
    } else {
        SmsReply::discard()
    }
    .user_data(user_data.as_str());
    assert_eq!(r.is_route(), route);
    let Some(body) = check_result(r.to_json(), r.validate(), "actions[0]") else {
        return;
    };
    assert_eq!(body.keys(), ["actions"]);
    let Some(Json::Array(actions)) = body.get("actions") else {
        panic!("actions is not an array");
    };
    assert_eq!(actions.len(), 1);
    let a = &actions[0];
    if route {
        assert_eq!(a.keys()[..2], ["operation", "message"]);
        assert_eq!(
            a.get("operation").and_then(Json::as_str),
            Some("vNumberRoute")
        );
        let m = a.get("message").expect("message");
        assert_eq!(m.keys(), ["calling", "called"]);
        let (ce, de) = (calling.e164(), called.e164());
        assert_eq!(m.get("calling").and_then(Json::as_str), Some(ce.as_str()));
        assert_eq!(m.get("called").and_then(Json::as_str), Some(de.as_str()));
        assert!(called.is_bindable());
    } else {
        assert_eq!(a.keys()[..1], ["operation"]);
        assert_eq!(
            a.get("operation").and_then(Json::as_str),
            Some("DiscardMessage")
        );
        assert!(a.get("message").is_none());
    }
    assert_in_order(&a.keys(), &["operation", "message", "userData"]);
    assert_opt(a, "userData", &user_data);
}

fn call_control(settings: &[(&str, String)]) {
    let operate = settings
        .iter()
        .rev()
        .find(|(n, _)| *n == "operate")
        .and_then(|(_, v)| ControlOperate::from_name(v.trim()))
        .unwrap_or(ControlOperate::Continue);
    let mut r = CallControlReply::new(operate);
    let (mut message, mut control_msg) = ("OK".to_owned(), String::new());
    let (mut subs_id, mut play) = ("0".to_owned(), String::new());
    let mut extras: Vec<(String, String)> = Vec::new();
    for (name, v) in settings {
        r = match *name {
            "message" => {
                message.clone_from(v);
                r.message(v.as_str())
            }
            "control_msg" => {
                control_msg.clone_from(v);
                r.control_msg(v.as_str())
            }
            "subs_id" => {
                subs_id.clone_from(v);
                r.subs_id(v.as_str())
            }
            "call_no_play_code" => {
                play.clone_from(v);
                r.call_no_play_code(v.as_str())
            }
            "extra" => {
                let (k, val) = split_once(v, '=');
                extras.push((k.to_owned(), val.to_owned()));
                r.extra(k, val)
            }
            _ => r,
        };
    }
    let Some(body) = check_result(r.to_json(), r.validate(), "model") else {
        return;
    };
    assert_eq!(body.keys(), ["code", "message", "model"]);
    assert_eq!(body.get("code").and_then(Json::as_str), Some("OK"));
    assert_eq!(
        body.get("message").and_then(Json::as_str),
        Some(message.as_str())
    );
    let model = body.get("model").expect("model");
    let mut want: Vec<(&str, &str)> = vec![("controlOperate", operate.name())];
    if !control_msg.is_empty() {
        want.push(("controlMsg", &control_msg));
    }
    want.push(("subsId", &subs_id));
    if !play.is_empty() {
        want.push(("callNoPlayCode", &play));
    }
    for (k, v) in &extras {
        if !v.is_empty() {
            want.push((k, v));
        }
    }
    let got: Vec<(&str, &str)> = match model {
        Json::Object(m) => m
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str().expect("string member")))
            .collect(),
        _ => panic!("model is not an object"),
    };
    assert_eq!(got, want);
    assert!(!subs_id.is_empty() && subs_id.len() <= 64);
    assert!(subs_id.bytes().all(|b| b.is_ascii_digit()));
    assert!(operate != ControlOperate::Ivr || !play.is_empty());
}

fuzz_target!(|data: &[u8]| {
    let text = text(data);
    let lines = lines(&text);
    let Some((kind, rest)) = lines.split_first() else {
        return;
    };
    let settings: Vec<(&str, String)> = rest
        .iter()
        .map(|l| {
            let (name, value) = split_once(l, '=');
            (name, unescape(value))
        })
        .collect();
    match kind.trim() {
        "connect" => connect(&settings),
        "close" => close(&settings),
        "sms_route" => sms(&settings, true),
        "sms_discard" => sms(&settings, false),
        "call_control" => call_control(&settings),
        // Anything else: try every builder, so no input is wasted.
        _ => {
            connect(&settings);
            close(&settings);
            sms(&settings, true);
            sms(&settings, false);
            call_control(&settings);
        }
    }
});
