//! Every operation by name, with JSON arguments in and JSON results out: what
//! the C ABI, the Python package, the `privnum` command and the shared test
//! vectors use, so that all of them share one set of rules.
//!
//! ```
//! use privnum::client::any::AnyOperation;
//! use privnum::client::{HttpResponse, Operation};
//! use serde_json::json;
//!
//! let op = AnyOperation::from_json(
//!     "axb.bind",
//!     &json!({"callerNum": "138 0000 0001", "callee_num": "+86 139-0000-0002", "duration": "3600"}),
//! )?;
//! assert_eq!((op.name(), op.idempotent()), ("axb.bind", false));
//! let prepared = op.prepare()?;
//! assert_eq!(
//!     prepared.body.as_deref(),
//!     Some(r#"{"callerNum":"+8613800000001","calleeNum":"+8613900000002","duration":3600}"#)
//! );
//! let body = br#"{"resultcode":"0","subscriptionId":"3f1c","relationNum":"+8617000000010"}"#;
//! let out = op.parse(&HttpResponse { status: 200, location: None, body })?;
//! assert_eq!(out, json!({"subscription_id": "3f1c", "relation_num": "+8617000000010"}));
//! # Ok::<(), privnum::Error>(())
//! ```
//!
//! # Arguments
//!
//! The arguments are a JSON object (or `null` for none) keyed by the wire
//! names of the specification (`callerNum`, `preVoice`, …); the same names
//! in snake case (`caller_num`) are accepted too. Values are read as a
//! person or a shell script would give them:
//!
//! * numbers: a string as typed (`"138 0000 0001"`, `"+86…"`), or a JSON
//!   integer of digits; parsed as [`crate::number::parse`] does;
//! * integers: a JSON integer or a string of digits;
//! * booleans: `true`/`false`, the strings `"true"`/`"false"`, or 0/1;
//! * text: a string (an integer is taken as its digits);
//! * `null` is the same as leaving the argument out.
//!
//! An unknown argument, a value of the wrong type, two arguments that
//! exclude each other and a missing required argument are
//! [`ErrorKind::InvalidArgument`] naming the wire field
//! ([`Error::field`]); values are never echoed in messages (they may be
//! phone numbers). Everything else is checked by the typed operation's
//! [`Operation::prepare`], with the same errors.
//!
//! # Results
//!
//! [`Operation::parse`] gives the typed output as a JSON object with snake
//! case keys (the Rust field names), absent values left out; numbers the
//! platform reported are E.164 strings, or `{"raw": "…"}` when they did not
//! parse; call directions are their codes (0, 1, 2). An operation without
//! output gives `{}`.

use std::borrow::Cow;

use serde_json::{Map, Value, json};

use super::axb::{
    AreaMatchMode, AxbBind, AxbBindings, AxbBound, AxbModify, AxbQuery, AxbRecord, AxbUnbind,
    PreVoice,
};
use super::axyb::{AxybBindAx, AxybBindYb, AxybQuery, AxybUnbind};
use super::call::CallStop;
use super::json_type;
use super::recording::RecordingDownloadUrl;
use super::voice::VoiceVerifyCode;
use super::{
    HttpResponse, Operation, Prepared, WireNumber, direction_from_code, lenient_bool, lenient_u64,
    parse_field_number,
};
use super::{ax, axe};
use crate::engine::model::Direction;
use crate::error::{Error, ErrorKind, Result};
use crate::number::Number;

/// Generates [`NAMES`], [`AnyOperation`] and its dispatch from one table:
/// `name => Variant(Type) = builder;`, where `builder` makes the typed
/// operation from [`Args`].
macro_rules! operations {
    ($($name:literal => $variant:ident($ty:ty) = $build:expr;)*) => {
        /// The names [`AnyOperation::from_json`] knows, in the order of the
        /// specification.
        pub const NAMES: &[&str] = &[$($name),*];

        /// Any operation of the platform API, built by name from JSON
        /// arguments; its output is JSON (see the [module docs](self)).
        #[derive(Clone, Debug, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum AnyOperation {
            $(
                #[doc = concat!("`", $name, "`: [`", stringify!($ty), "`].")]
                $variant($ty),
            )*
        }

        impl AnyOperation {
            fn build(name: &'static str, a: &mut Args) -> Result<Self> {
                Ok(match name {
                    $($name => Self::$variant(($build)(a)?),)*
                    _ => unreachable!("every name of NAMES is built"),
                })
            }

            /// The operation's name as [`from_json`](Self::from_json) takes
            /// it (`"axb.query"`, whatever variant of the query).
            #[must_use]
            pub fn op_name(&self) -> &'static str {
                match self {
                    $(Self::$variant(_) => $name,)*
                }
            }
        }

        impl Operation for AnyOperation {
            type Output = Value;

            /// The typed operation's name (`"axb.query_on_x"` for a query
            /// on X).
            fn name(&self) -> &'static str {
                match self {
                    $(Self::$variant(o) => o.name(),)*
                }
            }

            fn idempotent(&self) -> bool {
                match self {
                    $(Self::$variant(o) => o.idempotent(),)*
                }
            }

            fn prepare(&self) -> Result<Prepared> {
                match self {
                    $(Self::$variant(o) => o.prepare(),)*
                }
            }

            fn parse(&self, resp: &HttpResponse<'_>) -> Result<Value> {
                match self {
                    $(Self::$variant(o) => o.parse(resp).map(|out| out.output_json()),)*
                }
            }
        }
    };
}

operations! {
    "axb.bind" => AxbBind(AxbBind) = axb_bind;
    "axb.unbind" => AxbUnbind(AxbUnbind) = axb_unbind;
    "axb.modify" => AxbModify(AxbModify) = axb_modify;
    "axb.query" => AxbQuery(AxbQuery) = axb_query;
    "ax.bind" => AxBind(ax::AxBind) = ax::bind_args;
    "ax.unbind" => AxUnbind(ax::AxUnbind) = ax::unbind_args;
    "ax.modify" => AxModify(ax::AxModify) = ax::modify_args;
    "ax.query" => AxQuery(ax::AxQuery) = ax::query_args;
    "ax.set_temp_callee" => AxSetTempCallee(ax::AxSetTempCallee) = ax::set_temp_callee_args;
    "axe.bind" => AxeBind(axe::AxeBind) = axe::bind_args;
    "axe.unbind" => AxeUnbind(axe::AxeUnbind) = axe::unbind_args;
    "axe.modify" => AxeModify(axe::AxeModify) = axe::modify_args;
    "axe.query" => AxeQuery(axe::AxeQuery) = axe::query_args;
    "axyb.bind_ax" => AxybBindAx(AxybBindAx) = AxybBindAx::from_args;
    "axyb.bind_yb" => AxybBindYb(AxybBindYb) = AxybBindYb::from_args;
    "axyb.unbind" => AxybUnbind(AxybUnbind) = AxybUnbind::from_args;
    "axyb.query" => AxybQuery(AxybQuery) = AxybQuery::from_args;
    "call.stop" => CallStop(CallStop) = CallStop::from_args;
    "recording.url" => RecordingUrl(RecordingDownloadUrl) = RecordingDownloadUrl::from_args;
    "voice.verify_code" => VoiceVerifyCode(VoiceVerifyCode) = VoiceVerifyCode::from_args;
}

/// An operation's typed output as JSON: `{}` for operations without output,
/// otherwise the output's `to_json`.
pub(crate) trait OutputJson {
    /// The output as JSON.
    fn output_json(self) -> Value;
}

impl OutputJson for () {
    fn output_json(self) -> Value {
        json!({})
    }
}

macro_rules! output_json {
    ($($ty:ty),*) => {
        $(impl OutputJson for $ty {
            fn output_json(self) -> Value {
                self.to_json()
            }
        })*
    };
}

output_json!(
    AxbBound,
    AxbBindings,
    ax::AxBound,
    ax::AxBindings,
    axe::AxeBound,
    axe::AxeRecord,
    super::axyb::AxybBound,
    super::axyb::AxybBindings,
    super::recording::RecordingUrl,
    super::voice::VoiceCallPlaced
);

impl AnyOperation {
    /// Build the operation `name` (one of [`NAMES`]) from its arguments.
    ///
    /// An unknown name is [`ErrorKind::InvalidArgument`] listing the known
    /// ones; bad arguments are typed errors naming the field (see the
    /// [module docs](self)).
    pub fn from_json(name: &str, args: &Value) -> Result<Self> {
        let Some(&name) = NAMES.iter().find(|n| **n == name) else {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                format!(
                    "unknown operation {:?}; the operations are {}",
                    truncate(name),
                    NAMES.join(", ")
                ),
            ));
        };
        let mut a = Args::new(name, args)?;
        let op = Self::build(name, &mut a)?;
        a.finish()?;
        Ok(op)
    }

    /// Send the operation with `client` and return its output as JSON:
    /// every bind goes through
    /// [`Client::call_settled`](super::retry::Client::call_settled) (an
    /// unknown outcome is looked up where the platform's queries allow it,
    /// never re-sent blindly, and is `OUTCOME_UNKNOWN` where they do not),
    /// everything else through [`Client::call`](super::retry::Client::call).
    pub fn send(&self, client: &super::retry::Client) -> Result<Value> {
        match self {
            Self::AxbBind(b) => client.call_settled(b).map(OutputJson::output_json),
            Self::AxBind(b) => client.call_settled(b).map(OutputJson::output_json),
            Self::AxeBind(b) => client.call_settled(b).map(OutputJson::output_json),
            Self::AxybBindAx(b) => client.call_settled(b).map(OutputJson::output_json),
            Self::AxybBindYb(b) => client.call_settled(b).map(OutputJson::output_json),
            other => client.call(other),
        }
    }

    /// [`from_json`](Self::from_json) with the arguments as JSON text; empty
    /// (or blank) text means no arguments. Text that is not JSON is
    /// [`ErrorKind::InvalidArgument`].
    pub fn from_json_text(name: &str, args: &str) -> Result<Self> {
        if args.trim().is_empty() {
            return Self::from_json(name, &Value::Null);
        }
        let args: Value = serde_json::from_str(args).map_err(|e| {
            Error::new(
                ErrorKind::InvalidArgument,
                format!("the arguments are not JSON ({e})"),
            )
        })?;
        Self::from_json(name, &args)
    }
}

// ---------------------------------------------------------------------------
// Arguments
// ---------------------------------------------------------------------------

/// The arguments of one operation, taken one by one; what is left at the
/// end is unknown.
#[derive(Debug)]
pub(crate) struct Args {
    op: &'static str,
    map: Map<String, Value>,
}

impl Args {
    /// `value` must be an object (or null: no arguments). Snake-case keys
    /// become camel case; the same argument given twice is refused.
    pub(crate) fn new(op: &'static str, value: &Value) -> Result<Self> {
        let obj = match value {
            Value::Null => {
                return Ok(Self {
                    op,
                    map: Map::new(),
                });
            }
            Value::Object(obj) => obj,
            other => {
                return Err(Error::new(
                    ErrorKind::InvalidArgument,
                    format!(
                        "{op}: the arguments must be a JSON object, not a {}",
                        json_type(other)
                    ),
                ));
            }
        };
        let mut map = Map::new();
        for (k, v) in obj {
            let key = camel_case(k).into_owned();
            if map.insert(key.clone(), v.clone()).is_some() {
                return Err(Error::new(
                    ErrorKind::InvalidArgument,
                    format!("{op}: the argument {key} is given twice"),
                ));
            }
        }
        Ok(Self { op, map })
    }

    fn take(&mut self, wire: &str) -> Option<Value> {
        self.map.remove(wire).filter(|v| !v.is_null())
    }

    /// Whether `wire` is present (not null), without taking it.
    pub(crate) fn has(&self, wire: &str) -> bool {
        self.map.get(wire).is_some_and(|v| !v.is_null())
    }

    fn wrong(&self, wire: &'static str, want: &str, got: &Value) -> Error {
        Error::new(
            ErrorKind::InvalidArgument,
            format!(
                "{}: {wire} must be {want}, not a JSON {}",
                self.op,
                json_type(got)
            ),
        )
        .with_field(wire)
    }

    /// A missing required argument.
    pub(crate) fn missing(&self, wire: &'static str) -> Error {
        Error::new(
            ErrorKind::InvalidArgument,
            format!("{}: the argument {wire} is required", self.op),
        )
        .with_field(wire)
    }

    /// Two arguments given where only one may be.
    pub(crate) fn exclusive(&self, a: &'static str, b: &'static str) -> Error {
        Error::new(
            ErrorKind::InvalidArgument,
            format!("{}: give {a} or {b}, not both", self.op),
        )
        .with_field(b)
    }

    /// A phone number as typed.
    pub(crate) fn number(&mut self, wire: &'static str) -> Result<Option<Number>> {
        match self.take(wire) {
            None => Ok(None),
            Some(Value::String(s)) => parse_field_number(&s, wire).map(Some),
            Some(Value::Number(n)) if n.is_u64() => {
                parse_field_number(&n.to_string(), wire).map(Some)
            }
            Some(other) => Err(self.wrong(wire, "a phone number (a string)", &other)),
        }
    }

    /// A required phone number.
    pub(crate) fn required_number(&mut self, wire: &'static str) -> Result<Number> {
        self.number(wire)?.ok_or_else(|| self.missing(wire))
    }

    /// Text (a string, or an integer as its digits).
    pub(crate) fn text(&mut self, wire: &'static str) -> Result<Option<String>> {
        match self.take(wire) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(Value::Number(n)) if n.is_u64() || n.is_i64() => Ok(Some(n.to_string())),
            Some(other) => Err(self.wrong(wire, "text (a string)", &other)),
        }
    }

    /// Required text.
    pub(crate) fn required_text(&mut self, wire: &'static str) -> Result<String> {
        self.text(wire)?.ok_or_else(|| self.missing(wire))
    }

    /// A non-negative integer.
    pub(crate) fn uint(&mut self, wire: &'static str) -> Result<Option<u64>> {
        match self.take(wire) {
            None => Ok(None),
            Some(v) => match lenient_u64(&v) {
                Some(n) => Ok(Some(n)),
                None => Err(self.wrong(wire, "a non-negative integer", &v)),
            },
        }
    }

    /// A non-negative integer that fits 32 bits.
    pub(crate) fn u32(&mut self, wire: &'static str) -> Result<Option<u32>> {
        match self.uint(wire)? {
            None => Ok(None),
            Some(n) => u32::try_from(n).map(Some).map_err(|_| {
                Error::new(
                    ErrorKind::InvalidArgument,
                    format!("{}: {wire} must be at most {}", self.op, u32::MAX),
                )
                .with_field(wire)
            }),
        }
    }

    /// A boolean.
    pub(crate) fn flag(&mut self, wire: &'static str) -> Result<Option<bool>> {
        match self.take(wire) {
            None => Ok(None),
            Some(v) => match lenient_bool(&v) {
                Some(b) => Ok(Some(b)),
                None => Err(self.wrong(wire, "a boolean (true/false, or 0/1)", &v)),
            },
        }
    }

    /// `callDirection` (0, 1 or 2), with the platform's error for others.
    pub(crate) fn direction(&mut self, wire: &'static str) -> Result<Option<Direction>> {
        match self.u32(wire)? {
            None => Ok(None),
            Some(code) => direction_from_code(code).map(Some),
        }
    }

    /// A nested object of arguments (e.g. `preVoice`).
    pub(crate) fn object(&mut self, wire: &'static str) -> Result<Option<Self>> {
        match self.take(wire) {
            None => Ok(None),
            Some(v @ Value::Object(_)) => Self::new(wire, &v).map(Some),
            Some(other) => Err(self.wrong(wire, "an object", &other)),
        }
    }

    /// Refuse whatever was not taken.
    pub(crate) fn finish(self) -> Result<()> {
        match self.map.keys().next() {
            None => Ok(()),
            Some(k) => Err(Error::new(
                ErrorKind::InvalidArgument,
                format!("{}: unknown argument {:?}", self.op, truncate(k)),
            )),
        }
    }
}

/// `caller_num` → `callerNum`; keys without `_` are kept as they are.
fn camel_case(key: &str) -> Cow<'_, str> {
    if !key.contains('_') {
        return Cow::Borrowed(key);
    }
    let mut out = String::with_capacity(key.len());
    let mut upper = false;
    for c in key.chars() {
        if c == '_' {
            upper = !out.is_empty();
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// At most 64 characters of a name the caller gave, for a message.
fn truncate(s: &str) -> String {
    let mut out: String = s.chars().take(64).collect();
    if s.chars().nth(64).is_some() {
        out.push('…');
    }
    out
}

// ---------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------

/// A JSON object built field by field, absent values left out.
#[derive(Default)]
pub(crate) struct Obj(Map<String, Value>);

impl Obj {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Put `v` under `key` if present.
    pub(crate) fn put(mut self, key: &str, v: Option<impl Into<Value>>) -> Self {
        if let Some(v) = v {
            self.0.insert(key.to_owned(), v.into());
        }
        self
    }

    /// Put a reported number under `key` if present.
    pub(crate) fn num(self, key: &str, n: Option<&WireNumber>) -> Self {
        self.put(key, n.map(WireNumber::to_json))
    }

    /// Put a direction's code under `key` if present.
    pub(crate) fn dir(self, key: &str, d: Option<Direction>) -> Self {
        self.put(key, d.map(Direction::code))
    }

    pub(crate) fn done(self) -> Value {
        Value::Object(self.0)
    }
}

impl WireNumber {
    /// JSON form: the E.164 string when parsed, `{"raw": "…"}` otherwise.
    #[must_use]
    pub fn to_json(&self) -> Value {
        match self {
            Self::Parsed(n) => Value::from(n.e164().as_str()),
            Self::Raw(s) => json!({ "raw": s }),
        }
    }
}

// ---------------------------------------------------------------------------
// AXB
// ---------------------------------------------------------------------------

fn pre_voice(a: &mut Args) -> Result<Option<PreVoice>> {
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

fn axb_bind(a: &mut Args) -> Result<AxbBind> {
    let mut op = AxbBind::new(
        a.required_number("callerNum")?,
        a.required_number("calleeNum")?,
    );
    op.relation_num = a.number("relationNum")?;
    op.area_code = a.text("areaCode")?;
    op.area_match_mode = a
        .text("areaMatchMode")?
        .map(|m| AreaMatchMode::from_wire(&m))
        .transpose()?;
    op.call_direction = a.direction("callDirection")?;
    op.duration = a.uint("duration")?;
    op.record_flag = a.flag("recordFlag")?;
    op.record_hint_tone = a.text("recordHintTone")?;
    op.max_duration = a.u32("maxDuration")?;
    op.last_min_voice = a.text("lastMinVoice")?;
    op.private_sms = a.flag("privateSms")?;
    op.pre_voice = pre_voice(a)?;
    op.user_data = a.text("userData")?;
    Ok(op)
}

fn axb_unbind(a: &mut Args) -> Result<AxbUnbind> {
    if a.has("subscriptionId") && a.has("relationNum") {
        return Err(a.exclusive("subscriptionId", "relationNum"));
    }
    if let Some(id) = a.text("subscriptionId")? {
        return Ok(AxbUnbind::BySubscriptionId(id));
    }
    match a.number("relationNum")? {
        Some(x) => Ok(AxbUnbind::EverythingOnX(x)),
        None => Err(a.missing("subscriptionId")),
    }
}

fn axb_modify(a: &mut Args) -> Result<AxbModify> {
    let mut op = AxbModify::new(a.required_text("subscriptionId")?);
    op.caller_num = a.number("callerNum")?;
    op.callee_num = a.number("calleeNum")?;
    op.call_direction = a.direction("callDirection")?;
    op.duration = a.uint("duration")?;
    op.max_duration = a.u32("maxDuration")?;
    op.last_min_voice = a.text("lastMinVoice")?;
    op.private_sms = a.flag("privateSms")?;
    op.record_flag = a.flag("recordFlag")?;
    op.pre_voice = pre_voice(a)?;
    op.user_data = a.text("userData")?;
    Ok(op)
}

fn axb_query(a: &mut Args) -> Result<AxbQuery> {
    if a.has("subscriptionId") {
        const ON_X: [&str; 5] = [
            "relationNum",
            "callerNum",
            "calleeNum",
            "pageIndex",
            "pageSize",
        ];
        for other in ON_X {
            if a.has(other) {
                return Err(a.exclusive("subscriptionId", other));
            }
        }
        return Ok(AxbQuery::BySubscriptionId(
            a.required_text("subscriptionId")?,
        ));
    }
    let Some(relation_num) = a.number("relationNum")? else {
        return Err(a.missing("relationNum"));
    };
    Ok(AxbQuery::OnX {
        relation_num,
        caller_num: a.number("callerNum")?,
        callee_num: a.number("calleeNum")?,
        page_index: a.u32("pageIndex")?,
        page_size: a.u32("pageSize")?,
    })
}

impl PreVoice {
    /// JSON form (snake-case keys, absent tones left out).
    #[must_use]
    pub fn to_json(&self) -> Value {
        Obj::new()
            .put("caller_hint_tone", self.caller_hint_tone.clone())
            .put("callee_hint_tone", self.callee_hint_tone.clone())
            .done()
    }
}

impl AxbBound {
    /// JSON form (see the [module docs](self)).
    #[must_use]
    pub fn to_json(&self) -> Value {
        Obj::new()
            .put("subscription_id", Some(self.subscription_id.clone()))
            .num("relation_num", self.relation_num.as_ref())
            .num("caller_num", self.caller_num.as_ref())
            .num("callee_num", self.callee_num.as_ref())
            .dir("call_direction", self.call_direction)
            .put("duration", self.duration)
            .put("max_duration", self.max_duration)
            .put("pre_voice", self.pre_voice.as_ref().map(PreVoice::to_json))
            .done()
    }
}

impl AxbRecord {
    /// JSON form (see the [module docs](self)).
    #[must_use]
    pub fn to_json(&self) -> Value {
        Obj::new()
            .put("subscription_id", self.subscription_id.clone())
            .num("relation_num", self.relation_num.as_ref())
            .num("caller_num", self.caller_num.as_ref())
            .num("callee_num", self.callee_num.as_ref())
            .dir("call_direction", self.call_direction)
            .put("duration", self.duration)
            .put("max_duration", self.max_duration)
            .put("record_flag", self.record_flag)
            .put("record_hint_tone", self.record_hint_tone.clone())
            .put("last_min_voice", self.last_min_voice.clone())
            .put("private_sms", self.private_sms)
            .put("pre_voice", self.pre_voice.as_ref().map(PreVoice::to_json))
            .put("user_data", self.user_data.clone())
            .done()
    }
}

impl AxbBindings {
    /// JSON form (see the [module docs](self)).
    #[must_use]
    pub fn to_json(&self) -> Value {
        Obj::new()
            .put("total_count", self.total_count)
            .put("skipped", Some(self.skipped))
            .put(
                "bindings",
                Some(Value::Array(
                    self.bindings.iter().map(AxbRecord::to_json).collect(),
                )),
            )
            .done()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(name: &str, args: Value) -> Error {
        AnyOperation::from_json(name, &args).unwrap_err()
    }

    #[test]
    fn names_and_dispatch() {
        for &name in NAMES {
            // Every name is known (its error, if any, is about arguments).
            let e = AnyOperation::from_json(name, &Value::Null);
            if let Err(e) = e {
                assert!(!e.message().contains("unknown operation"), "{name}: {e}");
            }
        }
        let e = err("axb.bnid", Value::Null);
        assert_eq!(e.kind(), ErrorKind::InvalidArgument);
        assert!(e.message().contains("axb.bind, axb.unbind"), "{e}");
        let long = "x".repeat(500);
        let e = err(&long, Value::Null);
        assert!(!e.message().contains(&"x".repeat(65)), "{e}");
        assert!(e.message().contains(&format!("{}…", "x".repeat(64))), "{e}");
    }

    #[test]
    fn argument_errors_name_the_field_and_never_echo_values() {
        let e = err("axb.bind", json!({"callerNum": "13800000001"}));
        assert_eq!(
            (e.kind(), e.field()),
            (ErrorKind::InvalidArgument, Some("calleeNum"))
        );
        assert!(e.message().contains("required"), "{e}");
        let e = err(
            "axb.bind",
            json!({"callerNum": "13800000001", "calleeNum": "13900000002", "calerNum": "1"}),
        );
        assert!(e.message().contains("unknown argument \"calerNum\""), "{e}");
        let e = err(
            "axb.bind",
            json!({"callerNum": ["13800000001"], "calleeNum": "13900000002"}),
        );
        assert_eq!(e.field(), Some("callerNum"));
        assert!(!e.message().contains("13800000001"), "{e}");
        let e = err(
            "axb.bind",
            json!({"callerNum": "13800000001", "calleeNum": "13900000002", "duration": "-1"}),
        );
        assert_eq!(e.field(), Some("duration"));
        let e = err(
            "axb.bind",
            json!({"callerNum": "1", "caller_num": "2", "calleeNum": "13900000002"}),
        );
        assert!(e.message().contains("given twice"), "{e}");
        let e = err("axb.bind", json!([1]));
        assert!(e.message().contains("JSON object, not a array"), "{e}");
        let e = err(
            "axb.unbind",
            json!({"subscriptionId": "s", "relationNum": "+8617000000010"}),
        );
        assert!(e.message().contains("not both"), "{e}");
        let e = err("axb.unbind", json!({}));
        assert_eq!(e.field(), Some("subscriptionId"));
        let e = err("axb.query", json!({"subscriptionId": "s", "pageSize": 10}));
        assert_eq!(e.field(), Some("pageSize"));
        let e = err(
            "axb.bind",
            json!({"callerNum": "1380000000x", "calleeNum": "13900000002"}),
        );
        assert_eq!(
            (e.kind(), e.field()),
            (ErrorKind::NumberInvalidCharacter, Some("callerNum"))
        );
        let e = err(
            "axb.bind",
            json!({"callerNum": "13800000001", "calleeNum": "13900000002", "preVoice": {"x": 1}}),
        );
        assert!(
            e.message().contains("preVoice: unknown argument \"x\""),
            "{e}"
        );
        let e = err(
            "axb.bind",
            json!({"callerNum": "13800000001", "calleeNum": "13900000002", "callDirection": 7}),
        );
        assert_eq!(e.platform_code(), Some("1010002"));
    }

    #[test]
    fn lenient_values_and_snake_case() {
        let op = AnyOperation::from_json(
            "axb.bind",
            &json!({
                "caller_num": 13_800_000_001_u64, "callee_num": "+86 139 0000 0002",
                "record_flag": "true", "private_sms": 0, "max_duration": "60",
                "pre_voice": {"caller_hint_tone": "a.wav"}, "user_data": null,
            }),
        )
        .unwrap();
        let AnyOperation::AxbBind(b) = &op else {
            panic!("{op:?}")
        };
        assert_eq!(b.record_flag, Some(true));
        assert_eq!(b.private_sms, Some(false));
        assert_eq!(b.max_duration, Some(60));
        assert_eq!(b.user_data, None);
        assert_eq!(
            b.pre_voice
                .as_ref()
                .and_then(|p| p.caller_hint_tone.as_deref()),
            Some("a.wav")
        );
        assert_eq!(camel_case("caller_num"), "callerNum");
        assert_eq!(camel_case("_x_y"), "xY");
        assert_eq!(camel_case("callerNum"), "callerNum");
        assert_eq!(op.op_name(), "axb.bind");
    }
}
