//! The platform API client, sans-IO (`privnum_op_*`, `privnum_request_*`):
//! build any operation by name from JSON arguments, sign it into a request
//! the host sends with its own HTTP stack, and read the answer into JSON or
//! a typed error. Core's `client::any` holds every rule; this module only
//! translates.

use std::ffi::c_char;

use privnum::client::any::AnyOperation;
use privnum::client::{self, HttpRequest, HttpResponse, Operation};
use privnum::sign;
use privnum::{Error, ErrorKind};

use crate::boundary::{
    Out, OutBuf, call, handle_clone, handle_free, handle_new, handle_ref, opt_str_in, static_cstr,
    str_in,
};
use crate::push::privnum_str;
use crate::result::privnum_result;
use crate::sign::privnum_signer;

/// One operation of the platform API (`"axb.bind"`, `"axb.query"`, …) with
/// its arguments, validated: made by `privnum_op_new`, released with
/// `privnum_op_free`. Immutable, so thread-safe; sign it as often as needed
/// (every attempt, retries included, needs a fresh signature).
#[derive(Debug)]
pub struct privnum_op {
    op: AnyOperation,
}

impl privnum_op {
    /// The operation inside the handle (for `privnum_client_call`).
    pub(crate) fn operation(&self) -> &AnyOperation {
        &self.op
    }
}

/// A signed request ready to send (`privnum_op_sign`): its parts are views
/// (`privnum_request_get`, `privnum_request_header`) valid until the request
/// is released with `privnum_request_free`. Immutable, so thread-safe.
#[derive(Debug)]
pub struct privnum_request {
    request: HttpRequest,
}

/// The parts of a signed request (`privnum_request_get`). Every `privnum_str`
/// is a view into the request, valid until it is freed.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct privnum_request_parts {
    /// The HTTP method: `GET`, `POST`, `PUT` or `DELETE`.
    pub method: privnum_str,
    /// The path and the encoded query (`/rest/…/v1.0?relationNum=%2B86…`):
    /// append it to the application's base URL (`privnum_request_url` does).
    pub path_and_query: privnum_str,
    /// The JSON body, or `{ NULL, 0 }` when the request has none (GET,
    /// DELETE).
    pub body: privnum_str,
    /// How many headers `privnum_request_header` gives (3: `Content-Type`,
    /// `Authorization`, `X-AKSK`).
    pub header_count: usize,
}

/// Build the operation `name` (for example `"axb.bind"`; the names are those
/// of core's `client::any::NAMES`) from `args_json`, a JSON object keyed by
/// the specification's wire names (`callerNum`, …; snake case is accepted
/// too), with numbers as people type them. NULL or empty `args_json` means
/// no arguments. On success writes a new handle to `*out`.
///
/// Errors: an unknown name or argument, a value of the wrong type, a missing
/// or conflicting argument are `PRIVNUM_RESULT_INVALID_ARGUMENT`, a number
/// that does not parse its `PRIVNUM_RESULT_NUMBER_*` code; each names the
/// wire field (`privnum_last_error_field`). The rest of the validation
/// happens when signing (`privnum_op_sign`), where the platform's own rules
/// apply.
///
/// # Safety
///
/// `name` and `args_json` must each be NULL (only with a zero length) or
/// point to that many readable bytes; `out` must be valid for writing a
/// pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_op_new(
    name: *const u8,
    name_len: usize,
    args_json: *const u8,
    args_len: usize,
    out: *mut *mut privnum_op,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees every pointer argument (see above).
        let (name, args, out) = unsafe {
            (
                str_in(name, name_len, "name")?,
                str_in(args_json, args_len, "args_json")?,
                Out::new(out, "out")?,
            )
        };
        let op = AnyOperation::from_json_text(name, args)?;
        out.write(handle_new(privnum_op { op }));
        Ok(())
    })
}

/// Write another handle to the same operation to `*out`.
///
/// # Safety
///
/// `op` must be a live handle; `out` must be valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_op_clone(
    op: *const privnum_op,
    out: *mut *mut privnum_op,
) -> privnum_result {
    // SAFETY: forwarded from this function's contract.
    call(|| unsafe { handle_clone(op, out, "op") })
}

/// Release a handle made by `privnum_op_new` or `privnum_op_clone`; NULL
/// does nothing.
///
/// # Safety
///
/// `op` must be NULL or a live handle, not used again.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_op_free(op: *mut privnum_op) {
    // SAFETY: forwarded from this function's contract.
    crate::boundary::guard((), || unsafe { handle_free(op) });
}

/// The operation's name as `privnum_op_new` takes it (`"axb.query"`): a
/// static NUL-terminated string, never to be freed; NULL for a NULL `op`.
///
/// # Safety
///
/// `op` must be NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_op_name(op: *const privnum_op) -> *const c_char {
    crate::boundary::guard(std::ptr::null(), || {
        // SAFETY: forwarded from this function's contract.
        match unsafe { handle_ref(op, "op") } {
            Ok(op) => static_cstr(op.op.op_name()),
            Err(_) => std::ptr::null(),
        }
    })
}

/// Whether an attempt of this operation whose outcome is unknown (a timeout
/// after sending, a lost connection, `PRIVNUM_RESULT_PLATFORM_RETRY`) may be
/// sent again as it is, signed afresh: true for queries, unbinds and
/// modifications; false for binds, which must be settled by a query because
/// the lost attempt may have bound. False for a NULL `op`.
///
/// # Safety
///
/// `op` must be NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_op_idempotent(op: *const privnum_op) -> bool {
    crate::boundary::guard(false, || {
        // SAFETY: forwarded from this function's contract.
        unsafe { handle_ref(op, "op") }.is_ok_and(|op| op.op.idempotent())
    })
}

/// Validate the operation against the platform's rules and sign it with
/// X-AKSK: on success writes a new request handle to `*out`.
///
/// `nonce` (1-128 ASCII letters and digits) and `created`
/// (`yyyy-MM-ddTHH:mm:ssZ`, UTC) fix the signature, for tests; NULL takes a
/// fresh random nonce and the system clock now, which is what every real
/// attempt must use (never reuse a nonce).
///
/// Errors: the platform's rules as typed results naming the field
/// (`PRIVNUM_RESULT_RULE_VIOLATION` with platform code `"1010002"`,
/// `PRIVNUM_RESULT_FIELD_OUT_OF_BOUNDS`, `PRIVNUM_RESULT_INVALID_ARGUMENT`),
/// `PRIVNUM_RESULT_INVALID_NONCE`, `PRIVNUM_RESULT_INVALID_CREATED`.
///
/// # Safety
///
/// `op` and `signer` must be live handles; `nonce` and `created` must each
/// be NULL or point to that many readable bytes; `out` must be valid for
/// writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_op_sign(
    op: *const privnum_op,
    signer: *const privnum_signer,
    nonce: *const u8,
    nonce_len: usize,
    created: *const u8,
    created_len: usize,
    out: *mut *mut privnum_request,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees every pointer argument (see above).
        let (op, signer, nonce, created, out) = unsafe {
            (
                handle_ref(op, "op")?,
                handle_ref(signer, "signer")?,
                opt_str_in(nonce, nonce_len, "nonce")?,
                opt_str_in(created, created_len, "created")?,
                Out::new(out, "out")?,
            )
        };
        let prepared = op.op.prepare()?;
        let signer = signer.signer();
        let request = match (nonce, created) {
            (None, None) => client::sign_now(prepared, signer)?,
            (nonce, created) => {
                let nonce = match nonce {
                    Some(n) => n.to_owned(),
                    None => sign::generate_nonce()?,
                };
                let created = match created {
                    Some(c) => c.to_owned(),
                    None => sign::format_created(sign::unix_now()?)?.to_string(),
                };
                client::sign(prepared, signer, &nonce, &created)?
            }
        };
        out.write(handle_new(privnum_request { request }));
        Ok(())
    })
}

/// Read the platform's answer to this operation: HTTP `status`, the
/// `Location` header (NULL when the answer had none; recording downloads
/// answer 301 with it) and the body as received. On success writes the
/// output as compact JSON (snake-case keys, absent values left out, `{}` for
/// operations without output) to `buf`, not NUL-terminated, with its length
/// in `*out_n`; on `PRIVNUM_RESULT_INSUFFICIENT_SIZE` call again with a
/// bigger buffer (parsing is pure: nothing happens twice). 4096 bytes
/// suffice for anything but a query's page of bindings.
///
/// A refusal is a `PRIVNUM_RESULT_PLATFORM_*` result chosen by what to do
/// about it (retry, back off, fix input, …); an unreadable answer is
/// `PRIVNUM_RESULT_RESPONSE_INVALID`. Either way the last error carries the
/// message (what the code means, then the platform's description, phone
/// numbers masked), the platform's `resultcode`
/// (`privnum_last_error_platform_code`) and the HTTP status
/// (`privnum_last_error_http_status`).
///
/// # Safety
///
/// `op` must be a live handle; `location` and `body` must each be NULL (for
/// `body` only with `body_len == 0`) or point to that many readable bytes;
/// `buf` must be NULL (only with `buf_len == 0`) or valid for writing
/// `buf_len` bytes; `out_n` must be valid for writing a `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_op_parse(
    op: *const privnum_op,
    status: u16,
    location: *const u8,
    location_len: usize,
    body: *const u8,
    body_len: usize,
    buf: *mut u8,
    buf_len: usize,
    out_n: *mut usize,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees every pointer argument (see above).
        let (op, location, body, out) = unsafe {
            (
                handle_ref(op, "op")?,
                opt_str_in(location, location_len, "location")?,
                crate::boundary::slice_in(body, body_len, "body")?,
                OutBuf::new(buf, buf_len, out_n)?,
            )
        };
        let value = op.op.parse(&HttpResponse {
            status,
            location,
            body,
        })?;
        out.put(value.to_string().as_bytes())
    })
}

/// Write another handle to the same request to `*out`.
///
/// # Safety
///
/// `request` must be a live handle; `out` must be valid for writing a
/// pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_request_clone(
    request: *const privnum_request,
    out: *mut *mut privnum_request,
) -> privnum_result {
    // SAFETY: forwarded from this function's contract.
    call(|| unsafe { handle_clone(request, out, "request") })
}

/// Release a handle made by `privnum_op_sign` or `privnum_request_clone`;
/// NULL does nothing. The views it gave become invalid with its last handle.
///
/// # Safety
///
/// `request` must be NULL or a live handle, not used again.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_request_free(request: *mut privnum_request) {
    // SAFETY: forwarded from this function's contract.
    crate::boundary::guard((), || unsafe { handle_free(request) });
}

/// Fill `*out` with views of the request's method, path and query, body and
/// its number of headers.
///
/// # Safety
///
/// `request` must be a live handle; `out` must be valid for writing a
/// `privnum_request_parts`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_request_get(
    request: *const privnum_request,
    out: *mut privnum_request_parts,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees both pointers (see above).
        let (request, out) = unsafe { (handle_ref(request, "request")?, Out::new(out, "out")?) };
        let r = &request.request;
        out.write(privnum_request_parts {
            method: privnum_str::of(r.method().as_str()),
            path_and_query: privnum_str::of(r.path_and_query()),
            body: r.body().map_or(privnum_str::absent(), privnum_str::of),
            header_count: r.headers().len(),
        });
        Ok(())
    })
}

/// Fill `*name` and `*value` with views of header number `index` (from 0, in
/// the order to send them). An index past the last header is
/// `PRIVNUM_RESULT_INVALID_ARGUMENT`. The `X-AKSK` value is a credential:
/// send it, never log it.
///
/// # Safety
///
/// `request` must be a live handle; `name` and `value` must be valid for
/// writing a `privnum_str` each.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_request_header(
    request: *const privnum_request,
    index: usize,
    name: *mut privnum_str,
    value: *mut privnum_str,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees every pointer (see above).
        let (request, name, value) = unsafe {
            (
                handle_ref(request, "request")?,
                Out::new(name, "name")?,
                Out::new(value, "value")?,
            )
        };
        let headers = request.request.headers();
        let (n, v) = headers.get(index).ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidArgument,
                format!(
                    "header index {index} is past the last header (the request has {})",
                    headers.len()
                ),
            )
        })?;
        name.write(privnum_str::of(n));
        value.write(privnum_str::of(v));
        Ok(())
    })
}

/// Write the full URL, `base_url` (the application's access address such as
/// `https://host:port`, with or without a trailing `/`) followed by the path
/// and query, to `buf` (not NUL-terminated), with its length in `*out_n`.
///
/// # Safety
///
/// `request` must be a live handle; `base_url` must be NULL (only with
/// `base_len == 0`) or point to `base_len` readable bytes; `buf` must be
/// NULL (only with `buf_len == 0`) or valid for writing `buf_len` bytes;
/// `out_n` must be valid for writing a `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_request_url(
    request: *const privnum_request,
    base_url: *const u8,
    base_len: usize,
    buf: *mut u8,
    buf_len: usize,
    out_n: *mut usize,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees every pointer argument (see above).
        let (request, base, out) = unsafe {
            (
                handle_ref(request, "request")?,
                str_in(base_url, base_len, "base_url")?,
                OutBuf::new(buf, buf_len, out_n)?,
            )
        };
        out.put(request.request.url(base).as_bytes())
    })
}
