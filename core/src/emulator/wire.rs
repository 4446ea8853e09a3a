//! Reading the platform's wire strictly, shared by every mode's API: JSON
//! bodies, query strings, numbers in global format, and validation with
//! the client's `prepare()`.
//!
//! A number must be in global format exactly (`+8613800000001`; a `+`
//! sent raw in a query string decodes as a space and is refused with
//! 1010002), and a field of the wrong JSON type is refused naming the
//! field. Integers may also come as digit strings and booleans as JSON
//! booleans, which the platform's demo code sends.

use std::borrow::Cow;

use serde_json::{Map, Value};

use crate::client::Operation;
use crate::client::axb::PreVoice;
use crate::client::direction_from_code;
use crate::engine::{BindingId, Direction, Extras};
use crate::number::{self, Number};

use super::App;
use super::answer::{CODE_NOT_APPLIED, Refusal};

// ---------------------------------------------------------------------------
// Reading the wire
// ---------------------------------------------------------------------------

/// The JSON object of a request body.
pub(crate) fn object(body: &[u8]) -> Result<Map<String, Value>, Refusal> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(Refusal::invalid("body", "the body must be a JSON object")),
        Err(e) => Err(Refusal::invalid(
            "body",
            &format!("the body is not JSON ({e})"),
        )),
    }
}

pub(crate) fn text<'a>(
    obj: &'a Map<String, Value>,
    name: &str,
) -> Result<Option<&'a str>, Refusal> {
    match obj.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(Refusal::invalid(name, "must be a string")),
    }
}

pub(crate) fn integer(obj: &Map<String, Value>, name: &str) -> Result<Option<u64>, Refusal> {
    let bad = || Refusal::invalid(name, "must be a non-negative integer");
    match obj.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n.as_u64().map(Some).ok_or_else(bad),
        Some(Value::String(s)) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
            s.parse().map(Some).map_err(|_| bad())
        }
        Some(_) => Err(bad()),
    }
}

pub(crate) fn small(value: Option<u64>, name: &str) -> Result<Option<u32>, Refusal> {
    value
        .map(|v| u32::try_from(v).map_err(|_| Refusal::invalid(name, "is out of range")))
        .transpose()
}

pub(crate) fn flag(obj: &Map<String, Value>, name: &str) -> Result<Option<bool>, Refusal> {
    match obj.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(Value::String(s)) if s == "true" => Ok(Some(true)),
        Some(Value::String(s)) if s == "false" => Ok(Some(false)),
        Some(_) => Err(Refusal::invalid(name, "must be \"true\" or \"false\"")),
    }
}

/// A number exactly in global format (`+` and digits, nothing else).
pub(crate) fn wire_number(value: &str, name: &str) -> Result<Number, Refusal> {
    let n = number::parse(value)
        .ok()
        .filter(|n| n.e164().as_str() == value)
        .ok_or_else(|| {
            Refusal::invalid(
                name,
                "must be a number in global format (+ and digits; %2B in a query string)",
            )
        })?;
    Ok(n)
}

pub(crate) fn number_field(
    obj: &Map<String, Value>,
    name: &str,
) -> Result<Option<Number>, Refusal> {
    text(obj, name)?.map(|s| wire_number(s, name)).transpose()
}

pub(crate) fn required_number(obj: &Map<String, Value>, name: &str) -> Result<Number, Refusal> {
    number_field(obj, name)?.ok_or_else(|| Refusal::invalid(name, "is required"))
}

pub(crate) fn direction(obj: &Map<String, Value>) -> Result<Option<Direction>, Refusal> {
    small(integer(obj, "callDirection")?, "callDirection")?
        .map(|c| direction_from_code(c).map_err(|e| Refusal::from_error(&e, CODE_NOT_APPLIED)))
        .transpose()
}

pub(crate) fn pre_voice(obj: &Map<String, Value>) -> Result<Option<PreVoice>, Refusal> {
    match obj.get("preVoice") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(p)) => Ok(Some(PreVoice {
            caller_hint_tone: text(p, "callerHintTone")?.map(str::to_owned),
            callee_hint_tone: text(p, "calleeHintTone")?.map(str::to_owned),
        })),
        Some(_) => Err(Refusal::invalid("preVoice", "must be an object")),
    }
}

pub(crate) fn owned(value: Option<&str>) -> Option<String> {
    value.map(str::to_owned)
}

/// Query parameters, decoded as a form: `%2B` is `+`, a raw `+` is a space.
pub(crate) fn query_params(query: &str) -> Vec<(Cow<'_, str>, Cow<'_, str>)> {
    form_urlencoded::parse(query.as_bytes()).collect()
}

pub(crate) fn param<'a>(params: &'a [(Cow<'_, str>, Cow<'_, str>)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_ref())
}

pub(crate) fn param_number(
    params: &[(Cow<'_, str>, Cow<'_, str>)],
    name: &str,
) -> Result<Option<Number>, Refusal> {
    param(params, name)
        .filter(|v| !v.is_empty())
        .map(|v| wire_number(v, name))
        .transpose()
}

pub(crate) fn param_integer(
    params: &[(Cow<'_, str>, Cow<'_, str>)],
    name: &str,
) -> Result<Option<u32>, Refusal> {
    match param(params, name).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => v
            .parse::<u32>()
            .map(Some)
            .map_err(|_| Refusal::invalid(name, "must be a non-negative integer")),
    }
}

/// Validate with the client's rules; a failure is the platform's refusal.
pub(crate) fn prepared(op: &impl Operation) -> Result<(), Refusal> {
    op.prepare()
        .map(drop)
        .map_err(|e| Refusal::from_error(&e, CODE_NOT_APPLIED))
}

// ---------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------

pub(crate) fn bool_wire(b: bool) -> &'static str {
    if b { "true" } else { "false" }
}

pub(crate) fn pre_voice_json(extras: Option<&Extras>) -> Option<Value> {
    let e = extras?;
    if e.caller_hint_tone.is_none() && e.callee_hint_tone.is_none() {
        return None;
    }
    let mut p = Map::new();
    if let Some(t) = &e.caller_hint_tone {
        p.insert("callerHintTone".into(), Value::from(t.as_str()));
    }
    if let Some(t) = &e.callee_hint_tone {
        p.insert("calleeHintTone".into(), Value::from(t.as_str()));
    }
    Some(Value::Object(p))
}

/// The id of an existing binding of `app`, or `not_found`.
pub(crate) fn existing(app: &App, id: &str, not_found: &str) -> Result<BindingId, Refusal> {
    BindingId::new(id)
        .ok()
        .filter(|id| app.engine.get(id).is_some())
        .ok_or_else(|| Refusal::new(not_found, "subscriptionId: no such binding."))
}

/// A number of this application (named by `field`), or 1012001.
pub(crate) fn own_number(app: &App, x: Number, field: &str) -> Result<Number, Refusal> {
    if app.numbers.contains(&x) {
        Ok(x)
    } else {
        Err(Refusal::new(
            CODE_NOT_APPLIED,
            &format!("{field}: not a number of this application."),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_must_be_exactly_global_format() {
        assert!(wire_number("+8613800000001", "callerNum").is_ok());
        for bad in [
            " 8613800000001",
            "8613800000001",
            "13800000001",
            "+86 138 0000 0001",
            "+8613800000001 ",
            "",
        ] {
            let r = wire_number(bad, "callerNum").unwrap_err();
            assert_eq!(r.code, "1010002", "{bad:?}");
            assert!(r.desc.contains("callerNum"), "{}", r.desc);
        }
        // A raw '+' in a query decodes as a space: refused.
        let p = query_params("relationNum=+8617000000010");
        assert!(param_number(&p, "relationNum").is_err());
        let p = query_params("relationNum=%2B8617000000010");
        assert!(param_number(&p, "relationNum").unwrap().is_some());
    }

    #[test]
    fn field_types() {
        let obj =
            object(br#"{"a":"true","b":false,"c":"1","d":7,"e":-1,"f":1.5,"g":"x","h":{"k":1}}"#)
                .unwrap();
        assert_eq!(flag(&obj, "a").unwrap(), Some(true));
        assert_eq!(flag(&obj, "b").unwrap(), Some(false));
        assert!(flag(&obj, "c").is_err());
        assert_eq!(integer(&obj, "c").unwrap(), Some(1));
        assert_eq!(integer(&obj, "d").unwrap(), Some(7));
        assert_eq!(integer(&obj, "zz").unwrap(), None);
        for bad in ["e", "f", "g", "h"] {
            assert_eq!(integer(&obj, bad).unwrap_err().code, "1010002");
        }
        assert!(text(&obj, "d").is_err());
        assert!(object(b"[1]").is_err());
        assert!(object(b"{").is_err());
        assert!(small(Some(u64::from(u32::MAX) + 1), "maxDuration").is_err());
    }
}
