//! The AXE API (PN §5) on `/rest/caas/extendnumber/v1.0`.
//!
//! Requests are read strictly ([`super::wire`]) into the client's typed
//! operations ([`AxeBind`], [`AxeUnbind`], [`AxeModify`], [`AxeQuery`])
//! and validated by their `prepare()`; the application's engine applies
//! them with the AXE rules: extensions of the application's digit count
//! ([`super::AppConfig::extension_digits`]), the lowest free one assigned
//! unless `extendNum` is given with `virtualNum`, 1020167 when X has no
//! free extension, 1013102 when the one asked for is taken.
//!
//! Lifetimes: `bindExpiredTime` and `callbackExpiredTime` are read in the
//! unit of `timeUnit` (hours when absent) and kept in seconds; absent or 0
//! means "never" for the binding and "as long as the binding" for the
//! callback record (the platform's defaults are unconfirmed, PN §16). The
//! query reports `timeUnit`, `bindExpiredTime` and `callbackExpiredTime`
//! as given at bind: the platform reports the bind's values even after a
//! modification (PN §5.3). `displayNumMode` is kept and echoed; the
//! display is always X under carrier rules.

use std::sync::Arc;

use serde_json::{Map, Value};

use crate::client::ax::DisplayMode;
use crate::client::axe::{AxeBind, AxeModify, AxeQuery, AxeTarget, AxeUnbind, TimeUnit};
use crate::engine::{
    BindRequest, Binding, BindingId, Changes, Ext, Extras, Settings, Shape, ShapeRequest, XChoice,
};
use crate::number::Number;

use super::App;
use super::answer::{Answer, CODE_NO_RECORD, CODE_NOT_APPLIED, Refusal};
use super::wire::{
    bool_wire, existing, flag, integer, number_field, object, own_number, owned, param,
    param_number, prepared, query_params, required_number, text,
};

type Outcome = Result<Answer, Refusal>;

fn refuse(e: &crate::Error) -> Refusal {
    Refusal::from_error(e, CODE_NOT_APPLIED)
}

fn time_unit(obj: &Map<String, Value>) -> Result<Option<TimeUnit>, Refusal> {
    text(obj, "timeUnit")?
        .map(|v| TimeUnit::from_wire(v).map_err(|e| refuse(&e)))
        .transpose()
}

fn display(obj: &Map<String, Value>) -> Result<Option<DisplayMode>, Refusal> {
    text(obj, "displayNumMode")?
        .map(|v| DisplayMode::from_wire(v, "displayNumMode").map_err(|e| refuse(&e)))
        .transpose()
}

/// A lifetime in `unit` as seconds (the bounds were checked by
/// `prepare()`).
fn seconds(value: u64, unit: Option<TimeUnit>) -> u32 {
    let per = if unit == Some(TimeUnit::Minutes) {
        60
    } else {
        3600
    };
    u32::try_from(value.saturating_mul(per)).unwrap_or(u32::MAX)
}

/// The query's fields the engine does not keep (`timeUnit` and the
/// lifetimes as given, `displayNumMode`).
fn meta(
    display: Option<DisplayMode>,
    unit: Option<TimeUnit>,
    bind_expired: Option<u64>,
    callback_expired: Option<u64>,
) -> Map<String, Value> {
    let mut m = Map::new();
    if let Some(d) = display {
        m.insert("displayNumMode".into(), Value::from(d.wire()));
    }
    if let Some(u) = unit {
        m.insert("timeUnit".into(), Value::from(u.wire()));
    }
    if let Some(v) = bind_expired {
        m.insert("bindExpiredTime".into(), Value::from(v));
    }
    if let Some(v) = callback_expired {
        m.insert("callbackExpiredTime".into(), Value::from(v));
    }
    m
}

/// Fields kept from the bind on a modification (PN §5.3).
const BIND_VALUES: [&str; 3] = ["timeUnit", "bindExpiredTime", "callbackExpiredTime"];

/// POST: bind A to X and an extension.
pub(crate) fn bind(app: &App, body: &[u8], now: u64) -> Outcome {
    let obj = object(body)?;
    let mut op = AxeBind::new(required_number(&obj, "bindNum")?);
    op.virtual_num = number_field(&obj, "virtualNum")?;
    op.area_code = text(&obj, "areaCode")?
        .filter(|a| !a.is_empty())
        .map(str::to_owned);
    op.extend_num = text(&obj, "extendNum")?
        .filter(|e| !e.is_empty())
        .map(str::to_owned);
    op.display_num_mode = display(&obj)?;
    op.record_flag = flag(&obj, "recordFlag")?;
    op.record_hint_tone = owned(text(&obj, "recordHintTone")?);
    op.callback_tone = owned(text(&obj, "callbackTone")?);
    op.callback_num = number_field(&obj, "callbackNum")?;
    op.time_unit = time_unit(&obj)?;
    op.bind_expired_time = integer(&obj, "bindExpiredTime")?;
    op.callback_expired_time = integer(&obj, "callbackExpiredTime")?;
    op.user_data = owned(text(&obj, "userData")?);
    prepared(&op)?;

    let x = match op.virtual_num {
        Some(x) => XChoice::Given(x),
        None => XChoice::Pick {
            area: op.area_code.clone(),
            fallback: false,
        },
    };
    let extras = Extras {
        record_hint_tone: op.record_hint_tone.clone(),
        callback_tone: op.callback_tone.clone(),
        user_data: op.user_data.clone(),
        ..Extras::default()
    };
    let req = BindRequest {
        shape: ShapeRequest::Extension {
            a: op.bind_num,
            ext: op.extend_num.clone(),
            callback: op.callback_num,
            callback_lifetime_secs: op
                .callback_expired_time
                .map_or(0, |v| seconds(v, op.time_unit)),
        },
        x,
        settings: Settings {
            record: op.record_flag.unwrap_or(false),
            duration_secs: op.bind_expired_time.map_or(0, |v| seconds(v, op.time_unit)),
            extras: (!extras.is_empty()).then(|| Arc::new(extras)),
            ..Settings::default()
        },
        id: None,
    };
    let b = app.engine.bind(&req, now).map_err(|e| refuse(&e))?;
    let id = b.id.as_string();
    app.remember(
        &id,
        meta(
            op.display_num_mode,
            op.time_unit,
            op.bind_expired_time,
            op.callback_expired_time,
        ),
        &[],
    );
    let mut out = Map::new();
    out.insert("subscriptionId".into(), Value::from(id));
    if let Some(x) = b.x {
        out.insert("virtualNum".into(), Value::from(x.e164().as_str()));
    }
    if let Shape::Extension { ext, .. } = &b.shape {
        out.insert("extendNum".into(), Value::from(ext.to_string()));
    }
    out.insert("bindNum".into(), Value::from(op.bind_num.e164().as_str()));
    Ok(Answer::success(out))
}

/// The binding of extension `ext` on `x`, or `not_found`.
fn by_extension(app: &App, x: Number, ext: &str, not_found: &str) -> Result<BindingId, Refusal> {
    own_number(app, x, "virtualNum")?;
    Ext::parse(ext)
        .ok()
        .and_then(|e| app.engine.find_extension(x, e))
        .filter(|b| b.state.is_bound())
        .map(|b| b.id)
        .ok_or_else(|| Refusal::new(not_found, "extendNum: nothing is bound on this extension."))
}

/// `subscriptionId`, or `virtualNum` with `extendNum`, from a query string.
fn target(query: &str) -> Result<AxeTarget, Refusal> {
    let params = query_params(query);
    if let Some(id) = param(&params, "subscriptionId").filter(|i| !i.is_empty()) {
        return Ok(AxeTarget::SubscriptionId(id.to_owned()));
    }
    match (
        param_number(&params, "virtualNum")?,
        param(&params, "extendNum").filter(|e| !e.is_empty()),
    ) {
        (Some(virtual_num), Some(e)) => Ok(AxeTarget::Extension {
            virtual_num,
            extend_num: e.to_owned(),
        }),
        (Some(_), None) => Err(Refusal::invalid("extendNum", "is required with virtualNum")),
        _ => Err(Refusal::invalid(
            "subscriptionId",
            "subscriptionId, or virtualNum and extendNum, is required",
        )),
    }
}

fn resolve(app: &App, t: &AxeTarget, not_found: &str) -> Result<BindingId, Refusal> {
    match t {
        AxeTarget::SubscriptionId(id) => existing(app, id, not_found),
        AxeTarget::Extension {
            virtual_num,
            extend_num,
        } => by_extension(app, *virtual_num, extend_num, not_found),
    }
}

/// DELETE: by `subscriptionId`, or `virtualNum` and `extendNum`.
pub(crate) fn unbind(app: &App, query: &str, now: u64) -> Outcome {
    let t = target(query)?;
    prepared(&match &t {
        AxeTarget::SubscriptionId(id) => AxeUnbind::BySubscriptionId(id.clone()),
        AxeTarget::Extension {
            virtual_num,
            extend_num,
        } => AxeUnbind::ByExtension {
            virtual_num: *virtual_num,
            extend_num: extend_num.clone(),
        },
    })?;
    let id = resolve(app, &t, CODE_NOT_APPLIED)?;
    app.engine.unbind(&id, now).map_err(|e| refuse(&e))?;
    app.prune_meta();
    Ok(Answer::success(Map::new()))
}

/// PUT: change a binding; absent fields stay.
pub(crate) fn modify(app: &App, body: &[u8], now: u64) -> Outcome {
    let obj = object(body)?;
    let t = match (
        text(&obj, "subscriptionId")?.filter(|i| !i.is_empty()),
        number_field(&obj, "virtualNum")?,
        text(&obj, "extendNum")?,
    ) {
        (Some(id), _, _) => AxeTarget::SubscriptionId(id.to_owned()),
        (None, Some(virtual_num), Some(e)) => AxeTarget::Extension {
            virtual_num,
            extend_num: e.to_owned(),
        },
        _ => {
            return Err(Refusal::invalid(
                "subscriptionId",
                "subscriptionId, or virtualNum and extendNum, is required",
            ));
        }
    };
    let mut op = AxeModify::new(t);
    op.display_num_mode = display(&obj)?;
    op.record_flag = flag(&obj, "recordFlag")?;
    op.record_hint_tone = owned(text(&obj, "recordHintTone")?);
    op.callback_tone = owned(text(&obj, "callbackTone")?);
    op.callback_num = number_field(&obj, "callbackNum")?;
    op.time_unit = time_unit(&obj)?;
    op.bind_expired_time = integer(&obj, "bindExpiredTime")?;
    op.callback_expired_time = integer(&obj, "callbackExpiredTime")?;
    op.user_data = owned(text(&obj, "userData")?);
    prepared(&op)?;

    let id = resolve(app, &op.target, CODE_NOT_APPLIED)?;
    let old = app
        .engine
        .get(&id)
        .ok_or_else(|| Refusal::new(CODE_NOT_APPLIED, "subscriptionId: no such binding."))?;
    let text_change =
        op.record_hint_tone.is_some() || op.callback_tone.is_some() || op.user_data.is_some();
    let extras = if text_change {
        let mut e = old.settings.extras.as_deref().cloned().unwrap_or_default();
        if let Some(t) = &op.record_hint_tone {
            e.record_hint_tone = Some(t.clone());
        }
        if let Some(t) = &op.callback_tone {
            e.callback_tone = Some(t.clone());
        }
        if let Some(u) = &op.user_data {
            e.user_data = Some(u.clone());
        }
        Some(Arc::new(e))
    } else {
        None
    };
    let changes = Changes {
        record: op.record_flag,
        duration_secs: op.bind_expired_time.map(|v| seconds(v, op.time_unit)),
        extras,
        callback: op.callback_num,
        callback_lifetime_secs: op.callback_expired_time.map(|v| seconds(v, op.time_unit)),
        ..Changes::default()
    };
    if changes != Changes::default() {
        app.engine
            .modify(&id, &changes, now)
            .map_err(|e| refuse(&e))?;
    }
    app.remember(
        &id.as_string(),
        meta(
            op.display_num_mode,
            op.time_unit,
            op.bind_expired_time,
            op.callback_expired_time,
        ),
        &BIND_VALUES,
    );
    Ok(Answer::success(Map::new()))
}

/// The query's answer fields for `b` (PN §5.4).
fn record(app: &App, b: &Binding) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("subscriptionId".into(), Value::from(b.id.as_string()));
    if let Some(x) = b.x {
        m.insert("virtualNum".into(), Value::from(x.e164().as_str()));
    }
    if let Shape::Extension {
        a, ext, callback, ..
    } = &b.shape
    {
        m.insert("extendNum".into(), Value::from(ext.to_string()));
        m.insert("bindNum".into(), Value::from(a.e164().as_str()));
        if let Some(c) = callback {
            m.insert("callbackNum".into(), Value::from(c.e164().as_str()));
        }
    }
    m.insert(
        "recordFlag".into(),
        Value::from(bool_wire(b.settings.record)),
    );
    if let Some(e) = b.settings.extras.as_deref() {
        for (name, value) in [
            ("recordHintTone", &e.record_hint_tone),
            ("callbackTone", &e.callback_tone),
            ("userData", &e.user_data),
        ] {
            if let Some(v) = value {
                m.insert(name.into(), Value::from(v.as_str()));
            }
        }
    }
    m.extend(app.recalled(&b.id.as_string()));
    m
}

/// GET: one binding by `subscriptionId`, or `virtualNum` and `extendNum`.
pub(crate) fn query(app: &App, query: &str) -> Outcome {
    let t = target(query)?;
    prepared(&match &t {
        AxeTarget::SubscriptionId(id) => AxeQuery::BySubscriptionId(id.clone()),
        AxeTarget::Extension {
            virtual_num,
            extend_num,
        } => AxeQuery::ByExtension {
            virtual_num: *virtual_num,
            extend_num: extend_num.clone(),
        },
    })?;
    let id = resolve(app, &t, CODE_NO_RECORD)?;
    let b = app
        .engine
        .get(&id)
        .filter(|b| b.state.is_bound())
        .ok_or_else(|| Refusal::new(CODE_NO_RECORD, ""))?;
    Ok(Answer::success(record(app, &b)))
}
