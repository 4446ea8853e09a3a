//! Simulated SMS (PN §4, §9.4): someone texts a privacy number, the
//! platform forwards the text as the binding says (or as the application
//! decides) and tells the application.
//!
//! | mode | sender | what happens |
//! |---|---|---|
//! | AXB | A or B of a pair on X | forwarded to the other party; Notify |
//! | AX | A, text ending `@<B number>` | the suffix is stripped, forwarded to B; Notify |
//! | AX | A, no valid `@<B number>` | Block push to the SMS control URL; the reply forwards (`vNumberRoute` with `message.called`) or drops (`DiscardMessage`); a Notify follows a forward |
//! | AX | anyone else | forwarded to A with `[From<sender>]` appended; Notify |
//! | AXE | A | forwarded as A's call would be: to the last party that reached A through X and the extension, else the callback number; Notify |
//! | AXE | anyone else | nobody keys an extension into an SMS: Block push, the reply decides (no `subscriptionId`: no binding is known) |
//! | AXYB | A texting Y, B texting X | forwarded to the other party of the relation; Notify |
//! | AXYB | anyone else | dropped (no Y is assigned for an SMS) |
//! | X | anyone | Block push (no binding, no `subscriptionId`); the reply decides; a Notify follows a forward (PN §9.4) |
//!
//! The platform documents SMS for AX, AXB and X only (PN §9.4): the AXE and
//! AXYB rows are the emulator's reading, routing a text as the engine
//! routes a call from the same sender to the same number.
//!
//! An SMS is dropped (no push) when no binding carries it, when the
//! binding does not allow SMS (`privateSms` `"false"`) or when X is
//! paused or unavailable. A Block push that fails (no HTTP 200 within the
//! application's `block_reply_timeout`), or whose reply is not a valid
//! decision (unknown operation, no receiver, `calling` not the sender),
//! drops the SMS: nobody decided to forward it.
//!
//! The notification (`{"appKey", "smsEvent": {…}}`) carries `splitNum`
//! (the segments of the forwarded text) and `direction` (0: to A, or to
//! whoever an X-mode application names; 1: from A; the platform documents
//! 0 only) in `extInfo`, `sendResult` 0, the binding's `subscriptionId`
//! (AXYB: the AX binding's) and `userData` (the Block reply's `userData`
//! replaces it in the Notify that follows), and the text as `smsContent`
//! when the application's `sms_content` is on.

use std::fmt;

use serde_json::{Map, Value, json};

use crate::callback::segments::{AxSuffix, ax_suffix, count_segments};
use crate::engine::{Binding, CallIn, CloseReason, Mode, Route, Shape};
use crate::error::{Error, ErrorKind, Result};
use crate::number::{self, Number};

use super::calls::cdr_direction;
use super::live::{binding_of, subscription_of};
use super::outbox::AttemptOutcome;
use super::{App, Shared};

/// An SMS to simulate: `sender` texts `text` to the privacy number
/// `dialled`.
#[derive(Clone, PartialEq, Eq)]
pub struct SimulatedSms {
    /// Who texts.
    pub sender: Number,
    /// The privacy number texted (X); the application owning it handles
    /// the SMS.
    pub dialled: Number,
    /// The text, as the sender typed it.
    pub text: String,
}

impl SimulatedSms {
    /// `sender` texts `text` to `dialled`.
    #[must_use]
    pub fn new(sender: Number, dialled: Number, text: impl Into<String>) -> Self {
        Self {
            sender,
            dialled,
            text: text.into(),
        }
    }
}

impl fmt::Debug for SimulatedSms {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SimulatedSms")
            .field("sender", &self.sender)
            .field("dialled", &self.dialled)
            .field("text_chars", &self.text.chars().count())
            .finish()
    }
}

/// What became of a simulated SMS.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SmsOutcome {
    /// Forwarded from X to `receiver`.
    Forwarded {
        /// Who got it.
        receiver: Number,
    },
    /// Not forwarded.
    Discarded {
        /// Why (a short English explanation).
        reason: String,
    },
}

/// What a simulated SMS produced.
#[derive(Clone, PartialEq, Eq)]
pub struct SmsReport {
    /// The application that handled it.
    pub app_key: String,
    /// `smsIdentifier` of its notifications.
    pub sms_identifier: String,
    /// The binding that carried it, if one did (for AXB and AX its own
    /// id).
    pub subscription_id: Option<String>,
    /// Forwarded or discarded.
    pub outcome: SmsOutcome,
    /// The text as forwarded (without the AX `@<B number>` suffix, or with
    /// `[From<sender>]` appended), when forwarded.
    pub forwarded_text: Option<String>,
    /// The Block-mode push, if one was made (sent and answered before this
    /// returns).
    pub block_push_id: Option<u64>,
    /// The Notify-mode push queued, if any.
    pub notify_push_id: Option<u64>,
}

impl fmt::Debug for SmsReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmsReport")
            .field("app_key", &self.app_key)
            .field("sms_identifier", &self.sms_identifier)
            .field("subscription_id", &self.subscription_id)
            .field("outcome", &self.outcome)
            .field(
                "forwarded_chars",
                &self.forwarded_text.as_ref().map(|t| t.chars().count()),
            )
            .field("block_push_id", &self.block_push_id)
            .field("notify_push_id", &self.notify_push_id)
            .finish()
    }
}

/// `yyyy-MM-ddTHH:mm:ss.SSSZ` (UTC), the SMS notification's time format.
fn sms_time(unix: u64) -> Result<String> {
    let fmt =
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].000Z");
    i64::try_from(unix)
        .ok()
        .and_then(|t| time::OffsetDateTime::from_unix_timestamp(t).ok())
        .and_then(|t| t.format(&fmt).ok())
        .ok_or_else(|| Error::new(ErrorKind::InvalidArgument, "the time is out of range"))
}

/// One notification's fields.
struct Note<'a> {
    id: &'a str,
    mode: &'static str,
    sender: Number,
    receiver: Option<Number>,
    x: Number,
    text: &'a str,
    direction: u32,
    subscription: Option<&'a str>,
    user_data: Option<&'a str>,
    now: u64,
}

fn notification(app: &App, n: &Note<'_>) -> Result<String> {
    let e164 = |x: Number| Value::from(x.e164().as_str());
    let mut ev = Map::new();
    ev.insert("smsIdentifier".into(), Value::from(n.id));
    ev.insert("notificationMode".into(), Value::from(n.mode));
    ev.insert("calling".into(), e164(n.sender));
    if let Some(r) = n.receiver {
        ev.insert("called".into(), e164(r));
    }
    ev.insert("virtualNumber".into(), e164(n.x));
    ev.insert("event".into(), Value::from("Text SMS"));
    ev.insert("timeStamp".into(), Value::from(sms_time(n.now)?));
    let split = count_segments(n.text).segments;
    ev.insert(
        "extInfo".into(),
        json!({ "extParas": [
            { "key": "splitNum", "value": split.to_string() },
            { "key": "direction", "value": n.direction.to_string() },
        ] }),
    );
    ev.insert("sendResult".into(), Value::from(0));
    if let Some(s) = n.subscription {
        ev.insert("subscriptionId".into(), Value::from(s));
    }
    if app.config.sms_content {
        ev.insert("smsContent".into(), Value::from(n.text));
    }
    if let Some(u) = n.user_data {
        ev.insert("userData".into(), Value::from(u));
    }
    Ok(json!({ "appKey": app.config.app_key, "smsEvent": ev }).to_string())
}

/// The Block reply's decision: forward to a receiver (with the action's
/// `userData`, if any), or why not.
fn decision(reply: &[u8], sender: Number) -> std::result::Result<(Number, Option<String>), String> {
    let v: Value =
        serde_json::from_slice(reply).map_err(|_| "the Block reply is not JSON".to_owned())?;
    let action = v
        .get("actions")
        .and_then(Value::as_array)
        .and_then(|a| a.first())
        .ok_or_else(|| "the Block reply has no actions".to_owned())?;
    match action.get("operation").and_then(Value::as_str) {
        Some("vNumberRoute") => {}
        Some("DiscardMessage") => return Err("the application discarded it".to_owned()),
        _ => return Err("the Block reply's operation is unknown".to_owned()),
    }
    let message = action.get("message");
    let field = |name: &str| {
        message
            .and_then(|m| m.get(name))
            .and_then(Value::as_str)
            .and_then(|s| number::parse(s).ok())
    };
    if let Some(calling) = message.and_then(|m| m.get("calling")) {
        if calling.as_str().and_then(|s| number::parse(s).ok()) != Some(sender) {
            return Err("the Block reply's calling is not the sender".to_owned());
        }
    }
    let receiver = field("called")
        .filter(|n| n.is_bindable())
        .ok_or_else(|| "the Block reply names no valid receiver".to_owned())?;
    let user_data = action
        .get("userData")
        .and_then(Value::as_str)
        .filter(|u| !u.is_empty() && u.chars().count() <= 256)
        .map(str::to_owned);
    Ok((receiver, user_data))
}

/// How the platform routes an SMS before anyone is asked.
enum Routing {
    /// Forward it.
    Forward {
        receiver: Number,
        text: String,
        direction: u32,
    },
    /// Ask the application in Block mode (`direction` of the
    /// notifications).
    Ask { direction: u32 },
    /// Drop it, for this reason.
    Drop(&'static str),
}

/// The binding that carries an SMS and how it is routed, by mode.
fn route(app: &App, sms: &SimulatedSms, now: u64) -> (Option<Binding>, Routing) {
    let x = sms.dialled;
    match app.config.mode {
        Mode::Axb => {
            let binding = app.engine.find_party(x, sms.sender);
            let routing = match binding.as_ref().map(|b| &b.shape) {
                Some(Shape::Pair { a, b }) => {
                    let to_a = sms.sender == *b;
                    Routing::Forward {
                        receiver: if to_a { *a } else { *b },
                        text: sms.text.clone(),
                        direction: u32::from(!to_a),
                    }
                }
                _ => Routing::Drop("no binding carries it"),
            };
            (binding, routing)
        }
        Mode::Ax => {
            let binding = app
                .engine
                .bindings_on(x)
                .into_iter()
                .find(|b| matches!(b.shape, Shape::Owner { .. }));
            let routing = match binding.as_ref().map(|b| &b.shape) {
                Some(Shape::Owner { a, .. }) if sms.sender != *a => Routing::Forward {
                    receiver: *a,
                    text: format!("{}[From{}]", sms.text, sms.sender.e164().as_str()),
                    direction: 0,
                },
                Some(Shape::Owner { .. }) => match ax_suffix(&sms.text) {
                    AxSuffix::Valid { receiver, text } => Routing::Forward {
                        receiver,
                        text: text.to_owned(),
                        direction: 1,
                    },
                    _ => Routing::Ask { direction: 1 },
                },
                _ => Routing::Drop("no binding carries it"),
            };
            (binding, routing)
        }
        Mode::Axe | Mode::Axyb => {
            let call_in = CallIn {
                caller: sms.sender,
                dialled: x,
                ext: None,
            };
            let route = app.engine.route(&call_in, now);
            let binding = binding_of(app, &route);
            let routing = match &route {
                Route::Connect(c) => Routing::Forward {
                    receiver: c.callee,
                    text: sms.text.clone(),
                    direction: cdr_direction(binding.as_ref(), sms.sender),
                },
                // AXE: nobody keys an extension into an SMS.
                Route::Close {
                    reason: CloseReason::ExtensionNeeded | CloseReason::UnknownExtension,
                    ..
                } => Routing::Ask { direction: 0 },
                Route::Close {
                    reason: CloseReason::NoCallbackTarget,
                    ..
                } => Routing::Drop("A has no callback record and no callback number"),
                Route::Close {
                    reason: CloseReason::NoRelation,
                    ..
                } => Routing::Drop("the sender has no AXYB relation with the number"),
                Route::Close {
                    reason: CloseReason::XUnavailable,
                    ..
                } => Routing::Drop("the privacy number is paused or unavailable"),
                Route::Close { .. } => Routing::Drop("no binding carries it"),
            };
            (binding, routing)
        }
        Mode::X => (None, Routing::Ask { direction: 0 }),
    }
}

/// Handle one SMS of the application `index`.
pub(crate) fn simulate(
    shared: &Shared,
    index: usize,
    sms: &SimulatedSms,
    seq: u64,
    now: u64,
) -> Result<SmsReport> {
    let app = &shared.apps[index];
    let x = sms.dialled;
    let mut report = SmsReport {
        app_key: app.config.app_key.clone(),
        sms_identifier: format!("{now}{seq:06}"),
        subscription_id: None,
        outcome: SmsOutcome::Discarded {
            reason: String::new(),
        },
        forwarded_text: None,
        block_push_id: None,
        notify_push_id: None,
    };
    let drop_it = |mut r: SmsReport, why: &str| {
        r.outcome = SmsOutcome::Discarded {
            reason: why.to_owned(),
        };
        Ok(r)
    };
    app.engine.tick(now)?;
    let (binding, routing) = route(app, sms, now);
    let found = binding.is_some();
    let binding = binding.filter(|b| b.state.is_bound());
    if found && binding.is_none() {
        return drop_it(report, "no binding carries it");
    }
    if let Routing::Drop(why) = routing {
        if let Some(b) = &binding {
            report.subscription_id = Some(subscription_of(b));
        }
        return drop_it(report, why);
    }
    let subscription = binding.as_ref().map(subscription_of);
    report.subscription_id.clone_from(&subscription);
    let binding_user_data = binding
        .as_ref()
        .and_then(|b| b.settings.extras.as_ref())
        .and_then(|e| e.user_data.clone());
    if app.engine.x_status(x).is_down() {
        return drop_it(report, "the privacy number is paused or unavailable");
    }
    if binding.as_ref().is_some_and(|b| !b.settings.sms) {
        return drop_it(report, "the binding does not allow SMS");
    }
    let (receiver, text, direction, user_data) = match routing {
        Routing::Forward {
            receiver,
            text,
            direction,
        } => (receiver, text, direction, binding_user_data),
        Routing::Drop(why) => return drop_it(report, why),
        Routing::Ask { direction } => {
            let Some(url) = app.config.sms_control_url.as_deref() else {
                return drop_it(report, "no SMS control URL to ask");
            };
            let body = notification(
                app,
                &Note {
                    id: &report.sms_identifier,
                    mode: "Block",
                    sender: sms.sender,
                    receiver: None,
                    x,
                    text: &sms.text,
                    direction,
                    subscription: subscription.as_deref(),
                    user_data: binding_user_data.as_deref(),
                    now,
                },
            )?;
            let (id, outcome, reply) = shared.outbox.send_now(index, app, url, "sms", body);
            report.block_push_id = Some(id);
            if outcome != AttemptOutcome::Delivered {
                return drop_it(report, "the Block push was not answered with HTTP 200");
            }
            match decision(&reply, sms.sender) {
                Ok((receiver, reply_data)) => (
                    receiver,
                    sms.text.clone(),
                    direction,
                    reply_data.or(binding_user_data),
                ),
                Err(why) => return drop_it(report, &why),
            }
        }
    };
    if let Some(url) = app.config.sms_url.as_deref() {
        let body = notification(
            app,
            &Note {
                id: &report.sms_identifier,
                mode: "Notify",
                sender: sms.sender,
                receiver: Some(receiver),
                x,
                text: &text,
                direction,
                subscription: subscription.as_deref(),
                user_data: user_data.as_deref(),
                now,
            },
        )?;
        report.notify_push_id =
            Some(
                shared
                    .outbox
                    .push_event(index, &app.config.app_key, url, "sms", body),
            );
    }
    report.outcome = SmsOutcome::Forwarded { receiver };
    report.forwarded_text = Some(text);
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Number {
        number::parse(s).unwrap()
    }

    #[test]
    fn block_replies() {
        let a = n("+8613800000001");
        let b = n("+8613900000002");
        let ok = br#"{"actions":[{"operation":"vNumberRoute","message":{"calling":"+8613800000001","called":"+8613900000002"}}]}"#;
        assert_eq!(decision(ok, a), Ok((b, None)));
        let no_calling =
            br#"{"actions":[{"operation":"vNumberRoute","message":{"called":"+8613900000002"}}]}"#;
        assert_eq!(decision(no_calling, a), Ok((b, None)));
        let with_data = br#"{"actions":[{"operation":"vNumberRoute","message":{"called":"+8613900000002"},"userData":"u-9"}]}"#;
        assert_eq!(decision(with_data, a), Ok((b, Some("u-9".to_owned()))));
        for bad in [
            &br#"{"actions":[{"operation":"DiscardMessage"}]}"#[..],
            br#"{"actions":[{"operation":"vNumberRoute","message":{"calling":"+8613700000009","called":"+8613900000002"}}]}"#,
            br#"{"actions":[{"operation":"vNumberRoute","message":{}}]}"#,
            br#"{"actions":[{"operation":"forward"}]}"#,
            br#"{"actions":[]}"#,
            b"",
            b"[1]",
        ] {
            assert!(decision(bad, a).is_err(), "{}", String::from_utf8_lossy(bad));
        }
        assert_eq!(sms_time(1_714_550_400).unwrap(), "2024-05-01T08:00:00.000Z");
    }

    #[test]
    fn debug_hides_the_text() {
        let s = SimulatedSms::new(n("+8613800000001"), n("+8617000000010"), "secret words");
        let d = format!("{s:?}");
        assert!(!d.contains("secret") && !d.contains("8613800000001"), "{d}");
    }
}
