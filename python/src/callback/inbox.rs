//! The push entry point: `Inbox`, `Received`, `InboxItem`.
//!
//! GIL: `receive` copies the body and borrows the header strings, then
//! verifies, parses, converts and looks up the keys without the GIL for
//! bodies of at least [`DETACH_MIN_BYTES`]. The core inbox is thread-safe:
//! its locks (replay cache, de-duplication set) are held only inside the
//! core, never while waiting for the GIL, so one `Inbox` is shared by every
//! thread of a web server.

use std::sync::Arc;

use privnum::callback::push::Push;
use privnum::callback::{Inbox, InboxConfig, Item};
use privnum::sign::{self, VerifierConfig};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::PyTuple;

use super::push::{PyCdrBatch, Stored, push_object};
use super::{DETACH_MIN_BYTES, body_bytes, py_bool, text_repr};
use crate::args;
use crate::errors::OrRaise;
use crate::sign::{PyVerified, py_repr};

fn now_or_clock(now: Option<i64>) -> PyResult<i64> {
    match now {
        Some(t) => Ok(t),
        None => sign::unix_now().or_raise(),
    }
}

/// Receives the pushes of one application: size limit, signature check
/// (when ``app_key`` and ``app_secret`` are given), parsing and
/// de-duplication across redeliveries, in one call.
///
/// ``receive()`` marks each item new or duplicate but remembers nothing;
/// ``commit()`` remembers the items once the host has stored them, so a push
/// whose processing failed is processed again when redelivered. Without a
/// secret, signatures are not checked and the verifier options are unused.
///
/// Thread-safe: share one per application. ``repr()`` never shows the secret.
#[pyclass(module = "privnum", name = "Inbox", frozen)]
#[derive(Debug)]
pub(crate) struct PyInbox {
    inner: Inbox,
    app_key: Option<String>,
    config: InboxConfig,
}

#[pymethods]
impl PyInbox {
    /// Defaults: bodies up to 1 MiB, keys remembered 6 h and at most
    /// 200 000 of them (0 turns de-duplication off); signature checks as
    /// ``Verifier``'s defaults.
    #[new]
    #[pyo3(signature = (
        app_key = None,
        app_secret = None,
        *,
        max_body_bytes = InboxConfig::default().max_body_bytes,
        dedup_window_secs = InboxConfig::default().dedup_window_secs,
        dedup_capacity = InboxConfig::default().dedup_capacity,
        max_age_secs = VerifierConfig::default().max_age_secs,
        max_future_secs = VerifierConfig::default().max_future_secs,
        replay_capacity = VerifierConfig::default().replay_capacity,
        accept_wsse = VerifierConfig::default().accept_wsse,
    ))]
    #[pyo3(
        text_signature = "(app_key=None, app_secret=None, *, max_body_bytes=1048576, \
                             dedup_window_secs=21600, dedup_capacity=200000, max_age_secs=21600, \
                             max_future_secs=300, replay_capacity=100000, accept_wsse=True)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn new(
        app_key: Option<&str>,
        app_secret: Option<&str>,
        max_body_bytes: usize,
        dedup_window_secs: u32,
        dedup_capacity: usize,
        max_age_secs: u32,
        max_future_secs: u32,
        replay_capacity: usize,
        accept_wsse: bool,
    ) -> PyResult<Self> {
        let config = InboxConfig {
            max_body_bytes,
            dedup_window_secs,
            dedup_capacity,
            verifier: VerifierConfig {
                max_age_secs,
                max_future_secs,
                replay_capacity,
                accept_wsse,
            },
        };
        let inner = match (app_key, app_secret) {
            (Some(key), Some(secret)) => Inbox::with_secret(key, secret, &config).or_raise()?,
            (None, None) => Inbox::new(&config),
            _ => {
                return Err(PyTypeError::new_err(
                    "pass both app_key and app_secret (to check signatures) or neither",
                ));
            }
        };
        Ok(Self {
            inner,
            app_key: app_key.map(str::to_owned),
            config,
        })
    }

    /// The application key whose signatures are checked, or ``None``.
    #[getter]
    fn app_key(&self) -> Option<&str> {
        self.app_key.as_deref()
    }

    /// How many committed keys are remembered now.
    #[getter]
    fn remembered(&self) -> usize {
        self.inner.dedup().len()
    }

    /// Receive one push: its raw ``body`` (``bytes``, ``bytearray``,
    /// ``memoryview`` or ``str``) and its request ``headers`` (a mapping such
    /// as ``request.headers``, or ``(name, value)`` pairs; needed only when
    /// signatures are checked). ``now`` is Unix seconds (``None``: the system
    /// clock).
    ///
    /// Raises ``PushTooLargeError``, an ``AuthError`` subclass or a
    /// ``PushError`` subclass. Nothing is remembered until ``commit()``.
    #[pyo3(signature = (body, headers = None, /, *, now = None))]
    fn receive<'py>(
        &self,
        py: Python<'py>,
        body: &Bound<'py, PyAny>,
        headers: Option<&Bound<'py, PyAny>>,
        now: Option<i64>,
    ) -> PyResult<PyReceived> {
        let bytes = body_bytes(body)?;
        let pairs = match headers {
            Some(h) => args::pairs(h, "headers")?,
            None => Vec::new(),
        };
        let now = now_or_clock(now)?;
        let detach = bytes.len() >= DETACH_MIN_BYTES;
        let receive = || {
            Stored::new(bytes, |body| {
                self.inner.receive(body, args::as_refs(&pairs), now)
            })
        };
        let stored = if detach {
            py.detach(receive)
        } else {
            receive()
        }
        .or_raise()?;
        let stored = Arc::new(stored);
        let push = push_object(py, Arc::clone(&stored))?.unbind();
        Ok(PyReceived { s: stored, push })
    }

    /// Remember the items of ``received`` as processed, so that redeliveries
    /// are reported as duplicates. Call it after storing them. ``now`` is
    /// Unix seconds (``None``: the system clock).
    #[pyo3(signature = (received, /, *, now = None))]
    fn commit(&self, received: &PyReceived, now: Option<i64>) -> PyResult<()> {
        let now = now_or_clock(now)?;
        self.inner.commit(received.s.received(), now);
        Ok(())
    }

    /// Forget that the request's nonce was accepted, so that the platform's
    /// redelivery passes the replay check: call it when processing failed and
    /// the response is an error.
    #[pyo3(signature = (received, /))]
    fn release(&self, received: &PyReceived) {
        self.inner.release(received.s.received());
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let c = &self.config;
        let v = &c.verifier;
        let auth = match &self.app_key {
            Some(key) => format!(
                "app_key={}, app_secret=<redacted>, max_age_secs={}, max_future_secs={}, \
                 replay_capacity={}, accept_wsse={}",
                py_repr(py, key)?,
                v.max_age_secs,
                v.max_future_secs,
                v.replay_capacity,
                py_bool(v.accept_wsse),
            ),
            None => "app_key=None".to_owned(),
        };
        Ok(format!(
            "Inbox({auth}, max_body_bytes={}, dedup_window_secs={}, dedup_capacity={})",
            c.max_body_bytes, c.dedup_window_secs, c.dedup_capacity,
        ))
    }
}

/// What ``Inbox.receive`` returns: the typed push, one ``InboxItem`` per CDR
/// record (else one), and the signature check's result.
#[pyclass(module = "privnum", name = "Received", frozen)]
#[derive(Debug)]
pub(crate) struct PyReceived {
    s: Arc<Stored>,
    push: Py<PyAny>,
}

#[pymethods]
impl PyReceived {
    /// The typed push: ``CallEvent``, ``CdrBatch``, ``SmsEvent`` or
    /// ``NumberStatusPush`` (as ``parse_push`` returns).
    #[getter]
    fn push<'py>(&self, py: Python<'py>) -> Bound<'py, PyAny> {
        self.push.bind(py).clone()
    }

    /// One item per CDR record for a CDR push, else one: its key and whether
    /// it was committed before.
    #[getter]
    fn items<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, self.s.received().items.iter().cloned().map(PyInboxItem))
    }

    /// Whether every item is a duplicate (then answer 200 and do nothing).
    #[getter]
    fn is_duplicate(&self) -> bool {
        self.s.received().is_duplicate()
    }

    /// The CDR records not seen before (empty for other pushes).
    #[getter]
    fn new_records<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let Push::Cdrs(records) = &self.s.received().push else {
            return Ok(PyTuple::empty(py));
        };
        let batch = self.push.bind(py).cast::<PyCdrBatch>()?;
        let objects = batch.get().records_tuple(py);
        let mut out = Vec::new();
        for r in self.s.received().new_records() {
            if let Some(i) = records.iter().position(|x| std::ptr::eq(x, r)) {
                out.push(objects.get_item(i)?);
            }
        }
        PyTuple::new(py, out)
    }

    /// The signature check's result, or ``None`` when the inbox has no secret.
    #[getter]
    fn verified(&self) -> Option<PyVerified> {
        self.s.received().verified.clone().map(PyVerified)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let r = self.s.received();
        let new = r.items.iter().filter(|i| !i.duplicate).count();
        Ok(format!(
            "Received(kind={}, items={}, new={new}, is_duplicate={}, verified={})",
            py_repr(py, r.push.kind_name())?,
            r.items.len(),
            py_bool(r.is_duplicate()),
            py_bool(r.verified.is_some()),
        ))
    }
}

/// One item of a received push (a CDR record, or the push itself).
#[pyclass(module = "privnum", name = "InboxItem", frozen, eq, hash)]
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PyInboxItem(Item);

impl std::hash::Hash for PyInboxItem {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        (&self.0.key, self.0.duplicate).hash(state);
    }
}

#[pymethods]
impl PyInboxItem {
    /// The de-duplication key, or ``None`` when the item has none (X-number
    /// status pushes, records without ``icid`` and ``sessionId``).
    #[getter]
    fn key(&self) -> Option<&str> {
        self.0.key.as_deref()
    }

    /// Whether the item was committed before (a redelivery).
    #[getter]
    fn duplicate(&self) -> bool {
        self.0.duplicate
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "InboxItem(key={}, duplicate={})",
            text_repr(py, self.0.key.as_deref())?,
            py_bool(self.0.duplicate)
        ))
    }
}
