//! The platform emulator: the PrivateNumber platform on loopback, so that
//! anyone can develop and test offline (cargo feature `emulator`).
//!
//! ```text
//!  client (any language) ──HTTP, X-AKSK──▶ ┌───────────── Emulator (127.0.0.1:port) ─────────────┐
//!   /rest/caas/relationnumber/…           │ auth (§2) ─▶ app by key ─▶ mode check (1010040)       │
//!                                          │ AXB bind/unbind/modify/query ─▶ client ops' prepare() │
//!                                          │                               ─▶ the app's Engine     │
//!  tests, tools ──Rust API or /_emulator/──▶ simulate a call ─▶ Engine::route ─▶ events + CDR      │
//!                                          │ outbox ─▶ signed POSTs, retries +1…+300 min / scale   │──▶ app's push URLs
//!                                          └──────────────────────────────────────────────────────┘
//! ```
//!
//! # Design
//!
//! The emulator adds no rules of its own: it reuses privnum's pieces so
//! that the emulated platform and privnum's client agree by construction.
//!
//! - **Authentication**: the platform's header checks,
//!   each with its §12 result code, then the digest and the clock window
//!   checked by the [`crate::sign::Verifier`] that privnum users run on
//!   pushes.
//! - **Requests** are read into the client's typed operations
//!   ([`crate::client::axb`]) and validated by their `prepare()`, so the
//!   emulator refuses exactly what the client refuses before sending, with
//!   the same code (1010002 naming the field). Bindings live in one
//!   [`Engine`] per application, whose rules answer everything that
//!   depends on existing bindings (1012010, 1012008, 1012001, …).
//! - **Answers** carry the platform's JSON field names and shapes (PN §3),
//!   so the client's `parse()` reads them.
//! - **Calls** are routed by the application's engine and produce the
//!   platform's push sequence; **pushes** are signed with the application's
//!   key and secret and redelivered on the platform's schedule, scaled
//!   down for tests ([`AppConfig::retry_time_scale`]).
//!
//! Unlike the rest of privnum this module does I/O: it listens on a
//! socket, runs threads (request workers and one delivery thread), reads
//! the system clock and the OS random source. It binds 127.0.0.1 only and
//! is not meant to face a network. Its control interface has no
//! authentication.
//!
//! Served today: AXB (PN §3). Applications of the other modes can be
//! configured (their keys authenticate, and using them on the AXB API is
//! refused with 1010040, as on the platform), but their own APIs answer
//! 1010006 "not emulated yet". Adding a mode means adding its endpoints
//! beside the AXB ones and its call layout beside the AXB one.
//!
//! # Control interface
//!
//! The same operations are Rust methods on [`Emulator`] and JSON over HTTP
//! under `/_emulator/` (a prefix no platform API uses), answering
//! `{"ok": …}` or `{"error": {"kind", "code", "platform_code", "field",
//! "message"}}`:
//!
//! | HTTP | Rust | does |
//! |---|---|---|
//! | `GET /_emulator/apps` | [`Emulator::config`] | the applications (no secrets) |
//! | `GET /_emulator/bindings[?app_key=K]` | [`Emulator::bindings`] | the bindings, per application |
//! | `POST /_emulator/calls` | [`Emulator::simulate_call`] | simulate a call (body below) |
//! | `GET /_emulator/pushes` | [`Emulator::pushes`] | every push and its status |
//! | `GET /_emulator/deliveries` | [`Emulator::deliveries`] | every delivery attempt |
//! | `POST /_emulator/cdrs/flush` | [`Emulator::flush_cdrs`] | send waiting CDRs now |
//! | `POST /_emulator/wait_idle?timeout_ms=N` | [`Emulator::wait_idle`] | wait for the push queue to empty |
//!
//! A call: `{"caller": "+8613800000001", "dialled": "+8617000000010",
//! "outcome": "answered" | "no_answer" | "busy", "talk_secs": 30,
//! "ring_secs": 5, "record": true}` (only `caller` and `dialled` are
//! required; the default outcome is answered with 30 s of talk).
//!
//! # Example
//!
//! ```
//! use std::time::Duration;
//!
//! use privnum::client::axb::AxbBind;
//! use privnum::client::{self, HttpResponse, Operation};
//! use privnum::emulator::{AppConfig, Emulator, EmulatorConfig, SimulatedCall};
//! use privnum::engine::Mode;
//! use privnum::{Signer, number};
//!
//! let x = number::parse("+8617000000010")?;
//! let app = AppConfig::new(Mode::Axb, "app-key-1", "app-secret-1").with_number(x, "0755")?;
//! let emulator = Emulator::start(EmulatorConfig::new(vec![app]))?;
//!
//! // privnum's client builds and signs; any HTTP client sends (ureq here).
//! let (a, b) = (number::parse("+8613800000001")?, number::parse("+8613900000002")?);
//! let bind = AxbBind::new(a, b);
//! let request = client::sign_now(bind.prepare()?, &Signer::new("app-key-1", "app-secret-1")?)?;
//! let agent: ureq::Agent = ureq::Agent::config_builder()
//!     .http_status_as_error(false)
//!     .build()
//!     .into();
//! let mut send = agent.post(request.url(&emulator.base_url()));
//! for (name, value) in request.headers() {
//!     send = send.header(*name, value.as_str());
//! }
//! let mut response = send.send(request.body().unwrap_or_default())?;
//! let status = response.status().as_u16();
//! let body = response.body_mut().read_to_vec()?;
//! let bound = bind.parse(&HttpResponse { status, location: None, body: &body })?;
//! assert_eq!(bound.relation_num.and_then(|w| w.number()), Some(x));
//!
//! // A calls X: routed through the binding to B (no push URL configured here).
//! let report = emulator.simulate_call(&SimulatedCall::answered(a, x, 30))?;
//! assert_eq!(report.events, ["callin", "callout", "alerting", "answer", "disconnect"]);
//! assert!(emulator.wait_idle(Duration::from_secs(5)));
//! emulator.stop();
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod answer;
mod auth;
mod axb;
mod calls;
mod config;
mod control;
pub mod json_config;
mod outbox;
mod server;

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub use calls::{CallOutcome, CallReport, CallRoute, SimulatedCall};
pub use config::{AppConfig, EmulatorConfig, MAX_CDRS_PER_PUSH, PoolNumber, RETRY_MINUTES};
pub use outbox::{AttemptOutcome, DeliveryAttempt, PushInfo, PushStatus};

use crate::engine::{Binding, CallIn, Engine, EngineConfig, Route};
use crate::error::{Error, ErrorKind, Result};
use crate::number::Number;
use crate::sign::{Signer, Verifier, VerifierConfig, unix_now};

use outbox::Outbox;

/// One application on the emulated platform.
pub(crate) struct App {
    pub(crate) config: AppConfig,
    pub(crate) engine: Engine,
    pub(crate) verifier: Verifier,
    pub(crate) signer: Signer,
    pub(crate) numbers: HashSet<Number>,
}

impl App {
    fn new(config: AppConfig, skew: u32) -> Result<Self> {
        let verifier = Verifier::new(
            &config.app_key,
            config.secret(),
            VerifierConfig {
                max_age_secs: skew,
                max_future_secs: skew,
                replay_capacity: 0,
                accept_wsse: false,
            },
        )?;
        let signer = Signer::new(&config.app_key, config.secret())?;
        let engine = Engine::new(EngineConfig::new(config.mode))?;
        for n in &config.numbers {
            engine.pool_add(n.number(), n.area())?;
        }
        Ok(Self {
            numbers: config.numbers.iter().map(PoolNumber::number).collect(),
            config,
            engine,
            verifier,
            signer,
        })
    }
}

/// What the request workers, the delivery thread and the handle share.
pub(crate) struct Shared {
    pub(crate) apps: Vec<App>,
    by_key: HashMap<String, usize>,
    x_owner: HashMap<Number, usize>,
    pub(crate) outbox: Outbox,
    call_seq: AtomicU64,
    pub(crate) config: EmulatorConfig,
}

impl Shared {
    fn app_index(&self, app_key: &str) -> Result<usize> {
        self.by_key.get(app_key).copied().ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidArgument,
                format!("no application has the key {app_key:?}"),
            )
        })
    }

    /// Unix seconds now, as the platform's clock.
    pub(crate) fn now() -> Result<u64> {
        u64::try_from(unix_now()?)
            .map_err(|_| Error::new(ErrorKind::InvalidArgument, "the clock is before 1970"))
    }

    pub(crate) fn bindings(&self, app_key: &str) -> Result<Vec<Binding>> {
        let app = &self.apps[self.app_index(app_key)?];
        app.engine.tick(Self::now()?)?;
        let mut all = app.engine.bindings();
        all.sort_by_key(|b| (b.bound_at, b.id.as_string()));
        Ok(all)
    }

    pub(crate) fn simulate_call(&self, call: &SimulatedCall) -> Result<CallReport> {
        let index = *self.x_owner.get(&call.dialled).ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidArgument,
                format!("no application owns {}", call.dialled.masked()),
            )
            .with_field("dialled")
        })?;
        let app = &self.apps[index];
        let now = Self::now()?;
        let route = app.engine.route(
            &CallIn {
                caller: call.caller,
                dialled: call.dialled,
                ext: None,
            },
            now,
        );
        let binding = match &route {
            Route::Connect(c) => app.engine.get(&c.binding),
            Route::Close {
                binding: Some(id), ..
            } => app.engine.get(id),
            Route::Close { .. } => None,
        };
        let seq = self.call_seq.fetch_add(1, Ordering::Relaxed) + 1;
        let ids = calls::CallIds::new(seq, now)?;
        let plan = calls::plan(call, &route, binding.as_ref(), &app.config, &ids, now)?;
        let key = app.config.app_key.as_str();
        let events: Vec<&'static str> = plan.events.iter().map(|(k, _)| *k).collect();
        let push_ids = match app.config.call_event_url.as_deref() {
            Some(url) => plan
                .events
                .into_iter()
                .map(|(kind, body)| self.outbox.push_event(index, key, url, kind, body))
                .collect(),
            None => Vec::new(),
        };
        let cdr_queued = match app.config.cdr_url() {
            Some(url) => {
                self.outbox.push_cdr(index, url, plan.cdr);
                true
            }
            None => false,
        };
        Ok(CallReport {
            app_key: key.to_owned(),
            session_id: ids.session_id,
            icid: ids.icid,
            subscription_id: binding.map(|b| b.id.as_string()),
            route: plan.route,
            state_code: plan.state_code,
            events,
            push_ids,
            cdr_queued,
        })
    }
}

/// A running emulator. Stops (and joins its threads) on [`Emulator::stop`]
/// or when dropped.
pub struct Emulator {
    shared: Arc<Shared>,
    addr: SocketAddr,
    server: Option<Arc<tiny_http::Server>>,
    stopping: Arc<AtomicBool>,
    threads: Vec<JoinHandle<()>>,
}

impl fmt::Debug for Emulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Emulator")
            .field("addr", &self.addr)
            .field("apps", &self.shared.apps.len())
            .field("running", &self.server.is_some())
            .finish()
    }
}

impl Emulator {
    /// Check `config`, set up its applications, listen on 127.0.0.1 (its
    /// port, or a free one) and start serving.
    ///
    /// Errors: the configuration's ([`EmulatorConfig::validate`]);
    /// [`ErrorKind::InvalidArgument`] when the port cannot be listened on
    /// or a thread cannot be started.
    pub fn start(config: EmulatorConfig) -> Result<Self> {
        config.validate()?;
        let skew = config.max_clock_skew_secs;
        let mut apps = Vec::with_capacity(config.apps.len());
        let mut by_key = HashMap::new();
        let mut x_owner = HashMap::new();
        for (i, c) in config.apps.iter().enumerate() {
            by_key.insert(c.app_key.clone(), i);
            for n in &c.numbers {
                x_owner.insert(n.number(), i);
            }
            apps.push(App::new(c.clone(), skew)?);
        }
        let server = tiny_http::Server::http(("127.0.0.1", config.port)).map_err(|e| {
            Error::new(
                ErrorKind::InvalidArgument,
                format!("cannot listen on 127.0.0.1:{}: {e}", config.port),
            )
        })?;
        let addr = server.server_addr().to_ip().ok_or_else(|| {
            Error::new(ErrorKind::InvalidArgument, "the server has no IP address")
        })?;
        let workers = config.workers;
        let shared = Arc::new(Shared {
            apps,
            by_key,
            x_owner,
            outbox: Outbox::new(config.push_timeout, config.cdr_batch_window),
            call_seq: AtomicU64::new(0),
            config,
        });
        let mut emulator = Self {
            shared,
            addr,
            server: Some(Arc::new(server)),
            stopping: Arc::new(AtomicBool::new(false)),
            threads: Vec::with_capacity(workers + 1),
        };
        let shared = Arc::clone(&emulator.shared);
        emulator.spawn("privnum-emulator-push", move || {
            shared.outbox.run(&shared.apps);
        })?;
        for i in 0..workers {
            let shared = Arc::clone(&emulator.shared);
            let stopping = Arc::clone(&emulator.stopping);
            let Some(server) = emulator.server.clone() else {
                break;
            };
            emulator.spawn(&format!("privnum-emulator-{i}"), move || {
                server::serve(&server, &shared, &stopping);
            })?;
        }
        Ok(emulator)
    }

    fn spawn(&mut self, name: &str, f: impl FnOnce() + Send + 'static) -> Result<()> {
        let handle = std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(f)
            .map_err(|e| {
                Error::new(
                    ErrorKind::InvalidArgument,
                    format!("cannot start thread {name}: {e}"),
                )
            })?;
        self.threads.push(handle);
        Ok(())
    }

    /// The address it listens on (127.0.0.1 and its port).
    #[must_use]
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The base URL (`http://127.0.0.1:PORT`): the application's access
    /// address for privnum's client (`HttpRequest::url`).
    #[must_use]
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The configuration it runs with.
    #[must_use]
    pub fn config(&self) -> &EmulatorConfig {
        &self.shared.config
    }

    /// The engine holding the bindings of the application `app_key` (to
    /// inspect it, or to change what the platform would change on its own,
    /// such as an X number's status). The application's numbers are those
    /// configured at start: an X added to this engine's pool is not
    /// reachable through the API or [`Emulator::simulate_call`].
    #[must_use]
    pub fn engine(&self, app_key: &str) -> Option<&Engine> {
        let i = self.shared.by_key.get(app_key)?;
        self.shared.apps.get(*i).map(|a| &a.engine)
    }

    /// The bindings of the application `app_key`, oldest first (bindings
    /// past their lifetime are expired first).
    pub fn bindings(&self, app_key: &str) -> Result<Vec<Binding>> {
        self.shared.bindings(app_key)
    }

    /// Simulate a call: route it through the engine of the application
    /// owning the dialled number, queue its call events to the
    /// application's call-event URL and its CDR to its CDR URL.
    ///
    /// [`ErrorKind::InvalidArgument`] (field `dialled`) when no application
    /// owns the dialled number.
    pub fn simulate_call(&self, call: &SimulatedCall) -> Result<CallReport> {
        self.shared.simulate_call(call)
    }

    /// Every push queued so far, in order, with its delivery status.
    #[must_use]
    pub fn pushes(&self) -> Vec<PushInfo> {
        self.shared.outbox.pushes()
    }

    /// Every delivery attempt so far, oldest first.
    #[must_use]
    pub fn deliveries(&self) -> Vec<DeliveryAttempt> {
        self.shared.outbox.attempts()
    }

    /// Send the CDRs waiting in batches now.
    pub fn flush_cdrs(&self) {
        self.shared.outbox.flush_cdrs(&self.shared.apps);
    }

    /// Wait until no push is queued, batched, being sent or due for a
    /// retry, at most `timeout`; whether that happened. Pushes that are
    /// given up count as done.
    #[must_use]
    pub fn wait_idle(&self, timeout: Duration) -> bool {
        self.shared.outbox.wait_idle(timeout)
    }

    /// Stop serving, stop delivering (pushes not yet delivered stay
    /// undelivered; an attempt under way is finished, which takes at most
    /// the push timeout), join every thread and close the port.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        self.stopping.store(true, Ordering::Release);
        self.shared.outbox.stop();
        for t in self.threads.drain(..) {
            // A thread that panicked has nothing left to clean up.
            let _ = t.join();
        }
        if self.server.take().is_some() {
            // The server's listener closes on its own thread once the last
            // handle is gone: wait (briefly) until connections are refused.
            let deadline = Instant::now() + Duration::from_secs(2);
            while Instant::now() < deadline
                && TcpStream::connect_timeout(&self.addr, Duration::from_millis(100)).is_ok()
            {
                std::thread::sleep(Duration::from_millis(5));
            }
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.shutdown();
    }
}
