//! Sorted-parameter HMAC-SHA1 signatures: `ParamsProfile`, `ParamsVerifier`,
//! `ParamsVerified`, `sign_params`, `string_to_sign`, `encode_param`.
//!
//! GIL: the work is proportional to the parameters (sorting, percent-encoding
//! every name and value, one to four HMACs), so it runs with the GIL released
//! once the parameters have been borrowed from their Python strings.

use privnum::sign::VerifierConfig;
use privnum::sign::params::{self, ParamsVerified, ParamsVerifier, Profile};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString, PyType};

use crate::args;
use crate::errors::{OrRaise, invalid_argument};
use crate::sign::py_repr;

/// Below this many bytes of input, `encode_param` keeps the GIL: encoding
/// short text takes less time than releasing and re-acquiring it.
const ENCODE_DETACH_MIN_BYTES: usize = 4096;

/// Which reading of the sorted-parameter scheme to use.
///
/// Build one with ``ParamsProfile.rpc_v1(method)`` or
/// ``ParamsProfile.call_control()``, and adjust it with ``replace(...)``.
#[pyclass(module = "privnum", name = "ParamsProfile", frozen, eq, hash)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct PyParamsProfile(Profile);

#[pymethods]
impl PyParamsProfile {
    /// Alibaba RPC signature v1 for requests sent with ``method`` (``"GET"``, ``"POST"``).
    #[classmethod]
    fn rpc_v1(_cls: &Bound<'_, PyType>, method: &str) -> Self {
        Self(Profile::rpc_v1(method))
    }

    /// The X-mode call-control query, as documented (verification also
    /// tolerates the other encoding and key readings).
    #[classmethod]
    fn call_control(_cls: &Bound<'_, PyType>) -> Self {
        Self(Profile::call_control())
    }

    /// A copy with the given attributes changed (keyword arguments named like
    /// the attributes).
    #[pyo3(signature = (**changes))]
    fn replace(&self, changes: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let mut p = self.0.clone();
        let Some(changes) = changes else {
            return Ok(self.clone());
        };
        for (key, value) in changes.iter() {
            let key = key.cast::<PyString>()?.to_str()?;
            match key {
                "method" => p.method = value.extract()?,
                "encoding" => p.encoding = args::encoding(value.extract::<&str>()?)?,
                "key_ampersand" => p.key_ampersand = value.extract()?,
                "skip_empty" => p.skip_empty = value.extract()?,
                "signature_name" => p.signature_name = value.extract()?,
                "timestamp_name" => p.timestamp_name = value.extract()?,
                "nonce_name" => p.nonce_name = value.extract()?,
                "tolerant" => p.tolerant = value.extract()?,
                other => {
                    return Err(PyTypeError::new_err(format!(
                        "replace() got an unexpected keyword argument {other:?}"
                    )));
                }
            }
        }
        Ok(Self(p))
    }

    /// HTTP method of the ``METHOD&%2F&`` prefix, or ``None`` for no prefix.
    #[getter]
    fn method(&self) -> Option<&str> {
        self.0.method.as_deref()
    }

    /// The percent-encoding: ``"rfc3986"`` or ``"form"``.
    #[getter]
    fn encoding(&self) -> &'static str {
        self.0.encoding.name()
    }

    /// Whether ``&`` is appended to the secret to form the HMAC key.
    #[getter]
    fn key_ampersand(&self) -> bool {
        self.0.key_ampersand
    }

    /// Whether parameters with an empty value are left out.
    #[getter]
    fn skip_empty(&self) -> bool {
        self.0.skip_empty
    }

    /// Name of the signature parameter (excluded from signing).
    #[getter]
    fn signature_name(&self) -> &str {
        &self.0.signature_name
    }

    /// Name of the timestamp parameter used for freshness checks.
    #[getter]
    fn timestamp_name(&self) -> &str {
        &self.0.timestamp_name
    }

    /// Name of the nonce parameter used for replay checks.
    #[getter]
    fn nonce_name(&self) -> &str {
        &self.0.nonce_name
    }

    /// Whether verification also accepts the other encoding and key readings.
    #[getter]
    fn tolerant(&self) -> bool {
        self.0.tolerant
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let p = &self.0;
        let method = match &p.method {
            Some(m) => py_repr(py, m)?,
            None => "None".to_owned(),
        };
        let b = |v: bool| if v { "True" } else { "False" };
        Ok(format!(
            "ParamsProfile(method={method}, encoding='{}', key_ampersand={}, skip_empty={}, \
             signature_name={}, timestamp_name={}, nonce_name={}, tolerant={})",
            p.encoding.name(),
            b(p.key_ampersand),
            b(p.skip_empty),
            py_repr(py, &p.signature_name)?,
            py_repr(py, &p.timestamp_name)?,
            py_repr(py, &p.nonce_name)?,
            b(p.tolerant),
        ))
    }
}

/// A `ParamsProfile`, or the name of a preset: ``"call_control"``, or
/// ``"rpc_v1"`` (for ``GET``).
#[derive(Debug)]
pub(crate) struct ProfileArg(Profile);

impl ProfileArg {
    fn call_control() -> Self {
        Self(Profile::call_control())
    }
}

impl<'a, 'py> FromPyObject<'a, 'py> for ProfileArg {
    type Error = PyErr;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        if let Ok(p) = obj.cast::<PyParamsProfile>() {
            return Ok(Self(p.get().0.clone()));
        }
        if let Ok(s) = obj.cast::<PyString>() {
            return match s.to_str()? {
                "call_control" => Ok(Self(Profile::call_control())),
                "rpc_v1" => Ok(Self(Profile::rpc_v1("GET"))),
                other => Err(invalid_argument(format!(
                    "unknown profile {other:?}: expected \"call_control\", \"rpc_v1\" \
                     or a ParamsProfile"
                ))),
            };
        }
        Err(PyTypeError::new_err(format!(
            "profile must be a ParamsProfile or a preset name, not {}",
            obj.get_type().name()?
        )))
    }
}

/// The signature of ``params`` (Base64, not URL-encoded) under ``profile``.
/// ``params`` is a mapping or an iterable of ``(name, value)`` pairs.
#[pyfunction]
#[pyo3(
    signature = (params, /, secret, *, profile = ProfileArg::call_control()),
    text_signature = "(params, /, secret, *, profile='call_control')"
)]
pub(crate) fn sign_params(
    py: Python<'_>,
    params: &Bound<'_, PyAny>,
    secret: &str,
    profile: ProfileArg,
) -> PyResult<String> {
    let pairs = args::pairs(params, "params")?;
    py.detach(|| params::sign(&profile.0, secret, &args::as_refs(&pairs)))
        .or_raise()
}

/// The string that is signed for ``params`` under ``profile``.
#[pyfunction]
#[pyo3(
    signature = (params, /, *, profile = ProfileArg::call_control()),
    text_signature = "(params, /, *, profile='call_control')"
)]
pub(crate) fn string_to_sign(
    py: Python<'_>,
    params: &Bound<'_, PyAny>,
    profile: ProfileArg,
) -> PyResult<String> {
    let pairs = args::pairs(params, "params")?;
    py.detach(|| params::string_to_sign(&profile.0, &args::as_refs(&pairs)))
        .or_raise()
}

/// Percent-encode ``text``: ``"rfc3986"`` keeps ``A-Z a-z 0-9 - _ . ~`` and
/// writes space as ``%20``; ``"form"`` keeps ``A-Z a-z 0-9 - _ . *`` and writes
/// space as ``+``.
#[pyfunction]
#[pyo3(signature = (text, /, *, encoding = "rfc3986"))]
pub(crate) fn encode_param(py: Python<'_>, text: &str, encoding: &str) -> PyResult<String> {
    let encoding = args::encoding(encoding)?;
    if text.len() < ENCODE_DETACH_MIN_BYTES {
        Ok(params::encode(text, encoding))
    } else {
        Ok(py.detach(|| params::encode(text, encoding)))
    }
}

/// Verifies sorted-parameter signatures, with freshness and replay checks on
/// the profile's timestamp and nonce parameters. Thread-safe.
#[pyclass(module = "privnum", name = "ParamsVerifier", frozen)]
#[derive(Debug)]
pub(crate) struct PyParamsVerifier {
    pub(crate) inner: ParamsVerifier,
    profile: Profile,
    config: VerifierConfig,
}

#[pymethods]
impl PyParamsVerifier {
    /// Defaults as for ``Verifier``: timestamps up to 6 h old and 5 min ahead,
    /// 100 000 nonces remembered.
    #[new]
    #[pyo3(signature = (
        profile,
        secret,
        *,
        max_age_secs = VerifierConfig::default().max_age_secs,
        max_future_secs = VerifierConfig::default().max_future_secs,
        replay_capacity = VerifierConfig::default().replay_capacity,
    ))]
    #[pyo3(
        text_signature = "(profile, secret, *, max_age_secs=21600, max_future_secs=300, \
                             replay_capacity=100000)"
    )]
    fn new(
        profile: ProfileArg,
        secret: &str,
        max_age_secs: u32,
        max_future_secs: u32,
        replay_capacity: usize,
    ) -> PyResult<Self> {
        let config = VerifierConfig {
            max_age_secs,
            max_future_secs,
            replay_capacity,
            ..VerifierConfig::default()
        };
        Ok(Self {
            inner: ParamsVerifier::new(profile.0.clone(), secret, config).or_raise()?,
            profile: profile.0,
            config,
        })
    }

    /// The configured profile.
    #[getter]
    fn profile(&self) -> PyParamsProfile {
        PyParamsProfile(self.profile.clone())
    }

    /// Verify a request's parameters (the signature among them) at ``now``
    /// (Unix seconds; ``None``: the system clock). Raises an ``AuthError``
    /// subclass.
    #[pyo3(signature = (params, /, *, now = None))]
    fn verify(
        &self,
        py: Python<'_>,
        params: &Bound<'_, PyAny>,
        now: Option<i64>,
    ) -> PyResult<PyParamsVerified> {
        let pairs = args::pairs(params, "params")?;
        let now = match now {
            Some(t) => t,
            None => privnum::sign::unix_now().or_raise()?,
        };
        py.detach(|| self.inner.verify(&args::as_refs(&pairs), now))
            .map(PyParamsVerified)
            .or_raise()
    }

    /// Forget an accepted nonce so that a redelivery is accepted again.
    fn forget(&self, nonce: &str) {
        self.inner.forget(nonce);
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let c = &self.config;
        Ok(format!(
            "ParamsVerifier(profile={}, secret=<redacted>, max_age_secs={}, max_future_secs={}, \
             replay_capacity={})",
            PyParamsProfile(self.profile.clone()).__repr__(py)?,
            c.max_age_secs,
            c.max_future_secs,
            c.replay_capacity,
        ))
    }
}

/// A successful sorted-parameter verification.
#[pyclass(module = "privnum", name = "ParamsVerified", frozen, eq)]
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct PyParamsVerified(pub(crate) ParamsVerified);

#[pymethods]
impl PyParamsVerified {
    /// The reading that matched (differs from the configured profile only for
    /// a tolerant one).
    #[getter]
    fn profile(&self) -> PyParamsProfile {
        PyParamsProfile(self.0.profile.clone())
    }

    /// The encoding of the reading that matched: ``"rfc3986"`` or ``"form"``.
    #[getter]
    fn encoding(&self) -> &'static str {
        self.0.profile.encoding.name()
    }

    /// Whether the reading that matched appends ``&`` to the key.
    #[getter]
    fn key_ampersand(&self) -> bool {
        self.0.profile.key_ampersand
    }

    /// The request's timestamp as Unix seconds, when it carried one.
    #[getter]
    fn timestamp(&self) -> Option<i64> {
        self.0.timestamp
    }

    fn __repr__(&self) -> String {
        let ts = self
            .0
            .timestamp
            .map_or_else(|| "None".to_owned(), |t| t.to_string());
        format!(
            "ParamsVerified(encoding='{}', key_ampersand={}, timestamp={ts})",
            self.0.profile.encoding.name(),
            if self.0.profile.key_ampersand {
                "True"
            } else {
                "False"
            },
        )
    }
}
