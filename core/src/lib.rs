//! privnum: an embeddable engine for privacy-number telephony (number masking).
//!
//! Two people talk through a proxy number X and neither sees the other's real
//! number. privnum speaks Huawei Cloud PrivateNumber (AX, AXB, AXE, AXYB and X
//! modes) and VoiceCall; this crate is its core, used directly from Rust and
//! through the C ABI (`privnum-ffi`) and the Python package (`privnum`).
//!
//! ```text
//!             ┌──────────────────── privnum (core, sans-IO) ───────────────────┐
//!  user text ─┼─▶ number::parse ─▶ Number ─▶ e164 / query (%2B) / masked / class │
//!  key+secret ┼─▶ sign::Signer ─▶ AuthHeaders (X-AKSK, X-WSSE)                   │
//!  push hdrs ─┼─▶ sign::Verifier ─▶ Verified | AUTH_* error                      │
//!  params    ─┼─▶ sign::params ─▶ sorted-parameter HMAC-SHA1 sign / verify       │
//!  operation ─┼─▶ client::Operation ─▶ Prepared ─▶ client::sign ─▶ HttpRequest    │
//!  response  ─┼─▶ Operation::parse ─▶ typed output | PLATFORM_* / RESPONSE_INVALID │
//!             └─────────────────────────────────────────────────────────────────┘
//! ```
//!
//! The platform API client ([`client`]) builds requests and reads responses
//! without doing I/O; [`client::retry::Client`] sends them, through the
//! blocking HTTPS transport (feature `http`, on by default) or any
//! [`client::transport::Transport`] the host brings, and retries only where
//! that is safe.
//!
//! Everything is synchronous and deterministic given its inputs; the only
//! exceptions are the convenience functions that read the system clock
//! ([`sign::unix_now`], [`sign::Signer::sign_now`]) and the OS random source
//! ([`sign::generate_nonce`]), each of which has a variant taking the value.
//!
//! With the cargo feature `emulator`, `privnum::emulator` runs the platform
//! itself on loopback (HTTP server, pushes, threads and clocks) for offline
//! development and tests; with `cli`, `privnum::cli` is the `privnum`
//! command. Those two, the blocking transport (`http`) and the engine's
//! journal are the only parts of the crate that do I/O.
//!
//! Errors are [`Error`] values carrying an [`ErrorKind`] whose stable numbers
//! are shared with C (`PRIVNUM_RESULT_*`) and Python (`privnum.*Error.code`).

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod callback;
#[cfg(feature = "cli")]
pub mod cli;
pub mod client;
#[cfg(feature = "emulator")]
pub mod emulator;
pub mod engine;
pub mod error;
pub mod number;
pub mod sign;

pub use error::{Error, ErrorKind, Result};
pub use number::{Field, Number, NumberClass, ParseOptions};
pub use sign::{AuthHeaders, Scheme, Signer, Verified, Verifier, VerifierConfig};

/// The crate version (`CARGO_PKG_VERSION`).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
