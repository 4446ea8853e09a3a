//! X-mode call-control queries: `callback::parse_call_control`,
//! `callback::receive_call_control` and `CallControlQuery::call_time_utc8`.
//!
//! Input: the same text format as `params_verify` (the profile line is read
//! but the call-control profile is always used, as `receive_call_control`
//! requires):
//! ```text
//! profile
//! secret
//! now
//! name=value               (any number of lines; split at the first '=')
//! ```
//!
//! Asserts:
//! * `parse_call_control` fails (PUSH_MISSING_FIELD) exactly when the last
//!   `callNo` or `secretNo` is missing or empty; otherwise every member is the
//!   last value of its parameter, empty meaning absent, and `recordType`
//!   keeps its text;
//! * `call_time_utc8` is set only for a 14-digit `callTime`, and formatting
//!   it back (+8 h) gives those digits; parsed numbers re-parse from E.164;
//! * on the parameters as given, `receive_call_control` fails with an AUTH_*,
//!   INVALID_PARAMETERS or PUSH_MISSING_FIELD kind;
//! * on the parameters signed with the secret, at their own timestamp,
//!   `receive_call_control` gives the same query as `parse_call_control`; when
//!   that query is incomplete the nonce is released, so a second try fails the
//!   same way instead of as a replay.

#![no_main]

use libfuzzer_sys::fuzz_target;
use privnum::ErrorKind;
use privnum::callback::{parse_call_control, receive_call_control};
use privnum::number;
use privnum::sign::params::{self, ParamsVerifier, Profile};
use privnum::sign::{VerifierConfig, format_created, parse_created};
use privnum_fuzz::{assert_code_in, int_or, lines, split_once, text};

fuzz_target!(|data: &[u8]| {
    let text = text(data);
    let lines = lines(&text);
    let secret = lines.get(1).copied().unwrap_or("");
    let now: i64 = int_or(lines.get(2).copied().unwrap_or(""), 1_714_550_400);
    let params: Vec<(&str, &str)> = lines.iter().skip(3).map(|l| split_once(l, '=')).collect();

    // The business parameters alone.
    let last = |name: &str| {
        params
            .iter()
            .rev()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| *v)
            .filter(|v| !v.is_empty())
    };
    let parsed = parse_call_control(&params);
    match &parsed {
        Ok(q) => {
            assert_eq!(Some(q.call_no.as_ref()), last("callNo"));
            assert_eq!(Some(q.secret_no.as_ref()), last("secretNo"));
            assert_eq!(q.extension.as_deref(), last("extension"));
            assert_eq!(q.call_time.as_deref(), last("callTime"));
            assert_eq!(q.call_id.as_deref(), last("callId"));
            assert_eq!(q.record_type.as_ref().map(|r| r.name()), last("recordType"));
            for n in [q.caller(), q.x()].into_iter().flatten() {
                assert_eq!(number::parse(n.e164().as_str()), Ok(n));
            }
            if let Some(u) = q.call_time_utc8() {
                let t = q.call_time.as_deref().unwrap_or_default();
                assert!(
                    t.len() == 14 && t.bytes().all(|b| b.is_ascii_digit()),
                    "{t:?}"
                );
                let c = format_created(u + 8 * 3600).expect("a 4-digit year");
                let digits: String = c.as_str().chars().filter(char::is_ascii_digit).collect();
                assert_eq!(digits, t, "callTime {t:?} read as {u}");
            }
        }
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::PushMissingField, "{e:?}");
            assert!(last("callNo").is_none() || last("secretNo").is_none());
        }
    }

    let profile = Profile::call_control();
    let config = VerifierConfig {
        max_age_secs: 900,
        max_future_secs: 300,
        replay_capacity: 100,
        accept_wsse: false,
    };
    let Ok(pv) = ParamsVerifier::new(profile.clone(), secret, config) else {
        assert!(secret.is_empty());
        return;
    };

    // As given: the signature is usually wrong.
    if let Err(e) = receive_call_control(&pv, &params, now) {
        if !matches!(
            e.kind(),
            ErrorKind::InvalidParameters | ErrorKind::PushMissingField
        ) {
            assert_code_in(e.kind(), 250..=255, &(&params, e.message()));
        }
    }

    // Signed properly, at the parameters' own timestamp.
    let Ok(signature) = params::sign(&profile, secret, &params) else {
        return;
    };
    let mut signed: Vec<(&str, &str)> = params
        .iter()
        .copied()
        .filter(|(k, _)| *k != profile.signature_name)
        .collect();
    signed.push((&profile.signature_name, &signature));
    let ts = signed
        .iter()
        .find(|(k, _)| *k == profile.timestamp_name)
        .map(|(_, v)| *v);
    let at = match ts.map(parse_created) {
        Some(Ok(t)) => t,
        Some(Err(_)) => return, // AUTH_MALFORMED: covered by params_verify
        None => now,
    };
    let pv = ParamsVerifier::new(profile.clone(), secret, config).unwrap();
    let first = receive_call_control(&pv, &signed, at);
    match (&first, parse_call_control(&signed)) {
        (Ok((q, v)), Ok(p)) => {
            assert_eq!(q, &p);
            assert_eq!(v.profile, profile);
        }
        (Err(e), Err(p)) => {
            assert_eq!(e.kind(), p.kind(), "{signed:?}");
            // The nonce was released: the same request fails the same way again.
            let again = receive_call_control(&pv, &signed, at);
            assert_eq!(again.map(|_| ()).map_err(|e| e.kind()), Err(p.kind()));
        }
        (r, p) => panic!("receive {r:?} but parse {p:?} for {signed:?}"),
    }
});
