//! Keeping a local binding [`Engine`] in step with the platform: a
//! [`Mirror`] sends binds, modifications and unbinds through a [`Client`]
//! and records each one in the engine, and [`reconcile`](Mirror::reconcile)
//! compares the engine with what the platform's queries say.
//!
//! ```text
//!  Mirror::bind(op) ──1. request_bind (journaled: Requested, pending-<n>)──▶ Engine
//!                   ──2. Client::call_settled(op) ──────────────────────────▶ platform
//!                   ──3. settle(pending-<n>, Confirmed{subscriptionId, X} | Failed{code}) ──▶ Engine
//!
//!  Mirror::reconcile ── queries (X, A, subscriptionId) ──▶ PlatformView ──┐
//!  Engine::bindings() ──────────────────────────────────────────────────┴─▶ compare() ──▶ [Difference]
//!                                                              apply() ◀── (optional) ──┘
//! ```
//!
//! # Write-ahead
//!
//! Every change is recorded in the engine **before** it is sent, as a
//! request, and settled once the platform's answer is known:
//!
//! | call | before sending | confirmed | refused | outcome unknown |
//! |---|---|---|---|---|
//! | [`Mirror::bind`] | `request_bind`: [`State::Requested`] under `pending-<n>` | active under the platform's `subscriptionId`, with its X (and extension) | removed (event `failed` with the `resultcode`) | stays requested; reported as [`Answer::Unknown`] |
//! | [`Mirror::modify`] | `request_modify`: [`State::Modifying`] | changes applied (lifetime restarts) | back as before | stays modifying |
//! | [`Mirror::unbind`] | `request_unbind`: [`State::Unbinding`] | removed | back as before | stays unbinding |
//!
//! A request the engine refuses (its rules say the platform would refuse
//! it, or it names no binding the engine knows) is never sent: the call
//! returns the engine's error. An operation that does not validate
//! ([`Operation::prepare`]) is refused before anything is recorded.
//!
//! With an engine kept in a directory ([`Engine::open`]), the request is on
//! disk before the platform sees anything. Whatever happens afterwards, the
//! engine holds either the settled result or the pending request:
//!
//! * a crash (or a lost answer) **before sending**: the request stays
//!   pending; reconciling finds nothing on the platform and removes it
//!   ([`Difference::RequestedButAbsent`]);
//! * a crash **after sending, before recording**: the request stays
//!   pending; reconciling finds the binding (by X and the parties, or by
//!   `subscriptionId`) and confirms it under the platform's id
//!   ([`Difference::RequestedButPresent`]), or finds nothing and removes it;
//! * an answer that cannot be recorded (the journal fails, the platform's
//!   id is taken locally): the platform's output is still returned, with
//!   [`Mirrored::record_error`].
//!
//! A binding the engine holds in a pending state keeps its place under the
//! rules, so a second bind of the same parties on the same X is refused
//! locally instead of being sent (no duplicate on the platform).
//!
//! # What cannot be mirrored ahead
//!
//! * An AXYB YB relation: the engine must know Y to hold a relation, and
//!   the platform chooses Y. It is recorded after the platform confirms
//!   (under a local id: the platform answers the AX binding's id). A crash
//!   in between leaves a relation only on the platform, which reconciling
//!   finds ([`Difference::OnlyOnPlatform`]) and can import.
//! * Pending binds whose X the platform chose (no X given; for AXE also a
//!   bind that let the platform assign the extension) cannot be looked up
//!   (AXB, AXE and AXYB bindings are listed only by X, extension or
//!   `subscriptionId`): reconciling lists them in
//!   [`Reconciliation::unchecked`]. AX binds are looked up by A. Give X to
//!   make every bind checkable.
//! * The engine restarts a binding's lifetime when it records a
//!   confirmation, a modification or an import (the platform's queries do
//!   not say when a binding was made), so the local expiry may come later
//!   than the platform's by the time the answer took.
//!
//! # By name, as JSON
//!
//! [`Mirror::call_any`] takes any [`AnyOperation`] and answers JSON (the
//! answer, the engine's ids and records), and [`Reconciliation::to_json`]
//! gives the typed differences as JSON: what the C ABI and the Python
//! package hand out, so that they only translate.
//!
//! # Reconciling
//!
//! [`compare`] is a pure function of the engine's bindings and a
//! [`PlatformView`] (what the queries returned, and which parts of the
//! platform they covered completely). A binding is only called absent when
//! a complete answer covered it: a query that failed or had unreadable
//! entries proves nothing. [`apply`] gives the engine the platform's truth
//! ([`Difference::fix`]). [`Mirror::reconcile`] runs the queries through
//! the client and does both.

use std::collections::HashSet;
use std::fmt;
use std::sync::Arc;

use serde_json::{Map, Value, json};

use super::Operation;
use super::WireNumber;
use super::any::{AnyOperation, OutputJson};
use super::ax::{AxBind, AxBindings, AxBound, AxModify, AxQuery, AxRecord, AxTarget, AxUnbind};
use super::axb::{
    AxbBind, AxbBindings, AxbBound, AxbModify, AxbQuery, AxbRecord, AxbUnbind, PAGE_SIZE_MAX,
    PreVoice,
};
use super::axe::{
    AxeBind, AxeBound, AxeModify, AxeQuery, AxeRecord, AxeTarget, AxeUnbind, TimeUnit,
};
use super::axyb::{
    AxybBindAx, AxybBindYb, AxybBindings, AxybBound, AxybQuery, AxybQueryBy, AxybUnbind,
    AxybUnbindScope,
};
use super::retry::{Client, Settle};
use crate::engine::rules;
use crate::engine::{
    BindRequest, Binding, BindingId, Changes, Direction, Engine, Ext, Extras, Mode, Outcome,
    Settings, Shape, ShapeRequest, State, XChoice,
};
use crate::error::{Error, ErrorKind, Result};
use crate::number::Number;

/// The `resultcode` recorded (in the engine's `failed` events) for a
/// pending request that reconciling found had not taken effect: no
/// platform answer exists for it.
pub const CODE_RECONCILED: &str = "reconciled";

// ---------------------------------------------------------------------------
// Results of one change
// ---------------------------------------------------------------------------

/// What the platform answered to one change.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Answer<T> {
    /// It took effect; the operation's output.
    Confirmed(T),
    /// It did not take effect: the platform (or the client, before
    /// sending) refused it with this error.
    Refused(Error),
    /// It may or may not have taken effect
    /// ([`ErrorKind::OutcomeUnknown`] for a bind; for a modification or an
    /// unbind, attempts ran out without an answer). The engine keeps the
    /// request pending: reconcile, or send the change again.
    Unknown(Error),
}

/// A change sent through a [`Mirror`] and how the engine recorded it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Mirrored<T> {
    /// The platform's answer.
    pub answer: Answer<T>,
    /// The local ids the change was recorded under: for a confirmed bind the
    /// platform's `subscriptionId` (or the local id of an AXYB relation),
    /// otherwise the `pending-<n>` id, or the bindings modified or unbound.
    pub ids: Vec<BindingId>,
    /// Those bindings as the engine holds them afterwards (a removed one is
    /// left out).
    pub bindings: Vec<Binding>,
    /// The answer could not be recorded in the engine (the journal failed,
    /// the platform's id is already taken locally, the answer lacks X): the
    /// engine still holds the request pending. Reconcile to resolve it.
    pub record_error: Option<Error>,
}

impl<T> Mirrored<T> {
    /// The output, if the platform confirmed the change.
    #[must_use]
    pub fn confirmed(&self) -> Option<&T> {
        match &self.answer {
            Answer::Confirmed(out) => Some(out),
            _ => None,
        }
    }
}

// ---------------------------------------------------------------------------
// What each operation means to the engine
// ---------------------------------------------------------------------------

/// A bind the [`Mirror`] can record: the engine request it makes, and the
/// confirmation its output gives.
pub trait MirrorBind: Settle {
    /// The engine's request for this bind (X given, or left to the
    /// platform).
    fn bind_request(&self) -> Result<BindRequest>;

    /// Whether the engine can hold the request before the platform answers
    /// (false for an AXYB relation, whose Y the platform chooses: it is
    /// recorded once confirmed).
    fn write_ahead(&self) -> bool {
        true
    }

    /// The engine's [`Outcome::Confirmed`] for the platform's output: its
    /// `subscriptionId` (none for an AXYB relation), X (Y for a relation)
    /// and extension.
    fn confirmation(&self, output: &Self::Output) -> Result<Outcome>;
}

/// A modification the [`Mirror`] can record.
pub trait MirrorModify: Operation<Output = ()> {
    /// The engine's binding it changes.
    fn target(&self, engine: &Engine) -> Result<BindingId>;

    /// The engine's changes, given the binding as it is now (text settings
    /// are replaced as a whole in the engine, so they start from it).
    fn changes(&self, current: &Binding) -> Result<Changes>;
}

/// An unbind the [`Mirror`] can record.
pub trait MirrorUnbind: Operation<Output = ()> {
    /// The engine's bindings it removes (an AXB unbind by X removes every
    /// binding on X; an AXYB AX binding takes its relations with it).
    fn targets(&self, engine: &Engine) -> Result<Vec<BindingId>>;
}

fn platform_id(id: &str) -> Result<BindingId> {
    BindingId::new(id)
}

fn x_of(n: Option<&WireNumber>) -> Option<Number> {
    n.and_then(WireNumber::number)
}

fn confirmed(id: Option<BindingId>, x: Option<Number>, ext: Option<Ext>) -> Outcome {
    Outcome::Confirmed { id, x, ext }
}

fn u16_of(v: Option<u32>) -> u16 {
    // prepare() has checked 0–1440.
    v.map_or(0, |m| u16::try_from(m).unwrap_or(u16::MAX))
}

fn u32_of(v: Option<u64>) -> u32 {
    // prepare() has checked the lifetimes' bounds.
    v.map_or(0, |d| u32::try_from(d).unwrap_or(u32::MAX))
}

fn extras(e: Extras) -> Option<Arc<Extras>> {
    (!e.is_empty()).then(|| Arc::new(e))
}

fn tones(p: Option<&PreVoice>) -> (Option<String>, Option<String>) {
    p.map_or((None, None), |p| {
        (p.caller_hint_tone.clone(), p.callee_hint_tone.clone())
    })
}

/// AXE lifetimes in seconds (`timeUnit`: hours by default).
fn axe_secs(unit: Option<TimeUnit>, v: Option<u64>) -> Option<u32> {
    let per = match unit {
        Some(TimeUnit::Minutes) => 60,
        Some(TimeUnit::Hours) | None => 3600,
    };
    v.map(|v| u32::try_from(v.saturating_mul(per)).unwrap_or(u32::MAX))
}

impl MirrorBind for AxbBind {
    fn bind_request(&self) -> Result<BindRequest> {
        let (caller, callee) = tones(self.pre_voice.as_ref());
        Ok(BindRequest {
            shape: ShapeRequest::Pair {
                a: self.caller_num,
                b: self.callee_num,
            },
            x: self.relation_num.map_or(XChoice::Platform, XChoice::Given),
            settings: Settings {
                direction: self.call_direction.unwrap_or_default(),
                record: self.record_flag.unwrap_or(false),
                sms: self.private_sms.unwrap_or(true),
                max_duration_min: u16_of(self.max_duration),
                duration_secs: u32_of(self.duration),
                extras: extras(Extras {
                    record_hint_tone: self.record_hint_tone.clone(),
                    last_min_voice: self.last_min_voice.clone(),
                    caller_hint_tone: caller,
                    callee_hint_tone: callee,
                    callback_tone: None,
                    user_data: self.user_data.clone(),
                }),
            },
            id: None,
        })
    }

    fn confirmation(&self, out: &AxbBound) -> Result<Outcome> {
        Ok(confirmed(
            Some(platform_id(&out.subscription_id)?),
            x_of(out.relation_num.as_ref()).or(self.relation_num),
            None,
        ))
    }
}

impl MirrorBind for AxBind {
    fn bind_request(&self) -> Result<BindRequest> {
        let (caller, callee) = tones(self.pre_voice.as_ref());
        Ok(BindRequest {
            shape: ShapeRequest::Owner { a: self.orig_num },
            x: self.private_num.map_or(XChoice::Platform, XChoice::Given),
            settings: Settings {
                direction: self.call_direction.unwrap_or_default(),
                record: self.record_flag.unwrap_or(false),
                sms: self.private_sms.unwrap_or(true),
                max_duration_min: u16_of(self.max_duration),
                duration_secs: 0,
                extras: extras(Extras {
                    record_hint_tone: self.record_hint_tone.clone(),
                    last_min_voice: self.last_min_voice.clone(),
                    caller_hint_tone: caller,
                    callee_hint_tone: callee,
                    callback_tone: None,
                    user_data: self.user_data.clone(),
                }),
            },
            id: None,
        })
    }

    fn confirmation(&self, out: &AxBound) -> Result<Outcome> {
        Ok(confirmed(
            Some(platform_id(&out.subscription_id)?),
            x_of(out.private_num.as_ref()).or(self.private_num),
            None,
        ))
    }
}

impl AxeBind {
    /// The extension this bind names, when it also names X (the platform
    /// honours it only then).
    fn named_extension(&self) -> Option<&str> {
        self.virtual_num?;
        self.extend_num.as_deref().filter(|e| !e.is_empty())
    }
}

impl MirrorBind for AxeBind {
    /// X is given to the engine only with the extension: an extension the
    /// engine would pick for a given X may not be the one the platform
    /// assigns, and a wrong guess would make reconciling look up the wrong
    /// extension.
    fn bind_request(&self) -> Result<BindRequest> {
        let ext = self.named_extension().map(str::to_owned);
        let x = match (self.virtual_num, &ext) {
            (Some(x), Some(_)) => XChoice::Given(x),
            _ => XChoice::Platform,
        };
        Ok(BindRequest {
            shape: ShapeRequest::Extension {
                a: self.bind_num,
                ext,
                callback: self.callback_num,
                callback_lifetime_secs: axe_secs(self.time_unit, self.callback_expired_time)
                    .unwrap_or(0),
            },
            x,
            settings: Settings {
                record: self.record_flag.unwrap_or(false),
                duration_secs: axe_secs(self.time_unit, self.bind_expired_time).unwrap_or(0),
                extras: extras(Extras {
                    record_hint_tone: self.record_hint_tone.clone(),
                    callback_tone: self.callback_tone.clone(),
                    user_data: self.user_data.clone(),
                    ..Extras::default()
                }),
                ..Settings::default()
            },
            id: None,
        })
    }

    fn confirmation(&self, out: &AxeBound) -> Result<Outcome> {
        let ext = out
            .extend_num
            .as_deref()
            .or(self.named_extension())
            .map(Ext::parse)
            .transpose()?;
        Ok(confirmed(
            Some(platform_id(&out.subscription_id)?),
            x_of(out.virtual_num.as_ref()).or(self.virtual_num),
            ext,
        ))
    }
}

impl MirrorBind for AxybBindAx {
    fn bind_request(&self) -> Result<BindRequest> {
        Ok(BindRequest {
            shape: ShapeRequest::AxybAx {
                a: self.orig_num,
                yb_duration: u32_of(self.yb_duration),
            },
            x: XChoice::Platform,
            settings: Settings {
                direction: self.call_direction.unwrap_or_default(),
                record: self.record_flag.unwrap_or(false),
                duration_secs: u32_of(Some(
                    self.duration.unwrap_or(rules::AXYB_DEFAULT_DURATION_SECS),
                )),
                extras: extras(Extras {
                    record_hint_tone: self.record_hint_tone.clone(),
                    caller_hint_tone: self.pre_voice_x.clone(),
                    user_data: self.user_data.clone(),
                    ..Extras::default()
                }),
                ..Settings::default()
            },
            id: None,
        })
    }

    fn confirmation(&self, out: &AxybBound) -> Result<Outcome> {
        Ok(confirmed(
            Some(platform_id(&out.subscription_id)?),
            x_of(out.relation_number.as_ref()),
            None,
        ))
    }
}

impl MirrorBind for AxybBindYb {
    /// Y is not known before the platform answers: the request's X choice
    /// is replaced by the confirmed Y when the relation is recorded.
    fn bind_request(&self) -> Result<BindRequest> {
        Ok(BindRequest {
            shape: ShapeRequest::AxybYb {
                parent: platform_id(&self.subscription_id)?,
                b: self.orig_num,
                yb_duration: self.yb_duration.map(|d| u32_of(Some(d))),
            },
            x: XChoice::Platform,
            settings: Settings {
                extras: extras(Extras {
                    callee_hint_tone: self.pre_voice_y.clone(),
                    ..Extras::default()
                }),
                ..Settings::default()
            },
            id: None,
        })
    }

    fn write_ahead(&self) -> bool {
        false
    }

    fn confirmation(&self, out: &AxybBound) -> Result<Outcome> {
        Ok(confirmed(None, x_of(out.relation_number.as_ref()), None))
    }
}

fn by_id(engine: &Engine, id: &str) -> Result<BindingId> {
    let id = platform_id(id)?;
    if engine.get(&id).is_none() {
        return Err(Error::new(
            ErrorKind::BindingNotFound,
            format!("the engine holds no binding {id}"),
        ));
    }
    Ok(id)
}

fn on_x(engine: &Engine, x: Number, what: &str) -> Result<BindingId> {
    engine
        .bindings_on(x)
        .into_iter()
        .find(|b| !b.id.is_pending() && matches!(b.shape, Shape::Owner { .. }))
        .map(|b| b.id)
        .ok_or_else(|| {
            Error::new(
                ErrorKind::BindingNotFound,
                format!("the engine holds no {what} on {}", x.masked()),
            )
        })
}

fn extension(engine: &Engine, x: Number, ext: &str) -> Result<BindingId> {
    engine
        .find_extension(x, Ext::parse(ext)?)
        .map(|b| b.id)
        .ok_or_else(|| {
            Error::new(
                ErrorKind::BindingNotFound,
                format!("the engine holds no extension {ext} on {}", x.masked()),
            )
        })
}

/// `current`'s text settings with `edit` applied, if `edit` changes any.
fn edit_extras(current: &Binding, edit: impl FnOnce(&mut Extras) -> bool) -> Option<Arc<Extras>> {
    let mut e = current
        .settings
        .extras
        .as_deref()
        .cloned()
        .unwrap_or_default();
    edit(&mut e).then(|| Arc::new(e))
}

fn set(slot: &mut Option<String>, v: Option<&String>) -> bool {
    match v {
        Some(v) => {
            *slot = Some(v.clone());
            true
        }
        None => false,
    }
}

impl MirrorModify for AxbModify {
    fn target(&self, engine: &Engine) -> Result<BindingId> {
        by_id(engine, &self.subscription_id)
    }

    fn changes(&self, current: &Binding) -> Result<Changes> {
        Ok(Changes {
            a: self.caller_num,
            b: self.callee_num,
            direction: self.call_direction,
            record: self.record_flag,
            sms: self.private_sms,
            max_duration_min: self.max_duration.map(|m| u16_of(Some(m))),
            duration_secs: self.duration.map(|d| u32_of(Some(d))),
            extras: edit_extras(current, |e| {
                let mut any = set(&mut e.last_min_voice, self.last_min_voice.as_ref());
                any |= set(&mut e.user_data, self.user_data.as_ref());
                if let Some(p) = &self.pre_voice {
                    e.caller_hint_tone.clone_from(&p.caller_hint_tone);
                    e.callee_hint_tone.clone_from(&p.callee_hint_tone);
                    any = true;
                }
                any
            }),
            ..Changes::default()
        })
    }
}

impl MirrorModify for AxModify {
    fn target(&self, engine: &Engine) -> Result<BindingId> {
        match &self.target {
            AxTarget::SubscriptionId(id) => by_id(engine, id),
            AxTarget::PrivateNum(x) => on_x(engine, *x, "AX binding"),
        }
    }

    fn changes(&self, current: &Binding) -> Result<Changes> {
        Ok(Changes {
            a: self.orig_num,
            record: self.record_flag,
            sms: self.private_sms,
            max_duration_min: self.max_duration.map(|m| u16_of(Some(m))),
            extras: edit_extras(current, |e| {
                let mut any = set(&mut e.record_hint_tone, self.record_hint_tone.as_ref());
                any |= set(&mut e.last_min_voice, self.last_min_voice.as_ref());
                any |= set(&mut e.user_data, self.user_data.as_ref());
                if let Some(p) = &self.pre_voice {
                    e.caller_hint_tone.clone_from(&p.caller_hint_tone);
                    e.callee_hint_tone.clone_from(&p.callee_hint_tone);
                    any = true;
                }
                any
            }),
            ..Changes::default()
        })
    }
}

impl MirrorModify for AxeModify {
    fn target(&self, engine: &Engine) -> Result<BindingId> {
        match &self.target {
            AxeTarget::SubscriptionId(id) => by_id(engine, id),
            AxeTarget::Extension {
                virtual_num,
                extend_num,
            } => extension(engine, *virtual_num, extend_num),
        }
    }

    fn changes(&self, current: &Binding) -> Result<Changes> {
        Ok(Changes {
            record: self.record_flag,
            duration_secs: axe_secs(self.time_unit, self.bind_expired_time),
            callback: self.callback_num,
            callback_lifetime_secs: axe_secs(self.time_unit, self.callback_expired_time),
            extras: edit_extras(current, |e| {
                let mut any = set(&mut e.record_hint_tone, self.record_hint_tone.as_ref());
                any |= set(&mut e.callback_tone, self.callback_tone.as_ref());
                any |= set(&mut e.user_data, self.user_data.as_ref());
                any
            }),
            ..Changes::default()
        })
    }
}

impl MirrorUnbind for AxbUnbind {
    fn targets(&self, engine: &Engine) -> Result<Vec<BindingId>> {
        match self {
            Self::BySubscriptionId(id) => Ok(vec![by_id(engine, id)?]),
            Self::EverythingOnX(x) => Ok(engine
                .bindings_on(*x)
                .into_iter()
                .filter(|b| b.state.is_bound())
                .map(|b| b.id)
                .collect()),
        }
    }
}

impl MirrorUnbind for AxUnbind {
    fn targets(&self, engine: &Engine) -> Result<Vec<BindingId>> {
        match self {
            Self::BySubscriptionId(id) => Ok(vec![by_id(engine, id)?]),
            Self::ByX { private_num, .. } => Ok(vec![on_x(engine, *private_num, "AX binding")?]),
        }
    }
}

impl MirrorUnbind for AxeUnbind {
    fn targets(&self, engine: &Engine) -> Result<Vec<BindingId>> {
        match self {
            Self::BySubscriptionId(id) => Ok(vec![by_id(engine, id)?]),
            Self::ByExtension {
                virtual_num,
                extend_num,
            } => Ok(vec![extension(engine, *virtual_num, extend_num)?]),
        }
    }
}

impl MirrorUnbind for AxybUnbind {
    fn targets(&self, engine: &Engine) -> Result<Vec<BindingId>> {
        let parent = by_id(engine, &self.subscription_id)?;
        let relation = |keep: &dyn Fn(Number, Number) -> bool| {
            engine
                .relations(&parent)
                .into_iter()
                .find(|r| matches!(r.shape, Shape::AxybYb { b, y, .. } if keep(b, y)))
                .map(|r| vec![r.id])
                .ok_or_else(|| {
                    Error::new(
                        ErrorKind::BindingNotFound,
                        format!("the engine holds no such relation under {parent}"),
                    )
                })
        };
        match self.scope {
            AxybUnbindScope::Everything => Ok(vec![parent.clone()]),
            AxybUnbindScope::ByY(want) => relation(&|_, y| y == want),
            AxybUnbindScope::ByB(want) => relation(&|b, _| b == want),
        }
    }
}

// ---------------------------------------------------------------------------
// The mirror
// ---------------------------------------------------------------------------

/// A [`Client`] and the [`Engine`] of its application, kept in step: see
/// the [module docs](self). Times come from the client's clock.
///
/// The engine is held by [`Arc`], so the host may keep using it (routing
/// calls, reading events) while the mirror changes it: pass an `Engine` or
/// an `Arc<Engine>` the host shares.
pub struct Mirror {
    client: Client,
    engine: Arc<Engine>,
}

impl fmt::Debug for Mirror {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mirror")
            .field("client", &self.client)
            .field("engine", &self.engine)
            .finish()
    }
}

/// Whether an idempotent operation's error leaves its outcome open: attempts
/// ran out without an answer, or a success status came with an unreadable
/// body.
fn may_have_taken_effect(e: &Error) -> bool {
    match e.kind() {
        ErrorKind::TransportNoResponse | ErrorKind::PlatformRetry | ErrorKind::OutcomeUnknown => {
            true
        }
        ErrorKind::ResponseInvalid => e.http_status().is_some_and(|s| (200..300).contains(&s)),
        _ => false,
    }
}

/// The refusal's code for the engine: the platform's `resultcode`, else the
/// error kind's name.
fn refusal(e: &Error) -> Outcome {
    Outcome::Failed {
        code: e
            .platform_code()
            .map_or_else(|| e.kind().name().to_owned(), str::to_owned),
    }
}

impl Mirror {
    /// Mirror `client`'s application into `engine` (an engine of the
    /// application's mode; in memory or kept in a directory), given as an
    /// `Engine` or as an `Arc<Engine>` the host keeps using.
    #[must_use]
    pub fn new(client: Client, engine: impl Into<Arc<Engine>>) -> Self {
        Self {
            client,
            engine: engine.into(),
        }
    }

    /// The client.
    #[must_use]
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The engine.
    #[must_use]
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// The engine, shared: another handle to the same engine.
    #[must_use]
    pub fn shared_engine(&self) -> Arc<Engine> {
        Arc::clone(&self.engine)
    }

    /// The client and the engine back.
    #[must_use]
    pub fn into_parts(self) -> (Client, Arc<Engine>) {
        (self.client, self.engine)
    }

    fn now(&self) -> Result<u64> {
        self.client.unix_now()
    }

    fn settled<T>(
        &self,
        answer: Answer<T>,
        ids: &[BindingId],
        outcome: &Outcome,
        now: u64,
    ) -> Mirrored<T> {
        let mut out_ids = Vec::with_capacity(ids.len());
        let mut bindings = Vec::new();
        let mut record_error = None;
        for id in ids {
            match self.engine.settle(id, outcome, now) {
                Ok(Some(b)) => {
                    out_ids.push(b.id.clone());
                    bindings.push(b);
                }
                Ok(None) => out_ids.push(id.clone()),
                Err(e) => {
                    out_ids.push(id.clone());
                    bindings.extend(self.engine.get(id));
                    record_error.get_or_insert(e);
                }
            }
        }
        Mirrored {
            answer,
            ids: out_ids,
            bindings,
            record_error,
        }
    }

    fn pending<T>(&self, answer: Answer<T>, ids: Vec<BindingId>) -> Mirrored<T> {
        let bindings = ids.iter().filter_map(|id| self.engine.get(id)).collect();
        Mirrored {
            answer,
            ids,
            bindings,
            record_error: None,
        }
    }

    /// Bind on the platform and record it: write-ahead (`request_bind`),
    /// [`Client::call_settled`], then `settle` (see the module docs).
    ///
    /// Errors (nothing was sent): the operation does not validate, the
    /// engine's rules refuse it, the engine cannot record it, the clock
    /// fails.
    pub fn bind<B: MirrorBind>(&self, op: &B) -> Result<Mirrored<B::Output>> {
        op.prepare()?;
        let mut req = op.bind_request()?;
        let now = self.now()?;
        if !op.write_ahead() {
            return Ok(self.bind_then_record(op, &mut req));
        }
        let pending = self.engine.request_bind(&req, now)?;
        let id = pending.id;
        let result = self.client.call_settled(op);
        let now = self.now().unwrap_or(now);
        Ok(match result {
            Ok(out) => match op.confirmation(&out) {
                Ok(outcome) => self.settled(Answer::Confirmed(out), &[id], &outcome, now),
                Err(e) => Mirrored {
                    record_error: Some(e),
                    ..self.pending(Answer::Confirmed(out), vec![id])
                },
            },
            Err(e) if e.kind() == ErrorKind::OutcomeUnknown => {
                self.pending(Answer::Unknown(e), vec![id])
            }
            Err(e) => {
                let outcome = refusal(&e);
                self.settled(Answer::Refused(e), &[id], &outcome, now)
            }
        })
    }

    /// A bind the engine cannot hold before the answer (an AXYB relation):
    /// sent first, recorded once confirmed.
    fn bind_then_record<B: MirrorBind>(
        &self,
        op: &B,
        req: &mut BindRequest,
    ) -> Mirrored<B::Output> {
        let result = self.client.call_settled(op);
        let now = self.now();
        let out = match result {
            Ok(out) => out,
            Err(e) if e.kind() == ErrorKind::OutcomeUnknown => {
                return self.pending(Answer::Unknown(e), Vec::new());
            }
            Err(e) => return self.pending(Answer::Refused(e), Vec::new()),
        };
        let recorded = now.and_then(|now| {
            if let Outcome::Confirmed { id, x, .. } = op.confirmation(&out)? {
                let y = x.ok_or_else(|| {
                    Error::new(
                        ErrorKind::InvalidArgument,
                        "the platform's answer does not say which number it bound",
                    )
                })?;
                req.x = XChoice::Given(y);
                req.id = id;
            }
            self.engine.bind(req, now)
        });
        match recorded {
            Ok(b) => Mirrored {
                answer: Answer::Confirmed(out),
                ids: vec![b.id.clone()],
                bindings: vec![b],
                record_error: None,
            },
            Err(e) => Mirrored {
                record_error: Some(e),
                ..self.pending(Answer::Confirmed(out), Vec::new())
            },
        }
    }

    /// Modify on the platform and record it: `request_modify`,
    /// [`Client::call`], then `settle`.
    ///
    /// Errors (nothing was sent): the operation does not validate, the
    /// engine holds no such binding or its state or rules refuse the change.
    pub fn modify<M: MirrorModify>(&self, op: &M) -> Result<Mirrored<()>> {
        op.prepare()?;
        let id = op.target(&self.engine)?;
        let current = self
            .engine
            .get(&id)
            .ok_or_else(|| Error::new(ErrorKind::BindingNotFound, format!("no binding {id}")))?;
        let changes = op.changes(&current)?;
        let now = self.now()?;
        self.engine.request_modify(&id, &changes, now)?;
        Ok(self.send_idempotent(op, vec![id], now, false))
    }

    /// Unbind on the platform and record it: `request_unbind` (every binding
    /// the unbind removes), [`Client::call`], then `settle`. "Not found"
    /// from the platform counts as done (the binding is gone either way).
    ///
    /// Errors (nothing was sent): the operation does not validate, the
    /// engine holds no such binding or its state refuses the unbind.
    pub fn unbind<U: MirrorUnbind>(&self, op: &U) -> Result<Mirrored<()>> {
        op.prepare()?;
        let ids = op.targets(&self.engine)?;
        let now = self.now()?;
        let mut requested = Vec::with_capacity(ids.len());
        for id in &ids {
            if let Err(e) = self.engine.request_unbind(id, now) {
                // Put back the ones already marked; nothing was sent.
                let failed = Outcome::Failed {
                    code: CODE_RECONCILED.to_owned(),
                };
                for done in &requested {
                    let _ = self.engine.settle(done, &failed, now);
                }
                return Err(e);
            }
            requested.push(id.clone());
        }
        Ok(self.send_idempotent(op, requested, now, true))
    }

    fn send_idempotent<O: Operation<Output = ()>>(
        &self,
        op: &O,
        ids: Vec<BindingId>,
        now: u64,
        gone_is_done: bool,
    ) -> Mirrored<()> {
        let result = self.client.call(op);
        let now = self.now().unwrap_or(now);
        match result {
            Ok(()) => self.settled(Answer::Confirmed(()), &ids, &Outcome::confirmed(), now),
            Err(e) if gone_is_done && e.kind() == ErrorKind::PlatformNotFound => {
                self.settled(Answer::Confirmed(()), &ids, &Outcome::confirmed(), now)
            }
            Err(e) if may_have_taken_effect(&e) => self.pending(Answer::Unknown(e), ids),
            Err(e) => {
                let outcome = refusal(&e);
                self.settled(Answer::Refused(e), &ids, &outcome, now)
            }
        }
    }

    /// Expire the bindings whose lifetime is over now (the client's clock);
    /// returns how many expired. Their events are in the engine.
    pub fn tick(&self) -> Result<usize> {
        self.engine.tick(self.now()?)
    }

    /// Send an operation given by name ([`AnyOperation`]) and record it,
    /// with the answer as JSON: what the C ABI and the Python package call.
    ///
    /// Binds ([`bind`](Self::bind)): `axb.bind`, `ax.bind`, `axe.bind`,
    /// `axyb.bind_ax`, `axyb.bind_yb`. Modifications
    /// ([`modify`](Self::modify)): `axb.modify`, `ax.modify`, `axe.modify`.
    /// Unbinds ([`unbind`](Self::unbind)): `axb.unbind`, `ax.unbind`,
    /// `axe.unbind`, `axyb.unbind`.
    ///
    /// Every other operation (queries, `ax.set_temp_callee`, `call.stop`,
    /// `recording.url`, `voice.verify_code`) is refused with
    /// [`ErrorKind::InvalidArgument`] before anything is sent: the mirror
    /// records nothing for it, and a mirror's call always answers what it
    /// recorded. Send those with the client ([`AnyOperation::send`]).
    ///
    /// The answer (the platform answered, or the outcome is unknown):
    ///
    /// ```json
    /// {"operation": "axb.bind",
    ///  "answer": "confirmed" | "refused" | "unknown",
    ///  "output": {…} | null,      // confirmed: the operation's output
    ///  "error": {…} | null,       // refused or unknown: the error
    ///  "ids": ["…"],              // Mirrored::ids
    ///  "bindings": [{…}],         // the engine's records of them
    ///  "record_error": {…} | null}
    /// ```
    ///
    /// `output` is the operation's output as [`AnyOperation`] gives it
    /// (`{}` for modifications and unbinds); a binding is as the engine's
    /// JSON commands give it; an error is
    /// `{"kind", "code", "platform_code", "field", "http_status",
    /// "message"}`.
    ///
    /// Errors (nothing was sent, nothing recorded): as for
    /// [`bind`](Self::bind), [`modify`](Self::modify) and
    /// [`unbind`](Self::unbind), and an operation the mirror does not
    /// record.
    pub fn call_any(&self, op: &AnyOperation) -> Result<Value> {
        type Op = AnyOperation;
        let name = op.op_name();
        match op {
            Op::AxbBind(o) => self.bind(o).map(|m| mirrored_json(name, m)),
            Op::AxBind(o) => self.bind(o).map(|m| mirrored_json(name, m)),
            Op::AxeBind(o) => self.bind(o).map(|m| mirrored_json(name, m)),
            Op::AxybBindAx(o) => self.bind(o).map(|m| mirrored_json(name, m)),
            Op::AxybBindYb(o) => self.bind(o).map(|m| mirrored_json(name, m)),
            Op::AxbModify(o) => self.modify(o).map(|m| mirrored_json(name, m)),
            Op::AxModify(o) => self.modify(o).map(|m| mirrored_json(name, m)),
            Op::AxeModify(o) => self.modify(o).map(|m| mirrored_json(name, m)),
            Op::AxbUnbind(o) => self.unbind(o).map(|m| mirrored_json(name, m)),
            Op::AxUnbind(o) => self.unbind(o).map(|m| mirrored_json(name, m)),
            Op::AxeUnbind(o) => self.unbind(o).map(|m| mirrored_json(name, m)),
            Op::AxybUnbind(o) => self.unbind(o).map(|m| mirrored_json(name, m)),
            _ => Err(Error::new(
                ErrorKind::InvalidArgument,
                format!(
                    "{name} changes no binding the mirror records (only binds, modifications \
                     and unbinds are mirrored): send it with the client"
                ),
            )),
        }
    }

    /// Query the platform for what the engine holds, compare, and (with
    /// `apply`) give the engine the platform's truth. Due bindings are
    /// expired first.
    ///
    /// The queries by mode: AXB, every page of the bindings on each X the
    /// engine knows; AX, the binding of each X, and the bindings of A for a
    /// pending bind without X; AXE, each binding by `subscriptionId` and a
    /// pending one by X and extension; AXYB, each AX binding (with its
    /// relations) by `subscriptionId`. A query that fails is listed in
    /// [`Reconciliation::query_errors`] and proves nothing.
    ///
    /// Errors: an X-mode engine (the platform holds no bindings), the clock.
    pub fn reconcile(&self, apply_fixes: bool) -> Result<Reconciliation> {
        let now = self.now()?;
        self.engine.tick(now)?;
        let local = self.engine.bindings();
        let mut view = PlatformView::default();
        let mut query_errors = Vec::new();
        let mut note = |r: Result<()>| {
            if let Err(e) = r {
                query_errors.push(e);
            }
        };
        match self.engine.mode() {
            Mode::X => {
                return Err(Error::new(
                    ErrorKind::InvalidArgument,
                    "an X-mode platform holds no bindings to reconcile with",
                ));
            }
            Mode::Axb => {
                let xs: Vec<Number> = unique(local.iter().filter_map(|b| b.x));
                for x in xs {
                    note(self.query_axb_x(x, &mut view));
                }
            }
            Mode::Ax => {
                for x in unique(local.iter().filter_map(|b| b.x)) {
                    note(self.query_ax(AxQuery::ByPrivateNum(x), Scope::X(x), &mut view));
                }
                let owners = local.iter().filter_map(|b| match b.shape {
                    Shape::Owner { a, .. } if b.x.is_none() => Some(a),
                    _ => None,
                });
                for a in unique(owners) {
                    note(self.query_ax(AxQuery::ByOrigNum(a), Scope::Owner(a), &mut view));
                }
            }
            Mode::Axe => {
                for b in &local {
                    let r = match (&b.shape, b.x) {
                        (_, _) if !b.id.is_pending() => self.query_axe(
                            AxeQuery::BySubscriptionId(b.id.as_string()),
                            Scope::Id(b.id.clone()),
                            &mut view,
                        ),
                        (Shape::Extension { ext, .. }, Some(x)) => self.query_axe(
                            AxeQuery::ByExtension {
                                virtual_num: x,
                                extend_num: ext.to_string(),
                            },
                            Scope::Extension(x, *ext),
                            &mut view,
                        ),
                        _ => Ok(()),
                    };
                    note(r);
                }
            }
            Mode::Axyb => {
                for b in &local {
                    if matches!(b.shape, Shape::AxybAx { .. }) && !b.id.is_pending() {
                        note(self.query_axyb(&b.id, &mut view));
                    }
                }
            }
        }
        let comparison = compare(&local, &view);
        let applied = apply_fixes.then(|| apply(&self.engine, &comparison.differences, now));
        Ok(Reconciliation {
            differences: comparison.differences,
            unchecked: comparison.unchecked,
            query_errors,
            applied,
        })
    }

    fn query_axb_x(&self, x: Number, view: &mut PlatformView) -> Result<()> {
        let mut complete = true;
        let mut seen = 0u64;
        // At most 5000 bindings on one X (PN §3): 50 pages of 100, and one
        // more to be sure.
        for page in 1..=51u32 {
            let q = AxbQuery::OnX {
                relation_num: x,
                caller_num: None,
                callee_num: None,
                page_index: Some(page),
                page_size: Some(PAGE_SIZE_MAX),
            };
            let list = match self.client.call(&q) {
                Ok(list) => list,
                Err(e) if e.kind() == ErrorKind::PlatformNotFound => AxbBindings::default(),
                Err(e) => return Err(e),
            };
            let n = list.bindings.len();
            seen += u64::try_from(n).unwrap_or(u64::MAX);
            complete &= view.add_axb(Some(x), &list);
            let last = n < PAGE_SIZE_MAX as usize || list.total_count.is_some_and(|t| seen >= t);
            if last {
                if complete {
                    view.covered(Scope::X(x));
                }
                return Ok(());
            }
        }
        Ok(())
    }

    fn query_ax(&self, q: AxQuery, scope: Scope, view: &mut PlatformView) -> Result<()> {
        let list = match self.client.call(&q) {
            Ok(list) => list,
            Err(e) if e.kind() == ErrorKind::PlatformNotFound => AxBindings::default(),
            Err(e) => return Err(e),
        };
        if view.add_ax(&list) {
            view.covered(scope);
        }
        Ok(())
    }

    fn query_axe(&self, q: AxeQuery, scope: Scope, view: &mut PlatformView) -> Result<()> {
        match self.client.call(&q) {
            Ok(r) => {
                if view.add_axe(&r) {
                    view.covered(scope);
                }
            }
            Err(e) if e.kind() == ErrorKind::PlatformNotFound => view.covered(scope),
            Err(e) => return Err(e),
        }
        Ok(())
    }

    fn query_axyb(&self, id: &BindingId, view: &mut PlatformView) -> Result<()> {
        let q = AxybQuery::new(
            self.client.app_key(),
            AxybQueryBy::SubscriptionId(id.as_string()),
        );
        let list = match self.client.call(&q) {
            Ok(list) => list,
            Err(e) if e.kind() == ErrorKind::PlatformNotFound => AxybBindings::default(),
            Err(e) => return Err(e),
        };
        if view.add_axyb(id, &list) {
            view.covered(Scope::Id(id.clone()));
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// JSON (what the C ABI and the Python package hand out)
// ---------------------------------------------------------------------------

/// An error as JSON: `{"kind", "code", "platform_code", "field",
/// "http_status", "message"}` (absent values `null`; messages never hold a
/// phone number in clear).
#[must_use]
pub fn error_json(e: &Error) -> Value {
    json!({
        "kind": e.kind().name(),
        "code": e.code(),
        "platform_code": e.platform_code(),
        "field": e.field(),
        "http_status": e.http_status(),
        "message": e.message(),
    })
}

/// A value the engine's types serialize (a binding, an id, a shape).
fn serialized<T: serde::Serialize + ?Sized>(v: &T) -> Value {
    // The engine's types serialize to JSON without fail (no maps with
    // non-string keys, no floats).
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// [`Mirror::call_any`]'s answer for a change of `operation`.
fn mirrored_json<T: OutputJson>(operation: &str, m: Mirrored<T>) -> Value {
    let (answer, out, error) = match m.answer {
        Answer::Confirmed(o) => ("confirmed", o.output_json(), Value::Null),
        Answer::Refused(e) => ("refused", Value::Null, error_json(&e)),
        Answer::Unknown(e) => ("unknown", Value::Null, error_json(&e)),
    };
    json!({
        "operation": operation,
        "answer": answer,
        "output": out,
        "error": error,
        "ids": serialized(&m.ids),
        "bindings": serialized(&m.bindings),
        "record_error": m.record_error.as_ref().map(error_json),
    })
}

impl Observed {
    /// As JSON: the fields the query reported (`direction` as the engine
    /// writes it, `"both"`, `"a_to_b"`, `"b_to_a"`), `null` where it did
    /// not say.
    #[must_use]
    pub fn to_json(&self) -> Value {
        json!({
            "direction": self.direction.as_ref().map(serialized),
            "record": self.record,
            "sms": self.sms,
            "max_duration_min": self.max_duration_min,
            "duration_secs": self.duration_secs,
            "user_data": self.user_data,
        })
    }
}

impl PlatformBinding {
    /// As JSON: `id` and `x` (`null` when unknown), the shape's fields as a
    /// binding of the engine has them (`"shape": "pair"`, `a`, `b`, …), and
    /// `seen` ([`Observed::to_json`]).
    #[must_use]
    pub fn to_json(&self) -> Value {
        let mut m = match serialized(&self.shape) {
            Value::Object(m) => m,
            _ => Map::new(),
        };
        m.insert("id".into(), serialized(&self.id));
        m.insert("x".into(), json!(self.x.map(|x| x.e164().to_string())));
        m.insert("seen".into(), self.seen.to_json());
        Value::Object(m)
    }
}

impl Fix {
    /// The fix's name: `"settle"`, `"fail_then_remove"`, `"remove"`,
    /// `"import"` or `"update"`.
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self {
            Self::Settle { .. } => "settle",
            Self::FailThenRemove { .. } => "fail_then_remove",
            Self::Remove { .. } => "remove",
            Self::Import { .. } => "import",
            Self::Update { .. } => "update",
        }
    }
}

impl Difference {
    /// The difference's name: `"only_on_platform"`, `"only_local"`,
    /// `"settings_differ"`, `"requested_but_present"`,
    /// `"requested_but_absent"` or `"ambiguous"`.
    #[must_use]
    pub fn kind_name(&self) -> &'static str {
        match self {
            Self::OnlyOnPlatform { .. } => "only_on_platform",
            Self::OnlyLocal { .. } => "only_local",
            Self::SettingsDiffer { .. } => "settings_differ",
            Self::RequestedButPresent { .. } => "requested_but_present",
            Self::RequestedButAbsent { .. } => "requested_but_absent",
            Self::Ambiguous { .. } => "ambiguous",
        }
    }

    /// As JSON: `{"kind": <kind_name>, "fix": <Fix::name> | null, …}` with
    /// the variant's fields: `local` (a binding as the engine's JSON
    /// commands give it), `platform` ([`PlatformBinding::to_json`]),
    /// `fields` (wire names), `took_effect` (`true`, `false` or `null`),
    /// `candidates`.
    #[must_use]
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("kind".into(), json!(self.kind_name()));
        m.insert("fix".into(), json!(self.fix().as_ref().map(Fix::name)));
        let mut local = |b: &Binding| m.insert("local".into(), serialized(b));
        match self {
            Self::OnlyOnPlatform { platform } => {
                m.insert("platform".into(), platform.to_json());
            }
            Self::OnlyLocal { local: l } | Self::RequestedButAbsent { local: l } => {
                local(l);
            }
            Self::SettingsDiffer {
                local: l,
                platform,
                fields,
            } => {
                local(l);
                m.insert("platform".into(), platform.to_json());
                m.insert("fields".into(), json!(fields));
            }
            Self::RequestedButPresent {
                local: l,
                platform,
                took_effect,
            } => {
                local(l);
                m.insert("platform".into(), platform.to_json());
                m.insert("took_effect".into(), json!(took_effect));
            }
            Self::Ambiguous {
                local: l,
                candidates,
            } => {
                local(l);
                let c: Vec<Value> = candidates.iter().map(PlatformBinding::to_json).collect();
                m.insert("candidates".into(), Value::Array(c));
            }
        }
        Value::Object(m)
    }
}

impl ApplyReport {
    /// As JSON: `{"applied": n, "skipped": n, "errors": [{"index": i,
    /// "error": {…}}]}` (`index` into the differences).
    #[must_use]
    pub fn to_json(&self) -> Value {
        let errors: Vec<Value> = self
            .errors
            .iter()
            .map(|(i, e)| json!({"index": i, "error": error_json(e)}))
            .collect();
        json!({"applied": self.applied, "skipped": self.skipped, "errors": errors})
    }
}

impl Reconciliation {
    /// As JSON: `{"differences": [Difference::to_json…], "unchecked":
    /// ["id"…], "query_errors": [{…}], "applied": ApplyReport::to_json |
    /// null}`. It holds the parties' numbers in clear (they are the data
    /// being reconciled): log it with care.
    #[must_use]
    pub fn to_json(&self) -> Value {
        let differences: Vec<Value> = self.differences.iter().map(Difference::to_json).collect();
        let errors: Vec<Value> = self.query_errors.iter().map(error_json).collect();
        json!({
            "differences": differences,
            "unchecked": serialized(&self.unchecked),
            "query_errors": errors,
            "applied": self.applied.as_ref().map(ApplyReport::to_json),
        })
    }
}

fn unique<T: Eq + std::hash::Hash + Copy>(it: impl Iterator<Item = T>) -> Vec<T> {
    let mut seen = HashSet::new();
    it.filter(|v| seen.insert(*v)).collect()
}

// ---------------------------------------------------------------------------
// The platform's view
// ---------------------------------------------------------------------------

/// What a query showed of a binding's settings; `None` where the answer
/// did not say (the comparison ignores those).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Observed {
    /// `callDirection`.
    pub direction: Option<Direction>,
    /// `recordFlag`.
    pub record: Option<bool>,
    /// `privateSms` (SMS allowed).
    pub sms: Option<bool>,
    /// `maxDuration` in minutes.
    pub max_duration_min: Option<u16>,
    /// The lifetime in seconds (`duration`). Not read for AXE: its query
    /// answers the bind's values even after a modification (PN §5.3).
    pub duration_secs: Option<u32>,
    /// `userData`.
    pub user_data: Option<String>,
}

/// A binding as the platform's query showed it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct PlatformBinding {
    /// `subscriptionId`; `None` for an AXYB relation (the platform
    /// identifies it by its AX binding and B or Y) or an answer without it.
    pub id: Option<BindingId>,
    /// X (for a relation, its AX binding's X).
    pub x: Option<Number>,
    /// Who it connects (an AX owner's temporary callee and an extension's
    /// callback are not reported and left empty).
    pub shape: Shape,
    /// Its settings, as far as the answer gave them.
    pub seen: Observed,
}

/// Which part of the platform a query listed completely: local bindings
/// there that the answer does not show are absent on the platform.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Scope {
    /// Every binding on this X.
    X(Number),
    /// This binding (an AXYB AX binding: with its relations).
    Id(BindingId),
    /// Every AX binding of this A.
    Owner(Number),
    /// The binding of this extension on this X.
    Extension(Number, Ext),
}

/// The platform's bindings as queries showed them, and what the queries
/// covered completely. Fill it from query answers (`add_*`, [`covered`])
/// and hand it to [`compare`].
///
/// [`covered`]: PlatformView::covered
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PlatformView {
    /// The bindings found.
    pub bindings: Vec<PlatformBinding>,
    /// What was listed completely.
    pub scopes: Vec<Scope>,
}

fn u16_from(v: Option<u32>) -> Option<u16> {
    v.and_then(|m| u16::try_from(m).ok())
}

fn u32_from(v: Option<u64>) -> Option<u32> {
    v.and_then(|d| u32::try_from(d).ok())
}

fn id_from(id: Option<&String>) -> Option<BindingId> {
    id.and_then(|s| BindingId::new(s).ok())
}

impl PlatformView {
    /// Mark `scope` as listed completely.
    pub fn covered(&mut self, scope: Scope) {
        if !self.scopes.contains(&scope) {
            self.scopes.push(scope);
        }
    }

    /// Add a page of an AXB query answer (`x`: the X queried, used where an
    /// entry does not repeat it). Returns whether every entry was read
    /// (an entry without A or B, or one the client skipped, is not).
    pub fn add_axb(&mut self, x: Option<Number>, list: &AxbBindings) -> bool {
        let mut complete = list.skipped == 0;
        for r in &list.bindings {
            match Self::axb(x, r) {
                Some(p) => self.bindings.push(p),
                None => complete = false,
            }
        }
        complete
    }

    fn axb(x: Option<Number>, r: &AxbRecord) -> Option<PlatformBinding> {
        Some(PlatformBinding {
            id: id_from(r.subscription_id.as_ref()),
            x: x_of(r.relation_num.as_ref()).or(x),
            shape: Shape::Pair {
                a: x_of(r.caller_num.as_ref())?,
                b: x_of(r.callee_num.as_ref())?,
            },
            seen: Observed {
                direction: r.call_direction,
                record: r.record_flag,
                sms: r.private_sms,
                max_duration_min: u16_from(r.max_duration),
                duration_secs: u32_from(r.duration),
                user_data: r.user_data.clone(),
            },
        })
    }

    /// Add an AX query answer; returns whether every entry was read.
    pub fn add_ax(&mut self, list: &AxBindings) -> bool {
        let mut complete = list.skipped == 0;
        for r in &list.bindings {
            match Self::ax(r) {
                Some(p) => self.bindings.push(p),
                None => complete = false,
            }
        }
        complete
    }

    fn ax(r: &AxRecord) -> Option<PlatformBinding> {
        Some(PlatformBinding {
            id: id_from(r.subscription_id.as_ref()),
            x: Some(x_of(r.private_num.as_ref())?),
            shape: Shape::Owner {
                a: x_of(r.orig_num.as_ref())?,
                temp_callee: None,
            },
            seen: Observed {
                direction: r.call_direction,
                record: r.record_flag,
                sms: r.private_sms,
                max_duration_min: u16_from(r.max_duration),
                duration_secs: None,
                user_data: r.user_data.clone(),
            },
        })
    }

    /// Add an AXE query answer; returns whether it was read (an answer
    /// without X, extension or A is not).
    pub fn add_axe(&mut self, r: &AxeRecord) -> bool {
        let read = || -> Option<PlatformBinding> {
            Some(PlatformBinding {
                id: id_from(r.subscription_id.as_ref()),
                x: Some(x_of(r.virtual_num.as_ref())?),
                shape: Shape::Extension {
                    a: x_of(r.bind_num.as_ref())?,
                    ext: Ext::parse(r.extend_num.as_deref()?).ok()?,
                    callback: None,
                    callback_lifetime_secs: 0,
                },
                seen: Observed {
                    record: r.record_flag,
                    user_data: r.user_data.clone(),
                    ..Observed::default()
                },
            })
        };
        match read() {
            Some(p) => {
                self.bindings.push(p);
                true
            }
            None => false,
        }
    }

    /// Add an AXYB query answer for the AX binding `id`: the AX binding and
    /// its relations (entries with B and Y). Returns whether every entry
    /// was read and the list may be whole (fewer than five relations).
    pub fn add_axyb(&mut self, id: &BindingId, list: &AxybBindings) -> bool {
        let mut complete = list.skipped == 0 && list.bindings.len() < 5;
        let Some(first) = list.bindings.first() else {
            return complete;
        };
        let x = x_of(first.num_x.as_ref());
        match x_of(first.num_a.as_ref()) {
            Some(a) => self.bindings.push(PlatformBinding {
                id: id_from(first.bind_id.as_ref()).or_else(|| Some(id.clone())),
                x,
                shape: Shape::AxybAx { a, yb_duration: 0 },
                seen: Observed {
                    direction: first.call_direction,
                    record: first.record_flag,
                    duration_secs: u32_from(first.duration),
                    user_data: first.user_data.clone(),
                    ..Observed::default()
                },
            }),
            None => complete = false,
        }
        for r in &list.bindings {
            match (x_of(r.num_b.as_ref()), x_of(r.num_y.as_ref())) {
                (Some(b), Some(y)) => self.bindings.push(PlatformBinding {
                    id: None,
                    x,
                    shape: Shape::AxybYb {
                        parent: id.clone(),
                        b,
                        y,
                    },
                    seen: Observed::default(),
                }),
                (None, None) => {}
                _ => complete = false,
            }
        }
        complete
    }
}

// ---------------------------------------------------------------------------
// Comparing
// ---------------------------------------------------------------------------

/// One way the engine and the platform disagree.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Difference {
    /// The platform holds a binding the engine does not know (bound
    /// elsewhere, or recorded nowhere after a crash).
    OnlyOnPlatform {
        /// The platform's binding.
        platform: PlatformBinding,
    },
    /// The engine holds a bound binding the platform no longer has (it
    /// expired or was unbound elsewhere).
    OnlyLocal {
        /// The engine's binding.
        local: Binding,
    },
    /// Both hold the binding, with different settings or parties.
    SettingsDiffer {
        /// The engine's binding.
        local: Binding,
        /// The platform's.
        platform: PlatformBinding,
        /// What differs (wire names: `callerNum`, `calleeNum`, `origNum`,
        /// `bindNum`, `callDirection`, `recordFlag`, `privateSms`,
        /// `maxDuration`, `duration`, `userData`).
        fields: Vec<&'static str>,
    },
    /// The engine holds a pending request (bind, modification or unbind)
    /// and the platform holds the binding.
    RequestedButPresent {
        /// The engine's binding (requested, modifying or unbinding).
        local: Binding,
        /// The platform's.
        platform: PlatformBinding,
        /// For a modification: whether the platform shows the new values
        /// (`Some(true)`), the old ones (`Some(false)`), or cannot tell.
        /// A bind found took effect; an unbind found did not.
        took_effect: Option<bool>,
    },
    /// The engine holds a pending request and the platform, listing where
    /// the binding would be, does not hold it.
    RequestedButAbsent {
        /// The engine's binding (requested, modifying or unbinding).
        local: Binding,
    },
    /// A pending bind without X matches several of the platform's
    /// bindings of its A: which one (if any) is its cannot be told.
    Ambiguous {
        /// The engine's binding.
        local: Binding,
        /// The candidates.
        candidates: Vec<PlatformBinding>,
    },
}

/// A change to the engine that makes it agree with the platform.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fix {
    /// Settle the pending request on this binding.
    Settle {
        /// The binding.
        id: BindingId,
        /// The outcome to record.
        outcome: Outcome,
    },
    /// Settle a pending modification as refused, then remove the binding
    /// (it is gone on the platform).
    FailThenRemove {
        /// The binding.
        id: BindingId,
    },
    /// Remove the binding (`Engine::unbind`).
    Remove {
        /// The binding.
        id: BindingId,
    },
    /// Record the platform's binding (`Engine::bind` with its id and X).
    Import {
        /// The request.
        request: Box<BindRequest>,
    },
    /// Change the binding's settings to the platform's (`Engine::modify`:
    /// its lifetime restarts).
    Update {
        /// The binding.
        id: BindingId,
        /// The changes.
        changes: Box<Changes>,
    },
}

impl Difference {
    /// What to change in the engine to agree with the platform, if that
    /// can be told.
    #[must_use]
    pub fn fix(&self) -> Option<Fix> {
        match self {
            Self::OnlyOnPlatform { platform } => import(platform).map(|request| Fix::Import {
                request: Box::new(request),
            }),
            Self::OnlyLocal { local } => Some(Fix::Remove {
                id: local.id.clone(),
            }),
            Self::SettingsDiffer {
                local, platform, ..
            } => Some(Fix::Update {
                id: local.id.clone(),
                changes: Box::new(changes_to(local, platform)),
            }),
            Self::RequestedButPresent {
                local,
                platform,
                took_effect,
            } => {
                let id = local.id.clone();
                let outcome = match local.state {
                    State::Requested => {
                        let ext = match platform.shape {
                            Shape::Extension { ext, .. } => Some(ext),
                            _ => None,
                        };
                        Outcome::Confirmed {
                            id: Some(platform.id.clone()?),
                            x: platform.x,
                            ext,
                        }
                    }
                    State::Unbinding => reconciled_failure(),
                    State::Modifying => match took_effect {
                        Some(true) => Outcome::confirmed(),
                        Some(false) => reconciled_failure(),
                        None => return None,
                    },
                    _ => return None,
                };
                Some(Fix::Settle { id, outcome })
            }
            Self::RequestedButAbsent { local } => {
                let id = local.id.clone();
                match local.state {
                    State::Requested => Some(Fix::Settle {
                        id,
                        outcome: reconciled_failure(),
                    }),
                    State::Unbinding => Some(Fix::Settle {
                        id,
                        outcome: Outcome::confirmed(),
                    }),
                    State::Modifying => Some(Fix::FailThenRemove { id }),
                    _ => None,
                }
            }
            Self::Ambiguous { .. } => None,
        }
    }
}

fn reconciled_failure() -> Outcome {
    Outcome::Failed {
        code: CODE_RECONCILED.to_owned(),
    }
}

/// The result of [`compare`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Comparison {
    /// The differences: the engine's bindings in its order, then the
    /// platform's bindings the engine lacks (AX bindings before relations).
    pub differences: Vec<Difference>,
    /// Engine bindings no complete answer covered: neither presence nor
    /// absence could be checked.
    pub unchecked: Vec<BindingId>,
}

/// What [`Mirror::reconcile`] found and did.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Reconciliation {
    /// The differences.
    pub differences: Vec<Difference>,
    /// Engine bindings that could not be checked.
    pub unchecked: Vec<BindingId>,
    /// Queries that failed (what they would have covered is unchecked).
    pub query_errors: Vec<Error>,
    /// What applying the fixes did, when asked to.
    pub applied: Option<ApplyReport>,
}

/// What [`apply`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApplyReport {
    /// Fixes applied.
    pub applied: usize,
    /// Differences without a fix (ambiguous, or not enough known).
    pub skipped: usize,
    /// Fixes the engine refused: the index of the difference and the error.
    pub errors: Vec<(usize, Error)>,
}

fn is_pending(b: &Binding) -> bool {
    matches!(
        b.state,
        State::Requested | State::Modifying | State::Unbinding
    )
}

fn in_scope(b: &Binding, scopes: &[Scope]) -> bool {
    scopes.iter().any(|s| match (s, &b.shape) {
        (Scope::Id(id), Shape::AxybYb { parent, .. }) => id == parent || *id == b.id,
        (Scope::Id(id), _) => *id == b.id,
        (Scope::X(x), _) => b.x == Some(*x),
        (Scope::Owner(a), Shape::Owner { a: la, .. } | Shape::AxybAx { a: la, .. }) => a == la,
        (Scope::Extension(x, e), Shape::Extension { ext, .. }) => b.x == Some(*x) && e == ext,
        _ => false,
    })
}

/// Whether `p` is where `l` would be: the same parties (and X, when `l`
/// knows it).
fn same_place(l: &Binding, p: &PlatformBinding) -> bool {
    let x_ok = l.x.is_none() || l.x == p.x;
    x_ok && match (&l.shape, &p.shape) {
        (Shape::Pair { a, b }, Shape::Pair { a: pa, b: pb }) => a == pa && b == pb,
        (Shape::Owner { a, .. }, Shape::Owner { a: pa, .. })
        | (Shape::AxybAx { a, .. }, Shape::AxybAx { a: pa, .. }) => a == pa,
        (
            Shape::Extension { a, ext, .. },
            Shape::Extension {
                a: pa, ext: pext, ..
            },
        ) => a == pa && (l.x.is_none() || ext == pext),
        (
            Shape::AxybYb { parent, b, .. },
            Shape::AxybYb {
                parent: pp, b: pb, ..
            },
        ) => parent == pp && b == pb,
        _ => false,
    }
}

/// Whether `l` is matched by id (a platform id it holds); relations and
/// pending binds are matched by place.
fn by_platform_id(l: &Binding) -> bool {
    !l.id.is_pending() && !matches!(l.shape, Shape::AxybYb { .. })
}

/// Compare the engine's bindings with the platform's view: a pure
/// function (see the [module docs](self)).
#[must_use]
pub fn compare(local: &[Binding], view: &PlatformView) -> Comparison {
    let mut used = vec![false; view.bindings.len()];
    let mut matched: Vec<Option<usize>> = vec![None; local.len()];
    // Pass 1: platform ids.
    for (i, l) in local.iter().enumerate() {
        if by_platform_id(l) {
            if let Some(j) = view
                .bindings
                .iter()
                .enumerate()
                .position(|(j, p)| !used[j] && p.id.as_ref() == Some(&l.id))
            {
                used[j] = true;
                matched[i] = Some(j);
            }
        }
    }
    let mut out = Comparison::default();
    let mut ambiguous: Vec<(usize, Vec<usize>)> = Vec::new();
    // Pass 2: places, for pending binds and relations.
    for (i, l) in local.iter().enumerate() {
        if by_platform_id(l) {
            continue;
        }
        let candidates: Vec<usize> = (0..view.bindings.len())
            .filter(|&j| !used[j] && same_place(l, &view.bindings[j]))
            .collect();
        match candidates.as_slice() {
            [] => {}
            [j] => {
                used[*j] = true;
                matched[i] = Some(*j);
            }
            several => ambiguous.push((i, several.to_vec())),
        }
    }
    for (i, l) in local.iter().enumerate() {
        if let Some((_, c)) = ambiguous.iter().find(|(k, _)| *k == i) {
            out.differences.push(Difference::Ambiguous {
                local: l.clone(),
                candidates: c.iter().map(|&j| view.bindings[j].clone()).collect(),
            });
            for &j in c {
                used[j] = true;
            }
            continue;
        }
        match matched[i] {
            Some(j) => {
                let p = &view.bindings[j];
                if is_pending(l) {
                    let took_effect = match l.state {
                        State::Requested => Some(true),
                        State::Unbinding => Some(false),
                        _ => modification_took_effect(l, p),
                    };
                    out.differences.push(Difference::RequestedButPresent {
                        local: l.clone(),
                        platform: p.clone(),
                        took_effect,
                    });
                } else {
                    let fields = differing(l, p);
                    if !fields.is_empty() {
                        out.differences.push(Difference::SettingsDiffer {
                            local: l.clone(),
                            platform: p.clone(),
                            fields,
                        });
                    }
                }
            }
            None if !in_scope(l, &view.scopes) => out.unchecked.push(l.id.clone()),
            None if is_pending(l) => {
                out.differences
                    .push(Difference::RequestedButAbsent { local: l.clone() });
            }
            None => out
                .differences
                .push(Difference::OnlyLocal { local: l.clone() }),
        }
    }
    // The platform's extras: AX bindings before relations, so that an
    // import of a relation finds its AX binding.
    let mut extra: Vec<&PlatformBinding> = view
        .bindings
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|(p, _)| p)
        .collect();
    extra.sort_by_key(|p| matches!(p.shape, Shape::AxybYb { .. }));
    out.differences
        .extend(extra.into_iter().map(|p| Difference::OnlyOnPlatform {
            platform: p.clone(),
        }));
    out
}

/// A binding's parties against the platform's.
fn party_fields(l: &Shape, p: &Shape, out: &mut Vec<&'static str>) {
    let (a, pa, name) = match (l, p) {
        (Shape::Pair { a, b }, Shape::Pair { a: pa, b: pb }) => {
            if b != pb {
                out.push("calleeNum");
            }
            (a, pa, "callerNum")
        }
        (Shape::Owner { a, .. }, Shape::Owner { a: pa, .. })
        | (Shape::AxybAx { a, .. }, Shape::AxybAx { a: pa, .. }) => (a, pa, "origNum"),
        (Shape::Extension { a, .. }, Shape::Extension { a: pa, .. }) => (a, pa, "bindNum"),
        _ => return,
    };
    if a != pa {
        out.insert(0, name);
    }
}

fn user_data(b: &Binding) -> Option<&str> {
    b.settings
        .extras
        .as_deref()
        .and_then(|e| e.user_data.as_deref())
}

/// The fields the platform reports that differ from the engine's.
fn differing(l: &Binding, p: &PlatformBinding) -> Vec<&'static str> {
    let mut out = Vec::new();
    party_fields(&l.shape, &p.shape, &mut out);
    let s = &l.settings;
    let seen = &p.seen;
    let mut check = |differs: bool, name| {
        if differs {
            out.push(name);
        }
    };
    check(
        seen.direction.is_some_and(|v| v != s.direction),
        "callDirection",
    );
    check(seen.record.is_some_and(|v| v != s.record), "recordFlag");
    check(seen.sms.is_some_and(|v| v != s.sms), "privateSms");
    check(
        seen.max_duration_min
            .is_some_and(|v| v != s.max_duration_min),
        "maxDuration",
    );
    check(
        seen.duration_secs.is_some_and(|v| v != s.duration_secs),
        "duration",
    );
    check(
        seen.user_data
            .as_deref()
            .is_some_and(|v| Some(v) != user_data(l)),
        "userData",
    );
    out
}

/// Whether the platform shows a pending modification's new values
/// (`Some(true)`), the old ones (`Some(false)`), or cannot tell.
fn modification_took_effect(l: &Binding, p: &PlatformBinding) -> Option<bool> {
    let c = l.pending.as_deref()?;
    let s = &l.settings;
    let seen = &p.seen;
    // (reported, new, old) for each changed field the platform reports.
    let mut votes: Vec<(bool, bool)> = Vec::new();
    let mut vote = |reported: Option<u64>, new: Option<u64>, old: u64| {
        if let (Some(r), Some(n)) = (reported, new) {
            if n != old {
                votes.push((r == n, r == old));
            }
        }
    };
    vote(
        seen.direction.map(|d| u64::from(d.code())),
        c.direction.map(|d| u64::from(d.code())),
        u64::from(s.direction.code()),
    );
    vote(
        seen.record.map(u64::from),
        c.record.map(u64::from),
        u64::from(s.record),
    );
    vote(
        seen.sms.map(u64::from),
        c.sms.map(u64::from),
        u64::from(s.sms),
    );
    vote(
        seen.max_duration_min.map(u64::from),
        c.max_duration_min.map(u64::from),
        u64::from(s.max_duration_min),
    );
    vote(
        seen.duration_secs.map(u64::from),
        c.duration_secs.map(u64::from),
        u64::from(s.duration_secs),
    );
    let new_a = c.a.map(|n| n.to_bits());
    let new_b = c.b.map(|n| n.to_bits());
    match (&l.shape, &p.shape) {
        (Shape::Pair { a, b }, Shape::Pair { a: pa, b: pb }) => {
            vote(Some(pa.to_bits()), new_a, a.to_bits());
            vote(Some(pb.to_bits()), new_b, b.to_bits());
        }
        (
            Shape::Owner { a, .. } | Shape::Extension { a, .. },
            Shape::Owner { a: pa, .. } | Shape::Extension { a: pa, .. },
        ) => vote(Some(pa.to_bits()), new_a, a.to_bits()),
        _ => {}
    }
    if let (Some(r), Some(new)) = (
        seen.user_data.as_deref(),
        c.extras.as_deref().map(|e| e.user_data.as_deref()),
    ) {
        if new != user_data(l) {
            votes.push((Some(r) == new, Some(r) == user_data(l)));
        }
    }
    if votes.is_empty() {
        return None;
    }
    if votes.iter().all(|&(is_new, _)| is_new) {
        Some(true)
    } else if votes.iter().all(|&(_, is_old)| is_old) {
        Some(false)
    } else {
        None
    }
}

/// The changes that give `l` the platform's reported values.
fn changes_to(l: &Binding, p: &PlatformBinding) -> Changes {
    let s = &l.settings;
    let seen = &p.seen;
    let differs = |v: Option<u64>, old: u64| v.filter(|v| *v != old);
    let mut c = Changes {
        direction: seen.direction.filter(|d| *d != s.direction),
        record: seen.record.filter(|r| *r != s.record),
        sms: seen.sms.filter(|v| *v != s.sms),
        max_duration_min: seen.max_duration_min.filter(|m| *m != s.max_duration_min),
        duration_secs: differs(
            seen.duration_secs.map(u64::from),
            u64::from(s.duration_secs),
        )
        .and_then(|d| u32::try_from(d).ok()),
        ..Changes::default()
    };
    match (&l.shape, &p.shape) {
        (Shape::Pair { a, b }, Shape::Pair { a: pa, b: pb }) => {
            c.a = (a != pa).then_some(*pa);
            c.b = (b != pb).then_some(*pb);
        }
        (Shape::Owner { a, .. }, Shape::Owner { a: pa, .. })
        | (Shape::AxybAx { a, .. }, Shape::AxybAx { a: pa, .. })
        | (Shape::Extension { a, .. }, Shape::Extension { a: pa, .. }) => {
            c.a = (a != pa).then_some(*pa);
        }
        _ => {}
    }
    if let Some(u) = seen
        .user_data
        .as_ref()
        .filter(|u| Some(u.as_str()) != user_data(l))
    {
        c.extras = edit_extras(l, |e| {
            e.user_data = Some(u.clone());
            true
        });
    }
    c
}

/// The engine request that records the platform's binding `p`.
fn import(p: &PlatformBinding) -> Option<BindRequest> {
    let seen = &p.seen;
    let user = seen.user_data.clone();
    let mut settings = Settings {
        direction: seen.direction.unwrap_or_default(),
        record: seen.record.unwrap_or(false),
        sms: seen.sms.unwrap_or(true),
        max_duration_min: seen.max_duration_min.unwrap_or(0),
        duration_secs: seen.duration_secs.unwrap_or(0),
        extras: extras(Extras {
            user_data: user,
            ..Extras::default()
        }),
    };
    let (shape, x) = match &p.shape {
        Shape::Pair { a, b } => (ShapeRequest::Pair { a: *a, b: *b }, p.x?),
        Shape::Owner { a, .. } => {
            settings.duration_secs = 0;
            (ShapeRequest::Owner { a: *a }, p.x?)
        }
        Shape::Extension { a, ext, .. } => (
            ShapeRequest::Extension {
                a: *a,
                ext: Some(ext.to_string()),
                callback: None,
                callback_lifetime_secs: 0,
            },
            p.x?,
        ),
        Shape::AxybAx { a, yb_duration } => (
            ShapeRequest::AxybAx {
                a: *a,
                yb_duration: *yb_duration,
            },
            p.x?,
        ),
        Shape::AxybYb { parent, b, y } => (
            ShapeRequest::AxybYb {
                parent: parent.clone(),
                b: *b,
                yb_duration: None,
            },
            *y,
        ),
    };
    let id = match p.shape {
        Shape::AxybYb { .. } => None,
        _ => Some(p.id.clone()?),
    };
    Some(BindRequest {
        shape,
        x: XChoice::Given(x),
        settings,
        id,
    })
}

/// Give the engine the platform's truth: apply each difference's
/// [`Difference::fix`] at `now`. A fix the engine refuses is reported and
/// the others still applied.
pub fn apply(engine: &Engine, differences: &[Difference], now: u64) -> ApplyReport {
    let mut report = ApplyReport::default();
    for (i, d) in differences.iter().enumerate() {
        let Some(fix) = d.fix() else {
            report.skipped += 1;
            continue;
        };
        let r = match &fix {
            Fix::Settle { id, outcome } => engine.settle(id, outcome, now).map(drop),
            Fix::FailThenRemove { id } => engine
                .settle(id, &reconciled_failure(), now)
                .and_then(|_| engine.unbind(id, now)),
            Fix::Remove { id } => engine.unbind(id, now),
            Fix::Import { request } => engine.bind(request, now).map(drop),
            Fix::Update { id, changes } => engine.modify(id, changes, now).map(drop),
        };
        match r {
            Ok(()) => report.applied += 1,
            Err(e) => report.errors.push((i, e)),
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::EngineConfig;
    use crate::number::parse;

    fn n(s: &str) -> Number {
        parse(s).unwrap()
    }

    const X: &str = "+8617000000010";
    const A: &str = "+8613800000001";
    const B: &str = "+8613900000002";

    fn engine() -> Engine {
        Engine::new(EngineConfig::new(Mode::Axb)).unwrap()
    }

    fn pair(a: &str, b: &str, id: Option<&str>) -> BindRequest {
        BindRequest {
            shape: ShapeRequest::Pair { a: n(a), b: n(b) },
            x: XChoice::Given(n(X)),
            settings: Settings::default(),
            id: id.map(|i| BindingId::new(i).unwrap()),
        }
    }

    fn on_platform(id: &str, a: &str, b: &str) -> PlatformBinding {
        PlatformBinding {
            id: Some(BindingId::new(id).unwrap()),
            x: Some(n(X)),
            shape: Shape::Pair { a: n(a), b: n(b) },
            seen: Observed {
                direction: Some(Direction::Both),
                record: Some(false),
                ..Observed::default()
            },
        }
    }

    fn view(bindings: Vec<PlatformBinding>) -> PlatformView {
        PlatformView {
            bindings,
            scopes: vec![Scope::X(n(X))],
        }
    }

    #[test]
    fn agreeing_engine_and_platform_have_no_differences() {
        let e = engine();
        e.bind(&pair(A, B, Some("sub-1")), 100).unwrap();
        let c = compare(&e.bindings(), &view(vec![on_platform("sub-1", A, B)]));
        assert_eq!(c, Comparison::default());
    }

    #[test]
    fn each_kind_of_difference_and_its_fix() {
        let e = engine();
        e.bind(&pair(A, B, Some("same")), 100).unwrap();
        e.bind(&pair("+8613800000002", "+8613900000003", Some("gone")), 100)
            .unwrap();
        e.request_bind(&pair("+8613800000003", "+8613900000004", None), 100)
            .unwrap();
        e.request_bind(&pair("+8613800000004", "+8613900000005", None), 100)
            .unwrap();
        let mut differ = on_platform("same", A, B);
        differ.seen.record = Some(true);
        differ.seen.user_data = Some("order-9".into());
        let v = view(vec![
            differ,
            on_platform("sub-4", "+8613800000003", "+8613900000004"),
            on_platform("elsewhere", "+8613800000007", "+8613900000007"),
        ]);
        let c = compare(&e.bindings(), &v);
        assert!(c.unchecked.is_empty());
        let mut kinds: Vec<&str> = c
            .differences
            .iter()
            .map(|d| match d {
                Difference::OnlyOnPlatform { .. } => "only_platform",
                Difference::OnlyLocal { .. } => "only_local",
                Difference::SettingsDiffer { fields, .. } => {
                    assert_eq!(fields, &["recordFlag", "userData"]);
                    "settings"
                }
                Difference::RequestedButPresent { took_effect, .. } => {
                    assert_eq!(*took_effect, Some(true));
                    "requested_present"
                }
                Difference::RequestedButAbsent { .. } => "requested_absent",
                Difference::Ambiguous { .. } => "ambiguous",
            })
            .collect();
        assert_eq!(
            c.differences
                .last()
                .map(|d| matches!(d, Difference::OnlyOnPlatform { .. })),
            Some(true)
        );
        kinds.sort_unstable();
        assert_eq!(
            kinds,
            [
                "only_local",
                "only_platform",
                "requested_absent",
                "requested_present",
                "settings"
            ]
        );
        // Applying them makes the engine agree with the platform.
        let report = apply(&e, &c.differences, 200);
        assert_eq!((report.applied, report.skipped), (5, 0), "{report:?}");
        assert!(report.errors.is_empty());
        let again = compare(&e.bindings(), &v);
        assert_eq!(again, Comparison::default(), "{again:#?}");
        let mut ids: Vec<String> = e.bindings().iter().map(|b| b.id.as_string()).collect();
        ids.sort();
        assert_eq!(ids, ["elsewhere", "same", "sub-4"]);
        let same = e.get(&BindingId::new("same").unwrap()).unwrap();
        assert!(same.settings.record);
        assert_eq!(user_data(&same), Some("order-9"));
    }

    #[test]
    fn nothing_is_called_absent_outside_what_was_listed() {
        let e = engine();
        e.bind(&pair(A, B, Some("sub-1")), 100).unwrap();
        let pending = e
            .request_bind(
                &BindRequest {
                    x: XChoice::Platform,
                    ..pair(A, "+8613900000004", None)
                },
                100,
            )
            .unwrap();
        let c = compare(&e.bindings(), &PlatformView::default());
        assert!(c.differences.is_empty());
        let mut unchecked = c.unchecked.clone();
        unchecked.sort_by_key(BindingId::as_string);
        assert_eq!(unchecked, [pending.id, BindingId::new("sub-1").unwrap()]);
    }

    #[test]
    fn pending_modifications_and_unbinds_are_judged_by_what_the_platform_shows() {
        let e = engine();
        e.bind(&pair(A, B, Some("m")), 100).unwrap();
        e.bind(&pair("+8613800000005", "+8613900000006", Some("u")), 100)
            .unwrap();
        let changes = Changes {
            record: Some(true),
            ..Changes::default()
        };
        e.request_modify(&BindingId::new("m").unwrap(), &changes, 100)
            .unwrap();
        e.request_unbind(&BindingId::new("u").unwrap(), 100)
            .unwrap();
        let local = e.bindings();
        // The new value shown: the modification took effect; the unbind
        // did not.
        let mut m = on_platform("m", A, B);
        m.seen.record = Some(true);
        let u = on_platform("u", "+8613800000005", "+8613900000006");
        let c = compare(&local, &view(vec![m.clone(), u]));
        let verdicts: Vec<(String, Option<bool>)> = c
            .differences
            .iter()
            .map(|d| match d {
                Difference::RequestedButPresent {
                    local, took_effect, ..
                } => (local.id.as_string(), *took_effect),
                other => panic!("{other:?}"),
            })
            .collect();
        assert!(verdicts.contains(&("m".into(), Some(true))));
        assert!(verdicts.contains(&("u".into(), Some(false))));
        // The old value: not taken effect. Nothing reported: cannot tell.
        m.seen.record = Some(false);
        let c = compare(&local, &view(vec![m.clone()]));
        assert!(c.differences.iter().any(|d| matches!(
            d,
            Difference::RequestedButPresent {
                took_effect: Some(false),
                ..
            }
        )));
        m.seen.record = None;
        let c = compare(&local, &view(vec![m]));
        let undecided = c
            .differences
            .iter()
            .find(|d| matches!(d, Difference::RequestedButPresent { local, .. } if local.id.as_string() == "m"))
            .unwrap();
        assert_eq!(undecided.fix(), None);
        // Both gone: the unbind is done, the modified binding removed.
        let c = compare(&local, &view(vec![]));
        let report = apply(&e, &c.differences, 200);
        assert_eq!(report.applied, 2, "{report:?}");
        assert!(e.is_empty());
    }

    #[test]
    fn a_pending_bind_without_x_matching_several_bindings_is_ambiguous() {
        let e = Engine::new(EngineConfig::new(Mode::Ax)).unwrap();
        let req = BindRequest {
            shape: ShapeRequest::Owner { a: n(A) },
            x: XChoice::Platform,
            settings: Settings::default(),
            id: None,
        };
        e.request_bind(&req, 100).unwrap();
        let owner = |id: &str, x: &str| PlatformBinding {
            id: Some(BindingId::new(id).unwrap()),
            x: Some(n(x)),
            shape: Shape::Owner {
                a: n(A),
                temp_callee: None,
            },
            seen: Observed::default(),
        };
        let v = PlatformView {
            bindings: vec![owner("p1", X), owner("p2", "+8617000000011")],
            scopes: vec![Scope::Owner(n(A))],
        };
        let c = compare(&e.bindings(), &v);
        assert_eq!(c.differences.len(), 1);
        assert!(
            matches!(&c.differences[0], Difference::Ambiguous { candidates, .. } if candidates.len() == 2)
        );
        assert_eq!(c.differences[0].fix(), None);
        // One candidate: it is this bind's.
        let v = PlatformView {
            bindings: vec![owner("p1", X)],
            ..v
        };
        let c = compare(&e.bindings(), &v);
        let report = apply(&e, &c.differences, 200);
        assert_eq!(report.applied, 1);
        let b = e.get(&BindingId::new("p1").unwrap()).unwrap();
        assert_eq!((b.state, b.x), (State::Active, Some(n(X))));
    }

    #[test]
    fn differences_as_json_name_their_kind_and_fix() {
        let e = Engine::new(EngineConfig::new(Mode::Ax)).unwrap();
        let req = BindRequest {
            shape: ShapeRequest::Owner { a: n(A) },
            x: XChoice::Platform,
            settings: Settings::default(),
            id: None,
        };
        e.request_bind(&req, 100).unwrap();
        let owner = |id: &str, x: &str| PlatformBinding {
            id: Some(BindingId::new(id).unwrap()),
            x: Some(n(x)),
            shape: Shape::Owner {
                a: n(A),
                temp_callee: None,
            },
            seen: Observed::default(),
        };
        let v = PlatformView {
            bindings: vec![owner("p1", X), owner("p2", "+8617000000011")],
            scopes: vec![Scope::Owner(n(A))],
        };
        let c = compare(&e.bindings(), &v);
        let j = c.differences[0].to_json();
        assert_eq!((&j["kind"], &j["fix"]), (&json!("ambiguous"), &Value::Null));
        assert_eq!(j["local"]["state"], "requested");
        assert_eq!(j["candidates"][1]["id"], "p2");
        assert_eq!(j["candidates"][1]["x"], "+8617000000011");
        assert_eq!(j["candidates"][1]["a"], A);
        assert_eq!(j["candidates"][1]["seen"]["record"], Value::Null);

        let v = PlatformView {
            bindings: vec![owner("p1", X)],
            ..v
        };
        let c = compare(&e.bindings(), &v);
        let j = c.differences[0].to_json();
        assert_eq!(
            (&j["kind"], &j["fix"], &j["took_effect"]),
            (
                &json!("requested_but_present"),
                &json!("settle"),
                &json!(true)
            )
        );
        let r = Reconciliation {
            differences: c.differences,
            unchecked: vec![BindingId::new("u-1").unwrap()],
            query_errors: vec![Error::new(ErrorKind::PlatformRetry, "busy")],
            applied: Some(ApplyReport {
                applied: 0,
                skipped: 0,
                errors: vec![(0, Error::new(ErrorKind::BindingNotFound, "gone"))],
            }),
        };
        let j = r.to_json();
        assert_eq!(j["unchecked"], json!(["u-1"]));
        assert_eq!(j["query_errors"][0]["kind"], "PLATFORM_RETRY");
        assert_eq!(j["query_errors"][0]["http_status"], Value::Null);
        assert_eq!(j["applied"]["errors"][0]["index"], 0);
        assert_eq!(
            j["applied"]["errors"][0]["error"]["kind"],
            "BINDING_NOT_FOUND"
        );
    }

    #[test]
    fn query_answers_fill_the_view_and_incomplete_ones_say_so() {
        let mut v = PlatformView::default();
        let list = AxbBindings {
            total_count: Some(2),
            bindings: vec![
                AxbRecord {
                    subscription_id: Some("s".into()),
                    caller_num: Some(WireNumber::Parsed(n(A))),
                    callee_num: Some(WireNumber::Parsed(n(B))),
                    duration: Some(3600),
                    ..AxbRecord::default()
                },
                AxbRecord {
                    subscription_id: Some("t".into()),
                    caller_num: Some(WireNumber::Raw("garbage".into())),
                    ..AxbRecord::default()
                },
            ],
            skipped: 0,
        };
        assert!(!v.add_axb(Some(n(X)), &list));
        assert_eq!(v.bindings.len(), 1);
        assert_eq!(v.bindings[0].x, Some(n(X)));
        assert_eq!(v.bindings[0].seen.duration_secs, Some(3600));
        // Debug output masks the numbers.
        let text = format!("{v:?}");
        assert!(!text.contains("13800000001"), "{text}");
        assert!(!v.add_axe(&AxeRecord::default()));
    }
}
