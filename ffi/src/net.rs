//! The blocking platform client (`privnum_client_*`): sends any
//! `privnum_op` and retries only where that is safe (core's
//! `client::retry::Client`), over privnum's HTTPS transport or over a
//! transport the host implements as a C callback (`privnum_transport_fn`,
//! filling a `privnum_http_response`).
//!
//! Core holds every rule (signing each attempt, when to retry, settling a
//! bind whose outcome is unknown); this module only translates.

use std::cell::RefCell;
use std::ffi::c_void;
use std::fmt;
use std::time::Duration;

use privnum::client::HttpRequest;
use privnum::client::MAX_RESPONSE_BODY;
use privnum::client::any::AnyOperation;
use privnum::client::retry::{Client, RetryPolicy};
use privnum::client::transport::{
    OwnedResponse, Transport, TransportConfig, TransportError, UreqTransport,
};
use privnum::{Error, ErrorKind, Result};

use crate::boundary::{
    Out, OutBuf, call, guard, handle_clone, handle_free, handle_new, handle_ref, slice_in, str_in,
};
use crate::client::privnum_op;
use crate::held::{self, Held};
use crate::push::privnum_str;
use crate::result::privnum_result;
use crate::sign::privnum_signer;

/// What a `privnum_transport_fn` returns: the request was sent and the
/// callback filled in the answer (any HTTP status, 4xx and 5xx included).
pub const PRIVNUM_TRANSPORT_ANSWERED: u32 = 0;
/// What a `privnum_transport_fn` returns: the request CERTAINLY did not
/// reach the server (name resolution, connection refused, connect timeout,
/// TLS handshake failure). Any operation may be sent again.
pub const PRIVNUM_TRANSPORT_NOT_SENT: u32 = 1;
/// What a `privnum_transport_fn` returns: the request MAY have reached the
/// server but no complete answer came back (read timeout, connection closed
/// or reset). When in doubt, return this: a bind wrongly called "not sent"
/// may bind twice. Any value other than the three `PRIVNUM_TRANSPORT_*` is
/// taken as this one.
pub const PRIVNUM_TRANSPORT_MAYBE_SENT: u32 = 2;

/// Settings of a `privnum_client`. Fill one with
/// `privnum_client_config_default`, then change fields; or pass NULL to
/// `privnum_client_new` for the defaults.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct privnum_client_config {
    /// Longest time to resolve, connect and finish the TLS handshake, in
    /// milliseconds (default 5000; at least 1). A timeout here is "not
    /// sent". Ignored with a host transport.
    pub connect_timeout_ms: u32,
    /// Longest time without progress while sending or reading, in
    /// milliseconds (default 10000; at least 1). Ignored with a host
    /// transport.
    pub read_timeout_ms: u32,
    /// Longest time for one whole exchange, in milliseconds (default
    /// 30000; at least 1). Ignored with a host transport.
    pub total_timeout_ms: u32,
    /// 1 accepts `http://` base URLs (a local test server such as the
    /// emulator), 0 (the default) accepts only `https://`; other values are
    /// `PRIVNUM_RESULT_INVALID_ARGUMENT`. Ignored with a host transport.
    pub allow_http: u32,
    /// Most times one operation is sent per call, the first included
    /// (default 3; 0 counts as 1).
    pub max_attempts: u32,
    /// Wait before the first retry, in milliseconds (default 250); it
    /// doubles for each further retry, up to `max_backoff_ms`.
    pub initial_backoff_ms: u32,
    /// Longest wait between two attempts, in milliseconds (default 5000).
    pub max_backoff_ms: u32,
    /// Wait after the platform throttled a request, in milliseconds
    /// (default 60000: the platform asks for about a minute).
    pub throttle_backoff_ms: u32,
    /// How much of each wait is random, in percent (default 50; at most
    /// 100).
    pub jitter_percent: u32,
}

impl privnum_client_config {
    fn defaults() -> Self {
        let t = TransportConfig::default();
        let p = RetryPolicy::default();
        let ms = |d: Duration| u32::try_from(d.as_millis()).unwrap_or(u32::MAX);
        Self {
            connect_timeout_ms: ms(t.connect_timeout),
            read_timeout_ms: ms(t.read_timeout),
            total_timeout_ms: ms(t.total_timeout),
            allow_http: u32::from(!t.https_only),
            max_attempts: p.max_attempts,
            initial_backoff_ms: ms(p.initial_backoff),
            max_backoff_ms: ms(p.max_backoff),
            throttle_backoff_ms: ms(p.throttle_backoff),
            // Exact: the default is 0.5.
            jitter_percent: (p.jitter * 100.0).round() as u32,
        }
    }

    fn bad(what: &str, allowed: &str) -> Error {
        Error::new(
            ErrorKind::InvalidArgument,
            format!("config->{what} must be {allowed}"),
        )
    }

    fn policy(&self) -> Result<RetryPolicy> {
        if self.jitter_percent > 100 {
            return Err(Self::bad("jitter_percent", "at most 100"));
        }
        let ms = |v: u32| Duration::from_millis(u64::from(v));
        let mut p = RetryPolicy::default();
        p.max_attempts = self.max_attempts;
        p.initial_backoff = ms(self.initial_backoff_ms);
        p.max_backoff = ms(self.max_backoff_ms);
        p.throttle_backoff = ms(self.throttle_backoff_ms);
        p.jitter = f64::from(self.jitter_percent) / 100.0;
        Ok(p)
    }

    fn transport(&self) -> Result<TransportConfig> {
        for (what, v) in [
            ("connect_timeout_ms", self.connect_timeout_ms),
            ("read_timeout_ms", self.read_timeout_ms),
            ("total_timeout_ms", self.total_timeout_ms),
        ] {
            if v == 0 {
                return Err(Self::bad(what, "at least 1"));
            }
        }
        let https_only = match self.allow_http {
            0 => true,
            1 => false,
            _ => return Err(Self::bad("allow_http", "0 or 1")),
        };
        let ms = |v: u32| Duration::from_millis(u64::from(v));
        let mut t = TransportConfig::default();
        t.connect_timeout = ms(self.connect_timeout_ms);
        t.read_timeout = ms(self.read_timeout_ms);
        t.total_timeout = ms(self.total_timeout_ms);
        t.https_only = https_only;
        Ok(t)
    }
}

/// A blocking platform API client: base URL, signer, transport and retry
/// policy. Made by `privnum_client_new` or
/// `privnum_client_new_with_transport`, released with `privnum_client_free`.
/// Immutable and thread-safe: any number of threads may call through one
/// client at once (each call blocks its own thread).
pub struct privnum_client {
    client: Client,
    /// Identifies this client for a held answer (see `privnum_client_call`).
    serial: u64,
}

impl privnum_client {
    /// The core client (a `privnum_mirror` sends through a clone of it).
    pub(crate) fn core(&self) -> &Client {
        &self.client
    }
}

impl fmt::Debug for privnum_client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Client's Debug shows no secret.
        f.debug_struct("privnum_client")
            .field("client", &self.client)
            .finish_non_exhaustive()
    }
}

/// One header of a request handed to a `privnum_transport_fn`: views valid
/// only during the callback.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct privnum_http_header {
    /// The header name (`Content-Type`, `Authorization`, `X-AKSK`).
    pub name: privnum_str,
    /// The header value. The `X-AKSK` value is a credential: send it, never
    /// log it.
    pub value: privnum_str,
}

/// The request a `privnum_transport_fn` sends. Every view (and the
/// `headers` array) is valid only during the callback: copy what must
/// outlive it.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct privnum_http_request {
    /// `GET`, `POST`, `PUT` or `DELETE`.
    pub method: privnum_str,
    /// The full URL: the client's base URL, the path and the encoded query.
    pub url: privnum_str,
    /// The headers to send, in order (`header_count` of them).
    pub headers: *const privnum_http_header,
    /// How many headers `headers` holds.
    pub header_count: usize,
    /// The JSON body, or `{ NULL, 0 }` when the request has none (GET,
    /// DELETE).
    pub body: privnum_str,
}

/// The answer a `privnum_transport_fn` fills in with
/// `privnum_http_response_set_status`, `privnum_http_response_set_location`,
/// `privnum_http_response_append_body` and, for a failure,
/// `privnum_http_response_set_error`. Owned by privnum and valid only during
/// the callback; never keep the pointer.
#[derive(Debug, Default)]
pub struct privnum_http_response {
    status: u16,
    location: Option<String>,
    body: Vec<u8>,
    too_large: bool,
    error: Option<String>,
}

/// A host transport: sends ONE request once (no retries: the client
/// decides; no redirects followed: a 3xx is an answer with its `Location`)
/// and says what happened by returning `PRIVNUM_TRANSPORT_ANSWERED` (after
/// filling `response`: a status is required, the body and `Location` as
/// received), `PRIVNUM_TRANSPORT_NOT_SENT` or `PRIVNUM_TRANSPORT_MAYBE_SENT`
/// (optionally with `privnum_http_response_set_error` saying why).
///
/// It is called on the thread that called `privnum_client_call`, once per
/// attempt, each attempt signed afresh; when several threads call through
/// one client it is called from all of them at once, so it and `user_data`
/// must be thread-safe. It may call any privnum function (the last error it
/// leaves is replaced when the client call returns) except
/// `privnum_client_call` on the same thread. `request` and `response` are
/// valid only during the call.
pub type privnum_transport_fn = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        request: *const privnum_http_request,
        response: *mut privnum_http_response,
    ) -> u32,
>;

/// The host's callback as a core [`Transport`].
struct CallbackTransport {
    send: unsafe extern "C" fn(
        *mut c_void,
        *const privnum_http_request,
        *mut privnum_http_response,
    ) -> u32,
    user_data: *mut c_void,
}

// SAFETY: `privnum_client_new_with_transport` documents that the callback
// and `user_data` must be usable from any thread, concurrently; privnum
// only passes the pointer back to the callback.
unsafe impl Send for CallbackTransport {}
// SAFETY: as above.
unsafe impl Sync for CallbackTransport {}

impl fmt::Debug for CallbackTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallbackTransport").finish_non_exhaustive()
    }
}

impl Transport for CallbackTransport {
    fn send(&self, base_url: &str, request: &HttpRequest) -> Result<OwnedResponse, TransportError> {
        let url = request.url(base_url);
        let headers: Vec<privnum_http_header> = request
            .headers()
            .iter()
            .map(|(n, v)| privnum_http_header {
                name: privnum_str::of(n),
                value: privnum_str::of(v),
            })
            .collect();
        let view = privnum_http_request {
            method: privnum_str::of(request.method().as_str()),
            url: privnum_str::of(&url),
            headers: headers.as_ptr(),
            header_count: headers.len(),
            body: request
                .body()
                .map_or(privnum_str::absent(), privnum_str::of),
        };
        let mut response = privnum_http_response::default();
        // SAFETY: the callback's contract (see `privnum_transport_fn`): the
        // views point into `url`, `headers` and `request`, which outlive the
        // call, and `response` is a live, exclusive object.
        let said = unsafe { (self.send)(self.user_data, &view, &mut response) };
        let why = |default: &'static str| {
            response
                .error
                .clone()
                .map_or(std::borrow::Cow::Borrowed(default), Into::into)
        };
        match said {
            PRIVNUM_TRANSPORT_ANSWERED if response.status == 0 => Err(TransportError::maybe_sent(
                "the transport callback answered without setting a status \
                 (privnum_http_response_set_status)",
            )),
            PRIVNUM_TRANSPORT_ANSWERED if response.too_large => {
                Err(TransportError::too_large(response.status))
            }
            PRIVNUM_TRANSPORT_ANSWERED => Ok(OwnedResponse {
                status: response.status,
                location: response.location,
                body: response.body,
            }),
            PRIVNUM_TRANSPORT_NOT_SENT => Err(TransportError::not_sent(why(
                "the host transport did not send the request",
            ))),
            PRIVNUM_TRANSPORT_MAYBE_SENT => Err(TransportError::maybe_sent(why(
                "the host transport got no complete answer",
            ))),
            other => Err(TransportError::maybe_sent(format!(
                "the transport callback returned {other}, which is no PRIVNUM_TRANSPORT_* value \
                 (taken as maybe sent)"
            ))),
        }
    }
}

/// Fill `*out` with the default settings (5 s connect, 10 s read and 30 s
/// total timeouts, HTTPS only, 3 attempts, back-off from 250 ms to 5 s, 60 s
/// after throttling, 50 % jitter).
///
/// # Safety
///
/// `out` must be valid for writing a `privnum_client_config`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_client_config_default(
    out: *mut privnum_client_config,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees `out` (see above).
        let out = unsafe { Out::new(out, "out") }?;
        out.write(privnum_client_config::defaults());
        Ok(())
    })
}

/// Read the common arguments of the two constructors.
///
/// # Safety
///
/// As for `privnum_client_new`.
unsafe fn client_args<'a>(
    base_url: *const u8,
    base_len: usize,
    signer: *const privnum_signer,
    config: *const privnum_client_config,
) -> Result<(&'a str, &'a privnum_signer, privnum_client_config)> {
    // SAFETY: forwarded from the caller's contract.
    let (base, signer) = unsafe {
        (
            str_in(base_url, base_len, "base_url")?,
            handle_ref(signer, "signer")?,
        )
    };
    let config = if config.is_null() {
        privnum_client_config::defaults()
    } else {
        // SAFETY: a non-NULL `config` points to a readable config; every
        // field is a `u32`, so any bit pattern is a valid value.
        unsafe { slice_in(config, 1, "config") }?[0]
    };
    Ok((base, signer, config))
}

/// Make a client that sends through privnum's blocking HTTPS transport
/// (rustls with the Mozilla roots, no redirects followed, a fresh
/// connection per request, `config`'s timeouts) to `base_url`, the
/// application's access address (`https://host[:port]`; a trailing `/` is
/// ignored), signing with `signer` (the client keeps its own reference to
/// the signer's key: the signer may be freed afterwards). `config` NULL
/// means the defaults (`privnum_client_config_default`). On success writes
/// a new handle to `*out`.
///
/// Errors: a malformed base URL or a setting out of range is
/// `PRIVNUM_RESULT_INVALID_ARGUMENT`.
///
/// # Safety
///
/// `base_url` must be NULL (only with `base_len == 0`) or point to
/// `base_len` readable bytes; `signer` must be a live handle; `config` must
/// be NULL or point to a readable `privnum_client_config`; `out` must be
/// valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_client_new(
    base_url: *const u8,
    base_len: usize,
    signer: *const privnum_signer,
    config: *const privnum_client_config,
    out: *mut *mut privnum_client,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees every pointer argument (see above).
        let ((base, signer, config), out) = unsafe {
            (
                client_args(base_url, base_len, signer, config)?,
                Out::new(out, "out")?,
            )
        };
        let transport = UreqTransport::new(config.transport()?);
        let client = Client::with_transport(base, signer.signer().clone(), transport)?
            .with_policy(config.policy()?);
        out.write(handle_new(privnum_client {
            client,
            serial: held::next_serial(),
        }));
        Ok(())
    })
}

/// Make a client that sends through the host's HTTP stack: `send` is called
/// once per attempt with the signed request and fills in the answer (see
/// `privnum_transport_fn`), and is passed `user_data` unchanged. Otherwise
/// as `privnum_client_new`; `config`'s timeouts and `allow_http` do not
/// apply (the host's stack has its own), its retry settings do.
///
/// Ownership and threads: privnum never frees or reads `user_data`; it must
/// stay valid, and `send` callable, until the last handle of this client is
/// released and no call through it is running. `send` is called from every
/// thread that calls `privnum_client_call` on this client, concurrently if
/// they do, so it and `user_data` must be thread-safe.
///
/// Errors: `send` NULL is `PRIVNUM_RESULT_NULL_PARAMETER`; otherwise as
/// `privnum_client_new`.
///
/// # Safety
///
/// As for `privnum_client_new`; `send` must be NULL or a function with the
/// documented contract, and `user_data` whatever that function accepts.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_client_new_with_transport(
    base_url: *const u8,
    base_len: usize,
    signer: *const privnum_signer,
    config: *const privnum_client_config,
    send: privnum_transport_fn,
    user_data: *mut c_void,
    out: *mut *mut privnum_client,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees every pointer argument (see above).
        let ((base, signer, config), out) = unsafe {
            (
                client_args(base_url, base_len, signer, config)?,
                Out::new(out, "out")?,
            )
        };
        let send = send.ok_or_else(|| crate::boundary::null_error("send"))?;
        let transport = CallbackTransport { send, user_data };
        let client = Client::with_transport(base, signer.signer().clone(), transport)?
            .with_policy(config.policy()?);
        out.write(handle_new(privnum_client {
            client,
            serial: held::next_serial(),
        }));
        Ok(())
    })
}

/// Write another handle to the same client to `*out`.
///
/// # Safety
///
/// `client` must be a live handle; `out` must be valid for writing a
/// pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_client_clone(
    client: *const privnum_client,
    out: *mut *mut privnum_client,
) -> privnum_result {
    // SAFETY: forwarded from this function's contract.
    call(|| unsafe { handle_clone(client, out, "client") })
}

/// Release a handle made by `privnum_client_new`,
/// `privnum_client_new_with_transport` or `privnum_client_clone`; NULL does
/// nothing. Must not be called while a call through this handle is running.
///
/// # Safety
///
/// `client` must be NULL or a live handle, not used again.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_client_free(client: *mut privnum_client) {
    // SAFETY: forwarded from this function's contract.
    guard((), || unsafe { handle_free(client) });
}

thread_local! {
    static CLIENT_HELD: RefCell<Option<Held<AnyOperation>>> = const { RefCell::new(None) };
}

/// How to fetch a held answer (for the error message).
fn client_how() -> &'static str {
    "fetch it with privnum_client_take_answer, or repeat the identical \
                          privnum_client_call (same client, an equal operation), which does not \
                          send it again"
}

/// Send `op` to the platform and read its answer, blocking the calling
/// thread, with retries only where safe: every attempt signed afresh; an
/// attempt that certainly was not sent, or was throttled, is sent again; an
/// idempotent operation (query, unbind, modify) is also sent again after an
/// unknown outcome; a bind whose outcome is unknown is never re-sent
/// blindly: an AXB bind that named its X is settled by querying X for A and
/// B (found: success with that binding; nothing bound: sent once more),
/// anything else is `PRIVNUM_RESULT_OUTCOME_UNKNOWN`.
///
/// On success writes the output as compact JSON (as `privnum_op_parse`
/// does: snake-case keys, `{}` for operations without output) to `buf`, not
/// NUL-terminated, with its length in `*out_n`.
///
/// A too-small buffer never sends a request twice. If the answer does not
/// fit, the call returns `PRIVNUM_RESULT_INSUFFICIENT_SIZE` with the needed
/// size in `*out_n` and `buf` untouched, AFTER the operation was sent (a
/// bind HAS bound), and the answer is held in a slot of the calling thread.
/// Get it with `privnum_client_take_answer` on the same thread, or by
/// repeating this call on the same thread with the same client, an equal
/// operation and a buffer of `*out_n` bytes: that delivers the held answer
/// without sending anything. Any other `privnum_client_call` on the thread
/// discards a held answer first. 4096 bytes suffice for anything but a
/// query's page of bindings.
///
/// Errors (nothing written): the operation's validation (as
/// `privnum_op_sign`; nothing is sent), the platform's refusals
/// (`PRIVNUM_RESULT_PLATFORM_*`) and `PRIVNUM_RESULT_RESPONSE_INVALID`, with
/// the platform's resultcode (`privnum_last_error_platform_code`) and HTTP
/// status (`privnum_last_error_http_status`) in the last error;
/// `PRIVNUM_RESULT_TRANSPORT_NOT_SENT` (certainly not sent: safe to call
/// again) and `PRIVNUM_RESULT_TRANSPORT_NO_RESPONSE` (may have taken effect)
/// once the attempts run out; `PRIVNUM_RESULT_OUTCOME_UNKNOWN` for a bind
/// that may or may not have bound: look it up before binding again. For a
/// bind, every other error means it did not bind.
///
/// # Safety
///
/// `client` and `op` must be live handles; `buf` must be NULL (only with
/// `buf_len == 0`) or valid for writing `buf_len` bytes; `out_n` must be
/// valid for writing a `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_client_call(
    client: *const privnum_client,
    op: *const privnum_op,
    buf: *mut u8,
    buf_len: usize,
    out_n: *mut usize,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees every pointer argument (see above).
        let (client, op, out) = unsafe {
            (
                handle_ref(client, "client")?,
                handle_ref(op, "op")?,
                OutBuf::new(buf, buf_len, out_n)?,
            )
        };
        let op = op.operation();
        // An identical retry after INSUFFICIENT_SIZE: deliver, do not send.
        // Anything else discards what the thread held.
        if let Some(h) = held::take(&CLIENT_HELD) {
            if h.serial == client.serial && h.key == *op {
                return held::deliver(&CLIENT_HELD, out, h, client_how());
            }
        }
        let answer = op.send(&client.client)?.to_string();
        let h = Held {
            serial: client.serial,
            key: op.clone(),
            answer,
        };
        held::deliver(&CLIENT_HELD, out, h, client_how())
    })
}

/// Copy the answer held on the calling thread (that of this thread's last
/// `privnum_client_call`, which returned `PRIVNUM_RESULT_INSUFFICIENT_SIZE`)
/// to `buf` and release it. If it still does not fit, returns
/// `PRIVNUM_RESULT_INSUFFICIENT_SIZE` with the needed size and keeps it.
/// `PRIVNUM_RESULT_INVALID_ARGUMENT` when the thread holds none.
///
/// # Safety
///
/// `buf` must be NULL (only with `buf_len == 0`) or valid for writing
/// `buf_len` bytes; `out_n` must be valid for writing a `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_client_take_answer(
    buf: *mut u8,
    buf_len: usize,
    out_n: *mut usize,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees `buf`/`buf_len` and `out_n` (see above).
        let out = unsafe { OutBuf::new(buf, buf_len, out_n) }?;
        let h = held::take(&CLIENT_HELD).ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidArgument,
                "no client answer is held on this thread (only privnum_client_call returning \
                 PRIVNUM_RESULT_INSUFFICIENT_SIZE holds one)",
            )
        })?;
        held::deliver(&CLIENT_HELD, out, h, client_how())
    })
}

/// Borrow the response a transport callback is filling.
///
/// # Safety
///
/// `response` must be NULL or the pointer passed to the running callback.
unsafe fn response_mut<'a>(
    response: *mut privnum_http_response,
) -> Result<&'a mut privnum_http_response> {
    if response.is_null() {
        return Err(crate::boundary::null_error("response"));
    }
    // SAFETY: the caller guarantees that it is the live, exclusive object
    // privnum passed to the callback.
    Ok(unsafe { &mut *response })
}

/// From a transport callback: set the answer's HTTP status (100-599, else
/// `PRIVNUM_RESULT_INVALID_ARGUMENT`). Required before returning
/// `PRIVNUM_TRANSPORT_ANSWERED`.
///
/// # Safety
///
/// `response` must be the pointer passed to the running callback.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_http_response_set_status(
    response: *mut privnum_http_response,
    status: u32,
) -> privnum_result {
    call(|| {
        // SAFETY: forwarded from this function's contract.
        let r = unsafe { response_mut(response) }?;
        r.status = u16::try_from(status)
            .ok()
            .filter(|s| (100..=599).contains(s))
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::InvalidArgument,
                    format!("{status} is not an HTTP status (100-599)"),
                )
            })?;
        Ok(())
    })
}

/// From a transport callback: set the answer's `Location` header (UTF-8;
/// recording downloads answer 301 with it). Replaces an earlier one.
///
/// # Safety
///
/// `response` must be the pointer passed to the running callback;
/// `location` must be NULL (only with `len == 0`) or point to `len`
/// readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_http_response_set_location(
    response: *mut privnum_http_response,
    location: *const u8,
    len: usize,
) -> privnum_result {
    call(|| {
        // SAFETY: forwarded from this function's contract.
        let (r, location) =
            unsafe { (response_mut(response)?, str_in(location, len, "location")?) };
        r.location = Some(location.to_owned());
        Ok(())
    })
}

/// From a transport callback: COPY `len` bytes of the answer's body in,
/// after what earlier calls appended (so a body may be given in pieces as
/// it arrives; the caller's buffer may be reused at once). More than the
/// 1 MiB privnum reads in total is `PRIVNUM_RESULT_RESPONSE_INVALID`, and
/// the client call then fails with it (still return
/// `PRIVNUM_TRANSPORT_ANSWERED`).
///
/// # Safety
///
/// `response` must be the pointer passed to the running callback; `data`
/// must be NULL (only with `len == 0`) or point to `len` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_http_response_append_body(
    response: *mut privnum_http_response,
    data: *const u8,
    len: usize,
) -> privnum_result {
    call(|| {
        // SAFETY: forwarded from this function's contract.
        let (r, data) = unsafe { (response_mut(response)?, slice_in(data, len, "data")?) };
        if r.too_large || r.body.len().saturating_add(data.len()) > MAX_RESPONSE_BODY {
            r.too_large = true;
            r.body = Vec::new();
            return Err(Error::new(
                ErrorKind::ResponseInvalid,
                format!("the body is larger than the {MAX_RESPONSE_BODY} bytes privnum reads"),
            ));
        }
        r.body.extend_from_slice(data);
        Ok(())
    })
}

/// From a transport callback: say why the request was not sent or got no
/// answer (UTF-8), for the error message of `PRIVNUM_TRANSPORT_NOT_SENT` and
/// `PRIVNUM_TRANSPORT_MAYBE_SENT`. Long digit runs (phone numbers) are
/// masked. Replaces an earlier one.
///
/// # Safety
///
/// `response` must be the pointer passed to the running callback; `message`
/// must be NULL (only with `len == 0`) or point to `len` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_http_response_set_error(
    response: *mut privnum_http_response,
    message: *const u8,
    len: usize,
) -> privnum_result {
    call(|| {
        // SAFETY: forwarded from this function's contract.
        let (r, message) = unsafe { (response_mut(response)?, str_in(message, len, "message")?) };
        r.error = Some(message.to_owned());
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_config_round_trips() {
        let c = privnum_client_config::defaults();
        assert_eq!(c.jitter_percent, 50);
        assert_eq!(c.allow_http, 0);
        assert_eq!(c.policy().unwrap(), RetryPolicy::default());
        assert_eq!(c.transport().unwrap(), TransportConfig::default());
        let bad = privnum_client_config { allow_http: 2, ..c };
        assert!(bad.transport().is_err());
        let bad = privnum_client_config {
            jitter_percent: 101,
            ..c
        };
        assert!(bad.policy().is_err());
        let bad = privnum_client_config {
            read_timeout_ms: 0,
            ..c
        };
        assert!(bad.transport().is_err());
    }
}
