//! Block-mode replies: the HTTP response body that decides what happens to a
//! live call or SMS.
//!
//! ```text
//!  X-mode `callin` push ─▶ ConnectReply::new(callee)… / CloseReply::new()… ─┐
//!  SMS Block push       ─▶ SmsReply::route(calling, called) / discard()     ├─▶ to_json() ─▶ Ok(body) | Err(REPLY_INVALID / FIELD_OUT_OF_BOUNDS)
//!  call-control query   ─▶ CallControlReply::new(ControlOperate::…)…        ┘
//! ```
//!
//! In Block mode the platform waits for this body and acts on it. A value it
//! refuses (for example `maxDuration` 7200) does not come back as an error to
//! the customer: the platform drops the caller's call (stateCode 8014). So every
//! builder here checks **every** value in [`to_json`](ConnectReply::to_json)
//! (or [`validate`](ConnectReply::validate)) and produces no body at all when
//! one is wrong. Setters never fail and never panic; they only store.
//!
//! # Errors
//!
//! * [`ErrorKind::ReplyInvalid`]: a value the platform would refuse or that
//!   contradicts another value (range, characters, combinations). The message
//!   names the JSON field and the rule.
//! * [`ErrorKind::FieldOutOfBounds`]: a string is longer (or shorter) than the
//!   field's documented length ([`Field`]). The message names the JSON field.
//!
//! Content rules are checked before length, so that text which must be
//! re-encoded (Base64) is reported as such first.
//!
//! # Output
//!
//! Compact JSON (no spaces, no newline), UTF-8, fields in the fixed order
//! documented on each type. Strings are escaped per RFC 8259: `"` and `\` as
//! `\"` and `\\`, the control characters U+0000–U+001F as `\b` `\f` `\n` `\r`
//! `\t` or `\u00xx` (lower-case hex); everything else, including non-ASCII
//! text, is written as is. Numbers are written in E.164 form (`+86…`).
//!
//! Optional fields are **omitted when unset**. Setting an optional string to
//! the empty string is the same as leaving it unset: privnum never sends an
//! empty optional string. The exceptions, always written, are listed on each
//! type (`recordFlag`, `closeInfo`, `subsId`, `message`).

use crate::error::{Error, ErrorKind, Result};
use crate::number::{Field, Number};

/// Largest `maxDuration` the platform accepts, in minutes (24 hours).
pub const MAX_DURATION_MINUTES: u32 = 1440;

/// Most digits accepted in a call-control `subsId`.
pub const MAX_SUBS_ID_DIGITS: usize = 64;

/// Most characters accepted in the name of a call-control extra field.
pub const MAX_EXTRA_NAME_LEN: usize = 64;

/// How `connectInfo` / `closeInfo` are wrapped in an X-mode `callin` reply.
///
/// **UNCONFIRMED** which one the platform requires: the interface table shows
/// an object (`"connectInfo":{…}`), Huawei's demo code sends a one-element
/// array (`"connectInfo":[{…}]`). The default is [`InfoForm::Object`], as
/// documented in the table; switch to [`InfoForm::Array`] if your platform
/// account answers the object form with failed calls.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum InfoForm {
    /// `"connectInfo":{…}` (the interface table's form; the default).
    #[default]
    Object = 1,
    /// `"connectInfo":[{…}]` (the demo code's form).
    Array = 2,
}

impl InfoForm {
    /// Every form, in numeric order.
    pub const ALL: &'static [Self] = &[Self::Object, Self::Array];

    /// `"object"` or `"array"` (as in the test vectors).
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Object => "object",
            Self::Array => "array",
        }
    }

    /// The form with this name (as in [`InfoForm::name`]).
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|f| f.name() == name)
    }

    /// The form with this stable number.
    #[must_use]
    pub fn from_code(code: u32) -> Option<Self> {
        Self::ALL.iter().copied().find(|f| *f as u32 == code)
    }
}

// ---------------------------------------------------------------- X-mode callin

/// Reply to an X-mode `callin` push: bridge the caller to the real callee.
///
/// ```text
/// {"operation":"connect","connectInfo":{"calleeNum":…,"displayCalleeNum":…,"maxDuration":…,
///  "waitVoice":…,"recordFlag":"true"|"false","recordHintTone":…,"lastMinVoice":…,"userData":…}}
/// ```
///
/// Fields are written in exactly that order. `calleeNum` and `recordFlag`
/// (a *string*, `"true"` or `"false"`) are always written; every other field
/// only when set. With [`InfoForm::Array`] the object is wrapped in `[…]`.
///
/// Rules checked by [`ConnectReply::to_json`]:
/// * `calleeNum`: not a service number; fits [`Field::XCalleeNum`].
/// * `displayCalleeNum`: should be the privacy number X of this call (carrier
///   rule; privnum cannot see the call, so this is the caller's duty); it must
///   not be a service number nor the callee's own number; fits
///   [`Field::XDisplayCalleeNum`]. Unset ⇒ the platform shows X.
/// * `maxDuration`: 0–1440 minutes, 0 = unlimited. Unset ⇒ unlimited.
/// * `waitVoice`, `recordHintTone`, `lastMinVoice`: audio file names of ASCII
///   letters, digits, `_`, `-`, `.` and `@`; 1–128 characters ([`Field::ToneFile`]).
/// * `recordHintTone` only with recording on; `lastMinVoice` only with a
///   `maxDuration` above 0 (there is no "last minute" otherwise).
/// * `userData`: printable ASCII without `{`, `}` and `^` (Base64-encode other
///   text); 1–256 characters ([`Field::UserData`]).
///
/// ```
/// use privnum::callback::reply::ConnectReply;
/// use privnum::number::parse;
///
/// let json = ConnectReply::new(parse("+8613900000002")?)
///     .display(parse("+8617000000010")?)
///     .max_duration_minutes(20)
///     .user_data("ticket-7")
///     .to_json()?;
/// assert_eq!(
///     json,
///     r#"{"operation":"connect","connectInfo":{"calleeNum":"+8613900000002","displayCalleeNum":"+8617000000010","maxDuration":20,"recordFlag":"false","userData":"ticket-7"}}"#
/// );
/// # Ok::<(), privnum::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectReply {
    callee: Number,
    display: Option<Number>,
    max_duration: Option<u32>,
    wait_voice: String,
    record: bool,
    record_hint_tone: String,
    last_min_voice: String,
    user_data: String,
    form: InfoForm,
}

impl ConnectReply {
    /// A `connect` reply to the real callee, with nothing else set.
    #[must_use]
    pub fn new(callee: Number) -> Self {
        Self {
            callee,
            display: None,
            max_duration: None,
            wait_voice: String::new(),
            record: false,
            record_hint_tone: String::new(),
            last_min_voice: String::new(),
            user_data: String::new(),
            form: InfoForm::Object,
        }
    }

    /// `displayCalleeNum`: the number the callee sees. Carrier rules require
    /// it to be the privacy number X of this call; leave it unset to let the
    /// platform use X.
    #[must_use]
    pub fn display(mut self, x: Number) -> Self {
        self.display = Some(x);
        self
    }

    /// `maxDuration`: the most minutes the call may last, 0 (unlimited) to
    /// [`MAX_DURATION_MINUTES`]. Checked by [`ConnectReply::to_json`].
    #[must_use]
    pub fn max_duration_minutes(mut self, minutes: u32) -> Self {
        self.max_duration = Some(minutes);
        self
    }

    /// `waitVoice`: the audio file the caller hears while the callee rings.
    #[must_use]
    pub fn wait_voice(mut self, file: impl Into<String>) -> Self {
        self.wait_voice = file.into();
        self
    }

    /// `recordFlag`: whether to record the call (the application must have
    /// recording enabled). Off unless set.
    #[must_use]
    pub fn record(mut self, on: bool) -> Self {
        self.record = on;
        self
    }

    /// `recordHintTone`: the audio file announcing the recording. Requires
    /// [`ConnectReply::record`]`(true)`.
    #[must_use]
    pub fn record_hint_tone(mut self, file: impl Into<String>) -> Self {
        self.record_hint_tone = file.into();
        self
    }

    /// `lastMinVoice`: the audio file played when one minute is left. Requires
    /// a [`ConnectReply::max_duration_minutes`] above 0.
    #[must_use]
    pub fn last_min_voice(mut self, file: impl Into<String>) -> Self {
        self.last_min_voice = file.into();
        self
    }

    /// `userData`: opaque text echoed in later events and the CDR.
    #[must_use]
    pub fn user_data(mut self, data: impl Into<String>) -> Self {
        self.user_data = data.into();
        self
    }

    /// How `connectInfo` is wrapped (object by default; see [`InfoForm`]).
    #[must_use]
    pub fn form(mut self, form: InfoForm) -> Self {
        self.form = form;
        self
    }

    /// Check every value without producing the body.
    pub fn validate(&self) -> Result<()> {
        check_party("connectInfo.calleeNum", self.callee, Field::XCalleeNum)?;
        if let Some(x) = self.display {
            if x == self.callee {
                return Err(invalid(
                    "connectInfo.displayCalleeNum must be the privacy number X of this call, \
                     not the callee's own number (leave it unset to show X)",
                ));
            }
            check_party("connectInfo.displayCalleeNum", x, Field::XDisplayCalleeNum)?;
        }
        if let Some(m) = self.max_duration {
            if m > MAX_DURATION_MINUTES {
                return Err(invalid(format!(
                    "connectInfo.maxDuration takes 0 to {MAX_DURATION_MINUTES} minutes \
                     (0 = unlimited); got {m}"
                )));
            }
        }
        check_tone("connectInfo.waitVoice", &self.wait_voice)?;
        check_tone("connectInfo.recordHintTone", &self.record_hint_tone)?;
        if !self.record_hint_tone.is_empty() && !self.record {
            return Err(invalid(
                "connectInfo.recordHintTone announces a recording, but recordFlag is \"false\"; \
                 turn recording on or leave the tone unset",
            ));
        }
        check_tone("connectInfo.lastMinVoice", &self.last_min_voice)?;
        if !self.last_min_voice.is_empty() && self.max_duration.unwrap_or(0) == 0 {
            return Err(invalid(
                "connectInfo.lastMinVoice is played one minute before maxDuration ends, \
                 so it needs a maxDuration of 1 to 1440 minutes; none (unlimited) is set",
            ));
        }
        check_user_data("connectInfo.userData", &self.user_data)
    }

    /// Check every value and write the reply body (see the type's docs for
    /// the field order).
    pub fn to_json(&self) -> Result<String> {
        self.validate()?;
        let mut w = JsonWriter::new();
        w.begin_object();
        w.field_str("operation", "connect");
        w.key("connectInfo");
        w.begin_info(self.form);
        w.field_str("calleeNum", self.callee.e164().as_str());
        if let Some(x) = self.display {
            w.field_str("displayCalleeNum", x.e164().as_str());
        }
        if let Some(m) = self.max_duration {
            w.field_uint("maxDuration", m);
        }
        w.field_opt("waitVoice", &self.wait_voice);
        w.field_str("recordFlag", if self.record { "true" } else { "false" });
        w.field_opt("recordHintTone", &self.record_hint_tone);
        w.field_opt("lastMinVoice", &self.last_min_voice);
        w.field_opt("userData", &self.user_data);
        w.end_info(self.form);
        w.end_object();
        Ok(w.finish())
    }
}

/// Reply to an X-mode `callin` push: end the call.
///
/// ```text
/// {"operation":"close","closeInfo":{"closeHintTone":…,"userData":…}}
/// ```
///
/// Fields in that order, each only when set; `closeInfo` itself is always
/// written (`{}` when empty), wrapped in `[…]` with [`InfoForm::Array`].
/// `closeHintTone` follows the audio-file rules and `userData` the user-data
/// rules of [`ConnectReply`].
///
/// ```
/// use privnum::callback::reply::CloseReply;
///
/// let json = CloseReply::new().close_hint_tone("no_route.wav").to_json()?;
/// assert_eq!(json, r#"{"operation":"close","closeInfo":{"closeHintTone":"no_route.wav"}}"#);
/// # Ok::<(), privnum::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CloseReply {
    close_hint_tone: String,
    user_data: String,
    form: InfoForm,
}

impl CloseReply {
    /// A `close` reply with nothing else set.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// `closeHintTone`: the audio file the caller hears before the call ends.
    #[must_use]
    pub fn close_hint_tone(mut self, file: impl Into<String>) -> Self {
        self.close_hint_tone = file.into();
        self
    }

    /// `userData`: opaque text echoed in later events and the CDR.
    #[must_use]
    pub fn user_data(mut self, data: impl Into<String>) -> Self {
        self.user_data = data.into();
        self
    }

    /// How `closeInfo` is wrapped (object by default; see [`InfoForm`]).
    #[must_use]
    pub fn form(mut self, form: InfoForm) -> Self {
        self.form = form;
        self
    }

    /// Check every value without producing the body.
    pub fn validate(&self) -> Result<()> {
        check_tone("closeInfo.closeHintTone", &self.close_hint_tone)?;
        check_user_data("closeInfo.userData", &self.user_data)
    }

    /// Check every value and write the reply body.
    pub fn to_json(&self) -> Result<String> {
        self.validate()?;
        let mut w = JsonWriter::new();
        w.begin_object();
        w.field_str("operation", "close");
        w.key("closeInfo");
        w.begin_info(self.form);
        w.field_opt("closeHintTone", &self.close_hint_tone);
        w.field_opt("userData", &self.user_data);
        w.end_info(self.form);
        w.end_object();
        Ok(w.finish())
    }
}

// ---------------------------------------------------------------- SMS Block

#[derive(Clone, Debug, PartialEq, Eq)]
enum SmsAction {
    Route { calling: Number, called: Number },
    Discard,
}

/// Reply to an SMS Block push: forward the message through X, or drop it.
///
/// ```text
/// {"actions":[{"operation":"vNumberRoute","message":{"calling":…,"called":…},"userData":…}]}
/// {"actions":[{"operation":"DiscardMessage","userData":…}]}
/// ```
///
/// Fields in that order; `userData` only when set (the platform documents it
/// for AX). Rules: `calling` and `called` fit [`Field::SmsMessageNum`];
/// `called` (the real receiver) is not a service number; `userData` follows
/// the rules of [`ConnectReply`]. `calling` must be the request's `calling`
/// (the platform requires it; privnum cannot see the request, so pass the
/// number read from it).
///
/// ```
/// use privnum::callback::reply::SmsReply;
/// use privnum::number::parse;
///
/// let json = SmsReply::route(parse("+8613800000001")?, parse("+8613900000002")?).to_json()?;
/// assert_eq!(
///     json,
///     r#"{"actions":[{"operation":"vNumberRoute","message":{"calling":"+8613800000001","called":"+8613900000002"}}]}"#
/// );
/// assert_eq!(SmsReply::discard().to_json()?, r#"{"actions":[{"operation":"DiscardMessage"}]}"#);
/// # Ok::<(), privnum::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SmsReply {
    action: SmsAction,
    user_data: String,
}

impl SmsReply {
    /// Forward (`vNumberRoute`) the message from `calling` (the request's
    /// `calling`, unchanged) to `called` (the real receiver).
    #[must_use]
    pub fn route(calling: Number, called: Number) -> Self {
        Self {
            action: SmsAction::Route { calling, called },
            user_data: String::new(),
        }
    }

    /// Drop (`DiscardMessage`) the message.
    #[must_use]
    pub fn discard() -> Self {
        Self {
            action: SmsAction::Discard,
            user_data: String::new(),
        }
    }

    /// `userData`: opaque text (AX mode).
    #[must_use]
    pub fn user_data(mut self, data: impl Into<String>) -> Self {
        self.user_data = data.into();
        self
    }

    /// Whether this reply forwards the message (`vNumberRoute`).
    #[must_use]
    pub fn is_route(&self) -> bool {
        matches!(self.action, SmsAction::Route { .. })
    }

    /// Check every value without producing the body.
    pub fn validate(&self) -> Result<()> {
        if let SmsAction::Route { calling, called } = self.action {
            calling
                .check_field(Field::SmsMessageNum)
                .map_err(|e| in_field("actions[0].message.calling", &e))?;
            check_party("actions[0].message.called", called, Field::SmsMessageNum)?;
        }
        check_user_data("actions[0].userData", &self.user_data)
    }

    /// Check every value and write the reply body.
    pub fn to_json(&self) -> Result<String> {
        self.validate()?;
        let mut w = JsonWriter::new();
        w.begin_object();
        w.key("actions");
        w.begin_array();
        w.begin_object();
        match self.action {
            SmsAction::Route { calling, called } => {
                w.field_str("operation", "vNumberRoute");
                w.key("message");
                w.begin_object();
                w.field_str("calling", calling.e164().as_str());
                w.field_str("called", called.e164().as_str());
                w.end_object();
            }
            SmsAction::Discard => w.field_str("operation", "DiscardMessage"),
        }
        w.field_opt("userData", &self.user_data);
        w.end_object();
        w.end_array();
        w.end_object();
        Ok(w.finish())
    }
}

// ---------------------------------------------------------------- call control

/// What an X-mode call-control answer tells the platform to do (`controlOperate`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum ControlOperate {
    /// `CONTINUE`: connect the other side.
    Continue = 1,
    /// `REJECT`: refuse the call.
    Reject = 2,
    /// `IVR`: play the prompt `callNoPlayCode` to the caller.
    Ivr = 3,
}

impl ControlOperate {
    /// Every operation, in numeric order.
    pub const ALL: &'static [Self] = &[Self::Continue, Self::Reject, Self::Ivr];

    /// The wire value: `"CONTINUE"`, `"REJECT"` or `"IVR"`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Continue => "CONTINUE",
            Self::Reject => "REJECT",
            Self::Ivr => "IVR",
        }
    }

    /// The operation with this wire value (as in [`ControlOperate::name`]).
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|o| o.name() == name)
    }

    /// The operation with this stable number.
    #[must_use]
    pub fn from_code(code: u32) -> Option<Self> {
        Self::ALL.iter().copied().find(|o| *o as u32 == code)
    }
}

/// The `model` field names privnum writes itself; extras may not reuse them.
const CONTROL_FIELDS: [&str; 4] = ["controlOperate", "controlMsg", "subsId", "callNoPlayCode"];

/// Answer to an Alibaba-style X-mode call-control query.
///
/// ```text
/// {"code":"OK","message":…,"model":{"controlOperate":"CONTINUE"|"REJECT"|"IVR",
///  "controlMsg":…,"subsId":…,"callNoPlayCode":…,<extras in the order added>}}
/// ```
///
/// `code` is always `"OK"`; `message` is always written (`"OK"` unless set);
/// `controlOperate` and `subsId` (`"0"` unless set) are always written;
/// `controlMsg`, `callNoPlayCode` and each extra only when set (non-empty).
///
/// Rules: `subsId` is 1–64 ASCII digits; `IVR` needs a `callNoPlayCode`;
/// an extra's name is 1–64 ASCII letters, digits and `_`, and is neither one
/// of the fields above nor a repeat of an earlier extra. Free text
/// (`message`, `controlMsg`, `callNoPlayCode`, extra values) is escaped, not
/// restricted. The `model` fields after `callNoPlayCode` are **UNCONFIRMED**
/// (the vendor page was truncated), hence [`CallControlReply::extra`].
///
/// ```
/// use privnum::callback::reply::{CallControlReply, ControlOperate};
///
/// let json = CallControlReply::new(ControlOperate::Reject)
///     .control_msg("NO_SUBS_EXIST")
///     .to_json()?;
/// assert_eq!(
///     json,
///     r#"{"code":"OK","message":"OK","model":{"controlOperate":"REJECT","controlMsg":"NO_SUBS_EXIST","subsId":"0"}}"#
/// );
/// # Ok::<(), privnum::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallControlReply {
    operate: ControlOperate,
    message: String,
    control_msg: String,
    subs_id: String,
    call_no_play_code: String,
    extras: Vec<(String, String)>,
}

impl CallControlReply {
    /// An answer with `controlOperate` set to `operate`, `message` `"OK"`,
    /// `subsId` `"0"` and nothing else.
    #[must_use]
    pub fn new(operate: ControlOperate) -> Self {
        Self {
            operate,
            message: "OK".to_owned(),
            control_msg: String::new(),
            subs_id: "0".to_owned(),
            call_no_play_code: String::new(),
            extras: Vec::new(),
        }
    }

    /// The top-level `message` (`"OK"` unless set).
    #[must_use]
    pub fn message(mut self, message: impl Into<String>) -> Self {
        self.message = message.into();
        self
    }

    /// `controlMsg`, e.g. `NO_SUBS_EXIST` when there is no binding.
    #[must_use]
    pub fn control_msg(mut self, msg: impl Into<String>) -> Self {
        self.control_msg = msg.into();
        self
    }

    /// `subsId`: the binding's id, digits only (`"0"` when there is none,
    /// which is also the default).
    #[must_use]
    pub fn subs_id(mut self, id: impl Into<String>) -> Self {
        self.subs_id = id.into();
        self
    }

    /// `callNoPlayCode`: the prompt played to the caller; it must be a prompt
    /// approved in the vendor's console. Required for [`ControlOperate::Ivr`].
    #[must_use]
    pub fn call_no_play_code(mut self, code: impl Into<String>) -> Self {
        self.call_no_play_code = code.into();
        self
    }

    /// An extra string field in `model`, written after the known fields in
    /// the order added (for the UNCONFIRMED fields after `callNoPlayCode`).
    /// An empty value leaves the field out.
    #[must_use]
    pub fn extra(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.extras.push((name.into(), value.into()));
        self
    }

    /// Check every value without producing the body.
    pub fn validate(&self) -> Result<()> {
        if self.subs_id.is_empty() {
            return Err(invalid(
                "model.subsId takes 1 to 64 ASCII digits (\"0\" when there is no binding); \
                 it is empty",
            ));
        }
        if let Some((i, c)) = self
            .subs_id
            .chars()
            .enumerate()
            .find(|&(_, c)| !c.is_ascii_digit())
        {
            return Err(invalid(format!(
                "model.subsId takes ASCII digits only (\"0\" when there is no binding); \
                 character {} is {}",
                i + 1,
                describe(c)
            )));
        }
        if self.subs_id.len() > MAX_SUBS_ID_DIGITS {
            return Err(invalid(format!(
                "model.subsId takes 1 to {MAX_SUBS_ID_DIGITS} digits; it has {}",
                self.subs_id.len()
            )));
        }
        if self.operate == ControlOperate::Ivr && self.call_no_play_code.is_empty() {
            return Err(invalid(
                "model.callNoPlayCode is required with controlOperate IVR (it is the prompt \
                 played to the caller)",
            ));
        }
        for (i, (name, _)) in self.extras.iter().enumerate() {
            if name.is_empty()
                || name.len() > MAX_EXTRA_NAME_LEN
                || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
            {
                return Err(invalid(format!(
                    "model extra field {} has the name {name:?}; a name takes 1 to \
                     {MAX_EXTRA_NAME_LEN} ASCII letters, digits and '_'",
                    i + 1
                )));
            }
            if CONTROL_FIELDS.contains(&name.as_str()) {
                return Err(invalid(format!(
                    "model extra field {name} duplicates a field privnum writes; use its setter"
                )));
            }
            if self.extras[..i].iter().any(|(n, _)| n == name) {
                return Err(invalid(format!(
                    "model extra field {name} is given more than once"
                )));
            }
        }
        Ok(())
    }

    /// Check every value and write the answer body.
    pub fn to_json(&self) -> Result<String> {
        self.validate()?;
        let mut w = JsonWriter::new();
        w.begin_object();
        w.field_str("code", "OK");
        w.field_str("message", &self.message);
        w.key("model");
        w.begin_object();
        w.field_str("controlOperate", self.operate.name());
        w.field_opt("controlMsg", &self.control_msg);
        w.field_str("subsId", &self.subs_id);
        w.field_opt("callNoPlayCode", &self.call_no_play_code);
        for (name, value) in &self.extras {
            w.field_opt(name, value);
        }
        w.end_object();
        w.end_object();
        Ok(w.finish())
    }
}

// ---------------------------------------------------------------- validation

fn invalid(message: impl Into<std::borrow::Cow<'static, str>>) -> Error {
    Error::new(ErrorKind::ReplyInvalid, message)
}

/// Re-issue a [`Field::check`] error with the JSON field's path in front.
fn in_field(path: &str, e: &Error) -> Error {
    Error::new(e.kind(), format!("{path}: {}", e.message()))
}

/// A character for an error message: quoted if printable ASCII, else `U+XXXX`.
fn describe(c: char) -> String {
    if c.is_ascii_graphic() || c == ' ' {
        format!("'{c}'")
    } else {
        format!("U+{:04X}", u32::from(c))
    }
}

/// A party number of a reply: never a service number, and within `field`.
fn check_party(path: &str, n: Number, field: Field) -> Result<()> {
    if !n.is_bindable() {
        return Err(invalid(format!(
            "{path} must not be a service number (400/800, 95xxx, 96xxx, 10xxx, 12xxx, 11x); \
             got {}",
            n.masked()
        )));
    }
    n.check_field(field).map_err(|e| in_field(path, &e))
}

fn is_tone_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '@')
}

/// An audio file name (empty = unset): characters first, then [`Field::ToneFile`].
fn check_tone(path: &str, value: &str) -> Result<()> {
    if value.is_empty() {
        return Ok(());
    }
    if let Some((i, c)) = value.chars().enumerate().find(|&(_, c)| !is_tone_char(c)) {
        return Err(invalid(format!(
            "{path} must be an audio file name of ASCII letters, digits, '_', '-', '.' and '@'; \
             character {} is {}",
            i + 1,
            describe(c)
        )));
    }
    Field::ToneFile.check(value).map_err(|e| in_field(path, &e))
}

/// `userData` (empty = unset): printable ASCII without `{` `}` `^`, then
/// [`Field::UserData`].
fn check_user_data(path: &str, value: &str) -> Result<()> {
    if value.is_empty() {
        return Ok(());
    }
    for (i, c) in value.chars().enumerate() {
        if matches!(c, '{' | '}' | '^') {
            return Err(invalid(format!(
                "{path} must not contain '{{', '}}' or '^'; character {} is '{c}'",
                i + 1
            )));
        }
        if !(c == ' ' || c.is_ascii_graphic()) {
            return Err(invalid(format!(
                "{path} takes printable ASCII only (no Chinese or other non-ASCII text, no \
                 control characters); character {} is {}. Base64-encode other text",
                i + 1,
                describe(c)
            )));
        }
    }
    Field::UserData.check(value).map_err(|e| in_field(path, &e))
}

// ---------------------------------------------------------------- JSON writing

/// Append `s` as a JSON string literal (RFC 8259 escaping).
fn push_json_string(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        // Only ASCII bytes need escaping; multi-byte UTF-8 sequences never
        // contain bytes below 0x80, so slicing at `i` stays on char boundaries.
        let escape: &str = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0x00..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        if escape.is_empty() {
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        } else {
            out.push_str(escape);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// A minimal writer for compact JSON; keeps track of where commas go.
struct JsonWriter {
    out: String,
    need_comma: bool,
}

impl JsonWriter {
    fn new() -> Self {
        Self {
            out: String::with_capacity(256),
            need_comma: false,
        }
    }

    fn comma(&mut self) {
        if self.need_comma {
            self.out.push(',');
        }
    }

    fn open(&mut self, c: char) {
        self.comma();
        self.out.push(c);
        self.need_comma = false;
    }

    fn close(&mut self, c: char) {
        self.out.push(c);
        self.need_comma = true;
    }

    fn begin_object(&mut self) {
        self.open('{');
    }

    fn end_object(&mut self) {
        self.close('}');
    }

    fn begin_array(&mut self) {
        self.open('[');
    }

    fn end_array(&mut self) {
        self.close(']');
    }

    /// `{` or `[{` for `connectInfo` / `closeInfo`.
    fn begin_info(&mut self, form: InfoForm) {
        if form == InfoForm::Array {
            self.begin_array();
        }
        self.begin_object();
    }

    fn end_info(&mut self, form: InfoForm) {
        self.end_object();
        if form == InfoForm::Array {
            self.end_array();
        }
    }

    fn key(&mut self, name: &str) {
        self.comma();
        push_json_string(&mut self.out, name);
        self.out.push(':');
        self.need_comma = false;
    }

    fn field_str(&mut self, name: &str, value: &str) {
        self.key(name);
        push_json_string(&mut self.out, value);
        self.need_comma = true;
    }

    /// A string field, left out when the value is empty.
    fn field_opt(&mut self, name: &str, value: &str) {
        if !value.is_empty() {
            self.field_str(name, value);
        }
    }

    fn field_uint(&mut self, name: &str, value: u32) {
        self.key(name);
        self.out.push_str(itoa::Buffer::new().format(value));
        self.need_comma = true;
    }

    fn finish(self) -> String {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::number::parse;

    fn n(s: &str) -> Number {
        parse(s).unwrap()
    }

    fn kind<T: std::fmt::Debug>(r: Result<T>) -> ErrorKind {
        r.unwrap_err().kind()
    }

    fn callee() -> Number {
        n("+8613900000002")
    }

    #[test]
    fn connect_spec_example() {
        let json = ConnectReply::new(callee())
            .display(n("+8617000000010"))
            .max_duration_minutes(20)
            .record(false)
            .user_data("ticket-7")
            .to_json()
            .unwrap();
        assert_eq!(
            json,
            r#"{"operation":"connect","connectInfo":{"calleeNum":"+8613900000002","displayCalleeNum":"+8617000000010","maxDuration":20,"recordFlag":"false","userData":"ticket-7"}}"#
        );
    }

    #[test]
    fn connect_all_fields_array_form_in_order() {
        let json = ConnectReply::new(callee())
            .display(n("+8617000000010"))
            .max_duration_minutes(1440)
            .wait_voice("ring.wav")
            .record(true)
            .record_hint_tone("rec@1.wav")
            .last_min_voice("last-min.wav")
            .user_data("a\"b\\c")
            .form(InfoForm::Array)
            .to_json()
            .unwrap();
        assert_eq!(
            json,
            r#"{"operation":"connect","connectInfo":[{"calleeNum":"+8613900000002","displayCalleeNum":"+8617000000010","maxDuration":1440,"waitVoice":"ring.wav","recordFlag":"true","recordHintTone":"rec@1.wav","lastMinVoice":"last-min.wav","userData":"a\"b\\c"}]}"#
        );
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["connectInfo"][0]["userData"], "a\"b\\c");
    }

    #[test]
    fn connect_minimal_and_explicit_zero() {
        let r = ConnectReply::new(callee());
        assert_eq!(
            r.to_json().unwrap(),
            r#"{"operation":"connect","connectInfo":{"calleeNum":"+8613900000002","recordFlag":"false"}}"#
        );
        assert_eq!(
            r.max_duration_minutes(0)
                .wait_voice("")
                .user_data("")
                .to_json()
                .unwrap(),
            r#"{"operation":"connect","connectInfo":{"calleeNum":"+8613900000002","maxDuration":0,"recordFlag":"false"}}"#
        );
    }

    #[test]
    fn connect_rejections() {
        let base = || ConnectReply::new(callee());
        let e = base().max_duration_minutes(7200).to_json().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::ReplyInvalid);
        assert!(e.message().contains("maxDuration") && e.message().contains("1440"));
        assert_eq!(
            kind(base().max_duration_minutes(1441).to_json()),
            ErrorKind::ReplyInvalid
        );
        let e = base().last_min_voice("x.wav").to_json().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::ReplyInvalid);
        assert!(e.message().contains("lastMinVoice") && e.message().contains("maxDuration"));
        assert_eq!(
            kind(
                base()
                    .max_duration_minutes(0)
                    .last_min_voice("x.wav")
                    .validate()
            ),
            ErrorKind::ReplyInvalid
        );
        assert!(
            base()
                .max_duration_minutes(1)
                .last_min_voice("x.wav")
                .validate()
                .is_ok()
        );
        assert_eq!(
            kind(base().record_hint_tone("r.wav").validate()),
            ErrorKind::ReplyInvalid
        );
        for bad in ["a{b", "a}b", "a^b", "工单", "a\nb", "\u{7f}"] {
            let e = base().user_data(bad).validate().unwrap_err();
            assert_eq!(e.kind(), ErrorKind::ReplyInvalid, "{bad:?}");
            assert!(e.message().contains("connectInfo.userData"), "{e}");
        }
        assert!(
            base()
                .user_data("工单")
                .validate()
                .unwrap_err()
                .message()
                .contains("Base64")
        );
        let e = base().user_data("u".repeat(257)).validate().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::FieldOutOfBounds);
        assert!(e.message().contains("connectInfo.userData") && e.message().contains("256"));
        assert!(base().user_data("u".repeat(256)).validate().is_ok());
        for bad in ["ring back.wav", "../x.wav", "声音.wav", "a/b"] {
            assert_eq!(
                kind(base().wait_voice(bad).validate()),
                ErrorKind::ReplyInvalid,
                "{bad:?}"
            );
        }
        assert_eq!(
            kind(base().wait_voice("a".repeat(129)).validate()),
            ErrorKind::FieldOutOfBounds
        );
        assert!(base().wait_voice("a".repeat(128)).validate().is_ok());
        let e = ConnectReply::new(n("95588")).validate().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::ReplyInvalid);
        assert!(e.message().contains("calleeNum") && !e.message().contains("95588"));
        assert_eq!(
            kind(base().display(n("4008123123")).validate()),
            ErrorKind::ReplyInvalid
        );
        assert_eq!(
            kind(base().display(callee()).validate()),
            ErrorKind::ReplyInvalid
        );
    }

    #[test]
    fn close_forms() {
        assert_eq!(
            CloseReply::new().to_json().unwrap(),
            r#"{"operation":"close","closeInfo":{}}"#
        );
        assert_eq!(
            CloseReply::new()
                .close_hint_tone("no_route.wav")
                .user_data("t1")
                .form(InfoForm::Array)
                .to_json()
                .unwrap(),
            r#"{"operation":"close","closeInfo":[{"closeHintTone":"no_route.wav","userData":"t1"}]}"#
        );
        assert_eq!(
            kind(CloseReply::new().close_hint_tone("a b").to_json()),
            ErrorKind::ReplyInvalid
        );
        assert_eq!(
            kind(CloseReply::new().user_data("^").to_json()),
            ErrorKind::ReplyInvalid
        );
    }

    #[test]
    fn sms_replies() {
        let r = SmsReply::route(n("+8613800000001"), callee()).user_data("x1");
        assert!(r.is_route());
        assert_eq!(
            r.to_json().unwrap(),
            r#"{"actions":[{"operation":"vNumberRoute","message":{"calling":"+8613800000001","called":"+8613900000002"},"userData":"x1"}]}"#
        );
        assert!(!SmsReply::discard().is_route());
        assert_eq!(
            SmsReply::discard().user_data("d").to_json().unwrap(),
            r#"{"actions":[{"operation":"DiscardMessage","userData":"d"}]}"#
        );
        assert_eq!(
            kind(SmsReply::route(n("+8613800000001"), n("10086")).to_json()),
            ErrorKind::ReplyInvalid
        );
        assert_eq!(
            kind(SmsReply::discard().user_data("é").to_json()),
            ErrorKind::ReplyInvalid
        );
    }

    #[test]
    fn call_control() {
        assert_eq!(
            CallControlReply::new(ControlOperate::Continue)
                .subs_id("1234567890")
                .call_no_play_code("P1")
                .extra("calledNo", "+8613900000002")
                .extra("needRecord", "true")
                .extra("empty", "")
                .to_json()
                .unwrap(),
            r#"{"code":"OK","message":"OK","model":{"controlOperate":"CONTINUE","subsId":"1234567890","callNoPlayCode":"P1","calledNo":"+8613900000002","needRecord":"true"}}"#
        );
        let r = || CallControlReply::new(ControlOperate::Reject);
        assert_eq!(kind(r().subs_id("12a").validate()), ErrorKind::ReplyInvalid);
        assert_eq!(kind(r().subs_id("").validate()), ErrorKind::ReplyInvalid);
        assert_eq!(
            kind(r().subs_id("１２").validate()),
            ErrorKind::ReplyInvalid
        );
        assert_eq!(
            kind(r().subs_id("1".repeat(65)).validate()),
            ErrorKind::ReplyInvalid
        );
        assert!(r().subs_id("1".repeat(64)).validate().is_ok());
        assert_eq!(
            kind(CallControlReply::new(ControlOperate::Ivr).validate()),
            ErrorKind::ReplyInvalid
        );
        for bad in ["", "called-no", "名字", "subsId", "controlOperate"] {
            assert_eq!(
                kind(r().extra(bad, "v").validate()),
                ErrorKind::ReplyInvalid,
                "{bad:?}"
            );
        }
        assert_eq!(
            kind(r().extra("a", "1").extra("a", "2").validate()),
            ErrorKind::ReplyInvalid
        );
    }

    #[test]
    fn enums_round_trip() {
        for &f in InfoForm::ALL {
            assert_eq!(InfoForm::from_name(f.name()), Some(f));
            assert_eq!(InfoForm::from_code(f as u32), Some(f));
        }
        for &o in ControlOperate::ALL {
            assert_eq!(ControlOperate::from_name(o.name()), Some(o));
            assert_eq!(ControlOperate::from_code(o as u32), Some(o));
        }
        assert_eq!(InfoForm::default(), InfoForm::Object);
        assert_eq!(InfoForm::from_name("Object"), None);
        assert_eq!(ControlOperate::from_code(0), None);
    }

    #[test]
    fn escaping_is_rfc8259_and_round_trips() {
        let mut all = String::new();
        for c in (0u8..0x80).map(char::from) {
            all.push(c);
        }
        all.push_str("中文 \u{2028} 😀");
        let mut out = String::new();
        push_json_string(&mut out, &all);
        let back: String = serde_json::from_str(&out).unwrap();
        assert_eq!(back, all);
        let mut out = String::new();
        push_json_string(&mut out, "\"\\\u{0}\u{1f}\u{8}\u{c}\n\r\t/é");
        assert_eq!(out, r#""\"\\\u0000\u001f\b\f\n\r\t/é""#);
    }

    #[test]
    fn debug_masks_numbers() {
        let d = format!(
            "{:?}",
            ConnectReply::new(callee()).display(n("+8617000000010"))
        );
        assert!(
            !d.contains("13900000002") && !d.contains("17000000010"),
            "{d}"
        );
        let d = format!("{:?}", SmsReply::route(callee(), n("+8613800000001")));
        assert!(
            !d.contains("13900000002") && !d.contains("13800000001"),
            "{d}"
        );
    }
}
