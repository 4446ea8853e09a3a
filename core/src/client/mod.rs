//! The platform API client, sans-IO: typed requests in, signed HTTP requests
//! out; HTTP responses in, typed results or typed errors out.
//!
//! ```text
//!  AxbBind { … } ──prepare()──▶ Prepared ──sign(signer, nonce, created)──▶ HttpRequest ──▶ your HTTP client
//!                  (validates,    method, path,    Content-Type, Authorization,              │
//!                   typed errors) query, body      X-AKSK; query encoded (+ → %2B)          │
//!                                                                                           ▼
//!  Ok(AxbBound) | Err(PLATFORM_* / RESPONSE_INVALID) ◀──parse()── HttpResponse { status, location, body }
//! ```
//!
//! The operations never open a connection, read a clock (except
//! [`sign_now`]) or sleep: an [`Operation`] builds a [`Prepared`] request, [`sign`] adds the
//! authentication headers, the caller sends the [`HttpRequest`] with any
//! HTTP client (the platform closes connections itself, so do not rely on
//! keep-alive), and hands the answer back as an [`HttpResponse`] to
//! [`Operation::parse`]. The modes' operations live in submodules
//! (one per mode: [`axb`], [`ax`], [`axe`], …); [`any`] builds any of
//! them by name from JSON arguments. Sending is separate:
//! [`retry::Client`] sends any operation through a [`transport::Transport`]
//! (the blocking [`transport::UreqTransport`] by default) and retries only
//! where that is safe.
//!
//! # Responses and errors
//!
//! Every answer is a JSON object with `resultcode` (a string, `"0"` on
//! success; a JSON number is tolerated) and `resultdesc` ([`Envelope`]).
//! A body that is not a JSON object, or has no `resultcode`, is
//! [`ErrorKind::ResponseInvalid`]. Any other code becomes an error whose kind
//! follows what the client should do about it
//! ([`ResultCode::action`], which needs the HTTP status to tell the two
//! meanings of 1010010 apart): see [`error_kind`]. The error carries the
//! `resultcode` ([`Error::platform_code`]), the HTTP status
//! ([`Error::http_status`]) and a message that says what the code means
//! followed by the platform's own `resultdesc` (control characters removed,
//! long digit runs such as phone numbers masked, at most 256 characters).
//!
//! # Retrying
//!
//! Sign every attempt again: a nonce and `Created` must never be reused.
//! [`Operation::idempotent`] says whether an attempt whose outcome is
//! unknown (a timeout, a lost connection, [`ErrorKind::PlatformRetry`]) may
//! simply be sent again. Unbind, modify and query may. A bind (POST) may
//! not: the first attempt may have created the binding, and a second one
//! would then fail with 1012010 or, worse, bind a second X. Settle it by
//! querying first (by X, A and B), and bind again only when nothing was
//! bound.
//!
//! # Example
//!
//! ```
//! use privnum::client::axb::AxbBind;
//! use privnum::client::{self, HttpResponse, Operation};
//! use privnum::{ErrorKind, Signer, number};
//!
//! let signer = Signer::new("a1d1f50cad21415fbdd13d8f53d36d60", "cfc881cc704c4fba8d8fef5788e03e6b")?;
//! let mut bind = AxbBind::new(number::parse("13800000001")?, number::parse("+86 139 0000 0002")?);
//! bind.duration = Some(86_400);
//! bind.record_flag = Some(false);
//!
//! // Build and sign (a fixed nonce and time here; `client::sign_now` in real use).
//! let request = client::sign(
//!     bind.prepare()?,
//!     &signer,
//!     "66C92B11FF8A425FB8D4CCFE0ED9ED1F",
//!     "2018-02-12T15:30:20Z",
//! )?;
//! assert_eq!(request.method().as_str(), "POST");
//! assert_eq!(
//!     request.url("https://platform.example/"),
//!     "https://platform.example/rest/caas/relationnumber/partners/v1.0"
//! );
//! assert_eq!(
//!     request.body(),
//!     Some(r#"{"callerNum":"+8613800000001","calleeNum":"+8613900000002","duration":86400,"recordFlag":"false"}"#)
//! );
//! assert!(request.header("X-AKSK").unwrap().contains(r#"PasswordDigest="qMO+SlJCBqpyYcBSyVkLNzXkk6yh2B+TA9kH8I2GG8Q=""#));
//!
//! // Send it with any HTTP client, then hand the answer back.
//! let body = br#"{"resultcode":"0","resultdesc":"Success","subscriptionId":"3f1c","relationNum":"+8617000000010"}"#;
//! let bound = bind.parse(&HttpResponse { status: 200, location: None, body })?;
//! assert_eq!(bound.subscription_id, "3f1c");
//! assert_eq!(bound.relation_num.and_then(|x| x.number()), Some(number::parse("+8617000000010")?));
//!
//! // A refusal is a typed error with the platform's code and HTTP status.
//! let body = br#"{"resultcode":"1012010","resultdesc":"The relation number has been bound."}"#;
//! let err = bind.parse(&HttpResponse { status: 200, location: None, body }).unwrap_err();
//! assert_eq!(err.kind(), ErrorKind::PlatformConflict);
//! assert_eq!((err.platform_code(), err.http_status()), (Some("1012010"), Some(200)));
//! assert!(err.message().ends_with("The relation number has been bound."));
//! # Ok::<(), privnum::Error>(())
//! ```

pub mod any;
pub mod ax;
pub mod axb;
pub mod axe;
pub mod axyb;
pub mod call;
pub mod recording;
pub mod retry;
pub mod sync;
pub mod transport;
pub mod voice;
mod wire;

use std::borrow::Cow;
use std::fmt;

use serde_json::{Map, Value};

use crate::callback::codes::{Action, ResultCode};
use crate::engine::model::Direction;
use crate::engine::rules::{self, Violation};
use crate::error::{Error, ErrorKind, Result};
use crate::number::{self, Number};
use crate::sign::{Scheme, Signer};

/// The `Content-Type` every request carries (PN §1), with or without a body.
pub const CONTENT_TYPE: &str = "application/json;charset=UTF-8";

/// The largest response body [`Envelope::parse`] reads; a larger one is
/// [`ErrorKind::ResponseInvalid`]. The platform's answers are a few
/// kilobytes (a query page of 100 bindings is far below this).
pub const MAX_RESPONSE_BODY: usize = 1 << 20;

/// Longest `resultdesc` kept in an error message, in characters (PN §1:
/// String(1-256)).
const MAX_DESC_CHARS: usize = 256;

// ---------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------

/// An HTTP method.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`: queries.
    Get,
    /// `POST`: binds.
    Post,
    /// `PUT`: modifications.
    Put,
    /// `DELETE`: unbinds.
    Delete,
}

impl Method {
    /// The method's name as sent on the request line (`"GET"`, …).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Delete => "DELETE",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What an [`Operation`] produces before signing: method, path, query and
/// body, already validated.
///
/// The body is JSON text with the fields in the order the specification's
/// tables list them, absent optional fields left out. `Debug` shows query
/// values with long digit runs masked and only the body's length.
#[derive(Clone, PartialEq, Eq)]
pub struct Prepared {
    /// The HTTP method.
    pub method: Method,
    /// The path, e.g. `/rest/caas/relationnumber/partners/v1.0`.
    pub path: &'static str,
    /// Query parameters in order, unencoded (`("relationNum", "+8617000000010")`).
    pub query: Vec<(&'static str, String)>,
    /// The JSON body, if the method has one.
    pub body: Option<String>,
}

impl Prepared {
    /// The path followed by the query, form-encoded: a `+` is sent as `%2B`
    /// (a raw `+` would decode as a space on the platform, PN §1).
    #[must_use]
    pub fn path_and_query(&self) -> String {
        if self.query.is_empty() {
            return self.path.to_owned();
        }
        let mut out = String::with_capacity(self.path.len() + 64);
        out.push_str(self.path);
        out.push('?');
        form_urlencoded::Serializer::for_suffix(out, self.path.len() + 1)
            .extend_pairs(self.query.iter().map(|(k, v)| (*k, v.as_str())))
            .finish()
    }
}

impl fmt::Debug for Prepared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let query: Vec<_> = self
            .query
            .iter()
            .map(|(k, v)| (*k, mask_digit_runs(v)))
            .collect();
        f.debug_struct("Prepared")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &query)
            .field("body_len", &self.body.as_ref().map(String::len))
            .finish()
    }
}

/// A signed request, ready to send: method, path and query, headers and
/// body.
///
/// Its `Debug` never shows the `X-AKSK` value (digest, nonce) nor the body
/// (which holds phone numbers): it shows the header names, the body's length
/// and the path and query with long digit runs masked.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    method: Method,
    path_and_query: String,
    headers: Vec<(&'static str, String)>,
    body: Option<String>,
}

impl HttpRequest {
    /// The HTTP method.
    #[must_use]
    pub fn method(&self) -> Method {
        self.method
    }

    /// The path and the encoded query (`/rest/…/v1.0?relationNum=%2B86…`).
    #[must_use]
    pub fn path_and_query(&self) -> &str {
        &self.path_and_query
    }

    /// The headers in order: `Content-Type`, `Authorization`, `X-AKSK`.
    #[must_use]
    pub fn headers(&self) -> &[(&'static str, String)] {
        &self.headers
    }

    /// The value of the header `name` (compared case-insensitively).
    #[must_use]
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The JSON body, if any (POST and PUT).
    #[must_use]
    pub fn body(&self) -> Option<&str> {
        self.body.as_deref()
    }

    /// The full URL: `base_url` (the application's access address, e.g.
    /// `https://host:port`, with or without a trailing `/`) followed by the
    /// path and query, with exactly one `/` between them.
    #[must_use]
    pub fn url(&self, base_url: &str) -> String {
        let base = base_url.trim_end_matches('/');
        let mut out = String::with_capacity(base.len() + self.path_and_query.len());
        out.push_str(base);
        out.push_str(&self.path_and_query);
        out
    }
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(n, v)| {
                if n.eq_ignore_ascii_case(Scheme::Aksk.header_name()) {
                    (*n, "<redacted>")
                } else {
                    (*n, v.as_str())
                }
            })
            .collect();
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("path_and_query", &mask_digit_runs(&self.path_and_query))
            .field("headers", &headers)
            .field("body_len", &self.body.as_ref().map(String::len))
            .finish()
    }
}

/// Sign `prepared` with a given nonce (1–128 ASCII letters and digits) and
/// `Created` time (`yyyy-MM-ddTHH:mm:ssZ`, UTC): deterministic, for tests
/// and for callers that bring their own randomness and clock.
///
/// Fails with [`ErrorKind::InvalidNonce`] or [`ErrorKind::InvalidCreated`].
pub fn sign(
    prepared: Prepared,
    signer: &Signer,
    nonce: &str,
    created: &str,
) -> Result<HttpRequest> {
    let auth = signer.sign(Scheme::Aksk, nonce, created)?;
    Ok(assemble(prepared, auth.pairs()))
}

/// Sign `prepared` at `unix_time` (seconds) with a fresh random nonce.
pub fn sign_at(prepared: Prepared, signer: &Signer, unix_time: i64) -> Result<HttpRequest> {
    let auth = signer.sign_at(Scheme::Aksk, unix_time)?;
    Ok(assemble(prepared, auth.pairs()))
}

/// Sign `prepared` now (system clock) with a fresh random nonce: what every
/// attempt, retries included, should use.
pub fn sign_now(prepared: Prepared, signer: &Signer) -> Result<HttpRequest> {
    let auth = signer.sign_now(Scheme::Aksk)?;
    Ok(assemble(prepared, auth.pairs()))
}

fn assemble(prepared: Prepared, auth: [(&'static str, &str); 2]) -> HttpRequest {
    let path_and_query = prepared.path_and_query();
    let mut headers = Vec::with_capacity(3);
    headers.push(("Content-Type", CONTENT_TYPE.to_owned()));
    headers.extend(auth.iter().map(|(n, v)| (*n, (*v).to_owned())));
    HttpRequest {
        method: prepared.method,
        path_and_query,
        headers,
        body: prepared.body,
    }
}

// ---------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------

/// A response as received: status, `Location` header (if any) and body.
/// Borrowed, so handing it to [`Operation::parse`] copies nothing.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct HttpResponse<'a> {
    /// The HTTP status code.
    pub status: u16,
    /// The `Location` header, if the response had one (recording downloads
    /// answer 301 with it).
    pub location: Option<&'a str>,
    /// The body.
    pub body: &'a [u8],
}

impl fmt::Debug for HttpResponse<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("has_location", &self.location.is_some())
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// One operation of the platform API: a typed request that validates and
/// builds itself ([`Operation::prepare`]) and reads its answer
/// ([`Operation::parse`]).
pub trait Operation {
    /// What a successful answer gives.
    type Output;

    /// A short stable name (`"axb.bind"`), for logs and metrics.
    fn name(&self) -> &'static str;

    /// Whether an attempt whose outcome is unknown (timeout, lost
    /// connection, [`ErrorKind::PlatformRetry`]) may be sent again as it is
    /// (signed afresh): true for queries, unbinds and modifications; false
    /// for binds (POST), which must be settled by a query instead, because
    /// the lost attempt may have bound.
    fn idempotent(&self) -> bool;

    /// Validate the request and build it. Errors name the wire field at
    /// fault ([`Error::field`]); nothing panics on bad input.
    fn prepare(&self) -> Result<Prepared>;

    /// Read the platform's answer: the typed output on `resultcode` `"0"`,
    /// otherwise a `PLATFORM_*` error or [`ErrorKind::ResponseInvalid`]
    /// (see [`Envelope::parse`]).
    fn parse(&self, resp: &HttpResponse<'_>) -> Result<Self::Output>;
}

/// The error kind for what the client should do about a result code:
/// `None` for [`Action::Success`].
///
/// | action | kind |
/// |---|---|
/// | retry | [`ErrorKind::PlatformRetry`] |
/// | back off | [`ErrorKind::PlatformThrottled`] |
/// | fix input | [`ErrorKind::PlatformInvalidRequest`] |
/// | fix auth | [`ErrorKind::PlatformAuth`] |
/// | fix clock | [`ErrorKind::PlatformClockSkew`] |
/// | conflict | [`ErrorKind::PlatformConflict`] |
/// | not found | [`ErrorKind::PlatformNotFound`] |
/// | exhausted | [`ErrorKind::PlatformExhausted`] |
/// | forbidden | [`ErrorKind::PlatformForbidden`] |
/// | unknown | [`ErrorKind::PlatformUnknown`] |
#[must_use]
pub const fn error_kind(action: Action) -> Option<ErrorKind> {
    Some(match action {
        Action::Success => return None,
        Action::Retry => ErrorKind::PlatformRetry,
        Action::BackOff => ErrorKind::PlatformThrottled,
        Action::FixInput => ErrorKind::PlatformInvalidRequest,
        Action::FixAuth => ErrorKind::PlatformAuth,
        Action::FixClock => ErrorKind::PlatformClockSkew,
        Action::Conflict => ErrorKind::PlatformConflict,
        Action::NotFound => ErrorKind::PlatformNotFound,
        Action::Exhausted => ErrorKind::PlatformExhausted,
        Action::Forbidden => ErrorKind::PlatformForbidden,
        Action::Unknown => ErrorKind::PlatformUnknown,
    })
}

/// A successful answer (`resultcode` `"0"`): its HTTP status, `resultdesc`
/// and every other field, for the operation to read.
///
/// `Debug` lists only the field names (values may hold phone numbers).
#[derive(Clone, PartialEq)]
pub struct Envelope {
    http_status: u16,
    result_desc: Option<String>,
    fields: Map<String, Value>,
}

impl Envelope {
    /// Read the common envelope of an answer.
    ///
    /// * A body that is larger than [`MAX_RESPONSE_BODY`], not a JSON object,
    ///   or has no usable `resultcode` (absent, not a string or integer, not
    ///   1–32 visible ASCII characters) is [`ErrorKind::ResponseInvalid`].
    /// * `resultcode` `"0"` (or the JSON number `0`) is success, whatever the
    ///   HTTP status.
    /// * Any other code is an error of the kind [`error_kind`] gives for
    ///   [`ResultCode::action`] at this HTTP status, with the code, the
    ///   status and a message: what the code means, then the platform's
    ///   `resultdesc`.
    ///
    /// Every error carries the HTTP status ([`Error::http_status`]).
    pub fn parse(resp: &HttpResponse<'_>) -> Result<Self> {
        let status = resp.status;
        let invalid = |what: &str| {
            Error::new(
                ErrorKind::ResponseInvalid,
                format!("HTTP {status}: {what}{}", status_hint(status)),
            )
            .with_http_status(status)
        };
        if resp.body.len() > MAX_RESPONSE_BODY {
            return Err(invalid(&format!(
                "the body has {} bytes, more than the {MAX_RESPONSE_BODY} privnum reads",
                resp.body.len()
            )));
        }
        let body = resp.body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(resp.body);
        let mut fields = match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(map)) => map,
            Ok(other) => {
                return Err(invalid(&format!(
                    "the body is JSON but not an object (a {})",
                    json_type(&other)
                )));
            }
            Err(_) if body.iter().all(u8::is_ascii_whitespace) => {
                return Err(invalid("the body is empty, not a JSON answer"));
            }
            Err(e) => return Err(invalid(&format!("the body is not JSON ({e})"))),
        };
        let code = match fields.remove("resultcode") {
            None | Some(Value::Null) => return Err(invalid("the answer has no resultcode")),
            Some(Value::String(s)) => s.trim().to_owned(),
            Some(Value::Number(n)) if n.is_u64() || n.is_i64() => n.to_string(),
            Some(other) => {
                return Err(invalid(&format!(
                    "resultcode is a JSON {}, not a string",
                    json_type(&other)
                )));
            }
        };
        if code.is_empty() || code.len() > 32 || !code.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(invalid(
                "resultcode is not a code (1-32 visible ASCII characters)",
            ));
        }
        let result_desc = match fields.remove("resultdesc") {
            Some(Value::String(s)) => Some(s),
            _ => None,
        };
        let rc = ResultCode::from(code);
        match error_kind(rc.action(Some(status))) {
            None => Ok(Self {
                http_status: status,
                result_desc,
                fields,
            }),
            Some(kind) => Err(platform_error(kind, &rc, status, result_desc.as_deref())),
        }
    }

    /// The HTTP status of the answer.
    #[must_use]
    pub fn http_status(&self) -> u16 {
        self.http_status
    }

    /// The platform's `resultdesc`, as received (usually `"Success"`).
    #[must_use]
    pub fn result_desc(&self) -> Option<&str> {
        self.result_desc.as_deref()
    }

    /// The field `name` of the answer (not `resultcode` nor `resultdesc`).
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.fields.get(name)
    }

    /// Every field of the answer except `resultcode` and `resultdesc`.
    #[must_use]
    pub fn fields(&self) -> &Map<String, Value> {
        &self.fields
    }

    /// The field `name` as non-empty text (a JSON string, or an integer
    /// written in decimal), or [`ErrorKind::ResponseInvalid`] naming it: for
    /// fields a success must have.
    pub fn required_text(&self, name: &'static str) -> Result<String> {
        self.get(name).and_then(lenient_text).ok_or_else(|| {
            Error::new(
                ErrorKind::ResponseInvalid,
                format!(
                    "HTTP {}: the success answer has no {name} (or it is not text)",
                    self.http_status
                ),
            )
            .with_field(name)
            .with_http_status(self.http_status)
        })
    }
}

impl fmt::Debug for Envelope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Envelope")
            .field("http_status", &self.http_status)
            .field(
                "result_desc",
                &self.result_desc.as_deref().map(mask_digit_runs),
            )
            .field("fields", &self.fields.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// The error for a non-success `resultcode`.
fn platform_error(kind: ErrorKind, rc: &ResultCode, status: u16, desc: Option<&str>) -> Error {
    let meaning = rc
        .describe(Some(status))
        .unwrap_or("a result code privnum does not know");
    // A real code has seven digits; a longer digit run is masked like a
    // phone number (the code itself stays whole in `platform_code`).
    let mut message = format!(
        "{meaning} (resultcode {}, HTTP {status})",
        mask_digit_runs(rc.as_str())
    );
    if let Some(desc) = desc.map(clean_desc).filter(|d| !d.is_empty()) {
        message.push_str(": ");
        message.push_str(&desc);
    }
    Error::new(kind, message)
        .with_platform_code(rc.as_str().to_owned())
        .with_http_status(status)
}

/// A hint for an unreadable answer, from its HTTP status.
fn status_hint(status: u16) -> &'static str {
    match status {
        404 => " (404 usually means a wrong base URL or path)",
        500..=599 => " (a server error without a platform answer, e.g. from a gateway)",
        _ => "",
    }
}

/// The name of a JSON value's type, for messages (`"a JSON {}"`).
pub(crate) fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// The platform's `resultdesc`, safe for an error message: at most
/// [`MAX_DESC_CHARS`] characters, control characters as spaces, digit runs
/// that may be phone numbers masked.
fn clean_desc(desc: &str) -> String {
    let mut short: String = desc
        .trim()
        .chars()
        .take(MAX_DESC_CHARS)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if desc.trim().chars().nth(MAX_DESC_CHARS).is_some() {
        short.push('…');
    }
    mask_digit_runs(&short).into_owned()
}

/// Mask runs of nine or more ASCII digits (phone numbers, in any format
/// without separators), keeping the first three and the last four digits:
/// `+8613800000021` → `+861******0021`. Result codes (seven digits) stay.
pub(crate) fn mask_digit_runs(text: &str) -> Cow<'_, str> {
    const MIN_RUN: usize = 9;
    let bytes = text.as_bytes();
    let mut longest = 0;
    let mut run = 0;
    for &b in bytes {
        run = if b.is_ascii_digit() { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    if longest < MIN_RUN {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        let len = i - start;
        if len >= MIN_RUN {
            out.push_str(&text[start..start + 3]);
            out.extend(std::iter::repeat_n('*', len - 7));
            out.push_str(&text[i - 4..i]);
        } else {
            out.push_str(&text[start..i]);
        }
        // Copy up to the next digit (whole characters: digits are ASCII).
        let next = text[i..]
            .find(|c: char| c.is_ascii_digit())
            .map_or(text.len(), |k| i + k);
        out.push_str(&text[i..next]);
        i = next;
    }
    Cow::Owned(out)
}

// ---------------------------------------------------------------------------
// Values of answers, read tolerantly
// ---------------------------------------------------------------------------

/// A phone number as the platform reported it: parsed when it parses,
/// otherwise the text as received.
///
/// `Debug` and `Display` are masked either way.
#[derive(Clone, PartialEq, Eq, Hash)]
pub enum WireNumber {
    /// The text parsed as a number (global format expected; parsed as
    /// [`number::parse`] does).
    Parsed(Number),
    /// Text that does not parse as a number, kept as received.
    Raw(String),
}

impl WireNumber {
    /// Parse reported text; never fails.
    #[must_use]
    pub fn parse(text: &str) -> Self {
        number::parse(text).map_or_else(|_| Self::Raw(text.to_owned()), Self::Parsed)
    }

    /// From a JSON value: a non-empty string (or an integer, as its decimal
    /// digits); `None` for anything else.
    #[must_use]
    pub fn from_json(v: &Value) -> Option<Self> {
        lenient_text(v).map(|t| Self::parse(&t))
    }

    /// The number, if the text parsed.
    #[must_use]
    pub fn number(&self) -> Option<Number> {
        match self {
            Self::Parsed(n) => Some(*n),
            Self::Raw(_) => None,
        }
    }

    /// The text as received, if it did not parse.
    #[must_use]
    pub fn raw(&self) -> Option<&str> {
        match self {
            Self::Parsed(_) => None,
            Self::Raw(s) => Some(s),
        }
    }
}

impl fmt::Debug for WireNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Parsed(n) => write!(f, "Parsed({n:?})"),
            Self::Raw(s) => write!(f, "Raw({:?})", mask_digit_runs(s)),
        }
    }
}

impl fmt::Display for WireNumber {
    /// The masked number, or the masked raw text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Parsed(n) => fmt::Display::fmt(n, f),
            Self::Raw(s) => f.write_str(&mask_digit_runs(s)),
        }
    }
}

/// Text of a JSON value: a non-empty string, or an integer in decimal.
pub(crate) fn lenient_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) if n.is_u64() || n.is_i64() => Some(n.to_string()),
        _ => None,
    }
}

/// A non-negative integer: a JSON integer, or a string of ASCII digits.
pub(crate) fn lenient_u64(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
            s.parse().ok()
        }
        _ => None,
    }
}

/// A boolean: JSON `true`/`false`, the strings `"true"`/`"false"` (any
/// case), or 0/1 as a number or string (CDR style).
pub(crate) fn lenient_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") || s == "1" => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") || s == "0" => Some(false),
        Value::Number(n) => match n.as_u64() {
            Some(0) => Some(false),
            Some(1) => Some(true),
            _ => None,
        },
        _ => None,
    }
}

/// `callDirection` read tolerantly: 0, 1 or 2 as a number or string.
pub(crate) fn lenient_direction(v: &Value) -> Option<Direction> {
    lenient_u64(v)
        .and_then(|n| u32::try_from(n).ok())
        .and_then(Direction::from_code)
}

// ---------------------------------------------------------------------------
// Input helpers shared by the operations and the bindings
// ---------------------------------------------------------------------------

/// Parse what a person typed for the number field `field` (wire name, e.g.
/// `"calleeNum"`), as [`number::parse`] does; a failure keeps its kind
/// (`NUMBER_*`) and names the field.
pub fn parse_field_number(input: &str, field: &'static str) -> Result<Number> {
    number::parse(input).map_err(|e| e.with_field(field))
}

/// `callDirection` from its wire value (0 both ways, 1 A→B only, 2 B→A
/// only); another value is a [`ErrorKind::RuleViolation`] with platform code
/// 1010002 naming `callDirection`, as the platform would answer.
pub fn direction_from_code(code: u32) -> Result<Direction> {
    rules::check_call_direction(code).map_err(Error::from)?;
    Direction::from_code(code).ok_or_else(|| {
        Error::from(Violation::invalid(
            "callDirection",
            format!("callDirection must be 0, 1 or 2, got {code}"),
        ))
    })
}

/// [`ErrorKind::InvalidArgument`] naming the wire field `field`.
pub(crate) fn invalid_field(field: &'static str, message: impl Into<Cow<'static, str>>) -> Error {
    Error::new(ErrorKind::InvalidArgument, message).with_field(field)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "a1d1f50cad21415fbdd13d8f53d36d60";
    const SECRET: &str = "cfc881cc704c4fba8d8fef5788e03e6b";
    const NONCE: &str = "66C92B11FF8A425FB8D4CCFE0ED9ED1F";
    const CREATED: &str = "2018-02-12T15:30:20Z";

    fn resp(status: u16, body: &str) -> HttpResponse<'_> {
        HttpResponse {
            status,
            location: None,
            body: body.as_bytes(),
        }
    }

    fn prepared(query: &[(&'static str, &str)], body: Option<&str>) -> Prepared {
        Prepared {
            method: if body.is_some() {
                Method::Post
            } else {
                Method::Get
            },
            path: "/rest/caas/relationnumber/partners/v1.0",
            query: query.iter().map(|(k, v)| (*k, (*v).to_owned())).collect(),
            body: body.map(str::to_owned),
        }
    }

    #[test]
    fn query_encoding_escapes_plus_and_reserved_characters() {
        let p = prepared(
            &[
                ("relationNum", "+8617000000010"),
                ("subscriptionId", "a b&c=d/é"),
                ("pageIndex", "1"),
            ],
            None,
        );
        assert_eq!(
            p.path_and_query(),
            "/rest/caas/relationnumber/partners/v1.0?relationNum=%2B8617000000010\
             &subscriptionId=a+b%26c%3Dd%2F%C3%A9&pageIndex=1"
        );
        // The number form privnum uses elsewhere for queries agrees.
        let x = number::parse("+8617000000010").unwrap();
        assert!(p.path_and_query().contains(x.query().as_str()));
        // No query: no '?'.
        assert_eq!(
            prepared(&[], None).path_and_query(),
            "/rest/caas/relationnumber/partners/v1.0"
        );
    }

    #[test]
    fn signed_request_has_the_three_headers_and_joins_urls() {
        let signer = Signer::new(KEY, SECRET).unwrap();
        let req = sign(
            prepared(&[("relationNum", "+8617000000010")], None),
            &signer,
            NONCE,
            CREATED,
        )
        .unwrap();
        let names: Vec<_> = req.headers().iter().map(|(n, _)| *n).collect();
        assert_eq!(names, ["Content-Type", "Authorization", "X-AKSK"]);
        assert_eq!(req.header("content-type"), Some(CONTENT_TYPE));
        assert_eq!(
            req.header("Authorization"),
            Some(r#"AKSK realm="SDP",profile="UsernameToken",type="Appkey""#)
        );
        assert_eq!(
            req.header("x-aksk"),
            Some(
                r#"UsernameToken Username="a1d1f50cad21415fbdd13d8f53d36d60", PasswordDigest="qMO+SlJCBqpyYcBSyVkLNzXkk6yh2B+TA9kH8I2GG8Q=", Nonce="66C92B11FF8A425FB8D4CCFE0ED9ED1F", Created="2018-02-12T15:30:20Z""#
            )
        );
        for base in [
            "https://h.example:443",
            "https://h.example:443/",
            "https://h.example:443//",
        ] {
            assert_eq!(
                req.url(base),
                "https://h.example:443/rest/caas/relationnumber/partners/v1.0?relationNum=%2B8617000000010"
            );
        }
        assert_eq!(req.body(), None);
        // Bad nonce or time: typed errors.
        let p = prepared(&[], None);
        let e = sign(p.clone(), &signer, "no-dashes", CREATED).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidNonce);
        let e = sign(p.clone(), &signer, NONCE, "2018-02-12 15:30:20").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidCreated);
        // Fresh nonces: two signatures of the same request differ.
        let a = sign_at(p.clone(), &signer, 1_700_000_000).unwrap();
        let b = sign_at(p.clone(), &signer, 1_700_000_000).unwrap();
        assert_ne!(a.header("X-AKSK"), b.header("X-AKSK"));
        assert!(sign_now(p, &signer).is_ok());
    }

    #[test]
    fn debug_output_redacts_credentials_numbers_and_bodies() {
        let signer = Signer::new(KEY, SECRET).unwrap();
        let body = r#"{"callerNum":"+8613800000001","calleeNum":"+8613900000002"}"#;
        let p = prepared(&[("relationNum", "+8617000000010")], Some(body));
        let req = sign(p.clone(), &signer, NONCE, CREATED).unwrap();
        let digest = "qMO+SlJCBqpyYcBSyVkLNzXkk6yh2B+TA9kH8I2GG8Q=";
        for text in [format!("{req:?}"), format!("{p:?}")] {
            for secret in [
                SECRET,
                digest,
                NONCE,
                "8613800000001",
                "8613900000002",
                "8617000000010",
                "callerNum",
            ] {
                assert!(!text.contains(secret), "{secret} leaked: {text}");
            }
            assert!(
                text.contains(&format!("body_len: Some({})", body.len())),
                "{text}"
            );
            assert!(text.contains("861******0010"), "{text}");
        }
        let text = format!("{req:?}");
        assert!(
            text.contains("<redacted>") && text.contains("Authorization"),
            "{text}"
        );
        let r = resp(200, body);
        let text = format!("{r:?}");
        assert!(
            !text.contains("8613800000001") && text.contains("body_len"),
            "{text}"
        );
        let w = WireNumber::Raw("+8613800000001x".into());
        assert!(!format!("{w:?}{w}").contains("8613800000001"));
        let w = WireNumber::parse("+8613800000001");
        assert_eq!(format!("{w}"), "+86138****0001");
    }

    #[test]
    fn masking_digit_runs() {
        assert_eq!(mask_digit_runs("1012010 is short"), "1012010 is short");
        assert_eq!(mask_digit_runs("+8613800000021"), "+861******0021");
        assert_eq!(mask_digit_runs("a123456789b"), "a123**6789b");
        assert_eq!(
            mask_digit_runs("callerNum 13800000021 é 075528000002"),
            "callerNum 138****0021 é 075*****0002"
        );
        assert!(matches!(mask_digit_runs("no digits"), Cow::Borrowed(_)));
    }

    #[test]
    fn envelope_success_and_tolerated_shapes() {
        let e = Envelope::parse(&resp(
            200,
            r#"{"resultcode":"0","resultdesc":"Success","subscriptionId":"s1","n":7}"#,
        ))
        .unwrap();
        assert_eq!(e.http_status(), 200);
        assert_eq!(e.result_desc(), Some("Success"));
        assert_eq!(e.required_text("subscriptionId").unwrap(), "s1");
        assert_eq!(e.required_text("n").unwrap(), "7");
        assert!(e.get("resultcode").is_none());
        assert_eq!(format!("{e:?}").matches("s1").count(), 0);
        let missing = e.required_text("relationNum").unwrap_err();
        assert_eq!(missing.kind(), ErrorKind::ResponseInvalid);
        assert_eq!(missing.field(), Some("relationNum"));
        assert_eq!(missing.http_status(), Some(200));
        // resultcode as a JSON number, with spaces, with a BOM, no resultdesc.
        for body in [
            r#"{"resultcode":0}"#,
            r#"{"resultcode":" 0 "}"#,
            "\u{feff}{\"resultcode\":\"0\"}",
        ] {
            let e = Envelope::parse(&resp(200, body)).unwrap();
            assert_eq!(e.result_desc(), None, "{body}");
        }
        // Success is the code, not the status.
        assert!(Envelope::parse(&resp(201, r#"{"resultcode":"0"}"#)).is_ok());
    }

    #[test]
    fn envelope_unreadable_bodies() {
        let cases: &[(u16, &[u8], &str)] = &[
            (200, b"", "empty"),
            (200, b"  \n", "empty"),
            (502, b"<html>Bad Gateway</html>", "not JSON"),
            (404, b"Not Found", "wrong base URL"),
            (200, b"[1,2]", "not an object (a array)"),
            (200, b"\"0\"", "not an object (a string)"),
            (200, br#"{"resultdesc":"Success"}"#, "no resultcode"),
            (200, br#"{"resultcode":null}"#, "no resultcode"),
            (200, br#"{"resultcode":true}"#, "JSON boolean"),
            (200, br#"{"resultcode":1.5}"#, "JSON number"),
            (200, br#"{"resultcode":""}"#, "not a code"),
            (200, br#"{"resultcode":"10 10"}"#, "not a code"),
            (200, b"{\"resultcode\":\"0\"", "not JSON"),
            (200, b"{\"resultcode\":\"\xff\"}", "not JSON"),
        ];
        for &(status, body, needle) in cases {
            let r = HttpResponse {
                status,
                location: None,
                body,
            };
            let e = Envelope::parse(&r).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::ResponseInvalid, "{body:?}");
            assert_eq!(e.http_status(), Some(status));
            assert_eq!(e.platform_code(), None);
            assert!(e.message().contains(needle), "{needle}: {}", e.message());
        }
        let big = vec![b' '; MAX_RESPONSE_BODY + 1];
        let r = HttpResponse {
            status: 200,
            location: None,
            body: &big,
        };
        assert_eq!(
            Envelope::parse(&r).unwrap_err().kind(),
            ErrorKind::ResponseInvalid
        );
    }

    #[test]
    fn envelope_platform_codes_map_to_actions() {
        let cases = [
            (200, "1012010", ErrorKind::PlatformConflict),
            (400, "1012010", ErrorKind::PlatformConflict),
            (401, "1010010", ErrorKind::PlatformAuth),
            (200, "1010010", ErrorKind::PlatformThrottled),
            (429, "1010010", ErrorKind::PlatformThrottled),
            (401, "1010013", ErrorKind::PlatformClockSkew),
            (403, "1010002", ErrorKind::PlatformInvalidRequest),
            (500, "1010001", ErrorKind::PlatformRetry),
            (500, "1023002", ErrorKind::PlatformRetry),
            (200, "1016001", ErrorKind::PlatformNotFound),
            (200, "1012008", ErrorKind::PlatformExhausted),
            (200, "1012102", ErrorKind::PlatformForbidden),
            (200, "9999999", ErrorKind::PlatformUnknown),
            (200, "E_OOPS", ErrorKind::PlatformUnknown),
        ];
        for (status, code, kind) in cases {
            let body = format!(r#"{{"resultcode":"{code}","resultdesc":"desc {code}"}}"#);
            let e = Envelope::parse(&resp(status, &body)).unwrap_err();
            assert_eq!(e.kind(), kind, "{code} at {status}");
            assert_eq!(e.platform_code(), Some(code));
            assert_eq!(e.http_status(), Some(status));
            assert!(
                e.message()
                    .contains(&format!("resultcode {code}, HTTP {status}"))
            );
            assert!(
                e.message().ends_with(&format!(": desc {code}")),
                "{}",
                e.message()
            );
        }
        // A numeric code, what it means first, the platform's words after.
        let e = Envelope::parse(&resp(
            401,
            r#"{"resultcode":1010010,"resultdesc":"Invalid digest."}"#,
        ))
        .unwrap_err();
        assert_eq!(e.platform_code(), Some("1010010"));
        assert_eq!(
            e.message(),
            "invalid digest (signature does not match) (resultcode 1010010, HTTP 401): Invalid digest."
        );
        // A description with a number and control characters, too long.
        let long = format!("callee 8613900000002\r\nbad{}", "x".repeat(400));
        let body = serde_json::json!({"resultcode": "1010002", "resultdesc": long}).to_string();
        let e = Envelope::parse(&resp(403, &body)).unwrap_err();
        assert!(!e.message().contains("8613900000002"), "{}", e.message());
        assert!(!e.message().contains('\n'));
        assert!(e.message().ends_with('…'));
        assert!(e.message().chars().count() < 400);
        // A code as long as a phone number is masked in the message only.
        let e = Envelope::parse(&resp(403, r#"{"resultcode":"13800000021"}"#)).unwrap_err();
        assert_eq!(e.platform_code(), Some("13800000021"));
        assert!(
            e.message().contains("resultcode 138****0021,"),
            "{}",
            e.message()
        );
        // No (or a non-string) description: the meaning alone.
        let e =
            Envelope::parse(&resp(200, r#"{"resultcode":"1012010","resultdesc":42}"#)).unwrap_err();
        assert_eq!(
            e.message(),
            "relation number already bound (resultcode 1012010, HTTP 200)"
        );
    }

    #[test]
    fn every_action_but_success_has_a_platform_kind() {
        for &a in Action::ALL {
            match error_kind(a) {
                None => assert_eq!(a, Action::Success),
                Some(k) => assert!((500..510).contains(&k.code()), "{a}"),
            }
        }
        let kinds: std::collections::HashSet<_> =
            Action::ALL.iter().filter_map(|&a| error_kind(a)).collect();
        assert_eq!(kinds.len(), Action::ALL.len() - 1);
    }

    #[test]
    fn lenient_values() {
        use serde_json::json;
        assert_eq!(lenient_u64(&json!(5)), Some(5));
        assert_eq!(lenient_u64(&json!("86400")), Some(86_400));
        assert_eq!(lenient_u64(&json!(-1)), None);
        assert_eq!(lenient_u64(&json!("1e3")), None);
        assert_eq!(lenient_u64(&json!("")), None);
        assert_eq!(lenient_u64(&json!(1.5)), None);
        assert_eq!(lenient_bool(&json!("true")), Some(true));
        assert_eq!(lenient_bool(&json!("FALSE")), Some(false));
        assert_eq!(lenient_bool(&json!(1)), Some(true));
        assert_eq!(lenient_bool(&json!("0")), Some(false));
        assert_eq!(lenient_bool(&json!(2)), None);
        assert_eq!(lenient_bool(&json!("yes")), None);
        assert_eq!(lenient_direction(&json!("2")), Some(Direction::BToA));
        assert_eq!(lenient_direction(&json!(3)), None);
        assert_eq!(lenient_text(&json!("")), None);
        assert_eq!(lenient_text(&json!(12)).as_deref(), Some("12"));
        assert_eq!(lenient_text(&json!(null)), None);
        assert_eq!(
            WireNumber::from_json(&json!("+8617000000010")).and_then(|w| w.number()),
            number::parse("+8617000000010").ok()
        );
        assert_eq!(
            WireNumber::from_json(&json!("x-17"))
                .as_ref()
                .and_then(WireNumber::raw),
            Some("x-17")
        );
        assert_eq!(WireNumber::from_json(&json!([])), None);
    }

    #[test]
    fn input_helpers_name_the_field() {
        let e = parse_field_number("138-abc", "calleeNum").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NumberInvalidCharacter);
        assert_eq!(e.field(), Some("calleeNum"));
        assert_eq!(direction_from_code(1).unwrap(), Direction::AToB);
        let e = direction_from_code(3).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::RuleViolation);
        assert_eq!(
            (e.platform_code(), e.field()),
            (Some("1010002"), Some("callDirection"))
        );
    }
}
