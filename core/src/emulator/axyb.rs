//! The AXYB API (PN §6) on `/rest/omp/xyrelationnumber/v1.0`.
//!
//! Every request carries `app_key` in the query string besides the AKSK
//! headers. It must be the key that signed the request: absent is 1010002
//! naming `app_key`; a key no application has is 1010003 "Invalid
//! app_key."; another application's key is 1010040 (that key may not call
//! this API with this signature).
//!
//! Requests are read strictly ([`super::wire`]) into the client's typed
//! operations ([`AxybBindAx`], [`AxybBindYb`], [`AxybUnbind`],
//! [`AxybQuery`]) and validated by their `prepare()`; the application's
//! engine applies the AXYB rules (5 X per A: 1011003; a Y once per AX
//! binding and at most 1000 AX relations per Y; `ybDuration` clamped to
//! what is left of the AX binding; AX expiry takes its YB relations).
//!
//! A POST with `subscriptionId` in its body binds YB under that AX
//! binding, one without binds AX. As in the specification's example
//! (PN §17), the YB bind answers with the AX binding's `subscriptionId`
//! and the Y as `relationNumber`; relations are named by the AX binding's
//! id plus `yNum` or `bNum` afterwards, and the query lists each relation
//! (`xyRelationNumList`) with the AX binding's id as `bindId`. The AX
//! bind's `duration` defaults to 7200 s.

use std::sync::Arc;

use serde_json::{Map, Value};

use crate::client::axb::AreaMatchMode;
use crate::client::axyb::{
    AxybBindAx, AxybBindYb, AxybQuery, AxybQueryBy, AxybUnbind, AxybUnbindScope,
};
use crate::engine::rules::AXYB_DEFAULT_DURATION_SECS;
use crate::engine::{BindRequest, Binding, Extras, Settings, Shape, ShapeRequest, XChoice};

use super::App;
use super::answer::{Answer, CODE_INVALID_APP_KEY, CODE_NO_RECORD, CODE_NOT_APPLIED, Refusal};
use super::calls::platform_time;
use super::wire::{
    bool_wire, direction, existing, flag, integer, object, own_number, owned, param, param_number,
    prepared, query_params, required_number, text,
};

type Outcome = Result<Answer, Refusal>;

fn refuse(e: &crate::Error) -> Refusal {
    Refusal::from_error(e, CODE_NOT_APPLIED)
}

/// Check the `app_key` of the query string against the signing key;
/// `known` says whether some application has a key.
pub(crate) fn check_app_key(
    app: &App,
    query: &str,
    known: impl Fn(&str) -> bool,
) -> Result<(), Refusal> {
    let params = query_params(query);
    match param(&params, "app_key") {
        None | Some("") => Err(Refusal::invalid(
            "app_key",
            "is required in the query string",
        )),
        Some(k) if k == app.config.app_key => Ok(()),
        Some(k) if known(k) => Err(Refusal::new(
            crate::engine::CODE_WRONG_MODE,
            "app_key: not the key that signed the request.",
        )),
        Some(_) => Err(Refusal::new(CODE_INVALID_APP_KEY, "")),
    }
}

fn area_match(obj: &Map<String, Value>) -> Result<Option<AreaMatchMode>, Refusal> {
    text(obj, "areaMatchMode")?
        .map(|m| AreaMatchMode::from_wire(m).map_err(|e| refuse(&e)))
        .transpose()
}

fn secs(v: u64) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

/// POST: bind AX, or YB when the body names the AX binding.
pub(crate) fn bind(app: &App, body: &[u8], now: u64) -> Outcome {
    let obj = object(body)?;
    if text(&obj, "subscriptionId")?.is_some() {
        bind_yb(app, &obj, now)
    } else {
        bind_ax(app, &obj, now)
    }
}

fn bind_ax(app: &App, obj: &Map<String, Value>, now: u64) -> Outcome {
    let area = text(obj, "areaCode")?.ok_or_else(|| Refusal::invalid("areaCode", "is required"))?;
    let mut op = AxybBindAx::new(
        app.config.app_key.as_str(),
        required_number(obj, "origNum")?,
        area,
    );
    op.area_match_mode = area_match(obj)?;
    op.call_direction = direction(obj)?;
    op.duration = integer(obj, "duration")?;
    op.yb_duration = integer(obj, "ybDuration")?;
    op.record_flag = flag(obj, "recordFlag")?;
    op.record_hint_tone = owned(text(obj, "recordHintTone")?);
    op.pre_voice_x = owned(text(obj, "preVoiceX")?);
    op.user_data = owned(text(obj, "userData")?);
    prepared(&op)?;

    let extras = Extras {
        record_hint_tone: op.record_hint_tone.clone(),
        caller_hint_tone: op.pre_voice_x.clone(),
        user_data: op.user_data.clone(),
        ..Extras::default()
    };
    let req = BindRequest {
        shape: ShapeRequest::AxybAx {
            a: op.orig_num,
            yb_duration: secs(op.yb_duration.unwrap_or(0)),
        },
        x: XChoice::Pick {
            area: Some(op.area_code.clone()),
            fallback: op.area_match_mode == Some(AreaMatchMode::Fallback),
        },
        settings: Settings {
            direction: op.call_direction.unwrap_or_default(),
            record: op.record_flag.unwrap_or(false),
            duration_secs: secs(op.duration.unwrap_or(AXYB_DEFAULT_DURATION_SECS)),
            extras: (!extras.is_empty()).then(|| Arc::new(extras)),
            ..Settings::default()
        },
        id: None,
    };
    let b = app.engine.bind(&req, now).map_err(|e| refuse(&e))?;
    let mut out = Map::new();
    out.insert("subscriptionId".into(), Value::from(b.id.as_string()));
    if let Some(x) = b.x {
        out.insert("relationNumber".into(), Value::from(x.e164().as_str()));
    }
    Ok(Answer::success(out))
}

fn bind_yb(app: &App, obj: &Map<String, Value>, now: u64) -> Outcome {
    let id = text(obj, "subscriptionId")?.unwrap_or_default();
    let mut op = AxybBindYb::new(
        app.config.app_key.as_str(),
        required_number(obj, "origNum")?,
        id,
    );
    op.area_code = text(obj, "areaCode")?
        .filter(|a| !a.is_empty())
        .map(str::to_owned);
    op.area_match_mode = area_match(obj)?;
    op.pre_voice_y = owned(text(obj, "preVoiceY")?);
    op.yb_duration = integer(obj, "ybDuration")?;
    prepared(&op)?;

    let parent = existing(app, id, CODE_NOT_APPLIED)?;
    let extras = Extras {
        callee_hint_tone: op.pre_voice_y.clone(),
        ..Extras::default()
    };
    let req = BindRequest {
        shape: ShapeRequest::AxybYb {
            parent: parent.clone(),
            b: op.orig_num,
            yb_duration: op.yb_duration.map(secs),
        },
        x: XChoice::Pick {
            area: op.area_code.clone(),
            fallback: op.area_match_mode == Some(AreaMatchMode::Fallback),
        },
        settings: Settings {
            extras: (!extras.is_empty()).then(|| Arc::new(extras)),
            ..Settings::default()
        },
        id: None,
    };
    let b = app.engine.bind(&req, now).map_err(|e| refuse(&e))?;
    let mut out = Map::new();
    out.insert("subscriptionId".into(), Value::from(parent.as_string()));
    if let Shape::AxybYb { y, .. } = &b.shape {
        out.insert("relationNumber".into(), Value::from(y.e164().as_str()));
    }
    Ok(Answer::success(out))
}

/// The AX binding `b` belongs to (itself, or a relation's parent).
fn ax_of(app: &App, b: Binding) -> Option<Binding> {
    match &b.shape {
        Shape::AxybAx { .. } => Some(b),
        Shape::AxybYb { parent, .. } => app.engine.get(parent),
        _ => None,
    }
}

/// DELETE: the AX binding and its relations, or one relation by `yNum`
/// (wins) or `bNum`.
pub(crate) fn unbind(app: &App, query: &str, now: u64) -> Outcome {
    let params = query_params(query);
    let id = param(&params, "subscriptionId")
        .filter(|i| !i.is_empty())
        .ok_or_else(|| Refusal::invalid("subscriptionId", "is required"))?;
    let scope = match (
        param_number(&params, "yNum")?,
        param_number(&params, "bNum")?,
    ) {
        (Some(y), _) => AxybUnbindScope::ByY(y),
        (None, Some(b)) => AxybUnbindScope::ByB(b),
        (None, None) => AxybUnbindScope::Everything,
    };
    prepared(&AxybUnbind::new(
        app.config.app_key.as_str(),
        id,
        scope.clone(),
    ))?;
    let id = existing(app, id, CODE_NOT_APPLIED)?;
    let b = app
        .engine
        .get(&id)
        .ok_or_else(|| Refusal::new(CODE_NOT_APPLIED, "subscriptionId: no such binding."))?;
    let target = match scope {
        AxybUnbindScope::Everything => Some(b.id),
        AxybUnbindScope::ByY(n) | AxybUnbindScope::ByB(n) => {
            let by_y = matches!(scope, AxybUnbindScope::ByY(_));
            let candidates = match &b.shape {
                Shape::AxybAx { .. } => app.engine.relations(&b.id),
                _ => vec![b],
            };
            candidates
                .into_iter()
                .find(|r| match &r.shape {
                    Shape::AxybYb { y, b, .. } => {
                        r.state.is_bound() && n == if by_y { *y } else { *b }
                    }
                    _ => false,
                })
                .map(|r| r.id)
        }
    };
    let target = target.ok_or_else(|| {
        Refusal::new(
            CODE_NOT_APPLIED,
            "yNum/bNum: no such relation under this binding.",
        )
    })?;
    app.engine.unbind(&target, now).map_err(|e| refuse(&e))?;
    Ok(Answer::success(Map::new()))
}

/// One `xyRelationNumInfo`: the AX binding `ax` and its relation `yb`.
fn info(ax: &Binding, yb: Option<&Binding>) -> Value {
    let mut m = Map::new();
    let e164 = |n: crate::Number| Value::from(n.e164().as_str());
    m.insert("bindId".into(), Value::from(ax.id.as_string()));
    let (a, default_yb) = match &ax.shape {
        Shape::AxybAx { a, yb_duration } => (Some(*a), *yb_duration),
        _ => (None, 0),
    };
    if let Some(a) = a {
        m.insert("numA".into(), e164(a));
    }
    if let Some(x) = ax.x {
        m.insert("numX".into(), e164(x));
    }
    let mut yb_secs = default_yb;
    if let Some(r) = yb {
        if let Shape::AxybYb { b, y, .. } = &r.shape {
            m.insert("numY".into(), e164(*y));
            m.insert("numB".into(), e164(*b));
        }
        yb_secs = r.settings.duration_secs;
    }
    let s = &ax.settings;
    m.insert("recordFlag".into(), Value::from(bool_wire(s.record)));
    if let Ok(t) = platform_time(ax.bound_at) {
        m.insert("subscribeTime".into(), Value::from(t));
    }
    m.insert("callDirection".into(), Value::from(s.direction.code()));
    m.insert("duration".into(), Value::from(s.duration_secs.to_string()));
    m.insert("ybDuration".into(), Value::from(yb_secs.to_string()));
    let ax_extras = s.extras.as_deref();
    let yb_extras = yb.and_then(|r| r.settings.extras.as_deref());
    for (name, value) in [
        (
            "recordHintTone",
            ax_extras.and_then(|e| e.record_hint_tone.as_ref()),
        ),
        (
            "preVoiceX",
            ax_extras.and_then(|e| e.caller_hint_tone.as_ref()),
        ),
        (
            "preVoiceY",
            yb_extras.and_then(|e| e.callee_hint_tone.as_ref()),
        ),
        ("userData", ax_extras.and_then(|e| e.user_data.as_ref())),
    ] {
        if let Some(v) = value {
            m.insert(name.into(), Value::from(v.as_str()));
        }
    }
    Value::Object(m)
}

/// GET: by `subscriptionId` (wins), or the AX binding on `relationNum`.
pub(crate) fn query(app: &App, query: &str) -> Outcome {
    let params = query_params(query);
    let by = match (
        param(&params, "subscriptionId").filter(|i| !i.is_empty()),
        param_number(&params, "relationNum")?,
    ) {
        (Some(id), _) => AxybQueryBy::SubscriptionId(id.to_owned()),
        (None, Some(x)) => AxybQueryBy::RelationNum(x),
        (None, None) => {
            return Err(Refusal::invalid(
                "subscriptionId",
                "subscriptionId or relationNum is required",
            ));
        }
    };
    prepared(&AxybQuery::new(app.config.app_key.as_str(), by.clone()))?;
    let (ax, only) = match by {
        AxybQueryBy::SubscriptionId(id) => {
            let id = existing(app, &id, CODE_NO_RECORD)?;
            let b = app
                .engine
                .get(&id)
                .ok_or_else(|| Refusal::new(CODE_NO_RECORD, ""))?;
            let only = matches!(b.shape, Shape::AxybYb { .. }).then(|| b.id.clone());
            (ax_of(app, b), only)
        }
        AxybQueryBy::RelationNum(x) => {
            own_number(app, x, "relationNum")?;
            let ax = app
                .engine
                .bindings_on(x)
                .into_iter()
                .find(|b| matches!(b.shape, Shape::AxybAx { .. }));
            (ax, None)
        }
    };
    let ax = ax
        .filter(|b| b.state.is_bound())
        .ok_or_else(|| Refusal::new(CODE_NO_RECORD, ""))?;
    let mut relations: Vec<Binding> = app
        .engine
        .relations(&ax.id)
        .into_iter()
        .filter(|r| r.state.is_bound())
        .filter(|r| only.as_ref().is_none_or(|id| *id == r.id))
        .collect();
    relations.sort_by_key(|r| (r.bound_at, r.id.as_string()));
    let list: Vec<Value> = if relations.is_empty() {
        vec![info(&ax, None)]
    } else {
        relations.iter().map(|r| info(&ax, Some(r))).collect()
    };
    let mut out = Map::new();
    out.insert("xyRelationNumList".into(), Value::Array(list));
    Ok(Answer::success(out))
}
