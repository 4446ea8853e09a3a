//! Verifying X-AKSK / X-WSSE headers on requests the platform sends us.
//!
//! Checks run in this order, and the first failure is reported:
//! 1. a token header is present (`X-AKSK`, else `X-WSSE`)         → `AUTH_MISSING`
//! 2. it parses, with every attribute, and `Authorization` (if
//!    present) names the same scheme                               → `AUTH_MALFORMED`
//! 3. `Username` is our app key                                     → `AUTH_WRONG_KEY`
//! 4. the digest matches (constant-time comparison)                 → `AUTH_BAD_DIGEST`
//! 5. `Created` is inside the freshness window                      → `AUTH_STALE`
//! 6. the nonce was not accepted before                             → `AUTH_REPLAYED`
//!
//! The digest is checked before the time so that a forged request learns
//! nothing about the window.
//!
//! # Freshness and replays, with bounded memory
//!
//! [`Freshness`] remembers the nonces it accepted until they leave the window
//! (after that a replay would be stale anyway). It holds at most
//! `replay_capacity` nonces, as 64-bit keyed hashes. When it is full, the entry
//! with the oldest `Created` is dropped and everything signed at or before that
//! instant is refused as stale from then on: a replay is never accepted, at the
//! price of refusing some late requests under overload (the platform retries
//! pushes it could not deliver, so nothing is lost). Size the capacity above
//! the number of pushes you receive within one window.
//!
//! The platform does not publish a freshness window for its pushes, nor
//! whether a redelivered push is signed anew. The default window therefore
//! accepts `Created` up to six hours in the past (the redelivery schedule spans
//! five hours) and five minutes in the future; tighten it once you know how the
//! platform behaves for your application.
//!
//! A replayed nonce means this exact signed request was accepted before. If
//! that earlier request was processed, acknowledge the replay without
//! processing it again; if processing failed, call [`Verifier::forget`] (or
//! [`Freshness::forget`]) before answering with an error, so that the platform's
//! redelivery is accepted.

use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::hash::{BuildHasher, RandomState};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use hmac::Mac;
use parking_lot::Mutex;
use subtle::ConstantTimeEq;

use super::{Scheme, Signer, parse_created};
use crate::error::{Error, ErrorKind, Result};

/// Settings for a [`Verifier`] or a [`Freshness`] check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VerifierConfig {
    /// How far in the past `Created` may be, in seconds. Default 21 600 (6 h).
    pub max_age_secs: u32,
    /// How far in the future `Created` may be (clock skew), in seconds. Default 300.
    pub max_future_secs: u32,
    /// How many accepted nonces are remembered to detect replays. Default 100 000
    /// (about 6 MB at most). Zero turns replay detection off.
    pub replay_capacity: usize,
    /// Whether the legacy X-WSSE header is accepted. Default true.
    pub accept_wsse: bool,
}

impl Default for VerifierConfig {
    fn default() -> Self {
        Self {
            max_age_secs: 6 * 3600,
            max_future_secs: 300,
            replay_capacity: 100_000,
            accept_wsse: true,
        }
    }
}

/// A successfully verified request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    /// Which header scheme carried the signature.
    pub scheme: Scheme,
    /// The request's nonce.
    pub nonce: String,
    /// The request's `Created` time as Unix seconds.
    pub created: i64,
    /// True when an X-WSSE digest used the non-vendor form (Base64 of the raw
    /// SHA-256 bytes instead of its hex string).
    pub wsse_raw_digest: bool,
}

/// A freshness window plus a bounded replay cache: shared by the header
/// [`Verifier`] and the sorted-parameter verifier. Thread-safe.
pub struct Freshness {
    max_age: i64,
    max_future: i64,
    capacity: usize,
    hasher: RandomState,
    cache: Mutex<ReplayCache>,
}

#[derive(Default)]
struct ReplayCache {
    seen: HashMap<u64, i64>,
    by_time: BTreeSet<(i64, u64)>,
    /// Everything signed at or before this instant is refused (see module docs).
    floor: Option<i64>,
}

impl fmt::Debug for Freshness {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cache = self.cache.lock();
        f.debug_struct("Freshness")
            .field("max_age", &self.max_age)
            .field("max_future", &self.max_future)
            .field("capacity", &self.capacity)
            .field("remembered", &cache.seen.len())
            .field("floor", &cache.floor)
            .finish()
    }
}

impl Freshness {
    /// A window and replay cache with these settings.
    #[must_use]
    pub fn new(config: &VerifierConfig) -> Self {
        Self {
            max_age: i64::from(config.max_age_secs),
            max_future: i64::from(config.max_future_secs),
            capacity: config.replay_capacity,
            hasher: RandomState::new(),
            cache: Mutex::new(ReplayCache::default()),
        }
    }

    /// Check that `created` is inside the window at `now` and that `nonce` was
    /// not accepted before; on success the nonce is remembered.
    pub fn check(&self, nonce: &str, created: i64, now: i64) -> Result<()> {
        self.check_window(created, now)?;
        self.check_replay(nonce, created, now)
    }

    /// Check only that `created` is inside the window at `now`.
    pub fn check_window(&self, created: i64, now: i64) -> Result<()> {
        let age = now.saturating_sub(created);
        if age > self.max_age {
            return Err(Error::new(
                ErrorKind::AuthStale,
                format!("signed {age} s ago; at most {} s is accepted", self.max_age),
            ));
        }
        if -age > self.max_future {
            return Err(Error::new(
                ErrorKind::AuthStale,
                format!(
                    "signed {} s in the future; at most {} s of clock skew is accepted",
                    -age, self.max_future
                ),
            ));
        }
        Ok(())
    }

    fn check_replay(&self, nonce: &str, created: i64, now: i64) -> Result<()> {
        if self.capacity == 0 {
            return Ok(());
        }
        let key = self.hasher.hash_one(nonce.as_bytes());
        let mut cache = self.cache.lock();
        // Forget what has left the window: a replay of it would be stale.
        let horizon = now.saturating_sub(self.max_age);
        while let Some(&(t, k)) = cache.by_time.first() {
            if t >= horizon {
                break;
            }
            cache.by_time.pop_first();
            cache.seen.remove(&k);
        }
        if let Some(floor) = cache.floor {
            if created <= floor {
                return Err(Error::new(
                    ErrorKind::AuthStale,
                    "the replay cache is full and no longer covers requests signed this early \
                     (raise replay_capacity)",
                ));
            }
        }
        if cache.seen.contains_key(&key) {
            return Err(Error::new(
                ErrorKind::AuthReplayed,
                format!("nonce {nonce:?} was already accepted"),
            ));
        }
        if cache.seen.len() >= self.capacity {
            let Some(&(oldest, oldest_key)) = cache.by_time.first() else {
                return Err(Error::from(ErrorKind::Panic));
            };
            if created <= oldest {
                cache.floor = Some(cache.floor.map_or(created, |f| f.max(created)));
                return Err(Error::new(
                    ErrorKind::AuthStale,
                    "the replay cache is full of newer requests (raise replay_capacity)",
                ));
            }
            cache.by_time.pop_first();
            cache.seen.remove(&oldest_key);
            cache.floor = Some(cache.floor.map_or(oldest, |f| f.max(oldest)));
        }
        cache.seen.insert(key, created);
        cache.by_time.insert((created, key));
        Ok(())
    }

    /// Forget an accepted nonce, so that a redelivery of the same request is
    /// accepted again (use it when processing the request failed).
    pub fn forget(&self, nonce: &str) {
        let key = self.hasher.hash_one(nonce.as_bytes());
        let mut cache = self.cache.lock();
        if let Some(created) = cache.seen.remove(&key) {
            cache.by_time.remove(&(created, key));
        }
    }

    /// How many nonces are remembered now.
    #[must_use]
    pub fn remembered(&self) -> usize {
        self.cache.lock().seen.len()
    }
}

/// Verifies the signature headers of requests the platform sends to us.
/// Thread-safe: share one per application (`Arc<Verifier>`).
pub struct Verifier {
    signer: Signer,
    config: VerifierConfig,
    freshness: Freshness,
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("app_key", &self.signer.app_key())
            .field("app_secret", &self.signer.secret)
            .field("config", &self.config)
            .field("freshness", &self.freshness)
            .finish()
    }
}

/// The attributes of a parsed `UsernameToken`.
#[derive(Debug, Default)]
struct Token<'a> {
    username: Option<&'a str>,
    digest: Option<&'a str>,
    nonce: Option<&'a str>,
    created: Option<&'a str>,
}

fn malformed(msg: impl Into<std::borrow::Cow<'static, str>>) -> Error {
    Error::new(ErrorKind::AuthMalformed, msg)
}

/// Parse `UsernameToken Username="…", PasswordDigest="…", Nonce="…", Created="…"`.
/// Attributes may come in any order, separated by `,` with optional spaces;
/// names are case-insensitive; unknown attributes are ignored.
fn parse_token<'a>(header: &str, value: &'a str) -> Result<Token<'a>> {
    let v = value.trim();
    let rest = match v.get(..13) {
        Some(p) if p.eq_ignore_ascii_case("UsernameToken") => &v[13..],
        _ => {
            return Err(malformed(format!(
                "{header} does not start with UsernameToken"
            )));
        }
    };
    let mut token = Token::default();
    let mut rest = rest.trim_start();
    while !rest.is_empty() {
        let eq = rest
            .find('=')
            .ok_or_else(|| malformed(format!("{header}: attribute without '=' near {rest:?}")))?;
        let name = rest[..eq].trim();
        let after = rest[eq + 1..].trim_start();
        let Some(quoted) = after.strip_prefix('"') else {
            return Err(malformed(format!(
                "{header}: value of {name} is not quoted"
            )));
        };
        let end = quoted
            .find('"')
            .ok_or_else(|| malformed(format!("{header}: value of {name} is not closed")))?;
        let val = &quoted[..end];
        let slot = match name.to_ascii_lowercase().as_str() {
            "username" => &mut token.username,
            "passworddigest" => &mut token.digest,
            "nonce" => &mut token.nonce,
            "created" => &mut token.created,
            _ => &mut None,
        };
        if slot.is_some() {
            return Err(malformed(format!("{header}: {name} appears twice")));
        }
        *slot = Some(val);
        rest = quoted[end + 1..].trim_start();
        if let Some(r) = rest.strip_prefix(',') {
            rest = r.trim_start();
        } else if !rest.is_empty() {
            return Err(malformed(format!("{header}: expected ',' after {name}")));
        }
    }
    Ok(token)
}

impl Verifier {
    /// A verifier for the application with this key and secret.
    pub fn new(app_key: &str, app_secret: &str, config: VerifierConfig) -> Result<Self> {
        Ok(Self {
            signer: Signer::new(app_key, app_secret)?,
            config,
            freshness: Freshness::new(&config),
        })
    }

    /// Verify a request from its headers (names are case-insensitive). `X-AKSK`
    /// is used when present, else `X-WSSE`; `Authorization`, when present,
    /// must name the same scheme. `now` is Unix seconds.
    pub fn verify_headers<'a, I>(&self, headers: I, now: i64) -> Result<Verified>
    where
        I: IntoIterator<Item = (&'a str, &'a str)>,
    {
        let (mut aksk, mut wsse, mut auth) = (None, None, None);
        for (name, value) in headers {
            let name = name.trim();
            let slot = if name.eq_ignore_ascii_case("x-aksk") {
                &mut aksk
            } else if name.eq_ignore_ascii_case("x-wsse") {
                &mut wsse
            } else if name.eq_ignore_ascii_case("authorization") {
                &mut auth
            } else {
                continue;
            };
            if slot.is_some() {
                return Err(malformed(format!("header {name} appears twice")));
            }
            *slot = Some(value);
        }
        match (aksk, wsse) {
            (Some(v), _) => self.verify(Scheme::Aksk, v, auth, now),
            (None, Some(v)) => self.verify(Scheme::Wsse, v, auth, now),
            (None, None) => Err(Error::new(
                ErrorKind::AuthMissing,
                "the request carries neither an X-AKSK nor an X-WSSE header",
            )),
        }
    }

    /// Verify one token header value of `scheme`; `authorization` is the
    /// `Authorization` header if the request had one.
    pub fn verify(
        &self,
        scheme: Scheme,
        value: &str,
        authorization: Option<&str>,
        now: i64,
    ) -> Result<Verified> {
        let header = scheme.header_name();
        if scheme == Scheme::Wsse && !self.config.accept_wsse {
            return Err(Error::new(
                ErrorKind::AuthMissing,
                "X-WSSE is not accepted by this verifier and there is no X-AKSK header",
            ));
        }
        if let Some(auth) = authorization {
            let word = auth.trim_start().split([' ', '\t']).next().unwrap_or("");
            if !word.eq_ignore_ascii_case(scheme.auth_word()) {
                return Err(malformed(format!(
                    "Authorization names scheme {word:?} but the request carries {header}"
                )));
            }
        }
        let token = parse_token(header, value)?;
        let username = token
            .username
            .ok_or_else(|| malformed(format!("{header} has no Username")))?;
        let digest = token
            .digest
            .ok_or_else(|| malformed(format!("{header} has no PasswordDigest")))?;
        let nonce = token
            .nonce
            .ok_or_else(|| malformed(format!("{header} has no Nonce")))?;
        let created = token
            .created
            .ok_or_else(|| malformed(format!("{header} has no Created")))?;
        super::check_nonce(nonce).map_err(|e| malformed(format!("{header}: {}", e.message())))?;
        let created_unix =
            parse_created(created).map_err(|e| malformed(format!("{header}: {}", e.message())))?;
        if !bool::from(username.as_bytes().ct_eq(self.signer.app_key().as_bytes())) {
            return Err(Error::new(
                ErrorKind::AuthWrongKey,
                format!("{header} is for another app key"),
            ));
        }
        let given = B64
            .decode(digest)
            .map_err(|_| malformed(format!("{header}: PasswordDigest is not Base64")))?;
        let mut wsse_raw_digest = false;
        let ok = match scheme {
            Scheme::Aksk => {
                let mut mac = self.signer.mac.clone();
                mac.update(nonce.as_bytes());
                mac.update(created.as_bytes());
                mac.verify_slice(&given).is_ok()
            }
            Scheme::Wsse => {
                if given.len() == 32 {
                    wsse_raw_digest = true;
                    bool::from(self.signer.wsse_sha(nonce, created).ct_eq(&given))
                } else {
                    // Hex digits are compared case-insensitively: lower-case the input.
                    let lowered: Vec<u8> = given.iter().map(u8::to_ascii_lowercase).collect();
                    bool::from(self.signer.wsse_hex(nonce, created).ct_eq(&lowered))
                }
            }
        };
        if !ok {
            return Err(Error::new(
                ErrorKind::AuthBadDigest,
                format!("{header}: PasswordDigest does not match (wrong secret or altered token)"),
            ));
        }
        self.freshness.check(nonce, created_unix, now)?;
        Ok(Verified {
            scheme,
            nonce: nonce.to_owned(),
            created: created_unix,
            wsse_raw_digest,
        })
    }

    /// The settings this verifier was built with.
    #[must_use]
    pub fn config(&self) -> VerifierConfig {
        self.config
    }

    /// The application key requests must name.
    #[must_use]
    pub fn app_key(&self) -> &str {
        self.signer.app_key()
    }

    /// Forget an accepted nonce (see the module docs on replays).
    pub fn forget(&self, nonce: &str) {
        self.freshness.forget(nonce);
    }

    /// The freshness window and replay cache.
    #[must_use]
    pub fn freshness(&self) -> &Freshness {
        &self.freshness
    }
}
