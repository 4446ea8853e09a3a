//! Sorted-parameter HMAC-SHA1 signatures (Alibaba-style), used by X-mode
//! call-control queries.
//!
//! ```text
//! params ─▶ drop `signature` (and empty values) ─▶ sort by name ─▶ encode name=value, join '&'
//!        ─▶ [METHOD&%2F&] + encode(joined) ─▶ HMAC-SHA1(key = secret [+ "&"]) ─▶ Base64
//! ```
//!
//! Two profiles:
//! * [`Profile::rpc_v1`]: Alibaba's RPC signature (RFC 3986 encoding, `GET&%2F&`
//!   prefix, key `secret&`), checked against the vendor's published vector.
//! * [`Profile::call_control`]: the X-mode call-control query as documented
//!   (no prefix, form encoding, key as issued, empty values skipped). Its encoder
//!   flavour and whether `&` is appended to the key are not confirmed, so
//!   verification with this profile is tolerant: it also accepts the other
//!   readings and reports which one matched in [`ParamsVerified::profile`].
//!
//! A received signature is accepted URL-encoded or already decoded.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use subtle::ConstantTimeEq;

use super::verify::{Freshness, VerifierConfig};
use super::{Secret, parse_created};
use crate::error::{Error, ErrorKind, Result};

/// How names and values are percent-encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum Encoding {
    /// RFC 3986: `A-Z a-z 0-9 - _ . ~` kept, space as `%20`.
    Rfc3986 = 1,
    /// HTML-form encoding (Java `URLEncoder`): `A-Z a-z 0-9 - _ . *` kept, space as `+`.
    Form = 2,
}

impl Encoding {
    /// Every encoding, in numeric order.
    pub const ALL: &'static [Self] = &[Self::Rfc3986, Self::Form];

    /// `"rfc3986"` or `"form"`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Rfc3986 => "rfc3986",
            Self::Form => "form",
        }
    }

    /// The encoding with this name (as in [`Encoding::name`]).
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|e| e.name() == name)
    }

    /// The encoding with this stable number.
    #[must_use]
    pub fn from_code(code: u32) -> Option<Self> {
        Self::ALL.iter().copied().find(|e| *e as u32 == code)
    }
}

/// Which reading of the scheme to use.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Profile {
    /// HTTP method for the `METHOD&%2F&` prefix; `None` for no prefix.
    pub method: Option<String>,
    /// The percent-encoding flavour.
    pub encoding: Encoding,
    /// Whether `&` is appended to the secret to form the HMAC key.
    pub key_ampersand: bool,
    /// Whether parameters with an empty value are left out.
    pub skip_empty: bool,
    /// Name of the signature parameter (excluded from signing).
    pub signature_name: String,
    /// Name of the timestamp parameter used for freshness checks.
    pub timestamp_name: String,
    /// Name of the nonce parameter used for replay checks.
    pub nonce_name: String,
    /// When verifying, also accept the other encoding and key readings.
    pub tolerant: bool,
}

impl Profile {
    /// Alibaba RPC signature v1 for requests sent with `method` (`GET`, `POST`).
    #[must_use]
    pub fn rpc_v1(method: &str) -> Self {
        Self {
            method: Some(method.to_ascii_uppercase()),
            encoding: Encoding::Rfc3986,
            key_ampersand: true,
            skip_empty: false,
            signature_name: "Signature".into(),
            timestamp_name: "Timestamp".into(),
            nonce_name: "SignatureNonce".into(),
            tolerant: false,
        }
    }

    /// The X-mode call-control query, as documented (see module docs).
    #[must_use]
    pub fn call_control() -> Self {
        Self {
            method: None,
            encoding: Encoding::Form,
            key_ampersand: false,
            skip_empty: true,
            signature_name: "signature".into(),
            timestamp_name: "timestamp".into(),
            nonce_name: "signatureNonce".into(),
            tolerant: true,
        }
    }

    fn readings(&self) -> Vec<Self> {
        let mut out = vec![self.clone()];
        if self.tolerant {
            for encoding in [Encoding::Form, Encoding::Rfc3986] {
                for key_ampersand in [false, true] {
                    let p = Self {
                        encoding,
                        key_ampersand,
                        tolerant: false,
                        ..self.clone()
                    };
                    if !out.contains(&p) {
                        out.push(p);
                    }
                }
            }
        }
        out
    }
}

/// Percent-encode `s` in `encoding`, appending to `out`.
pub fn encode_into(s: &str, encoding: Encoding, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in s.as_bytes() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'_' | b'.')
            || (b == b'~' && encoding == Encoding::Rfc3986)
            || (b == b'*' && encoding == Encoding::Form);
        if keep {
            out.push(char::from(b));
        } else if b == b' ' && encoding == Encoding::Form {
            out.push('+');
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        }
    }
}

/// Percent-encode `s` in `encoding`.
#[must_use]
pub fn encode(s: &str, encoding: Encoding) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    encode_into(s, encoding, &mut out);
    out
}

/// Decode `%XX` escapes (and `+` as space); `None` if an escape is broken or the
/// result is not UTF-8.
#[must_use]
pub fn decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                let hex = b.get(i + 1..i + 3)?;
                let hi = char::from(hex[0]).to_digit(16)?;
                let lo = char::from(hex[1]).to_digit(16)?;
                out.push((hi * 16 + lo) as u8);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// The string that is signed for `params` under `profile`.
pub fn string_to_sign(profile: &Profile, params: &[(&str, &str)]) -> Result<String> {
    let mut kept: Vec<(&str, &str)> = params
        .iter()
        .copied()
        .filter(|(k, v)| *k != profile.signature_name && !(profile.skip_empty && v.is_empty()))
        .collect();
    if kept.iter().any(|(k, _)| k.is_empty()) {
        return Err(Error::new(
            ErrorKind::InvalidParameters,
            "a parameter has an empty name",
        ));
    }
    kept.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    if let Some(w) = kept.windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(Error::new(
            ErrorKind::InvalidParameters,
            format!("parameter {:?} appears more than once", w[0].0),
        ));
    }
    let mut canonical = String::with_capacity(params.len() * 24);
    for (i, (k, v)) in kept.iter().enumerate() {
        if i > 0 {
            canonical.push('&');
        }
        encode_into(k, profile.encoding, &mut canonical);
        canonical.push('=');
        encode_into(v, profile.encoding, &mut canonical);
    }
    let mut out = String::with_capacity(canonical.len() * 2 + 16);
    if let Some(method) = &profile.method {
        out.push_str(method);
        out.push_str("&%2F&");
    }
    encode_into(&canonical, profile.encoding, &mut out);
    Ok(out)
}

fn mac_b64(profile: &Profile, secret: &Secret, to_sign: &str) -> Result<String> {
    let mut key = secret.expose().to_vec();
    if profile.key_ampersand {
        key.push(b'&');
    }
    let mut mac = Hmac::<Sha1>::new_from_slice(&key)
        .map_err(|_| Error::new(ErrorKind::InvalidAppSecret, "the signing key is unusable"))?;
    zeroize::Zeroize::zeroize(&mut key);
    mac.update(to_sign.as_bytes());
    Ok(B64.encode(mac.finalize().into_bytes()))
}

/// Sign `params` with `secret`: returns the Base64 signature (not URL-encoded;
/// encode it like any other value when you put it in a query).
pub fn sign(profile: &Profile, secret: &str, params: &[(&str, &str)]) -> Result<String> {
    let secret = Secret::new(secret)?;
    mac_b64(profile, &secret, &string_to_sign(profile, params)?)
}

/// A successful sorted-parameter verification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParamsVerified {
    /// The reading that matched (differs from the configured one only for a
    /// tolerant profile).
    pub profile: Profile,
    /// The request's timestamp as Unix seconds, when it carried one.
    pub timestamp: Option<i64>,
}

/// Verifies sorted-parameter signatures, with freshness and replay checks on
/// the timestamp and nonce parameters. Thread-safe.
pub struct ParamsVerifier {
    profile: Profile,
    secret: Secret,
    freshness: Freshness,
}

impl fmt::Debug for ParamsVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ParamsVerifier")
            .field("profile", &self.profile)
            .field("secret", &self.secret)
            .field("freshness", &self.freshness)
            .finish()
    }
}

impl ParamsVerifier {
    /// A verifier for `profile` with the signing key `secret`. The config's
    /// `accept_wsse` is ignored.
    pub fn new(profile: Profile, secret: &str, config: VerifierConfig) -> Result<Self> {
        Ok(Self {
            profile,
            secret: Secret::new(secret)?,
            freshness: Freshness::new(&config),
        })
    }

    /// Verify a request's parameters (the signature among them) at `now`
    /// (Unix seconds). The timestamp parameter, when present, must be inside
    /// the window; the nonce parameter, when present, must not repeat.
    pub fn verify(&self, params: &[(&str, &str)], now: i64) -> Result<ParamsVerified> {
        let name = &self.profile.signature_name;
        let given = params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| *v)
            .ok_or_else(|| Error::new(ErrorKind::AuthMissing, format!("no {name:?} parameter")))?;
        let given = if given.contains('%') {
            decode(given).ok_or_else(|| {
                Error::new(
                    ErrorKind::AuthMalformed,
                    format!("{name} has a broken %-escape"),
                )
            })?
        } else {
            given.to_owned()
        };
        if B64.decode(&given).map(|b| b.len()) != Ok(20) {
            return Err(Error::new(
                ErrorKind::AuthMalformed,
                format!("{name} is not a Base64 HMAC-SHA1 value"),
            ));
        }
        let mut matched = None;
        for reading in self.profile.readings() {
            let expected = mac_b64(&reading, &self.secret, &string_to_sign(&reading, params)?)?;
            if bool::from(expected.as_bytes().ct_eq(given.as_bytes())) {
                matched = Some(reading);
                break;
            }
        }
        let profile = matched.ok_or_else(|| {
            Error::new(
                ErrorKind::AuthBadDigest,
                format!("{name} does not match (wrong key or altered parameters)"),
            )
        })?;
        let find = |n: &str| params.iter().find(|(k, _)| *k == n).map(|(_, v)| *v);
        let timestamp = match find(&self.profile.timestamp_name) {
            Some(ts) => Some(parse_created(ts).map_err(|e| {
                Error::new(
                    ErrorKind::AuthMalformed,
                    format!("timestamp: {}", e.message()),
                )
            })?),
            None => None,
        };
        if let Some(ts) = timestamp {
            match find(&self.profile.nonce_name) {
                Some(nonce) if !nonce.is_empty() => self.freshness.check(nonce, ts, now)?,
                // Without a nonce only the window can be checked.
                _ => self.freshness.check_window(ts, now)?,
            }
        }
        Ok(ParamsVerified { profile, timestamp })
    }

    /// Forget an accepted nonce so that a redelivery is accepted again.
    pub fn forget(&self, nonce: &str) {
        self.freshness.forget(nonce);
    }

    /// The profile this verifier was built with.
    #[must_use]
    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    /// The freshness window and replay cache.
    #[must_use]
    pub fn freshness(&self) -> &Freshness {
        &self.freshness
    }
}
