//! The push entry point (`privnum_inbox_*`): body and headers in; a
//! verified, typed, de-duplicated push out (`privnum_received_*`).

use std::sync::Arc;

use privnum::callback::{Inbox, InboxConfig};
use privnum::{Error, ErrorKind, Result};

use crate::boundary::{
    Out, call, guard, handle_clone, handle_free, handle_new, handle_ref, opt_str_in, pairs_in,
    slice_in,
};
use crate::push::{Owner, privnum_push, privnum_str};
use crate::result::privnum_result;
use crate::verify::{config_arg, privnum_header, privnum_verified, privnum_verifier_config};

/// Settings of an inbox (`privnum_inbox_new`). Start from
/// `privnum_inbox_config_default` and change what you need.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct privnum_inbox_config {
    /// The largest accepted body in bytes (larger is
    /// `PRIVNUM_RESULT_PUSH_TOO_LARGE`, and is not copied). Default 1 MiB.
    pub max_body_bytes: usize,
    /// How long committed keys are remembered, in seconds. Default 21600
    /// (6 h, covering the platform's redelivery schedule).
    pub dedup_window_secs: u32,
    /// How many committed keys are remembered at most (about 40 bytes
    /// each); the oldest is dropped when full. Default 200000; 0 turns
    /// de-duplication off.
    pub dedup_capacity: usize,
    /// The signature check, used when the inbox has an app key and secret.
    pub verifier: privnum_verifier_config,
}

impl From<&InboxConfig> for privnum_inbox_config {
    fn from(c: &InboxConfig) -> Self {
        Self {
            max_body_bytes: c.max_body_bytes,
            dedup_window_secs: c.dedup_window_secs,
            dedup_capacity: c.dedup_capacity,
            verifier: c.verifier.into(),
        }
    }
}

/// Read an optional config: NULL means the defaults.
///
/// # Safety
///
/// `config` must be NULL or point to an initialised `privnum_inbox_config`.
unsafe fn inbox_config_arg(config: *const privnum_inbox_config) -> Result<InboxConfig> {
    if config.is_null() {
        return Ok(InboxConfig::default());
    }
    if !config.is_aligned() {
        return Err(Error::new(
            ErrorKind::InvalidArgument,
            "config is not suitably aligned",
        ));
    }
    // SAFETY: non-NULL, aligned and initialised (the caller's guarantee);
    // the fields are read through raw places, and the nested verifier
    // settings by `config_arg`, which reads its `bool` as a byte.
    unsafe {
        Ok(InboxConfig {
            max_body_bytes: (&raw const (*config).max_body_bytes).read(),
            dedup_window_secs: (&raw const (*config).dedup_window_secs).read(),
            dedup_capacity: (&raw const (*config).dedup_capacity).read(),
            verifier: config_arg(&raw const (*config).verifier)?,
        })
    }
}

/// Write the default inbox settings to `*out`.
///
/// # Safety
///
/// `out` must be valid for writing a `privnum_inbox_config`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_inbox_config_default(
    out: *mut privnum_inbox_config,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees `out` (see above).
        let out = unsafe { Out::new(out, "out") }?;
        out.write((&InboxConfig::default()).into());
        Ok(())
    })
}

/// Receives the pushes of one application: checks the body size and (with
/// an app key and secret) the signature, parses, and marks each item new or
/// duplicate against what was committed before.
///
/// Create with `privnum_inbox_new`, release with `privnum_inbox_free`.
/// Thread-safe: share one inbox between all the threads that serve the
/// application's push URL (its de-duplication set and replay cache are
/// locked internally).
#[derive(Debug)]
pub struct privnum_inbox {
    inbox: Inbox,
    /// `max_body_bytes`, to refuse a huge body before copying it.
    max_body: usize,
}

/// Create an inbox and write it to `*out`. `config` may be NULL for the
/// defaults.
///
/// With `app_key` and `app_secret` both NULL the inbox does not check
/// signatures (for pushes verified upstream). With both given (UTF-8) it
/// checks the X-AKSK / X-WSSE headers of every push like
/// `privnum_verifier_verify`; they must be valid as for `privnum_signer_new`
/// (`PRIVNUM_RESULT_INVALID_APP_KEY`, `PRIVNUM_RESULT_INVALID_APP_SECRET`).
/// Only one of them NULL is `PRIVNUM_RESULT_INVALID_ARGUMENT`.
///
/// Ownership: on success the caller owns `*out` and must release it with
/// `privnum_inbox_free`. `*out` is written only on success.
///
/// # Safety
///
/// `config` must be NULL or point to an initialised `privnum_inbox_config`;
/// `app_key` and `app_secret` must each be NULL (their length is then
/// ignored) or point to that many readable bytes; `out` must be valid for
/// writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_inbox_new(
    config: *const privnum_inbox_config,
    app_key: *const u8,
    app_key_len: usize,
    app_secret: *const u8,
    app_secret_len: usize,
    out: *mut *mut privnum_inbox,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees every pointer argument (see above).
        let (config, app_key, app_secret, out) = unsafe {
            (
                inbox_config_arg(config)?,
                opt_str_in(app_key, app_key_len, "app_key")?,
                opt_str_in(app_secret, app_secret_len, "app_secret")?,
                Out::new(out, "out")?,
            )
        };
        let inbox = match (app_key, app_secret) {
            (None, None) => Inbox::new(&config),
            (Some(key), Some(secret)) => Inbox::with_secret(key, secret, &config)?,
            _ => {
                return Err(Error::new(
                    ErrorKind::InvalidArgument,
                    "give both app_key and app_secret (signatures are checked) or neither \
                     (they are not); only one of them is NULL",
                ));
            }
        };
        out.write(handle_new(privnum_inbox {
            inbox,
            max_body: config.max_body_bytes,
        }));
        Ok(())
    })
}

/// Write to `*out` another handle to the same inbox (reference counted; the
/// de-duplication set is shared, not copied).
///
/// # Safety
///
/// `inbox` must be a live handle; `out` must be valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_inbox_clone(
    inbox: *const privnum_inbox,
    out: *mut *mut privnum_inbox,
) -> privnum_result {
    // SAFETY: the caller guarantees `inbox` and `out` (see above).
    call(|| unsafe { handle_clone(inbox, out, "inbox") })
}

/// Release an inbox handle. NULL does nothing. Received pushes stay valid.
///
/// # Safety
///
/// `inbox` must be NULL or a live handle from `privnum_inbox_new` or
/// `privnum_inbox_clone`; it must not be used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_inbox_free(inbox: *mut privnum_inbox) {
    // SAFETY: the caller guarantees `inbox` (see above).
    guard((), || unsafe { handle_free(inbox) });
}

/// A received push: the parsed push, the signature check's result, and one
/// de-duplication item per CDR record (one for other pushes).
///
/// Written by `privnum_inbox_receive`; release with `privnum_received_free`.
/// Immutable and thread-safe; reference counted like the other handles.
#[derive(Debug)]
pub struct privnum_received {
    push: Arc<privnum_push>,
}

/// Receive one push at `now` (Unix seconds) and write the result to `*out`.
///
/// Steps, each failing with its own code: the body size
/// (`PRIVNUM_RESULT_PUSH_TOO_LARGE`); the signature, when the inbox has a
/// secret (`PRIVNUM_RESULT_AUTH_*`, as `privnum_verifier_verify`); parsing
/// (`PRIVNUM_RESULT_PUSH_*`, as `privnum_push_parse`; a signed push that
/// does not parse has its nonce released so that a fixed redelivery is
/// accepted). Then each item is marked new or duplicate; NOTHING is
/// remembered yet: store the new items, then call `privnum_inbox_commit`
/// (or, if processing failed and you answer with an error so that the
/// platform redelivers, `privnum_inbox_release`).
///
/// The body is copied into the received push (unless it is too large);
/// `body` and `headers` may be reused as soon as the call returns.
/// Headers follow `privnum_verifier_verify` (and are ignored without a
/// secret, but must still be UTF-8). Safe to call from several threads at
/// once on the same inbox. `*out` is written only on success; release it
/// with `privnum_received_free`.
///
/// # Safety
///
/// `inbox` must be a live handle; `body` must be NULL (only with
/// `body_len == 0`) or point to `body_len` readable bytes; `headers` must be
/// NULL (only with `n_headers == 0`) or point to `n_headers` headers whose
/// texts follow the input text rules; `out` must be valid for writing a
/// pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_inbox_receive(
    inbox: *const privnum_inbox,
    body: *const u8,
    body_len: usize,
    headers: *const privnum_header,
    n_headers: usize,
    now: i64,
    out: *mut *mut privnum_received,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees every pointer argument (see above).
        let (inbox, body, headers, out) = unsafe {
            (
                handle_ref(inbox, "inbox")?,
                slice_in(body, body_len, "body")?,
                pairs_in(headers, n_headers, "headers")?,
                Out::new(out, "out")?,
            )
        };
        if body.len() > inbox.max_body {
            // Let core refuse it (and word the error) without a copy.
            let refused = inbox.inbox.receive(body, headers, now).err();
            return Err(refused.unwrap_or_else(|| {
                Error::new(ErrorKind::Panic, "the inbox accepted a body over its limit")
            }));
        }
        let owner = Owner::new(body, |b| inbox.inbox.receive(b, headers, now))?;
        out.write(handle_new(privnum_received {
            push: Arc::new(privnum_push::new(owner)),
        }));
        Ok(())
    })
}

/// Remember the items of `received` as processed at `now` (Unix seconds),
/// so that redeliveries are reported as duplicates. Call it after storing
/// the new items. Committing twice is harmless.
///
/// # Safety
///
/// `inbox` and `received` must be live handles.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_inbox_commit(
    inbox: *const privnum_inbox,
    received: *const privnum_received,
    now: i64,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees `inbox` and `received` (see above).
        let (inbox, received) = unsafe {
            (
                handle_ref(inbox, "inbox")?,
                handle_ref(received, "received")?,
            )
        };
        inbox.inbox.commit(received.push.received(), now);
        Ok(())
    })
}

/// Forget that the signed request of `received` was accepted (its nonce), so
/// that the platform's redelivery is not refused as a replay. Use it when
/// processing failed and you answer with an error. Does nothing for an
/// inbox without a secret.
///
/// # Safety
///
/// `inbox` and `received` must be live handles.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_inbox_release(
    inbox: *const privnum_inbox,
    received: *const privnum_received,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees `inbox` and `received` (see above).
        let (inbox, received) = unsafe {
            (
                handle_ref(inbox, "inbox")?,
                handle_ref(received, "received")?,
            )
        };
        inbox.inbox.release(received.push.received());
        Ok(())
    })
}

/// Write to `*out` another handle to the same received push.
///
/// # Safety
///
/// `received` must be a live handle; `out` must be valid for writing a
/// pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_received_clone(
    received: *const privnum_received,
    out: *mut *mut privnum_received,
) -> privnum_result {
    // SAFETY: the caller guarantees `received` and `out` (see above).
    call(|| unsafe { handle_clone(received, out, "received") })
}

/// Release a received push. NULL does nothing. Its push (from
/// `privnum_received_push`) and the views read from it become invalid,
/// unless you took your own handle to the push with `privnum_push_clone`.
///
/// # Safety
///
/// `received` must be NULL or a live handle from `privnum_inbox_receive` or
/// `privnum_received_clone`; it must not be used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_received_free(received: *mut privnum_received) {
    // SAFETY: the caller guarantees `received` (see above).
    guard((), || unsafe { handle_free(received) });
}

/// The parsed push of `received`, for the `privnum_push_*` accessors; NULL
/// if `received` is NULL. It is owned by `received`: valid until
/// `privnum_received_free`, and NOT to be passed to `privnum_push_free`
/// (call `privnum_push_clone` on it for a handle of your own that outlives
/// `received`).
///
/// # Safety
///
/// `received` must be NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_received_push(
    received: *const privnum_received,
) -> *const privnum_push {
    guard(std::ptr::null(), || {
        // SAFETY: the caller guarantees `received` (see above).
        unsafe { handle_ref(received, "received") }
            .map_or(std::ptr::null(), |r| Arc::as_ptr(&r.push))
    })
}

/// One de-duplication item of a received push (`privnum_received_item`).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct privnum_item {
    /// The item's de-duplication key (a view valid until the received push is
    /// freed), absent when the item has none (it is then never a duplicate).
    pub key: privnum_str,
    /// The item was committed before: a redelivery, skip it.
    pub duplicate: bool,
}

/// The number of items of `received`: the number of CDR records for a CDR
/// push (item `i` is record `i`), otherwise 1; 0 if `received` is NULL.
///
/// # Safety
///
/// `received` must be NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_received_item_count(received: *const privnum_received) -> usize {
    guard(0, || {
        // SAFETY: the caller guarantees `received` (see above).
        unsafe { handle_ref(received, "received") }.map_or(0, |r| r.push.received().items.len())
    })
}

/// Read item `index` of `received` into `*out`. An `index` not below
/// `privnum_received_item_count` gives `PRIVNUM_RESULT_INVALID_ARGUMENT`.
/// `*out` is written only on success.
///
/// # Safety
///
/// `received` must be a live handle; `out` must be valid for writing a
/// `privnum_item`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_received_item(
    received: *const privnum_received,
    index: usize,
    out: *mut privnum_item,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees `received` and `out` (see above).
        let (received, out) = unsafe { (handle_ref(received, "received")?, Out::new(out, "out")?) };
        let items = &received.push.received().items;
        let item = items.get(index).ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidArgument,
                format!(
                    "index {index} is out of range: the push has {} items",
                    items.len()
                ),
            )
        })?;
        out.write(privnum_item {
            key: privnum_str::opt(item.key.as_deref()),
            duplicate: item.duplicate,
        });
        Ok(())
    })
}

/// Whether every item of `received` is a duplicate: a redelivery of a push
/// already committed (answer 200 and do nothing). False if `received` is
/// NULL.
///
/// # Safety
///
/// `received` must be NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_received_is_duplicate(received: *const privnum_received) -> bool {
    guard(false, || {
        // SAFETY: the caller guarantees `received` (see above).
        unsafe { handle_ref(received, "received") }.is_ok_and(|r| r.push.received().is_duplicate())
    })
}

/// Whether the push's signature was checked (the inbox has a secret); false
/// if `received` is NULL.
///
/// # Safety
///
/// `received` must be NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_received_is_verified(received: *const privnum_received) -> bool {
    guard(false, || {
        // SAFETY: the caller guarantees `received` (see above).
        unsafe { handle_ref(received, "received") }
            .is_ok_and(|r| r.push.received().verified.is_some())
    })
}

/// Write the signature check's result (scheme, nonce, `Created`) to `*out`.
/// Fails with `PRIVNUM_RESULT_INVALID_ARGUMENT` when the push was not
/// verified (an inbox without a secret). `*out` is written only on success.
///
/// # Safety
///
/// `received` must be a live handle; `out` must be valid for writing a
/// `privnum_verified`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_received_verified(
    received: *const privnum_received,
    out: *mut privnum_verified,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees `received` and `out` (see above).
        let (received, out) = unsafe { (handle_ref(received, "received")?, Out::new(out, "out")?) };
        let verified = received.push.received().verified.as_ref().ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidArgument,
                "the push was not verified: the inbox has no app key and secret",
            )
        })?;
        out.write(privnum_verified::from_core(verified)?);
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_round_trips() {
        let core = InboxConfig::default();
        let c: privnum_inbox_config = (&core).into();
        // SAFETY: `c` is a live, initialised config; NULL is allowed.
        unsafe {
            assert_eq!(inbox_config_arg(&c).unwrap(), core);
            assert_eq!(inbox_config_arg(std::ptr::null()).unwrap(), core);
        }
    }
}
