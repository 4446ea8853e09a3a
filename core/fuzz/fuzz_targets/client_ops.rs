//! The platform API client by name: `client::any::AnyOperation` built from
//! JSON arguments, its request prepared, and a platform answer parsed.
//!
//! Input (text):
//! ```text
//! operation name            (e.g. axb.bind; an unknown name is refused)
//! arguments                 (one line of JSON)
//! HTTP status
//! Location                  (empty: no Location header)
//! body...                   (the rest, newlines included)
//! ```
//!
//! Asserts:
//! * building refuses bad input with INVALID_ARGUMENT or a NUMBER_* kind;
//! * a prepared request's body, when there is one, is a JSON object, and its
//!   path starts with `/rest/`;
//! * parsing never panics; a success is a JSON object; a failure is a
//!   PLATFORM_* kind (500-509) carrying the resultcode, or RESPONSE_INVALID,
//!   and always carries the HTTP status; its message has no run of nine or
//!   more digits (phone numbers are masked).

#![no_main]

use libfuzzer_sys::fuzz_target;
use privnum::ErrorKind;
use privnum::client::any::AnyOperation;
use privnum::client::{HttpResponse, Operation};
use privnum_fuzz::{int_or, text};

fuzz_target!(|data: &[u8]| {
    let text = text(data);
    let mut parts = text.splitn(5, '\n');
    let name = parts.next().unwrap_or("");
    let args = parts.next().unwrap_or("");
    let status: u16 = int_or(parts.next().unwrap_or(""), 200);
    let location = parts.next().filter(|l| !l.is_empty());
    let body = parts.next().unwrap_or("");

    let op = match AnyOperation::from_json_text(name, args) {
        Ok(op) => op,
        Err(e) => {
            assert!(
                e.kind() == ErrorKind::InvalidArgument
                    || (100..200).contains(&e.kind().code())
                    || e.kind() == ErrorKind::RuleViolation,
                "{e:?}"
            );
            return;
        }
    };
    if let Ok(prepared) = op.prepare() {
        assert!(prepared.path.starts_with("/rest/"), "{prepared:?}");
        if let Some(b) = &prepared.body {
            let v: serde_json::Value = serde_json::from_str(b).expect("the body is JSON");
            assert!(v.is_object());
        }
    }
    let resp = HttpResponse {
        status,
        location,
        body: body.as_bytes(),
    };
    match op.parse(&resp) {
        Ok(v) => assert!(v.is_object(), "{v}"),
        Err(e) => {
            let code = e.kind().code();
            assert!(
                (500..510).contains(&code) || e.kind() == ErrorKind::ResponseInvalid,
                "{e:?}"
            );
            if (500..510).contains(&code) {
                assert!(e.platform_code().is_some(), "{e:?}");
            }
            assert_eq!(e.http_status(), Some(status), "{e:?}");
            let mut run = 0;
            for c in e.message().chars() {
                run = if c.is_ascii_digit() { run + 1 } else { 0 };
                assert!(run < 9, "an unmasked digit run in {:?}", e.message());
            }
        }
    }
});
