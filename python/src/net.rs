//! The blocking platform client (`privnum.Client`) and the emulator's native
//! handle (`privnum._native._Emulator`, wrapped by `privnum.testing`).
//!
//! Both do network I/O or wait on threads, so every such call runs with the
//! GIL released (`py.detach`): other Python threads keep running while a
//! request is sent, retried and backed off, while the emulator waits for its
//! pushes, and while it stops and joins its threads.

use std::sync::{PoisonError, RwLock};
use std::time::Duration;

use privnum::client::retry::{Client, RetryPolicy};
use privnum::client::transport::{TransportConfig, UreqTransport};
use privnum::emulator::{Emulator, EmulatorConfig};
use privnum::{Error, ErrorKind, Signer};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde_json::Value;

use crate::client::{PyOperation, to_py};
use crate::errors::{OrRaise, raise};
use crate::sign::py_repr;

/// A duration in seconds from Python (`float`, at least 0, finite).
fn seconds(what: &str, s: f64) -> PyResult<Duration> {
    Duration::try_from_secs_f64(s).map_err(|_| {
        PyValueError::new_err(format!(
            "{what} must be a finite, non-negative number of seconds"
        ))
    })
}

/// A blocking client of the platform API: ``Client(base_url, app_key,
/// app_secret)``. ``call(op)`` sends an :class:`Operation`, signing every
/// attempt afresh and retrying only where that is safe, and returns its
/// output as a ``dict``; it blocks the calling thread with the GIL released.
///
/// Timeouts and waits are in seconds. ``https_only`` (default ``True``)
/// refuses ``http://`` base URLs; turn it off for a local test server such
/// as :mod:`privnum.testing`'s emulator. Immutable and thread-safe: share one
/// client between threads. ``repr()`` never shows the secret.
#[pyclass(module = "privnum", name = "Client", frozen)]
#[derive(Debug)]
pub(crate) struct PyClient {
    client: Client,
    app_key: String,
}

impl PyClient {
    /// The core client (a `Mirror` sends through a clone of it).
    pub(crate) fn core(&self) -> &Client {
        &self.client
    }
}

#[pymethods]
impl PyClient {
    #[new]
    #[pyo3(signature = (
        base_url, app_key, app_secret, /, *,
        connect_timeout = 5.0, read_timeout = 10.0, total_timeout = 30.0, https_only = true,
        max_attempts = 3, initial_backoff = 0.25, max_backoff = 5.0, throttle_backoff = 60.0,
        jitter = 0.5,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        base_url: &str,
        app_key: &str,
        app_secret: &str,
        connect_timeout: f64,
        read_timeout: f64,
        total_timeout: f64,
        https_only: bool,
        max_attempts: u32,
        initial_backoff: f64,
        max_backoff: f64,
        throttle_backoff: f64,
        jitter: f64,
    ) -> PyResult<Self> {
        let signer = Signer::new(app_key, app_secret).or_raise()?;
        let mut t = TransportConfig::default();
        t.connect_timeout = seconds("connect_timeout", connect_timeout)?;
        t.read_timeout = seconds("read_timeout", read_timeout)?;
        t.total_timeout = seconds("total_timeout", total_timeout)?;
        t.https_only = https_only;
        if !(0.0..=1.0).contains(&jitter) {
            return Err(PyValueError::new_err("jitter must be between 0 and 1"));
        }
        let mut p = RetryPolicy::default();
        p.max_attempts = max_attempts;
        p.initial_backoff = seconds("initial_backoff", initial_backoff)?;
        p.max_backoff = seconds("max_backoff", max_backoff)?;
        p.throttle_backoff = seconds("throttle_backoff", throttle_backoff)?;
        p.jitter = jitter;
        let client = Client::with_transport(base_url, signer, UreqTransport::new(t))
            .or_raise()?
            .with_policy(p);
        Ok(Self {
            client,
            app_key: app_key.to_owned(),
        })
    }

    /// The base URL, without a trailing ``/``.
    #[getter]
    fn base_url(&self) -> &str {
        self.client.base_url()
    }

    /// The application key requests are signed with.
    #[getter]
    fn app_key(&self) -> &str {
        &self.app_key
    }

    /// Send ``op`` and return its output as a ``dict`` (as
    /// :meth:`Operation.parse` gives it), blocking with the GIL released.
    ///
    /// An attempt that certainly was not sent, or was throttled, is sent
    /// again; an idempotent operation (query, unbind, modify) also after an
    /// unknown outcome. A bind whose outcome is unknown is never re-sent
    /// blindly: an AXB bind naming its X (``relation_num``) is settled by
    /// querying X, anything else raises ``OutcomeUnknownError``. Refusals
    /// raise the ``PlatformError`` subclass with ``.platform_code`` and
    /// ``.http_status``; ``TransportNotSentError`` and
    /// ``TransportNoResponseError`` (both ``ConnectionError``) once the
    /// attempts run out. For a bind, every error except
    /// ``OutcomeUnknownError`` means it did not bind.
    fn call<'py>(&self, py: Python<'py>, op: &PyOperation) -> PyResult<Bound<'py, PyAny>> {
        let op = op.operation();
        let value = py.detach(|| op.send(&self.client)).or_raise()?;
        to_py(py, &value)
    }

    /// ``call(Operation(name, args, **kwargs))`` in one step:
    /// ``client.call_op("axb.query", relation_num="+8617000000010")``.
    #[pyo3(signature = (name, args = None, /, **kwargs))]
    fn call_op<'py>(
        &self,
        py: Python<'py>,
        name: &str,
        args: Option<&Bound<'py, PyAny>>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let op = PyOperation::build(py, name, args, kwargs)?;
        self.call(py, &op)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "Client({}, app_key={})",
            py_repr(py, self.client.base_url())?,
            py_repr(py, &self.app_key)?
        ))
    }
}

/// A running platform emulator on 127.0.0.1: the native handle behind
/// :func:`privnum.testing.emulator`. ``_Emulator(config_json)`` starts it
/// (``None`` or ``""``: the demo configuration); ``control(method, path,
/// body)`` runs an operation of its control interface; ``stop()`` stops it
/// (also when garbage-collected).
#[pyclass(module = "privnum._native", name = "_Emulator", frozen)]
#[derive(Debug)]
pub(crate) struct PyEmulator {
    /// `None` once stopped; read-locked while in use, write-locked to stop.
    emulator: RwLock<Option<Emulator>>,
    base_url: String,
}

impl PyEmulator {
    fn with<T>(&self, f: impl FnOnce(&Emulator) -> privnum::Result<T>) -> PyResult<T> {
        let guard = self.emulator.read().unwrap_or_else(PoisonError::into_inner);
        let emulator = guard.as_ref().ok_or_else(|| {
            crate::errors::CoreError(Error::new(
                ErrorKind::InvalidArgument,
                "the emulator is stopped",
            ))
        })?;
        f(emulator).or_raise()
    }
}

#[pymethods]
impl PyEmulator {
    #[new]
    #[pyo3(signature = (config_json = None, /))]
    fn new(py: Python<'_>, config_json: Option<&str>) -> PyResult<Self> {
        let config = EmulatorConfig::from_json_text(config_json.unwrap_or("")).or_raise()?;
        let emulator = py.detach(|| Emulator::start(config)).or_raise()?;
        Ok(Self {
            base_url: emulator.base_url(),
            emulator: RwLock::new(Some(emulator)),
        })
    }

    /// The demo configuration's application as a ``dict`` (``mode``,
    /// ``app_key``, ``app_secret``, ``numbers``, ``retry_time_scale``).
    #[staticmethod]
    fn demo_app(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
        to_py(py, &EmulatorConfig::demo_app_json())
    }

    /// ``http://127.0.0.1:PORT``.
    #[getter]
    fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Whether it is running (not stopped yet).
    #[getter]
    fn running(&self) -> bool {
        self.emulator
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .is_some()
    }

    /// Run one operation of the control interface (``"GET"``, ``"pushes"``),
    /// with the GIL released (``wait_idle`` blocks), and return its ``ok``
    /// value; an ``error`` answer raises the ``PrivnumError`` subclass of its
    /// kind with ``.platform_code`` and ``.field``.
    #[pyo3(signature = (method, path, body = None, /))]
    fn control<'py>(
        &self,
        py: Python<'py>,
        method: &str,
        path: &str,
        body: Option<&str>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let body = body.unwrap_or("").as_bytes();
        let answer = py.detach(|| self.with(|e| Ok(e.control(method, path, body))))?;
        match answer {
            Value::Object(mut m) => {
                if let Some(ok) = m.remove("ok") {
                    return to_py(py, &ok);
                }
                let err = m.remove("error").unwrap_or(Value::Null);
                let kind = err["kind"]
                    .as_str()
                    .and_then(ErrorKind::from_name)
                    .unwrap_or(ErrorKind::InvalidCommand);
                Err(raise(
                    kind,
                    err["message"].as_str().unwrap_or("the emulator refused"),
                    err["platform_code"].as_str(),
                    err["field"].as_str(),
                ))
            }
            other => to_py(py, &other),
        }
    }

    /// Wait until no push is pending, at most ``timeout`` seconds, with the
    /// GIL released; whether that happened.
    fn wait_idle(&self, py: Python<'_>, timeout: f64) -> PyResult<bool> {
        let timeout = seconds("timeout", timeout)?;
        py.detach(|| self.with(|e| Ok(e.wait_idle(timeout))))
    }

    /// Stop serving and delivering and join the emulator's threads, with
    /// the GIL released (a push handler in this process keeps running while
    /// an attempt finishes). Stopping twice does nothing.
    fn stop(&self, py: Python<'_>) {
        // Taking the write lock waits (GIL released) for calls under way.
        let taken = py.detach(|| {
            self.emulator
                .write()
                .unwrap_or_else(PoisonError::into_inner)
                .take()
        });
        if let Some(e) = taken {
            py.detach(|| e.stop());
        }
    }

    fn __repr__(&self) -> String {
        let state = if self.running() { "running" } else { "stopped" };
        format!("Emulator({:?}, {state})", self.base_url)
    }
}

impl Drop for PyEmulator {
    fn drop(&mut self) {
        // Join with the GIL released: a push attempt under way may be
        // waiting for a webhook served by a Python thread of this process.
        let taken = self
            .emulator
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(e) = taken {
            Python::attach(|py| py.detach(|| e.stop()));
        }
    }
}
