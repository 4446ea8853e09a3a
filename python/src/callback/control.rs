//! X-mode call-control queries: `receive_call_control`, `parse_call_control`
//! and `CallControlQuery`. Answer them with `call_control_reply`.
//!
//! GIL: as `ParamsVerifier.verify`, released while the signature is checked
//! (the parameters are borrowed from their Python strings); the query's few
//! values are then copied into the returned object.

use std::borrow::Cow;

use privnum::callback::control::{self, CallControlQuery};
use pyo3::prelude::*;

use super::{masked_repr, text_repr};
use crate::args;
use crate::errors::OrRaise;
use crate::number::PyNumber;
use crate::params::{PyParamsVerified, PyParamsVerifier};

/// The query with owned text (it borrows from the parameters otherwise).
fn owned(q: CallControlQuery<'_>) -> CallControlQuery<'static> {
    let own = |s: Option<Cow<'_, str>>| s.map(|s| Cow::Owned(s.into_owned()));
    CallControlQuery {
        call_no: Cow::Owned(q.call_no.into_owned()),
        secret_no: Cow::Owned(q.secret_no.into_owned()),
        extension: own(q.extension),
        record_type: q.record_type,
        call_time: own(q.call_time),
        call_id: own(q.call_id),
    }
}

/// The business parameters of a call-control query. ``repr()`` masks the numbers.
#[pyclass(module = "privnum", name = "CallControlQuery", frozen, eq)]
#[derive(Debug, PartialEq)]
pub(crate) struct PyCallControlQuery(CallControlQuery<'static>);

#[pymethods]
impl PyCallControlQuery {
    /// ``callNo``: the calling number, as sent.
    #[getter]
    fn call_no(&self) -> &str {
        &self.0.call_no
    }

    /// ``secretNo``: the privacy number X, as sent.
    #[getter]
    fn secret_no(&self) -> &str {
        &self.0.secret_no
    }

    /// ``extension``: digits the caller keyed, when asked for an extension.
    #[getter]
    fn extension(&self) -> Option<&str> {
        self.0.extension.as_deref()
    }

    /// ``recordType`` as sent: ``"CAL"`` (a call), ``"SMS"``, or another value.
    #[getter]
    fn record_type(&self) -> Option<&str> {
        self.0.record_type.as_ref().map(|r| r.name())
    }

    /// ``callTime`` as sent (``yyyyMMddHHmmss``).
    #[getter]
    fn call_time(&self) -> Option<&str> {
        self.0.call_time.as_deref()
    }

    /// ``callId``: the call's id.
    #[getter]
    fn call_id(&self) -> Option<&str> {
        self.0.call_id.as_deref()
    }

    /// ``callTime`` as Unix seconds, read as Beijing time (UTC+8; the zone is
    /// not documented); ``None`` when absent or malformed.
    #[getter]
    fn call_time_utc8(&self) -> Option<i64> {
        self.0.call_time_utc8()
    }

    /// The calling number as a ``Number``, or ``None`` when it is not one.
    fn caller(&self) -> Option<PyNumber> {
        self.0.caller().map(PyNumber)
    }

    /// X as a ``Number``, or ``None`` when it is not one.
    fn x(&self) -> Option<PyNumber> {
        self.0.x().map(PyNumber)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let q = &self.0;
        Ok(format!(
            "CallControlQuery(call_no={}, secret_no={}, record_type={}, call_time={}, call_id={})",
            masked_repr(py, Some(&q.call_no))?,
            masked_repr(py, Some(&q.secret_no))?,
            text_repr(py, self.record_type())?,
            text_repr(py, q.call_time.as_deref())?,
            text_repr(py, q.call_id.as_deref())?,
        ))
    }
}

/// Verify a call-control query's signature, timestamp and nonce with
/// ``verifier`` (a ``ParamsVerifier`` with the ``"call_control"`` profile),
/// then read its business parameters. ``params`` is a mapping or
/// ``(name, value)`` pairs; ``now`` is Unix seconds (``None``: the clock).
///
/// Raises an ``AuthError`` subclass, or ``PushMissingFieldError`` when
/// ``callNo`` or ``secretNo`` is missing (the nonce is then released, so a
/// corrected retry is accepted).
#[pyfunction]
#[pyo3(signature = (verifier, params, /, *, now = None))]
pub(crate) fn receive_call_control(
    py: Python<'_>,
    verifier: &PyParamsVerifier,
    params: &Bound<'_, PyAny>,
    now: Option<i64>,
) -> PyResult<(PyCallControlQuery, PyParamsVerified)> {
    let pairs = args::pairs(params, "params")?;
    let now = match now {
        Some(t) => t,
        None => privnum::sign::unix_now().or_raise()?,
    };
    let (query, verified) = py
        .detach(|| {
            control::receive_call_control(&verifier.inner, &args::as_refs(&pairs), now)
                .map(|(q, v)| (owned(q), v))
        })
        .or_raise()?;
    Ok((PyCallControlQuery(query), PyParamsVerified(verified)))
}

/// Read the business parameters of a call-control query without checking
/// its signature (see ``receive_call_control``). ``callNo`` and ``secretNo``
/// are required (``PushMissingFieldError``).
#[pyfunction]
#[pyo3(signature = (params, /))]
pub(crate) fn parse_call_control(params: &Bound<'_, PyAny>) -> PyResult<PyCallControlQuery> {
    let pairs = args::pairs(params, "params")?;
    control::parse_call_control(&args::as_refs(&pairs))
        .map(|q| PyCallControlQuery(owned(q)))
        .or_raise()
}
