//! The binding engine (issue 4): what the platform does with bindings.
//!
//! This first piece is [`rules`]: the platform's binding rules as pure,
//! sans-IO functions (field bounds, per-X / per-A / per-Y limits, AXE
//! extension assignment), each violation carrying the platform's own
//! `resultcode`. Client-side validation and a platform emulator call the same
//! functions, so both answer identically. The pair rules read state through
//! the small [`rules::XView`] trait and never change it.
//!
//! Still to come in the engine (not here yet):
//! - a state machine per binding (bound, modified, expired, unbound);
//! - X selection (by area code and `areaMatchMode`);
//! - X-mode routing (Block-mode replies to `callin`);
//! - a durable journal of bindings.

pub mod rules;
