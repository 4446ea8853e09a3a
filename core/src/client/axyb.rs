//! AXYB mode (PN §6): A is bound to X, B to Y under that AX binding; A sees
//! Y for B and B sees X for A. Every operation is on
//! `/rest/omp/xyrelationnumber/v1.0` and carries the application key in the
//! query string as `app_key`, besides the AKSK headers.
//!
//! | operation | method | idempotent | output |
//! |---|---|---|---|
//! | [`AxybBindAx`] | POST (`app_key` in the query) | no: settle an unknown outcome with [`AxybQuery`] | [`AxybBound`] (X) |
//! | [`AxybBindYb`] | POST (`app_key` in the query) | no: settle an unknown outcome with [`AxybQuery`] | [`AxybBound`] (Y) |
//! | [`AxybUnbind`] | DELETE (query) | yes | `()` |
//! | [`AxybQuery`] | GET (query) | yes | [`AxybBindings`] |
//!
//! # The `app_key` query parameter
//!
//! [`Operation::prepare`] has no signer, so every AXYB operation carries the
//! key itself (`app_key`, the first query parameter) and the caller passes
//! the same key it signs with ([`Signer::app_key`](crate::Signer::app_key)).
//! privnum cannot tell the two apart before sending: a key that differs from
//! the signer's is the platform's to refuse (1010003 / 1010040). The key
//! must fit the signer's rules (1–128 printable ASCII characters without
//! quotes or spaces): an empty or longer key is
//! [`ErrorKind::FieldOutOfBounds`], other characters are
//! [`ErrorKind::InvalidAppKey`], both naming `app_key`. (The unbind and
//! query pages give String(1-32), the bind page String(1-128); privnum
//! accepts the wider bound.)
//!
//! # Precedence
//!
//! The platform lets `subscriptionId` win over `relationNum` in a query and
//! `yNum` win over `bNum` in an unbind. privnum never sends both: the typed
//! requests ([`AxybQueryBy`], [`AxybUnbindScope`]) hold exactly one, and
//! the operations by name refuse both ([`ErrorKind::InvalidArgument`]).
//!
//! # Checks
//!
//! Numbers are sent in global format (`+86…`; `%2B86…` in a query).
//! `prepare` names the wire field at fault ([`Error::field`]): bounds the
//! platform answers with 1010002 (`duration` and `ybDuration` 0 or
//! 60–7 776 000 s, `callDirection`, `userData`, a service number as A or B)
//! are [`ErrorKind::RuleViolation`] with platform code `"1010002"`, exactly
//! as the engine reports them; text longer than its field is
//! [`ErrorKind::FieldOutOfBounds`]; other malformed arguments (an area code
//! that is not digits) are [`ErrorKind::InvalidArgument`]. A `ybDuration`
//! longer than `duration` is not refused: the platform clamps it (PN §6).
//!
//! The YB bind's field list is unconfirmed beyond `origNum` and
//! `subscriptionId` (PN §16): privnum sends the optional `areaCode`,
//! `areaMatchMode`, `preVoiceY` and `ybDuration` only when set, and reads
//! every answer tolerantly.

use serde::Serialize;
use serde_json::{Map, Value};

use super::any::{Args, Obj};
use super::axb::AreaMatchMode;
use super::wire::{
    area_code, body, bool_wire, number_in, party, subscription_id, tone_1_128, user_data,
};
use super::{
    Envelope, HttpResponse, Method, Operation, Prepared, WireNumber, lenient_bool,
    lenient_direction, lenient_text, lenient_u64,
};
use crate::engine::model::Direction;
use crate::engine::rules;
#[cfg(any(doc, test))]
use crate::error::ErrorKind;
use crate::error::{Error, Result};
use crate::number::{Field, Number};

/// The path of every AXYB operation.
pub const AXYB_PATH: &str = "/rest/omp/xyrelationnumber/v1.0";

// ---------------------------------------------------------------------------
// Field checks
// ---------------------------------------------------------------------------

/// `app_key` for the query string: the signer's rules, naming `app_key`.
fn app_key(key: &str) -> Result<(&'static str, String)> {
    Field::AxybAppKey
        .check(key)
        .map_err(|e| e.with_field("app_key"))?;
    crate::sign::check_app_key(key).map_err(|e| e.with_field("app_key"))?;
    Ok(("app_key", key.to_owned()))
}

fn yb_duration(secs: Option<u64>) -> Result<Option<u64>> {
    if let Some(s) = secs {
        rules::check_yb_duration(s).map_err(Error::from)?;
    }
    Ok(secs)
}

/// The answer of both binds: `subscriptionId` is required, the number
/// (`relationNumber`; `relationNum` is accepted too) is read tolerantly.
fn parse_bound(resp: &HttpResponse<'_>) -> Result<AxybBound> {
    let env = Envelope::parse(resp)?;
    let subscription_id = env.required_text("subscriptionId")?;
    let relation_number = env
        .get("relationNumber")
        .and_then(WireNumber::from_json)
        .or_else(|| env.get("relationNum").and_then(WireNumber::from_json));
    Ok(AxybBound {
        subscription_id,
        relation_number,
    })
}

/// A successful bind (AX or YB): the binding's id and the number bound.
/// Only `subscription_id` is required; the number is read tolerantly (absent
/// or of an unexpected type is `None`), because the binding exists whatever
/// else the answer says.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct AxybBound {
    /// `subscriptionId`: the AX binding's id (a YB bind answers the id of
    /// the AX binding it joined). Unbind and query use it.
    pub subscription_id: String,
    /// `relationNumber`: X for an AX bind, Y for a YB bind.
    pub relation_number: Option<WireNumber>,
}

impl AxybBound {
    /// JSON form (see [`any`](super::any)).
    #[must_use]
    pub fn to_json(&self) -> Value {
        Obj::new()
            .put("subscription_id", Some(self.subscription_id.clone()))
            .num("relation_number", self.relation_number.as_ref())
            .done()
    }
}

// ---------------------------------------------------------------------------
// Bind AX
// ---------------------------------------------------------------------------

/// Bind A to an X of a city (PN §6.1): POST, not idempotent.
///
/// Build it with [`AxybBindAx::new`], then set the optional fields. If the
/// outcome of an attempt is unknown (timeout, lost connection,
/// [`ErrorKind::PlatformRetry`], or [`ErrorKind::ResponseInvalid`] for a
/// success without `subscriptionId`), do not send it again: the lost attempt
/// may have bound an X (A may hold five). Query first.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct AxybBindAx {
    /// `app_key` (query string): the key the request is signed with.
    pub app_key: String,
    /// `origNum`: A. String(1-32).
    pub orig_num: Number,
    /// `areaCode`: the city of X (`"0755"`). String(1-32), digits.
    pub area_code: String,
    /// `areaMatchMode`: strict (default) or with fall-back to other areas.
    pub area_match_mode: Option<AreaMatchMode>,
    /// `callDirection`: 0 both (default); 1 only A→B (A dials Y); 2 only
    /// B→A (B dials X).
    pub call_direction: Option<Direction>,
    /// `duration`: lifetime in seconds, 0 (never) or 60–7 776 000; the
    /// platform's default is [`rules::AXYB_DEFAULT_DURATION_SECS`].
    pub duration: Option<u64>,
    /// `ybDuration`: lifetime of YB relations in seconds, 0 (follow the AX
    /// binding) or 60–7 776 000; clamped to `duration` by the platform.
    pub yb_duration: Option<u64>,
    /// `recordFlag`: record calls (if the application may record).
    pub record_flag: Option<bool>,
    /// `recordHintTone`: recording announcement file. String(1-128).
    pub record_hint_tone: Option<String>,
    /// `preVoiceX`: tone played before connecting calls via X. String(1-128).
    pub pre_voice_x: Option<String>,
    /// `userData`: echoed in this binding's pushes. 1–256 printable ASCII
    /// characters without `{`, `}` or `^`.
    pub user_data: Option<String>,
}

impl AxybBindAx {
    /// Bind A (`orig_num`) to an X of `area_code`, for the application
    /// `app_key`; every other field absent.
    #[must_use]
    pub fn new(app_key: impl Into<String>, orig_num: Number, area_code: impl Into<String>) -> Self {
        Self {
            app_key: app_key.into(),
            orig_num,
            area_code: area_code.into(),
            area_match_mode: None,
            call_direction: None,
            duration: None,
            yb_duration: None,
            record_flag: None,
            record_hint_tone: None,
            pre_voice_x: None,
            user_data: None,
        }
    }

    /// From the arguments of `axyb.bind_ax` (see [`any`](super::any)).
    pub(crate) fn from_args(a: &mut Args) -> Result<Self> {
        let mut op = Self::new(
            app_key_arg(a)?,
            a.required_number("origNum")?,
            a.required_text("areaCode")?,
        );
        op.area_match_mode = area_match_mode_arg(a)?;
        op.call_direction = a.direction("callDirection")?;
        op.duration = a.uint("duration")?;
        op.yb_duration = a.uint("ybDuration")?;
        op.record_flag = a.flag("recordFlag")?;
        op.record_hint_tone = a.text("recordHintTone")?;
        op.pre_voice_x = a.text("preVoiceX")?;
        op.user_data = a.text("userData")?;
        Ok(op)
    }
}

/// The AX bind body, in the order of PN §6.1.
#[derive(Serialize)]
struct BindAxWire<'a> {
    #[serde(rename = "origNum")]
    orig_num: String,
    #[serde(rename = "areaCode")]
    area_code: &'a str,
    #[serde(rename = "areaMatchMode", skip_serializing_if = "Option::is_none")]
    area_match_mode: Option<&'static str>,
    #[serde(rename = "callDirection", skip_serializing_if = "Option::is_none")]
    call_direction: Option<u32>,
    #[serde(rename = "duration", skip_serializing_if = "Option::is_none")]
    duration: Option<u64>,
    #[serde(rename = "ybDuration", skip_serializing_if = "Option::is_none")]
    yb_duration: Option<u64>,
    #[serde(rename = "recordFlag", skip_serializing_if = "Option::is_none")]
    record_flag: Option<&'static str>,
    #[serde(rename = "recordHintTone", skip_serializing_if = "Option::is_none")]
    record_hint_tone: Option<&'a str>,
    #[serde(rename = "preVoiceX", skip_serializing_if = "Option::is_none")]
    pre_voice_x: Option<&'a str>,
    #[serde(rename = "userData", skip_serializing_if = "Option::is_none")]
    user_data: Option<&'a str>,
}

impl Operation for AxybBindAx {
    type Output = AxybBound;

    fn name(&self) -> &'static str {
        "axyb.bind_ax"
    }

    /// False: a bind whose outcome is unknown is settled by a query.
    fn idempotent(&self) -> bool {
        false
    }

    fn prepare(&self) -> Result<Prepared> {
        let key = app_key(&self.app_key)?;
        let orig_num = party(self.orig_num, Field::AxybOrigNum, "origNum")?;
        if let Some(d) = self.duration {
            rules::check_axyb_duration(d).map_err(Error::from)?;
        }
        let wire = BindAxWire {
            orig_num,
            area_code: area_code(&self.area_code)?,
            area_match_mode: self.area_match_mode.map(AreaMatchMode::wire),
            call_direction: self.call_direction.map(Direction::code),
            duration: self.duration,
            yb_duration: yb_duration(self.yb_duration)?,
            record_flag: self.record_flag.map(bool_wire),
            record_hint_tone: tone_1_128(self.record_hint_tone.as_deref(), "recordHintTone")?,
            pre_voice_x: tone_1_128(self.pre_voice_x.as_deref(), "preVoiceX")?,
            user_data: user_data(self.user_data.as_deref())?,
        };
        Ok(Prepared {
            method: Method::Post,
            path: AXYB_PATH,
            query: vec![key],
            body: Some(body(&wire)?),
        })
    }

    fn parse(&self, resp: &HttpResponse<'_>) -> Result<AxybBound> {
        parse_bound(resp)
    }
}

// ---------------------------------------------------------------------------
// Bind YB
// ---------------------------------------------------------------------------

/// Bind B to a Y under an AX binding (PN §6.2): POST, not idempotent.
///
/// Build it with [`AxybBindYb::new`]. If the outcome of an attempt is
/// unknown, query the AX binding (its list shows `numB` and `numY`) before
/// binding again.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct AxybBindYb {
    /// `app_key` (query string): the key the request is signed with.
    pub app_key: String,
    /// `origNum`: B. String(1-32).
    pub orig_num: Number,
    /// `subscriptionId`: the AX binding. String(1-64).
    pub subscription_id: String,
    /// `areaCode`: the city of Y. String(1-32), digits.
    pub area_code: Option<String>,
    /// `areaMatchMode`: strict (default) or with fall-back to other areas.
    pub area_match_mode: Option<AreaMatchMode>,
    /// `preVoiceY`: tone played before connecting calls via Y. String(1-128).
    pub pre_voice_y: Option<String>,
    /// `ybDuration`: lifetime of this relation in seconds, 0 (follow the AX
    /// binding) or 60–7 776 000; it wins over the AX bind's `ybDuration`.
    pub yb_duration: Option<u64>,
}

impl AxybBindYb {
    /// Bind B (`orig_num`) under the AX binding `subscription_id`, for the
    /// application `app_key`; every other field absent.
    #[must_use]
    pub fn new(
        app_key: impl Into<String>,
        orig_num: Number,
        subscription_id: impl Into<String>,
    ) -> Self {
        Self {
            app_key: app_key.into(),
            orig_num,
            subscription_id: subscription_id.into(),
            area_code: None,
            area_match_mode: None,
            pre_voice_y: None,
            yb_duration: None,
        }
    }

    /// From the arguments of `axyb.bind_yb` (see [`any`](super::any)).
    pub(crate) fn from_args(a: &mut Args) -> Result<Self> {
        let mut op = Self::new(
            app_key_arg(a)?,
            a.required_number("origNum")?,
            a.required_text("subscriptionId")?,
        );
        op.area_code = a.text("areaCode")?;
        op.area_match_mode = area_match_mode_arg(a)?;
        op.pre_voice_y = a.text("preVoiceY")?;
        op.yb_duration = a.uint("ybDuration")?;
        Ok(op)
    }
}

/// The YB bind body, in the order of PN §6.2.
#[derive(Serialize)]
struct BindYbWire<'a> {
    #[serde(rename = "origNum")]
    orig_num: String,
    #[serde(rename = "subscriptionId")]
    subscription_id: &'a str,
    #[serde(rename = "areaCode", skip_serializing_if = "Option::is_none")]
    area_code: Option<&'a str>,
    #[serde(rename = "areaMatchMode", skip_serializing_if = "Option::is_none")]
    area_match_mode: Option<&'static str>,
    #[serde(rename = "preVoiceY", skip_serializing_if = "Option::is_none")]
    pre_voice_y: Option<&'a str>,
    #[serde(rename = "ybDuration", skip_serializing_if = "Option::is_none")]
    yb_duration: Option<u64>,
}

impl Operation for AxybBindYb {
    type Output = AxybBound;

    fn name(&self) -> &'static str {
        "axyb.bind_yb"
    }

    /// False: a bind whose outcome is unknown is settled by a query.
    fn idempotent(&self) -> bool {
        false
    }

    fn prepare(&self) -> Result<Prepared> {
        let key = app_key(&self.app_key)?;
        let wire = BindYbWire {
            orig_num: party(self.orig_num, Field::AxybOrigNum, "origNum")?,
            subscription_id: subscription_id(&self.subscription_id)?,
            area_code: self.area_code.as_deref().map(area_code).transpose()?,
            area_match_mode: self.area_match_mode.map(AreaMatchMode::wire),
            pre_voice_y: tone_1_128(self.pre_voice_y.as_deref(), "preVoiceY")?,
            yb_duration: yb_duration(self.yb_duration)?,
        };
        Ok(Prepared {
            method: Method::Post,
            path: AXYB_PATH,
            query: vec![key],
            body: Some(body(&wire)?),
        })
    }

    fn parse(&self, resp: &HttpResponse<'_>) -> Result<AxybBound> {
        parse_bound(resp)
    }
}

// ---------------------------------------------------------------------------
// Unbind
// ---------------------------------------------------------------------------

/// What an [`AxybUnbind`] removes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AxybUnbindScope {
    /// `subscriptionId` alone: the AX binding and every YB relation under it.
    Everything,
    /// `yNum`: only the YB relation with this Y (as a YB bind answered it).
    ByY(Number),
    /// `bNum`: only the YB relation of this B.
    ByB(Number),
}

/// Remove an AX binding or one of its YB relations (PN §6.3): DELETE,
/// idempotent.
///
/// A retried unbind whose first attempt went through answers "not found"
/// ([`ErrorKind::PlatformNotFound`]); treat that as done.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct AxybUnbind {
    /// `app_key` (query string): the key the request is signed with.
    pub app_key: String,
    /// `subscriptionId`: the AX binding. String(1-64).
    pub subscription_id: String,
    /// What to remove.
    pub scope: AxybUnbindScope,
}

impl AxybUnbind {
    /// Remove the AX binding `subscription_id` and all its YB relations.
    #[must_use]
    pub fn everything(app_key: impl Into<String>, subscription_id: impl Into<String>) -> Self {
        Self::new(app_key, subscription_id, AxybUnbindScope::Everything)
    }

    /// Remove what `scope` says under the AX binding `subscription_id`.
    #[must_use]
    pub fn new(
        app_key: impl Into<String>,
        subscription_id: impl Into<String>,
        scope: AxybUnbindScope,
    ) -> Self {
        Self {
            app_key: app_key.into(),
            subscription_id: subscription_id.into(),
            scope,
        }
    }

    /// From the arguments of `axyb.unbind` (see [`any`](super::any)): `yNum`
    /// and `bNum` exclude each other.
    pub(crate) fn from_args(a: &mut Args) -> Result<Self> {
        if a.has("yNum") && a.has("bNum") {
            return Err(a.exclusive("yNum", "bNum"));
        }
        let key = app_key_arg(a)?;
        let id = a.required_text("subscriptionId")?;
        let scope = match (a.number("yNum")?, a.number("bNum")?) {
            (Some(y), _) => AxybUnbindScope::ByY(y),
            (None, Some(b)) => AxybUnbindScope::ByB(b),
            (None, None) => AxybUnbindScope::Everything,
        };
        Ok(Self::new(key, id, scope))
    }
}

impl Operation for AxybUnbind {
    type Output = ();

    /// `"axyb.unbind"` for everything, `"axyb.unbind_yb"` for one relation.
    fn name(&self) -> &'static str {
        match self.scope {
            AxybUnbindScope::Everything => "axyb.unbind",
            AxybUnbindScope::ByY(_) | AxybUnbindScope::ByB(_) => "axyb.unbind_yb",
        }
    }

    fn idempotent(&self) -> bool {
        true
    }

    fn prepare(&self) -> Result<Prepared> {
        let mut query = vec![
            app_key(&self.app_key)?,
            (
                "subscriptionId",
                subscription_id(&self.subscription_id)?.to_owned(),
            ),
        ];
        match self.scope {
            AxybUnbindScope::Everything => {}
            AxybUnbindScope::ByY(y) => {
                query.push(("yNum", number_in(y, Field::AxybOrigNum, "yNum")?))
            }
            AxybUnbindScope::ByB(b) => {
                query.push(("bNum", number_in(b, Field::AxybOrigNum, "bNum")?))
            }
        }
        Ok(Prepared {
            method: Method::Delete,
            path: AXYB_PATH,
            query,
            body: None,
        })
    }

    fn parse(&self, resp: &HttpResponse<'_>) -> Result<()> {
        Envelope::parse(resp).map(drop)
    }
}

// ---------------------------------------------------------------------------
// Query
// ---------------------------------------------------------------------------

/// What an [`AxybQuery`] looks up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AxybQueryBy {
    /// `subscriptionId`: one AX binding and its relations.
    SubscriptionId(String),
    /// `relationNum`: the relations of this privacy number.
    RelationNum(Number),
}

/// Look AXYB relations up (PN §6.4): GET, idempotent.
///
/// "Nothing found" is reported by the platform as an error code
/// ([`ErrorKind::PlatformNotFound`] for 1012007/1016001).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct AxybQuery {
    /// `app_key` (query string): the key the request is signed with.
    pub app_key: String,
    /// What to look up.
    pub by: AxybQueryBy,
}

impl AxybQuery {
    /// Look up what `by` says, for the application `app_key`.
    #[must_use]
    pub fn new(app_key: impl Into<String>, by: AxybQueryBy) -> Self {
        Self {
            app_key: app_key.into(),
            by,
        }
    }

    /// From the arguments of `axyb.query` (see [`any`](super::any)):
    /// `subscriptionId` and `relationNum` exclude each other.
    pub(crate) fn from_args(a: &mut Args) -> Result<Self> {
        if a.has("subscriptionId") && a.has("relationNum") {
            return Err(a.exclusive("subscriptionId", "relationNum"));
        }
        let key = app_key_arg(a)?;
        if let Some(id) = a.text("subscriptionId")? {
            return Ok(Self::new(key, AxybQueryBy::SubscriptionId(id)));
        }
        match a.number("relationNum")? {
            Some(x) => Ok(Self::new(key, AxybQueryBy::RelationNum(x))),
            None => Err(a.missing("subscriptionId")),
        }
    }
}

/// One relation of a query answer (`xyRelationNumInfo`), read tolerantly:
/// every field is optional, a field of an unexpected type is `None`, unknown
/// fields are ignored.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct AxybRecord {
    /// `bindId` (a `subscriptionId` in its place is read too).
    pub bind_id: Option<String>,
    /// `numA`: A.
    pub num_a: Option<WireNumber>,
    /// `numX`: X.
    pub num_x: Option<WireNumber>,
    /// `numY`: Y.
    pub num_y: Option<WireNumber>,
    /// `numB`: B.
    pub num_b: Option<WireNumber>,
    /// `recordFlag`.
    pub record_flag: Option<bool>,
    /// `recordHintTone`.
    pub record_hint_tone: Option<String>,
    /// `subscribeTime`, as received (`yyyy-MM-dd HH:mm:ss`).
    pub subscribe_time: Option<String>,
    /// `callDirection`.
    pub call_direction: Option<Direction>,
    /// `duration` in seconds.
    pub duration: Option<u64>,
    /// `ybDuration` in seconds.
    pub yb_duration: Option<u64>,
    /// `preVoiceX`.
    pub pre_voice_x: Option<String>,
    /// `preVoiceY`.
    pub pre_voice_y: Option<String>,
    /// `userData`.
    pub user_data: Option<String>,
}

impl AxybRecord {
    fn from_json(obj: &Map<String, Value>) -> Self {
        let text = |k: &str| obj.get(k).and_then(Value::as_str).map(str::to_owned);
        let num = |k: &str| obj.get(k).and_then(WireNumber::from_json);
        Self {
            bind_id: obj
                .get("bindId")
                .and_then(lenient_text)
                .or_else(|| obj.get("subscriptionId").and_then(lenient_text)),
            num_a: num("numA"),
            num_x: num("numX"),
            num_y: num("numY"),
            num_b: num("numB"),
            record_flag: obj.get("recordFlag").and_then(lenient_bool),
            record_hint_tone: text("recordHintTone"),
            subscribe_time: text("subscribeTime"),
            call_direction: obj.get("callDirection").and_then(lenient_direction),
            duration: obj.get("duration").and_then(lenient_u64),
            yb_duration: obj.get("ybDuration").and_then(lenient_u64),
            pre_voice_x: text("preVoiceX"),
            pre_voice_y: text("preVoiceY"),
            user_data: text("userData"),
        }
    }

    /// JSON form (see [`any`](super::any)).
    #[must_use]
    pub fn to_json(&self) -> Value {
        Obj::new()
            .put("bind_id", self.bind_id.clone())
            .num("num_a", self.num_a.as_ref())
            .num("num_x", self.num_x.as_ref())
            .num("num_y", self.num_y.as_ref())
            .num("num_b", self.num_b.as_ref())
            .put("record_flag", self.record_flag)
            .put("record_hint_tone", self.record_hint_tone.clone())
            .put("subscribe_time", self.subscribe_time.clone())
            .dir("call_direction", self.call_direction)
            .put("duration", self.duration)
            .put("yb_duration", self.yb_duration)
            .put("pre_voice_x", self.pre_voice_x.clone())
            .put("pre_voice_y", self.pre_voice_y.clone())
            .put("user_data", self.user_data.clone())
            .done()
    }
}

/// A query answer: the relations found (`xyRelationNumList`, one to five).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct AxybBindings {
    /// The relations, in the platform's order.
    pub bindings: Vec<AxybRecord>,
    /// List entries that were not JSON objects and were left out.
    pub skipped: usize,
}

impl AxybBindings {
    /// JSON form (see [`any`](super::any)).
    #[must_use]
    pub fn to_json(&self) -> Value {
        Obj::new()
            .put("skipped", Some(self.skipped))
            .put(
                "bindings",
                Some(Value::Array(
                    self.bindings.iter().map(AxybRecord::to_json).collect(),
                )),
            )
            .done()
    }
}

impl Operation for AxybQuery {
    type Output = AxybBindings;

    /// `"axyb.query"` by id, `"axyb.query_by_relation_num"` by number.
    fn name(&self) -> &'static str {
        match self.by {
            AxybQueryBy::SubscriptionId(_) => "axyb.query",
            AxybQueryBy::RelationNum(_) => "axyb.query_by_relation_num",
        }
    }

    fn idempotent(&self) -> bool {
        true
    }

    fn prepare(&self) -> Result<Prepared> {
        let key = app_key(&self.app_key)?;
        let by = match &self.by {
            AxybQueryBy::SubscriptionId(id) => ("subscriptionId", subscription_id(id)?.to_owned()),
            AxybQueryBy::RelationNum(x) => (
                "relationNum",
                number_in(*x, Field::AxybOrigNum, "relationNum")?,
            ),
        };
        Ok(Prepared {
            method: Method::Get,
            path: AXYB_PATH,
            query: vec![key, by],
            body: None,
        })
    }

    /// Reads `xyRelationNumList` tolerantly: a list entry that is not an
    /// object is counted in [`AxybBindings::skipped`]; a single object
    /// instead of a list is one relation; without a list, an answer that
    /// carries `bindId` at the top is read as that one relation; no list at
    /// all is an empty answer.
    fn parse(&self, resp: &HttpResponse<'_>) -> Result<AxybBindings> {
        let env = Envelope::parse(resp)?;
        let mut out = AxybBindings::default();
        match env.get("xyRelationNumList") {
            Some(Value::Array(items)) => {
                for item in items {
                    match item {
                        Value::Object(obj) => out.bindings.push(AxybRecord::from_json(obj)),
                        _ => out.skipped += 1,
                    }
                }
            }
            Some(Value::Object(obj)) => out.bindings.push(AxybRecord::from_json(obj)),
            Some(Value::Null) | None if env.get("bindId").is_some() => {
                out.bindings.push(AxybRecord::from_json(env.fields()));
            }
            _ => {}
        }
        Ok(out)
    }
}

// ---------------------------------------------------------------------------
// Arguments shared by the operations by name
// ---------------------------------------------------------------------------

/// `app_key` (or `appKey`), required; errors name the wire field `app_key`.
fn app_key_arg(a: &mut Args) -> Result<String> {
    // Snake-case keys arrive in camel case: `app_key` is taken as `appKey`.
    a.text("appKey")
        .map_err(|e| e.with_field("app_key"))?
        .ok_or_else(|| a.missing("app_key"))
}

fn area_match_mode_arg(a: &mut Args) -> Result<Option<AreaMatchMode>> {
    a.text("areaMatchMode")?
        .map(|m| AreaMatchMode::from_wire(&m))
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::number::parse;

    const KEY: &str = "a1d1f50cad21415fbdd13d8f53d36d60";

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

    fn bind_ax() -> AxybBindAx {
        AxybBindAx::new(KEY, n("+8613800000001"), "0755")
    }

    fn check(r: Result<Prepared>, kind: ErrorKind, field: &str, code: Option<&str>) {
        let e = r.unwrap_err();
        assert_eq!(
            (e.kind(), e.field(), e.platform_code()),
            (kind, Some(field), code),
            "{e}"
        );
    }

    #[test]
    fn bind_ax_body_and_query() {
        let p = bind_ax().prepare().unwrap();
        assert_eq!((p.method, p.path), (Method::Post, AXYB_PATH));
        assert_eq!(p.path_and_query(), format!("{AXYB_PATH}?app_key={KEY}"));
        assert_eq!(
            p.body.as_deref(),
            Some(r#"{"origNum":"+8613800000001","areaCode":"0755"}"#)
        );
        let mut b = bind_ax();
        b.user_data = Some("u1".into());
        b.pre_voice_x = Some("x.wav".into());
        b.record_hint_tone = Some("rec.wav".into());
        b.record_flag = Some(true);
        b.yb_duration = Some(3600);
        b.duration = Some(7200);
        b.call_direction = Some(Direction::BToA);
        b.area_match_mode = Some(AreaMatchMode::Fallback);
        assert_eq!(
            b.prepare().unwrap().body.as_deref(),
            Some(
                r#"{"origNum":"+8613800000001","areaCode":"0755","areaMatchMode":"1","callDirection":2,"duration":7200,"ybDuration":3600,"recordFlag":"true","recordHintTone":"rec.wav","preVoiceX":"x.wav","userData":"u1"}"#
            )
        );
        // A ybDuration longer than duration is the platform's to clamp.
        b.yb_duration = Some(86_400);
        assert!(b.prepare().is_ok());
        assert!(!b.idempotent());
        assert_eq!(b.name(), "axyb.bind_ax");
    }

    #[test]
    fn bind_ax_validation_names_the_field() {
        let rv = ErrorKind::RuleViolation;
        let inv = Some("1010002");
        for (secs, ok) in [
            (0, true),
            (59, false),
            (60, true),
            (7_776_000, true),
            (7_776_001, false),
        ] {
            let mut b = bind_ax();
            b.duration = Some(secs);
            if ok {
                assert!(b.prepare().is_ok(), "{secs}");
            } else {
                check(b.prepare(), rv, "duration", inv);
            }
            let mut b = bind_ax();
            b.yb_duration = Some(secs);
            if ok {
                assert!(b.prepare().is_ok(), "{secs}");
            } else {
                check(b.prepare(), rv, "ybDuration", inv);
            }
        }
        check(
            AxybBindAx::new(KEY, n("95588"), "0755").prepare(),
            rv,
            "origNum",
            inv,
        );
        let mut b = bind_ax();
        b.user_data = Some("a^b".into());
        check(b.prepare(), rv, "userData", inv);
        for code in ["", "07a5", &"1".repeat(33)] {
            let b = AxybBindAx::new(KEY, n("+8613800000001"), code);
            check(b.prepare(), ErrorKind::InvalidArgument, "areaCode", None);
        }
        let mut b = bind_ax();
        b.pre_voice_x = Some(String::new());
        check(b.prepare(), ErrorKind::FieldOutOfBounds, "preVoiceX", None);
        let mut b = bind_ax();
        b.record_hint_tone = Some("r".repeat(129));
        check(
            b.prepare(),
            ErrorKind::FieldOutOfBounds,
            "recordHintTone",
            None,
        );
        // The app key: bounds, then the signer's character rules.
        for (key, kind) in [
            ("", ErrorKind::FieldOutOfBounds),
            (&"k".repeat(129)[..], ErrorKind::FieldOutOfBounds),
            ("a b", ErrorKind::InvalidAppKey),
            ("a\"b", ErrorKind::InvalidAppKey),
            ("ключ", ErrorKind::InvalidAppKey),
        ] {
            let b = AxybBindAx::new(key, n("+8613800000001"), "0755");
            check(b.prepare(), kind, "app_key", None);
        }
        assert!(
            AxybBindAx::new("k".repeat(128), n("+8613800000001"), "0755")
                .prepare()
                .is_ok()
        );
    }

    #[test]
    fn bind_yb_body_and_checks() {
        let mut b = AxybBindYb::new(KEY, n("13900000002"), "c1-ax");
        let p = b.prepare().unwrap();
        assert_eq!(p.method, Method::Post);
        assert_eq!(p.path_and_query(), format!("{AXYB_PATH}?app_key={KEY}"));
        assert_eq!(
            p.body.as_deref(),
            Some(r#"{"origNum":"+8613900000002","subscriptionId":"c1-ax"}"#)
        );
        b.yb_duration = Some(0);
        b.pre_voice_y = Some("y.wav".into());
        b.area_match_mode = Some(AreaMatchMode::Strict);
        b.area_code = Some("010".into());
        assert_eq!(
            b.prepare().unwrap().body.as_deref(),
            Some(
                r#"{"origNum":"+8613900000002","subscriptionId":"c1-ax","areaCode":"010","areaMatchMode":"0","preVoiceY":"y.wav","ybDuration":0}"#
            )
        );
        assert!(!b.idempotent());
        assert_eq!(b.name(), "axyb.bind_yb");
        let mut e = b.clone();
        e.yb_duration = Some(30);
        check(
            e.prepare(),
            ErrorKind::RuleViolation,
            "ybDuration",
            Some("1010002"),
        );
        let mut e = b.clone();
        e.subscription_id = "s".repeat(65);
        check(
            e.prepare(),
            ErrorKind::FieldOutOfBounds,
            "subscriptionId",
            None,
        );
        let mut e = b.clone();
        e.orig_num = n("400-800-1234");
        check(
            e.prepare(),
            ErrorKind::RuleViolation,
            "origNum",
            Some("1010002"),
        );
        let mut e = b;
        e.area_code = Some(String::new());
        check(e.prepare(), ErrorKind::InvalidArgument, "areaCode", None);
    }

    #[test]
    fn bind_parse_is_tolerant() {
        let out = bind_ax()
            .parse(&ok(
                r#"{"resultcode":"0","resultdesc":"Success","subscriptionId":"c1","relationNumber":"+8617000000013"}"#,
            ))
            .unwrap();
        assert_eq!(out.subscription_id, "c1");
        assert_eq!(
            out.relation_number.as_ref().and_then(WireNumber::number),
            Some(n("+8617000000013"))
        );
        let out = bind_ax()
            .parse(&ok(
                r#"{"resultcode":0,"subscriptionId":42,"relationNum":"y?"}"#,
            ))
            .unwrap();
        assert_eq!(out.subscription_id, "42");
        assert_eq!(
            out.relation_number.as_ref().and_then(WireNumber::raw),
            Some("y?")
        );
        let out = bind_ax()
            .parse(&ok(
                r#"{"resultcode":"0","subscriptionId":"c1","relationNumber":[1]}"#,
            ))
            .unwrap();
        assert_eq!(out.relation_number, None);
        let e = bind_ax()
            .parse(&ok(
                r#"{"resultcode":"0","relationNumber":"+8617000000013"}"#,
            ))
            .unwrap_err();
        assert_eq!(
            (e.kind(), e.field()),
            (ErrorKind::ResponseInvalid, Some("subscriptionId"))
        );
    }

    #[test]
    fn unbind_scopes() {
        let all = AxybUnbind::everything(KEY, "c1");
        assert_eq!(all.name(), "axyb.unbind");
        assert!(all.idempotent());
        let p = all.prepare().unwrap();
        assert_eq!(p.method, Method::Delete);
        assert_eq!(
            p.path_and_query(),
            format!("{AXYB_PATH}?app_key={KEY}&subscriptionId=c1")
        );
        let y = AxybUnbind::new(KEY, "c1", AxybUnbindScope::ByY(n("+8617000000014")));
        assert_eq!(y.name(), "axyb.unbind_yb");
        assert_eq!(
            y.prepare().unwrap().path_and_query(),
            format!("{AXYB_PATH}?app_key={KEY}&subscriptionId=c1&yNum=%2B8617000000014")
        );
        let b = AxybUnbind::new(KEY, "c1", AxybUnbindScope::ByB(n("13900000002")));
        assert_eq!(
            b.prepare().unwrap().path_and_query(),
            format!("{AXYB_PATH}?app_key={KEY}&subscriptionId=c1&bNum=%2B8613900000002")
        );
        check(
            AxybUnbind::everything(KEY, "").prepare(),
            ErrorKind::FieldOutOfBounds,
            "subscriptionId",
            None,
        );
        check(
            AxybUnbind::everything("", "c1").prepare(),
            ErrorKind::FieldOutOfBounds,
            "app_key",
            None,
        );
        assert_eq!(all.parse(&ok(r#"{"resultcode":"0"}"#)), Ok(()));
        let e = all
            .parse(&ok(
                r#"{"resultcode":"1016001","resultdesc":"The record does not exist."}"#,
            ))
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::PlatformNotFound);
    }

    #[test]
    fn query_parameters() {
        let q = AxybQuery::new(KEY, AxybQueryBy::SubscriptionId("c1".into()));
        assert_eq!(q.name(), "axyb.query");
        assert!(q.idempotent());
        let p = q.prepare().unwrap();
        assert_eq!(p.method, Method::Get);
        assert_eq!(
            p.path_and_query(),
            format!("{AXYB_PATH}?app_key={KEY}&subscriptionId=c1")
        );
        let q = AxybQuery::new(KEY, AxybQueryBy::RelationNum(n("+8617000000013")));
        assert_eq!(q.name(), "axyb.query_by_relation_num");
        assert_eq!(
            q.prepare().unwrap().path_and_query(),
            format!("{AXYB_PATH}?app_key={KEY}&relationNum=%2B8617000000013")
        );
        // Reserved characters of the key and the id are form-encoded.
        let q = AxybQuery::new("k+y&=", AxybQueryBy::SubscriptionId("a b".into()));
        assert_eq!(
            q.prepare().unwrap().path_and_query(),
            format!("{AXYB_PATH}?app_key=k%2By%26%3D&subscriptionId=a+b")
        );
    }

    #[test]
    fn query_parse_is_tolerant() {
        let q = AxybQuery::new(KEY, AxybQueryBy::SubscriptionId("c1".into()));
        let out = q
            .parse(&ok(r#"{"resultcode":"0","xyRelationNumList":[
                {"bindId":"c1","numA":"+8613800000001","numX":"+8617000000013","numY":"+8617000000014",
                 "numB":"+8613900000002","recordFlag":"false","recordHintTone":"r.wav",
                 "subscribeTime":"2024-05-01 08:00:00","callDirection":"0","duration":"7200",
                 "ybDuration":3600,"preVoiceX":"x.wav","preVoiceY":"y.wav","userData":"u","new":1},
                null, "x",
                {"subscriptionId":"c2","numA":"garbage","callDirection":9,"duration":-1,"recordFlag":"maybe"}
            ]}"#))
            .unwrap();
        assert_eq!((out.bindings.len(), out.skipped), (2, 2));
        let a = &out.bindings[0];
        assert_eq!(a.bind_id.as_deref(), Some("c1"));
        assert_eq!(
            a.num_y.as_ref().and_then(WireNumber::number),
            Some(n("+8617000000014"))
        );
        assert_eq!(
            (a.call_direction, a.duration, a.yb_duration, a.record_flag),
            (Some(Direction::Both), Some(7200), Some(3600), Some(false))
        );
        assert_eq!(a.subscribe_time.as_deref(), Some("2024-05-01 08:00:00"));
        let b = &out.bindings[1];
        assert_eq!(b.bind_id.as_deref(), Some("c2"));
        assert_eq!(b.num_a.as_ref().and_then(WireNumber::raw), Some("garbage"));
        assert_eq!(
            (b.call_direction, b.duration, b.record_flag),
            (None, None, None)
        );
        let one = q
            .parse(&ok(
                r#"{"resultcode":"0","xyRelationNumList":{"bindId":"c3"}}"#,
            ))
            .unwrap();
        assert_eq!(one.bindings[0].bind_id.as_deref(), Some("c3"));
        let top = q
            .parse(&ok(
                r#"{"resultcode":"0","bindId":"c4","numX":"+8617000000013"}"#,
            ))
            .unwrap();
        assert_eq!(top.bindings[0].bind_id.as_deref(), Some("c4"));
        let none = q.parse(&ok(r#"{"resultcode":"0"}"#)).unwrap();
        assert_eq!(none, AxybBindings::default());
        let odd = q
            .parse(&ok(r#"{"resultcode":"0","xyRelationNumList":"none"}"#))
            .unwrap();
        assert!(odd.bindings.is_empty());
    }

    #[test]
    fn arguments_by_name() {
        use crate::client::any::AnyOperation;
        use serde_json::json;
        let err = |name: &str, args: Value| AnyOperation::from_json(name, &args).unwrap_err();
        // `app_key` and `appKey` are the same argument; errors name `app_key`.
        let op = AnyOperation::from_json(
            "axyb.query",
            &json!({"appKey": KEY, "relation_num": "17000000013"}),
        )
        .unwrap();
        assert_eq!(op.name(), "axyb.query_by_relation_num");
        let e = err(
            "axyb.query",
            json!({"app_key": KEY, "appKey": KEY, "subscriptionId": "c1"}),
        );
        assert!(e.message().contains("given twice"), "{e}");
        let e = err(
            "axyb.query",
            json!({"app_key": 1.5, "subscriptionId": "c1"}),
        );
        assert_eq!(
            (e.kind(), e.field()),
            (ErrorKind::InvalidArgument, Some("app_key"))
        );
        let e = err("axyb.unbind", json!({"subscriptionId": "c1"}));
        assert_eq!(e.field(), Some("app_key"));
        // Pick-one rules are refused, not resolved by the platform's precedence.
        let e = err(
            "axyb.unbind",
            json!({"app_key": KEY, "subscriptionId": "c1", "yNum": "17000000014", "bNum": "13900000002"}),
        );
        assert_eq!(e.field(), Some("bNum"));
        let e = err(
            "axyb.query",
            json!({"app_key": KEY, "subscriptionId": "c1", "relationNum": "17000000013"}),
        );
        assert_eq!(e.field(), Some("relationNum"));
        let e = err(
            "axyb.bind_yb",
            json!({"app_key": KEY, "origNum": "13900000002"}),
        );
        assert_eq!(e.field(), Some("subscriptionId"));
        let e = err(
            "axyb.bind_ax",
            json!({"app_key": KEY, "origNum": "13800000001", "areaCode": "0755", "preVoice": {}}),
        );
        assert!(e.message().contains("unknown argument"), "{e}");
        let e = err(
            "axyb.bind_ax",
            json!({"app_key": KEY, "origNum": "13800000001", "areaCode": "0755", "areaMatchMode": "3"}),
        );
        assert_eq!(e.field(), Some("areaMatchMode"));
    }

    #[test]
    fn debug_masks_numbers() {
        let b = bind_ax();
        let text = format!("{b:?}");
        assert!(!text.contains("8613800000001"), "{text}");
        let u = AxybUnbind::new(KEY, "c1", AxybUnbindScope::ByB(n("13900000002")));
        assert!(!format!("{u:?}").contains("13900000002"));
    }
}
