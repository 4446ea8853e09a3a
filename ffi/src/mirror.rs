//! A client and an engine kept in step (`privnum_mirror_*`): core's
//! `client::sync::Mirror`, reached by operation name with JSON answers
//! (`Mirror::call_any`, `Reconciliation::to_json`).
//!
//! Core holds every rule (write-ahead, settling, reconciling); this module
//! only translates, and holds an answer that does not fit the caller's
//! buffer (a bind must not run twice).

use std::cell::RefCell;
use std::fmt;

use privnum::client::any::AnyOperation;
use privnum::client::sync::Mirror;
use privnum::{Error, ErrorKind};

use crate::boundary::{
    Out, OutBuf, call, guard, handle_clone, handle_free, handle_new, handle_ref,
};
use crate::client::privnum_op;
use crate::engine::privnum_engine;
use crate::held::{self, Held};
use crate::net::privnum_client;
use crate::result::privnum_result;

/// A client and the engine of its application, kept in step: every bind,
/// modification and unbind sent with `privnum_mirror_call` is recorded in
/// the engine BEFORE it is sent (write-ahead) and settled by the platform's
/// answer; `privnum_mirror_reconcile` compares the engine with the
/// platform's queries and can give the engine the platform's truth.
///
/// Made by `privnum_mirror_new`, released with `privnum_mirror_free`. It
/// keeps its own references to the client and the engine (both may be
/// freed by the caller afterwards) and shares the engine, not a copy: the
/// caller keeps using its `privnum_engine` handle (routing, events,
/// commands) and sees every change the mirror records. Thread-safe: any
/// number of threads may call through one mirror at once, and use the
/// engine meanwhile; the calls block the calling thread (network I/O,
/// retries' back-off).
pub struct privnum_mirror {
    mirror: Mirror,
    /// Identifies this mirror for a held answer.
    serial: u64,
}

impl fmt::Debug for privnum_mirror {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Mirror's Debug shows no secret.
        f.debug_struct("privnum_mirror")
            .field("mirror", &self.mirror)
            .finish_non_exhaustive()
    }
}

/// What a held mirror answer answers.
#[derive(Debug, PartialEq, Eq)]
enum Asked {
    Call(AnyOperation),
    Reconcile(bool),
}

thread_local! {
    static MIRROR_HELD: RefCell<Option<Held<Asked>>> = const { RefCell::new(None) };
}

fn mirror_how() -> &'static str {
    "fetch it with privnum_mirror_take_answer, or repeat the identical call (same mirror, an \
     equal operation or the same apply), which does not run it again"
}

/// Deliver `asked`'s answer: the held one if this is an identical retry,
/// else run `f` once. Any other mirror call discards what the thread held.
fn answer(
    mirror: &privnum_mirror,
    asked: Asked,
    out: OutBuf<'_>,
    f: impl FnOnce() -> privnum::Result<String>,
) -> privnum::Result<()> {
    if let Some(h) = held::take(&MIRROR_HELD) {
        if h.serial == mirror.serial && h.key == asked {
            return held::deliver(&MIRROR_HELD, out, h, mirror_how());
        }
    }
    let answer = f()?;
    let h = Held {
        serial: mirror.serial,
        key: asked,
        answer,
    };
    held::deliver(&MIRROR_HELD, out, h, mirror_how())
}

/// Make a mirror of `client`'s application into `engine` (an engine of the
/// application's mode) and write a new handle to `*out`. The mirror keeps
/// its own references: `client` and `engine` may be freed afterwards, and
/// the caller's engine handle keeps seeing the same engine. Times (for
/// recording and expiry) come from the client's clock.
///
/// # Safety
///
/// `client` and `engine` must be live handles; `out` must be valid for
/// writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_mirror_new(
    client: *const privnum_client,
    engine: *const privnum_engine,
    out: *mut *mut privnum_mirror,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees every pointer argument (see above).
        let (client, engine, out) = unsafe {
            (
                handle_ref(client, "client")?,
                handle_ref(engine, "engine")?,
                Out::new(out, "out")?,
            )
        };
        let mirror = Mirror::new(client.core().clone(), engine.shared());
        out.write(handle_new(privnum_mirror {
            mirror,
            serial: held::next_serial(),
        }));
        Ok(())
    })
}

/// Write another handle to the same mirror to `*out`.
///
/// # Safety
///
/// `mirror` must be a live handle; `out` must be valid for writing a
/// pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_mirror_clone(
    mirror: *const privnum_mirror,
    out: *mut *mut privnum_mirror,
) -> privnum_result {
    // SAFETY: forwarded from this function's contract.
    call(|| unsafe { handle_clone(mirror, out, "mirror") })
}

/// Release a handle made by `privnum_mirror_new` or `privnum_mirror_clone`;
/// NULL does nothing. The last handle releases the mirror's references to
/// its client and engine (the engine lives on while the caller holds a
/// handle to it). Must not be called while a call through this handle is
/// running.
///
/// # Safety
///
/// `mirror` must be NULL or a live handle, not used again.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_mirror_free(mirror: *mut privnum_mirror) {
    // SAFETY: forwarded from this function's contract.
    guard((), || unsafe { handle_free(mirror) });
}

/// Send a bind, modification or unbind and record it in the engine,
/// blocking the calling thread: the change is recorded as a request before
/// it is sent (a bind under a `pending-<n>` id), sent as
/// `privnum_client_call` sends it (a bind whose outcome is unknown is never
/// re-sent blindly), then settled: confirmed, the engine holds the result (a
/// bind active under the platform's `subscriptionId`); refused, the request
/// is taken back (a bind removed); unknown, it stays pending until
/// `privnum_mirror_reconcile`.
///
/// Mirrored: `axb.bind`, `ax.bind`, `axe.bind`, `axyb.bind_ax`,
/// `axyb.bind_yb`, `axb.modify`, `ax.modify`, `axe.modify`, `axb.unbind`,
/// `ax.unbind`, `axe.unbind`, `axyb.unbind`. Any other operation is
/// `PRIVNUM_RESULT_INVALID_ARGUMENT` (it changes no binding the mirror
/// records; send it with `privnum_client_call`).
///
/// Once the platform answered (or the outcome is unknown) the call returns
/// `PRIVNUM_RESULT_OK` and writes compact JSON to `buf` (not
/// NUL-terminated), with its length in `*out_n`:
///
/// `{"operation": "axb.bind", "answer": "confirmed" | "refused" |
/// "unknown", "output": {...} | null, "error": {"kind", "code",
/// "platform_code", "field", "http_status", "message"} | null, "ids":
/// [...], "bindings": [...], "record_error": {...} | null}`: `output` is
/// the operation's output as `privnum_client_call` writes it (when
/// confirmed), `error` the refusal or the unknown outcome, `ids` the
/// engine's ids of the bindings concerned, `bindings` their records as the
/// engine's JSON commands write them (a removed one left out), and
/// `record_error` says the answer could not be recorded (reconcile).
///
/// A too-small buffer never sends twice: the call returns
/// `PRIVNUM_RESULT_INSUFFICIENT_SIZE` with the needed size in `*out_n`
/// AFTER the change was sent and recorded, and holds the answer on the
/// calling thread. Get it with `privnum_mirror_take_answer`, or by
/// repeating this call on the same thread with the same mirror, an equal
/// operation and a buffer of `*out_n` bytes (nothing is sent again). Any
/// other `privnum_mirror_call` or `privnum_mirror_reconcile` on the thread
/// discards a held answer first. 4096 bytes suffice for one binding.
///
/// Errors (nothing sent, nothing recorded): the operation's validation,
/// the engine's refusals (a broken platform rule, with its resultcode in
/// `privnum_last_error_platform_code`; `PRIVNUM_RESULT_BINDING_NOT_FOUND`
/// for a binding the engine does not hold), an operation not mirrored.
///
/// # Safety
///
/// `mirror` and `op` must be live handles; `buf` must be NULL (only with
/// `buf_len == 0`) or valid for writing `buf_len` bytes; `out_n` must be
/// valid for writing a `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_mirror_call(
    mirror: *const privnum_mirror,
    op: *const privnum_op,
    buf: *mut u8,
    buf_len: usize,
    out_n: *mut usize,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees every pointer argument (see above).
        let (mirror, op, out) = unsafe {
            (
                handle_ref(mirror, "mirror")?,
                handle_ref(op, "op")?,
                OutBuf::new(buf, buf_len, out_n)?,
            )
        };
        let op = op.operation();
        answer(mirror, Asked::Call(op.clone()), out, || {
            mirror.mirror.call_any(op).map(|v| v.to_string())
        })
    })
}

/// Query the platform for what the engine holds and compare, blocking the
/// calling thread; with `apply` 1 give the engine the platform's truth (0:
/// only report; other values are `PRIVNUM_RESULT_INVALID_ARGUMENT`). Due
/// bindings are expired first.
///
/// Writes compact JSON to `buf` (not NUL-terminated), with its length in
/// `*out_n`: `{"differences": [...], "unchecked": [ids], "query_errors":
/// [errors], "applied": {"applied", "skipped", "errors"} | null}`. Each
/// difference has `kind` (`"only_on_platform"`, `"only_local"`,
/// `"settings_differ"`, `"requested_but_present"`,
/// `"requested_but_absent"`, `"ambiguous"`), `fix` (`"settle"`,
/// `"fail_then_remove"`, `"remove"`, `"import"`, `"update"` or null) and,
/// as they apply, `local` (the engine's binding), `platform` (the
/// platform's: `id`, `x`, the shape's fields, `seen`), `fields`,
/// `took_effect`, `candidates`. A query that failed is listed in
/// `query_errors` and proves nothing; what it would have covered is
/// unchecked.
///
/// A too-small buffer: as `privnum_mirror_call` (the answer is held; an
/// identical call, same mirror and same `apply`, or
/// `privnum_mirror_take_answer` fetches it without querying again). The
/// answer holds the parties' numbers in clear: log it with care.
///
/// Errors: an X-mode engine (the platform holds no bindings), the clock.
///
/// # Safety
///
/// `mirror` must be a live handle; `buf` must be NULL (only with
/// `buf_len == 0`) or valid for writing `buf_len` bytes; `out_n` must be
/// valid for writing a `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_mirror_reconcile(
    mirror: *const privnum_mirror,
    apply: u32,
    buf: *mut u8,
    buf_len: usize,
    out_n: *mut usize,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees every pointer argument (see above).
        let (mirror, out) = unsafe {
            (
                handle_ref(mirror, "mirror")?,
                OutBuf::new(buf, buf_len, out_n)?,
            )
        };
        let apply = match apply {
            0 => false,
            1 => true,
            other => {
                return Err(Error::new(
                    ErrorKind::InvalidArgument,
                    format!("apply must be 0 or 1, not {other}"),
                ));
            }
        };
        answer(mirror, Asked::Reconcile(apply), out, || {
            mirror
                .mirror
                .reconcile(apply)
                .map(|r| r.to_json().to_string())
        })
    })
}

/// Copy the answer held on the calling thread (that of this thread's last
/// `privnum_mirror_call` or `privnum_mirror_reconcile`, which returned
/// `PRIVNUM_RESULT_INSUFFICIENT_SIZE`) to `buf` and release it. If it still
/// does not fit, returns `PRIVNUM_RESULT_INSUFFICIENT_SIZE` with the needed
/// size and keeps it. `PRIVNUM_RESULT_INVALID_ARGUMENT` when the thread
/// holds none.
///
/// # Safety
///
/// `buf` must be NULL (only with `buf_len == 0`) or valid for writing
/// `buf_len` bytes; `out_n` must be valid for writing a `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_mirror_take_answer(
    buf: *mut u8,
    buf_len: usize,
    out_n: *mut usize,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees `buf`/`buf_len` and `out_n` (see above).
        let out = unsafe { OutBuf::new(buf, buf_len, out_n) }?;
        let h = held::take(&MIRROR_HELD).ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidArgument,
                "no mirror answer is held on this thread (only privnum_mirror_call and \
                 privnum_mirror_reconcile returning PRIVNUM_RESULT_INSUFFICIENT_SIZE hold one)",
            )
        })?;
        held::deliver(&MIRROR_HELD, out, h, mirror_how())
    })
}

/// Expire the engine's bindings whose lifetime is over by the client's
/// clock, and write how many expired to `*out_expired` (their events are in
/// the engine).
///
/// # Safety
///
/// `mirror` must be a live handle; `out_expired` must be valid for writing
/// a `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_mirror_tick(
    mirror: *const privnum_mirror,
    out_expired: *mut usize,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees every pointer argument (see above).
        let (mirror, out) = unsafe {
            (
                handle_ref(mirror, "mirror")?,
                Out::new(out_expired, "out_expired")?,
            )
        };
        out.write(mirror.mirror.tick()?);
        Ok(())
    })
}
