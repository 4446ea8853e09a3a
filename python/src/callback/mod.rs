//! Callbacks: what the platform pushes, and what Block mode needs back.
//!
//! ```text
//!  parse_push(body)            ─▶ CallEvent | CdrBatch | SmsEvent | NumberStatusPush
//!  Inbox.receive(body, headers) ─▶ Received(push, items, new_records, verified) … Inbox.commit
//!  connect_reply / close_reply / sms_route_reply / sms_discard_reply ─▶ str
//!  receive_call_control(verifier, params) ─▶ CallControlQuery … call_control_reply ─▶ str
//!  FailReason, Q850, ResultCode, NumberStatus, UnavailableCause, SendResult: code meanings
//!  count_sms_segments(text)    ─▶ SmsSegments
//! ```
//!
//! Every rule is the core's (`privnum::callback`): this module converts
//! arguments and results only.
//!
//! # Pushes own their body
//!
//! The core's push types borrow from the body. A push is parsed from a copy
//! of the body made in Rust (with the GIL released for large bodies), and the
//! copy and the core's result are kept together in one [`push::Stored`]
//! (a `self_cell`, no unsafe code) that every Python object made from the
//! push shares: nothing refers to Python's buffer, and no field is copied a
//! second time. Getters read the core's fields, derived facts (`answered`,
//! `needs_reply`, `key`, …) are the core's methods, and `Inbox.commit` hands
//! the core its own `Received` back.

pub(crate) mod codes;
pub(crate) mod control;
pub(crate) mod inbox;
pub(crate) mod push;
pub(crate) mod reply;
pub(crate) mod segments;

use privnum::number;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyMemoryView, PyString};

use crate::sign::py_repr;

/// Bodies at least this large are parsed with the GIL released: parsing a
/// few kilobytes takes longer than releasing and re-acquiring the GIL.
pub(crate) const DETACH_MIN_BYTES: usize = 4096;

/// Text at least this long is counted with the GIL released.
pub(crate) const DETACH_MIN_TEXT: usize = 4096;

/// A copy of a push body: `bytes`, `bytearray`, `memoryview` (any format; its
/// bytes as laid out) or `str` (its UTF-8 encoding).
pub(crate) fn body_bytes(obj: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    if let Ok(b) = obj.cast::<PyBytes>() {
        return Ok(b.as_bytes().to_vec());
    }
    if let Ok(b) = obj.cast::<PyByteArray>() {
        return Ok(b.to_vec());
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(s.to_str()?.as_bytes().to_vec());
    }
    if obj.is_instance_of::<PyMemoryView>() {
        // The buffer C API is not in the stable ABI before 3.11: bytes(view).
        let copy = obj.py().get_type::<PyBytes>().call1((obj,))?;
        return Ok(copy.cast::<PyBytes>()?.as_bytes().to_vec());
    }
    Err(PyTypeError::new_err(format!(
        "body must be bytes, bytearray, memoryview or str, not {}",
        obj.get_type().name()?
    )))
}

/// Text that should hold a phone number, safe for logs: the core's masked
/// form (`+86138****0001`) when it parses as a number, else the text with
/// every digit replaced by `*` (`anonymous` stays readable, a malformed
/// number does not leak).
pub(crate) fn mask(text: &str) -> String {
    match number::parse(text) {
        Ok(n) => n.masked().as_str().to_owned(),
        Err(_) => text
            .chars()
            .map(|c| if c.is_numeric() { '*' } else { c })
            .collect(),
    }
}

/// `repr()` of an optional phone-number text, masked.
pub(crate) fn masked_repr(py: Python<'_>, text: Option<&str>) -> PyResult<String> {
    match text {
        Some(t) => py_repr(py, &mask(t)),
        None => Ok("None".to_owned()),
    }
}

/// `repr()` of an optional text that carries no phone number.
pub(crate) fn text_repr(py: Python<'_>, text: Option<&str>) -> PyResult<String> {
    match text {
        Some(t) => py_repr(py, t),
        None => Ok("None".to_owned()),
    }
}

/// `repr()` of an optional value with a `Display` that is its Python repr.
pub(crate) fn opt_repr<T: std::fmt::Display>(v: Option<T>) -> String {
    v.map_or_else(|| "None".to_owned(), |v| v.to_string())
}

/// Python's spelling of a bool.
pub(crate) fn py_bool(b: bool) -> &'static str {
    if b { "True" } else { "False" }
}

/// Add the classes and functions of this module to `privnum._native`.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<push::PyCallEvent>()?;
    m.add_class::<push::PyCallStatusInfo>()?;
    m.add_class::<push::PyCdrBatch>()?;
    m.add_class::<push::PyCdrRecord>()?;
    m.add_class::<push::PyRecording>()?;
    m.add_class::<push::PySmsEvent>()?;
    m.add_class::<push::PyNumberStatusPush>()?;
    m.add_class::<push::PyNumberStatusEntry>()?;
    m.add_function(wrap_pyfunction!(push::parse_push, m)?)?;
    m.add_function(wrap_pyfunction!(push::parse_platform_time, m)?)?;

    m.add_class::<inbox::PyInbox>()?;
    m.add_class::<inbox::PyReceived>()?;
    m.add_class::<inbox::PyInboxItem>()?;

    m.add_class::<codes::PyFailReason>()?;
    m.add_class::<codes::PyQ850>()?;
    m.add_class::<codes::PyResultCode>()?;
    m.add_class::<codes::PyNumberStatus>()?;
    m.add_class::<codes::PyUnavailableCause>()?;
    m.add_class::<codes::PySendResult>()?;

    m.add_function(wrap_pyfunction!(reply::connect_reply, m)?)?;
    m.add_function(wrap_pyfunction!(reply::close_reply, m)?)?;
    m.add_function(wrap_pyfunction!(reply::sms_route_reply, m)?)?;
    m.add_function(wrap_pyfunction!(reply::sms_discard_reply, m)?)?;
    m.add_function(wrap_pyfunction!(reply::call_control_reply, m)?)?;

    m.add_class::<control::PyCallControlQuery>()?;
    m.add_function(wrap_pyfunction!(control::receive_call_control, m)?)?;
    m.add_function(wrap_pyfunction!(control::parse_call_control, m)?)?;

    m.add_class::<segments::PySmsSegments>()?;
    m.add_function(wrap_pyfunction!(segments::count_sms_segments, m)?)?;
    m.add_class::<segments::PyAxSuffix>()?;
    m.add_function(wrap_pyfunction!(segments::ax_suffix, m)?)?;
    Ok(())
}
