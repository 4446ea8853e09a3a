//! What the numbers in pushes and API responses mean: tear-down points
//! (`privnum_fail_reason_*`), Q.850 causes, API result codes and the actions
//! they call for, X-number statuses and SMS send results.
//!
//! Every lookup is total: unknown codes are not errors, they have no
//! description (NULL) and an "unknown"/"other" classification.

use std::ffi::c_char;

use privnum::callback::codes::{
    Action, FailCategory, FailReason, NumberStatus, Party, Q850, ResultCode, SendResult,
    UnavailableCause,
};
use privnum::{Error, ErrorKind};

use crate::boundary::{Out, call, guard, slice_in, static_cstr, str_in};
use crate::push::party_code;
use crate::result::privnum_result;

/// Category: answered and ended normally (code 0), or ended deliberately.
pub const PRIVNUM_FAIL_CATEGORY_NORMAL: u32 = 1;
/// Category: the caller hung up (before or during ringing, or before transfer).
pub const PRIVNUM_FAIL_CATEGORY_CALLER_HUNG_UP: u32 = 2;
/// Category: the callee hung up or rejected the call.
pub const PRIVNUM_FAIL_CATEGORY_CALLEE_HUNG_UP: u32 = 3;
/// Category: the callee could not be reached (busy, no answer, off, no such
/// number, suspended, ringing timeout).
pub const PRIVNUM_FAIL_CATEGORY_CALLEE_UNAVAILABLE: u32 = 4;
/// Category: no binding matched the call.
pub const PRIVNUM_FAIL_CATEGORY_NO_BINDING: u32 = 5;
/// Category: a policy blocked the call (direction, blacklist, frequency,
/// time window, carrier, real-name rules, frozen account).
pub const PRIVNUM_FAIL_CATEGORY_RESTRICTED: u32 = 6;
/// Category: the platform or the application's setup failed the call.
pub const PRIVNUM_FAIL_CATEGORY_PLATFORM: u32 = 7;
/// Category: the maximum call duration was reached.
pub const PRIVNUM_FAIL_CATEGORY_MAX_DURATION: u32 = 8;
/// Category: a code privnum does not know.
pub const PRIVNUM_FAIL_CATEGORY_UNKNOWN: u32 = 9;

/// Party: none, or not said by the code (`hung_up_by` of most codes).
pub const PRIVNUM_PARTY_NONE: u32 = 0;
/// Party: the calling party.
pub const PRIVNUM_PARTY_CALLER: u32 = 1;
/// Party: the called party.
pub const PRIVNUM_PARTY_CALLEE: u32 = 2;
/// Party: the platform itself (e.g. maximum duration reached).
pub const PRIVNUM_PARTY_PLATFORM: u32 = 3;

/// Action: the request succeeded.
pub const PRIVNUM_ACTION_SUCCESS: u32 = 1;
/// Action: a transient platform error; retry a limited number of times with
/// backoff (`privnum_result_code_max_retries`). Do not blindly resend a
/// non-idempotent request (bind) after a timeout: query first.
pub const PRIVNUM_ACTION_RETRY: u32 = 2;
/// Action: throttled; wait at least `PRIVNUM_BACK_OFF_SECS`, then retry.
pub const PRIVNUM_ACTION_BACK_OFF: u32 = 3;
/// Action: the request itself is wrong (parameter, format, URI): fix it.
pub const PRIVNUM_ACTION_FIX_INPUT: u32 = 4;
/// Action: the credentials or the authentication header are wrong.
pub const PRIVNUM_ACTION_FIX_AUTH: u32 = 5;
/// Action: `Created` is too far from the server's clock: fix the clock,
/// sign again, retry once.
pub const PRIVNUM_ACTION_FIX_CLOCK: u32 = 6;
/// Action: the thing already exists or is already bound.
pub const PRIVNUM_ACTION_CONFLICT: u32 = 7;
/// Action: the binding, record, number or session does not exist.
pub const PRIVNUM_ACTION_NOT_FOUND: u32 = 8;
/// Action: no idle resource or a quantity limit was reached.
pub const PRIVNUM_ACTION_EXHAUSTED: u32 = 9;
/// Action: the account, application, number or caller is not allowed now.
pub const PRIVNUM_ACTION_FORBIDDEN: u32 = 10;
/// Action: a code privnum does not know: treat as a failure, do not retry.
pub const PRIVNUM_ACTION_UNKNOWN: u32 = 11;

/// The minimum wait, in seconds, before retrying after `PRIVNUM_ACTION_BACK_OFF`.
pub const PRIVNUM_BACK_OFF_SECS: u32 = 60;

/// X-number status `"5"`: the number works normally.
pub const PRIVNUM_NUMBER_STATUS_NORMAL: u32 = 5;
/// X-number status `"9"`: paused; binding, calls and SMS all fail.
pub const PRIVNUM_NUMBER_STATUS_PAUSED: u32 = 9;
/// X-number status `"10"`: unavailable; binding, calls and SMS all fail
/// (`cause` says why).
pub const PRIVNUM_NUMBER_STATUS_UNAVAILABLE: u32 = 10;
/// X-number status `"11"`: bind-frozen; no new bindings, existing ones work.
pub const PRIVNUM_NUMBER_STATUS_BIND_FROZEN: u32 = 11;

/// Unavailable cause `"1"`: the number was deleted.
pub const PRIVNUM_UNAVAILABLE_CAUSE_NUMBER_DELETED: u32 = 1;
/// Unavailable cause `"2"`: the account is in arrears.
pub const PRIVNUM_UNAVAILABLE_CAUSE_ARREARS: u32 = 2;
/// Unavailable cause `"3"`: the number is suspended.
pub const PRIVNUM_UNAVAILABLE_CAUSE_SUSPENDED: u32 = 3;
/// Unavailable cause `"5"`: the carrier restricted calls.
pub const PRIVNUM_UNAVAILABLE_CAUSE_CARRIER_RESTRICTION: u32 = 5;
/// Unavailable cause `"6"`: a restriction was lifted.
pub const PRIVNUM_UNAVAILABLE_CAUSE_RESTRICTION_LIFTED: u32 = 6;
/// Unavailable cause `"7"`: unconditional call forwarding is enabled on X.
pub const PRIVNUM_UNAVAILABLE_CAUSE_FORWARD_UNCONDITIONAL: u32 = 7;
/// Unavailable cause `"8"`: call forwarding on no answer is enabled on X.
pub const PRIVNUM_UNAVAILABLE_CAUSE_FORWARD_NO_ANSWER: u32 = 8;
/// Unavailable cause `"9"`: call forwarding on busy is enabled on X.
pub const PRIVNUM_UNAVAILABLE_CAUSE_FORWARD_BUSY: u32 = 9;

fn category_code(c: FailCategory) -> u32 {
    match c {
        FailCategory::Normal => PRIVNUM_FAIL_CATEGORY_NORMAL,
        FailCategory::CallerHungUp => PRIVNUM_FAIL_CATEGORY_CALLER_HUNG_UP,
        FailCategory::CalleeHungUp => PRIVNUM_FAIL_CATEGORY_CALLEE_HUNG_UP,
        FailCategory::CalleeUnavailable => PRIVNUM_FAIL_CATEGORY_CALLEE_UNAVAILABLE,
        FailCategory::NoBinding => PRIVNUM_FAIL_CATEGORY_NO_BINDING,
        FailCategory::Restricted => PRIVNUM_FAIL_CATEGORY_RESTRICTED,
        FailCategory::Platform => PRIVNUM_FAIL_CATEGORY_PLATFORM,
        FailCategory::MaxDuration => PRIVNUM_FAIL_CATEGORY_MAX_DURATION,
        FailCategory::Unknown => PRIVNUM_FAIL_CATEGORY_UNKNOWN,
    }
}

fn action_code(a: Action) -> u32 {
    match a {
        Action::Success => PRIVNUM_ACTION_SUCCESS,
        Action::Retry => PRIVNUM_ACTION_RETRY,
        Action::BackOff => PRIVNUM_ACTION_BACK_OFF,
        Action::FixInput => PRIVNUM_ACTION_FIX_INPUT,
        Action::FixAuth => PRIVNUM_ACTION_FIX_AUTH,
        Action::FixClock => PRIVNUM_ACTION_FIX_CLOCK,
        Action::Conflict => PRIVNUM_ACTION_CONFLICT,
        Action::NotFound => PRIVNUM_ACTION_NOT_FOUND,
        Action::Exhausted => PRIVNUM_ACTION_EXHAUSTED,
        Action::Forbidden => PRIVNUM_ACTION_FORBIDDEN,
        Action::Unknown => PRIVNUM_ACTION_UNKNOWN,
    }
}

/// A static C string, or NULL.
fn cstr(s: Option<&'static str>) -> *const c_char {
    s.map_or(std::ptr::null(), static_cstr)
}

fn lookup(f: impl FnOnce() -> Option<&'static str>) -> *const c_char {
    guard(std::ptr::null(), || cstr(f()))
}

// ------------------------------------------------------------ fail reasons

/// A short, static, NUL-terminated English description of a tear-down point
/// or hang-up reason (a CDR's `ulFailReason`, a disconnect's `stateCode`;
/// e.g. 7503 `"callee hung up"`), or NULL for a code not in privnum's tables.
/// Do not free.
#[unsafe(no_mangle)]
pub extern "C" fn privnum_fail_reason_description(code: u32) -> *const c_char {
    lookup(|| FailReason(code).description())
}

/// The broad class of a tear-down point: a `PRIVNUM_FAIL_CATEGORY_*` value
/// (`PRIVNUM_FAIL_CATEGORY_UNKNOWN` for codes not in the tables, except
/// unlisted codes of the control range 8042-8059, which are
/// `PRIVNUM_FAIL_CATEGORY_RESTRICTED`).
#[unsafe(no_mangle)]
pub extern "C" fn privnum_fail_reason_category(code: u32) -> u32 {
    guard(PRIVNUM_FAIL_CATEGORY_UNKNOWN, || {
        category_code(FailReason(code).category())
    })
}

/// Who ended the call, only when the code itself says so: a
/// `PRIVNUM_PARTY_*` value (the caller for 7501, 7502, 7516 and 8009, the
/// callee for 7503 and 7504, the platform for 8010), otherwise
/// `PRIVNUM_PARTY_NONE` (including code 0, which does not say who hung up).
#[unsafe(no_mangle)]
pub extern "C" fn privnum_fail_reason_hung_up_by(code: u32) -> u32 {
    guard(PRIVNUM_PARTY_NONE, || {
        party_code(FailReason(code).hung_up_by())
    })
}

/// Whether the code is 0, a normal hang-up after the call was answered.
#[unsafe(no_mangle)]
pub extern "C" fn privnum_fail_reason_is_normal(code: u32) -> bool {
    guard(false, || FailReason(code).is_normal())
}

/// The static, NUL-terminated snake_case name of a
/// `PRIVNUM_FAIL_CATEGORY_*` value (`"normal"`, `"caller_hung_up"`,
/// `"no_binding"`, ...), or NULL for an unknown value. Do not free.
#[unsafe(no_mangle)]
pub extern "C" fn privnum_fail_category_name(category: u32) -> *const c_char {
    lookup(|| {
        FailCategory::ALL
            .iter()
            .find(|&&c| category_code(c) == category)
            .map(|c| c.name())
    })
}

/// The static, NUL-terminated name of a `PRIVNUM_PARTY_*` value
/// (`"caller"`, `"callee"`, `"platform"`), or NULL for `PRIVNUM_PARTY_NONE`
/// and unknown values. Do not free.
#[unsafe(no_mangle)]
pub extern "C" fn privnum_party_name(party: u32) -> *const c_char {
    lookup(|| {
        Party::ALL
            .iter()
            .find(|&&p| party_code(Some(p)) == party)
            .map(|p| p.name())
    })
}

// --------------------------------------------------------------------- Q.850

/// The static, NUL-terminated standard name of a Q.850 cause (a CDR's
/// `fwdUnaswRsn` / `callOutUnaswRsn`; e.g. 17 `"user busy"`), or NULL for a
/// value the spec does not list. Do not free.
#[unsafe(no_mangle)]
pub extern "C" fn privnum_q850_description(cause: u32) -> *const c_char {
    lookup(|| Q850(cause).description())
}

/// Whether the Q.850 cause means nothing went wrong: 0 (no cause) or 16
/// (normal call clearing).
#[unsafe(no_mangle)]
pub extern "C" fn privnum_q850_is_normal(cause: u32) -> bool {
    guard(false, || Q850(cause).is_normal())
}

// -------------------------------------------------------------- result codes

/// Read a result code and an HTTP status. A code that is NULL with a length,
/// or not UTF-8, can be no known code: it reads as an unknown one.
///
/// # Safety
///
/// As for [`slice_in`] with `T = u8`.
unsafe fn result_code(code: *const u8, len: usize, http_status: i32) -> (ResultCode, Option<u16>) {
    // SAFETY: forwarded from this function's contract.
    let text = unsafe { slice_in(code, len, "code") }
        .ok()
        .and_then(|b| std::str::from_utf8(b).ok());
    // The empty string is never a known code (nor success).
    (
        ResultCode::parse(text.unwrap_or("")),
        u16::try_from(http_status).ok(),
    )
}

/// What to do about a platform API `resultcode` (the string as received,
/// e.g. `"1012010"`): a `PRIVNUM_ACTION_*` value.
///
/// `http_status` is the response's HTTP status, or -1 when unknown (any
/// value outside 0-65535 counts as unknown). It only matters for 1010010,
/// which means "invalid digest" with HTTP 401 (`PRIVNUM_ACTION_FIX_AUTH`)
/// and flow control otherwise (`PRIVNUM_ACTION_BACK_OFF`). Only canonical
/// decimal codes are looked up (no sign, spaces or leading zeros); anything
/// else, including text that is not UTF-8 or NULL with a length, is
/// `PRIVNUM_ACTION_UNKNOWN`. This is a lookup, not a fallible call: it
/// never sets the last error.
///
/// # Safety
///
/// `code` must be NULL or point to `code_len` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_result_code_action(
    code: *const u8,
    code_len: usize,
    http_status: i32,
) -> u32 {
    guard(PRIVNUM_ACTION_UNKNOWN, || {
        // SAFETY: the caller guarantees `code`/`code_len` (see above).
        let (code, http) = unsafe { result_code(code, code_len, http_status) };
        action_code(code.action(http))
    })
}

/// Whether the same request may be sent again unchanged: true exactly for
/// `PRIVNUM_ACTION_RETRY` and `PRIVNUM_ACTION_BACK_OFF`. Arguments as for
/// `privnum_result_code_action`.
///
/// # Safety
///
/// As for `privnum_result_code_action`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_result_code_retryable(
    code: *const u8,
    code_len: usize,
    http_status: i32,
) -> bool {
    guard(false, || {
        // SAFETY: the caller guarantees `code`/`code_len` (see above).
        let (code, http) = unsafe { result_code(code, code_len, http_status) };
        code.retryable(http)
    })
}

/// The recommended number of retries: 0 unless retryable; 1 for 1023002
/// (response timeout: resend once, then escalate); otherwise 3. Arguments as
/// for `privnum_result_code_action`.
///
/// # Safety
///
/// As for `privnum_result_code_action`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_result_code_max_retries(
    code: *const u8,
    code_len: usize,
    http_status: i32,
) -> u32 {
    guard(0, || {
        // SAFETY: the caller guarantees `code`/`code_len` (see above).
        let (code, http) = unsafe { result_code(code, code_len, http_status) };
        code.max_retries(http)
    })
}

/// A short, static, NUL-terminated English description of a `resultcode`
/// (for 1010010 resolved with `http_status`, as `privnum_result_code_action`
/// does), or NULL for an unknown code. Arguments as for
/// `privnum_result_code_action`. Do not free.
///
/// # Safety
///
/// As for `privnum_result_code_action`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_result_code_description(
    code: *const u8,
    code_len: usize,
    http_status: i32,
) -> *const c_char {
    lookup(|| {
        // SAFETY: the caller guarantees `code`/`code_len` (see above).
        let (code, http) = unsafe { result_code(code, code_len, http_status) };
        code.describe(http)
    })
}

/// The static, NUL-terminated snake_case name of a `PRIVNUM_ACTION_*` value
/// (`"success"`, `"retry"`, `"back_off"`, `"fix_input"`, ...), or NULL for
/// an unknown value. Do not free.
#[unsafe(no_mangle)]
pub extern "C" fn privnum_action_name(action: u32) -> *const c_char {
    lookup(|| {
        Action::ALL
            .iter()
            .find(|&&a| action_code(a) == action)
            .map(|a| a.name())
    })
}

// ------------------------------------------------------ X-number statuses

/// Parse a wire code (`"10"`): ASCII digits only, no sign or spaces, fitting
/// a `uint32_t`.
///
/// # Safety
///
/// As for [`str_in`].
unsafe fn wire_code<T>(
    wire: *const u8,
    len: usize,
    out: *mut u32,
    parse: fn(&str) -> Option<T>,
    code: fn(T) -> u32,
    what: &str,
) -> privnum_result {
    call(|| {
        // SAFETY: forwarded from this function's contract.
        let (wire, out) = unsafe { (str_in(wire, len, "wire")?, Out::new(out, "out")?) };
        let value = parse(wire).ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidArgument,
                format!("{wire:?} is not a {what} (a decimal number)"),
            )
        })?;
        out.write(code(value));
        Ok(())
    })
}

/// Read an X-number `status` as it appears on the wire (`"10"`) into
/// `*out` (a `PRIVNUM_NUMBER_STATUS_*` value or another, unknown, code).
/// Text that is not a decimal number (ASCII digits only, fitting 32 bits)
/// gives `PRIVNUM_RESULT_INVALID_ARGUMENT`. `*out` is written only on
/// success.
///
/// # Safety
///
/// `wire` must be NULL (only with `wire_len == 0`) or point to `wire_len`
/// readable bytes; `out` must be valid for writing a `uint32_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_number_status_parse(
    wire: *const u8,
    wire_len: usize,
    out: *mut u32,
) -> privnum_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        wire_code(
            wire,
            wire_len,
            out,
            NumberStatus::from_wire,
            NumberStatus::code,
            "number status",
        )
    }
}

/// The static, NUL-terminated snake_case name of an X-number status code:
/// `"normal"`, `"paused"`, `"unavailable"`, `"bind_frozen"`, or `"other"`
/// for any other code (never NULL). Do not free.
#[unsafe(no_mangle)]
pub extern "C" fn privnum_number_status_name(status: u32) -> *const c_char {
    lookup(|| Some(NumberStatus::from_code(status).name()))
}

/// A short, static, NUL-terminated description of an X-number status code,
/// or NULL for a code that is not a `PRIVNUM_NUMBER_STATUS_*`. Do not free.
#[unsafe(no_mangle)]
pub extern "C" fn privnum_number_status_description(status: u32) -> *const c_char {
    lookup(|| NumberStatus::from_code(status).description())
}

/// Whether existing bindings on a number with this status still carry calls
/// and SMS: normal and bind-frozen numbers (unknown statuses: false).
#[unsafe(no_mangle)]
pub extern "C" fn privnum_number_status_binding_usable(status: u32) -> bool {
    guard(false, || NumberStatus::from_code(status).binding_usable())
}

/// Whether new bindings on a number with this status are allowed: only when
/// it is normal.
#[unsafe(no_mangle)]
pub extern "C" fn privnum_number_status_new_bindings_allowed(status: u32) -> bool {
    guard(false, || {
        NumberStatus::from_code(status).new_bindings_allowed()
    })
}

/// Read an unavailable `cause` as it appears on the wire (`"2"`) into
/// `*out` (a `PRIVNUM_UNAVAILABLE_CAUSE_*` value or another, unknown, code).
/// As `privnum_number_status_parse` otherwise.
///
/// # Safety
///
/// As for `privnum_number_status_parse`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_unavailable_cause_parse(
    wire: *const u8,
    wire_len: usize,
    out: *mut u32,
) -> privnum_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        wire_code(
            wire,
            wire_len,
            out,
            UnavailableCause::from_wire,
            UnavailableCause::code,
            "cause",
        )
    }
}

/// The static, NUL-terminated snake_case name of an unavailable cause code
/// (`"number_deleted"`, `"arrears"`, ...), or `"other"` for any other code
/// (never NULL). Do not free.
#[unsafe(no_mangle)]
pub extern "C" fn privnum_unavailable_cause_name(cause: u32) -> *const c_char {
    lookup(|| Some(UnavailableCause::from_code(cause).name()))
}

/// A short, static, NUL-terminated description of an unavailable cause
/// code, or NULL for a code that is not a `PRIVNUM_UNAVAILABLE_CAUSE_*`. Do
/// not free.
#[unsafe(no_mangle)]
pub extern "C" fn privnum_unavailable_cause_description(cause: u32) -> *const c_char {
    lookup(|| UnavailableCause::from_code(cause).description())
}

// -------------------------------------------------------------- SMS results

/// `"success"` for an SMS push's `sendResult` 0; NULL for every other value
/// (they are unconfirmed in the spec). Static; do not free.
#[unsafe(no_mangle)]
pub extern "C" fn privnum_send_result_description(send_result: u32) -> *const c_char {
    lookup(|| SendResult(send_result).description())
}

/// Whether an SMS push's `sendResult` means success (only 0 does).
#[unsafe(no_mangle)]
pub extern "C" fn privnum_send_result_is_success(send_result: u32) -> bool {
    guard(false, || SendResult(send_result).is_success())
}

#[cfg(test)]
mod tests {
    use std::ffi::CStr;

    use super::*;
    use crate::test_support::{check_family, defines, screaming};

    fn text(p: *const c_char) -> Option<&'static str> {
        // SAFETY: the functions return NULL or static NUL-terminated strings.
        (!p.is_null()).then(|| unsafe { CStr::from_ptr(p) }.to_str().unwrap())
    }

    #[test]
    fn fail_categories_match_core() {
        let c = [
            ("NORMAL", PRIVNUM_FAIL_CATEGORY_NORMAL),
            ("CALLER_HUNG_UP", PRIVNUM_FAIL_CATEGORY_CALLER_HUNG_UP),
            ("CALLEE_HUNG_UP", PRIVNUM_FAIL_CATEGORY_CALLEE_HUNG_UP),
            (
                "CALLEE_UNAVAILABLE",
                PRIVNUM_FAIL_CATEGORY_CALLEE_UNAVAILABLE,
            ),
            ("NO_BINDING", PRIVNUM_FAIL_CATEGORY_NO_BINDING),
            ("RESTRICTED", PRIVNUM_FAIL_CATEGORY_RESTRICTED),
            ("PLATFORM", PRIVNUM_FAIL_CATEGORY_PLATFORM),
            ("MAX_DURATION", PRIVNUM_FAIL_CATEGORY_MAX_DURATION),
            ("UNKNOWN", PRIVNUM_FAIL_CATEGORY_UNKNOWN),
        ];
        let core = FailCategory::ALL.iter().map(|&k| {
            assert_eq!(screaming(&format!("{k:?}")), k.name().to_ascii_uppercase());
            assert_eq!(
                text(privnum_fail_category_name(category_code(k))),
                Some(k.name())
            );
            (screaming(&format!("{k:?}")), category_code(k))
        });
        check_family("PRIVNUM_FAIL_CATEGORY_", &c, core);
        assert!(privnum_fail_category_name(0).is_null());
        // Numbered in core's order.
        for (i, &k) in FailCategory::ALL.iter().enumerate() {
            assert_eq!(category_code(k) as usize, i + 1);
        }
    }

    #[test]
    fn parties_match_core() {
        let c = [
            ("NONE", PRIVNUM_PARTY_NONE),
            ("CALLER", PRIVNUM_PARTY_CALLER),
            ("CALLEE", PRIVNUM_PARTY_CALLEE),
            ("PLATFORM", PRIVNUM_PARTY_PLATFORM),
        ];
        // `NONE` is C's spelling of `Option::<Party>::None`.
        let core = std::iter::once(("NONE".to_owned(), party_code(None))).chain(
            Party::ALL.iter().map(|&p| {
                assert_eq!(
                    text(privnum_party_name(party_code(Some(p)))),
                    Some(p.name())
                );
                (screaming(&format!("{p:?}")), party_code(Some(p)))
            }),
        );
        check_family("PRIVNUM_PARTY_", &c, core);
        assert!(privnum_party_name(PRIVNUM_PARTY_NONE).is_null());
        assert!(privnum_party_name(4).is_null());
    }

    #[test]
    fn actions_match_core() {
        let c = [
            ("SUCCESS", PRIVNUM_ACTION_SUCCESS),
            ("RETRY", PRIVNUM_ACTION_RETRY),
            ("BACK_OFF", PRIVNUM_ACTION_BACK_OFF),
            ("FIX_INPUT", PRIVNUM_ACTION_FIX_INPUT),
            ("FIX_AUTH", PRIVNUM_ACTION_FIX_AUTH),
            ("FIX_CLOCK", PRIVNUM_ACTION_FIX_CLOCK),
            ("CONFLICT", PRIVNUM_ACTION_CONFLICT),
            ("NOT_FOUND", PRIVNUM_ACTION_NOT_FOUND),
            ("EXHAUSTED", PRIVNUM_ACTION_EXHAUSTED),
            ("FORBIDDEN", PRIVNUM_ACTION_FORBIDDEN),
            ("UNKNOWN", PRIVNUM_ACTION_UNKNOWN),
        ];
        let core = Action::ALL.iter().map(|&a| {
            assert_eq!(screaming(&format!("{a:?}")), a.name().to_ascii_uppercase());
            assert_eq!(text(privnum_action_name(action_code(a))), Some(a.name()));
            (screaming(&format!("{a:?}")), action_code(a))
        });
        check_family("PRIVNUM_ACTION_", &c, core);
        for (i, &a) in Action::ALL.iter().enumerate() {
            assert_eq!(action_code(a) as usize, i + 1);
        }
        assert_eq!(u64::from(PRIVNUM_BACK_OFF_SECS), Action::BACK_OFF_SECS);
        assert_eq!(defines("PRIVNUM_").get("BACK_OFF_SECS"), Some(&60));
    }

    #[test]
    fn number_statuses_and_causes_match_core() {
        let c = [
            ("NORMAL", PRIVNUM_NUMBER_STATUS_NORMAL),
            ("PAUSED", PRIVNUM_NUMBER_STATUS_PAUSED),
            ("UNAVAILABLE", PRIVNUM_NUMBER_STATUS_UNAVAILABLE),
            ("BIND_FROZEN", PRIVNUM_NUMBER_STATUS_BIND_FROZEN),
        ];
        let core = (0..=1000)
            .map(NumberStatus::from_code)
            .filter(|s| !matches!(s, NumberStatus::Other(_)))
            .map(|s| {
                assert_eq!(screaming(&format!("{s:?}")), s.name().to_ascii_uppercase());
                (screaming(&format!("{s:?}")), s.code())
            });
        check_family("PRIVNUM_NUMBER_STATUS_", &c, core);
        let c = [
            ("NUMBER_DELETED", PRIVNUM_UNAVAILABLE_CAUSE_NUMBER_DELETED),
            ("ARREARS", PRIVNUM_UNAVAILABLE_CAUSE_ARREARS),
            ("SUSPENDED", PRIVNUM_UNAVAILABLE_CAUSE_SUSPENDED),
            (
                "CARRIER_RESTRICTION",
                PRIVNUM_UNAVAILABLE_CAUSE_CARRIER_RESTRICTION,
            ),
            (
                "RESTRICTION_LIFTED",
                PRIVNUM_UNAVAILABLE_CAUSE_RESTRICTION_LIFTED,
            ),
            (
                "FORWARD_UNCONDITIONAL",
                PRIVNUM_UNAVAILABLE_CAUSE_FORWARD_UNCONDITIONAL,
            ),
            (
                "FORWARD_NO_ANSWER",
                PRIVNUM_UNAVAILABLE_CAUSE_FORWARD_NO_ANSWER,
            ),
            ("FORWARD_BUSY", PRIVNUM_UNAVAILABLE_CAUSE_FORWARD_BUSY),
        ];
        let core = (0..=1000)
            .map(UnavailableCause::from_code)
            .filter(|s| !matches!(s, UnavailableCause::Other(_)))
            .map(|s| {
                assert_eq!(screaming(&format!("{s:?}")), s.name().to_ascii_uppercase());
                (screaming(&format!("{s:?}")), s.code())
            });
        check_family("PRIVNUM_UNAVAILABLE_CAUSE_", &c, core);
        assert_eq!(text(privnum_number_status_name(4)), Some("other"));
        assert!(privnum_number_status_description(4).is_null());
    }

    #[test]
    fn lookups_agree_with_core() {
        for code in (0..9000).chain([u32::MAX]) {
            let r = FailReason(code);
            assert_eq!(text(privnum_fail_reason_description(code)), r.description());
            assert_eq!(
                privnum_fail_reason_category(code),
                category_code(r.category())
            );
            assert_eq!(
                privnum_fail_reason_hung_up_by(code),
                party_code(r.hung_up_by())
            );
            assert_eq!(
                text(privnum_q850_description(code)),
                Q850(code).description()
            );
            assert_eq!(privnum_q850_is_normal(code), Q850(code).is_normal());
        }
        for (code, http) in [("1010010", 401), ("1010010", -1), ("0", 200), ("x", 500)] {
            let rc = ResultCode::parse(code);
            let h = u16::try_from(http).ok();
            // SAFETY: valid (ptr, len).
            unsafe {
                assert_eq!(
                    privnum_result_code_action(code.as_ptr(), code.len(), http),
                    action_code(rc.action(h))
                );
                assert_eq!(
                    text(privnum_result_code_description(
                        code.as_ptr(),
                        code.len(),
                        http
                    )),
                    rc.describe(h)
                );
            }
        }
        // Not UTF-8, or NULL with a length: unknown, and no error recorded.
        // SAFETY: valid (ptr, len), and NULL is allowed.
        unsafe {
            assert_eq!(
                privnum_result_code_action(b"\xff".as_ptr(), 1, 200),
                PRIVNUM_ACTION_UNKNOWN
            );
            assert_eq!(
                privnum_result_code_action(std::ptr::null(), 3, 200),
                PRIVNUM_ACTION_UNKNOWN
            );
        }
    }
}
