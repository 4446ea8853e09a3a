//! Checks and conversions shared by the operations of every mode: the wire
//! forms of booleans and numbers, the bounds of the fields several modes
//! have (`subscriptionId`, `areaCode`, tone files, `userData`, …) and the
//! platform rules on them, each error naming its wire field.

use serde::Serialize;
use serde_json::{Map, Value};

use super::{invalid_field, lenient_u64};
use crate::engine::rules;
use crate::error::{Error, ErrorKind, Result};
use crate::number::{Field, Number};

/// Longest tone file name of the `String(0-128)` fields (`lastMinVoice`,
/// `preVoice.callerHintTone`, `preVoice.calleeHintTone`).
pub(crate) const TONE_MAX: usize = 128;

/// A boolean as the platform's request bodies spell it.
pub(crate) fn bool_wire(b: bool) -> &'static str {
    if b { "true" } else { "false" }
}

/// A number for a `String(min-max)` field, in global format.
pub(crate) fn number_in(n: Number, field: Field, wire: &'static str) -> Result<String> {
    n.check_field(field).map_err(|e| e.with_field(wire))?;
    Ok(n.e164().as_str().to_owned())
}

/// A party (A, B, a callee): bindable and within `field`'s bounds.
pub(crate) fn party(n: Number, field: Field, wire: &'static str) -> Result<String> {
    let text = number_in(n, field, wire)?;
    rules::check_party(&n, wire).map_err(Error::from)?;
    Ok(text)
}

/// `subscriptionId`: String(1-64).
pub(crate) fn subscription_id(id: &str) -> Result<&str> {
    Field::SubscriptionId
        .check(id)
        .map_err(|e| e.with_field("subscriptionId"))?;
    Ok(id)
}

/// `areaCode`: 1–32 ASCII digits (an empty code is left out instead), as
/// the engine accepts them.
pub(crate) fn area_code(code: &str) -> Result<&str> {
    if code.is_empty() || code.len() > 32 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid_field(
            "areaCode",
            format!(
                "an area code must be 1-32 ASCII digits (e.g. \"0755\"), got {} characters",
                code.chars().count()
            ),
        ));
    }
    Ok(code)
}

/// A tone file name of a `String(0-128)` field.
pub(crate) fn tone_0_128<'a>(
    value: Option<&'a str>,
    wire: &'static str,
) -> Result<Option<&'a str>> {
    if let Some(v) = value {
        let len = v.chars().count();
        if len > TONE_MAX {
            return Err(Error::new(
                ErrorKind::FieldOutOfBounds,
                format!("{wire} takes 0 to {TONE_MAX} characters; the value has {len}"),
            )
            .with_field(wire));
        }
    }
    Ok(value)
}

/// A tone file name of a `String(1-128)` field (`recordHintTone`,
/// `callbackTone`, …).
pub(crate) fn tone_1_128<'a>(
    value: Option<&'a str>,
    wire: &'static str,
) -> Result<Option<&'a str>> {
    if let Some(v) = value {
        Field::ToneFile.check(v).map_err(|e| e.with_field(wire))?;
    }
    Ok(value)
}

/// `duration` in seconds, by the platform's rule.
pub(crate) fn duration(secs: Option<u64>) -> Result<Option<u64>> {
    if let Some(s) = secs {
        rules::check_duration_secs(s).map_err(Error::from)?;
    }
    Ok(secs)
}

/// `maxDuration` in minutes, by the platform's rule.
pub(crate) fn max_duration(minutes: Option<u32>) -> Result<Option<u32>> {
    if let Some(m) = minutes {
        rules::check_max_duration_minutes(m).map_err(Error::from)?;
    }
    Ok(minutes)
}

/// `userData`, by the platform's rule.
pub(crate) fn user_data(data: Option<&str>) -> Result<Option<&str>> {
    if let Some(d) = data {
        rules::check_user_data(d).map_err(Error::from)?;
    }
    Ok(data)
}

/// The JSON text of a request body.
pub(crate) fn body<T: Serialize>(wire: &T) -> Result<String> {
    serde_json::to_string(wire).map_err(|e| {
        Error::new(
            ErrorKind::InvalidArgument,
            format!("the request body cannot be serialized: {e}"),
        )
    })
}

/// A non-negative integer of an answer that fits 32 bits.
pub(crate) fn lenient_u32(v: &Value) -> Option<u32> {
    lenient_u64(v).and_then(|n| u32::try_from(n).ok())
}

/// A string field of an answer, as received (`None` when absent or not a
/// string).
pub(crate) fn text_of(obj: &Map<String, Value>, key: &str) -> Option<String> {
    obj.get(key).and_then(Value::as_str).map(str::to_owned)
}
