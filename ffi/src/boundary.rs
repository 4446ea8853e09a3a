//! The language boundary, shared by every export: the panic guard, the
//! thread-local last error, and the helpers that read C arguments and write C
//! results. Exported functions contain no pointer handling of their own.
//!
//! Conventions implemented here (and documented in the header):
//! * input text is `(ptr, len)`; NULL with `len == 0` is the empty string,
//!   NULL with `len > 0` is `NULL_PARAMETER`, bytes that are not UTF-8 are
//!   `INVALID_UTF8`;
//! * out-parameters are checked before any work is done and written only on
//!   success; the one exception is `*out_n`, which receives the needed size
//!   when the result is `INSUFFICIENT_SIZE`;
//! * output text is not NUL-terminated; its length is written to `*out_n`.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::ffi::{CStr, CString, c_char};
use std::fmt::Display;
use std::marker::PhantomData;
use std::panic::{self, AssertUnwindSafe};
use std::ptr::NonNull;
use std::sync::{Arc, Mutex, PoisonError};

use privnum::{Error, ErrorKind, Result};

use crate::result::{PRIVNUM_RESULT_OK, PRIVNUM_RESULT_PANIC, privnum_result};

/// A thread's last error: its message and, when it had them, the
/// platform's `resultcode`, the request field at fault and the HTTP status
/// of the platform's answer. All are always replaced together, so a failure
/// without a platform code, field or status never leaves those of an earlier
/// failure behind.
struct LastError {
    message: String,
    platform_code: Option<String>,
    field: Option<&'static str>,
    http_status: Option<u16>,
}

thread_local! {
    static LAST_ERROR: RefCell<LastError> = const {
        RefCell::new(LastError {
            message: String::new(),
            platform_code: None,
            field: None,
            http_status: None,
        })
    };
}

/// Record `message`, `platform_code`, `field` and `http_status` as this
/// thread's last error, replacing all four. Never panics.
fn set_last_error(
    message: &str,
    platform_code: Option<&str>,
    field: Option<&'static str>,
    http_status: Option<u16>,
) {
    // `try_with` / `try_borrow_mut`: this runs outside the panic guard, so it
    // must not panic even while the thread is being torn down.
    let _ = LAST_ERROR.try_with(|slot| {
        if let Ok(mut slot) = slot.try_borrow_mut() {
            slot.message.clear();
            slot.message.push_str(message);
            match (platform_code, &mut slot.platform_code) {
                // Reuse the slot's buffer: codes are short and usually repeat.
                (Some(code), Some(kept)) => {
                    kept.clear();
                    kept.push_str(code);
                }
                (code, kept) => *kept = code.map(str::to_owned),
            }
            slot.field = field;
            slot.http_status = http_status;
        }
    });
}

/// Read this thread's last error with `f`; `None` while the slot cannot be
/// reached (thread teardown, or already borrowed).
fn with_last_error<T>(f: impl FnOnce(&LastError) -> T) -> Option<T> {
    LAST_ERROR
        .try_with(|slot| slot.try_borrow().ok().map(|e| f(&e)))
        .ok()
        .flatten()
}

/// A copy of this thread's last error message (empty if there is none).
pub(crate) fn last_error() -> String {
    with_last_error(|e| e.message.clone()).unwrap_or_default()
}

/// The platform `resultcode` of this thread's last error, if it had one.
pub(crate) fn last_error_platform_code() -> Option<String> {
    with_last_error(|e| e.platform_code.clone()).flatten()
}

/// The request field at fault in this thread's last error, if it named one.
pub(crate) fn last_error_field() -> Option<&'static str> {
    with_last_error(|e| e.field).flatten()
}

/// The HTTP status of the platform answer behind this thread's last error,
/// if it came from one.
pub(crate) fn last_error_http_status() -> Option<u16> {
    with_last_error(|e| e.http_status).flatten()
}

/// Run `f` behind the panic guard: the crate's only `catch_unwind`. A panic
/// is recorded as the last error and `on_panic` is returned instead.
pub(crate) fn guard<T>(on_panic: T, f: impl FnOnce() -> T) -> T {
    match panic::catch_unwind(AssertUnwindSafe(f)) {
        Ok(value) => value,
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .copied()
                .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
                .unwrap_or("a panic without a message");
            set_last_error(
                &format!("internal error: privnum panicked ({what}); please report it"),
                None,
                None,
                None,
            );
            on_panic
        }
    }
}

/// A fallible call: `Ok` is `PRIVNUM_RESULT_OK` and leaves the last error
/// alone; an error's message, platform code and field (each possibly absent)
/// become the last error and its kind's number is returned.
pub(crate) fn call(f: impl FnOnce() -> Result<()>) -> privnum_result {
    guard(PRIVNUM_RESULT_PANIC, || match f() {
        Ok(()) => PRIVNUM_RESULT_OK,
        Err(e) => {
            set_last_error(e.message(), e.platform_code(), e.field(), e.http_status());
            e.code()
        }
    })
}

/// Like [`call`], but an error leaves the last error untouched (for the
/// function that reads it).
pub(crate) fn call_quiet(f: impl FnOnce() -> Result<()>) -> privnum_result {
    guard(PRIVNUM_RESULT_PANIC, || match f() {
        Ok(()) => PRIVNUM_RESULT_OK,
        Err(e) => e.code(),
    })
}

/// `NULL_PARAMETER` for the argument `what`.
pub(crate) fn null_error(what: impl Display) -> Error {
    Error::new(ErrorKind::NullParameter, format!("{what} is NULL"))
}

/// `INVALID_ARGUMENT` for an unknown enum-like value.
pub(crate) fn unknown(what: &str, code: u32) -> Error {
    Error::new(
        ErrorKind::InvalidArgument,
        format!("{code} is not a known {what}"),
    )
}

/// Read `n` elements from C. NULL is accepted when `n == 0` (empty slice).
///
/// # Safety
///
/// If `n > 0` and `ptr` is not NULL, `ptr` must point to `n` initialised `T`
/// that stay valid and unmodified for `'a`.
pub(crate) unsafe fn slice_in<'a, T>(
    ptr: *const T,
    n: usize,
    what: impl Display,
) -> Result<&'a [T]> {
    if n == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(null_error(format_args!("{what} (with a non-zero length)")));
    }
    if !ptr.is_aligned() {
        return Err(Error::new(
            ErrorKind::InvalidArgument,
            format!("{what} is not suitably aligned"),
        ));
    }
    if n.checked_mul(size_of::<T>())
        .is_none_or(|bytes| bytes > isize::MAX as usize)
    {
        return Err(Error::new(
            ErrorKind::InvalidArgument,
            format!("the length of {what} is impossibly large"),
        ));
    }
    // SAFETY: `ptr` is non-NULL and aligned, the total size fits `isize`, and
    // the caller guarantees `n` valid elements for `'a`.
    Ok(unsafe { std::slice::from_raw_parts(ptr, n) })
}

/// Read UTF-8 text from C (see [`slice_in`] for NULL and lengths).
///
/// # Safety
///
/// As for [`slice_in`] with `T = u8`.
pub(crate) unsafe fn str_in<'a>(ptr: *const u8, len: usize, what: impl Display) -> Result<&'a str> {
    // SAFETY: forwarded from this function's contract.
    let bytes = unsafe { slice_in(ptr, len, &what) }?;
    std::str::from_utf8(bytes).map_err(|e| {
        Error::new(
            ErrorKind::InvalidUtf8,
            format!(
                "{what} is not valid UTF-8 (bad byte at offset {})",
                e.valid_up_to()
            ),
        )
    })
}

/// Read optional UTF-8 text: NULL means absent (and `len` is ignored).
///
/// # Safety
///
/// As for [`str_in`].
pub(crate) unsafe fn opt_str_in<'a>(
    ptr: *const u8,
    len: usize,
    what: impl Display,
) -> Result<Option<&'a str>> {
    if ptr.is_null() {
        return Ok(None);
    }
    // SAFETY: forwarded from this function's contract.
    unsafe { str_in(ptr, len, what) }.map(Some)
}

/// A `(name, value)` pair of text as C passes it (`privnum_header`, `privnum_param`).
pub(crate) trait RawPair {
    /// `(name, name_len, value, value_len)`.
    fn raw(&self) -> (*const u8, usize, *const u8, usize);
}

/// Read an array of pairs as `(&str, &str)`, naming the offending element in
/// errors (`headers[2].value is not valid UTF-8`).
///
/// # Safety
///
/// `ptr` as for [`slice_in`]; every element's two texts as for [`str_in`].
pub(crate) unsafe fn pairs_in<'a, P: RawPair>(
    ptr: *const P,
    n: usize,
    what: &str,
) -> Result<Vec<(&'a str, &'a str)>> {
    // SAFETY: forwarded from this function's contract.
    let items = unsafe { slice_in(ptr, n, what) }?;
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let (name, name_len, value, value_len) = item.raw();
            // SAFETY: forwarded from this function's contract.
            let name = unsafe { str_in(name, name_len, format_args!("{what}[{i}].name")) }?;
            // SAFETY: forwarded from this function's contract.
            let value = unsafe { str_in(value, value_len, format_args!("{what}[{i}].value")) }?;
            Ok((name, value))
        })
        .collect()
}

/// Create a handle: an `Arc` whose ownership passes to C.
pub(crate) fn handle_new<T>(value: T) -> *mut T {
    Arc::into_raw(Arc::new(value)).cast_mut()
}

/// Borrow the object behind a handle.
///
/// # Safety
///
/// `ptr` must be NULL or a live handle made by [`handle_new`] (or
/// [`handle_clone`]) for a `T`, not freed before `'a` ends.
pub(crate) unsafe fn handle_ref<'a, T>(ptr: *const T, what: &str) -> Result<&'a T> {
    if ptr.is_null() {
        return Err(null_error(what));
    }
    // SAFETY: a live handle points to the `T` inside an `Arc`.
    Ok(unsafe { &*ptr })
}

/// Write another handle to the same object to `*out`.
///
/// # Safety
///
/// `ptr` as for [`handle_ref`]; `out` NULL or valid for writing a pointer.
pub(crate) unsafe fn handle_clone<T>(ptr: *const T, out: *mut *mut T, what: &str) -> Result<()> {
    // SAFETY: forwarded from this function's contract.
    let (_, out) = unsafe { (handle_ref(ptr, what)?, Out::new(out, "out")?) };
    // SAFETY: `ptr` came from `Arc::into_raw` of an `Arc<T>` that is still alive.
    unsafe { Arc::increment_strong_count(ptr) };
    out.write(ptr.cast_mut());
    Ok(())
}

/// Release a handle; NULL does nothing.
///
/// # Safety
///
/// `ptr` must be NULL or a live handle for a `T`, which is not used again.
pub(crate) unsafe fn handle_free<T>(ptr: *mut T) {
    if !ptr.is_null() {
        // SAFETY: `ptr` came from `Arc::into_raw` and this reference is given up.
        drop(unsafe { Arc::from_raw(ptr.cast_const()) });
    }
}

/// A checked, non-NULL out-parameter, written only on success.
pub(crate) struct Out<'a, T> {
    ptr: NonNull<T>,
    _borrow: PhantomData<&'a mut T>,
}

impl<T> Out<'_, T> {
    /// Check an out-parameter before any work is done.
    ///
    /// # Safety
    ///
    /// `ptr` must be NULL or valid for writing a `T` for the lifetime of the
    /// returned value.
    pub(crate) unsafe fn new(ptr: *mut T, what: impl Display) -> Result<Self> {
        let ptr = NonNull::new(ptr).ok_or_else(|| null_error(&what))?;
        if !ptr.is_aligned() {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                format!("{what} is not suitably aligned"),
            ));
        }
        Ok(Self {
            ptr,
            _borrow: PhantomData,
        })
    }

    /// Write the result.
    pub(crate) fn write(self, value: T) {
        // SAFETY: `new`'s contract: non-NULL, aligned and valid for writes.
        unsafe { self.ptr.as_ptr().write(value) }
    }
}

/// A checked `(uint8_t *buf, size_t buf_len, size_t *out_n)` output.
pub(crate) struct OutBuf<'a> {
    buf: *mut u8,
    len: usize,
    out_n: Out<'a, usize>,
}

impl OutBuf<'_> {
    /// Check the output before any work is done. `buf` may be NULL when
    /// `buf_len` is 0 (a size query).
    ///
    /// # Safety
    ///
    /// `buf` must be NULL or valid for writing `buf_len` bytes, and `out_n`
    /// NULL or valid for writing a `size_t`, for the lifetime of the result.
    pub(crate) unsafe fn new(buf: *mut u8, buf_len: usize, out_n: *mut usize) -> Result<Self> {
        // SAFETY: forwarded from this function's contract.
        let out_n = unsafe { Out::new(out_n, "out_n") }?;
        if buf.is_null() && buf_len > 0 {
            return Err(null_error("buf (with buf_len > 0)"));
        }
        Ok(Self {
            buf,
            len: buf_len,
            out_n,
        })
    }

    /// Copy `data` out and write its length to `*out_n`; if it does not fit,
    /// write the needed length to `*out_n`, leave `buf` untouched and fail
    /// with `INSUFFICIENT_SIZE`.
    pub(crate) fn put(self, data: &[u8]) -> Result<()> {
        if data.len() > self.len {
            self.out_n.write(data.len());
            return Err(Error::new(
                ErrorKind::InsufficientSize,
                format!(
                    "the output needs {} bytes but buf_len is {}",
                    data.len(),
                    self.len
                ),
            ));
        }
        if !data.is_empty() {
            // SAFETY: `buf` is non-NULL (`len >= data.len() > 0`) and valid for
            // `len` bytes (`new`'s contract); `data` is memory owned by Rust,
            // so the two do not overlap.
            unsafe { std::ptr::copy_nonoverlapping(data.as_ptr(), self.buf, data.len()) };
        }
        self.out_n.write(data.len());
        Ok(())
    }
}

/// A NUL-terminated copy of a static string, made once and kept for the life
/// of the process (the set of such strings is fixed: names and descriptions).
pub(crate) fn static_cstr(s: &'static str) -> *const c_char {
    static INTERNED: Mutex<BTreeMap<&'static str, &'static CStr>> = Mutex::new(BTreeMap::new());
    let mut interned = INTERNED.lock().unwrap_or_else(PoisonError::into_inner);
    let c = *interned.entry(s).or_insert_with(|| match CString::new(s) {
        Ok(c) => Box::leak(c.into_boxed_c_str()),
        // Static names and descriptions contain no NUL; never reached.
        Err(_) => c"",
    });
    c.as_ptr()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panic_becomes_panic_result_and_last_error() {
        let code = call(|| panic!("boom"));
        assert_eq!(code, PRIVNUM_RESULT_PANIC);
        let m = last_error();
        assert!(m.contains("boom"), "{m}");
        let code = call(|| panic::panic_any(7_u8));
        assert_eq!(code, PRIVNUM_RESULT_PANIC);
        assert_eq!(guard(5, || panic!("x")), 5);
    }

    #[test]
    fn errors_are_recorded_except_when_quiet() {
        let code = call(|| Err(Error::new(ErrorKind::NumberEmpty, "first")));
        assert_eq!(code, ErrorKind::NumberEmpty.code());
        let code = call_quiet(|| Err(Error::new(ErrorKind::InvalidArgument, "second")));
        assert_eq!(code, ErrorKind::InvalidArgument.code());
        assert_eq!(last_error(), "first");
        assert_eq!(call(|| Ok(())), PRIVNUM_RESULT_OK);
        assert_eq!(last_error(), "first");
    }

    #[test]
    fn platform_code_and_field_are_replaced_with_the_message() {
        let rule = || {
            Err(Error::new(ErrorKind::RuleViolation, "rule")
                .with_platform_code("1012010")
                .with_field("calleeNum"))
        };
        assert_eq!(call(rule), ErrorKind::RuleViolation.code());
        assert_eq!(last_error_platform_code().as_deref(), Some("1012010"));
        assert_eq!(last_error_field(), Some("calleeNum"));
        // Success and quiet failures leave all three alone.
        assert_eq!(call(|| Ok(())), PRIVNUM_RESULT_OK);
        let quiet = call_quiet(|| Err(Error::new(ErrorKind::InvalidArgument, "quiet")));
        assert_eq!(quiet, ErrorKind::InvalidArgument.code());
        assert_eq!(last_error(), "rule");
        assert_eq!(last_error_platform_code().as_deref(), Some("1012010"));
        assert_eq!(last_error_field(), Some("calleeNum"));
        // A failure with a field only clears the platform code.
        let field_only =
            || Err(Error::new(ErrorKind::InvalidArgument, "field only").with_field("extendNum"));
        assert_eq!(call(field_only), ErrorKind::InvalidArgument.code());
        assert_eq!(last_error_platform_code().as_deref(), None);
        assert_eq!(last_error_field(), Some("extendNum"));
        // A failure with neither clears both.
        assert_eq!(
            call(|| Err(null_error("x"))),
            ErrorKind::NullParameter.code()
        );
        assert_eq!(last_error(), "x is NULL");
        assert_eq!(last_error_platform_code().as_deref(), None);
        assert_eq!(last_error_field(), None);
        // A code read from a platform response (owned) is kept the same way.
        let platform = || {
            Err(Error::new(ErrorKind::PlatformConflict, "conflict")
                .with_platform_code(String::from("1012010"))
                .with_http_status(200))
        };
        assert_eq!(call(platform), ErrorKind::PlatformConflict.code());
        assert_eq!(last_error_platform_code().as_deref(), Some("1012010"));
        assert_eq!(last_error_field(), None);
        // So does a panic.
        assert_eq!(call(rule), ErrorKind::RuleViolation.code());
        assert_eq!(call(|| panic!("boom")), PRIVNUM_RESULT_PANIC);
        assert_eq!(last_error_platform_code().as_deref(), None);
        assert_eq!(last_error_field(), None);
    }

    #[test]
    fn static_cstr_is_interned() {
        let a = static_cstr("hello");
        let b = static_cstr("hello");
        assert_eq!(a, b);
        // SAFETY: `static_cstr` returns a pointer to a leaked, NUL-terminated string.
        let s = unsafe { CStr::from_ptr(a) };
        assert_eq!(s.to_str(), Ok("hello"));
    }
}
