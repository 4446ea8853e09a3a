//! SMS segments: how many billed messages a text becomes.
//!
//! ```text
//!  "hello"          ─▶ count_segments ─▶ Gsm7, 1 segment,  5 septets, 160 per segment, 155 free
//!  "a" × 161        ─▶ count_segments ─▶ Gsm7, 2 segments, 161 septets, 153 per segment, 145 free
//!  "你好"           ─▶ count_segments ─▶ Ucs2, 1 segment,  2 units,   70 per segment,  68 free
//!  "hi" + B (AX)    ─▶ count_segments_ax ─▶ counts "hi@+8613900000002"
//! ```
//!
//! The platform forwards SMS segment by segment and bills each one (its SMS
//! pushes carry `splitNum`, the number of segments actually sent). These
//! functions tell, before sending or when reconciling a bill, how many
//! segments a text becomes.
//!
//! # Rules
//!
//! * **Encoding.** A text whose every character is in the GSM 03.38 (3GPP TS
//!   23.038) default alphabet is sent as GSM-7; anything else makes the whole
//!   message UCS-2. There is no lossy mapping: `ç`, `` ` ``, a tab, the Greek
//!   small letters, the Ohm sign `Ω` (U+2126, as opposed to the Greek capital
//!   omega U+03A9) and every Chinese character force UCS-2. National language
//!   shift tables are not used.
//! * **GSM-7 units are septets.** A character of the basic table costs 1
//!   septet; a character of the extension table (`^ { } \ [ ~ ] | €` and form
//!   feed) costs 2 (the escape `0x1B` and the character).
//! * **UCS-2 units are UTF-16 code units.** A character outside the Basic
//!   Multilingual Plane (most emoji) costs 2 (a surrogate pair); handsets and
//!   the platform send UTF-16 under the name UCS-2.
//! * **Capacity.** A message that fits in one segment holds 160 septets or 70
//!   code units. A longer message is concatenated: each segment carries a
//!   6-byte user data header, which leaves 153 septets or 67 code units.
//! * **Nothing is split.** An escape pair (GSM-7) or a surrogate pair (UCS-2)
//!   is never split between two segments: when only one unit is left in a
//!   segment and the next character needs two, that unit stays empty and the
//!   character starts the next segment. Such a text can therefore need more
//!   segments than `ceil(units / 153)` (or `/ 67`).
//! * **Empty text** is one segment: an empty SMS is still one message.
//!
//! Counting is one pass over the characters, with no allocation, and never
//! panics; on absurd inputs (more than `u32::MAX` units) the counts saturate.

use std::fmt;

use crate::number::Number;

/// Septets in a GSM-7 message of one segment.
const GSM7_SINGLE: u32 = 160;
/// Septets per segment of a concatenated GSM-7 message.
const GSM7_CONCAT: u32 = 153;
/// UTF-16 code units in a UCS-2 message of one segment.
const UCS2_SINGLE: u32 = 70;
/// UTF-16 code units per segment of a concatenated UCS-2 message.
const UCS2_CONCAT: u32 = 67;

/// The character encoding an SMS is sent in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum SmsEncoding {
    /// The GSM 03.38 default alphabet, 7 bits per character: 160 septets in
    /// one segment, 153 per segment when concatenated.
    Gsm7 = 1,
    /// UCS-2 (in practice UTF-16), 16 bits per code unit: 70 code units in one
    /// segment, 67 per segment when concatenated.
    Ucs2 = 2,
}

impl SmsEncoding {
    /// Every encoding, in numeric order.
    pub const ALL: &'static [Self] = &[Self::Gsm7, Self::Ucs2];

    /// The encoding with this name (as in [`SmsEncoding::name`]).
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|e| e.name() == name)
    }

    /// The encoding with this stable number (as in [`SmsEncoding::code`]).
    #[must_use]
    pub const fn from_code(code: u32) -> Option<Self> {
        match code {
            1 => Some(Self::Gsm7),
            2 => Some(Self::Ucs2),
            _ => None,
        }
    }

    /// `"gsm7"` or `"ucs2"`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Gsm7 => "gsm7",
            Self::Ucs2 => "ucs2",
        }
    }

    /// The stable number: 1 for GSM-7, 2 for UCS-2.
    #[must_use]
    pub const fn code(self) -> u32 {
        self as u32
    }
}

impl fmt::Display for SmsEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How a text is sent: its encoding, its size and the segments it needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SegmentCount {
    /// The encoding the text is sent in.
    pub encoding: SmsEncoding,
    /// The number of segments (billed messages); at least 1.
    pub segments: u32,
    /// The size of the text: septets for GSM-7 (extension characters count
    /// 2), UTF-16 code units for UCS-2 (characters outside the BMP count 2).
    pub units: u32,
    /// The capacity of a segment for this message: 160 (GSM-7) or 70 (UCS-2)
    /// when it fits in one segment, 153 or 67 when it is concatenated.
    pub per_segment: u32,
    /// Units still free in the last segment: how much can be added before
    /// another segment is needed (when the text stays in the same encoding and
    /// a single segment stays single).
    pub remaining: u32,
}

/// Count the segments `text` is sent in.
///
/// See the [module documentation](self) for the rules.
///
/// ```
/// use privnum::callback::segments::{SmsEncoding, count_segments};
///
/// let c = count_segments("hello");
/// assert_eq!((c.encoding, c.segments, c.units, c.remaining), (SmsEncoding::Gsm7, 1, 5, 155));
///
/// let c = count_segments(&"a".repeat(161));
/// assert_eq!((c.segments, c.per_segment, c.remaining), (2, 153, 145));
///
/// let c = count_segments("你好");
/// assert_eq!((c.encoding, c.units, c.per_segment), (SmsEncoding::Ucs2, 2, 70));
/// ```
#[must_use]
pub fn count_segments(text: &str) -> SegmentCount {
    count_chars(text.chars())
}

/// Count the segments of an AX-mode message from user A to the privacy number
/// X, as A sends it.
///
/// In AX mode, A's SMS to X must end with `@` and B's number so the platform
/// knows whom to forward it to; the platform strips that suffix before
/// forwarding. What is counted here is the message A's handset actually sends
/// to X: `text`, then an ASCII `@`, then `b_number` in E.164 form
/// (`+8613900000002`), i.e. `text + "@" + b_number.e164()`. The suffix takes
/// room like any other characters (15 septets for a mainland mobile), and it
/// is part of the encoding decision: it is pure GSM-7, so it never forces
/// UCS-2, but in a UCS-2 message it costs 15 code units out of 70 or 67.
///
/// `text` is the message body without the suffix; do not append it yourself.
/// The message B receives, without the suffix, is counted by
/// [`count_segments`]`(text)`.
///
/// ```
/// use privnum::callback::segments::{count_segments, count_segments_ax};
///
/// let b = privnum::number::parse("+8613900000002").unwrap();
/// let text = "a".repeat(146); // 146 + "@+8613900000002" (15) = 161 septets
/// assert_eq!(count_segments(&text).segments, 1);
/// assert_eq!(count_segments_ax(&text, &b).segments, 2);
/// ```
#[must_use]
pub fn count_segments_ax(text: &str, b_number: &Number) -> SegmentCount {
    let b = b_number.e164();
    count_chars(
        text.chars()
            .chain(std::iter::once('@'))
            .chain(b.as_str().chars()),
    )
}

/// One pass over the characters, tallying both encodings at once; GSM-7 is
/// dropped at the first character outside the default alphabet.
fn count_chars(chars: impl Iterator<Item = char>) -> SegmentCount {
    let mut gsm = Some(Tally::new(GSM7_CONCAT));
    let mut ucs = Tally::new(UCS2_CONCAT);
    for c in chars {
        if let Some(tally) = gsm.as_mut() {
            match gsm7_septets(c) {
                Some(width) => tally.add(width),
                None => gsm = None,
            }
        }
        // 1 or 2 (a surrogate pair).
        ucs.add(c.len_utf16() as u32);
    }
    match gsm {
        Some(tally) => tally.finish(SmsEncoding::Gsm7, GSM7_SINGLE),
        None => ucs.finish(SmsEncoding::Ucs2, UCS2_SINGLE),
    }
}

/// Units of one encoding, packed greedily into concatenated segments.
struct Tally {
    /// Units per concatenated segment (153 or 67).
    cap: u32,
    /// All units so far.
    total: u32,
    /// Concatenated segments used so far (the current one included).
    segments: u32,
    /// Units used in the current concatenated segment.
    used: u32,
}

impl Tally {
    const fn new(cap: u32) -> Self {
        Self {
            cap,
            total: 0,
            segments: 1,
            used: 0,
        }
    }

    /// Add one character of `width` units (1 or 2), which must not be split.
    fn add(&mut self, width: u32) {
        self.total = self.total.saturating_add(width);
        let used = self.used.saturating_add(width);
        if used > self.cap {
            self.segments = self.segments.saturating_add(1);
            self.used = width;
        } else {
            self.used = used;
        }
    }

    fn finish(&self, encoding: SmsEncoding, single: u32) -> SegmentCount {
        if self.total <= single {
            SegmentCount {
                encoding,
                segments: 1,
                units: self.total,
                per_segment: single,
                remaining: single - self.total,
            }
        } else {
            SegmentCount {
                encoding,
                segments: self.segments,
                units: self.total,
                per_segment: self.cap,
                remaining: self.cap.saturating_sub(self.used),
            }
        }
    }
}

/// Septets `c` takes in the GSM 03.38 default alphabet: 1 in the basic table,
/// 2 in the extension table (escape + character), `None` when it is in neither.
const fn gsm7_septets(c: char) -> Option<u32> {
    match c {
        // Basic table, 0x00–0x1F (0x1B is the escape, not a character).
        '@' | '£' | '$' | '¥' | 'è' | 'é' | 'ù' | 'ì' | 'ò' | 'Ç' | '\n' | 'Ø' | 'ø' | '\r'
        | 'Å' | 'å' | 'Δ' | '_' | 'Φ' | 'Γ' | 'Λ' | 'Ω' | 'Π' | 'Ψ' | 'Σ' | 'Θ' | 'Ξ' | 'Æ'
        | 'æ' | 'ß' | 'É'
        // 0x20–0x3F: as ASCII (space to '?'), except 0x24 is '¤' ('$' is at 0x02).
        | ' '..='?' | '¤'
        // 0x40–0x5F.
        | '¡' | 'A'..='Z' | 'Ä' | 'Ö' | 'Ñ' | 'Ü' | '§'
        // 0x60–0x7F.
        | '¿' | 'a'..='z' | 'ä' | 'ö' | 'ñ' | 'ü' | 'à' => Some(1),
        // Extension table: form feed, ^ { } \ [ ~ ] | €.
        '\u{000C}' | '^' | '{' | '}' | '\\' | '[' | '~' | ']' | '|' | '€' => Some(2),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use SmsEncoding::{Gsm7, Ucs2};

    fn count(text: &str) -> (SmsEncoding, u32, u32, u32, u32) {
        let c = count_segments(text);
        (c.encoding, c.segments, c.units, c.per_segment, c.remaining)
    }

    #[test]
    fn empty_is_one_segment() {
        assert_eq!(count(""), (Gsm7, 1, 0, 160, 160));
    }

    #[test]
    fn gsm7_single_segment_boundary() {
        assert_eq!(count(&"a".repeat(160)), (Gsm7, 1, 160, 160, 0));
        assert_eq!(count(&"a".repeat(161)), (Gsm7, 2, 161, 153, 145));
    }

    #[test]
    fn gsm7_concatenated_boundary() {
        assert_eq!(count(&"a".repeat(306)), (Gsm7, 2, 306, 153, 0));
        assert_eq!(count(&"a".repeat(307)), (Gsm7, 3, 307, 153, 152));
    }

    #[test]
    fn gsm7_escape_at_segment_boundary() {
        // 152 + € would be 154 > 153: the € moves to segment 2.
        let t = format!("{}€{}", "a".repeat(152), "a".repeat(10));
        assert_eq!(count(&t), (Gsm7, 2, 164, 153, 141));
        // 151 + € is exactly 153.
        let t = format!("{}€{}", "a".repeat(151), "a".repeat(10));
        assert_eq!(count(&t), (Gsm7, 2, 163, 153, 143));
        // 306 septets, but the gap left by the moved € makes it 3 segments.
        let t = format!("{}€{}", "a".repeat(152), "a".repeat(152));
        assert_eq!(count(&t), (Gsm7, 3, 306, 153, 152));
        // In a single segment, an escape pair may end exactly at 160.
        let t = format!("{}€", "a".repeat(158));
        assert_eq!(count(&t), (Gsm7, 1, 160, 160, 0));
        let t = format!("{}€", "a".repeat(159));
        assert_eq!(count(&t), (Gsm7, 2, 161, 153, 145));
        // Only € signs: 76 per concatenated segment (152 septets).
        assert_eq!(count(&"€".repeat(80)), (Gsm7, 1, 160, 160, 0));
        assert_eq!(count(&"€".repeat(81)), (Gsm7, 2, 162, 153, 143));
    }

    #[test]
    fn ucs2_single_segment_boundary() {
        assert_eq!(count(&"中".repeat(70)), (Ucs2, 1, 70, 70, 0));
        assert_eq!(count(&"中".repeat(71)), (Ucs2, 2, 71, 67, 63));
    }

    #[test]
    fn ucs2_concatenated_boundary() {
        assert_eq!(count(&"中".repeat(134)), (Ucs2, 2, 134, 67, 0));
        assert_eq!(count(&"中".repeat(135)), (Ucs2, 3, 135, 67, 66));
    }

    #[test]
    fn emoji_at_segment_boundary() {
        assert_eq!(count("😀"), (Ucs2, 1, 2, 70, 68));
        assert_eq!(count(&"😀".repeat(35)), (Ucs2, 1, 70, 70, 0));
        // 33 emoji (66 units) per concatenated segment.
        assert_eq!(count(&"😀".repeat(36)), (Ucs2, 2, 72, 67, 61));
        let t = format!("{}😀{}", "中".repeat(66), "中".repeat(4));
        assert_eq!(count(&t), (Ucs2, 2, 72, 67, 61));
        let t = format!("{}😀{}", "中".repeat(65), "中".repeat(4));
        assert_eq!(count(&t), (Ucs2, 2, 71, 67, 63));
        let t = format!("{}😀{}", "中".repeat(66), "中".repeat(66));
        assert_eq!(count(&t), (Ucs2, 3, 134, 67, 66));
    }

    #[test]
    fn one_char_forces_ucs2() {
        assert_eq!(count(&"a".repeat(100)).0, Gsm7);
        let t = format!("{}中", "a".repeat(100));
        assert_eq!(count(&t), (Ucs2, 2, 101, 67, 33));
        assert_eq!(count("a`b"), (Ucs2, 1, 3, 70, 67));
        assert_eq!(count("a\tb"), (Ucs2, 1, 3, 70, 67));
        assert_eq!(count("ça va"), (Ucs2, 1, 5, 70, 65));
        assert_eq!(count("\u{2126}"), (Ucs2, 1, 1, 70, 69));
        assert_eq!(count("Hello 世界"), (Ucs2, 1, 8, 70, 62));
        // The GSM-only tally is dropped even when the non-GSM char comes last.
        let t = format!("{}中", "€".repeat(100));
        assert_eq!(count(&t), (Ucs2, 2, 101, 67, 33));
    }

    #[test]
    fn extension_chars_cost_two() {
        assert_eq!(count("^{}\\[~]|€\u{000C}"), (Gsm7, 1, 20, 160, 140));
        assert_eq!(count("€5"), (Gsm7, 1, 3, 160, 157));
    }

    #[test]
    fn basic_table_is_exact() {
        let basic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?\
                     ¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
        assert_eq!(basic.chars().count(), 127);
        assert_eq!(count(basic), (Gsm7, 1, 127, 160, 33));
        for c in basic.chars() {
            assert_eq!(gsm7_septets(c), Some(1), "{c:?}");
        }
        // Nothing else is in the tables: 127 basic characters, 10 extension ones.
        let mut one = 0;
        let mut two = 0;
        for c in (0..=0x10_FFFF).filter_map(char::from_u32) {
            match gsm7_septets(c) {
                Some(1) => one += 1,
                Some(2) => two += 1,
                Some(_) => panic!("{c:?}"),
                None => {}
            }
        }
        assert_eq!((one, two), (127, 10));
        assert_eq!(gsm7_septets('\u{1B}'), None);
        assert_eq!(gsm7_septets('`'), None);
        assert_eq!(gsm7_septets('ç'), None);
    }

    #[test]
    fn ax_counts_the_suffix() {
        let b = crate::number::parse("+8613900000002").unwrap();
        let ax = |t: &str| {
            let c = count_segments_ax(t, &b);
            (c.encoding, c.segments, c.units, c.per_segment, c.remaining)
        };
        assert_eq!(ax(""), (Gsm7, 1, 15, 160, 145));
        assert_eq!(ax(&"a".repeat(145)), (Gsm7, 1, 160, 160, 0));
        assert_eq!(ax(&"a".repeat(146)), (Gsm7, 2, 161, 153, 145));
        assert_eq!(ax("你好"), (Ucs2, 1, 17, 70, 53));
        assert_eq!(ax(&"中".repeat(56)), (Ucs2, 2, 71, 67, 63));
        let t = format!("{}€", "a".repeat(152));
        assert_eq!(ax(&t), (Gsm7, 2, 169, 153, 136));
        assert_eq!(
            count_segments_ax("hi", &b),
            count_segments("hi@+8613900000002")
        );
    }

    #[test]
    fn encoding_names_and_codes() {
        for &e in SmsEncoding::ALL {
            assert_eq!(SmsEncoding::from_name(e.name()), Some(e));
            assert_eq!(SmsEncoding::from_code(e.code()), Some(e));
            assert_eq!(e.to_string(), e.name());
        }
        assert_eq!(Gsm7.code(), 1);
        assert_eq!(Ucs2.code(), 2);
        assert_eq!(SmsEncoding::from_name("GSM7"), None);
        assert_eq!(SmsEncoding::from_code(0), None);
        assert_eq!(SmsEncoding::from_code(3), None);
    }
}

/// What the end of an AX-mode SMS from A says about its real receiver.
///
/// In AX mode, A texts X and must end the text with `@` (ASCII) followed by
/// B's number; the platform strips the suffix and forwards the rest from X to
/// B. When the suffix is missing or cannot be read, the platform asks the
/// customer in Block mode instead (spec §4, §9.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AxSuffix<'a> {
    /// A valid suffix: the receiver and the text before the `@`.
    Valid {
        /// B, parsed as a number (national forms read as mainland China).
        receiver: Number,
        /// The message without the suffix (what B receives).
        text: &'a str,
    },
    /// No `@` in the text at all.
    Missing,
    /// An `@` is there, but what follows is not a number that can receive
    /// an SMS (or the `@` is the full-width `＠`).
    Garbled {
        /// What follows the last `@` / `＠`, as sent.
        suffix: &'a str,
    },
}

/// Read the AX-mode `@<B number>` suffix of an SMS text (see [`AxSuffix`]).
/// The last `@` counts, so an e-mail address earlier in the text is fine.
#[must_use]
pub fn ax_suffix(text: &str) -> AxSuffix<'_> {
    let ascii = text.rfind('@');
    if let Some(w) = text.rfind('\u{ff20}') {
        if ascii.is_none_or(|a| a < w) {
            return AxSuffix::Garbled {
                suffix: &text[w + '\u{ff20}'.len_utf8()..],
            };
        }
    }
    let Some(a) = ascii else {
        return AxSuffix::Missing;
    };
    let suffix = &text[a + 1..];
    match crate::number::parse(suffix) {
        Ok(receiver) if receiver.is_bindable() => AxSuffix::Valid {
            receiver,
            text: &text[..a],
        },
        _ => AxSuffix::Garbled { suffix },
    }
}
