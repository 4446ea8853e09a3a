//! AX mode (PN §4): A owns X; anyone calling X reaches A, and A calls out
//! through X to a temporary callee set beforehand. Bind, unbind, modify and
//! query on `/rest/provision/caas/privatenumber/v1.0`; the temporary callee
//! on `/rest/caas/privatenumber/calleenumber/v1.0`.
//!
//! | operation | method | idempotent | output |
//! |---|---|---|---|
//! | [`AxBind`] | POST | no: settle an unknown outcome with [`AxQuery`] | [`AxBound`] |
//! | [`AxUnbind`] | DELETE (query) | yes | `()` |
//! | [`AxModify`] | PUT | yes | `()` |
//! | [`AxQuery`] | GET (query) | yes | [`AxBindings`] |
//! | [`AxSetTempCallee`] | PUT | yes (a new callee replaces the last) | `()` |
//!
//! Numbers are [`Number`]s and are sent in global format (`+86…`); in a
//! query string the `+` is sent as `%2B`. Booleans are sent as the strings
//! `"true"`/`"false"` (PN §1). Optional fields left `None` are not sent.
//!
//! `prepare` checks every field against the specification before anything is
//! sent, and names the wire field at fault ([`Error::field`]):
//!
//! * bounds the platform answers with 1010002 (`maxDuration`, `userData`,
//!   `callDirection`, a service number as A or as the callee) are
//!   [`ErrorKind::RuleViolation`] with platform code `"1010002"`, exactly as
//!   the engine reports them;
//! * text longer than its field (`String(a-b)`) is
//!   [`ErrorKind::FieldOutOfBounds`];
//! * other malformed arguments (an area code that is not digits, both
//!   `privateNum` and `areaCode`, a modification that changes nothing) are
//!   [`ErrorKind::InvalidArgument`].
//!
//! # Unconfirmed parts of the specification
//!
//! Where PN §16 leaves a detail open, privnum takes the tolerant reading and
//! never refuses a request because of it:
//!
//! * `callDirection` on a bind is sent as given (0, 1 or 2, the values of
//!   every other mode); what the platform makes of 1 and 2 in AX is
//!   presumed (1: A calls out only, 2: others call A only).
//! * Unbind by X sends `privateNum` with `origNum` when `origNum` is given,
//!   and `privateNum` alone otherwise (one X belongs to one A, so X alone
//!   names the binding; some deployments may ignore `origNum`).
//! * Modify's field list is not confirmed: privnum sends the fields PN §4.3
//!   names. `origNum` is sent as given (the new A; some demos send it next to
//!   `privateNum` to name the binding, which is the same wire).
//! * The query answer's list field has no confirmed name: the bindings are
//!   read from the first array of objects in the answer, whatever its name
//!   ([`AxBindings::list_field`] tells which), or from the top level when
//!   the answer itself carries a `subscriptionId`.
//! * The temporary callee needs X (`privateNum`) and the callee
//!   (`calleeNum`), which every source sends; `origNum` is optional, as the
//!   official demo leaves it out. No lifetime parameter is sent.

use serde::Serialize;
use serde_json::{Map, Value};

use super::any::{Args, Obj};
use super::axb::{AreaMatchMode, PreVoice};
use super::wire::{
    area_code, body, bool_wire, lenient_u32, max_duration, number_in, party, subscription_id,
    text_of, tone_0_128, tone_1_128, user_data,
};
use super::{
    Envelope, HttpResponse, Method, Operation, Prepared, WireNumber, invalid_field, lenient_bool,
    lenient_direction, lenient_text, lenient_u64,
};
use crate::engine::model::Direction;
use crate::engine::rules;
use crate::error::{Error, ErrorKind, Result};
use crate::number::{Field, Number};

/// The path of the AX bind, unbind, modify and query operations.
pub const AX_PATH: &str = "/rest/provision/caas/privatenumber/v1.0";

/// The path of the AX temporary-callee operation.
pub const AX_TEMP_CALLEE_PATH: &str = "/rest/caas/privatenumber/calleenumber/v1.0";

/// The only documented `privateNumType`, sent with every `areaCode`.
pub const PRIVATE_NUM_TYPE: &str = "mobile-virtual";

// ---------------------------------------------------------------------------
// Enumerations shared with AXE
// ---------------------------------------------------------------------------

/// Which number a party is shown: AX `calleeNumDisplay` and AXE
/// `displayNumMode` (PN §4.1, §5.1).
///
/// Carrier rules currently require [`DisplayMode::PrivacyNumber`]; showing
/// the real number gets calls blocked (PN §14). privnum still sends what it
/// is given.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DisplayMode {
    /// `"0"`: show X.
    PrivacyNumber,
    /// `"1"`: show the real caller.
    RealNumber,
}

impl DisplayMode {
    /// The wire value, `"0"` or `"1"`.
    #[must_use]
    pub const fn wire(self) -> &'static str {
        match self {
            Self::PrivacyNumber => "0",
            Self::RealNumber => "1",
        }
    }

    /// From the wire value `"0"` or `"1"` of the field `field`
    /// (`"calleeNumDisplay"`, `"displayNumMode"`); anything else is
    /// [`ErrorKind::InvalidArgument`] naming it.
    pub fn from_wire(value: &str, field: &'static str) -> Result<Self> {
        match value.trim() {
            "0" => Ok(Self::PrivacyNumber),
            "1" => Ok(Self::RealNumber),
            _ => Err(invalid_field(
                field,
                format!("{field} must be \"0\" (X) or \"1\" (real number)"),
            )),
        }
    }

    /// Read tolerantly from an answer: 0 or 1 as a string or a number.
    pub(super) fn from_json(v: &Value) -> Option<Self> {
        match lenient_u64(v)? {
            0 => Some(Self::PrivacyNumber),
            1 => Some(Self::RealNumber),
            _ => None,
        }
    }
}

/// AX `turnFlag`, the "privacy switch" of a binding (PN §4.1): on (the
/// default) or off.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TurnFlag {
    /// `"on"`: the binding works.
    On,
    /// `"off"`: the binding is switched off.
    Off,
}

impl TurnFlag {
    /// The wire value, `"on"` or `"off"`.
    #[must_use]
    pub const fn wire(self) -> &'static str {
        match self {
            Self::On => "on",
            Self::Off => "off",
        }
    }

    /// From `"on"` or `"off"` (any case); anything else is
    /// [`ErrorKind::InvalidArgument`] naming `turnFlag`.
    pub fn from_wire(value: &str) -> Result<Self> {
        let v = value.trim();
        if v.eq_ignore_ascii_case("on") {
            Ok(Self::On)
        } else if v.eq_ignore_ascii_case("off") {
            Ok(Self::Off)
        } else {
            Err(invalid_field(
                "turnFlag",
                "turnFlag must be \"on\" or \"off\"",
            ))
        }
    }

    fn from_json(v: &Value) -> Option<Self> {
        v.as_str().and_then(|s| Self::from_wire(s).ok())
    }
}

// ---------------------------------------------------------------------------
// Field checks (shared with AXE)
// ---------------------------------------------------------------------------

#[derive(Serialize)]
struct PreVoiceWire<'a> {
    #[serde(rename = "callerHintTone", skip_serializing_if = "Option::is_none")]
    caller_hint_tone: Option<&'a str>,
    #[serde(rename = "calleeHintTone", skip_serializing_if = "Option::is_none")]
    callee_hint_tone: Option<&'a str>,
}

/// `preVoice`: at least one tone, each String(0-128).
fn pre_voice_wire(p: &PreVoice) -> Result<PreVoiceWire<'_>> {
    if p.caller_hint_tone.is_none() && p.callee_hint_tone.is_none() {
        return Err(invalid_field(
            "preVoice",
            "preVoice needs callerHintTone or calleeHintTone; leave preVoice out otherwise",
        ));
    }
    Ok(PreVoiceWire {
        caller_hint_tone: tone_0_128(p.caller_hint_tone.as_deref(), "callerHintTone")?,
        callee_hint_tone: tone_0_128(p.callee_hint_tone.as_deref(), "calleeHintTone")?,
    })
}

/// `preVoice` of an answer, read tolerantly: an object with string tones;
/// `None` when neither tone is there.
fn pre_voice_from_json(v: &Value) -> Option<PreVoice> {
    let obj = v.as_object()?;
    let p = PreVoice {
        caller_hint_tone: text_of(obj, "callerHintTone"),
        callee_hint_tone: text_of(obj, "calleeHintTone"),
    };
    (p.caller_hint_tone.is_some() || p.callee_hint_tone.is_some()).then_some(p)
}

// ---------------------------------------------------------------------------
// Bind
// ---------------------------------------------------------------------------

/// Give A an X (PN §4.1): POST, not idempotent.
///
/// Build it with [`AxBind::new`], then set the optional fields. Name the X
/// with `private_num`, or let the platform choose one in `area_code` (not
/// both; with neither, the platform chooses by A's area). A holds at most 5
/// X (else 1011003, [`ErrorKind::PlatformExhausted`]); an X belongs to one
/// A (else 1011005, [`ErrorKind::PlatformConflict`]).
///
/// If the outcome of an attempt is unknown (timeout, lost connection,
/// [`ErrorKind::PlatformRetry`]), do not send it again: query
/// ([`AxQuery::ByOrigNum`]) to learn whether it bound.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct AxBind {
    /// `origNum`: A (mobile or fixed line). String(1-32).
    pub orig_num: Number,
    /// `privateNum`: bind this X (one the application owns). String(1-32).
    pub private_num: Option<Number>,
    /// `areaCode`: let the platform choose an idle X of this city
    /// (`"0755"`); sent with `privateNumType` [`PRIVATE_NUM_TYPE`].
    pub area_code: Option<String>,
    /// `areaMatchMode`: strict (default) or with fall-back to other areas.
    pub area_match_mode: Option<AreaMatchMode>,
    /// `calleeNumDisplay`: what A sees when others call X (carriers require
    /// [`DisplayMode::PrivacyNumber`]; older deployments required the field).
    pub callee_num_display: Option<DisplayMode>,
    /// `privateSms`: allow SMS through X (absent = allowed).
    pub private_sms: Option<bool>,
    /// `recordFlag`: record calls (if the application may record).
    pub record_flag: Option<bool>,
    /// `recordHintTone`: recording announcement file. String(1-128).
    pub record_hint_tone: Option<String>,
    /// `preVoice`: `callerHintTone` is played when A calls X,
    /// `calleeHintTone` when anyone else does.
    pub pre_voice: Option<PreVoice>,
    /// `maxDuration`: per-call limit in minutes, 0–1440 (0 = none).
    pub max_duration: Option<u32>,
    /// `lastMinVoice`: tone when one minute remains. String(0-128).
    pub last_min_voice: Option<String>,
    /// `callDirection`: 0 both ways; 1 and 2 presumably restrict to A
    /// calling out and to others calling A (unconfirmed, PN §16).
    pub call_direction: Option<Direction>,
    /// `turnFlag`: the binding's privacy switch (default on).
    pub turn_flag: Option<TurnFlag>,
    /// `userData`: echoed in this binding's pushes. 1–256 printable ASCII
    /// characters without `{`, `}` or `^`.
    pub user_data: Option<String>,
}

impl AxBind {
    /// Give A (`orig_num`) an X; every other field absent (the platform
    /// picks X by A's area, strictly).
    #[must_use]
    pub fn new(orig_num: Number) -> Self {
        Self {
            orig_num,
            private_num: None,
            area_code: None,
            area_match_mode: None,
            callee_num_display: None,
            private_sms: None,
            record_flag: None,
            record_hint_tone: None,
            pre_voice: None,
            max_duration: None,
            last_min_voice: None,
            call_direction: None,
            turn_flag: None,
            user_data: None,
        }
    }
}

/// The bind body, in the order of PN §4.1.
#[derive(Serialize)]
struct BindWire<'a> {
    #[serde(rename = "origNum")]
    orig_num: String,
    #[serde(rename = "privateNum", skip_serializing_if = "Option::is_none")]
    private_num: Option<String>,
    #[serde(rename = "areaCode", skip_serializing_if = "Option::is_none")]
    area_code: Option<&'a str>,
    #[serde(rename = "privateNumType", skip_serializing_if = "Option::is_none")]
    private_num_type: Option<&'static str>,
    #[serde(rename = "areaMatchMode", skip_serializing_if = "Option::is_none")]
    area_match_mode: Option<&'static str>,
    #[serde(rename = "calleeNumDisplay", skip_serializing_if = "Option::is_none")]
    callee_num_display: Option<&'static str>,
    #[serde(rename = "privateSms", skip_serializing_if = "Option::is_none")]
    private_sms: Option<&'static str>,
    #[serde(rename = "recordFlag", skip_serializing_if = "Option::is_none")]
    record_flag: Option<&'static str>,
    #[serde(rename = "recordHintTone", skip_serializing_if = "Option::is_none")]
    record_hint_tone: Option<&'a str>,
    #[serde(rename = "preVoice", skip_serializing_if = "Option::is_none")]
    pre_voice: Option<PreVoiceWire<'a>>,
    #[serde(rename = "maxDuration", skip_serializing_if = "Option::is_none")]
    max_duration: Option<u32>,
    #[serde(rename = "lastMinVoice", skip_serializing_if = "Option::is_none")]
    last_min_voice: Option<&'a str>,
    #[serde(rename = "callDirection", skip_serializing_if = "Option::is_none")]
    call_direction: Option<u32>,
    #[serde(rename = "turnFlag", skip_serializing_if = "Option::is_none")]
    turn_flag: Option<&'static str>,
    #[serde(rename = "userData", skip_serializing_if = "Option::is_none")]
    user_data: Option<&'a str>,
}

/// A successful bind: the new binding's id and what the platform echoed.
/// Only `subscription_id` is required; the rest is read tolerantly (a field
/// that is absent or of an unexpected type is `None`), because the binding
/// exists whatever else the answer says.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct AxBound {
    /// `subscriptionId`: store it; unbind, modify and query use it.
    pub subscription_id: String,
    /// `privateNum`: the X actually bound.
    pub private_num: Option<WireNumber>,
    /// `origNum`: A, as echoed.
    pub orig_num: Option<WireNumber>,
}

impl AxBound {
    /// JSON form (snake-case keys, absent values left out; see
    /// [`super::any`]).
    #[must_use]
    pub fn to_json(&self) -> Value {
        Obj::new()
            .put("subscription_id", Some(self.subscription_id.clone()))
            .num("private_num", self.private_num.as_ref())
            .num("orig_num", self.orig_num.as_ref())
            .done()
    }
}

impl Operation for AxBind {
    type Output = AxBound;

    fn name(&self) -> &'static str {
        "ax.bind"
    }

    /// False: a bind whose outcome is unknown is settled by a query.
    fn idempotent(&self) -> bool {
        false
    }

    fn prepare(&self) -> Result<Prepared> {
        let orig_num = party(self.orig_num, Field::AxOrigNum, "origNum")?;
        if self.private_num.is_some() && self.area_code.is_some() {
            return Err(invalid_field(
                "areaCode",
                "give privateNum (a given X) or areaCode (the platform chooses X), not both",
            ));
        }
        let private_num = self
            .private_num
            .map(|x| number_in(x, Field::AxPrivateNum, "privateNum"))
            .transpose()?;
        let area_code = self.area_code.as_deref().map(area_code).transpose()?;
        let wire = BindWire {
            orig_num,
            private_num,
            area_code,
            private_num_type: area_code.map(|_| PRIVATE_NUM_TYPE),
            area_match_mode: self.area_match_mode.map(AreaMatchMode::wire),
            callee_num_display: self.callee_num_display.map(DisplayMode::wire),
            private_sms: self.private_sms.map(bool_wire),
            record_flag: self.record_flag.map(bool_wire),
            record_hint_tone: tone_1_128(self.record_hint_tone.as_deref(), "recordHintTone")?,
            pre_voice: self.pre_voice.as_ref().map(pre_voice_wire).transpose()?,
            max_duration: max_duration(self.max_duration)?,
            last_min_voice: tone_0_128(self.last_min_voice.as_deref(), "lastMinVoice")?,
            call_direction: self.call_direction.map(Direction::code),
            turn_flag: self.turn_flag.map(TurnFlag::wire),
            user_data: user_data(self.user_data.as_deref())?,
        };
        Ok(Prepared {
            method: Method::Post,
            path: AX_PATH,
            query: Vec::new(),
            body: Some(body(&wire)?),
        })
    }

    fn parse(&self, resp: &HttpResponse<'_>) -> Result<AxBound> {
        let env = Envelope::parse(resp)?;
        let subscription_id = env.required_text("subscriptionId")?;
        let f = env.fields();
        Ok(AxBound {
            subscription_id,
            private_num: f.get("privateNum").and_then(WireNumber::from_json),
            orig_num: f.get("origNum").and_then(WireNumber::from_json),
        })
    }
}

// ---------------------------------------------------------------------------
// Unbind
// ---------------------------------------------------------------------------

/// Remove an AX binding (PN §4.2): DELETE, idempotent.
///
/// A retried unbind whose first attempt went through answers "not found"
/// ([`ErrorKind::PlatformNotFound`]); treat that as done.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AxUnbind {
    /// `subscriptionId`: remove this binding.
    BySubscriptionId(String),
    /// `privateNum` (and `origNum` when given): remove the binding of this
    /// X. Whether the platform reads `origNum` here is unconfirmed (PN
    /// §16); X alone names the binding, since an X belongs to one A.
    ByX {
        /// `privateNum`: X. String(1-32).
        private_num: Number,
        /// `origNum`: A, sent when given. String(1-32).
        orig_num: Option<Number>,
    },
}

impl Operation for AxUnbind {
    type Output = ();

    fn name(&self) -> &'static str {
        "ax.unbind"
    }

    fn idempotent(&self) -> bool {
        true
    }

    fn prepare(&self) -> Result<Prepared> {
        let query = match self {
            Self::BySubscriptionId(id) => {
                vec![("subscriptionId", subscription_id(id)?.to_owned())]
            }
            Self::ByX {
                private_num,
                orig_num,
            } => {
                let mut q = Vec::with_capacity(2);
                if let Some(a) = orig_num {
                    q.push(("origNum", number_in(*a, Field::AxOrigNum, "origNum")?));
                }
                q.push((
                    "privateNum",
                    number_in(*private_num, Field::AxPrivateNum, "privateNum")?,
                ));
                q
            }
        };
        Ok(Prepared {
            method: Method::Delete,
            path: AX_PATH,
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

/// Which AX binding a modification changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AxTarget {
    /// `subscriptionId` (preferred). String(1-64).
    SubscriptionId(String),
    /// `privateNum`: the binding of this X. String(1-32).
    PrivateNum(Number),
}

/// Change an AX binding (PN §4.3): PUT, idempotent.
///
/// Build it with [`AxModify::new`] and set at least one change; fields left
/// `None` stay as they are. The full list of fields the platform accepts
/// here is unconfirmed (PN §16); these are the ones PN §4.3 names.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct AxModify {
    /// The binding: `subscriptionId` or `privateNum`.
    pub target: AxTarget,
    /// `origNum`: the new A. String(1-32).
    pub orig_num: Option<Number>,
    /// `privateSms`.
    pub private_sms: Option<bool>,
    /// `recordFlag`.
    pub record_flag: Option<bool>,
    /// `recordHintTone`. String(1-128).
    pub record_hint_tone: Option<String>,
    /// `calleeNumDisplay`.
    pub callee_num_display: Option<DisplayMode>,
    /// `preVoice`.
    pub pre_voice: Option<PreVoice>,
    /// `maxDuration`: per-call limit in minutes, 0–1440.
    pub max_duration: Option<u32>,
    /// `lastMinVoice`. String(0-128).
    pub last_min_voice: Option<String>,
    /// `userData`.
    pub user_data: Option<String>,
    /// `turnFlag`.
    pub turn_flag: Option<TurnFlag>,
}

impl AxModify {
    /// A modification of the binding `target` that changes nothing yet.
    #[must_use]
    pub fn new(target: AxTarget) -> Self {
        Self {
            target,
            orig_num: None,
            private_sms: None,
            record_flag: None,
            record_hint_tone: None,
            callee_num_display: None,
            pre_voice: None,
            max_duration: None,
            last_min_voice: None,
            user_data: None,
            turn_flag: None,
        }
    }

    fn changes_something(&self) -> bool {
        self.orig_num.is_some()
            || self.private_sms.is_some()
            || self.record_flag.is_some()
            || self.record_hint_tone.is_some()
            || self.callee_num_display.is_some()
            || self.pre_voice.is_some()
            || self.max_duration.is_some()
            || self.last_min_voice.is_some()
            || self.user_data.is_some()
            || self.turn_flag.is_some()
    }
}

/// The modify body, in the order of PN §4.3.
#[derive(Serialize)]
struct ModifyWire<'a> {
    #[serde(rename = "subscriptionId", skip_serializing_if = "Option::is_none")]
    subscription_id: Option<&'a str>,
    #[serde(rename = "privateNum", skip_serializing_if = "Option::is_none")]
    private_num: Option<String>,
    #[serde(rename = "origNum", skip_serializing_if = "Option::is_none")]
    orig_num: Option<String>,
    #[serde(rename = "privateSms", skip_serializing_if = "Option::is_none")]
    private_sms: Option<&'static str>,
    #[serde(rename = "recordFlag", skip_serializing_if = "Option::is_none")]
    record_flag: Option<&'static str>,
    #[serde(rename = "recordHintTone", skip_serializing_if = "Option::is_none")]
    record_hint_tone: Option<&'a str>,
    #[serde(rename = "calleeNumDisplay", skip_serializing_if = "Option::is_none")]
    callee_num_display: Option<&'static str>,
    #[serde(rename = "preVoice", skip_serializing_if = "Option::is_none")]
    pre_voice: Option<PreVoiceWire<'a>>,
    #[serde(rename = "maxDuration", skip_serializing_if = "Option::is_none")]
    max_duration: Option<u32>,
    #[serde(rename = "lastMinVoice", skip_serializing_if = "Option::is_none")]
    last_min_voice: Option<&'a str>,
    #[serde(rename = "userData", skip_serializing_if = "Option::is_none")]
    user_data: Option<&'a str>,
    #[serde(rename = "turnFlag", skip_serializing_if = "Option::is_none")]
    turn_flag: Option<&'static str>,
}

impl Operation for AxModify {
    type Output = ();

    fn name(&self) -> &'static str {
        "ax.modify"
    }

    fn idempotent(&self) -> bool {
        true
    }

    fn prepare(&self) -> Result<Prepared> {
        let (subscription_id, private_num) = match &self.target {
            AxTarget::SubscriptionId(id) => (Some(subscription_id(id)?), None),
            AxTarget::PrivateNum(x) => (
                None,
                Some(number_in(*x, Field::AxPrivateNum, "privateNum")?),
            ),
        };
        if !self.changes_something() {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                "a modification must change at least one field besides the binding's id",
            ));
        }
        let orig_num = self
            .orig_num
            .map(|a| party(a, Field::AxOrigNum, "origNum"))
            .transpose()?;
        let wire = ModifyWire {
            subscription_id,
            private_num,
            orig_num,
            private_sms: self.private_sms.map(bool_wire),
            record_flag: self.record_flag.map(bool_wire),
            record_hint_tone: tone_1_128(self.record_hint_tone.as_deref(), "recordHintTone")?,
            callee_num_display: self.callee_num_display.map(DisplayMode::wire),
            pre_voice: self.pre_voice.as_ref().map(pre_voice_wire).transpose()?,
            max_duration: max_duration(self.max_duration)?,
            last_min_voice: tone_0_128(self.last_min_voice.as_deref(), "lastMinVoice")?,
            user_data: user_data(self.user_data.as_deref())?,
            turn_flag: self.turn_flag.map(TurnFlag::wire),
        };
        Ok(Prepared {
            method: Method::Put,
            path: AX_PATH,
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

/// Look AX bindings up (PN §4.4): GET, idempotent. One parameter is sent;
/// the platform's precedence when several are given is `subscriptionId` >
/// `origNum` > `privateNum`, so privnum sends exactly one.
///
/// There are no paging parameters: an A holds at most 5 X, so every answer
/// fits one page. "Nothing found" is reported by the platform as an error
/// code ([`ErrorKind::PlatformNotFound`] for 1012007/1016001).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AxQuery {
    /// `subscriptionId`: one binding.
    BySubscriptionId(String),
    /// `origNum`: every X bound to this A.
    ByOrigNum(Number),
    /// `privateNum`: the binding of this X.
    ByPrivateNum(Number),
}

/// One binding of a query answer, read tolerantly: every field is optional,
/// a field of an unexpected type is `None`, unknown fields are ignored.
/// (The record's schema is unconfirmed in the specification.)
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct AxRecord {
    /// `subscriptionId`.
    pub subscription_id: Option<String>,
    /// `origNum`: A.
    pub orig_num: Option<WireNumber>,
    /// `privateNum`: X.
    pub private_num: Option<WireNumber>,
    /// `calleeNumDisplay` (only if it was set).
    pub callee_num_display: Option<DisplayMode>,
    /// `privateSms`.
    pub private_sms: Option<bool>,
    /// `recordFlag` (a boolean, `"true"`/`"false"` or 0/1 on the wire).
    pub record_flag: Option<bool>,
    /// `recordHintTone`.
    pub record_hint_tone: Option<String>,
    /// `preVoice`.
    pub pre_voice: Option<PreVoice>,
    /// `maxDuration` in minutes.
    pub max_duration: Option<u32>,
    /// `lastMinVoice`.
    pub last_min_voice: Option<String>,
    /// `callDirection`.
    pub call_direction: Option<Direction>,
    /// `turnFlag`.
    pub turn_flag: Option<TurnFlag>,
    /// `userData`.
    pub user_data: Option<String>,
}

impl AxRecord {
    fn from_json(obj: &Map<String, Value>) -> Self {
        Self {
            subscription_id: obj.get("subscriptionId").and_then(lenient_text),
            orig_num: obj.get("origNum").and_then(WireNumber::from_json),
            private_num: obj.get("privateNum").and_then(WireNumber::from_json),
            callee_num_display: obj.get("calleeNumDisplay").and_then(DisplayMode::from_json),
            private_sms: obj.get("privateSms").and_then(lenient_bool),
            record_flag: obj.get("recordFlag").and_then(lenient_bool),
            record_hint_tone: text_of(obj, "recordHintTone"),
            pre_voice: obj.get("preVoice").and_then(pre_voice_from_json),
            max_duration: obj.get("maxDuration").and_then(lenient_u32),
            last_min_voice: text_of(obj, "lastMinVoice"),
            call_direction: obj.get("callDirection").and_then(lenient_direction),
            turn_flag: obj.get("turnFlag").and_then(TurnFlag::from_json),
            user_data: text_of(obj, "userData"),
        }
    }

    /// JSON form (snake-case keys, absent values left out; display modes
    /// as `"0"`/`"1"`, turn flags as `"on"`/`"off"`).
    #[must_use]
    pub fn to_json(&self) -> Value {
        Obj::new()
            .put("subscription_id", self.subscription_id.clone())
            .num("orig_num", self.orig_num.as_ref())
            .num("private_num", self.private_num.as_ref())
            .put(
                "callee_num_display",
                self.callee_num_display.map(DisplayMode::wire),
            )
            .put("private_sms", self.private_sms)
            .put("record_flag", self.record_flag)
            .put("record_hint_tone", self.record_hint_tone.clone())
            .put("pre_voice", self.pre_voice.as_ref().map(PreVoice::to_json))
            .put("max_duration", self.max_duration)
            .put("last_min_voice", self.last_min_voice.clone())
            .dir("call_direction", self.call_direction)
            .put("turn_flag", self.turn_flag.map(TurnFlag::wire))
            .put("user_data", self.user_data.clone())
            .done()
    }
}

/// A query answer: the bindings found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct AxBindings {
    /// `totalCount`, if the answer gives it.
    pub total_count: Option<u64>,
    /// The bindings, in the platform's order.
    pub bindings: Vec<AxRecord>,
    /// List entries that were not JSON objects and were left out.
    pub skipped: usize,
    /// The name of the answer's field the list was read from (its name is
    /// unconfirmed); `None` when there was no list (no binding, or one
    /// binding at the top level of the answer).
    pub list_field: Option<String>,
}

impl AxBindings {
    /// JSON form (see [`super::any`]).
    #[must_use]
    pub fn to_json(&self) -> Value {
        Obj::new()
            .put("total_count", self.total_count)
            .put("skipped", Some(self.skipped))
            .put("list_field", self.list_field.clone())
            .put(
                "bindings",
                Some(Value::Array(
                    self.bindings.iter().map(AxRecord::to_json).collect(),
                )),
            )
            .done()
    }
}

impl Operation for AxQuery {
    type Output = AxBindings;

    fn name(&self) -> &'static str {
        "ax.query"
    }

    fn idempotent(&self) -> bool {
        true
    }

    fn prepare(&self) -> Result<Prepared> {
        let param = match self {
            Self::BySubscriptionId(id) => ("subscriptionId", subscription_id(id)?.to_owned()),
            Self::ByOrigNum(a) => ("origNum", number_in(*a, Field::AxOrigNum, "origNum")?),
            Self::ByPrivateNum(x) => (
                "privateNum",
                number_in(*x, Field::AxPrivateNum, "privateNum")?,
            ),
        };
        Ok(Prepared {
            method: Method::Get,
            path: AX_PATH,
            query: vec![param],
            body: None,
        })
    }

    /// Reads the bindings tolerantly: an answer that carries `subscriptionId`
    /// at the top is that one binding; otherwise the list is the first field
    /// (in the answer's key order) holding an array with at least one object,
    /// or an object with a `subscriptionId`. List entries that are not
    /// objects are counted in [`AxBindings::skipped`].
    fn parse(&self, resp: &HttpResponse<'_>) -> Result<AxBindings> {
        let env = Envelope::parse(resp)?;
        let mut out = AxBindings {
            total_count: env.get("totalCount").and_then(lenient_u64),
            ..AxBindings::default()
        };
        if env.get("subscriptionId").and_then(lenient_text).is_some() {
            out.bindings.push(AxRecord::from_json(env.fields()));
            return Ok(out);
        }
        for (name, value) in env.fields() {
            match value {
                Value::Array(items) if items.iter().any(Value::is_object) => {
                    for item in items {
                        match item {
                            Value::Object(obj) => out.bindings.push(AxRecord::from_json(obj)),
                            _ => out.skipped += 1,
                        }
                    }
                    out.list_field = Some(name.clone());
                    break;
                }
                Value::Object(obj) if obj.contains_key("subscriptionId") => {
                    out.bindings.push(AxRecord::from_json(obj));
                    out.list_field = Some(name.clone());
                    break;
                }
                _ => {}
            }
        }
        Ok(out)
    }
}

// ---------------------------------------------------------------------------
// Temporary callee
// ---------------------------------------------------------------------------

/// Set the real callee of A's next call out through X (PN §4.5): PUT,
/// idempotent (a new callee replaces the previous one). Without one, A
/// calling X fails (stateCode 8013).
///
/// Which fields the platform requires is unconfirmed (PN §16): privnum
/// always sends X and the callee, and A only when given.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct AxSetTempCallee {
    /// `origNum`: A. String(4-31).
    pub orig_num: Option<Number>,
    /// `privateNum`: X. String(1-32).
    pub private_num: Number,
    /// `calleeNum`: the real callee (not a service number).
    pub callee_num: Number,
}

impl AxSetTempCallee {
    /// Make `callee_num` the callee of the next call out through
    /// `private_num`; `origNum` not sent.
    #[must_use]
    pub fn new(private_num: Number, callee_num: Number) -> Self {
        Self {
            orig_num: None,
            private_num,
            callee_num,
        }
    }
}

/// The temporary-callee body, in the order of PN §4.5.
#[derive(Serialize)]
struct TempCalleeWire {
    #[serde(rename = "origNum", skip_serializing_if = "Option::is_none")]
    orig_num: Option<String>,
    #[serde(rename = "privateNum")]
    private_num: String,
    #[serde(rename = "calleeNum")]
    callee_num: String,
}

impl Operation for AxSetTempCallee {
    type Output = ();

    fn name(&self) -> &'static str {
        "ax.set_temp_callee"
    }

    fn idempotent(&self) -> bool {
        true
    }

    fn prepare(&self) -> Result<Prepared> {
        let orig_num = self
            .orig_num
            .map(|a| number_in(a, Field::AxTempCalleeOrigNum, "origNum"))
            .transpose()?;
        let private_num = number_in(self.private_num, Field::AxPrivateNum, "privateNum")?;
        // No documented length for calleeNum: only the party rule.
        rules::check_party(&self.callee_num, "calleeNum").map_err(Error::from)?;
        let wire = TempCalleeWire {
            orig_num,
            private_num,
            callee_num: self.callee_num.e164().as_str().to_owned(),
        };
        Ok(Prepared {
            method: Method::Put,
            path: AX_TEMP_CALLEE_PATH,
            query: Vec::new(),
            body: Some(body(&wire)?),
        })
    }

    fn parse(&self, resp: &HttpResponse<'_>) -> Result<()> {
        Envelope::parse(resp).map(drop)
    }
}

// ---------------------------------------------------------------------------
// Arguments by name (see `super::any`)
// ---------------------------------------------------------------------------

/// `preVoice` as a nested object of arguments.
pub(crate) fn pre_voice_arg(a: &mut Args) -> Result<Option<PreVoice>> {
    let Some(mut p) = a.object("preVoice")? else {
        return Ok(None);
    };
    let v = PreVoice {
        caller_hint_tone: p.text("callerHintTone")?,
        callee_hint_tone: p.text("calleeHintTone")?,
    };
    p.finish()?;
    Ok(Some(v))
}

/// A [`DisplayMode`] argument (`"0"`/`"1"`, or the integers 0/1).
pub(crate) fn display_arg(a: &mut Args, wire: &'static str) -> Result<Option<DisplayMode>> {
    a.text(wire)?
        .map(|v| DisplayMode::from_wire(&v, wire))
        .transpose()
}

fn turn_flag_arg(a: &mut Args) -> Result<Option<TurnFlag>> {
    a.text("turnFlag")?
        .map(|v| TurnFlag::from_wire(&v))
        .transpose()
}

/// `ax.bind` from its arguments. `privateNumType` may be given, but only as
/// [`PRIVATE_NUM_TYPE`] (which is sent with every `areaCode` anyway).
pub(crate) fn bind_args(a: &mut Args) -> Result<AxBind> {
    if a.has("privateNum") && a.has("areaCode") {
        return Err(a.exclusive("privateNum", "areaCode"));
    }
    let mut op = AxBind::new(a.required_number("origNum")?);
    op.private_num = a.number("privateNum")?;
    op.area_code = a.text("areaCode")?;
    if let Some(t) = a.text("privateNumType")? {
        if t != PRIVATE_NUM_TYPE {
            return Err(invalid_field(
                "privateNumType",
                format!("privateNumType must be {PRIVATE_NUM_TYPE:?}"),
            ));
        }
    }
    op.area_match_mode = a
        .text("areaMatchMode")?
        .map(|m| AreaMatchMode::from_wire(&m))
        .transpose()?;
    op.callee_num_display = display_arg(a, "calleeNumDisplay")?;
    op.private_sms = a.flag("privateSms")?;
    op.record_flag = a.flag("recordFlag")?;
    op.record_hint_tone = a.text("recordHintTone")?;
    op.pre_voice = pre_voice_arg(a)?;
    op.max_duration = a.u32("maxDuration")?;
    op.last_min_voice = a.text("lastMinVoice")?;
    op.call_direction = a.direction("callDirection")?;
    op.turn_flag = turn_flag_arg(a)?;
    op.user_data = a.text("userData")?;
    Ok(op)
}

/// `ax.unbind` from its arguments: `subscriptionId`, or `privateNum` with
/// an optional `origNum`; both ways at once are refused.
pub(crate) fn unbind_args(a: &mut Args) -> Result<AxUnbind> {
    if a.has("subscriptionId") {
        for other in ["privateNum", "origNum"] {
            if a.has(other) {
                return Err(a.exclusive("subscriptionId", other));
            }
        }
        return Ok(AxUnbind::BySubscriptionId(
            a.required_text("subscriptionId")?,
        ));
    }
    let orig_num = a.number("origNum")?;
    match a.number("privateNum")? {
        Some(private_num) => Ok(AxUnbind::ByX {
            private_num,
            orig_num,
        }),
        None if orig_num.is_some() => Err(a.missing("privateNum")),
        None => Err(a.missing("subscriptionId")),
    }
}

/// `ax.modify` from its arguments: `subscriptionId` or `privateNum` names
/// the binding (not both).
pub(crate) fn modify_args(a: &mut Args) -> Result<AxModify> {
    if a.has("subscriptionId") && a.has("privateNum") {
        return Err(a.exclusive("subscriptionId", "privateNum"));
    }
    let target = match a.text("subscriptionId")? {
        Some(id) => AxTarget::SubscriptionId(id),
        None => match a.number("privateNum")? {
            Some(x) => AxTarget::PrivateNum(x),
            None => return Err(a.missing("subscriptionId")),
        },
    };
    let mut op = AxModify::new(target);
    op.orig_num = a.number("origNum")?;
    op.private_sms = a.flag("privateSms")?;
    op.record_flag = a.flag("recordFlag")?;
    op.record_hint_tone = a.text("recordHintTone")?;
    op.callee_num_display = display_arg(a, "calleeNumDisplay")?;
    op.pre_voice = pre_voice_arg(a)?;
    op.max_duration = a.u32("maxDuration")?;
    op.last_min_voice = a.text("lastMinVoice")?;
    op.user_data = a.text("userData")?;
    op.turn_flag = turn_flag_arg(a)?;
    Ok(op)
}

/// `ax.query` from its arguments: exactly one of `subscriptionId`,
/// `origNum`, `privateNum`.
pub(crate) fn query_args(a: &mut Args) -> Result<AxQuery> {
    const KEYS: [&str; 3] = ["subscriptionId", "origNum", "privateNum"];
    let given: Vec<&'static str> = KEYS.into_iter().filter(|k| a.has(k)).collect();
    if let &[first, second, ..] = given.as_slice() {
        return Err(a.exclusive(first, second));
    }
    if let Some(id) = a.text("subscriptionId")? {
        return Ok(AxQuery::BySubscriptionId(id));
    }
    if let Some(n) = a.number("origNum")? {
        return Ok(AxQuery::ByOrigNum(n));
    }
    match a.number("privateNum")? {
        Some(x) => Ok(AxQuery::ByPrivateNum(x)),
        None => Err(a.missing("subscriptionId")),
    }
}

/// `ax.set_temp_callee` from its arguments.
pub(crate) fn set_temp_callee_args(a: &mut Args) -> Result<AxSetTempCallee> {
    let orig_num = a.number("origNum")?;
    let mut op = AxSetTempCallee::new(
        a.required_number("privateNum")?,
        a.required_number("calleeNum")?,
    );
    op.orig_num = orig_num;
    Ok(op)
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

    fn bind() -> AxBind {
        AxBind::new(n("+8613800000001"))
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
        b.area_code = Some("0755".into());
        b.area_match_mode = Some(AreaMatchMode::Fallback);
        b.callee_num_display = Some(DisplayMode::PrivacyNumber);
        b.private_sms = Some(true);
        b.record_flag = Some(true);
        b.record_hint_tone = Some("rec.wav".into());
        b.pre_voice = Some(PreVoice {
            caller_hint_tone: Some("a.wav".into()),
            callee_hint_tone: Some("b.wav".into()),
        });
        b.max_duration = Some(60);
        b.last_min_voice = Some("last.wav".into());
        b.call_direction = Some(Direction::Both);
        b.turn_flag = Some(TurnFlag::On);
        b.user_data = Some("order-42".into());
        let p = b.prepare().unwrap();
        assert_eq!((p.method, p.path), (Method::Post, AX_PATH));
        assert!(p.query.is_empty());
        assert_eq!(
            p.body.as_deref(),
            Some(
                r#"{"origNum":"+8613800000001","areaCode":"0755","privateNumType":"mobile-virtual","areaMatchMode":"1","calleeNumDisplay":"0","privateSms":"true","recordFlag":"true","recordHintTone":"rec.wav","preVoice":{"callerHintTone":"a.wav","calleeHintTone":"b.wav"},"maxDuration":60,"lastMinVoice":"last.wav","callDirection":0,"turnFlag":"on","userData":"order-42"}"#
            )
        );
        assert_eq!(
            bind().prepare().unwrap().body.as_deref(),
            Some(r#"{"origNum":"+8613800000001"}"#)
        );
        let mut b = bind();
        b.private_num = Some(n("17000000011"));
        assert_eq!(
            b.prepare().unwrap().body.as_deref(),
            Some(r#"{"origNum":"+8613800000001","privateNum":"+8617000000011"}"#)
        );
        assert!(!b.idempotent());
        assert_eq!(b.name(), "ax.bind");
    }

    #[test]
    fn bind_validation_names_the_field() {
        let rv = ErrorKind::RuleViolation;
        let inv = Some("1010002");
        check(AxBind::new(n("95588")).prepare(), rv, Some("origNum"), inv);
        let mut b = bind();
        b.private_num = Some(n("17000000011"));
        b.area_code = Some("0755".into());
        check(
            b.prepare(),
            ErrorKind::InvalidArgument,
            Some("areaCode"),
            None,
        );
        let mut b = bind();
        b.area_code = Some("07a5".into());
        check(
            b.prepare(),
            ErrorKind::InvalidArgument,
            Some("areaCode"),
            None,
        );
        let mut b = bind();
        b.max_duration = Some(1441);
        check(b.prepare(), rv, Some("maxDuration"), inv);
        let mut b = bind();
        b.user_data = Some("a^b".into());
        check(b.prepare(), rv, Some("userData"), inv);
        let mut b = bind();
        b.record_hint_tone = Some(String::new());
        check(
            b.prepare(),
            ErrorKind::FieldOutOfBounds,
            Some("recordHintTone"),
            None,
        );
        let mut b = bind();
        b.last_min_voice = Some("x".repeat(129));
        check(
            b.prepare(),
            ErrorKind::FieldOutOfBounds,
            Some("lastMinVoice"),
            None,
        );
        let mut b = bind();
        b.pre_voice = Some(PreVoice::default());
        check(
            b.prepare(),
            ErrorKind::InvalidArgument,
            Some("preVoice"),
            None,
        );
        // A fixed line may be A.
        assert!(AxBind::new(n("0755-2800-0001")).prepare().is_ok());
    }

    #[test]
    fn bind_parse_needs_only_the_subscription_id() {
        let out = bind()
            .parse(&ok(r#"{"resultcode":"0","resultdesc":"Success","origNum":"+8613800000001","privateNum":"+8617000000011","subscriptionId":"9a0e"}"#))
            .unwrap();
        assert_eq!(out.subscription_id, "9a0e");
        assert_eq!(
            out.private_num.as_ref().and_then(WireNumber::number),
            Some(n("+8617000000011"))
        );
        let out = bind()
            .parse(&ok(
                r#"{"resultcode":"0","subscriptionId":7,"privateNum":"n/a","origNum":[]}"#,
            ))
            .unwrap();
        assert_eq!(out.subscription_id, "7");
        assert_eq!(
            out.private_num.as_ref().and_then(WireNumber::raw),
            Some("n/a")
        );
        assert_eq!(out.orig_num, None);
        let e = bind()
            .parse(&ok(r#"{"resultcode":"0","privateNum":"+8617000000011"}"#))
            .unwrap_err();
        assert_eq!(
            (e.kind(), e.field()),
            (ErrorKind::ResponseInvalid, Some("subscriptionId"))
        );
        for (code, kind) in [
            ("1011003", ErrorKind::PlatformExhausted),
            ("1011005", ErrorKind::PlatformConflict),
        ] {
            let body = format!(r#"{{"resultcode":"{code}"}}"#);
            let e = bind().parse(&ok(&body)).unwrap_err();
            assert_eq!((e.kind(), e.platform_code()), (kind, Some(code)));
        }
    }

    #[test]
    fn unbind_queries() {
        let p = AxUnbind::BySubscriptionId("s-1".into()).prepare().unwrap();
        assert_eq!(p.method, Method::Delete);
        assert_eq!(p.path_and_query(), format!("{AX_PATH}?subscriptionId=s-1"));
        let by_x = AxUnbind::ByX {
            private_num: n("+8617000000011"),
            orig_num: Some(n("13800000001")),
        };
        assert_eq!(
            by_x.prepare().unwrap().path_and_query(),
            format!("{AX_PATH}?origNum=%2B8613800000001&privateNum=%2B8617000000011")
        );
        let x_only = AxUnbind::ByX {
            private_num: n("+8617000000011"),
            orig_num: None,
        };
        assert_eq!(
            x_only.prepare().unwrap().path_and_query(),
            format!("{AX_PATH}?privateNum=%2B8617000000011")
        );
        assert!(x_only.idempotent());
        assert_eq!(x_only.name(), "ax.unbind");
        check(
            AxUnbind::BySubscriptionId("x".repeat(65)).prepare(),
            ErrorKind::FieldOutOfBounds,
            Some("subscriptionId"),
            None,
        );
        assert_eq!(x_only.parse(&ok(r#"{"resultcode":"0"}"#)), Ok(()));
    }

    #[test]
    fn modify_targets_and_changes() {
        let e = AxModify::new(AxTarget::SubscriptionId("s1".into()))
            .prepare()
            .unwrap_err();
        assert_eq!((e.kind(), e.field()), (ErrorKind::InvalidArgument, None));
        let mut m = AxModify::new(AxTarget::PrivateNum(n("+8617000000011")));
        m.turn_flag = Some(TurnFlag::Off);
        m.orig_num = Some(n("13800000009"));
        m.private_sms = Some(false);
        m.callee_num_display = Some(DisplayMode::PrivacyNumber);
        let p = m.prepare().unwrap();
        assert_eq!((p.method, p.path), (Method::Put, AX_PATH));
        assert_eq!(
            p.body.as_deref(),
            Some(
                r#"{"privateNum":"+8617000000011","origNum":"+8613800000009","privateSms":"false","calleeNumDisplay":"0","turnFlag":"off"}"#
            )
        );
        assert!(m.idempotent());
        let mut m = AxModify::new(AxTarget::SubscriptionId("s1".into()));
        m.user_data = Some("u".into());
        assert_eq!(
            m.prepare().unwrap().body.as_deref(),
            Some(r#"{"subscriptionId":"s1","userData":"u"}"#)
        );
        let mut m = AxModify::new(AxTarget::SubscriptionId(String::new()));
        m.user_data = Some("u".into());
        check(
            m.prepare(),
            ErrorKind::FieldOutOfBounds,
            Some("subscriptionId"),
            None,
        );
        let mut m = AxModify::new(AxTarget::SubscriptionId("s1".into()));
        m.orig_num = Some(n("4008001234"));
        check(
            m.prepare(),
            ErrorKind::RuleViolation,
            Some("origNum"),
            Some("1010002"),
        );
    }

    #[test]
    fn query_parameters() {
        for (q, want) in [
            (AxQuery::BySubscriptionId("s1".into()), "subscriptionId=s1"),
            (
                AxQuery::ByOrigNum(n("13800000001")),
                "origNum=%2B8613800000001",
            ),
            (
                AxQuery::ByPrivateNum(n("17000000011")),
                "privateNum=%2B8617000000011",
            ),
        ] {
            let p = q.prepare().unwrap();
            assert_eq!(p.method, Method::Get);
            assert_eq!(p.path_and_query(), format!("{AX_PATH}?{want}"));
            assert!(q.idempotent());
        }
    }

    #[test]
    fn query_parse_is_tolerant() {
        let q = AxQuery::ByOrigNum(n("13800000001"));
        let out = q
            .parse(&ok(r#"{"resultcode":"0","totalCount":"2","note":[1,2],"bindList":[
                {"subscriptionId":"s1","origNum":"+8613800000001","privateNum":"+8617000000011",
                 "calleeNumDisplay":"0","privateSms":"true","recordFlag":false,"maxDuration":"30",
                 "callDirection":1,"turnFlag":"OFF","userData":"u","preVoice":{"calleeHintTone":"b.wav"}},
                "junk",
                {"subscriptionId":12,"privateNum":"??","calleeNumDisplay":"7","turnFlag":1,"maxDuration":-1}
            ]}"#))
            .unwrap();
        assert_eq!(out.total_count, Some(2));
        assert_eq!(out.list_field.as_deref(), Some("bindList"));
        assert_eq!((out.bindings.len(), out.skipped), (2, 1));
        let a = &out.bindings[0];
        assert_eq!(a.subscription_id.as_deref(), Some("s1"));
        assert_eq!(a.callee_num_display, Some(DisplayMode::PrivacyNumber));
        assert_eq!((a.private_sms, a.record_flag), (Some(true), Some(false)));
        assert_eq!(a.max_duration, Some(30));
        assert_eq!(a.call_direction, Some(Direction::AToB));
        assert_eq!(a.turn_flag, Some(TurnFlag::Off));
        let b = &out.bindings[1];
        assert_eq!(b.subscription_id.as_deref(), Some("12"));
        assert_eq!(b.private_num.as_ref().and_then(WireNumber::raw), Some("??"));
        assert_eq!(
            (b.callee_num_display, b.turn_flag, b.max_duration),
            (None, None, None)
        );
        // One binding at the top level; a single object; nothing.
        let top = AxQuery::BySubscriptionId("s1".into())
            .parse(&ok(
                r#"{"resultcode":"0","subscriptionId":"s1","origNum":"+8613800000001"}"#,
            ))
            .unwrap();
        assert_eq!((top.bindings.len(), top.list_field), (1, None));
        let one = q
            .parse(&ok(r#"{"resultcode":"0","data":{"subscriptionId":"s3"}}"#))
            .unwrap();
        assert_eq!(one.bindings[0].subscription_id.as_deref(), Some("s3"));
        assert_eq!(one.list_field.as_deref(), Some("data"));
        let none = q.parse(&ok(r#"{"resultcode":"0","list":[]}"#)).unwrap();
        assert_eq!((none.bindings.len(), none.list_field), (0, None));
        let e = q
            .parse(&ok(
                r#"{"resultcode":"1016001","resultdesc":"The record does not exist."}"#,
            ))
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::PlatformNotFound);
    }

    #[test]
    fn temp_callee_body() {
        let mut t = AxSetTempCallee::new(n("+8617000000011"), n("13900000002"));
        let p = t.prepare().unwrap();
        assert_eq!((p.method, p.path), (Method::Put, AX_TEMP_CALLEE_PATH));
        assert_eq!(
            p.body.as_deref(),
            Some(r#"{"privateNum":"+8617000000011","calleeNum":"+8613900000002"}"#)
        );
        t.orig_num = Some(n("13800000001"));
        assert_eq!(
            t.prepare().unwrap().body.as_deref(),
            Some(
                r#"{"origNum":"+8613800000001","privateNum":"+8617000000011","calleeNum":"+8613900000002"}"#
            )
        );
        assert!(t.idempotent());
        assert_eq!(t.name(), "ax.set_temp_callee");
        let t = AxSetTempCallee::new(n("+8617000000011"), n("95588"));
        check(
            t.prepare(),
            ErrorKind::RuleViolation,
            Some("calleeNum"),
            Some("1010002"),
        );
    }

    #[test]
    fn operations_by_name() {
        use crate::client::any::AnyOperation;
        use serde_json::json;
        let op = AnyOperation::from_json(
            "ax.bind",
            &json!({"orig_num": "138 0000 0001", "area_code": "0755", "turn_flag": "off"}),
        )
        .unwrap();
        assert_eq!((op.name(), op.idempotent()), ("ax.bind", false));
        assert_eq!(
            op.prepare().unwrap().body.as_deref(),
            Some(
                r#"{"origNum":"+8613800000001","areaCode":"0755","privateNumType":"mobile-virtual","turnFlag":"off"}"#
            )
        );
        let out = op
            .parse(&ok(
                r#"{"resultcode":"0","subscriptionId":"s1","privateNum":"+8617000000011"}"#,
            ))
            .unwrap();
        assert_eq!(
            out,
            json!({"subscription_id": "s1", "private_num": "+8617000000011"})
        );
        let err = |name: &str, args: Value| AnyOperation::from_json(name, &args).unwrap_err();
        let e = err(
            "ax.query",
            json!({"privateNum": "17000000011", "origNum": "13800000001"}),
        );
        assert_eq!(
            (e.kind(), e.field()),
            (ErrorKind::InvalidArgument, Some("privateNum"))
        );
        assert!(!e.message().contains("17000000011"), "{e}");
        let e = err(
            "ax.unbind",
            json!({"subscriptionId": "s1", "origNum": "13800000001"}),
        );
        assert_eq!(e.field(), Some("origNum"));
        let e = err("ax.modify", json!({"privateSms": true}));
        assert_eq!(e.field(), Some("subscriptionId"));
        let e = err("ax.set_temp_callee", json!({"calleeNum": "13900000002"}));
        assert_eq!(e.field(), Some("privateNum"));
        let e = err(
            "ax.bind",
            json!({"origNum": "13800000001", "privateNumType": "x"}),
        );
        assert_eq!(e.field(), Some("privateNumType"));
        let e = err(
            "ax.bind",
            json!({"origNum": "13800000001", "preVoice": {"tone": "a"}}),
        );
        assert!(e.message().contains("unknown argument"), "{e}");
    }

    #[test]
    fn enums_round_trip_and_debug_masks_numbers() {
        for m in [DisplayMode::PrivacyNumber, DisplayMode::RealNumber] {
            assert_eq!(DisplayMode::from_wire(m.wire(), "displayNumMode"), Ok(m));
        }
        let e = DisplayMode::from_wire("2", "calleeNumDisplay").unwrap_err();
        assert_eq!(e.field(), Some("calleeNumDisplay"));
        for f in [TurnFlag::On, TurnFlag::Off] {
            assert_eq!(TurnFlag::from_wire(f.wire()), Ok(f));
        }
        assert_eq!(TurnFlag::from_wire(" ON "), Ok(TurnFlag::On));
        assert_eq!(
            TurnFlag::from_wire("1").unwrap_err().field(),
            Some("turnFlag")
        );
        let t = AxSetTempCallee::new(n("+8617000000011"), n("13900000002"));
        let text = format!("{t:?}{:?}", t.prepare().unwrap());
        assert!(!text.contains("8617000000011") && !text.contains("8613900000002"));
    }
}
