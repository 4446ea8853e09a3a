//! Phone numbers: parse what people type, classify, render, check field bounds.
//!
//! ```text
//!  "+86 138-0000-0021"  ─┐
//!  "008613800000021"     │  parse()      ┌─ e164()    "+8613800000021"
//!  "13800000021" (+86)   ├────────────▶ Number ─┼─ query()   "%2B8613800000021"
//!  "0755-2800-0002"      │  (8 bytes,   ├─ masked()  "+86138****0021"
//!  "(010) 8888 0000"    ─┘   Copy)      ├─ class()   Mobile / VirtualOperator / FixedLine / Service / International
//!                                       └─ check_field(Field::AxbCallerNum)
//! ```
//!
//! [`Number`] is a `Copy` value of eight bytes with no heap storage, so a
//! binding table can hold millions of them cheaply. Its `Debug` and `Display`
//! show the **masked** form, so numbers do not leak into logs by accident;
//! call [`Number::e164`] for the real value.
//!
//! # Parsing rules
//!
//! * Accepted separators: ASCII space, tab and other whitespace, `-`, `.`, `(`,
//!   `)`, `/`, and their full-width and typographic forms (ideographic space,
//!   `－`, `（`, `）`, `．`, `／`, the Unicode dashes U+2010–U+2015, U+2212,
//!   no-break spaces). Full-width digits `０`–`９` and `＋` count as `0`–`9` and `+`.
//! * A `+` may appear once, before the first digit. `00` before the digits is
//!   the international prefix (as dialled in China and most of the world).
//! * Without `+` or `00`, the number is national and the default country
//!   applies (86 unless configured otherwise; none means national numbers are
//!   rejected).
//! * China (+86): mobiles have 11 digits and start with 13–19; fixed lines are
//!   the trunk `0`, the area code (`10`, `2x`, or three digits `3xx`–`9xx`) and a
//!   7- or 8-digit local number that starts with 2–9; service numbers (400/800
//!   numbers, 95xxx, 96xxx, 10xxx, 12xxx, 11x emergency) are recognised so they
//!   can be refused for bindings with a clear reason. A stray trunk `0` after
//!   `+86` (`+86 0755 …`) is dropped, and a national string that starts with the
//!   country code without `+` (`8613800000021`) is read as international when it
//!   is not a valid national number.
//! * Other countries: the calling code must be assigned; the national number's
//!   length is checked against the country's plan where privnum knows it
//!   (NANP, Hong Kong, Macao, Taiwan, …) and otherwise against E.164's limit of
//!   15 digits in all. One leading trunk `0` is dropped (NANP: a leading `1`),
//!   except in Italy, San Marino and the Vatican, whose numbers keep it.
//!
//! Mobile prefixes are accepted by range (13–19) rather than by a list of
//! allocations, so newly opened ranges work without an update.

mod calling_codes;
mod field;

pub use field::Field;

use std::fmt;
use std::num::NonZeroU64;

use crate::error::{Error, ErrorKind, Result};

/// The default country calling code used by [`parse`]: mainland China.
pub const DEFAULT_COUNTRY_CODE: u16 = 86;

/// The most digits an E.164 number may have, country code included.
pub const MAX_DIGITS: usize = 15;

/// What kind of number this is.
///
/// Only mainland-China numbers are classified in detail; numbers of other
/// countries are [`NumberClass::International`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u32)]
#[non_exhaustive]
pub enum NumberClass {
    /// A mainland-China mobile number of a network operator (13x–19x).
    Mobile = 1,
    /// A mainland-China mobile number in a virtual-operator range (162, 165,
    /// 167, 170, 171): the ranges privacy numbers (X) are usually taken from.
    VirtualOperator = 2,
    /// A mainland-China fixed line: area code plus local number. Fixed lines can
    /// be called through X but cannot call X.
    FixedLine = 3,
    /// A mainland-China service number (400/800, 95xxx, 96xxx, 10xxx, 12xxx,
    /// emergency 11x). It can never be bound.
    Service = 4,
    /// A number of another country; not classified further.
    International = 5,
}

impl NumberClass {
    /// Every class, in numeric order.
    pub const ALL: &'static [Self] = &[
        Self::Mobile,
        Self::VirtualOperator,
        Self::FixedLine,
        Self::Service,
        Self::International,
    ];

    /// The class's name in snake_case (as in the test vectors and Python).
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Mobile => "mobile",
            Self::VirtualOperator => "virtual_operator",
            Self::FixedLine => "fixed_line",
            Self::Service => "service",
            Self::International => "international",
        }
    }

    /// The class with this stable number, if any.
    #[must_use]
    pub const fn from_code(code: u32) -> Option<Self> {
        Some(match code {
            1 => Self::Mobile,
            2 => Self::VirtualOperator,
            3 => Self::FixedLine,
            4 => Self::Service,
            5 => Self::International,
            _ => return None,
        })
    }
}

impl fmt::Display for NumberClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Options for [`parse_with`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParseOptions {
    /// Country calling code for national numbers (no `+`, no `00`). `None`
    /// rejects national numbers with [`ErrorKind::NumberMissingCountryCode`].
    pub default_country: Option<u16>,
}

impl Default for ParseOptions {
    fn default() -> Self {
        Self {
            default_country: Some(DEFAULT_COUNTRY_CODE),
        }
    }
}

/// A validated phone number in global (E.164) form.
///
/// Eight bytes, `Copy`, no heap. Two numbers are equal when their digits are.
/// `Debug` and `Display` print the masked form (`+86138****0021`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Number(NonZeroU64);

// Bit layout of the packed value.
const VALUE_BITS: u32 = 50; // 10^15 < 2^50
const VALUE_MASK: u64 = (1 << VALUE_BITS) - 1;
const LEN_SHIFT: u32 = 50; // 4 bits: total digits 1..=15
const CC_SHIFT: u32 = 54; // 2 bits: country-code digits 1..=3
const CLASS_SHIFT: u32 = 56; // 4 bits: NumberClass

const POW10: [u64; 16] = [
    1,
    10,
    100,
    1_000,
    10_000,
    100_000,
    1_000_000,
    10_000_000,
    100_000_000,
    1_000_000_000,
    10_000_000_000,
    100_000_000_000,
    1_000_000_000_000,
    10_000_000_000_000,
    100_000_000_000_000,
    1_000_000_000_000_000,
];

/// Parse what a person typed, with mainland China (+86) as the default country.
///
/// ```
/// let n = privnum::number::parse("+86 138-0000-0021").unwrap();
/// assert_eq!(n.e164().as_str(), "+8613800000021");
/// assert_eq!(n.masked().as_str(), "+86138****0021");
/// ```
pub fn parse(input: &str) -> Result<Number> {
    parse_with(input, ParseOptions::default())
}

/// Parse what a person typed, with explicit options.
pub fn parse_with(input: &str, options: ParseOptions) -> Result<Number> {
    let scanned = scan(input)?;
    let d = &scanned.digits[..scanned.len];
    if scanned.plus {
        return international(d);
    }
    if d.len() >= 2 && d[0] == 0 && d[1] == 0 {
        return international(&d[2..]);
    }
    let Some(cc) = options.default_country else {
        return Err(Error::new(
            ErrorKind::NumberMissingCountryCode,
            "national number without '+' or '00' and no default country code is configured",
        ));
    };
    let cc_len = cc_digits(cc)?;
    if cc == 86 {
        return match cn_national(d) {
            // "8613800000021": the country code typed without '+'.
            Err(e) if d.len() > 2 && d[0] == 8 && d[1] == 6 => {
                cn_nsn(&d[2..], /* trunk_seen */ false).map_err(|_| e)
            }
            other => other,
        };
    }
    let nsn = strip_trunk(cc, d);
    foreign(cc, cc_len, nsn)
}

/// More digits than this cannot be a number in any accepted form (15 digits of
/// E.164 plus an international prefix and a trunk 0 leave room to spare).
const MAX_SCANNED_DIGITS: usize = 20;

/// Digits gathered from the input, plus whether it started with `+`.
struct Scanned {
    digits: [u8; 24],
    len: usize,
    plus: bool,
}

/// Walk the input once: collect digits, skip separators, reject the rest.
fn scan(input: &str) -> Result<Scanned> {
    let mut s = Scanned {
        digits: [0; 24],
        len: 0,
        plus: false,
    };
    let mut total_digits = 0usize;
    let bytes = input.as_bytes();
    let mut i = 0;
    let mut pos = 0usize; // character index, for messages
    while i < bytes.len() {
        let b = bytes[i];
        let (class, width) = if b < 0x80 {
            (ascii_class(b), 1)
        } else {
            let ch = input[i..].chars().next().unwrap_or('\u{fffd}');
            (unicode_class(ch), ch.len_utf8())
        };
        match class {
            CharClass::Digit(v) => {
                if s.len < s.digits.len() {
                    s.digits[s.len] = v;
                    s.len += 1;
                }
                total_digits += 1;
            }
            CharClass::Plus => {
                if s.plus || total_digits > 0 {
                    return Err(Error::new(
                        ErrorKind::NumberMisplacedPlus,
                        format!(
                            "'+' at position {pos}: it may only appear once, before the first digit"
                        ),
                    ));
                }
                s.plus = true;
            }
            CharClass::Separator => {}
            CharClass::Invalid => {
                let ch = input[i..].chars().next().unwrap_or('\u{fffd}');
                return Err(Error::new(
                    ErrorKind::NumberInvalidCharacter,
                    format!("invalid character {ch:?} at position {pos}"),
                ));
            }
        }
        i += width;
        pos += 1;
    }
    if total_digits == 0 {
        return Err(Error::new(
            ErrorKind::NumberEmpty,
            "the number has no digits",
        ));
    }
    if total_digits > MAX_SCANNED_DIGITS {
        return Err(Error::new(
            ErrorKind::NumberTooLong,
            format!("{total_digits} digits is far more than any phone number has"),
        ));
    }
    Ok(s)
}

enum CharClass {
    Digit(u8),
    Plus,
    Separator,
    Invalid,
}

#[inline]
fn ascii_class(b: u8) -> CharClass {
    match b {
        b'0'..=b'9' => CharClass::Digit(b - b'0'),
        b'+' => CharClass::Plus,
        b' ' | b'\t' | b'\r' | b'\n' | b'-' | b'.' | b'(' | b')' | b'/' => CharClass::Separator,
        _ => CharClass::Invalid,
    }
}

fn unicode_class(ch: char) -> CharClass {
    match ch {
        '\u{ff10}'..='\u{ff19}' => CharClass::Digit((ch as u32 - 0xff10) as u8),
        '\u{ff0b}' => CharClass::Plus,
        '\u{3000}'
        | '\u{00a0}'
        | '\u{2007}'
        | '\u{2009}'
        | '\u{200b}'
        | '\u{202f}'
        | '\u{feff}'
        | '\u{2010}'..='\u{2015}'
        | '\u{2212}'
        | '\u{ff0d}'
        | '\u{ff08}'
        | '\u{ff09}'
        | '\u{ff0e}'
        | '\u{ff0f}'
        | '\u{30fc}' => CharClass::Separator,
        c if c.is_whitespace() => CharClass::Separator,
        _ => CharClass::Invalid,
    }
}

fn cc_digits(cc: u16) -> Result<u8> {
    let len = match cc {
        1..=9 => 1,
        10..=99 => 2,
        100..=999 => 3,
        _ => 0,
    };
    if len == 0 || !calling_codes::is_assigned(cc, len) {
        return Err(Error::new(
            ErrorKind::NumberUnknownCountryCode,
            format!("{cc} is not an assigned country calling code"),
        ));
    }
    Ok(len)
}

/// Digits after `+` or `00`: split off the calling code and validate the rest.
fn international(d: &[u8]) -> Result<Number> {
    let mut cc = 0u16;
    for (i, &digit) in d.iter().take(3).enumerate() {
        cc = cc * 10 + u16::from(digit);
        let len = (i + 1) as u8;
        if cc != 0 && calling_codes::is_assigned(cc, len) {
            let nsn = &d[i + 1..];
            if cc == 86 {
                let (nsn, trunk) = match nsn.first() {
                    Some(0) => (&nsn[1..], true),
                    _ => (nsn, false),
                };
                return cn_nsn(nsn, trunk);
            }
            let nsn = match nsn.first() {
                Some(0) if !calling_codes::keeps_leading_zero(cc) => &nsn[1..],
                _ => nsn,
            };
            return foreign(cc, len, nsn);
        }
    }
    let shown: String = d.iter().take(3).map(|v| char::from(b'0' + v)).collect();
    Err(Error::new(
        ErrorKind::NumberUnknownCountryCode,
        if d.len() < 3 {
            return Err(Error::new(
                ErrorKind::NumberTooShort,
                format!("'+{shown}' is too short to hold a country calling code and a number"),
            ));
        } else {
            format!("no assigned country calling code starts '+{shown}'")
        },
    ))
}

/// National digits of a non-Chinese default country: drop the trunk prefix.
fn strip_trunk(cc: u16, d: &[u8]) -> &[u8] {
    if cc == 1 && d.len() == 11 && d[0] == 1 {
        return &d[1..];
    }
    match d.first() {
        Some(0) if !calling_codes::keeps_leading_zero(cc) => &d[1..],
        _ => d,
    }
}

/// Validate the national significant number of a country other than China.
fn foreign(cc: u16, cc_len: u8, nsn: &[u8]) -> Result<Number> {
    let max_generic = MAX_DIGITS - cc_len as usize;
    let (min, max) =
        calling_codes::nsn_length(cc).map_or((4, max_generic), |(a, b)| (a as usize, b as usize));
    if nsn.len() < min {
        return Err(Error::new(
            ErrorKind::NumberTooShort,
            format!(
                "+{cc} numbers need at least {min} digits after the country code; got {}",
                nsn.len()
            ),
        ));
    }
    if nsn.len() > max {
        return Err(Error::new(
            ErrorKind::NumberTooLong,
            format!(
                "+{cc} numbers have at most {max} digits after the country code; got {}",
                nsn.len()
            ),
        ));
    }
    if calling_codes::keeps_leading_zero(cc) && nsn.starts_with(&[0, 0]) {
        // Written nationally, "00" would be the international prefix.
        return Err(Error::new(
            ErrorKind::NumberInvalidForCountry,
            format!("+{cc} numbers do not start with 00 after the country code"),
        ));
    }
    if nsn[0] == 0 && !calling_codes::keeps_leading_zero(cc) {
        return Err(Error::new(
            ErrorKind::NumberInvalidForCountry,
            format!("+{cc} numbers do not start with 0 after the country code and trunk prefix"),
        ));
    }
    if cc == 1 && (nsn[0] < 2 || nsn[3] < 2) {
        return Err(Error::new(
            ErrorKind::NumberInvalidForCountry,
            "NANP area codes and exchange codes start with 2-9",
        ));
    }
    Ok(Number::pack(cc, cc_len, nsn, NumberClass::International))
}

/// A Chinese number typed nationally (default country 86): with the trunk 0 it
/// is a fixed line (or a mobile dialled long-distance); without it, it must be
/// a mobile or a service number.
fn cn_national(d: &[u8]) -> Result<Number> {
    let service_shape = d.starts_with(&[4, 0, 0])
        || d.starts_with(&[8, 0, 0])
        || (d.len() <= 8 && (d.starts_with(&[9, 5]) || d.starts_with(&[9, 6])));
    let n = match d.first() {
        Some(0) => return cn_nsn(&d[1..], true),
        Some(1) => cn_nsn(d, false)?,
        Some(_) if service_shape => cn_nsn(d, false)?,
        _ => return Err(no_area_code(d.len())),
    };
    if n.class() == NumberClass::FixedLine {
        return Err(no_area_code(d.len()));
    }
    Ok(n)
}

fn no_area_code(len: usize) -> Error {
    Error::new(
        ErrorKind::NumberInvalidForCountry,
        format!(
            "a Chinese number of {len} digits that is neither a mobile nor a service number \
             must be a fixed line: add its area code with the trunk 0 (e.g. 0755-2800-0002)"
        ),
    )
}

fn wrong_len(what: &str, min: usize, max: usize, got: usize) -> Error {
    let (kind, expected) = if got < min {
        (ErrorKind::NumberTooShort, min)
    } else {
        (ErrorKind::NumberTooLong, max)
    };
    let range = if min == max {
        format!("{expected}")
    } else {
        format!("{min} to {max}")
    };
    Error::new(kind, format!("{what} has {range} digits; got {got}"))
}

/// Validate and classify a Chinese national significant number (no trunk 0).
/// `trunk` says whether a trunk 0 preceded it (only fixed lines and mobiles
/// dialled with a leading 0 allow one).
fn cn_nsn(d: &[u8], trunk: bool) -> Result<Number> {
    const CC: u16 = 86;
    let n = d.len();
    let Some(&first) = d.first() else {
        return Err(Error::new(
            ErrorKind::NumberTooShort,
            "no digits follow the country code +86",
        ));
    };
    let class = match first {
        0 => {
            return Err(Error::new(
                ErrorKind::NumberInvalidForCountry,
                "Chinese numbers do not start with 00 after the trunk prefix",
            ));
        }
        1 => {
            let second = d.get(1).copied().unwrap_or(0);
            match second {
                3..=9 => {
                    if n != 11 {
                        return Err(wrong_len("a Chinese mobile number", 11, 11, n));
                    }
                    let prefix = 100 + u16::from(d[1]) * 10 + u16::from(d[2]);
                    if matches!(prefix, 162 | 165 | 167 | 170 | 171) {
                        NumberClass::VirtualOperator
                    } else {
                        NumberClass::Mobile
                    }
                }
                0 if trunk || n == 10 => cn_fixed(d, 2)?,
                0 | 2 if n == 5 && !trunk => NumberClass::Service, // 10086, 12345
                1 if n == 3 && !trunk => NumberClass::Service,     // 110, 119, 120
                _ => {
                    return Err(Error::new(
                        ErrorKind::NumberInvalidForCountry,
                        "Chinese numbers starting with 10, 11 or 12 are Beijing fixed lines \
                         (010 + 8 digits) or short service numbers (10xxx, 11x, 12xxx)",
                    ));
                }
            }
        }
        2 => cn_fixed(d, 2)?,
        4 | 8 if d.len() >= 3 && d[1] == 0 && d[2] == 0 => {
            if trunk {
                return Err(Error::new(
                    ErrorKind::NumberInvalidForCountry,
                    "400 and 800 are service-number prefixes, not area codes: write them without a leading 0",
                ));
            }
            if n != 10 {
                return Err(wrong_len("a 400/800 service number", 10, 10, n));
            }
            NumberClass::Service
        }
        9 if !trunk && matches!(d.get(1), Some(5 | 6)) && n <= 8 => {
            if n < 5 {
                return Err(wrong_len("a 95xxx/96xxx service number", 5, 8, n));
            }
            NumberClass::Service
        }
        _ => cn_fixed(d, 3)?,
    };
    Ok(Number::pack(CC, 2, d, class))
}

/// A Chinese fixed line: `area` digits of area code, then a 7- or 8-digit
/// local number that starts with 2-9 (8 digits after a 2-digit area code).
fn cn_fixed(d: &[u8], area: usize) -> Result<NumberClass> {
    let n = d.len();
    let (min, max) = if area == 2 { (10, 10) } else { (10, 11) };
    let area_str: String = d.iter().take(area).map(|v| char::from(b'0' + v)).collect();
    if n < min || n > max {
        let expected = if area == 2 { "8" } else { "7 or 8" };
        let kind = if n < min {
            ErrorKind::NumberTooShort
        } else {
            ErrorKind::NumberTooLong
        };
        return Err(Error::new(
            kind,
            format!(
                "a fixed line with area code 0{area_str} has {expected} digits after the area code; got {}",
                n.saturating_sub(area)
            ),
        ));
    }
    if d[area] < 2 {
        return Err(Error::new(
            ErrorKind::NumberInvalidForCountry,
            format!("local numbers in area 0{area_str} start with 2-9"),
        ));
    }
    Ok(NumberClass::FixedLine)
}

impl Number {
    fn pack(cc: u16, cc_len: u8, nsn: &[u8], class: NumberClass) -> Self {
        let mut v = u64::from(cc);
        for &digit in nsn {
            v = v * 10 + u64::from(digit);
        }
        let len = u64::from(cc_len) + nsn.len() as u64;
        debug_assert!(len as usize <= MAX_DIGITS && v <= VALUE_MASK);
        let bits = v
            | (len << LEN_SHIFT)
            | (u64::from(cc_len) << CC_SHIFT)
            | (u64::from(class as u32) << CLASS_SHIFT);
        // `len` is at least 1, so the packed value is never zero.
        Self(NonZeroU64::new(bits).unwrap_or(NonZeroU64::MIN))
    }

    /// The packed representation: stable within a release, suitable for
    /// passing across the C boundary by value. See [`Number::from_bits`].
    #[must_use]
    pub const fn to_bits(self) -> u64 {
        self.0.get()
    }

    /// A placeholder for slots that can never be read (never a real number).
    pub(crate) const PLACEHOLDER: Self = Self(NonZeroU64::MIN);

    /// Rebuild a number from bits this crate produced itself (no check).
    pub(crate) fn from_raw(bits: u64) -> Option<Self> {
        NonZeroU64::new(bits).map(Self)
    }

    /// Rebuild a number from [`Number::to_bits`]. The bits are checked: a value
    /// that no parse could have produced gives [`ErrorKind::InvalidArgument`].
    pub fn from_bits(bits: u64) -> Result<Self> {
        let bad = || {
            Error::new(
                ErrorKind::InvalidArgument,
                "not the bits of a privnum number",
            )
        };
        let nz = NonZeroU64::new(bits).ok_or_else(bad)?;
        let candidate = Self(nz);
        let len = candidate.len();
        let cc_len = candidate.cc_len();
        if bits >> 60 != 0
            || !(1..=3).contains(&cc_len)
            || len <= cc_len
            || len > MAX_DIGITS
            || NumberClass::from_code(((bits >> CLASS_SHIFT) & 0xf) as u32).is_none()
        {
            return Err(bad());
        }
        // Re-validate through the parser so that every accepted value is canonical.
        let reparsed = international(&candidate.digit_array()[..len]).map_err(|_| bad())?;
        if reparsed != candidate {
            return Err(bad());
        }
        Ok(candidate)
    }

    fn value(self) -> u64 {
        self.0.get() & VALUE_MASK
    }

    fn len(self) -> usize {
        ((self.0.get() >> LEN_SHIFT) & 0xf) as usize
    }

    fn cc_len(self) -> usize {
        ((self.0.get() >> CC_SHIFT) & 0x3) as usize
    }

    /// All digits (country code first) as values 0-9; the first `len()` are valid.
    fn digit_array(self) -> [u8; 16] {
        let mut out = [0u8; 16];
        let mut v = self.value();
        let len = self.len();
        for i in (0..len).rev() {
            out[i] = (v % 10) as u8;
            v /= 10;
        }
        out
    }

    /// The country calling code (86 for mainland China).
    #[must_use]
    pub fn country_code(self) -> u16 {
        (self.value() / POW10[self.len() - self.cc_len()]) as u16
    }

    /// What kind of number this is.
    #[must_use]
    pub fn class(self) -> NumberClass {
        NumberClass::from_code(((self.0.get() >> CLASS_SHIFT) & 0xf) as u32)
            .unwrap_or(NumberClass::International)
    }

    /// The full number in E.164 form, e.g. `+8613800000021`.
    #[must_use]
    pub fn e164(self) -> NumStr {
        let mut out = NumStr::new();
        out.push(b'+');
        self.push_digits(&mut out, 0, self.len());
        out
    }

    /// The E.164 form escaped for a URL query string: `%2B8613800000021`.
    /// (A raw `+` in a query decodes as a space on the platform.)
    #[must_use]
    pub fn query(self) -> NumStr {
        let mut out = NumStr::new();
        out.push_str("%2B");
        self.push_digits(&mut out, 0, self.len());
        out
    }

    /// The national significant number, without country code or trunk prefix
    /// (`13800000021`, `75528000002`).
    #[must_use]
    pub fn national_significant(self) -> NumStr {
        let mut out = NumStr::new();
        self.push_digits(&mut out, self.cc_len(), self.len());
        out
    }

    /// The number as dialled inside its country: Chinese fixed lines get the
    /// trunk `0` (`075528000002`), mobiles and service numbers stay as they are.
    /// For other countries this is the national significant number.
    #[must_use]
    pub fn national(self) -> NumStr {
        let mut out = NumStr::new();
        if self.class() == NumberClass::FixedLine {
            out.push(b'0');
        }
        self.push_digits(&mut out, self.cc_len(), self.len());
        out
    }

    /// A form safe for logs: country code, the first three and the last four
    /// digits of the national number, the rest as `*` (`+86138****0021`).
    /// Shorter numbers keep a quarter of their digits at each end.
    #[must_use]
    pub fn masked(self) -> NumStr {
        let mut out = NumStr::new();
        out.push(b'+');
        let cc_len = self.cc_len();
        let nsn_len = self.len() - cc_len;
        let (head, tail) = if nsn_len >= 10 {
            (3, 4)
        } else {
            (nsn_len / 4, nsn_len / 4)
        };
        self.push_digits(&mut out, 0, cc_len + head);
        for _ in 0..nsn_len - head - tail {
            out.push(b'*');
        }
        self.push_digits(&mut out, self.len() - tail, self.len());
        out
    }

    /// For a Chinese fixed line, its area code with the trunk `0` as the
    /// platform's `areaCode` fields expect it (`0755`, `010`); otherwise `None`.
    #[must_use]
    pub fn area_code(self) -> Option<NumStr> {
        if self.class() != NumberClass::FixedLine {
            return None;
        }
        let digits = self.digit_array();
        let first = digits[self.cc_len()];
        let area = if first <= 2 { 2 } else { 3 };
        let mut out = NumStr::new();
        out.push(b'0');
        self.push_digits(&mut out, self.cc_len(), self.cc_len() + area);
        Some(out)
    }

    /// Whether the number may be a party (A, B, callee) of a binding. Service
    /// numbers never can.
    #[must_use]
    pub fn is_bindable(self) -> bool {
        self.class() != NumberClass::Service
    }

    /// Whether the number may place calls to a privacy number X. Fixed lines
    /// and service numbers cannot (the platform rejects them as callers).
    #[must_use]
    pub fn can_call_x(self) -> bool {
        !matches!(self.class(), NumberClass::FixedLine | NumberClass::Service)
    }

    /// Check that this number, in E.164 form, fits `field`'s length bounds.
    pub fn check_field(self, field: Field) -> Result<()> {
        field.check(self.e164().as_str())
    }

    /// Append digits `from..to` of the full digit string to `out`.
    fn push_digits(self, out: &mut NumStr, from: usize, to: usize) {
        // The first digit is a country code's, never 0, so the decimal form
        // of the packed value is exactly the digit string.
        let mut buf = itoa::Buffer::new();
        out.push_str(&buf.format(self.value())[from..to]);
    }
}

impl fmt::Debug for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Number({}, {})", self.masked(), self.class())
    }
}

impl fmt::Display for Number {
    /// Shows the masked form; use [`Number::e164`] for the real number.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.masked().as_str())
    }
}

impl std::str::FromStr for Number {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        parse(s)
    }
}

/// A short string kept on the stack (at most 24 ASCII bytes): what the
/// rendering methods of [`Number`] return, so rendering never allocates.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct NumStr {
    buf: [u8; 24],
    len: u8,
}

impl NumStr {
    const fn new() -> Self {
        Self {
            buf: [0; 24],
            len: 0,
        }
    }

    fn push(&mut self, b: u8) {
        self.buf[self.len as usize] = b;
        self.len += 1;
    }

    fn push_str(&mut self, s: &str) {
        let start = self.len as usize;
        self.buf[start..start + s.len()].copy_from_slice(s.as_bytes());
        self.len += s.len() as u8;
    }

    /// The text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        // Only ASCII bytes are ever pushed.
        std::str::from_utf8(&self.buf[..self.len as usize]).unwrap_or("")
    }
}

impl std::ops::Deref for NumStr {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for NumStr {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq<str> for NumStr {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for NumStr {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl fmt::Display for NumStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for NumStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_is_eight_bytes_and_option_too() {
        assert_eq!(size_of::<Number>(), 8);
        assert_eq!(size_of::<Option<Number>>(), 8);
    }

    #[test]
    fn bits_round_trip_and_reject_garbage() {
        for s in [
            "+8613800000021",
            "0755-2800-0002",
            "95588",
            "+1 415 555 0100",
            "+39 06 1234 5678",
        ] {
            let n = parse(s).unwrap();
            assert_eq!(Number::from_bits(n.to_bits()).unwrap(), n);
        }
        assert!(Number::from_bits(0).is_err());
        assert!(Number::from_bits(u64::MAX).is_err());
        let n = parse("+8613800000021").unwrap();
        // Same digits, wrong class: rejected.
        let forged = (n.to_bits() & !(0xf << CLASS_SHIFT)) | (3 << CLASS_SHIFT);
        assert!(Number::from_bits(forged).is_err());
    }

    #[test]
    fn debug_and_display_are_masked() {
        let n = parse("13800000021").unwrap();
        assert_eq!(format!("{n}"), "+86138****0021");
        assert_eq!(format!("{n:?}"), "Number(+86138****0021, mobile)");
    }
}
