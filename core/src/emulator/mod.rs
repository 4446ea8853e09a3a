//! The platform emulator: the PrivateNumber platform on loopback, so that
//! anyone can develop and test offline (cargo feature `emulator`).
//!
//! ```text
//!  client (any language) ──HTTP, X-AKSK──▶ ┌───────────── Emulator (127.0.0.1:port) ─────────────┐
//!   /rest/caas/relationnumber/…           │ auth (§2) ─▶ app by key ─▶ mode check (1010040)       │
//!   /rest/provision/caas/…, …             │ AX/AXB/AXE/AXYB APIs, callStop, recording download    │
//!                                          │   ─▶ client ops' prepare() ─▶ the app's Engine        │
//!  tests, tools ──Rust API or /_emulator/──▶ simulate a call / SMS, X status, clock offset         │
//!                                          │   ─▶ Engine::route ─▶ events + CDR, SMS, numStatus    │
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
//!   ([`crate::client::axb`], [`crate::client::ax`], [`crate::client::axe`],
//!   [`crate::client::axyb`], [`crate::client::call`],
//!   [`crate::client::recording`]) and validated by their `prepare()`, so the
//!   emulator refuses exactly what the client refuses before sending, with
//!   the same code (1010002 naming the field). Bindings live in one
//!   [`Engine`] per application, whose rules answer everything that
//!   depends on existing bindings (1012010, 1012008, 1012001, 1011003,
//!   1011005, 1020167, 1013102, …).
//! - **Answers** carry the platform's JSON field names and shapes (PN §3–§6,
//!   §8, §10), so the client's `parse()` reads them. Where the specification
//!   leaves a shape open (PN §16), each mode's module says which reading
//!   the emulator takes.
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
//! Served: AXB (PN §3), AX (§4, with the temporary callee), AXE (§5) and
//! AXYB (§6, `app_key` in the query checked against the signing key),
//! `callStop` (§8) and the recording download URL (§10), for every mode.
//! Simulated calls follow each mode's routing (AX: anyone → X → A, A → X
//! → temporary callee; AXE: the extension keyed in, a `collectInfo`
//! event, A calling back; AXYB: A dials Y → B, B dials X → A, a stranger
//! dialling X gets a Y). X-mode applications (§7) have no API of their
//! own: the platform keeps no bindings, and each call to their numbers is
//! pushed as a `callin` in Block mode whose reply connects it (to the
//! number and with the display it names) or closes it; a missing or
//! invalid reply ends the call with stateCode 8014 (see `xmode.rs` for
//! the tolerant reading of replies). SMS are simulated for every mode
//! (§9.4, Notify and Block; the AXE and AXYB routing is the emulator's
//! reading, see [`Emulator::simulate_sms`]), X-number status changes push
//! `numStatus` (§9.5).
//!
//! # Time
//!
//! The platform's clock is the system clock plus an offset that only
//! grows ([`Emulator::advance_clock`]): moving it expires bindings (the
//! engines' `tick`), ends held calls whose talk time is over and ages
//! recordings. Authentication still checks `Created` against the system
//! clock, which clients sign with.
//!
//! # Calls in progress
//!
//! A simulated call is pushed whole at once, unless it is held
//! ([`SimulatedCall::hold`]): then it stays in progress after `answer`
//! until `callStop` names its session or the emulator's clock passes its
//! talk time, and its `disconnect` and CDR are pushed then. `callStop` on
//! any other session answers 1020152.
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
//! | `GET /_emulator/calls/live` | [`Emulator::live_calls`] | session ids of held calls |
//! | `POST /_emulator/sms` | [`Emulator::simulate_sms`] | `{"sender", "dialled", "text"}` |
//! | `POST /_emulator/numbers/status` | [`Emulator::set_number_status`] | `{"number", "status": "paused" \| "9" \| …, "cause": 2}` |
//! | `GET /_emulator/clock` | [`Emulator::now`] | `{"now", "offset_secs"}` |
//! | `POST /_emulator/clock/advance` | [`Emulator::advance_clock`] | `{"secs": N}` (or `?secs=N`) |
//! | `GET /_emulator/recordings/<file>` | — | a recording's bytes (where the download URL points) |
//! | `GET /_emulator/pushes` | [`Emulator::pushes`] | every push and its status |
//! | `GET /_emulator/deliveries` | [`Emulator::deliveries`] | every delivery attempt |
//! | `POST /_emulator/cdrs/flush` | [`Emulator::flush_cdrs`] | send waiting CDRs now |
//! | `POST /_emulator/wait_idle?timeout_ms=N` | [`Emulator::wait_idle`] | wait for the push queue to empty |
//!
//! A call: `{"caller": "+8613800000001", "dialled": "+8617000000010",
//! "outcome": "answered" | "no_answer" | "busy", "talk_secs": 30,
//! "ring_secs": 5, "record": true, "hold": false, "ext": "0137"}` (only
//! `caller` and `dialled` are required; the default outcome is answered
//! with 30 s of talk). Its answer's `route` is `{"operation": "connect",
//! "callee", "display"}` or `{"operation": "close", "reason"}`, the
//! reason being the engine's (`no_binding`, …) or, in X mode,
//! `closed_by_application` or `no_decision` (with `why`); `block_push_id`
//! names an X-mode `callin` Block push.
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
mod ax;
mod axb;
mod axe;
mod axyb;
mod calls;
mod config;
mod control;
pub mod json_config;
mod live;
mod outbox;
mod server;
mod sms;
mod status;
mod wire;
mod xmode;

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub use calls::{CallOutcome, CallReport, CallRoute, SimulatedCall};
pub use config::{
    AppConfig, DEFAULT_BLOCK_REPLY_TIMEOUT, EmulatorConfig, MAX_CDRS_PER_PUSH, PoolNumber,
    RETRY_MINUTES,
};
pub use outbox::{AttemptOutcome, DeliveryAttempt, PushInfo, PushStatus};
pub use sms::{SimulatedSms, SmsOutcome, SmsReport};

use parking_lot::Mutex;
use serde_json::{Map, Value};

use crate::engine::{Binding, BindingId, Engine, EngineConfig, XStatus};
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
    /// Wire fields of a binding the engine does not keep (`turnFlag`,
    /// `calleeNumDisplay`, `displayNumMode`, `timeUnit`, …), by
    /// subscription id, echoed by queries.
    pub(crate) meta: Mutex<HashMap<String, Map<String, Value>>>,
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
        let engine = Engine::new(EngineConfig {
            extension_digits: config.extension_digits,
            ..EngineConfig::new(config.mode)
        })?;
        for n in &config.numbers {
            engine.pool_add(n.number(), n.area())?;
        }
        Ok(Self {
            numbers: config.numbers.iter().map(PoolNumber::number).collect(),
            meta: Mutex::new(HashMap::new()),
            config,
            engine,
            verifier,
            signer,
        })
    }
}

impl App {
    /// Remember wire fields of binding `id` the engine does not keep
    /// (merged over what was there; `keep_old` names fields a later
    /// change does not overwrite).
    pub(crate) fn remember(&self, id: &str, fields: Map<String, Value>, keep_old: &[&str]) {
        if fields.is_empty() {
            return;
        }
        let mut meta = self.meta.lock();
        let entry = meta.entry(id.to_owned()).or_default();
        for (k, v) in fields {
            if keep_old.contains(&k.as_str()) && entry.contains_key(&k) {
                continue;
            }
            entry.insert(k, v);
        }
    }

    /// The remembered wire fields of binding `id`.
    pub(crate) fn recalled(&self, id: &str) -> Map<String, Value> {
        self.meta.lock().get(id).cloned().unwrap_or_default()
    }

    /// Forget the wire fields of bindings the engine no longer holds.
    pub(crate) fn prune_meta(&self) {
        let mut meta = self.meta.lock();
        if meta.is_empty() {
            return;
        }
        meta.retain(|id, _| {
            BindingId::new(id)
                .ok()
                .and_then(|id| self.engine.get(&id))
                .is_some_and(|b| b.state.is_bound())
        });
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
    /// Seconds added to the system clock (the clock control).
    clock_offset: AtomicI64,
    /// `http://127.0.0.1:PORT`.
    pub(crate) base_url: String,
    /// Calls held open, by `sessionId`.
    pub(crate) live: Mutex<HashMap<String, live::LiveCall>>,
    /// Recordings of calls, by file name.
    pub(crate) recordings: Mutex<HashMap<String, live::Recording>>,
    sms_seq: AtomicU64,
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

    /// Unix seconds now by the system clock (what clients sign with).
    pub(crate) fn real_now() -> Result<u64> {
        u64::try_from(unix_now()?)
            .map_err(|_| Error::new(ErrorKind::InvalidArgument, "the clock is before 1970"))
    }

    /// Unix seconds now, as the platform's clock: the system clock plus
    /// the offset set with [`Shared::advance_clock`].
    pub(crate) fn now(&self) -> Result<u64> {
        let offset = self.clock_offset.load(Ordering::Acquire);
        Self::real_now()?
            .checked_add_signed(offset)
            .ok_or_else(|| Error::new(ErrorKind::InvalidArgument, "the clock is out of range"))
    }

    /// The clock offset in seconds.
    pub(crate) fn clock_offset(&self) -> i64 {
        self.clock_offset.load(Ordering::Acquire)
    }

    /// Move the platform's clock `secs` seconds forward, then expire what
    /// is due in every application and end the held calls whose talk time
    /// is over.
    pub(crate) fn advance_clock(&self, secs: u64) -> Result<ClockReport> {
        let step = i64::try_from(secs)
            .ok()
            .filter(|s| *s <= MAX_CLOCK_STEP)
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::InvalidArgument,
                    format!("the clock moves at most {MAX_CLOCK_STEP} seconds at once"),
                )
                .with_field("secs")
            })?;
        self.clock_offset.fetch_add(step, Ordering::AcqRel);
        let now = self.now()?;
        let mut expired = 0;
        for app in &self.apps {
            expired += app.engine.tick(now)?;
            app.prune_meta();
        }
        let calls_ended = live::end_due(self, now)?;
        Ok(ClockReport {
            now,
            offset_secs: self.clock_offset(),
            expired,
            calls_ended,
        })
    }

    pub(crate) fn bindings(&self, app_key: &str) -> Result<Vec<Binding>> {
        let app = &self.apps[self.app_index(app_key)?];
        app.engine.tick(self.now()?)?;
        let mut all = app.engine.bindings();
        all.sort_by_key(|b| (b.bound_at, b.id.as_string()));
        Ok(all)
    }

    pub(crate) fn app_of(&self, dialled: Number) -> Result<usize> {
        self.x_owner.get(&dialled).copied().ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidArgument,
                format!("no application owns {}", dialled.masked()),
            )
            .with_field("dialled")
        })
    }

    pub(crate) fn simulate_call(&self, call: &SimulatedCall) -> Result<CallReport> {
        let index = self.app_of(call.dialled)?;
        let now = self.now()?;
        live::end_due(self, now)?;
        let seq = self.call_seq.fetch_add(1, Ordering::Relaxed) + 1;
        live::simulate(self, index, call, seq, now)
    }

    pub(crate) fn simulate_sms(&self, sms: &SimulatedSms) -> Result<SmsReport> {
        let index = self.app_of(sms.dialled)?;
        let now = self.now()?;
        let seq = self.sms_seq.fetch_add(1, Ordering::Relaxed) + 1;
        sms::simulate(self, index, sms, seq, now)
    }
}

/// The longest single step of the clock control (about 10 years).
const MAX_CLOCK_STEP: i64 = 10 * 366 * 86_400;

/// What moving the clock did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClockReport {
    /// The platform's time afterwards (Unix seconds).
    pub now: u64,
    /// Seconds the platform's clock is ahead of the system clock.
    pub offset_secs: i64,
    /// Bindings that expired.
    pub expired: usize,
    /// Held calls that ended (their talk time was over).
    pub calls_ended: usize,
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
            clock_offset: AtomicI64::new(0),
            base_url: format!("http://{addr}"),
            live: Mutex::new(HashMap::new()),
            recordings: Mutex::new(HashMap::new()),
            sms_seq: AtomicU64::new(0),
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
    /// application's call-event URL and its CDR to its CDR URL. For an
    /// X-mode application the `callin` event is sent first, in Block mode,
    /// on the calling thread (at most its
    /// [`AppConfig::block_reply_timeout`]), and its reply routes the call.
    ///
    /// [`ErrorKind::InvalidArgument`] (field `dialled`) when no application
    /// owns the dialled number.
    pub fn simulate_call(&self, call: &SimulatedCall) -> Result<CallReport> {
        self.shared.simulate_call(call)
    }

    /// Simulate an SMS texted to a privacy number (PN §9.4): forwarded as
    /// the binding says, with a Notify push to the application's SMS URL.
    /// When the platform cannot tell the receiver (an AX text from A
    /// without a valid `@<B number>`, an AXE text from anyone but A, every
    /// text to an X-mode number) it first puts the SMS to the
    /// application's SMS control URL in Block mode, and the reply decides.
    /// AXE: A's text goes where A's call would (the callback record or
    /// number); AXYB: A texting Y reaches B and B texting X reaches A.
    ///
    /// [`ErrorKind::InvalidArgument`] (field `dialled`) when no application
    /// owns the number.
    pub fn simulate_sms(&self, sms: &SimulatedSms) -> Result<SmsReport> {
        self.shared.simulate_sms(sms)
    }

    /// Change the status of X `number` as the platform would on its own
    /// (PN §9.5): its bindings are suspended (paused, unavailable) or
    /// resumed (normal), and a `numStatus` push goes to the owning
    /// application's X-status URL (or its call-event URL). `cause` is sent
    /// with [`XStatus::Unavailable`] only. [`XStatus::Blacklisted`] is not
    /// a push status: it is applied without a push. Returns how many
    /// bindings changed state.
    ///
    /// [`ErrorKind::InvalidArgument`] (field `number`) when no application
    /// owns the number.
    pub fn set_number_status(
        &self,
        number: Number,
        status: XStatus,
        cause: Option<u32>,
    ) -> Result<usize> {
        status::set(&self.shared, number, status, cause)
    }

    /// The platform's clock (Unix seconds): the system clock plus the
    /// offset set with [`Emulator::advance_clock`].
    pub fn now(&self) -> Result<u64> {
        self.shared.now()
    }

    /// Move the platform's clock `secs` seconds forward (at most about ten
    /// years at once): bindings whose lifetime is over expire, held calls
    /// whose talk time is over end (their `disconnect` and CDR are pushed)
    /// and recordings older than seven days are gone. Authentication keeps
    /// checking `Created` against the system clock, which clients sign
    /// with.
    pub fn advance_clock(&self, secs: u64) -> Result<ClockReport> {
        self.shared.advance_clock(secs)
    }

    /// The session ids of the calls held open (answered, not yet ended;
    /// see [`SimulatedCall::hold`]).
    #[must_use]
    pub fn live_calls(&self) -> Vec<String> {
        let mut ids: Vec<String> = self.shared.live.lock().keys().cloned().collect();
        ids.sort();
        ids
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
