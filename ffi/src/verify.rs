//! Verifying X-AKSK / X-WSSE headers on requests the platform sends us
//! (`privnum_verifier_*`).

use privnum::{Verified, Verifier, VerifierConfig};

use crate::boundary::{
    Out, RawPair, call, guard, handle_clone, handle_free, handle_new, handle_ref, pairs_in, str_in,
};
use crate::result::privnum_result;
use crate::sign::{PRIVNUM_NONCE_MAX_LEN, nonce_array};

/// Settings of a verifier (`privnum_verifier_new`, `privnum_params_verifier_new`).
///
/// Start from `privnum_verifier_config_default` and change what you need.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct privnum_verifier_config {
    /// How far in the past `Created` may be, in seconds. Default 21600 (6 h).
    pub max_age_secs: u32,
    /// How far in the future `Created` may be (clock skew), in seconds. Default 300.
    pub max_future_secs: u32,
    /// How many accepted nonces are remembered to detect replays. Default
    /// 100000 (about 6 MB at most). Zero turns replay detection off.
    pub replay_capacity: usize,
    /// Whether the legacy X-WSSE header is accepted. Default true. Ignored by
    /// `privnum_params_verifier_new`.
    pub accept_wsse: bool,
}

impl From<VerifierConfig> for privnum_verifier_config {
    fn from(c: VerifierConfig) -> Self {
        Self {
            max_age_secs: c.max_age_secs,
            max_future_secs: c.max_future_secs,
            replay_capacity: c.replay_capacity,
            accept_wsse: c.accept_wsse,
        }
    }
}

/// Read an optional config: NULL means the defaults.
///
/// # Safety
///
/// `config` must be NULL or point to an initialised `privnum_verifier_config`.
pub(crate) unsafe fn config_arg(
    config: *const privnum_verifier_config,
) -> privnum::Result<VerifierConfig> {
    if config.is_null() {
        return Ok(VerifierConfig::default());
    }
    if !config.is_aligned() {
        return Err(privnum::Error::new(
            privnum::ErrorKind::InvalidArgument,
            "config is not suitably aligned",
        ));
    }
    // SAFETY: non-NULL, aligned and initialised (the caller's guarantee). The
    // fields are read through raw places, and `accept_wsse` as a byte, so
    // that a C `bool` holding a byte other than 0 or 1 (from `memset`, say)
    // is read as true instead of being an invalid Rust `bool`.
    let (max_age_secs, max_future_secs, replay_capacity, accept_wsse) = unsafe {
        (
            (&raw const (*config).max_age_secs).read(),
            (&raw const (*config).max_future_secs).read(),
            (&raw const (*config).replay_capacity).read(),
            (&raw const (*config).accept_wsse).cast::<u8>().read() != 0,
        )
    };
    Ok(VerifierConfig {
        max_age_secs,
        max_future_secs,
        replay_capacity,
        accept_wsse,
    })
}

/// Write the default verifier settings to `*out`.
///
/// # Safety
///
/// `out` must be valid for writing a `privnum_verifier_config`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_verifier_config_default(
    out: *mut privnum_verifier_config,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees `out` (see above).
        let out = unsafe { Out::new(out, "out") }?;
        out.write(VerifierConfig::default().into());
        Ok(())
    })
}

/// One HTTP header, as UTF-8 text: `name` (matched case-insensitively) and
/// `value`. A NULL pointer with a zero length is the empty string.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct privnum_header {
    /// The header name.
    pub name: *const u8,
    /// The length of `name` in bytes.
    pub name_len: usize,
    /// The header value.
    pub value: *const u8,
    /// The length of `value` in bytes.
    pub value_len: usize,
}

impl RawPair for privnum_header {
    fn raw(&self) -> (*const u8, usize, *const u8, usize) {
        (self.name, self.name_len, self.value, self.value_len)
    }
}

/// A successfully verified request (written by `privnum_verifier_verify`).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct privnum_verified {
    /// The scheme that carried the signature: `PRIVNUM_SCHEME_AKSK` or
    /// `PRIVNUM_SCHEME_WSSE`.
    pub scheme: u32,
    /// True when an X-WSSE digest used the non-vendor form (Base64 of the raw
    /// SHA-256 bytes instead of its hex string).
    pub wsse_raw_digest: bool,
    /// The request's `Created` time as Unix seconds.
    pub created: i64,
    /// The length of `nonce` in bytes (1 to `PRIVNUM_NONCE_MAX_LEN`).
    pub nonce_len: usize,
    /// The request's nonce (ASCII letters and digits), not NUL-terminated;
    /// the bytes after `nonce_len` are zero.
    pub nonce: [u8; PRIVNUM_NONCE_MAX_LEN],
}

impl privnum_verified {
    pub(crate) fn from_core(v: &Verified) -> privnum::Result<Self> {
        let (nonce, nonce_len) = nonce_array(&v.nonce)?;
        Ok(Self {
            scheme: v.scheme as u32,
            wsse_raw_digest: v.wsse_raw_digest,
            created: v.created,
            nonce_len,
            nonce,
        })
    }
}

/// Verifies the signature headers of requests the platform sends to us.
///
/// Create with `privnum_verifier_new`, release with `privnum_verifier_free`.
/// Thread-safe: share one verifier per application between all threads (its
/// replay cache is locked internally), or hand each thread its own handle to
/// it with `privnum_verifier_clone`.
#[derive(Debug)]
pub struct privnum_verifier {
    verifier: Verifier,
}

/// Create a verifier for the application with this key and secret (UTF-8)
/// and write it to `*out`. `config` may be NULL for the defaults (see
/// `privnum_verifier_config_default`).
///
/// Fails with `PRIVNUM_RESULT_INVALID_APP_KEY` or
/// `PRIVNUM_RESULT_INVALID_APP_SECRET` as `privnum_signer_new` does.
///
/// Ownership: on success the caller owns `*out` and must release it with
/// `privnum_verifier_free`. `*out` is written only on success.
///
/// # Safety
///
/// `app_key` and `app_secret` must each be NULL (only with a zero length)
/// or point to that many readable bytes; `config` must be NULL or point to
/// an initialised `privnum_verifier_config`; `out` must be valid for
/// writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_verifier_new(
    app_key: *const u8,
    app_key_len: usize,
    app_secret: *const u8,
    app_secret_len: usize,
    config: *const privnum_verifier_config,
    out: *mut *mut privnum_verifier,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees every pointer argument (see above).
        let (app_key, app_secret, config, out) = unsafe {
            (
                str_in(app_key, app_key_len, "app_key")?,
                str_in(app_secret, app_secret_len, "app_secret")?,
                config_arg(config)?,
                Out::new(out, "out")?,
            )
        };
        let verifier = Verifier::new(app_key, app_secret, config)?;
        out.write(handle_new(privnum_verifier { verifier }));
        Ok(())
    })
}

/// Write to `*out` another handle to the same verifier (reference counted;
/// the replay cache is shared, not copied). Each handle is released with its
/// own `privnum_verifier_free`, in any order and from any thread.
///
/// # Safety
///
/// `verifier` must be a live handle; `out` must be valid for writing a
/// pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_verifier_clone(
    verifier: *const privnum_verifier,
    out: *mut *mut privnum_verifier,
) -> privnum_result {
    // SAFETY: the caller guarantees `verifier` and `out` (see above).
    call(|| unsafe { handle_clone(verifier, out, "verifier") })
}

/// Release a verifier handle. NULL does nothing.
///
/// # Safety
///
/// `verifier` must be NULL or a live handle from `privnum_verifier_new` or
/// `privnum_verifier_clone`; it must not be used afterwards (other handles
/// to the same verifier stay valid).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_verifier_free(verifier: *mut privnum_verifier) {
    // SAFETY: the caller guarantees `verifier` (see above).
    guard((), || unsafe { handle_free(verifier) });
}

/// Verify a request from its headers at `now` (Unix seconds) and write the
/// result to `*out`.
///
/// `X-AKSK` is used when present, else `X-WSSE`; `Authorization`, when
/// present, must name the same scheme; other headers are ignored (but every
/// name and value passed must be UTF-8, else `PRIVNUM_RESULT_INVALID_UTF8`,
/// so pass only these three if others may not be). Checks run in this order
/// and the first failure is returned: `PRIVNUM_RESULT_AUTH_MISSING`,
/// `PRIVNUM_RESULT_AUTH_MALFORMED`, `PRIVNUM_RESULT_AUTH_WRONG_KEY`,
/// `PRIVNUM_RESULT_AUTH_BAD_DIGEST`, `PRIVNUM_RESULT_AUTH_STALE`,
/// `PRIVNUM_RESULT_AUTH_REPLAYED`.
///
/// On success the nonce is remembered, so the same request is refused as a
/// replay next time; if processing the request then fails, call
/// `privnum_verifier_forget` so that the platform's redelivery is accepted.
/// `*out` is written only on success. Safe to call from several threads at
/// once on the same verifier.
///
/// # Safety
///
/// `verifier` must be a live handle; `headers` must be NULL (only with
/// `n_headers == 0`) or point to `n_headers` headers whose texts follow the
/// input text rules; `out` must be valid for writing a `privnum_verified`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_verifier_verify(
    verifier: *const privnum_verifier,
    headers: *const privnum_header,
    n_headers: usize,
    now: i64,
    out: *mut privnum_verified,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees every pointer argument (see above).
        let (verifier, headers, out) = unsafe {
            (
                handle_ref(verifier, "verifier")?,
                pairs_in(headers, n_headers, "headers")?,
                Out::new(out, "out")?,
            )
        };
        let verified = verifier.verifier.verify_headers(headers, now)?;
        out.write(privnum_verified::from_core(&verified)?);
        Ok(())
    })
}

/// Forget an accepted nonce, so that a redelivery of the same request is
/// accepted again (use it when processing the request failed). Forgetting a
/// nonce that is not remembered does nothing and succeeds.
///
/// # Safety
///
/// `verifier` must be a live handle; `nonce` must be NULL (only with
/// `nonce_len == 0`) or point to `nonce_len` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_verifier_forget(
    verifier: *const privnum_verifier,
    nonce: *const u8,
    nonce_len: usize,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees `verifier` and `nonce`/`nonce_len` (see above).
        let (verifier, nonce) = unsafe {
            (
                handle_ref(verifier, "verifier")?,
                str_in(nonce, nonce_len, "nonce")?,
            )
        };
        verifier.verifier.forget(nonce);
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_round_trips_and_reads_any_nonzero_bool_as_true() {
        let core = VerifierConfig::default();
        let c: privnum_verifier_config = core.into();
        // SAFETY: `c` is a live, initialised config.
        assert_eq!(unsafe { config_arg(&c) }.unwrap(), core);
        // SAFETY: NULL is allowed.
        assert_eq!(unsafe { config_arg(std::ptr::null()) }.unwrap(), core);
        let mut raw = std::mem::MaybeUninit::<privnum_verifier_config>::uninit();
        // SAFETY: every byte is written before the config is read, and
        // `config_arg` never reads `accept_wsse` as a `bool`.
        let got = unsafe {
            raw.as_mut_ptr().write_bytes(0xA5, 1);
            config_arg(raw.as_ptr())
        };
        assert!(got.unwrap().accept_wsse);
    }
}
