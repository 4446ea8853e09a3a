//! The `privnum` command against the emulator over loopback HTTP: every
//! step a shell script would take, with `--json` output parsed back.
#![cfg(feature = "cli")]

use privnum::cli::{EXIT_FAILED, EXIT_OK, run};
use privnum::emulator::{AppConfig, Emulator, EmulatorConfig};
use privnum::engine::Mode;
use privnum::number;
use serde_json::Value;

const KEY: &str = "cli-test-key-0000000000000000001";
const SECRET: &str = "cli-test-secret-000000000000001";

fn emulator() -> Emulator {
    let app = AppConfig::new(Mode::Axb, KEY, SECRET)
        .with_number(number::parse("+8617000000010").unwrap(), "0755")
        .unwrap();
    Emulator::start(EmulatorConfig::new(vec![app])).unwrap()
}

/// Run `privnum --json --base-url … --app-key … --app-secret … <args>`.
fn privnum(emu: &Emulator, args: &[&str]) -> (i32, Value) {
    let base = emu.base_url();
    let mut all = vec![
        "privnum",
        "--json",
        "--base-url",
        &base,
        "--app-key",
        KEY,
        "--app-secret",
        SECRET,
    ];
    all.extend_from_slice(args);
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = run(all, &mut out, &mut err);
    let text = String::from_utf8(out).unwrap();
    let v = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text:?} / {err:?}"));
    (code, v)
}

#[test]
fn bind_query_unbind_through_the_command() {
    let emu = emulator();
    let (code, bound) = privnum(
        &emu,
        &[
            "axb",
            "bind",
            "--caller",
            "138 0000 0001",
            "--callee",
            "13900000002",
            "--duration",
            "3600",
        ],
    );
    assert_eq!(code, EXIT_OK, "{bound}");
    assert_eq!(bound["relation_num"], "+8617000000010");
    let id = bound["subscription_id"].as_str().unwrap().to_owned();

    let (code, found) = privnum(
        &emu,
        &["axb", "query", "--relation-num", "+86 170 0000 0010"],
    );
    assert_eq!(code, EXIT_OK);
    assert_eq!(found["bindings"][0]["subscription_id"], id.as_str());
    assert_eq!(found["bindings"][0]["caller_num"], "+8613800000001");

    // The same pair again: the platform's refusal, with its code and status.
    let (code, refused) = privnum(
        &emu,
        &[
            "axb",
            "bind",
            "--caller",
            "13800000001",
            "--callee",
            "13900000002",
            "--relation-num",
            "17000000010",
        ],
    );
    assert_eq!(code, EXIT_FAILED);
    assert_eq!(refused["error"]["kind"], "PLATFORM_CONFLICT");
    assert_eq!(refused["error"]["platform_code"], "1012010");
    assert!(refused["error"]["http_status"].is_u64());

    let (code, done) = privnum(&emu, &["axb", "unbind", "--id", &id]);
    assert_eq!(code, EXIT_OK);
    assert_eq!(done, serde_json::json!({}));
    let (code, gone) = privnum(&emu, &["axb", "query", "--relation-num", "17000000010"]);
    assert!(
        code == EXIT_FAILED && gone["error"]["kind"] == "PLATFORM_NOT_FOUND"
            || code == EXIT_OK && gone["bindings"].as_array().is_some_and(Vec::is_empty),
        "{gone}"
    );
    emu.stop();
}

#[test]
fn text_output_and_wrong_credentials() {
    let emu = emulator();
    let base = emu.base_url();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = run(
        [
            "privnum",
            "--base-url",
            &base,
            "--app-key",
            KEY,
            "--app-secret",
            "wrong",
            "axb",
            "query",
            "--relation-num",
            "+8617000000010",
        ],
        &mut out,
        &mut err,
    );
    assert_eq!(code, EXIT_FAILED);
    let err = String::from_utf8(err).unwrap();
    assert!(err.starts_with("error: PLATFORM_AUTH (503):"), "{err}");
    assert!(!err.contains("wrong"), "the secret is never printed: {err}");
    emu.stop();
}

#[test]
fn parse_turns_a_push_file_into_json() {
    let dir = std::env::temp_dir().join(format!("privnum-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("push.json");
    std::fs::write(
        &file,
        br#"{"eventType":"fee","feeLst":[{"icid":"c1","fwdAnswerTime":"2024-05-01 08:00:05","callEndTime":"2024-05-01 08:01:05"}]}"#,
    )
    .unwrap();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = run(
        ["privnum", "parse", file.to_str().unwrap()],
        &mut out,
        &mut err,
    );
    assert_eq!(code, EXIT_OK, "{}", String::from_utf8_lossy(&err));
    let v: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["kind"], "cdrs");
    assert_eq!(v["records"][0]["talk_seconds"], 60);
    std::fs::write(&file, b"{not json").unwrap();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = run(
        ["privnum", "parse", file.to_str().unwrap()],
        &mut out,
        &mut err,
    );
    assert_eq!(code, EXIT_FAILED);
    assert!(
        String::from_utf8(err)
            .unwrap()
            .contains("PUSH_INVALID_JSON")
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
