//! Routing a call that reaches X: whom to connect, or why to close.
//!
//! This is the decision a host answers the platform's X-mode `callin`
//! Block push with (PN §7), under the platform's deadline, and the decision
//! the platform itself makes for AX, AXB, AXE and AXYB calls (which the
//! emulator reproduces). It reads the engine's indexes only: one hash
//! lookup for (dialled number, caller), then at most one for the X itself
//! (owner or extension). Nothing is allocated for the usual UUID ids.
//!
//! The rules (PN §3–§7, §14):
//! - fixed lines and service numbers cannot call X (stateCode 8023);
//! - a pair connects A to B and B to A, as `callDirection` allows, and
//!   each sees X;
//! - an AX owner is reached by anyone calling X; A calling X reaches its
//!   temporary callee (without one the call fails, stateCode 8013);
//! - an AXE X needs the extension (stateCode 8033 without one); A calling X
//!   reaches the last party that reached A through X and the extension
//!   (the callback record) while that record lasts, else its callback
//!   number (`callbackNum`);
//! - AXYB: A calling Y reaches B, who sees X; B calling X reaches A, who
//!   sees Y. A stranger calling an AX-only X is closed as `no_relation`
//!   (the platform would assign a Y; a host can bind one and route again);
//! - a binding whose X is paused or unavailable, whose lifetime is over
//!   (even before `tick` removed it) or that is not yet confirmed does not
//!   route.
//!
//! The display number is always X (or Y) under current carrier rules.
//!
//! # Callback records
//!
//! Routing only reads: the engine keeps the AXE callback records (outside
//! the binding state, see [`super::Engine`]) and hands the decision a
//! lookup; a call connected through an extension comes back with the
//! caller for the engine to record. Pairs, owners and AXYB relations never
//! consult the lookup.

use std::fmt;
use std::sync::Arc;

use serde::Serialize;

use super::model::{BindingId, Direction, Ext, Extras, State};
use super::store::Store;
use crate::number::Number;

/// A call reaching a privacy number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CallIn {
    /// Who is calling.
    pub caller: Number,
    /// The privacy number dialled (X, or Y in AXYB).
    pub dialled: Number,
    /// The extension keyed in, if any (AXE).
    pub ext: Option<Ext>,
}

/// Connect the call.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Connect {
    /// Whom to call.
    #[serde(with = "super::model::number_serde")]
    pub callee: Number,
    /// What the callee sees (X or Y).
    #[serde(with = "super::model::number_serde")]
    pub display: Number,
    /// Per-call cap in minutes (0 = none).
    pub max_duration_min: u16,
    /// Whether to record.
    pub record: bool,
    /// The binding that decided it.
    pub binding: BindingId,
    /// Its tones and user data, for the reply.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extras: Option<Arc<Extras>>,
}

/// Why a call is closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CloseReason {
    /// The caller is a fixed line or service number (stateCode 8023).
    CallerCannotCallX,
    /// No binding connects this caller through this number (stateCode 8014).
    NoBinding,
    /// The binding is requested but not yet confirmed by the platform.
    NotYetBound,
    /// The binding's lifetime is over.
    Expired,
    /// The number is paused or unavailable.
    XUnavailable,
    /// `callDirection` does not allow this direction.
    DirectionNotAllowed,
    /// AX: A called X without a temporary callee set (stateCode 8013).
    NoTempCallee,
    /// AXE: no extension was keyed in (stateCode 8033).
    ExtensionNeeded,
    /// AXE: the extension is not bound on X.
    UnknownExtension,
    /// AXE: A called X with no live callback record and no callback number.
    NoCallbackTarget,
    /// AXYB: the caller has no YB relation with X's owner.
    NoRelation,
}

impl CloseReason {
    /// Every reason, in stable-number order.
    pub const ALL: [Self; 11] = [
        Self::CallerCannotCallX,
        Self::NoBinding,
        Self::NotYetBound,
        Self::Expired,
        Self::XUnavailable,
        Self::DirectionNotAllowed,
        Self::NoTempCallee,
        Self::ExtensionNeeded,
        Self::UnknownExtension,
        Self::NoCallbackTarget,
        Self::NoRelation,
    ];

    /// Stable number (index in [`CloseReason::ALL`]).
    #[must_use]
    pub const fn code(self) -> u32 {
        self as u32
    }

    /// snake_case name.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::CallerCannotCallX => "caller_cannot_call_x",
            Self::NoBinding => "no_binding",
            Self::NotYetBound => "not_yet_bound",
            Self::Expired => "expired",
            Self::XUnavailable => "x_unavailable",
            Self::DirectionNotAllowed => "direction_not_allowed",
            Self::NoTempCallee => "no_temp_callee",
            Self::ExtensionNeeded => "extension_needed",
            Self::UnknownExtension => "unknown_extension",
            Self::NoCallbackTarget => "no_callback_target",
            Self::NoRelation => "no_relation",
        }
    }

    /// The platform's hang-up `stateCode` for this outcome, where the spec
    /// names one (PN §13.1, §14).
    #[must_use]
    pub const fn state_code(self) -> Option<u32> {
        match self {
            Self::CallerCannotCallX => Some(8023),
            Self::NoBinding | Self::NotYetBound | Self::Expired | Self::NoRelation => Some(8014),
            Self::NoTempCallee => Some(8013),
            Self::ExtensionNeeded | Self::UnknownExtension => Some(8033),
            _ => None,
        }
    }
}

impl fmt::Display for CloseReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The routing decision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "operation", rename_all = "snake_case")]
pub enum Route {
    /// Bridge the call.
    Connect(Connect),
    /// End the call.
    Close {
        /// Why.
        reason: CloseReason,
        /// The binding involved, if one was found.
        #[serde(skip_serializing_if = "Option::is_none")]
        binding: Option<BindingId>,
    },
}

impl Route {
    fn close(reason: CloseReason, binding: Option<BindingId>) -> Self {
        Self::Close { reason, binding }
    }

    /// Whether the call is connected.
    #[must_use]
    pub fn is_connect(&self) -> bool {
        matches!(self, Self::Connect(_))
    }
}

/// An AXE callback record: the last party that reached a binding's A
/// through X and the extension, and when (Unix seconds).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct CallbackRecord {
    /// Who called.
    pub(crate) party: Number,
    /// When the call was connected.
    pub(crate) at: u64,
}

impl CallbackRecord {
    /// Whether the record still routes at `now`, given the binding's
    /// callback lifetime in seconds (0 = as long as the binding).
    pub(crate) fn live(&self, lifetime_secs: u32, now: u64) -> bool {
        lifetime_secs == 0 || now < self.at.saturating_add(u64::from(lifetime_secs))
    }
}

/// The callback record of a binding, if one is kept.
pub(crate) type CallbackLookup<'a> = &'a dyn Fn(&BindingId) -> Option<CallbackRecord>;

/// A routing decision and what the engine should remember of it.
#[derive(Debug)]
pub(crate) struct Decision {
    /// The decision.
    pub(crate) route: Route,
    /// Set when a caller was connected to A through X and an extension:
    /// the caller, to be kept as the binding's callback record.
    pub(crate) callback_party: Option<Number>,
}

impl From<Route> for Decision {
    fn from(route: Route) -> Self {
        Self {
            route,
            callback_party: None,
        }
    }
}

/// Whether the record in `slot` may route at `now`; the close reason if not.
fn usable(store: &Store, slot: u32, now: u64, numbers: &[Number]) -> Result<(), CloseReason> {
    let r = store.rec(slot);
    match r.state() {
        State::Requested => return Err(CloseReason::NotYetBound),
        s if !s.is_bound() => return Err(CloseReason::NoBinding),
        _ => {}
    }
    if store.expired_at(slot, now) {
        return Err(CloseReason::Expired);
    }
    if store.any_x_down() && numbers.iter().any(|&n| store.x_status(n).is_down()) {
        return Err(CloseReason::XUnavailable);
    }
    Ok(())
}

fn connect(store: &Store, slot: u32, callee: Number, display: Number) -> Route {
    let b = store.rec_view(slot);
    Route::Connect(Connect {
        callee,
        display,
        max_duration_min: b.max_dur,
        record: b.record,
        binding: store.id_of(slot),
        extras: b.extras.cloned(),
    })
}

/// Decide a call (see the module docs). `callbacks` gives the callback
/// record of an AXE binding; it is called only when an extension's A calls
/// X.
pub(crate) fn route(
    store: &Store,
    call: &CallIn,
    now: u64,
    callbacks: CallbackLookup<'_>,
) -> Decision {
    if !call.caller.can_call_x() {
        return Route::close(CloseReason::CallerCannotCallX, None).into();
    }
    let dialled = call.dialled;
    if let Some((slot, side)) = store.route_entry(dialled, call.caller) {
        return entry(store, slot, side, call, now, callbacks).into();
    }
    let Some(info) = store.x_info(dialled) else {
        return Route::close(CloseReason::NoBinding, None).into();
    };
    if info.exts > 0 {
        return extension(store, call, now);
    }
    let Some(slot) = info.owner else {
        return Route::close(CloseReason::NoBinding, None).into();
    };
    owner(store, slot, call, now).into()
}

/// Someone other than an extension's A calls an X that carries extensions.
fn extension(store: &Store, call: &CallIn, now: u64) -> Decision {
    let dialled = call.dialled;
    let Some(ext) = call.ext else {
        return Route::close(CloseReason::ExtensionNeeded, None).into();
    };
    let Some(slot) = store.ext_slot(dialled, ext) else {
        return Route::close(CloseReason::UnknownExtension, None).into();
    };
    if let Err(why) = usable(store, slot, now, &[dialled]) {
        return Route::close(why, Some(store.id_of(slot))).into();
    }
    let v = store.rec_view(slot);
    Decision {
        route: connect(store, slot, v.a, dialled),
        callback_party: Some(call.caller),
    }
}

/// Someone calls an X held by an owner (AX, or AXYB AX).
fn owner(store: &Store, slot: u32, call: &CallIn, now: u64) -> Route {
    let dialled = call.dialled;
    let v = store.rec_view(slot);
    if v.is_axyb_ax {
        let why = if v.a == call.caller {
            CloseReason::NoBinding
        } else {
            CloseReason::NoRelation
        };
        return Route::close(why, Some(store.id_of(slot)));
    }
    if let Err(why) = usable(store, slot, now, &[dialled]) {
        return Route::close(why, Some(store.id_of(slot)));
    }
    if v.a == call.caller {
        if v.direction == Direction::BToA {
            return Route::close(CloseReason::DirectionNotAllowed, Some(store.id_of(slot)));
        }
        return match v.b {
            Some(callee) => connect(store, slot, callee, dialled),
            None => Route::close(CloseReason::NoTempCallee, Some(store.id_of(slot))),
        };
    }
    if v.direction == Direction::AToB {
        return Route::close(CloseReason::DirectionNotAllowed, Some(store.id_of(slot)));
    }
    connect(store, slot, v.a, dialled)
}

fn entry(
    store: &Store,
    slot: u32,
    side: u8,
    call: &CallIn,
    now: u64,
    callbacks: CallbackLookup<'_>,
) -> Route {
    let v = store.rec_view(slot);
    let id = || Some(store.id_of(slot));
    if v.is_ext {
        // A calls its X: the last party that reached A this way while the
        // callback record lasts, else the callback number.
        if let Err(why) = usable(store, slot, now, &[call.dialled]) {
            return Route::close(why, id());
        }
        let binding = store.id_of(slot);
        let recorded = callbacks(&binding)
            .filter(|r| r.live(v.callback_life_secs, now))
            .map(|r| r.party);
        return match recorded.or(v.b) {
            Some(callee) => connect(store, slot, callee, call.dialled),
            None => Route::close(CloseReason::NoCallbackTarget, Some(binding)),
        };
    }
    if let Some(parent) = v.parent {
        // AXYB relation: the AX binding gives A, X and the direction.
        let p = store.rec_view(parent);
        let (Some(x), Some(b)) = (v.x, v.b) else {
            return Route::close(CloseReason::NoBinding, id());
        };
        let y = v.a;
        if let Err(why) = usable(store, slot, now, &[x, y]) {
            return Route::close(why, id());
        }
        if store.expired_at(parent, now) {
            return Route::close(CloseReason::Expired, id());
        }
        return if side == 0 {
            // A dials Y → B, who sees X.
            if p.direction == Direction::BToA {
                Route::close(CloseReason::DirectionNotAllowed, id())
            } else {
                connect(store, slot, b, x)
            }
        } else if p.direction == Direction::AToB {
            Route::close(CloseReason::DirectionNotAllowed, id())
        } else {
            // B dials X → A, who sees Y.
            connect(store, slot, p.a, y)
        };
    }
    // A pair.
    if let Err(why) = usable(store, slot, now, &[call.dialled]) {
        return Route::close(why, id());
    }
    let Some(b) = v.b else {
        return Route::close(CloseReason::NoBinding, id());
    };
    let (callee, allowed) = if side == 0 {
        (b, v.direction != Direction::BToA)
    } else {
        (v.a, v.direction != Direction::AToB)
    };
    if allowed {
        connect(store, slot, callee, call.dialled)
    } else {
        Route::close(CloseReason::DirectionNotAllowed, id())
    }
}
