//! Code tables: `FailReason`, `Q850`, `ResultCode`, `NumberStatus`,
//! `UnavailableCause`, `SendResult`.
//!
//! Each is a small frozen value class around the core type: `.code` (the
//! number, or the text for `ResultCode`), `.description` (`None` for a code
//! the tables do not list: unknown codes are kept, never an error), the
//! core's classifications as strings (`FailReason.category`,
//! `ResultCode.action()`, `NumberStatus.name`, …), `int()` of the numeric
//! ones, equality and hashing by value, and the core's `Display` as `str()`
//! (`"7503 (callee hung up)"`). Pushes hand them out for their code fields.

use privnum::callback::codes::{
    Action, FailReason, NumberStatus, Party, Q850, ResultCode, SendResult, UnavailableCause,
};
use pyo3::prelude::*;
use pyo3::types::{PyTuple, PyType};

use crate::sign::py_repr;

/// `(cls, (arg,))`: pickle support through the constructor.
fn reduce<'py, A>(
    slf: &Bound<'py, PyAny>,
    arg: A,
) -> PyResult<(Bound<'py, PyType>, Bound<'py, PyTuple>)>
where
    A: IntoPyObject<'py>,
{
    Ok((slf.get_type(), PyTuple::new(slf.py(), [arg])?))
}

/// A tear-down point or hang-up reason: ``stateCode`` of a ``disconnect``
/// event and ``ulFailReason`` of a CDR (one numbering for both).
///
/// Any non-negative code is valid; a code the tables do not list has
/// ``description`` ``None`` and ``category`` ``"unknown"``.
#[pyclass(module = "privnum", name = "FailReason", frozen, eq, hash)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct PyFailReason(pub(crate) FailReason);

#[pymethods]
impl PyFailReason {
    #[new]
    fn new(code: u32) -> Self {
        Self(FailReason(code))
    }

    /// The numeric code.
    #[getter]
    fn code(&self) -> u32 {
        self.0.code()
    }

    /// A short description, or ``None`` for a code not in the tables.
    #[getter]
    fn description(&self) -> Option<&'static str> {
        self.0.description()
    }

    /// Whether the code is in the tables (has a description).
    #[getter]
    fn is_known(&self) -> bool {
        self.0.is_known()
    }

    /// Whether this is code 0, a normal hang-up after answer.
    #[getter]
    fn is_normal(&self) -> bool {
        self.0.is_normal()
    }

    /// The broad class: ``"normal"``, ``"caller_hung_up"``,
    /// ``"callee_hung_up"``, ``"callee_unavailable"``, ``"no_binding"``,
    /// ``"restricted"``, ``"platform"``, ``"max_duration"`` or ``"unknown"``.
    #[getter]
    fn category(&self) -> &'static str {
        self.0.category().name()
    }

    /// Who ended the call when the code says so (``"caller"``, ``"callee"``,
    /// ``"platform"``), else ``None``.
    #[getter]
    fn hung_up_by(&self) -> Option<&'static str> {
        self.0.hung_up_by().map(Party::name)
    }

    /// Every code in the tables, in ascending order.
    #[classmethod]
    fn known_codes(_cls: &Bound<'_, PyType>) -> Vec<Self> {
        FailReason::known_codes().map(Self).collect()
    }

    fn __int__(&self) -> u32 {
        self.0.code()
    }

    pub(crate) fn __repr__(&self) -> String {
        format!("FailReason({})", self.0.code())
    }

    fn __str__(&self) -> String {
        self.0.to_string()
    }

    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyType>, Bound<'py, PyTuple>)> {
        reduce(slf.as_any(), slf.get().0.code())
    }
}

/// An ITU-T Q.850 cause: ``fwdUnaswRsn`` and ``callOutUnaswRsn`` of a CDR.
///
/// Any non-negative value is valid; causes the spec does not list have
/// ``description`` ``None``.
#[pyclass(module = "privnum", name = "Q850", frozen, eq, hash)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct PyQ850(pub(crate) Q850);

#[pymethods]
impl PyQ850 {
    #[new]
    fn new(code: u32) -> Self {
        Self(Q850(code))
    }

    /// The numeric cause value.
    #[getter]
    fn code(&self) -> u32 {
        self.0.code()
    }

    /// The cause's standard name, or ``None`` for a value not listed.
    #[getter]
    fn description(&self) -> Option<&'static str> {
        self.0.description()
    }

    /// Whether the cause is listed (has a description).
    #[getter]
    fn is_known(&self) -> bool {
        self.0.is_known()
    }

    /// Whether the cause means nothing went wrong: 0 or 16 (normal clearing).
    #[getter]
    fn is_normal(&self) -> bool {
        self.0.is_normal()
    }

    /// Every listed cause, in ascending order.
    #[classmethod]
    fn known_codes(_cls: &Bound<'_, PyType>) -> Vec<Self> {
        Q850::known_codes().map(Self).collect()
    }

    fn __int__(&self) -> u32 {
        self.0.code()
    }

    pub(crate) fn __repr__(&self) -> String {
        format!("Q850({})", self.0.code())
    }

    fn __str__(&self) -> String {
        self.0.to_string()
    }

    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyType>, Bound<'py, PyTuple>)> {
        reduce(slf.as_any(), slf.get().0.code())
    }
}

/// A platform API ``resultcode``, kept exactly as received (any text).
///
/// ``action(http_status)`` says what to do about it: ``"success"``,
/// ``"retry"``, ``"back_off"`` (wait ``ResultCode.BACK_OFF_SECS``),
/// ``"fix_input"``, ``"fix_auth"``, ``"fix_clock"``, ``"conflict"``,
/// ``"not_found"``, ``"exhausted"``, ``"forbidden"`` or ``"unknown"``. The
/// HTTP status only matters for 1010010 (401: invalid digest; otherwise flow
/// control).
#[pyclass(module = "privnum", name = "ResultCode", frozen, eq, hash)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct PyResultCode(ResultCode);

#[pymethods]
impl PyResultCode {
    /// Minimum wait in seconds before retrying after ``"back_off"``.
    #[classattr]
    const BACK_OFF_SECS: u64 = Action::BACK_OFF_SECS;

    #[new]
    fn new(code: &str) -> Self {
        Self(ResultCode::parse(code))
    }

    /// The code as received, e.g. ``"1012010"``.
    #[getter]
    fn code(&self) -> &str {
        self.0.as_str()
    }

    /// The numeric value when the code is canonical decimal, else ``None``.
    #[getter]
    fn number(&self) -> Option<u32> {
        self.0.number()
    }

    /// A short description, or ``None`` for an unknown code (1010010
    /// mentions both of its meanings; see ``describe``).
    #[getter]
    fn description(&self) -> Option<&'static str> {
        self.0.description()
    }

    /// Whether the code is in the tables (has a description).
    #[getter]
    fn is_known(&self) -> bool {
        self.0.is_known()
    }

    /// Whether the code is ``"0"``.
    #[getter]
    fn is_success(&self) -> bool {
        self.0.is_success()
    }

    /// Like ``description``, with 1010010 resolved by the HTTP status.
    #[pyo3(signature = (http_status = None))]
    fn describe(&self, http_status: Option<u16>) -> Option<&'static str> {
        self.0.describe(http_status)
    }

    /// What to do about this code (see the class docs for the names).
    #[pyo3(signature = (http_status = None))]
    fn action(&self, http_status: Option<u16>) -> &'static str {
        self.0.action(http_status).name()
    }

    /// Whether the same request may be sent again unchanged
    /// (``"retry"`` and ``"back_off"``).
    #[pyo3(signature = (http_status = None))]
    fn retryable(&self, http_status: Option<u16>) -> bool {
        self.0.retryable(http_status)
    }

    /// The recommended number of retries (0 unless retryable).
    #[pyo3(signature = (http_status = None))]
    fn max_retries(&self, http_status: Option<u16>) -> u32 {
        self.0.max_retries(http_status)
    }

    /// Every code in the tables, in ascending order.
    #[classmethod]
    fn known_codes(_cls: &Bound<'_, PyType>) -> Vec<Self> {
        ResultCode::known_codes().map(Self).collect()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!("ResultCode({})", py_repr(py, self.0.as_str())?))
    }

    fn __str__(&self) -> String {
        self.0.to_string()
    }

    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyType>, Bound<'py, PyTuple>)> {
        reduce(slf.as_any(), slf.get().0.as_str())
    }
}

/// The ``status`` of an X number in a ``numStatus`` push.
///
/// ``name`` is ``"normal"`` (5), ``"paused"`` (9), ``"unavailable"`` (10),
/// ``"bind_frozen"`` (11) or ``"other"`` (any other code, kept).
#[pyclass(module = "privnum", name = "NumberStatus", frozen, eq, hash)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct PyNumberStatus(pub(crate) NumberStatus);

#[pymethods]
impl PyNumberStatus {
    #[new]
    fn new(code: u32) -> Self {
        Self(NumberStatus::from_code(code))
    }

    /// The status as sent on the wire (``"10"``); ``None`` if the text is
    /// not a decimal number.
    #[staticmethod]
    fn from_wire(text: &str) -> Option<Self> {
        NumberStatus::from_wire(text).map(Self)
    }

    /// The numeric code.
    #[getter]
    fn code(&self) -> u32 {
        self.0.code()
    }

    /// ``"normal"``, ``"paused"``, ``"unavailable"``, ``"bind_frozen"`` or ``"other"``.
    #[getter]
    fn name(&self) -> &'static str {
        self.0.name()
    }

    /// A short description, or ``None`` for ``"other"``.
    #[getter]
    fn description(&self) -> Option<&'static str> {
        self.0.description()
    }

    /// Whether existing bindings still carry calls and SMS.
    #[getter]
    fn binding_usable(&self) -> bool {
        self.0.binding_usable()
    }

    /// Whether new bindings on the number are allowed.
    #[getter]
    fn new_bindings_allowed(&self) -> bool {
        self.0.new_bindings_allowed()
    }

    fn __int__(&self) -> u32 {
        self.0.code()
    }

    pub(crate) fn __repr__(&self) -> String {
        format!("NumberStatus({})", self.0.code())
    }

    fn __str__(&self) -> String {
        self.0.to_string()
    }

    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyType>, Bound<'py, PyTuple>)> {
        reduce(slf.as_any(), slf.get().0.code())
    }
}

/// The ``cause`` of an unavailable X number (status 10).
///
/// ``name`` is ``"number_deleted"`` (1), ``"arrears"`` (2), ``"suspended"``
/// (3), ``"carrier_restriction"`` (5), ``"restriction_lifted"`` (6),
/// ``"forward_unconditional"`` (7), ``"forward_no_answer"`` (8),
/// ``"forward_busy"`` (9) or ``"other"``.
#[pyclass(module = "privnum", name = "UnavailableCause", frozen, eq, hash)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct PyUnavailableCause(pub(crate) UnavailableCause);

#[pymethods]
impl PyUnavailableCause {
    #[new]
    fn new(code: u32) -> Self {
        Self(UnavailableCause::from_code(code))
    }

    /// The cause as sent on the wire (``"2"``); ``None`` if the text is not
    /// a decimal number.
    #[staticmethod]
    fn from_wire(text: &str) -> Option<Self> {
        UnavailableCause::from_wire(text).map(Self)
    }

    /// The numeric code.
    #[getter]
    fn code(&self) -> u32 {
        self.0.code()
    }

    /// The cause's name (see the class docs), ``"other"`` for unlisted codes.
    #[getter]
    fn name(&self) -> &'static str {
        self.0.name()
    }

    /// A short description, or ``None`` for ``"other"``.
    #[getter]
    fn description(&self) -> Option<&'static str> {
        self.0.description()
    }

    fn __int__(&self) -> u32 {
        self.0.code()
    }

    pub(crate) fn __repr__(&self) -> String {
        format!("UnavailableCause({})", self.0.code())
    }

    fn __str__(&self) -> String {
        self.0.to_string()
    }

    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyType>, Bound<'py, PyTuple>)> {
        reduce(slf.as_any(), slf.get().0.code())
    }
}

/// The ``sendResult`` of an SMS push: only 0 (success) is documented; other
/// values are kept with ``description`` ``None``.
#[pyclass(module = "privnum", name = "SendResult", frozen, eq, hash)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct PySendResult(pub(crate) SendResult);

#[pymethods]
impl PySendResult {
    #[new]
    fn new(code: u32) -> Self {
        Self(SendResult(code))
    }

    /// The numeric value.
    #[getter]
    fn code(&self) -> u32 {
        self.0.code()
    }

    /// ``"success"`` for 0, ``None`` for every other (unconfirmed) value.
    #[getter]
    fn description(&self) -> Option<&'static str> {
        self.0.description()
    }

    /// Whether the value is 0.
    #[getter]
    fn is_success(&self) -> bool {
        self.0.is_success()
    }

    fn __int__(&self) -> u32 {
        self.0.code()
    }

    pub(crate) fn __repr__(&self) -> String {
        format!("SendResult({})", self.0.code())
    }

    fn __str__(&self) -> String {
        self.0.to_string()
    }

    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyType>, Bound<'py, PyTuple>)> {
        reduce(slf.as_any(), slf.get().0.code())
    }
}
