//! Sending one signed request: the [`Transport`] trait, what it answers
//! ([`OwnedResponse`] or [`TransportError`]), and the default blocking
//! HTTPS transport [`UreqTransport`] (cargo feature `http`, on by default).
//!
//! ```text
//!  HttpRequest ──Transport::send(base_url, request)──▶ Ok(OwnedResponse { status, location, body })
//!                                                     Err(TransportError: NotSent | MaybeSent | TooLarge | Invalid)
//! ```
//!
//! A transport sends exactly one request, once: it never retries and never
//! follows redirects. Retrying is the [`Client`](super::retry::Client)'s
//! job, and it needs to know one thing from a failure: whether the request
//! **certainly did not reach** the platform ([`Failure::NotSent`]: name
//! resolution, connection refused, connect timeout, TLS handshake), or
//! whether it **may have** ([`Failure::MaybeSent`]: the connection was made,
//! then a read timed out or the connection closed before a complete answer).
//! When in doubt a transport must say `MaybeSent`: a request wrongly called
//! "not sent" may be sent twice, and a bind sent twice binds twice.
//!
//! Every HTTP status is an answer, not a failure: a 4xx or 5xx response
//! comes back as an [`OwnedResponse`] (the platform's `resultcode` is in its
//! body), and so does a 301 (the recording-download API answers 301 with
//! the URL in `Location`).
//!
//! Hosts with their own HTTP stack implement [`Transport`] (it is object
//! safe, `Send + Sync`) and hand it to
//! [`Client::with_transport`](super::retry::Client::with_transport).

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use super::{HttpRequest, HttpResponse, MAX_RESPONSE_BODY, mask_digit_runs};
use crate::error::{Error, ErrorKind};

/// The `User-Agent` privnum's transport sends: `privnum/<version>`.
pub const USER_AGENT: &str = concat!("privnum/", env!("CARGO_PKG_VERSION"));

/// Sends one signed request and returns the answer, whatever its HTTP
/// status, or why there is none.
///
/// Implementations must:
///
/// * send `request` to `request.url(base_url)` with its method, headers and
///   body, exactly once (no retries: the caller decides);
/// * not follow redirects, and return a 3xx with its `Location`;
/// * return 4xx and 5xx responses as responses;
/// * read at most [`MAX_RESPONSE_BODY`] bytes of body, and answer
///   [`TransportError::too_large`] for more;
/// * say [`Failure::NotSent`] only when the request certainly did not reach
///   the server, [`Failure::MaybeSent`] otherwise.
pub trait Transport: Send + Sync {
    /// Send `request` to `base_url` (the application's access address, e.g.
    /// `https://host:port`).
    fn send(&self, base_url: &str, request: &HttpRequest) -> Result<OwnedResponse, TransportError>;
}

impl<T: Transport + ?Sized> Transport for &T {
    fn send(&self, base_url: &str, request: &HttpRequest) -> Result<OwnedResponse, TransportError> {
        (**self).send(base_url, request)
    }
}

impl<T: Transport + ?Sized> Transport for Box<T> {
    fn send(&self, base_url: &str, request: &HttpRequest) -> Result<OwnedResponse, TransportError> {
        (**self).send(base_url, request)
    }
}

impl<T: Transport + ?Sized> Transport for Arc<T> {
    fn send(&self, base_url: &str, request: &HttpRequest) -> Result<OwnedResponse, TransportError> {
        (**self).send(base_url, request)
    }
}

/// A response as received, owned: status, `Location` header and body.
/// [`OwnedResponse::as_response`] borrows it as the [`HttpResponse`] that
/// [`Operation::parse`](super::Operation::parse) reads.
///
/// `Debug` shows the status, whether there is a `Location` and the body's
/// length, never the body (it holds phone numbers) nor the `Location` (a
/// download URL may carry a token).
#[derive(Clone, PartialEq, Eq)]
pub struct OwnedResponse {
    /// The HTTP status code.
    pub status: u16,
    /// The `Location` header, if the response had one (and it is text).
    pub location: Option<String>,
    /// The body, at most [`MAX_RESPONSE_BODY`] bytes.
    pub body: Vec<u8>,
}

impl OwnedResponse {
    /// A response with this status and body, without `Location`.
    #[must_use]
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status,
            location: None,
            body: body.into(),
        }
    }

    /// Borrowed, for [`Operation::parse`](super::Operation::parse).
    #[must_use]
    pub fn as_response(&self) -> HttpResponse<'_> {
        HttpResponse {
            status: self.status,
            location: self.location.as_deref(),
            body: &self.body,
        }
    }
}

impl fmt::Debug for OwnedResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OwnedResponse")
            .field("status", &self.status)
            .field("has_location", &self.location.is_some())
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// Why a [`Transport`] has no answer, as far as retrying is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Failure {
    /// The request certainly did not reach the server (name resolution,
    /// connection refused, connect timeout, TLS handshake failure): sending
    /// it again is safe for any operation.
    NotSent,
    /// The request may have reached the server, but no complete answer came
    /// back (read timeout, connection closed or reset, a malformed HTTP
    /// answer): it may have taken effect.
    MaybeSent,
    /// The server answered with this HTTP status, but with a body larger
    /// than [`MAX_RESPONSE_BODY`]; it was not read.
    TooLarge {
        /// The HTTP status of the answer.
        status: u16,
    },
    /// The request cannot be sent as given (a malformed base URL, `http://`
    /// where HTTPS is required, a header value HTTP cannot carry); it was
    /// not sent, and sending it again would fail the same way.
    Invalid,
}

/// A transport failure: what happened to the request ([`Failure`]) and a
/// message saying why.
///
/// Messages have long digit runs (phone numbers in a URL) masked.
#[derive(Clone, PartialEq, Eq)]
pub struct TransportError {
    failure: Failure,
    message: Cow<'static, str>,
}

impl TransportError {
    fn masked(failure: Failure, message: impl Into<Cow<'static, str>>) -> Self {
        let message = message.into();
        let message = match mask_digit_runs(&message) {
            Cow::Borrowed(_) => message,
            Cow::Owned(masked) => Cow::Owned(masked),
        };
        Self { failure, message }
    }

    /// The request certainly did not reach the server ([`Failure::NotSent`]).
    #[must_use]
    pub fn not_sent(message: impl Into<Cow<'static, str>>) -> Self {
        Self::masked(Failure::NotSent, message)
    }

    /// The request may have reached the server ([`Failure::MaybeSent`]).
    #[must_use]
    pub fn maybe_sent(message: impl Into<Cow<'static, str>>) -> Self {
        Self::masked(Failure::MaybeSent, message)
    }

    /// The answer (HTTP `status`) has a body larger than
    /// [`MAX_RESPONSE_BODY`] ([`Failure::TooLarge`]).
    #[must_use]
    pub fn too_large(status: u16) -> Self {
        Self {
            failure: Failure::TooLarge { status },
            message: Cow::Owned(format!(
                "HTTP {status}: the body is larger than the {MAX_RESPONSE_BODY} bytes privnum reads"
            )),
        }
    }

    /// The request cannot be sent as given ([`Failure::Invalid`]).
    #[must_use]
    pub fn invalid(message: impl Into<Cow<'static, str>>) -> Self {
        Self::masked(Failure::Invalid, message)
    }

    /// What happened to the request.
    #[must_use]
    pub fn failure(&self) -> Failure {
        self.failure
    }

    /// Why (phone numbers masked).
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The privnum [`Error`] for this failure:
    ///
    /// | failure | kind |
    /// |---|---|
    /// | `NotSent` | [`ErrorKind::TransportNotSent`] |
    /// | `MaybeSent` | [`ErrorKind::TransportNoResponse`] |
    /// | `TooLarge` | [`ErrorKind::ResponseInvalid`], with the HTTP status |
    /// | `Invalid` | [`ErrorKind::InvalidArgument`] |
    #[must_use]
    pub fn into_error(self) -> Error {
        match self.failure {
            Failure::NotSent => Error::new(
                ErrorKind::TransportNotSent,
                format!("the request was not sent: {}", self.message),
            ),
            Failure::MaybeSent => Error::new(
                ErrorKind::TransportNoResponse,
                format!(
                    "no complete answer (the request may have taken effect): {}",
                    self.message
                ),
            ),
            Failure::TooLarge { status } => {
                Error::new(ErrorKind::ResponseInvalid, self.message).with_http_status(status)
            }
            Failure::Invalid => Error::new(
                ErrorKind::InvalidArgument,
                format!("the request cannot be sent: {}", self.message),
            ),
        }
    }
}

impl fmt::Debug for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TransportError")
            .field("failure", &self.failure)
            .field("message", &self.message)
            .finish()
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.failure {
            Failure::NotSent => "not sent",
            Failure::MaybeSent => "maybe sent, no answer",
            Failure::TooLarge { .. } => "answer too large",
            Failure::Invalid => "cannot be sent",
        };
        write!(f, "{what}: {}", self.message)
    }
}

impl std::error::Error for TransportError {}

impl From<TransportError> for Error {
    fn from(e: TransportError) -> Self {
        e.into_error()
    }
}

#[cfg(feature = "http")]
pub use self::ureq_transport::{TransportConfig, UreqTransport};

#[cfg(feature = "http")]
mod ureq_transport {
    use std::io;
    use std::time::Duration;

    use ureq::http::header::LOCATION;
    use ureq::{Agent, RequestBuilder, Timeout};

    use super::{Failure, OwnedResponse, Transport, TransportError, USER_AGENT};
    use crate::client::{HttpRequest, MAX_RESPONSE_BODY, Method};

    /// Settings of [`UreqTransport`]. Start from `TransportConfig::default()`
    /// and change fields.
    #[derive(Clone, Debug, PartialEq, Eq)]
    #[non_exhaustive]
    pub struct TransportConfig {
        /// Longest time to resolve the host, connect and finish the TLS
        /// handshake (each; default 5 s). A timeout here is
        /// [`Failure::NotSent`].
        pub connect_timeout: Duration,
        /// Longest time without progress while sending the request or
        /// reading the answer (default 10 s). A timeout here is
        /// [`Failure::MaybeSent`].
        pub read_timeout: Duration,
        /// Longest time for the whole exchange, connecting included (default
        /// 30 s). A timeout here is [`Failure::MaybeSent`].
        pub total_timeout: Duration,
        /// Refuse base URLs that are not `https://` (default true: the
        /// platform only speaks HTTPS). Turn it off for a local test server.
        pub https_only: bool,
    }

    impl Default for TransportConfig {
        fn default() -> Self {
            Self {
                connect_timeout: Duration::from_secs(5),
                read_timeout: Duration::from_secs(10),
                total_timeout: Duration::from_secs(30),
                https_only: true,
            }
        }
    }

    /// The default [`Transport`]: blocking HTTP/1.1 over TLS (rustls, with
    /// the Mozilla root certificates) on [`ureq`].
    ///
    /// * Never follows redirects: a 301 comes back with its `Location`.
    /// * Every HTTP status is a response, not an error.
    /// * Reads at most [`MAX_RESPONSE_BODY`] bytes of body.
    /// * Sends `User-Agent: privnum/<version>`.
    /// * Opens a new connection for every request (see below).
    /// * Honours the `HTTPS_PROXY`/`ALL_PROXY`/`NO_PROXY` environment
    ///   variables, as ureq does.
    ///
    /// # Why no connection pool
    ///
    /// The platform closes every connection itself after answering ("short
    /// connections", PN §1). A pooled connection would be stale by the next
    /// request, and a request written into a connection the server has just
    /// closed fails in a way that cannot be told apart from a request that
    /// reached the server and then lost its answer. So the pool is turned
    /// off: each request opens a fresh connection, a failure before or
    /// during connecting is certainly [`Failure::NotSent`], and one after it
    /// is [`Failure::MaybeSent`]. A pool would save nothing here anyway.
    ///
    /// # How failures are classified
    ///
    /// | ureq error | failure |
    /// |---|---|
    /// | host not found, connect or resolve timeout, connection refused or unreachable | `NotSent` |
    /// | TLS handshake refused (certificate, protocol version, handshake alert) | `NotSent` |
    /// | read, write or total timeout, connection closed or reset, malformed answer, any other | `MaybeSent` |
    /// | body over the cap | `TooLarge` |
    /// | malformed URL or header, `http://` with `https_only` | `Invalid` |
    ///
    /// A failure that cannot be placed is `MaybeSent`, the safe side.
    pub struct UreqTransport {
        agent: Agent,
        config: TransportConfig,
    }

    impl UreqTransport {
        /// A transport with these settings.
        #[must_use]
        pub fn new(config: TransportConfig) -> Self {
            let agent_config = Agent::config_builder()
                .http_status_as_error(false)
                .max_redirects(0)
                .user_agent(USER_AGENT)
                .https_only(config.https_only)
                // No pool: see the type's documentation.
                .max_idle_connections(0)
                .max_idle_connections_per_host(0)
                .timeout_resolve(Some(config.connect_timeout))
                .timeout_connect(Some(config.connect_timeout))
                .timeout_per_read(Some(config.read_timeout))
                .timeout_per_write(Some(config.read_timeout))
                .timeout_global(Some(config.total_timeout))
                .build();
            Self {
                agent: Agent::new_with_config(agent_config),
                config,
            }
        }

        /// The settings.
        #[must_use]
        pub fn config(&self) -> &TransportConfig {
            &self.config
        }
    }

    impl Default for UreqTransport {
        fn default() -> Self {
            Self::new(TransportConfig::default())
        }
    }

    impl std::fmt::Debug for UreqTransport {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("UreqTransport")
                .field("config", &self.config)
                .finish_non_exhaustive()
        }
    }

    fn with_headers<B>(mut builder: RequestBuilder<B>, request: &HttpRequest) -> RequestBuilder<B> {
        for (name, value) in request.headers() {
            builder = builder.header(*name, value.as_str());
        }
        builder
    }

    impl Transport for UreqTransport {
        fn send(
            &self,
            base_url: &str,
            request: &HttpRequest,
        ) -> Result<OwnedResponse, TransportError> {
            let url = request.url(base_url);
            let scheme_ok = |s: &str| {
                url.get(..s.len())
                    .is_some_and(|p| p.eq_ignore_ascii_case(s))
            };
            if !scheme_ok("https://") {
                if self.config.https_only {
                    return Err(TransportError::invalid(
                        "the base URL is not https:// (TransportConfig::https_only is set)",
                    ));
                }
                if !scheme_ok("http://") {
                    return Err(TransportError::invalid(
                        "the base URL must start with https:// (or http://)",
                    ));
                }
            }
            let agent = &self.agent;
            let body = request.body().unwrap_or("");
            let sent = match request.method() {
                Method::Get => with_headers(agent.get(&url), request).call(),
                Method::Delete => with_headers(agent.delete(&url), request).call(),
                Method::Post => with_headers(agent.post(&url), request).send(body),
                Method::Put => with_headers(agent.put(&url), request).send(body),
            };
            let mut response = sent.map_err(classify)?;
            let status = response.status().as_u16();
            let location = response
                .headers()
                .get(LOCATION)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            let limit = u64::try_from(MAX_RESPONSE_BODY).unwrap_or(u64::MAX);
            let body = response
                .body_mut()
                .with_config()
                .limit(limit)
                .read_to_vec()
                .map_err(|e| match e {
                    ureq::Error::BodyExceedsLimit(_) => TransportError::too_large(status),
                    // The server answered: the request reached it.
                    other => TransportError::maybe_sent(format!(
                        "HTTP {status}: reading the body failed: {other}"
                    )),
                })?;
            Ok(OwnedResponse {
                status,
                location,
                body,
            })
        }
    }

    /// Place a ureq error: see [`UreqTransport`]'s table.
    fn classify(e: ureq::Error) -> TransportError {
        use ureq::Error as E;
        let message = e.to_string();
        let failure = match &e {
            E::HostNotFound | E::ConnectionFailed | E::ConnectProxyFailed(_) | E::Tls(_) => {
                Failure::NotSent
            }
            E::Timeout(Timeout::Resolve | Timeout::Connect) => Failure::NotSent,
            E::Io(io) if io_not_sent(io) => Failure::NotSent,
            E::Rustls(_) => Failure::NotSent,
            E::BadUri(_) | E::Http(_) | E::RequireHttpsOnly(_) | E::InvalidProxyUrl => {
                Failure::Invalid
            }
            _ => Failure::MaybeSent,
        };
        match failure {
            Failure::NotSent => TransportError::not_sent(message),
            Failure::Invalid => TransportError::invalid(message),
            _ => TransportError::maybe_sent(message),
        }
    }

    /// An I/O error that can only happen before the request is written: the
    /// connection could not be made, or the TLS handshake was refused.
    fn io_not_sent(e: &io::Error) -> bool {
        use io::ErrorKind as K;
        match e.kind() {
            K::ConnectionRefused
            | K::HostUnreachable
            | K::NetworkUnreachable
            | K::NetworkDown
            | K::AddrNotAvailable
            | K::AddrInUse => true,
            K::InvalidData => e
                .get_ref()
                .and_then(|inner| inner.downcast_ref::<rustls::Error>())
                .is_some_and(tls_handshake_only),
            _ => false,
        }
    }

    /// A rustls error that only the handshake raises (the request is written
    /// after the handshake). Errors that can also happen on an established
    /// session (a corrupt record, a decryption failure, a close) are not
    /// listed: they stay `MaybeSent`.
    fn tls_handshake_only(e: &rustls::Error) -> bool {
        use rustls::AlertDescription as A;
        use rustls::Error as R;
        match e {
            R::InvalidCertificate(_)
            | R::NoCertificatesPresented
            | R::UnsupportedNameType
            | R::PeerIncompatible(_)
            | R::InappropriateHandshakeMessage { .. }
            | R::InvalidCertRevocationList(_)
            | R::NoApplicationProtocol => true,
            R::AlertReceived(alert) => matches!(
                alert,
                A::HandshakeFailure
                    | A::BadCertificate
                    | A::UnsupportedCertificate
                    | A::CertificateRevoked
                    | A::CertificateExpired
                    | A::CertificateUnknown
                    | A::UnknownCA
                    | A::ProtocolVersion
                    | A::InsufficientSecurity
                    | A::UnrecognisedName
                    | A::NoApplicationProtocol
                    | A::CertificateRequired
            ),
            _ => false,
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn io_errors_before_the_request_are_not_sent() {
            for kind in [
                io::ErrorKind::ConnectionRefused,
                io::ErrorKind::HostUnreachable,
                io::ErrorKind::NetworkUnreachable,
            ] {
                let e = classify(ureq::Error::Io(io::Error::from(kind)));
                assert_eq!(e.failure(), Failure::NotSent, "{kind:?}");
            }
            for kind in [
                io::ErrorKind::ConnectionReset,
                io::ErrorKind::UnexpectedEof,
                io::ErrorKind::BrokenPipe,
                io::ErrorKind::TimedOut,
                io::ErrorKind::InvalidData,
            ] {
                let e = classify(ureq::Error::Io(io::Error::from(kind)));
                assert_eq!(e.failure(), Failure::MaybeSent, "{kind:?}");
            }
        }

        #[test]
        fn tls_errors_by_phase() {
            let wrap = |r: rustls::Error| {
                classify(ureq::Error::Io(io::Error::new(
                    io::ErrorKind::InvalidData,
                    r,
                )))
                .failure()
            };
            assert_eq!(
                wrap(rustls::Error::InvalidCertificate(
                    rustls::CertificateError::UnknownIssuer
                )),
                Failure::NotSent
            );
            assert_eq!(
                wrap(rustls::Error::AlertReceived(
                    rustls::AlertDescription::HandshakeFailure
                )),
                Failure::NotSent
            );
            // Possible on an established session too: the safe side.
            assert_eq!(wrap(rustls::Error::DecryptError), Failure::MaybeSent);
            assert_eq!(
                wrap(rustls::Error::AlertReceived(
                    rustls::AlertDescription::CloseNotify
                )),
                Failure::MaybeSent
            );
        }

        #[test]
        fn timeouts_by_phase_and_invalid_requests() {
            let t = |t: Timeout| classify(ureq::Error::Timeout(t)).failure();
            assert_eq!(t(Timeout::Resolve), Failure::NotSent);
            assert_eq!(t(Timeout::Connect), Failure::NotSent);
            for late in [
                Timeout::SendRequest,
                Timeout::SendBody,
                Timeout::RecvResponse,
                Timeout::RecvBody,
                Timeout::PerRead,
                Timeout::Global,
            ] {
                assert_eq!(t(late), Failure::MaybeSent, "{late:?}");
            }
            assert_eq!(
                classify(ureq::Error::HostNotFound).failure(),
                Failure::NotSent
            );
            let e = classify(ureq::Error::BadUri("http://x/?n=8613800000001".into()));
            assert_eq!(e.failure(), Failure::Invalid);
            assert!(!e.message().contains("8613800000001"), "{e}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_map_to_kinds_and_mask_numbers() {
        let e = TransportError::maybe_sent("GET /q?relationNum=%2B8617000000010: reset");
        assert!(!e.message().contains("8617000000010"));
        assert!(e.to_string().starts_with("maybe sent, no answer: "));
        let err = e.into_error();
        assert_eq!(err.kind(), ErrorKind::TransportNoResponse);
        assert!(!err.message().contains("8617000000010"));
        assert_eq!(
            TransportError::not_sent("refused").into_error().kind(),
            ErrorKind::TransportNotSent
        );
        assert_eq!(
            TransportError::invalid("bad").into_error().kind(),
            ErrorKind::InvalidArgument
        );
        let big = Error::from(TransportError::too_large(200));
        assert_eq!(big.kind(), ErrorKind::ResponseInvalid);
        assert_eq!(big.http_status(), Some(200));
        assert!(big.message().contains("larger than"), "{}", big.message());
    }

    #[test]
    fn owned_response_borrows_and_hides_its_body() {
        let mut r = OwnedResponse::new(301, b"{\"callerNum\":\"+8613800000001\"}".to_vec());
        r.location = Some("https://files.example/rec?token=secret".into());
        let h = r.as_response();
        assert_eq!(
            (h.status, h.location, h.body),
            (301, r.location.as_deref(), &r.body[..])
        );
        let text = format!("{r:?}");
        assert!(
            !text.contains("8613800000001") && !text.contains("secret"),
            "{text}"
        );
        assert!(text.contains("has_location: true"), "{text}");
        assert!(USER_AGENT.starts_with("privnum/"));
    }
}
