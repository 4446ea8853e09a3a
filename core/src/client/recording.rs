//! Recording download URL (PN §10; VoiceCall §1.9): ask the platform where
//! a call's recording can be fetched.
//!
//! | operation | method | idempotent | output |
//! |---|---|---|---|
//! | [`RecordingDownloadUrl`] | GET (query) | yes | [`RecordingUrl`] |
//!
//! The platform answers a successful request with a **redirect**: HTTP 301
//! and the download URL in the `Location` header, no result code. Turn
//! automatic redirects off in the HTTP client and hand the status and the
//! `Location` header to [`Operation::parse`]
//! ([`HttpResponse::location`]); privnum returns the URL and never follows
//! it. Whether the platform uses 301 or 302 is unconfirmed (VoiceCall §1.9),
//! so any 3xx carrying a `Location` is a success.
//!
//! Failures are ordinary answers with `resultcode`: a recording older than
//! seven days is "not found" (1016001, or 1012007;
//! [`ErrorKind::PlatformNotFound`]). A redirect without `Location`, or a
//! success code without one, is [`ErrorKind::ResponseInvalid`] naming
//! `Location`. A 2xx body that is not JSON most likely is the recording
//! itself (the HTTP client followed the redirect): the error says so.
//!
//! The URL is short-lived (its validity is unconfirmed: seven days or 30
//! minutes); fetch it again when a download fails rather than storing it.

use std::fmt;

use serde_json::Value;

use super::any::{Args, Obj};
use super::{Envelope, HttpResponse, Method, Operation, Prepared, mask_digit_runs};
use crate::error::{Error, ErrorKind, Result};
use crate::number::Field;

/// The path of the recording download URL operation.
pub const RECORDING_PATH: &str = "/rest/provision/voice/record/v1.0";

/// Ask for the download URL of a recording (PN §10): GET, idempotent.
///
/// Both values come from the CDR push of the recorded call
/// (`recordObjectName` and `recordDomain`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RecordingDownloadUrl {
    /// `fileName`: the CDR's `recordObjectName`. String(1-128).
    pub file_name: String,
    /// `recordDomain`: the CDR's `recordDomain`. String(1-128).
    pub record_domain: String,
}

impl RecordingDownloadUrl {
    /// The recording `file_name` stored under `record_domain`.
    #[must_use]
    pub fn new(file_name: impl Into<String>, record_domain: impl Into<String>) -> Self {
        Self {
            file_name: file_name.into(),
            record_domain: record_domain.into(),
        }
    }

    /// From the arguments of `recording.url` (see [`any`](super::any)).
    pub(crate) fn from_args(a: &mut Args) -> Result<Self> {
        Ok(Self::new(
            a.required_text("fileName")?,
            a.required_text("recordDomain")?,
        ))
    }
}

/// Where a recording can be downloaded: the `Location` of the platform's
/// redirect, exactly as received (surrounding spaces removed).
///
/// `Debug` shows the URL without its query string (which may carry a
/// signature or token) and with long digit runs masked; [`RecordingUrl::url`]
/// and `to_json` give it whole.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RecordingUrl {
    /// The download URL.
    pub url: String,
    /// The HTTP status of the redirect (301 as documented).
    pub http_status: u16,
}

impl RecordingUrl {
    /// The download URL.
    #[must_use]
    pub fn url(&self) -> &str {
        &self.url
    }

    /// JSON form (see [`any`](super::any)): `url` and `http_status`.
    #[must_use]
    pub fn to_json(&self) -> Value {
        Obj::new()
            .put("url", Some(self.url.clone()))
            .put("http_status", Some(self.http_status))
            .done()
    }
}

impl fmt::Debug for RecordingUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = match self.url.split_once(['?', '#']) {
            Some((head, _)) => format!("{}?<redacted>", mask_digit_runs(head)),
            None => mask_digit_runs(&self.url).into_owned(),
        };
        f.debug_struct("RecordingUrl")
            .field("url", &shown)
            .field("http_status", &self.http_status)
            .finish()
    }
}

fn bounded<'a>(value: &'a str, field: Field, wire: &'static str) -> Result<&'a str> {
    field.check(value).map_err(|e| e.with_field(wire))?;
    Ok(value)
}

/// [`ErrorKind::ResponseInvalid`] naming `Location`.
fn no_location(status: u16, what: &str) -> Error {
    Error::new(ErrorKind::ResponseInvalid, format!("HTTP {status}: {what}"))
        .with_field("Location")
        .with_http_status(status)
}

impl Operation for RecordingDownloadUrl {
    type Output = RecordingUrl;

    fn name(&self) -> &'static str {
        "recording.url"
    }

    /// True: asking again only gives a fresh URL.
    fn idempotent(&self) -> bool {
        true
    }

    fn prepare(&self) -> Result<Prepared> {
        let file_name = bounded(&self.file_name, Field::RecordFileName, "fileName")?;
        let domain = bounded(&self.record_domain, Field::RecordDomain, "recordDomain")?;
        Ok(Prepared {
            method: Method::Get,
            path: RECORDING_PATH,
            query: vec![
                ("fileName", file_name.to_owned()),
                ("recordDomain", domain.to_owned()),
            ],
            body: None,
        })
    }

    /// A 3xx with a non-empty `Location` is the URL (the body is ignored).
    /// A 3xx without it: the platform's error if the body holds one,
    /// otherwise [`ErrorKind::ResponseInvalid`] naming `Location`. Any other
    /// status is read as a platform answer: an error code is its typed
    /// error, and a success code without a redirect is
    /// [`ErrorKind::ResponseInvalid`] naming `Location`.
    fn parse(&self, resp: &HttpResponse<'_>) -> Result<RecordingUrl> {
        let status = resp.status;
        if (300..400).contains(&status) {
            let location = resp.location.map(str::trim).unwrap_or_default();
            if location.chars().any(char::is_control) {
                return Err(no_location(
                    status,
                    "the Location header holds control characters, not a URL",
                ));
            }
            if !location.is_empty() {
                return Ok(RecordingUrl {
                    url: location.to_owned(),
                    http_status: status,
                });
            }
            return match Envelope::parse(resp) {
                Err(e) if e.kind() != ErrorKind::ResponseInvalid => Err(e),
                _ => Err(no_location(
                    status,
                    "a redirect without a Location header (the download URL)",
                )),
            };
        }
        match Envelope::parse(resp) {
            Ok(_) => Err(no_location(
                status,
                "a success code without a redirect: the download URL comes as a 3xx \
                 with a Location header",
            )),
            Err(e)
                if e.kind() == ErrorKind::ResponseInvalid
                    && (200..300).contains(&status)
                    && looks_like_media(resp.body) =>
            {
                Err(Error::new(
                    ErrorKind::ResponseInvalid,
                    format!(
                        "HTTP {status}: the body ({} bytes) is not a platform answer; if it is \
                         the recording itself, the HTTP client followed the redirect: turn \
                         automatic redirects off and read Location",
                        resp.body.len()
                    ),
                )
                .with_http_status(status))
            }
            Err(e) => Err(e),
        }
    }
}

/// A non-empty body that does not start like JSON (audio bytes, say).
fn looks_like_media(body: &[u8]) -> bool {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    match body.iter().find(|b| !b.is_ascii_whitespace()) {
        None => false,
        Some(&b) => !matches!(b, b'{' | b'['),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op() -> RecordingDownloadUrl {
        RecordingDownloadUrl::new("19012309153712050118304.wav", "ostor.huawei.com")
    }

    fn resp<'a>(status: u16, location: Option<&'a str>, body: &'a [u8]) -> HttpResponse<'a> {
        HttpResponse {
            status,
            location,
            body,
        }
    }

    #[test]
    fn request_is_a_get_with_two_parameters() {
        let p = op().prepare().unwrap();
        assert_eq!(
            (p.method, p.path, p.body.as_deref()),
            (Method::Get, RECORDING_PATH, None)
        );
        assert_eq!(
            p.path_and_query(),
            "/rest/provision/voice/record/v1.0?fileName=19012309153712050118304.wav\
             &recordDomain=ostor.huawei.com"
        );
        assert!(op().idempotent());
        assert_eq!(op().name(), "recording.url");
        let p = RecordingDownloadUrl::new("a+b c.wav", "d")
            .prepare()
            .unwrap();
        assert!(p.path_and_query().contains("fileName=a%2Bb+c.wav"));
        for (f, d, field) in [
            ("", "d", "fileName"),
            ("f", "", "recordDomain"),
            (&"f".repeat(129)[..], "d", "fileName"),
            ("f", &"d".repeat(129)[..], "recordDomain"),
        ] {
            let e = RecordingDownloadUrl::new(f, d).prepare().unwrap_err();
            assert_eq!(
                (e.kind(), e.field()),
                (ErrorKind::FieldOutOfBounds, Some(field))
            );
        }
        assert!(
            RecordingDownloadUrl::new("f".repeat(128), "d".repeat(128))
                .prepare()
                .is_ok()
        );
    }

    #[test]
    fn redirect_gives_the_url_unfollowed() {
        let url = "https://obs.example/rec/19012309153712050118304.wav?AccessKeyId=AK&Signature=s%2B1&Expires=1700000000";
        for status in [301, 302, 307] {
            let out = op().parse(&resp(status, Some(url), b"")).unwrap();
            assert_eq!((out.url(), out.http_status), (url, status));
        }
        // The body of a redirect does not matter; spaces around are dropped.
        let out = op()
            .parse(&resp(
                301,
                Some(&format!("  {url} ")),
                b"<html>Moved</html>",
            ))
            .unwrap();
        assert_eq!(out.url, url);
        let text = format!("{out:?}");
        assert!(
            !text.contains("Signature") && !text.contains("AK"),
            "{text}"
        );
        assert!(text.contains(".wav?<redacted>"), "{text}");
        assert!(!text.contains("19012309153712050118304"), "{text}");
        assert_eq!(
            out.to_json(),
            serde_json::json!({"url": url, "http_status": 301})
        );
    }

    #[test]
    fn failures_are_typed() {
        // A redirect without Location.
        for loc in [None, Some(""), Some("   ")] {
            let e = op().parse(&resp(301, loc, b"")).unwrap_err();
            assert_eq!(
                (e.kind(), e.field(), e.http_status()),
                (ErrorKind::ResponseInvalid, Some("Location"), Some(301))
            );
        }
        let e = op().parse(&resp(301, Some("a\r\nb"), b"")).unwrap_err();
        assert_eq!(e.field(), Some("Location"));
        // ... but with an error answer in the body, that answer.
        let e = op()
            .parse(&resp(
                301,
                None,
                br#"{"resultcode":"1016001","resultdesc":"The record does not exist."}"#,
            ))
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::PlatformNotFound);
        // A 200 with an error answer.
        let e = op()
            .parse(&resp(
                200,
                None,
                br#"{"resultcode":"1012007","resultdesc":"The record does not exist."}"#,
            ))
            .unwrap_err();
        assert_eq!(
            (e.kind(), e.platform_code(), e.http_status()),
            (ErrorKind::PlatformNotFound, Some("1012007"), Some(200))
        );
        // A success code without a redirect.
        let e = op()
            .parse(&resp(200, Some("https://x"), br#"{"resultcode":"0"}"#))
            .unwrap_err();
        assert_eq!(
            (e.kind(), e.field()),
            (ErrorKind::ResponseInvalid, Some("Location"))
        );
        // The recording itself: the redirect was followed.
        let e = op()
            .parse(&resp(200, None, b"RIFF\x24\x00\x00\x00WAVEfmt "))
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::ResponseInvalid);
        assert!(e.message().contains("redirects off"), "{e}");
        // Empty or broken JSON: the envelope's own message.
        let e = op().parse(&resp(200, None, b"")).unwrap_err();
        assert!(e.message().contains("empty"), "{e}");
        let e = op().parse(&resp(502, None, b"Bad Gateway")).unwrap_err();
        assert!(e.message().contains("not JSON"), "{e}");
    }
}
