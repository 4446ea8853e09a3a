//! Every state transition of a binding, in one table.
//!
//! # Theory of operation
//!
//! A binding lives in one [`State`]. The engine changes it only through
//! [`next`], which takes the current state and a [`Trigger`] and either
//! returns the new state and the [`EventKind`] to emit, or refuses with
//! [`ErrorKind::InvalidTransition`]. Nothing else writes a state.
//!
//! ```text
//!   request_bind            bind (direct)
//!        │                      │
//!        ▼     confirm          ▼
//!   Requested ─────────────▶ Active ◀──────────────┐ confirm / fail
//!        │ fail              │  │ │ request_modify  │ (modify: restart
//!        ▼                   │  │ └──────────▶ Modifying   duration)
//!     Failed                 │  │ request_unbind        │
//!                            │  └──────────▶ Unbinding ─┤ fail ⇒ back
//!            X paused /      │                   │ confirm
//!            unavailable     ▼                   ▼
//!                        Suspended            Unbound
//!                            │ X normal ⇒ Active
//!   Active, Modifying, Unbinding, Suspended ── lifetime over (tick) ──▶ Expired
//! ```
//!
//! Terminal states (Unbound, Expired, Failed) have no way out; the engine
//! forgets a binding once it reaches one (after emitting the event), so a
//! later operation on it reports [`ErrorKind::BindingNotFound`].
//!
//! A direct `modify` or `unbind` (a host recording what the platform already
//! did, or the emulator answering a request) goes from Active or Suspended
//! straight to the result. A binding being modified or unbound stays usable
//! for calls until the platform answers, as it does on the platform.
//! Suspension is driven by X-number status pushes: a binding in Modifying or
//! Unbinding keeps that state when its X is paused (routing checks the X's
//! status anyway) and settles into Suspended if its X is still paused then.

use super::model::{EventKind, State};
use crate::error::{Error, ErrorKind, Result};

/// What happens to a binding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trigger {
    /// The platform confirmed the pending request (bind, modify or unbind).
    Confirm,
    /// The platform refused the pending request.
    Fail,
    /// A modification was sent to the platform.
    RequestModify,
    /// An unbind was sent to the platform.
    RequestUnbind,
    /// A modification took effect at once.
    Modify,
    /// An unbind took effect at once.
    Unbind,
    /// The lifetime ran out.
    Expire,
    /// Its X became paused or unavailable.
    Suspend,
    /// Its X became usable again.
    Resume,
}

impl Trigger {
    /// snake_case name, for messages.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Confirm => "confirm",
            Self::Fail => "fail",
            Self::RequestModify => "request_modify",
            Self::RequestUnbind => "request_unbind",
            Self::Modify => "modify",
            Self::Unbind => "unbind",
            Self::Expire => "expire",
            Self::Suspend => "suspend",
            Self::Resume => "resume",
        }
    }
}

/// The state after `trigger` in `from`, and the event it emits; `x_down`
/// says whether the binding's X is currently paused or unavailable (it
/// decides where a settled modification or unbind refusal lands).
///
/// A `Resume` or `Suspend` that changes nothing (a YB relation in
/// Modifying, say) is `Ok(None)`: not an error, just no event.
pub fn next(from: State, trigger: Trigger, x_down: bool) -> Result<Option<(State, EventKind)>> {
    use State as S;
    use Trigger as T;
    let settled = if x_down { S::Suspended } else { S::Active };
    let to = match (from, trigger) {
        (S::Requested, T::Confirm) => (settled, EventKind::Bound),
        (S::Requested, T::Fail) => (S::Failed, EventKind::Failed),
        (S::Active | S::Suspended, T::RequestModify) => (S::Modifying, EventKind::Modifying),
        (S::Active | S::Suspended, T::RequestUnbind) => (S::Unbinding, EventKind::Unbinding),
        (S::Active | S::Suspended, T::Modify) => (settled, EventKind::Modified),
        (S::Active | S::Suspended, T::Unbind) => (S::Unbound, EventKind::Unbound),
        (S::Modifying, T::Confirm) => (settled, EventKind::Modified),
        (S::Modifying, T::Fail) => (settled, EventKind::ModifyFailed),
        (S::Unbinding, T::Confirm) => (S::Unbound, EventKind::Unbound),
        (S::Unbinding, T::Fail) => (settled, EventKind::UnbindFailed),
        (S::Active | S::Modifying | S::Unbinding | S::Suspended, T::Expire) => {
            (S::Expired, EventKind::Expired)
        }
        (S::Active, T::Suspend) => (S::Suspended, EventKind::Suspended),
        (S::Suspended, T::Resume) => (S::Active, EventKind::Resumed),
        (S::Requested | S::Modifying | S::Unbinding | S::Suspended, T::Suspend)
        | (S::Requested | S::Modifying | S::Unbinding | S::Active, T::Resume) => return Ok(None),
        (from, trigger) => {
            return Err(Error::new(
                ErrorKind::InvalidTransition,
                format!("a binding in state {from} cannot {}", trigger.name()),
            ));
        }
    };
    Ok(Some(to))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRIGGERS: [Trigger; 9] = [
        Trigger::Confirm,
        Trigger::Fail,
        Trigger::RequestModify,
        Trigger::RequestUnbind,
        Trigger::Modify,
        Trigger::Unbind,
        Trigger::Expire,
        Trigger::Suspend,
        Trigger::Resume,
    ];

    #[test]
    fn terminal_states_refuse_everything() {
        for s in State::ALL.into_iter().filter(|s| s.is_terminal()) {
            for t in TRIGGERS {
                let e = next(s, t, false).unwrap_err();
                assert_eq!(e.kind(), ErrorKind::InvalidTransition, "{s} {t:?}");
            }
        }
    }

    #[test]
    fn main_paths() {
        let go = |s, t| next(s, t, false).unwrap().unwrap().0;
        assert_eq!(go(State::Requested, Trigger::Confirm), State::Active);
        assert_eq!(go(State::Requested, Trigger::Fail), State::Failed);
        assert_eq!(go(State::Active, Trigger::RequestModify), State::Modifying);
        assert_eq!(go(State::Modifying, Trigger::Fail), State::Active);
        assert_eq!(go(State::Unbinding, Trigger::Confirm), State::Unbound);
        assert_eq!(go(State::Active, Trigger::Suspend), State::Suspended);
        assert_eq!(go(State::Suspended, Trigger::Resume), State::Active);
        assert_eq!(go(State::Suspended, Trigger::Expire), State::Expired);
        assert_eq!(
            next(State::Modifying, Trigger::Confirm, true)
                .unwrap()
                .unwrap()
                .0,
            State::Suspended
        );
        assert!(next(State::Requested, Trigger::Expire, false).is_err());
        assert!(next(State::Active, Trigger::Confirm, false).is_err());
        assert!(next(State::Modifying, Trigger::RequestUnbind, false).is_err());
        assert_eq!(next(State::Active, Trigger::Resume, false).unwrap(), None);
    }
}
