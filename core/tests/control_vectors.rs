//! Runs `tests/vectors/call_control.json`: X-mode call-control queries,
//! verified and parsed.

use std::path::PathBuf;

use privnum::ErrorKind;
use privnum::callback::receive_call_control;
use privnum::sign::VerifierConfig;
use privnum::sign::params::{ParamsVerifier, Profile};
use serde_json::Value;

#[test]
fn call_control() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/call_control.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let config = VerifierConfig {
        max_age_secs: 900,
        max_future_secs: 300,
        replay_capacity: 100,
        accept_wsse: false,
    };
    for case in doc["cases"].as_array().unwrap() {
        let id = case["id"].as_str().unwrap();
        let verifier = ParamsVerifier::new(
            Profile::call_control(),
            case["secret"].as_str().unwrap(),
            config,
        )
        .unwrap();
        for (i, step) in case["steps"].as_array().unwrap().iter().enumerate() {
            let sid = format!("{id}#{i}");
            let owned: Vec<(String, String)> = step["params"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| {
                    (
                        p[0].as_str().unwrap().to_owned(),
                        p[1].as_str().unwrap().to_owned(),
                    )
                })
                .collect();
            let params: Vec<(&str, &str)> = owned
                .iter()
                .map(|(a, b)| (a.as_str(), b.as_str()))
                .collect();
            match (
                receive_call_control(&verifier, &params, step["now"].as_i64().unwrap()),
                step.get("error"),
            ) {
                (Ok((q, _)), None) => {
                    let e = &step["expect"];
                    let text = |v: Option<&str>| v.map_or(Value::Null, Value::from);
                    assert_eq!(Value::from(q.call_no.as_ref()), e["call_no"], "{sid}");
                    assert_eq!(Value::from(q.secret_no.as_ref()), e["secret_no"], "{sid}");
                    assert_eq!(
                        text(q.record_type.as_ref().map(|r| r.name())),
                        e["record_type"],
                        "{sid}"
                    );
                    assert_eq!(text(q.call_time.as_deref()), e["call_time"], "{sid}");
                    assert_eq!(text(q.call_id.as_deref()), e["call_id"], "{sid}");
                    assert_eq!(text(q.extension.as_deref()), e["extension"], "{sid}");
                    assert_eq!(
                        q.call_time_utc8().map_or(Value::Null, Value::from),
                        e["call_time_utc8"],
                        "{sid}"
                    );
                    assert_eq!(
                        text(q.caller().map(|n| n.e164().to_string()).as_deref()),
                        e["caller_e164"],
                        "{sid}"
                    );
                    assert_eq!(
                        text(q.x().map(|n| n.e164().to_string()).as_deref()),
                        e["x_e164"],
                        "{sid}"
                    );
                }
                (Err(err), Some(kind)) => {
                    assert_eq!(
                        err.kind(),
                        ErrorKind::from_name(kind.as_str().unwrap()).unwrap(),
                        "{sid}: {err}"
                    );
                }
                (Ok(_), Some(kind)) => panic!("{sid}: expected {kind}"),
                (Err(err), None) => panic!("{sid}: unexpected {err}"),
            }
        }
    }
}
