//! SMS segments (`privnum_sms_segments`): how many billed messages a text
//! becomes.

use std::ffi::c_char;

use privnum::Number;
use privnum::callback::segments::{self, AxSuffix, SegmentCount, SmsEncoding};

use crate::boundary::{Out, call, guard, static_cstr, str_in};
use crate::number::privnum_number;
use crate::push::privnum_str;
use crate::result::privnum_result;

/// Encoding: the GSM 03.38 default alphabet, 7 bits per character (160
/// septets in one segment, 153 per segment when concatenated).
pub const PRIVNUM_SMS_ENCODING_GSM7: u32 = 1;
/// Encoding: UCS-2 (in practice UTF-16; 70 code units in one segment, 67 per
/// segment when concatenated).
pub const PRIVNUM_SMS_ENCODING_UCS2: u32 = 2;

/// How a text is sent (written by `privnum_sms_segments`).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct privnum_segment_count {
    /// The encoding: `PRIVNUM_SMS_ENCODING_GSM7` or `PRIVNUM_SMS_ENCODING_UCS2`.
    pub encoding: u32,
    /// The number of segments (billed messages); at least 1.
    pub segments: u32,
    /// The size of the text: septets for GSM-7 (extension characters count
    /// 2), UTF-16 code units for UCS-2 (characters outside the BMP count 2).
    pub units: u32,
    /// The capacity of a segment of this message: 160 (GSM-7) or 70 (UCS-2)
    /// for a single segment, 153 or 67 when concatenated.
    pub per_segment: u32,
    /// Units still free in the last segment.
    pub remaining: u32,
}

impl From<SegmentCount> for privnum_segment_count {
    fn from(c: SegmentCount) -> Self {
        Self {
            encoding: c.encoding.code(),
            segments: c.segments,
            units: c.units,
            per_segment: c.per_segment,
            remaining: c.remaining,
        }
    }
}

/// Count the segments the UTF-8 `text` is sent in and write them to `*out`.
///
/// Any character outside the GSM 03.38 default alphabet makes the whole
/// text UCS-2; an escape pair (GSM-7) or surrogate pair (UCS-2) never
/// straddles two segments; the empty text is one segment.
///
/// `ax_b` NULL counts `text` as it is. Otherwise it counts an AX-mode
/// message from A to the privacy number X as A's handset sends it: `text`
/// followed by `@` and the E.164 form of `*ax_b`, the real receiver B (the
/// platform strips the suffix before forwarding). Pass the body without the
/// suffix. Invalid `*ax_b` bits give `PRIVNUM_RESULT_INVALID_ARGUMENT`.
///
/// `*out` is written only on success.
///
/// # Safety
///
/// `text` must be NULL (only with `text_len == 0`) or point to `text_len`
/// readable bytes; `ax_b` must be NULL or point to a `privnum_number`; `out`
/// must be valid for writing a `privnum_segment_count`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_sms_segments(
    text: *const u8,
    text_len: usize,
    ax_b: *const privnum_number,
    out: *mut privnum_segment_count,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees `text`/`text_len` and `out` (see above).
        let (text, out) = unsafe { (str_in(text, text_len, "text")?, Out::new(out, "out")?) };
        let count = if ax_b.is_null() {
            segments::count_segments(text)
        } else {
            // SAFETY: non-NULL, and the caller guarantees it points to a
            // `privnum_number` (a plain `uint64_t`, any bits allowed).
            let b = unsafe { ax_b.read_unaligned() };
            segments::count_segments_ax(text, &Number::from_bits(b.bits)?)
        };
        out.write(count.into());
        Ok(())
    })
}

/// AX suffix: the text ends with `@` and a number that can receive the SMS.
pub const PRIVNUM_AX_SUFFIX_VALID: u32 = 1;
/// AX suffix: there is no `@` in the text.
pub const PRIVNUM_AX_SUFFIX_MISSING: u32 = 2;
/// AX suffix: an `@` (or a full-width `＠`) is followed by something that is
/// not a number that can receive the SMS.
pub const PRIVNUM_AX_SUFFIX_GARBLED: u32 = 3;

/// What the end of an AX-mode SMS from A says about its real receiver
/// (written by `privnum_sms_ax_suffix`). The views point into the caller's
/// `text` and are valid as long as that buffer is.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct privnum_ax_suffix {
    /// `PRIVNUM_AX_SUFFIX_VALID`, `_MISSING` or `_GARBLED`.
    pub result: u32,
    /// B, when `result` is VALID (otherwise zero bits).
    pub receiver: privnum_number,
    /// The message before the `@` (what B receives), when VALID; else absent.
    pub text: privnum_str,
    /// What follows the last `@`, when GARBLED; else absent.
    pub suffix: privnum_str,
}

/// Read the AX-mode `@<B number>` suffix of the UTF-8 SMS `text` and write
/// the result to `*out`. In AX mode A must end a text to X with `@` (ASCII)
/// and B's number; the platform strips it and forwards the rest to B, and
/// asks the customer in Block mode when it is missing or garbled. The last
/// `@` counts. `*out` is written only on success; its views point into `text`.
///
/// # Safety
///
/// `text` must be NULL (only with `text_len == 0`) or point to `text_len`
/// readable bytes; `out` must be valid for writing a `privnum_ax_suffix`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_sms_ax_suffix(
    text: *const u8,
    text_len: usize,
    out: *mut privnum_ax_suffix,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees `text`/`text_len` and `out` (see above).
        let (text, out) = unsafe { (str_in(text, text_len, "text")?, Out::new(out, "out")?) };
        let none = privnum_number { bits: 0 };
        let result = match segments::ax_suffix(text) {
            AxSuffix::Valid { receiver, text } => privnum_ax_suffix {
                result: PRIVNUM_AX_SUFFIX_VALID,
                receiver: receiver.into(),
                text: privnum_str::of(text),
                suffix: privnum_str::absent(),
            },
            AxSuffix::Garbled { suffix } => privnum_ax_suffix {
                result: PRIVNUM_AX_SUFFIX_GARBLED,
                receiver: none,
                text: privnum_str::absent(),
                suffix: privnum_str::of(suffix),
            },
            _ => privnum_ax_suffix {
                result: PRIVNUM_AX_SUFFIX_MISSING,
                receiver: none,
                text: privnum_str::absent(),
                suffix: privnum_str::absent(),
            },
        };
        out.write(result);
        Ok(())
    })
}

/// The static, NUL-terminated name of a `PRIVNUM_SMS_ENCODING_*` value
/// (`"gsm7"`, `"ucs2"`), or NULL for an unknown value. Do not free.
#[unsafe(no_mangle)]
pub extern "C" fn privnum_sms_encoding_name(encoding: u32) -> *const c_char {
    guard(std::ptr::null(), || {
        SmsEncoding::from_code(encoding).map_or(std::ptr::null(), |e| static_cstr(e.name()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{check_family, screaming};

    #[test]
    fn encodings_match_core() {
        let c = [
            ("GSM7", PRIVNUM_SMS_ENCODING_GSM7),
            ("UCS2", PRIVNUM_SMS_ENCODING_UCS2),
        ];
        let core = SmsEncoding::ALL.iter().map(|&e| {
            assert_eq!(screaming(&format!("{e:?}")), e.name().to_ascii_uppercase());
            (screaming(&format!("{e:?}")), e.code())
        });
        check_family("PRIVNUM_SMS_ENCODING_", &c, core);
        assert!(privnum_sms_encoding_name(0).is_null());
        assert!(privnum_sms_encoding_name(3).is_null());
    }
}
