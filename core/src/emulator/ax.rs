//! The AX API (PN §4): bind, unbind, modify and query on
//! `/rest/provision/caas/privatenumber/v1.0`, the temporary callee on
//! `/rest/caas/privatenumber/calleenumber/v1.0`.
//!
//! Requests are read strictly ([`super::wire`]) into the client's typed
//! operations ([`AxBind`], [`AxUnbind`], [`AxModify`], [`AxQuery`],
//! [`AxSetTempCallee`]) and validated by their `prepare()`; the
//! application's engine applies them with the AX rules (one X per A up to
//! 5: 1011003; one A per X: 1011005; an X the application does not own:
//! 1011004).
//!
//! Where the specification leaves a detail open (PN §16) the emulator
//! takes the tolerant reading:
//! - `areaCode` needs `privateNumType` `mobile-virtual` (documented as
//!   conditionally required); another value is refused with 1010002;
//! - unbind by `privateNum` ignores `origNum` (X alone names the binding);
//! - the query lists bindings under `privateNumList` with `totalCount`
//!   (the list's name is unconfirmed; privnum's client reads any list);
//! - `calleeNumDisplay` and `turnFlag` are kept and echoed, but do not
//!   change routing (the display is always X under carrier rules; what
//!   `turnFlag` `off` does to calls is not documented);
//! - the temporary callee needs `privateNum` and `calleeNum`; an `origNum`
//!   that is not the binding's A is refused with 1012001.

use std::sync::Arc;

use serde_json::{Map, Value, json};

use crate::client::ax::{
    AxBind, AxModify, AxQuery, AxSetTempCallee, AxTarget, AxUnbind, DisplayMode, PRIVATE_NUM_TYPE,
    TurnFlag,
};
use crate::client::axb::AreaMatchMode;
use crate::engine::{
    BindRequest, Binding, Changes, Extras, Settings, Shape, ShapeRequest, XChoice,
};
use crate::number::Number;

use super::App;
use super::answer::{Answer, CODE_NO_RECORD, CODE_NOT_APPLIED, Refusal};
use super::wire::{
    bool_wire, direction, existing, flag, integer, number_field, object, own_number, owned, param,
    param_number, pre_voice, pre_voice_json, prepared, query_params, required_number, small, text,
};

type Outcome = Result<Answer, Refusal>;

fn refuse(e: &crate::Error) -> Refusal {
    Refusal::from_error(e, CODE_NOT_APPLIED)
}

fn display(obj: &Map<String, Value>, name: &'static str) -> Result<Option<DisplayMode>, Refusal> {
    text(obj, name)?
        .map(|v| DisplayMode::from_wire(v, name).map_err(|e| refuse(&e)))
        .transpose()
}

fn turn_flag(obj: &Map<String, Value>) -> Result<Option<TurnFlag>, Refusal> {
    text(obj, "turnFlag")?
        .map(|v| TurnFlag::from_wire(v).map_err(|e| refuse(&e)))
        .transpose()
}

/// The wire fields the engine does not keep.
fn meta(display: Option<DisplayMode>, turn: Option<TurnFlag>) -> Map<String, Value> {
    let mut m = Map::new();
    if let Some(d) = display {
        m.insert("calleeNumDisplay".into(), Value::from(d.wire()));
    }
    if let Some(t) = turn {
        m.insert("turnFlag".into(), Value::from(t.wire()));
    }
    m
}

/// One binding as the query lists it.
fn record_json(app: &App, b: &Binding) -> Value {
    let mut m = Map::new();
    m.insert("subscriptionId".into(), Value::from(b.id.as_string()));
    if let Shape::Owner { a, .. } = &b.shape {
        m.insert("origNum".into(), Value::from(a.e164().as_str()));
    }
    if let Some(x) = b.x {
        m.insert("privateNum".into(), Value::from(x.e164().as_str()));
    }
    let s = &b.settings;
    m.insert("callDirection".into(), Value::from(s.direction.code()));
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
    m.extend(app.recalled(&b.id.as_string()));
    Value::Object(m)
}

/// POST: give A an X (given, or chosen from the pool).
pub(crate) fn bind(app: &App, body: &[u8], now: u64) -> Outcome {
    let obj = object(body)?;
    let mut op = AxBind::new(required_number(&obj, "origNum")?);
    op.private_num = number_field(&obj, "privateNum")?;
    op.area_code = text(&obj, "areaCode")?
        .filter(|a| !a.is_empty())
        .map(str::to_owned);
    match text(&obj, "privateNumType")? {
        Some(PRIVATE_NUM_TYPE) => {}
        Some(_) => {
            return Err(Refusal::invalid(
                "privateNumType",
                &format!("must be {PRIVATE_NUM_TYPE:?}"),
            ));
        }
        None if op.area_code.is_some() => {
            return Err(Refusal::invalid(
                "privateNumType",
                "is required with areaCode",
            ));
        }
        None => {}
    }
    op.area_match_mode = text(&obj, "areaMatchMode")?
        .map(|m| AreaMatchMode::from_wire(m).map_err(|e| refuse(&e)))
        .transpose()?;
    op.callee_num_display = display(&obj, "calleeNumDisplay")?;
    op.private_sms = flag(&obj, "privateSms")?;
    op.record_flag = flag(&obj, "recordFlag")?;
    op.record_hint_tone = owned(text(&obj, "recordHintTone")?);
    op.pre_voice = pre_voice(&obj)?;
    op.max_duration = small(integer(&obj, "maxDuration")?, "maxDuration")?;
    op.last_min_voice = owned(text(&obj, "lastMinVoice")?);
    op.call_direction = direction(&obj)?;
    op.turn_flag = turn_flag(&obj)?;
    op.user_data = owned(text(&obj, "userData")?);
    prepared(&op)?;

    let x = match op.private_num {
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
        shape: ShapeRequest::Owner { a: op.orig_num },
        x,
        settings: Settings {
            direction: op.call_direction.unwrap_or_default(),
            record: op.record_flag.unwrap_or(false),
            sms: op.private_sms.unwrap_or(true),
            // Fits: prepare() checked 0–1440.
            max_duration_min: u16::try_from(op.max_duration.unwrap_or(0)).unwrap_or(u16::MAX),
            duration_secs: 0,
            extras: (!extras.is_empty()).then(|| Arc::new(extras)),
        },
        id: None,
    };
    let b = app.engine.bind(&req, now).map_err(|e| refuse(&e))?;
    let id = b.id.as_string();
    app.remember(&id, meta(op.callee_num_display, op.turn_flag), &[]);
    let mut out = Map::new();
    out.insert("origNum".into(), Value::from(op.orig_num.e164().as_str()));
    if let Some(x) = b.x {
        out.insert("privateNum".into(), Value::from(x.e164().as_str()));
    }
    out.insert("subscriptionId".into(), Value::from(id));
    Ok(Answer::success(out))
}

/// The AX binding on `x`, or 1012001.
fn on_x(app: &App, x: Number, field: &str) -> Result<Binding, Refusal> {
    own_number(app, x, field)?;
    app.engine
        .bindings_on(x)
        .into_iter()
        .find(|b| matches!(b.shape, Shape::Owner { .. }) && b.state.is_bound())
        .ok_or_else(|| {
            Refusal::new(
                CODE_NOT_APPLIED,
                &format!("{field}: nothing is bound on this number."),
            )
        })
}

/// DELETE: by `subscriptionId`, or by `privateNum` (`origNum` ignored).
pub(crate) fn unbind(app: &App, query: &str, now: u64) -> Outcome {
    let params = query_params(query);
    let id = if let Some(id) = param(&params, "subscriptionId") {
        prepared(&AxUnbind::BySubscriptionId(id.to_owned()))?;
        existing(app, id, CODE_NOT_APPLIED)?
    } else {
        let Some(x) = param_number(&params, "privateNum")? else {
            return Err(Refusal::invalid(
                "subscriptionId",
                "subscriptionId or privateNum is required",
            ));
        };
        prepared(&AxUnbind::ByX {
            private_num: x,
            orig_num: param_number(&params, "origNum")?,
        })?;
        on_x(app, x, "privateNum")?.id
    };
    app.engine.unbind(&id, now).map_err(|e| refuse(&e))?;
    app.prune_meta();
    Ok(Answer::success(Map::new()))
}

/// PUT: change a binding named by `subscriptionId` or `privateNum`.
pub(crate) fn modify(app: &App, body: &[u8], now: u64) -> Outcome {
    let obj = object(body)?;
    let target = match (
        text(&obj, "subscriptionId")?,
        number_field(&obj, "privateNum")?,
    ) {
        (Some(id), _) => AxTarget::SubscriptionId(id.to_owned()),
        (None, Some(x)) => AxTarget::PrivateNum(x),
        (None, None) => {
            return Err(Refusal::invalid(
                "subscriptionId",
                "subscriptionId or privateNum is required",
            ));
        }
    };
    let mut op = AxModify::new(target);
    op.orig_num = number_field(&obj, "origNum")?;
    op.private_sms = flag(&obj, "privateSms")?;
    op.record_flag = flag(&obj, "recordFlag")?;
    op.record_hint_tone = owned(text(&obj, "recordHintTone")?);
    op.callee_num_display = display(&obj, "calleeNumDisplay")?;
    op.pre_voice = pre_voice(&obj)?;
    op.max_duration = small(integer(&obj, "maxDuration")?, "maxDuration")?;
    op.last_min_voice = owned(text(&obj, "lastMinVoice")?);
    op.user_data = owned(text(&obj, "userData")?);
    op.turn_flag = turn_flag(&obj)?;
    prepared(&op)?;

    let old = match &op.target {
        AxTarget::SubscriptionId(id) => {
            let id = existing(app, id, CODE_NOT_APPLIED)?;
            app.engine
                .get(&id)
                .ok_or_else(|| Refusal::new(CODE_NOT_APPLIED, "subscriptionId: no such binding."))?
        }
        AxTarget::PrivateNum(x) => on_x(app, *x, "privateNum")?,
    };
    let text_change = op.record_hint_tone.is_some()
        || op.last_min_voice.is_some()
        || op.pre_voice.is_some()
        || op.user_data.is_some();
    let extras = if text_change {
        // The engine replaces text settings as a whole: start from the old.
        let mut e = old.settings.extras.as_deref().cloned().unwrap_or_default();
        if let Some(t) = &op.record_hint_tone {
            e.record_hint_tone = Some(t.clone());
        }
        if let Some(t) = &op.last_min_voice {
            e.last_min_voice = Some(t.clone());
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
        a: op.orig_num,
        record: op.record_flag,
        sms: op.private_sms,
        max_duration_min: op
            .max_duration
            .map(|m| u16::try_from(m).unwrap_or(u16::MAX)),
        extras,
        ..Changes::default()
    };
    let engine_change = changes != Changes::default();
    if engine_change {
        app.engine
            .modify(&old.id, &changes, now)
            .map_err(|e| refuse(&e))?;
    }
    app.remember(
        &old.id.as_string(),
        meta(op.callee_num_display, op.turn_flag),
        &[],
    );
    Ok(Answer::success(Map::new()))
}

/// GET: by `subscriptionId`, else `origNum`, else `privateNum`.
pub(crate) fn query(app: &App, query: &str) -> Outcome {
    let params = query_params(query);
    let found: Vec<Binding> = if let Some(id) = param(&params, "subscriptionId") {
        prepared(&AxQuery::BySubscriptionId(id.to_owned()))?;
        let id = existing(app, id, CODE_NO_RECORD)?;
        app.engine.get(&id).into_iter().collect()
    } else if let Some(a) = param_number(&params, "origNum")? {
        prepared(&AxQuery::ByOrigNum(a))?;
        let mut list: Vec<Binding> = app
            .engine
            .owned_by(a)
            .into_iter()
            .filter(|b| b.state.is_bound())
            .collect();
        list.sort_by_key(|b| (b.bound_at, b.id.as_string()));
        list
    } else if let Some(x) = param_number(&params, "privateNum")? {
        prepared(&AxQuery::ByPrivateNum(x))?;
        on_x(app, x, "privateNum").into_iter().collect()
    } else {
        return Err(Refusal::invalid(
            "subscriptionId",
            "subscriptionId, origNum or privateNum is required",
        ));
    };
    if found.is_empty() {
        return Err(Refusal::new(CODE_NO_RECORD, ""));
    }
    let mut out = Map::new();
    out.insert("totalCount".into(), json!(found.len()));
    out.insert(
        "privateNumList".into(),
        Value::Array(found.iter().map(|b| record_json(app, b)).collect()),
    );
    Ok(Answer::success(out))
}

/// PUT (temporary callee): the callee of A's next call out through X.
pub(crate) fn set_temp_callee(app: &App, body: &[u8], now: u64) -> Outcome {
    let obj = object(body)?;
    let mut op = AxSetTempCallee::new(
        required_number(&obj, "privateNum")?,
        required_number(&obj, "calleeNum")?,
    );
    op.orig_num = number_field(&obj, "origNum")?;
    prepared(&op)?;
    let b = on_x(app, op.private_num, "privateNum")?;
    if let (Some(a), Shape::Owner { a: owner, .. }) = (op.orig_num, &b.shape) {
        if a != *owner {
            return Err(Refusal::new(
                CODE_NOT_APPLIED,
                "origNum: not the A bound to privateNum.",
            ));
        }
    }
    app.engine
        .set_temp_callee(op.private_num, op.callee_num, now)
        .map_err(|e| refuse(&e))?;
    Ok(Answer::success(Map::new()))
}
