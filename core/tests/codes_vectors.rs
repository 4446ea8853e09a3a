//! Runs every case of `tests/vectors/codes.json` against
//! `privnum::callback::codes`.

use std::collections::HashSet;
use std::path::PathBuf;

use privnum::callback::codes::{
    Action, FailCategory, FailReason, NumberStatus, Party, Q850, ResultCode, SendResult,
    UnavailableCause,
};
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

fn b(v: &Value, key: &str) -> bool {
    v[key]
        .as_bool()
        .unwrap_or_else(|| panic!("missing bool {key} in {v}"))
}

fn num(case: &Value, id: &str) -> u32 {
    let n = case["code"]
        .as_u64()
        .unwrap_or_else(|| panic!("{id}: code must be an integer"));
    u32::try_from(n).unwrap_or_else(|_| panic!("{id}: code out of range"))
}

fn http(case: &Value, id: &str) -> Option<u16> {
    case.get("http_status")
        .and_then(Value::as_u64)
        .map(|n| u16::try_from(n).unwrap_or_else(|_| panic!("{id}: http_status out of range")))
}

#[test]
fn codes() {
    let cases = load("codes.json");
    let mut ids = HashSet::new();
    let mut categories = HashSet::new();
    let mut actions = HashSet::new();
    let mut tables = HashSet::new();
    let mut parties = HashSet::new();

    for case in &cases {
        let id = s(case, "id");
        assert!(ids.insert(id.to_owned()), "duplicate id {id}");
        let e = &case["expect"];
        assert!(e.is_object(), "{id}: missing expect");
        let table = s(case, "table");
        tables.insert(table.to_owned());
        match table {
            "fail_reason" => {
                let r = FailReason(num(case, id));
                assert_eq!(r.description().is_some(), b(e, "known"), "{id}");
                assert_eq!(r.is_known(), b(e, "known"), "{id}");
                assert_eq!(r.category().name(), s(e, "category"), "{id}");
                assert_eq!(
                    FailCategory::from_name(s(e, "category")),
                    Some(r.category()),
                    "{id}"
                );
                let by = r.hung_up_by();
                assert_eq!(by.map(Party::name), e["hung_up_by"].as_str(), "{id}");
                assert_eq!(r.is_normal(), b(e, "normal"), "{id}");
                // Display always starts with the code.
                assert!(r.to_string().starts_with(&r.0.to_string()), "{id}");
                categories.insert(r.category());
                parties.extend(by);
            }
            "q850" => {
                let q = Q850(num(case, id));
                assert_eq!(q.description().is_some(), b(e, "known"), "{id}");
                assert_eq!(q.is_normal(), b(e, "normal"), "{id}");
            }
            "result_code" => {
                let wire = case["code"]
                    .as_str()
                    .unwrap_or_else(|| panic!("{id}: result code must be a string"));
                let h = http(case, id);
                let rc = ResultCode::parse(wire);
                assert_eq!(rc.as_str(), wire, "{id}");
                assert_eq!(rc.description().is_some(), b(e, "known"), "{id}");
                assert_eq!(rc.describe(h).is_some(), b(e, "known"), "{id}");
                assert_eq!(rc.is_success(), b(e, "success"), "{id}");
                let action = rc.action(h);
                assert_eq!(action.name(), s(e, "action"), "{id}");
                assert_eq!(Action::from_name(s(e, "action")), Some(action), "{id}");
                assert_eq!(rc.retryable(h), b(e, "retryable"), "{id}");
                assert_eq!(action.retryable(), b(e, "retryable"), "{id}");
                if let Some(m) = e.get("max_retries") {
                    assert_eq!(u64::from(rc.max_retries(h)), m.as_u64().unwrap(), "{id}");
                }
                actions.insert(action);
            }
            "number_status" => {
                let got = NumberStatus::from_wire(s(case, "code"));
                assert_eq!(got.map(NumberStatus::name), e["status"].as_str(), "{id}");
                if let Some(st) = got {
                    assert_eq!(st.description().is_some(), b(e, "known"), "{id}");
                    assert_eq!(st.binding_usable(), b(e, "binding_usable"), "{id}");
                    assert_eq!(
                        st.new_bindings_allowed(),
                        b(e, "new_bindings_allowed"),
                        "{id}"
                    );
                    assert_eq!(st.code().to_string(), s(case, "code"), "{id}");
                }
            }
            "unavailable_cause" => {
                let got = UnavailableCause::from_wire(s(case, "code"));
                assert_eq!(got.map(UnavailableCause::name), e["cause"].as_str(), "{id}");
                if let Some(c) = got {
                    assert_eq!(c.description().is_some(), b(e, "known"), "{id}");
                    assert_eq!(c.code().to_string(), s(case, "code"), "{id}");
                }
            }
            "send_result" => {
                let r = SendResult(num(case, id));
                assert_eq!(r.description().is_some(), b(e, "known"), "{id}");
                assert_eq!(r.is_success(), b(e, "success"), "{id}");
            }
            other => panic!("{id}: unknown table {other}"),
        }
    }

    assert!(cases.len() >= 40, "too few cases");
    for t in [
        "fail_reason",
        "q850",
        "result_code",
        "number_status",
        "unavailable_cause",
        "send_result",
    ] {
        assert!(tables.contains(t), "no vector for table {t}");
    }
    for c in FailCategory::ALL {
        assert!(categories.contains(c), "no vector for category {c}");
    }
    for a in Action::ALL {
        assert!(actions.contains(a), "no vector for action {a}");
    }
    for p in Party::ALL {
        assert!(parties.contains(p), "no vector for party {p}");
    }
}
