//! The platform's answers: `{"resultcode": …, "resultdesc": …, …}` with the
//! HTTP status that goes with the code, and how privnum's own errors (from
//! the client's validation and the engine's rules) become the platform's
//! result codes.

use serde_json::{Map, Value};

use crate::error::{Error, ErrorKind};

/// An HTTP answer of the emulated platform: status and JSON body (or, for
/// a path that is no API, a plain-text "Not Found"; for a recording, its
/// bytes), and a `Location` for a redirect.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) body: Value,
    /// A body that is not JSON: its content type and bytes.
    raw: Option<(&'static str, Vec<u8>)>,
    /// The `Location` header (redirects).
    pub(crate) location: Option<String>,
}

impl Answer {
    /// Success (`"0"`, `"Success"`) with these extra fields, HTTP 200.
    pub(crate) fn success(mut fields: Map<String, Value>) -> Self {
        fields.insert("resultcode".into(), Value::from("0"));
        fields.insert("resultdesc".into(), Value::from("Success"));
        Self::json(200, Value::Object(fields))
    }

    /// A JSON answer of the control interface (not a platform envelope).
    pub(crate) fn json(status: u16, body: Value) -> Self {
        Self {
            status,
            body,
            raw: None,
            location: None,
        }
    }

    /// 404 with a plain-text body, as a web server answers an unknown path.
    pub(crate) fn not_found() -> Self {
        Self::raw(404, "text/plain", b"Not Found".to_vec())
    }

    /// A body of `content_type` that is not JSON.
    pub(crate) fn raw(status: u16, content_type: &'static str, bytes: Vec<u8>) -> Self {
        Self {
            status,
            body: Value::Null,
            raw: Some((content_type, bytes)),
            location: None,
        }
    }

    /// HTTP 301 to `location`, with an empty body (the recording download
    /// API's success, PN §10).
    pub(crate) fn redirect(location: String) -> Self {
        Self {
            location: Some(location),
            ..Self::raw(301, "text/plain", Vec::new())
        }
    }

    /// The body's bytes.
    pub(crate) fn bytes(&self) -> Vec<u8> {
        match &self.raw {
            Some((_, b)) => b.clone(),
            None => self.body.to_string().into_bytes(),
        }
    }

    /// The `Content-Type` to send: `json` for JSON bodies.
    pub(crate) fn content_type<'a>(&self, json: &'a str) -> &'a str {
        match &self.raw {
            Some((t, _)) => t,
            None => json,
        }
    }
}

/// A refusal: a platform result code, its HTTP status and a description.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Refusal {
    pub(crate) status: u16,
    pub(crate) code: String,
    pub(crate) desc: String,
}

/// Longest `resultdesc` (PN §1: String(1-256)).
const MAX_DESC: usize = 256;

impl Refusal {
    /// Refuse with `code`; the description is the platform's text for the
    /// code followed by `detail` (if any), at most 256 characters.
    pub(crate) fn new(code: &str, detail: &str) -> Self {
        let base = standard_desc(code);
        let mut desc = if detail.is_empty() {
            base.to_owned()
        } else {
            format!("{base} {detail}")
        };
        if desc.chars().count() > MAX_DESC {
            desc = desc.chars().take(MAX_DESC - 1).collect();
            desc.push('…');
        }
        Self {
            status: http_status(code),
            code: code.to_owned(),
            desc,
        }
    }

    /// 1010002 "Invalid request." naming `field`.
    pub(crate) fn invalid(field: &str, detail: &str) -> Self {
        Self::new(CODE_INVALID_REQUEST, &format!("{field}: {detail}"))
    }

    /// The platform's answer for a privnum error raised while validating or
    /// applying a request: its platform code when it has one, else the code
    /// that goes with its kind. `not_found` is the code for
    /// [`ErrorKind::BindingNotFound`] (it differs between operations).
    pub(crate) fn from_error(e: &Error, not_found: &str) -> Self {
        let detail = match e.field() {
            Some(f) if !e.message().contains(f) => format!("{f}: {}", e.message()),
            _ => e.message().to_owned(),
        };
        if let Some(code) = e.platform_code() {
            // Rule messages start with their code ("1012010 (calleeNum): …").
            let detail = detail
                .strip_prefix(code)
                .map_or(detail.as_str(), str::trim_start);
            return Self::new(code, detail);
        }
        let code = match e.kind() {
            ErrorKind::BindingNotFound => not_found,
            ErrorKind::BindingExists => "1016002",
            ErrorKind::RandomUnavailable | ErrorKind::JournalIo | ErrorKind::JournalCorrupt => {
                CODE_INTERNAL
            }
            // Malformed numbers, field bounds, bad arguments, refused
            // transitions: the platform's "Invalid request".
            _ => CODE_INVALID_REQUEST,
        };
        Self::new(code, &detail)
    }

    /// The answer carrying this refusal.
    pub(crate) fn answer(&self) -> Answer {
        let mut body = Map::new();
        body.insert("resultcode".into(), Value::from(self.code.as_str()));
        body.insert("resultdesc".into(), Value::from(self.desc.as_str()));
        Answer::json(self.status, Value::Object(body))
    }
}

/// 1010001 "Internal system error."
pub(crate) const CODE_INTERNAL: &str = "1010001";
/// 1010002 "Invalid request."
pub(crate) const CODE_INVALID_REQUEST: &str = "1010002";
/// 1010003 "Invalid app_key."
pub(crate) const CODE_INVALID_APP_KEY: &str = "1010003";
/// 1010006: wrong method or path for an API (used for APIs not emulated yet).
pub(crate) const CODE_INVALID_API: &str = "1010006";
/// 1010010 with HTTP 401 "Invalid digest."
pub(crate) const CODE_INVALID_DIGEST: &str = "1010010";
/// 1010013 "Time out limit." (`Created` too far from the platform's clock).
pub(crate) const CODE_TIME_LIMIT: &str = "1010013";
/// 1020152 "Invalid sessionId." (callStop of an unknown or ended call).
pub(crate) const CODE_INVALID_SESSION: &str = "1020152";
/// 1012001: resource not applied (X not owned, binding not found).
pub(crate) const CODE_NOT_APPLIED: &str = "1012001";
/// 1016001 "The record does not exist."
pub(crate) const CODE_NO_RECORD: &str = "1016001";

/// The HTTP status the platform answers `code` with. Where the
/// specification shows a status (PN §12) it is used; where it shows none,
/// the emulator's choice is 400 for a refused request and 500 for a
/// platform failure.
pub(crate) fn http_status(code: &str) -> u16 {
    match code {
        "0" => 200,
        // Header format errors (AKSK and legacy WSSE).
        c if c.starts_with("10230") && c != "1023001" && c != "1023002" => 400,
        "1010003" | "1010004" | "1010008" | "1010010" | "1010013" => 401,
        "1010002" | "1011004" | "1012001" | "1010040" | "1010006" => 403,
        "1010001" | "1023001" | "1023002" => 500,
        _ => 400,
    }
}

/// The platform's English description of `code` (PN §12), or a generic
/// one.
pub(crate) fn standard_desc(code: &str) -> &'static str {
    match code {
        "1010001" => "Internal system error.",
        "1010002" => "Invalid request.",
        "1010003" => "Invalid app_key.",
        "1010006" => "Invalid REST API.",
        "1010010" => "Invalid digest.",
        "1010013" => "Time out limit.",
        "1010040" => "The app_key is not allowed to invoke the API.",
        "1011002" | "1012008" => "Insufficient number of resources.",
        "1011003" => "Exceeded the upper limit of resources that can be applied for.",
        "1011004" | "1012001" => "Resource of number is not to be applied.",
        "1011005" => "Resource has been applied.",
        "1012007" | "1016001" => "The record does not exist.",
        "1012010" => "The relation number has been bound.",
        "1012102" => "The number is contained in the blacklist.",
        "1013102" => "The extend number has been bound.",
        "1016002" => "The record already exists.",
        "1020152" => "Invalid sessionId.",
        "1020167" => "No idle extend Number.",
        "1023006" => "Authorization not contained in the HTTP header.",
        "1023007" => "realm not contained in Authorization.",
        "1023008" => "profile not contained in Authorization.",
        "1023009" => "The value of realm in Authorization must be SDP.",
        "1023010" => "The value of profile in Authorization must be UsernameToken.",
        "1023011" => "The value of type in Authorization must be app_key.",
        "1023012" => "type not contained in Authorization.",
        "1023033" => "HTTP header not found X-AKSK field.",
        "1023034" => "UserName not contained in X-AKSK.",
        "1023035" => "Nonce not contained in X-AKSK.",
        "1023036" => "Created not contained in X-AKSK.",
        "1023037" => "PasswordDigest not contained in X-AKSK.",
        "1023038" => "The format of X-AKSK is invalid.",
        _ => "The request was refused.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::callback::codes::ResultCode;
    use crate::engine::rules::Violation;

    #[test]
    fn statuses_follow_the_spec_table() {
        for (code, status) in [
            ("1023006", 400),
            ("1023033", 400),
            ("1023038", 400),
            ("1010003", 401),
            ("1010010", 401),
            ("1010013", 401),
            ("1010002", 403),
            ("1012001", 403),
            ("1010001", 500),
            ("1012010", 400),
            ("1016001", 400),
        ] {
            assert_eq!(http_status(code), status, "{code}");
        }
    }

    #[test]
    fn every_standard_code_is_known_to_the_result_table() {
        for code in [
            "1010001", "1010002", "1010003", "1010006", "1010010", "1010013", "1010040", "1011002",
            "1012008", "1011003", "1011004", "1012001", "1011005", "1012007", "1016001", "1012010",
            "1012102", "1013102", "1016002", "1020152", "1020167", "1023006", "1023007", "1023008",
            "1023009", "1023010", "1023011", "1023012", "1023033", "1023034", "1023035", "1023036",
            "1023037", "1023038",
        ] {
            assert!(ResultCode::parse(code).is_known(), "{code}");
            assert_ne!(standard_desc(code), "The request was refused.", "{code}");
        }
    }

    #[test]
    fn errors_become_platform_codes() {
        let v: Error = Violation::new("1012010", Some("calleeNum"), "B already on X").into();
        let r = Refusal::from_error(&v, CODE_NOT_APPLIED);
        assert_eq!((r.code.as_str(), r.status), ("1012010", 400));
        assert_eq!(
            r.desc,
            "The relation number has been bound. (calleeNum): B already on X"
        );
        let nf = Error::new(ErrorKind::BindingNotFound, "no binding s1");
        assert_eq!(Refusal::from_error(&nf, CODE_NO_RECORD).code, "1016001");
        let bad = Error::new(ErrorKind::NumberTooShort, "too short").with_field("callerNum");
        let r = Refusal::from_error(&bad, CODE_NOT_APPLIED);
        assert_eq!((r.code.as_str(), r.status), ("1010002", 403));
        assert_eq!(r.desc, "Invalid request. callerNum: too short");
        let long = Refusal::new("1010002", &"x".repeat(400));
        assert_eq!(long.desc.chars().count(), 256);
        let a = long.answer();
        assert_eq!(a.status, 403);
        assert_eq!(a.body["resultcode"], "1010002");
    }
}
