//! Callbacks: what the platform pushes to us, and what Block mode needs back.
//!
//! ```text
//!  body bytes + headers ─▶ Inbox::receive ─▶ verify (when a secret is set) ─▶ push::parse
//!                          ─▶ Received { push: Call | Cdrs | Sms | NumberStatus, items: new/duplicate }
//!                          … host stores the new items … ─▶ Inbox::commit
//!  Block mode: reply::* builders ─▶ validated JSON for the HTTP response
//!  SMS billing: segments::count_segments
//! ```
//!
//! Status: issue 3 in progress. Parsing, the inbox, de-duplication, code
//! tables, reply builders and segment counting are in the core; the C and
//! Python bindings, fuzz targets and benchmarks are still to come.

pub mod codes;
pub mod control;
pub mod inbox;
pub mod json;
pub mod push;
pub mod reply;
pub mod segments;

pub use control::{CallControlQuery, RecordType, parse_call_control, receive_call_control};
pub use inbox::{Dedup, Inbox, InboxConfig, Item, Received};
pub use push::{
    CallEvent, CallEventKind, CallStatusInfo, CdrRecord, NumberStatusEntry, Push, SmsEvent,
};
pub use segments::{AxSuffix, ax_suffix};
