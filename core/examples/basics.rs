//! The basics, without a network: normalize what people type, build a signed
//! AXB bind request exactly as it would be sent to the platform, and verify a
//! push the way a webhook would. (The whole scenario against the emulator is
//! the `demo` example, `make demo`.)
//!
//! Run: `cargo run -p privnum --example basics`.
//! Credentials come from `PRIVNUM_APP_KEY` / `PRIVNUM_APP_SECRET` when set, and
//! the base URL from `PRIVNUM_BASE_URL`; otherwise documented placeholders are used.
//! Nothing is sent over the network.

#![allow(clippy::print_stdout)]

use privnum::number::{self, Field};
use privnum::sign::params::{self, Profile};
use privnum::sign::{Scheme, Signer, Verifier, VerifierConfig, unix_now};
use privnum::{Error, ErrorKind};

const AXB_URI: &str = "/rest/caas/relationnumber/partners/v1.0";

fn main() -> Result<(), Error> {
    let app_key = std::env::var("PRIVNUM_APP_KEY")
        .unwrap_or_else(|_| "a1d1f50cad21415fbdd13d8f53d36d60".to_owned());
    let app_secret = std::env::var("PRIVNUM_APP_SECRET")
        .unwrap_or_else(|_| "cfc881cc704c4fba8d8fef5788e03e6b".to_owned());
    let base_url = std::env::var("PRIVNUM_BASE_URL")
        .unwrap_or_else(|_| "https://rtcpns.cn-north-1.myhuaweicloud.com".to_owned());

    println!("== 1. Numbers as people type them ==");
    let typed = [
        "+86 138-0000-0021",
        "008613900000002",
        "１３８００００００２１",
        "0755-2800-0002",
        "(010) 8888 0000",
        "+86 170 0000 0010",
        "400-812-3123",
        "+1 (415) 555-0100",
        "138-0000-002",
        "1-800-FLOWERS",
        "86+13800000021",
    ];
    for input in typed {
        match number::parse(input) {
            Ok(n) => println!(
                "  {input:<22} -> {:<16} {:<16} class={:<16} area={:<5} can call X={:<5} bindable={}",
                n.e164(),
                n.masked(),
                n.class(),
                n.area_code().as_deref().unwrap_or("-"),
                n.can_call_x(),
                n.is_bindable(),
            ),
            Err(e) => println!("  {input:<22} -> error {e}"),
        }
    }

    println!("\n== 2. A signed AXB bind request (not sent) ==");
    let a = number::parse("138 0000 0021")?;
    let b = number::parse("+86 139-0000-0002")?;
    a.check_field(Field::AxbCallerNum)?;
    b.check_field(Field::AxbCalleeNum)?;
    for party in [a, b] {
        if !party.is_bindable() {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                "service numbers cannot be bound",
            ));
        }
    }
    let signer = Signer::new(&app_key, &app_secret)?;
    let headers = signer.sign_now(Scheme::Aksk)?;
    let body = serde_json::json!({
        "callerNum": a.e164().as_str(),
        "calleeNum": b.e164().as_str(),
        "areaCode": "0755",
        "areaMatchMode": "1",
        "callDirection": 0,
        "duration": 86400,
        "maxDuration": 30,
        "recordFlag": "false",
    });
    println!("  POST {base_url}{AXB_URI}");
    println!("  Content-Type: application/json;charset=UTF-8");
    for (name, value) in headers.pairs() {
        println!("  {name}: {value}");
    }
    println!("  {body}");
    println!("  (logged as: bind {} <-> {})", a.masked(), b.masked());

    println!("\n== 3. Unbinding by X needs %2B in the query ==");
    let x = number::parse("+86 170 0000 0010")?;
    let headers = signer.sign_now(Scheme::Aksk)?;
    println!("  DELETE {base_url}{AXB_URI}?relationNum={}", x.query());
    println!("  {}: {}", headers.header_name(), headers.value());

    println!("\n== 4. Verifying a push signed with the same secret ==");
    let verifier = Verifier::new(&app_key, &app_secret, VerifierConfig::default())?;
    let push = signer.sign_now(Scheme::Aksk)?;
    let now = unix_now()?;
    match verifier.verify_headers(push.pairs(), now) {
        Ok(v) => println!(
            "  first delivery : accepted (nonce {}, created {})",
            v.nonce, v.created
        ),
        Err(e) => println!("  first delivery : refused: {e}"),
    }
    match verifier.verify_headers(push.pairs(), now + 1) {
        Ok(_) => println!("  replay         : accepted (unexpected)"),
        Err(e) => println!("  replay         : refused: {e}"),
    }
    let forged = Signer::new(&app_key, "not-the-secret")?.sign_now(Scheme::Aksk)?;
    if let Err(e) = verifier.verify_headers(forged.pairs(), now) {
        println!("  forged         : refused: {e}");
    }

    println!("\n== 5. A signed X-mode call-control query (sorted parameters) ==");
    let query = [
        ("callNo", "13800000021"),
        ("secretNo", "17000000010"),
        ("recordType", "CAL"),
        ("callTime", "20240501080000"),
        ("callId", "demo-call-1"),
        ("signatureMethod", "HMAC-SHA1"),
        ("signatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"),
        ("signatureVersion", "1.0"),
        ("timestamp", "2024-05-01T00:00:00Z"),
        ("format", "JSON"),
    ];
    let signature = params::sign(&Profile::call_control(), &app_secret, &query)?;
    println!("  signature = {signature}");
    Ok(())
}
