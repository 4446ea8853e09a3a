//! Request signing: the X-AKSK and legacy X-WSSE headers, their verification on
//! inbound pushes, and sorted-parameter HMAC signatures.
//!
//! ```text
//!  app key + secret ─▶ Signer ──sign(scheme, nonce, created)──▶ AuthHeaders
//!                                                               Authorization: AKSK realm="SDP",…
//!                                                               X-AKSK: UsernameToken Username=…
//!
//!  headers + now ─▶ Verifier ──verify_headers()──▶ Verified | Error(AUTH_MISSING, AUTH_MALFORMED,
//!                                                   AUTH_WRONG_KEY, AUTH_BAD_DIGEST, AUTH_STALE, AUTH_REPLAYED)
//!
//!  params + secret ─▶ params::sign ──▶ signature   (Alibaba-style sorted-parameter HMAC-SHA1)
//! ```
//!
//! * X-AKSK: `PasswordDigest = Base64(HMAC-SHA256(key = app secret, Nonce ‖ Created))`.
//! * X-WSSE (legacy): `PasswordDigest = Base64(lowercase-hex(SHA-256(Nonce ‖ Created ‖ secret)))`.
//!   When verifying, the non-vendor variant `Base64(SHA-256(…))` of raw bytes is
//!   accepted too (and reported); it is never produced.
//! * `Created` is UTC, `yyyy-MM-ddTHH:mm:ssZ`; a nonce is 1–128 ASCII letters and
//!   digits. Functions that take neither read the OS random source and the system
//!   clock; every other function is deterministic, for reproducible tests.

pub mod params;
mod time_fmt;
mod verify;

pub use time_fmt::{CreatedStr, format_created, parse_created, parse_utc_datetime};
pub use verify::{Freshness, Verified, Verifier, VerifierConfig};

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::error::{Error, ErrorKind, Result};

type HmacSha256 = Hmac<Sha256>;

/// The header scheme.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u32)]
#[non_exhaustive]
pub enum Scheme {
    /// `Authorization: AKSK …` with `X-AKSK` (HMAC-SHA256): the current scheme.
    Aksk = 1,
    /// `Authorization: WSSE …` with `X-WSSE` (plain SHA-256): the legacy scheme.
    Wsse = 2,
}

impl Scheme {
    /// Every scheme, in numeric order.
    pub const ALL: &'static [Self] = &[Self::Aksk, Self::Wsse];

    /// The scheme with this name (as in [`Scheme::name`]).
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|s| s.name() == name)
    }

    /// The scheme with this stable number.
    #[must_use]
    pub const fn from_code(code: u32) -> Option<Self> {
        match code {
            1 => Some(Self::Aksk),
            2 => Some(Self::Wsse),
            _ => None,
        }
    }

    /// `"aksk"` or `"wsse"`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Aksk => "aksk",
            Self::Wsse => "wsse",
        }
    }

    /// The name of the header that carries the token: `X-AKSK` or `X-WSSE`.
    #[must_use]
    pub const fn header_name(self) -> &'static str {
        match self {
            Self::Aksk => "X-AKSK",
            Self::Wsse => "X-WSSE",
        }
    }

    /// The constant value of the `Authorization` header for this scheme.
    #[must_use]
    pub const fn authorization(self) -> &'static str {
        match self {
            Self::Aksk => r#"AKSK realm="SDP",profile="UsernameToken",type="Appkey""#,
            Self::Wsse => r#"WSSE realm="SDP",profile="UsernameToken",type="Appkey""#,
        }
    }

    /// The first word of the `Authorization` header.
    const fn auth_word(self) -> &'static str {
        match self {
            Self::Aksk => "AKSK",
            Self::Wsse => "WSSE",
        }
    }
}

/// A secret string (an app secret or signing key). Its `Debug` never shows the
/// value and its memory is zeroed when dropped.
#[derive(Clone)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    /// Wrap a secret. Empty secrets are rejected with [`ErrorKind::InvalidAppSecret`].
    pub fn new(secret: &str) -> Result<Self> {
        if secret.is_empty() {
            return Err(Error::new(
                ErrorKind::InvalidAppSecret,
                "the app secret is empty",
            ));
        }
        Ok(Self(Zeroizing::new(secret.to_owned())))
    }

    /// The secret's bytes, for computing signatures.
    #[must_use]
    pub fn expose(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// Check an app key: 1–128 printable ASCII characters, no `"` or `\`, so it can
/// be quoted in a header.
pub fn check_app_key(app_key: &str) -> Result<()> {
    let ok_char = |b: u8| (0x21..0x7f).contains(&b) && b != b'"' && b != b'\\';
    if app_key.is_empty() || app_key.len() > 128 || !app_key.bytes().all(ok_char) {
        return Err(Error::new(
            ErrorKind::InvalidAppKey,
            format!(
                "the app key must be 1-128 printable ASCII characters without quotes or spaces \
                 (got {} bytes)",
                app_key.len()
            ),
        ));
    }
    Ok(())
}

/// Check a nonce: 1–128 ASCII letters and digits.
pub fn check_nonce(nonce: &str) -> Result<()> {
    if nonce.is_empty() || nonce.len() > 128 || !nonce.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(Error::new(
            ErrorKind::InvalidNonce,
            format!(
                "a nonce must be 1-128 ASCII letters and digits (got {} bytes)",
                nonce.len()
            ),
        ));
    }
    Ok(())
}

/// A fresh nonce from the OS random source: 32 upper-case hex digits (128 bits).
pub fn generate_nonce() -> Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| {
        Error::new(
            ErrorKind::RandomUnavailable,
            format!("the OS random source failed: {e}"),
        )
    })?;
    let mut out = String::with_capacity(32);
    for b in bytes {
        out.push(char::from(b"0123456789ABCDEF"[usize::from(b >> 4)]));
        out.push(char::from(b"0123456789ABCDEF"[usize::from(b & 0xf)]));
    }
    Ok(out)
}

/// The current time as Unix seconds, from the system clock.
pub fn unix_now() -> Result<i64> {
    let d = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|_| Error::new(ErrorKind::InvalidCreated, "the system clock is before 1970"))?;
    i64::try_from(d.as_secs()).map_err(|_| {
        Error::new(
            ErrorKind::InvalidCreated,
            "the system clock is out of range",
        )
    })
}

/// The two headers that authenticate one request.
#[derive(Clone, PartialEq, Eq)]
pub struct AuthHeaders {
    scheme: Scheme,
    value: String,
    digest_start: usize,
    digest_len: usize,
    nonce_start: usize,
    nonce_len: usize,
    created: CreatedStr,
}

impl AuthHeaders {
    /// The scheme these headers use.
    #[must_use]
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// The value of the `Authorization` header.
    #[must_use]
    pub fn authorization(&self) -> &'static str {
        self.scheme.authorization()
    }

    /// The name of the token header (`X-AKSK` or `X-WSSE`).
    #[must_use]
    pub fn header_name(&self) -> &'static str {
        self.scheme.header_name()
    }

    /// The value of the token header (`UsernameToken Username="…", …`).
    #[must_use]
    pub fn value(&self) -> &str {
        &self.value
    }

    /// The `PasswordDigest` inside the token.
    #[must_use]
    pub fn digest(&self) -> &str {
        &self.value[self.digest_start..self.digest_start + self.digest_len]
    }

    /// The `Nonce` inside the token.
    #[must_use]
    pub fn nonce(&self) -> &str {
        &self.value[self.nonce_start..self.nonce_start + self.nonce_len]
    }

    /// The `Created` time inside the token.
    #[must_use]
    pub fn created(&self) -> &str {
        self.created.as_str()
    }

    /// Both headers as `(name, value)` pairs, ready to add to a request.
    #[must_use]
    pub fn pairs(&self) -> [(&'static str, &str); 2] {
        [
            ("Authorization", self.authorization()),
            (self.header_name(), self.value()),
        ]
    }
}

impl fmt::Debug for AuthHeaders {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The digest is a one-time credential: show it only abbreviated.
        f.debug_struct("AuthHeaders")
            .field("scheme", &self.scheme)
            .field("nonce", &self.nonce())
            .field("created", &self.created())
            .field(
                "digest",
                &format_args!("{}…", &self.digest()[..6.min(self.digest_len)]),
            )
            .finish()
    }
}

/// Produces signed headers for one application. Cheap to share between
/// threads (`Send + Sync`); the HMAC key schedule is computed once.
#[derive(Clone)]
pub struct Signer {
    app_key: String,
    secret: Secret,
    mac: HmacSha256,
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signer")
            .field("app_key", &self.app_key)
            .field("app_secret", &self.secret)
            .finish()
    }
}

impl Signer {
    /// A signer for the application with this key and secret.
    pub fn new(app_key: &str, app_secret: &str) -> Result<Self> {
        check_app_key(app_key)?;
        let secret = Secret::new(app_secret)?;
        let mac = HmacSha256::new_from_slice(secret.expose())
            .map_err(|_| Error::new(ErrorKind::InvalidAppSecret, "the app secret is unusable"))?;
        Ok(Self {
            app_key: app_key.to_owned(),
            secret,
            mac,
        })
    }

    /// The application key.
    #[must_use]
    pub fn app_key(&self) -> &str {
        &self.app_key
    }

    /// The `PasswordDigest` for `nonce` and `created`, without validating them.
    #[must_use]
    pub fn digest(&self, scheme: Scheme, nonce: &str, created: &str) -> String {
        match scheme {
            Scheme::Aksk => B64.encode(self.aksk_mac(nonce, created)),
            Scheme::Wsse => B64.encode(self.wsse_hex(nonce, created)),
        }
    }

    fn aksk_mac(&self, nonce: &str, created: &str) -> [u8; 32] {
        let mut mac = self.mac.clone();
        mac.update(nonce.as_bytes());
        mac.update(created.as_bytes());
        mac.finalize().into_bytes().into()
    }

    fn wsse_sha(&self, nonce: &str, created: &str) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(nonce.as_bytes());
        h.update(created.as_bytes());
        h.update(self.secret.expose());
        h.finalize().into()
    }

    fn wsse_hex(&self, nonce: &str, created: &str) -> [u8; 64] {
        let raw = self.wsse_sha(nonce, created);
        let mut hex = [0u8; 64];
        for (i, b) in raw.iter().enumerate() {
            hex[2 * i] = b"0123456789abcdef"[usize::from(b >> 4)];
            hex[2 * i + 1] = b"0123456789abcdef"[usize::from(b & 0xf)];
        }
        hex
    }

    /// Sign with a given nonce and `Created` (`yyyy-MM-ddTHH:mm:ssZ`): deterministic.
    pub fn sign(&self, scheme: Scheme, nonce: &str, created: &str) -> Result<AuthHeaders> {
        check_nonce(nonce)?;
        let canonical = CreatedStr::canonical(created)?;
        Ok(self.build(scheme, nonce, canonical))
    }

    /// Sign at `unix_time` (seconds) with a fresh random nonce.
    pub fn sign_at(&self, scheme: Scheme, unix_time: i64) -> Result<AuthHeaders> {
        let nonce = generate_nonce()?;
        let created = format_created(unix_time)?;
        Ok(self.build(scheme, &nonce, created))
    }

    /// Sign now (system clock, UTC) with a fresh random nonce: what every
    /// outbound request should use. Never reuse headers across retries.
    pub fn sign_now(&self, scheme: Scheme) -> Result<AuthHeaders> {
        self.sign_at(scheme, unix_now()?)
    }

    fn build(&self, scheme: Scheme, nonce: &str, created: CreatedStr) -> AuthHeaders {
        let mut value = String::with_capacity(96 + self.app_key.len() + nonce.len() + 88);
        value.push_str("UsernameToken Username=\"");
        value.push_str(&self.app_key);
        value.push_str("\", PasswordDigest=\"");
        let digest_start = value.len();
        match scheme {
            Scheme::Aksk => B64.encode_string(self.aksk_mac(nonce, created.as_str()), &mut value),
            Scheme::Wsse => B64.encode_string(self.wsse_hex(nonce, created.as_str()), &mut value),
        }
        let digest_len = value.len() - digest_start;
        value.push_str("\", Nonce=\"");
        let nonce_start = value.len();
        value.push_str(nonce);
        value.push_str("\", Created=\"");
        value.push_str(created.as_str());
        value.push('"');
        AuthHeaders {
            scheme,
            value,
            digest_start,
            digest_len,
            nonce_start,
            nonce_len: nonce.len(),
            created,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::params::{ParamsVerifier, Profile};
    use super::*;

    const SECRET: &str = "cfc881cc704c4fba8d8fef5788e03e6b";

    #[test]
    fn secrets_never_appear_in_debug_output() {
        let signer = Signer::new("appkey", SECRET).unwrap();
        let verifier = Verifier::new("appkey", SECRET, VerifierConfig::default()).unwrap();
        let pv = ParamsVerifier::new(Profile::call_control(), SECRET, VerifierConfig::default())
            .unwrap();
        let headers = signer
            .sign(Scheme::Aksk, "N1", "2024-01-01T00:00:00Z")
            .unwrap();
        for text in [
            format!("{signer:?}"),
            format!("{verifier:?}"),
            format!("{pv:?}"),
            format!("{:?}", Secret::new(SECRET).unwrap()),
            format!("{headers:?}"),
        ] {
            assert!(!text.contains(SECRET), "secret leaked: {text}");
            assert!(
                !text.contains(headers.digest()),
                "full digest leaked: {text}"
            );
        }
        assert!(format!("{signer:?}").contains("<redacted>"));
    }

    #[test]
    fn generated_nonces_are_valid_and_distinct() {
        let a = generate_nonce().unwrap();
        let b = generate_nonce().unwrap();
        check_nonce(&a).unwrap();
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
    }

    #[test]
    fn sign_now_verifies_with_the_same_secret() {
        let signer = Signer::new("appkey", SECRET).unwrap();
        let verifier = Verifier::new("appkey", SECRET, VerifierConfig::default()).unwrap();
        for scheme in [Scheme::Aksk, Scheme::Wsse] {
            let h = signer.sign_now(scheme).unwrap();
            let v = verifier
                .verify_headers(h.pairs(), unix_now().unwrap())
                .unwrap();
            assert_eq!(v.scheme, scheme);
            assert_eq!(v.nonce, h.nonce());
        }
    }
}
