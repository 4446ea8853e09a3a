//! Runs every case of `tests/vectors/client.json` against `privnum::client`:
//! AXB requests built and signed (method, path and query, headers, exact
//! body, or the validation error naming its field) and platform responses
//! parsed (typed output, or the error kind with platform code and HTTP
//! status).

use std::collections::HashSet;
use std::path::PathBuf;

use privnum::client::axb::{
    AreaMatchMode, AxbBind, AxbBindings, AxbBound, AxbModify, AxbQuery, AxbRecord, AxbUnbind,
    PreVoice,
};
use privnum::client::{
    self, HttpRequest, HttpResponse, Operation, WireNumber, direction_from_code, parse_field_number,
};
use privnum::{Error, ErrorKind, Number, Result, Signer};
use serde_json::{Map, Value, json};

fn load() -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/client.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let doc: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["schema"], 1, "client.json: unknown schema");
    assert!(!doc["cases"].as_array().unwrap().is_empty());
    doc
}

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("missing string {key} in {v}"))
}

// ---------------------------------------------------------------------------
// Inputs → operations
// ---------------------------------------------------------------------------

fn number(input: &Value, key: &'static str) -> Result<Option<Number>> {
    input
        .get(key)
        .map(|v| parse_field_number(v.as_str().expect("numbers are strings"), key))
        .transpose()
}

fn text(input: &Value, key: &str) -> Option<String> {
    input
        .get(key)
        .map(|v| v.as_str().expect("text fields are strings").to_owned())
}

fn flag(input: &Value, key: &str) -> Option<bool> {
    input
        .get(key)
        .map(|v| v.as_bool().expect("booleans are JSON booleans"))
}

fn uint(input: &Value, key: &str) -> Option<u64> {
    input
        .get(key)
        .map(|v| v.as_u64().expect("integers are non-negative"))
}

fn u32_of(input: &Value, key: &str) -> Option<u32> {
    uint(input, key).map(|n| u32::try_from(n).expect("fits u32"))
}

fn pre_voice(input: &Value) -> Option<PreVoice> {
    input.get("preVoice").map(|p| PreVoice {
        caller_hint_tone: text(p, "callerHintTone"),
        callee_hint_tone: text(p, "calleeHintTone"),
    })
}

fn direction(input: &Value) -> Result<Option<privnum::engine::Direction>> {
    u32_of(input, "callDirection")
        .map(direction_from_code)
        .transpose()
}

fn bind_from(input: &Value) -> Result<AxbBind> {
    let a = number(input, "callerNum")?.expect("callerNum");
    let b = number(input, "calleeNum")?.expect("calleeNum");
    let mut op = AxbBind::new(a, b);
    op.relation_num = number(input, "relationNum")?;
    op.area_code = text(input, "areaCode");
    op.area_match_mode = input
        .get("areaMatchMode")
        .map(|v| AreaMatchMode::from_wire(v.as_str().expect("a string")))
        .transpose()?;
    op.call_direction = direction(input)?;
    op.duration = uint(input, "duration");
    op.record_flag = flag(input, "recordFlag");
    op.record_hint_tone = text(input, "recordHintTone");
    op.max_duration = u32_of(input, "maxDuration");
    op.last_min_voice = text(input, "lastMinVoice");
    op.private_sms = flag(input, "privateSms");
    op.pre_voice = pre_voice(input);
    op.user_data = text(input, "userData");
    Ok(op)
}

fn unbind_from(input: &Value) -> Result<AxbUnbind> {
    match text(input, "subscriptionId") {
        Some(id) => Ok(AxbUnbind::BySubscriptionId(id)),
        None => Ok(AxbUnbind::EverythingOnX(
            number(input, "relationNum")?.expect("relationNum"),
        )),
    }
}

fn modify_from(input: &Value) -> Result<AxbModify> {
    let mut op = AxbModify::new(text(input, "subscriptionId").expect("subscriptionId"));
    op.caller_num = number(input, "callerNum")?;
    op.callee_num = number(input, "calleeNum")?;
    op.call_direction = direction(input)?;
    op.duration = uint(input, "duration");
    op.max_duration = u32_of(input, "maxDuration");
    op.last_min_voice = text(input, "lastMinVoice");
    op.private_sms = flag(input, "privateSms");
    op.record_flag = flag(input, "recordFlag");
    op.pre_voice = pre_voice(input);
    op.user_data = text(input, "userData");
    Ok(op)
}

fn query_from(input: &Value) -> Result<AxbQuery> {
    if let Some(id) = text(input, "subscriptionId") {
        return Ok(AxbQuery::BySubscriptionId(id));
    }
    Ok(AxbQuery::OnX {
        relation_num: number(input, "relationNum")?.expect("relationNum"),
        caller_num: number(input, "callerNum")?,
        callee_num: number(input, "calleeNum")?,
        page_index: u32_of(input, "pageIndex"),
        page_size: u32_of(input, "pageSize"),
    })
}

/// The operation of a case, from its input (response cases may leave the
/// input out: parsing does not depend on it).
enum Op {
    Bind(AxbBind),
    Unbind(AxbUnbind),
    Modify(AxbModify),
    Query(AxbQuery),
}

fn op_from(op: &str, input: Option<&Value>) -> Result<Op> {
    let default;
    let input = match input {
        Some(i) => i,
        None => {
            default = json!({
                "callerNum": "+8613800000001", "calleeNum": "+8613900000002",
                "relationNum": "+8617000000010", "subscriptionId": "s1", "duration": 60,
            });
            &default
        }
    };
    Ok(match op {
        "axb_bind" => Op::Bind(bind_from(input)?),
        "axb_unbind" => Op::Unbind(unbind_from(input)?),
        "axb_modify" => Op::Modify(modify_from(input)?),
        "axb_query" => Op::Query(query_from(input)?),
        other => panic!("unknown op {other}"),
    })
}

/// Prepare, sign, and describe: `(request, name, idempotent)`.
fn build(
    op: &Op,
    signer: &Signer,
    nonce: &str,
    created: &str,
) -> Result<(HttpRequest, &'static str, bool)> {
    fn go<O: Operation>(
        o: &O,
        signer: &Signer,
        nonce: &str,
        created: &str,
    ) -> Result<(HttpRequest, &'static str, bool)> {
        let req = client::sign(o.prepare()?, signer, nonce, created)?;
        Ok((req, o.name(), o.idempotent()))
    }
    match op {
        Op::Bind(o) => go(o, signer, nonce, created),
        Op::Unbind(o) => go(o, signer, nonce, created),
        Op::Modify(o) => go(o, signer, nonce, created),
        Op::Query(o) => go(o, signer, nonce, created),
    }
}

// ---------------------------------------------------------------------------
// Outputs → JSON (absent values left out)
// ---------------------------------------------------------------------------

fn put(out: &mut Map<String, Value>, key: &str, v: Option<Value>) {
    if let Some(v) = v {
        out.insert(key.to_owned(), v);
    }
}

fn wire_number(n: &Option<WireNumber>) -> Option<Value> {
    n.as_ref().map(|w| match (w.number(), w.raw()) {
        (Some(n), _) => json!(n.e164().as_str()),
        (None, Some(raw)) => json!({ "raw": raw }),
        (None, None) => unreachable!("a wire number is parsed or raw"),
    })
}

fn pre_voice_json(p: &Option<PreVoice>) -> Option<Value> {
    p.as_ref().map(|p| {
        let mut o = Map::new();
        put(
            &mut o,
            "caller_hint_tone",
            p.caller_hint_tone.clone().map(Value::from),
        );
        put(
            &mut o,
            "callee_hint_tone",
            p.callee_hint_tone.clone().map(Value::from),
        );
        Value::Object(o)
    })
}

fn bound_json(b: &AxbBound) -> Value {
    let mut o = Map::new();
    put(&mut o, "subscription_id", Some(json!(b.subscription_id)));
    put(&mut o, "relation_num", wire_number(&b.relation_num));
    put(&mut o, "caller_num", wire_number(&b.caller_num));
    put(&mut o, "callee_num", wire_number(&b.callee_num));
    put(
        &mut o,
        "call_direction",
        b.call_direction.map(|d| json!(d.code())),
    );
    put(&mut o, "duration", b.duration.map(Value::from));
    put(&mut o, "max_duration", b.max_duration.map(Value::from));
    put(&mut o, "pre_voice", pre_voice_json(&b.pre_voice));
    Value::Object(o)
}

fn record_json(r: &AxbRecord) -> Value {
    let mut o = Map::new();
    put(
        &mut o,
        "subscription_id",
        r.subscription_id.clone().map(Value::from),
    );
    put(&mut o, "relation_num", wire_number(&r.relation_num));
    put(&mut o, "caller_num", wire_number(&r.caller_num));
    put(&mut o, "callee_num", wire_number(&r.callee_num));
    put(
        &mut o,
        "call_direction",
        r.call_direction.map(|d| json!(d.code())),
    );
    put(&mut o, "duration", r.duration.map(Value::from));
    put(&mut o, "max_duration", r.max_duration.map(Value::from));
    put(&mut o, "record_flag", r.record_flag.map(Value::from));
    put(
        &mut o,
        "record_hint_tone",
        r.record_hint_tone.clone().map(Value::from),
    );
    put(
        &mut o,
        "last_min_voice",
        r.last_min_voice.clone().map(Value::from),
    );
    put(&mut o, "private_sms", r.private_sms.map(Value::from));
    put(&mut o, "pre_voice", pre_voice_json(&r.pre_voice));
    put(&mut o, "user_data", r.user_data.clone().map(Value::from));
    Value::Object(o)
}

fn bindings_json(b: &AxbBindings) -> Value {
    let mut o = Map::new();
    put(&mut o, "total_count", b.total_count.map(Value::from));
    put(&mut o, "skipped", Some(json!(b.skipped)));
    put(
        &mut o,
        "bindings",
        Some(Value::Array(b.bindings.iter().map(record_json).collect())),
    );
    Value::Object(o)
}

fn parse(op: &Op, resp: &HttpResponse<'_>) -> Result<Value> {
    match op {
        Op::Bind(o) => o.parse(resp).map(|b| bound_json(&b)),
        Op::Unbind(o) => o.parse(resp).map(|()| json!({})),
        Op::Modify(o) => o.parse(resp).map(|()| json!({})),
        Op::Query(o) => o.parse(resp).map(|b| bindings_json(&b)),
    }
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
    let built = op_from(s(case, "op"), Some(&case["input"]))
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
    let op = op_from(s(case, "op"), case.get("input")).unwrap_or_else(|e| panic!("{id}: {e}"));
    let resp = HttpResponse {
        status: u16::try_from(case["status"].as_u64().unwrap()).unwrap(),
        location: None,
        body: s(case, "body").as_bytes(),
    };
    match (parse(&op, &resp), case.get("expect")) {
        (Ok(got), Some(want)) => assert_eq!(&got, want, "{id}"),
        (Err(err), None) => check_error(id, case, &err),
        (Ok(got), None) => panic!("{id}: expected {}, got {got}", case["error"]),
        (Err(err), Some(_)) => panic!("{id}: unexpected error {err}"),
    }
}

#[test]
fn client_vectors() {
    let doc = load();
    let mut ids = HashSet::new();
    let mut seen = HashSet::new();
    let mut kinds = HashSet::new();
    for case in doc["cases"].as_array().unwrap() {
        let id = s(case, "id");
        assert!(ids.insert(id.to_owned()), "duplicate id {id}");
        assert!(
            case.get("expect").is_some() != case.get("error").is_some(),
            "{id}: exactly one of expect and error"
        );
        let ty = s(case, "type");
        seen.insert(format!("{ty} {}", s(case, "op")));
        if let Some(k) = case["error"].as_str() {
            kinds.insert(k.to_owned());
        }
        match ty {
            "request" => run_request(id, case, &doc["signing"]),
            "response" => run_response(id, case),
            other => panic!("{id}: unknown type {other}"),
        }
    }
    // Every operation is covered both ways, and the file exercises the kinds
    // the client is about.
    for ty in ["request", "response"] {
        for op in ["axb_bind", "axb_unbind", "axb_modify", "axb_query"] {
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
