//! Phone numbers: `Number`, `NumberClass`, `Field`, `parse_number`,
//! `parse_numbers`, `check_field`.

use privnum::number::{self, DEFAULT_COUNTRY_CODE, ParseOptions};
use privnum::{Error, Field, Number, NumberClass};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyList, PyString, PyTuple, PyType};

use crate::args;
use crate::errors::{CoreError, OrRaise, invalid_argument};

/// The canonical (class attribute) instance of a simple-enum member, so that
/// `number.number_class is NumberClass.MOBILE` holds as with `enum.Enum`.
fn member<'py, T>(
    py: Python<'py>,
    cache: &'static PyOnceLock<Vec<Py<T>>>,
    value: T,
) -> PyResult<Bound<'py, T>>
where
    T: pyo3::PyClass<Frozen = pyo3::pyclass::boolean_struct::True>
        + Into<PyClassInitializer<T>>
        + PartialEq
        + Sync,
{
    let members = cache.get_or_try_init(py, || -> PyResult<Vec<Py<T>>> {
        let mut out = Vec::new();
        let values = py
            .get_type::<T>()
            .getattr("__dict__")?
            .call_method0("values")?;
        for v in values.try_iter()? {
            if let Ok(m) = v?.cast_into::<T>() {
                out.push(m.unbind());
            }
        }
        Ok(out)
    })?;
    match members.iter().find(|m| *m.get() == value) {
        Some(m) => Ok(m.bind(py).clone()),
        None => Bound::new(py, value),
    }
}

/// What kind of number this is (``Number.number_class``).
///
/// ``.value`` (and ``str()``) is the name used by the test vectors and the
/// other bindings: ``"mobile"``, ``"virtual_operator"``, ``"fixed_line"``,
/// ``"service"`` or ``"international"``.
#[pyclass(
    module = "privnum",
    name = "NumberClass",
    frozen,
    eq,
    hash,
    rename_all = "SCREAMING_SNAKE_CASE"
)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum PyNumberClass {
    /// A mainland-China mobile number of a network operator (13x-19x).
    Mobile = 1,
    /// A mainland-China mobile number in a virtual-operator range (162, 165, 167, 170, 171).
    VirtualOperator = 2,
    /// A mainland-China fixed line: area code plus local number.
    FixedLine = 3,
    /// A mainland-China service number (400/800, 95xxx, …); never bindable.
    Service = 4,
    /// A number of another country.
    International = 5,
}

static NUMBER_CLASS_MEMBERS: PyOnceLock<Vec<Py<PyNumberClass>>> = PyOnceLock::new();

impl PyNumberClass {
    fn core(self) -> NumberClass {
        match self {
            Self::Mobile => NumberClass::Mobile,
            Self::VirtualOperator => NumberClass::VirtualOperator,
            Self::FixedLine => NumberClass::FixedLine,
            Self::Service => NumberClass::Service,
            Self::International => NumberClass::International,
        }
    }

    fn from_core(class: NumberClass) -> PyResult<Self> {
        Ok(match class {
            NumberClass::Mobile => Self::Mobile,
            NumberClass::VirtualOperator => Self::VirtualOperator,
            NumberClass::FixedLine => Self::FixedLine,
            NumberClass::Service => Self::Service,
            NumberClass::International => Self::International,
            other => {
                return Err(invalid_argument(format!(
                    "number class {other} is not known to this version of the Python binding"
                )));
            }
        })
    }
}

#[pymethods]
impl PyNumberClass {
    /// The class's name: ``"mobile"``, ``"virtual_operator"``, ….
    #[getter]
    fn value(&self) -> &'static str {
        self.core().name()
    }

    fn __str__(&self) -> &'static str {
        self.core().name()
    }
}

/// An API field with documented length bounds.
///
/// ``field.field_name`` is the platform's name (``"axb.callerNum"``),
/// ``field.bounds`` its ``(min, max)`` length in characters.
#[pyclass(
    module = "privnum",
    name = "Field",
    frozen,
    eq,
    hash,
    rename_all = "SCREAMING_SNAKE_CASE"
)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum PyField {
    /// AXB bind/modify `callerNum` (A).
    AxbCallerNum = 1,
    /// AXB bind/modify `calleeNum` (B).
    AxbCalleeNum = 2,
    /// AXB `relationNum` (X).
    AxbRelationNum = 3,
    /// AXB query `callerNum` / `calleeNum` filters.
    AxbQueryPartyNum = 4,
    /// AX `origNum` (A).
    AxOrigNum = 5,
    /// AX `privateNum` (X).
    AxPrivateNum = 6,
    /// AX temporary callee `origNum`.
    AxTempCalleeOrigNum = 7,
    /// AXE `bindNum` (A).
    AxeBindNum = 8,
    /// AXE `virtualNum` (X).
    AxeVirtualNum = 9,
    /// AXE `callbackNum`.
    AxeCallbackNum = 10,
    /// AXE `extendNum`.
    AxeExtendNum = 11,
    /// AXYB `origNum`.
    AxybOrigNum = 12,
    /// AXYB `app_key` query parameter.
    AxybAppKey = 13,
    /// X-mode reply `connectInfo.calleeNum`.
    XCalleeNum = 14,
    /// X-mode reply `connectInfo.displayCalleeNum`.
    XDisplayCalleeNum = 15,
    /// SMS Block reply `message.called` / `message.calling`.
    SmsMessageNum = 16,
    /// VoiceCall `displayNbr`.
    VoiceDisplayNbr = 17,
    /// VoiceCall `calleeNbr`.
    VoiceCalleeNbr = 18,
    /// VoiceCall `verifyCode`.
    VoiceVerifyCode = 19,
    /// `subscriptionId` of every mode.
    SubscriptionId = 20,
    /// `userData`.
    UserData = 21,
    /// `sessionId`.
    SessionId = 22,
    /// Audio file names.
    ToneFile = 23,
    /// Recording download `fileName`.
    RecordFileName = 24,
    /// Recording download `recordDomain`.
    RecordDomain = 25,
    /// `areaCode` of AXB bind.
    AreaCode = 26,
    /// X-AKSK / X-WSSE `Nonce`.
    Nonce = 27,
}

impl PyField {
    fn core(self) -> Field {
        match self {
            Self::AxbCallerNum => Field::AxbCallerNum,
            Self::AxbCalleeNum => Field::AxbCalleeNum,
            Self::AxbRelationNum => Field::AxbRelationNum,
            Self::AxbQueryPartyNum => Field::AxbQueryPartyNum,
            Self::AxOrigNum => Field::AxOrigNum,
            Self::AxPrivateNum => Field::AxPrivateNum,
            Self::AxTempCalleeOrigNum => Field::AxTempCalleeOrigNum,
            Self::AxeBindNum => Field::AxeBindNum,
            Self::AxeVirtualNum => Field::AxeVirtualNum,
            Self::AxeCallbackNum => Field::AxeCallbackNum,
            Self::AxeExtendNum => Field::AxeExtendNum,
            Self::AxybOrigNum => Field::AxybOrigNum,
            Self::AxybAppKey => Field::AxybAppKey,
            Self::XCalleeNum => Field::XCalleeNum,
            Self::XDisplayCalleeNum => Field::XDisplayCalleeNum,
            Self::SmsMessageNum => Field::SmsMessageNum,
            Self::VoiceDisplayNbr => Field::VoiceDisplayNbr,
            Self::VoiceCalleeNbr => Field::VoiceCalleeNbr,
            Self::VoiceVerifyCode => Field::VoiceVerifyCode,
            Self::SubscriptionId => Field::SubscriptionId,
            Self::UserData => Field::UserData,
            Self::SessionId => Field::SessionId,
            Self::ToneFile => Field::ToneFile,
            Self::RecordFileName => Field::RecordFileName,
            Self::RecordDomain => Field::RecordDomain,
            Self::AreaCode => Field::AreaCode,
            Self::Nonce => Field::Nonce,
        }
    }

    const ALL: [Self; 27] = [
        Self::AxbCallerNum,
        Self::AxbCalleeNum,
        Self::AxbRelationNum,
        Self::AxbQueryPartyNum,
        Self::AxOrigNum,
        Self::AxPrivateNum,
        Self::AxTempCalleeOrigNum,
        Self::AxeBindNum,
        Self::AxeVirtualNum,
        Self::AxeCallbackNum,
        Self::AxeExtendNum,
        Self::AxybOrigNum,
        Self::AxybAppKey,
        Self::XCalleeNum,
        Self::XDisplayCalleeNum,
        Self::SmsMessageNum,
        Self::VoiceDisplayNbr,
        Self::VoiceCalleeNbr,
        Self::VoiceVerifyCode,
        Self::SubscriptionId,
        Self::UserData,
        Self::SessionId,
        Self::ToneFile,
        Self::RecordFileName,
        Self::RecordDomain,
        Self::AreaCode,
        Self::Nonce,
    ];

    fn from_core(field: Field) -> PyResult<Self> {
        Self::ALL
            .into_iter()
            .find(|f| f.core() == field)
            .ok_or_else(|| {
                invalid_argument(format!(
                    "field {} is not known to this version of the Python binding",
                    field.name()
                ))
            })
    }
}

static FIELD_MEMBERS: PyOnceLock<Vec<Py<PyField>>> = PyOnceLock::new();

#[pymethods]
impl PyField {
    /// The platform's name of the field, e.g. ``"axb.callerNum"``.
    #[getter]
    fn field_name(&self) -> &'static str {
        self.core().name()
    }

    /// The documented length bounds ``(min, max)`` in characters.
    #[getter]
    fn bounds(&self) -> (usize, usize) {
        self.core().bounds()
    }

    /// The field with this platform name (``"axb.callerNum"``); raises
    /// ``InvalidArgumentError`` for an unknown name.
    #[classmethod]
    fn from_name<'py>(cls: &Bound<'py, PyType>, name: &str) -> PyResult<Bound<'py, Self>> {
        let field = Field::from_name(name)
            .ok_or_else(|| invalid_argument(format!("unknown field name {name:?}")))?;
        member(cls.py(), &FIELD_MEMBERS, Self::from_core(field)?)
    }
}

/// A `Field`, or a field's platform name.
#[derive(Debug)]
pub(crate) struct FieldArg(Field);

impl<'a, 'py> FromPyObject<'a, 'py> for FieldArg {
    type Error = PyErr;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        if let Ok(f) = obj.cast::<PyField>() {
            return Ok(Self(f.get().core()));
        }
        if let Ok(s) = obj.cast::<PyString>() {
            let name = s.to_str()?;
            return Field::from_name(name)
                .map(Self)
                .ok_or_else(|| invalid_argument(format!("unknown field name {name:?}")));
        }
        Err(pyo3::exceptions::PyTypeError::new_err(format!(
            "field must be a privnum.Field or a field name (str), not {}",
            obj.get_type().name()?
        )))
    }
}

/// A validated phone number in global (E.164) form.
///
/// ``repr()`` and ``str()`` show the **masked** form (``+86138****0021``) so
/// numbers do not leak into logs; use ``.e164`` for the real number.
#[pyclass(module = "privnum", name = "Number", frozen, eq, hash)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct PyNumber(pub(crate) Number);

#[pymethods]
impl PyNumber {
    /// The full number in E.164 form, e.g. ``"+8613800000021"``.
    #[getter]
    fn e164<'py>(&self, py: Python<'py>) -> Bound<'py, PyString> {
        PyString::new(py, &self.0.e164())
    }

    /// The E.164 form escaped for a URL query: ``"%2B8613800000021"``.
    #[getter]
    fn query<'py>(&self, py: Python<'py>) -> Bound<'py, PyString> {
        PyString::new(py, &self.0.query())
    }

    /// A form safe for logs: ``"+86138****0021"``.
    #[getter]
    fn masked<'py>(&self, py: Python<'py>) -> Bound<'py, PyString> {
        PyString::new(py, &self.0.masked())
    }

    /// The number as dialled inside its country (fixed lines with the trunk 0).
    #[getter]
    fn national<'py>(&self, py: Python<'py>) -> Bound<'py, PyString> {
        PyString::new(py, &self.0.national())
    }

    /// The national significant number (no country code, no trunk prefix).
    #[getter]
    fn national_significant<'py>(&self, py: Python<'py>) -> Bound<'py, PyString> {
        PyString::new(py, &self.0.national_significant())
    }

    /// The country calling code (86 for mainland China).
    #[getter]
    fn country_code(&self) -> u16 {
        self.0.country_code()
    }

    /// What kind of number this is.
    #[getter]
    fn number_class<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyNumberClass>> {
        member(
            py,
            &NUMBER_CLASS_MEMBERS,
            PyNumberClass::from_core(self.0.class())?,
        )
    }

    /// For a Chinese fixed line, its area code with the trunk 0 (``"0755"``); else ``None``.
    #[getter]
    fn area_code<'py>(&self, py: Python<'py>) -> Option<Bound<'py, PyString>> {
        self.0.area_code().map(|a| PyString::new(py, &a))
    }

    /// Whether the number may be a party of a binding (service numbers cannot).
    #[getter]
    fn is_bindable(&self) -> bool {
        self.0.is_bindable()
    }

    /// Whether the number may call a privacy number X (fixed lines and service numbers cannot).
    #[getter]
    fn can_call_x(&self) -> bool {
        self.0.can_call_x()
    }

    /// Check that the E.164 form fits ``field``'s length bounds; raises
    /// ``FieldOutOfBoundsError`` otherwise.
    fn check_field(&self, field: FieldArg) -> PyResult<()> {
        self.0.check_field(field.0).or_raise()
    }

    /// The packed 64-bit representation (stable within a release).
    #[pyo3(name = "to_bits")]
    fn bits(&self) -> u64 {
        self.0.to_bits()
    }

    /// Rebuild a number from ``to_bits()``; raises ``InvalidArgumentError`` for
    /// bits that no parse could have produced.
    #[classmethod]
    fn from_bits(_cls: &Bound<'_, PyType>, bits: u64) -> PyResult<Self> {
        Number::from_bits(bits).map(Self).or_raise()
    }

    fn __repr__(&self) -> String {
        format!(
            "Number('{}', class='{}')",
            self.0.masked(),
            self.0.class().name()
        )
    }

    fn __str__(&self) -> String {
        self.0.masked().as_str().to_owned()
    }

    /// Pickle support: rebuilt through ``Number.from_bits``.
    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let from_bits = slf.get_type().getattr("from_bits")?;
        let args = PyTuple::new(slf.py(), [slf.get().0.to_bits()])?;
        Ok((from_bits, args))
    }
}

/// A `Number`, or text parsed as one (default country 86); text that is not
/// a number raises the parser's `NumberError`.
#[derive(Debug)]
pub(crate) struct NumberArg(pub(crate) Number);

impl<'a, 'py> FromPyObject<'a, 'py> for NumberArg {
    type Error = PyErr;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        if let Ok(n) = obj.cast::<PyNumber>() {
            return Ok(Self(n.get().0));
        }
        if let Ok(s) = obj.cast::<PyString>() {
            return number::parse(s.to_str()?).map(Self).or_raise();
        }
        Err(pyo3::exceptions::PyTypeError::new_err(format!(
            "a number must be a privnum.Number or str, not {}",
            obj.get_type().name()?
        )))
    }
}

fn options(default_country: Option<u16>) -> ParseOptions {
    ParseOptions { default_country }
}

/// Parse what a person typed into a ``Number``.
///
/// ``default_country`` applies to national numbers (no ``+`` or ``00``);
/// ``None`` rejects them. Raises a ``NumberError`` subclass for bad input.
// GIL kept: one parse takes well under a microsecond, less than releasing
// and re-acquiring the GIL would cost.
#[pyfunction]
#[pyo3(
    signature = (text, /, *, default_country = Some(DEFAULT_COUNTRY_CODE)),
    text_signature = "(text, /, *, default_country=86)"
)]
pub(crate) fn parse_number(text: &str, default_country: Option<u16>) -> PyResult<PyNumber> {
    number::parse_with(text, options(default_country))
        .map(PyNumber)
        .or_raise()
}

/// Parse many numbers at once, with the GIL released while parsing.
///
/// Raises on the first bad item; the message starts with ``item <index>:``.
#[pyfunction]
#[pyo3(
    signature = (texts, /, *, default_country = Some(DEFAULT_COUNTRY_CODE)),
    text_signature = "(texts, /, *, default_country=86)"
)]
pub(crate) fn parse_numbers<'py>(
    py: Python<'py>,
    texts: &Bound<'py, PyAny>,
    default_country: Option<u16>,
) -> PyResult<Bound<'py, PyList>> {
    let texts: Vec<PyBackedStr> = args::texts(texts, "texts")?;
    let opts = options(default_country);
    // The batch is proportional to its size: parse without the GIL.
    let parsed = py.detach(|| {
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| {
                number::parse_with(t, opts)
                    .map_err(|e| Error::new(e.kind(), format!("item {i}: {}", e.message())))
            })
            .collect::<Result<Vec<Number>, Error>>()
    });
    let parsed = parsed.map_err(CoreError)?;
    PyList::new(py, parsed.into_iter().map(PyNumber))
}

/// Check that ``value`` fits ``field``'s length bounds; raises
/// ``FieldOutOfBoundsError`` otherwise.
// GIL kept: a length check of a value that fits an API field (at most a few
// hundred characters when it is valid).
#[pyfunction]
pub(crate) fn check_field(field: FieldArg, value: &str) -> PyResult<()> {
    field.0.check(value).or_raise()
}
