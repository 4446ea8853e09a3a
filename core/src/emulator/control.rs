//! The control interface over HTTP: `/_emulator/…`, JSON in and out, the
//! same operations as the Rust methods of [`super::Emulator`] (see the
//! module docs for the table). Answers are `{"ok": …}` (HTTP 200) or
//! `{"error": …}` in the form engine commands use
//! ([`crate::engine::command::error_value`]), with HTTP 400 (404 for an
//! unknown operation).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value, json};

use crate::engine::command::error_value;
use crate::error::{Error, ErrorKind, Result};
use crate::number;

use super::Shared;
use super::answer::Answer;
use super::calls::{CallOutcome, CallReport, CallRoute, SimulatedCall};
use super::live::{self, RECORDINGS_PATH};
use super::outbox::{AttemptOutcome, DeliveryAttempt, PushInfo, PushStatus};
use super::sms::{SimulatedSms, SmsOutcome, SmsReport};
use super::status;
use crate::engine::Ext;

/// The longest `wait_idle` over HTTP (it holds a worker thread).
const MAX_WAIT: Duration = Duration::from_secs(60);

/// Answer a control request; `op` is the path after `/_emulator/`.
pub(crate) fn handle(shared: &Shared, method: &str, op: &str, query: &str, body: &[u8]) -> Answer {
    if let (true, Some(name)) = (method == "GET", op.strip_prefix(RECORDINGS_PATH)) {
        return live::recording_file(shared, name);
    }
    let result = match (method, op) {
        ("GET", "apps") => Ok(apps(shared)),
        ("GET", "bindings") => bindings(shared, query),
        ("POST", "calls") => call(shared, body),
        ("GET", "calls/live") => Ok(json!(live_sessions(shared))),
        ("POST", "sms") => sms(shared, body),
        ("POST", "numbers/status") => number_status(shared, body),
        ("GET", "clock") => clock(shared),
        ("POST", "clock/advance") => advance(shared, query, body),
        ("GET", "pushes") => Ok(Value::Array(
            shared.outbox.pushes().iter().map(push_json).collect(),
        )),
        ("GET", "deliveries") => Ok(Value::Array(
            shared.outbox.attempts().iter().map(attempt_json).collect(),
        )),
        ("POST", "cdrs/flush") => {
            shared.outbox.flush_cdrs(&shared.apps);
            Ok(Value::Null)
        }
        ("POST", "wait_idle") => wait_idle(shared, query),
        _ => {
            return Answer::json(
                404,
                json!({ "error": error_value(&Error::new(
                    ErrorKind::InvalidCommand,
                    format!("no control operation {method} /_emulator/{op}"),
                )) }),
            );
        }
    };
    match result {
        Ok(v) => Answer::json(200, json!({ "ok": v })),
        Err(e) => Answer::json(400, json!({ "error": error_value(&e) })),
    }
}

fn param(query: &str, name: &str) -> Option<String> {
    form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

fn apps(shared: &Shared) -> Value {
    let list = shared
        .apps
        .iter()
        .map(|a| {
            let c = &a.config;
            let numbers: Vec<Value> = c
                .numbers
                .iter()
                .map(|n| json!({ "number": n.number().e164().as_str(), "area": n.area() }))
                .collect();
            json!({
                "app_key": c.app_key,
                "mode": c.mode.name(),
                "numbers": numbers,
                "call_event_url": c.call_event_url,
                "fee_url": c.fee_url,
                "sp_id": c.sp_id,
                "retry_time_scale": c.retry_time_scale,
                "sms_url": c.sms_url,
                "sms_control_url": c.sms_control_url,
                "x_status_url": c.x_status_url,
                "block_reply_timeout_ms":
                    u64::try_from(c.block_reply_timeout.as_millis()).unwrap_or(u64::MAX),
            })
        })
        .collect();
    Value::Array(list)
}

fn bindings(shared: &Shared, query: &str) -> Result<Value> {
    let keys: Vec<String> = match param(query, "app_key") {
        Some(k) => vec![k],
        None => shared
            .apps
            .iter()
            .map(|a| a.config.app_key.clone())
            .collect(),
    };
    let mut out = Vec::with_capacity(keys.len());
    for key in keys {
        let list = shared.bindings(&key)?;
        let list = serde_json::to_value(&list)
            .map_err(|e| Error::new(ErrorKind::InvalidArgument, e.to_string()))?;
        out.push(json!({ "app_key": key, "bindings": list }));
    }
    Ok(Value::Array(out))
}

fn field_number(obj: &Map<String, Value>, name: &'static str) -> Result<number::Number> {
    let text = obj.get(name).and_then(Value::as_str).ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidCommand,
            format!("{name} (a string) is required"),
        )
        .with_field(name)
    })?;
    number::parse(text).map_err(|e| e.with_field(name))
}

fn field_u32(obj: &Map<String, Value>, name: &'static str) -> Result<Option<u32>> {
    match obj.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .map(Some)
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::InvalidCommand,
                    format!("{name} must be a non-negative integer"),
                )
                .with_field(name)
            }),
    }
}

/// Read a call from its JSON form (see the module docs).
pub(crate) fn call_from_json(body: &[u8]) -> Result<SimulatedCall> {
    let Ok(Value::Object(obj)) = serde_json::from_slice::<Value>(body) else {
        return Err(Error::new(
            ErrorKind::InvalidCommand,
            "a call is a JSON object with caller and dialled",
        ));
    };
    let caller = field_number(&obj, "caller")?;
    let dialled = field_number(&obj, "dialled")?;
    let talk_secs = field_u32(&obj, "talk_secs")?.unwrap_or(30);
    let outcome = match obj.get("outcome").and_then(Value::as_str) {
        None | Some("answered") => CallOutcome::Answered { talk_secs },
        Some("no_answer") => CallOutcome::NoAnswer,
        Some("busy") => CallOutcome::Busy,
        Some(other) => {
            return Err(Error::new(
                ErrorKind::InvalidCommand,
                format!("outcome must be answered, no_answer or busy, got {other:?}"),
            )
            .with_field("outcome"));
        }
    };
    let mut call = SimulatedCall::new(caller, dialled, outcome);
    if let Some(r) = field_u32(&obj, "ring_secs")? {
        call.ring_secs = r;
    }
    call.hold = match obj.get("hold") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            return Err(
                Error::new(ErrorKind::InvalidCommand, "hold must be a boolean").with_field("hold"),
            );
        }
    };
    call.ext = match obj.get("ext") {
        None | Some(Value::Null) => None,
        Some(Value::String(e)) => Some(Ext::parse(e).map_err(|e| e.with_field("ext"))?),
        Some(_) => {
            return Err(Error::new(
                ErrorKind::InvalidCommand,
                "ext must be a string of 1-4 digits",
            )
            .with_field("ext"));
        }
    };
    call.record = match obj.get("record") {
        None | Some(Value::Null) => None,
        Some(Value::Bool(b)) => Some(*b),
        Some(_) => {
            return Err(
                Error::new(ErrorKind::InvalidCommand, "record must be a boolean")
                    .with_field("record"),
            );
        }
    };
    Ok(call)
}

fn call(shared: &Shared, body: &[u8]) -> Result<Value> {
    let report = shared.simulate_call(&call_from_json(body)?)?;
    Ok(report_json(&report))
}

fn report_json(r: &CallReport) -> Value {
    let route = match &r.route {
        CallRoute::Connected { callee, display } => json!({
            "operation": "connect",
            "callee": callee.e164().as_str(),
            "display": display.e164().as_str(),
        }),
        CallRoute::Closed { reason } => json!({ "operation": "close", "reason": reason.name() }),
        CallRoute::ClosedByApplication => {
            json!({ "operation": "close", "reason": "closed_by_application" })
        }
        CallRoute::NoDecision { why } => {
            json!({ "operation": "close", "reason": "no_decision", "why": why })
        }
    };
    json!({
        "app_key": r.app_key,
        "session_id": r.session_id,
        "icid": r.icid,
        "subscription_id": r.subscription_id,
        "route": route,
        "state_code": r.state_code,
        "events": r.events,
        "push_ids": r.push_ids,
        "block_push_id": r.block_push_id,
        "cdr_queued": r.cdr_queued,
        "live": r.live,
        "record_file": r.record_file,
    })
}

fn live_sessions(shared: &Shared) -> Vec<String> {
    let mut ids: Vec<String> = shared.live.lock().keys().cloned().collect();
    ids.sort();
    ids
}

fn json_object(body: &[u8], what: &str) -> Result<Map<String, Value>> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(obj)) => Ok(obj),
        _ => Err(Error::new(
            ErrorKind::InvalidCommand,
            format!("{what} is a JSON object"),
        )),
    }
}

/// Read an SMS: `{"sender", "dialled", "text"}`.
pub(crate) fn sms_from_json(body: &[u8]) -> Result<SimulatedSms> {
    let obj = json_object(body, "an SMS")?;
    let sender = field_number(&obj, "sender")?;
    let dialled = field_number(&obj, "dialled")?;
    let text = obj.get("text").and_then(Value::as_str).ok_or_else(|| {
        Error::new(ErrorKind::InvalidCommand, "text (a string) is required").with_field("text")
    })?;
    Ok(SimulatedSms::new(sender, dialled, text))
}

fn sms(shared: &Shared, body: &[u8]) -> Result<Value> {
    let report = shared.simulate_sms(&sms_from_json(body)?)?;
    Ok(sms_report_json(&report))
}

fn sms_report_json(r: &SmsReport) -> Value {
    let outcome = match &r.outcome {
        SmsOutcome::Forwarded { receiver } => {
            json!({ "operation": "forward", "receiver": receiver.e164().as_str() })
        }
        SmsOutcome::Discarded { reason } => json!({ "operation": "discard", "reason": reason }),
    };
    json!({
        "app_key": r.app_key,
        "sms_identifier": r.sms_identifier,
        "subscription_id": r.subscription_id,
        "outcome": outcome,
        "forwarded_text": r.forwarded_text,
        "block_push_id": r.block_push_id,
        "notify_push_id": r.notify_push_id,
    })
}

/// `{"number", "status": "paused" | "9" | …, "cause": 2}`.
fn number_status(shared: &Shared, body: &[u8]) -> Result<Value> {
    let obj = json_object(body, "a status change")?;
    let number = field_number(&obj, "number")?;
    let status = obj
        .get("status")
        .and_then(Value::as_str)
        .and_then(status::from_text)
        .ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidCommand,
                "status must be normal, paused, unavailable, bind_frozen, blacklisted or a push code (5, 9, 10, 11)",
            )
            .with_field("status")
        })?;
    let cause = field_u32(&obj, "cause")?;
    let changed = status::set(shared, number, status, cause)?;
    Ok(json!({ "bindings_changed": changed }))
}

fn clock(shared: &Shared) -> Result<Value> {
    Ok(json!({ "now": shared.now()?, "offset_secs": shared.clock_offset() }))
}

/// `{"secs": N}` or `?secs=N`.
fn advance(shared: &Shared, query: &str, body: &[u8]) -> Result<Value> {
    let bad = || {
        Error::new(
            ErrorKind::InvalidCommand,
            "secs (a non-negative integer) is required",
        )
        .with_field("secs")
    };
    let secs = match param(query, "secs") {
        Some(s) => s.parse::<u64>().map_err(|_| bad())?,
        None => json_object(body, "a clock step")
            .map_err(|_| bad())?
            .get("secs")
            .and_then(Value::as_u64)
            .ok_or_else(bad)?,
    };
    let r = shared.advance_clock(secs)?;
    Ok(json!({
        "now": r.now,
        "offset_secs": r.offset_secs,
        "expired": r.expired,
        "calls_ended": r.calls_ended,
    }))
}

fn status_name(s: PushStatus) -> &'static str {
    match s {
        PushStatus::Pending => "pending",
        PushStatus::Delivered => "delivered",
        PushStatus::GaveUp => "gave_up",
    }
}

fn push_json(p: &PushInfo) -> Value {
    json!({
        "id": p.id,
        "app_key": p.app_key,
        "event": p.event,
        "url": p.url,
        "status": status_name(p.status),
        "attempts": p.attempts,
        "body": p.body,
    })
}

fn attempt_json(a: &DeliveryAttempt) -> Value {
    let at_ms = unix_ms(a.at);
    let mut v = json!({
        "push_id": a.push_id,
        "event": a.event,
        "app_key": a.app_key,
        "url": a.url,
        "attempt": a.attempt,
        "at_unix_ms": at_ms,
        "since_first_ms": u64::try_from(a.since_first.as_millis()).unwrap_or(u64::MAX),
    });
    let (outcome, status, error) = match &a.outcome {
        AttemptOutcome::Delivered => ("delivered", Some(200), None),
        AttemptOutcome::Refused { status } => ("refused", Some(*status), None),
        AttemptOutcome::Failed { error } => ("failed", None, Some(error.clone())),
    };
    if let Value::Object(m) = &mut v {
        m.insert("outcome".into(), Value::from(outcome));
        m.insert("status".into(), json!(status));
        m.insert("error".into(), json!(error));
    }
    v
}

fn wait_idle(shared: &Shared, query: &str) -> Result<Value> {
    let ms = match param(query, "timeout_ms") {
        None => 10_000,
        Some(t) => t.parse::<u64>().map_err(|_| {
            Error::new(
                ErrorKind::InvalidCommand,
                "timeout_ms must be a non-negative integer",
            )
        })?,
    };
    let timeout = Duration::from_millis(ms).min(MAX_WAIT);
    Ok(Value::Bool(shared.outbox.wait_idle(timeout)))
}

/// Milliseconds since the Unix epoch.
fn unix_ms(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_read_from_json() {
        let c = call_from_json(
            br#"{"caller":"+8613800000001","dialled":"+8617000000010","outcome":"busy","ring_secs":2,"record":false}"#,
        )
        .unwrap();
        assert_eq!(c.outcome, CallOutcome::Busy);
        assert_eq!((c.ring_secs, c.record), (2, Some(false)));
        let c =
            call_from_json(br#"{"caller":"+8613800000001","dialled":"+8617000000010"}"#).unwrap();
        assert_eq!(c.outcome, CallOutcome::Answered { talk_secs: 30 });
        for (bad, field) in [
            (&br#"{"dialled":"+8617000000010"}"#[..], Some("caller")),
            (
                br#"{"caller":"+8613800000001","dialled":"x"}"#,
                Some("dialled"),
            ),
            (
                br#"{"caller":"+8613800000001","dialled":"+8617000000010","outcome":"maybe"}"#,
                Some("outcome"),
            ),
            (
                br#"{"caller":"+8613800000001","dialled":"+8617000000010","talk_secs":-1}"#,
                Some("talk_secs"),
            ),
            (b"[]", None),
        ] {
            let e = call_from_json(bad).unwrap_err();
            assert_eq!(e.field(), field, "{e}");
        }
    }
}
