//! The code readers of `callback::codes`: `ResultCode::parse` (API
//! `resultcode`), `NumberStatus::from_wire` and `UnavailableCause::from_wire`.
//!
//! Input: any bytes, as text (lossy UTF-8); the first two bytes are also an
//! HTTP status.
//!
//! Asserts:
//! * a result code keeps its text; `number()` is set exactly for canonical
//!   decimal (digits, no sign, no leading zero) that fits a `u32`, and a code
//!   is known only then; `"0"` alone is success; only retryable actions have
//!   retries (1 to 3); `Display` starts with the text;
//! * the wire readers accept exactly non-empty ASCII digits that fit a `u32`,
//!   and `from_code(code())` gives the value back.

#![no_main]

use libfuzzer_sys::fuzz_target;
use privnum::callback::codes::{Action, NumberStatus, ResultCode, UnavailableCause};
use privnum_fuzz::text;

fuzz_target!(|data: &[u8]| {
    let text = text(data);
    let s = text.as_ref();
    let http = data
        .get(..2)
        .map(|b| u16::from_le_bytes([b[0], b[1]]) % 600);

    let rc = ResultCode::parse(s);
    assert_eq!(rc.as_str(), s);
    assert_eq!(s.parse::<ResultCode>().ok(), Some(rc.clone()));
    let canonical = !s.is_empty()
        && s.bytes().all(|b| b.is_ascii_digit())
        && (s.len() == 1 || !s.starts_with('0'));
    assert_eq!(
        rc.number(),
        if canonical { s.parse().ok() } else { None },
        "{s:?}"
    );
    if let Some(n) = rc.number() {
        assert_eq!(n.to_string(), s);
    }
    if rc.is_known() {
        assert!(rc.number().is_some(), "{s:?} is known but not a number");
        assert!(rc.description().is_some());
    }
    assert_eq!(rc.is_success(), s == "0");
    for status in [None, Some(200), Some(401), http] {
        let action = rc.action(status);
        let retries = rc.max_retries(status);
        assert_eq!(rc.retryable(status), action.retryable());
        if action.retryable() {
            assert!((1..=3).contains(&retries), "{s:?}: {retries}");
        } else {
            assert_eq!(retries, 0);
        }
        if rc.number().is_none() && !rc.is_success() {
            assert_eq!(action, Action::Unknown, "{s:?}");
        }
        let _ = rc.describe(status);
    }
    assert!(rc.to_string().starts_with(s));

    let wire = if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse::<u32>().ok()
    } else {
        None
    };
    let status = NumberStatus::from_wire(s);
    assert_eq!(status.map(NumberStatus::code), wire, "{s:?}");
    if let Some(st) = status {
        assert_eq!(NumberStatus::from_code(st.code()), st);
        let _ = (st.name(), st.description(), st.to_string());
    }
    let cause = UnavailableCause::from_wire(s);
    assert_eq!(cause.map(UnavailableCause::code), wire, "{s:?}");
    if let Some(c) = cause {
        assert_eq!(UnavailableCause::from_code(c.code()), c);
        let _ = (c.name(), c.description(), c.to_string());
    }
});
