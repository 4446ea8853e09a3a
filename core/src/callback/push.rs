//! Typed pushes: call events, CDR batches, SMS notifications and X-number
//! status, as the platform sends them (spec §9; VoiceCall §1.5–1.6 use the
//! same call-event and CDR shapes).
//!
//! Strings borrow from the body where they need no unescaping (`Cow`), so a
//! 50-record CDR push is read without an allocation per field. Times are the
//! platform's UTC strings converted to Unix seconds; an empty time string is
//! "absent". Numbers stay as sent (`caller`, `callerNum`, …) and are parsed on
//! request (`caller_number()`), because the platform does not promise that they
//! are valid numbers and one odd field must not lose a whole batch of CDRs.
//! Codes become [`FailReason`], [`Q850`], [`NumberStatus`], … which keep
//! unknown values. A CDR keeps every field privnum does not model as raw JSON
//! ([`CdrRecord::field`]), read in the same single pass.

use std::borrow::Cow;

use serde::Deserialize;
use serde::de::{self, Deserializer};
use serde_json::value::RawValue;

use super::codes::{FailReason, NumberStatus, Q850, SendResult, UnavailableCause};
use crate::error::{Error, ErrorKind, Result};
use crate::number::{self, Number};
use crate::sign::parse_utc_datetime;

/// The most CDR records one push may carry.
pub const MAX_CDRS: usize = 50;
/// The most entries one X-number status push may carry.
pub const MAX_NUMBER_STATUSES: usize = 100;

/// One push, by kind.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Push<'a> {
    /// A call event (`eventType` other than `fee` and `numStatus`, with `statusInfo`).
    Call(CallEvent<'a>),
    /// A batch of 1 to 50 CDRs (`eventType: "fee"`).
    Cdrs(Vec<CdrRecord<'a>>),
    /// An SMS notification (`smsEvent`), Notify or Block mode.
    Sms(SmsEvent<'a>),
    /// X-number status changes (`eventType: "numStatus"`).
    NumberStatus(Vec<NumberStatusEntry<'a>>),
}

impl Push<'_> {
    /// The push kind's name: `call`, `cdrs`, `sms` or `number_status`.
    #[must_use]
    pub fn kind_name(&self) -> &'static str {
        match self {
            Self::Call(_) => "call",
            Self::Cdrs(_) => "cdrs",
            Self::Sms(_) => "sms",
            Self::NumberStatus(_) => "number_status",
        }
    }
}

/// The kind of a call event.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CallEventKind {
    /// The call reached X (in X mode with `notifyMode: "Block"`, a reply is due).
    CallIn,
    /// The platform started the outbound leg.
    CallOut,
    /// The callee's phone is ringing.
    Alerting,
    /// The callee answered.
    Answer,
    /// Digits were collected (AXE extension, VoiceCall digit collection).
    CollectInfo,
    /// The call ended; `state_code` says why.
    Disconnect,
    /// A kind privnum does not know yet, kept as sent.
    Other(String),
}

impl CallEventKind {
    fn from_wire(s: &str) -> Self {
        match s {
            "callin" => Self::CallIn,
            "callout" => Self::CallOut,
            "alerting" => Self::Alerting,
            "answer" => Self::Answer,
            "collectInfo" => Self::CollectInfo,
            "disconnect" => Self::Disconnect,
            other => Self::Other(other.to_owned()),
        }
    }

    /// The name as sent (`callin`, `disconnect`, …).
    #[must_use]
    pub fn name(&self) -> &str {
        match self {
            Self::CallIn => "callin",
            Self::CallOut => "callout",
            Self::Alerting => "alerting",
            Self::Answer => "answer",
            Self::CollectInfo => "collectInfo",
            Self::Disconnect => "disconnect",
            Self::Other(s) => s,
        }
    }
}

/// A call event (`{"eventType": …, "statusInfo": {…}}`).
#[derive(Clone, Debug, PartialEq)]
pub struct CallEvent<'a> {
    /// What happened.
    pub kind: CallEventKind,
    /// The details.
    pub info: CallStatusInfo<'a>,
}

impl CallEvent<'_> {
    /// Whether the platform waits for a routing decision in the HTTP response
    /// (X-mode `callin` with `notifyMode: "Block"`).
    #[must_use]
    pub fn needs_reply(&self) -> bool {
        self.kind == CallEventKind::CallIn
            && self
                .info
                .notify_mode
                .as_deref()
                .is_some_and(|m| m.eq_ignore_ascii_case("block"))
    }
}

/// `statusInfo` of a call event. Every field is optional on the wire; which
/// ones are present depends on the event and the mode (spec §9.2).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CallStatusInfo<'a> {
    /// The event time (platform UTC string converted to Unix seconds).
    #[serde(default, deserialize_with = "utc_time")]
    pub timestamp: Option<i64>,
    /// The call-leg id, shared by the call's events and its CDR.
    #[serde(default, borrow, deserialize_with = "opt_text")]
    pub session_id: Option<Cow<'a, str>>,
    /// The caller, as sent (global format).
    #[serde(default, borrow, deserialize_with = "opt_text")]
    pub caller: Option<Cow<'a, str>>,
    /// The called number, as sent.
    #[serde(default, borrow, deserialize_with = "opt_text")]
    pub called: Option<Cow<'a, str>>,
    /// The binding (AX/AXB/AXYB; absent for AXE callin and X mode).
    #[serde(default, borrow, deserialize_with = "opt_text")]
    pub subscription_id: Option<Cow<'a, str>>,
    /// The binding's or reply's `userData`.
    #[serde(default, borrow, deserialize_with = "opt_text")]
    pub user_data: Option<Cow<'a, str>>,
    /// `Block` for X-mode `callin` (a reply is due), else absent or `Notify`.
    #[serde(default, borrow, deserialize_with = "opt_text")]
    pub notify_mode: Option<Cow<'a, str>>,
    /// Digits the caller keyed (`collectInfo`).
    #[serde(default, borrow, deserialize_with = "opt_text")]
    pub digit_info: Option<Cow<'a, str>>,
    /// Why the call ended (`disconnect`); unknown codes are kept.
    #[serde(default, deserialize_with = "opt_code")]
    pub state_code: Option<FailReason>,
    /// The platform's text for `state_code`.
    #[serde(default, borrow, deserialize_with = "opt_text")]
    pub state_desc: Option<Cow<'a, str>>,
    /// X-mode release direction; its values are not documented, so it is kept as raw JSON.
    #[serde(default, borrow)]
    pub call_rel_direction: Option<RawJson<'a>>,
    /// VoiceCall: which party a `disconnect` concerns (raw JSON; values undocumented).
    #[serde(default, borrow)]
    pub party_type: Option<RawJson<'a>>,
    /// VoiceCall: the displayed caller number.
    #[serde(default, borrow, deserialize_with = "opt_text")]
    pub display_caller_num: Option<Cow<'a, str>>,
}

impl CallStatusInfo<'_> {
    /// The caller parsed as a [`Number`], if it is one.
    #[must_use]
    pub fn caller_number(&self) -> Option<Number> {
        self.caller.as_deref().and_then(|s| number::parse(s).ok())
    }

    /// The called number parsed as a [`Number`], if it is one.
    #[must_use]
    pub fn called_number(&self) -> Option<Number> {
        self.called.as_deref().and_then(|s| number::parse(s).ok())
    }
}

/// Who ended a call, where the record says so.
pub use super::codes::Party;

/// A piece of the push kept as raw JSON text (for fields whose values are
/// undocumented, and for whole records). Equal when the texts are equal.
#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(transparent)]
pub struct RawJson<'a>(#[serde(borrow)] &'a RawValue);

impl<'a> RawJson<'a> {
    /// The JSON text, exactly as sent.
    #[must_use]
    pub fn get(self) -> &'a str {
        self.0.get()
    }

    /// The value as a string, when it is a JSON string or number.
    #[must_use]
    pub fn as_text(self) -> Option<Cow<'a, str>> {
        let t = self.0.get();
        if t.starts_with('"') {
            serde_json::from_str::<Cow<'a, str>>(t).ok()
        } else if t.starts_with(|c: char| c == '-' || c.is_ascii_digit()) {
            Some(Cow::Borrowed(t))
        } else {
            None
        }
    }
}

impl PartialEq for RawJson<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

/// One CDR (`feeLst[i]`, spec §9.3). Every field is optional on the wire.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CdrRecord<'a> {
    /// Direction code (AXB: 0 = B→A, 1 = A→B; AX/AXE: 0 = to A, 1 = from A; 2 = abnormal).
    pub direction: Option<u32>,
    /// The customer's cloud account name.
    pub sp_id: Option<Cow<'a, str>>,
    /// The app key.
    pub app_key: Option<Cow<'a, str>>,
    /// The unique call-record id (the de-duplication key).
    pub icid: Option<Cow<'a, str>>,
    /// The privacy number (X; in AXYB X or Y).
    pub bind_num: Option<Cow<'a, str>>,
    /// The call-leg id, as in the call events.
    pub session_id: Option<Cow<'a, str>>,
    /// The binding; empty when no binding matched (then expect state 8014).
    pub subscription_id: Option<Cow<'a, str>>,
    /// The real caller dialling X.
    pub caller_num: Option<Cow<'a, str>>,
    /// The first-leg callee (normally X).
    pub callee_num: Option<Cow<'a, str>>,
    /// The number shown on the second leg (normally X; Y in AXYB).
    pub fwd_display_num: Option<Cow<'a, str>>,
    /// The real destination of the second leg.
    pub fwd_dst_num: Option<Cow<'a, str>>,
    /// First leg start.
    pub call_in_time: Option<i64>,
    /// Second leg start.
    pub fwd_start_time: Option<i64>,
    /// Second leg ringing.
    pub fwd_alerting_time: Option<i64>,
    /// Second leg answered.
    pub fwd_answer_time: Option<i64>,
    /// End of the call.
    pub call_end_time: Option<i64>,
    /// Q.850 cause of a second-leg failure.
    pub fwd_unasw_rsn: Option<Q850>,
    /// Failure time.
    pub fail_time: Option<i64>,
    /// Tear-down point; 0 is a normal hang-up after answer.
    pub ul_fail_reason: Option<FailReason>,
    /// SIP status of a failure.
    pub sip_status_code: Option<u32>,
    /// Reserved Q.850 cause of an initiated leg.
    pub call_out_unasw_rsn: Option<Q850>,
    /// 1 when the call was recorded.
    pub record_flag: Option<u32>,
    /// Recording start.
    pub record_start_time: Option<i64>,
    /// The recording's file name (`fileName` of the download API).
    pub record_object_name: Option<Cow<'a, str>>,
    /// The recording's storage directory.
    pub record_bucket_name: Option<Cow<'a, str>>,
    /// The recording's storage domain (`recordDomain` of the download API).
    pub record_domain: Option<Cow<'a, str>>,
    /// Business type code (e.g. `004`).
    pub service_type: Option<Cow<'a, str>>,
    /// The host that produced the CDR.
    pub host_name: Option<Cow<'a, str>>,
    /// AXE: the extension.
    pub extend_num: Option<Cow<'a, str>>,
    /// The binding's or reply's `userData`.
    pub user_data: Option<Cow<'a, str>>,
    /// X mode: `Block`.
    pub notify_mode: Option<Cow<'a, str>>,
    /// Fields privnum does not model, as `(name, raw JSON)` in the order sent
    /// (`ttsPlayTimes`, `mptyId`, `callRelDirection`, …): nothing is dropped.
    pub extra: Vec<(Cow<'a, str>, RawJson<'a>)>,
}

/// Parameters of the recording download API (`fileName`, `recordDomain`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecordingRef<'r> {
    /// `fileName` (the CDR's `recordObjectName`).
    pub file_name: &'r str,
    /// `recordDomain`.
    pub record_domain: &'r str,
}

impl<'a> CdrRecord<'a> {
    /// A time of the call-out leg (`callOutStartTime`, …), which VoiceCall
    /// CDRs carry instead of the forwarded leg's `fwd*` times. These fields
    /// are kept in [`CdrRecord::extra`]; an unreadable one counts as absent.
    fn call_out_time(&self, name: &str) -> Option<i64> {
        let text = self.field(name)?.as_text()?;
        parse_platform_time(&text).ok().flatten()
    }

    /// When the callee answered: `fwdAnswerTime`, or for VoiceCall CDRs
    /// `callOutAnswerTime`.
    fn answer_time(&self) -> Option<i64> {
        self.fwd_answer_time
            .or_else(|| self.call_out_time("callOutAnswerTime"))
    }

    /// Whether the callee answered.
    #[must_use]
    pub fn answered(&self) -> bool {
        self.answer_time().is_some()
    }

    /// Seconds from ringing to answer (or to the end, when unanswered).
    #[must_use]
    pub fn ring_seconds(&self) -> Option<i64> {
        let start = self
            .fwd_alerting_time
            .or_else(|| self.call_out_time("callOutAlertingTime"))?;
        let end = self.answer_time().or(self.call_end_time)?;
        Some((end - start).max(0))
    }

    /// Seconds of conversation (`callEndTime` − answer time); 0 when unanswered.
    #[must_use]
    pub fn talk_seconds(&self) -> i64 {
        match (self.answer_time(), self.call_end_time) {
            (Some(a), Some(e)) => (e - a).max(0),
            _ => 0,
        }
    }

    /// Who ended the call, where the tear-down code says so.
    #[must_use]
    pub fn hung_up_by(&self) -> Option<Party> {
        self.ul_fail_reason.and_then(FailReason::hung_up_by)
    }

    /// Why the call failed, in words: `None` for a normal call, otherwise the
    /// description of the tear-down point (or of the Q.850 cause, or the code).
    #[must_use]
    pub fn failure(&self) -> Option<String> {
        let reason = self.ul_fail_reason.filter(|r| !r.is_normal());
        let q850 = self.fwd_unasw_rsn.filter(|q| !q.is_normal());
        match (reason, q850) {
            (None, None) => None,
            (Some(r), _) => Some(r.to_string()),
            (None, Some(q)) => Some(q.to_string()),
        }
    }

    /// Whether a recording exists, and the download parameters.
    #[must_use]
    pub fn recording(&self) -> Option<RecordingRef<'_>> {
        if self.record_flag != Some(1) {
            return None;
        }
        let file_name = self
            .record_object_name
            .as_deref()
            .filter(|s| !s.is_empty())?;
        let record_domain = self.record_domain.as_deref().filter(|s| !s.is_empty())?;
        Some(RecordingRef {
            file_name,
            record_domain,
        })
    }

    /// The de-duplication key of this record: `icid`, else `sessionId`.
    #[must_use]
    pub fn key(&self) -> Option<&str> {
        self.icid
            .as_deref()
            .filter(|s| !s.is_empty())
            .or_else(|| self.session_id.as_deref().filter(|s| !s.is_empty()))
    }

    /// A field privnum does not model, as raw JSON (`None` if absent). Known
    /// fields are read through their typed members.
    #[must_use]
    pub fn field(&self, name: &str) -> Option<RawJson<'a>> {
        self.extra
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| *v)
    }

    /// The caller parsed as a [`Number`], if it is one.
    #[must_use]
    pub fn caller_number(&self) -> Option<Number> {
        self.caller_num
            .as_deref()
            .and_then(|s| number::parse(s).ok())
    }

    /// The real destination parsed as a [`Number`], if it is one.
    #[must_use]
    pub fn destination_number(&self) -> Option<Number> {
        self.fwd_dst_num
            .as_deref()
            .and_then(|s| number::parse(s).ok())
    }
}

/// An SMS notification (`{"appKey": …, "smsEvent": {…}}`, spec §9.4).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SmsEvent<'a> {
    /// The app key of the notification envelope.
    #[serde(skip)]
    pub app_key: Option<Cow<'a, str>>,
    /// The unique id (segments of a long SMS are merged into one notification).
    #[serde(default, borrow, deserialize_with = "opt_text")]
    pub sms_identifier: Option<Cow<'a, str>>,
    /// `Notify` or `Block`.
    #[serde(default, borrow, deserialize_with = "opt_text")]
    pub notification_mode: Option<Cow<'a, str>>,
    /// The real sender.
    #[serde(default, borrow, deserialize_with = "opt_text")]
    pub calling: Option<Cow<'a, str>>,
    /// The real receiver (may be absent in Block mode: the customer supplies it).
    #[serde(default, borrow, deserialize_with = "opt_text")]
    pub called: Option<Cow<'a, str>>,
    /// X.
    #[serde(default, borrow, deserialize_with = "opt_text")]
    pub virtual_number: Option<Cow<'a, str>>,
    /// e.g. `Text SMS` (spelled variously; compare loosely).
    #[serde(default, borrow, deserialize_with = "opt_text")]
    pub event: Option<Cow<'a, str>>,
    /// The event time (Unix seconds).
    #[serde(default, deserialize_with = "utc_time")]
    pub time_stamp: Option<i64>,
    /// Delivery result; values other than 0 are undocumented and kept.
    #[serde(default, deserialize_with = "opt_code")]
    pub send_result: Option<SendResult>,
    /// The binding.
    #[serde(default, borrow, deserialize_with = "opt_text")]
    pub subscription_id: Option<Cow<'a, str>>,
    /// The text, when the platform was asked to push it.
    #[serde(default, borrow, deserialize_with = "opt_text")]
    pub sms_content: Option<Cow<'a, str>>,
    /// The binding's `userData`.
    #[serde(default, borrow, deserialize_with = "opt_text")]
    pub user_data: Option<Cow<'a, str>>,
    /// `extInfo.extParas` as `(key, value)` pairs.
    #[serde(default, rename = "extInfo", deserialize_with = "ext_paras")]
    pub ext_paras: ExtParas<'a>,
}

impl SmsEvent<'_> {
    /// Whether the platform waits for a forward/discard decision in the response.
    #[must_use]
    pub fn needs_reply(&self) -> bool {
        self.notification_mode
            .as_deref()
            .is_some_and(|m| m.eq_ignore_ascii_case("block"))
    }

    fn ext(&self, key: &str) -> Option<&str> {
        self.ext_paras
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_ref())
    }

    /// The AX-mode `@<B number>` suffix of the text, when the platform pushed
    /// the text (`smsContent`); see [`super::segments::ax_suffix`].
    #[must_use]
    pub fn ax_suffix(&self) -> Option<super::segments::AxSuffix<'_>> {
        self.sms_content.as_deref().map(super::segments::ax_suffix)
    }

    /// `splitNum`: how many segments were sent (the billing basis).
    #[must_use]
    pub fn split_num(&self) -> Option<u32> {
        self.ext("splitNum").and_then(|v| v.trim().parse().ok())
    }

    /// `direction` from `extParas` (0 = another user → A; other values undocumented).
    #[must_use]
    pub fn direction(&self) -> Option<u32> {
        self.ext("direction").and_then(|v| v.trim().parse().ok())
    }

    /// The de-duplication key: `smsIdentifier` plus the mode (a Block
    /// notification and the Notify that follows it are different events).
    #[must_use]
    pub fn key(&self) -> Option<String> {
        let id = self.sms_identifier.as_deref().filter(|s| !s.is_empty())?;
        Some(format!(
            "sms:{id}:{}",
            self.notification_mode.as_deref().unwrap_or("")
        ))
    }
}

/// One entry of an X-number status push.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct NumberStatusEntry<'a> {
    /// The X number, as sent.
    #[serde(borrow)]
    pub number: Cow<'a, str>,
    /// The new status.
    #[serde(deserialize_with = "number_status")]
    pub status: NumberStatus,
    /// Why X is unavailable (only with status 10).
    #[serde(default, deserialize_with = "unavailable_cause")]
    pub cause: Option<UnavailableCause>,
}

// ----------------------------------------------------------------- parsing

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Envelope<'a> {
    #[serde(default, borrow, deserialize_with = "opt_text")]
    event_type: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    status_info: Option<RawJson<'a>>,
    #[serde(default, borrow)]
    fee_lst: Option<Vec<CdrRecord<'a>>>,
    #[serde(default, borrow)]
    num_info: Option<Vec<RawJson<'a>>>,
    #[serde(default, borrow, deserialize_with = "opt_text")]
    app_key: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    sms_event: Option<RawJson<'a>>,
}

/// Parse a push body. No signature check, no de-duplication: see
/// [`super::Inbox`] for the one entry point that does all of it.
pub fn parse(body: &[u8]) -> Result<Push<'_>> {
    let text = std::str::from_utf8(body).map_err(|e| {
        Error::new(
            ErrorKind::PushInvalidJson,
            format!("the body is not UTF-8 (at byte {})", e.valid_up_to()),
        )
    })?;
    // serde reads a JSON array as a struct by position: refuse anything but
    // an object before deserializing.
    match text.trim_start().as_bytes().first() {
        Some(b'{') | None => {}
        Some(_) if serde_json::from_str::<de::IgnoredAny>(text).is_ok() => {
            return Err(Error::new(
                ErrorKind::PushWrongType,
                "the push body must be a JSON object",
            ));
        }
        Some(_) => {}
    }
    let env: Envelope<'_> = from_json(text, "")?;
    if let Some(sms) = env.sms_event {
        let sms: SmsEvent<'_> = object(sms, "smsEvent")?;
        return Ok(Push::Sms(SmsEvent {
            app_key: env.app_key,
            ..sms
        }));
    }
    let Some(event_type) = env.event_type else {
        return Err(Error::new(
            ErrorKind::PushUnknownKind,
            "the push has neither eventType nor smsEvent",
        ));
    };
    match event_type.as_ref() {
        "fee" => {
            let records = env
                .fee_lst
                .ok_or_else(|| missing("feeLst (required with eventType \"fee\")"))?;
            if records.is_empty() || records.len() > MAX_CDRS {
                return Err(Error::new(
                    ErrorKind::PushTooLarge,
                    format!(
                        "feeLst has {} records; a push carries 1 to {MAX_CDRS}",
                        records.len()
                    ),
                ));
            }
            Ok(Push::Cdrs(records))
        }
        "numStatus" => {
            let entries = env
                .num_info
                .ok_or_else(|| missing("numInfo (required with eventType \"numStatus\")"))?;
            if entries.is_empty() || entries.len() > MAX_NUMBER_STATUSES {
                return Err(Error::new(
                    ErrorKind::PushTooLarge,
                    format!(
                        "numInfo has {} entries; a push carries 1 to {MAX_NUMBER_STATUSES}",
                        entries.len()
                    ),
                ));
            }
            let entries = entries
                .into_iter()
                .enumerate()
                .map(|(i, e)| object(e, &format!("numInfo[{i}]")))
                .collect::<Result<Vec<NumberStatusEntry<'_>>>>()?;
            Ok(Push::NumberStatus(entries))
        }
        other => {
            let info = env
                .status_info
                .ok_or_else(|| missing("statusInfo (required with a call eventType)"))?;
            Ok(Push::Call(CallEvent {
                kind: CallEventKind::from_wire(other),
                info: object(info, "statusInfo")?,
            }))
        }
    }
}

/// Deserialize a nested JSON object (serde would also read an array by
/// position, which no push uses), naming `path` in errors.
fn object<'a, T: Deserialize<'a>>(raw: RawJson<'a>, path: &str) -> Result<T> {
    if !raw.get().starts_with('{') {
        return Err(Error::new(
            ErrorKind::PushWrongType,
            format!("{path}: expected a JSON object"),
        ));
    }
    from_json(raw.get(), path)
}

fn missing(what: &str) -> Error {
    Error::new(ErrorKind::PushMissingField, format!("missing field {what}"))
}

/// Deserialize `text`; on a data error, run again with path tracking so the
/// message names the field (the fast path pays nothing for it).
fn from_json<'a, T: Deserialize<'a>>(text: &'a str, prefix: &str) -> Result<T> {
    match serde_json::from_str(text) {
        Ok(v) => Ok(v),
        Err(e) if e.is_data() => {
            let mut de = serde_json::Deserializer::from_str(text);
            let (path, msg) = match serde_path_to_error::deserialize::<_, T>(&mut de) {
                Err(pe) => (pe.path().to_string(), pe.inner().to_string()),
                Ok(_) => (String::new(), e.to_string()),
            };
            let path = match (prefix.is_empty(), path.as_str()) {
                (_, ".") | (_, "") => prefix.to_owned(),
                (true, p) => p.to_owned(),
                (false, p) => format!("{prefix}.{p}"),
            };
            let kind = if msg.starts_with("missing field") {
                ErrorKind::PushMissingField
            } else if msg.starts_with("invalid type") {
                ErrorKind::PushWrongType
            } else {
                ErrorKind::PushInvalidValue
            };
            let msg = msg.split(" at line ").next().unwrap_or(&msg).to_owned();
            Err(Error::new(
                kind,
                if path.is_empty() {
                    msg
                } else {
                    format!("{path}: {msg}")
                },
            ))
        }
        Err(e) => Err(Error::new(
            ErrorKind::PushInvalidJson,
            format!("the body is not valid JSON: {e}"),
        )),
    }
}

// ------------------------------------------- CDR records: one pass, nothing lost

/// Text seed: borrows when it can (see [`OptText`]).
struct TextSeed;
/// Time seed (see [`UtcTime`]).
struct TimeSeed;
/// Integer seed (see [`LenientU32`]).
struct U32Seed;

impl<'de> de::DeserializeSeed<'de> for TextSeed {
    type Value = Option<Cow<'de, str>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Self::Value, D::Error> {
        d.deserialize_any(OptText)
    }
}

impl<'de> de::DeserializeSeed<'de> for TimeSeed {
    type Value = Option<i64>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Self::Value, D::Error> {
        d.deserialize_any(UtcTime)
    }
}

impl<'de> de::DeserializeSeed<'de> for U32Seed {
    type Value = Option<u32>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Self::Value, D::Error> {
        d.deserialize_any(LenientU32)
    }
}

/// A map key, borrowed when it has no escapes.
struct KeySeed;

impl<'de> de::DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Self::Value, D::Error> {
        d.deserialize_str(OptText)?
            .ok_or_else(|| de::Error::custom("a key must be a string"))
    }
}

/// Reads one CDR object in a single pass: known fields into their typed
/// members, every other field into `extra` as raw JSON. Only a JSON object
/// is accepted (serde would otherwise read an array by position).
struct CdrVisitor;

impl<'de> de::Visitor<'de> for CdrVisitor {
    type Value = CdrRecord<'de>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a CDR record object")
    }

    fn visit_map<M: de::MapAccess<'de>>(
        self,
        mut map: M,
    ) -> std::result::Result<Self::Value, M::Error> {
        let mut r = CdrRecord::default();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            match key.as_ref() {
                "direction" => r.direction = map.next_value_seed(U32Seed)?,
                "spId" => r.sp_id = map.next_value_seed(TextSeed)?,
                "appKey" => r.app_key = map.next_value_seed(TextSeed)?,
                "icid" => r.icid = map.next_value_seed(TextSeed)?,
                "bindNum" => r.bind_num = map.next_value_seed(TextSeed)?,
                "sessionId" => r.session_id = map.next_value_seed(TextSeed)?,
                "subscriptionId" => r.subscription_id = map.next_value_seed(TextSeed)?,
                "callerNum" => r.caller_num = map.next_value_seed(TextSeed)?,
                "calleeNum" => r.callee_num = map.next_value_seed(TextSeed)?,
                "fwdDisplayNum" => r.fwd_display_num = map.next_value_seed(TextSeed)?,
                "fwdDstNum" => r.fwd_dst_num = map.next_value_seed(TextSeed)?,
                "callInTime" => r.call_in_time = map.next_value_seed(TimeSeed)?,
                "fwdStartTime" => r.fwd_start_time = map.next_value_seed(TimeSeed)?,
                "fwdAlertingTime" => r.fwd_alerting_time = map.next_value_seed(TimeSeed)?,
                "fwdAnswerTime" => r.fwd_answer_time = map.next_value_seed(TimeSeed)?,
                "callEndTime" => r.call_end_time = map.next_value_seed(TimeSeed)?,
                "fwdUnaswRsn" => r.fwd_unasw_rsn = map.next_value_seed(U32Seed)?.map(Q850),
                "failTime" => r.fail_time = map.next_value_seed(TimeSeed)?,
                "ulFailReason" => r.ul_fail_reason = map.next_value_seed(U32Seed)?.map(FailReason),
                "sipStatusCode" => r.sip_status_code = map.next_value_seed(U32Seed)?,
                "callOutUnaswRsn" => r.call_out_unasw_rsn = map.next_value_seed(U32Seed)?.map(Q850),
                "recordFlag" => r.record_flag = map.next_value_seed(U32Seed)?,
                "recordStartTime" => r.record_start_time = map.next_value_seed(TimeSeed)?,
                "recordObjectName" => r.record_object_name = map.next_value_seed(TextSeed)?,
                "recordBucketName" => r.record_bucket_name = map.next_value_seed(TextSeed)?,
                "recordDomain" => r.record_domain = map.next_value_seed(TextSeed)?,
                "serviceType" => r.service_type = map.next_value_seed(TextSeed)?,
                "hostName" => r.host_name = map.next_value_seed(TextSeed)?,
                "extendNum" => r.extend_num = map.next_value_seed(TextSeed)?,
                "userData" => r.user_data = map.next_value_seed(TextSeed)?,
                "notifyMode" => r.notify_mode = map.next_value_seed(TextSeed)?,
                _ => {
                    let value: RawJson<'de> = map.next_value()?;
                    r.extra.push((key, value));
                }
            }
        }
        Ok(r)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for CdrRecord<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_map(CdrVisitor)
    }
}

// ------------------------------------------------------ field deserializers

/// A platform time: `yyyy-MM-dd HH:mm:ss` (UTC), or ISO `…T…Z` with an
/// optional fraction; empty means absent.
pub fn parse_platform_time(s: &str) -> Result<Option<i64>> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    parse_utc_datetime(s).map(Some)
}

struct UtcTime;

impl<'de> de::Visitor<'de> for UtcTime {
    type Value = Option<i64>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a UTC time as \"yyyy-MM-dd HH:mm:ss\"")
    }

    // `visit_str` serves borrowed and escaped strings alike, without allocating.
    fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Self::Value, E> {
        parse_platform_time(v).map_err(|e| E::custom(e.message()))
    }

    fn visit_none<E: de::Error>(self) -> std::result::Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> std::result::Result<Self::Value, E> {
        Ok(None)
    }
}

fn utc_time<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<i64>, D::Error> {
    d.deserialize_any(UtcTime)
}

/// Text that borrows from the body when it has no escapes. (serde's own
/// `Option<Cow<str>>` always allocates, even with `#[serde(borrow)]`.)
struct OptText;

impl<'de> de::Visitor<'de> for OptText {
    type Value = Option<Cow<'de, str>>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> std::result::Result<Self::Value, E> {
        Ok(Some(Cow::Borrowed(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v.to_owned())))
    }

    fn visit_none<E: de::Error>(self) -> std::result::Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> std::result::Result<Self::Value, E> {
        Ok(None)
    }
}

fn opt_text<'de, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<Cow<'de, str>>, D::Error> {
    d.deserialize_any(OptText)
}

/// An integer sent as a JSON number or as a string of digits; `null` and
/// an empty string mean absent, any other JSON type is a type error.
struct LenientU32;

impl<'de> de::Visitor<'de> for LenientU32 {
    type Value = Option<u32>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a whole number (as a JSON number or a string of digits)")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<Self::Value, E> {
        u32::try_from(v)
            .map(Some)
            .map_err(|_| E::custom(format!("{v} is out of range")))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<Self::Value, E> {
        u32::try_from(v)
            .map(Some)
            .map_err(|_| E::custom(format!("{v} is out of range")))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Self::Value, E> {
        let t = v.trim();
        if t.is_empty() {
            return Ok(None);
        }
        t.parse()
            .map(Some)
            .map_err(|_| E::custom(format!("{v:?} is not a whole number")))
    }

    fn visit_none<E: de::Error>(self) -> std::result::Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> std::result::Result<Self::Value, E> {
        Ok(None)
    }
}

fn lenient_u32<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<u32>, D::Error> {
    d.deserialize_any(LenientU32)
}

fn opt_code<'de, D, T>(d: D) -> std::result::Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: From<u32>,
{
    Ok(lenient_u32(d)?.map(T::from))
}

fn number_status<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<NumberStatus, D::Error> {
    lenient_u32(d)?
        .map(NumberStatus::from_code)
        .ok_or_else(|| de::Error::custom("status is empty"))
}

fn unavailable_cause<'de, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<UnavailableCause>, D::Error> {
    Ok(lenient_u32(d)?.map(UnavailableCause::from_code))
}

#[derive(Deserialize)]
struct ExtInfo<'a> {
    #[serde(default, rename = "extParas", borrow)]
    ext_paras: Vec<ExtPara<'a>>,
}

#[derive(Deserialize)]
struct ExtPara<'a> {
    #[serde(borrow)]
    key: Cow<'a, str>,
    #[serde(borrow)]
    value: Cow<'a, str>,
}

/// `extInfo.extParas` as `(key, value)` pairs.
pub type ExtParas<'a> = Vec<(Cow<'a, str>, Cow<'a, str>)>;

fn ext_paras<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<ExtParas<'de>, D::Error> {
    let info: Option<ExtInfo<'de>> = Option::deserialize(d)?;
    Ok(info
        .map(|i| i.ext_paras.into_iter().map(|p| (p.key, p.value)).collect())
        .unwrap_or_default())
}
