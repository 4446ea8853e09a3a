//! Argument conversion shared by several functions: `(name, value)` pairs from
//! mappings or iterables, and the names of enum-like string arguments.
//!
//! Text is taken as [`PyBackedStr`]: it borrows the Python `str`'s UTF-8 data
//! without copying, and is `Send`, so the core work can run with the GIL
//! released.

use privnum::sign::Scheme;
use privnum::sign::params::Encoding;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::{PyByteArray, PyBytes, PyList, PyString, PyTuple};

use crate::errors::invalid_argument;

/// One `(name, value)` pair of text.
pub(crate) type Pair = (PyBackedStr, PyBackedStr);

/// Borrow `pairs` as `(&str, &str)`, the shape the core takes.
pub(crate) fn as_refs(pairs: &[Pair]) -> Vec<(&str, &str)> {
    pairs.iter().map(|(k, v)| (&**k, &**v)).collect()
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map_or_else(|_| "?".to_owned(), |n| n.to_string())
}

fn is_bytes_like(obj: &Bound<'_, PyAny>) -> bool {
    obj.is_instance_of::<PyBytes>() || obj.is_instance_of::<PyByteArray>()
}

/// One text item of a collection: `str` only. Bytes are refused with a hint,
/// since their encoding is unknown.
fn text_item(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<PyBackedStr> {
    if let Ok(s) = obj.cast::<PyString>() {
        return PyBackedStr::try_from(s.clone());
    }
    let hint = if is_bytes_like(obj) {
        " (decode bytes first, e.g. raw ASGI headers with .decode('latin-1'))"
    } else {
        ""
    };
    Err(PyTypeError::new_err(format!(
        "{what} must be str, not {}{hint}",
        type_name(obj)
    )))
}

/// `(name, value)` pairs from a mapping (anything with `.items()`: `dict`,
/// werkzeug/Starlette/`email.message` headers, …; multi-value mappings yield
/// every pair) or from an iterable of 2-tuples or 2-lists.
pub(crate) fn pairs(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Vec<Pair>> {
    if obj.is_instance_of::<PyString>() || is_bytes_like(obj) {
        return Err(PyTypeError::new_err(format!(
            "{what} must be a mapping or an iterable of (name, value) pairs, not {}",
            type_name(obj)
        )));
    }
    let items = if obj.hasattr("items")? {
        obj.call_method0("items")?
    } else {
        obj.clone()
    };
    let mut out = Vec::new();
    for (i, item) in items.try_iter()?.enumerate() {
        let item = item?;
        let (name, value) = if let Ok(t) = item.cast::<PyTuple>() {
            if t.len() != 2 {
                return Err(not_a_pair(what, i, &item));
            }
            (t.get_item(0)?, t.get_item(1)?)
        } else if let Ok(l) = item.cast::<PyList>() {
            if l.len() != 2 {
                return Err(not_a_pair(what, i, &item));
            }
            (l.get_item(0)?, l.get_item(1)?)
        } else {
            return Err(not_a_pair(what, i, &item));
        };
        out.push((
            text_item(&name, &format!("{what}: the name of item {i}"))?,
            text_item(&value, &format!("{what}: the value of item {i}"))?,
        ));
    }
    Ok(out)
}

fn not_a_pair(what: &str, i: usize, item: &Bound<'_, PyAny>) -> PyErr {
    PyTypeError::new_err(format!(
        "{what}: item {i} must be a (name, value) pair, not {}",
        type_name(item)
    ))
}

/// Text items from an iterable of `str` (not a `str` itself).
pub(crate) fn texts(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Vec<PyBackedStr>> {
    if obj.is_instance_of::<PyString>() || is_bytes_like(obj) {
        return Err(PyTypeError::new_err(format!(
            "{what} must be an iterable of str, not {} (wrap a single number in a list)",
            type_name(obj)
        )));
    }
    let mut out = Vec::new();
    for (i, item) in obj.try_iter()?.enumerate() {
        out.push(text_item(&item?, &format!("{what}: item {i}"))?);
    }
    Ok(out)
}

/// `"aksk"` / `"wsse"` → [`Scheme`].
pub(crate) fn scheme(name: &str) -> PyResult<Scheme> {
    Scheme::from_name(name).ok_or_else(|| {
        invalid_argument(format!(
            "unknown scheme {name:?}: expected \"aksk\" or \"wsse\""
        ))
    })
}

/// `"rfc3986"` / `"form"` → [`Encoding`].
pub(crate) fn encoding(name: &str) -> PyResult<Encoding> {
    Encoding::from_name(name).ok_or_else(|| {
        invalid_argument(format!(
            "unknown encoding {name:?}: expected \"rfc3986\" or \"form\""
        ))
    })
}
