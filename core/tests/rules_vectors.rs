//! Runs `tests/vectors/rules.json`: the platform's binding rules
//! (`privnum::engine::rules`), each violation checked by result code and field.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use privnum::Number;
use privnum::engine::rules::{self, Violation, XView};
use serde_json::Value;

fn num(v: &Value) -> Number {
    let s = v
        .as_str()
        .unwrap_or_else(|| panic!("not a number string: {v}"));
    privnum::number::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

fn uint(case: &Value, key: &str) -> u64 {
    case[key]
        .as_u64()
        .unwrap_or_else(|| panic!("missing integer {key} in {case}"))
}

fn text<'a>(case: &'a Value, key: &str) -> &'a str {
    case[key]
        .as_str()
        .unwrap_or_else(|| panic!("missing string {key} in {case}"))
}

/// The bindings of a case's `state`, with optional count overrides.
#[derive(Default)]
struct State {
    axb: Vec<(Number, Number, Number)>,
    axb_count: HashMap<Number, usize>,
    ax: Vec<(Number, Number)>,
    ax_count: HashMap<Number, usize>,
    y: HashMap<Number, usize>,
    axe: HashSet<(Number, String)>,
    axe_count: HashMap<Number, usize>,
}

fn counts(v: &Value) -> HashMap<Number, usize> {
    v.as_object()
        .map(|m| {
            m.iter()
                .map(|(k, n)| (num(&Value::from(k.as_str())), n.as_u64().unwrap() as usize))
                .collect()
        })
        .unwrap_or_default()
}

fn rows(v: &Value) -> Vec<Vec<Value>> {
    v.as_array()
        .map(|a| a.iter().map(|r| r.as_array().unwrap().clone()).collect())
        .unwrap_or_default()
}

impl State {
    fn from_json(v: &Value) -> Self {
        Self {
            axb: rows(&v["axb"])
                .iter()
                .map(|r| (num(&r[0]), num(&r[1]), num(&r[2])))
                .collect(),
            axb_count: counts(&v["axb_count"]),
            ax: rows(&v["ax"])
                .iter()
                .map(|r| (num(&r[0]), num(&r[1])))
                .collect(),
            ax_count: counts(&v["ax_count"]),
            y: counts(&v["y"]),
            axe: rows(&v["axe"])
                .iter()
                .map(|r| (num(&r[0]), r[1].as_str().unwrap().to_owned()))
                .collect(),
            axe_count: counts(&v["axe_count"]),
        }
    }
}

impl XView for State {
    fn axb_pair_count(&self, x: Number) -> usize {
        self.axb_count
            .get(&x)
            .copied()
            .unwrap_or_else(|| self.axb.iter().filter(|p| p.0 == x).count())
    }
    fn axb_has_party(&self, x: Number, party: Number) -> bool {
        self.axb
            .iter()
            .any(|p| p.0 == x && (p.1 == party || p.2 == party))
    }
    fn ax_owner(&self, x: Number) -> Option<Number> {
        self.ax.iter().find(|p| p.1 == x).map(|p| p.0)
    }
    fn ax_count_for(&self, a: Number) -> usize {
        self.ax_count
            .get(&a)
            .copied()
            .unwrap_or_else(|| self.ax.iter().filter(|p| p.0 == a).count())
    }
    fn y_relation_count(&self, y: Number) -> usize {
        self.y.get(&y).copied().unwrap_or(0)
    }
    fn axe_extension_taken(&self, x: Number, ext: &str) -> bool {
        self.axe.contains(&(x, ext.to_owned()))
    }
    fn axe_extension_count(&self, x: Number) -> usize {
        self.axe_count
            .get(&x)
            .copied()
            .unwrap_or_else(|| self.axe.iter().filter(|e| e.0 == x).count())
    }
}

/// Compare a rule's result with the case's `expect` or `violation`.
fn outcome(case: &Value, id: &str, result: Result<Value, Violation>) {
    match (result, case.get("violation")) {
        (Ok(got), None) => assert_eq!(&got, &case["expect"], "{id}"),
        (Err(v), Some(want)) => {
            assert_eq!(v.code, text(want, "code"), "{id}: {v}");
            assert_eq!(v.field, want["field"].as_str(), "{id}: {v}");
            assert!(!v.message.is_empty(), "{id}: empty message");
            assert_eq!(v.result_code().as_str(), v.code, "{id}");
        }
        (Ok(got), Some(want)) => panic!("{id}: expected violation {want}, got {got}"),
        (Err(v), None) => panic!("{id}: unexpected violation {v}"),
    }
}

fn empty(r: Result<(), Violation>) -> Result<Value, Violation> {
    r.map(|()| Value::Object(serde_json::Map::new()))
}

#[test]
fn rules_vectors() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/rules.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(doc["schema"], 1, "unknown schema");
    let cases = doc["cases"].as_array().unwrap();
    assert!(cases.len() >= 35, "too few cases");
    for case in cases {
        let id = text(case, "id");
        let state = State::from_json(&case["state"]);
        let result = match text(case, "rule") {
            "check_duration_secs" => empty(rules::check_duration_secs(uint(case, "value"))),
            "check_max_duration_minutes" => empty(rules::check_max_duration_minutes(
                u32::try_from(uint(case, "value")).unwrap(),
            )),
            "check_call_direction" => empty(rules::check_call_direction(
                u32::try_from(uint(case, "value")).unwrap(),
            )),
            "check_axyb_duration" => empty(rules::check_axyb_duration(uint(case, "value"))),
            "check_yb_duration" => empty(rules::check_yb_duration(uint(case, "value"))),
            "clamp_yb_duration" => Ok(serde_json::json!({
                "value": rules::clamp_yb_duration(uint(case, "yb"), uint(case, "ax"))
            })),
            "check_axe_expiry" => empty(rules::check_axe_expiry(
                uint(case, "value"),
                case["unit_minutes"].as_bool().unwrap(),
            )),
            "check_axe_callback_expiry" => empty(rules::check_axe_callback_expiry(
                uint(case, "value"),
                case["unit_minutes"].as_bool().unwrap(),
            )),
            "check_extension" => empty(rules::check_extension(
                text(case, "ext"),
                u8::try_from(uint(case, "digits")).unwrap(),
            )),
            "check_user_data" => empty(rules::check_user_data(text(case, "value"))),
            "check_party" => {
                let field: &'static str = match text(case, "party") {
                    "callerNum" => "callerNum",
                    "calleeNum" => "calleeNum",
                    "origNum" => "origNum",
                    other => panic!("{id}: unknown party field {other}"),
                };
                empty(rules::check_party(&num(&case["number"]), field))
            }
            "check_axb_bind" => empty(rules::check_axb_bind(
                &state,
                num(&case["x"]),
                num(&case["a"]),
                num(&case["b"]),
            )),
            "check_ax_bind" => empty(rules::check_ax_bind(
                &state,
                num(&case["a"]),
                num(&case["x"]),
            )),
            "check_axe_bind" => rules::check_axe_bind(
                &state,
                num(&case["x"]),
                case["ext"].as_str(),
                u8::try_from(uint(case, "digits")).unwrap(),
            )
            .map(|ext| serde_json::json!({ "extension": ext })),
            "check_yb_bind" => empty(rules::check_yb_bind(&state, num(&case["y"]))),
            other => panic!("{id}: unknown rule {other}"),
        };
        outcome(case, id, result);
    }
}
