//! Typed pushes: `parse_push` and the classes it returns (`CallEvent`,
//! `CallStatusInfo`, `CdrBatch`, `CdrRecord`, `Recording`, `SmsEvent`,
//! `NumberStatusPush`, `NumberStatusEntry`), plus `parse_platform_time`.
//!
//! GIL: the body is copied into Rust, then parsed without the GIL when it is
//! at least [`DETACH_MIN_BYTES`] long (a 50-record CDR push is about 36 KB).
//! Python objects are made afterwards: one per push, per CDR record and per
//! status entry; field values become Python objects only when read (or all
//! at once with `to_dict()`).

use std::sync::Arc;

use privnum::callback::Received;
use privnum::callback::push::{
    self, CallEvent, CallStatusInfo, CdrRecord, NumberStatusEntry, Push, RawJson, SmsEvent,
};
use privnum::{Error, ErrorKind};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyIterator, PyList, PyTuple};

use super::codes::{PyFailReason, PyNumberStatus, PyQ850, PySendResult, PyUnavailableCause};
use super::{DETACH_MIN_BYTES, body_bytes, masked_repr, opt_repr, py_bool, text_repr};
use crate::errors::{CoreError, OrRaise};
use crate::number::PyNumber;
use crate::sign::py_repr;

// ------------------------------------------------------------------ storage

/// The self-referential pair (body copy, the core's result borrowing from
/// it), built with the `self_cell` crate rather than hand-written unsafe code.
mod cell {
    use privnum::callback::Received;
    use self_cell::self_cell;

    type ReceivedOf<'a> = Received<'a>;

    self_cell!(
        pub(crate) struct Cell {
            owner: Box<[u8]>,
            #[covariant]
            dependent: ReceivedOf,
        }

        impl {Debug}
    );
}

/// One received push: a copy of the body and the core's `Received` (for a
/// push from `parse_push`, with no items and no signature check), which
/// borrows its text from the copy. Every Python object made from the push
/// shares it (through an `Arc`), so the body lives as long as any of them:
/// getters hand out the core's fields, derived facts are the core's methods,
/// and `Inbox.commit` gets the core's own `Received` back.
#[derive(Debug)]
pub(crate) struct Stored(cell::Cell);

impl PartialEq for Stored {
    /// Equal pushes (items and signature checks are not compared).
    fn eq(&self, other: &Self) -> bool {
        self.received().push == other.received().push
    }
}

impl Stored {
    /// Keep `body` (moved, not copied) and what `make` reads from it.
    pub(crate) fn new(
        body: Vec<u8>,
        make: impl for<'b> FnOnce(&'b [u8]) -> privnum::Result<Received<'b>>,
    ) -> privnum::Result<Self> {
        cell::Cell::try_new(body.into_boxed_slice(), |body| make(body)).map(Self)
    }

    /// The core's result, borrowed for as long as `self` is.
    pub(crate) fn received(&self) -> &Received<'_> {
        self.0.borrow_dependent()
    }

    // Each accessor is used only by the class made for that push kind (see
    // `push_object`), so the other kinds cannot occur.

    fn cdr(&self, i: usize) -> &CdrRecord<'_> {
        match &self.received().push {
            Push::Cdrs(records) => &records[i],
            _ => unreachable!("a CdrRecord is made from a CDR push only"),
        }
    }

    fn call(&self) -> &CallEvent<'_> {
        match &self.received().push {
            Push::Call(ev) => ev,
            _ => unreachable!("a CallEvent is made from a call push only"),
        }
    }

    fn sms(&self) -> &SmsEvent<'_> {
        match &self.received().push {
            Push::Sms(sms) => sms,
            _ => unreachable!("an SmsEvent is made from an SMS push only"),
        }
    }

    fn entry(&self, i: usize) -> &NumberStatusEntry<'_> {
        match &self.received().push {
            Push::NumberStatus(entries) => &entries[i],
            _ => unreachable!("a NumberStatusEntry is made from a status push only"),
        }
    }
}

/// Parse a body (no signature check, no items) and keep both.
fn parse_stored(body: Vec<u8>) -> privnum::Result<Stored> {
    Stored::new(body, |b| {
        Ok(Received {
            push: push::parse(b)?,
            verified: None,
            items: Vec::new(),
        })
    })
}

/// The Python object for a stored push: one of the four push classes.
pub(crate) fn push_object(py: Python<'_>, s: Arc<Stored>) -> PyResult<Bound<'_, PyAny>> {
    Ok(match &s.received().push {
        Push::Call(_) => {
            let info = Py::new(py, PyCallStatusInfo { s: Arc::clone(&s) })?;
            Bound::new(py, PyCallEvent { s, info })?.into_any()
        }
        Push::Cdrs(records) => {
            let n = records.len();
            let records = (0..n)
                .map(|i| {
                    Bound::new(
                        py,
                        PyCdrRecord {
                            s: Arc::clone(&s),
                            i,
                        },
                    )
                })
                .collect::<PyResult<Vec<_>>>()?;
            let records = PyTuple::new(py, records)?.unbind();
            Bound::new(py, PyCdrBatch { s, records })?.into_any()
        }
        Push::Sms(_) => Bound::new(py, PySmsEvent { s })?.into_any(),
        Push::NumberStatus(entries) => {
            let n = entries.len();
            let entries = (0..n)
                .map(|i| {
                    Bound::new(
                        py,
                        PyNumberStatusEntry {
                            s: Arc::clone(&s),
                            i,
                        },
                    )
                })
                .collect::<PyResult<Vec<_>>>()?;
            let entries = PyTuple::new(py, entries)?.unbind();
            Bound::new(py, PyNumberStatusPush { s, entries })?.into_any()
        }
        other => {
            return Err(CoreError(Error::new(
                ErrorKind::PushUnknownKind,
                format!(
                    "push kind {} is not known to this version of the Python binding",
                    other.kind_name()
                ),
            ))
            .into());
        }
    })
}

/// Parse a push body into a typed push, without checking a signature or
/// de-duplicating (``Inbox`` does all of it).
///
/// ``body`` is ``bytes``, ``bytearray``, ``memoryview`` or ``str``. Returns a
/// ``CallEvent``, ``CdrBatch``, ``SmsEvent`` or ``NumberStatusPush``; each has
/// a class attribute ``kind`` (``"call"``, ``"cdrs"``, ``"sms"``,
/// ``"number_status"``). Raises a ``PushError`` subclass for a body that
/// cannot be read; the message names the offending field.
#[pyfunction]
#[pyo3(signature = (body, /))]
pub(crate) fn parse_push<'py>(
    py: Python<'py>,
    body: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let bytes = body_bytes(body)?;
    let stored = if bytes.len() >= DETACH_MIN_BYTES {
        py.detach(|| parse_stored(bytes))
    } else {
        parse_stored(bytes)
    }
    .or_raise()?;
    push_object(py, Arc::new(stored))
}

/// A platform time (``yyyy-MM-dd HH:mm:ss`` UTC, or ISO ``…T…Z`` with an
/// optional fraction) as Unix seconds; ``None`` for an empty string.
#[pyfunction]
#[pyo3(signature = (text, /))]
pub(crate) fn parse_platform_time(text: &str) -> PyResult<Option<i64>> {
    push::parse_platform_time(text).or_raise()
}

// ------------------------------------------------------------------ helpers

fn code<T>(v: Option<T>, f: impl FnOnce(T) -> u32) -> Option<u32> {
    v.map(f)
}

fn number(text: Option<&str>) -> Option<PyNumber> {
    text.and_then(|t| privnum::number::parse(t).ok())
        .map(PyNumber)
}

// ------------------------------------------------------------------ CDRs

/// A batch of 1 to 50 CDRs (``eventType: "fee"``).
///
/// A sequence of ``CdrRecord``: ``len(batch)``, ``batch[i]``, iteration;
/// ``records`` is the tuple itself.
#[pyclass(module = "privnum", name = "CdrBatch", frozen, eq, sequence)]
#[derive(Debug)]
pub(crate) struct PyCdrBatch {
    s: Arc<Stored>,
    records: Py<PyTuple>,
}

impl PyCdrBatch {
    /// The tuple of record objects.
    pub(crate) fn records_tuple<'py>(&self, py: Python<'py>) -> &Bound<'py, PyTuple> {
        self.records.bind(py)
    }
}

impl PartialEq for PyCdrBatch {
    fn eq(&self, other: &Self) -> bool {
        self.s == other.s
    }
}

#[pymethods]
impl PyCdrBatch {
    /// ``"cdrs"``.
    #[classattr]
    fn kind() -> &'static str {
        "cdrs"
    }

    /// The records, in push order.
    #[getter]
    fn records<'py>(&self, py: Python<'py>) -> Bound<'py, PyTuple> {
        self.records.bind(py).clone()
    }

    /// Every field of every record (see ``CdrRecord.to_dict``), with ``kind``.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item(intern!(py, "kind"), intern!(py, "cdrs"))?;
        let records = PyList::empty(py);
        for r in self.records.bind(py).iter() {
            records.append(r.cast::<PyCdrRecord>()?.get().to_dict(py)?)?;
        }
        d.set_item(intern!(py, "records"), records)?;
        Ok(d)
    }

    fn __len__(&self, py: Python<'_>) -> usize {
        self.records.bind(py).len()
    }

    fn __getitem__<'py>(
        &self,
        py: Python<'py>,
        index: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.records.bind(py).as_any().get_item(index)
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyIterator>> {
        self.records.bind(py).as_any().try_iter()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let mut parts = Vec::new();
        for r in self.records.bind(py).iter() {
            parts.push(r.cast::<PyCdrRecord>()?.get().__repr__(py)?);
        }
        Ok(format!("CdrBatch(records=[{}])", parts.join(", ")))
    }
}

/// Where a recording is: the parameters of the recording download API.
#[pyclass(module = "privnum", name = "Recording", frozen, eq, hash)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct PyRecording {
    file_name: String,
    record_domain: String,
}

#[pymethods]
impl PyRecording {
    /// ``fileName`` (the CDR's ``recordObjectName``).
    #[getter]
    fn file_name(&self) -> &str {
        &self.file_name
    }

    /// ``recordDomain``.
    #[getter]
    fn record_domain(&self) -> &str {
        &self.record_domain
    }

    /// ``{"file_name": ..., "record_domain": ...}``.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item(intern!(py, "file_name"), &self.file_name)?;
        d.set_item(intern!(py, "record_domain"), &self.record_domain)?;
        Ok(d)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "Recording(file_name={}, record_domain={})",
            py_repr(py, &self.file_name)?,
            py_repr(py, &self.record_domain)?
        ))
    }
}

/// One CDR (``feeLst[i]``). Every field is optional on the wire (``None``
/// when absent); times are Unix seconds (UTC); numbers are the text as sent
/// (``caller_number()`` parses one); codes are ``FailReason`` / ``Q850``.
///
/// ``repr()`` masks the phone numbers. Fields privnum does not model are kept
/// as raw JSON text in ``extra``; ``field(name)`` finds one by its wire name.
#[pyclass(module = "privnum", name = "CdrRecord", frozen, eq)]
#[derive(Debug)]
pub(crate) struct PyCdrRecord {
    s: Arc<Stored>,
    i: usize,
}

impl PartialEq for PyCdrRecord {
    fn eq(&self, other: &Self) -> bool {
        self.rec() == other.rec()
    }
}

impl PyCdrRecord {
    fn rec(&self) -> &CdrRecord<'_> {
        self.s.cdr(self.i)
    }
}

#[pymethods]
impl PyCdrRecord {
    /// Direction code (AXB: 0 = B→A, 1 = A→B; AX/AXE: 0 = to A, 1 = from A; 2 = abnormal).
    #[getter]
    fn direction(&self) -> Option<u32> {
        self.rec().direction
    }

    /// The customer's cloud account name (``spId``).
    #[getter]
    fn sp_id(&self) -> Option<&str> {
        self.rec().sp_id.as_deref()
    }

    /// The app key (``appKey``).
    #[getter]
    fn app_key(&self) -> Option<&str> {
        self.rec().app_key.as_deref()
    }

    /// The unique call-record id (``icid``).
    #[getter]
    fn icid(&self) -> Option<&str> {
        self.rec().icid.as_deref()
    }

    /// The privacy number X (``bindNum``).
    #[getter]
    fn bind_num(&self) -> Option<&str> {
        self.rec().bind_num.as_deref()
    }

    /// The call-leg id, as in the call events (``sessionId``).
    #[getter]
    fn session_id(&self) -> Option<&str> {
        self.rec().session_id.as_deref()
    }

    /// The binding; empty when no binding matched (``subscriptionId``).
    #[getter]
    fn subscription_id(&self) -> Option<&str> {
        self.rec().subscription_id.as_deref()
    }

    /// The real caller dialling X (``callerNum``).
    #[getter]
    fn caller_num(&self) -> Option<&str> {
        self.rec().caller_num.as_deref()
    }

    /// The first-leg callee, normally X (``calleeNum``).
    #[getter]
    fn callee_num(&self) -> Option<&str> {
        self.rec().callee_num.as_deref()
    }

    /// The number shown on the second leg (``fwdDisplayNum``).
    #[getter]
    fn fwd_display_num(&self) -> Option<&str> {
        self.rec().fwd_display_num.as_deref()
    }

    /// The real destination of the second leg (``fwdDstNum``).
    #[getter]
    fn fwd_dst_num(&self) -> Option<&str> {
        self.rec().fwd_dst_num.as_deref()
    }

    /// First leg start (``callInTime``), Unix seconds.
    #[getter]
    fn call_in_time(&self) -> Option<i64> {
        self.rec().call_in_time
    }

    /// Second leg start (``fwdStartTime``), Unix seconds.
    #[getter]
    fn fwd_start_time(&self) -> Option<i64> {
        self.rec().fwd_start_time
    }

    /// Second leg ringing (``fwdAlertingTime``), Unix seconds.
    #[getter]
    fn fwd_alerting_time(&self) -> Option<i64> {
        self.rec().fwd_alerting_time
    }

    /// Second leg answered (``fwdAnswerTime``), Unix seconds.
    #[getter]
    fn fwd_answer_time(&self) -> Option<i64> {
        self.rec().fwd_answer_time
    }

    /// End of the call (``callEndTime``), Unix seconds.
    #[getter]
    fn call_end_time(&self) -> Option<i64> {
        self.rec().call_end_time
    }

    /// Q.850 cause of a second-leg failure (``fwdUnaswRsn``).
    #[getter]
    fn fwd_unasw_rsn(&self) -> Option<PyQ850> {
        self.rec().fwd_unasw_rsn.map(PyQ850)
    }

    /// Failure time (``failTime``), Unix seconds.
    #[getter]
    fn fail_time(&self) -> Option<i64> {
        self.rec().fail_time
    }

    /// Tear-down point; 0 is a normal hang-up after answer (``ulFailReason``).
    #[getter]
    fn ul_fail_reason(&self) -> Option<PyFailReason> {
        self.rec().ul_fail_reason.map(PyFailReason)
    }

    /// SIP status of a failure (``sipStatusCode``).
    #[getter]
    fn sip_status_code(&self) -> Option<u32> {
        self.rec().sip_status_code
    }

    /// Reserved Q.850 cause of an initiated leg (``callOutUnaswRsn``).
    #[getter]
    fn call_out_unasw_rsn(&self) -> Option<PyQ850> {
        self.rec().call_out_unasw_rsn.map(PyQ850)
    }

    /// 1 when the call was recorded (``recordFlag``).
    #[getter]
    fn record_flag(&self) -> Option<u32> {
        self.rec().record_flag
    }

    /// Recording start (``recordStartTime``), Unix seconds.
    #[getter]
    fn record_start_time(&self) -> Option<i64> {
        self.rec().record_start_time
    }

    /// The recording's file name (``recordObjectName``).
    #[getter]
    fn record_object_name(&self) -> Option<&str> {
        self.rec().record_object_name.as_deref()
    }

    /// The recording's storage directory (``recordBucketName``).
    #[getter]
    fn record_bucket_name(&self) -> Option<&str> {
        self.rec().record_bucket_name.as_deref()
    }

    /// The recording's storage domain (``recordDomain``).
    #[getter]
    fn record_domain(&self) -> Option<&str> {
        self.rec().record_domain.as_deref()
    }

    /// Business type code, e.g. ``"004"`` (``serviceType``).
    #[getter]
    fn service_type(&self) -> Option<&str> {
        self.rec().service_type.as_deref()
    }

    /// The host that produced the CDR (``hostName``).
    #[getter]
    fn host_name(&self) -> Option<&str> {
        self.rec().host_name.as_deref()
    }

    /// AXE: the extension (``extendNum``).
    #[getter]
    fn extend_num(&self) -> Option<&str> {
        self.rec().extend_num.as_deref()
    }

    /// The binding's or reply's ``userData``.
    #[getter]
    fn user_data(&self) -> Option<&str> {
        self.rec().user_data.as_deref()
    }

    /// X mode: ``"Block"`` (``notifyMode``).
    #[getter]
    fn notify_mode(&self) -> Option<&str> {
        self.rec().notify_mode.as_deref()
    }

    /// Fields privnum does not model, as ``(wire name, raw JSON text)`` pairs
    /// in the order sent (``("ttsPlayTimes", "2")``): nothing is dropped.
    #[getter(extra)]
    fn extra_pairs<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(
            py,
            self.rec().extra.iter().map(|(k, v)| (k.as_ref(), v.get())),
        )
    }

    /// Whether the callee answered.
    #[getter]
    fn answered(&self) -> bool {
        self.rec().answered()
    }

    /// Seconds from ringing to answer (or to the end, when unanswered).
    #[getter]
    fn ring_seconds(&self) -> Option<i64> {
        self.rec().ring_seconds()
    }

    /// Seconds of conversation; 0 when unanswered.
    #[getter]
    fn talk_seconds(&self) -> i64 {
        self.rec().talk_seconds()
    }

    /// Who ended the call where the tear-down code says so: ``"caller"``,
    /// ``"callee"``, ``"platform"`` or ``None``.
    #[getter]
    fn hung_up_by(&self) -> Option<&'static str> {
        self.rec().hung_up_by().map(|p| p.name())
    }

    /// Why the call failed, in words; ``None`` for a normal call.
    #[getter]
    fn failure(&self) -> Option<String> {
        self.rec().failure()
    }

    /// The recording's download parameters, or ``None`` when there is none.
    #[getter]
    fn recording(&self) -> Option<PyRecording> {
        self.rec().recording().map(|r| PyRecording {
            file_name: r.file_name.to_owned(),
            record_domain: r.record_domain.to_owned(),
        })
    }

    /// The de-duplication key: ``icid``, else ``session_id``.
    #[getter]
    fn key(&self) -> Option<&str> {
        self.rec().key()
    }

    /// The caller as a ``Number``, or ``None`` when the text is not one.
    fn caller_number(&self) -> Option<PyNumber> {
        number(self.rec().caller_num.as_deref())
    }

    /// The real destination as a ``Number``, or ``None`` when the text is not one.
    fn destination_number(&self) -> Option<PyNumber> {
        number(self.rec().fwd_dst_num.as_deref())
    }

    /// A field privnum does not model, by its wire name (``"ttsPlayTimes"``),
    /// as raw JSON text (``'2'``, ``'"m-1"'``); ``None`` when absent. Modelled
    /// fields are read through their attributes.
    fn field(&self, name: &str) -> Option<&str> {
        self.rec().field(name).map(RawJson::get)
    }

    /// Every field as a ``dict`` of plain values (codes as ``int``, ``extra``
    /// as a list of ``[name, raw JSON text]`` lists), keyed by the attribute
    /// names; JSON-serializable.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let r = self.rec();
        let d = PyDict::new(py);
        d.set_item(intern!(py, "direction"), r.direction)?;
        d.set_item(intern!(py, "sp_id"), r.sp_id.as_deref())?;
        d.set_item(intern!(py, "app_key"), r.app_key.as_deref())?;
        d.set_item(intern!(py, "icid"), r.icid.as_deref())?;
        d.set_item(intern!(py, "bind_num"), r.bind_num.as_deref())?;
        d.set_item(intern!(py, "session_id"), r.session_id.as_deref())?;
        d.set_item(intern!(py, "subscription_id"), r.subscription_id.as_deref())?;
        d.set_item(intern!(py, "caller_num"), r.caller_num.as_deref())?;
        d.set_item(intern!(py, "callee_num"), r.callee_num.as_deref())?;
        d.set_item(intern!(py, "fwd_display_num"), r.fwd_display_num.as_deref())?;
        d.set_item(intern!(py, "fwd_dst_num"), r.fwd_dst_num.as_deref())?;
        d.set_item(intern!(py, "call_in_time"), r.call_in_time)?;
        d.set_item(intern!(py, "fwd_start_time"), r.fwd_start_time)?;
        d.set_item(intern!(py, "fwd_alerting_time"), r.fwd_alerting_time)?;
        d.set_item(intern!(py, "fwd_answer_time"), r.fwd_answer_time)?;
        d.set_item(intern!(py, "call_end_time"), r.call_end_time)?;
        d.set_item(intern!(py, "fwd_unasw_rsn"), code(r.fwd_unasw_rsn, |c| c.0))?;
        d.set_item(intern!(py, "fail_time"), r.fail_time)?;
        d.set_item(
            intern!(py, "ul_fail_reason"),
            code(r.ul_fail_reason, |c| c.0),
        )?;
        d.set_item(intern!(py, "sip_status_code"), r.sip_status_code)?;
        d.set_item(
            intern!(py, "call_out_unasw_rsn"),
            code(r.call_out_unasw_rsn, |c| c.0),
        )?;
        d.set_item(intern!(py, "record_flag"), r.record_flag)?;
        d.set_item(intern!(py, "record_start_time"), r.record_start_time)?;
        d.set_item(
            intern!(py, "record_object_name"),
            r.record_object_name.as_deref(),
        )?;
        d.set_item(
            intern!(py, "record_bucket_name"),
            r.record_bucket_name.as_deref(),
        )?;
        d.set_item(intern!(py, "record_domain"), r.record_domain.as_deref())?;
        d.set_item(intern!(py, "service_type"), r.service_type.as_deref())?;
        d.set_item(intern!(py, "host_name"), r.host_name.as_deref())?;
        d.set_item(intern!(py, "extend_num"), r.extend_num.as_deref())?;
        d.set_item(intern!(py, "user_data"), r.user_data.as_deref())?;
        d.set_item(intern!(py, "notify_mode"), r.notify_mode.as_deref())?;
        let extra = PyList::empty(py);
        for (k, v) in &r.extra {
            extra.append(PyList::new(py, [k.as_ref(), v.get()])?)?;
        }
        d.set_item(intern!(py, "extra"), extra)?;
        Ok(d)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let r = self.rec();
        Ok(format!(
            "CdrRecord(key={}, caller_num={}, fwd_dst_num={}, bind_num={}, call_in_time={}, \
             answered={}, talk_seconds={}, ul_fail_reason={})",
            text_repr(py, r.key())?,
            masked_repr(py, r.caller_num.as_deref())?,
            masked_repr(py, r.fwd_dst_num.as_deref())?,
            masked_repr(py, r.bind_num.as_deref())?,
            opt_repr(r.call_in_time),
            py_bool(r.answered()),
            r.talk_seconds(),
            opt_repr(r.ul_fail_reason.map(|c| PyFailReason(c).__repr__())),
        ))
    }
}

// ------------------------------------------------------------------ call events

/// A call event (``{"eventType": …, "statusInfo": {…}}``).
///
/// ``event`` is the event name as sent (``"callin"``, ``"callout"``,
/// ``"alerting"``, ``"answer"``, ``"collectInfo"``, ``"disconnect"``, or one
/// privnum does not know yet); ``info`` holds the details.
#[pyclass(module = "privnum", name = "CallEvent", frozen, eq)]
#[derive(Debug)]
pub(crate) struct PyCallEvent {
    s: Arc<Stored>,
    info: Py<PyCallStatusInfo>,
}

impl PartialEq for PyCallEvent {
    fn eq(&self, other: &Self) -> bool {
        self.s == other.s
    }
}

#[pymethods]
impl PyCallEvent {
    /// ``"call"``.
    #[classattr]
    fn kind() -> &'static str {
        "call"
    }

    /// The event name as sent, e.g. ``"callin"`` or ``"disconnect"``.
    #[getter]
    fn event(&self) -> &str {
        self.s.call().kind.name()
    }

    /// The event's ``statusInfo``.
    #[getter]
    fn info<'py>(&self, py: Python<'py>) -> Bound<'py, PyCallStatusInfo> {
        self.info.bind(py).clone()
    }

    /// Whether the platform waits for a routing decision in the HTTP
    /// response (X-mode ``callin`` with ``notifyMode`` ``"Block"``): answer
    /// with ``connect_reply`` or ``close_reply``.
    #[getter]
    fn needs_reply(&self) -> bool {
        self.s.call().needs_reply()
    }

    /// ``{"kind": "call", "event": ..., "info": {...}}``.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item(intern!(py, "kind"), intern!(py, "call"))?;
        d.set_item(intern!(py, "event"), self.event())?;
        d.set_item(intern!(py, "info"), self.info.get().to_dict(py)?)?;
        Ok(d)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "CallEvent(event={}, info={})",
            py_repr(py, self.event())?,
            self.info.get().__repr__(py)?
        ))
    }
}

/// ``statusInfo`` of a call event. Every field is optional (``None`` when
/// absent). ``repr()`` masks the phone numbers.
#[pyclass(module = "privnum", name = "CallStatusInfo", frozen, eq)]
#[derive(Debug)]
pub(crate) struct PyCallStatusInfo {
    s: Arc<Stored>,
}

impl PartialEq for PyCallStatusInfo {
    fn eq(&self, other: &Self) -> bool {
        self.info() == other.info()
    }
}

impl PyCallStatusInfo {
    fn info(&self) -> &CallStatusInfo<'_> {
        &self.s.call().info
    }
}

#[pymethods]
impl PyCallStatusInfo {
    /// The event time, Unix seconds.
    #[getter]
    fn timestamp(&self) -> Option<i64> {
        self.info().timestamp
    }

    /// The call-leg id, shared by the call's events and its CDR.
    #[getter]
    fn session_id(&self) -> Option<&str> {
        self.info().session_id.as_deref()
    }

    /// The caller, as sent.
    #[getter]
    fn caller(&self) -> Option<&str> {
        self.info().caller.as_deref()
    }

    /// The called number, as sent.
    #[getter]
    fn called(&self) -> Option<&str> {
        self.info().called.as_deref()
    }

    /// The binding (absent for AXE ``callin`` and X mode).
    #[getter]
    fn subscription_id(&self) -> Option<&str> {
        self.info().subscription_id.as_deref()
    }

    /// The binding's or reply's ``userData``.
    #[getter]
    fn user_data(&self) -> Option<&str> {
        self.info().user_data.as_deref()
    }

    /// ``"Block"`` for X-mode ``callin`` (a reply is due), else ``None`` or ``"Notify"``.
    #[getter]
    fn notify_mode(&self) -> Option<&str> {
        self.info().notify_mode.as_deref()
    }

    /// Digits the caller keyed (``collectInfo``).
    #[getter]
    fn digit_info(&self) -> Option<&str> {
        self.info().digit_info.as_deref()
    }

    /// Why the call ended (``disconnect``).
    #[getter]
    fn state_code(&self) -> Option<PyFailReason> {
        self.info().state_code.map(PyFailReason)
    }

    /// The platform's text for ``state_code``.
    #[getter]
    fn state_desc(&self) -> Option<&str> {
        self.info().state_desc.as_deref()
    }

    /// X-mode release direction as raw JSON text (its values are undocumented).
    #[getter]
    fn call_rel_direction(&self) -> Option<&str> {
        self.info().call_rel_direction.map(RawJson::get)
    }

    /// VoiceCall: which party a ``disconnect`` concerns, as raw JSON text.
    #[getter]
    fn party_type(&self) -> Option<&str> {
        self.info().party_type.map(RawJson::get)
    }

    /// VoiceCall: the displayed caller number.
    #[getter]
    fn display_caller_num(&self) -> Option<&str> {
        self.info().display_caller_num.as_deref()
    }

    /// The caller as a ``Number``, or ``None`` when the text is not one.
    fn caller_number(&self) -> Option<PyNumber> {
        self.info().caller_number().map(PyNumber)
    }

    /// The called number as a ``Number``, or ``None`` when the text is not one.
    fn called_number(&self) -> Option<PyNumber> {
        self.info().called_number().map(PyNumber)
    }

    /// Every field as a ``dict`` of plain values; JSON-serializable.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let i = self.info();
        let d = PyDict::new(py);
        d.set_item(intern!(py, "timestamp"), i.timestamp)?;
        d.set_item(intern!(py, "session_id"), i.session_id.as_deref())?;
        d.set_item(intern!(py, "caller"), i.caller.as_deref())?;
        d.set_item(intern!(py, "called"), i.called.as_deref())?;
        d.set_item(intern!(py, "subscription_id"), i.subscription_id.as_deref())?;
        d.set_item(intern!(py, "user_data"), i.user_data.as_deref())?;
        d.set_item(intern!(py, "notify_mode"), i.notify_mode.as_deref())?;
        d.set_item(intern!(py, "digit_info"), i.digit_info.as_deref())?;
        d.set_item(intern!(py, "state_code"), code(i.state_code, |c| c.0))?;
        d.set_item(intern!(py, "state_desc"), i.state_desc.as_deref())?;
        d.set_item(intern!(py, "call_rel_direction"), self.call_rel_direction())?;
        d.set_item(intern!(py, "party_type"), self.party_type())?;
        d.set_item(
            intern!(py, "display_caller_num"),
            i.display_caller_num.as_deref(),
        )?;
        Ok(d)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let i = self.info();
        Ok(format!(
            "CallStatusInfo(timestamp={}, session_id={}, caller={}, called={}, notify_mode={}, \
             state_code={})",
            opt_repr(i.timestamp),
            text_repr(py, i.session_id.as_deref())?,
            masked_repr(py, i.caller.as_deref())?,
            masked_repr(py, i.called.as_deref())?,
            text_repr(py, i.notify_mode.as_deref())?,
            opt_repr(i.state_code.map(|c| PyFailReason(c).__repr__())),
        ))
    }
}

// ------------------------------------------------------------------ SMS

/// An SMS notification (``{"appKey": …, "smsEvent": {…}}``), Notify or Block.
///
/// Every field is optional (``None`` when absent). ``needs_reply`` says
/// whether the platform waits for ``sms_route_reply`` / ``sms_discard_reply``.
/// ``repr()`` masks the phone numbers and leaves out the text.
#[pyclass(module = "privnum", name = "SmsEvent", frozen, eq)]
#[derive(Debug)]
pub(crate) struct PySmsEvent {
    s: Arc<Stored>,
}

impl PartialEq for PySmsEvent {
    fn eq(&self, other: &Self) -> bool {
        self.s == other.s
    }
}

impl PySmsEvent {
    fn sms(&self) -> &SmsEvent<'_> {
        self.s.sms()
    }
}

#[pymethods]
impl PySmsEvent {
    /// ``"sms"``.
    #[classattr]
    fn kind() -> &'static str {
        "sms"
    }

    /// The app key of the notification envelope.
    #[getter]
    fn app_key(&self) -> Option<&str> {
        self.sms().app_key.as_deref()
    }

    /// The unique id (``smsIdentifier``).
    #[getter]
    fn sms_identifier(&self) -> Option<&str> {
        self.sms().sms_identifier.as_deref()
    }

    /// ``"Notify"`` or ``"Block"`` (``notificationMode``).
    #[getter]
    fn notification_mode(&self) -> Option<&str> {
        self.sms().notification_mode.as_deref()
    }

    /// The real sender.
    #[getter]
    fn calling(&self) -> Option<&str> {
        self.sms().calling.as_deref()
    }

    /// The real receiver (may be absent in Block mode: the reply supplies it).
    #[getter]
    fn called(&self) -> Option<&str> {
        self.sms().called.as_deref()
    }

    /// The privacy number X (``virtualNumber``).
    #[getter]
    fn virtual_number(&self) -> Option<&str> {
        self.sms().virtual_number.as_deref()
    }

    /// e.g. ``"Text SMS"`` (spelled variously; compare loosely).
    #[getter]
    fn event(&self) -> Option<&str> {
        self.sms().event.as_deref()
    }

    /// The event time (``timeStamp``), Unix seconds.
    #[getter]
    fn time_stamp(&self) -> Option<i64> {
        self.sms().time_stamp
    }

    /// Delivery result (``sendResult``).
    #[getter]
    fn send_result(&self) -> Option<PySendResult> {
        self.sms().send_result.map(PySendResult)
    }

    /// The binding (``subscriptionId``).
    #[getter]
    fn subscription_id(&self) -> Option<&str> {
        self.sms().subscription_id.as_deref()
    }

    /// The text, when the platform was asked to push it (``smsContent``).
    #[getter]
    fn sms_content(&self) -> Option<&str> {
        self.sms().sms_content.as_deref()
    }

    /// The binding's ``userData``.
    #[getter]
    fn user_data(&self) -> Option<&str> {
        self.sms().user_data.as_deref()
    }

    /// ``extInfo.extParas`` as ``(key, value)`` pairs.
    #[getter]
    fn ext_paras<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(
            py,
            self.sms()
                .ext_paras
                .iter()
                .map(|(k, v)| (k.as_ref(), v.as_ref())),
        )
    }

    /// Whether the platform waits for a forward/discard decision in the response.
    #[getter]
    fn needs_reply(&self) -> bool {
        self.sms().needs_reply()
    }

    /// ``splitNum``: how many segments were sent (the billing basis).
    #[getter]
    fn split_num(&self) -> Option<u32> {
        self.sms().split_num()
    }

    /// ``direction`` from ``extParas`` (0 = another user → A).
    #[getter]
    fn direction(&self) -> Option<u32> {
        self.sms().direction()
    }

    /// The de-duplication key (``smsIdentifier`` plus the mode).
    #[getter]
    fn key(&self) -> Option<String> {
        self.sms().key()
    }

    /// Every field as a ``dict`` of plain values (``ext_paras`` as a list of
    /// ``[key, value]`` lists), with ``kind``; JSON-serializable.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let s = self.sms();
        let d = PyDict::new(py);
        d.set_item(intern!(py, "kind"), intern!(py, "sms"))?;
        d.set_item(intern!(py, "app_key"), s.app_key.as_deref())?;
        d.set_item(intern!(py, "sms_identifier"), s.sms_identifier.as_deref())?;
        d.set_item(
            intern!(py, "notification_mode"),
            s.notification_mode.as_deref(),
        )?;
        d.set_item(intern!(py, "calling"), s.calling.as_deref())?;
        d.set_item(intern!(py, "called"), s.called.as_deref())?;
        d.set_item(intern!(py, "virtual_number"), s.virtual_number.as_deref())?;
        d.set_item(intern!(py, "event"), s.event.as_deref())?;
        d.set_item(intern!(py, "time_stamp"), s.time_stamp)?;
        d.set_item(intern!(py, "send_result"), code(s.send_result, |c| c.0))?;
        d.set_item(intern!(py, "subscription_id"), s.subscription_id.as_deref())?;
        d.set_item(intern!(py, "sms_content"), s.sms_content.as_deref())?;
        d.set_item(intern!(py, "user_data"), s.user_data.as_deref())?;
        let paras = PyList::empty(py);
        for (k, v) in &s.ext_paras {
            paras.append(PyList::new(py, [k.as_ref(), v.as_ref()])?)?;
        }
        d.set_item(intern!(py, "ext_paras"), paras)?;
        Ok(d)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let s = self.sms();
        Ok(format!(
            "SmsEvent(sms_identifier={}, notification_mode={}, calling={}, called={}, \
             virtual_number={}, time_stamp={}, send_result={})",
            text_repr(py, s.sms_identifier.as_deref())?,
            text_repr(py, s.notification_mode.as_deref())?,
            masked_repr(py, s.calling.as_deref())?,
            masked_repr(py, s.called.as_deref())?,
            masked_repr(py, s.virtual_number.as_deref())?,
            opt_repr(s.time_stamp),
            opt_repr(s.send_result.map(|c| PySendResult(c).__repr__())),
        ))
    }
}

// ------------------------------------------------------------------ X-number status

/// X-number status changes (``eventType: "numStatus"``): 1 to 100 entries.
///
/// A sequence of ``NumberStatusEntry``; ``entries`` is the tuple itself.
#[pyclass(module = "privnum", name = "NumberStatusPush", frozen, eq, sequence)]
#[derive(Debug)]
pub(crate) struct PyNumberStatusPush {
    s: Arc<Stored>,
    entries: Py<PyTuple>,
}

impl PartialEq for PyNumberStatusPush {
    fn eq(&self, other: &Self) -> bool {
        self.s == other.s
    }
}

#[pymethods]
impl PyNumberStatusPush {
    /// ``"number_status"``.
    #[classattr]
    fn kind() -> &'static str {
        "number_status"
    }

    /// The entries, in push order.
    #[getter]
    fn entries<'py>(&self, py: Python<'py>) -> Bound<'py, PyTuple> {
        self.entries.bind(py).clone()
    }

    /// ``{"kind": "number_status", "entries": [{...}, ...]}``.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item(intern!(py, "kind"), intern!(py, "number_status"))?;
        let entries = PyList::empty(py);
        for e in self.entries.bind(py).iter() {
            entries.append(e.cast::<PyNumberStatusEntry>()?.get().to_dict(py)?)?;
        }
        d.set_item(intern!(py, "entries"), entries)?;
        Ok(d)
    }

    fn __len__(&self, py: Python<'_>) -> usize {
        self.entries.bind(py).len()
    }

    fn __getitem__<'py>(
        &self,
        py: Python<'py>,
        index: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.entries.bind(py).as_any().get_item(index)
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyIterator>> {
        self.entries.bind(py).as_any().try_iter()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let mut parts = Vec::new();
        for e in self.entries.bind(py).iter() {
            parts.push(e.cast::<PyNumberStatusEntry>()?.get().__repr__(py)?);
        }
        Ok(format!("NumberStatusPush(entries=[{}])", parts.join(", ")))
    }
}

/// One entry of an X-number status push. ``repr()`` masks the number.
#[pyclass(module = "privnum", name = "NumberStatusEntry", frozen, eq)]
#[derive(Debug)]
pub(crate) struct PyNumberStatusEntry {
    s: Arc<Stored>,
    i: usize,
}

impl PartialEq for PyNumberStatusEntry {
    fn eq(&self, other: &Self) -> bool {
        self.entry() == other.entry()
    }
}

impl PyNumberStatusEntry {
    fn entry(&self) -> &NumberStatusEntry<'_> {
        self.s.entry(self.i)
    }
}

#[pymethods]
impl PyNumberStatusEntry {
    /// The X number, as sent.
    #[getter]
    fn number(&self) -> &str {
        &self.entry().number
    }

    /// The new status.
    #[getter]
    fn status(&self) -> PyNumberStatus {
        PyNumberStatus(self.entry().status)
    }

    /// Why X is unavailable (only with status 10).
    #[getter]
    fn cause(&self) -> Option<PyUnavailableCause> {
        self.entry().cause.map(PyUnavailableCause)
    }

    /// ``{"number": ..., "status": int, "cause": int | None}``.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let e = self.entry();
        let d = PyDict::new(py);
        d.set_item(intern!(py, "number"), e.number.as_ref())?;
        d.set_item(intern!(py, "status"), e.status.code())?;
        d.set_item(intern!(py, "cause"), e.cause.map(|c| c.code()))?;
        Ok(d)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let e = self.entry();
        Ok(format!(
            "NumberStatusEntry(number={}, status={}, cause={})",
            masked_repr(py, Some(&e.number))?,
            PyNumberStatus(e.status).__repr__(),
            opt_repr(e.cause.map(|c| PyUnavailableCause(c).__repr__())),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_push_is_the_core_parse() {
        let body = br#"{"eventType":"fee","feeLst":[{"icid":"A","callerNum":"+8613800000001","userData":"a\"b","x":1,"y":{"z":[2]}}]}"#;
        let stored = parse_stored(body.to_vec()).unwrap();
        assert_eq!(stored.received().push, push::parse(body).unwrap());
        assert_eq!(
            stored.cdr(0).field("y").map(RawJson::get),
            Some(r#"{"z":[2]}"#)
        );
        assert!(stored.received().items.is_empty() && stored.received().verified.is_none());
    }
}
