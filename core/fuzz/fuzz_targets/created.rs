//! The `Created` time: `sign::parse_created`, `sign::format_created`, the
//! canonical form `Signer::sign` insists on, and the platform times of pushes
//! (`sign::parse_utc_datetime`, `callback::push::parse_platform_time`).
//!
//! Input: any bytes. As text (lossy UTF-8) they are a time string; their first
//! 8 bytes (little endian) are also a Unix time.
//!
//! Asserts:
//! * `parse_created(s) == Ok(t)` ⇒ `format_created(t)` succeeds and parses back
//!   to `t`; if `s` is in the exact emitted form (`yyyy-MM-ddTHH:mm:ssZ`), the
//!   formatted text equals `s`;
//! * `Signer::sign` accepts `s` as `Created` exactly when `s` is in that form and
//!   parses, and then puts `s` unchanged in the headers;
//! * `parse_utc_datetime` agrees with `parse_created`, reading
//!   `yyyy-MM-dd HH:mm:ss` like the `T` form; `parse_platform_time` is it on
//!   the trimmed text, and `None` only for blank text;
//! * `format_created(t)` is 20 ASCII bytes that parse back to `t`, and fails
//!   only outside years 0000-9999;
//! * every error is INVALID_CREATED.

#![no_main]

use libfuzzer_sys::fuzz_target;
use privnum::ErrorKind;
use privnum::callback::push::parse_platform_time;
use privnum::sign::{Scheme, Signer, format_created, parse_created, parse_utc_datetime};
use privnum_fuzz::text;

/// Is `s` exactly `dddd-dd-ddTdd:dd:ddZ` (digits where `d` is)?
fn emitted_shape(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 20
        && b.iter().enumerate().all(|(i, &c)| match i {
            4 | 7 => c == b'-',
            10 => c == b'T',
            13 | 16 => c == b':',
            19 => c == b'Z',
            _ => c.is_ascii_digit(),
        })
}

fn check_unix(t: i64) {
    match format_created(t) {
        Ok(c) => {
            let s = c.as_str();
            assert!(emitted_shape(s), "{t} formats as {s:?}");
            assert_eq!(parse_created(s), Ok(t), "{s:?}");
            assert_eq!(c.to_string(), s);
        }
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::InvalidCreated);
            // Years 0000-9999 are 0000-01-01T00:00:00Z ..= 9999-12-31T23:59:59Z.
            assert!(
                !(-62_167_219_200..=253_402_300_799).contains(&t),
                "{t}: {e}"
            );
        }
    }
}

fuzz_target!(|data: &[u8]| {
    if let Some(b) = data.get(..8) {
        check_unix(i64::from_le_bytes(b.try_into().unwrap_or_default()));
    }
    let text = text(data);
    let s = text.as_ref();

    let parsed = parse_created(s);
    match parsed {
        Ok(t) => {
            check_unix(t);
            let f = format_created(t).expect("a parsed time has a 4-digit year");
            if emitted_shape(s) {
                assert_eq!(f.as_str(), s, "{s:?} is canonical but formats differently");
            }
        }
        Err(ref e) => assert_eq!(e.kind(), ErrorKind::InvalidCreated, "{s:?}"),
    }

    // Signing accepts only the emitted form.
    let signer = Signer::new("fuzzkey", "fuzzsecret").unwrap();
    match signer.sign(Scheme::Aksk, "N1", s) {
        Ok(h) => {
            assert!(emitted_shape(s) && parsed.is_ok(), "{s:?} accepted");
            assert_eq!(h.created(), s);
            assert!(h.value().ends_with(&format!("Created=\"{s}\"")));
        }
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::InvalidCreated);
            assert!(!(emitted_shape(s) && parsed.is_ok()), "{s:?} refused: {e}");
        }
    }

    // Push times: `parse_utc_datetime` is `parse_created` that also takes a
    // space for the `T`; `parse_platform_time` trims it and reads blank as absent.
    let kind = |r: privnum::Result<i64>| r.map_err(|e| e.kind());
    let utc = kind(parse_utc_datetime(s));
    let b = s.as_bytes();
    if b.len() >= 19 && b[10] == b' ' {
        let iso = format!("{}T{}", &s[..10], &s[11..]);
        assert_eq!(utc, kind(parse_created(&iso)), "{s:?}");
    } else {
        assert_eq!(utc, kind(parsed.clone()), "{s:?}");
    }
    let trimmed = s.trim();
    let platform = parse_platform_time(s);
    if trimmed.is_empty() {
        assert_eq!(platform, Ok(None));
    } else {
        let want = parse_utc_datetime(trimmed).map(Some).map_err(|e| e.kind());
        assert_eq!(platform.map_err(|e| e.kind()), want, "{s:?}");
    }
});
