//! Sorted-parameter signatures: `params::sign`, `ParamsVerifier::verify`,
//! `params::encode` / `params::decode`.
//!
//! Input (text, `\n`-separated lines):
//! ```text
//! profile                  "call_control", or "rpc_v1 METHOD"
//! secret
//! now
//! name=value               (any number of lines; split at the first '=')
//! ```
//!
//! Asserts:
//! * verifying the parameters as given never panics; errors are AUTH_* kinds
//!   (250..=255), or INVALID_PARAMETERS for a set that cannot be signed;
//! * when `sign` succeeds, the parameters plus that signature verify under the
//!   same profile (the reading that matched is the configured one), at the
//!   parameters' own timestamp, unless the timestamp is unreadable
//!   (AUTH_MALFORMED); a nonce makes the second verification a replay;
//!   a changed secret never verifies;
//! * `sign` errors are INVALID_PARAMETERS or INVALID_APP_SECRET (empty secret);
//! * `decode(encode(s)) == s` for both encodings, encoded text is ASCII, and
//!   whatever `decode` accepts survives another encode/decode round trip.

#![no_main]

use libfuzzer_sys::fuzz_target;
use privnum::ErrorKind;
use privnum::sign::params::{self, Encoding, ParamsVerifier, Profile};
use privnum::sign::{VerifierConfig, parse_created};
use privnum_fuzz::{assert_code_in, int_or, lines, split_once, text};

fn profile(line: &str) -> Profile {
    match line.split_once(' ') {
        Some(("rpc_v1", method)) => Profile::rpc_v1(method),
        _ if line == "rpc_v1" => Profile::rpc_v1("GET"),
        _ => Profile::call_control(),
    }
}

fuzz_target!(|data: &[u8]| {
    let text = text(data);
    let lines = lines(&text);
    let profile = profile(lines.first().copied().unwrap_or(""));
    let secret = lines.get(1).copied().unwrap_or("");
    let now: i64 = int_or(lines.get(2).copied().unwrap_or(""), 1_714_550_400);
    let params: Vec<(&str, &str)> = lines.iter().skip(3).map(|l| split_once(l, '=')).collect();
    let config = VerifierConfig::default();

    // Encoding round trips, on every name and value.
    for s in params.iter().flat_map(|(k, v)| [*k, *v]).chain([secret]) {
        for &enc in Encoding::ALL {
            let e = params::encode(s, enc);
            assert!(e.is_ascii(), "{e:?}");
            assert_eq!(params::decode(&e).as_deref(), Some(s), "{enc:?} of {s:?}");
        }
        if let Some(d) = params::decode(s) {
            let e = params::encode(&d, Encoding::Rfc3986);
            assert_eq!(params::decode(&e), Some(d));
        }
    }

    // The parameters as given (their signature, if any, is usually wrong).
    match ParamsVerifier::new(profile.clone(), secret, config) {
        Ok(pv) => {
            if let Err(e) = pv.verify(&params, now) {
                if e.kind() != ErrorKind::InvalidParameters {
                    assert_code_in(e.kind(), 250..=255, &(&params, e.message()));
                }
            }
        }
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::InvalidAppSecret);
            assert!(secret.is_empty());
        }
    }

    // Sign, then verify what was signed.
    let signature = match params::sign(&profile, secret, &params) {
        Ok(s) => s,
        Err(e) => {
            assert!(
                matches!(
                    e.kind(),
                    ErrorKind::InvalidParameters | ErrorKind::InvalidAppSecret
                ),
                "{e:?}"
            );
            return;
        }
    };
    assert_eq!(signature.len(), 28, "{signature:?}");
    let to_sign = params::string_to_sign(&profile, &params).unwrap();
    // Everything but the method (the caller's own constant) is percent-encoded.
    assert!(to_sign.is_ascii() || !profile.method.as_deref().unwrap_or("").is_ascii());

    let mut signed: Vec<(&str, &str)> = params
        .iter()
        .copied()
        .filter(|(k, _)| *k != profile.signature_name)
        .collect();
    signed.push((&profile.signature_name, &signature));
    let find = |n: &str| signed.iter().find(|(k, _)| *k == n).map(|(_, v)| *v);
    let timestamp = find(&profile.timestamp_name).map(parse_created);
    let at = match timestamp {
        Some(Ok(t)) => t,
        _ => now,
    };
    let pv = ParamsVerifier::new(profile.clone(), secret, config).unwrap();
    let verified = pv.verify(&signed, at);
    match timestamp {
        Some(Err(_)) => {
            assert_eq!(
                verified.map_err(|e| e.kind()),
                Err(ErrorKind::AuthMalformed)
            );
            return;
        }
        Some(Ok(t)) => {
            let v = verified.unwrap_or_else(|e| panic!("{signed:?} at {at}: {e}"));
            assert_eq!(v.timestamp, Some(t));
            assert_eq!(v.profile, profile);
        }
        None => {
            let v = verified.unwrap_or_else(|e| panic!("{signed:?} at {at}: {e}"));
            assert_eq!(v.timestamp, None);
            assert_eq!(v.profile, profile);
        }
    }
    // The same request again: a replay when it carries a timestamp and a nonce.
    let again = pv.verify(&signed, at).map_err(|e| e.kind());
    let nonce = find(&profile.nonce_name).filter(|n| !n.is_empty());
    if timestamp.is_some() && nonce.is_some() {
        assert_eq!(again, Err(ErrorKind::AuthReplayed), "{signed:?}");
        pv.forget(nonce.unwrap_or_default());
        assert!(pv.verify(&signed, at).is_ok());
    } else {
        assert!(again.is_ok(), "{signed:?}: {again:?}");
    }

    // A different secret does not verify.
    let other = format!("{secret}x");
    let pv = ParamsVerifier::new(profile.clone(), &other, config).unwrap();
    assert_eq!(
        pv.verify(&signed, at).map_err(|e| e.kind()),
        Err(ErrorKind::AuthBadDigest),
        "{signed:?}"
    );
});
