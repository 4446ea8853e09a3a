//! The platform API client, sans-IO: `Operation` (any operation by name,
//! from keyword arguments) signs into a `Request` that any HTTP library can
//! send, synchronous or asyncio, and parses the answer into a `dict` or a
//! `PlatformError` subclass.
//!
//! Building, signing and parsing small answers keep the GIL (they take a few
//! microseconds); answers of at least `DETACH_MIN_BYTES` (query pages) are
//! parsed with it released. Nothing here does network I/O.

use privnum::client::any::{AnyOperation, NAMES};
use privnum::client::{self, HttpRequest, HttpResponse, Operation};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};
use serde_json::Value;

use crate::callback::{DETACH_MIN_BYTES, body_bytes};
use crate::errors::OrRaise;
use crate::sign::{PySigner, py_repr};

/// One operation of the platform API, built by name from its arguments and
/// validated: ``Operation("axb.bind", caller_num="138 0000 0001",
/// callee_num="+86 139 0000 0002", duration=3600)``.
///
/// Arguments are the specification's wire names (``callerNum``) or the same
/// in snake case (``caller_num``), given as a mapping, as keyword arguments,
/// or both. Numbers may be ``str`` as typed or ``Number``; ``None`` leaves an
/// argument out. Unknown or mistyped arguments raise
/// ``InvalidArgumentError`` naming the field (``.field``); numbers that do
/// not parse raise their ``NumberError``. Immutable and thread-safe; sign it
/// again for every attempt.
#[pyclass(module = "privnum", name = "Operation", frozen)]
#[derive(Debug)]
pub(crate) struct PyOperation(AnyOperation);

impl PyOperation {
    /// The operation inside.
    pub(crate) fn operation(&self) -> &AnyOperation {
        &self.0
    }

    /// Build by name from a mapping and keyword arguments (see the class
    /// docs); `Client.call_op` uses it too.
    pub(crate) fn build(
        py: Python<'_>,
        name: &str,
        args: Option<&Bound<'_, PyAny>>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Self> {
        let merged = PyDict::new(py);
        if let Some(args) = args.filter(|a| !a.is_none()) {
            let mapping = args.cast::<pyo3::types::PyMapping>().map_err(|_| {
                PyTypeError::new_err("the arguments must be a mapping (a dict of wire names)")
            })?;
            merged.update(mapping)?;
        }
        if let Some(kwargs) = kwargs {
            for (k, v) in kwargs.iter() {
                if merged.contains(&k)? {
                    return Err(PyTypeError::new_err(format!(
                        "the argument {} is given twice",
                        k.str()?
                    )));
                }
                merged.set_item(k, v)?;
            }
        }
        let text = crate::engine::dumps(py, merged.as_any())?;
        AnyOperation::from_json_text(name, &text)
            .map(Self)
            .or_raise()
    }
}

#[pymethods]
impl PyOperation {
    #[new]
    #[pyo3(signature = (name, args = None, /, **kwargs))]
    fn new(
        py: Python<'_>,
        name: &str,
        args: Option<&Bound<'_, PyAny>>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Self> {
        Self::build(py, name, args, kwargs)
    }

    /// The names ``Operation`` knows (``"axb.bind"``, ...).
    #[staticmethod]
    fn names(py: Python<'_>) -> PyResult<Bound<'_, PyTuple>> {
        PyTuple::new(py, NAMES)
    }

    /// The operation's name as given (``"axb.query"``).
    #[getter]
    fn name(&self) -> &'static str {
        self.0.op_name()
    }

    /// Whether an attempt whose outcome is unknown (a timeout after sending,
    /// a lost connection, ``PlatformRetryError``) may be sent again, signed
    /// afresh: true for queries, unbinds and modifications; false for binds,
    /// which must be settled by a query (the lost attempt may have bound).
    #[getter]
    fn idempotent(&self) -> bool {
        self.0.idempotent()
    }

    /// Validate against the platform's rules and sign with X-AKSK.
    ///
    /// ``nonce`` and ``created`` (``yyyy-MM-ddTHH:mm:ssZ``) fix the
    /// signature, for tests; ``now`` signs at that Unix time with a fresh
    /// nonce. By default every call signs afresh with the system clock,
    /// which is what every attempt must use. Raises the platform's rule as
    /// ``RuleViolationError`` (``.platform_code == "1010002"``),
    /// ``FieldOutOfBoundsError`` or ``InvalidArgumentError``, each naming
    /// the field.
    #[pyo3(signature = (signer, *, nonce = None, created = None, now = None))]
    fn sign(
        &self,
        signer: &PySigner,
        nonce: Option<&str>,
        created: Option<&str>,
        now: Option<i64>,
    ) -> PyResult<PyRequest> {
        let prepared = self.0.prepare().or_raise()?;
        let signer = signer.signer();
        let request = match (nonce, created, now) {
            (None, None, None) => client::sign_now(prepared, signer),
            (None, None, Some(now)) => client::sign_at(prepared, signer, now),
            (Some(nonce), Some(created), None) => client::sign(prepared, signer, nonce, created),
            _ => {
                return Err(PyTypeError::new_err(
                    "pass nonce and created together, or now alone, or none of them",
                ));
            }
        };
        request.map(PyRequest).or_raise()
    }

    /// Read the platform's answer: the HTTP ``status``, the ``body`` as
    /// received (``bytes``, ``bytearray``, ``memoryview`` or ``str``) and
    /// the ``Location`` header if any (recording downloads answer 301 with
    /// it). Returns the output as a ``dict`` with snake-case keys (absent
    /// values left out; ``{}`` for operations without output). A refusal
    /// raises the ``PlatformError`` subclass of what to do about it, with
    /// ``.platform_code`` and ``.http_status``; an unreadable answer raises
    /// ``ResponseInvalidError``.
    #[pyo3(signature = (status, body, location = None))]
    fn parse<'py>(
        &self,
        py: Python<'py>,
        status: u16,
        body: &Bound<'py, PyAny>,
        location: Option<&str>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let bytes = body_bytes(body)?;
        let run = || {
            self.0.parse(&HttpResponse {
                status,
                location,
                body: &bytes,
            })
        };
        let value = if bytes.len() >= DETACH_MIN_BYTES {
            py.detach(run)
        } else {
            run()
        }
        .or_raise()?;
        to_py(py, &value)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let idempotent = if self.0.idempotent() { "True" } else { "False" };
        Ok(format!(
            "Operation({}, idempotent={idempotent})",
            py_repr(py, self.0.op_name())?
        ))
    }
}

/// A signed request, ready to send: ``method``, ``url(base_url)``,
/// ``headers`` and ``body``. ``repr()`` never shows the ``X-AKSK`` value nor
/// the body, and masks phone numbers in the path.
#[pyclass(module = "privnum", name = "Request", frozen)]
#[derive(Debug)]
pub(crate) struct PyRequest(HttpRequest);

#[pymethods]
impl PyRequest {
    /// ``"GET"``, ``"POST"``, ``"PUT"`` or ``"DELETE"``.
    #[getter]
    fn method(&self) -> &'static str {
        self.0.method().as_str()
    }

    /// The path and the encoded query (``+`` sent as ``%2B``).
    #[getter]
    fn path_and_query(&self) -> &str {
        self.0.path_and_query()
    }

    /// The headers to send, as a new ``dict`` (``Content-Type``,
    /// ``Authorization``, ``X-AKSK``).
    #[getter]
    fn headers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for (n, v) in self.0.headers() {
            d.set_item(*n, v)?;
        }
        Ok(d)
    }

    /// The JSON body (POST and PUT), or ``None``.
    #[getter]
    fn body(&self) -> Option<&str> {
        self.0.body()
    }

    /// The full URL: ``base_url`` (``https://host:port``, with or without a
    /// trailing ``/``) followed by the path and query.
    fn url(&self, base_url: &str) -> String {
        self.0.url(base_url)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let debug = format!("{:?}", self.0);
        Ok(format!("Request({})", py_repr(py, &debug)?))
    }
}

/// A JSON value as Python objects (`dict`, `list`, `str`, `int`, `bool`,
/// `None`); the outputs hold no floats, but one would become a `float`.
pub(crate) fn to_py<'py>(py: Python<'py>, v: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => b.into_pyobject(py)?.to_owned().into_any(),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => u.into_pyobject(py)?.into_any(),
            (None, Some(i), _) => i.into_pyobject(py)?.into_any(),
            (None, None, f) => f.unwrap_or(f64::NAN).into_pyobject(py)?.into_any(),
        },
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let d = PyDict::new(py);
            for (k, item) in map {
                d.set_item(k, to_py(py, item)?)?;
            }
            d.into_any()
        }
    })
}
