//! Sorted-parameter HMAC-SHA1 signatures (`privnum_params_*`), used by X-mode
//! call-control queries.

use privnum::Result;
use privnum::sign::params::{self, Encoding, ParamsVerified, ParamsVerifier, Profile};

use crate::boundary::{
    Out, OutBuf, RawPair, call, guard, handle_clone, handle_free, handle_new, handle_ref, pairs_in,
    str_in, unknown,
};
use crate::result::privnum_result;
use crate::verify::{config_arg, privnum_verifier_config};

/// Profile: Alibaba RPC signature v1 for GET requests (RFC 3986 encoding,
/// `GET&%2F&` prefix, key `secret&`; parameters `Signature`, `Timestamp`,
/// `SignatureNonce`). Verification is strict.
pub const PRIVNUM_PARAMS_PROFILE_RPC_V1_GET: u32 = 1;
/// Profile: Alibaba RPC signature v1 for POST requests (as
/// `PRIVNUM_PARAMS_PROFILE_RPC_V1_GET` with a `POST&%2F&` prefix).
pub const PRIVNUM_PARAMS_PROFILE_RPC_V1_POST: u32 = 2;
/// Profile: the X-mode call-control query as documented (no prefix, form
/// encoding, key as issued, empty values skipped; parameters `signature`,
/// `timestamp`, `signatureNonce`). Verification is tolerant: it also accepts
/// the other encoding and key readings and reports the one that matched.
pub const PRIVNUM_PARAMS_PROFILE_CALL_CONTROL: u32 = 3;

/// Encoding: RFC 3986 (`A-Z a-z 0-9 - _ . ~` kept, space as `%20`).
pub const PRIVNUM_PARAMS_ENCODING_RFC3986: u32 = 1;
/// Encoding: HTML form, as Java's `URLEncoder` (`A-Z a-z 0-9 - _ . *` kept,
/// space as `+`).
pub const PRIVNUM_PARAMS_ENCODING_FORM: u32 = 2;

fn profile_arg(code: u32) -> Result<Profile> {
    match code {
        PRIVNUM_PARAMS_PROFILE_RPC_V1_GET => Ok(Profile::rpc_v1("GET")),
        PRIVNUM_PARAMS_PROFILE_RPC_V1_POST => Ok(Profile::rpc_v1("POST")),
        PRIVNUM_PARAMS_PROFILE_CALL_CONTROL => Ok(Profile::call_control()),
        _ => Err(unknown(
            "parameter profile (PRIVNUM_PARAMS_PROFILE_*)",
            code,
        )),
    }
}

// The C numbers are core's `Encoding` numbers (checked in the tests below).
fn encoding_arg(code: u32) -> Result<Encoding> {
    Encoding::from_code(code).ok_or_else(|| unknown("encoding (PRIVNUM_PARAMS_ENCODING_*)", code))
}

/// One request parameter, as UTF-8 text (decoded, not percent-encoded). A
/// NULL pointer with a zero length is the empty string.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct privnum_param {
    /// The parameter name.
    pub name: *const u8,
    /// The length of `name` in bytes.
    pub name_len: usize,
    /// The parameter value.
    pub value: *const u8,
    /// The length of `value` in bytes.
    pub value_len: usize,
}

impl RawPair for privnum_param {
    fn raw(&self) -> (*const u8, usize, *const u8, usize) {
        (self.name, self.name_len, self.value, self.value_len)
    }
}

/// Percent-encode the UTF-8 text `input` with `encoding` (a
/// `PRIVNUM_PARAMS_ENCODING_*` value) into `buf` (not NUL-terminated), with
/// its length in `*out_n`. At most three bytes are written per input byte.
///
/// # Safety
///
/// `input` must be NULL (only with `input_len == 0`) or point to
/// `input_len` readable bytes; `buf` must be NULL (only with `buf_len == 0`)
/// or valid for writing `buf_len` bytes; `out_n` must be valid for writing a
/// `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_params_encode(
    encoding: u32,
    input: *const u8,
    input_len: usize,
    buf: *mut u8,
    buf_len: usize,
    out_n: *mut usize,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees every pointer argument (see above).
        let (input, out) = unsafe {
            (
                str_in(input, input_len, "input")?,
                OutBuf::new(buf, buf_len, out_n)?,
            )
        };
        out.put(params::encode(input, encoding_arg(encoding)?).as_bytes())
    })
}

/// Write the string that is signed for `params` under `profile` (a
/// `PRIVNUM_PARAMS_PROFILE_*` value) to `buf` (not NUL-terminated), with its
/// length in `*out_n`: the signature parameter (and, for call control, empty
/// values) left out, the rest sorted by name, encoded, joined and prefixed.
///
/// An empty or duplicate name gives `PRIVNUM_RESULT_INVALID_PARAMETERS`.
///
/// # Safety
///
/// `params` must be NULL (only with `n_params == 0`) or point to `n_params`
/// parameters whose texts follow the input text rules; `buf` must be NULL
/// (only with `buf_len == 0`) or valid for writing `buf_len` bytes; `out_n`
/// must be valid for writing a `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_params_string_to_sign(
    profile: u32,
    params: *const privnum_param,
    n_params: usize,
    buf: *mut u8,
    buf_len: usize,
    out_n: *mut usize,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees every pointer argument (see above).
        let (params, out) = unsafe {
            (
                pairs_in(params, n_params, "params")?,
                OutBuf::new(buf, buf_len, out_n)?,
            )
        };
        out.put(params::string_to_sign(&profile_arg(profile)?, &params)?.as_bytes())
    })
}

/// Sign `params` under `profile` (a `PRIVNUM_PARAMS_PROFILE_*` value) with
/// the UTF-8 `secret`, writing the Base64 signature to `buf` (not
/// NUL-terminated, not URL-encoded: encode it like any other value when you
/// put it in a query), with its length (28) in `*out_n`.
///
/// An empty secret gives `PRIVNUM_RESULT_INVALID_APP_SECRET`; an empty or
/// duplicate name `PRIVNUM_RESULT_INVALID_PARAMETERS`.
///
/// # Safety
///
/// `secret` must be NULL (only with `secret_len == 0`) or point to
/// `secret_len` readable bytes; `params`, `buf` and `out_n` as for
/// `privnum_params_string_to_sign`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_params_sign(
    profile: u32,
    secret: *const u8,
    secret_len: usize,
    params: *const privnum_param,
    n_params: usize,
    buf: *mut u8,
    buf_len: usize,
    out_n: *mut usize,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees every pointer argument (see above).
        let (secret, params, out) = unsafe {
            (
                str_in(secret, secret_len, "secret")?,
                pairs_in(params, n_params, "params")?,
                OutBuf::new(buf, buf_len, out_n)?,
            )
        };
        out.put(params::sign(&profile_arg(profile)?, secret, &params)?.as_bytes())
    })
}

/// A successful sorted-parameter verification (written by
/// `privnum_params_verifier_verify`).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct privnum_params_verified {
    /// The encoding of the reading that matched (`PRIVNUM_PARAMS_ENCODING_*`);
    /// differs from the profile's only for a tolerant profile.
    pub encoding: u32,
    /// Whether the matching reading appended `&` to the secret.
    pub key_ampersand: bool,
    /// Whether the request carried a timestamp parameter.
    pub has_timestamp: bool,
    /// The timestamp as Unix seconds when `has_timestamp`, otherwise 0.
    pub timestamp: i64,
}

impl From<&ParamsVerified> for privnum_params_verified {
    fn from(v: &ParamsVerified) -> Self {
        Self {
            encoding: v.profile.encoding as u32,
            key_ampersand: v.profile.key_ampersand,
            has_timestamp: v.timestamp.is_some(),
            timestamp: v.timestamp.unwrap_or(0),
        }
    }
}

/// Verifies sorted-parameter signatures, with freshness and replay checks on
/// the timestamp and nonce parameters.
///
/// Create with `privnum_params_verifier_new`, release with
/// `privnum_params_verifier_free`. Thread-safe: one verifier may be shared
/// by all threads (its replay cache is locked internally), or each thread
/// given its own handle with `privnum_params_verifier_clone`.
#[derive(Debug)]
pub struct privnum_params_verifier {
    verifier: ParamsVerifier,
}

impl privnum_params_verifier {
    /// The core verifier behind the handle.
    pub(crate) fn core(&self) -> &ParamsVerifier {
        &self.verifier
    }
}

/// Create a verifier for `profile` (a `PRIVNUM_PARAMS_PROFILE_*` value) with
/// the UTF-8 signing key `secret` and write it to `*out`. `config` may be
/// NULL for the defaults; its `accept_wsse` is ignored.
///
/// An empty secret gives `PRIVNUM_RESULT_INVALID_APP_SECRET`.
///
/// Ownership: on success the caller owns `*out` and must release it with
/// `privnum_params_verifier_free`. `*out` is written only on success.
///
/// # Safety
///
/// `secret` must be NULL (only with `secret_len == 0`) or point to
/// `secret_len` readable bytes; `config` must be NULL or point to an
/// initialised `privnum_verifier_config`; `out` must be valid for writing a
/// pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_params_verifier_new(
    profile: u32,
    secret: *const u8,
    secret_len: usize,
    config: *const privnum_verifier_config,
    out: *mut *mut privnum_params_verifier,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees every pointer argument (see above).
        let (secret, config, out) = unsafe {
            (
                str_in(secret, secret_len, "secret")?,
                config_arg(config)?,
                Out::new(out, "out")?,
            )
        };
        let verifier = ParamsVerifier::new(profile_arg(profile)?, secret, config)?;
        out.write(handle_new(privnum_params_verifier { verifier }));
        Ok(())
    })
}

/// Write to `*out` another handle to the same verifier (reference counted;
/// the replay cache is shared, not copied). Each handle is released with its
/// own `privnum_params_verifier_free`, in any order and from any thread.
///
/// # Safety
///
/// `verifier` must be a live handle; `out` must be valid for writing a
/// pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_params_verifier_clone(
    verifier: *const privnum_params_verifier,
    out: *mut *mut privnum_params_verifier,
) -> privnum_result {
    // SAFETY: the caller guarantees `verifier` and `out` (see above).
    call(|| unsafe { handle_clone(verifier, out, "verifier") })
}

/// Release a parameter verifier handle. NULL does nothing.
///
/// # Safety
///
/// `verifier` must be NULL or a live handle from
/// `privnum_params_verifier_new` or `privnum_params_verifier_clone`; it must
/// not be used afterwards (other handles to the same verifier stay valid).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_params_verifier_free(verifier: *mut privnum_params_verifier) {
    // SAFETY: the caller guarantees `verifier` (see above).
    guard((), || unsafe { handle_free(verifier) });
}

/// Verify a request's parameters (the signature among them, URL-encoded or
/// decoded) at `now` (Unix seconds) and write the result to `*out`.
///
/// Fails with `PRIVNUM_RESULT_AUTH_MISSING` (no signature parameter),
/// `PRIVNUM_RESULT_AUTH_MALFORMED` (signature or timestamp unreadable),
/// `PRIVNUM_RESULT_AUTH_BAD_DIGEST`, `PRIVNUM_RESULT_AUTH_STALE` (timestamp
/// outside the window) or `PRIVNUM_RESULT_AUTH_REPLAYED` (nonce parameter
/// seen before). On success the nonce is remembered; see
/// `privnum_params_verifier_forget`. `*out` is written only on success. Safe
/// to call from several threads at once on the same verifier.
///
/// # Safety
///
/// `verifier` must be a live handle; `params` must be NULL (only with
/// `n_params == 0`) or point to `n_params` parameters whose texts follow the
/// input text rules; `out` must be valid for writing a
/// `privnum_params_verified`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_params_verifier_verify(
    verifier: *const privnum_params_verifier,
    params: *const privnum_param,
    n_params: usize,
    now: i64,
    out: *mut privnum_params_verified,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees every pointer argument (see above).
        let (verifier, params, out) = unsafe {
            (
                handle_ref(verifier, "verifier")?,
                pairs_in(params, n_params, "params")?,
                Out::new(out, "out")?,
            )
        };
        let verified = verifier.verifier.verify(&params, now)?;
        out.write((&verified).into());
        Ok(())
    })
}

/// Forget an accepted nonce so that a redelivery is accepted again (use it
/// when processing the request failed). Forgetting a nonce that is not
/// remembered does nothing and succeeds.
///
/// # Safety
///
/// `verifier` must be a live handle; `nonce` must be NULL (only with
/// `nonce_len == 0`) or point to `nonce_len` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_params_verifier_forget(
    verifier: *const privnum_params_verifier,
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
    use crate::test_support::{check_family, screaming};

    #[test]
    fn encodings_match_core() {
        let c = [
            ("RFC3986", PRIVNUM_PARAMS_ENCODING_RFC3986),
            ("FORM", PRIVNUM_PARAMS_ENCODING_FORM),
        ];
        let core = [Encoding::Rfc3986, Encoding::Form]
            .into_iter()
            .map(|e| (screaming(&format!("{e:?}")), e as u32));
        check_family("PRIVNUM_PARAMS_ENCODING_", &c, core);
        for (_, code) in c {
            assert_eq!(encoding_arg(code).unwrap() as u32, code);
        }
    }

    #[test]
    fn profiles_map_to_core_constructors() {
        assert_eq!(
            profile_arg(PRIVNUM_PARAMS_PROFILE_RPC_V1_GET).unwrap(),
            Profile::rpc_v1("GET")
        );
        assert_eq!(
            profile_arg(PRIVNUM_PARAMS_PROFILE_RPC_V1_POST).unwrap(),
            Profile::rpc_v1("POST")
        );
        assert_eq!(
            profile_arg(PRIVNUM_PARAMS_PROFILE_CALL_CONTROL).unwrap(),
            Profile::call_control()
        );
        assert!(profile_arg(0).is_err());
        assert!(profile_arg(4).is_err());
        let defined = crate::test_support::defines("PRIVNUM_PARAMS_PROFILE_");
        assert_eq!(defined.len(), 3);
    }
}
