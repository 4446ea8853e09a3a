//! AXE mode (PN §5): A is bound to X plus an extension E. Others call X,
//! key in E and reach A; A calling X reaches the last party that called
//! (a callback record), or `callbackNum` / `callbackTone`. Bind, unbind,
//! modify, query, all on `/rest/caas/extendnumber/v1.0`.
//!
//! | operation | method | idempotent | output |
//! |---|---|---|---|
//! | [`AxeBind`] | POST | no: settle an unknown outcome with [`AxeQuery`] | [`AxeBound`] |
//! | [`AxeUnbind`] | DELETE (query) | yes | `()` |
//! | [`AxeModify`] | PUT | yes | `()` |
//! | [`AxeQuery`] | GET (query) | yes | [`AxeRecord`] |
//!
//! Numbers are [`Number`]s and are sent in global format (`+86…`); in a
//! query string the `+` is sent as `%2B`. Booleans are sent as the strings
//! `"true"`/`"false"` (PN §1). Optional fields left `None` are not sent.
//! An extension (`extendNum`) is 1–4 ASCII digits, not all zeros; how many
//! digits an application uses is a console setting the client does not
//! know, so the exact length is left to the platform.
//!
//! `prepare` checks every field against the specification before anything is
//! sent, and names the wire field at fault ([`Error::field`]):
//!
//! * bounds the platform answers with 1010002 (`bindExpiredTime`,
//!   `callbackExpiredTime` in the unit of `timeUnit`, `userData`, an
//!   extension that is not digits or all zeros, a service number as A) are
//!   [`ErrorKind::RuleViolation`] with platform code `"1010002"`, exactly as
//!   the engine reports them;
//! * text longer than its field (`String(a-b)`) is
//!   [`ErrorKind::FieldOutOfBounds`];
//! * other malformed arguments (an area code that is not digits, both
//!   `virtualNum` and `areaCode`, an `extendNum` without `virtualNum`, both
//!   `callbackNum` and `callbackTone`, a modification that changes nothing)
//!   are [`ErrorKind::InvalidArgument`].
//!
//! # Unconfirmed parts of the specification
//!
//! Where PN §16 leaves a detail open, privnum takes the tolerant reading and
//! never refuses a request because of it:
//!
//! * The defaults of `bindExpiredTime` and `callbackExpiredTime` are
//!   unknown (one third-party comment says 168 hours): privnum sends them
//!   only when given, so the platform's default applies otherwise.
//! * The bind answer is only sure to carry `subscriptionId` (required) and
//!   `virtualNum`; the assigned `extendNum` is read when it is there.

use serde::Serialize;
use serde_json::{Map, Value};

use super::any::{Args, Obj};
use super::ax::{DisplayMode, display_arg};
use super::wire::{
    area_code, body, bool_wire, number_in, party, subscription_id, text_of, tone_1_128, user_data,
};
use super::{
    Envelope, HttpResponse, Method, Operation, Prepared, WireNumber, invalid_field, lenient_bool,
    lenient_text, lenient_u64,
};
use crate::engine::rules;
use crate::error::{Error, ErrorKind, Result};
use crate::number::{Field, Number};

/// The path of every AXE operation.
pub const AXE_PATH: &str = "/rest/caas/extendnumber/v1.0";

/// `timeUnit`: the unit of `bindExpiredTime` and `callbackExpiredTime`
/// (PN §5.1). Absent means hours.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TimeUnit {
    /// `"0"`: hours, 0–720.
    Hours,
    /// `"1"`: minutes, 0–43 200.
    Minutes,
}

impl TimeUnit {
    /// The wire value, `"0"` or `"1"`.
    #[must_use]
    pub const fn wire(self) -> &'static str {
        match self {
            Self::Hours => "0",
            Self::Minutes => "1",
        }
    }

    /// From the wire value `"0"` or `"1"`; anything else is
    /// [`ErrorKind::InvalidArgument`] naming `timeUnit`.
    pub fn from_wire(value: &str) -> Result<Self> {
        match value.trim() {
            "0" => Ok(Self::Hours),
            "1" => Ok(Self::Minutes),
            _ => Err(invalid_field(
                "timeUnit",
                "timeUnit must be \"0\" (hours) or \"1\" (minutes)",
            )),
        }
    }

    fn from_json(v: &Value) -> Option<Self> {
        match lenient_u64(v)? {
            0 => Some(Self::Hours),
            1 => Some(Self::Minutes),
            _ => None,
        }
    }
}

// ---------------------------------------------------------------------------
// Field checks
// ---------------------------------------------------------------------------

/// `extendNum`: String(1-4), ASCII digits, not all zeros.
fn extension(ext: &str) -> Result<&str> {
    Field::AxeExtendNum
        .check(ext)
        .map_err(|e| e.with_field("extendNum"))?;
    // With `digits` equal to the length, only the digit rules remain (a
    // longer non-ASCII value fails them as "1-4 ASCII digits").
    let digits = u8::try_from(ext.len().clamp(1, 4)).unwrap_or(4);
    rules::check_extension(ext, digits).map_err(Error::from)?;
    Ok(ext)
}

/// The lifetimes in the unit of `time_unit` (absent: hours).
fn expiries(
    unit: Option<TimeUnit>,
    bind: Option<u64>,
    callback: Option<u64>,
) -> Result<(Option<u64>, Option<u64>)> {
    let minutes = unit == Some(TimeUnit::Minutes);
    if let Some(v) = bind {
        rules::check_axe_expiry(v, minutes).map_err(Error::from)?;
    }
    if let Some(v) = callback {
        rules::check_axe_callback_expiry(v, minutes).map_err(Error::from)?;
    }
    Ok((bind, callback))
}

/// `callbackNum` or `callbackTone` (not both).
fn callback(num: Option<Number>, tone: Option<&str>) -> Result<(Option<String>, Option<&str>)> {
    if num.is_some() && tone.is_some() {
        return Err(invalid_field(
            "callbackNum",
            "give callbackTone or callbackNum, not both",
        ));
    }
    let tone = tone_1_128(tone, "callbackTone")?;
    let num = num
        .map(|c| number_in(c, Field::AxeCallbackNum, "callbackNum"))
        .transpose()?;
    Ok((num, tone))
}

// ---------------------------------------------------------------------------
// Bind
// ---------------------------------------------------------------------------

/// Bind A to X and an extension (PN §5.1): POST, not idempotent.
///
/// Build it with [`AxeBind::new`], then set the optional fields. Name the X
/// with `virtual_num`, or let the platform choose one in `area_code` (not
/// both). The extension is assigned by the platform unless `extend_num` is
/// given, which needs `virtual_num`. An X without a free extension answers
/// 1020167 ([`ErrorKind::PlatformExhausted`]); an extension already bound
/// answers 1013102 ([`ErrorKind::PlatformConflict`]).
///
/// If the outcome of an attempt is unknown, do not send it again: query
/// ([`AxeQuery::ByExtension`] when the extension was given) to learn
/// whether it bound.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct AxeBind {
    /// `bindNum`: A. String(1-32).
    pub bind_num: Number,
    /// `virtualNum`: X. String(1-32).
    pub virtual_num: Option<Number>,
    /// `areaCode`: let the platform choose an X of this city (`"0755"`).
    pub area_code: Option<String>,
    /// `extendNum`: this extension on `virtual_num` (1–4 digits); `None` or
    /// empty lets the platform assign one (an empty value is not sent).
    pub extend_num: Option<String>,
    /// `displayNumMode`: what A sees (carriers require
    /// [`DisplayMode::PrivacyNumber`], the default).
    pub display_num_mode: Option<DisplayMode>,
    /// `recordFlag`: record calls (if the application may record).
    pub record_flag: Option<bool>,
    /// `recordHintTone`: recording announcement (carriers block recorded
    /// calls without one). String(1-128).
    pub record_hint_tone: Option<String>,
    /// `callbackTone`: played when A calls X and there is no callback
    /// record. String(1-128). Not with `callback_num`.
    pub callback_tone: Option<String>,
    /// `callbackNum`: where A is connected when there is no callback record.
    /// String(1-32). Not with `callback_tone`.
    pub callback_num: Option<Number>,
    /// `timeUnit`: unit of the two lifetimes (default hours).
    pub time_unit: Option<TimeUnit>,
    /// `bindExpiredTime`: binding lifetime, 0–720 hours or 0–43 200 minutes
    /// (0 = never).
    pub bind_expired_time: Option<u64>,
    /// `callbackExpiredTime`: callback record lifetime, same unit and
    /// bounds.
    pub callback_expired_time: Option<u64>,
    /// `userData`: echoed in this binding's pushes. 1–256 printable ASCII
    /// characters without `{`, `}` or `^`.
    pub user_data: Option<String>,
}

impl AxeBind {
    /// Bind A (`bind_num`); every other field absent.
    #[must_use]
    pub fn new(bind_num: Number) -> Self {
        Self {
            bind_num,
            virtual_num: None,
            area_code: None,
            extend_num: None,
            display_num_mode: None,
            record_flag: None,
            record_hint_tone: None,
            callback_tone: None,
            callback_num: None,
            time_unit: None,
            bind_expired_time: None,
            callback_expired_time: None,
            user_data: None,
        }
    }
}

/// The bind body, in the order of PN §5.1.
#[derive(Serialize)]
struct BindWire<'a> {
    #[serde(rename = "bindNum")]
    bind_num: String,
    #[serde(rename = "virtualNum", skip_serializing_if = "Option::is_none")]
    virtual_num: Option<String>,
    #[serde(rename = "areaCode", skip_serializing_if = "Option::is_none")]
    area_code: Option<&'a str>,
    #[serde(rename = "extendNum", skip_serializing_if = "Option::is_none")]
    extend_num: Option<&'a str>,
    #[serde(rename = "displayNumMode", skip_serializing_if = "Option::is_none")]
    display_num_mode: Option<&'static str>,
    #[serde(rename = "recordFlag", skip_serializing_if = "Option::is_none")]
    record_flag: Option<&'static str>,
    #[serde(rename = "recordHintTone", skip_serializing_if = "Option::is_none")]
    record_hint_tone: Option<&'a str>,
    #[serde(rename = "callbackTone", skip_serializing_if = "Option::is_none")]
    callback_tone: Option<&'a str>,
    #[serde(rename = "callbackNum", skip_serializing_if = "Option::is_none")]
    callback_num: Option<String>,
    #[serde(rename = "timeUnit", skip_serializing_if = "Option::is_none")]
    time_unit: Option<&'static str>,
    #[serde(rename = "bindExpiredTime", skip_serializing_if = "Option::is_none")]
    bind_expired_time: Option<u64>,
    #[serde(
        rename = "callbackExpiredTime",
        skip_serializing_if = "Option::is_none"
    )]
    callback_expired_time: Option<u64>,
    #[serde(rename = "userData", skip_serializing_if = "Option::is_none")]
    user_data: Option<&'a str>,
}

/// A successful bind: the new binding's id, its X and its extension. Only
/// `subscription_id` is required; the rest is read tolerantly (a field that
/// is absent or of an unexpected type is `None`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct AxeBound {
    /// `subscriptionId`: store it; unbind, modify and query use it.
    pub subscription_id: String,
    /// `virtualNum`: the X actually bound.
    pub virtual_num: Option<WireNumber>,
    /// `extendNum`: the extension, if the answer gives it (a number is
    /// taken as its digits, so leading zeros sent as a JSON number are lost).
    pub extend_num: Option<String>,
    /// `bindNum`: A, if echoed.
    pub bind_num: Option<WireNumber>,
}

impl AxeBound {
    /// JSON form (snake-case keys, absent values left out; see
    /// [`super::any`]).
    #[must_use]
    pub fn to_json(&self) -> Value {
        Obj::new()
            .put("subscription_id", Some(self.subscription_id.clone()))
            .num("virtual_num", self.virtual_num.as_ref())
            .put("extend_num", self.extend_num.clone())
            .num("bind_num", self.bind_num.as_ref())
            .done()
    }
}

impl Operation for AxeBind {
    type Output = AxeBound;

    fn name(&self) -> &'static str {
        "axe.bind"
    }

    /// False: a bind whose outcome is unknown is settled by a query.
    fn idempotent(&self) -> bool {
        false
    }

    fn prepare(&self) -> Result<Prepared> {
        let bind_num = party(self.bind_num, Field::AxeBindNum, "bindNum")?;
        if self.virtual_num.is_some() && self.area_code.is_some() {
            return Err(invalid_field(
                "areaCode",
                "give virtualNum (a given X) or areaCode (the platform chooses X), not both",
            ));
        }
        let virtual_num = self
            .virtual_num
            .map(|x| number_in(x, Field::AxeVirtualNum, "virtualNum"))
            .transpose()?;
        let extend_num = match self.extend_num.as_deref().filter(|e| !e.is_empty()) {
            Some(_) if virtual_num.is_none() => {
                return Err(invalid_field(
                    "extendNum",
                    "extendNum is only honoured with virtualNum (the platform assigns one otherwise)",
                ));
            }
            other => other.map(extension).transpose()?,
        };
        let (callback_num, callback_tone) =
            callback(self.callback_num, self.callback_tone.as_deref())?;
        let (bind_expired_time, callback_expired_time) = expiries(
            self.time_unit,
            self.bind_expired_time,
            self.callback_expired_time,
        )?;
        let wire = BindWire {
            bind_num,
            virtual_num,
            area_code: self.area_code.as_deref().map(area_code).transpose()?,
            extend_num,
            display_num_mode: self.display_num_mode.map(DisplayMode::wire),
            record_flag: self.record_flag.map(bool_wire),
            record_hint_tone: tone_1_128(self.record_hint_tone.as_deref(), "recordHintTone")?,
            callback_tone,
            callback_num,
            time_unit: self.time_unit.map(TimeUnit::wire),
            bind_expired_time,
            callback_expired_time,
            user_data: user_data(self.user_data.as_deref())?,
        };
        Ok(Prepared {
            method: Method::Post,
            path: AXE_PATH,
            query: Vec::new(),
            body: Some(body(&wire)?),
        })
    }

    fn parse(&self, resp: &HttpResponse<'_>) -> Result<AxeBound> {
        let env = Envelope::parse(resp)?;
        let subscription_id = env.required_text("subscriptionId")?;
        let f = env.fields();
        Ok(AxeBound {
            subscription_id,
            virtual_num: f.get("virtualNum").and_then(WireNumber::from_json),
            extend_num: f.get("extendNum").and_then(lenient_text),
            bind_num: f.get("bindNum").and_then(WireNumber::from_json),
        })
    }
}

// ---------------------------------------------------------------------------
// Unbind
// ---------------------------------------------------------------------------

/// The query parameters naming one AXE binding by its id.
fn id_query(id: &str) -> Result<Vec<(&'static str, String)>> {
    Ok(vec![("subscriptionId", subscription_id(id)?.to_owned())])
}

/// The query parameters naming one AXE binding by X and extension.
fn extension_query(x: Number, ext: &str) -> Result<Vec<(&'static str, String)>> {
    Ok(vec![
        (
            "virtualNum",
            number_in(x, Field::AxeVirtualNum, "virtualNum")?,
        ),
        ("extendNum", extension(ext)?.to_owned()),
    ])
}

/// Remove an AXE binding (PN §5.2): DELETE, idempotent.
///
/// A retried unbind whose first attempt went through answers "not found"
/// ([`ErrorKind::PlatformNotFound`]); treat that as done.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AxeUnbind {
    /// `subscriptionId`: remove this binding.
    BySubscriptionId(String),
    /// `virtualNum` and `extendNum`: remove the binding of this extension.
    ByExtension {
        /// `virtualNum`: X. String(1-32).
        virtual_num: Number,
        /// `extendNum`: E. 1–4 digits.
        extend_num: String,
    },
}

impl Operation for AxeUnbind {
    type Output = ();

    fn name(&self) -> &'static str {
        "axe.unbind"
    }

    fn idempotent(&self) -> bool {
        true
    }

    fn prepare(&self) -> Result<Prepared> {
        let query = match self {
            Self::BySubscriptionId(id) => id_query(id)?,
            Self::ByExtension {
                virtual_num,
                extend_num,
            } => extension_query(*virtual_num, extend_num)?,
        };
        Ok(Prepared {
            method: Method::Delete,
            path: AXE_PATH,
            query,
            body: None,
        })
    }

    fn parse(&self, resp: &HttpResponse<'_>) -> Result<()> {
        Envelope::parse(resp).map(drop)
    }
}

// ---------------------------------------------------------------------------
// Modify
// ---------------------------------------------------------------------------

/// Which AXE binding a modification changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AxeTarget {
    /// `subscriptionId` (preferred). String(1-64).
    SubscriptionId(String),
    /// `virtualNum` and `extendNum`.
    Extension {
        /// `virtualNum`: X. String(1-32).
        virtual_num: Number,
        /// `extendNum`: E. 1–4 digits.
        extend_num: String,
    },
}

/// Change an AXE binding (PN §5.3): PUT, idempotent.
///
/// Build it with [`AxeModify::new`] and set at least one change; fields left
/// `None` stay as they are. The lifetimes count in `time_unit` (absent:
/// hours). A query after a modification that changed `timeUnit` or
/// `bindExpiredTime` still reports the values given at bind time (PN §5.3).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct AxeModify {
    /// The binding: `subscriptionId`, or `virtualNum` and `extendNum`.
    pub target: AxeTarget,
    /// `displayNumMode`.
    pub display_num_mode: Option<DisplayMode>,
    /// `recordFlag`.
    pub record_flag: Option<bool>,
    /// `recordHintTone`. String(1-128).
    pub record_hint_tone: Option<String>,
    /// `callbackTone`. String(1-128). Not with `callback_num`.
    pub callback_tone: Option<String>,
    /// `callbackNum`. String(1-32). Not with `callback_tone`.
    pub callback_num: Option<Number>,
    /// `timeUnit`.
    pub time_unit: Option<TimeUnit>,
    /// `bindExpiredTime`: 0–720 hours or 0–43 200 minutes.
    pub bind_expired_time: Option<u64>,
    /// `callbackExpiredTime`: same unit and bounds.
    pub callback_expired_time: Option<u64>,
    /// `userData`.
    pub user_data: Option<String>,
}

impl AxeModify {
    /// A modification of the binding `target` that changes nothing yet.
    #[must_use]
    pub fn new(target: AxeTarget) -> Self {
        Self {
            target,
            display_num_mode: None,
            record_flag: None,
            record_hint_tone: None,
            callback_tone: None,
            callback_num: None,
            time_unit: None,
            bind_expired_time: None,
            callback_expired_time: None,
            user_data: None,
        }
    }

    fn changes_something(&self) -> bool {
        self.display_num_mode.is_some()
            || self.record_flag.is_some()
            || self.record_hint_tone.is_some()
            || self.callback_tone.is_some()
            || self.callback_num.is_some()
            || self.time_unit.is_some()
            || self.bind_expired_time.is_some()
            || self.callback_expired_time.is_some()
            || self.user_data.is_some()
    }
}

/// The modify body, in the order of PN §5.3.
#[derive(Serialize)]
struct ModifyWire<'a> {
    #[serde(rename = "subscriptionId", skip_serializing_if = "Option::is_none")]
    subscription_id: Option<&'a str>,
    #[serde(rename = "virtualNum", skip_serializing_if = "Option::is_none")]
    virtual_num: Option<String>,
    #[serde(rename = "extendNum", skip_serializing_if = "Option::is_none")]
    extend_num: Option<&'a str>,
    #[serde(rename = "displayNumMode", skip_serializing_if = "Option::is_none")]
    display_num_mode: Option<&'static str>,
    #[serde(rename = "recordFlag", skip_serializing_if = "Option::is_none")]
    record_flag: Option<&'static str>,
    #[serde(rename = "recordHintTone", skip_serializing_if = "Option::is_none")]
    record_hint_tone: Option<&'a str>,
    #[serde(rename = "callbackTone", skip_serializing_if = "Option::is_none")]
    callback_tone: Option<&'a str>,
    #[serde(rename = "callbackNum", skip_serializing_if = "Option::is_none")]
    callback_num: Option<String>,
    #[serde(rename = "timeUnit", skip_serializing_if = "Option::is_none")]
    time_unit: Option<&'static str>,
    #[serde(rename = "bindExpiredTime", skip_serializing_if = "Option::is_none")]
    bind_expired_time: Option<u64>,
    #[serde(
        rename = "callbackExpiredTime",
        skip_serializing_if = "Option::is_none"
    )]
    callback_expired_time: Option<u64>,
    #[serde(rename = "userData", skip_serializing_if = "Option::is_none")]
    user_data: Option<&'a str>,
}

impl Operation for AxeModify {
    type Output = ();

    fn name(&self) -> &'static str {
        "axe.modify"
    }

    fn idempotent(&self) -> bool {
        true
    }

    fn prepare(&self) -> Result<Prepared> {
        let (subscription_id, virtual_num, extend_num) = match &self.target {
            AxeTarget::SubscriptionId(id) => (Some(subscription_id(id)?), None, None),
            AxeTarget::Extension {
                virtual_num,
                extend_num,
            } => (
                None,
                Some(number_in(*virtual_num, Field::AxeVirtualNum, "virtualNum")?),
                Some(extension(extend_num)?),
            ),
        };
        if !self.changes_something() {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                "a modification must change at least one field besides the binding's id",
            ));
        }
        let (callback_num, callback_tone) =
            callback(self.callback_num, self.callback_tone.as_deref())?;
        let (bind_expired_time, callback_expired_time) = expiries(
            self.time_unit,
            self.bind_expired_time,
            self.callback_expired_time,
        )?;
        let wire = ModifyWire {
            subscription_id,
            virtual_num,
            extend_num,
            display_num_mode: self.display_num_mode.map(DisplayMode::wire),
            record_flag: self.record_flag.map(bool_wire),
            record_hint_tone: tone_1_128(self.record_hint_tone.as_deref(), "recordHintTone")?,
            callback_tone,
            callback_num,
            time_unit: self.time_unit.map(TimeUnit::wire),
            bind_expired_time,
            callback_expired_time,
            user_data: user_data(self.user_data.as_deref())?,
        };
        Ok(Prepared {
            method: Method::Put,
            path: AXE_PATH,
            query: Vec::new(),
            body: Some(body(&wire)?),
        })
    }

    fn parse(&self, resp: &HttpResponse<'_>) -> Result<()> {
        Envelope::parse(resp).map(drop)
    }
}

// ---------------------------------------------------------------------------
// Query
// ---------------------------------------------------------------------------

/// Look one AXE binding up (PN §5.4): GET, idempotent.
///
/// "Nothing found" is reported by the platform as an error code
/// ([`ErrorKind::PlatformNotFound`] for 1012007/1016001).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AxeQuery {
    /// `subscriptionId`: this binding.
    BySubscriptionId(String),
    /// `virtualNum` and `extendNum`: the binding of this extension.
    ByExtension {
        /// `virtualNum`: X. String(1-32).
        virtual_num: Number,
        /// `extendNum`: E. 1–4 digits.
        extend_num: String,
    },
}

/// An AXE binding as a query reports it, read tolerantly: every field is
/// optional, a field of an unexpected type is `None`, unknown fields are
/// ignored.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct AxeRecord {
    /// `subscriptionId`.
    pub subscription_id: Option<String>,
    /// `virtualNum`: X.
    pub virtual_num: Option<WireNumber>,
    /// `extendNum`: E.
    pub extend_num: Option<String>,
    /// `bindNum`: A.
    pub bind_num: Option<WireNumber>,
    /// `displayNumMode`.
    pub display_num_mode: Option<DisplayMode>,
    /// `recordFlag` (a boolean, `"true"`/`"false"` or 0/1 on the wire).
    pub record_flag: Option<bool>,
    /// `recordHintTone`.
    pub record_hint_tone: Option<String>,
    /// `callbackTone`.
    pub callback_tone: Option<String>,
    /// `callbackNum`.
    pub callback_num: Option<WireNumber>,
    /// `timeUnit`.
    pub time_unit: Option<TimeUnit>,
    /// `bindExpiredTime`, in `time_unit`.
    pub bind_expired_time: Option<u64>,
    /// `callbackExpiredTime`, in `time_unit`.
    pub callback_expired_time: Option<u64>,
    /// `userData`.
    pub user_data: Option<String>,
}

impl AxeRecord {
    fn from_json(obj: &Map<String, Value>) -> Self {
        Self {
            subscription_id: obj.get("subscriptionId").and_then(lenient_text),
            virtual_num: obj.get("virtualNum").and_then(WireNumber::from_json),
            extend_num: obj.get("extendNum").and_then(lenient_text),
            bind_num: obj.get("bindNum").and_then(WireNumber::from_json),
            display_num_mode: obj.get("displayNumMode").and_then(DisplayMode::from_json),
            record_flag: obj.get("recordFlag").and_then(lenient_bool),
            record_hint_tone: text_of(obj, "recordHintTone"),
            callback_tone: text_of(obj, "callbackTone"),
            callback_num: obj.get("callbackNum").and_then(WireNumber::from_json),
            time_unit: obj.get("timeUnit").and_then(TimeUnit::from_json),
            bind_expired_time: obj.get("bindExpiredTime").and_then(lenient_u64),
            callback_expired_time: obj.get("callbackExpiredTime").and_then(lenient_u64),
            user_data: text_of(obj, "userData"),
        }
    }

    /// JSON form (snake-case keys, absent values left out; display modes and
    /// time units as their wire values `"0"`/`"1"`).
    #[must_use]
    pub fn to_json(&self) -> Value {
        Obj::new()
            .put("subscription_id", self.subscription_id.clone())
            .num("virtual_num", self.virtual_num.as_ref())
            .put("extend_num", self.extend_num.clone())
            .num("bind_num", self.bind_num.as_ref())
            .put(
                "display_num_mode",
                self.display_num_mode.map(DisplayMode::wire),
            )
            .put("record_flag", self.record_flag)
            .put("record_hint_tone", self.record_hint_tone.clone())
            .put("callback_tone", self.callback_tone.clone())
            .num("callback_num", self.callback_num.as_ref())
            .put("time_unit", self.time_unit.map(TimeUnit::wire))
            .put("bind_expired_time", self.bind_expired_time)
            .put("callback_expired_time", self.callback_expired_time)
            .put("user_data", self.user_data.clone())
            .done()
    }
}

impl Operation for AxeQuery {
    type Output = AxeRecord;

    fn name(&self) -> &'static str {
        "axe.query"
    }

    fn idempotent(&self) -> bool {
        true
    }

    fn prepare(&self) -> Result<Prepared> {
        let query = match self {
            Self::BySubscriptionId(id) => id_query(id)?,
            Self::ByExtension {
                virtual_num,
                extend_num,
            } => extension_query(*virtual_num, extend_num)?,
        };
        Ok(Prepared {
            method: Method::Get,
            path: AXE_PATH,
            query,
            body: None,
        })
    }

    /// The binding's fields at the top level of the answer (PN §5.4).
    fn parse(&self, resp: &HttpResponse<'_>) -> Result<AxeRecord> {
        let env = Envelope::parse(resp)?;
        Ok(AxeRecord::from_json(env.fields()))
    }
}

// ---------------------------------------------------------------------------
// Arguments by name (see `super::any`)
// ---------------------------------------------------------------------------

fn time_unit_arg(a: &mut Args) -> Result<Option<TimeUnit>> {
    a.text("timeUnit")?
        .map(|v| TimeUnit::from_wire(&v))
        .transpose()
}

/// `subscriptionId`, or `virtualNum` with `extendNum` (both); the two
/// ways at once are refused.
fn target_args(a: &mut Args) -> Result<AxeTarget> {
    if a.has("subscriptionId") {
        for other in ["virtualNum", "extendNum"] {
            if a.has(other) {
                return Err(a.exclusive("subscriptionId", other));
            }
        }
        return Ok(AxeTarget::SubscriptionId(
            a.required_text("subscriptionId")?,
        ));
    }
    let x = a.number("virtualNum")?;
    let e = a.text("extendNum")?;
    match (x, e) {
        (Some(virtual_num), Some(extend_num)) => Ok(AxeTarget::Extension {
            virtual_num,
            extend_num,
        }),
        (Some(_), None) => Err(a.missing("extendNum")),
        (None, Some(_)) => Err(a.missing("virtualNum")),
        (None, None) => Err(a.missing("subscriptionId")),
    }
}

/// `axe.bind` from its arguments.
pub(crate) fn bind_args(a: &mut Args) -> Result<AxeBind> {
    if a.has("virtualNum") && a.has("areaCode") {
        return Err(a.exclusive("virtualNum", "areaCode"));
    }
    if a.has("callbackTone") && a.has("callbackNum") {
        return Err(a.exclusive("callbackTone", "callbackNum"));
    }
    let mut op = AxeBind::new(a.required_number("bindNum")?);
    op.virtual_num = a.number("virtualNum")?;
    op.area_code = a.text("areaCode")?;
    op.extend_num = a.text("extendNum")?;
    op.display_num_mode = display_arg(a, "displayNumMode")?;
    op.record_flag = a.flag("recordFlag")?;
    op.record_hint_tone = a.text("recordHintTone")?;
    op.callback_tone = a.text("callbackTone")?;
    op.callback_num = a.number("callbackNum")?;
    op.time_unit = time_unit_arg(a)?;
    op.bind_expired_time = a.uint("bindExpiredTime")?;
    op.callback_expired_time = a.uint("callbackExpiredTime")?;
    op.user_data = a.text("userData")?;
    Ok(op)
}

/// `axe.unbind` from its arguments.
pub(crate) fn unbind_args(a: &mut Args) -> Result<AxeUnbind> {
    Ok(match target_args(a)? {
        AxeTarget::SubscriptionId(id) => AxeUnbind::BySubscriptionId(id),
        AxeTarget::Extension {
            virtual_num,
            extend_num,
        } => AxeUnbind::ByExtension {
            virtual_num,
            extend_num,
        },
    })
}

/// `axe.modify` from its arguments.
pub(crate) fn modify_args(a: &mut Args) -> Result<AxeModify> {
    let target = target_args(a)?;
    if a.has("callbackTone") && a.has("callbackNum") {
        return Err(a.exclusive("callbackTone", "callbackNum"));
    }
    let mut op = AxeModify::new(target);
    op.display_num_mode = display_arg(a, "displayNumMode")?;
    op.record_flag = a.flag("recordFlag")?;
    op.record_hint_tone = a.text("recordHintTone")?;
    op.callback_tone = a.text("callbackTone")?;
    op.callback_num = a.number("callbackNum")?;
    op.time_unit = time_unit_arg(a)?;
    op.bind_expired_time = a.uint("bindExpiredTime")?;
    op.callback_expired_time = a.uint("callbackExpiredTime")?;
    op.user_data = a.text("userData")?;
    Ok(op)
}

/// `axe.query` from its arguments.
pub(crate) fn query_args(a: &mut Args) -> Result<AxeQuery> {
    Ok(match target_args(a)? {
        AxeTarget::SubscriptionId(id) => AxeQuery::BySubscriptionId(id),
        AxeTarget::Extension {
            virtual_num,
            extend_num,
        } => AxeQuery::ByExtension {
            virtual_num,
            extend_num,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::number::parse;

    fn n(s: &str) -> Number {
        parse(s).unwrap()
    }

    fn ok(body: &str) -> HttpResponse<'_> {
        HttpResponse {
            status: 200,
            location: None,
            body: body.as_bytes(),
        }
    }

    fn bind() -> AxeBind {
        AxeBind::new(n("+8613800000001"))
    }

    fn check(r: Result<Prepared>, kind: ErrorKind, field: Option<&str>, code: Option<&str>) {
        let e = r.unwrap_err();
        assert_eq!(
            (e.kind(), e.field(), e.platform_code()),
            (kind, field, code),
            "{e}"
        );
    }

    #[test]
    fn bind_body_follows_the_spec_order_and_omits_absent_fields() {
        let mut b = bind();
        b.virtual_num = Some(n("17000000012"));
        b.extend_num = Some("0137".into());
        b.display_num_mode = Some(DisplayMode::PrivacyNumber);
        b.record_flag = Some(true);
        b.record_hint_tone = Some("rec.wav".into());
        b.callback_num = Some(n("13900000002"));
        b.time_unit = Some(TimeUnit::Minutes);
        b.bind_expired_time = Some(43_200);
        b.callback_expired_time = Some(60);
        b.user_data = Some("order-42".into());
        let p = b.prepare().unwrap();
        assert_eq!((p.method, p.path), (Method::Post, AXE_PATH));
        assert_eq!(
            p.body.as_deref(),
            Some(
                r#"{"bindNum":"+8613800000001","virtualNum":"+8617000000012","extendNum":"0137","displayNumMode":"0","recordFlag":"true","recordHintTone":"rec.wav","callbackNum":"+8613900000002","timeUnit":"1","bindExpiredTime":43200,"callbackExpiredTime":60,"userData":"order-42"}"#
            )
        );
        assert_eq!(
            bind().prepare().unwrap().body.as_deref(),
            Some(r#"{"bindNum":"+8613800000001"}"#)
        );
        let mut b = bind();
        b.area_code = Some("010".into());
        b.extend_num = Some(String::new());
        b.callback_tone = Some("cb.wav".into());
        assert_eq!(
            b.prepare().unwrap().body.as_deref(),
            Some(r#"{"bindNum":"+8613800000001","areaCode":"010","callbackTone":"cb.wav"}"#)
        );
        assert!(!b.idempotent());
        assert_eq!(b.name(), "axe.bind");
    }

    #[test]
    fn bind_validation_names_the_field() {
        let rv = ErrorKind::RuleViolation;
        let inv = Some("1010002");
        let ia = ErrorKind::InvalidArgument;
        check(AxeBind::new(n("95588")).prepare(), rv, Some("bindNum"), inv);
        let mut b = bind();
        b.virtual_num = Some(n("17000000012"));
        b.area_code = Some("0755".into());
        check(b.prepare(), ia, Some("areaCode"), None);
        let mut b = bind();
        b.extend_num = Some("12".into());
        check(b.prepare(), ia, Some("extendNum"), None);
        for (ext, kind, code) in [
            ("12345", ErrorKind::FieldOutOfBounds, None),
            ("12a", rv, inv),
            ("0000", rv, inv),
        ] {
            let mut b = bind();
            b.virtual_num = Some(n("17000000012"));
            b.extend_num = Some(ext.into());
            check(b.prepare(), kind, Some("extendNum"), code);
        }
        let mut b = bind();
        b.callback_num = Some(n("13900000002"));
        b.callback_tone = Some("cb.wav".into());
        check(b.prepare(), ia, Some("callbackNum"), None);
        let mut b = bind();
        b.callback_tone = Some(String::new());
        check(
            b.prepare(),
            ErrorKind::FieldOutOfBounds,
            Some("callbackTone"),
            None,
        );
        // Hours by default; minutes with timeUnit "1".
        let mut b = bind();
        b.bind_expired_time = Some(721);
        check(b.prepare(), rv, Some("bindExpiredTime"), inv);
        b.time_unit = Some(TimeUnit::Minutes);
        assert!(b.prepare().is_ok());
        b.callback_expired_time = Some(43_201);
        check(b.prepare(), rv, Some("callbackExpiredTime"), inv);
        let mut b = bind();
        b.time_unit = Some(TimeUnit::Hours);
        b.callback_expired_time = Some(721);
        check(b.prepare(), rv, Some("callbackExpiredTime"), inv);
        let mut b = bind();
        b.user_data = Some("中文".into());
        check(b.prepare(), rv, Some("userData"), inv);
        // A service number may be the callback destination.
        let mut b = bind();
        b.callback_num = Some(n("4008001234"));
        assert!(b.prepare().is_ok());
    }

    #[test]
    fn bind_parse() {
        let out = bind()
            .parse(&ok(r#"{"resultcode":"0","resultdesc":"Success","subscriptionId":"b7","virtualNum":"+8617000000012","extendNum":"0137"}"#))
            .unwrap();
        assert_eq!(out.subscription_id, "b7");
        assert_eq!(out.extend_num.as_deref(), Some("0137"));
        assert_eq!(
            out.virtual_num.as_ref().and_then(WireNumber::number),
            Some(n("+8617000000012"))
        );
        let out = bind()
            .parse(&ok(
                r#"{"resultcode":"0","subscriptionId":"b8","extendNum":137}"#,
            ))
            .unwrap();
        assert_eq!(
            (out.extend_num.as_deref(), out.virtual_num),
            (Some("137"), None)
        );
        let e = bind().parse(&ok(r#"{"resultcode":"0"}"#)).unwrap_err();
        assert_eq!(e.field(), Some("subscriptionId"));
        let e = bind()
            .parse(&ok(
                r#"{"resultcode":"1020167","resultdesc":"No idle extend Number."}"#,
            ))
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::PlatformExhausted);
        let e = bind()
            .parse(&ok(r#"{"resultcode":"1013102"}"#))
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::PlatformConflict);
    }

    #[test]
    fn unbind_and_query_parameters() {
        let by_id = AxeUnbind::BySubscriptionId("b7".into());
        assert_eq!(
            by_id.prepare().unwrap().path_and_query(),
            format!("{AXE_PATH}?subscriptionId=b7")
        );
        let by_ext = AxeUnbind::ByExtension {
            virtual_num: n("+8617000000012"),
            extend_num: "0137".into(),
        };
        let p = by_ext.prepare().unwrap();
        assert_eq!(p.method, Method::Delete);
        assert_eq!(
            p.path_and_query(),
            format!("{AXE_PATH}?virtualNum=%2B8617000000012&extendNum=0137")
        );
        assert!(by_ext.idempotent());
        let q = AxeQuery::ByExtension {
            virtual_num: n("+8617000000012"),
            extend_num: "7".into(),
        };
        let p = q.prepare().unwrap();
        assert_eq!(p.method, Method::Get);
        assert_eq!(
            p.path_and_query(),
            format!("{AXE_PATH}?virtualNum=%2B8617000000012&extendNum=7")
        );
        check(
            AxeQuery::BySubscriptionId(String::new()).prepare(),
            ErrorKind::FieldOutOfBounds,
            Some("subscriptionId"),
            None,
        );
        check(
            AxeUnbind::ByExtension {
                virtual_num: n("+8617000000012"),
                extend_num: "x1".into(),
            }
            .prepare(),
            ErrorKind::RuleViolation,
            Some("extendNum"),
            Some("1010002"),
        );
    }

    #[test]
    fn modify_targets_and_changes() {
        let e = AxeModify::new(AxeTarget::SubscriptionId("b7".into()))
            .prepare()
            .unwrap_err();
        assert_eq!((e.kind(), e.field()), (ErrorKind::InvalidArgument, None));
        let mut m = AxeModify::new(AxeTarget::Extension {
            virtual_num: n("+8617000000012"),
            extend_num: "0137".into(),
        });
        m.callback_num = Some(n("13900000003"));
        m.bind_expired_time = Some(720);
        let p = m.prepare().unwrap();
        assert_eq!((p.method, p.path), (Method::Put, AXE_PATH));
        assert_eq!(
            p.body.as_deref(),
            Some(
                r#"{"virtualNum":"+8617000000012","extendNum":"0137","callbackNum":"+8613900000003","bindExpiredTime":720}"#
            )
        );
        assert!(m.idempotent());
        let mut m = AxeModify::new(AxeTarget::SubscriptionId("b7".into()));
        m.bind_expired_time = Some(721);
        check(
            m.prepare(),
            ErrorKind::RuleViolation,
            Some("bindExpiredTime"),
            Some("1010002"),
        );
        m.time_unit = Some(TimeUnit::Minutes);
        assert_eq!(
            m.prepare().unwrap().body.as_deref(),
            Some(r#"{"subscriptionId":"b7","timeUnit":"1","bindExpiredTime":721}"#)
        );
    }

    #[test]
    fn query_parse_is_tolerant() {
        let q = AxeQuery::BySubscriptionId("b7".into());
        let out = q
            .parse(&ok(
                r#"{"resultcode":"0","resultdesc":"Success","subscriptionId":"b7",
                "virtualNum":"+8617000000012","extendNum":"0137","bindNum":"+8613800000001",
                "displayNumMode":"0","recordFlag":"false","recordHintTone":"r.wav",
                "callbackTone":"cb.wav","callbackNum":"","timeUnit":1,"bindExpiredTime":"1440",
                "callbackExpiredTime":60,"userData":"u","other":{"x":1}}"#,
            ))
            .unwrap();
        assert_eq!(out.subscription_id.as_deref(), Some("b7"));
        assert_eq!(out.extend_num.as_deref(), Some("0137"));
        assert_eq!(out.display_num_mode, Some(DisplayMode::PrivacyNumber));
        assert_eq!(out.record_flag, Some(false));
        assert_eq!(out.callback_num, None);
        assert_eq!(out.time_unit, Some(TimeUnit::Minutes));
        assert_eq!(
            (out.bind_expired_time, out.callback_expired_time),
            (Some(1440), Some(60))
        );
        let odd = q
            .parse(&ok(
                r#"{"resultcode":"0","timeUnit":"2","displayNumMode":true,"bindExpiredTime":-1}"#,
            ))
            .unwrap();
        assert_eq!(odd, AxeRecord::default());
        let e = q
            .parse(&ok(
                r#"{"resultcode":"1012007","resultdesc":"The record does not exist."}"#,
            ))
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::PlatformNotFound);
    }

    #[test]
    fn operations_by_name() {
        use crate::client::any::AnyOperation;
        use serde_json::json;
        let op = AnyOperation::from_json(
            "axe.query",
            &json!({"virtual_num": "170 0000 0012", "extend_num": 137}),
        )
        .unwrap();
        assert_eq!((op.name(), op.idempotent()), ("axe.query", true));
        assert_eq!(
            op.prepare().unwrap().path_and_query(),
            format!("{AXE_PATH}?virtualNum=%2B8617000000012&extendNum=137")
        );
        let out = op
            .parse(&ok(
                r#"{"resultcode":"0","subscriptionId":"b7","timeUnit":"0","displayNumMode":"0"}"#,
            ))
            .unwrap();
        assert_eq!(
            out,
            json!({"subscription_id": "b7", "display_num_mode": "0", "time_unit": "0"})
        );
        let err = |name: &str, args: Value| AnyOperation::from_json(name, &args).unwrap_err();
        let e = err(
            "axe.bind",
            json!({"bindNum": "13800000001", "virtualNum": "17000000012", "areaCode": "0755"}),
        );
        assert_eq!(
            (e.kind(), e.field()),
            (ErrorKind::InvalidArgument, Some("areaCode"))
        );
        let e = err(
            "axe.modify",
            json!({"subscriptionId": "b7", "extendNum": "1"}),
        );
        assert_eq!(e.field(), Some("extendNum"));
        let e = err("axe.unbind", json!({"extendNum": "0137"}));
        assert_eq!(e.field(), Some("virtualNum"));
        let e = err(
            "axe.bind",
            json!({"bindNum": "13800000001", "bindExpiredTime": "-1"}),
        );
        assert_eq!(e.field(), Some("bindExpiredTime"));
    }

    #[test]
    fn time_unit_wire() {
        for u in [TimeUnit::Hours, TimeUnit::Minutes] {
            assert_eq!(TimeUnit::from_wire(u.wire()), Ok(u));
        }
        assert_eq!(
            TimeUnit::from_wire("h").unwrap_err().field(),
            Some("timeUnit")
        );
    }
}
