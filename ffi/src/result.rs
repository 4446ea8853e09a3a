//! Result codes (`PRIVNUM_RESULT_*`), their names and descriptions, and the
//! thread-local last error: its message, platform `resultcode` and field.
//!
//! Every code except `PRIVNUM_RESULT_OK` is the stable number of a
//! `privnum::ErrorKind`; the tests below keep the two lists identical.

use std::ffi::c_char;

use privnum::{Error, ErrorKind};

use crate::boundary::{
    Out, OutBuf, call_quiet, guard, last_error, last_error_field, last_error_http_status,
    last_error_platform_code, static_cstr,
};

/// What every fallible function returns: `PRIVNUM_RESULT_OK` (0) on success,
/// otherwise one of the `PRIVNUM_RESULT_*` codes. The numbers are stable and
/// never reused; new codes may be added, so treat unknown non-zero values as
/// errors (`privnum_result_str` describes any value).
pub type privnum_result = u32;

/// Success.
pub const PRIVNUM_RESULT_OK: privnum_result = 0;

/// A required pointer argument was NULL.
pub const PRIVNUM_RESULT_NULL_PARAMETER: privnum_result = 1;
/// privnum panicked; the panic was caught at the language boundary. Please report it.
pub const PRIVNUM_RESULT_PANIC: privnum_result = 2;
/// The output buffer is too small; the needed size was written to `*out_n`.
pub const PRIVNUM_RESULT_INSUFFICIENT_SIZE: privnum_result = 3;
/// A text argument was not valid UTF-8.
pub const PRIVNUM_RESULT_INVALID_UTF8: privnum_result = 4;
/// An argument is out of its allowed range or unknown (for example an unknown enum value).
pub const PRIVNUM_RESULT_INVALID_ARGUMENT: privnum_result = 5;
/// The operating system's random source failed.
pub const PRIVNUM_RESULT_RANDOM_UNAVAILABLE: privnum_result = 6;

/// The number is empty (or only separators and spaces).
pub const PRIVNUM_RESULT_NUMBER_EMPTY: privnum_result = 100;
/// The number contains a character that is neither a digit nor an accepted separator.
pub const PRIVNUM_RESULT_NUMBER_INVALID_CHARACTER: privnum_result = 101;
/// A `+` appears somewhere other than at the very start, or more than once.
pub const PRIVNUM_RESULT_NUMBER_MISPLACED_PLUS: privnum_result = 102;
/// The number has too few digits for its country or kind.
pub const PRIVNUM_RESULT_NUMBER_TOO_SHORT: privnum_result = 103;
/// The number has too many digits for its country or kind.
pub const PRIVNUM_RESULT_NUMBER_TOO_LONG: privnum_result = 104;
/// The digits after `+` or `00` do not start with an assigned country calling code.
pub const PRIVNUM_RESULT_NUMBER_UNKNOWN_COUNTRY_CODE: privnum_result = 105;
/// A national number was given but no default country was configured.
pub const PRIVNUM_RESULT_NUMBER_MISSING_COUNTRY_CODE: privnum_result = 106;
/// The digits are not a valid number of that country (unassigned prefix, missing area code, ...).
pub const PRIVNUM_RESULT_NUMBER_INVALID_FOR_COUNTRY: privnum_result = 107;
/// A value does not fit the length bounds of the API field it is meant for.
pub const PRIVNUM_RESULT_FIELD_OUT_OF_BOUNDS: privnum_result = 108;

/// The app key is empty, too long, or contains characters that cannot be quoted in a header.
pub const PRIVNUM_RESULT_INVALID_APP_KEY: privnum_result = 200;
/// The app secret is empty.
pub const PRIVNUM_RESULT_INVALID_APP_SECRET: privnum_result = 201;
/// A nonce is not 1-128 ASCII letters and digits.
pub const PRIVNUM_RESULT_INVALID_NONCE: privnum_result = 202;
/// A `Created` time is not `yyyy-MM-ddTHH:mm:ssZ` or out of range.
pub const PRIVNUM_RESULT_INVALID_CREATED: privnum_result = 203;
/// A parameter set cannot be signed (empty name, duplicate name, ...).
pub const PRIVNUM_RESULT_INVALID_PARAMETERS: privnum_result = 204;

/// The signature header or parameter is missing.
pub const PRIVNUM_RESULT_AUTH_MISSING: privnum_result = 250;
/// The signature header or parameter cannot be parsed.
pub const PRIVNUM_RESULT_AUTH_MALFORMED: privnum_result = 251;
/// The request was signed for a different app key.
pub const PRIVNUM_RESULT_AUTH_WRONG_KEY: privnum_result = 252;
/// The digest does not match: wrong secret, or the request was altered.
pub const PRIVNUM_RESULT_AUTH_BAD_DIGEST: privnum_result = 253;
/// The signing time is outside the accepted freshness window.
pub const PRIVNUM_RESULT_AUTH_STALE: privnum_result = 254;
/// This nonce was already accepted: the request is a replay.
pub const PRIVNUM_RESULT_AUTH_REPLAYED: privnum_result = 255;

/// The push body is not valid JSON (or not UTF-8).
pub const PRIVNUM_RESULT_PUSH_INVALID_JSON: privnum_result = 300;
/// A required field of the push is missing; the message names it.
pub const PRIVNUM_RESULT_PUSH_MISSING_FIELD: privnum_result = 301;
/// A field of the push has the wrong JSON type; the message names it.
pub const PRIVNUM_RESULT_PUSH_WRONG_TYPE: privnum_result = 302;
/// A field of the push has a value that cannot be read (a time, a number, a code).
pub const PRIVNUM_RESULT_PUSH_INVALID_VALUE: privnum_result = 303;
/// The push is of no kind privnum knows (unknown `eventType`, no known shape).
pub const PRIVNUM_RESULT_PUSH_UNKNOWN_KIND: privnum_result = 304;
/// The push body, or one of its lists (more than 50 CDRs, more than 100 number statuses), is larger than allowed.
pub const PRIVNUM_RESULT_PUSH_TOO_LARGE: privnum_result = 305;
/// A Block-mode reply has a value the platform would refuse (which drops the caller's call).
pub const PRIVNUM_RESULT_REPLY_INVALID: privnum_result = 320;

/// A platform binding rule refuses the operation (the engine's answer names the platform `resultcode`).
pub const PRIVNUM_RESULT_RULE_VIOLATION: privnum_result = 400;
/// No binding with that id (or those numbers) exists.
pub const PRIVNUM_RESULT_BINDING_NOT_FOUND: privnum_result = 401;
/// The binding's state does not allow that operation (for example modifying an unbound binding).
pub const PRIVNUM_RESULT_INVALID_TRANSITION: privnum_result = 402;
/// No X in the pool can take the binding; the message says which rule blocked each candidate.
pub const PRIVNUM_RESULT_POOL_EXHAUSTED: privnum_result = 403;
/// A binding with that id already exists.
pub const PRIVNUM_RESULT_BINDING_EXISTS: privnum_result = 404;
/// Reading or writing the engine's directory failed.
pub const PRIVNUM_RESULT_JOURNAL_IO: privnum_result = 410;
/// The engine's journal or snapshot is damaged (not just a torn last record).
pub const PRIVNUM_RESULT_JOURNAL_CORRUPT: privnum_result = 411;
/// An engine command (JSON) is malformed or names an unknown operation.
pub const PRIVNUM_RESULT_INVALID_COMMAND: privnum_result = 420;

/// The platform failed transiently (internal error, response timeout): retry a limited number of
/// times with backoff. A bind whose outcome is unknown is settled by a query, never blindly re-sent.
pub const PRIVNUM_RESULT_PLATFORM_RETRY: privnum_result = 500;
/// The platform throttles the application (flow control): wait at least a minute, then retry.
pub const PRIVNUM_RESULT_PLATFORM_THROTTLED: privnum_result = 501;
/// The platform refused the request as malformed (a parameter, the method or the path): fix it.
pub const PRIVNUM_RESULT_PLATFORM_INVALID_REQUEST: privnum_result = 502;
/// The platform refused the credentials or the authentication headers.
pub const PRIVNUM_RESULT_PLATFORM_AUTH: privnum_result = 503;
/// The signature's `Created` time is too far from the platform's clock: fix the clock, sign again.
pub const PRIVNUM_RESULT_PLATFORM_CLOCK_SKEW: privnum_result = 504;
/// The binding or number already exists or is already bound on the platform (e.g. 1012010).
pub const PRIVNUM_RESULT_PLATFORM_CONFLICT: privnum_result = 505;
/// The platform has no such binding, record or number for this application.
pub const PRIVNUM_RESULT_PLATFORM_NOT_FOUND: privnum_result = 506;
/// No idle number or extension, or a quantity limit was reached: choose different parameters.
pub const PRIVNUM_RESULT_PLATFORM_EXHAUSTED: privnum_result = 507;
/// The account, application, number or caller is not allowed right now (frozen, blacklisted, ...).
pub const PRIVNUM_RESULT_PLATFORM_FORBIDDEN: privnum_result = 508;
/// The platform answered with a result code privnum does not know: a failure, not retried.
pub const PRIVNUM_RESULT_PLATFORM_UNKNOWN: privnum_result = 509;
/// The platform's response cannot be read: not JSON, no `resultcode`, or a success that lacks a
/// required field.
pub const PRIVNUM_RESULT_RESPONSE_INVALID: privnum_result = 520;
/// The request could not be sent and certainly did not reach the platform (name resolution,
/// connection refused, connect timeout, TLS handshake): sending it again is safe.
pub const PRIVNUM_RESULT_TRANSPORT_NOT_SENT: privnum_result = 530;
/// The request was (or may have been) sent but no complete answer came back (read timeout,
/// connection closed): it may have taken effect; only an idempotent request may be sent again.
pub const PRIVNUM_RESULT_TRANSPORT_NO_RESPONSE: privnum_result = 531;
/// A bind may or may not have taken effect and it was not settled by a query: look the binding up
/// before binding again.
pub const PRIVNUM_RESULT_OUTCOME_UNKNOWN: privnum_result = 532;

/// A short, static, NUL-terminated English description of a result code:
/// `"ok"` for `PRIVNUM_RESULT_OK`, `"unknown result code"` for a number
/// that is not a result code. Never NULL; do not free.
#[unsafe(no_mangle)]
pub extern "C" fn privnum_result_str(code: u32) -> *const c_char {
    const UNKNOWN: *const c_char = c"unknown result code".as_ptr();
    guard(UNKNOWN, || match code {
        PRIVNUM_RESULT_OK => c"ok".as_ptr(),
        _ => ErrorKind::from_code(code).map_or(UNKNOWN, |k| static_cstr(k.description())),
    })
}

/// The static, NUL-terminated name of a result code, the part after
/// `PRIVNUM_RESULT_` (`"OK"`, `"NUMBER_EMPTY"`, `"AUTH_REPLAYED"`, ...), or
/// NULL for a number that is not a result code. Do not free.
#[unsafe(no_mangle)]
pub extern "C" fn privnum_result_name(code: u32) -> *const c_char {
    guard(std::ptr::null(), || match code {
        PRIVNUM_RESULT_OK => c"OK".as_ptr(),
        _ => ErrorKind::from_code(code).map_or(std::ptr::null(), |k| static_cstr(k.name())),
    })
}

/// Copy the calling thread's last error message into `buf` (UTF-8, not
/// NUL-terminated; its length is written to `*out_n`).
///
/// The last error is thread-local: every call that returns a code other than
/// `PRIVNUM_RESULT_OK` replaces the message of the thread that made it, with a
/// specific English text (which argument, which character, which bound...).
/// Successful calls leave it unchanged, so read it right after the failing
/// call, on the same thread. It is empty before the thread's first failure.
/// Messages never contain secrets.
///
/// This function never changes the last error, not even when it fails itself
/// (for example with `PRIVNUM_RESULT_INSUFFICIENT_SIZE`, which writes the
/// needed size to `*out_n`), so it can be called again with a bigger buffer.
///
/// # Safety
///
/// `buf` must be NULL (only with `buf_len == 0`) or valid for writing
/// `buf_len` bytes; `out_n` must be valid for writing a `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_last_error_message(
    buf: *mut u8,
    buf_len: usize,
    out_n: *mut usize,
) -> privnum_result {
    call_quiet(|| {
        // SAFETY: the caller guarantees `buf`/`buf_len` and `out_n` (see above).
        let out = unsafe { OutBuf::new(buf, buf_len, out_n) }?;
        out.put(last_error().as_bytes())
    })
}

/// Copy the platform `resultcode` of the calling thread's last error into
/// `buf` (such as `"1012010"`, not NUL-terminated; its length is written to
/// `*out_n`).
///
/// Two kinds of failure carry one:
/// - the platform's answers (`privnum_op_parse`): every
///   `PRIVNUM_RESULT_PLATFORM_*` result has the `resultcode` the platform
///   sent (with the HTTP status, `privnum_last_error_http_status`);
/// - local checks that the platform would refuse the same way: a binding
///   rule (`PRIVNUM_RESULT_RULE_VIOLATION`, from the engine or from
///   validating a request in `privnum_op_sign`) or an exhausted pool
///   (`PRIVNUM_RESULT_POOL_EXHAUSTED`) carry the code the platform answers
///   with.
///
/// The code is stored with the message, by the same failing calls, and
/// replaced with it: a later failure without a platform code clears it, and
/// successful calls leave it unchanged, so read it right after the failing
/// call, on the same thread. `privnum_engine_execute` reports a refused
/// command inside its JSON answer (`"platform_code"`) and returns
/// `PRIVNUM_RESULT_OK`, so such an answer does not touch the last error.
/// The text can be passed to `privnum_result_code_action` and the other
/// `privnum_result_code_*` lookups.
///
/// Returns `PRIVNUM_RESULT_INVALID_ARGUMENT`, without writing `*out_n`, when
/// the last error has no platform code (or the thread has not failed yet);
/// `PRIVNUM_RESULT_NULL_PARAMETER` for a NULL `out_n`, or a NULL `buf` with
/// a non-zero `buf_len`; `PRIVNUM_RESULT_INSUFFICIENT_SIZE` as usual. Like
/// `privnum_last_error_message`, it never changes the last error, not even
/// when it fails itself.
///
/// # Safety
///
/// `buf` must be NULL (only with `buf_len == 0`) or valid for writing
/// `buf_len` bytes; `out_n` must be valid for writing a `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_last_error_platform_code(
    buf: *mut u8,
    buf_len: usize,
    out_n: *mut usize,
) -> privnum_result {
    call_quiet(|| {
        // SAFETY: the caller guarantees `buf`/`buf_len` and `out_n` (see above).
        let out = unsafe { OutBuf::new(buf, buf_len, out_n) }?;
        let code = last_error_platform_code().ok_or_else(|| absent("platform code"))?;
        out.put(code.as_bytes())
    })
}

/// Copy the request field at fault in the calling thread's last error into
/// `buf` (its wire name, such as `"calleeNum"` or `"extendNum"`; UTF-8, not
/// NUL-terminated; its length is written to `*out_n`).
///
/// Engine errors that concern one field of a request name it: binding rules
/// about one field (a party already bound on X, a value out of bounds), and
/// invalid extensions, binding ids and area codes (for example
/// `privnum_engine_route` with a malformed extension names `"extendNum"`).
/// The field is stored and replaced with the message, exactly like the
/// platform code (see `privnum_last_error_platform_code`): a later
/// failure that names no field clears it, successful calls leave it
/// unchanged, and `privnum_engine_execute` reports it inside its answer
/// instead.
///
/// Returns `PRIVNUM_RESULT_INVALID_ARGUMENT`, without writing `*out_n`, when
/// the last error names no field (or the thread has not failed yet); other
/// results and the guarantee never to change the last error are as for
/// `privnum_last_error_platform_code`.
///
/// # Safety
///
/// `buf` must be NULL (only with `buf_len == 0`) or valid for writing
/// `buf_len` bytes; `out_n` must be valid for writing a `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_last_error_field(
    buf: *mut u8,
    buf_len: usize,
    out_n: *mut usize,
) -> privnum_result {
    call_quiet(|| {
        // SAFETY: the caller guarantees `buf`/`buf_len` and `out_n` (see above).
        let out = unsafe { OutBuf::new(buf, buf_len, out_n) }?;
        let field = last_error_field().ok_or_else(|| absent("field"))?;
        out.put(field.as_bytes())
    })
}

/// Write the HTTP status of the platform answer behind the calling thread's
/// last error to `*out`: set by `privnum_op_parse` for every
/// `PRIVNUM_RESULT_PLATFORM_*` and `PRIVNUM_RESULT_RESPONSE_INVALID`
/// failure (for example 401 with resultcode 1010010, or 502 for a gateway's
/// HTML page), stored and replaced with the message like the platform code.
///
/// Returns `PRIVNUM_RESULT_INVALID_ARGUMENT`, without writing `*out`, when
/// the last error did not come from an answer (or the thread has not failed
/// yet); `PRIVNUM_RESULT_NULL_PARAMETER` for a NULL `out`. Never changes the
/// last error, not even when it fails itself.
///
/// # Safety
///
/// `out` must be NULL or valid for writing a `uint16_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_last_error_http_status(out: *mut u16) -> privnum_result {
    call_quiet(|| {
        // SAFETY: the caller guarantees `out` (see above).
        let out = unsafe { Out::new(out, "out") }?;
        let status = last_error_http_status().ok_or_else(|| absent("HTTP status"))?;
        out.write(status);
        Ok(())
    })
}

/// The answer of a last-error accessor when the detail is absent (never
/// recorded: the accessors do not change the last error).
fn absent(what: &str) -> Error {
    Error::new(
        ErrorKind::InvalidArgument,
        format!("the last error has no {what}"),
    )
}

#[cfg(test)]
mod tests {
    use std::ffi::CStr;

    use super::*;
    use crate::boundary::call;
    use crate::test_support::{defines, screaming};

    /// The C list, name by name; every entry must be an `ErrorKind` with the
    /// same number, and every `ErrorKind` must be in it.
    const C_RESULTS: &[(&str, privnum_result)] = &[
        ("NULL_PARAMETER", PRIVNUM_RESULT_NULL_PARAMETER),
        ("PANIC", PRIVNUM_RESULT_PANIC),
        ("INSUFFICIENT_SIZE", PRIVNUM_RESULT_INSUFFICIENT_SIZE),
        ("INVALID_UTF8", PRIVNUM_RESULT_INVALID_UTF8),
        ("INVALID_ARGUMENT", PRIVNUM_RESULT_INVALID_ARGUMENT),
        ("RANDOM_UNAVAILABLE", PRIVNUM_RESULT_RANDOM_UNAVAILABLE),
        ("NUMBER_EMPTY", PRIVNUM_RESULT_NUMBER_EMPTY),
        (
            "NUMBER_INVALID_CHARACTER",
            PRIVNUM_RESULT_NUMBER_INVALID_CHARACTER,
        ),
        (
            "NUMBER_MISPLACED_PLUS",
            PRIVNUM_RESULT_NUMBER_MISPLACED_PLUS,
        ),
        ("NUMBER_TOO_SHORT", PRIVNUM_RESULT_NUMBER_TOO_SHORT),
        ("NUMBER_TOO_LONG", PRIVNUM_RESULT_NUMBER_TOO_LONG),
        (
            "NUMBER_UNKNOWN_COUNTRY_CODE",
            PRIVNUM_RESULT_NUMBER_UNKNOWN_COUNTRY_CODE,
        ),
        (
            "NUMBER_MISSING_COUNTRY_CODE",
            PRIVNUM_RESULT_NUMBER_MISSING_COUNTRY_CODE,
        ),
        (
            "NUMBER_INVALID_FOR_COUNTRY",
            PRIVNUM_RESULT_NUMBER_INVALID_FOR_COUNTRY,
        ),
        ("FIELD_OUT_OF_BOUNDS", PRIVNUM_RESULT_FIELD_OUT_OF_BOUNDS),
        ("INVALID_APP_KEY", PRIVNUM_RESULT_INVALID_APP_KEY),
        ("INVALID_APP_SECRET", PRIVNUM_RESULT_INVALID_APP_SECRET),
        ("INVALID_NONCE", PRIVNUM_RESULT_INVALID_NONCE),
        ("INVALID_CREATED", PRIVNUM_RESULT_INVALID_CREATED),
        ("INVALID_PARAMETERS", PRIVNUM_RESULT_INVALID_PARAMETERS),
        ("AUTH_MISSING", PRIVNUM_RESULT_AUTH_MISSING),
        ("AUTH_MALFORMED", PRIVNUM_RESULT_AUTH_MALFORMED),
        ("AUTH_WRONG_KEY", PRIVNUM_RESULT_AUTH_WRONG_KEY),
        ("AUTH_BAD_DIGEST", PRIVNUM_RESULT_AUTH_BAD_DIGEST),
        ("AUTH_STALE", PRIVNUM_RESULT_AUTH_STALE),
        ("AUTH_REPLAYED", PRIVNUM_RESULT_AUTH_REPLAYED),
        ("PUSH_INVALID_JSON", PRIVNUM_RESULT_PUSH_INVALID_JSON),
        ("PUSH_MISSING_FIELD", PRIVNUM_RESULT_PUSH_MISSING_FIELD),
        ("PUSH_WRONG_TYPE", PRIVNUM_RESULT_PUSH_WRONG_TYPE),
        ("PUSH_INVALID_VALUE", PRIVNUM_RESULT_PUSH_INVALID_VALUE),
        ("PUSH_UNKNOWN_KIND", PRIVNUM_RESULT_PUSH_UNKNOWN_KIND),
        ("PUSH_TOO_LARGE", PRIVNUM_RESULT_PUSH_TOO_LARGE),
        ("REPLY_INVALID", PRIVNUM_RESULT_REPLY_INVALID),
        ("RULE_VIOLATION", PRIVNUM_RESULT_RULE_VIOLATION),
        ("BINDING_NOT_FOUND", PRIVNUM_RESULT_BINDING_NOT_FOUND),
        ("INVALID_TRANSITION", PRIVNUM_RESULT_INVALID_TRANSITION),
        ("POOL_EXHAUSTED", PRIVNUM_RESULT_POOL_EXHAUSTED),
        ("BINDING_EXISTS", PRIVNUM_RESULT_BINDING_EXISTS),
        ("JOURNAL_IO", PRIVNUM_RESULT_JOURNAL_IO),
        ("JOURNAL_CORRUPT", PRIVNUM_RESULT_JOURNAL_CORRUPT),
        ("INVALID_COMMAND", PRIVNUM_RESULT_INVALID_COMMAND),
        ("PLATFORM_RETRY", PRIVNUM_RESULT_PLATFORM_RETRY),
        ("PLATFORM_THROTTLED", PRIVNUM_RESULT_PLATFORM_THROTTLED),
        (
            "PLATFORM_INVALID_REQUEST",
            PRIVNUM_RESULT_PLATFORM_INVALID_REQUEST,
        ),
        ("PLATFORM_AUTH", PRIVNUM_RESULT_PLATFORM_AUTH),
        ("PLATFORM_CLOCK_SKEW", PRIVNUM_RESULT_PLATFORM_CLOCK_SKEW),
        ("PLATFORM_CONFLICT", PRIVNUM_RESULT_PLATFORM_CONFLICT),
        ("PLATFORM_NOT_FOUND", PRIVNUM_RESULT_PLATFORM_NOT_FOUND),
        ("PLATFORM_EXHAUSTED", PRIVNUM_RESULT_PLATFORM_EXHAUSTED),
        ("PLATFORM_FORBIDDEN", PRIVNUM_RESULT_PLATFORM_FORBIDDEN),
        ("PLATFORM_UNKNOWN", PRIVNUM_RESULT_PLATFORM_UNKNOWN),
        ("RESPONSE_INVALID", PRIVNUM_RESULT_RESPONSE_INVALID),
        ("TRANSPORT_NOT_SENT", PRIVNUM_RESULT_TRANSPORT_NOT_SENT),
        (
            "TRANSPORT_NO_RESPONSE",
            PRIVNUM_RESULT_TRANSPORT_NO_RESPONSE,
        ),
        ("OUTCOME_UNKNOWN", PRIVNUM_RESULT_OUTCOME_UNKNOWN),
    ];

    #[test]
    fn every_error_kind_has_a_c_result_with_the_same_number() {
        for &kind in ErrorKind::ALL {
            let entry = C_RESULTS.iter().find(|(name, _)| *name == kind.name());
            assert_eq!(
                entry.map(|&(_, code)| code),
                Some(kind.code()),
                "PRIVNUM_RESULT_{} is missing or has the wrong number",
                kind.name()
            );
        }
        for &(name, code) in C_RESULTS {
            let kind = ErrorKind::from_name(name)
                .unwrap_or_else(|| panic!("PRIVNUM_RESULT_{name} is not an ErrorKind"));
            assert_eq!(kind.code(), code, "PRIVNUM_RESULT_{name}");
        }
        assert_eq!(C_RESULTS.len(), ErrorKind::ALL.len());
        assert_eq!(ErrorKind::from_code(PRIVNUM_RESULT_OK), None);
        // The names are derived mechanically from the variants, like every
        // other constant family.
        for &kind in ErrorKind::ALL {
            assert_eq!(screaming(&format!("{kind:?}")), kind.name());
        }
    }

    #[test]
    fn header_defines_every_result() {
        let defined = defines("PRIVNUM_RESULT_");
        let mut expected: Vec<(String, u64)> = ErrorKind::ALL
            .iter()
            .map(|k| (k.name().to_owned(), u64::from(k.code())))
            .collect();
        expected.push(("OK".to_owned(), 0));
        for (name, code) in &expected {
            assert_eq!(
                defined.get(name),
                Some(code),
                "include/privnum.h: PRIVNUM_RESULT_{name} missing or wrong (regenerate the header)"
            );
        }
        assert_eq!(
            defined.len(),
            expected.len(),
            "extra PRIVNUM_RESULT_* in the header"
        );
    }

    #[test]
    fn names_and_descriptions() {
        let text = |p: *const c_char| {
            assert!(!p.is_null());
            // SAFETY: the functions return static NUL-terminated strings.
            unsafe { CStr::from_ptr(p) }.to_str().unwrap().to_owned()
        };
        assert_eq!(text(privnum_result_str(0)), "ok");
        assert_eq!(text(privnum_result_name(0)), "OK");
        assert_eq!(text(privnum_result_str(99_999)), "unknown result code");
        assert!(privnum_result_name(99_999).is_null());
        for &kind in ErrorKind::ALL {
            assert_eq!(text(privnum_result_str(kind.code())), kind.description());
            assert_eq!(text(privnum_result_name(kind.code())), kind.name());
        }
    }

    type Accessor = unsafe extern "C" fn(*mut u8, usize, *mut usize) -> privnum_result;

    /// Read one last-error detail through its export: `Ok(text)`, or the
    /// result code with `*out_n` checked to be untouched.
    fn detail(f: Accessor) -> Result<String, privnum_result> {
        let mut buf = [0u8; 1024];
        let mut n = usize::MAX;
        // SAFETY: `buf` is writable for its length and `n` for a `usize`.
        match unsafe { f(buf.as_mut_ptr(), buf.len(), &mut n) } {
            PRIVNUM_RESULT_OK => Ok(String::from_utf8(buf[..n].to_vec()).unwrap()),
            r => {
                assert_eq!(n, usize::MAX, "*out_n written on failure {r}");
                Err(r)
            }
        }
    }

    fn message() -> String {
        detail(privnum_last_error_message).unwrap()
    }

    #[test]
    fn last_error_platform_code_and_field_of_an_engine_rule() {
        use privnum::engine::{
            BindRequest, Engine, EngineConfig, Mode, Settings, ShapeRequest, XChoice,
        };
        use privnum::number::parse;

        const ABSENT: Result<String, privnum_result> = Err(PRIVNUM_RESULT_INVALID_ARGUMENT);
        // Before a thread's first failure there is nothing.
        std::thread::spawn(|| {
            assert_eq!(detail(privnum_last_error_platform_code), ABSENT);
            assert_eq!(detail(privnum_last_error_field), ABSENT);
        })
        .join()
        .unwrap();

        // A real rule violation of the engine, through the boundary: AXB, A
        // twice on one X (1012010, naming the caller).
        let engine = Engine::new(EngineConfig::new(Mode::Axb)).unwrap();
        let [a, b, c, x] = [
            "+8613800000021",
            "+8613800000022",
            "+8613800000023",
            "+8617000000010",
        ]
        .map(|n| parse(n).unwrap());
        let pair = |a, b| BindRequest {
            shape: ShapeRequest::Pair { a, b },
            x: XChoice::Given(x),
            settings: Settings::default(),
            id: None,
        };
        engine.bind(&pair(a, b), 1_800_000_000).unwrap();
        let r = call(|| engine.bind(&pair(a, c), 1_800_000_000).map(drop));
        assert_eq!(r, PRIVNUM_RESULT_RULE_VIOLATION);
        let msg = message();
        assert_eq!(
            detail(privnum_last_error_platform_code).as_deref(),
            Ok("1012010")
        );
        assert_eq!(detail(privnum_last_error_field).as_deref(), Ok("callerNum"));

        // The size protocol, NULL checks; none of it changes the last error.
        let mut n = usize::MAX;
        // SAFETY: NULL `buf` with length 0 is a size query; `n` is writable.
        let r = unsafe { privnum_last_error_platform_code(std::ptr::null_mut(), 0, &mut n) };
        assert_eq!((r, n), (PRIVNUM_RESULT_INSUFFICIENT_SIZE, 7));
        let mut small = [0xA5u8; 4];
        n = usize::MAX;
        // SAFETY: `small` is writable for its length and `n` for a `usize`.
        let r = unsafe { privnum_last_error_field(small.as_mut_ptr(), small.len(), &mut n) };
        assert_eq!(
            (r, n, small),
            (PRIVNUM_RESULT_INSUFFICIENT_SIZE, 9, [0xA5; 4])
        );
        for f in [
            privnum_last_error_platform_code as Accessor,
            privnum_last_error_field,
        ] {
            // SAFETY: NULL pointers are what is being tested.
            let r = unsafe { f(small.as_mut_ptr(), small.len(), std::ptr::null_mut()) };
            assert_eq!(r, PRIVNUM_RESULT_NULL_PARAMETER);
            n = usize::MAX;
            // SAFETY: as above; `n` is writable.
            let r = unsafe { f(std::ptr::null_mut(), 1, &mut n) };
            assert_eq!((r, n), (PRIVNUM_RESULT_NULL_PARAMETER, usize::MAX));
        }
        assert_eq!(message(), msg);
        assert_eq!(
            detail(privnum_last_error_platform_code).as_deref(),
            Ok("1012010")
        );

        // A success leaves them; a failure with a field only (a malformed
        // extension through the routing export) replaces the field and
        // clears the code; a failure with neither clears both.
        assert_eq!(call(|| Ok(())), PRIVNUM_RESULT_OK);
        assert_eq!(detail(privnum_last_error_field).as_deref(), Ok("callerNum"));
        let config = br#"{"mode":"axe"}"#;
        let mut e = std::ptr::null_mut();
        // SAFETY: `config` is readable for its length and `e` writable.
        let r = unsafe { crate::engine::privnum_engine_new(config.as_ptr(), config.len(), &mut e) };
        assert_eq!(r, PRIVNUM_RESULT_OK);
        let mut route = std::mem::MaybeUninit::uninit();
        // SAFETY: `e` is a live handle, the extension readable and `route` writable.
        let r = unsafe {
            crate::engine::privnum_engine_route(
                e,
                a.into(),
                x.into(),
                b"12345".as_ptr(),
                5,
                0,
                route.as_mut_ptr(),
            )
        };
        assert_eq!(r, PRIVNUM_RESULT_INVALID_ARGUMENT);
        assert_eq!(detail(privnum_last_error_platform_code), ABSENT);
        assert_eq!(detail(privnum_last_error_field).as_deref(), Ok("extendNum"));
        // SAFETY: NULL `engine` is what is being tested; `route` is writable.
        let r = unsafe {
            crate::engine::privnum_engine_route(
                std::ptr::null(),
                a.into(),
                x.into(),
                std::ptr::null(),
                0,
                0,
                route.as_mut_ptr(),
            )
        };
        assert_eq!(r, PRIVNUM_RESULT_NULL_PARAMETER);
        assert_eq!(message(), "engine is NULL");
        assert_eq!(detail(privnum_last_error_platform_code), ABSENT);
        assert_eq!(detail(privnum_last_error_field), ABSENT);
        // SAFETY: `e` is a live handle, not used afterwards.
        unsafe { crate::engine::privnum_engine_free(e) };
    }
}
