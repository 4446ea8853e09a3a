//! Runs every case of `tests/vectors/client*.json` (one file per group of
//! operations, all with the schema of `client.json`) through
//! `privnum::client::any::AnyOperation`, the operations by name that the C
//! ABI and the Python package use too: requests built and signed (method,
//! path and query, headers, exact body, or the validation error naming its
//! field) and platform responses parsed (output as JSON, or the error kind
//! with platform code and HTTP status).

use std::collections::HashSet;
use std::path::PathBuf;

use privnum::client::any::{AnyOperation, NAMES};
use privnum::client::{self, HttpRequest, HttpResponse, Operation};
use privnum::{Error, ErrorKind, Result, Signer};
use serde_json::{Value, json};

/// Every `client*.json` file: `(file name, document)`.
fn load() -> Vec<(String, Value)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors");
    let mut docs = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !(name.starts_with("client") && name.ends_with(".json")) {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let doc: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(doc["schema"], 1, "{name}: unknown schema");
        assert!(!doc["cases"].as_array().unwrap().is_empty(), "{name}");
        docs.push((name, doc));
    }
    docs.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(docs.iter().any(|(n, _)| n == "client.json"));
    docs
}

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("missing string {key} in {v}"))
}

/// Prepare, sign, and describe: `(request, name, idempotent)`.
fn build(
    op: &AnyOperation,
    signer: &Signer,
    nonce: &str,
    created: &str,
) -> Result<(HttpRequest, &'static str, bool)> {
    let req = client::sign(op.prepare()?, signer, nonce, created)?;
    Ok((req, op.name(), op.idempotent()))
}

// ---------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------

fn check_error(id: &str, case: &Value, e: &Error) {
    let want = s(case, "error");
    assert_eq!(e.kind().name(), want, "{id}: {e}");
    assert_eq!(ErrorKind::from_name(want), Some(e.kind()), "{id}");
    assert_eq!(
        e.platform_code(),
        case["platform_code"].as_str(),
        "{id}: platform_code ({e})"
    );
    assert_eq!(e.field(), case["field"].as_str(), "{id}: field ({e})");
    if let Some(status) = case.get("http_status") {
        assert_eq!(
            e.http_status().map(u64::from),
            status.as_u64(),
            "{id}: http_status"
        );
    } else {
        assert_eq!(e.http_status(), None, "{id}: a request error has no status");
    }
    for needle in case["message_contains"].as_array().into_iter().flatten() {
        let needle = needle.as_str().unwrap();
        assert!(
            e.message().contains(needle),
            "{id}: {needle:?} not in {:?}",
            e.message()
        );
    }
    for needle in case["message_not_contains"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let needle = needle.as_str().unwrap();
        assert!(
            !e.message().contains(needle),
            "{id}: {needle:?} in {:?}",
            e.message()
        );
    }
}

fn run_request(id: &str, case: &Value, default_signing: &Value) {
    let signing = case.get("signing").unwrap_or(default_signing);
    let signer = Signer::new(s(signing, "app_key"), s(signing, "app_secret")).unwrap();
    let built = AnyOperation::from_json(s(case, "op"), &case["input"])
        .and_then(|op| build(&op, &signer, s(signing, "nonce"), s(signing, "created")));
    match (built, case.get("expect")) {
        (Ok((req, name, idempotent)), Some(e)) => {
            assert_eq!(req.method().as_str(), s(e, "method"), "{id}");
            assert_eq!(req.path_and_query(), s(e, "path_and_query"), "{id}");
            let headers: Vec<Value> = req.headers().iter().map(|(n, v)| json!([n, v])).collect();
            assert_eq!(Value::Array(headers), e["headers"], "{id}: headers");
            assert_eq!(req.body(), e["body"].as_str(), "{id}: body");
            if let Some(body) = req.body() {
                let parsed: Value = serde_json::from_str(body).unwrap();
                assert!(parsed.is_object(), "{id}: the body is a JSON object");
            }
            assert_eq!(name, s(e, "name"), "{id}");
            assert_eq!(Some(idempotent), e["idempotent"].as_bool(), "{id}");
            // Debug never shows the credential header nor the body.
            let debug = format!("{req:?}");
            let token = req.header("X-AKSK").unwrap();
            assert!(
                !debug.contains(token) && !debug.contains("PasswordDigest"),
                "{id}: {debug}"
            );
            if let Some(body) = req.body().filter(|b| b.len() > 2) {
                assert!(!debug.contains(body), "{id}: {debug}");
            }
        }
        (Err(err), None) => check_error(id, case, &err),
        (Ok(_), None) => panic!("{id}: expected {}, got a request", case["error"]),
        (Err(err), Some(_)) => panic!("{id}: unexpected error {err}"),
    }
}

fn run_response(id: &str, case: &Value) {
    let op = AnyOperation::from_json(s(case, "op"), &case["input"])
        .unwrap_or_else(|e| panic!("{id}: {e}"));
    let resp = HttpResponse {
        status: u16::try_from(case["status"].as_u64().unwrap()).unwrap(),
        location: case["location"].as_str(),
        body: s(case, "body").as_bytes(),
    };
    match (op.parse(&resp), case.get("expect")) {
        (Ok(got), Some(want)) => assert_eq!(&got, want, "{id}"),
        (Err(err), None) => check_error(id, case, &err),
        (Ok(got), None) => panic!("{id}: expected {}, got {got}", case["error"]),
        (Err(err), Some(_)) => panic!("{id}: unexpected error {err}"),
    }
}

#[test]
fn client_vectors() {
    let mut ids = HashSet::new();
    let mut seen = HashSet::new();
    let mut kinds = HashSet::new();
    for (file, doc) in load() {
        for case in doc["cases"].as_array().unwrap() {
            let id = s(case, "id");
            assert!(ids.insert(id.to_owned()), "{file}: duplicate id {id}");
            assert!(
                case.get("expect").is_some() != case.get("error").is_some(),
                "{file} {id}: exactly one of expect and error"
            );
            let ty = s(case, "type");
            seen.insert(format!("{ty} {}", s(case, "op")));
            if let Some(k) = case["error"].as_str() {
                kinds.insert(k.to_owned());
            }
            match ty {
                "request" => run_request(id, case, &doc["signing"]),
                "response" => run_response(id, case),
                other => panic!("{file} {id}: unknown type {other}"),
            }
        }
    }
    // Every operation is covered both ways, and the file exercises the kinds
    // the client is about.
    for ty in ["request", "response"] {
        for op in NAMES {
            assert!(
                seen.contains(&format!("{ty} {op}")),
                "no {ty} case for {op}"
            );
        }
    }
    for k in [
        "RULE_VIOLATION",
        "INVALID_ARGUMENT",
        "FIELD_OUT_OF_BOUNDS",
        "PLATFORM_CONFLICT",
        "PLATFORM_AUTH",
        "PLATFORM_THROTTLED",
        "PLATFORM_CLOCK_SKEW",
        "PLATFORM_RETRY",
        "PLATFORM_UNKNOWN",
        "RESPONSE_INVALID",
    ] {
        assert!(kinds.contains(k), "no case for {k}");
    }
}
