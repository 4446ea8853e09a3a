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
//! Reading the wire is strict where the platform is (see [`super::wire`]).

use std::sync::Arc;

use serde_json::{Map, Value, json};

use crate::client::axb::{
    AreaMatchMode, AxbBind, AxbModify, AxbQuery, AxbUnbind, PAGE_SIZE_MAX, PAGE_SIZE_MIN,
};
use crate::engine::{
    BindRequest, Binding, Changes, Extras, Settings, Shape, ShapeRequest, XChoice,
};
use crate::number::Number;

use super::App;
use super::answer::{Answer, CODE_NO_RECORD, CODE_NOT_APPLIED, Refusal};
use super::wire::{
    bool_wire, direction, existing, flag, integer, number_field, object, own_number, owned, param,
    param_integer, param_number, pre_voice, pre_voice_json, prepared, query_params,
    required_number, small, text,
};

/// Default `pageSize` when absent or out of range (PN §3.4).
const DEFAULT_PAGE_SIZE: u32 = 50;

type Outcome = Result<Answer, Refusal>;

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

/// An X of this application, or 1012001.
fn own_x(app: &App, x: Number) -> Result<Number, Refusal> {
    own_number(app, x, "relationNum")
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
