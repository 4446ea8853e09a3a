//! AXB mode (PN §3): A and B talk through one X. Bind, unbind, modify,
//! query, all on `/rest/caas/relationnumber/partners/v1.0`.
//!
//! | operation | method | idempotent | output |
//! |---|---|---|---|
//! | [`AxbBind`] | POST | no: settle an unknown outcome with [`AxbQuery`] | [`AxbBound`] |
//! | [`AxbUnbind`] | DELETE (query) | yes | `()` |
//! | [`AxbModify`] | PUT | yes | `()` |
//! | [`AxbQuery`] | GET (query) | yes | [`AxbBindings`] |
//!
//! Numbers are [`Number`]s and are sent in global format (`+86…`); in a
//! query string the `+` is sent as `%2B`. Booleans are sent as the strings
//! `"true"`/`"false"` (PN §1). Optional fields left `None` are not sent.
//!
//! `prepare` checks every field against the specification before anything is
//! sent, and names the wire field at fault ([`Error::field`]):
//!
//! * bounds the platform answers with 1010002 (`duration`, `maxDuration`,
//!   `userData`, `callDirection`, a service number as A or B, A equal to B)
//!   are [`ErrorKind::RuleViolation`] with platform code `"1010002"`, exactly
//!   as the engine reports them;
//! * text longer than its field (`String(a-b)`) is
//!   [`ErrorKind::FieldOutOfBounds`];
//! * other malformed arguments (an area code that is not digits, a page
//!   outside its range, a modification that changes nothing) are
//!   [`ErrorKind::InvalidArgument`].

use serde::Serialize;
use serde_json::{Map, Value};

use super::wire::{
    area_code, body, bool_wire, duration, lenient_u32, max_duration, number_in, party,
    subscription_id, tone_0_128, tone_1_128, user_data,
};
use super::{
    Envelope, HttpResponse, Method, Operation, Prepared, WireNumber, invalid_field, lenient_bool,
    lenient_direction, lenient_text, lenient_u64,
};
use crate::engine::model::Direction;
use crate::engine::rules::Violation;
use crate::error::{Error, ErrorKind, Result};
use crate::number::{Field, Number};

/// The path of every AXB operation.
pub const AXB_PATH: &str = "/rest/caas/relationnumber/partners/v1.0";

/// Smallest `pageSize` of a query (PN §3.4).
pub const PAGE_SIZE_MIN: u32 = 10;
/// Largest `pageSize` of a query (PN §3.4).
pub const PAGE_SIZE_MAX: u32 = 100;

/// `areaMatchMode`: how the platform chooses X when it chooses (PN §3.1).
/// Absent means strict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AreaMatchMode {
    /// `"0"`: only an X of the requested (or A's) area.
    Strict,
    /// `"1"`: fall back to other areas when that area has no idle X.
    Fallback,
}

impl AreaMatchMode {
    /// The wire value, `"0"` or `"1"`.
    #[must_use]
    pub const fn wire(self) -> &'static str {
        match self {
            Self::Strict => "0",
            Self::Fallback => "1",
        }
    }

    /// From the wire value `"0"` or `"1"`; anything else is
    /// [`ErrorKind::InvalidArgument`] naming `areaMatchMode`.
    pub fn from_wire(value: &str) -> Result<Self> {
        match value {
            "0" => Ok(Self::Strict),
            "1" => Ok(Self::Fallback),
            _ => Err(invalid_field(
                "areaMatchMode",
                format!("areaMatchMode must be \"0\" or \"1\", got {value:?}"),
            )),
        }
    }
}

/// `preVoice` (ApiPlayInfo): announcement files played before connecting.
/// A field left `None` is not sent; at least one must be set.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct PreVoice {
    /// `callerHintTone`: played when A calls X. String(0-128).
    pub caller_hint_tone: Option<String>,
    /// `calleeHintTone`: played when B calls X. String(0-128).
    pub callee_hint_tone: Option<String>,
}

#[derive(Serialize)]
struct PreVoiceWire<'a> {
    #[serde(rename = "callerHintTone", skip_serializing_if = "Option::is_none")]
    caller_hint_tone: Option<&'a str>,
    #[serde(rename = "calleeHintTone", skip_serializing_if = "Option::is_none")]
    callee_hint_tone: Option<&'a str>,
}

impl PreVoice {
    fn check(&self) -> Result<PreVoiceWire<'_>> {
        if self.caller_hint_tone.is_none() && self.callee_hint_tone.is_none() {
            return Err(invalid_field(
                "preVoice",
                "preVoice needs callerHintTone or calleeHintTone; leave preVoice out otherwise",
            ));
        }
        let caller = tone_0_128(self.caller_hint_tone.as_deref(), "callerHintTone")?;
        let callee = tone_0_128(self.callee_hint_tone.as_deref(), "calleeHintTone")?;
        Ok(PreVoiceWire {
            caller_hint_tone: caller,
            callee_hint_tone: callee,
        })
    }

    /// Read tolerantly: an object with string tones; `None` when neither
    /// tone is there.
    fn from_json(v: &Value) -> Option<Self> {
        let obj = v.as_object()?;
        let text = |k: &str| obj.get(k).and_then(Value::as_str).map(str::to_owned);
        let p = Self {
            caller_hint_tone: text("callerHintTone"),
            callee_hint_tone: text("calleeHintTone"),
        };
        (p.caller_hint_tone.is_some() || p.callee_hint_tone.is_some()).then_some(p)
    }
}

// ---------------------------------------------------------------------------
// Field checks
// ---------------------------------------------------------------------------

fn different(a: Number, b: Number) -> Result<()> {
    if a == b {
        return Err(Error::from(Violation::invalid(
            "calleeNum",
            "callerNum and calleeNum must be different numbers",
        )));
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Bind
// ---------------------------------------------------------------------------

/// Bind A and B through an X (PN §3.1): POST, not idempotent.
///
/// Build it with [`AxbBind::new`], then set the optional fields. If the
/// outcome of an attempt is unknown (timeout, lost connection,
/// [`ErrorKind::PlatformRetry`], or even [`ErrorKind::ResponseInvalid`] for
/// a success without `subscriptionId`), do not send it again: query
/// ([`AxbQuery::on_x`] with A and B) to learn whether it bound.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct AxbBind {
    /// `callerNum`: A. String(4-31).
    pub caller_num: Number,
    /// `calleeNum`: B. String(4-31).
    pub callee_num: Number,
    /// `relationNum`: bind on this X (one the application owns). String(4-31).
    pub relation_num: Option<Number>,
    /// `areaCode`: let the platform choose an idle X of this city (`"0755"`).
    /// With a mobile A, a given `relationNum` wins.
    pub area_code: Option<String>,
    /// `areaMatchMode`: strict (default) or with fall-back to other areas.
    pub area_match_mode: Option<AreaMatchMode>,
    /// `callDirection`: who may call whom (default both).
    pub call_direction: Option<Direction>,
    /// `duration`: binding lifetime in seconds, 0–7 776 000 (0 = never expires).
    pub duration: Option<u64>,
    /// `recordFlag`: record calls (if the application may record).
    pub record_flag: Option<bool>,
    /// `recordHintTone`: recording announcement file. String(1-128).
    pub record_hint_tone: Option<String>,
    /// `maxDuration`: per-call limit in minutes, 0–1440 (0 = none).
    pub max_duration: Option<u32>,
    /// `lastMinVoice`: tone when one minute remains. String(0-128).
    pub last_min_voice: Option<String>,
    /// `privateSms`: allow SMS through X (absent = allowed).
    pub private_sms: Option<bool>,
    /// `preVoice`: announcements before connecting.
    pub pre_voice: Option<PreVoice>,
    /// `userData`: echoed in this binding's pushes. 1–256 printable ASCII
    /// characters without `{`, `}` or `^`.
    pub user_data: Option<String>,
}

impl AxbBind {
    /// Bind A (`caller_num`) and B (`callee_num`); every other field absent
    /// (the platform picks X by A's area, strictly).
    #[must_use]
    pub fn new(caller_num: Number, callee_num: Number) -> Self {
        Self {
            caller_num,
            callee_num,
            relation_num: None,
            area_code: None,
            area_match_mode: None,
            call_direction: None,
            duration: None,
            record_flag: None,
            record_hint_tone: None,
            max_duration: None,
            last_min_voice: None,
            private_sms: None,
            pre_voice: None,
            user_data: None,
        }
    }
}

/// The bind body, in the order of PN §3.1.
#[derive(Serialize)]
struct BindWire<'a> {
    #[serde(rename = "callerNum")]
    caller_num: String,
    #[serde(rename = "calleeNum")]
    callee_num: String,
    #[serde(rename = "relationNum", skip_serializing_if = "Option::is_none")]
    relation_num: Option<String>,
    #[serde(rename = "areaCode", skip_serializing_if = "Option::is_none")]
    area_code: Option<&'a str>,
    #[serde(rename = "areaMatchMode", skip_serializing_if = "Option::is_none")]
    area_match_mode: Option<&'static str>,
    #[serde(rename = "callDirection", skip_serializing_if = "Option::is_none")]
    call_direction: Option<u32>,
    #[serde(rename = "duration", skip_serializing_if = "Option::is_none")]
    duration: Option<u64>,
    #[serde(rename = "recordFlag", skip_serializing_if = "Option::is_none")]
    record_flag: Option<&'static str>,
    #[serde(rename = "recordHintTone", skip_serializing_if = "Option::is_none")]
    record_hint_tone: Option<&'a str>,
    #[serde(rename = "maxDuration", skip_serializing_if = "Option::is_none")]
    max_duration: Option<u32>,
    #[serde(rename = "lastMinVoice", skip_serializing_if = "Option::is_none")]
    last_min_voice: Option<&'a str>,
    #[serde(rename = "privateSms", skip_serializing_if = "Option::is_none")]
    private_sms: Option<&'static str>,
    #[serde(rename = "preVoice", skip_serializing_if = "Option::is_none")]
    pre_voice: Option<PreVoiceWire<'a>>,
    #[serde(rename = "userData", skip_serializing_if = "Option::is_none")]
    user_data: Option<&'a str>,
}

/// A successful bind: the new binding's id, its X and what the platform
/// echoed. Only `subscription_id` is required; the rest is read tolerantly
/// (a field that is absent or of an unexpected type is `None`), because the
/// binding exists whatever else the answer says.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct AxbBound {
    /// `subscriptionId`: store it; unbind, modify and query use it.
    pub subscription_id: String,
    /// `relationNum`: the X actually bound.
    pub relation_num: Option<WireNumber>,
    /// `callerNum`, if echoed (unconfirmed in the specification).
    pub caller_num: Option<WireNumber>,
    /// `calleeNum`, if echoed (unconfirmed in the specification).
    pub callee_num: Option<WireNumber>,
    /// `callDirection`, if echoed.
    pub call_direction: Option<Direction>,
    /// `duration` in seconds, if echoed.
    pub duration: Option<u64>,
    /// `maxDuration` in minutes, if echoed.
    pub max_duration: Option<u32>,
    /// `preVoice`, if echoed.
    pub pre_voice: Option<PreVoice>,
}

impl Operation for AxbBind {
    type Output = AxbBound;

    fn name(&self) -> &'static str {
        "axb.bind"
    }

    /// False: a bind whose outcome is unknown is settled by a query.
    fn idempotent(&self) -> bool {
        false
    }

    fn prepare(&self) -> Result<Prepared> {
        let caller_num = party(self.caller_num, Field::AxbCallerNum, "callerNum")?;
        let callee_num = party(self.callee_num, Field::AxbCalleeNum, "calleeNum")?;
        different(self.caller_num, self.callee_num)?;
        let relation_num = self
            .relation_num
            .map(|x| number_in(x, Field::AxbRelationNum, "relationNum"))
            .transpose()?;
        let wire = BindWire {
            caller_num,
            callee_num,
            relation_num,
            area_code: self.area_code.as_deref().map(area_code).transpose()?,
            area_match_mode: self.area_match_mode.map(AreaMatchMode::wire),
            call_direction: self.call_direction.map(Direction::code),
            duration: duration(self.duration)?,
            record_flag: self.record_flag.map(bool_wire),
            record_hint_tone: tone_1_128(self.record_hint_tone.as_deref(), "recordHintTone")?,
            max_duration: max_duration(self.max_duration)?,
            last_min_voice: tone_0_128(self.last_min_voice.as_deref(), "lastMinVoice")?,
            private_sms: self.private_sms.map(bool_wire),
            pre_voice: self.pre_voice.as_ref().map(PreVoice::check).transpose()?,
            user_data: user_data(self.user_data.as_deref())?,
        };
        Ok(Prepared {
            method: Method::Post,
            path: AXB_PATH,
            query: Vec::new(),
            body: Some(body(&wire)?),
        })
    }

    fn parse(&self, resp: &HttpResponse<'_>) -> Result<AxbBound> {
        let env = Envelope::parse(resp)?;
        let subscription_id = env.required_text("subscriptionId")?;
        let f = env.fields();
        Ok(AxbBound {
            subscription_id,
            relation_num: f.get("relationNum").and_then(WireNumber::from_json),
            caller_num: f.get("callerNum").and_then(WireNumber::from_json),
            callee_num: f.get("calleeNum").and_then(WireNumber::from_json),
            call_direction: f.get("callDirection").and_then(lenient_direction),
            duration: f.get("duration").and_then(lenient_u64),
            max_duration: f.get("maxDuration").and_then(lenient_u32),
            pre_voice: f.get("preVoice").and_then(PreVoice::from_json),
        })
    }
}

// ---------------------------------------------------------------------------
// Unbind
// ---------------------------------------------------------------------------

/// Remove bindings (PN §3.2): DELETE, idempotent.
///
/// A retried unbind whose first attempt went through answers "not found"
/// ([`ErrorKind::PlatformNotFound`]); treat that as done.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AxbUnbind {
    /// `subscriptionId`: remove exactly this binding.
    BySubscriptionId(String),
    /// `relationNum` alone: remove **every** binding on this X. Re-sending
    /// it also removes bindings made on X in between.
    EverythingOnX(Number),
}

impl Operation for AxbUnbind {
    type Output = ();

    fn name(&self) -> &'static str {
        match self {
            Self::BySubscriptionId(_) => "axb.unbind",
            Self::EverythingOnX(_) => "axb.unbind_all_on_x",
        }
    }

    fn idempotent(&self) -> bool {
        true
    }

    fn prepare(&self) -> Result<Prepared> {
        let query = match self {
            Self::BySubscriptionId(id) => {
                vec![("subscriptionId", subscription_id(id)?.to_owned())]
            }
            Self::EverythingOnX(x) => {
                vec![(
                    "relationNum",
                    number_in(*x, Field::AxbRelationNum, "relationNum")?,
                )]
            }
        };
        Ok(Prepared {
            method: Method::Delete,
            path: AXB_PATH,
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

/// Change a binding (PN §3.3): PUT, idempotent (re-sending the same change
/// gives the same binding; a new `duration` restarts its timer again).
///
/// Build it with [`AxbModify::new`] and set at least one change; fields left
/// `None` stay as they are. A new A or B that is already bound on that X
/// is refused with 1012010 ([`ErrorKind::PlatformConflict`]).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct AxbModify {
    /// `subscriptionId`: the binding to change. String(1-64).
    pub subscription_id: String,
    /// `callerNum`: new A.
    pub caller_num: Option<Number>,
    /// `calleeNum`: new B.
    pub callee_num: Option<Number>,
    /// `callDirection`.
    pub call_direction: Option<Direction>,
    /// `duration`: new lifetime in seconds, counted from the modification.
    pub duration: Option<u64>,
    /// `maxDuration`: per-call limit in minutes, 0–1440.
    pub max_duration: Option<u32>,
    /// `lastMinVoice`. String(0-128).
    pub last_min_voice: Option<String>,
    /// `privateSms`.
    pub private_sms: Option<bool>,
    /// `recordFlag`.
    pub record_flag: Option<bool>,
    /// `preVoice`.
    pub pre_voice: Option<PreVoice>,
    /// `userData`.
    pub user_data: Option<String>,
}

impl AxbModify {
    /// A modification of binding `subscription_id` that changes nothing yet.
    #[must_use]
    pub fn new(subscription_id: impl Into<String>) -> Self {
        Self {
            subscription_id: subscription_id.into(),
            caller_num: None,
            callee_num: None,
            call_direction: None,
            duration: None,
            max_duration: None,
            last_min_voice: None,
            private_sms: None,
            record_flag: None,
            pre_voice: None,
            user_data: None,
        }
    }

    fn changes_something(&self) -> bool {
        self.caller_num.is_some()
            || self.callee_num.is_some()
            || self.call_direction.is_some()
            || self.duration.is_some()
            || self.max_duration.is_some()
            || self.last_min_voice.is_some()
            || self.private_sms.is_some()
            || self.record_flag.is_some()
            || self.pre_voice.is_some()
            || self.user_data.is_some()
    }
}

/// The modify body, in the order of PN §3.3.
#[derive(Serialize)]
struct ModifyWire<'a> {
    #[serde(rename = "subscriptionId")]
    subscription_id: &'a str,
    #[serde(rename = "callerNum", skip_serializing_if = "Option::is_none")]
    caller_num: Option<String>,
    #[serde(rename = "calleeNum", skip_serializing_if = "Option::is_none")]
    callee_num: Option<String>,
    #[serde(rename = "callDirection", skip_serializing_if = "Option::is_none")]
    call_direction: Option<u32>,
    #[serde(rename = "duration", skip_serializing_if = "Option::is_none")]
    duration: Option<u64>,
    #[serde(rename = "maxDuration", skip_serializing_if = "Option::is_none")]
    max_duration: Option<u32>,
    #[serde(rename = "lastMinVoice", skip_serializing_if = "Option::is_none")]
    last_min_voice: Option<&'a str>,
    #[serde(rename = "privateSms", skip_serializing_if = "Option::is_none")]
    private_sms: Option<&'static str>,
    #[serde(rename = "recordFlag", skip_serializing_if = "Option::is_none")]
    record_flag: Option<&'static str>,
    #[serde(rename = "preVoice", skip_serializing_if = "Option::is_none")]
    pre_voice: Option<PreVoiceWire<'a>>,
    #[serde(rename = "userData", skip_serializing_if = "Option::is_none")]
    user_data: Option<&'a str>,
}

impl Operation for AxbModify {
    type Output = ();

    fn name(&self) -> &'static str {
        "axb.modify"
    }

    fn idempotent(&self) -> bool {
        true
    }

    fn prepare(&self) -> Result<Prepared> {
        let subscription_id = subscription_id(&self.subscription_id)?;
        if !self.changes_something() {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                "a modification must change at least one field besides subscriptionId",
            ));
        }
        let caller_num = self
            .caller_num
            .map(|a| party(a, Field::AxbCallerNum, "callerNum"))
            .transpose()?;
        let callee_num = self
            .callee_num
            .map(|b| party(b, Field::AxbCalleeNum, "calleeNum"))
            .transpose()?;
        if let (Some(a), Some(b)) = (self.caller_num, self.callee_num) {
            different(a, b)?;
        }
        let wire = ModifyWire {
            subscription_id,
            caller_num,
            callee_num,
            call_direction: self.call_direction.map(Direction::code),
            duration: duration(self.duration)?,
            max_duration: max_duration(self.max_duration)?,
            last_min_voice: tone_0_128(self.last_min_voice.as_deref(), "lastMinVoice")?,
            private_sms: self.private_sms.map(bool_wire),
            record_flag: self.record_flag.map(bool_wire),
            pre_voice: self.pre_voice.as_ref().map(PreVoice::check).transpose()?,
            user_data: user_data(self.user_data.as_deref())?,
        };
        Ok(Prepared {
            method: Method::Put,
            path: AXB_PATH,
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

/// Look bindings up (PN §3.4): GET, idempotent.
///
/// "Nothing found" is reported by the platform as an error code
/// ([`ErrorKind::PlatformNotFound`] for 1012007/1016001; some deployments
/// answer 1010002, [`ErrorKind::PlatformInvalidRequest`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AxbQuery {
    /// `subscriptionId`: one binding.
    BySubscriptionId(String),
    /// `relationNum`: the bindings on X, optionally narrowed to A and/or B,
    /// one page at a time.
    OnX {
        /// `relationNum`: X. String(4-31).
        relation_num: Number,
        /// `callerNum`: only bindings with this A. String(4-128).
        caller_num: Option<Number>,
        /// `calleeNum`: only bindings with this B. String(4-128).
        callee_num: Option<Number>,
        /// `pageIndex`: from 1 (default 1).
        page_index: Option<u32>,
        /// `pageSize`: [`PAGE_SIZE_MIN`]–[`PAGE_SIZE_MAX`] (the platform's
        /// default is 50; privnum refuses values it would silently replace).
        page_size: Option<u32>,
    },
}

impl AxbQuery {
    /// The bindings on `relation_num`, no filter, default paging.
    #[must_use]
    pub fn on_x(relation_num: Number) -> Self {
        Self::OnX {
            relation_num,
            caller_num: None,
            callee_num: None,
            page_index: None,
            page_size: None,
        }
    }
}

/// One binding of a query answer, read tolerantly: every field is optional,
/// a field of an unexpected type is `None`, unknown fields are ignored.
/// (The list's schema is unconfirmed in the specification.)
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct AxbRecord {
    /// `subscriptionId`.
    pub subscription_id: Option<String>,
    /// `relationNum`: X.
    pub relation_num: Option<WireNumber>,
    /// `callerNum`: A.
    pub caller_num: Option<WireNumber>,
    /// `calleeNum`: B.
    pub callee_num: Option<WireNumber>,
    /// `callDirection`.
    pub call_direction: Option<Direction>,
    /// `duration` in seconds.
    pub duration: Option<u64>,
    /// `maxDuration` in minutes.
    pub max_duration: Option<u32>,
    /// `recordFlag` (a boolean, `"true"`/`"false"` or 0/1 on the wire).
    pub record_flag: Option<bool>,
    /// `recordHintTone`.
    pub record_hint_tone: Option<String>,
    /// `lastMinVoice`.
    pub last_min_voice: Option<String>,
    /// `privateSms`.
    pub private_sms: Option<bool>,
    /// `preVoice`.
    pub pre_voice: Option<PreVoice>,
    /// `userData`.
    pub user_data: Option<String>,
}

impl AxbRecord {
    fn from_json(obj: &Map<String, Value>) -> Self {
        let text = |k: &str| obj.get(k).and_then(Value::as_str).map(str::to_owned);
        Self {
            subscription_id: obj.get("subscriptionId").and_then(lenient_text),
            relation_num: obj.get("relationNum").and_then(WireNumber::from_json),
            caller_num: obj.get("callerNum").and_then(WireNumber::from_json),
            callee_num: obj.get("calleeNum").and_then(WireNumber::from_json),
            call_direction: obj.get("callDirection").and_then(lenient_direction),
            duration: obj.get("duration").and_then(lenient_u64),
            max_duration: obj.get("maxDuration").and_then(lenient_u32),
            record_flag: obj.get("recordFlag").and_then(lenient_bool),
            record_hint_tone: text("recordHintTone"),
            last_min_voice: text("lastMinVoice"),
            private_sms: obj.get("privateSms").and_then(lenient_bool),
            pre_voice: obj.get("preVoice").and_then(PreVoice::from_json),
            user_data: text("userData"),
        }
    }
}

/// A query answer: the bindings found on this page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct AxbBindings {
    /// `totalCount`: bindings matching the query over all pages, if given.
    pub total_count: Option<u64>,
    /// `relationNumList`: the bindings of this page, in the platform's order.
    pub bindings: Vec<AxbRecord>,
    /// List entries that were not JSON objects and were left out.
    pub skipped: usize,
}

impl Operation for AxbQuery {
    type Output = AxbBindings;

    fn name(&self) -> &'static str {
        match self {
            Self::BySubscriptionId(_) => "axb.query",
            Self::OnX { .. } => "axb.query_on_x",
        }
    }

    fn idempotent(&self) -> bool {
        true
    }

    fn prepare(&self) -> Result<Prepared> {
        let query = match self {
            Self::BySubscriptionId(id) => {
                vec![("subscriptionId", subscription_id(id)?.to_owned())]
            }
            Self::OnX {
                relation_num,
                caller_num,
                callee_num,
                page_index,
                page_size,
            } => {
                let mut q = vec![(
                    "relationNum",
                    number_in(*relation_num, Field::AxbRelationNum, "relationNum")?,
                )];
                if let Some(a) = caller_num {
                    q.push((
                        "callerNum",
                        number_in(*a, Field::AxbQueryPartyNum, "callerNum")?,
                    ));
                }
                if let Some(b) = callee_num {
                    q.push((
                        "calleeNum",
                        number_in(*b, Field::AxbQueryPartyNum, "calleeNum")?,
                    ));
                }
                if let Some(i) = *page_index {
                    if i == 0 {
                        return Err(invalid_field("pageIndex", "pageIndex counts from 1, got 0"));
                    }
                    q.push(("pageIndex", i.to_string()));
                }
                if let Some(s) = *page_size {
                    if !(PAGE_SIZE_MIN..=PAGE_SIZE_MAX).contains(&s) {
                        return Err(invalid_field(
                            "pageSize",
                            format!(
                                "pageSize must be {PAGE_SIZE_MIN}-{PAGE_SIZE_MAX}, got {s} \
                                 (the platform would silently use 50)"
                            ),
                        ));
                    }
                    q.push(("pageSize", s.to_string()));
                }
                q
            }
        };
        Ok(Prepared {
            method: Method::Get,
            path: AXB_PATH,
            query,
            body: None,
        })
    }

    /// Reads `totalCount` and `relationNumList` tolerantly: a list entry that
    /// is not an object is counted in [`AxbBindings::skipped`]; a single
    /// object instead of a list is one binding; without a list, an answer
    /// that carries `subscriptionId` at the top is read as that one binding.
    fn parse(&self, resp: &HttpResponse<'_>) -> Result<AxbBindings> {
        let env = Envelope::parse(resp)?;
        let mut out = AxbBindings {
            total_count: env.get("totalCount").and_then(lenient_u64),
            ..AxbBindings::default()
        };
        match env.get("relationNumList") {
            Some(Value::Array(items)) => {
                for item in items {
                    match item {
                        Value::Object(obj) => out.bindings.push(AxbRecord::from_json(obj)),
                        _ => out.skipped += 1,
                    }
                }
            }
            Some(Value::Object(obj)) => out.bindings.push(AxbRecord::from_json(obj)),
            Some(Value::Null) | None if env.get("subscriptionId").is_some() => {
                out.bindings.push(AxbRecord::from_json(env.fields()));
            }
            _ => {}
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::{HttpResponse, Operation};
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

    fn bind() -> AxbBind {
        AxbBind::new(n("+8613800000001"), n("+8613900000002"))
    }

    #[test]
    fn bind_body_follows_the_spec_order_and_omits_absent_fields() {
        let mut b = bind();
        b.relation_num = Some(n("17000000010"));
        b.area_code = Some("0755".into());
        b.area_match_mode = Some(AreaMatchMode::Fallback);
        b.call_direction = Some(Direction::Both);
        b.duration = Some(86_400);
        b.record_flag = Some(true);
        b.record_hint_tone = Some("rec.wav".into());
        b.max_duration = Some(30);
        b.last_min_voice = Some(String::new());
        b.private_sms = Some(false);
        b.pre_voice = Some(PreVoice {
            caller_hint_tone: Some("wait_a.wav".into()),
            callee_hint_tone: None,
        });
        b.user_data = Some("order-42".into());
        let p = b.prepare().unwrap();
        assert_eq!((p.method, p.path), (Method::Post, AXB_PATH));
        assert!(p.query.is_empty());
        assert_eq!(
            p.body.as_deref(),
            Some(
                r#"{"callerNum":"+8613800000001","calleeNum":"+8613900000002","relationNum":"+8617000000010","areaCode":"0755","areaMatchMode":"1","callDirection":0,"duration":86400,"recordFlag":"true","recordHintTone":"rec.wav","maxDuration":30,"lastMinVoice":"","privateSms":"false","preVoice":{"callerHintTone":"wait_a.wav"},"userData":"order-42"}"#
            )
        );
        assert_eq!(
            bind().prepare().unwrap().body.as_deref(),
            Some(r#"{"callerNum":"+8613800000001","calleeNum":"+8613900000002"}"#)
        );
        assert!(!bind().idempotent());
        assert_eq!(bind().name(), "axb.bind");
    }

    #[test]
    fn bind_validation_names_the_field() {
        let check = |b: AxbBind, kind: ErrorKind, field: &str, code: Option<&str>| {
            let e = b.prepare().unwrap_err();
            assert_eq!(
                (e.kind(), e.field(), e.platform_code()),
                (kind, Some(field), code),
                "{e}"
            );
        };
        let rv = ErrorKind::RuleViolation;
        let inv = Some("1010002");
        check(
            AxbBind::new(n("+8613800000001"), n("+8613800000001")),
            rv,
            "calleeNum",
            inv,
        );
        check(
            AxbBind::new(n("95588"), n("+8613900000002")),
            rv,
            "callerNum",
            inv,
        );
        check(
            AxbBind::new(n("+8613800000001"), n("4008001234")),
            rv,
            "calleeNum",
            inv,
        );
        let mut b = bind();
        b.duration = Some(7_776_001);
        check(b, rv, "duration", inv);
        let mut b = bind();
        b.max_duration = Some(1441);
        check(b, rv, "maxDuration", inv);
        let mut b = bind();
        b.user_data = Some("{json}".into());
        check(b, rv, "userData", inv);
        let mut b = bind();
        b.area_code = Some("07a5".into());
        check(b, ErrorKind::InvalidArgument, "areaCode", None);
        let mut b = bind();
        b.area_code = Some(String::new());
        check(b, ErrorKind::InvalidArgument, "areaCode", None);
        let mut b = bind();
        b.record_hint_tone = Some(String::new());
        check(b, ErrorKind::FieldOutOfBounds, "recordHintTone", None);
        let mut b = bind();
        b.last_min_voice = Some("x".repeat(129));
        check(b, ErrorKind::FieldOutOfBounds, "lastMinVoice", None);
        let mut b = bind();
        b.pre_voice = Some(PreVoice {
            caller_hint_tone: None,
            callee_hint_tone: Some("é".repeat(129)),
        });
        check(b, ErrorKind::FieldOutOfBounds, "calleeHintTone", None);
        let mut b = bind();
        b.pre_voice = Some(PreVoice::default());
        check(b, ErrorKind::InvalidArgument, "preVoice", None);
        // Bounds hold exactly at the limits.
        let mut b = bind();
        b.duration = Some(7_776_000);
        b.max_duration = Some(1440);
        b.last_min_voice = Some("é".repeat(128));
        b.user_data = Some("u".repeat(256));
        assert!(b.prepare().is_ok());
    }

    #[test]
    fn bind_parse_reads_echoes_tolerantly() {
        let out = bind()
            .parse(&ok(r#"{"resultcode":"0","resultdesc":"Success","subscriptionId":"3f1c","relationNum":"+8617000000010","callDirection":"1","duration":86400,"maxDuration":"x","preVoice":{"callerHintTone":"a.wav","calleeHintTone":7},"callerNum":"not a number","extra":[1]}"#))
            .unwrap();
        assert_eq!(out.subscription_id, "3f1c");
        assert_eq!(
            out.relation_num.as_ref().and_then(WireNumber::number),
            Some(n("+8617000000010"))
        );
        assert_eq!(out.call_direction, Some(Direction::AToB));
        assert_eq!(out.duration, Some(86_400));
        assert_eq!(out.max_duration, None);
        assert_eq!(
            out.pre_voice,
            Some(PreVoice {
                caller_hint_tone: Some("a.wav".into()),
                callee_hint_tone: None
            })
        );
        assert_eq!(
            out.caller_num.as_ref().and_then(WireNumber::raw),
            Some("not a number")
        );
        assert_eq!(out.callee_num, None);
        for body in [
            r#"{"resultcode":"0"}"#,
            r#"{"resultcode":"0","subscriptionId":""}"#,
            r#"{"resultcode":"0","subscriptionId":{"id":1}}"#,
        ] {
            let e = bind().parse(&ok(body)).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::ResponseInvalid, "{body}");
            assert_eq!(e.field(), Some("subscriptionId"));
        }
    }

    #[test]
    fn unbind_queries() {
        let p = AxbUnbind::BySubscriptionId("3f1c-9a".into())
            .prepare()
            .unwrap();
        assert_eq!(p.method, Method::Delete);
        assert_eq!(
            p.path_and_query(),
            format!("{AXB_PATH}?subscriptionId=3f1c-9a")
        );
        let all = AxbUnbind::EverythingOnX(n("17000000010"));
        assert_eq!(
            all.prepare().unwrap().path_and_query(),
            format!("{AXB_PATH}?relationNum=%2B8617000000010")
        );
        assert!(all.idempotent());
        assert_eq!(all.name(), "axb.unbind_all_on_x");
        for id in ["", &"x".repeat(65)] {
            let e = AxbUnbind::BySubscriptionId(id.to_owned())
                .prepare()
                .unwrap_err();
            assert_eq!(
                (e.kind(), e.field()),
                (ErrorKind::FieldOutOfBounds, Some("subscriptionId"))
            );
        }
        assert_eq!(all.parse(&ok(r#"{"resultcode":"0"}"#)), Ok(()));
    }

    #[test]
    fn modify_needs_a_change_and_keeps_the_spec_order() {
        let e = AxbModify::new("s1").prepare().unwrap_err();
        assert_eq!((e.kind(), e.field()), (ErrorKind::InvalidArgument, None));
        let mut m = AxbModify::new("s1");
        m.user_data = Some("u1".into());
        m.record_flag = Some(false);
        m.callee_num = Some(n("13900000003"));
        m.duration = Some(0);
        m.pre_voice = Some(PreVoice {
            caller_hint_tone: None,
            callee_hint_tone: Some("b.wav".into()),
        });
        let p = m.prepare().unwrap();
        assert_eq!(p.method, Method::Put);
        assert_eq!(
            p.body.as_deref(),
            Some(
                r#"{"subscriptionId":"s1","calleeNum":"+8613900000003","duration":0,"recordFlag":"false","preVoice":{"calleeHintTone":"b.wav"},"userData":"u1"}"#
            )
        );
        assert!(m.idempotent());
        let mut m = AxbModify::new("s1");
        m.caller_num = Some(n("13900000003"));
        m.callee_num = Some(n("13900000003"));
        let e = m.prepare().unwrap_err();
        assert_eq!(
            (e.kind(), e.field()),
            (ErrorKind::RuleViolation, Some("calleeNum"))
        );
        let mut m = AxbModify::new("");
        m.duration = Some(1);
        assert_eq!(m.prepare().unwrap_err().field(), Some("subscriptionId"));
    }

    #[test]
    fn query_parameters_and_paging() {
        let p = AxbQuery::BySubscriptionId("s1".into()).prepare().unwrap();
        assert_eq!(p.method, Method::Get);
        assert_eq!(p.path_and_query(), format!("{AXB_PATH}?subscriptionId=s1"));
        let q = AxbQuery::OnX {
            relation_num: n("+8617000000010"),
            caller_num: Some(n("13800000001")),
            callee_num: Some(n("13900000002")),
            page_index: Some(2),
            page_size: Some(100),
        };
        assert_eq!(
            q.prepare().unwrap().path_and_query(),
            format!(
                "{AXB_PATH}?relationNum=%2B8617000000010&callerNum=%2B8613800000001\
                 &calleeNum=%2B8613900000002&pageIndex=2&pageSize=100"
            )
        );
        let paging = |index, size| AxbQuery::OnX {
            relation_num: n("+8617000000010"),
            caller_num: None,
            callee_num: None,
            page_index: index,
            page_size: size,
        };
        for (index, size, field) in [
            (Some(0), None, "pageIndex"),
            (None, Some(9), "pageSize"),
            (None, Some(101), "pageSize"),
        ] {
            let e = paging(index, size).prepare().unwrap_err();
            assert_eq!(
                (e.kind(), e.field()),
                (ErrorKind::InvalidArgument, Some(field))
            );
        }
        assert!(paging(Some(1), Some(10)).prepare().is_ok());
        assert_eq!(AxbQuery::on_x(n("+8617000000010")), paging(None, None));
    }

    #[test]
    fn query_parse_is_tolerant() {
        let q = AxbQuery::on_x(n("+8617000000010"));
        let out = q
            .parse(&ok(r#"{"resultcode":"0","totalCount":"3","relationNumList":[
                {"subscriptionId":"s1","relationNum":"+8617000000010","callerNum":"+8613800000001",
                 "calleeNum":"+8613900000002","callDirection":0,"duration":86400,"maxDuration":30,
                 "recordFlag":"true","privateSms":false,"userData":"u","preVoice":{"callerHintTone":"a.wav"},
                 "somethingNew":{"x":1}},
                 "garbage", 7,
                 {"subscriptionId":12345,"callerNum":"abc","callDirection":"sideways","duration":-5,
                  "recordFlag":"maybe","preVoice":"a.wav","userData":{"no":1}}
            ]}"#))
            .unwrap();
        assert_eq!(out.total_count, Some(3));
        assert_eq!(out.skipped, 2);
        assert_eq!(out.bindings.len(), 2);
        let a = &out.bindings[0];
        assert_eq!(a.subscription_id.as_deref(), Some("s1"));
        assert_eq!(
            a.callee_num.as_ref().and_then(WireNumber::number),
            Some(n("+8613900000002"))
        );
        assert_eq!(
            (a.call_direction, a.duration, a.max_duration),
            (Some(Direction::Both), Some(86_400), Some(30))
        );
        assert_eq!((a.record_flag, a.private_sms), (Some(true), Some(false)));
        assert_eq!(a.user_data.as_deref(), Some("u"));
        let b = &out.bindings[1];
        assert_eq!(b.subscription_id.as_deref(), Some("12345"));
        assert_eq!(b.caller_num.as_ref().and_then(WireNumber::raw), Some("abc"));
        assert_eq!(
            (
                b.call_direction,
                b.duration,
                b.record_flag,
                &b.pre_voice,
                &b.user_data
            ),
            (None, None, None, &None, &None)
        );

        // No list at all: an empty page; a single object; a top-level record.
        let empty = q
            .parse(&ok(r#"{"resultcode":"0","totalCount":0}"#))
            .unwrap();
        assert_eq!((empty.total_count, empty.bindings.len()), (Some(0), 0));
        let one = q
            .parse(&ok(
                r#"{"resultcode":"0","relationNumList":{"subscriptionId":"s9"}}"#,
            ))
            .unwrap();
        assert_eq!(one.bindings[0].subscription_id.as_deref(), Some("s9"));
        let top = AxbQuery::BySubscriptionId("s8".into())
            .parse(&ok(
                r#"{"resultcode":"0","subscriptionId":"s8","relationNum":"+8617000000010"}"#,
            ))
            .unwrap();
        assert_eq!(top.bindings.len(), 1);
        assert_eq!(top.bindings[0].subscription_id.as_deref(), Some("s8"));
        let odd = q
            .parse(&ok(
                r#"{"resultcode":"0","relationNumList":"none","totalCount":true}"#,
            ))
            .unwrap();
        assert_eq!((odd.total_count, odd.bindings.len()), (None, 0));
        // Not found is an error code.
        let e = q
            .parse(&ok(
                r#"{"resultcode":"1016001","resultdesc":"The record does not exist."}"#,
            ))
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::PlatformNotFound);
    }

    #[test]
    fn area_match_mode_wire() {
        for m in [AreaMatchMode::Strict, AreaMatchMode::Fallback] {
            assert_eq!(AreaMatchMode::from_wire(m.wire()).unwrap(), m);
        }
        let e = AreaMatchMode::from_wire("2").unwrap_err();
        assert_eq!(e.field(), Some("areaMatchMode"));
    }
}
