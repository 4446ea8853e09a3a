//! Runs `tests/vectors/ax_suffix.json`: the AX-mode `@<B number>` SMS suffix.

use std::path::PathBuf;

use privnum::callback::{AxSuffix, ax_suffix};
use serde_json::Value;

#[test]
fn ax_suffix_vectors() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/ax_suffix.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    for case in doc["cases"].as_array().unwrap() {
        let id = case["id"].as_str().unwrap();
        let e = &case["expect"];
        match (
            ax_suffix(case["text"].as_str().unwrap()),
            e["result"].as_str().unwrap(),
        ) {
            (AxSuffix::Valid { receiver, text }, "valid") => {
                assert_eq!(receiver.e164().as_str(), e["receiver_e164"], "{id}");
                assert_eq!(text, e["text"], "{id}");
            }
            (AxSuffix::Missing, "missing") => {}
            (AxSuffix::Garbled { suffix }, "garbled") => assert_eq!(suffix, e["suffix"], "{id}"),
            (got, want) => panic!("{id}: expected {want}, got {got:?}"),
        }
    }
}
