//! Phone numbers (`privnum_number_*`) and API field bounds (`privnum_field_*`).

use std::ffi::c_char;

use privnum::number::{self, NumStr};
use privnum::{Error, ErrorKind, Field, Number, ParseOptions, Result};

use crate::boundary::{Out, OutBuf, call, guard, static_cstr, str_in, unknown};
use crate::result::privnum_result;

/// A validated phone number, passed by value (8 bytes, no heap, nothing to
/// free).
///
/// Obtain one from `privnum_number_parse`, `privnum_number_parse_default` or
/// `privnum_number_from_bits`. `bits` is an opaque packed form: stable within
/// a release, fine to store and compare (two numbers are equal when their
/// bits are), but do not build it by hand. Every function taking a
/// `privnum_number` re-checks the bits: functions returning a result code
/// fail with `PRIVNUM_RESULT_INVALID_ARGUMENT` for bits no parse produced;
/// getters return their documented default.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct privnum_number {
    /// The packed number.
    pub bits: u64,
}

impl privnum_number {
    fn get(self) -> Result<Number> {
        Number::from_bits(self.bits)
    }
}

/// `default_country` value for `privnum_number_parse`: no default country, so
/// national numbers (without `+` or `00`) are rejected with
/// `PRIVNUM_RESULT_NUMBER_MISSING_COUNTRY_CODE`.
pub const PRIVNUM_COUNTRY_NONE: u32 = 0;
/// The default country calling code of `privnum_number_parse_default`:
/// mainland China.
pub const PRIVNUM_DEFAULT_COUNTRY_CODE: u32 = 86;

/// Class: a mainland-China mobile number of a network operator (13x-19x).
pub const PRIVNUM_NUMBER_CLASS_MOBILE: u32 = 1;
/// Class: a mainland-China mobile number in a virtual-operator range (162,
/// 165, 167, 170, 171), where privacy numbers (X) usually come from.
pub const PRIVNUM_NUMBER_CLASS_VIRTUAL_OPERATOR: u32 = 2;
/// Class: a mainland-China fixed line (area code plus local number). It can
/// be called through X but cannot call X.
pub const PRIVNUM_NUMBER_CLASS_FIXED_LINE: u32 = 3;
/// Class: a mainland-China service number (400/800, 95xxx, 96xxx, 10xxx,
/// 12xxx, emergency 11x). It can never be bound.
pub const PRIVNUM_NUMBER_CLASS_SERVICE: u32 = 4;
/// Class: a number of another country; not classified further.
pub const PRIVNUM_NUMBER_CLASS_INTERNATIONAL: u32 = 5;

/// Parse what a person typed into `*out`.
///
/// `default_country` is the country calling code applied to national numbers
/// (no `+`, no `00`), or `PRIVNUM_COUNTRY_NONE` (0) to reject them. Use
/// `privnum_number_parse_default` for the usual default, +86. A value above
/// 65535 gives `PRIVNUM_RESULT_INVALID_ARGUMENT`; an unassigned code gives
/// `PRIVNUM_RESULT_NUMBER_UNKNOWN_COUNTRY_CODE`.
///
/// Returns `PRIVNUM_RESULT_OK` or a `PRIVNUM_RESULT_NUMBER_*` code (see the
/// last error message for details). `*out` is written only on success.
///
/// # Safety
///
/// `input` must be NULL (only with `input_len == 0`) or point to
/// `input_len` readable bytes; `out` must be valid for writing a
/// `privnum_number`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_number_parse(
    input: *const u8,
    input_len: usize,
    default_country: u32,
    out: *mut privnum_number,
) -> privnum_result {
    call(|| {
        let default_country = match default_country {
            PRIVNUM_COUNTRY_NONE => None,
            code => Some(u16::try_from(code).map_err(|_| {
                Error::new(
                    ErrorKind::InvalidArgument,
                    format!("default_country {code} is out of range"),
                )
            })?),
        };
        // SAFETY: the caller guarantees `input`/`input_len` and `out` (see above).
        let (input, out) = unsafe { (str_in(input, input_len, "input")?, Out::new(out, "out")?) };
        let n = number::parse_with(input, ParseOptions { default_country })?;
        out.write(n.into());
        Ok(())
    })
}

/// Parse what a person typed into `*out`, with mainland China (+86) as the
/// default country (`PRIVNUM_DEFAULT_COUNTRY_CODE`). Otherwise as
/// `privnum_number_parse`.
///
/// # Safety
///
/// As for `privnum_number_parse`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_number_parse_default(
    input: *const u8,
    input_len: usize,
    out: *mut privnum_number,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees `input`/`input_len` and `out` (see above).
        let (input, out) = unsafe { (str_in(input, input_len, "input")?, Out::new(out, "out")?) };
        out.write(number::parse(input)?.into());
        Ok(())
    })
}

/// Rebuild a number from stored `bits` (a `privnum_number.bits` value),
/// checking them: bits that no parse produced give
/// `PRIVNUM_RESULT_INVALID_ARGUMENT`. `*out` is written only on success.
///
/// # Safety
///
/// `out` must be valid for writing a `privnum_number`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_number_from_bits(
    bits: u64,
    out: *mut privnum_number,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees `out` (see above).
        let out = unsafe { Out::new(out, "out") }?;
        out.write(Number::from_bits(bits)?.into());
        Ok(())
    })
}

impl From<Number> for privnum_number {
    fn from(n: Number) -> Self {
        Self { bits: n.to_bits() }
    }
}

/// Write one rendering of `n` to `(buf, buf_len, out_n)`.
///
/// # Safety
///
/// As for [`OutBuf::new`].
unsafe fn render(
    n: privnum_number,
    buf: *mut u8,
    buf_len: usize,
    out_n: *mut usize,
    form: fn(Number) -> Option<NumStr>,
) -> privnum_result {
    call(|| {
        // SAFETY: forwarded from this function's contract.
        let out = unsafe { OutBuf::new(buf, buf_len, out_n) }?;
        let text = form(n.get()?);
        out.put(text.as_deref().unwrap_or("").as_bytes())
    })
}

/// Write the number in E.164 form (`+8613800000021`) to `buf`, not
/// NUL-terminated, and its length to `*out_n`. 32 bytes always suffice.
///
/// Returns `PRIVNUM_RESULT_INSUFFICIENT_SIZE` (with the needed size in
/// `*out_n`, `buf` untouched) if `buf_len` is too small, and
/// `PRIVNUM_RESULT_INVALID_ARGUMENT` for invalid bits.
///
/// # Safety
///
/// `buf` must be NULL (only with `buf_len == 0`) or valid for writing
/// `buf_len` bytes; `out_n` must be valid for writing a `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_number_e164(
    n: privnum_number,
    buf: *mut u8,
    buf_len: usize,
    out_n: *mut usize,
) -> privnum_result {
    // SAFETY: forwarded from this function's contract.
    unsafe { render(n, buf, buf_len, out_n, |n| Some(n.e164())) }
}

/// Write the E.164 form escaped for a URL query string (`%2B8613800000021`;
/// a raw `+` in a query decodes as a space). Output as `privnum_number_e164`.
///
/// # Safety
///
/// As for `privnum_number_e164`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_number_query(
    n: privnum_number,
    buf: *mut u8,
    buf_len: usize,
    out_n: *mut usize,
) -> privnum_result {
    // SAFETY: forwarded from this function's contract.
    unsafe { render(n, buf, buf_len, out_n, |n| Some(n.query())) }
}

/// Write a form safe for logs (`+86138****0021`): country code, the first
/// three and last four digits of the national number, the rest as `*`.
/// Output as `privnum_number_e164`.
///
/// # Safety
///
/// As for `privnum_number_e164`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_number_masked(
    n: privnum_number,
    buf: *mut u8,
    buf_len: usize,
    out_n: *mut usize,
) -> privnum_result {
    // SAFETY: forwarded from this function's contract.
    unsafe { render(n, buf, buf_len, out_n, |n| Some(n.masked())) }
}

/// Write the number as dialled inside its country: Chinese fixed lines get
/// the trunk `0` (`075528000002`), mobiles and service numbers stay as they
/// are; for other countries, the national significant number. Output as
/// `privnum_number_e164`.
///
/// # Safety
///
/// As for `privnum_number_e164`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_number_national(
    n: privnum_number,
    buf: *mut u8,
    buf_len: usize,
    out_n: *mut usize,
) -> privnum_result {
    // SAFETY: forwarded from this function's contract.
    unsafe { render(n, buf, buf_len, out_n, |n| Some(n.national())) }
}

/// Write the national significant number, without country code or trunk
/// prefix (`13800000021`, `75528000002`). Output as `privnum_number_e164`.
///
/// # Safety
///
/// As for `privnum_number_e164`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_number_national_significant(
    n: privnum_number,
    buf: *mut u8,
    buf_len: usize,
    out_n: *mut usize,
) -> privnum_result {
    // SAFETY: forwarded from this function's contract.
    unsafe { render(n, buf, buf_len, out_n, |n| Some(n.national_significant())) }
}

/// Write the area code of a Chinese fixed line with its trunk `0`, as the
/// platform's `areaCode` fields expect it (`0755`, `010`).
///
/// Numbers that are not fixed lines have no area code: the call succeeds,
/// writes nothing to `buf` and sets `*out_n` to 0 (an area code is never
/// empty, so 0 means "none"; `buf` may be NULL with `buf_len == 0`). Output
/// otherwise as `privnum_number_e164`.
///
/// # Safety
///
/// As for `privnum_number_e164`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_number_area_code(
    n: privnum_number,
    buf: *mut u8,
    buf_len: usize,
    out_n: *mut usize,
) -> privnum_result {
    // SAFETY: forwarded from this function's contract.
    unsafe { render(n, buf, buf_len, out_n, Number::area_code) }
}

/// The country calling code (86 for mainland China), or 0 if `n` is not a
/// valid number.
#[unsafe(no_mangle)]
pub extern "C" fn privnum_number_country_code(n: privnum_number) -> u16 {
    guard(0, || n.get().map_or(0, Number::country_code))
}

/// The class of the number, a `PRIVNUM_NUMBER_CLASS_*` value, or 0 if `n` is
/// not a valid number.
#[unsafe(no_mangle)]
pub extern "C" fn privnum_number_class(n: privnum_number) -> u32 {
    guard(0, || n.get().map_or(0, |n| n.class() as u32))
}

/// The static, NUL-terminated snake_case name of a `PRIVNUM_NUMBER_CLASS_*`
/// value (`"mobile"`, `"virtual_operator"`, `"fixed_line"`, `"service"`,
/// `"international"`), or NULL for an unknown value. Do not free.
#[unsafe(no_mangle)]
pub extern "C" fn privnum_number_class_name(number_class: u32) -> *const c_char {
    guard(std::ptr::null(), || {
        privnum::NumberClass::from_code(number_class)
            .map_or(std::ptr::null(), |c| static_cstr(c.name()))
    })
}

/// Whether the number may be a party (A, B, callee) of a binding: false for
/// service numbers, and false if `n` is not a valid number.
#[unsafe(no_mangle)]
pub extern "C" fn privnum_number_is_bindable(n: privnum_number) -> bool {
    guard(false, || n.get().is_ok_and(Number::is_bindable))
}

/// Whether the number may place calls to a privacy number X: false for fixed
/// lines and service numbers, and false if `n` is not a valid number.
#[unsafe(no_mangle)]
pub extern "C" fn privnum_number_can_call_x(n: privnum_number) -> bool {
    guard(false, || n.get().is_ok_and(Number::can_call_x))
}

/// Check that the number, in E.164 form, fits the length bounds of `field`
/// (a `PRIVNUM_FIELD_*` value).
///
/// Returns `PRIVNUM_RESULT_OK`, `PRIVNUM_RESULT_FIELD_OUT_OF_BOUNDS`, or
/// `PRIVNUM_RESULT_INVALID_ARGUMENT` for an unknown field or invalid bits.
#[unsafe(no_mangle)]
pub extern "C" fn privnum_number_check_field(n: privnum_number, field: u32) -> privnum_result {
    call(|| n.get()?.check_field(field_arg(field)?))
}

/// Field: AXB bind/modify `callerNum` (A): String(4-31).
pub const PRIVNUM_FIELD_AXB_CALLER_NUM: u32 = 1;
/// Field: AXB bind/modify `calleeNum` (B): String(4-31).
pub const PRIVNUM_FIELD_AXB_CALLEE_NUM: u32 = 2;
/// Field: AXB `relationNum` (X): String(4-31).
pub const PRIVNUM_FIELD_AXB_RELATION_NUM: u32 = 3;
/// Field: AXB query `callerNum` / `calleeNum` filters: String(4-128).
pub const PRIVNUM_FIELD_AXB_QUERY_PARTY_NUM: u32 = 4;
/// Field: AX `origNum` (A): String(1-32).
pub const PRIVNUM_FIELD_AX_ORIG_NUM: u32 = 5;
/// Field: AX `privateNum` (X): String(1-32).
pub const PRIVNUM_FIELD_AX_PRIVATE_NUM: u32 = 6;
/// Field: AX temporary callee `origNum`: String(4-31).
pub const PRIVNUM_FIELD_AX_TEMP_CALLEE_ORIG_NUM: u32 = 7;
/// Field: AXE `bindNum` (A): String(1-32).
pub const PRIVNUM_FIELD_AXE_BIND_NUM: u32 = 8;
/// Field: AXE `virtualNum` (X): String(1-32).
pub const PRIVNUM_FIELD_AXE_VIRTUAL_NUM: u32 = 9;
/// Field: AXE `callbackNum`: String(1-32).
pub const PRIVNUM_FIELD_AXE_CALLBACK_NUM: u32 = 10;
/// Field: AXE `extendNum`: String(1-4).
pub const PRIVNUM_FIELD_AXE_EXTEND_NUM: u32 = 11;
/// Field: AXYB `origNum` (A for AX bind, B for YB bind): String(1-32).
pub const PRIVNUM_FIELD_AXYB_ORIG_NUM: u32 = 12;
/// Field: AXYB `app_key` query parameter: String(1-128).
pub const PRIVNUM_FIELD_AXYB_APP_KEY: u32 = 13;
/// Field: X-mode reply `connectInfo.calleeNum`: String(4-31).
pub const PRIVNUM_FIELD_X_CALLEE_NUM: u32 = 14;
/// Field: X-mode reply `connectInfo.displayCalleeNum`: String(4-31).
pub const PRIVNUM_FIELD_X_DISPLAY_CALLEE_NUM: u32 = 15;
/// Field: SMS Block reply `message.called` / `message.calling`: String(1-64).
pub const PRIVNUM_FIELD_SMS_MESSAGE_NUM: u32 = 16;
/// Field: VoiceCall `displayNbr`: String(4-31).
pub const PRIVNUM_FIELD_VOICE_DISPLAY_NBR: u32 = 17;
/// Field: VoiceCall `calleeNbr`: String(4-31).
pub const PRIVNUM_FIELD_VOICE_CALLEE_NBR: u32 = 18;
/// Field: VoiceCall `verifyCode`: String(2-8).
pub const PRIVNUM_FIELD_VOICE_VERIFY_CODE: u32 = 19;
/// Field: `subscriptionId` of every mode: String(1-64).
pub const PRIVNUM_FIELD_SUBSCRIPTION_ID: u32 = 20;
/// Field: `userData`: String(1-256).
pub const PRIVNUM_FIELD_USER_DATA: u32 = 21;
/// Field: `sessionId` (call-leg id, and call stop's `sessionid`): String(1-256).
pub const PRIVNUM_FIELD_SESSION_ID: u32 = 22;
/// Field: audio file names (`recordHintTone`, `callbackTone`, `preTone`, ...): String(1-128).
pub const PRIVNUM_FIELD_TONE_FILE: u32 = 23;
/// Field: recording download `fileName`: String(1-128).
pub const PRIVNUM_FIELD_RECORD_FILE_NAME: u32 = 24;
/// Field: recording download `recordDomain`: String(1-128).
pub const PRIVNUM_FIELD_RECORD_DOMAIN: u32 = 25;
/// Field: `areaCode` of AXB bind: String(0-32).
pub const PRIVNUM_FIELD_AREA_CODE: u32 = 26;
/// Field: X-AKSK / X-WSSE `Nonce`: 1-128 characters.
pub const PRIVNUM_FIELD_NONCE: u32 = 27;

fn field_arg(code: u32) -> Result<Field> {
    Field::from_code(code).ok_or_else(|| unknown("field (PRIVNUM_FIELD_*)", code))
}

/// Check that the UTF-8 text `value` fits the length bounds of `field` (a
/// `PRIVNUM_FIELD_*` value); lengths count characters, not bytes.
///
/// Returns `PRIVNUM_RESULT_OK`, `PRIVNUM_RESULT_FIELD_OUT_OF_BOUNDS`,
/// `PRIVNUM_RESULT_INVALID_UTF8`, or `PRIVNUM_RESULT_INVALID_ARGUMENT` for an
/// unknown field.
///
/// # Safety
///
/// `value` must be NULL (only with `value_len == 0`, the empty string) or
/// point to `value_len` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_field_check(
    field: u32,
    value: *const u8,
    value_len: usize,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees `value`/`value_len` (see above).
        let value = unsafe { str_in(value, value_len, "value") }?;
        field_arg(field)?.check(value)
    })
}

/// Write the documented length bounds of `field` (a `PRIVNUM_FIELD_*`
/// value), in characters, to `*out_min` and `*out_max`. Unknown fields give
/// `PRIVNUM_RESULT_INVALID_ARGUMENT`. Nothing is written unless the call
/// succeeds.
///
/// # Safety
///
/// `out_min` and `out_max` must each be valid for writing a `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_field_bounds(
    field: u32,
    out_min: *mut usize,
    out_max: *mut usize,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees `out_min` and `out_max` (see above).
        let (out_min, out_max) =
            unsafe { (Out::new(out_min, "out_min")?, Out::new(out_max, "out_max")?) };
        let (min, max) = field_arg(field)?.bounds();
        out_min.write(min);
        out_max.write(max);
        Ok(())
    })
}

/// The static, NUL-terminated name of `field` as `<interface>.<jsonField>`
/// (`"axb.callerNum"`), or NULL for an unknown field. Do not free.
#[unsafe(no_mangle)]
pub extern "C" fn privnum_field_name(field: u32) -> *const c_char {
    guard(std::ptr::null(), || {
        Field::from_code(field).map_or(std::ptr::null(), |f| static_cstr(f.name()))
    })
}

/// Look a field up by its name (as `privnum_field_name` returns it) and write
/// its `PRIVNUM_FIELD_*` value to `*out`. Unknown names give
/// `PRIVNUM_RESULT_INVALID_ARGUMENT`.
///
/// # Safety
///
/// `name` must be NULL (only with `name_len == 0`) or point to `name_len`
/// readable bytes; `out` must be valid for writing a `uint32_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_field_from_name(
    name: *const u8,
    name_len: usize,
    out: *mut u32,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees `name`/`name_len` and `out` (see above).
        let (name, out) = unsafe { (str_in(name, name_len, "name")?, Out::new(out, "out")?) };
        let field = Field::from_name(name).ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidArgument,
                format!("{name:?} is not a known field name"),
            )
        })?;
        out.write(field as u32);
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use privnum::NumberClass;

    use super::*;
    use crate::test_support::{check_family, screaming};

    #[test]
    fn classes_match_core() {
        let c = [
            ("MOBILE", PRIVNUM_NUMBER_CLASS_MOBILE),
            ("VIRTUAL_OPERATOR", PRIVNUM_NUMBER_CLASS_VIRTUAL_OPERATOR),
            ("FIXED_LINE", PRIVNUM_NUMBER_CLASS_FIXED_LINE),
            ("SERVICE", PRIVNUM_NUMBER_CLASS_SERVICE),
            ("INTERNATIONAL", PRIVNUM_NUMBER_CLASS_INTERNATIONAL),
        ];
        let core = NumberClass::ALL
            .iter()
            .map(|&k| (screaming(&format!("{k:?}")), k as u32));
        check_family("PRIVNUM_NUMBER_CLASS_", &c, core);
    }

    #[test]
    fn fields_match_core() {
        let c = [
            ("AXB_CALLER_NUM", PRIVNUM_FIELD_AXB_CALLER_NUM),
            ("AXB_CALLEE_NUM", PRIVNUM_FIELD_AXB_CALLEE_NUM),
            ("AXB_RELATION_NUM", PRIVNUM_FIELD_AXB_RELATION_NUM),
            ("AXB_QUERY_PARTY_NUM", PRIVNUM_FIELD_AXB_QUERY_PARTY_NUM),
            ("AX_ORIG_NUM", PRIVNUM_FIELD_AX_ORIG_NUM),
            ("AX_PRIVATE_NUM", PRIVNUM_FIELD_AX_PRIVATE_NUM),
            (
                "AX_TEMP_CALLEE_ORIG_NUM",
                PRIVNUM_FIELD_AX_TEMP_CALLEE_ORIG_NUM,
            ),
            ("AXE_BIND_NUM", PRIVNUM_FIELD_AXE_BIND_NUM),
            ("AXE_VIRTUAL_NUM", PRIVNUM_FIELD_AXE_VIRTUAL_NUM),
            ("AXE_CALLBACK_NUM", PRIVNUM_FIELD_AXE_CALLBACK_NUM),
            ("AXE_EXTEND_NUM", PRIVNUM_FIELD_AXE_EXTEND_NUM),
            ("AXYB_ORIG_NUM", PRIVNUM_FIELD_AXYB_ORIG_NUM),
            ("AXYB_APP_KEY", PRIVNUM_FIELD_AXYB_APP_KEY),
            ("X_CALLEE_NUM", PRIVNUM_FIELD_X_CALLEE_NUM),
            ("X_DISPLAY_CALLEE_NUM", PRIVNUM_FIELD_X_DISPLAY_CALLEE_NUM),
            ("SMS_MESSAGE_NUM", PRIVNUM_FIELD_SMS_MESSAGE_NUM),
            ("VOICE_DISPLAY_NBR", PRIVNUM_FIELD_VOICE_DISPLAY_NBR),
            ("VOICE_CALLEE_NBR", PRIVNUM_FIELD_VOICE_CALLEE_NBR),
            ("VOICE_VERIFY_CODE", PRIVNUM_FIELD_VOICE_VERIFY_CODE),
            ("SUBSCRIPTION_ID", PRIVNUM_FIELD_SUBSCRIPTION_ID),
            ("USER_DATA", PRIVNUM_FIELD_USER_DATA),
            ("SESSION_ID", PRIVNUM_FIELD_SESSION_ID),
            ("TONE_FILE", PRIVNUM_FIELD_TONE_FILE),
            ("RECORD_FILE_NAME", PRIVNUM_FIELD_RECORD_FILE_NAME),
            ("RECORD_DOMAIN", PRIVNUM_FIELD_RECORD_DOMAIN),
            ("AREA_CODE", PRIVNUM_FIELD_AREA_CODE),
            ("NONCE", PRIVNUM_FIELD_NONCE),
        ];
        let core = Field::ALL
            .iter()
            .map(|&f| (screaming(&format!("{f:?}")), f as u32));
        check_family("PRIVNUM_FIELD_", &c, core);
    }

    #[test]
    fn country_constants_match_core() {
        assert_eq!(
            PRIVNUM_DEFAULT_COUNTRY_CODE,
            u32::from(number::DEFAULT_COUNTRY_CODE)
        );
        assert_eq!(
            ParseOptions::default().default_country.map(u32::from),
            Some(PRIVNUM_DEFAULT_COUNTRY_CODE)
        );
    }
}
