//! Producing X-AKSK / X-WSSE headers (`privnum_signer_*`, `privnum_scheme_*`)
//! and the `Created` time and nonce helpers.

use std::borrow::Cow;
use std::ffi::c_char;

use privnum::sign::{self, Scheme, Signer};
use privnum::{Error, ErrorKind, Result};

use crate::boundary::{
    Out, OutBuf, call, guard, handle_clone, handle_free, handle_new, handle_ref, opt_str_in,
    static_cstr, str_in, unknown,
};
use crate::result::privnum_result;

/// Scheme: `Authorization: AKSK ...` with `X-AKSK` (HMAC-SHA256), the current scheme.
pub const PRIVNUM_SCHEME_AKSK: u32 = 1;
/// Scheme: `Authorization: WSSE ...` with `X-WSSE` (plain SHA-256), the legacy scheme.
pub const PRIVNUM_SCHEME_WSSE: u32 = 2;

/// The length of a `Created` time (`yyyy-MM-ddTHH:mm:ssZ`), in bytes.
pub const PRIVNUM_CREATED_LEN: usize = 20;
/// The longest nonce accepted (1-128 ASCII letters and digits), in bytes.
pub const PRIVNUM_NONCE_MAX_LEN: usize = 128;

pub(crate) fn scheme_arg(code: u32) -> Result<Scheme> {
    Scheme::from_code(code).ok_or_else(|| unknown("scheme (PRIVNUM_SCHEME_*)", code))
}

fn scheme_str(code: u32, text: fn(Scheme) -> &'static str) -> *const c_char {
    guard(std::ptr::null(), || {
        Scheme::from_code(code).map_or(std::ptr::null(), |s| static_cstr(text(s)))
    })
}

/// The static, NUL-terminated name of a `PRIVNUM_SCHEME_*` value (`"aksk"`,
/// `"wsse"`), or NULL for an unknown value. Do not free.
#[unsafe(no_mangle)]
pub extern "C" fn privnum_scheme_name(scheme: u32) -> *const c_char {
    scheme_str(scheme, Scheme::name)
}

/// The static, NUL-terminated name of the header that carries the token for
/// a `PRIVNUM_SCHEME_*` value (`"X-AKSK"`, `"X-WSSE"`), or NULL for an
/// unknown value. Do not free.
#[unsafe(no_mangle)]
pub extern "C" fn privnum_scheme_header_name(scheme: u32) -> *const c_char {
    scheme_str(scheme, Scheme::header_name)
}

/// The static, NUL-terminated constant value of the `Authorization` header
/// for a `PRIVNUM_SCHEME_*` value
/// (`AKSK realm="SDP",profile="UsernameToken",type="Appkey"`), or NULL for an
/// unknown value. Do not free.
#[unsafe(no_mangle)]
pub extern "C" fn privnum_scheme_authorization(scheme: u32) -> *const c_char {
    scheme_str(scheme, Scheme::authorization)
}

/// Produces signed headers for one application.
///
/// Create with `privnum_signer_new`, release with `privnum_signer_free`. A
/// signer is immutable and thread-safe: one handle may be used from any
/// number of threads at once.
#[derive(Debug)]
pub struct privnum_signer {
    signer: Signer,
}

impl privnum_signer {
    /// The signer inside the handle.
    pub(crate) fn signer(&self) -> &Signer {
        &self.signer
    }
}

/// Create a signer for the application with this key and secret (UTF-8) and
/// write it to `*out`.
///
/// The app key must be 1-128 printable ASCII characters without quotes,
/// backslashes or spaces (`PRIVNUM_RESULT_INVALID_APP_KEY`); the secret must
/// not be empty (`PRIVNUM_RESULT_INVALID_APP_SECRET`). The secret is copied;
/// the copy is zeroed when the signer is freed.
///
/// Ownership: on success the caller owns `*out` and must release it with
/// `privnum_signer_free`. `*out` is written only on success.
///
/// # Safety
///
/// `app_key` and `app_secret` must each be NULL (only with a zero length)
/// or point to that many readable bytes; `out` must be valid for writing a
/// pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_signer_new(
    app_key: *const u8,
    app_key_len: usize,
    app_secret: *const u8,
    app_secret_len: usize,
    out: *mut *mut privnum_signer,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees the texts and `out` (see above).
        let (app_key, app_secret, out) = unsafe {
            (
                str_in(app_key, app_key_len, "app_key")?,
                str_in(app_secret, app_secret_len, "app_secret")?,
                Out::new(out, "out")?,
            )
        };
        let signer = Signer::new(app_key, app_secret)?;
        out.write(handle_new(privnum_signer { signer }));
        Ok(())
    })
}

/// Write to `*out` another handle to the same signer (reference counted, no
/// copy is made). Each handle is released with its own `privnum_signer_free`,
/// in any order and from any thread.
///
/// # Safety
///
/// `signer` must be a live handle; `out` must be valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_signer_clone(
    signer: *const privnum_signer,
    out: *mut *mut privnum_signer,
) -> privnum_result {
    // SAFETY: the caller guarantees `signer` and `out` (see above).
    call(|| unsafe { handle_clone(signer, out, "signer") })
}

/// Release a signer handle. NULL does nothing.
///
/// # Safety
///
/// `signer` must be NULL or a live handle from `privnum_signer_new` or
/// `privnum_signer_clone`; it must not be used afterwards (other handles to
/// the same signer stay valid).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_signer_free(signer: *mut privnum_signer) {
    // SAFETY: the caller guarantees `signer` (see above).
    guard((), || unsafe { handle_free(signer) });
}

/// Sign one request: write the value of the token header (`UsernameToken
/// Username="...", PasswordDigest="...", Nonce="...", Created="..."`) to
/// `buf`, not NUL-terminated, and its length to `*out_n`.
///
/// Send it under the header named by `privnum_scheme_header_name(scheme)`,
/// together with `Authorization: ` and `privnum_scheme_authorization(scheme)`.
///
/// * `scheme`: `PRIVNUM_SCHEME_AKSK` or `PRIVNUM_SCHEME_WSSE`
///   (otherwise `PRIVNUM_RESULT_INVALID_ARGUMENT`).
/// * `nonce`: 1-128 ASCII letters and digits (`PRIVNUM_RESULT_INVALID_NONCE`),
///   or NULL for a fresh random nonce of 32 hex digits (`nonce_len` is then
///   ignored). Never reuse a nonce.
/// * `created`: the signing time as `yyyy-MM-ddTHH:mm:ssZ` (UTC), exactly
///   (`PRIVNUM_RESULT_INVALID_CREATED`), or NULL for the system clock now
///   (`created_len` is then ignored).
///
/// With NULL nonce and created every call gives a new token, but always of
/// the same length for a given signer and scheme, so the size reported by
/// `PRIVNUM_RESULT_INSUFFICIENT_SIZE` is right for the retry. 512 bytes
/// always suffice.
///
/// # Safety
///
/// `signer` must be a live handle; `nonce` and `created` must each be NULL
/// or point to that many readable bytes; `buf` must be NULL (only with
/// `buf_len == 0`) or valid for writing `buf_len` bytes; `out_n` must be
/// valid for writing a `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_signer_sign(
    signer: *const privnum_signer,
    scheme: u32,
    nonce: *const u8,
    nonce_len: usize,
    created: *const u8,
    created_len: usize,
    buf: *mut u8,
    buf_len: usize,
    out_n: *mut usize,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees every pointer argument (see above).
        let (signer, nonce, created, out) = unsafe {
            (
                handle_ref(signer, "signer")?,
                opt_str_in(nonce, nonce_len, "nonce")?,
                opt_str_in(created, created_len, "created")?,
                OutBuf::new(buf, buf_len, out_n)?,
            )
        };
        let scheme = scheme_arg(scheme)?;
        let signer = &signer.signer;
        let headers = match (nonce, created) {
            (None, None) => signer.sign_now(scheme)?,
            (nonce, created) => {
                let nonce = match nonce {
                    Some(n) => Cow::Borrowed(n),
                    None => Cow::Owned(sign::generate_nonce()?),
                };
                let now;
                let created = match created {
                    Some(c) => c,
                    None => {
                        now = sign::format_created(sign::unix_now()?)?;
                        now.as_str()
                    }
                };
                signer.sign(scheme, &nonce, created)?
            }
        };
        out.put(headers.value().as_bytes())
    })
}

/// Write the `PasswordDigest` that `privnum_signer_sign` puts into the token
/// for this `nonce` and `created` (both required), without validating them.
/// Output as `privnum_signer_sign`; useful for checking against published
/// test vectors.
///
/// # Safety
///
/// As for `privnum_signer_sign`, except that `nonce` and `created` may be
/// NULL only with a zero length (the empty string).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_signer_digest(
    signer: *const privnum_signer,
    scheme: u32,
    nonce: *const u8,
    nonce_len: usize,
    created: *const u8,
    created_len: usize,
    buf: *mut u8,
    buf_len: usize,
    out_n: *mut usize,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees every pointer argument (see above).
        let (signer, nonce, created, out) = unsafe {
            (
                handle_ref(signer, "signer")?,
                str_in(nonce, nonce_len, "nonce")?,
                str_in(created, created_len, "created")?,
                OutBuf::new(buf, buf_len, out_n)?,
            )
        };
        let scheme = scheme_arg(scheme)?;
        out.put(signer.signer.digest(scheme, nonce, created).as_bytes())
    })
}

/// Format `unix_time` (Unix seconds) as a `Created` time, `yyyy-MM-ddTHH:mm:ssZ` (UTC,
/// always `PRIVNUM_CREATED_LEN` bytes, not NUL-terminated), into `buf`, with
/// its length in `*out_n`. Years outside 0000-9999 give
/// `PRIVNUM_RESULT_INVALID_CREATED`.
///
/// # Safety
///
/// `buf` must be NULL (only with `buf_len == 0`) or valid for writing
/// `buf_len` bytes; `out_n` must be valid for writing a `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_format_created(
    unix_time: i64,
    buf: *mut u8,
    buf_len: usize,
    out_n: *mut usize,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees `buf`/`buf_len` and `out_n` (see above).
        let out = unsafe { OutBuf::new(buf, buf_len, out_n) }?;
        out.put(sign::format_created(unix_time)?.as_str().as_bytes())
    })
}

/// Parse a `Created` time into Unix seconds, written to `*out`.
///
/// Accepted: `yyyy-MM-ddTHH:mm:ss`, an optional fraction (`.SSS`), then `Z`,
/// `+00:00` or nothing (read as UTC). Anything else gives
/// `PRIVNUM_RESULT_INVALID_CREATED`. `*out` is written only on success.
///
/// # Safety
///
/// `created` must be NULL (only with `created_len == 0`) or point to
/// `created_len` readable bytes; `out` must be valid for writing an
/// `int64_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_parse_created(
    created: *const u8,
    created_len: usize,
    out: *mut i64,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees `created`/`created_len` and `out` (see above).
        let (created, out) = unsafe {
            (
                str_in(created, created_len, "created")?,
                Out::new(out, "out")?,
            )
        };
        out.write(sign::parse_created(created)?);
        Ok(())
    })
}

/// Write a fresh nonce from the OS random source (32 upper-case hex digits,
/// 128 bits; not NUL-terminated) to `buf`, with its length in `*out_n`.
/// Fails with `PRIVNUM_RESULT_RANDOM_UNAVAILABLE` if the random source does.
///
/// # Safety
///
/// `buf` must be NULL (only with `buf_len == 0`) or valid for writing
/// `buf_len` bytes; `out_n` must be valid for writing a `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_generate_nonce(
    buf: *mut u8,
    buf_len: usize,
    out_n: *mut usize,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees `buf`/`buf_len` and `out_n` (see above).
        let out = unsafe { OutBuf::new(buf, buf_len, out_n) }?;
        out.put(sign::generate_nonce()?.as_bytes())
    })
}

/// Copy an accepted nonce into a fixed `PRIVNUM_NONCE_MAX_LEN` array.
pub(crate) fn nonce_array(nonce: &str) -> Result<([u8; PRIVNUM_NONCE_MAX_LEN], usize)> {
    let mut out = [0u8; PRIVNUM_NONCE_MAX_LEN];
    let dst = out.get_mut(..nonce.len()).ok_or_else(|| {
        // Core only accepts nonces of at most 128 bytes.
        Error::new(
            ErrorKind::Panic,
            "an accepted nonce is longer than 128 bytes",
        )
    })?;
    dst.copy_from_slice(nonce.as_bytes());
    Ok((out, nonce.len()))
}

#[cfg(test)]
mod tests {
    use privnum::Field;

    use super::*;
    use crate::test_support::{check_family, defines, screaming};

    #[test]
    fn schemes_match_core() {
        let c = [("AKSK", PRIVNUM_SCHEME_AKSK), ("WSSE", PRIVNUM_SCHEME_WSSE)];
        let core = [Scheme::Aksk, Scheme::Wsse]
            .into_iter()
            .map(|s| (screaming(&format!("{s:?}")), s as u32));
        check_family("PRIVNUM_SCHEME_", &c, core);
        for code in [0, 3, u32::MAX] {
            assert_eq!(Scheme::from_code(code), None);
        }
    }

    #[test]
    fn lengths_match_core() {
        assert_eq!(
            sign::format_created(0).unwrap().as_str().len(),
            PRIVNUM_CREATED_LEN
        );
        assert_eq!(Field::Nonce.bounds().1, PRIVNUM_NONCE_MAX_LEN);
        assert!(sign::check_nonce(&"a".repeat(PRIVNUM_NONCE_MAX_LEN)).is_ok());
        assert!(sign::check_nonce(&"a".repeat(PRIVNUM_NONCE_MAX_LEN + 1)).is_err());
        let d = defines("PRIVNUM_");
        assert_eq!(d.get("CREATED_LEN"), Some(&20));
        assert_eq!(d.get("NONCE_MAX_LEN"), Some(&128));
    }

    #[test]
    fn longest_token_fits_the_documented_buffer() {
        let key = "k".repeat(128);
        let nonce = "n".repeat(128);
        let signer = Signer::new(&key, "secret").unwrap();
        for scheme in [Scheme::Aksk, Scheme::Wsse] {
            let h = signer.sign(scheme, &nonce, "9999-12-31T23:59:59Z").unwrap();
            assert!(h.value().len() <= 512, "{}", h.value().len());
        }
    }
}
