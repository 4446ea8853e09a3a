//! The blocking [`Client`]: sends any [`Operation`] through a [`Transport`],
//! signing every attempt afresh and retrying only when that is safe.
//!
//! ```text
//!  op ──prepare──▶ Prepared ─┬─▶ sign_at(clock, new nonce) ─▶ Transport::send ─▶ parse ─▶ Ok(output)
//!                            │                                                        │
//!                            └──── sleep(backoff) ◀── retry? (the rules below) ◀───────┘
//! ```
//!
//! # When a request is sent again
//!
//! Each attempt ends in one of four ways, and only the first two may lead
//! to the same request being sent again:
//!
//! | attempt ended with | any operation | idempotent (query, unbind, modify) | not idempotent (bind) |
//! |---|---|---|---|
//! | certainly not sent ([`Failure::NotSent`]) | retry with backoff | | |
//! | throttled ([`ErrorKind::PlatformThrottled`]) | wait [`RetryPolicy::throttle_backoff`], retry | | |
//! | outcome unknown ([`Failure::MaybeSent`], [`ErrorKind::PlatformRetry`]) | | retry with backoff | **settle** (below) |
//! | anything else (success, a refusal, an unreadable answer) | return it at once | | |
//!
//! A throttled request was not processed, so even a bind is sent again.
//! [`ErrorKind::PlatformRetry`] codes that the specification says to resend
//! only once (1023002, response timeout) are retried only once
//! ([`ResultCode::max_retries`]). Every attempt counts against
//! [`RetryPolicy::max_attempts`]; when they run out, the last error is
//! returned, its message saying how many attempts were made.
//!
//! # Settling a bind whose outcome is unknown
//!
//! A bind that timed out may have bound. Sending it again blindly either
//! fails with 1012010 (already bound) or, worse, binds a second X. So a
//! bind is never re-sent after an unknown outcome; [`Client::call_settled`]
//! asks the platform instead, with the query the operation describes
//! ([`Settle`]):
//!
//! | bind | settled by | only when |
//! |---|---|---|
//! | [`AxbBind`] | the bindings of A and B on the bind's X | the bind named X |
//! | [`AxBind`] | the binding of the bind's X, else the bindings of A | always (without X: A holds nothing, or a unique `userData` tells) |
//! | [`AxeBind`] | the binding of the bind's X and extension | the bind named X and the extension |
//! | [`AxybBindYb`] | the relations of the AX binding (`numB`) | always |
//! | [`AxybBindAx`] | — (X is chosen by the platform and AXYB cannot be listed by A) | never |
//!
//! * the binding is there: the call succeeds with it;
//! * nothing is bound: the bind is sent again, **once** (if that attempt's
//!   outcome is unknown too, it is settled again);
//! * it cannot be told (the bind named no X, the query failed, the answer
//!   is ambiguous): [`ErrorKind::OutcomeUnknown`], whose message says why
//!   and what to do.
//!
//! [`Client::call`] does not settle: for a bind whose outcome is unknown it
//! returns [`ErrorKind::OutcomeUnknown`] at once.
//!
//! With either method, **for a bind every error except `OUTCOME_UNKNOWN`
//! means it did not bind**. An idempotent operation that ran out of attempts
//! with [`ErrorKind::TransportNoResponse`] or [`ErrorKind::PlatformRetry`]
//! may have taken effect, and sending it again later is safe.
//!
//! # Time
//!
//! Signing times, waits and the randomness of jitter come from a [`Clock`]
//! ([`SystemClock`] by default); tests inject their own, so retries run
//! instantly and back-off sequences are exact.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::ax::{AxBind, AxBindings, AxBound, AxQuery, AxRecord};
use super::axb::{AxbBind, AxbBindings, AxbBound, AxbQuery, AxbRecord};
use super::axe::{AxeBind, AxeBound, AxeQuery, AxeRecord};
use super::axyb::{
    AxybBindAx, AxybBindYb, AxybBindings, AxybBound, AxybQuery, AxybQueryBy, AxybRecord,
};
use super::transport::{Failure, Transport};
use super::{Operation, Prepared, WireNumber, sign_at};
use crate::callback::codes::{Action, ResultCode};
use crate::error::{Error, ErrorKind, Result};
use crate::number::Number;
use crate::sign::Signer;

// ---------------------------------------------------------------------------
// Clock
// ---------------------------------------------------------------------------

/// Where the [`Client`] gets the time to sign with, how it waits, and the
/// randomness of jitter. [`SystemClock`] is the real one; tests implement
/// their own so that retries run instantly and deterministically.
pub trait Clock: Send + Sync {
    /// Now, in seconds since the Unix epoch (the `Created` of signatures).
    fn unix_now(&self) -> Result<i64>;

    /// Block the calling thread for `duration`.
    fn sleep(&self, duration: Duration);

    /// A random number in `[0, 1)` for jitter; values outside are clamped.
    /// The default reads the operating system's random source (and gives 0,
    /// no jitter, if that fails).
    fn jitter(&self) -> f64 {
        let mut bytes = [0u8; 8];
        if getrandom::fill(&mut bytes).is_err() {
            return 0.0;
        }
        // 53 random bits, the precision of an f64 in [0, 1); both
        // conversions are exact.
        let bits = u64::from_le_bytes(bytes) >> 11;
        bits as f64 / (1u64 << 53) as f64
    }
}

/// The system clock, `std::thread::sleep` and the OS random source.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn unix_now(&self) -> Result<i64> {
        crate::sign::unix_now()
    }

    fn sleep(&self, duration: Duration) {
        std::thread::sleep(duration);
    }
}

// ---------------------------------------------------------------------------
// Retry policy
// ---------------------------------------------------------------------------

/// How many times, and how long to wait between attempts.
///
/// Start from `RetryPolicy::default()` (or [`RetryPolicy::no_retries`]) and
/// change fields. Out-of-range values never panic: `max_attempts` 0 counts
/// as 1, `jitter` is clamped to `0.0..=1.0` (NaN as 0), waits saturate.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Most times one operation is sent per call, the first included
    /// (default 3). Settling queries are separate calls with their own
    /// attempts.
    pub max_attempts: u32,
    /// Wait before the first retry (default 250 ms); it doubles for each
    /// further retry, up to [`RetryPolicy::max_backoff`].
    pub initial_backoff: Duration,
    /// Longest wait between two attempts, jitter included (default 5 s);
    /// not applied to [`RetryPolicy::throttle_backoff`].
    pub max_backoff: Duration,
    /// Wait after the platform throttled a request (default 60 s,
    /// [`Action::BACK_OFF_SECS`]: the platform asks for about a minute).
    pub throttle_backoff: Duration,
    /// How much of each wait is random (default 0.5): a back-off `d` becomes
    /// a wait between `(1 - jitter) × d` and `d`; a throttle wait `t` one
    /// between `t` and `(1 + jitter / 2) × t`, never shorter than asked.
    pub jitter: f64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(5),
            throttle_backoff: Duration::from_secs(Action::BACK_OFF_SECS),
            jitter: 0.5,
        }
    }
}

impl RetryPolicy {
    /// Send each operation once; an unknown outcome of a bind is still
    /// settled by [`Client::call_settled`], but nothing is re-sent.
    #[must_use]
    pub fn no_retries() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    fn jitter_fraction(&self) -> f64 {
        if self.jitter.is_nan() {
            0.0
        } else {
            self.jitter.clamp(0.0, 1.0)
        }
    }

    /// The wait before retry number `retry` (1 for the first retry) with
    /// the random number `random` in `[0, 1)`:
    /// `min(initial_backoff × 2^(retry-1), max_backoff) × (1 - jitter × random)`.
    #[must_use]
    pub fn backoff(&self, retry: u32, random: f64) -> Duration {
        let doublings = retry.saturating_sub(1).min(31);
        let base = self
            .initial_backoff
            .saturating_mul(1u32 << doublings)
            .min(self.max_backoff);
        scale(base, 1.0 - self.jitter_fraction() * unit(random))
    }

    /// The wait after a throttled attempt, with the random number `random`
    /// in `[0, 1)`: `throttle_backoff × (1 + jitter × random / 2)`.
    #[must_use]
    pub fn throttle_wait(&self, random: f64) -> Duration {
        scale(
            self.throttle_backoff,
            1.0 + self.jitter_fraction() * unit(random) / 2.0,
        )
    }
}

/// `random` clamped to `[0, 1]` (NaN as 0).
fn unit(random: f64) -> f64 {
    if random.is_nan() {
        0.0
    } else {
        random.clamp(0.0, 1.0)
    }
}

/// `d × factor` (factor ≥ 0), saturating.
fn scale(d: Duration, factor: f64) -> Duration {
    if factor == 1.0 {
        return d;
    }
    Duration::try_from_secs_f64(d.as_secs_f64() * factor).unwrap_or(Duration::MAX)
}

// ---------------------------------------------------------------------------
// Settling
// ---------------------------------------------------------------------------

/// What a query says about an operation whose outcome was unknown.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Settlement<T> {
    /// It took effect; this is its output.
    Done(T),
    /// It certainly did not take effect: it may be sent again.
    NotDone,
    /// The answer does not tell (why, for the error message).
    Unsettled(Cow<'static, str>),
}

/// A non-idempotent operation whose unknown outcome can be settled by a
/// query: which query finds what it would have made, and how to read that
/// query's answer. [`Client::call_settled`] uses it.
pub trait Settle: Operation {
    /// The (idempotent) query that looks for the operation's effect.
    type Query: Operation;

    /// The query to send, or why there is none (the error message says it).
    fn settle_query(&self) -> std::result::Result<Self::Query, Cow<'static, str>>;

    /// Read the query's answer (or its error): [`Settlement::Done`] with
    /// the output the operation would have given, [`Settlement::NotDone`],
    /// or [`Settlement::Unsettled`]. An `Err` is a definitive failure of the
    /// operation (for example it could not have taken effect because
    /// something else holds its place).
    fn settle(
        &self,
        answer: Result<<Self::Query as Operation>::Output>,
    ) -> Result<Settlement<Self::Output>>;
}

/// An AXB bind is settled by querying its X for A and B (PN §12: "first
/// query by X/A/B to see whether the binding was created"); only possible
/// when the bind named X (`relation_num`).
///
/// * The query finds the binding of A and B on X: done, with its
///   `subscriptionId` and settings. (A binding of A and B on X that existed
///   before the call is found too: the platform allows only one.) If the
///   bind set `userData` and the binding found carries another, it is not
///   this bind's: the bind cannot have bound (the platform refuses a second
///   binding of A or B on one X), so the result is
///   [`ErrorKind::PlatformConflict`] with code 1012010.
/// * The query answers "not found" ([`ErrorKind::PlatformNotFound`]) or an
///   empty list: not done.
/// * Anything else (a failed query, unreadable entries, more pages, several
///   matches, no `subscriptionId`): unsettled.
impl Settle for AxbBind {
    type Query = AxbQuery;

    fn settle_query(&self) -> std::result::Result<AxbQuery, Cow<'static, str>> {
        let x = self.relation_num.ok_or(Cow::Borrowed(
            "the bind named no X (relationNum), and bindings can only be looked up on a given X",
        ))?;
        Ok(AxbQuery::OnX {
            relation_num: x,
            caller_num: Some(self.caller_num),
            callee_num: Some(self.callee_num),
            page_index: None,
            page_size: None,
        })
    }

    fn settle(&self, answer: Result<AxbBindings>) -> Result<Settlement<AxbBound>> {
        let Some(x) = self.relation_num else {
            return Ok(Settlement::Unsettled(Cow::Borrowed(
                "the bind named no X (relationNum)",
            )));
        };
        let list = match answer {
            Ok(list) => list,
            Err(e) if e.kind() == ErrorKind::PlatformNotFound => return Ok(Settlement::NotDone),
            Err(e) => {
                return Ok(Settlement::Unsettled(Cow::Owned(format!(
                    "the query for A and B on X failed ({e})"
                ))));
            }
        };
        let same = |reported: &Option<WireNumber>, n: Number| {
            reported.as_ref().is_none_or(|w| w.number() == Some(n))
        };
        let found: Vec<&AxbRecord> = list
            .bindings
            .iter()
            .filter(|r| {
                same(&r.caller_num, self.caller_num)
                    && same(&r.callee_num, self.callee_num)
                    && same(&r.relation_num, x)
            })
            .collect();
        let shown = u64::try_from(list.bindings.len()).unwrap_or(u64::MAX);
        let unsettled = |why: &'static str| Ok(Settlement::Unsettled(Cow::Borrowed(why)));
        match found.as_slice() {
            [] if list.skipped > 0 => {
                unsettled("the query's answer has entries privnum cannot read")
            }
            [] if list.total_count.is_some_and(|t| t > shown) => {
                unsettled("the query's answer has more pages")
            }
            [] => Ok(Settlement::NotDone),
            [r] => {
                if let (Some(mine), Some(theirs)) = (&self.user_data, &r.user_data) {
                    if mine != theirs {
                        return Err(Error::new(
                            ErrorKind::PlatformConflict,
                            "A and B are already bound on X by another binding (its userData \
                             differs), so this bind did not bind: the platform refuses a second \
                             binding of A or B on one X (1012010)",
                        )
                        .with_platform_code("1012010"));
                    }
                }
                let Some(subscription_id) = r.subscription_id.clone() else {
                    return unsettled(
                        "a binding of A and B on X exists, but the query's answer gives no \
                         subscriptionId",
                    );
                };
                Ok(Settlement::Done(AxbBound {
                    subscription_id,
                    relation_num: r.relation_num.clone().or(Some(WireNumber::Parsed(x))),
                    caller_num: r.caller_num.clone(),
                    callee_num: r.callee_num.clone(),
                    call_direction: r.call_direction,
                    duration: r.duration,
                    max_duration: r.max_duration,
                    pre_voice: r.pre_voice.clone(),
                }))
            }
            _ => unsettled("several bindings of A and B on X were listed"),
        }
    }
}

/// Whether a number the platform reported is `n` (an absent one counts as
/// the same: the query was narrowed to it).
fn reported_is(reported: Option<&WireNumber>, n: Number) -> bool {
    reported.is_none_or(|w| w.number() == Some(n))
}

/// Whether a number the platform reported is another number than `n` (one
/// that did not parse counts as another).
fn reported_other(reported: Option<&WireNumber>, n: Number) -> bool {
    reported.is_some_and(|w| w.number() != Some(n))
}

/// The conflict a settling query proves: the place this bind would have
/// taken is held by another binding, so the bind did not bind.
fn held_by_another(code: &'static str, message: &'static str) -> Error {
    Error::new(ErrorKind::PlatformConflict, message).with_platform_code(code)
}

/// "Not found" settles a bind as not done; any other failed query leaves it
/// unsettled.
fn failed_query<T, U>(answer: Result<T>, what: &str) -> std::result::Result<T, Settlement<U>> {
    match answer {
        Ok(out) => Ok(out),
        Err(e) if e.kind() == ErrorKind::PlatformNotFound => Err(Settlement::NotDone),
        Err(e) => Err(Settlement::Unsettled(Cow::Owned(format!(
            "the query for {what} failed ({e})"
        )))),
    }
}

/// An AX bind is settled by querying its X (`privateNum`) when it named
/// one, else the bindings of A (`origNum`) (PN §4.4).
///
/// With X: one X belongs to one A, so
/// * a binding of A on X: done (with another `userData` than the bind's:
///   [`ErrorKind::PlatformConflict`] 1011005, it is not this bind's);
/// * a binding of another A on X: [`ErrorKind::PlatformConflict`] 1011005
///   (X is allocated, the bind could not have bound);
/// * nothing on X ("not found" or an empty list): not done.
///
/// Without X (the platform chose it from an area):
/// * A holds no binding: not done;
/// * the bind set `userData` and exactly one binding of A carries it: done;
///   none does while the answer shows other `userData` values (so the
///   platform reports it): not done;
/// * otherwise (no `userData` on the bind, or none in the answer): it
///   cannot be told which of A's bindings, if any, this bind made:
///   unsettled. Give X, or a unique `userData`, to make AX binds settle.
impl Settle for AxBind {
    type Query = AxQuery;

    fn settle_query(&self) -> std::result::Result<AxQuery, Cow<'static, str>> {
        Ok(match self.private_num {
            Some(x) => AxQuery::ByPrivateNum(x),
            None => AxQuery::ByOrigNum(self.orig_num),
        })
    }

    fn settle(&self, answer: Result<AxBindings>) -> Result<Settlement<AxBound>> {
        let what = if self.private_num.is_some() {
            "the binding of X"
        } else {
            "the bindings of A"
        };
        let list = match failed_query(answer, what) {
            Ok(list) => list,
            Err(settlement) => return Ok(settlement),
        };
        let unsettled = |why: &'static str| Ok(Settlement::Unsettled(Cow::Borrowed(why)));
        if list.skipped > 0 {
            return unsettled("the query's answer has entries privnum cannot read");
        }
        let a = self.orig_num;
        let done = |r: &AxRecord| -> Result<Settlement<AxBound>> {
            let Some(subscription_id) = r.subscription_id.clone() else {
                return unsettled("a binding was found, but the answer gives no subscriptionId");
            };
            Ok(Settlement::Done(AxBound {
                subscription_id,
                private_num: r
                    .private_num
                    .clone()
                    .or_else(|| self.private_num.map(WireNumber::Parsed)),
                orig_num: r.orig_num.clone().or(Some(WireNumber::Parsed(a))),
            }))
        };
        if let Some(x) = self.private_num {
            let on_x: Vec<&AxRecord> = list
                .bindings
                .iter()
                .filter(|r| reported_is(r.private_num.as_ref(), x))
                .collect();
            return match on_x.as_slice() {
                [] => Ok(Settlement::NotDone),
                [r] if reported_other(r.orig_num.as_ref(), a) => Err(held_by_another(
                    "1011005",
                    "X is bound to another A, so this bind did not bind: one X belongs to \
                     one A (1011005)",
                )),
                [r] if r.orig_num.is_none() => {
                    unsettled("a binding on X was found, but the answer does not say whose")
                }
                [r] => {
                    if let (Some(mine), Some(theirs)) = (&self.user_data, &r.user_data) {
                        if mine != theirs {
                            return Err(held_by_another(
                                "1011005",
                                "A is already bound on X by another binding (its userData \
                                 differs), so this bind did not bind (1011005)",
                            ));
                        }
                    }
                    done(r)
                }
                _ => unsettled("several bindings on X were listed"),
            };
        }
        let of_a: Vec<&AxRecord> = list
            .bindings
            .iter()
            .filter(|r| reported_is(r.orig_num.as_ref(), a))
            .collect();
        let shown = u64::try_from(list.bindings.len()).unwrap_or(u64::MAX);
        if of_a.is_empty() {
            if list.total_count.is_some_and(|t| t > shown) {
                return unsettled("the query's answer has more pages");
            }
            return Ok(Settlement::NotDone);
        }
        let Some(mine) = &self.user_data else {
            return unsettled(
                "A already holds bindings, and the bind named neither X nor userData to tell \
                 whether one of them is this bind's",
            );
        };
        let matching: Vec<&&AxRecord> = of_a
            .iter()
            .filter(|r| r.user_data.as_deref() == Some(mine.as_str()))
            .collect();
        match matching.as_slice() {
            [r] => done(r),
            [] if of_a.iter().any(|r| r.user_data.is_some()) => Ok(Settlement::NotDone),
            [] => unsettled(
                "A already holds bindings, and the answer shows no userData to tell whether one \
                 of them is this bind's",
            ),
            _ => unsettled("several bindings of A carry the bind's userData"),
        }
    }
}

/// An AXE bind is settled by querying the extension on its X
/// (`virtualNum` + `extendNum`, PN §5.4); only possible when the bind named
/// both, since AXE bindings cannot be listed by X or by A.
///
/// * The extension is bound to A: done (with another `userData` than the
///   bind's: [`ErrorKind::PlatformConflict`] 1013102).
/// * It is bound to another A: [`ErrorKind::PlatformConflict`] 1013102
///   (the extension is taken, so the bind could not have bound).
/// * "Not found": not done.
/// * Anything else (a failed query, an answer without the binding's
///   `subscriptionId` or A): unsettled.
impl Settle for AxeBind {
    type Query = AxeQuery;

    fn settle_query(&self) -> std::result::Result<AxeQuery, Cow<'static, str>> {
        match (self.virtual_num, self.extend_num.as_deref()) {
            (Some(virtual_num), Some(e)) if !e.is_empty() => Ok(AxeQuery::ByExtension {
                virtual_num,
                extend_num: e.to_owned(),
            }),
            _ => Err(Cow::Borrowed(
                "the bind did not name both X (virtualNum) and the extension (extendNum), and \
                 AXE bindings can only be looked up by subscriptionId or by X and extension",
            )),
        }
    }

    fn settle(&self, answer: Result<AxeRecord>) -> Result<Settlement<AxeBound>> {
        let (x, ext) = match self.settle_query() {
            Ok(AxeQuery::ByExtension {
                virtual_num,
                extend_num,
            }) => (virtual_num, extend_num),
            Ok(AxeQuery::BySubscriptionId(_)) | Err(_) => {
                return Ok(Settlement::Unsettled(Cow::Borrowed(
                    "the bind did not name both X and the extension",
                )));
            }
        };
        let r = match failed_query(answer, "the extension on X") {
            Ok(r) => r,
            Err(settlement) => return Ok(settlement),
        };
        let unsettled = |why: &'static str| Ok(Settlement::Unsettled(Cow::Borrowed(why)));
        if r.subscription_id.is_none() && r.bind_num.is_none() {
            return unsettled("the query's answer describes no binding");
        }
        if reported_other(r.virtual_num.as_ref(), x)
            || r.extend_num.as_deref().is_some_and(|e| e != ext)
        {
            return unsettled("the query's answer is for another extension");
        }
        if reported_other(r.bind_num.as_ref(), self.bind_num) {
            return Err(held_by_another(
                "1013102",
                "the extension is bound to another A, so this bind did not bind (1013102)",
            ));
        }
        if r.bind_num.is_none() {
            return unsettled("the extension is bound, but the answer does not say to whom");
        }
        if let (Some(mine), Some(theirs)) = (&self.user_data, &r.user_data) {
            if mine != theirs {
                return Err(held_by_another(
                    "1013102",
                    "A is already bound on the extension by another binding (its userData \
                     differs), so this bind did not bind (1013102)",
                ));
            }
        }
        let Some(subscription_id) = r.subscription_id else {
            return unsettled("the extension is bound, but the answer gives no subscriptionId");
        };
        Ok(Settlement::Done(AxeBound {
            subscription_id,
            virtual_num: r.virtual_num.or(Some(WireNumber::Parsed(x))),
            extend_num: r.extend_num.or(Some(ext)),
            bind_num: r.bind_num,
        }))
    }
}

/// Why an AXYB AX bind cannot be settled.
const AXYB_AX_UNSETTLED: &str = "an AXYB AX bind names no X (the platform chooses one in the \
     area), and AXYB bindings can only be looked up by subscriptionId or by X";

/// An AXYB AX bind cannot be settled: it names only A and an area, and the
/// platform lists AXYB bindings only by `subscriptionId` or by X (PN §6.4).
/// [`Settle::settle_query`] says so, and an unknown outcome is
/// [`ErrorKind::OutcomeUnknown`].
impl Settle for AxybBindAx {
    type Query = AxybQuery;

    fn settle_query(&self) -> std::result::Result<AxybQuery, Cow<'static, str>> {
        Err(Cow::Borrowed(AXYB_AX_UNSETTLED))
    }

    fn settle(&self, _answer: Result<AxybBindings>) -> Result<Settlement<AxybBound>> {
        Ok(Settlement::Unsettled(Cow::Borrowed(AXYB_AX_UNSETTLED)))
    }
}

/// The most relations one AXYB query answer lists (`xyRelationNumInfo[1-5]`,
/// PN §6.4): a full answer may leave some out.
const AXYB_LIST_MAX: usize = 5;

/// An AXYB YB bind is settled by querying its AX binding
/// (`subscriptionId`, PN §6.4), whose relations list B (`numB`) and Y
/// (`numY`):
///
/// * a relation of B: done, with its Y (the answer's `subscriptionId` is
///   the AX binding's, as the bind's own answer gives it);
/// * no relation of B, or "not found" (no such AX binding): not done;
/// * a failed query, unreadable entries, a relation without Y, several
///   relations of B, or a full list (five relations) without B: unsettled.
impl Settle for AxybBindYb {
    type Query = AxybQuery;

    fn settle_query(&self) -> std::result::Result<AxybQuery, Cow<'static, str>> {
        Ok(AxybQuery::new(
            self.app_key.clone(),
            AxybQueryBy::SubscriptionId(self.subscription_id.clone()),
        ))
    }

    fn settle(&self, answer: Result<AxybBindings>) -> Result<Settlement<AxybBound>> {
        let list = match failed_query(answer, "the AX binding's relations") {
            Ok(list) => list,
            Err(settlement) => return Ok(settlement),
        };
        let unsettled = |why: &'static str| Ok(Settlement::Unsettled(Cow::Borrowed(why)));
        if list.skipped > 0 {
            return unsettled("the query's answer has entries privnum cannot read");
        }
        let of_b: Vec<&AxybRecord> = list
            .bindings
            .iter()
            .filter(|r| r.num_b.as_ref().and_then(WireNumber::number) == Some(self.orig_num))
            .collect();
        match of_b.as_slice() {
            [] if list.bindings.len() >= AXYB_LIST_MAX => unsettled(
                "the query's answer lists its maximum of relations, and B may be left out",
            ),
            [] => Ok(Settlement::NotDone),
            [r] => match &r.num_y {
                Some(y) => Ok(Settlement::Done(AxybBound {
                    subscription_id: self.subscription_id.clone(),
                    relation_number: Some(y.clone()),
                })),
                None => unsettled("B's relation was found, but the answer gives no Y (numY)"),
            },
            _ => unsettled("several relations of B were listed"),
        }
    }
}

// ---------------------------------------------------------------------------
// Client
// ---------------------------------------------------------------------------

/// A blocking platform API client: base URL, [`Signer`], [`Transport`],
/// [`RetryPolicy`] and [`Clock`]. Cheap to clone and safe to share between
/// threads (`Send + Sync`); each call blocks its thread.
///
/// ```no_run
/// use privnum::client::axb::{AxbBind, AxbQuery};
/// use privnum::client::retry::Client;
/// use privnum::{ErrorKind, Signer, number};
///
/// let signer = Signer::new("app key", "app secret")?;
/// let client = Client::new("https://rtcpns.cn-north-1.myhuaweicloud.com", signer)?;
///
/// let mut bind = AxbBind::new(number::parse("+8613800000001")?, number::parse("+8613900000002")?);
/// bind.relation_num = Some(number::parse("+8617000000010")?); // lets an unknown outcome be settled
/// match client.call_settled(&bind) {
///     Ok(bound) => println!("bound: {}", bound.subscription_id),
///     Err(e) if e.kind() == ErrorKind::OutcomeUnknown => { /* look it up before binding again */ }
///     Err(e) => return Err(e), // did not bind
/// }
/// let on_x = client.call(&AxbQuery::on_x(number::parse("+8617000000010")?))?;
/// # Ok::<(), privnum::Error>(())
/// ```
#[derive(Clone)]
pub struct Client {
    base_url: String,
    signer: Signer,
    transport: Arc<dyn Transport>,
    policy: RetryPolicy,
    clock: Arc<dyn Clock>,
}

/// How one attempt ended, for the retry loop.
enum Step<T> {
    /// Return this.
    Done(Result<T>),
    /// Safe to send again (after a wait).
    Retry {
        error: Error,
        throttled: bool,
        /// At most this many retries for this answer's result code.
        limit: Option<u32>,
    },
    /// It may or may not have taken effect, and may not be re-sent blindly.
    Unknown(Error),
}

impl Client {
    /// A client on the default transport ([`UreqTransport`] with
    /// [`TransportConfig::default`]), the default [`RetryPolicy`] and the
    /// system clock.
    ///
    /// `base_url` is the application's access address (`https://host[:port]`,
    /// a trailing `/` is ignored); a malformed one is
    /// [`ErrorKind::InvalidArgument`].
    ///
    /// [`UreqTransport`]: super::transport::UreqTransport
    /// [`TransportConfig::default`]: super::transport::TransportConfig
    #[cfg(feature = "http")]
    pub fn new(base_url: impl Into<String>, signer: Signer) -> Result<Self> {
        Self::with_transport(base_url, signer, super::transport::UreqTransport::default())
    }

    /// A client that sends through `transport` (the host's own HTTP stack,
    /// or a [`UreqTransport`](super::transport::UreqTransport) with other
    /// settings). Pass an `Arc` to share one transport between clients.
    pub fn with_transport(
        base_url: impl Into<String>,
        signer: Signer,
        transport: impl Transport + 'static,
    ) -> Result<Self> {
        Ok(Self {
            base_url: check_base_url(base_url.into())?,
            signer,
            transport: Arc::new(transport),
            policy: RetryPolicy::default(),
            clock: Arc::new(SystemClock),
        })
    }

    /// The same client with another retry policy.
    #[must_use]
    pub fn with_policy(mut self, policy: RetryPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// The same client with another clock (tests).
    #[must_use]
    pub fn with_clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// The base URL, without a trailing `/`.
    #[must_use]
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The retry policy.
    #[must_use]
    pub fn policy(&self) -> &RetryPolicy {
        &self.policy
    }

    /// The application key requests are signed with (AXYB operations also
    /// carry it as `app_key`).
    #[must_use]
    pub fn app_key(&self) -> &str {
        self.signer.app_key()
    }

    /// Now, in Unix seconds, from the client's [`Clock`]; a clock before
    /// 1970 is [`ErrorKind::InvalidArgument`].
    pub fn unix_now(&self) -> Result<u64> {
        let now = self.clock.unix_now()?;
        u64::try_from(now).map_err(|_| {
            Error::new(
                ErrorKind::InvalidArgument,
                "the clock reads a time before 1970",
            )
        })
    }

    /// Send `op` and read its answer, retrying as the module documentation
    /// says. An idempotent operation is retried after any failure whose
    /// outcome is unknown; a non-idempotent one (a bind) is not, and such a
    /// failure is [`ErrorKind::OutcomeUnknown`]: use
    /// [`Client::call_settled`] for binds.
    ///
    /// Errors: those of [`Operation::prepare`] (nothing is sent), the
    /// platform's (`PLATFORM_*`), [`ErrorKind::ResponseInvalid`],
    /// [`ErrorKind::TransportNotSent`] and
    /// [`ErrorKind::TransportNoResponse`] once the attempts run out, and
    /// [`ErrorKind::OutcomeUnknown`].
    pub fn call<O: Operation>(&self, op: &O) -> Result<O::Output> {
        self.run(op, None)
    }

    /// Like [`Client::call`], but an attempt whose outcome is unknown is
    /// settled by the query the operation describes ([`Settle`]): the
    /// operation's output if it took effect, one more attempt if it did not,
    /// [`ErrorKind::OutcomeUnknown`] if that cannot be told.
    pub fn call_settled<O: Settle>(&self, op: &O) -> Result<O::Output> {
        let settle = || -> Result<Settlement<O::Output>> {
            match op.settle_query() {
                Ok(query) => op.settle(self.call(&query)),
                Err(why) => Ok(Settlement::Unsettled(why)),
            }
        };
        self.run(op, Some(&settle))
    }

    fn run<O: Operation>(
        &self,
        op: &O,
        settle: Option<&dyn Fn() -> Result<Settlement<O::Output>>>,
    ) -> Result<O::Output> {
        let prepared = op.prepare()?;
        let max_attempts = self.policy.max_attempts.max(1);
        let mut attempts = 0u32;
        let mut backoffs = 0u32;
        let mut code_retries = 0u32;
        let mut resent = false;
        loop {
            attempts += 1;
            let wait = match self.attempt(op, &prepared) {
                Step::Done(result) => return result,
                Step::Retry {
                    error,
                    throttled,
                    limit,
                } => {
                    if attempts >= max_attempts {
                        return Err(gave_up(error, attempts));
                    }
                    if let Some(limit) = limit {
                        code_retries += 1;
                        if code_retries > limit {
                            return Err(gave_up(error, attempts));
                        }
                    }
                    if throttled {
                        self.policy.throttle_wait(self.clock.jitter())
                    } else {
                        backoffs += 1;
                        self.policy.backoff(backoffs, self.clock.jitter())
                    }
                }
                Step::Unknown(error) => {
                    let Some(settle) = settle else {
                        return Err(outcome_unknown(
                            op.name(),
                            &error,
                            "Client::call does not settle an operation that is not idempotent \
                             (Client::call_settled does)",
                        ));
                    };
                    match settle()? {
                        Settlement::Done(output) => return Ok(output),
                        Settlement::Unsettled(why) => {
                            return Err(outcome_unknown(op.name(), &error, &why));
                        }
                        Settlement::NotDone if resent || attempts >= max_attempts => {
                            return Err(not_done(op.name(), error, attempts));
                        }
                        Settlement::NotDone => {
                            resent = true;
                            backoffs += 1;
                            self.policy.backoff(backoffs, self.clock.jitter())
                        }
                    }
                }
            };
            self.clock.sleep(wait);
        }
    }

    /// One attempt: sign afresh, send, read.
    fn attempt<O: Operation>(&self, op: &O, prepared: &Prepared) -> Step<O::Output> {
        let request = match self
            .clock
            .unix_now()
            .and_then(|now| sign_at(prepared.clone(), &self.signer, now))
        {
            Ok(request) => request,
            Err(e) => return Step::Done(Err(e)),
        };
        let idempotent = op.idempotent();
        let response = match self.transport.send(&self.base_url, &request) {
            Ok(response) => response,
            Err(failure) => {
                let kind = failure.failure();
                let error = failure.into_error();
                return match kind {
                    Failure::NotSent => Step::Retry {
                        error,
                        throttled: false,
                        limit: None,
                    },
                    Failure::MaybeSent if idempotent => Step::Retry {
                        error,
                        throttled: false,
                        limit: None,
                    },
                    Failure::MaybeSent => Step::Unknown(error),
                    Failure::TooLarge { status } if !idempotent && is_success(status) => {
                        Step::Unknown(error)
                    }
                    _ => Step::Done(Err(error)),
                };
            }
        };
        let error = match op.parse(&response.as_response()) {
            Ok(output) => return Step::Done(Ok(output)),
            Err(error) => error,
        };
        match error.kind() {
            ErrorKind::PlatformThrottled => Step::Retry {
                error,
                throttled: true,
                limit: None,
            },
            ErrorKind::PlatformRetry if idempotent => {
                let limit = error
                    .platform_code()
                    .map(|code| ResultCode::from(code).max_retries(error.http_status()));
                Step::Retry {
                    error,
                    throttled: false,
                    limit,
                }
            }
            ErrorKind::PlatformRetry => Step::Unknown(error),
            // A success status whose body cannot be read: it may have bound.
            ErrorKind::ResponseInvalid
                if !idempotent && error.http_status().is_some_and(is_success) =>
            {
                Step::Unknown(error)
            }
            _ => Step::Done(Err(error)),
        }
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url)
            .field("signer", &self.signer)
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

fn is_success(status: u16) -> bool {
    (200..300).contains(&status)
}

/// The base URL, checked: `http(s)://host…`, no query, fragment, spaces or
/// control characters; without trailing `/`.
fn check_base_url(url: String) -> Result<String> {
    let trimmed = url.trim_end_matches('/');
    let scheme_len = ["https://", "http://"].iter().find_map(|s| {
        trimmed
            .get(..s.len())
            .filter(|p| p.eq_ignore_ascii_case(s))
            .map(|_| s.len())
    });
    let ok = scheme_len.is_some_and(|n| trimmed.len() > n)
        && !trimmed
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '?' || c == '#');
    if !ok {
        return Err(Error::new(
            ErrorKind::InvalidArgument,
            "the base URL must be https://host[:port] (or http:// for a test server), \
             without query, fragment or spaces",
        ));
    }
    Ok(trimmed.to_owned())
}

/// `error` with `suffix` added to its message, everything else kept.
fn restate(error: &Error, message: String) -> Error {
    let mut out = Error::new(error.kind(), message);
    if let Some(code) = error.platform_code() {
        out = out.with_platform_code(code.to_owned());
    }
    if let Some(status) = error.http_status() {
        out = out.with_http_status(status);
    }
    if let Some(field) = error.field() {
        out = out.with_field(field);
    }
    out
}

fn gave_up(error: Error, attempts: u32) -> Error {
    if attempts <= 1 {
        return error;
    }
    let message = format!("{} (gave up after {attempts} attempts)", error.message());
    restate(&error, message)
}

fn not_done(name: &str, error: Error, attempts: u32) -> Error {
    let message = format!(
        "{}; a query showed that {name} did not take effect, so it may be sent again \
         (gave up after {attempts} attempts)",
        error.message()
    );
    restate(&error, message)
}

fn outcome_unknown(name: &str, cause: &Error, why: &str) -> Error {
    let message = format!(
        "{name} may or may not have taken effect ({}: {}); it was not settled because {why}. \
         Look it up before sending it again",
        cause.kind().name(),
        cause.message()
    );
    let mut out = Error::new(ErrorKind::OutcomeUnknown, message);
    if let Some(code) = cause.platform_code() {
        out = out.with_platform_code(code.to_owned());
    }
    if let Some(status) = cause.http_status() {
        out = out.with_http_status(status);
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::VecDeque;
    use std::sync::Mutex;

    use super::*;
    use crate::client::transport::{OwnedResponse, TransportError};
    use crate::client::{HttpRequest, Method};
    use crate::number::parse;

    const KEY: &str = "a1d1f50cad21415fbdd13d8f53d36d60";
    const SECRET: &str = "cfc881cc704c4fba8d8fef5788e03e6b";
    const BASE: &str = "https://platform.example";

    type Reply = std::result::Result<OwnedResponse, TransportError>;

    /// Answers from a script, one per request, and keeps the requests.
    #[derive(Default)]
    struct Scripted {
        replies: Mutex<VecDeque<Reply>>,
        seen: Mutex<Vec<HttpRequest>>,
    }

    impl Scripted {
        fn new(replies: Vec<Reply>) -> Arc<Self> {
            Arc::new(Self {
                replies: Mutex::new(replies.into()),
                seen: Mutex::new(Vec::new()),
            })
        }

        fn seen(&self) -> Vec<HttpRequest> {
            self.seen.lock().unwrap().clone()
        }

        fn methods(&self) -> Vec<Method> {
            self.seen().iter().map(HttpRequest::method).collect()
        }

        fn left(&self) -> usize {
            self.replies.lock().unwrap().len()
        }
    }

    impl Transport for Scripted {
        fn send(&self, base_url: &str, request: &HttpRequest) -> Reply {
            assert_eq!(base_url, BASE);
            self.seen.lock().unwrap().push(request.clone());
            self.replies
                .lock()
                .unwrap()
                .pop_front()
                .expect("the script has no answer left")
        }
    }

    /// A clock that never waits: it records the waits, advances by them,
    /// and gives a fixed jitter.
    struct FakeClock {
        now: Mutex<i64>,
        sleeps: Mutex<Vec<Duration>>,
        jitter: f64,
    }

    impl FakeClock {
        fn new(jitter: f64) -> Arc<Self> {
            Arc::new(Self {
                now: Mutex::new(1_700_000_000),
                sleeps: Mutex::new(Vec::new()),
                jitter,
            })
        }

        fn sleeps(&self) -> Vec<Duration> {
            self.sleeps.lock().unwrap().clone()
        }
    }

    impl Clock for Arc<FakeClock> {
        fn unix_now(&self) -> Result<i64> {
            Ok(*self.now.lock().unwrap())
        }

        fn sleep(&self, duration: Duration) {
            self.sleeps.lock().unwrap().push(duration);
            let secs = i64::try_from(duration.as_secs()).unwrap_or(i64::MAX);
            *self.now.lock().unwrap() += secs.max(1);
        }

        fn jitter(&self) -> f64 {
            self.jitter
        }
    }

    fn client(script: &Arc<Scripted>, clock: &Arc<FakeClock>) -> Client {
        Client::with_transport(BASE, Signer::new(KEY, SECRET).unwrap(), Arc::clone(script))
            .unwrap()
            .with_clock(Arc::clone(clock))
    }

    fn ok(body: &str) -> Reply {
        Ok(OwnedResponse::new(200, body.as_bytes().to_vec()))
    }

    fn answer(status: u16, code: &str) -> Reply {
        Ok(OwnedResponse::new(
            status,
            format!(r#"{{"resultcode":"{code}","resultdesc":"desc"}}"#).into_bytes(),
        ))
    }

    fn not_sent() -> Reply {
        Err(TransportError::not_sent("connection refused"))
    }

    fn maybe_sent() -> Reply {
        Err(TransportError::maybe_sent("read timed out"))
    }

    const BOUND: &str = r#"{"resultcode":"0","resultdesc":"Success","subscriptionId":"sub-1","relationNum":"+8617000000010"}"#;
    const FOUND: &str = r#"{"resultcode":"0","totalCount":1,"relationNumList":[{"subscriptionId":"sub-found","relationNum":"+8617000000010","callerNum":"+8613800000001","calleeNum":"+8613900000002","duration":86400,"userData":"order-42"}]}"#;
    const EMPTY: &str = r#"{"resultcode":"0","totalCount":0,"relationNumList":[]}"#;

    fn bind() -> AxbBind {
        let mut b = AxbBind::new(
            parse("+8613800000001").unwrap(),
            parse("+8613900000002").unwrap(),
        );
        b.relation_num = Some(parse("+8617000000010").unwrap());
        b.user_data = Some("order-42".into());
        b
    }

    fn query() -> AxbQuery {
        AxbQuery::on_x(parse("+8617000000010").unwrap())
    }

    fn nonce(req: &HttpRequest) -> String {
        let aksk = req.header("X-AKSK").unwrap();
        let start = aksk.find("Nonce=\"").unwrap() + 7;
        aksk[start..start + aksk[start..].find('"').unwrap()].to_owned()
    }

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn idempotent_operations_retry_every_unknown_outcome_with_exponential_backoff() {
        let script = Scripted::new(vec![
            not_sent(),
            maybe_sent(),
            answer(500, "1010001"),
            ok(EMPTY),
        ]);
        let clock = FakeClock::new(0.0);
        let c = client(&script, &clock).with_policy(RetryPolicy {
            max_attempts: 4,
            ..RetryPolicy::default()
        });
        let out = c.call(&query()).unwrap();
        assert!(out.bindings.is_empty());
        assert_eq!(clock.sleeps(), [ms(250), ms(500), ms(1000)]);
        // Every attempt signed afresh: four different nonces, later times.
        let seen = script.seen();
        assert_eq!(seen.len(), 4);
        let nonces: std::collections::HashSet<_> = seen.iter().map(nonce).collect();
        assert_eq!(nonces.len(), 4);
        assert!(
            seen[0]
                .header("X-AKSK")
                .unwrap()
                .contains("2023-11-14T22:13:20Z")
        );
        assert!(
            seen[3]
                .header("X-AKSK")
                .unwrap()
                .contains("2023-11-14T22:13:23Z")
        );
        // Same request otherwise.
        assert!(
            seen.iter()
                .all(|r| r.path_and_query() == seen[0].path_and_query())
        );
    }

    #[test]
    fn attempts_run_out_with_the_last_error() {
        let script = Scripted::new(vec![not_sent(), maybe_sent(), maybe_sent()]);
        let clock = FakeClock::new(0.0);
        let e = client(&script, &clock).call(&query()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::TransportNoResponse);
        assert!(e.message().ends_with("(gave up after 3 attempts)"), "{e}");
        assert_eq!(clock.sleeps(), [ms(250), ms(500)]);
        assert_eq!(script.left(), 0);

        // A transient platform error, until the attempts run out.
        let script = Scripted::new(vec![answer(500, "1010001"), answer(500, "1023001")]);
        let c = client(&script, &clock).with_policy(RetryPolicy {
            max_attempts: 2,
            ..RetryPolicy::default()
        });
        let e = c.call(&query()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::PlatformRetry);
        assert_eq!(
            (e.platform_code(), e.http_status()),
            (Some("1023001"), Some(500))
        );
        assert!(e.message().contains("gave up after 2 attempts"), "{e}");
    }

    #[test]
    fn a_response_timeout_code_is_resent_only_once() {
        let script = Scripted::new(vec![answer(500, "1023002"), answer(500, "1023002")]);
        let clock = FakeClock::new(0.0);
        let c = client(&script, &clock).with_policy(RetryPolicy {
            max_attempts: 5,
            ..RetryPolicy::default()
        });
        let e = c.call(&query()).unwrap_err();
        assert_eq!(e.platform_code(), Some("1023002"));
        assert_eq!(script.seen().len(), 2);
        assert_eq!(clock.sleeps(), [ms(250)]);
    }

    #[test]
    fn other_answers_return_at_once() {
        let cases: Vec<(Reply, ErrorKind)> = vec![
            (answer(200, "1012010"), ErrorKind::PlatformConflict),
            (answer(401, "1010010"), ErrorKind::PlatformAuth),
            (answer(401, "1010013"), ErrorKind::PlatformClockSkew),
            (answer(403, "1010002"), ErrorKind::PlatformInvalidRequest),
            (answer(200, "1016001"), ErrorKind::PlatformNotFound),
            (answer(200, "9999999"), ErrorKind::PlatformUnknown),
            (
                Ok(OwnedResponse::new(
                    502,
                    b"<html>Bad Gateway</html>".to_vec(),
                )),
                ErrorKind::ResponseInvalid,
            ),
            (
                Err(TransportError::too_large(200)),
                ErrorKind::ResponseInvalid,
            ),
            (
                Err(TransportError::invalid("not https")),
                ErrorKind::InvalidArgument,
            ),
        ];
        for (reply, kind) in cases {
            let script = Scripted::new(vec![reply]);
            let clock = FakeClock::new(0.0);
            let e = client(&script, &clock).call(&query()).unwrap_err();
            assert_eq!(e.kind(), kind);
            assert_eq!(script.seen().len(), 1, "{kind}");
            assert!(clock.sleeps().is_empty());
        }
        // A request that does not validate is never sent.
        let script = Scripted::new(vec![]);
        let clock = FakeClock::new(0.0);
        let bad = AxbQuery::BySubscriptionId(String::new());
        let e = client(&script, &clock).call(&bad).unwrap_err();
        assert_eq!(e.field(), Some("subscriptionId"));
        assert!(script.seen().is_empty());
    }

    #[test]
    fn a_bind_is_resent_only_when_it_certainly_was_not_processed() {
        // Not sent, then throttled: both re-sent; the throttle wait is long.
        let script = Scripted::new(vec![not_sent(), answer(200, "1010010"), ok(BOUND)]);
        let clock = FakeClock::new(0.0);
        let bound = client(&script, &clock).call(&bind()).unwrap();
        assert_eq!(bound.subscription_id, "sub-1");
        assert_eq!(script.methods(), [Method::Post; 3]);
        assert_eq!(clock.sleeps(), [ms(250), Duration::from_secs(60)]);

        // Unknown outcome: `call` does not re-send, it says so.
        for reply in [
            maybe_sent(),
            answer(500, "1010001"),
            Ok(OwnedResponse::new(200, b"{\"resultcode\":\"0\"}".to_vec())),
            Err(TransportError::too_large(200)),
        ] {
            let script = Scripted::new(vec![reply]);
            let e = client(&script, &clock).call(&bind()).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::OutcomeUnknown, "{e}");
            assert!(e.message().contains("call_settled"), "{e}");
            assert_eq!(script.seen().len(), 1);
        }
        // The cause's code and status stay on the error.
        let script = Scripted::new(vec![answer(500, "1010001")]);
        let e = client(&script, &clock).call(&bind()).unwrap_err();
        assert_eq!(
            (e.platform_code(), e.http_status()),
            (Some("1010001"), Some(500))
        );
        assert!(
            e.message()
                .starts_with("axb.bind may or may not have taken effect (PLATFORM_RETRY: "),
            "{e}"
        );
        // A gateway's 502 page on a bind is not a success: returned as is.
        let script = Scripted::new(vec![Ok(OwnedResponse::new(502, b"<html/>".to_vec()))]);
        let e = client(&script, &clock).call_settled(&bind()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::ResponseInvalid);
        assert_eq!(script.seen().len(), 1);
    }

    #[test]
    fn throttling_waits_at_least_the_throttle_backoff() {
        let script = Scripted::new(vec![
            answer(200, "1010010"),
            answer(200, "1010010"),
            ok(BOUND),
        ]);
        let clock = FakeClock::new(0.999);
        let c = client(&script, &clock).with_policy(RetryPolicy {
            throttle_backoff: Duration::from_secs(10),
            ..RetryPolicy::default()
        });
        c.call_settled(&bind()).unwrap();
        let sleeps = clock.sleeps();
        assert_eq!(sleeps.len(), 2);
        for s in sleeps {
            assert!(
                s >= Duration::from_secs(10) && s <= Duration::from_millis(12_500),
                "{s:?}"
            );
        }
    }

    #[test]
    fn an_unknown_bind_found_by_the_query_succeeds_without_resending() {
        let script = Scripted::new(vec![maybe_sent(), ok(FOUND)]);
        let clock = FakeClock::new(0.0);
        let bound = client(&script, &clock).call_settled(&bind()).unwrap();
        assert_eq!(bound.subscription_id, "sub-found");
        assert_eq!(bound.duration, Some(86_400));
        assert_eq!(
            bound.relation_num.and_then(|x| x.number()),
            Some(parse("+8617000000010").unwrap())
        );
        let seen = script.seen();
        assert_eq!(script.methods(), [Method::Post, Method::Get]);
        assert_eq!(
            seen[1].path_and_query(),
            "/rest/caas/relationnumber/partners/v1.0?relationNum=%2B8617000000010\
             &callerNum=%2B8613800000001&calleeNum=%2B8613900000002"
        );
        assert!(clock.sleeps().is_empty());
        // The same after a transient platform error, and after a success
        // whose body lacks the subscriptionId.
        for first in [
            answer(500, "1023002"),
            Ok(OwnedResponse::new(200, br#"{"resultcode":"0"}"#.to_vec())),
        ] {
            let script = Scripted::new(vec![first, ok(FOUND)]);
            let bound = client(&script, &clock).call_settled(&bind()).unwrap();
            assert_eq!(bound.subscription_id, "sub-found");
        }
    }

    #[test]
    fn an_unknown_bind_not_found_is_resent_once() {
        // Nothing bound (an empty list, or "not found"): sent again, once.
        for nothing in [ok(EMPTY), answer(200, "1016001")] {
            let script = Scripted::new(vec![maybe_sent(), nothing, ok(BOUND)]);
            let clock = FakeClock::new(0.0);
            let bound = client(&script, &clock).call_settled(&bind()).unwrap();
            assert_eq!(bound.subscription_id, "sub-1");
            assert_eq!(script.methods(), [Method::Post, Method::Get, Method::Post]);
            assert_eq!(clock.sleeps(), [ms(250)]);
            let seen = script.seen();
            assert_ne!(nonce(&seen[0]), nonce(&seen[2]));
        }
        // Unknown again: settled again; found this time.
        let script = Scripted::new(vec![maybe_sent(), ok(EMPTY), maybe_sent(), ok(FOUND)]);
        let clock = FakeClock::new(0.0);
        let bound = client(&script, &clock).call_settled(&bind()).unwrap();
        assert_eq!(bound.subscription_id, "sub-found");
        // Unknown again and still nothing: not sent a third time.
        let script = Scripted::new(vec![maybe_sent(), ok(EMPTY), maybe_sent(), ok(EMPTY)]);
        let e = client(&script, &clock).call_settled(&bind()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::TransportNoResponse);
        assert!(
            e.message()
                .contains("did not take effect, so it may be sent again"),
            "{e}"
        );
        assert_eq!(
            script.methods(),
            [Method::Post, Method::Get, Method::Post, Method::Get]
        );
        // With a single attempt allowed, it is not re-sent at all.
        let script = Scripted::new(vec![maybe_sent(), ok(EMPTY)]);
        let c = client(&script, &clock).with_policy(RetryPolicy::no_retries());
        let e = c.call_settled(&bind()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::TransportNoResponse);
        assert_eq!(script.methods(), [Method::Post, Method::Get]);
    }

    #[test]
    fn an_unknown_bind_that_cannot_be_settled_is_outcome_unknown() {
        let clock = FakeClock::new(0.0);
        // No X: nothing to query.
        let mut no_x = bind();
        no_x.relation_num = None;
        no_x.area_code = Some("0755".into());
        let script = Scripted::new(vec![maybe_sent()]);
        let e = client(&script, &clock).call_settled(&no_x).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::OutcomeUnknown);
        assert!(e.message().contains("named no X"), "{e}");
        assert!(
            e.message().ends_with("Look it up before sending it again"),
            "{e}"
        );
        assert_eq!(script.seen().len(), 1);
        // The query fails (not with "not found"), after its own retries.
        let script = Scripted::new(vec![maybe_sent(), answer(401, "1010010")]);
        let e = client(&script, &clock).call_settled(&bind()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::OutcomeUnknown);
        assert!(
            e.message()
                .contains("query for A and B on X failed (PLATFORM_AUTH"),
            "{e}"
        );
        let script = Scripted::new(vec![maybe_sent(), not_sent(), not_sent(), not_sent()]);
        let e = client(&script, &clock).call_settled(&bind()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::OutcomeUnknown);
        assert_eq!(script.seen().len(), 4);
        // Ambiguous answers.
        for body in [
            r#"{"resultcode":"0","totalCount":120,"relationNumList":[]}"#,
            r#"{"resultcode":"0","relationNumList":[7]}"#,
            r#"{"resultcode":"0","relationNumList":[{"subscriptionId":"a"},{"subscriptionId":"b"}]}"#,
            r#"{"resultcode":"0","relationNumList":[{"callerNum":"+8613800000001"}]}"#,
        ] {
            let script = Scripted::new(vec![maybe_sent(), ok(body)]);
            let e = client(&script, &clock).call_settled(&bind()).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::OutcomeUnknown, "{body}");
            assert_eq!(script.seen().len(), 2);
        }
        // Another binding of A and B on X (other userData): a conflict.
        let other = FOUND.replace("order-42", "order-7");
        let script = Scripted::new(vec![maybe_sent(), ok(&other)]);
        let e = client(&script, &clock).call_settled(&bind()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::PlatformConflict);
        assert_eq!(e.platform_code(), Some("1012010"));
        // Entries for other numbers do not count as this binding.
        let others = FOUND.replace("+8613900000002", "+8613900000009");
        let script = Scripted::new(vec![maybe_sent(), ok(&others), ok(BOUND)]);
        let bound = client(&script, &clock).call_settled(&bind()).unwrap();
        assert_eq!(bound.subscription_id, "sub-1");
    }

    const AX_BOUND: &str = r#"{"resultcode":"0","subscriptionId":"ax-1","origNum":"+8613800000001","privateNum":"+8617000000010"}"#;
    const AX_FOUND: &str = r#"{"resultcode":"0","subscriptionId":"ax-found","origNum":"+8613800000001","privateNum":"+8617000000010","userData":"order-42"}"#;

    fn ax_bind() -> AxBind {
        let mut b = AxBind::new(parse("+8613800000001").unwrap());
        b.private_num = Some(parse("+8617000000010").unwrap());
        b.user_data = Some("order-42".into());
        b
    }

    #[test]
    fn an_unknown_ax_bind_is_settled_by_its_x() {
        let clock = FakeClock::new(0.0);
        // Found: done, without re-sending.
        let script = Scripted::new(vec![maybe_sent(), ok(AX_FOUND)]);
        let bound = client(&script, &clock).call_settled(&ax_bind()).unwrap();
        assert_eq!(bound.subscription_id, "ax-found");
        assert_eq!(script.methods(), [Method::Post, Method::Get]);
        assert_eq!(
            script.seen()[1].path_and_query(),
            "/rest/provision/caas/privatenumber/v1.0?privateNum=%2B8617000000010"
        );
        // Not found: re-sent once.
        let script = Scripted::new(vec![maybe_sent(), answer(200, "1016001"), ok(AX_BOUND)]);
        let bound = client(&script, &clock).call_settled(&ax_bind()).unwrap();
        assert_eq!(bound.subscription_id, "ax-1");
        assert_eq!(script.methods(), [Method::Post, Method::Get, Method::Post]);
        // X held by another A: the bind did not bind.
        let other = AX_FOUND.replace("+8613800000001", "+8613800000009");
        let script = Scripted::new(vec![maybe_sent(), ok(&other)]);
        let e = client(&script, &clock)
            .call_settled(&ax_bind())
            .unwrap_err();
        assert_eq!(
            (e.kind(), e.platform_code()),
            (ErrorKind::PlatformConflict, Some("1011005"))
        );
        // A record on X that does not say whose: unsettled.
        let anon = r#"{"resultcode":"0","subscriptionId":"ax-found"}"#;
        let script = Scripted::new(vec![maybe_sent(), ok(anon)]);
        let e = client(&script, &clock)
            .call_settled(&ax_bind())
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::OutcomeUnknown);
        assert!(e.message().contains("does not say whose"), "{e}");
    }

    #[test]
    fn an_unknown_ax_bind_without_x_is_settled_by_a_and_user_data() {
        let clock = FakeClock::new(0.0);
        let mut no_x = ax_bind();
        no_x.private_num = None;
        no_x.area_code = Some("0755".into());
        // A holds nothing: not done, re-sent.
        let script = Scripted::new(vec![maybe_sent(), answer(200, "1012007"), ok(AX_BOUND)]);
        let bound = client(&script, &clock).call_settled(&no_x).unwrap();
        assert_eq!(bound.subscription_id, "ax-1");
        assert_eq!(
            script.seen()[1].path_and_query(),
            "/rest/provision/caas/privatenumber/v1.0?origNum=%2B8613800000001"
        );
        // One of A's bindings carries the bind's userData: done.
        let list = r#"{"resultcode":"0","totalCount":2,"list":[
            {"subscriptionId":"old","origNum":"+8613800000001","privateNum":"+8617000000011","userData":"order-1"},
            {"subscriptionId":"new","origNum":"+8613800000001","privateNum":"+8617000000012","userData":"order-42"}]}"#;
        let script = Scripted::new(vec![maybe_sent(), ok(list)]);
        let bound = client(&script, &clock).call_settled(&no_x).unwrap();
        assert_eq!(bound.subscription_id, "new");
        assert_eq!(
            bound.private_num.and_then(|x| x.number()),
            Some(parse("+8617000000012").unwrap())
        );
        // None carries it, but userData is reported: not done.
        let others = list.replace("order-42", "order-2");
        let script = Scripted::new(vec![maybe_sent(), ok(&others), ok(AX_BOUND)]);
        client(&script, &clock).call_settled(&no_x).unwrap();
        assert_eq!(script.seen().len(), 3);
        // No userData on the bind: A's bindings cannot be told apart.
        no_x.user_data = None;
        let script = Scripted::new(vec![maybe_sent(), ok(list)]);
        let e = client(&script, &clock).call_settled(&no_x).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::OutcomeUnknown);
        assert!(e.message().contains("neither X nor userData"), "{e}");
        assert_eq!(script.seen().len(), 2);
    }

    const AXE_FOUND: &str = r#"{"resultcode":"0","subscriptionId":"axe-found","virtualNum":"+8617000000010","extendNum":"0012","bindNum":"+8613800000001"}"#;
    const AXE_BOUND: &str = r#"{"resultcode":"0","subscriptionId":"axe-1","virtualNum":"+8617000000010","extendNum":"0012"}"#;

    fn axe_bind() -> AxeBind {
        let mut b = AxeBind::new(parse("+8613800000001").unwrap());
        b.virtual_num = Some(parse("+8617000000010").unwrap());
        b.extend_num = Some("0012".into());
        b
    }

    #[test]
    fn an_unknown_axe_bind_is_settled_by_its_extension() {
        let clock = FakeClock::new(0.0);
        let script = Scripted::new(vec![maybe_sent(), ok(AXE_FOUND)]);
        let bound = client(&script, &clock).call_settled(&axe_bind()).unwrap();
        assert_eq!(
            (bound.subscription_id.as_str(), bound.extend_num.as_deref()),
            ("axe-found", Some("0012"))
        );
        assert_eq!(
            script.seen()[1].path_and_query(),
            "/rest/caas/extendnumber/v1.0?virtualNum=%2B8617000000010&extendNum=0012"
        );
        // Not found: re-sent once.
        let script = Scripted::new(vec![maybe_sent(), answer(200, "1016001"), ok(AXE_BOUND)]);
        let bound = client(&script, &clock).call_settled(&axe_bind()).unwrap();
        assert_eq!(bound.subscription_id, "axe-1");
        assert_eq!(script.methods(), [Method::Post, Method::Get, Method::Post]);
        // The extension belongs to another A.
        let other = AXE_FOUND.replace("+8613800000001", "+8613800000009");
        let script = Scripted::new(vec![maybe_sent(), ok(&other)]);
        let e = client(&script, &clock)
            .call_settled(&axe_bind())
            .unwrap_err();
        assert_eq!(e.platform_code(), Some("1013102"));
        // An empty answer, or one without A: unsettled.
        for body in [
            r#"{"resultcode":"0"}"#,
            r#"{"resultcode":"0","subscriptionId":"axe-found"}"#,
        ] {
            let script = Scripted::new(vec![maybe_sent(), ok(body)]);
            let e = client(&script, &clock)
                .call_settled(&axe_bind())
                .unwrap_err();
            assert_eq!(e.kind(), ErrorKind::OutcomeUnknown, "{body}");
        }
        // No extension given: the platform assigned it, nothing to query.
        let mut auto = axe_bind();
        auto.extend_num = None;
        let script = Scripted::new(vec![maybe_sent()]);
        let e = client(&script, &clock).call_settled(&auto).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::OutcomeUnknown);
        assert!(e.message().contains("extendNum"), "{e}");
        assert_eq!(script.seen().len(), 1);
    }

    #[test]
    fn axyb_binds_settle_where_the_queries_allow() {
        let clock = FakeClock::new(0.0);
        // AX: nothing to query.
        let ax = AxybBindAx::new(KEY, parse("+8613800000001").unwrap(), "0755");
        let script = Scripted::new(vec![maybe_sent()]);
        let e = client(&script, &clock).call_settled(&ax).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::OutcomeUnknown);
        assert!(e.message().contains("names no X"), "{e}");
        assert_eq!(script.seen().len(), 1);
        // YB: the AX binding's relations show B.
        let yb = AxybBindYb::new(KEY, parse("+8613900000002").unwrap(), "ax-9");
        let found = r#"{"resultcode":"0","xyRelationNumList":[{"bindId":"ax-9","numA":"+8613800000001","numX":"+8617000000010","numB":"+8613900000002","numY":"+8617000000020"}]}"#;
        let script = Scripted::new(vec![maybe_sent(), ok(found)]);
        let bound = client(&script, &clock).call_settled(&yb).unwrap();
        assert_eq!(bound.subscription_id, "ax-9");
        assert_eq!(
            bound.relation_number.and_then(|y| y.number()),
            Some(parse("+8617000000020").unwrap())
        );
        assert!(
            script.seen()[1]
                .path_and_query()
                .ends_with("&subscriptionId=ax-9"),
            "{}",
            script.seen()[1].path_and_query()
        );
        // B not among them: re-sent.
        let without = found.replace("+8613900000002", "+8613900000003");
        let yb_bound =
            r#"{"resultcode":"0","subscriptionId":"ax-9","relationNumber":"+8617000000021"}"#;
        let script = Scripted::new(vec![maybe_sent(), ok(&without), ok(yb_bound)]);
        let bound = client(&script, &clock).call_settled(&yb).unwrap();
        assert_eq!(
            bound.relation_number.and_then(|y| y.number()),
            Some(parse("+8617000000021").unwrap())
        );
        // A full list without B: unsettled.
        let full = format!(
            r#"{{"resultcode":"0","xyRelationNumList":[{}]}}"#,
            ["3", "4", "5", "6", "7"]
                .map(|d| format!(r#"{{"numB":"+861390000000{d}","numY":"+8617000000020"}}"#))
                .join(",")
        );
        let script = Scripted::new(vec![maybe_sent(), ok(&full)]);
        let e = client(&script, &clock).call_settled(&yb).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::OutcomeUnknown);
    }

    #[test]
    fn any_operation_settles_every_bind() {
        use crate::client::any::AnyOperation;
        let clock = FakeClock::new(0.0);
        let op = AnyOperation::from_json(
            "ax.bind",
            &serde_json::json!({"origNum": "+8613800000001", "privateNum": "+8617000000010"}),
        )
        .unwrap();
        let script = Scripted::new(vec![maybe_sent(), ok(AX_FOUND)]);
        let out = op.send(&client(&script, &clock)).unwrap();
        assert_eq!(out["subscription_id"], "ax-found");
        let op = AnyOperation::from_json(
            "axe.bind",
            &serde_json::json!({"bindNum": "+8613800000001", "virtualNum": "+8617000000010", "extendNum": "0012"}),
        )
        .unwrap();
        let script = Scripted::new(vec![maybe_sent(), ok(AXE_FOUND)]);
        let out = op.send(&client(&script, &clock)).unwrap();
        assert_eq!(out["subscription_id"], "axe-found");
    }

    #[test]
    fn backoff_sequence_cap_and_jitter() {
        let p = RetryPolicy {
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(5),
            throttle_backoff: Duration::from_secs(60),
            jitter: 0.5,
            ..RetryPolicy::default()
        };
        let seq: Vec<_> = (1..=5).map(|n| p.backoff(n, 0.0)).collect();
        assert_eq!(seq, [1, 2, 4, 5, 5].map(Duration::from_secs));
        assert_eq!(p.backoff(2, 1.0), Duration::from_secs(1));
        assert_eq!(p.backoff(3, 0.5), Duration::from_secs(3));
        assert_eq!(p.throttle_wait(0.0), Duration::from_secs(60));
        assert_eq!(p.throttle_wait(1.0), Duration::from_secs(75));
        // Nonsense never panics.
        let wild = RetryPolicy {
            initial_backoff: Duration::MAX,
            max_backoff: Duration::MAX,
            throttle_backoff: Duration::MAX,
            jitter: f64::NAN,
            max_attempts: 0,
        };
        assert_eq!(wild.backoff(u32::MAX, f64::INFINITY), Duration::MAX);
        assert_eq!(wild.throttle_wait(-3.0), Duration::MAX);
        let neg = RetryPolicy {
            jitter: -1.0,
            ..p.clone()
        };
        assert_eq!(neg.backoff(1, 0.9), Duration::from_secs(1));
        let big = RetryPolicy { jitter: 7.0, ..p };
        assert_eq!(big.backoff(1, f64::NAN), Duration::from_secs(1));
        assert_eq!(big.backoff(1, 1.0), Duration::ZERO);
        // The client waits what the policy says, with the clock's jitter.
        let script = Scripted::new(vec![not_sent(), not_sent(), not_sent(), ok(EMPTY)]);
        let clock = FakeClock::new(0.5);
        let c = client(&script, &clock).with_policy(RetryPolicy {
            max_attempts: 0,
            ..RetryPolicy::default()
        });
        assert_eq!(
            c.call(&query()).unwrap_err().kind(),
            ErrorKind::TransportNotSent
        );
        assert_eq!(script.seen().len(), 1);
        let c = c.with_policy(RetryPolicy {
            max_attempts: 4,
            initial_backoff: ms(400),
            max_backoff: ms(1000),
            ..RetryPolicy::default()
        });
        let script2 = Scripted::new(vec![not_sent(), not_sent(), not_sent(), ok(EMPTY)]);
        let c = Client {
            transport: script2.clone(),
            ..c
        };
        c.call(&query()).unwrap();
        assert_eq!(clock.sleeps(), [ms(300), ms(600), ms(750)]);
    }

    #[test]
    fn client_checks_its_base_url_and_hides_the_secret() {
        let signer = Signer::new(KEY, SECRET).unwrap();
        let t = Scripted::new(vec![]);
        for bad in [
            "",
            "platform.example",
            "ftp://x",
            "https://",
            "https://h x",
            "https://h/?a=1",
        ] {
            let e = Client::with_transport(bad, signer.clone(), Arc::clone(&t)).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{bad}");
        }
        let c = Client::with_transport("HTTPS://h.example:12543//", signer, t).unwrap();
        assert_eq!(c.base_url(), "HTTPS://h.example:12543");
        assert_eq!(c.policy(), &RetryPolicy::default());
        let text = format!("{c:?}");
        assert!(!text.contains(SECRET), "{text}");
        fn send_sync<T: Send + Sync>() {}
        send_sync::<Client>();
    }

    #[test]
    fn system_clock_jitter_is_a_unit_fraction() {
        for _ in 0..100 {
            let j = SystemClock.jitter();
            assert!((0.0..1.0).contains(&j), "{j}");
        }
        assert!(SystemClock.unix_now().unwrap() > 1_700_000_000);
    }
}
