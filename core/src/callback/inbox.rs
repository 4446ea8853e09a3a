//! The one entry point for pushes: raw body and headers in, a verified,
//! typed, de-duplicated push out.
//!
//! ```text
//!  receive(body, headers, now)
//!    1. body size ≤ max_body_bytes                       → PUSH_TOO_LARGE
//!    2. signature (when a secret is configured)          → AUTH_*
//!    3. parse into a typed Push                          → PUSH_*
//!    4. mark each item new or duplicate (nothing stored yet)
//!  … the host persists the new items, then …
//!  commit(&received, now)   → the items' keys are remembered
//! ```
//!
//! # De-duplication: at-least-once in, exactly-once out
//!
//! The platform redelivers a push it thinks failed up to 6 times over about
//! five hours (1, 4, 9, 106, 203 and 300 minutes after the first attempt).
//! Each item gets a stable key: a CDR its `icid` (else its `sessionId`), a call
//! event its `sessionId` and `eventType`, an SMS notification its
//! `smsIdentifier` and mode. Keys are remembered only by [`Inbox::commit`],
//! which the host calls once it has stored the items: a push whose processing
//! failed is not marked, so its redelivery is processed, and nothing is lost.
//!
//! Memory is bounded: keys are kept as 64-bit keyed hashes for `window_secs`
//! (default 6 hours, covering the redelivery schedule) and at most `capacity`
//! of them (default 200 000, about 8 MB). When full, the oldest key is
//! dropped: the cost of overload is a possible duplicate, never a lost event.
//! X-number status pushes carry no id and applying one twice is harmless, so
//! they are never de-duplicated (a number may really go 10 → 5 → 10).

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::hash::{BuildHasher, RandomState};

use parking_lot::Mutex;

use super::push::{self, Push};
use crate::error::{Error, ErrorKind, Result};
use crate::sign::{Verified, Verifier, VerifierConfig};

/// Settings of an [`Inbox`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InboxConfig {
    /// Largest accepted body in bytes. Default 1 MiB (a full 50-record CDR
    /// push is about 50 KB).
    pub max_body_bytes: usize,
    /// How long committed keys are remembered, in seconds. Default 21 600 (6 h).
    pub dedup_window_secs: u32,
    /// How many committed keys are remembered at most. Default 200 000; zero
    /// turns de-duplication off.
    pub dedup_capacity: usize,
    /// Settings of the signature check, used when the inbox has a secret.
    pub verifier: VerifierConfig,
}

impl Default for InboxConfig {
    fn default() -> Self {
        Self {
            max_body_bytes: 1 << 20,
            dedup_window_secs: 6 * 3600,
            dedup_capacity: 200_000,
            verifier: VerifierConfig::default(),
        }
    }
}

/// A bounded set of recently committed keys (see the module docs).
pub struct Dedup {
    window: i64,
    capacity: usize,
    hasher: RandomState,
    inner: Mutex<DedupInner>,
}

#[derive(Default)]
struct DedupInner {
    seen: HashMap<u64, i64>,
    order: VecDeque<(i64, u64)>,
}

impl fmt::Debug for Dedup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Dedup")
            .field("window", &self.window)
            .field("capacity", &self.capacity)
            .field("remembered", &self.len())
            .finish()
    }
}

impl Dedup {
    /// Remember keys for `window_secs`, at most `capacity` of them.
    #[must_use]
    pub fn new(window_secs: u32, capacity: usize) -> Self {
        Self {
            window: i64::from(window_secs),
            capacity,
            hasher: RandomState::new(),
            inner: Mutex::new(DedupInner::default()),
        }
    }

    fn expire(&self, inner: &mut DedupInner, now: i64) {
        let horizon = now.saturating_sub(self.window);
        while let Some(&(t, k)) = inner.order.front() {
            if t > horizon && inner.seen.get(&k) == Some(&t) {
                break;
            }
            inner.order.pop_front();
            if t <= horizon && inner.seen.get(&k) == Some(&t) {
                inner.seen.remove(&k);
            }
        }
    }

    /// Whether `key` was committed within the window before `now`.
    pub fn contains(&self, key: &str, now: i64) -> bool {
        if self.capacity == 0 {
            return false;
        }
        let h = self.hasher.hash_one(key.as_bytes());
        let mut inner = self.inner.lock();
        self.expire(&mut inner, now);
        inner.seen.contains_key(&h)
    }

    /// Remember `key` as committed at `now`.
    pub fn commit(&self, key: &str, now: i64) {
        if self.capacity == 0 {
            return;
        }
        let h = self.hasher.hash_one(key.as_bytes());
        let mut inner = self.inner.lock();
        self.expire(&mut inner, now);
        while inner.seen.len() >= self.capacity {
            let Some((t, k)) = inner.order.pop_front() else {
                break;
            };
            if inner.seen.get(&k) == Some(&t) {
                inner.seen.remove(&k);
            }
        }
        inner.seen.insert(h, now);
        inner.order.push_back((now, h));
    }

    /// How many keys are remembered.
    #[must_use]
    pub fn len(&self) -> usize {
        self.inner.lock().seen.len()
    }

    /// Whether no key is remembered.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One item of a received push (a CDR record, or the push itself).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    /// The de-duplication key, when the item has one.
    pub key: Option<String>,
    /// Whether the item was committed before (a redelivery).
    pub duplicate: bool,
}

/// A received push: what [`Inbox::receive`] returns.
#[derive(Clone, Debug, PartialEq)]
pub struct Received<'a> {
    /// The typed push.
    pub push: Push<'a>,
    /// The signature check's result, when the inbox has a secret.
    pub verified: Option<Verified>,
    /// One entry per CDR record for a CDR push, else one entry.
    pub items: Vec<Item>,
}

impl Received<'_> {
    /// Whether every item is a duplicate (then answer 200 and do nothing).
    #[must_use]
    pub fn is_duplicate(&self) -> bool {
        !self.items.is_empty() && self.items.iter().all(|i| i.duplicate)
    }

    /// The CDR records not seen before (empty for other pushes).
    pub fn new_records(&self) -> impl Iterator<Item = &push::CdrRecord<'_>> {
        let records: &[push::CdrRecord<'_>] = match &self.push {
            Push::Cdrs(r) => r,
            _ => &[],
        };
        records
            .iter()
            .zip(&self.items)
            .filter(|(_, i)| !i.duplicate)
            .map(|(r, _)| r)
    }
}

/// Receives pushes for one application. Thread-safe: share one.
pub struct Inbox {
    verifier: Option<Verifier>,
    dedup: Dedup,
    max_body: usize,
}

impl fmt::Debug for Inbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Inbox")
            .field("verifier", &self.verifier)
            .field("dedup", &self.dedup)
            .field("max_body", &self.max_body)
            .finish()
    }
}

impl Inbox {
    /// An inbox that does not check signatures (for pushes already verified
    /// upstream, or while the platform's push signature is not yet known).
    #[must_use]
    pub fn new(config: &InboxConfig) -> Self {
        Self {
            verifier: None,
            dedup: Dedup::new(config.dedup_window_secs, config.dedup_capacity),
            max_body: config.max_body_bytes,
        }
    }

    /// An inbox that checks the X-AKSK / X-WSSE headers with this app key and secret.
    pub fn with_secret(app_key: &str, app_secret: &str, config: &InboxConfig) -> Result<Self> {
        Ok(Self {
            verifier: Some(Verifier::new(app_key, app_secret, config.verifier)?),
            ..Self::new(config)
        })
    }

    /// Receive one push (see the module docs for the steps). Nothing is
    /// remembered until [`Inbox::commit`].
    pub fn receive<'a, 'h, I>(&self, body: &'a [u8], headers: I, now: i64) -> Result<Received<'a>>
    where
        I: IntoIterator<Item = (&'h str, &'h str)>,
    {
        if body.len() > self.max_body {
            return Err(Error::new(
                ErrorKind::PushTooLarge,
                format!(
                    "the body has {} bytes; at most {} are accepted",
                    body.len(),
                    self.max_body
                ),
            ));
        }
        let verified = match &self.verifier {
            Some(v) => Some(v.verify_headers(headers, now)?),
            None => None,
        };
        let push = match push::parse(body) {
            Ok(p) => p,
            Err(e) => {
                // An unreadable push must be redeliverable once fixed upstream.
                if let (Some(v), Some(ver)) = (&self.verifier, &verified) {
                    v.forget(&ver.nonce);
                }
                return Err(e);
            }
        };
        let keys: Vec<Option<String>> = match &push {
            Push::Cdrs(records) => records
                .iter()
                .map(|r| r.key().map(|k| format!("cdr:{k}")))
                .collect(),
            Push::Call(ev) => vec![
                ev.info
                    .session_id
                    .as_deref()
                    .filter(|s| !s.is_empty())
                    .map(|s| format!("call:{s}:{}", ev.kind.name())),
            ],
            Push::Sms(sms) => vec![sms.key()],
            Push::NumberStatus(_) => vec![None],
        };
        let items = keys
            .into_iter()
            .map(|key| Item {
                duplicate: key.as_deref().is_some_and(|k| self.dedup.contains(k, now)),
                key,
            })
            .collect();
        Ok(Received {
            push,
            verified,
            items,
        })
    }

    /// Remember the items of `received` as processed, so redeliveries are
    /// reported as duplicates. Call it after storing them.
    pub fn commit(&self, received: &Received<'_>, now: i64) {
        for key in received.items.iter().filter_map(|i| i.key.as_deref()) {
            self.dedup.commit(key, now);
        }
    }

    /// Forget that a request's nonce was accepted (when its processing failed
    /// and the host answers with an error so that the platform redelivers it).
    pub fn release(&self, received: &Received<'_>) {
        if let (Some(v), Some(ver)) = (&self.verifier, &received.verified) {
            v.forget(&ver.nonce);
        }
    }

    /// The de-duplication set.
    #[must_use]
    pub fn dedup(&self) -> &Dedup {
        &self.dedup
    }
}
