//! X mode (PN §7): the platform keeps no bindings and asks the
//! application what to do with each call.
//!
//! A call to an X of an X-mode application is pushed as `callin` with
//! `notifyMode: "Block"` to the application's call-event URL, on the
//! calling thread, and the reply's body decides (PN §7.1):
//!
//! | reply | what happens |
//! |---|---|
//! | `connect` with `connectInfo` | the caller is bridged to `calleeNum`, who sees `displayCalleeNum` (X when absent); callout, alerting, answer, disconnect and a CDR follow as for any call; `maxDuration` cuts the call (stateCode 8010), `recordFlag` `"true"` records it |
//! | `close` | `disconnect` with stateCode 8017 ("hung up on instruction": the application ended it) |
//! | anything else | `disconnect` with stateCode 8014 (PN §7, §13.1: "bad X-mode Block reply") |
//!
//! "Anything else" is: no call-event URL to ask, a connection failure, no
//! answer within the application's
//! [`block_reply_timeout`](super::AppConfig::block_reply_timeout), a status
//! other than 200, a body that is not a JSON object, an unknown
//! `operation`, a `connect` without a usable `connectInfo`, or a value out
//! of its documented range (`maxDuration` above 1440, `calleeNum` or
//! `displayCalleeNum` not a number or a service number, the display equal
//! to the callee, `recordFlag` neither true nor false, a tone file longer
//! than 128 characters, `userData` longer than 256). The platform does not
//! publish what it does then (PN §16); 8014 is the code its FAQ gives for a
//! bad reply, and the Block push is never retried (PN §7).
//!
//! # Tolerant reading
//!
//! The emulator accepts exactly what privnum's
//! [`ConnectReply`](crate::callback::reply::ConnectReply) and
//! [`CloseReply`](crate::callback::reply::CloseReply) write, in both
//! [`InfoForm`](crate::callback::reply::InfoForm)s, and also: `connectInfo`
//! / `closeInfo` as an object or a one-element array (PN §16 leaves which
//! one the platform requires open); `operation` in any letter case;
//! `maxDuration` as a JSON number or a string of digits; `recordFlag` as
//! the string `"true"`/`"false"` (any case) or a JSON boolean; a `close`
//! without `closeInfo`; fields it does not know. Tone files are not
//! checked beyond their length: the emulator plays no audio.
//!
//! # Events and CDR
//!
//! Only `callin` carries `notifyMode` (`Block`); no event carries a
//! `subscriptionId` (there is no binding). The events after `callin` and
//! the CDR carry the reply's `userData`; the CDR carries
//! `notifyMode: "Block"`, no `subscriptionId`, and `direction` 0 for a
//! connected call (someone reached the application's party through X),
//! 2 for a call that was not connected. `callRelDirection` is not sent:
//! its values are not documented.
//!
//! A caller the platform refuses on its own (a fixed line, stateCode
//! 8023) or a call to an X that is paused or unavailable is ended without
//! asking: its `callin` carries no `notifyMode` and is pushed like any
//! other event.

use serde_json::{Map, Value};

use crate::engine::{CallIn, CloseReason, Route};
use crate::error::Result;
use crate::number::{self, Field, Number};

use super::Shared;
use super::calls::{self, CallIds, CallRoute, Context, Decision, Leg, SimulatedCall};
use super::live::Decided;
use super::outbox::AttemptOutcome;

/// The longest `maxDuration` of a reply, in minutes (PN §7.1).
const MAX_DURATION_MIN: u64 = 1440;
/// The longest tone file name of a reply.
const MAX_TONE_CHARS: usize = 128;
/// The longest `userData` of a reply.
const MAX_USER_DATA_CHARS: usize = 256;

/// The hang-up code of a call the application closed: 8017, "hung up on
/// instruction".
pub(crate) const CODE_CLOSED_BY_APP: u32 = 8017;
/// The hang-up code of a call without a valid decision: 8014.
pub(crate) const CODE_NO_DECISION: u32 = 8014;

/// What a valid reply to `callin` says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Reply {
    /// Bridge the call.
    Connect {
        /// The second leg.
        leg: Leg,
        /// `connectInfo.userData`.
        user_data: Option<String>,
    },
    /// End it.
    Close {
        /// `closeInfo.userData`.
        user_data: Option<String>,
    },
}

/// Decide an X-mode call: refuse it on the platform's own rules, or ask
/// the application and read its reply.
pub(crate) fn decide(
    shared: &Shared,
    index: usize,
    call: &SimulatedCall,
    ids: &CallIds,
    now: u64,
) -> Result<Decided> {
    let app = &shared.apps[index];
    let mut decided = Decided {
        decision: Decision::Close {
            route: CallRoute::NoDecision { why: String::new() },
            code: CODE_NO_DECISION,
        },
        binding: None,
        subscription: None,
        user_data: None,
        x_mode: true,
        block_push_id: None,
    };
    // The platform's own refusals come before anyone is asked.
    let call_in = CallIn {
        caller: call.caller,
        dialled: call.dialled,
        ext: None,
    };
    if let Route::Close {
        reason: reason @ (CloseReason::CallerCannotCallX | CloseReason::XUnavailable),
        ..
    } = app.engine.route(&call_in, now)
    {
        decided.decision = Decision::from_route(
            &Route::Close {
                reason,
                binding: None,
            },
            None,
        );
        return Ok(decided);
    }
    if app.engine.x_status(call.dialled).is_down() {
        decided.decision = Decision::from_route(
            &Route::Close {
                reason: CloseReason::XUnavailable,
                binding: None,
            },
            None,
        );
        return Ok(decided);
    }
    let Some(url) = app.config.call_event_url.as_deref() else {
        decided.decision = no_decision("the application has no call-event URL to ask");
        return Ok(decided);
    };
    let ctx = Context {
        x_mode: true,
        asked: true,
        ..Context::default()
    };
    let body = calls::callin_body(call, &ctx, &app.config, ids, now)?;
    let (id, outcome, reply) = shared.outbox.send_now(index, app, url, "callin", body);
    decided.block_push_id = Some(id);
    decided.decision = match outcome {
        AttemptOutcome::Delivered => match read_reply(&reply, call.dialled) {
            Ok(Reply::Connect { leg, user_data }) => {
                decided.user_data = user_data;
                Decision::Connect(leg)
            }
            Ok(Reply::Close { user_data }) => {
                decided.user_data = user_data;
                Decision::Close {
                    route: CallRoute::ClosedByApplication,
                    code: CODE_CLOSED_BY_APP,
                }
            }
            Err(why) => no_decision(&why),
        },
        AttemptOutcome::Refused { status } => {
            no_decision(&format!("the Block push was answered with HTTP {status}"))
        }
        AttemptOutcome::Failed { .. } => {
            no_decision("the Block push was not answered in time (or the connection failed)")
        }
    };
    Ok(decided)
}

fn no_decision(why: &str) -> Decision {
    Decision::Close {
        route: CallRoute::NoDecision {
            why: why.to_owned(),
        },
        code: CODE_NO_DECISION,
    }
}

/// Read the reply to a `callin` Block push for a call to `x` (see the
/// module docs for what is accepted); why it is not valid otherwise.
pub(crate) fn read_reply(body: &[u8], x: Number) -> std::result::Result<Reply, String> {
    let Ok(Value::Object(obj)) = serde_json::from_slice::<Value>(body) else {
        return Err("the reply is not a JSON object".to_owned());
    };
    let operation = match obj.get("operation") {
        Some(Value::String(s)) => s.trim().to_ascii_lowercase(),
        Some(_) => return Err("the reply's operation is not a string".to_owned()),
        None => return Err("the reply has no operation".to_owned()),
    };
    match operation.as_str() {
        "connect" => {
            let info = info(&obj, "connectInfo")?
                .ok_or_else(|| "a connect reply needs connectInfo".to_owned())?;
            let callee = party(info, "calleeNum")?
                .ok_or_else(|| "connectInfo.calleeNum is required".to_owned())?;
            let display = party(info, "displayCalleeNum")?.unwrap_or(x);
            if display == callee {
                return Err(
                    "connectInfo.displayCalleeNum must not be the callee's own number".to_owned(),
                );
            }
            let max_duration_min = max_duration(info)?;
            let record = record_flag(info)?;
            for tone in ["waitVoice", "recordHintTone", "lastMinVoice"] {
                text(info, "connectInfo", tone, MAX_TONE_CHARS)?;
            }
            let user_data = text(info, "connectInfo", "userData", MAX_USER_DATA_CHARS)?;
            Ok(Reply::Connect {
                leg: Leg {
                    callee,
                    display,
                    max_duration_min,
                    record,
                },
                user_data,
            })
        }
        "close" => {
            let user_data = match info(&obj, "closeInfo")? {
                Some(info) => {
                    text(info, "closeInfo", "closeHintTone", MAX_TONE_CHARS)?;
                    text(info, "closeInfo", "userData", MAX_USER_DATA_CHARS)?
                }
                None => None,
            };
            Ok(Reply::Close { user_data })
        }
        _ => Err("the reply's operation is neither connect nor close".to_owned()),
    }
}

/// `connectInfo` / `closeInfo`: an object or a one-element array of one;
/// `None` when absent (or null).
fn info<'a>(
    obj: &'a Map<String, Value>,
    name: &str,
) -> std::result::Result<Option<&'a Map<String, Value>>, String> {
    match obj.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(m)) => Ok(Some(m)),
        Some(Value::Array(items)) => match items.as_slice() {
            [Value::Object(m)] => Ok(Some(m)),
            _ => Err(format!("{name} as an array must hold exactly one object")),
        },
        Some(_) => Err(format!("{name} is neither an object nor an array")),
    }
}

/// A number field of `connectInfo`: parsed, not a service number, within
/// the field's length.
fn party(info: &Map<String, Value>, name: &str) -> std::result::Result<Option<Number>, String> {
    let field = if name == "calleeNum" {
        Field::XCalleeNum
    } else {
        Field::XDisplayCalleeNum
    };
    match info.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.is_empty() => Ok(None),
        Some(Value::String(s)) => {
            let n = number::parse(s).map_err(|_| format!("connectInfo.{name} is not a number"))?;
            if !n.is_bindable() {
                return Err(format!("connectInfo.{name} is a service number"));
            }
            n.check_field(field)
                .map_err(|_| format!("connectInfo.{name} does not fit the field"))?;
            Ok(Some(n))
        }
        Some(_) => Err(format!("connectInfo.{name} is not a string")),
    }
}

/// `maxDuration`: 0–1440 minutes, a number or a string of digits; 0 when
/// absent.
fn max_duration(info: &Map<String, Value>) -> std::result::Result<u16, String> {
    let minutes = match info.get("maxDuration") {
        None | Some(Value::Null) => return Ok(0),
        Some(Value::Number(n)) => n.as_u64(),
        Some(Value::String(s)) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
            s.parse::<u64>().ok()
        }
        Some(_) => None,
    };
    minutes
        .filter(|m| *m <= MAX_DURATION_MIN)
        .and_then(|m| u16::try_from(m).ok())
        .ok_or_else(|| format!("connectInfo.maxDuration must be 0 to {MAX_DURATION_MIN} minutes"))
}

/// `recordFlag`: `"true"` / `"false"` (any case) or a boolean; false when
/// absent.
fn record_flag(info: &Map<String, Value>) -> std::result::Result<bool, String> {
    match info.get("recordFlag") {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => Ok(true),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => Ok(false),
        Some(_) => Err("connectInfo.recordFlag must be \"true\" or \"false\"".to_owned()),
    }
}

/// An optional text field of at most `max` characters; `None` when absent
/// or empty.
fn text(
    info: &Map<String, Value>,
    within: &str,
    name: &str,
    max: usize,
) -> std::result::Result<Option<String>, String> {
    match info.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.is_empty() => Ok(None),
        Some(Value::String(s)) if s.chars().count() <= max => Ok(Some(s.clone())),
        Some(Value::String(_)) => Err(format!("{within}.{name} is longer than {max} characters")),
        Some(_) => Err(format!("{within}.{name} is not a string")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::callback::reply::{CloseReply, ConnectReply, InfoForm};
    use crate::number::parse;

    fn n(s: &str) -> Number {
        parse(s).unwrap()
    }

    const X: &str = "+8617000000010";
    const B: &str = "+8613900000002";

    #[test]
    fn privnums_own_replies_are_read_in_both_forms() {
        for form in InfoForm::ALL {
            let body = ConnectReply::new(n(B))
                .display(n(X))
                .max_duration_minutes(20)
                .record(true)
                .record_hint_tone("rec.wav")
                .last_min_voice("last.wav")
                .wait_voice("wait.wav")
                .user_data("ticket-7")
                .form(*form)
                .to_json()
                .unwrap();
            let got = read_reply(body.as_bytes(), n(X)).unwrap();
            assert_eq!(
                got,
                Reply::Connect {
                    leg: Leg {
                        callee: n(B),
                        display: n(X),
                        max_duration_min: 20,
                        record: true,
                    },
                    user_data: Some("ticket-7".into()),
                },
                "{body}"
            );
            let body = CloseReply::new()
                .close_hint_tone("bye.wav")
                .user_data("u-1")
                .form(*form)
                .to_json()
                .unwrap();
            assert_eq!(
                read_reply(body.as_bytes(), n(X)),
                Ok(Reply::Close {
                    user_data: Some("u-1".into())
                })
            );
        }
        // Unset display: X; unset duration: unlimited; recording off.
        let body = ConnectReply::new(n(B)).to_json().unwrap();
        let Ok(Reply::Connect { leg, user_data }) = read_reply(body.as_bytes(), n(X)) else {
            panic!("{body}");
        };
        assert_eq!(
            (leg.display, leg.max_duration_min, leg.record),
            (n(X), 0, false)
        );
        assert_eq!(user_data, None);
        assert_eq!(
            read_reply(CloseReply::new().to_json().unwrap().as_bytes(), n(X)),
            Ok(Reply::Close { user_data: None })
        );
    }

    #[test]
    fn tolerant_variants() {
        let ok = [
            r#"{"operation":"CONNECT","connectInfo":{"calleeNum":"+8613900000002","maxDuration":"30","recordFlag":true}}"#,
            r#"{"operation":"connect","connectInfo":[{"calleeNum":"+8613900000002","recordFlag":"TRUE","extra":1}]}"#,
            r#"{"operation":"connect","connectInfo":{"calleeNum":"+8613900000002","displayCalleeNum":"","maxDuration":null}}"#,
        ];
        for body in ok {
            let Ok(Reply::Connect { leg, .. }) = read_reply(body.as_bytes(), n(X)) else {
                panic!("{body}");
            };
            assert_eq!((leg.callee, leg.display), (n(B), n(X)), "{body}");
        }
        assert_eq!(
            read_reply(br#"{"operation":"close"}"#, n(X)),
            Ok(Reply::Close { user_data: None })
        );
    }

    #[test]
    fn bad_replies() {
        let long = "a".repeat(257);
        let bad = [
            String::new(),
            "[]".into(),
            "not json".into(),
            r#"{"operation":"route"}"#.into(),
            r#"{"operation":7}"#.into(),
            r#"{"connectInfo":{"calleeNum":"+8613900000002"}}"#.into(),
            r#"{"operation":"connect"}"#.into(),
            r#"{"operation":"connect","connectInfo":{}}"#.into(),
            r#"{"operation":"connect","connectInfo":[]}"#.into(),
            r#"{"operation":"connect","connectInfo":[{"calleeNum":"+8613900000002"},{}]}"#.into(),
            r#"{"operation":"connect","connectInfo":"+8613900000002"}"#.into(),
            r#"{"operation":"connect","connectInfo":{"calleeNum":"abc"}}"#.into(),
            r#"{"operation":"connect","connectInfo":{"calleeNum":"4001234567"}}"#.into(),
            r#"{"operation":"connect","connectInfo":{"calleeNum":8613900000002}}"#.into(),
            r#"{"operation":"connect","connectInfo":{"calleeNum":"+8613900000002","maxDuration":7200}}"#.into(),
            r#"{"operation":"connect","connectInfo":{"calleeNum":"+8613900000002","maxDuration":-1}}"#.into(),
            r#"{"operation":"connect","connectInfo":{"calleeNum":"+8613900000002","maxDuration":"1e3"}}"#.into(),
            r#"{"operation":"connect","connectInfo":{"calleeNum":"+8613900000002","recordFlag":"yes"}}"#.into(),
            r#"{"operation":"connect","connectInfo":{"calleeNum":"+8613900000002","displayCalleeNum":"+8613900000002"}}"#.into(),
            format!(r#"{{"operation":"connect","connectInfo":{{"calleeNum":"+8613900000002","userData":"{long}"}}}}"#),
            r#"{"operation":"close","closeInfo":5}"#.into(),
            r#"{"operation":"close","closeInfo":{"userData":1}}"#.into(),
        ];
        for body in bad {
            let e = read_reply(body.as_bytes(), n(X)).unwrap_err();
            assert!(!e.contains("8613900000002"), "{e}");
        }
    }
}
