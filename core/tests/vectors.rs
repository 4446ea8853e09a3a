//! Runs every case of `tests/vectors/*.json` against the core crate.
//! The C and Python tests run the same files.

use std::path::PathBuf;

use privnum::number::{self, Field, ParseOptions};
use privnum::sign::params::{self, Encoding, ParamsVerifier, Profile};
use privnum::sign::{Scheme, Signer, Verifier, VerifierConfig, format_created, parse_created};
use privnum::{Error, ErrorKind};
use serde_json::Value;

fn load(name: &str) -> Vec<Value> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/vectors")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let doc: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["schema"], 1, "{name}: unknown schema");
    let cases = doc["cases"].as_array().unwrap().clone();
    assert!(!cases.is_empty(), "{name} has no cases");
    cases
}

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("missing string {key} in {v}"))
}

/// Compare a result with the case's `expect` (via `check`) or `error`.
fn outcome<T>(case: &Value, id: &str, result: Result<T, Error>, check: impl FnOnce(T, &Value)) {
    match (result, case.get("error")) {
        (Ok(v), None) => check(v, &case["expect"]),
        (Err(e), Some(kind)) => {
            let want = ErrorKind::from_name(kind.as_str().unwrap())
                .unwrap_or_else(|| panic!("{id}: unknown error kind {kind}"));
            assert_eq!(e.kind(), want, "{id}: {e}");
            assert!(!e.message().is_empty(), "{id}: empty message");
        }
        (Ok(_), Some(kind)) => panic!("{id}: expected error {kind}, got success"),
        (Err(e), None) => panic!("{id}: unexpected error {e}"),
    }
}

fn options(case: &Value) -> ParseOptions {
    match case.get("default_country") {
        None => ParseOptions::default(),
        Some(Value::Null) => ParseOptions {
            default_country: None,
        },
        Some(v) => ParseOptions {
            default_country: Some(v.as_u64().unwrap() as u16),
        },
    }
}

#[test]
fn numbers() {
    for case in load("numbers.json") {
        let id = s(&case, "id");
        let input = s(&case, "input");
        let result = number::parse_with(input, options(&case));
        outcome(&case, id, result, |n, e| {
            assert_eq!(n.e164(), s(e, "e164"), "{id}");
            assert_eq!(n.query(), s(e, "query"), "{id}");
            assert_eq!(n.masked(), s(e, "masked"), "{id}");
            assert_eq!(n.national(), s(e, "national"), "{id}");
            assert_eq!(
                n.national_significant(),
                s(e, "national_significant"),
                "{id}"
            );
            assert_eq!(n.class().name(), s(e, "class"), "{id}");
            assert_eq!(
                u64::from(n.country_code()),
                e["country_code"].as_u64().unwrap(),
                "{id}"
            );
            assert_eq!(n.area_code().as_deref(), e["area_code"].as_str(), "{id}");
            assert_eq!(n.is_bindable(), e["bindable"].as_bool().unwrap(), "{id}");
            assert_eq!(n.can_call_x(), e["can_call_x"].as_bool().unwrap(), "{id}");
            // Parsing the E.164 form again gives the same number (idempotence),
            // and the packed bits round-trip.
            assert_eq!(number::parse(n.e164().as_str()).unwrap(), n, "{id}");
            assert_eq!(number::Number::from_bits(n.to_bits()).unwrap(), n, "{id}");
        });
        // Trailing garbage after a valid input is never silently accepted.
        if case.get("expect").is_some() {
            let r = number::parse_with(&format!("{input}x"), options(&case));
            assert_eq!(
                r.unwrap_err().kind(),
                ErrorKind::NumberInvalidCharacter,
                "{id}+x"
            );
        }
    }
}

#[test]
fn fields() {
    for case in load("fields.json") {
        let id = s(&case, "id");
        let field = Field::from_name(s(&case, "field")).unwrap_or_else(|| panic!("{id}: field"));
        let b = case["bounds"].as_array().unwrap();
        let want = (
            b[0].as_u64().unwrap() as usize,
            b[1].as_u64().unwrap() as usize,
        );
        assert_eq!(field.bounds(), want, "{id}");
        let result = match case.get("number") {
            Some(n) => number::parse(n.as_str().unwrap())
                .unwrap()
                .check_field(field),
            None => field.check(s(&case, "value")),
        };
        outcome(&case, id, result, |(), _| {});
    }
    // Every field the core knows is covered by the vectors.
    let names: Vec<String> = load("fields.json")
        .iter()
        .map(|c| c["field"].as_str().unwrap().to_owned())
        .collect();
    for f in Field::ALL {
        assert!(
            names.iter().any(|n| n == f.name()),
            "no vector for {}",
            f.name()
        );
    }
}

fn scheme(name: &str) -> Scheme {
    match name {
        "aksk" => Scheme::Aksk,
        "wsse" => Scheme::Wsse,
        other => panic!("unknown scheme {other}"),
    }
}

#[test]
fn signing() {
    for case in load("signing.json") {
        let id = s(&case, "id");
        match s(&case, "op") {
            "sign" => {
                let result =
                    Signer::new(s(&case, "app_key"), s(&case, "app_secret")).and_then(|signer| {
                        signer.sign(
                            scheme(s(&case, "scheme")),
                            s(&case, "nonce"),
                            s(&case, "created"),
                        )
                    });
                outcome(&case, id, result, |h, e| {
                    assert_eq!(h.digest(), s(e, "digest"), "{id}");
                    assert_eq!(h.value(), s(e, "header"), "{id}");
                    assert_eq!(h.header_name(), s(e, "header_name"), "{id}");
                    assert_eq!(h.authorization(), s(e, "authorization"), "{id}");
                    assert_eq!(h.nonce(), s(&case, "nonce"), "{id}");
                    assert_eq!(h.created(), s(&case, "created"), "{id}");
                });
            }
            "new_signer" => {
                let result = Signer::new(s(&case, "app_key"), s(&case, "app_secret"));
                outcome(&case, id, result, |_, _| {});
            }
            "format_created" => {
                let result = format_created(case["unix"].as_i64().unwrap());
                outcome(&case, id, result, |c, e| {
                    assert_eq!(c.as_str(), s(e, "created"), "{id}")
                });
            }
            "parse_created" => {
                let result = parse_created(s(&case, "created"));
                outcome(&case, id, result, |t, e| {
                    assert_eq!(t, e["unix"].as_i64().unwrap(), "{id}");
                });
            }
            op => panic!("{id}: unknown op {op}"),
        }
    }
}

fn config(v: &Value) -> VerifierConfig {
    VerifierConfig {
        max_age_secs: v["max_age_secs"].as_u64().unwrap() as u32,
        max_future_secs: v["max_future_secs"].as_u64().unwrap() as u32,
        replay_capacity: v["replay_capacity"].as_u64().unwrap() as usize,
        accept_wsse: v["accept_wsse"].as_bool().unwrap(),
    }
}

fn pairs(v: &Value) -> Vec<(String, String)> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p[0].as_str().unwrap().to_owned(),
                p[1].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn verify() {
    for case in load("verify.json") {
        let id = s(&case, "id");
        let verifier = Verifier::new(
            s(&case, "app_key"),
            s(&case, "app_secret"),
            config(&case["config"]),
        )
        .unwrap();
        for (i, step) in case["steps"].as_array().unwrap().iter().enumerate() {
            let sid = format!("{id}#{i}");
            if let Some(nonce) = step.get("forget") {
                verifier.forget(nonce.as_str().unwrap());
                continue;
            }
            let headers = pairs(&step["headers"]);
            let now = step["now"].as_i64().unwrap();
            let result =
                verifier.verify_headers(headers.iter().map(|(a, b)| (a.as_str(), b.as_str())), now);
            outcome(step, &sid, result, |v, e| {
                assert_eq!(v.scheme.name(), s(e, "scheme"), "{sid}");
                assert_eq!(v.nonce, s(e, "nonce"), "{sid}");
                assert_eq!(v.created, e["created"].as_i64().unwrap(), "{sid}");
                assert_eq!(
                    v.wsse_raw_digest,
                    e["wsse_raw_digest"].as_bool().unwrap(),
                    "{sid}"
                );
            });
        }
    }
}

fn profile(v: &Value) -> Profile {
    match s(v, "kind") {
        "rpc_v1" => Profile::rpc_v1(s(v, "method")),
        "call_control" => Profile::call_control(),
        other => panic!("unknown profile {other}"),
    }
}

fn encoding(name: &str) -> Encoding {
    match name {
        "rfc3986" => Encoding::Rfc3986,
        "form" => Encoding::Form,
        other => panic!("unknown encoding {other}"),
    }
}

#[test]
fn params() {
    for case in load("params.json") {
        let id = s(&case, "id");
        match s(&case, "op") {
            "encode" => {
                let out = params::encode(s(&case, "input"), encoding(s(&case, "encoding")));
                assert_eq!(out, s(&case["expect"], "output"), "{id}");
            }
            "sign" => {
                let p = pairs(&case["params"]);
                let refs: Vec<(&str, &str)> =
                    p.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
                let prof = profile(&case["profile"]);
                let result = params::sign(&prof, s(&case, "secret"), &refs)
                    .and_then(|sig| Ok((params::string_to_sign(&prof, &refs)?, sig)));
                outcome(&case, id, result, |(sts, sig), e| {
                    assert_eq!(sts, s(e, "string_to_sign"), "{id}");
                    assert_eq!(sig, s(e, "signature"), "{id}");
                });
            }
            "verify" => {
                let verifier = ParamsVerifier::new(
                    profile(&case["profile"]),
                    s(&case, "secret"),
                    config(&case["config"]),
                )
                .unwrap();
                for (i, step) in case["steps"].as_array().unwrap().iter().enumerate() {
                    let sid = format!("{id}#{i}");
                    let p = pairs(&step["params"]);
                    let refs: Vec<(&str, &str)> =
                        p.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
                    let result = verifier.verify(&refs, step["now"].as_i64().unwrap());
                    outcome(step, &sid, result, |v, e| {
                        assert_eq!(v.profile.encoding, encoding(s(e, "encoding")), "{sid}");
                        assert_eq!(
                            v.profile.key_ampersand,
                            e["key_ampersand"].as_bool().unwrap(),
                            "{sid}"
                        );
                        assert_eq!(v.timestamp, e["timestamp"].as_i64(), "{sid}");
                    });
                }
            }
            op => panic!("{id}: unknown op {op}"),
        }
    }
}
