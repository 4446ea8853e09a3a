//! The binding engine: `Engine`, `Binding`, `Event`, `Route`, `OpenReport`.
//!
//! ```text
//!  Engine(mode) / Engine.open(dir, mode) / Engine.from_config(config)
//!    bind_* / request_bind_* ─▶ Binding        settle / modify / unbind / tick …
//!    route(caller, dialled, now=) ─▶ Route      poll_events() ─▶ [Event]
//!    execute({"op": …}) ─▶ the JSON command interface (tests/vectors/engine.json)
//! ```
//!
//! Every rule is the core's (`privnum::engine`); this module converts
//! arguments and results only. The core engine is `Send + Sync` and every
//! operation takes `&self`, so one `Engine` is shared by any number of Python
//! threads without a lock of ours.
//!
//! # The GIL
//!
//! * `route` and the other single lookups keep the GIL (see `route` for the
//!   measurements): a lookup takes far less time than releasing and
//!   re-acquiring the GIL.
//! * Single changes (`bind_*`, `settle`, `modify`, `unbind`, …) keep the GIL
//!   on an in-memory engine (about a microsecond of work) and release it on
//!   an engine kept in a directory, where each change is written to the
//!   journal and, with `fsync="always"`, synced to disk first.
//! * Work proportional to the state or to an input list releases the GIL
//!   always: `open`, `from_config`, `compact`, `tick`, `set_x_status`,
//!   `unbind_x`, `bind_many`, `bindings`, `pool_pressure`, `execute`.
//!
//! No core lock is ever held while the GIL is wanted (nothing in a released
//! section touches Python), so releasing cannot deadlock.

use std::path::PathBuf;
use std::sync::Arc;

use privnum::callback::reply::{CloseReply, ConnectReply, InfoForm};
use privnum::engine::rules::{self, Violation};
use privnum::engine::{
    BindRequest, Binding, BindingId, CallIn, Changes, CloseReason, Connect, Direction, Engine,
    EngineConfig, Event, Ext, Extras, FsyncPolicy, Mode, OpenReport, Outcome, Route, Settings,
    Shape, ShapeRequest, XChoice, XStatus, command,
};
use privnum::{Error, ErrorKind, Number};
use pyo3::exceptions::PyTypeError;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyCFunction, PyDict, PyList, PyString, PyTuple, PyType};

use crate::callback::codes::PyNumberStatus;
use crate::callback::{opt_repr, py_bool, text_repr};
use crate::errors::{CoreError, OrRaise, invalid_argument, raise};
use crate::number::{NumberArg, PyNumber};
use crate::sign::py_repr;

// ---------------------------------------------------------------- helpers

/// A broken binding rule as the core reports it: `RULE_VIOLATION` with the
/// platform `resultcode` and field.
fn violation(v: Violation) -> PyErr {
    CoreError(v.into()).into()
}

/// A mode by name (`"axb"`, …; any case, as the core accepts it).
fn mode_arg(name: &str) -> PyResult<Mode> {
    Mode::from_name(name).ok_or_else(|| {
        invalid_argument(format!(
            "unknown mode {name:?}: expected \"ax\", \"axb\", \"axe\", \"axyb\" or \"x\""
        ))
    })
}

/// The journal's sync policy: `"always"` or `"never"`.
fn fsync_arg(name: &str) -> PyResult<FsyncPolicy> {
    match name {
        "always" => Ok(FsyncPolicy::Always),
        "never" => Ok(FsyncPolicy::Never),
        other => Err(invalid_argument(format!(
            "unknown fsync policy {other:?}: expected \"always\" or \"never\""
        ))),
    }
}

/// A binding id (`subscriptionId`), checked by the core.
fn id_arg(id: &str) -> PyResult<BindingId> {
    BindingId::new(id).or_raise()
}

/// An extension (AXE `extendNum`), checked by the core.
fn ext_arg(ext: &str) -> PyResult<Ext> {
    Ext::parse(ext).or_raise()
}

/// `callDirection`: 0, 1 or 2, else the platform's rule violation.
fn direction_arg(code: u32) -> PyResult<Direction> {
    rules::check_call_direction(code).map_err(violation)?;
    Ok(Direction::from_code(code).unwrap_or_default())
}

/// A lifetime in seconds; beyond `u32` it is the platform's rule violation
/// (the core checks the rest against the shape).
fn duration_arg(secs: u64) -> PyResult<u32> {
    u32::try_from(secs).map_err(|_| {
        violation(
            rules::check_duration_secs(secs)
                .err()
                .unwrap_or_else(|| Violation::invalid("duration", "duration is too large")),
        )
    })
}

/// AXE `callbackExpiredTime` in seconds; beyond `u32` it is the platform's
/// rule violation (the core checks whole minutes and the bound).
fn callback_lifetime_arg(secs: u64) -> PyResult<u32> {
    u32::try_from(secs).map_err(|_| {
        violation(Violation::invalid(
            "callbackExpiredTime",
            format!(
                "callbackExpiredTime must be at most {} seconds, got {secs}",
                rules::AXE_MAX_EXPIRY_MINUTES * 60
            ),
        ))
    })
}

/// `maxDuration` in minutes, checked against the platform's bounds.
fn max_duration_arg(minutes: u32) -> PyResult<u16> {
    rules::check_max_duration_minutes(minutes).map_err(violation)?;
    Ok(u16::try_from(minutes).unwrap_or(u16::MAX))
}

/// An X status: a name (`"paused"`), a push code (`"9"`) or a `NumberStatus`.
fn status_arg(obj: &Bound<'_, PyAny>) -> PyResult<XStatus> {
    if let Ok(s) = obj.cast::<PyNumberStatus>() {
        let code = s.get().0.code().to_string();
        return XStatus::from_push(&code).ok_or_else(|| {
            invalid_argument(format!(
                "number status {code} is not one the engine knows (5, 9, 10, 11)"
            ))
        });
    }
    if let Ok(s) = obj.cast::<PyString>() {
        let s = s.to_str()?;
        return XStatus::from_push(s)
            .or_else(|| XStatus::ALL.into_iter().find(|v| v.name() == s))
            .ok_or_else(|| {
                invalid_argument(format!(
                    "unknown X status {s:?}: expected \"normal\", \"paused\", \"unavailable\", \
                     \"bind_frozen\", \"blacklisted\" or a push code (\"5\", \"9\", \"10\", \"11\")"
                ))
            });
    }
    Err(PyTypeError::new_err(format!(
        "status must be str or privnum.NumberStatus, not {}",
        obj.get_type().name()?
    )))
}

/// An optional number as a Python `Number`.
fn num(py: Python<'_>, n: Option<Number>) -> PyResult<Option<Bound<'_, PyNumber>>> {
    n.map(|n| Bound::new(py, PyNumber(n))).transpose()
}

/// An optional number as E.164 text (for `to_dict`).
fn e164(n: Option<Number>) -> Option<String> {
    n.map(|n| n.e164().as_str().to_owned())
}

/// An optional number for `repr()`: masked and quoted, or `None`.
fn masked(py: Python<'_>, n: Option<Number>) -> PyResult<String> {
    match n {
        Some(n) => py_repr(py, n.masked().as_str()),
        None => Ok("None".to_owned()),
    }
}

/// Text settings given as arguments (`None`: not given).
#[derive(Debug, Default)]
struct TextArgs {
    user_data: Option<String>,
    record_hint_tone: Option<String>,
    last_min_voice: Option<String>,
    caller_hint_tone: Option<String>,
    callee_hint_tone: Option<String>,
    callback_tone: Option<String>,
}

impl TextArgs {
    /// Whether any text setting was given.
    fn given(&self) -> bool {
        self.user_data.is_some()
            || self.record_hint_tone.is_some()
            || self.last_min_voice.is_some()
            || self.caller_hint_tone.is_some()
            || self.callee_hint_tone.is_some()
            || self.callback_tone.is_some()
    }

    /// The core's extras, or `None` when no text setting was given.
    fn extras(self) -> Option<Arc<Extras>> {
        self.given().then(|| {
            Arc::new(Extras {
                record_hint_tone: self.record_hint_tone,
                last_min_voice: self.last_min_voice,
                caller_hint_tone: self.caller_hint_tone,
                callee_hint_tone: self.callee_hint_tone,
                callback_tone: self.callback_tone,
                user_data: self.user_data,
            })
        })
    }
}

/// Everything a bind request can say, from keyword arguments or from one
/// item of `bind_many`.
#[derive(Debug, Default)]
struct BindArgs {
    shape: Option<String>,
    a: Option<Number>,
    b: Option<Number>,
    x: Option<Number>,
    area: Option<String>,
    fallback: bool,
    id: Option<BindingId>,
    ext: Option<String>,
    callback: Option<Number>,
    /// AXE callback record lifetime in seconds (0: as long as the binding).
    callback_lifetime: u32,
    parent: Option<BindingId>,
    yb_duration: Option<u32>,
    duration: u32,
    max_duration: u16,
    direction: Direction,
    record: bool,
    sms: bool,
    text: TextArgs,
}

/// How a bind is made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum How {
    /// At once (`Engine::bind`).
    Bind,
    /// Recorded as sent to the platform (`Engine::request_bind`).
    Request,
}

impl BindArgs {
    /// Nothing said yet: every setting at its default (SMS allowed).
    fn new() -> Self {
        Self {
            sms: true,
            ..Self::default()
        }
    }

    /// `v`, or an error saying that a `shape` binding needs `what`.
    fn need<T>(v: Option<T>, what: &str, shape: &str) -> PyResult<T> {
        v.ok_or_else(|| invalid_argument(format!("a {shape} binding needs {what:?}")))
    }

    /// The core request. X: given, else the pool (`area`, `fallback`), or —
    /// for a request with neither X nor area — the platform's choice.
    fn into_request(self, mode: Mode, how: How) -> PyResult<BindRequest> {
        let shape = match self.shape.as_deref() {
            Some(s) => s.to_owned(),
            None => match mode {
                Mode::Axb => "pair".to_owned(),
                Mode::Ax => "owner".to_owned(),
                Mode::Axe => "extension".to_owned(),
                Mode::Axyb if self.parent.is_some() => "axyb_yb".to_owned(),
                Mode::Axyb => "axyb_ax".to_owned(),
                _ => {
                    return Err(invalid_argument(
                        "an X-mode engine needs \"shape\": \"pair\", \"owner\" or \"extension\""
                            .to_owned(),
                    ));
                }
            },
        };
        let shape = match shape.as_str() {
            "pair" => ShapeRequest::Pair {
                a: Self::need(self.a, "a", &shape)?,
                b: Self::need(self.b, "b", &shape)?,
            },
            "owner" => ShapeRequest::Owner {
                a: Self::need(self.a, "a", &shape)?,
            },
            "extension" => ShapeRequest::Extension {
                a: Self::need(self.a, "a", &shape)?,
                ext: self.ext,
                callback: self.callback,
                callback_lifetime_secs: self.callback_lifetime,
            },
            "axyb_ax" => ShapeRequest::AxybAx {
                a: Self::need(self.a, "a", &shape)?,
                yb_duration: self.yb_duration.unwrap_or(0),
            },
            "axyb_yb" => ShapeRequest::AxybYb {
                parent: Self::need(self.parent, "parent", &shape)?,
                b: Self::need(self.b, "b", &shape)?,
                yb_duration: self.yb_duration,
            },
            other => {
                return Err(invalid_argument(format!(
                    "unknown shape {other:?}: expected \"pair\", \"owner\", \"extension\", \
                     \"axyb_ax\" or \"axyb_yb\""
                )));
            }
        };
        let x = match (self.x, self.area) {
            (Some(x), _) => XChoice::Given(x),
            (None, None) if how == How::Request => XChoice::Platform,
            (None, area) => XChoice::Pick {
                area,
                fallback: self.fallback,
            },
        };
        Ok(BindRequest {
            shape,
            x,
            settings: Settings {
                direction: self.direction,
                record: self.record,
                sms: self.sms,
                max_duration_min: self.max_duration,
                duration_secs: self.duration,
                extras: self.text.extras(),
            },
            id: self.id,
        })
    }

    /// One item of `bind_many`: a mapping (`dict`, or anything with
    /// `.items()`) with the keyword arguments of the
    /// typed bind methods (and `"shape"`, `"parent"` where needed).
    fn from_mapping(item: &Bound<'_, PyAny>) -> PyResult<Self> {
        if !item.hasattr(intern!(item.py(), "items"))? || item.is_instance_of::<PyString>() {
            return Err(PyTypeError::new_err(format!(
                "each item must be a mapping of bind arguments, not {}",
                item.get_type()
                    .name()
                    .map_or_else(|_| "?".to_owned(), |n| n.to_string())
            )));
        }
        let mut out = Self::new();
        for pair in item.call_method0(intern!(item.py(), "items"))?.try_iter()? {
            let (k, v): (Bound<'_, PyAny>, Bound<'_, PyAny>) = pair?.extract()?;
            let key: PyBackedStr = k.extract()?;
            if v.is_none() {
                continue;
            }
            let number = |v: &Bound<'_, PyAny>| v.extract::<NumberArg>().map(|n| n.0);
            match &*key {
                "shape" => out.shape = Some(v.extract()?),
                "a" => out.a = Some(number(&v)?),
                "b" => out.b = Some(number(&v)?),
                "x" | "y" => out.x = Some(number(&v)?),
                "area" => out.area = Some(v.extract()?),
                "fallback" => out.fallback = v.extract()?,
                "id" => out.id = Some(id_arg(&v.extract::<PyBackedStr>()?)?),
                "ext" => out.ext = Some(v.extract()?),
                "callback" => out.callback = Some(number(&v)?),
                "callback_lifetime" => {
                    out.callback_lifetime = callback_lifetime_arg(v.extract()?)?;
                }
                "parent" | "parent_id" => {
                    out.parent = Some(id_arg(&v.extract::<PyBackedStr>()?)?);
                }
                "yb_duration" => out.yb_duration = Some(duration_arg(v.extract()?)?),
                "duration" => out.duration = duration_arg(v.extract()?)?,
                "max_duration" => out.max_duration = max_duration_arg(v.extract()?)?,
                "direction" => out.direction = direction_arg(v.extract()?)?,
                "record" => out.record = v.extract()?,
                "sms" => out.sms = v.extract()?,
                "user_data" => out.text.user_data = Some(v.extract()?),
                "record_hint_tone" => out.text.record_hint_tone = Some(v.extract()?),
                "last_min_voice" => out.text.last_min_voice = Some(v.extract()?),
                "caller_hint_tone" => out.text.caller_hint_tone = Some(v.extract()?),
                "callee_hint_tone" => out.text.callee_hint_tone = Some(v.extract()?),
                "callback_tone" => out.text.callback_tone = Some(v.extract()?),
                other => {
                    return Err(invalid_argument(format!("unknown bind argument {other:?}")));
                }
            }
        }
        Ok(out)
    }
}

/// The settings every typed bind method (`bind_pair` … `request_bind_relation`)
/// takes, as Python gave them; the shape's own arguments are added by the
/// `BindArgs` constructor of that shape.
#[derive(Debug)]
struct BindKwargs<'a> {
    /// X (Y for a relation).
    x: Option<NumberArg>,
    area: Option<String>,
    fallback: bool,
    id: Option<&'a str>,
    duration: u64,
    max_duration: u32,
    direction: u32,
    record: bool,
    sms: bool,
    text: TextArgs,
}

impl BindKwargs<'_> {
    /// The request for a `shape`, its settings checked (in this order: `id`,
    /// `duration`, `max_duration`, `direction`).
    fn into_args(self, shape: &str) -> PyResult<BindArgs> {
        Ok(BindArgs {
            shape: Some(shape.to_owned()),
            x: self.x.map(|n| n.0),
            area: self.area,
            fallback: self.fallback,
            id: self.id.map(id_arg).transpose()?,
            duration: duration_arg(self.duration)?,
            max_duration: max_duration_arg(self.max_duration)?,
            direction: direction_arg(self.direction)?,
            record: self.record,
            sms: self.sms,
            text: self.text,
            ..BindArgs::new()
        })
    }
}

/// One constructor per shape, shared by `bind_<shape>` and
/// `request_bind_<shape>`. The shape's own arguments are checked after the
/// settings.
impl BindArgs {
    /// `bind_pair` / `request_bind_pair`: A and B through X.
    fn pair(a: NumberArg, b: NumberArg, kw: BindKwargs<'_>) -> PyResult<Self> {
        let args = kw.into_args("pair")?;
        Ok(Self {
            a: Some(a.0),
            b: Some(b.0),
            ..args
        })
    }

    /// `bind_owner` / `request_bind_owner`: A owns X.
    fn owner(a: NumberArg, kw: BindKwargs<'_>) -> PyResult<Self> {
        let args = kw.into_args("owner")?;
        Ok(Self {
            a: Some(a.0),
            ..args
        })
    }

    /// `bind_extension` / `request_bind_extension`: A on an extension of X.
    fn extension(
        a: NumberArg,
        ext: Option<String>,
        callback: Option<NumberArg>,
        callback_lifetime: u64,
        kw: BindKwargs<'_>,
    ) -> PyResult<Self> {
        let args = kw.into_args("extension")?;
        Ok(Self {
            a: Some(a.0),
            ext,
            callback: callback.map(|n| n.0),
            callback_lifetime: callback_lifetime_arg(callback_lifetime)?,
            ..args
        })
    }

    /// `bind_axyb` / `request_bind_axyb`: A owns X in AXYB.
    fn axyb(a: NumberArg, yb_duration: u64, kw: BindKwargs<'_>) -> PyResult<Self> {
        let args = kw.into_args("axyb_ax")?;
        Ok(Self {
            a: Some(a.0),
            yb_duration: Some(duration_arg(yb_duration)?),
            ..args
        })
    }

    /// `bind_relation` / `request_bind_relation`: B on a Y under the AXYB AX
    /// binding `parent_id` (checked before `yb_duration`).
    fn relation(
        parent_id: &str,
        b: NumberArg,
        yb_duration: Option<u64>,
        kw: BindKwargs<'_>,
    ) -> PyResult<Self> {
        let args = kw.into_args("axyb_yb")?;
        Ok(Self {
            parent: Some(id_arg(parent_id)?),
            b: Some(b.0),
            yb_duration: yb_duration.map(duration_arg).transpose()?,
            ..args
        })
    }
}

/// The AXE arguments of `modify` / `request_modify`: the callback number
/// and the callback record lifetime in seconds (`None`: unchanged).
#[derive(Debug)]
struct CallbackArgs {
    callback: Option<NumberArg>,
    callback_lifetime: Option<u64>,
}

/// The changes `modify` / `request_modify` were given, checked (in this
/// order: `direction`, `max_duration`, `duration`, `callback_lifetime`).
#[allow(clippy::too_many_arguments)]
fn changes_arg(
    a: Option<NumberArg>,
    b: Option<NumberArg>,
    duration: Option<u64>,
    max_duration: Option<u32>,
    direction: Option<u32>,
    record: Option<bool>,
    sms: Option<bool>,
    text: TextArgs,
    axe: CallbackArgs,
) -> PyResult<Changes> {
    Ok(Changes {
        a: a.map(|n| n.0),
        b: b.map(|n| n.0),
        direction: direction.map(direction_arg).transpose()?,
        record,
        sms,
        max_duration_min: max_duration.map(max_duration_arg).transpose()?,
        duration_secs: duration.map(duration_arg).transpose()?,
        extras: text.extras(),
        callback: axe.callback.map(|n| n.0),
        callback_lifetime_secs: axe
            .callback_lifetime
            .map(callback_lifetime_arg)
            .transpose()?,
    })
}

/// `TextArgs` from the method's parameters of the same names:
/// `text_args! { user_data, record_hint_tone, … }`.
macro_rules! text_args {
    ($($name:ident),* $(,)?) => {
        TextArgs { $($name),* }
    };
}

/// `BindKwargs` from the typed bind method's parameters of the same names
/// (`name: value` for any other), the text settings after the `;`:
/// `bind_kwargs! { x, area, …, sms; user_data, …, callback_tone }`. The
/// methods take these as separate parameters (their Python signatures);
/// this gathers them in a few lines.
macro_rules! bind_kwargs {
    ($($name:ident $(: $value:expr)?),* ; $($text:ident),* $(,)?) => {
        BindKwargs { $($name $(: $value)?,)* text: text_args! { $($text),* } }
    };
}

// ---------------------------------------------------------------- Binding

/// A binding as the engine holds it (a copy taken when it was returned).
///
/// Which of ``a``, ``b``, ``ext``, ``callback``, ``callback_lifetime``,
/// ``temp_callee``, ``y``, ``parent`` and ``yb_duration`` are set depends
/// on ``shape``. ``repr()``
/// masks the numbers; ``to_dict()`` gives every field with numbers in E.164
/// form.
#[pyclass(module = "privnum", name = "Binding", frozen, eq)]
#[derive(Debug, PartialEq)]
pub(crate) struct PyBinding(pub(crate) Binding);

#[pymethods]
impl PyBinding {
    /// ``subscriptionId``, or ``"pending-<n>"`` before the platform answered.
    #[getter]
    fn id(&self) -> String {
        self.0.id.as_string()
    }

    /// The application's mode: ``"ax"``, ``"axb"``, ``"axe"``, ``"axyb"`` or ``"x"``.
    #[getter]
    fn mode(&self) -> &'static str {
        self.0.mode.name()
    }

    /// ``"pair"``, ``"owner"``, ``"extension"``, ``"axyb_ax"`` or ``"axyb_yb"``.
    #[getter]
    fn shape(&self) -> &'static str {
        self.0.shape.name()
    }

    /// ``"requested"``, ``"active"``, ``"modifying"``, ``"unbinding"`` or ``"suspended"``.
    #[getter]
    fn state(&self) -> &'static str {
        self.0.state.name()
    }

    /// X (for a YB relation, its AX binding's X); ``None`` while the platform chooses it.
    #[getter]
    fn x<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyNumber>>> {
        num(py, self.0.x)
    }

    /// A (pair, owner, extension, AXYB AX binding).
    #[getter]
    fn a<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyNumber>>> {
        num(py, self.a_num())
    }

    /// B (pair, YB relation).
    #[getter]
    fn b<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyNumber>>> {
        num(py, self.b_num())
    }

    /// The extension (AXE), e.g. ``"0001"``.
    #[getter]
    fn ext(&self) -> Option<String> {
        match &self.0.shape {
            Shape::Extension { ext, .. } => Some(ext.to_string()),
            _ => None,
        }
    }

    /// Where A is connected when calling X without a live callback record
    /// (AXE ``callbackNum``).
    #[getter]
    fn callback<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyNumber>>> {
        num(py, self.callback_num())
    }

    /// How long a callback record lasts in seconds (AXE
    /// ``callbackExpiredTime``; 0: as long as the binding).
    #[getter]
    fn callback_lifetime(&self) -> Option<u32> {
        match &self.0.shape {
            Shape::Extension {
                callback_lifetime_secs,
                ..
            } => Some(*callback_lifetime_secs),
            _ => None,
        }
    }

    /// The temporary callee of an AX owner (``set_temp_callee``).
    #[getter]
    fn temp_callee<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyNumber>>> {
        num(py, self.temp_callee_num())
    }

    /// Y (YB relation).
    #[getter]
    fn y<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyNumber>>> {
        num(py, self.y_num())
    }

    /// The AX binding's id (YB relation).
    #[getter]
    fn parent(&self) -> Option<String> {
        match &self.0.shape {
            Shape::AxybYb { parent, .. } => Some(parent.as_string()),
            _ => None,
        }
    }

    /// The default ``ybDuration`` of its relations in seconds (AXYB AX binding).
    #[getter]
    fn yb_duration(&self) -> Option<u32> {
        match &self.0.shape {
            Shape::AxybAx { yb_duration, .. } => Some(*yb_duration),
            _ => None,
        }
    }

    /// When it was bound or last modified (Unix seconds).
    #[getter]
    fn bound_at(&self) -> u64 {
        self.0.bound_at
    }

    /// When it expires (Unix seconds), or ``None`` if it never does.
    #[getter]
    fn expires_at(&self) -> Option<u64> {
        self.0.expires_at()
    }

    /// Lifetime in seconds from ``bound_at`` (0: never expires).
    #[getter]
    fn duration(&self) -> u32 {
        self.0.settings.duration_secs
    }

    /// Per-call cap in minutes (0: none).
    #[getter]
    fn max_duration(&self) -> u16 {
        self.0.settings.max_duration_min
    }

    /// ``callDirection``: 0 both ways, 1 only A calls B, 2 only B calls A.
    #[getter]
    fn direction(&self) -> u32 {
        self.0.settings.direction.code()
    }

    /// Whether calls are recorded.
    #[getter]
    fn record(&self) -> bool {
        self.0.settings.record
    }

    /// Whether SMS are allowed.
    #[getter]
    fn sms(&self) -> bool {
        self.0.settings.sms
    }

    /// ``userData``.
    #[getter]
    fn user_data(&self) -> Option<&str> {
        self.extras().and_then(|e| e.user_data.as_deref())
    }

    /// ``recordHintTone``.
    #[getter]
    fn record_hint_tone(&self) -> Option<&str> {
        self.extras().and_then(|e| e.record_hint_tone.as_deref())
    }

    /// ``lastMinVoice``.
    #[getter]
    fn last_min_voice(&self) -> Option<&str> {
        self.extras().and_then(|e| e.last_min_voice.as_deref())
    }

    /// ``preVoice.callerHintTone``.
    #[getter]
    fn caller_hint_tone(&self) -> Option<&str> {
        self.extras().and_then(|e| e.caller_hint_tone.as_deref())
    }

    /// ``preVoice.calleeHintTone``.
    #[getter]
    fn callee_hint_tone(&self) -> Option<&str> {
        self.extras().and_then(|e| e.callee_hint_tone.as_deref())
    }

    /// ``callbackTone`` (AXE).
    #[getter]
    fn callback_tone(&self) -> Option<&str> {
        self.extras().and_then(|e| e.callback_tone.as_deref())
    }

    /// In state ``"modifying"``: the changes sent to the platform (only the
    /// keys that change; numbers as ``Number``), applied when it confirms.
    #[getter]
    fn pending<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyDict>>> {
        self.0
            .pending
            .as_deref()
            .map(|c| changes_dict(py, c, false))
            .transpose()
    }

    /// Every field, numbers in E.164 form (``None`` where not set).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item(intern!(py, "id"), self.id())?;
        d.set_item(intern!(py, "mode"), self.mode())?;
        d.set_item(intern!(py, "shape"), self.shape())?;
        d.set_item(intern!(py, "state"), self.state())?;
        d.set_item(intern!(py, "x"), e164(self.0.x))?;
        d.set_item(intern!(py, "a"), e164(self.a_num()))?;
        d.set_item(intern!(py, "b"), e164(self.b_num()))?;
        d.set_item(intern!(py, "ext"), self.ext())?;
        d.set_item(intern!(py, "callback"), e164(self.callback_num()))?;
        d.set_item(intern!(py, "callback_lifetime"), self.callback_lifetime())?;
        d.set_item(intern!(py, "temp_callee"), e164(self.temp_callee_num()))?;
        d.set_item(intern!(py, "y"), e164(self.y_num()))?;
        d.set_item(intern!(py, "parent"), self.parent())?;
        d.set_item(intern!(py, "yb_duration"), self.yb_duration())?;
        d.set_item(intern!(py, "bound_at"), self.0.bound_at)?;
        d.set_item(intern!(py, "expires_at"), self.0.expires_at())?;
        d.set_item(intern!(py, "duration"), self.duration())?;
        d.set_item(intern!(py, "max_duration"), self.max_duration())?;
        d.set_item(intern!(py, "direction"), self.direction())?;
        d.set_item(intern!(py, "record"), self.record())?;
        d.set_item(intern!(py, "sms"), self.sms())?;
        d.set_item(intern!(py, "user_data"), self.user_data())?;
        d.set_item(intern!(py, "record_hint_tone"), self.record_hint_tone())?;
        d.set_item(intern!(py, "last_min_voice"), self.last_min_voice())?;
        d.set_item(intern!(py, "caller_hint_tone"), self.caller_hint_tone())?;
        d.set_item(intern!(py, "callee_hint_tone"), self.callee_hint_tone())?;
        d.set_item(intern!(py, "callback_tone"), self.callback_tone())?;
        let pending = self
            .0
            .pending
            .as_deref()
            .map(|c| changes_dict(py, c, true))
            .transpose()?;
        d.set_item(intern!(py, "pending"), pending)?;
        Ok(d)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let b = &self.0;
        let mut parts = vec![
            format!("id={}", py_repr(py, &b.id.as_string())?),
            format!("mode='{}'", b.mode.name()),
            format!("shape='{}'", b.shape.name()),
            format!("state='{}'", b.state.name()),
            format!("x={}", masked(py, b.x)?),
        ];
        match &b.shape {
            Shape::Pair { a, b } => {
                parts.push(format!("a={}", masked(py, Some(*a))?));
                parts.push(format!("b={}", masked(py, Some(*b))?));
            }
            Shape::Owner { a, temp_callee } => {
                parts.push(format!("a={}", masked(py, Some(*a))?));
                if temp_callee.is_some() {
                    parts.push(format!("temp_callee={}", masked(py, *temp_callee)?));
                }
            }
            Shape::Extension {
                a,
                ext,
                callback,
                callback_lifetime_secs,
            } => {
                parts.push(format!("a={}", masked(py, Some(*a))?));
                parts.push(format!("ext='{ext}'"));
                if callback.is_some() {
                    parts.push(format!("callback={}", masked(py, *callback)?));
                }
                if *callback_lifetime_secs > 0 {
                    parts.push(format!("callback_lifetime={callback_lifetime_secs}"));
                }
            }
            Shape::AxybAx { a, .. } => parts.push(format!("a={}", masked(py, Some(*a))?)),
            Shape::AxybYb { parent, b, y } => {
                parts.push(format!("parent={}", py_repr(py, &parent.as_string())?));
                parts.push(format!("b={}", masked(py, Some(*b))?));
                parts.push(format!("y={}", masked(py, Some(*y))?));
            }
        }
        parts.push(format!("bound_at={}", b.bound_at));
        parts.push(format!("expires_at={}", opt_repr(b.expires_at())));
        Ok(format!("Binding({})", parts.join(", ")))
    }
}

impl PyBinding {
    /// Its tones and user data, when it has any.
    fn extras(&self) -> Option<&Extras> {
        self.0.settings.extras.as_deref()
    }

    /// A, in the shapes that have one.
    fn a_num(&self) -> Option<Number> {
        match &self.0.shape {
            Shape::Pair { a, .. }
            | Shape::Owner { a, .. }
            | Shape::Extension { a, .. }
            | Shape::AxybAx { a, .. } => Some(*a),
            Shape::AxybYb { .. } => None,
        }
    }

    /// B (pair, YB relation).
    fn b_num(&self) -> Option<Number> {
        match &self.0.shape {
            Shape::Pair { b, .. } | Shape::AxybYb { b, .. } => Some(*b),
            _ => None,
        }
    }

    /// The AXE callback number, when set.
    fn callback_num(&self) -> Option<Number> {
        match &self.0.shape {
            Shape::Extension { callback, .. } => *callback,
            _ => None,
        }
    }

    /// The AX temporary callee, when set.
    fn temp_callee_num(&self) -> Option<Number> {
        match &self.0.shape {
            Shape::Owner { temp_callee, .. } => *temp_callee,
            _ => None,
        }
    }

    /// Y (YB relation).
    fn y_num(&self) -> Option<Number> {
        match &self.0.shape {
            Shape::AxybYb { y, .. } => Some(*y),
            _ => None,
        }
    }
}

/// The pending changes of a binding: only what changes; numbers as `Number`
/// objects, or as E.164 text (`text`).
fn changes_dict<'py>(py: Python<'py>, c: &Changes, text: bool) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    for (key, n) in [("a", c.a), ("b", c.b)] {
        if let Some(n) = n {
            if text {
                d.set_item(key, n.e164().as_str())?;
            } else {
                d.set_item(key, PyNumber(n))?;
            }
        }
    }
    if let Some(v) = c.duration_secs {
        d.set_item("duration", v)?;
    }
    if let Some(v) = c.max_duration_min {
        d.set_item("max_duration", v)?;
    }
    if let Some(v) = c.direction {
        d.set_item("direction", v.code())?;
    }
    if let Some(v) = c.record {
        d.set_item("record", v)?;
    }
    if let Some(v) = c.sms {
        d.set_item("sms", v)?;
    }
    if let Some(e) = &c.extras {
        for (key, v) in [
            ("user_data", &e.user_data),
            ("record_hint_tone", &e.record_hint_tone),
            ("last_min_voice", &e.last_min_voice),
            ("caller_hint_tone", &e.caller_hint_tone),
            ("callee_hint_tone", &e.callee_hint_tone),
            ("callback_tone", &e.callback_tone),
        ] {
            d.set_item(key, v.as_deref())?;
        }
    }
    Ok(d)
}

/// Bindings as a Python list of `Binding`.
fn bindings_list(py: Python<'_>, v: Vec<Binding>) -> PyResult<Bound<'_, PyList>> {
    PyList::new(py, v.into_iter().map(PyBinding))
}

// ---------------------------------------------------------------- Event

/// A change the engine made (``Engine.poll_events``). ``repr()`` masks X.
#[pyclass(module = "privnum", name = "Event", frozen, eq)]
#[derive(Debug, PartialEq)]
pub(crate) struct PyEvent(Event);

#[pymethods]
impl PyEvent {
    /// Increasing number of the event within this engine's run.
    #[getter]
    fn seq(&self) -> u64 {
        self.0.seq
    }

    /// When (the ``now`` of the operation, Unix seconds).
    #[getter]
    fn at(&self) -> u64 {
        self.0.at
    }

    /// What happened: ``"requested"``, ``"bound"``, ``"failed"``, ``"modifying"``,
    /// ``"modified"``, ``"modify_failed"``, ``"unbinding"``, ``"unbound"``,
    /// ``"unbind_failed"``, ``"expired"``, ``"suspended"`` or ``"resumed"``.
    #[getter]
    fn kind(&self) -> &'static str {
        self.0.kind.name()
    }

    /// The binding's id (its new id when a request was confirmed).
    #[getter]
    fn id(&self) -> String {
        self.0.id.as_string()
    }

    /// Its id before, when a confirmed request changed it.
    #[getter]
    fn previous_id(&self) -> Option<String> {
        self.0.previous_id.as_ref().map(BindingId::as_string)
    }

    /// The state before (``None`` for a new binding).
    #[getter(from_state)]
    fn state_before(&self) -> Option<&'static str> {
        self.0.from.map(|s| s.name())
    }

    /// The state after (``"unbound"``, ``"expired"`` or ``"failed"`` when it is gone).
    #[getter]
    fn to_state(&self) -> &'static str {
        self.0.to.name()
    }

    /// Its X, when known.
    #[getter]
    fn x<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyNumber>>> {
        num(py, self.0.x)
    }

    /// The platform ``resultcode`` of a refusal.
    #[getter]
    fn code(&self) -> Option<&str> {
        self.0.code.as_deref()
    }

    /// Every field (X in E.164 form).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item(intern!(py, "seq"), self.0.seq)?;
        d.set_item(intern!(py, "at"), self.0.at)?;
        d.set_item(intern!(py, "kind"), self.kind())?;
        d.set_item(intern!(py, "id"), self.id())?;
        d.set_item(intern!(py, "previous_id"), self.previous_id())?;
        d.set_item(intern!(py, "from_state"), self.state_before())?;
        d.set_item(intern!(py, "to_state"), self.to_state())?;
        d.set_item(intern!(py, "x"), e164(self.0.x))?;
        d.set_item(intern!(py, "code"), self.code())?;
        Ok(d)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let e = &self.0;
        Ok(format!(
            "Event(seq={}, at={}, kind='{}', id={}, previous_id={}, from_state={}, to_state='{}', x={}, code={})",
            e.seq,
            e.at,
            e.kind.name(),
            py_repr(py, &e.id.as_string())?,
            text_repr(py, self.previous_id().as_deref())?,
            text_repr(py, self.state_before())?,
            e.to.name(),
            masked(py, e.x)?,
            text_repr(py, e.code.as_deref())?,
        ))
    }
}

// ---------------------------------------------------------------- Route

/// The routing decision for a call reaching a privacy number
/// (``Engine.route``).
///
/// ``connect`` tells which: connect ``callee``, showing ``display`` (X or
/// Y), with ``max_duration`` minutes (0: no cap) and ``record``; or close,
/// for ``reason`` (with the platform's ``state_code`` where the spec names
/// one). ``binding_id`` is the binding that decided it, when one was found.
/// ``repr()`` masks the numbers.
#[pyclass(module = "privnum", name = "Route", frozen, eq)]
#[derive(Debug, PartialEq)]
pub(crate) struct PyRoute(Route);

#[pymethods]
impl PyRoute {
    /// Whether the call is connected.
    #[getter]
    fn connect(&self) -> bool {
        self.0.is_connect()
    }

    /// Whom to call (``None`` when closed).
    #[getter]
    fn callee(&self) -> Option<PyNumber> {
        self.connection().map(|c| PyNumber(c.callee))
    }

    /// What the callee sees: X, or Y for AXYB (``None`` when closed).
    #[getter]
    fn display(&self) -> Option<PyNumber> {
        self.connection().map(|c| PyNumber(c.display))
    }

    /// Per-call cap in minutes (0: none, and when closed).
    #[getter]
    fn max_duration(&self) -> u16 {
        self.connection().map_or(0, |c| c.max_duration_min)
    }

    /// Whether to record the call.
    #[getter]
    fn record(&self) -> bool {
        self.connection().is_some_and(|c| c.record)
    }

    /// The binding that decided it, when one was found.
    #[getter]
    fn binding_id(&self) -> Option<String> {
        match &self.0 {
            Route::Connect(c) => Some(c.binding.as_string()),
            Route::Close { binding, .. } => binding.as_ref().map(BindingId::as_string),
        }
    }

    /// Why the call is closed (``None`` when connected): ``"caller_cannot_call_x"``,
    /// ``"no_binding"``, ``"not_yet_bound"``, ``"expired"``, ``"x_unavailable"``,
    /// ``"direction_not_allowed"``, ``"no_temp_callee"``, ``"extension_needed"``,
    /// ``"unknown_extension"``, ``"no_callback_target"`` or ``"no_relation"``.
    #[getter]
    fn reason(&self) -> Option<&'static str> {
        self.close_reason().map(CloseReason::name)
    }

    /// The platform's hang-up ``stateCode`` for a close, where the spec names one.
    #[getter]
    fn state_code(&self) -> Option<u32> {
        self.close_reason().and_then(CloseReason::state_code)
    }

    /// The binding's ``userData`` (connect only).
    #[getter]
    fn user_data(&self) -> Option<&str> {
        self.connection()
            .and_then(|c| c.extras.as_deref())
            .and_then(|e| e.user_data.as_deref())
    }

    /// The X-mode ``callin`` reply that carries out this decision, as
    /// ``connect_reply`` / ``close_reply`` build it: connect with the
    /// callee, display, cap, recording flag and the binding's tones and user
    /// data; or close. ``form`` as for ``connect_reply``.
    #[pyo3(signature = (*, form = "object"))]
    fn to_reply_json(&self, form: &str) -> PyResult<String> {
        let form = InfoForm::from_name(form).ok_or_else(|| {
            invalid_argument(format!(
                "unknown form {form:?}: expected \"object\" or \"array\""
            ))
        })?;
        match &self.0 {
            Route::Connect(c) => {
                let mut r = ConnectReply::new(c.callee)
                    .display(c.display)
                    .record(c.record)
                    .form(form);
                if c.max_duration_min > 0 {
                    r = r.max_duration_minutes(u32::from(c.max_duration_min));
                }
                if let Some(e) = c.extras.as_deref() {
                    if let (true, Some(v)) = (c.record, e.record_hint_tone.as_deref()) {
                        r = r.record_hint_tone(v);
                    }
                    if let (true, Some(v)) = (c.max_duration_min > 0, e.last_min_voice.as_deref()) {
                        r = r.last_min_voice(v);
                    }
                    if let Some(v) = e.user_data.as_deref() {
                        r = r.user_data(v);
                    }
                }
                r.to_json().or_raise()
            }
            Route::Close { .. } => CloseReply::new().form(form).to_json().or_raise(),
        }
    }

    /// Every field (numbers in E.164 form).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        let c = self.connection();
        d.set_item(intern!(py, "connect"), self.connect())?;
        d.set_item(intern!(py, "callee"), e164(c.map(|c| c.callee)))?;
        d.set_item(intern!(py, "display"), e164(c.map(|c| c.display)))?;
        d.set_item(intern!(py, "max_duration"), self.max_duration())?;
        d.set_item(intern!(py, "record"), self.record())?;
        d.set_item(intern!(py, "binding_id"), self.binding_id())?;
        d.set_item(intern!(py, "reason"), self.reason())?;
        d.set_item(intern!(py, "state_code"), self.state_code())?;
        d.set_item(intern!(py, "user_data"), self.user_data())?;
        Ok(d)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        match &self.0 {
            Route::Connect(c) => Ok(format!(
                "Route(connect=True, callee={}, display={}, max_duration={}, record={}, binding_id={})",
                masked(py, Some(c.callee))?,
                masked(py, Some(c.display))?,
                c.max_duration_min,
                py_bool(c.record),
                py_repr(py, &c.binding.as_string())?,
            )),
            Route::Close { reason, binding } => Ok(format!(
                "Route(connect=False, reason='{}', state_code={}, binding_id={})",
                reason.name(),
                opt_repr(reason.state_code()),
                text_repr(py, binding.as_ref().map(BindingId::as_string).as_deref())?,
            )),
        }
    }
}

impl PyRoute {
    /// The connection, when the call is connected.
    fn connection(&self) -> Option<&Connect> {
        match &self.0 {
            Route::Connect(c) => Some(c),
            Route::Close { .. } => None,
        }
    }

    /// Why the call is closed, when it is.
    fn close_reason(&self) -> Option<CloseReason> {
        match &self.0 {
            Route::Close { reason, .. } => Some(*reason),
            Route::Connect(_) => None,
        }
    }
}

// ---------------------------------------------------------------- OpenReport

/// What ``Engine.open`` found in the directory.
#[pyclass(module = "privnum", name = "OpenReport", frozen, eq)]
#[derive(Debug, PartialEq)]
pub(crate) struct PyOpenReport(OpenReport);

#[pymethods]
impl PyOpenReport {
    /// Whether a snapshot was loaded.
    #[getter]
    fn snapshot_loaded(&self) -> bool {
        self.0.snapshot_loaded
    }

    /// Journal records replayed after it.
    #[getter]
    fn records_replayed(&self) -> u64 {
        self.0.records_replayed
    }

    /// Bindings restored.
    #[getter]
    fn bindings(&self) -> usize {
        self.0.bindings
    }

    /// A torn last record that was cut off (a change never acknowledged):
    /// ``(offset, bytes)`` in the journal file, or ``None``.
    #[getter]
    fn torn_tail(&self) -> Option<(u64, u64)> {
        self.0.torn_tail.as_ref().map(|t| (t.offset, t.bytes))
    }

    /// Every field.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("snapshot_loaded", self.0.snapshot_loaded)?;
        d.set_item("records_replayed", self.0.records_replayed)?;
        d.set_item("bindings", self.0.bindings)?;
        d.set_item("torn_tail", self.torn_tail())?;
        Ok(d)
    }

    fn __repr__(&self) -> String {
        format!(
            "OpenReport(snapshot_loaded={}, records_replayed={}, bindings={}, torn_tail={})",
            py_bool(self.0.snapshot_loaded),
            self.0.records_replayed,
            self.0.bindings,
            self.torn_tail()
                .map_or_else(|| "None".to_owned(), |(o, b)| format!("({o}, {b})")),
        )
    }
}

// ---------------------------------------------------------------- Engine

/// `json.dumps(obj, default=…)` with `Number` written as E.164 text.
pub(crate) fn dumps(py: Python<'_>, obj: &Bound<'_, PyAny>) -> PyResult<String> {
    static DEFAULT: PyOnceLock<Py<PyCFunction>> = PyOnceLock::new();
    let default = DEFAULT.get_or_try_init(py, || -> PyResult<_> {
        let f = PyCFunction::new_closure(
            py,
            None,
            None,
            |args: &Bound<'_, PyTuple>, _kwargs| -> PyResult<String> {
                let obj = args.get_item(0)?;
                match obj.cast::<PyNumber>() {
                    Ok(n) => Ok(n.get().0.e164().as_str().to_owned()),
                    Err(_) => Err(PyTypeError::new_err(format!(
                        "Object of type {} is not JSON serializable",
                        obj.get_type().name()?
                    ))),
                }
            },
        )?;
        Ok(f.unbind())
    })?;
    let kwargs = PyDict::new(py);
    kwargs.set_item("default", default.bind(py))?;
    py.import("json")?
        .call_method("dumps", (obj,), Some(&kwargs))?
        .extract()
}

/// `obj` as JSON text: a `str` as it is, anything else through `dumps`.
fn json_text(py: Python<'_>, obj: &Bound<'_, PyAny>) -> PyResult<String> {
    match obj.cast::<PyString>() {
        Ok(s) => Ok(s.to_str()?.to_owned()),
        Err(_) => dumps(py, obj),
    }
}

/// `e` again, of the same class, with `"item <i>: "` before its message
/// (and the same `.platform_code` and `.field`).
fn prefixed(py: Python<'_>, e: PyErr, i: usize) -> PyErr {
    let value = e.value(py);
    let build = || -> PyResult<PyErr> {
        let new = value.get_type().call1((format!("item {i}: {value}"),))?;
        for attr in ["platform_code", "field"] {
            if let Ok(v) = value.getattr(attr) {
                if !v.is_none() {
                    new.setattr(attr, v)?;
                }
            }
        }
        Ok(PyErr::from_value(new))
    };
    build().unwrap_or(e)
}

/// The exception for an error the core answered as JSON
/// (`{"kind", "code", "platform_code", "field", "message"}`).
fn error_from_json(err: &Bound<'_, PyAny>) -> PyResult<PyErr> {
    let text = |key: &str| -> PyResult<Option<String>> {
        let v = err.get_item(key)?;
        if v.is_none() { Ok(None) } else { v.extract() }
    };
    let kind_name = text("kind")?.unwrap_or_default();
    let kind = ErrorKind::ALL
        .iter()
        .copied()
        .find(|k| k.name() == kind_name)
        .unwrap_or(ErrorKind::Panic);
    Ok(raise(
        kind,
        &text("message")?.unwrap_or_default(),
        text("platform_code")?.as_deref(),
        text("field")?.as_deref(),
    ))
}

/// A binding engine: the bindings of one application (one mode), the X pool,
/// routing and events; optionally kept in a directory (``Engine.open``).
///
/// Thread-safe: share one engine between threads. Times (``now``) are Unix
/// seconds given by the caller; the engine never reads a clock. Numbers are
/// ``Number`` objects or text parsed as ``parse_number`` does (country 86 by
/// default). Refusals raise an ``EngineError`` subclass; a broken platform
/// rule is ``RuleViolationError`` with the platform's ``.platform_code``
/// (``"1012010"``) and the request ``.field`` (``"calleeNum"``).
#[pyclass(module = "privnum", name = "Engine", frozen)]
pub(crate) struct PyEngine {
    /// Shared with the `Mirror`s made on this engine.
    inner: Arc<Engine>,
    /// Kept in a directory: every change writes (and may sync) the journal.
    durable: bool,
    report: Option<Py<PyOpenReport>>,
}

impl std::fmt::Debug for PyEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PyEngine")
            .field("inner", &self.inner)
            .field("durable", &self.durable)
            .finish_non_exhaustive()
    }
}

/// An engine configuration from the constructor's arguments.
fn config(
    mode: &str,
    extension_digits: u8,
    max_events: usize,
    id_seed: Option<u64>,
) -> PyResult<EngineConfig> {
    let mut c = EngineConfig::new(mode_arg(mode)?);
    c.extension_digits = extension_digits;
    c.max_events = max_events;
    c.id_seed = id_seed;
    Ok(c)
}

impl PyEngine {
    /// The core engine, shared (a `Mirror` changes this same engine).
    pub(crate) fn shared(&self) -> Arc<Engine> {
        Arc::clone(&self.inner)
    }

    /// An in-memory engine (`path` `None`), or one kept in the directory
    /// `path`.
    fn open_at(py: Python<'_>, path: Option<PathBuf>, config: EngineConfig) -> PyResult<Self> {
        match path {
            None => Ok(Self {
                inner: Arc::new(Engine::new(config).or_raise()?),
                durable: false,
                report: None,
            }),
            Some(path) => {
                // Replays the whole journal: GIL released.
                let (inner, report) = py.detach(|| Engine::open(&path, config)).or_raise()?;
                Ok(Self {
                    inner: Arc::new(inner),
                    durable: true,
                    report: Some(Py::new(py, PyOpenReport(report))?),
                })
            }
        }
    }

    /// Run a change: with the GIL released on a durable engine (journal
    /// write, maybe fsync), else in place.
    fn change<T: Send>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&Engine) -> privnum::Result<T> + Send,
    ) -> PyResult<T> {
        if self.durable {
            py.detach(|| f(&self.inner)).or_raise()
        } else {
            f(&self.inner).or_raise()
        }
    }

    /// Make the bind request `args` at once or as sent to the platform
    /// (`how`), keeping or releasing the GIL as `change` does.
    fn bind_with(&self, py: Python<'_>, args: BindArgs, how: How, now: u64) -> PyResult<PyBinding> {
        let req = args.into_request(self.inner.mode(), how)?;
        let b = self.change(py, |e| match how {
            How::Bind => e.bind(&req, now),
            How::Request => e.request_bind(&req, now),
        })?;
        Ok(PyBinding(b))
    }
}

#[pymethods]
impl PyEngine {
    /// An in-memory engine for an application of ``mode`` (``"ax"``,
    /// ``"axb"``, ``"axe"``, ``"axyb"`` or ``"x"``). ``extension_digits``
    /// (1-4) is the AXE extension length; at most ``max_events`` unread
    /// events are kept; ``id_seed`` mints reproducible binding ids.
    #[new]
    #[pyo3(signature = (mode, *, extension_digits = 4, max_events = 65536, id_seed = None))]
    fn new(
        py: Python<'_>,
        mode: &str,
        extension_digits: u8,
        max_events: usize,
        id_seed: Option<u64>,
    ) -> PyResult<Self> {
        Self::open_at(
            py,
            None,
            config(mode, extension_digits, max_events, id_seed)?,
        )
    }

    /// An engine kept in the directory ``path`` (created if missing): the
    /// state found there is restored (``open_report`` says what was found)
    /// and every change is journaled before the call returns. ``fsync``:
    /// ``"always"`` syncs each change to disk (survives power loss),
    /// ``"never"`` leaves it to the OS (survives the process being killed).
    /// A snapshot replaces the journal every ``compact_after`` records.
    /// The GIL is released while the state is read.
    #[classmethod]
    #[pyo3(signature = (
        path,
        mode,
        *,
        extension_digits = 4,
        max_events = 65536,
        id_seed = None,
        fsync = "always",
        compact_after = 100_000,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn open(
        _cls: &Bound<'_, PyType>,
        py: Python<'_>,
        path: PathBuf,
        mode: &str,
        extension_digits: u8,
        max_events: usize,
        id_seed: Option<u64>,
        fsync: &str,
        compact_after: u64,
    ) -> PyResult<Self> {
        let mut c = config(mode, extension_digits, max_events, id_seed)?;
        c.fsync = fsync_arg(fsync)?;
        c.compact_after = compact_after;
        Self::open_at(py, Some(path), c)
    }

    /// An engine from a configuration mapping (or its JSON text), as the
    /// engine vectors and the C API give it: ``{"mode": "axb",
    /// "extension_digits": 4, "max_events": 65536, "compact_after": 100000,
    /// "id_seed": 1, "fsync": "always"}`` (all but ``mode`` optional). With
    /// ``path``, the engine is kept in that directory (see ``open``).
    #[classmethod]
    #[pyo3(signature = (config, *, path = None))]
    fn from_config(
        _cls: &Bound<'_, PyType>,
        py: Python<'_>,
        config: &Bound<'_, PyAny>,
        path: Option<PathBuf>,
    ) -> PyResult<Self> {
        let text = json_text(py, config)?;
        let c = command::config_from_json(&text).or_raise()?;
        Self::open_at(py, path, c)
    }

    /// The application's mode.
    #[getter]
    fn mode(&self) -> &'static str {
        self.inner.mode().name()
    }

    /// AXE extension length in digits.
    #[getter]
    fn extension_digits(&self) -> u8 {
        self.inner.config().extension_digits
    }

    /// Whether the engine is kept in a directory.
    #[getter]
    fn durable(&self) -> bool {
        self.durable
    }

    /// What ``open`` found in the directory (``None`` for an in-memory engine).
    #[getter]
    fn open_report<'py>(&self, py: Python<'py>) -> Option<Bound<'py, PyOpenReport>> {
        self.report.as_ref().map(|r| r.bind(py).clone())
    }

    /// How many events were dropped because nobody read them in time.
    #[getter]
    fn events_dropped(&self) -> u64 {
        self.inner.events_dropped()
    }

    /// How many bindings the engine holds.
    fn __len__(&self) -> usize {
        self.inner.len()
    }

    fn __repr__(&self) -> String {
        format!(
            "Engine(mode='{}', bindings={}, durable={})",
            self.inner.mode().name(),
            self.inner.len(),
            py_bool(self.durable)
        )
    }

    /// Bytes of memory the bindings, indexes and AXE callback records use
    /// (not counting allocator overhead).
    fn memory_bytes(&self) -> usize {
        self.inner.memory_bytes()
    }

    /// Make room for ``n`` more bindings (before a bulk load).
    fn reserve(&self, py: Python<'_>, n: usize) {
        py.detach(|| self.inner.reserve(n));
    }

    // ----- routing ---------------------------------------------------------

    /// Decide a call from ``caller`` reaching ``dialled`` (X, or Y in AXYB)
    /// at ``now``; ``ext`` is the extension keyed in (AXE). A call connected
    /// through an extension is remembered as that binding's callback record:
    /// its A calling X then reaches that caller while the record lasts
    /// (``callback_lifetime``), else ``callback``. Pass ``Number`` objects on
    /// a hot path (text is parsed on every call).
    // GIL kept. Measured on the development machine (2 cores, Python 3.11,
    // 200 000 AXB pairs, pre-parsed `Number` arguments): 254 ns per call
    // from Python with the GIL kept (3.9 M lookups/s) against 385 ns when
    // the lookup releases it (2.6 M/s); four threads routing at once reach
    // 3.8 M/s in total with the GIL kept and 2.3 M/s with it released.
    // The lookup itself (a read lock and one or two hash probes) is shorter
    // than handing the GIL over, so keeping it wins. It cannot deadlock: a
    // writer holds the write lock only for the in-memory apply, never while
    // waiting for Python.
    #[pyo3(signature = (caller, dialled, *, ext = None, now))]
    fn route(
        &self,
        caller: NumberArg,
        dialled: NumberArg,
        ext: Option<&str>,
        now: u64,
    ) -> PyResult<PyRoute> {
        let call = CallIn {
            caller: caller.0,
            dialled: dialled.0,
            ext: ext.map(ext_arg).transpose()?,
        };
        Ok(PyRoute(self.inner.route(&call, now)))
    }

    // ----- reads -----------------------------------------------------------

    /// The binding with this id, or ``None``.
    fn get(&self, id: &str) -> PyResult<Option<PyBinding>> {
        Ok(self.inner.get(&id_arg(id)?).map(PyBinding))
    }

    /// Every binding on ``x`` (for AXYB, an AX binding and its relations).
    fn bindings_on<'py>(&self, py: Python<'py>, x: NumberArg) -> PyResult<Bound<'py, PyList>> {
        bindings_list(py, self.inner.bindings_on(x.0))
    }

    /// The binding through which ``caller`` reaches someone by dialling
    /// ``dialled`` (a pair, an extension's A calling back, an AXYB relation).
    fn find_party(&self, dialled: NumberArg, caller: NumberArg) -> Option<PyBinding> {
        self.inner.find_party(dialled.0, caller.0).map(PyBinding)
    }

    /// The binding of extension ``ext`` on ``x`` (AXE).
    fn find_extension(&self, x: NumberArg, ext: &str) -> PyResult<Option<PyBinding>> {
        Ok(self.inner.find_extension(x.0, ext_arg(ext)?).map(PyBinding))
    }

    /// The AX (or AXYB AX) bindings ``a`` holds.
    fn owned_by<'py>(&self, py: Python<'py>, a: NumberArg) -> PyResult<Bound<'py, PyList>> {
        bindings_list(py, self.inner.owned_by(a.0))
    }

    /// The YB relations under the AXYB AX binding ``parent``.
    fn relations<'py>(&self, py: Python<'py>, parent: &str) -> PyResult<Bound<'py, PyList>> {
        bindings_list(py, self.inner.relations(&id_arg(parent)?))
    }

    /// Every binding, in no particular order (copied with the GIL released).
    fn bindings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let all = py.detach(|| self.inner.bindings());
        bindings_list(py, all)
    }

    /// The status of ``x``: ``"normal"`` unless one was set.
    fn x_status(&self, x: NumberArg) -> &'static str {
        self.inner.x_status(x.0).name()
    }

    /// The pool's numbers by area: ``{"0755": [Number, ...], ...}``.
    fn pool<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let areas = py.detach(|| self.inner.pool());
        let d = PyDict::new(py);
        for (area, xs) in areas {
            d.set_item(area, PyList::new(py, xs.into_iter().map(PyNumber))?)?;
        }
        Ok(d)
    }

    /// How close each pool area is to running out: one dict per area with
    /// ``area``, ``numbers``, ``usable``, ``bindings``, ``capacity``, ``free``,
    /// ``utilization``, ``busiest_party_pairs`` and ``busiest_party_headroom``.
    fn pool_pressure<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let areas = py.detach(|| self.inner.pool_pressure());
        let out = PyList::empty(py);
        for p in areas {
            let d = PyDict::new(py);
            d.set_item(intern!(py, "area"), p.area)?;
            d.set_item(intern!(py, "numbers"), p.numbers)?;
            d.set_item(intern!(py, "usable"), p.usable)?;
            d.set_item(intern!(py, "bindings"), p.bindings)?;
            d.set_item(intern!(py, "capacity"), p.capacity)?;
            d.set_item(intern!(py, "free"), p.free)?;
            d.set_item(intern!(py, "utilization"), p.utilization)?;
            d.set_item(intern!(py, "busiest_party_pairs"), p.busiest_party_pairs)?;
            d.set_item(
                intern!(py, "busiest_party_headroom"),
                p.busiest_party_headroom,
            )?;
            out.append(d)?;
        }
        Ok(out)
    }

    /// Take up to ``max`` unread events (all when ``None``), oldest first.
    #[pyo3(signature = (max = None))]
    fn poll_events<'py>(
        &self,
        py: Python<'py>,
        max: Option<usize>,
    ) -> PyResult<Bound<'py, PyList>> {
        let events = self.inner.poll_events(max.unwrap_or(usize::MAX));
        PyList::new(py, events.into_iter().map(PyEvent))
    }

    // ----- binds -----------------------------------------------------------

    /// Bind A and B through X (AXB, or an X-mode pair) at once. X is ``x``,
    /// or chosen from the pool (in ``area`` — default A's area for a fixed
    /// line — and in other areas too when ``fallback``). ``duration`` is the
    /// lifetime in seconds (0: none), ``max_duration`` the per-call cap in
    /// minutes, ``direction`` 0 both ways / 1 A→B / 2 B→A; ``id`` the
    /// ``subscriptionId`` to use (else one is minted).
    #[pyo3(signature = (
        a, b, *, x = None, area = None, fallback = false, id = None, duration = 0,
        max_duration = 0, direction = 0, record = false, sms = true, user_data = None,
        record_hint_tone = None, last_min_voice = None, caller_hint_tone = None,
        callee_hint_tone = None, callback_tone = None, now,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn bind_pair(
        &self,
        py: Python<'_>,
        a: NumberArg,
        b: NumberArg,
        x: Option<NumberArg>,
        area: Option<String>,
        fallback: bool,
        id: Option<&str>,
        duration: u64,
        max_duration: u32,
        direction: u32,
        record: bool,
        sms: bool,
        user_data: Option<String>,
        record_hint_tone: Option<String>,
        last_min_voice: Option<String>,
        caller_hint_tone: Option<String>,
        callee_hint_tone: Option<String>,
        callback_tone: Option<String>,
        now: u64,
    ) -> PyResult<PyBinding> {
        let kw = bind_kwargs! {
            x, area, fallback, id, duration, max_duration, direction, record, sms;
            user_data, record_hint_tone, last_min_voice, caller_hint_tone, callee_hint_tone,
            callback_tone
        };
        let args = BindArgs::pair(a, b, kw)?;
        self.bind_with(py, args, How::Bind, now)
    }

    /// Record a pair bind request sent to the platform: the binding is
    /// ``"requested"`` under a ``"pending-<n>"`` id (unless ``id`` is given)
    /// until ``settle``. With neither ``x`` nor ``area`` the platform
    /// chooses X. Arguments as for ``bind_pair``.
    #[pyo3(signature = (
        a, b, *, x = None, area = None, fallback = false, id = None, duration = 0,
        max_duration = 0, direction = 0, record = false, sms = true, user_data = None,
        record_hint_tone = None, last_min_voice = None, caller_hint_tone = None,
        callee_hint_tone = None, callback_tone = None, now,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn request_bind_pair(
        &self,
        py: Python<'_>,
        a: NumberArg,
        b: NumberArg,
        x: Option<NumberArg>,
        area: Option<String>,
        fallback: bool,
        id: Option<&str>,
        duration: u64,
        max_duration: u32,
        direction: u32,
        record: bool,
        sms: bool,
        user_data: Option<String>,
        record_hint_tone: Option<String>,
        last_min_voice: Option<String>,
        caller_hint_tone: Option<String>,
        callee_hint_tone: Option<String>,
        callback_tone: Option<String>,
        now: u64,
    ) -> PyResult<PyBinding> {
        let kw = bind_kwargs! {
            x, area, fallback, id, duration, max_duration, direction, record, sms;
            user_data, record_hint_tone, last_min_voice, caller_hint_tone, callee_hint_tone,
            callback_tone
        };
        let args = BindArgs::pair(a, b, kw)?;
        self.bind_with(py, args, How::Request, now)
    }

    /// Bind A as the owner of X (AX, or an X-mode owner) at once: anyone
    /// calling X reaches A. AX bindings have no lifetime (``duration`` must
    /// be 0); A may own at most 5 X (1011003). Other arguments as for
    /// ``bind_pair``.
    #[pyo3(signature = (
        a, *, x = None, area = None, fallback = false, id = None, duration = 0,
        max_duration = 0, direction = 0, record = false, sms = true, user_data = None,
        record_hint_tone = None, last_min_voice = None, caller_hint_tone = None,
        callee_hint_tone = None, callback_tone = None, now,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn bind_owner(
        &self,
        py: Python<'_>,
        a: NumberArg,
        x: Option<NumberArg>,
        area: Option<String>,
        fallback: bool,
        id: Option<&str>,
        duration: u64,
        max_duration: u32,
        direction: u32,
        record: bool,
        sms: bool,
        user_data: Option<String>,
        record_hint_tone: Option<String>,
        last_min_voice: Option<String>,
        caller_hint_tone: Option<String>,
        callee_hint_tone: Option<String>,
        callback_tone: Option<String>,
        now: u64,
    ) -> PyResult<PyBinding> {
        let kw = bind_kwargs! {
            x, area, fallback, id, duration, max_duration, direction, record, sms;
            user_data, record_hint_tone, last_min_voice, caller_hint_tone, callee_hint_tone,
            callback_tone
        };
        let args = BindArgs::owner(a, kw)?;
        self.bind_with(py, args, How::Bind, now)
    }

    /// Record an owner bind request sent to the platform (see
    /// ``request_bind_pair``).
    #[pyo3(signature = (
        a, *, x = None, area = None, fallback = false, id = None, duration = 0,
        max_duration = 0, direction = 0, record = false, sms = true, user_data = None,
        record_hint_tone = None, last_min_voice = None, caller_hint_tone = None,
        callee_hint_tone = None, callback_tone = None, now,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn request_bind_owner(
        &self,
        py: Python<'_>,
        a: NumberArg,
        x: Option<NumberArg>,
        area: Option<String>,
        fallback: bool,
        id: Option<&str>,
        duration: u64,
        max_duration: u32,
        direction: u32,
        record: bool,
        sms: bool,
        user_data: Option<String>,
        record_hint_tone: Option<String>,
        last_min_voice: Option<String>,
        caller_hint_tone: Option<String>,
        callee_hint_tone: Option<String>,
        callback_tone: Option<String>,
        now: u64,
    ) -> PyResult<PyBinding> {
        let kw = bind_kwargs! {
            x, area, fallback, id, duration, max_duration, direction, record, sms;
            user_data, record_hint_tone, last_min_voice, caller_hint_tone, callee_hint_tone,
            callback_tone
        };
        let args = BindArgs::owner(a, kw)?;
        self.bind_with(py, args, How::Request, now)
    }

    /// Bind A to an extension of X (AXE, or an X-mode extension) at once:
    /// callers reach A by dialling X and ``ext``. ``ext`` is honoured only
    /// with ``x`` given (else the lowest free extension is used). A calling
    /// X is connected back to the last party that reached A through X and
    /// ``ext`` (the callback record) for ``callback_lifetime`` seconds after
    /// that call (``callbackExpiredTime``; 0: as long as the binding), else
    /// to ``callback``. ``duration`` and ``callback_lifetime`` are whole
    /// minutes in seconds (up to 30 days). Callback records are not
    /// journaled. Other arguments as for ``bind_pair``.
    #[pyo3(signature = (
        a, *, x = None, ext = None, callback = None, callback_lifetime = 0, area = None,
        fallback = false, id = None, duration = 0, max_duration = 0, direction = 0,
        record = false, sms = true, user_data = None, record_hint_tone = None,
        last_min_voice = None, caller_hint_tone = None, callee_hint_tone = None,
        callback_tone = None, now,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn bind_extension(
        &self,
        py: Python<'_>,
        a: NumberArg,
        x: Option<NumberArg>,
        ext: Option<String>,
        callback: Option<NumberArg>,
        callback_lifetime: u64,
        area: Option<String>,
        fallback: bool,
        id: Option<&str>,
        duration: u64,
        max_duration: u32,
        direction: u32,
        record: bool,
        sms: bool,
        user_data: Option<String>,
        record_hint_tone: Option<String>,
        last_min_voice: Option<String>,
        caller_hint_tone: Option<String>,
        callee_hint_tone: Option<String>,
        callback_tone: Option<String>,
        now: u64,
    ) -> PyResult<PyBinding> {
        let kw = bind_kwargs! {
            x, area, fallback, id, duration, max_duration, direction, record, sms;
            user_data, record_hint_tone, last_min_voice, caller_hint_tone, callee_hint_tone,
            callback_tone
        };
        let args = BindArgs::extension(a, ext, callback, callback_lifetime, kw)?;
        self.bind_with(py, args, How::Bind, now)
    }

    /// Record an extension bind request sent to the platform (see
    /// ``request_bind_pair``; ``ext`` is the extension asked for).
    #[pyo3(signature = (
        a, *, x = None, ext = None, callback = None, callback_lifetime = 0, area = None,
        fallback = false, id = None, duration = 0, max_duration = 0, direction = 0,
        record = false, sms = true, user_data = None, record_hint_tone = None,
        last_min_voice = None, caller_hint_tone = None, callee_hint_tone = None,
        callback_tone = None, now,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn request_bind_extension(
        &self,
        py: Python<'_>,
        a: NumberArg,
        x: Option<NumberArg>,
        ext: Option<String>,
        callback: Option<NumberArg>,
        callback_lifetime: u64,
        area: Option<String>,
        fallback: bool,
        id: Option<&str>,
        duration: u64,
        max_duration: u32,
        direction: u32,
        record: bool,
        sms: bool,
        user_data: Option<String>,
        record_hint_tone: Option<String>,
        last_min_voice: Option<String>,
        caller_hint_tone: Option<String>,
        callee_hint_tone: Option<String>,
        callback_tone: Option<String>,
        now: u64,
    ) -> PyResult<PyBinding> {
        let kw = bind_kwargs! {
            x, area, fallback, id, duration, max_duration, direction, record, sms;
            user_data, record_hint_tone, last_min_voice, caller_hint_tone, callee_hint_tone,
            callback_tone
        };
        let args = BindArgs::extension(a, ext, callback, callback_lifetime, kw)?;
        self.bind_with(py, args, How::Request, now)
    }

    /// Bind A as the owner of X in AXYB at once; YB relations are added
    /// with ``bind_relation``. ``duration`` is 0 or 60 s to 90 days;
    /// ``yb_duration`` the default lifetime of its relations (0: follow
    /// this binding). Other arguments as for ``bind_pair``.
    #[pyo3(signature = (
        a, *, x = None, area = None, fallback = false, id = None, yb_duration = 0,
        duration = 0, max_duration = 0, direction = 0, record = false, sms = true,
        user_data = None, record_hint_tone = None, last_min_voice = None,
        caller_hint_tone = None, callee_hint_tone = None, callback_tone = None, now,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn bind_axyb(
        &self,
        py: Python<'_>,
        a: NumberArg,
        x: Option<NumberArg>,
        area: Option<String>,
        fallback: bool,
        id: Option<&str>,
        yb_duration: u64,
        duration: u64,
        max_duration: u32,
        direction: u32,
        record: bool,
        sms: bool,
        user_data: Option<String>,
        record_hint_tone: Option<String>,
        last_min_voice: Option<String>,
        caller_hint_tone: Option<String>,
        callee_hint_tone: Option<String>,
        callback_tone: Option<String>,
        now: u64,
    ) -> PyResult<PyBinding> {
        let kw = bind_kwargs! {
            x, area, fallback, id, duration, max_duration, direction, record, sms;
            user_data, record_hint_tone, last_min_voice, caller_hint_tone, callee_hint_tone,
            callback_tone
        };
        let args = BindArgs::axyb(a, yb_duration, kw)?;
        self.bind_with(py, args, How::Bind, now)
    }

    /// Record an AXYB AX bind request sent to the platform (see
    /// ``request_bind_pair``).
    #[pyo3(signature = (
        a, *, x = None, area = None, fallback = false, id = None, yb_duration = 0,
        duration = 0, max_duration = 0, direction = 0, record = false, sms = true,
        user_data = None, record_hint_tone = None, last_min_voice = None,
        caller_hint_tone = None, callee_hint_tone = None, callback_tone = None, now,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn request_bind_axyb(
        &self,
        py: Python<'_>,
        a: NumberArg,
        x: Option<NumberArg>,
        area: Option<String>,
        fallback: bool,
        id: Option<&str>,
        yb_duration: u64,
        duration: u64,
        max_duration: u32,
        direction: u32,
        record: bool,
        sms: bool,
        user_data: Option<String>,
        record_hint_tone: Option<String>,
        last_min_voice: Option<String>,
        caller_hint_tone: Option<String>,
        callee_hint_tone: Option<String>,
        callback_tone: Option<String>,
        now: u64,
    ) -> PyResult<PyBinding> {
        let kw = bind_kwargs! {
            x, area, fallback, id, duration, max_duration, direction, record, sms;
            user_data, record_hint_tone, last_min_voice, caller_hint_tone, callee_hint_tone,
            callback_tone
        };
        let args = BindArgs::axyb(a, yb_duration, kw)?;
        self.bind_with(py, args, How::Request, now)
    }

    /// Bind B to a Y under the AXYB AX binding ``parent_id`` at once: A
    /// calling Y reaches B (who sees X); B calling X reaches A (who sees
    /// Y). Y is ``y``, or chosen from the pool (``area``, ``fallback``).
    /// ``yb_duration`` is its lifetime in seconds (``None``: the AX
    /// binding's default), never beyond the AX binding's.
    #[pyo3(signature = (
        parent_id, b, *, y = None, area = None, fallback = false, id = None,
        yb_duration = None, max_duration = 0, record = false, sms = true, user_data = None,
        record_hint_tone = None, last_min_voice = None, caller_hint_tone = None,
        callee_hint_tone = None, callback_tone = None, now,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn bind_relation(
        &self,
        py: Python<'_>,
        parent_id: &str,
        b: NumberArg,
        y: Option<NumberArg>,
        area: Option<String>,
        fallback: bool,
        id: Option<&str>,
        yb_duration: Option<u64>,
        max_duration: u32,
        record: bool,
        sms: bool,
        user_data: Option<String>,
        record_hint_tone: Option<String>,
        last_min_voice: Option<String>,
        caller_hint_tone: Option<String>,
        callee_hint_tone: Option<String>,
        callback_tone: Option<String>,
        now: u64,
    ) -> PyResult<PyBinding> {
        let kw = bind_kwargs! {
            x: y, area, fallback, id, duration: 0, max_duration, direction: 0, record, sms;
            user_data, record_hint_tone, last_min_voice, caller_hint_tone, callee_hint_tone,
            callback_tone
        };
        let args = BindArgs::relation(parent_id, b, yb_duration, kw)?;
        self.bind_with(py, args, How::Bind, now)
    }

    /// Record a YB relation request sent to the platform (see
    /// ``request_bind_pair``); Y must be given or picked from the pool.
    #[pyo3(signature = (
        parent_id, b, *, y = None, area = None, fallback = false, id = None,
        yb_duration = None, max_duration = 0, record = false, sms = true, user_data = None,
        record_hint_tone = None, last_min_voice = None, caller_hint_tone = None,
        callee_hint_tone = None, callback_tone = None, now,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn request_bind_relation(
        &self,
        py: Python<'_>,
        parent_id: &str,
        b: NumberArg,
        y: Option<NumberArg>,
        area: Option<String>,
        fallback: bool,
        id: Option<&str>,
        yb_duration: Option<u64>,
        max_duration: u32,
        record: bool,
        sms: bool,
        user_data: Option<String>,
        record_hint_tone: Option<String>,
        last_min_voice: Option<String>,
        caller_hint_tone: Option<String>,
        callee_hint_tone: Option<String>,
        callback_tone: Option<String>,
        now: u64,
    ) -> PyResult<PyBinding> {
        let kw = bind_kwargs! {
            x: y, area, fallback, id, duration: 0, max_duration, direction: 0, record, sms;
            user_data, record_hint_tone, last_min_voice, caller_hint_tone, callee_hint_tone,
            callback_tone
        };
        let args = BindArgs::relation(parent_id, b, yb_duration, kw)?;
        self.bind_with(py, args, How::Request, now)
    }

    /// Bind many at once, with the GIL released: each item is a dict of the
    /// keyword arguments of the mode's typed bind method (``"a"``, ``"b"``,
    /// ``"x"``, ``"id"``, ``"duration"``, ...; ``"shape"`` picks the shape
    /// in an X-mode engine, ``"parent"`` makes an AXYB relation).
    /// ``request=True`` records bind requests instead. Items are bound in
    /// order; the first refusal raises with ``"item <i>: "`` before the
    /// message, and the items before it stay bound.
    #[pyo3(signature = (items, /, *, now, request = false))]
    fn bind_many<'py>(
        &self,
        py: Python<'py>,
        items: &Bound<'py, PyAny>,
        now: u64,
        request: bool,
    ) -> PyResult<Bound<'py, PyList>> {
        let how = if request { How::Request } else { How::Bind };
        let mode = self.inner.mode();
        let mut reqs = Vec::new();
        for (i, item) in items.try_iter()?.enumerate() {
            let args = BindArgs::from_mapping(&item?)
                .and_then(|args| args.into_request(mode, how))
                .map_err(|e| prefixed(py, e, i))?;
            reqs.push(args);
        }
        let done = py.detach(|| {
            let mut out = Vec::with_capacity(reqs.len());
            for (i, req) in reqs.iter().enumerate() {
                let r = match how {
                    How::Bind => self.inner.bind(req, now),
                    How::Request => self.inner.request_bind(req, now),
                };
                match r {
                    Ok(b) => out.push(b),
                    Err(e) => {
                        let mut err = Error::new(e.kind(), format!("item {i}: {}", e.message()));
                        if let Some(c) = e.platform_code() {
                            err = err.with_platform_code(c.to_owned());
                        }
                        if let Some(f) = e.field() {
                            err = err.with_field(f);
                        }
                        return Err(err);
                    }
                }
            }
            Ok(out)
        });
        bindings_list(py, done.map_err(CoreError)?)
    }

    // ----- the platform's answers, changes -----------------------------------

    /// Record the platform's answer to the pending request on ``id`` (bind,
    /// modify or unbind). ``ok=True``: confirmed; for a bind, ``new_id`` is
    /// the platform's ``subscriptionId`` (it replaces ``"pending-<n>"``),
    /// ``x`` the X it chose and ``ext`` the extension it assigned, where
    /// they were not known. ``ok=False``: refused with ``code`` (the
    /// ``resultcode``). Returns the binding afterwards, or ``None`` once it
    /// is gone.
    #[pyo3(signature = (id, *, ok = true, new_id = None, x = None, ext = None, code = None, now))]
    #[allow(clippy::too_many_arguments)]
    fn settle(
        &self,
        py: Python<'_>,
        id: &str,
        ok: bool,
        new_id: Option<&str>,
        x: Option<NumberArg>,
        ext: Option<&str>,
        code: Option<String>,
        now: u64,
    ) -> PyResult<Option<PyBinding>> {
        let id = id_arg(id)?;
        let outcome = if ok {
            Outcome::Confirmed {
                id: new_id.map(id_arg).transpose()?,
                x: x.map(|n| n.0),
                ext: ext.map(ext_arg).transpose()?,
            }
        } else {
            Outcome::Failed {
                code: code.unwrap_or_default(),
            }
        };
        let b = self.change(py, |e| e.settle(&id, &outcome, now))?;
        Ok(b.map(PyBinding))
    }

    /// Modify at once; arguments left at ``None`` stay as they are, and the
    /// lifetime restarts at ``now``. Passing any of the text settings
    /// (``user_data`` and the tones) replaces all of them, as on the platform.
    /// An extension (AXE, PN §5.3) also takes ``callback`` (``callbackNum``)
    /// and ``callback_lifetime`` (``callbackExpiredTime`` in seconds: whole
    /// minutes up to 30 days, 0 as long as the binding, as for
    /// ``bind_extension``); other shapes refuse them with
    /// ``InvalidArgumentError`` naming the field. A callback record made
    /// before the change stays and then lasts the new lifetime.
    #[pyo3(signature = (
        id, *, a = None, b = None, duration = None, max_duration = None, direction = None,
        record = None, sms = None, user_data = None, record_hint_tone = None,
        last_min_voice = None, caller_hint_tone = None, callee_hint_tone = None,
        callback_tone = None, callback = None, callback_lifetime = None, now,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn modify(
        &self,
        py: Python<'_>,
        id: &str,
        a: Option<NumberArg>,
        b: Option<NumberArg>,
        duration: Option<u64>,
        max_duration: Option<u32>,
        direction: Option<u32>,
        record: Option<bool>,
        sms: Option<bool>,
        user_data: Option<String>,
        record_hint_tone: Option<String>,
        last_min_voice: Option<String>,
        caller_hint_tone: Option<String>,
        callee_hint_tone: Option<String>,
        callback_tone: Option<String>,
        callback: Option<NumberArg>,
        callback_lifetime: Option<u64>,
        now: u64,
    ) -> PyResult<PyBinding> {
        let id = id_arg(id)?;
        let text = text_args! {
            user_data, record_hint_tone, last_min_voice, caller_hint_tone, callee_hint_tone,
            callback_tone
        };
        let axe = CallbackArgs {
            callback,
            callback_lifetime,
        };
        let changes = changes_arg(
            a,
            b,
            duration,
            max_duration,
            direction,
            record,
            sms,
            text,
            axe,
        )?;
        self.change(py, |e| e.modify(&id, &changes, now))
            .map(PyBinding)
    }

    /// Record a modification sent to the platform: checked now, the binding
    /// is ``"modifying"`` (and routes as before) until ``settle`` applies it.
    /// Arguments as for ``modify``.
    #[pyo3(signature = (
        id, *, a = None, b = None, duration = None, max_duration = None, direction = None,
        record = None, sms = None, user_data = None, record_hint_tone = None,
        last_min_voice = None, caller_hint_tone = None, callee_hint_tone = None,
        callback_tone = None, callback = None, callback_lifetime = None, now,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn request_modify(
        &self,
        py: Python<'_>,
        id: &str,
        a: Option<NumberArg>,
        b: Option<NumberArg>,
        duration: Option<u64>,
        max_duration: Option<u32>,
        direction: Option<u32>,
        record: Option<bool>,
        sms: Option<bool>,
        user_data: Option<String>,
        record_hint_tone: Option<String>,
        last_min_voice: Option<String>,
        caller_hint_tone: Option<String>,
        callee_hint_tone: Option<String>,
        callback_tone: Option<String>,
        callback: Option<NumberArg>,
        callback_lifetime: Option<u64>,
        now: u64,
    ) -> PyResult<PyBinding> {
        let id = id_arg(id)?;
        let text = text_args! {
            user_data, record_hint_tone, last_min_voice, caller_hint_tone, callee_hint_tone,
            callback_tone
        };
        let axe = CallbackArgs {
            callback,
            callback_lifetime,
        };
        let changes = changes_arg(
            a,
            b,
            duration,
            max_duration,
            direction,
            record,
            sms,
            text,
            axe,
        )?;
        self.change(py, |e| e.request_modify(&id, &changes, now))
            .map(PyBinding)
    }

    /// Unbind at once (an AXYB AX binding takes its relations with it).
    #[pyo3(signature = (id, *, now))]
    fn unbind(&self, py: Python<'_>, id: &str, now: u64) -> PyResult<()> {
        let id = id_arg(id)?;
        self.change(py, |e| e.unbind(&id, now))
    }

    /// Record an unbind sent to the platform (the binding is
    /// ``"unbinding"`` and still routes until ``settle``).
    #[pyo3(signature = (id, *, now))]
    fn request_unbind(&self, py: Python<'_>, id: &str, now: u64) -> PyResult<PyBinding> {
        let id = id_arg(id)?;
        self.change(py, |e| e.request_unbind(&id, now))
            .map(PyBinding)
    }

    /// Unbind every binding on ``x`` at once; returns how many were removed.
    #[pyo3(signature = (x, *, now))]
    fn unbind_x(&self, py: Python<'_>, x: NumberArg, now: u64) -> PyResult<usize> {
        py.detach(|| self.inner.unbind_x(x.0, now)).or_raise()
    }

    /// Set the temporary callee of the AX binding on ``x``: A calling X is
    /// connected to ``callee`` (a new one replaces the old).
    #[pyo3(signature = (x, callee, *, now))]
    fn set_temp_callee(
        &self,
        py: Python<'_>,
        x: NumberArg,
        callee: NumberArg,
        now: u64,
    ) -> PyResult<PyBinding> {
        self.change(py, |e| e.set_temp_callee(x.0, callee.0, now))
            .map(PyBinding)
    }

    /// Expire every binding whose lifetime is over at ``now`` (emitting
    /// ``"expired"`` events); returns how many expired. GIL released.
    fn tick(&self, py: Python<'_>, now: u64) -> PyResult<usize> {
        py.detach(|| self.inner.tick(now)).or_raise()
    }

    /// Apply an X-number status: ``"paused"``/``"unavailable"`` (push codes
    /// ``"9"``/``"10"``) suspend the bindings on ``x``, ``"normal"``
    /// (``"5"``) resumes them, ``"bind_frozen"`` (``"11"``) and
    /// ``"blacklisted"`` only stop new bindings. ``status`` may also be a
    /// ``NumberStatus`` from a push. Returns how many bindings changed state.
    #[pyo3(signature = (x, status, *, now))]
    fn set_x_status(
        &self,
        py: Python<'_>,
        x: NumberArg,
        status: &Bound<'_, PyAny>,
        now: u64,
    ) -> PyResult<usize> {
        let status = status_arg(status)?;
        py.detach(|| self.inner.set_x_status(x.0, status, now))
            .or_raise()
    }

    /// Add ``x`` to the pool in ``area`` (a city code such as ``"0755"``;
    /// moving it if it was in another).
    fn pool_add(&self, py: Python<'_>, x: NumberArg, area: &str) -> PyResult<()> {
        let area = area.to_owned();
        self.change(py, |e| e.pool_add(x.0, &area))
    }

    /// Take ``x`` out of the pool (its bindings stay).
    fn pool_remove(&self, py: Python<'_>, x: NumberArg) -> PyResult<()> {
        self.change(py, |e| e.pool_remove(x.0))
    }

    /// Write a snapshot now and start an empty journal (nothing to do in
    /// memory). GIL released.
    fn compact(&self, py: Python<'_>) -> PyResult<()> {
        py.detach(|| self.inner.compact()).or_raise()
    }

    /// Run one engine command (a dict, or its JSON text), as the C API and
    /// the shared vectors do: ``{"op": "bind", "now": ..., "request":
    /// {...}}``, ``{"op": "route", ...}``, ... (see ``privnum::engine::command``).
    /// Returns the command's ``ok`` value as plain Python data (numbers as
    /// E.164 text); a refusal raises its exception, as the typed methods
    /// do. ``Number`` values in the dict are written as E.164 text. GIL
    /// released while the command runs.
    fn execute<'py>(
        &self,
        py: Python<'py>,
        command: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let text = json_text(py, command)?;
        let answer = py.detach(|| command::execute(&self.inner, &text));
        let answer = py
            .import("json")?
            .call_method1("loads", (answer,))?
            .cast_into::<PyDict>()?;
        if let Some(ok) = answer.get_item("ok")? {
            return Ok(ok);
        }
        match answer.get_item("error")? {
            Some(err) => Err(error_from_json(&err)?),
            None => Err(raise(
                ErrorKind::Panic,
                "the engine answered neither ok nor error",
                None,
                None,
            )),
        }
    }
}
