//! Request signing: `Signer`, `AuthHeaders`, `Verifier`, `Verified`, and the
//! `Created` / nonce helpers.
//!
//! GIL: signing and verifying one request is a single HMAC over a few dozen
//! bytes plus a header parse (about a microsecond), so these calls keep the
//! GIL: releasing and re-acquiring it would cost about as much as the work.
//! `Verifier` guards its replay cache with its own mutex, which is never held
//! while waiting for the GIL, so sharing one verifier between threads is safe.

use privnum::sign::{self, VerifierConfig};
use privnum::{AuthHeaders, Scheme, Signer, Verified, Verifier};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyString};

use crate::args;
use crate::errors::OrRaise;

/// Python `repr()` of a string (quotes and escapes as Python does).
pub(crate) fn py_repr(py: Python<'_>, s: &str) -> PyResult<String> {
    Ok(PyString::new(py, s).repr()?.to_str()?.to_owned())
}

/// Produces signed X-AKSK / X-WSSE headers for one application.
///
/// Thread-safe; create one per application and share it. ``repr()`` never
/// shows the secret.
#[pyclass(module = "privnum", name = "Signer", frozen)]
#[derive(Debug)]
pub(crate) struct PySigner(Signer);

impl PySigner {
    /// The signer inside.
    pub(crate) fn signer(&self) -> &Signer {
        &self.0
    }
}

#[pymethods]
impl PySigner {
    /// Raises ``InvalidAppKeyError`` or ``InvalidAppSecretError`` for unusable credentials.
    #[new]
    fn new(app_key: &str, app_secret: &str) -> PyResult<Self> {
        Signer::new(app_key, app_secret).map(Self).or_raise()
    }

    /// The application key.
    #[getter]
    fn app_key(&self) -> &str {
        self.0.app_key()
    }

    /// Sign one request.
    ///
    /// * ``nonce``: ``None`` draws a fresh random nonce (what requests should
    ///   use); a given nonce must be 1-128 ASCII letters and digits.
    /// * ``created``: ``yyyy-MM-ddTHH:mm:ssZ``; ``None`` uses ``now``.
    /// * ``now``: Unix seconds to sign at; ``None`` reads the system clock.
    ///   Cannot be combined with ``created``.
    #[pyo3(signature = (scheme = "aksk", *, nonce = None, created = None, now = None))]
    fn sign(
        &self,
        scheme: &str,
        nonce: Option<&str>,
        created: Option<&str>,
        now: Option<i64>,
    ) -> PyResult<PyAuthHeaders> {
        self.sign_core(scheme, nonce, created, now)
            .map(PyAuthHeaders)
    }

    /// Like ``sign()``, but returns the two headers directly as a ``dict``
    /// (``{"Authorization": ..., "X-AKSK": ...}``), ready for an HTTP client:
    /// the fastest way to sign a request.
    #[pyo3(signature = (scheme = "aksk", *, nonce = None, created = None, now = None))]
    fn headers<'py>(
        &self,
        py: Python<'py>,
        scheme: &str,
        nonce: Option<&str>,
        created: Option<&str>,
        now: Option<i64>,
    ) -> PyResult<Bound<'py, PyDict>> {
        headers_dict(py, &self.sign_core(scheme, nonce, created, now)?)
    }

    /// The ``PasswordDigest`` for ``nonce`` and ``created`` (not validated).
    fn digest(&self, scheme: &str, nonce: &str, created: &str) -> PyResult<String> {
        Ok(self.0.digest(args::scheme(scheme)?, nonce, created))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "Signer(app_key={}, app_secret=<redacted>)",
            py_repr(py, self.0.app_key())?
        ))
    }
}

impl PySigner {
    /// The one signing path behind ``sign()`` and ``headers()``.
    fn sign_core(
        &self,
        scheme: &str,
        nonce: Option<&str>,
        created: Option<&str>,
        now: Option<i64>,
    ) -> PyResult<AuthHeaders> {
        let scheme = args::scheme(scheme)?;
        let signer = &self.0;
        let headers = match (nonce, created, now) {
            (_, Some(_), Some(_)) => {
                return Err(PyTypeError::new_err("pass either created or now, not both"));
            }
            (Some(nonce), Some(created), None) => signer.sign(scheme, nonce, created),
            (None, None, None) => signer.sign_now(scheme),
            (None, None, Some(now)) => signer.sign_at(scheme, now),
            (Some(nonce), None, now) => {
                let now = match now {
                    Some(t) => t,
                    None => sign::unix_now().or_raise()?,
                };
                let created = sign::format_created(now).or_raise()?;
                signer.sign(scheme, nonce, created.as_str())
            }
            (None, Some(created), None) => {
                let nonce = sign::generate_nonce().or_raise()?;
                signer.sign(scheme, &nonce, created)
            }
        };
        headers.or_raise()
    }
}

/// Python strings for a scheme's header name and constant `Authorization`
/// value, made once from the core's constants: they are the same on every call.
fn scheme_strings(py: Python<'_>, scheme: Scheme) -> &(Py<PyString>, Py<PyString>) {
    static AKSK: PyOnceLock<(Py<PyString>, Py<PyString>)> = PyOnceLock::new();
    static WSSE: PyOnceLock<(Py<PyString>, Py<PyString>)> = PyOnceLock::new();
    let cell = if scheme == Scheme::Wsse { &WSSE } else { &AKSK };
    cell.get_or_init(py, || {
        (
            PyString::intern(py, scheme.header_name()).unbind(),
            PyString::intern(py, scheme.authorization()).unbind(),
        )
    })
}

/// ``{"Authorization": ..., "X-AKSK": ...}``.
fn headers_dict<'py>(py: Python<'py>, h: &AuthHeaders) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    let (name, authorization) = scheme_strings(py, h.scheme());
    d.set_item(pyo3::intern!(py, "Authorization"), authorization.bind(py))?;
    d.set_item(name.bind(py), h.value())?;
    Ok(d)
}

/// The two headers that authenticate one request.
///
/// ``as_dict()`` gives ``{"Authorization": ..., "X-AKSK": ...}``, ready to
/// pass to an HTTP client. ``repr()`` abbreviates the digest.
#[pyclass(module = "privnum", name = "AuthHeaders", frozen, eq)]
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct PyAuthHeaders(AuthHeaders);

#[pymethods]
impl PyAuthHeaders {
    /// ``"aksk"`` or ``"wsse"``.
    #[getter]
    fn scheme(&self) -> &'static str {
        self.0.scheme().name()
    }

    /// The value of the ``Authorization`` header.
    #[getter]
    fn authorization(&self) -> &'static str {
        self.0.authorization()
    }

    /// The name of the token header: ``"X-AKSK"`` or ``"X-WSSE"``.
    #[getter]
    fn header_name(&self) -> &'static str {
        self.0.header_name()
    }

    /// The value of the token header (``UsernameToken Username="…", …``).
    #[getter]
    fn value(&self) -> &str {
        self.0.value()
    }

    /// The ``Nonce`` inside the token.
    #[getter]
    fn nonce(&self) -> &str {
        self.0.nonce()
    }

    /// The ``Created`` time inside the token.
    #[getter]
    fn created(&self) -> &str {
        self.0.created()
    }

    /// The ``PasswordDigest`` inside the token.
    #[getter]
    fn digest(&self) -> &str {
        self.0.digest()
    }

    /// Both headers as a new ``dict``.
    fn as_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        headers_dict(py, &self.0)
    }

    /// Both headers as a list of ``(name, value)`` pairs.
    fn items<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        PyList::new(py, self.0.pairs())
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let digest = self.0.digest();
        let short: String = digest.chars().take(6).collect();
        Ok(format!(
            "AuthHeaders(scheme='{}', nonce={}, created='{}', digest='{short}…')",
            self.0.scheme().name(),
            py_repr(py, self.0.nonce())?,
            self.0.created(),
        ))
    }
}

/// Verifies the X-AKSK / X-WSSE headers of requests the platform sends.
///
/// Thread-safe: share one per application. It remembers accepted nonces to
/// refuse replays (see ``forget``).
#[pyclass(module = "privnum", name = "Verifier", frozen)]
#[derive(Debug)]
pub(crate) struct PyVerifier {
    inner: Verifier,
}

#[pymethods]
impl PyVerifier {
    /// Defaults: Created up to 6 h old and 5 min ahead, 100 000 nonces
    /// remembered (0 turns replay detection off), X-WSSE accepted.
    #[new]
    #[pyo3(signature = (
        app_key,
        app_secret,
        *,
        max_age_secs = VerifierConfig::default().max_age_secs,
        max_future_secs = VerifierConfig::default().max_future_secs,
        replay_capacity = VerifierConfig::default().replay_capacity,
        accept_wsse = VerifierConfig::default().accept_wsse,
    ))]
    #[pyo3(
        text_signature = "(app_key, app_secret, *, max_age_secs=21600, max_future_secs=300, \
                             replay_capacity=100000, accept_wsse=True)"
    )]
    fn new(
        app_key: &str,
        app_secret: &str,
        max_age_secs: u32,
        max_future_secs: u32,
        replay_capacity: usize,
        accept_wsse: bool,
    ) -> PyResult<Self> {
        let config = VerifierConfig {
            max_age_secs,
            max_future_secs,
            replay_capacity,
            accept_wsse,
        };
        Ok(Self {
            inner: Verifier::new(app_key, app_secret, config).or_raise()?,
        })
    }

    /// The application key.
    #[getter]
    fn app_key(&self) -> &str {
        self.inner.app_key()
    }

    /// Verify a request from its headers: a mapping (``dict``, werkzeug or
    /// Starlette headers, ``email.message.Message``, …) or an iterable of
    /// ``(name, value)`` pairs; names are case-insensitive. ``now`` is Unix
    /// seconds (``None``: the system clock). Raises an ``AuthError`` subclass.
    #[pyo3(signature = (headers, /, *, now = None))]
    fn verify(&self, headers: &Bound<'_, PyAny>, now: Option<i64>) -> PyResult<PyVerified> {
        let pairs = args::pairs(headers, "headers")?;
        let now = match now {
            Some(t) => t,
            None => sign::unix_now().or_raise()?,
        };
        self.inner
            .verify_headers(args::as_refs(&pairs), now)
            .map(PyVerified)
            .or_raise()
    }

    /// Forget an accepted nonce, so that a redelivery of the same request is
    /// accepted again (use it when processing the request failed).
    fn forget(&self, nonce: &str) {
        self.inner.forget(nonce);
    }

    /// How many nonces are remembered now.
    #[getter]
    fn remembered(&self) -> usize {
        self.inner.freshness().remembered()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let c = self.inner.config();
        Ok(format!(
            "Verifier(app_key={}, app_secret=<redacted>, max_age_secs={}, max_future_secs={}, \
             replay_capacity={}, accept_wsse={})",
            py_repr(py, self.inner.app_key())?,
            c.max_age_secs,
            c.max_future_secs,
            c.replay_capacity,
            if c.accept_wsse { "True" } else { "False" },
        ))
    }
}

/// A successfully verified request.
#[pyclass(module = "privnum", name = "Verified", frozen, eq)]
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct PyVerified(pub(crate) Verified);

#[pymethods]
impl PyVerified {
    /// Which header scheme carried the signature: ``"aksk"`` or ``"wsse"``.
    #[getter]
    fn scheme(&self) -> &'static str {
        self.0.scheme.name()
    }

    /// The request's nonce.
    #[getter]
    fn nonce(&self) -> &str {
        &self.0.nonce
    }

    /// The request's ``Created`` time as Unix seconds.
    #[getter]
    fn created(&self) -> i64 {
        self.0.created
    }

    /// True when an X-WSSE digest used the non-vendor raw-bytes form.
    #[getter]
    fn wsse_raw_digest(&self) -> bool {
        self.0.wsse_raw_digest
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "Verified(scheme='{}', nonce={}, created={}, wsse_raw_digest={})",
            self.0.scheme.name(),
            py_repr(py, &self.0.nonce)?,
            self.0.created,
            if self.0.wsse_raw_digest {
                "True"
            } else {
                "False"
            },
        ))
    }
}

/// Format Unix seconds as ``yyyy-MM-ddTHH:mm:ssZ`` (UTC).
#[pyfunction]
#[pyo3(signature = (unix, /))]
pub(crate) fn format_created(unix: i64) -> PyResult<String> {
    sign::format_created(unix)
        .map(|c| c.as_str().to_owned())
        .or_raise()
}

/// Parse a ``Created`` time into Unix seconds (tolerates ``.SSS`` fractions,
/// ``+00:00`` and a missing ``Z``).
#[pyfunction]
#[pyo3(signature = (text, /))]
pub(crate) fn parse_created(text: &str) -> PyResult<i64> {
    sign::parse_created(text).or_raise()
}

/// A fresh nonce from the OS random source: 32 upper-case hex digits.
#[pyfunction]
pub(crate) fn generate_nonce() -> PyResult<String> {
    sign::generate_nonce().or_raise()
}

/// The current time as Unix seconds, from the system clock.
#[pyfunction]
pub(crate) fn unix_now() -> PyResult<i64> {
    sign::unix_now().or_raise()
}
