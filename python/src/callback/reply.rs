//! Block-mode replies: `connect_reply`, `close_reply`, `sms_route_reply`,
//! `sms_discard_reply`, `call_control_reply`.
//!
//! Each function sets exactly the builder options it was given (an argument
//! left at ``None`` is a setter not called; the core treats an empty string
//! as unset too) and returns the core's validated JSON text. A value the
//! platform would refuse raises ``ReplyInvalidError`` or
//! ``FieldOutOfBoundsError`` naming the JSON field, and no body is produced.
//!
//! GIL: kept; a reply is a few hundred bytes.

use privnum::callback::reply::{
    CallControlReply, CloseReply, ConnectReply, ControlOperate, InfoForm, SmsReply,
};
use pyo3::prelude::*;

use crate::args;
use crate::errors::{OrRaise, invalid_argument};
use crate::number::NumberArg;

fn info_form(name: &str) -> PyResult<InfoForm> {
    InfoForm::from_name(name).ok_or_else(|| {
        invalid_argument(format!(
            "unknown form {name:?}: expected \"object\" or \"array\""
        ))
    })
}

fn control_operate(name: &str) -> PyResult<ControlOperate> {
    ControlOperate::from_name(name).ok_or_else(|| {
        invalid_argument(format!(
            "unknown operate {name:?}: expected \"CONTINUE\", \"REJECT\" or \"IVR\""
        ))
    })
}

/// The reply to an X-mode ``callin`` push that bridges the caller to the
/// real ``callee`` (a ``Number``, or text parsed as one).
///
/// ``display`` is the number the callee sees (carrier rules: the privacy
/// number X of this call; leave it ``None`` to let the platform show X);
/// ``max_duration_minutes`` 0 (unlimited) to 1440; ``wait_voice``,
/// ``record_hint_tone`` (needs ``record=True``) and ``last_min_voice`` (needs
/// a ``max_duration_minutes`` above 0) are audio file names; ``user_data`` is
/// printable ASCII without ``{`` ``}`` ``^``. ``form`` wraps ``connectInfo``
/// as an ``"object"`` (the default, as the interface table shows) or an
/// ``"array"`` (as the vendor's demo code sends it).
#[pyfunction]
#[pyo3(signature = (
    callee,
    *,
    display = None,
    max_duration_minutes = None,
    wait_voice = None,
    record = false,
    record_hint_tone = None,
    last_min_voice = None,
    user_data = None,
    form = "object",
))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn connect_reply(
    callee: NumberArg,
    display: Option<NumberArg>,
    max_duration_minutes: Option<u32>,
    wait_voice: Option<&str>,
    record: bool,
    record_hint_tone: Option<&str>,
    last_min_voice: Option<&str>,
    user_data: Option<&str>,
    form: &str,
) -> PyResult<String> {
    let mut r = ConnectReply::new(callee.0)
        .record(record)
        .form(info_form(form)?);
    if let Some(x) = display {
        r = r.display(x.0);
    }
    if let Some(m) = max_duration_minutes {
        r = r.max_duration_minutes(m);
    }
    if let Some(v) = wait_voice {
        r = r.wait_voice(v);
    }
    if let Some(v) = record_hint_tone {
        r = r.record_hint_tone(v);
    }
    if let Some(v) = last_min_voice {
        r = r.last_min_voice(v);
    }
    if let Some(v) = user_data {
        r = r.user_data(v);
    }
    r.to_json().or_raise()
}

/// The reply to an X-mode ``callin`` push that ends the call, optionally
/// playing ``close_hint_tone`` first. ``form`` as for ``connect_reply``.
#[pyfunction]
#[pyo3(signature = (*, close_hint_tone = None, user_data = None, form = "object"))]
pub(crate) fn close_reply(
    close_hint_tone: Option<&str>,
    user_data: Option<&str>,
    form: &str,
) -> PyResult<String> {
    let mut r = CloseReply::new().form(info_form(form)?);
    if let Some(v) = close_hint_tone {
        r = r.close_hint_tone(v);
    }
    if let Some(v) = user_data {
        r = r.user_data(v);
    }
    r.to_json().or_raise()
}

/// The reply to an SMS Block push that forwards the message: ``calling``
/// must be the push's ``calling`` unchanged; ``called`` is the real
/// receiver (each a ``Number``, or text parsed as one).
#[pyfunction]
#[pyo3(signature = (calling, called, *, user_data = None))]
pub(crate) fn sms_route_reply(
    calling: NumberArg,
    called: NumberArg,
    user_data: Option<&str>,
) -> PyResult<String> {
    let mut r = SmsReply::route(calling.0, called.0);
    if let Some(v) = user_data {
        r = r.user_data(v);
    }
    r.to_json().or_raise()
}

/// The reply to an SMS Block push that drops the message.
#[pyfunction]
#[pyo3(signature = (*, user_data = None))]
pub(crate) fn sms_discard_reply(user_data: Option<&str>) -> PyResult<String> {
    let mut r = SmsReply::discard();
    if let Some(v) = user_data {
        r = r.user_data(v);
    }
    r.to_json().or_raise()
}

/// The answer to an X-mode call-control query: ``operate`` is
/// ``"CONTINUE"``, ``"REJECT"`` or ``"IVR"`` (which needs
/// ``call_no_play_code``). ``subs_id`` is 1-64 ASCII digits (``"0"`` when
/// unset); ``extra`` adds string fields to ``model`` after the known ones, in
/// order (a mapping or ``(name, value)`` pairs).
#[pyfunction]
#[pyo3(signature = (
    operate,
    *,
    message = None,
    control_msg = None,
    subs_id = None,
    call_no_play_code = None,
    extra = None,
))]
pub(crate) fn call_control_reply(
    operate: &str,
    message: Option<&str>,
    control_msg: Option<&str>,
    subs_id: Option<&str>,
    call_no_play_code: Option<&str>,
    extra: Option<&Bound<'_, PyAny>>,
) -> PyResult<String> {
    let mut r = CallControlReply::new(control_operate(operate)?);
    if let Some(v) = message {
        r = r.message(v);
    }
    if let Some(v) = control_msg {
        r = r.control_msg(v);
    }
    if let Some(v) = subs_id {
        r = r.subs_id(v);
    }
    if let Some(v) = call_no_play_code {
        r = r.call_no_play_code(v);
    }
    if let Some(extra) = extra {
        for (name, value) in args::pairs(extra, "extra")? {
            r = r.extra(&*name, &*value);
        }
    }
    r.to_json().or_raise()
}
