//! The platform emulator (`privnum_emulator_*`): the platform's REST API
//! and pushes on 127.0.0.1, for tests and offline development. Core's
//! `emulator` holds every rule; this module only translates.

use std::cell::RefCell;
use std::time::Duration;

use privnum::emulator::{Emulator, EmulatorConfig};

use crate::boundary::{
    Out, OutBuf, call, guard, handle_clone, handle_free, handle_new, handle_ref, slice_in, str_in,
};
use crate::held::{self, Held};
use crate::result::privnum_result;

/// A running emulator: made by `privnum_emulator_start`, stopped when its
/// last handle is released with `privnum_emulator_free`. Thread-safe: any
/// number of threads may use one handle at once.
#[derive(Debug)]
pub struct privnum_emulator {
    emulator: Emulator,
    /// Identifies this emulator for a held answer.
    serial: u64,
}

/// Start an emulator: check `config_json` (the configuration as JSON: the
/// port, the applications with their mode, key, secret, X numbers and push
/// URLs, push timing; the format is that of core's
/// `EmulatorConfig::from_json`, summarized in the README), listen on
/// 127.0.0.1 (the configured port, or a free one) and serve on background
/// threads. NULL or empty `config_json` starts the demo configuration: one
/// AXB application with key `emulator-app-key`, secret
/// `emulator-app-secret` and X numbers +8617000000010 to +8617000000013 in
/// area 0755. On success writes a new handle to `*out`.
///
/// Errors: `PRIVNUM_RESULT_INVALID_ARGUMENT` naming the setting
/// (`apps[0].numbers[1].area`; `privnum_last_error_field` gives the key)
/// for a bad configuration or a port that cannot be listened on; a number
/// that does not parse gives its `PRIVNUM_RESULT_NUMBER_*` code; a bad key or
/// secret its `PRIVNUM_RESULT_INVALID_APP_*` code.
///
/// # Safety
///
/// `config_json` must be NULL (only with `len == 0`) or point to `len`
/// readable bytes; `out` must be valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_emulator_start(
    config_json: *const u8,
    len: usize,
    out: *mut *mut privnum_emulator,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees every pointer argument (see above).
        let (text, out) = unsafe {
            (
                str_in(config_json, len, "config_json")?,
                Out::new(out, "out")?,
            )
        };
        let emulator = Emulator::start(EmulatorConfig::from_json_text(text)?)?;
        out.write(handle_new(privnum_emulator {
            emulator,
            serial: held::next_serial(),
        }));
        Ok(())
    })
}

/// Write another handle to the same emulator to `*out`.
///
/// # Safety
///
/// `emulator` must be a live handle; `out` must be valid for writing a
/// pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_emulator_clone(
    emulator: *const privnum_emulator,
    out: *mut *mut privnum_emulator,
) -> privnum_result {
    // SAFETY: forwarded from this function's contract.
    call(|| unsafe { handle_clone(emulator, out, "emulator") })
}

/// Release a handle; NULL does nothing. Releasing the last one stops the
/// emulator: it stops serving and delivering (pushes not yet delivered stay
/// undelivered; an attempt under way is finished, at most the push
/// timeout), joins its threads and closes its port, blocking until then.
/// Must not be called while a call on this handle is running.
///
/// # Safety
///
/// `emulator` must be NULL or a live handle, not used again.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_emulator_free(emulator: *mut privnum_emulator) {
    // SAFETY: forwarded from this function's contract.
    guard((), || unsafe { handle_free(emulator) });
}

/// Write the emulator's base URL (`http://127.0.0.1:PORT`, the application's
/// access address for `privnum_client_new` with `allow_http` set, or for
/// `privnum_request_url`) to `buf`, not NUL-terminated, with its length in
/// `*out_n`. 32 bytes always suffice.
///
/// # Safety
///
/// `emulator` must be a live handle; `buf` must be NULL (only with
/// `buf_len == 0`) or valid for writing `buf_len` bytes; `out_n` must be
/// valid for writing a `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_emulator_base_url(
    emulator: *const privnum_emulator,
    buf: *mut u8,
    buf_len: usize,
    out_n: *mut usize,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees every pointer argument (see above).
        let (emulator, out) = unsafe {
            (
                handle_ref(emulator, "emulator")?,
                OutBuf::new(buf, buf_len, out_n)?,
            )
        };
        out.put(emulator.emulator.base_url().as_bytes())
    })
}

/// Wait until no push is queued, batched, being sent or due for a retry, at
/// most `timeout_ms` milliseconds, blocking the calling thread; writes to
/// `*out_idle` whether that happened (pushes given up count as done).
///
/// # Safety
///
/// `emulator` must be a live handle; `out_idle` must be valid for writing a
/// `bool`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_emulator_wait_idle(
    emulator: *const privnum_emulator,
    timeout_ms: u64,
    out_idle: *mut bool,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees both pointers (see above).
        let (emulator, out) = unsafe {
            (
                handle_ref(emulator, "emulator")?,
                Out::new(out_idle, "out_idle")?,
            )
        };
        out.write(
            emulator
                .emulator
                .wait_idle(Duration::from_millis(timeout_ms)),
        );
        Ok(())
    })
}

thread_local! {
    static CONTROL_HELD: RefCell<Option<Held<Box<[u8]>>>> = const { RefCell::new(None) };
}

/// How to fetch a held answer (for the error message).
fn control_how() -> &'static str {
    "fetch it with privnum_emulator_take_answer, or repeat the identical \
                           privnum_emulator_control call, which does not run it again"
}

/// The held-answer key of a control request: method, path and body,
/// length-prefixed so that different splits never compare equal.
fn control_key(method: &str, path: &str, body: &[u8]) -> Box<[u8]> {
    let mut key = Vec::with_capacity(method.len() + path.len() + body.len() + 16);
    for part in [method.as_bytes(), path.as_bytes()] {
        key.extend_from_slice(&part.len().to_le_bytes());
        key.extend_from_slice(part);
    }
    key.extend_from_slice(body);
    key.into_boxed_slice()
}

/// Run one operation of the emulator's control interface, in process (no
/// HTTP): the same operations and answers as `METHOD /_emulator/PATH` over
/// HTTP. `method` is `GET` or `POST`; `path` the operation and its query,
/// with or without the `/_emulator/` prefix; `body` its JSON body (NULL or
/// empty for none):
///
/// - `GET apps`: the applications (no secrets);
/// - `GET bindings[?app_key=K]`: the bindings, per application;
/// - `POST calls` with `{"caller": "+86138…", "dialled": "+86170…",
///   "outcome": "answered" | "no_answer" | "busy", "talk_secs": 30,
///   "ring_secs": 5, "record": true}` (only `caller` and `dialled` required):
///   simulate a call, routed by the bindings, its call events and CDR pushed
///   to the application's URLs;
/// - `GET pushes`: every push (id, app_key, event, url, status, attempts,
///   body);
/// - `GET deliveries`: every delivery attempt;
/// - `POST cdrs/flush`: send waiting CDRs now;
/// - `POST wait_idle?timeout_ms=N`: wait for the push queue to empty (at
///   most 60 s).
///
/// Writes the answer as JSON to `buf` (not NUL-terminated), length in
/// `*out_n`: `{"ok": …}`, or `{"error": {"kind", "code", "platform_code",
/// "field", "message"}}` for a refused or unknown operation, which still
/// returns `PRIVNUM_RESULT_OK`: look inside the answer. Other result codes
/// mean nothing was run (a NULL or non-UTF-8 argument) or
/// `PRIVNUM_RESULT_INSUFFICIENT_SIZE`: as with `privnum_client_call`, the
/// operation HAS run once (a call was simulated) and its answer is held on
/// the calling thread; fetch it with `privnum_emulator_take_answer` or by
/// repeating the identical call with a big enough buffer (not run again).
/// Answers of `pushes`, `deliveries` and `bindings` grow with the test.
///
/// # Safety
///
/// `emulator` must be a live handle; `method`, `path` and `body` must each
/// be NULL (only with a zero length) or point to that many readable bytes;
/// `buf` must be NULL (only with `buf_len == 0`) or valid for writing
/// `buf_len` bytes; `out_n` must be valid for writing a `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_emulator_control(
    emulator: *const privnum_emulator,
    method: *const u8,
    method_len: usize,
    path: *const u8,
    path_len: usize,
    body: *const u8,
    body_len: usize,
    buf: *mut u8,
    buf_len: usize,
    out_n: *mut usize,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees every pointer argument (see above).
        let (emulator, method, path, body, out) = unsafe {
            (
                handle_ref(emulator, "emulator")?,
                str_in(method, method_len, "method")?,
                str_in(path, path_len, "path")?,
                slice_in(body, body_len, "body")?,
                OutBuf::new(buf, buf_len, out_n)?,
            )
        };
        let key = control_key(method, path, body);
        if let Some(h) = held::take(&CONTROL_HELD) {
            if h.serial == emulator.serial && h.key == key {
                return held::deliver(&CONTROL_HELD, out, h, control_how());
            }
        }
        let answer = emulator.emulator.control(method, path, body).to_string();
        let h = Held {
            serial: emulator.serial,
            key,
            answer,
        };
        held::deliver(&CONTROL_HELD, out, h, control_how())
    })
}

/// Copy the answer held on the calling thread (that of this thread's last
/// `privnum_emulator_control`, which returned
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
pub unsafe extern "C" fn privnum_emulator_take_answer(
    buf: *mut u8,
    buf_len: usize,
    out_n: *mut usize,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees `buf`/`buf_len` and `out_n` (see above).
        let out = unsafe { OutBuf::new(buf, buf_len, out_n) }?;
        let h = held::take(&CONTROL_HELD).ok_or_else(|| {
            privnum::Error::new(
                privnum::ErrorKind::InvalidArgument,
                "no emulator answer is held on this thread (only privnum_emulator_control \
                 returning PRIVNUM_RESULT_INSUFFICIENT_SIZE holds one)",
            )
        })?;
        held::deliver(&CONTROL_HELD, out, h, control_how())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_keys_do_not_collide() {
        assert_ne!(control_key("GET", "ab", b""), control_key("GETa", "b", b""));
        assert_eq!(
            control_key("GET", "x", b"{}"),
            control_key("GET", "x", b"{}")
        );
    }
}
