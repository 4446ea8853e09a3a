//! The AXB API (PN §3) on `/rest/caas/relationnumber/partners/v1.0`.
//!
//! Every request is read into the client's typed operation
//! ([`AxbBind`], [`AxbUnbind`], [`AxbModify`], [`AxbQuery`]) and validated by
//! its `prepare()`, so the emulator refuses exactly what privnum's client
//! refuses before sending, with the same result code (1010002 and a field
//! name). What the rules decide against existing bindings (one user number
//! once per X, the 5000-pair cap, X ownership, pool exhaustion) is the
//! application's [`crate::engine::Engine`]'s answer.
//!
//! Reading the wire is strict where the platform is: a number must be in
//! global format exactly (`+8613800000001`; a `+` sent raw in a query string
//! decodes as a space and is refused with 1010002), and a field of the wrong
//! JSON type is refused naming the field. Integers may also come as digit
//! strings and booleans as JSON booleans, which the platform's demo code
//! sends.

use std::borrow::Cow;
use std::sync::Arc;

use serde_json::{Map, Value, json};

use crate::client::Operation;
use crate::client::axb::{
    AreaMatchMode, AxbBind, AxbModify, AxbQuery, AxbUnbind, PAGE_SIZE_MAX, PAGE_SIZE_MIN, PreVoice,
};
use crate::client::direction_from_code;
use crate::engine::{
    BindRequest, Binding, BindingId, Changes, Direction, Extras, Settings, Shape, ShapeRequest,
    XChoice,
};
use crate::number::{self, Number};

use super::App;
use super::answer::{Answer, CODE_NO_RECORD, CODE_NOT_APPLIED, Refusal};

/// Default `pageSize` when absent or out of range (PN §3.4).
const DEFAULT_PAGE_SIZE: u32 = 50;

type Outcome = Result<Answer, Refusal>;

// ---------------------------------------------------------------------------
// Reading the wire
// ---------------------------------------------------------------------------

/// The JSON object of a request body.
fn object(body: &[u8]) -> Result<Map<String, Value>, Refusal> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(Refusal::invalid("body", "the body must be a JSON object")),
        Err(e) => Err(Refusal::invalid(
            "body",
            &format!("the body is not JSON ({e})"),
        )),
    }
}

fn text<'a>(obj: &'a Map<String, Value>, name: &str) -> Result<Option<&'a str>, Refusal> {
    match obj.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(Refusal::invalid(name, "must be a string")),
    }
}

fn integer(obj: &Map<String, Value>, name: &str) -> Result<Option<u64>, Refusal> {
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

fn small(value: Option<u64>, name: &str) -> Result<Option<u32>, Refusal> {
    value
        .map(|v| u32::try_from(v).map_err(|_| Refusal::invalid(name, "is out of range")))
        .transpose()
}

fn flag(obj: &Map<String, Value>, name: &str) -> Result<Option<bool>, Refusal> {
    match obj.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(Value::String(s)) if s == "true" => Ok(Some(true)),
        Some(Value::String(s)) if s == "false" => Ok(Some(false)),
        Some(_) => Err(Refusal::invalid(name, "must be \"true\" or \"false\"")),
    }
}

/// A number exactly in global format (`+` and digits, nothing else).
fn wire_number(value: &str, name: &str) -> Result<Number, Refusal> {
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

fn number_field(obj: &Map<String, Value>, name: &str) -> Result<Option<Number>, Refusal> {
    text(obj, name)?.map(|s| wire_number(s, name)).transpose()
}

fn required_number(obj: &Map<String, Value>, name: &str) -> Result<Number, Refusal> {
    number_field(obj, name)?.ok_or_else(|| Refusal::invalid(name, "is required"))
}

fn direction(obj: &Map<String, Value>) -> Result<Option<Direction>, Refusal> {
    small(integer(obj, "callDirection")?, "callDirection")?
        .map(|c| direction_from_code(c).map_err(|e| Refusal::from_error(&e, CODE_NOT_APPLIED)))
        .transpose()
}

fn pre_voice(obj: &Map<String, Value>) -> Result<Option<PreVoice>, Refusal> {
    match obj.get("preVoice") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(p)) => Ok(Some(PreVoice {
            caller_hint_tone: text(p, "callerHintTone")?.map(str::to_owned),
            callee_hint_tone: text(p, "calleeHintTone")?.map(str::to_owned),
        })),
        Some(_) => Err(Refusal::invalid("preVoice", "must be an object")),
    }
}

fn owned(value: Option<&str>) -> Option<String> {
    value.map(str::to_owned)
}

/// Query parameters, decoded as a form: `%2B` is `+`, a raw `+` is a space.
fn query_params(query: &str) -> Vec<(Cow<'_, str>, Cow<'_, str>)> {
    form_urlencoded::parse(query.as_bytes()).collect()
}

fn param<'a>(params: &'a [(Cow<'_, str>, Cow<'_, str>)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_ref())
}

fn param_number(
    params: &[(Cow<'_, str>, Cow<'_, str>)],
    name: &str,
) -> Result<Option<Number>, Refusal> {
    param(params, name)
        .filter(|v| !v.is_empty())
        .map(|v| wire_number(v, name))
        .transpose()
}

fn param_integer(
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
fn prepared(op: &impl Operation) -> Result<(), Refusal> {
    op.prepare()
        .map(drop)
        .map_err(|e| Refusal::from_error(&e, CODE_NOT_APPLIED))
}

// ---------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------

fn bool_wire(b: bool) -> &'static str {
    if b { "true" } else { "false" }
}

fn pre_voice_json(extras: Option<&Extras>) -> Option<Value> {
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

/// One binding as the query lists it (`relationNumList[]`).
pub(crate) fn record_json(b: &Binding) -> Value {
    let mut m = Map::new();
    m.insert("subscriptionId".into(), Value::from(b.id.as_string()));
    if let Some(x) = b.x {
        m.insert("relationNum".into(), Value::from(x.e164().as_str()));
    }
    if let Shape::Pair { a, b: bb } = &b.shape {
        m.insert("callerNum".into(), Value::from(a.e164().as_str()));
        m.insert("calleeNum".into(), Value::from(bb.e164().as_str()));
    }
    let s = &b.settings;
    m.insert("callDirection".into(), Value::from(s.direction.code()));
    m.insert("duration".into(), Value::from(s.duration_secs));
    m.insert("maxDuration".into(), Value::from(s.max_duration_min));
    m.insert("recordFlag".into(), Value::from(bool_wire(s.record)));
    m.insert("privateSms".into(), Value::from(bool_wire(s.sms)));
    let extras = s.extras.as_deref();
    if let Some(e) = extras {
        for (name, value) in [
            ("recordHintTone", &e.record_hint_tone),
            ("lastMinVoice", &e.last_min_voice),
            ("userData", &e.user_data),
        ] {
            if let Some(v) = value {
                m.insert(name.into(), Value::from(v.as_str()));
            }
        }
    }
    if let Some(p) = pre_voice_json(extras) {
        m.insert("preVoice".into(), p);
    }
    Value::Object(m)
}

// ---------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------

/// POST: bind A and B on an X (given, or chosen from the pool).
pub(crate) fn bind(app: &App, body: &[u8], now: u64) -> Outcome {
    let obj = object(body)?;
    let mut op = AxbBind::new(
        required_number(&obj, "callerNum")?,
        required_number(&obj, "calleeNum")?,
    );
    op.relation_num = number_field(&obj, "relationNum")?;
    op.area_code = text(&obj, "areaCode")?
        .filter(|a| !a.is_empty())
        .map(str::to_owned);
    op.area_match_mode = text(&obj, "areaMatchMode")?
        .map(|m| AreaMatchMode::from_wire(m).map_err(|e| Refusal::from_error(&e, CODE_NOT_APPLIED)))
        .transpose()?;
    op.call_direction = direction(&obj)?;
    op.duration = integer(&obj, "duration")?;
    op.record_flag = flag(&obj, "recordFlag")?;
    op.record_hint_tone = owned(text(&obj, "recordHintTone")?);
    op.max_duration = small(integer(&obj, "maxDuration")?, "maxDuration")?;
    op.last_min_voice = owned(text(&obj, "lastMinVoice")?);
    op.private_sms = flag(&obj, "privateSms")?;
    op.pre_voice = pre_voice(&obj)?;
    op.user_data = owned(text(&obj, "userData")?);
    prepared(&op)?;

    let x = match op.relation_num {
        // A given X wins over an area code (PN §3.1).
        Some(x) => XChoice::Given(x),
        None => XChoice::Pick {
            area: op.area_code.clone(),
            fallback: op.area_match_mode == Some(AreaMatchMode::Fallback),
        },
    };
    let extras = Extras {
        record_hint_tone: op.record_hint_tone.clone(),
        last_min_voice: op.last_min_voice.clone(),
        caller_hint_tone: op
            .pre_voice
            .as_ref()
            .and_then(|p| p.caller_hint_tone.clone()),
        callee_hint_tone: op
            .pre_voice
            .as_ref()
            .and_then(|p| p.callee_hint_tone.clone()),
        callback_tone: None,
        user_data: op.user_data.clone(),
    };
    let req = BindRequest {
        shape: ShapeRequest::Pair {
            a: op.caller_num,
            b: op.callee_num,
        },
        x,
        settings: Settings {
            direction: op.call_direction.unwrap_or_default(),
            record: op.record_flag.unwrap_or(false),
            sms: op.private_sms.unwrap_or(true),
            // Both fit: prepare() checked 0–1440 and 0–7 776 000.
            max_duration_min: u16::try_from(op.max_duration.unwrap_or(0)).unwrap_or(u16::MAX),
            duration_secs: u32::try_from(op.duration.unwrap_or(0)).unwrap_or(u32::MAX),
            extras: (!extras.is_empty()).then(|| Arc::new(extras)),
        },
        id: None,
    };
    let b = app
        .engine
        .bind(&req, now)
        .map_err(|e| Refusal::from_error(&e, CODE_NOT_APPLIED))?;
    let mut out = Map::new();
    out.insert("subscriptionId".into(), Value::from(b.id.as_string()));
    if let Some(x) = b.x {
        out.insert("relationNum".into(), Value::from(x.e164().as_str()));
    }
    out.insert(
        "callDirection".into(),
        Value::from(b.settings.direction.code()),
    );
    out.insert("duration".into(), Value::from(b.settings.duration_secs));
    out.insert(
        "maxDuration".into(),
        Value::from(b.settings.max_duration_min),
    );
    if let Some(p) = pre_voice_json(b.settings.extras.as_deref()) {
        out.insert("preVoice".into(), p);
    }
    Ok(Answer::success(out))
}

/// The id of an existing binding, or `not_found`.
fn existing(app: &App, id: &str, not_found: &str) -> Result<BindingId, Refusal> {
    BindingId::new(id)
        .ok()
        .filter(|id| app.engine.get(id).is_some())
        .ok_or_else(|| Refusal::new(not_found, "subscriptionId: no such binding."))
}

/// An X of this application, or 1012001.
fn own_x(app: &App, x: Number) -> Result<Number, Refusal> {
    if app.numbers.contains(&x) {
        Ok(x)
    } else {
        Err(Refusal::new(
            CODE_NOT_APPLIED,
            "relationNum: not a number of this application.",
        ))
    }
}

/// DELETE: one binding by `subscriptionId`, or every binding on
/// `relationNum`.
pub(crate) fn unbind(app: &App, query: &str, now: u64) -> Outcome {
    let params = query_params(query);
    let refuse = |e: crate::Error| Refusal::from_error(&e, CODE_NOT_APPLIED);
    if let Some(id) = param(&params, "subscriptionId") {
        prepared(&AxbUnbind::BySubscriptionId(id.to_owned()))?;
        let id = existing(app, id, CODE_NOT_APPLIED)?;
        app.engine.unbind(&id, now).map_err(refuse)?;
        return Ok(Answer::success(Map::new()));
    }
    let Some(x) = param_number(&params, "relationNum")? else {
        return Err(Refusal::invalid(
            "subscriptionId",
            "subscriptionId or relationNum is required",
        ));
    };
    prepared(&AxbUnbind::EverythingOnX(x))?;
    let removed = app.engine.unbind_x(own_x(app, x)?, now).map_err(refuse)?;
    if removed == 0 {
        return Err(Refusal::new(
            CODE_NOT_APPLIED,
            "relationNum: nothing is bound on this number.",
        ));
    }
    Ok(Answer::success(Map::new()))
}

/// PUT: change a binding; absent fields stay.
pub(crate) fn modify(app: &App, body: &[u8], now: u64) -> Outcome {
    let obj = object(body)?;
    let id = text(&obj, "subscriptionId")?
        .ok_or_else(|| Refusal::invalid("subscriptionId", "is required"))?;
    let mut op = AxbModify::new(id);
    op.caller_num = number_field(&obj, "callerNum")?;
    op.callee_num = number_field(&obj, "calleeNum")?;
    op.call_direction = direction(&obj)?;
    op.duration = integer(&obj, "duration")?;
    op.max_duration = small(integer(&obj, "maxDuration")?, "maxDuration")?;
    op.last_min_voice = owned(text(&obj, "lastMinVoice")?);
    op.private_sms = flag(&obj, "privateSms")?;
    op.record_flag = flag(&obj, "recordFlag")?;
    op.pre_voice = pre_voice(&obj)?;
    op.user_data = owned(text(&obj, "userData")?);
    prepared(&op)?;

    let id = existing(app, id, CODE_NOT_APPLIED)?;
    let old = app
        .engine
        .get(&id)
        .ok_or_else(|| Refusal::new(CODE_NOT_APPLIED, "subscriptionId: no such binding."))?;
    let extras = if op.last_min_voice.is_some() || op.pre_voice.is_some() || op.user_data.is_some()
    {
        // The engine replaces text settings as a whole: start from the old.
        let mut e = old.settings.extras.as_deref().cloned().unwrap_or_default();
        if let Some(v) = &op.last_min_voice {
            e.last_min_voice = Some(v.clone());
        }
        if let Some(p) = &op.pre_voice {
            e.caller_hint_tone = p.caller_hint_tone.clone();
            e.callee_hint_tone = p.callee_hint_tone.clone();
        }
        if let Some(u) = &op.user_data {
            e.user_data = Some(u.clone());
        }
        Some(Arc::new(e))
    } else {
        None
    };
    let changes = Changes {
        a: op.caller_num,
        b: op.callee_num,
        direction: op.call_direction,
        record: op.record_flag,
        sms: op.private_sms,
        max_duration_min: op
            .max_duration
            .map(|m| u16::try_from(m).unwrap_or(u16::MAX)),
        duration_secs: op.duration.map(|d| u32::try_from(d).unwrap_or(u32::MAX)),
        extras,
        callback: None,
        callback_lifetime_secs: None,
    };
    app.engine
        .modify(&id, &changes, now)
        .map_err(|e| Refusal::from_error(&e, CODE_NOT_APPLIED))?;
    Ok(Answer::success(Map::new()))
}

/// GET: one binding by `subscriptionId`, or a page of the bindings on
/// `relationNum` (narrowed by `callerNum` / `calleeNum`).
pub(crate) fn query(app: &App, query: &str) -> Outcome {
    let params = query_params(query);
    if let Some(id) = param(&params, "subscriptionId") {
        prepared(&AxbQuery::BySubscriptionId(id.to_owned()))?;
        let id = existing(app, id, CODE_NO_RECORD)?;
        let b = app
            .engine
            .get(&id)
            .ok_or_else(|| Refusal::new(CODE_NO_RECORD, ""))?;
        let mut out = Map::new();
        out.insert("totalCount".into(), json!(1));
        out.insert("relationNumList".into(), json!([record_json(&b)]));
        return Ok(Answer::success(out));
    }
    let Some(x) = param_number(&params, "relationNum")? else {
        return Err(Refusal::invalid(
            "subscriptionId",
            "subscriptionId or relationNum is required",
        ));
    };
    let caller = param_number(&params, "callerNum")?;
    let callee = param_number(&params, "calleeNum")?;
    let page_index = param_integer(&params, "pageIndex")?;
    // Out of range is not an error on the platform: it uses 50.
    let page_size =
        param_integer(&params, "pageSize")?.filter(|s| (PAGE_SIZE_MIN..=PAGE_SIZE_MAX).contains(s));
    prepared(&AxbQuery::OnX {
        relation_num: x,
        caller_num: caller,
        callee_num: callee,
        page_index,
        page_size,
    })?;
    let x = own_x(app, x)?;
    let mut found: Vec<Binding> = app
        .engine
        .bindings_on(x)
        .into_iter()
        .filter(|b| b.state.is_bound())
        .filter(|b| match &b.shape {
            Shape::Pair { a, b: bb } => {
                caller.is_none_or(|c| c == *a) && callee.is_none_or(|c| c == *bb)
            }
            _ => false,
        })
        .collect();
    if found.is_empty() {
        return Err(Refusal::new(CODE_NO_RECORD, ""));
    }
    found.sort_by_key(|b| (b.bound_at, b.id.as_string()));
    let size = page_size.unwrap_or(DEFAULT_PAGE_SIZE) as usize;
    let index = page_index.unwrap_or(1).max(1) as usize;
    let page: Vec<Value> = found
        .iter()
        .skip((index - 1).saturating_mul(size))
        .take(size)
        .map(record_json)
        .collect();
    let mut out = Map::new();
    out.insert("totalCount".into(), json!(found.len()));
    out.insert("relationNumList".into(), Value::Array(page));
    Ok(Answer::success(out))
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
