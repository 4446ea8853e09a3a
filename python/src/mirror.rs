//! `privnum.Mirror`: a `Client` and an `Engine` kept in step (core's
//! `client::sync::Mirror`). Binds, modifications and unbinds are recorded
//! in the engine before they are sent and settled by the platform's answer;
//! `reconcile` compares the engine with the platform's queries.
//!
//! Everything here does network I/O (and may write the engine's journal),
//! so every call runs with the GIL released.

use privnum::client::sync::Mirror;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::client::{PyOperation, to_py};
use crate::engine::PyEngine;
use crate::errors::OrRaise;
use crate::net::PyClient;

/// A :class:`Client` and the :class:`Engine` of its application, kept in
/// step: ``Mirror(client, engine)``.
///
/// ``call(op)`` records a bind, modification or unbind in the engine before
/// sending it (write-ahead), sends it through the client and settles it by
/// the platform's answer: confirmed, the engine holds the result (a bind
/// under the platform's ``subscriptionId``); refused, the request is taken
/// back; unknown, it stays pending until :meth:`reconcile`. A change the
/// engine's rules refuse, or that does not validate, raises before anything
/// is sent. Other operations (queries, ``call.stop``, ...) raise
/// ``InvalidArgumentError``: send them with the client.
///
/// The engine is shared, not copied: ``mirror.engine is engine``, and it
/// stays usable from Python (routing, events) while the mirror changes it.
/// Calls block with the GIL released. Thread-safe: share one mirror between
/// threads. ``repr()`` never shows the secret.
#[pyclass(module = "privnum", name = "Mirror", frozen)]
#[derive(Debug)]
pub(crate) struct PyMirror {
    mirror: Mirror,
    client: Py<PyClient>,
    engine: Py<PyEngine>,
}

#[pymethods]
impl PyMirror {
    #[new]
    #[pyo3(signature = (client, engine, /))]
    fn new(client: Bound<'_, PyClient>, engine: Bound<'_, PyEngine>) -> Self {
        let mirror = Mirror::new(client.get().core().clone(), engine.get().shared());
        Self {
            mirror,
            client: client.unbind(),
            engine: engine.unbind(),
        }
    }

    /// The client it sends through.
    #[getter]
    fn client(&self, py: Python<'_>) -> Py<PyClient> {
        self.client.clone_ref(py)
    }

    /// The engine it records in (the same object it was given).
    #[getter]
    fn engine(&self, py: Python<'_>) -> Py<PyEngine> {
        self.engine.clone_ref(py)
    }

    /// Send a bind, modification or unbind and record it; the answer as a
    /// ``dict``: ``operation``, ``answer`` (``"confirmed"``, ``"refused"``
    /// or ``"unknown"``), ``output`` (the operation's output when
    /// confirmed, else ``None``), ``error`` (when refused or unknown: a
    /// ``dict`` with ``kind``, ``code``, ``platform_code``, ``field``,
    /// ``http_status``, ``message``; else ``None``), ``ids`` (the engine's
    /// ids of the bindings concerned), ``bindings`` (the engine's records
    /// of them, as ``dict``; a removed one is left out) and
    /// ``record_error`` (the answer could not be recorded: reconcile).
    ///
    /// Raises (nothing sent): the operation's validation errors, the
    /// engine's refusals (``RuleViolationError``, ``BindingNotFoundError``,
    /// ...), ``InvalidArgumentError`` for an operation the mirror does not
    /// record.
    fn call<'py>(&self, py: Python<'py>, op: &PyOperation) -> PyResult<Bound<'py, PyAny>> {
        let op = op.operation();
        let value = py.detach(|| self.mirror.call_any(op)).or_raise()?;
        to_py(py, &value)
    }

    /// ``call(Operation(name, args, **kwargs))`` in one step:
    /// ``mirror.call_op("axb.bind", caller_num=..., callee_num=...)``.
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

    /// Expire the engine's bindings whose lifetime is over by the client's
    /// clock; how many expired (their events are in the engine).
    fn tick(&self, py: Python<'_>) -> PyResult<usize> {
        py.detach(|| self.mirror.tick()).or_raise()
    }

    /// Query the platform for what the engine holds and compare; with
    /// ``apply`` give the engine the platform's truth. Returns a ``dict``:
    /// ``differences`` (each with ``kind``: ``"only_on_platform"``,
    /// ``"only_local"``, ``"settings_differ"``, ``"requested_but_present"``,
    /// ``"requested_but_absent"`` or ``"ambiguous"``; ``fix``, the change
    /// that resolves it or ``None``; and ``local``, ``platform``,
    /// ``fields``, ``took_effect``, ``candidates`` as they apply),
    /// ``unchecked`` (ids no complete answer covered), ``query_errors`` and
    /// ``applied`` (``None`` unless ``apply``: ``applied``, ``skipped``,
    /// ``errors``). A failed query proves nothing: it is listed, not
    /// raised. Raises for an X-mode engine.
    #[pyo3(signature = (apply = false))]
    fn reconcile<'py>(&self, py: Python<'py>, apply: bool) -> PyResult<Bound<'py, PyAny>> {
        let r = py.detach(|| self.mirror.reconcile(apply)).or_raise()?;
        to_py(py, &r.to_json())
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "Mirror({}, {})",
            self.client.bind(py).repr()?,
            self.engine.bind(py).repr()?
        ))
    }
}
