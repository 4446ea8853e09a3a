//! Billed SMS segments: `count_sms_segments` and `SmsSegments`.
//!
//! GIL: kept for short texts (counting one SMS takes well under a
//! microsecond); released for texts of at least [`DETACH_MIN_TEXT`] bytes.

use std::hash::{Hash, Hasher};

use privnum::callback::segments::{SegmentCount, count_segments, count_segments_ax};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use super::DETACH_MIN_TEXT;
use crate::number::NumberArg;

/// How a text is sent: its encoding and the segments (billed messages) it needs.
#[pyclass(module = "privnum", name = "SmsSegments", frozen, eq, hash)]
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PySmsSegments(SegmentCount);

impl Hash for PySmsSegments {
    fn hash<H: Hasher>(&self, state: &mut H) {
        let c = &self.0;
        (c.encoding, c.segments, c.units, c.per_segment, c.remaining).hash(state);
    }
}

#[pymethods]
impl PySmsSegments {
    /// ``"gsm7"`` or ``"ucs2"``.
    #[getter]
    fn encoding(&self) -> &'static str {
        self.0.encoding.name()
    }

    /// The number of segments; at least 1.
    #[getter]
    fn segments(&self) -> u32 {
        self.0.segments
    }

    /// The size of the text: septets (GSM-7) or UTF-16 code units (UCS-2).
    #[getter]
    fn units(&self) -> u32 {
        self.0.units
    }

    /// The capacity of a segment for this message: 160/70 single, 153/67 concatenated.
    #[getter]
    fn per_segment(&self) -> u32 {
        self.0.per_segment
    }

    /// Units still free in the last segment.
    #[getter]
    fn remaining(&self) -> u32 {
        self.0.remaining
    }

    /// ``{"encoding": ..., "segments": ..., "units": ..., "per_segment": ..., "remaining": ...}``.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item(intern!(py, "encoding"), self.encoding())?;
        d.set_item(intern!(py, "segments"), self.0.segments)?;
        d.set_item(intern!(py, "units"), self.0.units)?;
        d.set_item(intern!(py, "per_segment"), self.0.per_segment)?;
        d.set_item(intern!(py, "remaining"), self.0.remaining)?;
        Ok(d)
    }

    fn __repr__(&self) -> String {
        let c = &self.0;
        format!(
            "SmsSegments(encoding='{}', segments={}, units={}, per_segment={}, remaining={})",
            c.encoding.name(),
            c.segments,
            c.units,
            c.per_segment,
            c.remaining
        )
    }
}

/// How many billed segments ``text`` is sent in (GSM-7 when every character
/// is in the GSM 03.38 default alphabet, else UCS-2).
///
/// With ``ax_b_number`` (a ``Number``, or text parsed as one), count an AX
/// message from A to X as A's handset sends it: ``text + "@" + B`` in E.164
/// form. Pass the text without the suffix.
#[pyfunction]
#[pyo3(signature = (text, *, ax_b_number = None))]
pub(crate) fn count_sms_segments(
    py: Python<'_>,
    text: &str,
    ax_b_number: Option<NumberArg>,
) -> PySmsSegments {
    let count = || match &ax_b_number {
        Some(b) => count_segments_ax(text, &b.0),
        None => count_segments(text),
    };
    PySmsSegments(if text.len() >= DETACH_MIN_TEXT {
        py.detach(count)
    } else {
        count()
    })
}

/// What the end of an AX-mode SMS from A says about its real receiver: A must
/// end the text with ``@`` and B's number. ``result`` is ``"valid"``
/// (``receiver`` and the ``text`` before the ``@``), ``"missing"`` (no ``@``)
/// or ``"garbled"`` (``suffix``: what follows the last ``@``). The platform asks
/// the customer in Block mode when it is missing or garbled.
#[pyclass(module = "privnum", name = "AxSuffix", frozen)]
#[derive(Clone, Debug)]
pub(crate) struct PyAxSuffix {
    result: &'static str,
    receiver: Option<privnum::Number>,
    text: Option<String>,
    suffix: Option<String>,
}

#[pymethods]
impl PyAxSuffix {
    /// ``"valid"``, ``"missing"`` or ``"garbled"``.
    #[getter]
    fn result(&self) -> &'static str {
        self.result
    }

    /// B, for a valid suffix.
    #[getter]
    fn receiver(&self) -> Option<crate::number::PyNumber> {
        self.receiver.map(crate::number::PyNumber)
    }

    /// The message without the suffix, for a valid suffix.
    #[getter]
    fn text(&self) -> Option<&str> {
        self.text.as_deref()
    }

    /// What follows the last ``@``, for a garbled suffix.
    #[getter]
    fn suffix(&self) -> Option<&str> {
        self.suffix.as_deref()
    }

    fn __repr__(&self) -> String {
        match self.receiver {
            Some(n) => format!("AxSuffix(result='valid', receiver='{}')", n.masked()),
            None => format!("AxSuffix(result='{}')", self.result),
        }
    }
}

/// Read the AX-mode ``@<B number>`` suffix of an SMS text.
#[pyfunction]
#[pyo3(signature = (text, /))]
pub(crate) fn ax_suffix(text: &str) -> PyAxSuffix {
    use privnum::callback::AxSuffix;
    match privnum::callback::ax_suffix(text) {
        AxSuffix::Valid { receiver, text } => PyAxSuffix {
            result: "valid",
            receiver: Some(receiver),
            text: Some(text.to_owned()),
            suffix: None,
        },
        AxSuffix::Garbled { suffix } => PyAxSuffix {
            result: "garbled",
            receiver: None,
            text: None,
            suffix: Some(suffix.to_owned()),
        },
        _ => PyAxSuffix {
            result: "missing",
            receiver: None,
            text: None,
            suffix: None,
        },
    }
}
