//! Helpers shared by the emulator's integration tests: numbers and
//! applications, privnum's client ops sent over loopback HTTP with `ureq`,
//! and a `tiny_http` webhook that verifies and parses every push.
#![allow(
    dead_code,
    reason = "each test binary uses a part of the shared helpers"
)]

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use privnum::callback::push::{self, Push};
use privnum::client::{self, HttpResponse, Operation};
use privnum::emulator::{AppConfig, Emulator, EmulatorConfig};
use privnum::engine::Mode;
use privnum::sign::{Scheme, unix_now};
use privnum::{Number, Signer, Verifier, VerifierConfig, number};

pub(crate) const AX_KEY: &str = "axkey00000000000000000000000001";
pub(crate) const AX_SECRET: &str = "axsecret0000000000000000000001";
pub(crate) const AXE_KEY: &str = "axekey0000000000000000000000001";
pub(crate) const AXE_SECRET: &str = "axesecret000000000000000000001";
pub(crate) const AXYB_KEY: &str = "axybkey000000000000000000000001";
pub(crate) const AXYB_SECRET: &str = "axybsecret00000000000000000001";
pub(crate) const AXB_KEY: &str = "axbkey0000000000000000000000001";
pub(crate) const AXB_SECRET: &str = "axbsecret000000000000000000001";
pub(crate) const X_KEY: &str = "xkey000000000000000000000000001";
pub(crate) const X_SECRET: &str = "xsecret00000000000000000000001";

pub(crate) const A: &str = "+8613800000001";
pub(crate) const B: &str = "+8613900000002";
pub(crate) const C: &str = "+8613900000003";

// ---------------------------------------------------------------------------
// Numbers, applications, the emulator
// ---------------------------------------------------------------------------

pub(crate) fn n(s: &str) -> Number {
    number::parse(s).unwrap()
}

/// `count` X numbers `+86<prefix>000000NN`: `171` for AX, `172` for AXE,
/// `173` for AXYB, `174` for AXB, `175` for X.
pub(crate) fn xs(prefix: &str, count: usize) -> Vec<Number> {
    (1..=count)
        .map(|i| n(&format!("+86{prefix}000000{i:02}")))
        .collect()
}

/// An application of `mode` owning `numbers` (area code 0755), its retries
/// scaled so that a minute is a millisecond.
pub(crate) fn app(mode: Mode, key: &str, secret: &str, numbers: &[Number]) -> AppConfig {
    let mut a = AppConfig::new(mode, key, secret).with_retry_time_scale(60_000);
    for x in numbers {
        a = a.with_number(*x, "0755").unwrap();
    }
    a
}

/// An emulator serving `apps`, with the default configuration.
pub(crate) fn start(apps: Vec<AppConfig>) -> Emulator {
    Emulator::start(EmulatorConfig::new(apps)).unwrap()
}

/// An emulator serving `apps` that pushes CDRs without a batch window.
pub(crate) fn start_unbatched(apps: Vec<AppConfig>) -> Emulator {
    Emulator::start(EmulatorConfig {
        cdr_batch_window: Duration::ZERO,
        ..EmulatorConfig::new(apps)
    })
    .unwrap()
}

/// Flush the CDRs and wait until every push is delivered or given up.
pub(crate) fn idle(emu: &Emulator) {
    emu.flush_cdrs();
    assert!(emu.wait_idle(Duration::from_secs(20)));
}

// ---------------------------------------------------------------------------
// Client side: privnum's ops over ureq
// ---------------------------------------------------------------------------

/// An agent that returns every status as an answer and follows no redirect.
pub(crate) fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into()
}

/// Send one HTTP request; the status, `Location` and body of the answer.
pub(crate) fn http(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> (u16, Option<String>, Vec<u8>) {
    let agent = agent();
    let resp = match method {
        "GET" | "DELETE" => {
            let mut r = if method == "GET" {
                agent.get(url)
            } else {
                agent.delete(url)
            };
            for (k, v) in headers {
                r = r.header(*k, *v);
            }
            r.call()
        }
        _ => {
            let mut r = match method {
                "POST" => agent.post(url),
                "PATCH" => agent.patch(url),
                _ => agent.put(url),
            };
            for (k, v) in headers {
                r = r.header(*k, *v);
            }
            r.send(body.unwrap_or(""))
        }
    };
    let mut resp = resp.expect("the emulator answers");
    let status = resp.status().as_u16();
    let location = resp
        .headers()
        .get("Location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    (status, location, resp.body_mut().read_to_vec().unwrap())
}

/// Sign and send `op` as the application `key`/`secret`; its parsed answer.
pub(crate) fn call_as<O: Operation>(
    emu: &Emulator,
    key: &str,
    secret: &str,
    op: &O,
) -> privnum::Result<O::Output> {
    let signer = Signer::new(key, secret).unwrap();
    let req = client::sign_now(op.prepare().unwrap(), &signer).unwrap();
    let headers: Vec<(&str, &str)> = req
        .headers()
        .iter()
        .map(|(k, v)| (*k, v.as_str()))
        .collect();
    let (status, location, body) = http(
        req.method().as_str(),
        &req.url(&emu.base_url()),
        &headers,
        req.body(),
    );
    op.parse(&HttpResponse {
        status,
        location: location.as_deref(),
        body: &body,
    })
}

/// A raw request with the given body, signed now by `key`/`secret`; the
/// status and JSON body of the answer.
pub(crate) fn raw(
    emu: &Emulator,
    key: &str,
    secret: &str,
    method: &str,
    path_and_query: &str,
    body: Option<&str>,
) -> (u16, serde_json::Value) {
    let auth = Signer::new(key, secret)
        .unwrap()
        .sign_now(Scheme::Aksk)
        .unwrap();
    let headers = [
        ("Content-Type", client::CONTENT_TYPE),
        ("Authorization", auth.authorization()),
        ("X-AKSK", auth.value()),
    ];
    let url = format!("{}{path_and_query}", emu.base_url());
    let (status, _, body) = http(method, &url, &headers, body);
    (status, serde_json::from_slice(&body).unwrap())
}

/// One request to the emulator's control interface (`/_emulator/<path>`);
/// the status and JSON body of the answer.
pub(crate) fn control(
    emu: &Emulator,
    method: &str,
    path: &str,
    body: &str,
) -> (u16, serde_json::Value) {
    let url = format!("{}/_emulator/{path}", emu.base_url());
    let (status, _, b) = http(method, &url, &[], Some(body));
    (status, serde_json::from_slice(&b).unwrap())
}

// ---------------------------------------------------------------------------
// The webhook: a tiny_http server that verifies and parses every push and
// answers Block pushes (a Block-mode `callin`, an SMS Block notification)
// with the reply it is given
// ---------------------------------------------------------------------------

/// One push as the webhook saw it.
#[derive(Clone, Debug)]
pub(crate) struct Got {
    /// The URL path it was pushed to.
    pub(crate) path: String,
    pub(crate) body: Vec<u8>,
    /// Whether its X-AKSK verified.
    pub(crate) verified: bool,
    /// A call event's name, `fee` for CDRs, else the push's kind name;
    /// empty when the body did not parse.
    pub(crate) event: String,
    /// A call event's session id.
    pub(crate) session_id: Option<String>,
    /// For `fee`: the session ids of its records.
    pub(crate) cdr_sessions: Vec<String>,
    /// The HTTP status the webhook answered.
    pub(crate) answered: u16,
    pub(crate) at: Instant,
}

/// The webhook's answer to a Block push.
#[derive(Clone, Debug)]
pub(crate) struct BlockReply {
    pub(crate) status: u16,
    pub(crate) body: String,
    pub(crate) delay: Duration,
}

impl BlockReply {
    pub(crate) fn ok(body: impl Into<String>) -> Self {
        Self {
            status: 200,
            body: body.into(),
            delay: Duration::ZERO,
        }
    }
}

pub(crate) struct Webhook {
    url: String,
    got: Arc<Mutex<Vec<Got>>>,
    callin: Arc<Mutex<BlockReply>>,
    sms: Arc<Mutex<BlockReply>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Webhook {
    /// A webhook verifying pushes with `key`/`secret`; it answers 200 (and
    /// Block pushes with the reply set by `on_callin` / `on_sms`).
    pub(crate) fn start(key: &'static str, secret: &'static str) -> Self {
        Self::start_failing(key, secret, 0)
    }

    /// As `start`, but failing (HTTP 500) the first `fail_first` attempts of
    /// every push (a push is known by its path, event and session).
    pub(crate) fn start_failing(
        key: &'static str,
        secret: &'static str,
        fail_first: usize,
    ) -> Self {
        let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
        let port = server.server_addr().to_ip().unwrap().port();
        let got = Arc::new(Mutex::new(Vec::new()));
        let callin = Arc::new(Mutex::new(BlockReply::ok("")));
        let sms = Arc::new(Mutex::new(BlockReply::ok("")));
        let stop = Arc::new(AtomicBool::new(false));
        let (g, ci, sm, st) = (
            Arc::clone(&got),
            Arc::clone(&callin),
            Arc::clone(&sms),
            Arc::clone(&stop),
        );
        let thread = std::thread::spawn(move || {
            let verifier = Verifier::new(key, secret, VerifierConfig::default()).unwrap();
            let mut seen: HashMap<String, usize> = HashMap::new();
            while !st.load(Ordering::Acquire) {
                let Ok(Some(mut req)) = server.recv_timeout(Duration::from_millis(20)) else {
                    continue;
                };
                let at = Instant::now();
                let headers: Vec<(String, String)> = req
                    .headers()
                    .iter()
                    .map(|h| (h.field.as_str().to_string(), h.value.as_str().to_owned()))
                    .collect();
                let mut body = Vec::new();
                std::io::Read::read_to_end(req.as_reader(), &mut body).unwrap();
                let verified = verifier
                    .verify_headers(
                        headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
                        unix_now().unwrap(),
                    )
                    .is_ok();
                let path = req.url().to_owned();
                let parsed = push::parse(&body);
                let (event, session_id, cdr_sessions) = match &parsed {
                    Ok(Push::Call(ev)) => (
                        ev.kind.name().to_owned(),
                        ev.info.session_id.as_deref().map(str::to_owned),
                        Vec::new(),
                    ),
                    Ok(Push::Cdrs(records)) => (
                        "fee".to_owned(),
                        None,
                        records
                            .iter()
                            .filter_map(|r| r.session_id.as_deref().map(str::to_owned))
                            .collect(),
                    ),
                    Ok(other) => (other.kind_name().to_owned(), None, Vec::new()),
                    Err(_) => (String::new(), None, Vec::new()),
                };
                let reply = match &parsed {
                    Ok(Push::Call(ev)) if ev.needs_reply() => ci.lock().unwrap().clone(),
                    Ok(Push::Sms(ev)) if ev.needs_reply() => sm.lock().unwrap().clone(),
                    _ => BlockReply::ok(""),
                };
                let key = format!("{path}/{event}/{session_id:?}/{cdr_sessions:?}");
                let count = seen.entry(key).or_default();
                *count += 1;
                let (status, answer, delay) = if *count <= fail_first {
                    (500, String::new(), Duration::ZERO)
                } else {
                    (reply.status, reply.body, reply.delay)
                };
                g.lock().unwrap().push(Got {
                    path,
                    body,
                    verified,
                    event,
                    session_id,
                    cdr_sessions,
                    answered: status,
                    at,
                });
                std::thread::sleep(delay);
                let _ =
                    req.respond(tiny_http::Response::from_string(answer).with_status_code(status));
            }
        });
        Self {
            url: format!("http://127.0.0.1:{port}"),
            got,
            callin,
            sms,
            stop,
            thread: Some(thread),
        }
    }

    /// The webhook's URL for `path` (`/events`, …).
    pub(crate) fn at(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }

    /// Every push received, in order.
    pub(crate) fn got(&self) -> Vec<Got> {
        self.got.lock().unwrap().clone()
    }

    /// The pushes received at `path`, in order.
    pub(crate) fn got_at(&self, path: &str) -> Vec<Got> {
        self.got
            .lock()
            .unwrap()
            .iter()
            .filter(|g| g.path == path)
            .cloned()
            .collect()
    }

    /// Forget the pushes received so far.
    pub(crate) fn clear(&self) {
        self.got.lock().unwrap().clear();
    }

    /// The answer to Block-mode `callin` events from now on.
    pub(crate) fn on_callin(&self, r: BlockReply) {
        *self.callin.lock().unwrap() = r;
    }

    /// The answer to SMS Block notifications from now on.
    pub(crate) fn on_sms(&self, r: BlockReply) {
        *self.sms.lock().unwrap() = r;
    }

    /// The call events pushed to `/events`: (name, needs a reply,
    /// statusInfo JSON).
    pub(crate) fn events(&self) -> Vec<(String, bool, serde_json::Value)> {
        self.got_at("/events")
            .into_iter()
            .map(|g| {
                assert!(g.verified, "every push carries a valid X-AKSK");
                let Push::Call(ev) = push::parse(&g.body).expect("every push parses") else {
                    panic!("only call events go to /events");
                };
                let v: serde_json::Value = serde_json::from_slice(&g.body).unwrap();
                (
                    ev.kind.name().to_owned(),
                    ev.needs_reply(),
                    v["statusInfo"].clone(),
                )
            })
            .collect()
    }
}

impl Drop for Webhook {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// `a` with its call events, CDRs and SMS notifications pushed to `hook`
/// (`/events`, `/fee`, `/sms`, `/sms-control`).
pub(crate) fn with_hook(a: AppConfig, hook: &Webhook) -> AppConfig {
    a.with_push_urls(hook.at("/events"), Some(hook.at("/fee")))
        .with_sms_urls(hook.at("/sms"), hook.at("/sms-control"))
}

/// The names of `events`.
pub(crate) fn names(events: &[(String, bool, serde_json::Value)]) -> Vec<&str> {
    events.iter().map(|(k, _, _)| k.as_str()).collect()
}
