//! privnum's main job, end to end, offline: an application binds A and B to a
//! privacy number on the platform, A calls X, the platform pushes the call's
//! events and its CDR to the application's webhook, which verifies and reads
//! them, and the application unbinds.
//!
//! The platform here is privnum's emulator on loopback (the same REST API,
//! signatures, rules and push sequences); the application is this program: a
//! `Client` for the API and an `Inbox` behind a small webhook for the pushes.
//! Pointing it at the real platform changes only the base URL and the
//! credentials (see README, "Platform API client").
//!
//! Run: `make demo` (or `cargo run -p privnum --features emulator --example demo`).

#![allow(clippy::print_stdout)]

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use privnum::callback::inbox::{Inbox, InboxConfig};
use privnum::callback::push::Push;
use privnum::client::axb::{AxbBind, AxbQuery, AxbUnbind};
use privnum::client::retry::Client;
use privnum::client::transport::{TransportConfig, UreqTransport};
use privnum::emulator::{
    AppConfig, CallOutcome, CallRoute, Emulator, EmulatorConfig, SimulatedCall,
};
use privnum::engine::Mode;
use privnum::sign::unix_now;
use privnum::{Error, ErrorKind, Number, Signer, number};

const APP_KEY: &str = "demo-app-key-000000000000000001";
const APP_SECRET: &str = "demo-app-secret-never-printed-01";

/// What the webhook saw, one line per push, for the main thread to print.
type Seen = mpsc::Receiver<String>;

fn main() -> Result<(), Error> {
    let a = number::parse("138 0000 0001")?; // what people type
    let b = number::parse("+86 139-0000-0002")?;
    let stranger = number::parse("13700000009")?;

    step(
        1,
        "start the application's webhook (verifies and de-duplicates pushes)",
    );
    let (webhook_url, seen, _webhook) = start_webhook()?;
    println!("   listening on {webhook_url}");

    step(
        2,
        "start the platform emulator with one AXB application and two X numbers",
    );
    let app = AppConfig::new(Mode::Axb, APP_KEY, APP_SECRET)
        .with_number(number::parse("+8617000000010")?, "0755")?
        .with_number(number::parse("+8617000000011")?, "0755")?
        .with_push_urls(webhook_url, None);
    let emulator = Emulator::start(EmulatorConfig::new(vec![app]))?;
    println!("   platform at {}", emulator.base_url());

    // The only lines that differ against the real platform: its base URL
    // (https), your key and secret, and the default transport settings.
    let mut transport = TransportConfig::default();
    transport.https_only = false; // the emulator speaks plain HTTP on loopback
    let client = Client::with_transport(
        emulator.base_url(),
        Signer::new(APP_KEY, APP_SECRET)?,
        UreqTransport::new(transport),
    )?;

    step(3, "bind A and B (the platform picks X from the pool)");
    let mut bind = AxbBind::new(a, b);
    bind.duration = Some(3600);
    bind.record_flag = Some(true);
    let bound = client.call(&bind)?;
    let x = bound
        .relation_num
        .as_ref()
        .and_then(|w| w.number())
        .ok_or_else(|| Error::new(ErrorKind::ResponseInvalid, "the bind answer has no X"))?;
    println!(
        "   subscriptionId {}  X {x}  (A {a}, B {b})",
        bound.subscription_id
    );

    step(4, "look the binding up on X");
    let found = client.call(&AxbQuery::on_x(x))?;
    for r in &found.bindings {
        println!(
            "   {}  A {}  B {}",
            r.subscription_id.as_deref().unwrap_or("?"),
            show(r.caller_num.as_ref().and_then(|w| w.number())),
            show(r.callee_num.as_ref().and_then(|w| w.number())),
        );
    }

    step(
        5,
        "binding A and B again on the same X is refused by the platform's rules",
    );
    let mut again = AxbBind::new(a, b);
    again.relation_num = Some(x);
    match client.call(&again) {
        Err(e) => println!(
            "   {} (resultcode {}, HTTP {}): {}",
            e.kind(),
            e.platform_code().unwrap_or("-"),
            e.http_status()
                .map_or_else(|| "-".to_owned(), |s| s.to_string()),
            e.message()
        ),
        Ok(b) => println!("   unexpectedly bound {}", b.subscription_id),
    }

    step(
        6,
        "A calls X: the call is bridged to B, who sees X; they talk for 95 s",
    );
    let report = emulator.simulate_call(&SimulatedCall::answered(a, x, 95))?;
    describe_call(&report.route, &report.events, report.state_code);

    step(7, "a stranger calls X: no binding connects them");
    let report = emulator.simulate_call(&SimulatedCall::new(
        stranger,
        x,
        CallOutcome::Answered { talk_secs: 10 },
    ))?;
    describe_call(&report.route, &report.events, report.state_code);

    step(
        8,
        "the platform pushes the events and the CDRs to the webhook",
    );
    emulator.flush_cdrs();
    if !emulator.wait_idle(Duration::from_secs(10)) {
        return Err(Error::new(
            ErrorKind::InvalidArgument,
            "the pushes were not delivered in time",
        ));
    }
    while let Ok(line) = seen.recv_timeout(Duration::from_millis(200)) {
        println!("   {line}");
    }

    step(9, "unbind; the binding is gone");
    client.call(&AxbUnbind::BySubscriptionId(bound.subscription_id.clone()))?;
    match client.call(&AxbQuery::on_x(x)) {
        Ok(list) if list.bindings.is_empty() => println!("   no binding on {x}"),
        Ok(list) => println!("   still {} binding(s) on {x}", list.bindings.len()),
        Err(e) if e.kind() == ErrorKind::PlatformNotFound => {
            println!(
                "   no binding on {x} ({})",
                e.platform_code().unwrap_or("-")
            );
        }
        Err(e) => return Err(e),
    }

    emulator.stop();
    println!("\ndone: bound, called, received and verified the pushes, unbound.");
    Ok(())
}

fn step(n: u32, what: &str) {
    println!("\n{n}. {what}");
}

fn show(n: Option<Number>) -> String {
    n.map_or_else(|| "?".to_owned(), |n| n.to_string())
}

fn describe_call(route: &CallRoute, events: &[&str], state_code: u32) {
    match route {
        CallRoute::Connected { callee, display } => {
            println!("   connected to {callee}, who sees {display}");
        }
        CallRoute::Closed { reason } => println!("   closed: {reason}"),
        CallRoute::ClosedByApplication => println!("   closed by the application"),
        CallRoute::NoDecision { why } => println!("   closed, no decision: {why}"),
        _ => println!("   not connected"),
    }
    println!(
        "   events {}  (disconnect stateCode {state_code})",
        events.join(" → ")
    );
}

/// A webhook on loopback: every push is verified (X-AKSK), de-duplicated and
/// parsed by an `Inbox`, summarised on the channel, committed, and answered
/// 200 — what the platform needs to stop redelivering.
fn start_webhook() -> Result<(String, Seen, thread::JoinHandle<()>), Error> {
    let server = tiny_http::Server::http("127.0.0.1:0")
        .map_err(|e| Error::new(ErrorKind::InvalidArgument, format!("webhook: {e}")))?;
    let port = server
        .server_addr()
        .to_ip()
        .map(|a| a.port())
        .ok_or_else(|| Error::new(ErrorKind::InvalidArgument, "webhook: no port"))?;
    let inbox = Inbox::with_secret(APP_KEY, APP_SECRET, &InboxConfig::default())?;
    let (tx, rx) = mpsc::channel();
    let handle = thread::spawn(move || {
        for mut request in server.incoming_requests() {
            let mut body = Vec::new();
            if std::io::Read::read_to_end(request.as_reader(), &mut body).is_err() {
                continue;
            }
            let headers: Vec<(String, String)> = request
                .headers()
                .iter()
                .map(|h| {
                    (
                        h.field.as_str().as_str().to_owned(),
                        h.value.as_str().to_owned(),
                    )
                })
                .collect();
            let now = unix_now().unwrap_or(0);
            let pairs = headers.iter().map(|(k, v)| (k.as_str(), v.as_str()));
            let status = match inbox.receive(&body, pairs, now) {
                Ok(received) => {
                    let verified = received
                        .verified
                        .as_ref()
                        .map_or("unsigned", |v| v.scheme.name());
                    for line in summarise(&received.push) {
                        let _ = tx.send(format!("[{verified}] {line}"));
                    }
                    inbox.commit(&received, now); // after storing it
                    200
                }
                Err(e) => {
                    let _ = tx.send(format!("refused a push: {e}"));
                    401
                }
            };
            let _ = request.respond(tiny_http::Response::empty(status));
        }
    });
    Ok((format!("http://127.0.0.1:{port}/push"), rx, handle))
}

/// One line per call event or CDR, with the facts privnum derives.
fn summarise(push: &Push<'_>) -> Vec<String> {
    match push {
        Push::Call(e) => {
            let session = e.info.session_id.as_deref().unwrap_or("?");
            let mut line = format!(
                "call event {:<10} session {}",
                e.kind.name(),
                session.split('@').next().unwrap_or(session)
            );
            if let Some(code) = e.info.state_code {
                let meaning = code.description().unwrap_or("unknown");
                line.push_str(&format!("  stateCode {}: {meaning}", code.code()));
            }
            vec![line]
        }
        Push::Cdrs(records) => records
            .iter()
            .map(|r| {
                let caller = r
                    .caller_number()
                    .map_or_else(|| "?".to_owned(), |n| n.to_string());
                let outcome = if r.answered() {
                    format!("answered, talked {} s", r.talk_seconds())
                } else {
                    format!(
                        "not connected: {}",
                        r.failure().unwrap_or_else(|| "-".to_owned())
                    )
                };
                let rec = r.recording().map_or(String::new(), |rec| {
                    format!(", recording {}", rec.file_name)
                });
                format!(
                    "CDR {} from {caller}: {outcome}{rec}",
                    r.key().unwrap_or("?")
                )
            })
            .collect(),
        other => vec![format!("{} push", other.kind_name())],
    }
}
