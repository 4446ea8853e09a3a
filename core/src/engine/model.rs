//! The binding model shared by every mode: what a binding is, what a host
//! asks for, and the events the engine emits.
//!
//! One [`Binding`] type covers AX, AXB, AXE, AXYB and the customer-held
//! bindings of X mode; what differs between modes is its [`Shape`]. Times
//! are Unix seconds passed in by the caller (the engine never reads a clock).

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, ErrorKind, Result};
use crate::number::Number;

/// An application's mode (PN §0, §11). An engine holds the bindings of one
/// application, so it has exactly one mode; a request for another mode is
/// refused with 1010040, as the platform does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// A owns X; anyone calling X reaches A (PN §4).
    Ax,
    /// A and B talk through X (PN §3).
    Axb,
    /// A is reached through X plus an extension (PN §5).
    Axe,
    /// A owns X, B is bound to Y per AX relation (PN §6).
    Axyb,
    /// The platform stores nothing; the customer answers every call (PN §7).
    /// An X-mode engine holds pairs, owners and extensions of its own.
    X,
}

impl Mode {
    /// Every mode, in a fixed order (its stable number is the index).
    pub const ALL: [Self; 5] = [Self::Ax, Self::Axb, Self::Axe, Self::Axyb, Self::X];

    /// Lower-case name: `ax`, `axb`, `axe`, `axyb`, `x`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Ax => "ax",
            Self::Axb => "axb",
            Self::Axe => "axe",
            Self::Axyb => "axyb",
            Self::X => "x",
        }
    }

    /// Stable number (0 AX, 1 AXB, 2 AXE, 3 AXYB, 4 X), as used in C.
    #[must_use]
    pub const fn code(self) -> u32 {
        self as u32
    }

    /// The mode with this stable number.
    #[must_use]
    pub fn from_code(code: u32) -> Option<Self> {
        Self::ALL.get(code as usize).copied()
    }

    /// The mode with this name (case-insensitive).
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|m| m.name().eq_ignore_ascii_case(name))
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

// ---------------------------------------------------------------------------
// Binding ids
// ---------------------------------------------------------------------------

/// The longest binding id accepted (the platform's `subscriptionId` is
/// String(1-64), PN §3.1).
pub const MAX_ID_LEN: usize = 64;

/// A binding's id: the platform's `subscriptionId`, or a local
/// `pending-<n>` id while a bind request awaits the platform's answer.
///
/// Ids are opaque text of 1–64 printable ASCII characters. The UUID form the
/// platform uses is held in 16 bytes, others of up to 22 characters inline;
/// cloning never allocates for those.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct BindingId(IdRepr);

#[derive(Clone, PartialEq, Eq, Hash)]
enum IdRepr {
    Uuid { bytes: [u8; 16], upper: bool },
    Inline { len: u8, buf: [u8; 22] },
    Heap(Arc<str>),
}

fn hex_val(b: u8) -> Option<(u8, Option<bool>)> {
    match b {
        b'0'..=b'9' => Some((b - b'0', None)),
        b'a'..=b'f' => Some((b - b'a' + 10, Some(false))),
        b'A'..=b'F' => Some((b - b'A' + 10, Some(true))),
        _ => None,
    }
}

/// `8-4-4-4-12` hex with one consistent letter case.
fn parse_uuid(s: &[u8]) -> Option<([u8; 16], bool)> {
    if s.len() != 36 {
        return None;
    }
    let mut out = [0u8; 16];
    let mut upper: Option<bool> = None;
    let mut nibble = 0usize;
    for (i, &b) in s.iter().enumerate() {
        if matches!(i, 8 | 13 | 18 | 23) {
            if b != b'-' {
                return None;
            }
            continue;
        }
        let (v, case) = hex_val(b)?;
        if let Some(c) = case {
            if upper.is_some_and(|u| u != c) {
                return None;
            }
            upper = Some(c);
        }
        out[nibble / 2] |= if nibble % 2 == 0 { v << 4 } else { v };
        nibble += 1;
    }
    Some((out, upper.unwrap_or(false)))
}

impl BindingId {
    /// Check and wrap an id: 1–64 printable ASCII characters (space to `~`),
    /// else [`ErrorKind::InvalidArgument`].
    pub fn new(id: &str) -> Result<Self> {
        let bytes = id.as_bytes();
        if bytes.is_empty() || bytes.len() > MAX_ID_LEN {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                format!(
                    "a binding id must be 1-{MAX_ID_LEN} characters, got {}",
                    bytes.len()
                ),
            )
            .with_field("subscriptionId"));
        }
        if !bytes.iter().all(|b| (b' '..=b'~').contains(b)) {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                "a binding id must be printable ASCII",
            )
            .with_field("subscriptionId"));
        }
        if let Some((bytes, upper)) = parse_uuid(bytes) {
            return Ok(Self(IdRepr::Uuid { bytes, upper }));
        }
        if bytes.len() <= 22 {
            let mut buf = [0u8; 22];
            buf[..bytes.len()].copy_from_slice(bytes);
            return Ok(Self(IdRepr::Inline {
                len: bytes.len() as u8,
                buf,
            }));
        }
        Ok(Self(IdRepr::Heap(Arc::from(id))))
    }

    /// A UUID id from 16 random bytes (version-4 bits set), as the platform
    /// mints them. The engine uses this for binds it answers itself.
    #[must_use]
    pub fn from_random(mut bytes: [u8; 16]) -> Self {
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        Self(IdRepr::Uuid {
            bytes,
            upper: false,
        })
    }

    /// The local id of the `n`th pending bind request: `pending-<n>`.
    #[must_use]
    pub fn pending(n: u64) -> Self {
        let mut buf = [0u8; 22];
        let text = format!("pending-{n}");
        let len = text.len().min(22);
        buf[..len].copy_from_slice(&text.as_bytes()[..len]);
        Self(IdRepr::Inline {
            len: len as u8,
            buf,
        })
    }

    /// Whether this is a local `pending-<n>` id.
    #[must_use]
    pub fn is_pending(&self) -> bool {
        matches!(&self.0, IdRepr::Inline { len, buf } if buf[..usize::from(*len)].starts_with(b"pending-"))
    }

    /// The id as the engine stores it: a kind byte and 16 bytes (UUIDs,
    /// and texts of up to 16 bytes), or the text itself.
    pub(crate) fn key(&self) -> IdKey {
        match &self.0 {
            IdRepr::Uuid { bytes, upper } => IdKey::Packed(u8::from(*upper), *bytes),
            IdRepr::Inline { len, buf } if *len <= 16 => {
                let mut b = [0u8; 16];
                b[..usize::from(*len)].copy_from_slice(&buf[..usize::from(*len)]);
                IdKey::Packed(2 + len, b)
            }
            IdRepr::Inline { len, buf } => IdKey::Long(Arc::from(
                std::str::from_utf8(&buf[..usize::from(*len)]).unwrap_or(""),
            )),
            IdRepr::Heap(s) => IdKey::Long(Arc::clone(s)),
        }
    }

    /// The id back from [`BindingId::key`]'s packed form.
    pub(crate) fn from_packed(kind: u8, bytes: [u8; 16]) -> Self {
        match kind {
            0 | 1 => Self(IdRepr::Uuid {
                bytes,
                upper: kind == 1,
            }),
            _ => {
                let len = usize::from(kind.saturating_sub(2)).min(16);
                let mut buf = [0u8; 22];
                buf[..len].copy_from_slice(&bytes[..len]);
                Self(IdRepr::Inline {
                    len: len as u8,
                    buf,
                })
            }
        }
    }

    /// The id back from [`BindingId::key`]'s long form.
    pub(crate) fn from_long(s: &Arc<str>) -> Self {
        Self::new(s).unwrap_or_else(|_| Self(IdRepr::Heap(Arc::clone(s))))
    }

    /// The UUID form into `buf` (other forms leave it untouched).
    fn write_uuid(&self, buf: &mut [u8; 36]) {
        if let IdRepr::Uuid { bytes, upper } = &self.0 {
            let digits: &[u8; 16] = if *upper {
                b"0123456789ABCDEF"
            } else {
                b"0123456789abcdef"
            };
            let mut i = 0;
            for (n, b) in bytes.iter().enumerate() {
                if matches!(n, 4 | 6 | 8 | 10) {
                    buf[i] = b'-';
                    i += 1;
                }
                buf[i] = digits[usize::from(b >> 4)];
                buf[i + 1] = digits[usize::from(b & 0xf)];
                i += 2;
            }
        }
    }

    /// Write the id's text to `out`.
    fn write_to(&self, out: &mut String) {
        match &self.0 {
            IdRepr::Uuid { bytes, upper } => {
                let digits: &[u8; 16] = if *upper {
                    b"0123456789ABCDEF"
                } else {
                    b"0123456789abcdef"
                };
                for (i, b) in bytes.iter().enumerate() {
                    if matches!(i, 4 | 6 | 8 | 10) {
                        out.push('-');
                    }
                    out.push(char::from(digits[usize::from(b >> 4)]));
                    out.push(char::from(digits[usize::from(b & 0xf)]));
                }
            }
            IdRepr::Inline { len, buf } => {
                out.push_str(std::str::from_utf8(&buf[..usize::from(*len)]).unwrap_or(""));
            }
            IdRepr::Heap(s) => out.push_str(s),
        }
    }

    /// The id as text (allocates for the UUID form).
    #[must_use]
    pub fn as_string(&self) -> String {
        let mut s = String::with_capacity(36);
        self.write_to(&mut s);
        s
    }
}

/// How the engine stores an id (see [`BindingId::key`]).
pub(crate) enum IdKey {
    Packed(u8, [u8; 16]),
    Long(Arc<str>),
}

impl fmt::Display for BindingId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            IdRepr::Inline { len, buf } => {
                f.write_str(std::str::from_utf8(&buf[..usize::from(*len)]).unwrap_or(""))
            }
            IdRepr::Heap(s) => f.write_str(s),
            IdRepr::Uuid { .. } => {
                let mut buf = [0u8; 36];
                self.write_uuid(&mut buf);
                f.write_str(std::str::from_utf8(&buf).unwrap_or(""))
            }
        }
    }
}

impl fmt::Debug for BindingId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BindingId({self})")
    }
}

impl std::str::FromStr for BindingId {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Self::new(s)
    }
}

impl Serialize for BindingId {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.as_string())
    }
}

impl<'de> Deserialize<'de> for BindingId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Self::new(&s).map_err(serde::de::Error::custom)
    }
}

// ---------------------------------------------------------------------------
// Numbers in serde
// ---------------------------------------------------------------------------

/// Serde for [`Number`]: E.164 text in human-readable formats (JSON), the
/// packed bits (checked on the way back) in binary ones (the journal).
pub(crate) mod number_serde {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(
        n: &Number,
        s: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            s.serialize_str(n.e164().as_str())
        } else {
            s.serialize_u64(n.to_bits())
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> std::result::Result<Number, D::Error> {
        if d.is_human_readable() {
            let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
            crate::number::parse(&s).map_err(serde::de::Error::custom)
        } else {
            let bits = u64::deserialize(d)?;
            Number::from_bits(bits).map_err(serde::de::Error::custom)
        }
    }
}

/// Serde for `Option<Number>`, as [`number_serde`].
pub(crate) mod opt_number_serde {
    use super::*;

    #[derive(Serialize, Deserialize)]
    struct W(#[serde(with = "number_serde")] Number);

    pub(crate) fn serialize<S: Serializer>(
        n: &Option<Number>,
        s: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        n.map(W).serialize(s)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> std::result::Result<Option<Number>, D::Error> {
        Ok(Option::<W>::deserialize(d)?.map(|w| w.0))
    }
}

/// Serde `skip_serializing_if` for counts whose absence means 0.
fn is_zero(v: &u32) -> bool {
    *v == 0
}

// ---------------------------------------------------------------------------
// Extensions
// ---------------------------------------------------------------------------

/// An AXE extension: 1–4 digits, not all zeros (PN §5). Kept as its value and
/// digit count so `"0007"` and `"7"` stay distinct.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Ext {
    value: u16,
    digits: u8,
}

impl Ext {
    /// Parse `"0001"`–`"9999"` (any of 1–4 digits, not all zeros), else
    /// [`ErrorKind::InvalidArgument`] naming `extendNum`.
    pub fn parse(s: &str) -> Result<Self> {
        let b = s.as_bytes();
        if b.is_empty() || b.len() > 4 || !b.iter().all(u8::is_ascii_digit) {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                format!("an extension must be 1-4 ASCII digits, got {s:?}"),
            )
            .with_field("extendNum"));
        }
        let value = b.iter().fold(0u16, |v, d| v * 10 + u16::from(d - b'0'));
        if value == 0 {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                format!("an extension must not be all zeros, got {s:?}"),
            )
            .with_field("extendNum"));
        }
        Ok(Self {
            value,
            digits: b.len() as u8,
        })
    }

    /// The extension `value` written with `digits` digits; `None` when it
    /// does not fit or is 0.
    #[must_use]
    pub fn new(value: u16, digits: u8) -> Option<Self> {
        let max = match digits {
            1 => 9,
            2 => 99,
            3 => 999,
            4 => 9999,
            _ => return None,
        };
        (1..=max).contains(&value).then_some(Self { value, digits })
    }

    /// The numeric value (`7` for `"0007"`).
    #[must_use]
    pub fn value(self) -> u16 {
        self.value
    }

    /// How many digits it is written with.
    #[must_use]
    pub fn digits(self) -> u8 {
        self.digits
    }

    /// A placeholder for slots that can never be read.
    pub(crate) const PLACEHOLDER: Self = Self {
        value: 1,
        digits: 4,
    };

    pub(crate) fn pack(self) -> u32 {
        u32::from(self.value) | (u32::from(self.digits) << 16)
    }

    pub(crate) fn unpack(v: u32) -> Option<Self> {
        Self::new((v & 0xffff) as u16, (v >> 16) as u8)
    }
}

impl fmt::Display for Ext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:0width$}",
            self.value,
            width = usize::from(self.digits)
        )
    }
}

impl fmt::Debug for Ext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Ext({self})")
    }
}

impl Serialize for Ext {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Ext {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

// ---------------------------------------------------------------------------
// Shapes, settings
// ---------------------------------------------------------------------------

/// Who a binding connects. The mode decides which shapes it may hold: AXB
/// pairs, AX owners, AXE extensions, AXYB AX and YB halves; an X-mode engine
/// may hold pairs, owners and extensions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "shape", rename_all = "snake_case")]
pub enum Shape {
    /// A and B talk through X; each sees X (AXB `callerNum`/`calleeNum`).
    Pair {
        /// A (`callerNum`).
        #[serde(with = "number_serde")]
        a: Number,
        /// B (`calleeNum`).
        #[serde(with = "number_serde")]
        b: Number,
    },
    /// A owns X: anyone calling X reaches A; A calling X reaches the
    /// temporary callee set for it (AX `origNum`, PN §4.5).
    Owner {
        /// A (`origNum`).
        #[serde(with = "number_serde")]
        a: Number,
        /// The temporary callee for A's next call out through X.
        #[serde(
            default,
            with = "opt_number_serde",
            skip_serializing_if = "Option::is_none"
        )]
        temp_callee: Option<Number>,
    },
    /// Callers reach A by dialling X and then extension `ext` (AXE
    /// `bindNum`/`extendNum`). A calling X is connected back to the last
    /// party that reached A this way (the callback record, kept for
    /// `callback_lifetime_secs`), else to `callback`.
    Extension {
        /// A (`bindNum`).
        #[serde(with = "number_serde")]
        a: Number,
        /// The extension on X.
        ext: Ext,
        /// Where A is connected when calling X without a live callback
        /// record (`callbackNum`).
        #[serde(
            default,
            with = "opt_number_serde",
            skip_serializing_if = "Option::is_none"
        )]
        callback: Option<Number>,
        /// How long a callback record lasts, in seconds from the call that
        /// made it (`callbackExpiredTime`; whole minutes, at most 30 days).
        /// 0 = as long as the binding: the platform's default is not
        /// documented, and this is the reading that never drops a record
        /// the platform might keep.
        #[serde(default, skip_serializing_if = "is_zero")]
        callback_lifetime_secs: u32,
    },
    /// AXYB AX half: A owns X; its YB relations are separate bindings.
    AxybAx {
        /// A (`origNum`).
        #[serde(with = "number_serde")]
        a: Number,
        /// Default `ybDuration` in seconds for its YB relations (0 follows the AX binding).
        #[serde(default)]
        yb_duration: u32,
    },
    /// AXYB YB half: B is bound to Y under the AX binding `parent`. A calling
    /// Y reaches B (who sees X); B calling X reaches A (who sees Y).
    AxybYb {
        /// The AX binding.
        parent: BindingId,
        /// B.
        #[serde(with = "number_serde")]
        b: Number,
        /// Y.
        #[serde(with = "number_serde")]
        y: Number,
    },
}

impl Shape {
    /// The shape's name: `pair`, `owner`, `extension`, `axyb_ax`, `axyb_yb`.
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self {
            Self::Pair { .. } => "pair",
            Self::Owner { .. } => "owner",
            Self::Extension { .. } => "extension",
            Self::AxybAx { .. } => "axyb_ax",
            Self::AxybYb { .. } => "axyb_yb",
        }
    }

    /// Whether an engine of `mode` may hold this shape.
    #[must_use]
    pub fn allowed_in(&self, mode: Mode) -> bool {
        matches!(
            (mode, self),
            (Mode::Axb | Mode::X, Self::Pair { .. })
                | (Mode::Ax | Mode::X, Self::Owner { .. })
                | (Mode::Axe | Mode::X, Self::Extension { .. })
                | (Mode::Axyb, Self::AxybAx { .. } | Self::AxybYb { .. })
        )
    }
}

/// `callDirection` (PN §3.1, §6.1): who may call whom through the binding.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// 0: both directions.
    #[default]
    Both,
    /// 1: only A calls B (AX: only A calls out).
    AToB,
    /// 2: only B calls A (AX: only calls in to A).
    BToA,
}

impl Direction {
    /// The wire value 0, 1 or 2.
    #[must_use]
    pub const fn code(self) -> u32 {
        self as u32
    }

    /// From the wire value; `None` outside 0–2.
    #[must_use]
    pub const fn from_code(code: u32) -> Option<Self> {
        match code {
            0 => Some(Self::Both),
            1 => Some(Self::AToB),
            2 => Some(Self::BToA),
            _ => None,
        }
    }
}

/// Rarely used, text-valued settings of a binding, kept out of line so a
/// binding without them costs 8 bytes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Extras {
    /// `recordHintTone`: announcement played when recording.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record_hint_tone: Option<String>,
    /// `lastMinVoice`: tone when one minute of `maxDuration` remains.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_min_voice: Option<String>,
    /// `preVoice.callerHintTone` (AXYB `preVoiceX`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caller_hint_tone: Option<String>,
    /// `preVoice.calleeHintTone` (AXYB `preVoiceY`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub callee_hint_tone: Option<String>,
    /// `callbackTone` (AXE).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub callback_tone: Option<String>,
    /// `userData`, echoed in events and CDRs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_data: Option<String>,
}

impl Extras {
    /// Whether no field is set.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// The settings every binding has.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// `callDirection`.
    pub direction: Direction,
    /// `recordFlag`.
    pub record: bool,
    /// SMS allowed (`privateSms`; absent means allowed).
    pub sms: bool,
    /// `maxDuration`: per-call cap in minutes, 0 = none (0–1440).
    pub max_duration_min: u16,
    /// Binding lifetime in seconds from `bound_at`, 0 = never expires.
    pub duration_secs: u32,
    /// Text-valued settings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extras: Option<Arc<Extras>>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            direction: Direction::Both,
            record: false,
            sms: true,
            max_duration_min: 0,
            duration_secs: 0,
            extras: None,
        }
    }
}

// ---------------------------------------------------------------------------
// States, bindings, events
// ---------------------------------------------------------------------------

/// Where a binding is in its life. See [`super::machine`] for the transitions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Sent to the platform, answer not yet known.
    Requested,
    /// Bound and usable.
    Active,
    /// A modification was sent, answer not yet known (still usable as before).
    Modifying,
    /// An unbind was sent, answer not yet known (still usable).
    Unbinding,
    /// Its X is paused or unavailable (X-number status push); calls fail.
    Suspended,
    /// Unbound (terminal).
    Unbound,
    /// Its lifetime ran out (terminal).
    Expired,
    /// The platform refused the bind (terminal).
    Failed,
}

impl State {
    /// Every state, in stable-number order.
    pub const ALL: [Self; 8] = [
        Self::Requested,
        Self::Active,
        Self::Modifying,
        Self::Unbinding,
        Self::Suspended,
        Self::Unbound,
        Self::Expired,
        Self::Failed,
    ];

    /// Stable number (index in [`State::ALL`]).
    #[must_use]
    pub const fn code(self) -> u32 {
        self as u32
    }

    /// The state with this stable number.
    #[must_use]
    pub fn from_code(code: u32) -> Option<Self> {
        Self::ALL.get(code as usize).copied()
    }

    /// snake_case name.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Requested => "requested",
            Self::Active => "active",
            Self::Modifying => "modifying",
            Self::Unbinding => "unbinding",
            Self::Suspended => "suspended",
            Self::Unbound => "unbound",
            Self::Expired => "expired",
            Self::Failed => "failed",
        }
    }

    /// Whether no transition leaves this state.
    #[must_use]
    pub const fn is_terminal(self) -> bool {
        matches!(self, Self::Unbound | Self::Expired | Self::Failed)
    }

    /// Whether the platform holds the binding in this state (it routes calls,
    /// unless its X is unavailable).
    #[must_use]
    pub const fn is_bound(self) -> bool {
        matches!(
            self,
            Self::Active | Self::Modifying | Self::Unbinding | Self::Suspended
        )
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A binding as the engine holds it (an owned copy).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Binding {
    /// `subscriptionId` (or `pending-<n>` before the platform answered).
    pub id: BindingId,
    /// The application's mode.
    pub mode: Mode,
    /// X (for a YB relation, its AX binding's X). `None` only while
    /// [`State::Requested`] and the platform is choosing X.
    #[serde(default, with = "opt_number_serde")]
    pub x: Option<Number>,
    /// Who it connects.
    #[serde(flatten)]
    pub shape: Shape,
    /// Its settings.
    pub settings: Settings,
    /// Its state.
    pub state: State,
    /// When it was bound or last modified (Unix seconds): `duration` runs
    /// from here.
    pub bound_at: u64,
    /// In [`State::Modifying`]: the changes sent to the platform, applied
    /// when it confirms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending: Option<Box<Changes>>,
}

impl Binding {
    /// When it expires (Unix seconds), or `None` if it never does.
    #[must_use]
    pub fn expires_at(&self) -> Option<u64> {
        (self.settings.duration_secs > 0)
            .then(|| self.bound_at + u64::from(self.settings.duration_secs))
    }
}

/// How X is chosen for a new binding.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum XChoice {
    /// This X (`relationNum` / `privateNum` / `virtualNum`).
    Given(#[serde(with = "number_serde")] Number),
    /// Let the engine's pool choose: from `area` (`areaCode`) if given,
    /// else from A's own area (a fixed line's; a mobile has none, so any
    /// area), falling back to other areas when `fallback` (`areaMatchMode`
    /// `"1"`).
    Pick {
        /// City code such as `0755`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        area: Option<String>,
        /// Allow other cities when `area` has no usable X.
        #[serde(default)]
        fallback: bool,
    },
    /// Not known yet: the platform chooses (only for
    /// [`super::Engine::request_bind`]).
    #[default]
    Platform,
}

/// A request for a new binding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BindRequest {
    /// Who it connects. An extension asked for is honoured only with a
    /// given X (PN §5); for an AXYB relation, `x` says how Y is chosen.
    #[serde(flatten)]
    pub shape: ShapeRequest,
    /// How X is chosen.
    #[serde(default)]
    pub x: XChoice,
    /// Settings.
    #[serde(default)]
    pub settings: Settings,
    /// Use this id instead of minting one (a host mirroring the platform
    /// passes the platform's `subscriptionId`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<BindingId>,
}

/// Who a new binding connects, as requested.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "shape", rename_all = "snake_case")]
pub enum ShapeRequest {
    /// An AXB (or X-mode) pair.
    Pair {
        /// A (`callerNum`).
        #[serde(with = "number_serde")]
        a: Number,
        /// B (`calleeNum`).
        #[serde(with = "number_serde")]
        b: Number,
    },
    /// An AX (or X-mode) owner.
    Owner {
        /// A (`origNum`).
        #[serde(with = "number_serde")]
        a: Number,
    },
    /// An AXE (or X-mode) extension; `ext` absent means the lowest free one.
    Extension {
        /// A (`bindNum`).
        #[serde(with = "number_serde")]
        a: Number,
        /// The extension wanted (`extendNum`), honoured only with a given X.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ext: Option<String>,
        /// `callbackNum`.
        #[serde(
            default,
            with = "opt_number_serde",
            skip_serializing_if = "Option::is_none"
        )]
        callback: Option<Number>,
        /// `callbackExpiredTime` in seconds: whole minutes, at most 30
        /// days; 0 (absent) = the callback record lasts as long as the
        /// binding (see [`Shape::Extension`]).
        #[serde(default, skip_serializing_if = "is_zero")]
        callback_lifetime_secs: u32,
    },
    /// An AXYB AX binding.
    AxybAx {
        /// A (`origNum`).
        #[serde(with = "number_serde")]
        a: Number,
        /// `ybDuration` in seconds (0 follows the AX binding).
        #[serde(default)]
        yb_duration: u32,
    },
    /// An AXYB YB relation under `parent`; Y is chosen like X (the request's
    /// `x` field says how).
    AxybYb {
        /// The AX binding's id.
        parent: BindingId,
        /// B.
        #[serde(with = "number_serde")]
        b: Number,
        /// `ybDuration` for this relation (absent: the AX binding's default).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        yb_duration: Option<u32>,
    },
}

/// A change to a binding; absent fields stay as they are. A new `duration`
/// (or any modification) restarts the lifetime from the time of the change,
/// as on the platform. The AXE modification (PN §5.3) also takes `callback`
/// and `callback_lifetime_secs`; other shapes refuse them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Changes {
    /// New A (pair, owner, extension).
    #[serde(with = "opt_number_serde", skip_serializing_if = "Option::is_none")]
    pub a: Option<Number>,
    /// New B (pair).
    #[serde(with = "opt_number_serde", skip_serializing_if = "Option::is_none")]
    pub b: Option<Number>,
    /// New direction.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub direction: Option<Direction>,
    /// New recording flag.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<bool>,
    /// New SMS flag.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sms: Option<bool>,
    /// New `maxDuration` in minutes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_duration_min: Option<u16>,
    /// New lifetime in seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_secs: Option<u32>,
    /// New text settings (replace the old ones as a whole).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extras: Option<Arc<Extras>>,
    /// New callback number (AXE `callbackNum`): where A is connected when
    /// calling X without a live callback record. Only for an extension.
    #[serde(with = "opt_number_serde", skip_serializing_if = "Option::is_none")]
    pub callback: Option<Number>,
    /// New callback-record lifetime in seconds (AXE `callbackExpiredTime`):
    /// whole minutes, at most 30 days; 0 = as long as the binding. Only for
    /// an extension. Existing callback records stay, and from then on last
    /// this long from the call that made them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub callback_lifetime_secs: Option<u32>,
}

/// What happened to a binding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// A bind request was recorded (state requested).
    Requested,
    /// Bound (directly, or the platform confirmed a request).
    Bound,
    /// The platform refused a bind request.
    Failed,
    /// A modification was sent.
    Modifying,
    /// Modified (its lifetime restarted).
    Modified,
    /// The platform refused a modification; the binding is as before.
    ModifyFailed,
    /// An unbind was sent.
    Unbinding,
    /// Unbound.
    Unbound,
    /// The platform refused an unbind; the binding is as before.
    UnbindFailed,
    /// Its lifetime ran out (at `tick`).
    Expired,
    /// Its X became paused or unavailable.
    Suspended,
    /// Its X is usable again.
    Resumed,
}

impl EventKind {
    /// Every kind, in stable-number order.
    pub const ALL: [Self; 12] = [
        Self::Requested,
        Self::Bound,
        Self::Failed,
        Self::Modifying,
        Self::Modified,
        Self::ModifyFailed,
        Self::Unbinding,
        Self::Unbound,
        Self::UnbindFailed,
        Self::Expired,
        Self::Suspended,
        Self::Resumed,
    ];

    /// Stable number (index in [`EventKind::ALL`]).
    #[must_use]
    pub const fn code(self) -> u32 {
        self as u32
    }

    /// snake_case name.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Requested => "requested",
            Self::Bound => "bound",
            Self::Failed => "failed",
            Self::Modifying => "modifying",
            Self::Modified => "modified",
            Self::ModifyFailed => "modify_failed",
            Self::Unbinding => "unbinding",
            Self::Unbound => "unbound",
            Self::UnbindFailed => "unbind_failed",
            Self::Expired => "expired",
            Self::Suspended => "suspended",
            Self::Resumed => "resumed",
        }
    }
}

/// A change the engine made, for the host to read with
/// [`super::Engine::poll_events`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// Increasing number of the event within this engine's run.
    pub seq: u64,
    /// When (the `now` of the operation, Unix seconds).
    pub at: u64,
    /// What happened.
    pub kind: EventKind,
    /// The binding's id (its new id when a request was confirmed).
    pub id: BindingId,
    /// Its id before, when a confirmed request changed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_id: Option<BindingId>,
    /// The state before (`None` for a new binding).
    pub from: Option<State>,
    /// The state after.
    pub to: State,
    /// Its X, when known.
    #[serde(default, with = "opt_number_serde")]
    pub x: Option<Number>,
    /// The platform `resultcode`, for refusals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_in_every_form() {
        for s in [
            "e97b2863-e7ad-4b4c-87c0-91b0171fe803",
            "E97B2863-E7AD-4B4C-87C0-91B0171FE803",
            "00000000-0000-0000-0000-000000000000",
            "short",
            "pending-7",
            "a-rather-long-subscription-id-that-is-not-a-uuid-at-all",
            "e97b2863-e7ad-4b4c-87c0-91b0171FE803",
        ] {
            let id = BindingId::new(s).unwrap();
            assert_eq!(id.as_string(), s);
            assert_eq!(id.to_string(), s);
            let json = serde_json::to_string(&id).unwrap();
            assert_eq!(serde_json::from_str::<BindingId>(&json).unwrap(), id);
        }
        assert!(BindingId::new("").is_err());
        assert!(BindingId::new(&"a".repeat(65)).is_err());
        assert!(BindingId::new("tab\there").is_err());
        assert!(BindingId::pending(3).is_pending());
        assert!(!BindingId::new("x").unwrap().is_pending());
        let r = BindingId::from_random([0xff; 16]).as_string();
        assert_eq!(&r[14..15], "4");
    }

    #[test]
    fn extensions() {
        let e = Ext::parse("0007").unwrap();
        assert_eq!(
            (e.value(), e.digits(), e.to_string()),
            (7, 4, "0007".into())
        );
        assert_ne!(Ext::parse("7").unwrap(), e);
        assert!(Ext::parse("0000").is_err());
        assert!(Ext::parse("12345").is_err());
        assert!(Ext::parse("1a").is_err());
        assert_eq!(Ext::unpack(e.pack()), Some(e));
        assert_eq!(Ext::new(10, 1), None);
    }

    #[test]
    fn codes_are_indexes() {
        for (i, m) in Mode::ALL.iter().enumerate() {
            assert_eq!(m.code() as usize, i);
            assert_eq!(Mode::from_name(m.name()), Some(*m));
        }
        for (i, s) in State::ALL.iter().enumerate() {
            assert_eq!(s.code() as usize, i);
        }
        for (i, k) in EventKind::ALL.iter().enumerate() {
            assert_eq!(k.code() as usize, i);
        }
    }
}
