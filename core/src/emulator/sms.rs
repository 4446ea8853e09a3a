//! Simulated SMS (PN §4, §9.4): someone texts a privacy number, the
//! platform forwards the text as the binding says and tells the
//! application.
//!
//! | mode | sender | what happens |
//! |---|---|---|
//! | AXB | A or B of a pair on X | forwarded to the other party; Notify |
//! | AX | A, text ending `@<B number>` | the suffix is stripped, forwarded to B; Notify |
//! | AX | A, no valid `@<B number>` | Block push to the SMS control URL; the reply forwards (`vNumberRoute` with `message.called`) or drops (`DiscardMessage`); a Notify follows a forward |
//! | AX | anyone else | forwarded to A with `[From<sender>]` appended; Notify |
//!
//! An SMS is dropped (no push) when no binding carries it, when the
//! binding does not allow SMS (`privateSms` `"false"`) or when X is
//! paused or unavailable. A Block push that fails, or whose reply is not a
//! valid decision (unknown operation, no receiver, `calling` not the
//! sender), drops the SMS: nobody decided to forward it.
//!
//! The notification (`{"appKey", "smsEvent": {…}}`) carries `splitNum`
//! (the segments of the forwarded text) and `direction` (0: to A; 1: from
//! A; the platform documents 0 only) in `extInfo`, `sendResult` 0, the
//! binding's `subscriptionId` and `userData`, and the text as
//! `smsContent` when the application's `sms_content` is on.

use std::fmt;

use serde_json::{Map, Value, json};

use crate::callback::segments::{AxSuffix, ax_suffix, count_segments};
use crate::engine::{Binding, Mode, Shape};
use crate::error::{Error, ErrorKind, Result};
use crate::number::{self, Number};

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
    binding: &'a Binding,
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
    ev.insert(
        "subscriptionId".into(),
        Value::from(n.binding.id.as_string()),
    );
    if app.config.sms_content {
        ev.insert("smsContent".into(), Value::from(n.text));
    }
    if let Some(u) = n
        .binding
        .settings
        .extras
        .as_ref()
        .and_then(|e| e.user_data.as_deref())
    {
        ev.insert("userData".into(), Value::from(u));
    }
    Ok(json!({ "appKey": app.config.app_key, "smsEvent": ev }).to_string())
}

/// The Block reply's decision: forward to a receiver, or why not.
fn decision(reply: &[u8], sender: Number) -> std::result::Result<Number, String> {
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
    field("called")
        .filter(|n| n.is_bindable())
        .ok_or_else(|| "the Block reply names no valid receiver".to_owned())
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
    let binding = match app.config.mode {
        Mode::Axb => app.engine.find_party(x, sms.sender),
        Mode::Ax => app
            .engine
            .bindings_on(x)
            .into_iter()
            .find(|b| matches!(b.shape, Shape::Owner { .. })),
        other => {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                format!("SMS is not emulated for {} applications", other.name()),
            )
            .with_field("dialled"));
        }
    };
    let Some(binding) = binding.filter(|b| b.state.is_bound()) else {
        return drop_it(report, "no binding carries it");
    };
    report.subscription_id = Some(binding.id.as_string());
    if app.engine.x_status(x).is_down() {
        return drop_it(report, "the privacy number is paused or unavailable");
    }
    if !binding.settings.sms {
        return drop_it(report, "the binding does not allow SMS");
    }
    // (receiver, forwarded text, direction), or a Block decision first.
    let routed = match &binding.shape {
        Shape::Pair { a, b } => {
            let to_a = sms.sender == *b;
            Some((
                if to_a { *a } else { *b },
                sms.text.clone(),
                u32::from(!to_a),
            ))
        }
        Shape::Owner { a, .. } if sms.sender != *a => Some((
            *a,
            format!("{}[From{}]", sms.text, sms.sender.e164().as_str()),
            0,
        )),
        Shape::Owner { .. } => match ax_suffix(&sms.text) {
            AxSuffix::Valid { receiver, text } => Some((receiver, text.to_owned(), 1)),
            _ => None,
        },
        _ => None,
    };
    let (receiver, text, direction) = match routed {
        Some(r) => r,
        None => {
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
                    direction: 1,
                    binding: &binding,
                    now,
                },
            )?;
            let (id, outcome, reply) = shared.outbox.send_now(index, app, url, "sms", body);
            report.block_push_id = Some(id);
            if outcome != AttemptOutcome::Delivered {
                return drop_it(report, "the Block push was not answered with HTTP 200");
            }
            match decision(&reply, sms.sender) {
                Ok(receiver) => (receiver, sms.text.clone(), 1),
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
                binding: &binding,
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
        assert_eq!(decision(ok, a), Ok(b));
        let no_calling =
            br#"{"actions":[{"operation":"vNumberRoute","message":{"called":"+8613900000002"}}]}"#;
        assert_eq!(decision(no_calling, a), Ok(b));
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
