//! Runs every case of `tests/vectors/sms_segments.json` against the core crate.

use std::collections::HashSet;
use std::path::PathBuf;

use privnum::callback::segments::{SegmentCount, SmsEncoding, count_segments, count_segments_ax};
use privnum::number;
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

fn u(v: &Value, key: &str) -> u32 {
    let n = v[key]
        .as_u64()
        .unwrap_or_else(|| panic!("missing number {key} in {v}"));
    u32::try_from(n).unwrap()
}

/// The case's text: `text`, or `text_repeat` (one `{unit, count}` object or
/// an array of them, concatenated in order).
fn text(case: &Value, id: &str) -> String {
    match (case.get("text"), case.get("text_repeat")) {
        (Some(t), None) => t.as_str().unwrap().to_owned(),
        (None, Some(Value::Array(parts))) => parts.iter().map(repeat).collect(),
        (None, Some(part)) => repeat(part),
        _ => panic!("{id}: needs exactly one of text and text_repeat"),
    }
}

fn repeat(part: &Value) -> String {
    s(part, "unit").repeat(u(part, "count") as usize)
}

#[test]
fn sms_segments() {
    let cases = load("sms_segments.json");
    let mut ids = HashSet::new();
    let mut ax_cases = 0;
    for case in &cases {
        let id = s(case, "id");
        assert!(ids.insert(id.to_owned()), "duplicate id {id}");
        let text = text(case, id);
        let got = match case.get("ax_b_number") {
            None => count_segments(&text),
            Some(b) => {
                ax_cases += 1;
                let b = number::parse(b.as_str().unwrap()).unwrap();
                let got = count_segments_ax(&text, &b);
                // The AX count is the count of the text with the suffix.
                let full = format!("{text}@{}", b.e164().as_str());
                assert_eq!(got, count_segments(&full), "{id}: suffix");
                got
            }
        };
        let e = &case["expect"];
        let encoding = SmsEncoding::from_name(s(e, "encoding"))
            .unwrap_or_else(|| panic!("{id}: unknown encoding {}", e["encoding"]));
        let want = SegmentCount {
            encoding,
            segments: u(e, "segments"),
            units: u(e, "units"),
            per_segment: u(e, "per_segment"),
            remaining: u(e, "remaining"),
        };
        assert_eq!(got, want, "{id}");
    }
    assert!(cases.len() >= 25, "too few cases");
    assert!(ax_cases > 0, "no AX cases");
}
