//! `Verifier::verify_headers` on arbitrary header sets.
//!
//! Input (text, `\n`-separated lines):
//! ```text
//! app key
//! app secret
//! now [max_age_secs [max_future_secs [replay_capacity [accept_wsse(0|1)]]]]
//! Header-Name:value        (any number of lines; split at the first ':')
//! ```
//! A key or secret the verifier refuses falls back to `pushkey`/`pushsecret`;
//! a missing number falls back to the verify.json defaults.
//!
//! Asserts:
//! * verification never panics and every error is an AUTH_* kind (250..=255);
//! * on success: the nonce is 1-128 letters and digits, `created` is inside
//!   the window, the scheme's header was present; verifying the same headers
//!   again is refused as AUTH_REPLAYED (when replay detection is on), and is
//!   accepted again after `forget(nonce)`;
//! * signing that nonce at that time with the same key and secret gives
//!   headers that a fresh verifier accepts with the same scheme, nonce and time;
//! * a verifier that shares the key but not the secret never accepts them.

#![no_main]

use libfuzzer_sys::fuzz_target;
use privnum::ErrorKind;
use privnum::sign::{Scheme, Signer, Verifier, VerifierConfig, format_created};
use privnum_fuzz::{assert_code_in, int_or, lines, split_once, text};

fuzz_target!(|data: &[u8]| {
    let text = text(data);
    let lines = lines(&text);
    let mut key = lines.first().copied().unwrap_or("pushkey");
    let mut secret = lines.get(1).copied().unwrap_or("pushsecret");
    let nums: Vec<&str> = lines.get(2).map_or(Vec::new(), |l| l.split(' ').collect());
    let arg = |i: usize| nums.get(i).copied().unwrap_or("");
    let now: i64 = int_or(arg(0), 1_714_550_400);
    let config = VerifierConfig {
        max_age_secs: int_or(arg(1), 600),
        max_future_secs: int_or(arg(2), 300),
        // Bounded so that the fuzzer cannot ask for a huge cache.
        replay_capacity: int_or(arg(3), 100usize).min(1000),
        accept_wsse: arg(4) != "0",
    };
    let headers: Vec<(&str, &str)> = lines.iter().skip(3).map(|l| split_once(l, ':')).collect();

    let verifier = match Verifier::new(key, secret, config) {
        Ok(v) => v,
        Err(e) => {
            assert!(matches!(
                e.kind(),
                ErrorKind::InvalidAppKey | ErrorKind::InvalidAppSecret
            ));
            key = "pushkey";
            secret = "pushsecret";
            Verifier::new(key, secret, config).expect("the fallback credentials are valid")
        }
    };

    let first = verifier.verify_headers(headers.iter().copied(), now);
    let v = match first {
        Ok(v) => v,
        Err(e) => {
            assert_code_in(e.kind(), 250..=255, &(&headers, e.message()));
            // Deterministic: the same headers fail the same way on a fresh verifier.
            let fresh = Verifier::new(key, secret, config).unwrap();
            let again = fresh.verify_headers(headers.iter().copied(), now);
            assert_eq!(again.map_err(|e| e.kind()), Err(e.kind()), "{headers:?}");
            return;
        }
    };

    // What was accepted is well-formed and inside the window.
    assert!(!v.nonce.is_empty() && v.nonce.len() <= 128);
    assert!(v.nonce.bytes().all(|b| b.is_ascii_alphanumeric()), "{v:?}");
    let age = now.saturating_sub(v.created);
    assert!(age <= i64::from(config.max_age_secs), "{v:?} at {now}");
    assert!(-age <= i64::from(config.max_future_secs), "{v:?} at {now}");
    let has = |name: &str| {
        headers
            .iter()
            .any(|(n, _)| n.trim().eq_ignore_ascii_case(name))
    };
    match v.scheme {
        Scheme::Aksk => assert!(has("x-aksk")),
        Scheme::Wsse => {
            assert!(config.accept_wsse && has("x-wsse") && !has("x-aksk"));
        }
        _ => panic!("unknown scheme {:?}", v.scheme),
    }
    assert!(!v.wsse_raw_digest || v.scheme == Scheme::Wsse);

    // The same request again is a replay, until its nonce is forgotten.
    let again = verifier.verify_headers(headers.iter().copied(), now);
    if config.replay_capacity > 0 {
        assert_eq!(
            again.map_err(|e| e.kind()),
            Err(ErrorKind::AuthReplayed),
            "{headers:?}"
        );
        verifier.forget(&v.nonce);
        assert_eq!(
            verifier.verify_headers(headers.iter().copied(), now),
            Ok(v.clone())
        );
    } else {
        assert_eq!(again, Ok(v.clone()));
    }

    // Signing the same nonce and time verifies (canonical Created form).
    let signer = Signer::new(key, secret).unwrap();
    let created = format_created(v.created).unwrap();
    let signed = signer.sign(v.scheme, &v.nonce, created.as_str()).unwrap();
    let fresh = Verifier::new(key, secret, config).unwrap();
    let w = fresh.verify_headers(signed.pairs(), v.created).unwrap();
    assert_eq!(
        (w.scheme, &w.nonce, w.created),
        (v.scheme, &v.nonce, v.created)
    );
    assert!(!w.wsse_raw_digest);

    // Another secret never accepts the request.
    let other_secret = format!("{secret}x");
    let other = Verifier::new(key, &other_secret, config).unwrap();
    let e = other
        .verify_headers(headers.iter().copied(), now)
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::AuthBadDigest, "{headers:?}");
});
