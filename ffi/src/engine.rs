//! The binding engine (`privnum_engine_*`): bindings of one application,
//! their rules, call routing and (optionally) durable state in a directory.
//!
//! Every operation is reachable through one JSON command function
//! (`privnum_engine_execute`, core's `engine::command`); the hot path,
//! routing a call, also has a typed function that allocates nothing of its
//! own (`privnum_engine_route`).

use std::cell::RefCell;
use std::ffi::c_char;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use privnum::engine::command::{config_from_json, execute};
use privnum::engine::{CallIn, CloseReason, Engine, Ext, Mode, OpenReport, Route};
use privnum::{Error, ErrorKind, Number, Result};

use crate::boundary::{
    Out, OutBuf, call, guard, handle_clone, handle_free, handle_new, handle_ref, static_cstr,
    str_in,
};
use crate::number::privnum_number;
use crate::result::privnum_result;

/// Mode: A owns X; anyone calling X reaches A (AX).
pub const PRIVNUM_MODE_AX: u32 = 0;
/// Mode: A and B talk through X (AXB).
pub const PRIVNUM_MODE_AXB: u32 = 1;
/// Mode: A is reached through X plus an extension (AXE).
pub const PRIVNUM_MODE_AXE: u32 = 2;
/// Mode: A owns X, each B is bound to a Y under the AX binding (AXYB).
pub const PRIVNUM_MODE_AXYB: u32 = 3;
/// Mode: the platform stores nothing and the application answers every call
/// (X mode); the engine holds pairs, owners and extensions of its own.
pub const PRIVNUM_MODE_X: u32 = 4;

/// Close reason: the caller is a fixed line or service number (stateCode 8023).
pub const PRIVNUM_CLOSE_CALLER_CANNOT_CALL_X: u32 = 0;
/// Close reason: no binding connects this caller through this number (stateCode 8014).
pub const PRIVNUM_CLOSE_NO_BINDING: u32 = 1;
/// Close reason: the binding is requested but not yet confirmed by the
/// platform (stateCode 8014).
pub const PRIVNUM_CLOSE_NOT_YET_BOUND: u32 = 2;
/// Close reason: the binding's lifetime is over (stateCode 8014).
pub const PRIVNUM_CLOSE_EXPIRED: u32 = 3;
/// Close reason: the number is paused or unavailable (no stateCode).
pub const PRIVNUM_CLOSE_X_UNAVAILABLE: u32 = 4;
/// Close reason: the binding's `callDirection` does not allow this direction
/// (no stateCode).
pub const PRIVNUM_CLOSE_DIRECTION_NOT_ALLOWED: u32 = 5;
/// Close reason: AX, A called X without a temporary callee set (stateCode 8013).
pub const PRIVNUM_CLOSE_NO_TEMP_CALLEE: u32 = 6;
/// Close reason: AXE, no extension was keyed in (stateCode 8033).
pub const PRIVNUM_CLOSE_EXTENSION_NEEDED: u32 = 7;
/// Close reason: AXE, the extension is not bound on X (stateCode 8033).
pub const PRIVNUM_CLOSE_UNKNOWN_EXTENSION: u32 = 8;
/// Close reason: AXE, A called X with no live callback record and no
/// callback number (no stateCode).
pub const PRIVNUM_CLOSE_NO_CALLBACK_TARGET: u32 = 9;
/// Close reason: AXYB, the caller has no YB relation with X's owner (stateCode 8014).
pub const PRIVNUM_CLOSE_NO_RELATION: u32 = 10;
/// `privnum_route.close_reason` of a route that connects: not a reason.
pub const PRIVNUM_CLOSE_NONE: u32 = 4_294_967_295;

/// The longest binding id (the platform's `subscriptionId` is 1-64
/// printable ASCII characters).
pub const PRIVNUM_BINDING_ID_MAX_LEN: usize = 64;
/// The size of `privnum_route.binding_id`: the longest id and its NUL.
pub const PRIVNUM_BINDING_ID_SIZE: usize = 65;

/// A binding engine: the bindings of ONE application (one mode), the
/// platform's binding rules, call routing, and, when opened on a directory,
/// a journal that makes every acknowledged change survive a crash.
///
/// Create with `privnum_engine_new` (in memory) or `privnum_engine_open`
/// (durable), release with `privnum_engine_free`.
///
/// Thread-safe: every `privnum_engine_*` function may be called concurrently
/// from any number of threads on the same handle (`privnum_engine_free`
/// only once no call is using that handle, on any thread). Reads (routing,
/// lookups) share a read lock; changes are serialized among themselves, and
/// a change holds the engine's write lock only for its in-memory apply
/// (never while it is validated or written and fsynced to the journal), so
/// routing never waits for an fsync.
#[derive(Debug)]
pub struct privnum_engine {
    /// Shared with the `privnum_mirror`s made on this engine.
    engine: Arc<Engine>,
    /// Unique per engine created in this process (never reused), so that a
    /// held answer (see `privnum_engine_execute`) is never delivered for
    /// another engine that happens to get the same address.
    serial: u64,
}

impl privnum_engine {
    fn new(engine: Engine) -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        Self {
            engine: Arc::new(engine),
            serial: NEXT.fetch_add(1, Ordering::Relaxed),
        }
    }

    /// The core engine, shared: a `privnum_mirror` changes this same engine.
    pub(crate) fn shared(&self) -> Arc<Engine> {
        Arc::clone(&self.engine)
    }
}

/// What `privnum_engine_open` found in the directory.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct privnum_open_report {
    /// Whether a snapshot was loaded.
    pub snapshot_loaded: bool,
    /// Journal records replayed after the snapshot.
    pub records_replayed: u64,
    /// Bindings restored.
    pub bindings: usize,
    /// Whether a torn last record (a crash in the middle of writing a change
    /// that was never acknowledged) was cut off; when false the two
    /// `torn_tail_*` fields are 0.
    pub has_torn_tail: bool,
    /// Byte offset in the journal file where the torn record started (the
    /// file's new length).
    pub torn_tail_offset: u64,
    /// Bytes dropped from that offset to the old end of the file.
    pub torn_tail_bytes: u64,
}

impl From<&OpenReport> for privnum_open_report {
    fn from(r: &OpenReport) -> Self {
        Self {
            snapshot_loaded: r.snapshot_loaded,
            records_replayed: r.records_replayed,
            bindings: r.bindings,
            has_torn_tail: r.torn_tail.is_some(),
            torn_tail_offset: r.torn_tail.map_or(0, |t| t.offset),
            torn_tail_bytes: r.torn_tail.map_or(0, |t| t.bytes),
        }
    }
}

/// The routing decision for one call (`privnum_engine_route`): a plain value,
/// nothing to free.
///
/// When `connect` is true, bridge the call to `callee`, showing `display`;
/// `close_reason` is `PRIVNUM_CLOSE_NONE` and `state_code` 0. When it is
/// false, end the call: `close_reason` says why (`PRIVNUM_CLOSE_*`) and
/// `state_code` is the platform's hang-up `stateCode` for it (8013, 8014,
/// 8023, 8033) or 0 where the platform names none; `callee` and `display`
/// have bits 0, `max_duration_min` is 0 and `record` false.
///
/// The tones and user data of the binding are not here; the `route`
/// command of `privnum_engine_execute` returns them.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct privnum_route {
    /// Whether to connect the call (else close it).
    pub connect: bool,
    /// Whom to call.
    pub callee: privnum_number,
    /// What the callee sees (X, or Y in AXYB).
    pub display: privnum_number,
    /// Per-call cap in minutes (0 = none).
    pub max_duration_min: u32,
    /// Whether to record the call.
    pub record: bool,
    /// Why the call is closed (`PRIVNUM_CLOSE_*`), `PRIVNUM_CLOSE_NONE` when
    /// it connects.
    pub close_reason: u32,
    /// The platform's hang-up `stateCode` for a close, 0 when none.
    pub state_code: u32,
    /// Whether a binding decided the route (always for a connect; for a
    /// close, when a binding was found but could not be used).
    pub has_binding: bool,
    /// That binding's id, NUL-terminated (empty when `has_binding` is false).
    pub binding_id: [c_char; PRIVNUM_BINDING_ID_SIZE],
}

/// The answer of the thread's last `privnum_engine_execute`, when it did not
/// fit the caller's buffer.
struct Held {
    serial: u64,
    command: Box<[u8]>,
    answer: String,
}

thread_local! {
    static HELD: RefCell<Option<Held>> = const { RefCell::new(None) };
}

// `try_with`: during thread teardown the slot may be gone; nothing is held then.
fn held_take() -> Option<Held> {
    HELD.try_with(|h| h.borrow_mut().take()).ok().flatten()
}

fn held_put(held: Held) {
    let _ = HELD.try_with(|h| *h.borrow_mut() = Some(held));
}

/// Copy `answer` out; if it does not fit, hold it for this thread and fail
/// with `INSUFFICIENT_SIZE` (the needed size in `*out_n`).
fn deliver(out: OutBuf<'_>, held: Held) -> Result<()> {
    match out.put(held.answer.as_bytes()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == ErrorKind::InsufficientSize => {
            let n = held.answer.len();
            held_put(held);
            Err(Error::new(
                ErrorKind::InsufficientSize,
                format!(
                    "the answer needs {n} bytes (written to *out_n); the command ran once and \
                     its answer is held on this thread: fetch it with privnum_engine_take_answer \
                     or repeat the identical privnum_engine_execute call (it is not run again)"
                ),
            ))
        }
        Err(e) => Err(e),
    }
}

/// Read the engine config JSON.
///
/// # Safety
///
/// As for [`str_in`].
unsafe fn config_arg(config: *const u8, len: usize) -> Result<privnum::engine::EngineConfig> {
    // SAFETY: forwarded from this function's contract.
    let text = unsafe { str_in(config, len, "config_json") }?;
    config_from_json(text)
}

/// Create an in-memory engine from its configuration and write it to `*out`.
///
/// `config_json` is a JSON object (UTF-8, not NUL-terminated):
/// `{"mode": "axb", "extension_digits": 4, "max_events": 65536,
/// "compact_after": 100000, "id_seed": 1, "fsync": "always"}`, where only
/// `mode` (`ax`, `axb`, `axe`, `axyb` or `x`) is required. `id_seed` makes
/// the ids the engine mints reproducible (tests); without it they are
/// random. An unknown key or mode, or a bad value, is
/// `PRIVNUM_RESULT_INVALID_ARGUMENT` (the last error says which).
///
/// Ownership: on success the caller owns `*out` and must release it with
/// `privnum_engine_free`. `*out` is written only on success.
///
/// # Safety
///
/// `config_json` must be NULL (only with `config_len == 0`) or point to
/// `config_len` readable bytes; `out` must be valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_engine_new(
    config_json: *const u8,
    config_len: usize,
    out: *mut *mut privnum_engine,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees `config_json`/`config_len` and `out` (see above).
        let (config, out) =
            unsafe { (config_arg(config_json, config_len)?, Out::new(out, "out")?) };
        out.write(handle_new(privnum_engine::new(Engine::new(config)?)));
        Ok(())
    })
}

/// Open (or create) a durable engine kept in the directory `dir` and write
/// it to `*out`; if `out_report` is not NULL, also write what was found
/// there to `*out_report`.
///
/// `dir` is a UTF-8 path (not NUL-terminated); the directory is created if
/// missing. The state found there is restored (snapshot, then journal); a
/// torn last record, left by a crash in the middle of writing a change that
/// was never acknowledged, is cut off and reported. From then on every
/// change is appended to the journal, and with `"fsync": "always"` (the
/// default) synced, before the call that made it returns. `config_json` is
/// as for `privnum_engine_new`; it must name the mode and extension digits
/// the directory was written with (else `PRIVNUM_RESULT_INVALID_ARGUMENT`).
///
/// Fails with `PRIVNUM_RESULT_JOURNAL_IO` when the directory cannot be read
/// or written, `PRIVNUM_RESULT_JOURNAL_CORRUPT` when its content is damaged
/// beyond a torn last record. Only one engine may use a directory at a time.
///
/// Ownership: on success the caller owns `*out` and must release it with
/// `privnum_engine_free` (which closes the journal). `*out` and
/// `*out_report` are written only on success.
///
/// # Safety
///
/// `dir` and `config_json` must each be NULL (only with a zero length) or
/// point to that many readable bytes; `out` must be valid for writing a
/// pointer; `out_report` must be NULL or valid for writing a
/// `privnum_open_report`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_engine_open(
    dir: *const u8,
    dir_len: usize,
    config_json: *const u8,
    config_len: usize,
    out: *mut *mut privnum_engine,
    out_report: *mut privnum_open_report,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees every pointer argument (see above).
        let (dir, config, out) = unsafe {
            (
                str_in(dir, dir_len, "dir")?,
                config_arg(config_json, config_len)?,
                Out::new(out, "out")?,
            )
        };
        let out_report = if out_report.is_null() {
            None
        } else {
            // SAFETY: non-NULL, and the caller guarantees it is valid for writing.
            Some(unsafe { Out::new(out_report, "out_report") }?)
        };
        if dir.is_empty() {
            return Err(Error::new(ErrorKind::InvalidArgument, "dir is empty"));
        }
        let (engine, report) = Engine::open(Path::new(dir), config)?;
        out.write(handle_new(privnum_engine::new(engine)));
        if let Some(o) = out_report {
            o.write((&report).into());
        }
        Ok(())
    })
}

/// Write to `*out` another handle to the same engine (reference counted, no
/// copy: both see the same bindings).
///
/// # Safety
///
/// `engine` must be a live handle; `out` must be valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_engine_clone(
    engine: *const privnum_engine,
    out: *mut *mut privnum_engine,
) -> privnum_result {
    // SAFETY: the caller guarantees `engine` and `out` (see above).
    call(|| unsafe { handle_clone(engine, out, "engine") })
}

/// Release an engine handle. NULL does nothing. When the last handle is
/// released the engine is dropped (a durable engine's journal is closed;
/// every acknowledged change is already in it).
///
/// # Safety
///
/// `engine` must be NULL or a live handle from `privnum_engine_new`,
/// `privnum_engine_open` or `privnum_engine_clone`, not in use by another
/// call, and not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_engine_free(engine: *mut privnum_engine) {
    // SAFETY: the caller guarantees `engine` (see above).
    guard((), || unsafe { handle_free(engine) });
}

/// Run one engine command and write its JSON answer to `buf` (UTF-8, not
/// NUL-terminated; its length to `*out_n`).
///
/// The command is a JSON object with `"op"` and the operation's fields, for
/// example `{"op":"bind","now":1714550400,"request":{"shape":"pair",
/// "a":"+8613800000021","b":"+8613800000022","x":{"given":"+8617000000010"}}}`;
/// every operation of the engine is available (`bind`, `request_bind`,
/// `check_bind`, `settle`, `modify`, `request_modify`, `unbind`,
/// `request_unbind`, `unbind_x`, `temp_callee`, `tick`, `x_status`,
/// `pool_add`, `pool_remove`, `route`, `get`, `bindings_on`, `find_party`,
/// `owned_by`, `relations`, `events`, `pressure`, `len`). The answer is
/// compact JSON: `{"ok":<value>}`, or `{"error":{"kind":"RULE_VIOLATION",
/// "code":400,"platform_code":"1012010","field":"calleeNum","message":"..."}}`
/// where `kind`/`code` are the name and number of the `PRIVNUM_RESULT_*`
/// code, `platform_code` the platform's `resultcode` (or null) and `field`
/// the request field at fault (or null).
///
/// Returns `PRIVNUM_RESULT_OK` whenever an answer was written, INCLUDING an
/// `{"error":...}` answer (a refused or malformed command): look inside the
/// answer, not at the result code, to know whether the command succeeded.
/// Other result codes mean no answer was written: a NULL or invalid
/// argument (`engine`, `out_n`, `cmd_json` with a non-zero length, `buf`
/// with a non-zero `buf_len`; the command is then NOT run), `cmd_json` not
/// UTF-8, or `PRIVNUM_RESULT_INSUFFICIENT_SIZE`, below.
///
/// A too-small buffer never makes a command run twice. Every call that gets
/// past the argument checks runs its command exactly once. If the answer
/// does not fit (`PRIVNUM_RESULT_INSUFFICIENT_SIZE`, with the needed size in
/// `*out_n` and `buf` untouched), the command HAS been run (a `bind` is
/// applied) and its answer is held in a slot of the calling thread. Get it
/// with either:
/// - `privnum_engine_take_answer` on the same thread, with a big enough
///   buffer; or
/// - the usual size protocol: repeat this call on the same thread with the
///   same engine and byte-identical `cmd_json` and a buffer of `*out_n`
///   bytes. Such an identical retry delivers the held answer and does NOT
///   run the command again.
///
/// The slot holds one answer per thread; any other `privnum_engine_execute`
/// call on that thread (another command or another engine) discards it
/// first, as does delivering it. It is freed when the thread exits.
/// Answers have no fixed upper size (`bindings_on`, `events` and similar
/// list many bindings); 4096 bytes suffice for a single binding, a route or
/// an error.
///
/// Thread-safe: any number of threads may execute commands on the same
/// engine at once; each thread has its own held-answer slot.
///
/// # Safety
///
/// `engine` must be a live handle; `cmd_json` must be NULL (only with
/// `cmd_len == 0`) or point to `cmd_len` readable bytes; `buf` must be NULL
/// (only with `buf_len == 0`) or valid for writing `buf_len` bytes; `out_n`
/// must be valid for writing a `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_engine_execute(
    engine: *const privnum_engine,
    cmd_json: *const u8,
    cmd_len: usize,
    buf: *mut u8,
    buf_len: usize,
    out_n: *mut usize,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees every pointer argument (see above).
        let (engine, cmd, out) = unsafe {
            (
                handle_ref(engine, "engine")?,
                str_in(cmd_json, cmd_len, "cmd_json")?,
                OutBuf::new(buf, buf_len, out_n)?,
            )
        };
        // An identical retry after INSUFFICIENT_SIZE: deliver, do not re-run.
        // Anything else discards what the thread held.
        if let Some(held) = held_take() {
            if held.serial == engine.serial && *held.command == *cmd.as_bytes() {
                return deliver(out, held);
            }
        }
        let answer = execute(&engine.engine, cmd);
        deliver(
            out,
            Held {
                serial: engine.serial,
                command: cmd.as_bytes().into(),
                answer,
            },
        )
    })
}

/// Copy the answer held on the calling thread (the answer of this thread's
/// last `privnum_engine_execute`, which returned
/// `PRIVNUM_RESULT_INSUFFICIENT_SIZE`) to `buf` and release it; output as
/// for `privnum_engine_execute`.
///
/// If it still does not fit, returns `PRIVNUM_RESULT_INSUFFICIENT_SIZE` with
/// the needed size in `*out_n` and keeps holding it. Returns
/// `PRIVNUM_RESULT_INVALID_ARGUMENT` when the thread holds no answer.
///
/// # Safety
///
/// `buf` must be NULL (only with `buf_len == 0`) or valid for writing
/// `buf_len` bytes; `out_n` must be valid for writing a `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_engine_take_answer(
    buf: *mut u8,
    buf_len: usize,
    out_n: *mut usize,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees `buf`/`buf_len` and `out_n` (see above).
        let out = unsafe { OutBuf::new(buf, buf_len, out_n) }?;
        let held = held_take().ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidArgument,
                "no engine answer is held on this thread (only privnum_engine_execute \
                 returning PRIVNUM_RESULT_INSUFFICIENT_SIZE holds one)",
            )
        })?;
        deliver(out, held)
    })
}

/// A `fmt::Write` into a fixed buffer (the binding id, without allocating).
struct IdBuf {
    bytes: [u8; PRIVNUM_BINDING_ID_MAX_LEN],
    len: usize,
}

impl std::fmt::Write for IdBuf {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        let dst = self.bytes.get_mut(self.len..end).ok_or(std::fmt::Error)?;
        dst.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

fn route_out(route: &Route) -> privnum_route {
    let mut out = privnum_route {
        connect: false,
        callee: privnum_number { bits: 0 },
        display: privnum_number { bits: 0 },
        max_duration_min: 0,
        record: false,
        close_reason: PRIVNUM_CLOSE_NONE,
        state_code: 0,
        has_binding: false,
        binding_id: [0; PRIVNUM_BINDING_ID_SIZE],
    };
    let binding = match route {
        Route::Connect(c) => {
            out.connect = true;
            out.callee = c.callee.into();
            out.display = c.display.into();
            out.max_duration_min = u32::from(c.max_duration_min);
            out.record = c.record;
            Some(&c.binding)
        }
        Route::Close { reason, binding } => {
            out.close_reason = reason.code();
            out.state_code = reason.state_code().unwrap_or(0);
            binding.as_ref()
        }
    };
    if let Some(id) = binding {
        let mut b = IdBuf {
            bytes: [0; PRIVNUM_BINDING_ID_MAX_LEN],
            len: 0,
        };
        // Ids are at most 64 bytes (core checks); a longer one is cut.
        let _ = std::fmt::Write::write_fmt(&mut b, format_args!("{id}"));
        out.has_binding = true;
        for (dst, &src) in out.binding_id.iter_mut().zip(&b.bytes[..b.len]) {
            *dst = src as c_char;
        }
    }
    out
}

/// Decide a call that reaches `dialled` (X, or Y in AXYB) from `caller` at
/// `now` (Unix seconds), and write the decision to `*out`: the typed fast
/// path of the `route` command, for answering the platform's X-mode
/// `callin` push within its deadline.
///
/// `ext` is the extension keyed in (AXE; 1-4 ASCII digits, UTF-8, not
/// NUL-terminated): NULL with `ext_len == 0`, or `ext_len == 0`, means none.
/// A malformed extension is `PRIVNUM_RESULT_INVALID_ARGUMENT`, as are
/// numbers whose bits no parse produced.
///
/// A closed call is a successful decision (`PRIVNUM_RESULT_OK`, `connect`
/// false). Routing takes the engine's read lock (and, for AXE extension
/// calls, a short lock on the callback records: a call connected through
/// X and an extension is remembered, so that A calling X reaches that
/// party); it never waits for a journal write or fsync, and allocates
/// nothing beyond what core's decision does. `*out` is written only on
/// success.
///
/// # Safety
///
/// `engine` must be a live handle; `ext` must be NULL (only with
/// `ext_len == 0`) or point to `ext_len` readable bytes; `out` must be valid
/// for writing a `privnum_route`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_engine_route(
    engine: *const privnum_engine,
    caller: privnum_number,
    dialled: privnum_number,
    ext: *const u8,
    ext_len: usize,
    now: u64,
    out: *mut privnum_route,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees every pointer argument (see above).
        let (engine, ext, out) = unsafe {
            (
                handle_ref(engine, "engine")?,
                str_in(ext, ext_len, "ext")?,
                Out::new(out, "out")?,
            )
        };
        let call = CallIn {
            caller: Number::from_bits(caller.bits)?,
            dialled: Number::from_bits(dialled.bits)?,
            ext: if ext.is_empty() {
                None
            } else {
                Some(Ext::parse(ext)?)
            },
        };
        out.write(route_out(&engine.engine.route(&call, now)));
        Ok(())
    })
}

/// How many bindings the engine holds (in any non-terminal state); 0 if
/// `engine` is NULL.
///
/// # Safety
///
/// `engine` must be NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_engine_len(engine: *const privnum_engine) -> usize {
    guard(0, || {
        // SAFETY: the caller guarantees `engine` (see above).
        unsafe { handle_ref(engine, "engine") }.map_or(0, |e| e.engine.len())
    })
}

/// Bytes of memory the engine's records and indexes use (from their
/// capacities, without the allocator's own overhead); 0 if `engine` is NULL.
///
/// # Safety
///
/// `engine` must be NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_engine_memory_bytes(engine: *const privnum_engine) -> usize {
    guard(0, || {
        // SAFETY: the caller guarantees `engine` (see above).
        unsafe { handle_ref(engine, "engine") }.map_or(0, |e| e.engine.memory_bytes())
    })
}

/// Write the engine's mode (`PRIVNUM_MODE_*`) to `*out`. `*out` is written
/// only on success.
///
/// # Safety
///
/// `engine` must be a live handle; `out` must be valid for writing a
/// `uint32_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_engine_mode(
    engine: *const privnum_engine,
    out: *mut u32,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees `engine` and `out` (see above).
        let (engine, out) = unsafe { (handle_ref(engine, "engine")?, Out::new(out, "out")?) };
        out.write(engine.engine.mode().code());
        Ok(())
    })
}

/// The static, NUL-terminated snake_case name of a close reason
/// (`"no_binding"` for `PRIVNUM_CLOSE_NO_BINDING`, as in the `route`
/// command's answer), or NULL for a value that is not a `PRIVNUM_CLOSE_*`
/// reason (including `PRIVNUM_CLOSE_NONE`). Do not free.
#[unsafe(no_mangle)]
pub extern "C" fn privnum_close_reason_name(reason: u32) -> *const c_char {
    guard(std::ptr::null(), || {
        CloseReason::ALL
            .get(reason as usize)
            .map_or(std::ptr::null(), |r| static_cstr(r.name()))
    })
}

/// The static, NUL-terminated lower-case name of a mode (`"axb"` for
/// `PRIVNUM_MODE_AXB`, as in an engine config), or NULL for a value that is
/// not a `PRIVNUM_MODE_*`. Do not free.
#[unsafe(no_mangle)]
pub extern "C" fn privnum_mode_name(mode: u32) -> *const c_char {
    guard(std::ptr::null(), || {
        Mode::from_code(mode).map_or(std::ptr::null(), |m| static_cstr(m.name()))
    })
}

#[cfg(test)]
mod tests {
    use std::ffi::CStr;
    use std::ptr;

    use super::*;
    use crate::test_support::{check_family, defines, screaming};

    const AXB: &str = r#"{"mode":"axb","id_seed":7}"#;
    const A: &str = "+8613800000021";
    const B: &str = "+8613800000022";
    const X: &str = "+8617000000010";

    fn bits(s: &str) -> privnum_number {
        privnum::number::parse(s).unwrap().into()
    }

    fn new_engine(config: &str) -> *mut privnum_engine {
        let mut e = ptr::null_mut();
        // SAFETY: valid text and out pointer.
        let r = unsafe { privnum_engine_new(config.as_ptr(), config.len(), &mut e) };
        assert_eq!(r, 0, "{}", crate::boundary::last_error());
        e
    }

    /// Run `cmd` with a buffer of `cap` bytes: the result, the answer, `out_n`.
    fn exec(e: *const privnum_engine, cmd: &str, cap: usize) -> (u32, String, usize) {
        let mut buf = vec![0u8; cap];
        let mut n = 0;
        let p = if cap == 0 {
            ptr::null_mut()
        } else {
            buf.as_mut_ptr()
        };
        // SAFETY: live engine, valid command, buffer and out_n.
        let r = unsafe { privnum_engine_execute(e, cmd.as_ptr(), cmd.len(), p, cap, &mut n) };
        let text = if r == 0 {
            String::from_utf8(buf[..n].to_vec()).unwrap()
        } else {
            String::new()
        };
        (r, text, n)
    }

    fn bind_cmd(a: &str, b: &str) -> String {
        format!(
            r#"{{"op":"bind","now":100,"request":{{"shape":"pair","a":"{a}","b":"{b}","x":{{"given":"{X}"}}}}}}"#
        )
    }

    #[test]
    fn handle_is_thread_safe() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<privnum_engine>();
    }

    #[test]
    fn close_reasons_and_modes_match_core() {
        let c = [
            ("CALLER_CANNOT_CALL_X", PRIVNUM_CLOSE_CALLER_CANNOT_CALL_X),
            ("NO_BINDING", PRIVNUM_CLOSE_NO_BINDING),
            ("NOT_YET_BOUND", PRIVNUM_CLOSE_NOT_YET_BOUND),
            ("EXPIRED", PRIVNUM_CLOSE_EXPIRED),
            ("X_UNAVAILABLE", PRIVNUM_CLOSE_X_UNAVAILABLE),
            ("DIRECTION_NOT_ALLOWED", PRIVNUM_CLOSE_DIRECTION_NOT_ALLOWED),
            ("NO_TEMP_CALLEE", PRIVNUM_CLOSE_NO_TEMP_CALLEE),
            ("EXTENSION_NEEDED", PRIVNUM_CLOSE_EXTENSION_NEEDED),
            ("UNKNOWN_EXTENSION", PRIVNUM_CLOSE_UNKNOWN_EXTENSION),
            ("NO_CALLBACK_TARGET", PRIVNUM_CLOSE_NO_CALLBACK_TARGET),
            ("NO_RELATION", PRIVNUM_CLOSE_NO_RELATION),
            ("NONE", PRIVNUM_CLOSE_NONE),
        ];
        let core = CloseReason::ALL
            .iter()
            .map(|r| (screaming(&format!("{r:?}")), r.code()))
            .chain([("NONE".to_owned(), u32::MAX)]);
        check_family("PRIVNUM_CLOSE_", &c, core);
        assert!(
            CloseReason::ALL
                .iter()
                .all(|r| r.code() != PRIVNUM_CLOSE_NONE)
        );
        for r in CloseReason::ALL {
            // SAFETY: a static NUL-terminated name.
            let n = unsafe { CStr::from_ptr(privnum_close_reason_name(r.code())) };
            assert_eq!(n.to_str(), Ok(r.name()));
        }
        assert!(privnum_close_reason_name(PRIVNUM_CLOSE_NONE).is_null());
        assert!(privnum_close_reason_name(11).is_null());

        let c = [
            ("AX", PRIVNUM_MODE_AX),
            ("AXB", PRIVNUM_MODE_AXB),
            ("AXE", PRIVNUM_MODE_AXE),
            ("AXYB", PRIVNUM_MODE_AXYB),
            ("X", PRIVNUM_MODE_X),
        ];
        let core = Mode::ALL
            .iter()
            .map(|m| (screaming(&format!("{m:?}")), m.code()));
        check_family("PRIVNUM_MODE_", &c, core);
        for m in Mode::ALL {
            // SAFETY: a static NUL-terminated name.
            let n = unsafe { CStr::from_ptr(privnum_mode_name(m.code())) };
            assert_eq!(n.to_str(), Ok(m.name()));
        }
        assert!(privnum_mode_name(5).is_null());
        assert_eq!(
            usize::try_from(
                defines("PRIVNUM_BINDING_ID_")
                    .get("MAX_LEN")
                    .copied()
                    .unwrap()
            )
            .unwrap(),
            PRIVNUM_BINDING_ID_MAX_LEN
        );
        assert_eq!(
            PRIVNUM_BINDING_ID_MAX_LEN,
            privnum::engine::model::MAX_ID_LEN
        );
    }

    #[test]
    fn too_small_buffer_never_runs_a_command_twice() {
        let e = new_engine(AXB);
        let cmd = bind_cmd(A, B);
        // Size query: the bind runs once and its answer is held.
        let (r, _, need) = exec(e, &cmd, 0);
        assert_eq!(r, ErrorKind::InsufficientSize.code());
        assert!(need > 0);
        // SAFETY: live engine.
        assert_eq!(unsafe { privnum_engine_len(e) }, 1);
        // The identical retry delivers it without binding again (a second
        // bind of the same pair would be a rule violation).
        let (r, text, n) = exec(e, &cmd, need);
        assert_eq!((r, n), (0, need));
        assert!(text.starts_with(r#"{"ok":{"#), "{text}");
        // SAFETY: live engine.
        assert_eq!(unsafe { privnum_engine_len(e) }, 1);
        // Delivered: nothing is held any more, and the same text runs again.
        let mut n = 0;
        // SAFETY: NULL/0 buffer and valid out_n.
        let r = unsafe { privnum_engine_take_answer(ptr::null_mut(), 0, &mut n) };
        assert_eq!(r, ErrorKind::InvalidArgument.code());
        let (r, text, _) = exec(e, &cmd, 4096);
        assert_eq!(r, 0);
        assert!(text.contains(r#""kind":"RULE_VIOLATION""#), "{text}");

        // take_answer, including a second too-small attempt.
        let cmd = bind_cmd("+8613800000031", "+8613800000032");
        let (r, _, need) = exec(e, &cmd, 10);
        assert_eq!(r, ErrorKind::InsufficientSize.code());
        let mut small = [0u8; 4];
        let mut n = 0;
        // SAFETY: a 4-byte buffer and valid out_n.
        let r = unsafe { privnum_engine_take_answer(small.as_mut_ptr(), 4, &mut n) };
        assert_eq!((r, n), (ErrorKind::InsufficientSize.code(), need));
        let mut buf = vec![0u8; need];
        // SAFETY: a `need`-byte buffer and valid out_n.
        let r = unsafe { privnum_engine_take_answer(buf.as_mut_ptr(), need, &mut n) };
        assert_eq!((r, n), (0, need));
        assert!(buf.starts_with(br#"{"ok":{"#));
        // SAFETY: live engine.
        assert_eq!(unsafe { privnum_engine_len(e) }, 2);

        // Another command discards the held answer.
        let cmd = bind_cmd("+8613800000041", "+8613800000042");
        assert_eq!(exec(e, &cmd, 1).0, ErrorKind::InsufficientSize.code());
        assert_eq!(exec(e, r#"{"op":"len"}"#, 100).1, r#"{"ok":3}"#);
        let (r, text, _) = exec(e, &cmd, 4096);
        assert_eq!(r, 0);
        assert!(text.contains("RULE_VIOLATION"), "{text}");

        // The identical command on another engine is not a retry.
        let e2 = new_engine(AXB);
        let cmd = bind_cmd("+8613800000051", "+8613800000052");
        assert_eq!(exec(e, &cmd, 1).0, ErrorKind::InsufficientSize.code());
        let (r, text, _) = exec(e2, &cmd, 4096);
        assert_eq!(r, 0);
        assert!(text.starts_with(r#"{"ok":{"#), "{text}");
        // SAFETY: live handles, released once.
        unsafe {
            assert_eq!(privnum_engine_len(e), 4);
            assert_eq!(privnum_engine_len(e2), 1);
            privnum_engine_free(e);
            privnum_engine_free(e2);
        }
    }

    #[test]
    fn route_fast_path() {
        let e = new_engine(AXB);
        assert_eq!(exec(e, &bind_cmd(A, B), 4096).0, 0);
        let mut out = std::mem::MaybeUninit::<privnum_route>::uninit();
        // SAFETY: live engine, no extension, valid out.
        let r = unsafe {
            privnum_engine_route(e, bits(A), bits(X), ptr::null(), 0, 200, out.as_mut_ptr())
        };
        assert_eq!(r, 0);
        // SAFETY: written on success.
        let out = unsafe { out.assume_init() };
        assert!(out.connect && out.has_binding);
        assert_eq!((out.callee, out.display), (bits(B), bits(X)));
        assert_eq!((out.close_reason, out.state_code), (PRIVNUM_CLOSE_NONE, 0));
        // SAFETY: NUL-terminated by construction.
        let id = unsafe { CStr::from_ptr(out.binding_id.as_ptr()) };
        let (_, got, _) = exec(e, r#"{"op":"bindings_on","x":"+8617000000010"}"#, 4096);
        assert!(got.contains(&format!(r#""id":"{}""#, id.to_str().unwrap())));

        let mut out = std::mem::MaybeUninit::<privnum_route>::uninit();
        let stranger = bits("+8613800000099");
        // SAFETY: as above; an empty non-NULL extension is none.
        let r = unsafe {
            privnum_engine_route(
                e,
                stranger,
                bits(X),
                c"".as_ptr().cast(),
                0,
                200,
                out.as_mut_ptr(),
            )
        };
        assert_eq!(r, 0);
        // SAFETY: written on success.
        let out = unsafe { out.assume_init() };
        assert!(!out.connect && !out.has_binding);
        assert_eq!(out.close_reason, PRIVNUM_CLOSE_NO_BINDING);
        assert_eq!(out.state_code, 8014);
        assert_eq!(out.binding_id[0], 0);

        let mut out = std::mem::MaybeUninit::<privnum_route>::uninit();
        // SAFETY: as above.
        unsafe {
            let bad = b"12a";
            let r = privnum_engine_route(e, bits(A), bits(X), bad.as_ptr(), 3, 1, out.as_mut_ptr());
            assert_eq!(r, ErrorKind::InvalidArgument.code());
            let r = privnum_engine_route(e, bits(A), bits(X), ptr::null(), 1, 1, out.as_mut_ptr());
            assert_eq!(r, ErrorKind::NullParameter.code());
            let r = privnum_engine_route(
                e,
                privnum_number { bits: 1 },
                bits(X),
                ptr::null(),
                0,
                1,
                out.as_mut_ptr(),
            );
            assert_eq!(r, ErrorKind::InvalidArgument.code());
            let r = privnum_engine_route(e, bits(A), bits(X), ptr::null(), 0, 1, ptr::null_mut());
            assert_eq!(r, ErrorKind::NullParameter.code());
            privnum_engine_free(e);
        }
    }

    #[test]
    fn route_out_copies_long_ids() {
        let id = "i".repeat(PRIVNUM_BINDING_ID_MAX_LEN);
        let r = Route::Close {
            reason: CloseReason::Expired,
            binding: Some(id.parse().unwrap()),
        };
        let out = route_out(&r);
        // SAFETY: NUL-terminated by construction.
        let got = unsafe { CStr::from_ptr(out.binding_id.as_ptr()) };
        assert_eq!(got.to_str(), Ok(id.as_str()));
        assert_eq!((out.close_reason, out.state_code), (3, 8014));
    }
}
