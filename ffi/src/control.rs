//! X-mode call-control queries (`privnum_call_control_*`): the platform asks
//! the customer's server, with signed query parameters, whether to connect a
//! call or an SMS; answer with `privnum_reply_call_control`.
//!
//! The handle owns a copy of the query's texts (the parameters are tiny, so
//! they are copied into owned strings rather than kept with `self_cell` like
//! a push body), and the views handed to C point into it.

use std::borrow::Cow;

use privnum::callback::{CallControlQuery, RecordType, parse_call_control, receive_call_control};
use privnum::sign::params::ParamsVerified;
use privnum::{Error, ErrorKind, Number};

use crate::boundary::{
    Out, call, guard, handle_clone, handle_free, handle_new, handle_ref, pairs_in,
};
use crate::number::privnum_number;
use crate::params::{privnum_param, privnum_params_verified, privnum_params_verifier};
use crate::push::privnum_str;
use crate::result::privnum_result;

/// Record type: a voice call (`recordType` `CAL`).
pub const PRIVNUM_RECORD_TYPE_CALL: u32 = 1;
/// Record type: an SMS (`recordType` `SMS`).
pub const PRIVNUM_RECORD_TYPE_SMS: u32 = 2;
/// Record type: a value privnum does not know; `record_type` has it as sent.
pub const PRIVNUM_RECORD_TYPE_OTHER: u32 = 3;

/// `PRIVNUM_RECORD_TYPE_*` of an optional record type; 0 when absent.
fn record_type_kind(r: Option<&RecordType>) -> u32 {
    match r {
        None => 0,
        Some(RecordType::Call) => PRIVNUM_RECORD_TYPE_CALL,
        Some(RecordType::Sms) => PRIVNUM_RECORD_TYPE_SMS,
        Some(_) => PRIVNUM_RECORD_TYPE_OTHER,
    }
}

/// A copy of `q` that owns its texts.
fn owned(q: CallControlQuery<'_>) -> CallControlQuery<'static> {
    fn own(s: Cow<'_, str>) -> Cow<'static, str> {
        Cow::Owned(s.into_owned())
    }
    CallControlQuery {
        call_no: own(q.call_no),
        secret_no: own(q.secret_no),
        extension: q.extension.map(own),
        record_type: q.record_type,
        call_time: q.call_time.map(own),
        call_id: q.call_id.map(own),
    }
}

/// A call-control query: a copy of its business parameters, and the result
/// of the signature check when it was received with
/// `privnum_call_control_receive`.
///
/// Create with `privnum_call_control_receive` (verified) or
/// `privnum_call_control_parse` (not verified); read with
/// `privnum_call_control_get`; release with `privnum_call_control_free`.
/// Immutable and thread-safe; reference counted like the other handles.
#[derive(Debug)]
pub struct privnum_call_control {
    query: CallControlQuery<'static>,
    verified: Option<ParamsVerified>,
}

/// The business parameters of a call-control query, as read by
/// `privnum_call_control_get`.
///
/// Text fields are VIEWS into the `privnum_call_control` they were read
/// from: UTF-8, not NUL-terminated, never to be freed or written, and valid
/// until that query object is freed (its last handle released with
/// `privnum_call_control_free`). A parameter that is missing or has an empty
/// value is ABSENT (`{ NULL, 0 }`); `call_no` and `secret_no` are always
/// present and non-empty. Optional numbers and times come with a
/// `has_<field>`; when it is false the value is 0.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct privnum_call_control_query {
    /// `callNo`: the calling number, as sent.
    pub call_no: privnum_str,
    /// `secretNo`: the privacy number X, as sent.
    pub secret_no: privnum_str,
    /// `extension`: the digits the caller keyed, when asked for an extension.
    pub extension: privnum_str,
    /// `callTime` as sent (normally `yyyyMMddHHmmss`; kept even when it is not).
    pub call_time: privnum_str,
    /// `callId`: the call's id.
    pub call_id: privnum_str,
    /// `recordType` as sent (`CAL`, `SMS`, or another value).
    pub record_type: privnum_str,
    /// `recordType` as a `PRIVNUM_RECORD_TYPE_*` value; 0 when absent.
    pub record_type_kind: u32,
    /// `call_time_utc8` is known: `callTime` is present and a valid
    /// `yyyyMMddHHmmss` time.
    pub has_call_time_utc8: bool,
    /// `callTime` as Unix seconds, reading it as Beijing time (UTC+8; the
    /// zone is not documented).
    pub call_time_utc8: i64,
    /// `callNo` is a valid number.
    pub has_caller: bool,
    /// `callNo` parsed (default country +86); bits 0 when not.
    pub caller: privnum_number,
    /// `secretNo` is a valid number.
    pub has_x: bool,
    /// `secretNo` parsed (default country +86); bits 0 when not.
    pub x: privnum_number,
}

fn opt_number(n: Option<Number>) -> (bool, privnum_number) {
    match n {
        Some(n) => (true, n.into()),
        None => (false, privnum_number { bits: 0 }),
    }
}

impl privnum_call_control_query {
    fn of(q: &CallControlQuery<'_>) -> Self {
        let text = |s: Option<&Cow<'_, str>>| privnum_str::opt(s.map(AsRef::as_ref));
        let call_time_utc8 = q.call_time_utc8();
        let (has_caller, caller) = opt_number(q.caller());
        let (has_x, x) = opt_number(q.x());
        Self {
            call_no: privnum_str::of(&q.call_no),
            secret_no: privnum_str::of(&q.secret_no),
            extension: text(q.extension.as_ref()),
            call_time: text(q.call_time.as_ref()),
            call_id: text(q.call_id.as_ref()),
            record_type: privnum_str::opt(q.record_type.as_ref().map(RecordType::name)),
            record_type_kind: record_type_kind(q.record_type.as_ref()),
            has_call_time_utc8: call_time_utc8.is_some(),
            call_time_utc8: call_time_utc8.unwrap_or(0),
            has_caller,
            caller,
            has_x,
            x,
        }
    }
}

/// Verify a call-control query's parameters (the signature among them,
/// URL-encoded or decoded) with `verifier` at `now` (Unix seconds), read its
/// business parameters, and write a new query handle to `*out`. The
/// parameters are copied; `params` may be reused as soon as the call returns.
///
/// `verifier` is normally made with `PRIVNUM_PARAMS_PROFILE_CALL_CONTROL`.
/// Fails as `privnum_params_verifier_verify` does
/// (`PRIVNUM_RESULT_AUTH_MISSING`, `PRIVNUM_RESULT_AUTH_MALFORMED`,
/// `PRIVNUM_RESULT_AUTH_BAD_DIGEST`, `PRIVNUM_RESULT_AUTH_STALE`,
/// `PRIVNUM_RESULT_AUTH_REPLAYED`), and with
/// `PRIVNUM_RESULT_PUSH_MISSING_FIELD` when `callNo` or `secretNo` is missing
/// or empty; in that case the verified nonce is forgotten again, so a
/// corrected query with the same nonce is not refused as a replay. On success
/// the nonce is remembered (see `privnum_params_verifier_forget`). Safe to
/// call from several threads at once on the same verifier.
///
/// Ownership: on success the caller owns `*out` and must release it with
/// `privnum_call_control_free`. `*out` is written only on success.
///
/// # Safety
///
/// `verifier` must be a live handle; `params` must be NULL (only with
/// `n_params == 0`) or point to `n_params` parameters whose texts follow the
/// input text rules; `out` must be valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_call_control_receive(
    verifier: *const privnum_params_verifier,
    params: *const privnum_param,
    n_params: usize,
    now: i64,
    out: *mut *mut privnum_call_control,
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
        let (query, verified) = receive_call_control(verifier.core(), &params, now)?;
        out.write(handle_new(privnum_call_control {
            query: owned(query),
            verified: Some(verified),
        }));
        Ok(())
    })
}

/// Read the business parameters of a call-control query WITHOUT checking
/// its signature, timestamp or nonce (for queries verified upstream; use
/// `privnum_call_control_receive` otherwise) and write a new query handle to
/// `*out`. The parameters are copied; `params` may be reused as soon as the
/// call returns.
///
/// Fails with `PRIVNUM_RESULT_PUSH_MISSING_FIELD` when `callNo` or
/// `secretNo` is missing or empty.
///
/// Ownership: on success the caller owns `*out` and must release it with
/// `privnum_call_control_free`. `*out` is written only on success.
///
/// # Safety
///
/// `params` must be NULL (only with `n_params == 0`) or point to `n_params`
/// parameters whose texts follow the input text rules; `out` must be valid
/// for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_call_control_parse(
    params: *const privnum_param,
    n_params: usize,
    out: *mut *mut privnum_call_control,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees every pointer argument (see above).
        let (params, out) =
            unsafe { (pairs_in(params, n_params, "params")?, Out::new(out, "out")?) };
        let query = parse_call_control(&params)?;
        out.write(handle_new(privnum_call_control {
            query: owned(query),
            verified: None,
        }));
        Ok(())
    })
}

/// Write to `*out` another handle to the same query (reference counted, no
/// copy). Views read from the query stay valid while any handle to it is
/// alive.
///
/// # Safety
///
/// `query` must be a live handle; `out` must be valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_call_control_clone(
    query: *const privnum_call_control,
    out: *mut *mut privnum_call_control,
) -> privnum_result {
    // SAFETY: the caller guarantees `query` and `out` (see above).
    call(|| unsafe { handle_clone(query, out, "query") })
}

/// Release a query handle. NULL does nothing. The views read from the query
/// become invalid when its last handle is released.
///
/// # Safety
///
/// `query` must be NULL or a live handle from `privnum_call_control_receive`,
/// `privnum_call_control_parse` or `privnum_call_control_clone`; it must not
/// be used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_call_control_free(query: *mut privnum_call_control) {
    // SAFETY: the caller guarantees `query` (see above).
    guard((), || unsafe { handle_free(query) });
}

/// Read the business parameters of a query into `*out`. Its text fields are
/// views into the query, valid until the query is freed (its last handle
/// released with `privnum_call_control_free`); copy what must outlive it.
/// `*out` is written only on success.
///
/// # Safety
///
/// `query` must be a live handle; `out` must be valid for writing a
/// `privnum_call_control_query`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_call_control_get(
    query: *const privnum_call_control,
    out: *mut privnum_call_control_query,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees `query` and `out` (see above).
        let (query, out) = unsafe { (handle_ref(query, "query")?, Out::new(out, "out")?) };
        out.write(privnum_call_control_query::of(&query.query));
        Ok(())
    })
}

/// Whether the query's signature was checked (it came from
/// `privnum_call_control_receive`); false for `privnum_call_control_parse`
/// and if `query` is NULL.
///
/// # Safety
///
/// `query` must be NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_call_control_is_verified(
    query: *const privnum_call_control,
) -> bool {
    guard(false, || {
        // SAFETY: the caller guarantees `query` (see above).
        unsafe { handle_ref(query, "query") }.is_ok_and(|q| q.verified.is_some())
    })
}

/// Write the result of the query's signature check (the encoding and key
/// reading that matched, and the timestamp) to `*out`. Fails with
/// `PRIVNUM_RESULT_INVALID_ARGUMENT` if the query was not verified (it came
/// from `privnum_call_control_parse`). `*out` is written only on success.
///
/// # Safety
///
/// `query` must be a live handle; `out` must be valid for writing a
/// `privnum_params_verified`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_call_control_verified(
    query: *const privnum_call_control,
    out: *mut privnum_params_verified,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees `query` and `out` (see above).
        let (query, out) = unsafe { (handle_ref(query, "query")?, Out::new(out, "out")?) };
        let verified = query.verified.as_ref().ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidArgument,
                "the query was not verified: it came from privnum_call_control_parse",
            )
        })?;
        out.write(verified.into());
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{check_family, screaming};
    use privnum::sign::params::{self, Encoding, Profile};

    fn raw(pairs: &[(&str, &str)]) -> Vec<privnum_param> {
        pairs
            .iter()
            .map(|(k, v)| privnum_param {
                name: k.as_ptr(),
                name_len: k.len(),
                value: v.as_ptr(),
                value_len: v.len(),
            })
            .collect()
    }

    fn view(s: privnum_str) -> Option<String> {
        if s.data.is_null() {
            assert_eq!(s.len, 0);
            return None;
        }
        // SAFETY: a non-NULL view points to `len` bytes owned by a live handle.
        let b = unsafe { std::slice::from_raw_parts(s.data, s.len) };
        Some(String::from_utf8(b.to_vec()).unwrap())
    }

    fn get(h: *const privnum_call_control) -> privnum_call_control_query {
        let mut q = std::mem::MaybeUninit::uninit();
        // SAFETY: `h` is a live handle and `q` is writable.
        assert_eq!(unsafe { privnum_call_control_get(h, q.as_mut_ptr()) }, 0);
        // SAFETY: written on success.
        unsafe { q.assume_init() }
    }

    #[test]
    fn record_types_match_core() {
        let c = [
            ("CALL", PRIVNUM_RECORD_TYPE_CALL),
            ("SMS", PRIVNUM_RECORD_TYPE_SMS),
            ("OTHER", PRIVNUM_RECORD_TYPE_OTHER),
        ];
        let mut core = Vec::new();
        for wire in ["CAL", "SMS", "VIDEO"] {
            let q = parse_call_control(&[("callNo", "1"), ("secretNo", "2"), ("recordType", wire)])
                .unwrap();
            let r = q.record_type.as_ref().unwrap();
            assert_eq!(r.name(), wire);
            let variant = format!("{r:?}");
            let variant = variant.split('(').next().unwrap();
            core.push((screaming(variant), record_type_kind(Some(r))));
        }
        check_family("PRIVNUM_RECORD_TYPE_", &c, core);
        assert_eq!(record_type_kind(None), 0);
    }

    #[test]
    fn parse_copies_and_views_live_in_the_handle() {
        let mut call_no = String::from("13800000021");
        let pairs = [
            ("callNo", call_no.as_str()),
            ("secretNo", "not a number"),
            ("extension", ""),
            ("recordType", "SMS"),
            ("callTime", "20240501160000"),
        ];
        let mut h = std::ptr::null_mut();
        let p = raw(&pairs);
        // SAFETY: valid params and out pointer.
        let r = unsafe { privnum_call_control_parse(p.as_ptr(), p.len(), &mut h) };
        assert_eq!(r, 0);
        drop(p);
        call_no.replace_range(0..1, "9");
        let q = get(h);
        assert_eq!(view(q.call_no).as_deref(), Some("13800000021"));
        assert_eq!(view(q.secret_no).as_deref(), Some("not a number"));
        assert_eq!(view(q.extension), None, "empty is absent");
        assert_eq!(view(q.call_id), None);
        assert_eq!(view(q.record_type).as_deref(), Some("SMS"));
        assert_eq!(q.record_type_kind, PRIVNUM_RECORD_TYPE_SMS);
        assert!(q.has_call_time_utc8);
        assert_eq!(q.call_time_utc8, 1_714_550_400);
        assert!(q.has_caller && !q.has_x);
        assert_eq!(q.x.bits, 0);
        assert_eq!(
            q.caller,
            privnum_number::from(privnum::number::parse("+8613800000021").unwrap())
        );
        // SAFETY: `h` is live.
        assert!(!unsafe { privnum_call_control_is_verified(h) });
        let mut v = privnum_params_verified {
            encoding: 9,
            key_ampersand: true,
            has_timestamp: true,
            timestamp: 7,
        };
        let before = v;
        // SAFETY: `h` is live, `v` writable.
        let r = unsafe { privnum_call_control_verified(h, &mut v) };
        assert_eq!(r, ErrorKind::InvalidArgument.code());
        assert_eq!(v, before);
        // SAFETY: released once.
        unsafe { privnum_call_control_free(h) };
    }

    #[test]
    fn receive_verifies_and_releases_the_nonce_of_a_bad_query() {
        let secret = "ctlsecret";
        let mut pairs = vec![
            ("callNo", "13800000021"),
            ("secretNo", "17000000010"),
            ("recordType", "CAL"),
            ("signatureNonce", "n1"),
            ("timestamp", "2024-05-01T08:00:00Z"),
        ];
        let sig = params::sign(&Profile::call_control(), secret, &pairs).unwrap();
        pairs.push(("signature", &sig));
        let mut verifier = std::ptr::null_mut();
        let profile = crate::params::PRIVNUM_PARAMS_PROFILE_CALL_CONTROL;
        // SAFETY: valid secret and out pointer; NULL config is the defaults.
        let r = unsafe {
            crate::params::privnum_params_verifier_new(
                profile,
                secret.as_ptr(),
                secret.len(),
                std::ptr::null(),
                &mut verifier,
            )
        };
        assert_eq!(r, 0);
        let now = 1_714_550_400;
        let p = raw(&pairs);
        let mut h = std::ptr::null_mut();
        // SAFETY: live verifier, valid params and out pointer.
        let r = unsafe { privnum_call_control_receive(verifier, p.as_ptr(), p.len(), now, &mut h) };
        assert_eq!(r, 0, "{}", crate::boundary::last_error());
        let q = get(h);
        assert_eq!(q.record_type_kind, PRIVNUM_RECORD_TYPE_CALL);
        assert!(q.has_x && !q.has_call_time_utc8);
        // SAFETY: `h` is live.
        assert!(unsafe { privnum_call_control_is_verified(h) });
        let mut v = std::mem::MaybeUninit::uninit();
        // SAFETY: `h` is live, `v` writable.
        let r = unsafe { privnum_call_control_verified(h, v.as_mut_ptr()) };
        assert_eq!(r, 0);
        // SAFETY: written on success.
        let v = unsafe { v.assume_init() };
        assert_eq!(v.encoding, Encoding::Form as u32);
        assert!(!v.key_ampersand);
        assert!(v.has_timestamp && v.timestamp == now);
        // SAFETY: released once.
        unsafe { privnum_call_control_free(h) };

        // Replayed.
        let mut h = std::ptr::null_mut();
        // SAFETY: as above.
        let r = unsafe { privnum_call_control_receive(verifier, p.as_ptr(), p.len(), now, &mut h) };
        assert_eq!(r, ErrorKind::AuthReplayed.code());
        assert!(h.is_null());

        // Signed but without callNo: refused, twice, as a missing field (the
        // nonce is released each time, so the second is no replay).
        let mut bad = vec![
            ("secretNo", "17000000010"),
            ("signatureNonce", "n2"),
            ("timestamp", "2024-05-01T08:00:00Z"),
        ];
        let sig = params::sign(&Profile::call_control(), secret, &bad).unwrap();
        bad.push(("signature", &sig));
        let p = raw(&bad);
        for _ in 0..2 {
            // SAFETY: as above.
            let r =
                unsafe { privnum_call_control_receive(verifier, p.as_ptr(), p.len(), now, &mut h) };
            assert_eq!(r, ErrorKind::PushMissingField.code());
            assert!(crate::boundary::last_error().contains("callNo"));
            assert!(h.is_null());
        }
        // SAFETY: released once.
        unsafe { crate::params::privnum_params_verifier_free(verifier) };
    }
}
