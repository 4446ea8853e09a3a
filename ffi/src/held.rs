//! Answers held on the calling thread after `INSUFFICIENT_SIZE`, for calls
//! that must not run twice (a platform call through `privnum_client_call`,
//! a control operation of `privnum_emulator_control`): the call runs once,
//! and an answer that does not fit the caller's buffer waits in a
//! thread-local slot until it is fetched with a big enough buffer.
//!
//! `privnum_engine_execute` has the same protocol with its own slot.

use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread::LocalKey;

use privnum::{Error, ErrorKind, Result};

use crate::boundary::OutBuf;

/// An answer that did not fit: which object (`serial`) and which request
/// (`key`) it answers, and the answer.
#[derive(Debug)]
pub(crate) struct Held<K> {
    /// The serial of the handle's object (see [`next_serial`]).
    pub(crate) serial: u64,
    /// What was asked: a retry asking the same gets this answer.
    pub(crate) key: K,
    /// The answer, as it would have been copied out.
    pub(crate) answer: String,
}

/// A thread-local slot for one held answer.
pub(crate) type Slot<K> = LocalKey<RefCell<Option<Held<K>>>>;

/// A number unique to each object created in this process (never reused),
/// so that a held answer is never delivered for another object that
/// happens to get the same address.
pub(crate) fn next_serial() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// Take what `slot` holds on this thread (`try_with`: during thread
/// teardown the slot may be gone; nothing is held then).
pub(crate) fn take<K: 'static>(slot: &'static Slot<K>) -> Option<Held<K>> {
    slot.try_with(|h| h.borrow_mut().take()).ok().flatten()
}

/// Copy `held.answer` out; if it does not fit, keep it in `slot` and fail
/// with `INSUFFICIENT_SIZE` (the needed size in `*out_n`), the message
/// saying how to fetch it (`how`).
pub(crate) fn deliver<K: 'static>(
    slot: &'static Slot<K>,
    out: OutBuf<'_>,
    held: Held<K>,
    how: &str,
) -> Result<()> {
    match out.put(held.answer.as_bytes()) {
        Err(e) if e.kind() == ErrorKind::InsufficientSize => {
            let n = held.answer.len();
            let _ = slot.try_with(|h| *h.borrow_mut() = Some(held));
            Err(Error::new(
                ErrorKind::InsufficientSize,
                format!(
                    "the answer needs {n} bytes (written to *out_n); the call ran once and its \
                     answer is held on this thread: {how}"
                ),
            ))
        }
        other => other,
    }
}
