//! Delivering pushes: signed POSTs to the applications' URLs, redelivered
//! on the platform's schedule, with a log of every attempt.
//!
//! One delivery thread sends every push, one at a time, in the order they
//! become due, so a call's events reach a healthy webhook in order. A push
//! is delivered when the webhook answers HTTP 200; any other status, a
//! connection failure or no answer within the push timeout is a failed
//! attempt, and the push is tried again at +1, +4, +9, +106, +203 and +300
//! minutes after its first attempt (PN §9.1), each delay divided by the
//! application's `retry_time_scale`; after the seventh attempt it is given
//! up. Every attempt is signed afresh (a new nonce and `Created`) with
//! the application's key and secret (PN §2.3).
//!
//! CDRs wait in a per-application batch: the first one opens a window of
//! `cdr_batch_window`, and when it closes (or 50 records are waiting) they
//! leave together as one `fee` push (PN §9.3).
//!
//! Only `http://` URLs can be reached: the emulator's HTTP client is built
//! without TLS, so an `https://` push fails every attempt (and the log says
//! why).

use std::collections::BTreeMap;
use std::fmt;
use std::time::{Duration, Instant, SystemTime};

use parking_lot::{Condvar, Mutex};
use serde_json::{Value, json};

use crate::client::CONTENT_TYPE;
use crate::sign::Scheme;

use super::App;
use super::config::MAX_CDRS_PER_PUSH;

/// Where a push is in its delivery.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PushStatus {
    /// Not delivered yet; an attempt is due now or later.
    Pending,
    /// The webhook answered HTTP 200.
    Delivered,
    /// Every attempt failed; no more will be made.
    GaveUp,
}

/// How one delivery attempt ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AttemptOutcome {
    /// HTTP 200: delivered.
    Delivered,
    /// The webhook answered with another status.
    Refused {
        /// The HTTP status.
        status: u16,
    },
    /// No answer: the connection failed or timed out.
    Failed {
        /// What went wrong.
        error: String,
    },
}

/// One delivery attempt, as logged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeliveryAttempt {
    /// The push it was for.
    pub push_id: u64,
    /// The push's `eventType` (`callin`, …, `fee`).
    pub event: &'static str,
    /// The application whose push it was.
    pub app_key: String,
    /// Where it was sent.
    pub url: String,
    /// 1 for the first attempt, up to 7.
    pub attempt: u32,
    /// When it was made (wall clock).
    pub at: SystemTime,
    /// How long after the push's first attempt it was made (zero for the
    /// first).
    pub since_first: Duration,
    /// How it ended.
    pub outcome: AttemptOutcome,
}

/// A push and where it is in its delivery.
///
/// `Debug` shows the body's length, not the body (it holds phone numbers).
#[derive(Clone, PartialEq, Eq)]
pub struct PushInfo {
    /// Increasing id, in the order pushes were queued.
    pub id: u64,
    /// The application whose push it is.
    pub app_key: String,
    /// Its `eventType` (`callin`, …, `fee`).
    pub event: &'static str,
    /// Where it goes.
    pub url: String,
    /// The JSON body, exactly as sent.
    pub body: String,
    /// Where it is in its delivery.
    pub status: PushStatus,
    /// Attempts made so far.
    pub attempts: u32,
}

impl fmt::Debug for PushInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PushInfo")
            .field("id", &self.id)
            .field("app_key", &self.app_key)
            .field("event", &self.event)
            .field("url", &self.url)
            .field("body_len", &self.body.len())
            .field("status", &self.status)
            .field("attempts", &self.attempts)
            .finish()
    }
}

struct Entry {
    info: PushInfo,
    app: usize,
    first_attempt: Option<Instant>,
}

struct Batch {
    app: usize,
    url: String,
    records: Vec<Value>,
    opened: Instant,
}

#[derive(Default)]
struct State {
    next_id: u64,
    next_seq: u64,
    /// Due attempts: (when, sequence) → push id.
    schedule: BTreeMap<(Instant, u64), u64>,
    pushes: BTreeMap<u64, Entry>,
    batches: Vec<Batch>,
    attempts: Vec<DeliveryAttempt>,
    in_flight: usize,
    stopping: bool,
}

impl State {
    fn queue(
        &mut self,
        app: usize,
        app_key: &str,
        url: &str,
        event: &'static str,
        body: String,
    ) -> u64 {
        self.next_id += 1;
        let id = self.next_id;
        self.pushes.insert(
            id,
            Entry {
                info: PushInfo {
                    id,
                    app_key: app_key.to_owned(),
                    event,
                    url: url.to_owned(),
                    body,
                    status: PushStatus::Pending,
                    attempts: 0,
                },
                app,
                first_attempt: None,
            },
        );
        self.schedule_at(Instant::now(), id);
        id
    }

    fn schedule_at(&mut self, at: Instant, id: u64) {
        self.next_seq += 1;
        self.schedule.insert((at, self.next_seq), id);
    }

    /// Turn batches that are due (or every batch, with `all`) into `fee`
    /// pushes of at most 50 records.
    fn close_batches(&mut self, apps: &[App], window: Duration, now: Instant, all: bool) {
        let mut i = 0;
        while i < self.batches.len() {
            let b = &self.batches[i];
            let due = all
                || b.records.len() >= MAX_CDRS_PER_PUSH
                || b.opened.checked_add(window).is_some_and(|t| now >= t);
            if !due {
                i += 1;
                continue;
            }
            let mut b = self.batches.swap_remove(i);
            let app_key = apps.get(b.app).map_or("", |a| a.config.app_key.as_str());
            while !b.records.is_empty() {
                let n = b.records.len().min(MAX_CDRS_PER_PUSH);
                let records: Vec<Value> = b.records.drain(..n).collect();
                let body = json!({ "eventType": "fee", "feeLst": records }).to_string();
                self.queue(b.app, app_key, &b.url, "fee", body);
            }
        }
    }

    fn idle(&self) -> bool {
        self.schedule.is_empty() && self.batches.is_empty() && self.in_flight == 0
    }

    /// The next instant the delivery thread has something to do.
    fn next_wake(&self, window: Duration) -> Option<Instant> {
        let due = self.schedule.keys().next().map(|(t, _)| *t);
        let batch = self
            .batches
            .iter()
            .filter_map(|b| b.opened.checked_add(window))
            .min();
        match (due, batch) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}

/// The push queue, its delivery log and the HTTP client.
pub(crate) struct Outbox {
    state: Mutex<State>,
    changed: Condvar,
    agent: ureq::Agent,
    window: Duration,
}

impl fmt::Debug for Outbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.state.lock();
        f.debug_struct("Outbox")
            .field("pushes", &s.pushes.len())
            .field("scheduled", &s.schedule.len())
            .field("batches", &s.batches.len())
            .field("attempts", &s.attempts.len())
            .finish()
    }
}

impl Outbox {
    pub(crate) fn new(push_timeout: Duration, cdr_batch_window: Duration) -> Self {
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(push_timeout))
            .http_status_as_error(false)
            .max_redirects(0)
            .build();
        Self {
            state: Mutex::new(State::default()),
            changed: Condvar::new(),
            agent: config.into(),
            window: cdr_batch_window,
        }
    }

    /// Queue a call event for delivery now; returns its push id.
    pub(crate) fn push_event(
        &self,
        app: usize,
        app_key: &str,
        url: &str,
        event: &'static str,
        body: String,
    ) -> u64 {
        let id = self.state.lock().queue(app, app_key, url, event, body);
        self.changed.notify_all();
        id
    }

    /// Add a CDR to the application's batch.
    pub(crate) fn push_cdr(&self, app: usize, url: &str, record: Value) {
        let mut s = self.state.lock();
        match s.batches.iter_mut().find(|b| b.app == app && b.url == url) {
            Some(b) => b.records.push(record),
            None => s.batches.push(Batch {
                app,
                url: url.to_owned(),
                records: vec![record],
                opened: Instant::now(),
            }),
        }
        drop(s);
        self.changed.notify_all();
    }

    /// Send every waiting CDR now, without waiting for its batch window.
    pub(crate) fn flush_cdrs(&self, apps: &[App]) {
        self.state
            .lock()
            .close_batches(apps, self.window, Instant::now(), true);
        self.changed.notify_all();
    }

    /// Wait until nothing is queued, batched or being sent, at most
    /// `timeout`; whether it became idle.
    pub(crate) fn wait_idle(&self, timeout: Duration) -> bool {
        // A timeout too long to add to the clock waits without a deadline.
        let deadline = Instant::now().checked_add(timeout);
        let mut s = self.state.lock();
        loop {
            if s.idle() {
                return true;
            }
            if s.stopping {
                return false;
            }
            match deadline {
                Some(d) => {
                    if self.changed.wait_until(&mut s, d).timed_out() {
                        return s.idle();
                    }
                }
                None => self.changed.wait(&mut s),
            }
        }
    }

    /// Every attempt so far, oldest first.
    pub(crate) fn attempts(&self) -> Vec<DeliveryAttempt> {
        self.state.lock().attempts.clone()
    }

    /// Every push so far, by id.
    pub(crate) fn pushes(&self) -> Vec<PushInfo> {
        self.state
            .lock()
            .pushes
            .values()
            .map(|e| e.info.clone())
            .collect()
    }

    /// Make the delivery thread return (pending pushes stay pending).
    pub(crate) fn stop(&self) {
        self.state.lock().stopping = true;
        self.changed.notify_all();
    }

    /// The delivery thread's loop: returns after [`Outbox::stop`].
    pub(crate) fn run(&self, apps: &[App]) {
        let mut s = self.state.lock();
        loop {
            if s.stopping {
                return;
            }
            let now = Instant::now();
            s.close_batches(apps, self.window, now, false);
            let due = s
                .schedule
                .first_key_value()
                .filter(|((at, _), _)| *at <= now)
                .map(|(k, id)| (*k, *id));
            let Some((key, id)) = due else {
                match s.next_wake(self.window) {
                    Some(at) => {
                        self.changed.wait_until(&mut s, at);
                    }
                    None => self.changed.wait(&mut s),
                }
                continue;
            };
            s.schedule.remove(&key);
            let Some(entry) = s.pushes.get_mut(&id) else {
                continue;
            };
            entry.info.attempts += 1;
            let first = *entry.first_attempt.get_or_insert(now);
            let (app, url, body, attempt) = (
                entry.app,
                entry.info.url.clone(),
                entry.info.body.clone(),
                entry.info.attempts,
            );
            s.in_flight += 1;
            let outcome = parking_lot::MutexGuard::unlocked(&mut s, || {
                self.deliver(apps.get(app), &url, &body)
            });
            s.in_flight -= 1;
            let app_config = apps.get(app).map(|a| &a.config);
            let Some(entry) = s.pushes.get_mut(&id) else {
                continue;
            };
            let event = entry.info.event;
            let app_key = entry.info.app_key.clone();
            let retry_at = if outcome == AttemptOutcome::Delivered {
                entry.info.status = PushStatus::Delivered;
                None
            } else {
                let next = app_config
                    .and_then(|c| c.retry_offset(attempt as usize))
                    .map(|offset| (first + offset).max(Instant::now()));
                if next.is_none() {
                    entry.info.status = PushStatus::GaveUp;
                }
                next
            };
            s.attempts.push(DeliveryAttempt {
                push_id: id,
                event,
                app_key,
                url,
                attempt,
                at: SystemTime::now(),
                since_first: now.saturating_duration_since(first),
                outcome,
            });
            if let Some(at) = retry_at {
                s.schedule_at(at, id);
            }
            self.changed.notify_all();
        }
    }

    /// Send one push now, on the calling thread, and wait for the answer
    /// (a Block-mode push: the platform acts on the reply's body), waiting
    /// at most the application's `block_reply_timeout`. It is logged like
    /// any push but never retried. Returns its id, how the attempt ended
    /// and the body of a 200 answer.
    pub(crate) fn send_now(
        &self,
        index: usize,
        app: &App,
        url: &str,
        event: &'static str,
        body: String,
    ) -> (u64, AttemptOutcome, Vec<u8>) {
        let id = {
            let mut s = self.state.lock();
            s.next_id += 1;
            let id = s.next_id;
            s.pushes.insert(
                id,
                Entry {
                    info: PushInfo {
                        id,
                        app_key: app.config.app_key.clone(),
                        event,
                        url: url.to_owned(),
                        body: body.clone(),
                        status: PushStatus::Pending,
                        attempts: 1,
                    },
                    app: index,
                    first_attempt: Some(Instant::now()),
                },
            );
            s.in_flight += 1;
            id
        };
        let (outcome, reply) =
            self.post(Some(app), url, &body, Some(app.config.block_reply_timeout));
        let mut s = self.state.lock();
        s.in_flight -= 1;
        if let Some(e) = s.pushes.get_mut(&id) {
            e.info.status = if outcome == AttemptOutcome::Delivered {
                PushStatus::Delivered
            } else {
                PushStatus::GaveUp
            };
        }
        s.attempts.push(DeliveryAttempt {
            push_id: id,
            event,
            app_key: app.config.app_key.clone(),
            url: url.to_owned(),
            attempt: 1,
            at: SystemTime::now(),
            since_first: Duration::ZERO,
            outcome: outcome.clone(),
        });
        drop(s);
        self.changed.notify_all();
        (id, outcome, reply)
    }

    /// One signed POST.
    fn deliver(&self, app: Option<&App>, url: &str, body: &str) -> AttemptOutcome {
        self.post(app, url, body, None).0
    }

    /// One signed POST; how it ended and the body of a 200 answer (at most
    /// 64 KiB). `timeout` replaces the push timeout for this attempt.
    fn post(
        &self,
        app: Option<&App>,
        url: &str,
        body: &str,
        timeout: Option<Duration>,
    ) -> (AttemptOutcome, Vec<u8>) {
        let Some(app) = app else {
            return (
                AttemptOutcome::Failed {
                    error: "no such application".into(),
                },
                Vec::new(),
            );
        };
        let auth = match app.signer.sign_now(Scheme::Aksk) {
            Ok(a) => a,
            Err(e) => {
                return (
                    AttemptOutcome::Failed {
                        error: format!("cannot sign the push: {e}"),
                    },
                    Vec::new(),
                );
            }
        };
        let mut request = self.agent.post(url);
        if let Some(t) = timeout {
            request = request.config().timeout_global(Some(t)).build();
        }
        let sent = request
            .header("Content-Type", CONTENT_TYPE)
            .header("Authorization", auth.authorization())
            .header(auth.header_name(), auth.value())
            .send(body.as_bytes());
        match sent {
            Ok(mut resp) if resp.status().as_u16() == 200 => {
                let reply = resp
                    .body_mut()
                    .with_config()
                    .limit(64 * 1024)
                    .read_to_vec()
                    .unwrap_or_default();
                (AttemptOutcome::Delivered, reply)
            }
            Ok(resp) => (
                AttemptOutcome::Refused {
                    status: resp.status().as_u16(),
                },
                Vec::new(),
            ),
            Err(e) => (
                AttemptOutcome::Failed {
                    error: e.to_string(),
                },
                Vec::new(),
            ),
        }
    }
}
