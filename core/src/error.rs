//! Errors: one error type, and one list of error kinds with stable numbers.
//!
//! [`ErrorKind`] is the single table that the C ABI (`PRIVNUM_RESULT_*`) and the
//! Python package (`privnum.*Error`, `.code`) map from. Numbers are grouped in
//! ranges and never reused once published:
//!
//! | range   | area |
//! |---------|------|
//! | 1–99    | general and language-boundary errors |
//! | 100–199 | numbers and API field bounds |
//! | 200–249 | producing signatures |
//! | 250–299 | verifying signatures on inbound requests |
//! | 300–349 | reading pushes and building Block-mode replies |
//! | 400–449 | the binding engine: rules, states, the X pool, durable state |
//! | 500–549 | the platform API client: the platform's refusals, unreadable responses (500–529); sending requests: transport failures, unknown outcomes (530–539) |

use std::borrow::Cow;
use std::fmt;

/// Result type used throughout privnum.
pub type Result<T, E = Error> = std::result::Result<T, E>;

macro_rules! error_kinds {
    ($( $(#[$doc:meta])* $variant:ident = $code:literal, $name:literal, $desc:literal; )*) => {
        /// Every kind of error privnum reports, with its stable number.
        ///
        /// The numbers are part of the public contract: C sees them as
        /// `PRIVNUM_RESULT_<NAME>`, Python as the `.code` of the matching
        /// exception class. Some kinds (`NullParameter`, `Panic`,
        /// `InsufficientSize`) can only occur at the C boundary; they live here
        /// so that there is one table.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        #[repr(u32)]
        pub enum ErrorKind {
            $( $(#[$doc])* $variant = $code, )*
        }

        impl ErrorKind {
            /// Every kind, in numeric order.
            pub const ALL: &'static [Self] = &[ $( Self::$variant, )* ];

            /// The stable number of this kind.
            #[must_use]
            pub const fn code(self) -> u32 {
                self as u32
            }

            /// The kind's name in SCREAMING_SNAKE_CASE, as used in the test
            /// vectors, the C constants (after `PRIVNUM_RESULT_`) and Python's `.kind`.
            #[must_use]
            pub const fn name(self) -> &'static str {
                match self { $( Self::$variant => $name, )* }
            }

            /// A short, static description of the kind.
            #[must_use]
            pub const fn description(self) -> &'static str {
                match self { $( Self::$variant => $desc, )* }
            }

            /// The kind with this stable number, if there is one.
            #[must_use]
            pub const fn from_code(code: u32) -> Option<Self> {
                match code { $( $code => Some(Self::$variant), )* _ => None }
            }

            /// The kind with this name (as in [`ErrorKind::name`]), if there is one.
            #[must_use]
            pub fn from_name(name: &str) -> Option<Self> {
                match name { $( $name => Some(Self::$variant), )* _ => None }
            }
        }
    };
}

error_kinds! {
    /// A required pointer argument was NULL (C only).
    NullParameter = 1, "NULL_PARAMETER", "a required pointer argument was NULL";
    /// privnum panicked; the panic was caught at the language boundary. Please report it.
    Panic = 2, "PANIC", "internal error (a panic was caught at the language boundary)";
    /// The output buffer is too small; the needed size was reported (C only).
    InsufficientSize = 3, "INSUFFICIENT_SIZE", "the output buffer is too small";
    /// A text argument was not valid UTF-8.
    InvalidUtf8 = 4, "INVALID_UTF8", "text is not valid UTF-8";
    /// An argument is out of its allowed range or unknown (for example an unknown enum value).
    InvalidArgument = 5, "INVALID_ARGUMENT", "an argument is out of range or unknown";
    /// The operating system's random source failed.
    RandomUnavailable = 6, "RANDOM_UNAVAILABLE", "the operating system's random source failed";

    /// The number is empty (or only separators and spaces).
    NumberEmpty = 100, "NUMBER_EMPTY", "the number is empty";
    /// The number contains a character that is neither a digit nor an accepted separator.
    NumberInvalidCharacter = 101, "NUMBER_INVALID_CHARACTER", "the number contains a character that is not a digit or separator";
    /// A `+` appears somewhere other than at the very start, or more than once.
    NumberMisplacedPlus = 102, "NUMBER_MISPLACED_PLUS", "a '+' may only appear once, at the start";
    /// The number has too few digits for its country or kind.
    NumberTooShort = 103, "NUMBER_TOO_SHORT", "the number has too few digits";
    /// The number has too many digits for its country or kind.
    NumberTooLong = 104, "NUMBER_TOO_LONG", "the number has too many digits";
    /// The digits after `+` or `00` do not start with an assigned country calling code.
    NumberUnknownCountryCode = 105, "NUMBER_UNKNOWN_COUNTRY_CODE", "no assigned country calling code starts the number";
    /// A national number was given but no default country was configured.
    NumberMissingCountryCode = 106, "NUMBER_MISSING_COUNTRY_CODE", "a national number needs a default country code";
    /// The digits are not a valid number of that country (unassigned prefix, missing area code, …).
    NumberInvalidForCountry = 107, "NUMBER_INVALID_FOR_COUNTRY", "the digits are not a valid number of that country";
    /// A value does not fit the length bounds of the API field it is meant for.
    FieldOutOfBounds = 108, "FIELD_OUT_OF_BOUNDS", "the value does not fit the API field's length bounds";

    /// The app key is empty, too long, or contains characters that cannot be quoted in a header.
    InvalidAppKey = 200, "INVALID_APP_KEY", "the app key is empty, too long or not printable ASCII without quotes";
    /// The app secret is empty.
    InvalidAppSecret = 201, "INVALID_APP_SECRET", "the app secret is empty";
    /// A nonce is not 1–128 ASCII letters and digits.
    InvalidNonce = 202, "INVALID_NONCE", "a nonce must be 1-128 ASCII letters and digits";
    /// A `Created` time is not `yyyy-MM-ddTHH:mm:ssZ` or out of range.
    InvalidCreated = 203, "INVALID_CREATED", "Created must be a UTC time as yyyy-MM-ddTHH:mm:ssZ";
    /// A parameter set cannot be signed (empty name, duplicate name, …).
    InvalidParameters = 204, "INVALID_PARAMETERS", "the parameters cannot be signed";

    /// The signature header or parameter is missing.
    AuthMissing = 250, "AUTH_MISSING", "the signature header or parameter is missing";
    /// The signature header or parameter cannot be parsed.
    AuthMalformed = 251, "AUTH_MALFORMED", "the signature header or parameter is malformed";
    /// The request was signed for a different app key.
    AuthWrongKey = 252, "AUTH_WRONG_KEY", "the request names a different app key";
    /// The digest does not match: wrong secret, or the request was altered.
    AuthBadDigest = 253, "AUTH_BAD_DIGEST", "the digest does not match";
    /// The signing time is outside the accepted freshness window.
    AuthStale = 254, "AUTH_STALE", "the signing time is outside the freshness window";
    /// This nonce was already accepted: the request is a replay.
    AuthReplayed = 255, "AUTH_REPLAYED", "this nonce was already accepted (replay)";

    /// The push body is not valid JSON (or not UTF-8).
    PushInvalidJson = 300, "PUSH_INVALID_JSON", "the push body is not valid JSON (or not UTF-8)";
    /// A required field of the push is missing; the message names it.
    PushMissingField = 301, "PUSH_MISSING_FIELD", "a required field of the push is missing";
    /// A field of the push has the wrong JSON type; the message names it.
    PushWrongType = 302, "PUSH_WRONG_TYPE", "a field of the push has the wrong JSON type";
    /// A field of the push has a value that cannot be read (a time, a number, a code).
    PushInvalidValue = 303, "PUSH_INVALID_VALUE", "a field of the push has a value that cannot be read";
    /// The push is of no kind privnum knows (unknown `eventType`, no known shape).
    PushUnknownKind = 304, "PUSH_UNKNOWN_KIND", "the push is of no kind privnum knows";
    /// The push body, or one of its lists (more than 50 CDRs, more than 100 number statuses), is larger than allowed.
    PushTooLarge = 305, "PUSH_TOO_LARGE", "the push body or one of its lists is larger than allowed";
    /// A Block-mode reply has a value the platform would refuse (which drops the caller's call).
    ReplyInvalid = 320, "REPLY_INVALID", "a Block-mode reply would be refused by the platform";

    /// A platform binding rule refuses the operation; [`Error::platform_code`] is the platform's `resultcode`.
    RuleViolation = 400, "RULE_VIOLATION", "a platform binding rule refuses the operation";
    /// No binding with that id (or those numbers) exists.
    BindingNotFound = 401, "BINDING_NOT_FOUND", "no such binding";
    /// The binding's state does not allow that operation (for example modifying an unbound binding).
    InvalidTransition = 402, "INVALID_TRANSITION", "the binding's state does not allow that operation";
    /// No X in the pool can take the binding; the message says which rule blocked each candidate.
    PoolExhausted = 403, "POOL_EXHAUSTED", "no X number in the pool can take the binding";
    /// A binding with that id already exists.
    BindingExists = 404, "BINDING_EXISTS", "a binding with that id already exists";
    /// Reading or writing the engine's directory failed.
    JournalIo = 410, "JOURNAL_IO", "reading or writing the engine's directory failed";
    /// The engine's journal or snapshot is damaged (not just a torn last record).
    JournalCorrupt = 411, "JOURNAL_CORRUPT", "the engine's journal or snapshot is damaged";
    /// An engine command (JSON) is malformed or names an unknown operation.
    InvalidCommand = 420, "INVALID_COMMAND", "the engine command is malformed";

    /// The platform failed transiently (internal error, response timeout):
    /// retry a limited number of times with backoff. A bind (POST) whose
    /// outcome is unknown is settled by a query first, never blindly re-sent.
    PlatformRetry = 500, "PLATFORM_RETRY", "the platform failed transiently; retry with backoff";
    /// The platform throttles the application (flow control): wait at least
    /// a minute, then retry.
    PlatformThrottled = 501, "PLATFORM_THROTTLED", "the platform throttles requests; back off, then retry";
    /// The platform refused the request as malformed (a parameter is missing
    /// or wrong, or the method or path is wrong): fix the request.
    PlatformInvalidRequest = 502, "PLATFORM_INVALID_REQUEST", "the platform refused the request as invalid";
    /// The platform refused the credentials or the authentication headers
    /// (wrong app key or secret, wrong base URL, app in another mode).
    PlatformAuth = 503, "PLATFORM_AUTH", "the platform refused the credentials or authentication headers";
    /// The signature's `Created` time is too far from the platform's clock:
    /// fix the clock, sign again, retry once.
    PlatformClockSkew = 504, "PLATFORM_CLOCK_SKEW", "the signing time is too far from the platform's clock";
    /// The binding or number already exists or is already bound (for example
    /// 1012010: A or B is already bound on that X).
    PlatformConflict = 505, "PLATFORM_CONFLICT", "already bound or already exists on the platform";
    /// The binding, record or number does not exist for this application.
    PlatformNotFound = 506, "PLATFORM_NOT_FOUND", "the platform has no such binding, record or number";
    /// No idle number or extension, or a quantity limit was reached: choose
    /// different parameters (another area, another X).
    PlatformExhausted = 507, "PLATFORM_EXHAUSTED", "no idle number or a quantity limit was reached on the platform";
    /// The account, application, number or caller is not allowed right now
    /// (frozen, suspended, blacklisted, IP not allowlisted).
    PlatformForbidden = 508, "PLATFORM_FORBIDDEN", "the platform does not allow this account, number or caller now";
    /// A result code privnum does not know: a failure, not to be retried.
    PlatformUnknown = 509, "PLATFORM_UNKNOWN", "the platform answered with an unknown result code";
    /// The platform's response cannot be read: not JSON, no `resultcode`, or
    /// a success that lacks a required field.
    ResponseInvalid = 520, "RESPONSE_INVALID", "the platform's response cannot be read";
    /// The request could not be sent and certainly did not reach the
    /// platform (name resolution, connection refused, connect timeout, TLS
    /// handshake): sending it again is safe, whatever the operation.
    TransportNotSent = 530, "TRANSPORT_NOT_SENT", "the request could not be sent; it did not reach the platform";
    /// The request was (or may have been) sent, but no complete answer came
    /// back (read timeout, connection closed or reset): it may have taken
    /// effect. Only an idempotent operation may simply be sent again.
    TransportNoResponse = 531, "TRANSPORT_NO_RESPONSE", "no complete answer came back; the request may have taken effect";
    /// A non-idempotent operation (a bind) may or may not have taken effect,
    /// and it was not settled by a query (`Client::call` does not try;
    /// `Client::call_settled` found no X to look it up on, or the query
    /// failed or was ambiguous): look the binding up before binding again.
    OutcomeUnknown = 532, "OUTCOME_UNKNOWN", "a bind may or may not have taken effect and could not be settled; look it up before binding again";
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An error: its [`ErrorKind`] plus a message that says exactly what was wrong.
///
/// Messages never contain secrets. Where they quote a phone number they quote
/// the caller's input only as far as needed to locate the problem (for example
/// the offending character and its position).
///
/// Errors can also carry the platform `resultcode` that goes with them
/// ([`Error::platform_code`]), the HTTP status of the platform's response
/// ([`Error::http_status`]) and the request field at fault
/// ([`Error::field`]).
#[derive(Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    message: Cow<'static, str>,
    platform_code: Option<Cow<'static, str>>,
    field: Option<&'static str>,
    http_status: Option<u16>,
}

impl Error {
    /// An error of `kind` with a specific message.
    pub fn new(kind: ErrorKind, message: impl Into<Cow<'static, str>>) -> Self {
        Self {
            kind,
            message: message.into(),
            platform_code: None,
            field: None,
            http_status: None,
        }
    }

    /// The same error, also naming the platform `resultcode` that goes with
    /// it (for example `"1012010"` for a [`ErrorKind::RuleViolation`]).
    ///
    /// Takes a `&'static str` (the codes privnum knows) or an owned
    /// `String` (a code read from a platform response).
    #[must_use]
    pub fn with_platform_code(mut self, code: impl Into<Cow<'static, str>>) -> Self {
        self.platform_code = Some(code.into());
        self
    }

    /// The same error, also naming the HTTP status of the platform response
    /// it was read from.
    #[must_use]
    pub fn with_http_status(mut self, status: u16) -> Self {
        self.http_status = Some(status);
        self
    }

    /// The same error, also naming the request field at fault (wire name,
    /// for example `"calleeNum"`).
    #[must_use]
    pub fn with_field(mut self, field: &'static str) -> Self {
        self.field = Some(field);
        self
    }

    /// The platform `resultcode` that goes with this error, when there is
    /// one: the code the platform answers the same request with (engine rule
    /// violations, pool exhaustion, requests refused before sending) or the
    /// code a platform response carried (`PLATFORM_*` kinds).
    #[must_use]
    pub fn platform_code(&self) -> Option<&str> {
        self.platform_code.as_deref()
    }

    /// The HTTP status of the platform response this error was read from,
    /// when it was read from one (`PLATFORM_*` kinds and
    /// [`ErrorKind::ResponseInvalid`]).
    #[must_use]
    pub fn http_status(&self) -> Option<u16> {
        self.http_status
    }

    /// The request field at fault (wire name), when one is.
    #[must_use]
    pub fn field(&self) -> Option<&'static str> {
        self.field
    }

    /// The kind of error.
    #[must_use]
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The stable number of the error's kind (same as `self.kind().code()`).
    #[must_use]
    pub fn code(&self) -> u32 {
        self.kind.code()
    }

    /// The specific message.
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Self {
        Self::new(kind, kind.description())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.kind)
            .field("message", &self.message)
            .field("platform_code", &self.platform_code)
            .field("field", &self.field)
            .field("http_status", &self.http_status)
            .finish()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.name(), self.message)
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_round_trip_and_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for &k in ErrorKind::ALL {
            assert!(seen.insert(k.code()), "duplicate code {}", k.code());
            assert_eq!(ErrorKind::from_code(k.code()), Some(k));
            assert_eq!(ErrorKind::from_name(k.name()), Some(k));
        }
        assert_eq!(ErrorKind::from_code(0), None);
        assert_eq!(ErrorKind::from_name("NOPE"), None);
    }

    #[test]
    fn platform_code_static_or_owned_and_http_status() {
        let e = Error::new(ErrorKind::RuleViolation, "x").with_platform_code("1012010");
        assert_eq!(e.platform_code(), Some("1012010"));
        assert_eq!(e.http_status(), None);
        let code = String::from("1099999");
        let e = Error::new(ErrorKind::PlatformUnknown, "y")
            .with_platform_code(code)
            .with_http_status(400)
            .with_field("calleeNum");
        assert_eq!(e.platform_code(), Some("1099999"));
        assert_eq!(e.http_status(), Some(400));
        assert_eq!(e.field(), Some("calleeNum"));
        assert!(format!("{e:?}").contains("http_status: Some(400)"));
    }

    #[test]
    fn platform_kinds_are_in_their_range() {
        for &k in ErrorKind::ALL {
            if k.name().starts_with("PLATFORM_") || k == ErrorKind::ResponseInvalid {
                assert!((500..530).contains(&k.code()), "{k}");
            }
            if k.name().starts_with("TRANSPORT_") || k == ErrorKind::OutcomeUnknown {
                assert!((530..540).contains(&k.code()), "{k}");
            }
        }
        assert_eq!(
            ErrorKind::from_name("RESPONSE_INVALID").map(ErrorKind::code),
            Some(520)
        );
    }

    #[test]
    fn display_names_kind_and_message() {
        let e = Error::new(ErrorKind::NumberEmpty, "nothing there");
        assert_eq!(e.to_string(), "NUMBER_EMPTY: nothing there");
        assert_eq!(e.code(), 100);
    }
}
