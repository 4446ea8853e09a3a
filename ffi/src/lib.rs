//! The C ABI of privnum: `include/privnum.h` is generated from this crate by
//! cbindgen (`ffi/cbindgen.toml`), and the static and shared libraries are
//! named `libprivnum`.
//!
//! Every rule lives in the core crate; this crate only translates between C
//! and Rust. The conventions (result codes, the thread-local last error,
//! `(ptr, len)` text, out-parameters written only on success, handles) are
//! described at the top of the header and implemented once, in `boundary`:
//! each export is a few lines that read its arguments with those helpers,
//! call core, and write the result, all inside the one panic guard.

#![deny(missing_docs)]
// The exported names are C names (`privnum_signer`, `privnum_number`, ...).
#![allow(non_camel_case_types)]

mod boundary;
pub mod codes;
pub mod inbox;
pub mod number;
pub mod params;
pub mod push;
pub mod reply;
pub mod result;
pub mod segments;
pub mod sign;
#[cfg(test)]
mod test_support;
pub mod verify;
// Last: cbindgen emits items in module order, and this module uses the
// types of `params`, `push` and `number`.
pub mod control;
// After `number`, whose `privnum_number` its route struct holds.
pub mod engine;
// After `push` and `sign`, whose `privnum_str` and `privnum_signer` it uses.
pub mod client;
mod held;
// After `client`, whose `privnum_op` it sends.
pub mod emulator;
pub mod net;
// After `net` and `engine`, whose client and engine it keeps in step.
pub mod mirror;

use std::ffi::{CStr, c_char};

/// The major version of this privnum build (`privnum_version` gives the whole).
pub const PRIVNUM_VERSION_MAJOR: u32 = 0;
/// The minor version of this privnum build.
pub const PRIVNUM_VERSION_MINOR: u32 = 1;
/// The patch version of this privnum build.
pub const PRIVNUM_VERSION_PATCH: u32 = 0;

/// The version of the linked library as a static, NUL-terminated string
/// (`"0.1.0"`). Compare with the `PRIVNUM_VERSION_*` macros of the header
/// you compiled against. Never NULL; do not free.
#[unsafe(no_mangle)]
pub extern "C" fn privnum_version() -> *const c_char {
    const VERSION: &CStr =
        match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
            Ok(v) => v,
            Err(_) => panic!("CARGO_PKG_VERSION contains a NUL byte"),
        };
    VERSION.as_ptr()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_are_thread_safe_as_documented() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<sign::privnum_signer>();
        send_sync::<verify::privnum_verifier>();
        send_sync::<params::privnum_params_verifier>();
        send_sync::<push::privnum_push>();
        send_sync::<inbox::privnum_inbox>();
        send_sync::<inbox::privnum_received>();
        send_sync::<control::privnum_call_control>();
        send_sync::<engine::privnum_engine>();
        send_sync::<client::privnum_op>();
        send_sync::<client::privnum_request>();
        send_sync::<net::privnum_client>();
        send_sync::<emulator::privnum_emulator>();
        send_sync::<mirror::privnum_mirror>();
    }

    #[test]
    fn version_constants_match_cargo() {
        let parse = |s: &str| s.parse::<u32>().unwrap();
        assert_eq!(
            PRIVNUM_VERSION_MAJOR,
            parse(env!("CARGO_PKG_VERSION_MAJOR"))
        );
        assert_eq!(
            PRIVNUM_VERSION_MINOR,
            parse(env!("CARGO_PKG_VERSION_MINOR"))
        );
        assert_eq!(
            PRIVNUM_VERSION_PATCH,
            parse(env!("CARGO_PKG_VERSION_PATCH"))
        );
        // SAFETY: `privnum_version` returns a static NUL-terminated string.
        let v = unsafe { CStr::from_ptr(privnum_version()) };
        assert_eq!(v.to_str(), Ok(env!("CARGO_PKG_VERSION")));
        assert_eq!(v.to_str(), Ok(privnum::VERSION));
        let d = test_support::defines("PRIVNUM_VERSION_");
        assert_eq!(d.get("MAJOR"), Some(&u64::from(PRIVNUM_VERSION_MAJOR)));
        assert_eq!(d.get("MINOR"), Some(&u64::from(PRIVNUM_VERSION_MINOR)));
        assert_eq!(d.get("PATCH"), Some(&u64::from(PRIVNUM_VERSION_PATCH)));
    }
}
