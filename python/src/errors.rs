//! The exception classes, and the one place where a core [`privnum::Error`]
//! becomes a Python exception.
//!
//! The classes are built at import time from [`ErrorKind::ALL`], so every kind
//! the core knows has a class, with the core's code, name and description:
//!
//! ```text
//! PrivnumError(Exception)                      .code / .kind on every concrete class
//! ├── NumberError(PrivnumError, ValueError)    kinds 100-199: NUMBER_*, FIELD_*
//! ├── SigningError(PrivnumError, ValueError)   kinds 200-249: INVALID_APP_KEY, …
//! ├── AuthError(PrivnumError)                  kinds 250-299: AUTH_*
//! ├── PushError(PrivnumError, ValueError)      kinds 300-349: PUSH_*, REPLY_*
//! ├── EngineError(PrivnumError)                kinds 400-449: the binding engine
//! │   ├── InvalidCommandError                  (also ValueError)
//! │   └── JournalIoError                       (also OSError)
//! ├── PlatformError(PrivnumError)              kinds 500-549: PLATFORM_*, RESPONSE_INVALID,
//! │   │                                        TRANSPORT_*, OUTCOME_UNKNOWN
//! │   ├── TransportNotSentError                (also ConnectionError)
//! │   └── TransportNoResponseError             (also ConnectionError)
//! ├── InvalidUtf8Error, InvalidArgumentError   (also ValueError)
//! └── NullParameterError, PanicError, InsufficientSizeError, RandomUnavailableError
//! ```
//!
//! Class names are the kind's name in PascalCase plus `Error`
//! (`NUMBER_EMPTY` → `NumberEmptyError`). The grouping follows the number
//! ranges documented in `privnum::error`.
//!
//! Every exception also has `.platform_code` (the platform `resultcode` the
//! platform answers the same request with, e.g. `"1012010"` for a rule
//! violation) and `.field` (the request field at fault, wire name, e.g.
//! `"calleeNum"`), and `.http_status` (the HTTP status of the platform
//! response the error was read from, an `int`): class attributes `None` on
//! `PrivnumError`, set on the instance when the core names them.

use privnum::{Error, ErrorKind};
use pyo3::exceptions::{PyConnectionError, PyException, PyOSError, PySystemError, PyValueError};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyTuple, PyType};

/// The module the classes claim to live in (the public package).
const PUBLIC_MODULE: &str = "privnum";

/// Every exception class, created once per process.
struct Classes {
    /// `(class name, class)` of the base and the groups, for the module.
    bases: Vec<(&'static str, Py<PyType>)>,
    /// One class per kind, in [`ErrorKind::ALL`] order.
    kinds: Vec<(ErrorKind, String, Py<PyType>)>,
}

static CLASSES: PyOnceLock<Classes> = PyOnceLock::new();

/// The group a kind belongs to, from the documented number ranges.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Group {
    General,
    Number,
    Signing,
    Auth,
    Push,
    Engine,
    Platform,
}

fn group(kind: ErrorKind) -> Group {
    match kind.code() {
        100..=199 => Group::Number,
        200..=249 => Group::Signing,
        250..=299 => Group::Auth,
        300..=349 => Group::Push,
        400..=449 => Group::Engine,
        500..=549 => Group::Platform,
        _ => Group::General,
    }
}

/// `NUMBER_EMPTY` → `NumberEmptyError`.
fn class_name(kind_name: &str) -> String {
    let mut out = String::with_capacity(kind_name.len() + 5);
    for word in kind_name.split('_').filter(|w| !w.is_empty()) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars.map(|c| c.to_ascii_lowercase()));
        }
    }
    out.push_str("Error");
    out
}

/// `type(name, bases, {...})`: a new exception class in the public module.
fn new_class<'py>(
    py: Python<'py>,
    name: &str,
    bases: &[Bound<'py, PyType>],
    doc: &str,
    kind: Option<ErrorKind>,
) -> PyResult<Bound<'py, PyType>> {
    let dict = PyDict::new(py);
    dict.set_item("__module__", PUBLIC_MODULE)?;
    dict.set_item("__doc__", doc)?;
    if let Some(kind) = kind {
        dict.set_item("code", kind.code())?;
        dict.set_item("kind", kind.name())?;
    }
    let bases = PyTuple::new(py, bases)?;
    py.get_type::<PyType>()
        .call1((name, bases, dict))?
        .cast_into::<PyType>()
        .map_err(PyErr::from)
}

fn create(py: Python<'_>) -> PyResult<Classes> {
    let exception = py.get_type::<PyException>();
    let value_error = py.get_type::<PyValueError>();
    let base = new_class(
        py,
        "PrivnumError",
        std::slice::from_ref(&exception),
        "Base class of every error privnum raises.\n\n\
         Each concrete subclass stands for one privnum error kind and has the class \
         attributes ``code`` (the kind's stable number, the same as the C constant \
         ``PRIVNUM_RESULT_<KIND>``) and ``kind`` (its name, e.g. ``\"NUMBER_EMPTY\"``). \
         ``str(error)`` is the specific message. ``platform_code`` is the platform \
         ``resultcode`` that goes with the error (e.g. ``\"1012010\"`` for a binding \
         rule violation) and ``field`` the request field at fault (wire name, e.g. \
         ``\"calleeNum\"``); ``http_status`` is the HTTP status (an ``int``) of the \
         platform response the error was read from. Each is ``None`` when the error \
         has none.",
        None,
    )?;
    // Defaults for what only some errors carry (set on the instance when known).
    base.setattr("platform_code", py.None())?;
    base.setattr("field", py.None())?;
    base.setattr("http_status", py.None())?;
    let number = new_class(
        py,
        "NumberError",
        &[base.clone(), value_error.clone()],
        "A phone number or API field value is not acceptable (kinds NUMBER_* and FIELD_*).",
        None,
    )?;
    let signing = new_class(
        py,
        "SigningError",
        &[base.clone(), value_error.clone()],
        "A signature cannot be produced from these inputs (bad app key, secret, \
         nonce, Created time or parameters).",
        None,
    )?;
    let auth = new_class(
        py,
        "AuthError",
        std::slice::from_ref(&base),
        "An inbound request failed verification (kinds AUTH_*).",
        None,
    )?;
    let push = new_class(
        py,
        "PushError",
        &[base.clone(), value_error.clone()],
        "A push from the platform cannot be read, or a Block-mode reply has a value \
         the platform would refuse (kinds PUSH_* and REPLY_*).",
        None,
    )?;
    let engine = new_class(
        py,
        "EngineError",
        std::slice::from_ref(&base),
        "The binding engine refuses an operation or cannot keep its state (kinds 400-449: \
         RULE_VIOLATION, BINDING_NOT_FOUND, INVALID_TRANSITION, POOL_EXHAUSTED, \
         BINDING_EXISTS, JOURNAL_IO, JOURNAL_CORRUPT, INVALID_COMMAND).",
        None,
    )?;
    let platform = new_class(
        py,
        "PlatformError",
        std::slice::from_ref(&base),
        "The platform refused a request, its response cannot be read, or it could not be \
         sent (kinds 500-549: PLATFORM_*, RESPONSE_INVALID, TRANSPORT_NOT_SENT, \
         TRANSPORT_NO_RESPONSE, OUTCOME_UNKNOWN). ``platform_code`` is the platform's \
         ``resultcode`` and ``http_status`` the response's HTTP status, when known.",
        None,
    )?;
    let os_error = py.get_type::<PyOSError>();
    let connection_error = py.get_type::<PyConnectionError>();
    let mut kinds = Vec::with_capacity(ErrorKind::ALL.len());
    for &kind in ErrorKind::ALL {
        let parents = match group(kind) {
            Group::Number => vec![number.clone()],
            Group::Signing => vec![signing.clone()],
            Group::Auth => vec![auth.clone()],
            Group::Push => vec![push.clone()],
            Group::Engine if kind == ErrorKind::InvalidCommand => {
                vec![engine.clone(), value_error.clone()]
            }
            Group::Engine if kind == ErrorKind::JournalIo => {
                vec![engine.clone(), os_error.clone()]
            }
            Group::Engine => vec![engine.clone()],
            Group::Platform
                if matches!(
                    kind,
                    ErrorKind::TransportNotSent | ErrorKind::TransportNoResponse
                ) =>
            {
                vec![platform.clone(), connection_error.clone()]
            }
            Group::Platform => vec![platform.clone()],
            Group::General
                if matches!(kind, ErrorKind::InvalidUtf8 | ErrorKind::InvalidArgument) =>
            {
                vec![base.clone(), value_error.clone()]
            }
            Group::General => vec![base.clone()],
        };
        let name = class_name(kind.name());
        let doc = format!(
            "{} (kind {}, code {}).",
            kind.description(),
            kind.name(),
            kind.code()
        );
        let class = new_class(py, &name, &parents, &doc, Some(kind))?;
        kinds.push((kind, name, class.unbind()));
    }
    Ok(Classes {
        bases: vec![
            ("PrivnumError", base.unbind()),
            ("NumberError", number.unbind()),
            ("SigningError", signing.unbind()),
            ("AuthError", auth.unbind()),
            ("PushError", push.unbind()),
            ("EngineError", engine.unbind()),
            ("PlatformError", platform.unbind()),
        ],
        kinds,
    })
}

/// Create the classes (once) and add them to the module, with `ERROR_KINDS`
/// mapping each kind's name to its class.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    let classes = CLASSES.get_or_try_init(py, || create(py))?;
    for (name, class) in &classes.bases {
        m.add(*name, class.bind(py))?;
    }
    let table = PyDict::new(py);
    for (kind, name, class) in &classes.kinds {
        m.add(name.as_str(), class.bind(py))?;
        table.set_item(kind.name(), class.bind(py))?;
    }
    m.add("ERROR_KINDS", table)?;
    Ok(())
}

/// A core error on its way to Python. Converting it into a [`PyErr`] is the
/// only place where core errors become exceptions.
#[derive(Debug)]
pub(crate) struct CoreError(pub(crate) Error);

impl From<Error> for CoreError {
    fn from(e: Error) -> Self {
        Self(e)
    }
}

impl From<CoreError> for PyErr {
    /// The exception class of the error's kind, with the core's message,
    /// platform code, field and HTTP status.
    fn from(CoreError(e): CoreError) -> Self {
        raise_with_status(
            e.kind(),
            e.message(),
            e.platform_code(),
            e.field(),
            e.http_status(),
        )
    }
}

/// The exception for a core error given by its parts: the class of `kind`
/// with `message`, and `.platform_code` / `.field` set when given. Used by
/// [`CoreError`] and for errors the core answered as JSON (engine commands).
pub(crate) fn raise(
    kind: ErrorKind,
    message: &str,
    platform_code: Option<&str>,
    field: Option<&str>,
) -> PyErr {
    raise_with_status(kind, message, platform_code, field, None)
}

/// Like [`raise`], also setting `.http_status` when given (errors read from
/// a platform response).
pub(crate) fn raise_with_status(
    kind: ErrorKind,
    message: &str,
    platform_code: Option<&str>,
    field: Option<&str>,
    http_status: Option<u16>,
) -> PyErr {
    Python::attach(|py| {
        let class = CLASSES.get(py).and_then(|c| {
            c.kinds
                .iter()
                .find(|(k, _, _)| *k == kind)
                .map(|(_, _, class)| class.bind(py).clone())
        });
        let Some(class) = class else {
            // Unreachable once the module is initialised: every kind has a class.
            return PySystemError::new_err(format!("{}: {message}", kind.name()));
        };
        if platform_code.is_none() && field.is_none() && http_status.is_none() {
            // Lazy: nothing is built unless Python looks at the exception.
            return PyErr::from_type(class, message.to_owned());
        }
        let build = || -> PyResult<PyErr> {
            let exc = class.call1((message,))?;
            if let Some(code) = platform_code {
                exc.setattr(intern!(py, "platform_code"), code)?;
            }
            if let Some(field) = field {
                exc.setattr(intern!(py, "field"), field)?;
            }
            if let Some(status) = http_status {
                exc.setattr(intern!(py, "http_status"), status)?;
            }
            Ok(PyErr::from_value(exc))
        };
        build().unwrap_or_else(|e| e)
    })
}

/// `privnum::Result<T>` → `PyResult<T>`, through [`CoreError`].
pub(crate) trait OrRaise<T> {
    /// Turn a core error into its Python exception.
    fn or_raise(self) -> PyResult<T>;
}

impl<T> OrRaise<T> for privnum::Result<T> {
    #[inline]
    fn or_raise(self) -> PyResult<T> {
        self.map_err(|e| CoreError(e).into())
    }
}

/// A core error of kind `INVALID_ARGUMENT` (an unknown name for an enum-like
/// argument), raised as `InvalidArgumentError`.
pub(crate) fn invalid_argument(message: String) -> PyErr {
    CoreError(Error::new(ErrorKind::InvalidArgument, message)).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_names() {
        assert_eq!(class_name("NUMBER_EMPTY"), "NumberEmptyError");
        assert_eq!(class_name("AUTH_REPLAYED"), "AuthReplayedError");
        assert_eq!(class_name("INVALID_UTF8"), "InvalidUtf8Error");
        assert_eq!(class_name("PANIC"), "PanicError");
    }

    #[test]
    fn groups_follow_ranges() {
        assert_eq!(group(ErrorKind::NumberEmpty), Group::Number);
        assert_eq!(group(ErrorKind::FieldOutOfBounds), Group::Number);
        assert_eq!(group(ErrorKind::InvalidParameters), Group::Signing);
        assert_eq!(group(ErrorKind::AuthReplayed), Group::Auth);
        assert_eq!(group(ErrorKind::PushInvalidJson), Group::Push);
        assert_eq!(group(ErrorKind::ReplyInvalid), Group::Push);
        assert_eq!(group(ErrorKind::InvalidUtf8), Group::General);
        assert_eq!(group(ErrorKind::RuleViolation), Group::Engine);
        assert_eq!(group(ErrorKind::InvalidCommand), Group::Engine);
        assert_eq!(group(ErrorKind::PlatformRetry), Group::Platform);
        assert_eq!(group(ErrorKind::PlatformUnknown), Group::Platform);
        assert_eq!(group(ErrorKind::ResponseInvalid), Group::Platform);
        assert_eq!(group(ErrorKind::TransportNotSent), Group::Platform);
        assert_eq!(group(ErrorKind::OutcomeUnknown), Group::Platform);
    }
}
