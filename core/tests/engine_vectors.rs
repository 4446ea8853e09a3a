//! Runs `tests/vectors/engine.json`: binding-engine scenarios driven through
//! `privnum::engine::command`, the same way the C and Python runners do.

use std::path::PathBuf;

use privnum::engine::{Engine, command};
use serde_json::Value;

/// Whether `actual` contains `expected` (objects by listed keys, arrays
/// element-wise with equal length, scalars equal).
fn subset(expected: &Value, actual: &Value) -> bool {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => e
            .iter()
            .all(|(k, v)| a.get(k).is_some_and(|av| subset(v, av))),
        (Value::Array(e), Value::Array(a)) => {
            e.len() == a.len() && e.iter().zip(a).all(|(ev, av)| subset(ev, av))
        }
        (e, a) => e == a,
    }
}

#[test]
fn engine_vectors() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/engine.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut failures = Vec::new();
    let mut steps = 0;
    for case in doc["cases"].as_array().unwrap() {
        let id = case["id"].as_str().unwrap();
        let config = command::config_from_json(&case["config"].to_string()).unwrap();
        let engine = Engine::new(config).unwrap();
        for (i, step) in case["steps"].as_array().unwrap().iter().enumerate() {
            steps += 1;
            let answer: Value =
                serde_json::from_str(&command::execute(&engine, &step["cmd"].to_string())).unwrap();
            let good = if let Some(err) = step.get("error") {
                answer.get("error").is_some_and(|a| subset(err, a))
            } else {
                match (answer.get("ok"), step.get("expect")) {
                    (Some(_), None) => true,
                    (Some(a), Some(e)) => subset(e, a),
                    (None, _) => false,
                }
            };
            if !good {
                failures.push(format!(
                    "{id} step {i}: {}\n  expected {}\n  got      {answer}",
                    step["cmd"],
                    step.get("error")
                        .or_else(|| step.get("expect"))
                        .unwrap_or(&Value::Null)
                ));
            }
        }
    }
    assert!(steps > 100, "only {steps} steps");
    assert!(
        failures.is_empty(),
        "{} failing steps:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
