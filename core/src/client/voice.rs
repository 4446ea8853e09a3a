//! VoiceCall (语音通话) voice verification code (VoiceCall §1.2–§1.4): the
//! platform calls a number and speaks a code. Same signing (X-AKSK) and
//! answer envelope as PrivateNumber; the application is a VoiceCall one,
//! with its own key, secret and base URL.
//!
//! | operation | method | idempotent | output |
//! |---|---|---|---|
//! | [`VoiceVerifyCode`] | POST | no: a second attempt calls again | [`VoiceCallPlaced`] |
//!
//! `prepare` checks every field before anything is sent and names the wire
//! field at fault ([`Error::field`]):
//!
//! * `displayNbr`, `calleeNbr` (String(4-31)), `preTone` (String(1-128)) and
//!   `verifyCode` (String(2-8)) outside their bounds are
//!   [`ErrorKind::FieldOutOfBounds`]; a `verifyCode` with anything but the
//!   digits 0-9 is [`ErrorKind::InvalidArgument`] (messages never quote the
//!   code, and `Debug` hides it);
//! * `times` above 9 and a malformed `userData` are
//!   [`ErrorKind::RuleViolation`] with platform code `"1010002"`, as the
//!   platform answers them;
//! * `statusUrl` and `feeUrl` are given as plain URLs and sent
//!   Base64-encoded, as the platform wants them; a value that is not an
//!   `http://` or `https://` URL (an already encoded one, say) is
//!   [`ErrorKind::InvalidArgument`].
//!
//! Unconfirmed items (VoiceCall §5) are read tolerantly: `posTone` and the
//! two URLs get no length check (their bounds are unconfirmed), and
//! `languageType` takes any number (privnum sends [`LANGUAGE_CHINESE`], the
//! only documented value, unless told otherwise). The legacy `bindNbr` is
//! not sent.
//!
//! The answer's result codes are PrivateNumber's plus VoiceCall's own
//! ([`ResultCode`](crate::callback::codes::ResultCode)'s table has both): a call-port quota (1020165) is
//! [`ErrorKind::PlatformThrottled`], a rest-hours window (1013121)
//! [`ErrorKind::PlatformForbidden`], a wrong method or path (1010006)
//! [`ErrorKind::PlatformInvalidRequest`].

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde::Serialize;
use serde_json::Value;

use super::any::{Args, Obj};
use super::wire::number_in;
use super::{Envelope, HttpResponse, Method, Operation, Prepared, invalid_field, lenient_text};
use crate::engine::rules::{self, Violation};
use crate::error::{Error, ErrorKind, Result};
use crate::number::{Field, Number};

/// The path of the voice verification code operation.
pub const CALL_VERIFY_PATH: &str = "/rest/httpsessions/callVerify/v1.0";

/// `languageType` 2: Chinese, the only documented value.
pub const LANGUAGE_CHINESE: u32 = 2;

/// Largest `times` (how often the code is played; 0 = until hang-up).
pub const MAX_TIMES: u32 = 9;

/// Call a number and speak a verification code (VoiceCall §1.2): POST, not
/// idempotent.
///
/// Build it with [`VoiceVerifyCode::new`], then set the optional fields.
/// Every attempt that reaches the platform places a call, so an attempt
/// whose outcome is unknown is not sent again automatically: let the user
/// ask for a new code instead.
///
/// `Debug` shows the numbers masked and never the code.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct VoiceVerifyCode {
    /// `displayNbr`: the number the callee sees, one the application owns.
    /// String(4-31).
    pub display_nbr: Number,
    /// `calleeNbr`: who is called. String(4-31).
    pub callee_nbr: Number,
    /// `languageType`: the language of the spoken code ([`LANGUAGE_CHINESE`]).
    pub language_type: u32,
    /// `preTone`: audio file played before the code (uploaded and approved
    /// in the console). String(1-128).
    pub pre_tone: String,
    /// `verifyCode`: the code, 2–8 digits 0-9.
    pub verify_code: String,
    /// `posTone`: audio file played after the code (absent: the call ends
    /// after the code).
    pub pos_tone: Option<String>,
    /// `times`: how often the code is played, 0–9 (platform default 3; 0
    /// repeats until hang-up).
    pub times: Option<u32>,
    /// `statusUrl`: this call's status push URL, as a plain `http(s)://`
    /// URL (sent Base64-encoded).
    pub status_url: Option<String>,
    /// `feeUrl`: this call's CDR push URL, as a plain `http(s)://` URL
    /// (sent Base64-encoded).
    pub fee_url: Option<String>,
    /// `returnIdlePort`: ask for the count of idle platform ports
    /// ([`VoiceCallPlaced::idle_port`]).
    pub return_idle_port: Option<bool>,
    /// `userData`: echoed in the call's pushes. 1–256 printable ASCII
    /// characters without `{`, `}` or `^`.
    pub user_data: Option<String>,
}

impl VoiceVerifyCode {
    /// Call `callee_nbr` from `display_nbr` and speak `verify_code` after
    /// the tone `pre_tone`, in Chinese; every other field absent.
    #[must_use]
    pub fn new(
        display_nbr: Number,
        callee_nbr: Number,
        pre_tone: impl Into<String>,
        verify_code: impl Into<String>,
    ) -> Self {
        Self {
            display_nbr,
            callee_nbr,
            language_type: LANGUAGE_CHINESE,
            pre_tone: pre_tone.into(),
            verify_code: verify_code.into(),
            pos_tone: None,
            times: None,
            status_url: None,
            fee_url: None,
            return_idle_port: None,
            user_data: None,
        }
    }

    /// From the arguments of `voice.verify_code` (see [`any`](super::any));
    /// `languageType` defaults to [`LANGUAGE_CHINESE`].
    pub(crate) fn from_args(a: &mut Args) -> Result<Self> {
        let mut op = Self::new(
            a.required_number("displayNbr")?,
            a.required_number("calleeNbr")?,
            a.required_text("preTone")?,
            a.required_text("verifyCode")?,
        );
        if let Some(lang) = a.u32("languageType")? {
            op.language_type = lang;
        }
        op.pos_tone = a.text("posTone")?;
        op.times = a.u32("times")?;
        op.status_url = a.text("statusUrl")?;
        op.fee_url = a.text("feeUrl")?;
        op.return_idle_port = a.flag("returnIdlePort")?;
        op.user_data = a.text("userData")?;
        Ok(op)
    }
}

impl fmt::Debug for VoiceVerifyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VoiceVerifyCode")
            .field("display_nbr", &self.display_nbr)
            .field("callee_nbr", &self.callee_nbr)
            .field("language_type", &self.language_type)
            .field("pre_tone", &self.pre_tone)
            .field("verify_code", &"<redacted>")
            .field("pos_tone", &self.pos_tone)
            .field("times", &self.times)
            .field("status_url", &self.status_url)
            .field("fee_url", &self.fee_url)
            .field("return_idle_port", &self.return_idle_port)
            .field("user_data", &self.user_data)
            .finish()
    }
}

/// The request body, in the order of VoiceCall §1.2.
#[derive(Serialize)]
struct VerifyWire<'a> {
    #[serde(rename = "displayNbr")]
    display_nbr: String,
    #[serde(rename = "calleeNbr")]
    callee_nbr: String,
    #[serde(rename = "languageType")]
    language_type: u32,
    #[serde(rename = "preTone")]
    pre_tone: &'a str,
    #[serde(rename = "verifyCode")]
    verify_code: &'a str,
    #[serde(rename = "posTone", skip_serializing_if = "Option::is_none")]
    pos_tone: Option<&'a str>,
    #[serde(rename = "times", skip_serializing_if = "Option::is_none")]
    times: Option<u32>,
    #[serde(rename = "statusUrl", skip_serializing_if = "Option::is_none")]
    status_url: Option<String>,
    #[serde(rename = "feeUrl", skip_serializing_if = "Option::is_none")]
    fee_url: Option<String>,
    #[serde(rename = "returnIdlePort", skip_serializing_if = "Option::is_none")]
    return_idle_port: Option<&'static str>,
    #[serde(rename = "userData", skip_serializing_if = "Option::is_none")]
    user_data: Option<&'a str>,
}

fn verify_code(code: &str) -> Result<&str> {
    Field::VoiceVerifyCode
        .check(code)
        .map_err(|e| e.with_field("verifyCode"))?;
    if !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid_field(
            "verifyCode",
            "verifyCode must be the digits 0-9 only",
        ));
    }
    Ok(code)
}

fn times(t: Option<u32>) -> Result<Option<u32>> {
    match t {
        Some(t) if t > MAX_TIMES => Err(Error::from(Violation::invalid(
            "times",
            format!("times must be 0..={MAX_TIMES}, got {t}"),
        ))),
        _ => Ok(t),
    }
}

/// A push URL, Base64-encoded for the wire.
fn push_url(url: Option<&str>, wire: &'static str) -> Result<Option<String>> {
    let Some(url) = url else {
        return Ok(None);
    };
    let rest = ["http://", "https://"].iter().find_map(|s| {
        url.get(..s.len())
            .filter(|head| head.eq_ignore_ascii_case(s))
            .and_then(|_| url.get(s.len()..))
    });
    if rest.is_none_or(str::is_empty) {
        return Err(invalid_field(
            wire,
            format!(
                "{wire} must be a plain http:// or https:// URL (privnum Base64-encodes it; \
                 do not encode it yourself)"
            ),
        ));
    }
    if url.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(invalid_field(
            wire,
            format!("{wire} must not contain spaces or control characters"),
        ));
    }
    Ok(Some(B64.encode(url)))
}

/// A call placed: the answer of [`VoiceVerifyCode`] (VoiceCall §1.3).
///
/// Read tolerantly: the call was placed whatever else the answer says, so a
/// success without `sessionId` is not an error (the platform documents it on
/// every success).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct VoiceCallPlaced {
    /// `sessionId`: the call's id, as in its status and CDR pushes; stop the
    /// call with it ([`CallStop`](super::call::CallStop)).
    pub session_id: Option<String>,
    /// `idlePort`: idle platform ports, when `returnIdlePort` asked for it.
    pub idle_port: Option<u16>,
}

impl VoiceCallPlaced {
    /// JSON form (see [`any`](super::any)).
    #[must_use]
    pub fn to_json(&self) -> Value {
        Obj::new()
            .put("session_id", self.session_id.clone())
            .put("idle_port", self.idle_port)
            .done()
    }
}

impl Operation for VoiceVerifyCode {
    type Output = VoiceCallPlaced;

    fn name(&self) -> &'static str {
        "voice.verify_code"
    }

    /// False: every attempt that reaches the platform places a call.
    fn idempotent(&self) -> bool {
        false
    }

    fn prepare(&self) -> Result<Prepared> {
        let pre_tone = &self.pre_tone;
        Field::ToneFile
            .check(pre_tone)
            .map_err(|e| e.with_field("preTone"))?;
        let user_data = match self.user_data.as_deref() {
            Some(d) => Some(rules::check_user_data(d).map(|()| d).map_err(Error::from)?),
            None => None,
        };
        let wire = VerifyWire {
            display_nbr: number_in(self.display_nbr, Field::VoiceDisplayNbr, "displayNbr")?,
            callee_nbr: number_in(self.callee_nbr, Field::VoiceCalleeNbr, "calleeNbr")?,
            language_type: self.language_type,
            pre_tone,
            verify_code: verify_code(&self.verify_code)?,
            pos_tone: self.pos_tone.as_deref(),
            times: times(self.times)?,
            status_url: push_url(self.status_url.as_deref(), "statusUrl")?,
            fee_url: push_url(self.fee_url.as_deref(), "feeUrl")?,
            return_idle_port: self
                .return_idle_port
                .map(|b| if b { "true" } else { "false" }),
            user_data,
        };
        let body = serde_json::to_string(&wire).map_err(|e| {
            Error::new(
                ErrorKind::InvalidArgument,
                format!("the request body cannot be serialized: {e}"),
            )
        })?;
        Ok(Prepared {
            method: Method::Post,
            path: CALL_VERIFY_PATH,
            query: Vec::new(),
            body: Some(body),
        })
    }

    /// `sessionId` as text (an integer is read as its digits; an empty or
    /// odd value is `None`); `idlePort` as a number or digit string in
    /// 0–65535, otherwise `None`.
    fn parse(&self, resp: &HttpResponse<'_>) -> Result<VoiceCallPlaced> {
        let env = Envelope::parse(resp)?;
        Ok(VoiceCallPlaced {
            session_id: env.get("sessionId").and_then(lenient_text),
            idle_port: env
                .get("idlePort")
                .and_then(super::lenient_u64)
                .and_then(|n| u16::try_from(n).ok()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::number::parse;

    fn n(s: &str) -> Number {
        parse(s).unwrap()
    }

    fn op() -> VoiceVerifyCode {
        VoiceVerifyCode::new(
            n("+8675528000001"),
            n("13800000001"),
            "pretone.wav",
            "123456",
        )
    }

    fn ok(body: &str) -> HttpResponse<'_> {
        HttpResponse {
            status: 200,
            location: None,
            body: body.as_bytes(),
        }
    }

    fn check(v: VoiceVerifyCode, kind: ErrorKind, field: &str, code: Option<&str>) {
        let e = v.prepare().unwrap_err();
        assert_eq!(
            (e.kind(), e.field(), e.platform_code()),
            (kind, Some(field), code),
            "{e}"
        );
        assert!(!e.message().contains("8613800000001"), "{e}");
    }

    #[test]
    fn body_in_spec_order() {
        let p = op().prepare().unwrap();
        assert_eq!((p.method, p.path), (Method::Post, CALL_VERIFY_PATH));
        assert!(p.query.is_empty());
        assert_eq!(
            p.body.as_deref(),
            Some(
                r#"{"displayNbr":"+8675528000001","calleeNbr":"+8613800000001","languageType":2,"preTone":"pretone.wav","verifyCode":"123456"}"#
            )
        );
        let mut v = op();
        v.user_data = Some("u1".into());
        v.return_idle_port = Some(true);
        v.fee_url = Some("https://example.com/fee".into());
        v.status_url = Some("http://218.4.33.55:8888/test".into());
        v.times = Some(0);
        v.pos_tone = Some("postone.wav".into());
        v.language_type = 1;
        assert_eq!(
            v.prepare().unwrap().body.as_deref(),
            Some(
                r#"{"displayNbr":"+8675528000001","calleeNbr":"+8613800000001","languageType":1,"preTone":"pretone.wav","verifyCode":"123456","posTone":"postone.wav","times":0,"statusUrl":"aHR0cDovLzIxOC40LjMzLjU1Ojg4ODgvdGVzdA==","feeUrl":"aHR0cHM6Ly9leGFtcGxlLmNvbS9mZWU=","returnIdlePort":"true","userData":"u1"}"#
            )
        );
        assert!(!v.idempotent());
        assert_eq!(v.name(), "voice.verify_code");
    }

    #[test]
    fn validation_names_the_field() {
        let rv = ErrorKind::RuleViolation;
        let inv = Some("1010002");
        for code in ["1", "123456789", ""] {
            let mut v = op();
            v.verify_code = code.into();
            check(v, ErrorKind::FieldOutOfBounds, "verifyCode", None);
        }
        for code in ["12a4", "１２３４", "12 4", "-123"] {
            let mut v = op();
            v.verify_code = code.into();
            let e = v.prepare().unwrap_err();
            assert_eq!(e.field(), Some("verifyCode"), "{code}");
            assert!(!e.message().contains(code), "{e}");
        }
        for code in ["12", "12345678", "00"] {
            let mut v = op();
            v.verify_code = code.into();
            assert!(v.prepare().is_ok(), "{code}");
        }
        let mut v = op();
        v.times = Some(10);
        check(v, rv, "times", inv);
        let mut v = op();
        v.times = Some(9);
        assert!(v.prepare().is_ok());
        let mut v = op();
        v.pre_tone = String::new();
        check(v, ErrorKind::FieldOutOfBounds, "preTone", None);
        let mut v = op();
        v.pre_tone = "p".repeat(129);
        check(v, ErrorKind::FieldOutOfBounds, "preTone", None);
        let mut v = op();
        v.user_data = Some("{x}".into());
        check(v, rv, "userData", inv);
        for url in [
            "aHR0cDovLzIxOC40LjMzLjU1Ojg4ODgvdGVzdA==",
            "ftp://x",
            "http://",
            "https://",
            "",
            "https://a b",
        ] {
            let mut v = op();
            v.status_url = Some(url.into());
            check(v, ErrorKind::InvalidArgument, "statusUrl", None);
        }
        let mut v = op();
        v.fee_url = Some("HTTPS://EXAMPLE.COM/F".into());
        assert!(v.prepare().is_ok());
        let mut v = op();
        v.fee_url = Some("example.com".into());
        check(v, ErrorKind::InvalidArgument, "feeUrl", None);
        // Unconfirmed bounds are not enforced.
        let mut v = op();
        v.pos_tone = Some("p".repeat(300));
        v.language_type = 99;
        assert!(v.prepare().is_ok());
    }

    #[test]
    fn debug_hides_the_code_and_numbers() {
        let text = format!("{:?}", op());
        assert!(!text.contains("123456"), "{text}");
        assert!(!text.contains("8613800000001"), "{text}");
        assert!(text.contains("<redacted>"), "{text}");
    }

    #[test]
    fn arguments_by_name() {
        use crate::client::any::AnyOperation;
        use serde_json::json;
        let built = AnyOperation::from_json(
            "voice.verify_code",
            &json!({"display_nbr": "0755-2800-0001", "callee_nbr": 13_800_000_001_u64,
                    "pre_tone": "pretone.wav", "verify_code": "123456", "times": "2"}),
        )
        .unwrap();
        let mut want = op();
        want.times = Some(2);
        assert_eq!(built, AnyOperation::VoiceVerifyCode(want));
        let body = AnyOperation::from_json(
            "voice.verify_code",
            &json!({"displayNbr": "+8675528000001", "calleeNbr": "13800000001",
                    "preTone": "p.wav", "verifyCode": 123_456}),
        )
        .map(|o| o.prepare().unwrap().body.unwrap())
        .unwrap();
        assert!(body.contains(r#""verifyCode":"123456""#), "{body}");
        let e = AnyOperation::from_json(
            "voice.verify_code",
            &json!({"displayNbr": "+8675528000001", "calleeNbr": "13800000001",
                    "preTone": "p.wav", "verifyCode": "1234", "languageType": -1}),
        )
        .unwrap_err();
        assert_eq!(e.field(), Some("languageType"));
    }

    #[test]
    fn answers() {
        let out = op()
            .parse(&ok(
                r#"{"resultcode":"0","resultdesc":"Success","sessionId":"1200_366_0_20161228102743@callenabler.home1.com","idlePort":"17"}"#,
            ))
            .unwrap();
        assert_eq!(
            out.session_id.as_deref(),
            Some("1200_366_0_20161228102743@callenabler.home1.com")
        );
        assert_eq!(out.idle_port, Some(17));
        let out = op()
            .parse(&ok(r#"{"resultcode":"0","sessionId":"","idlePort":70000}"#))
            .unwrap();
        assert_eq!(out, VoiceCallPlaced::default());
        for (status, code, kind) in [
            (200, "1020165", ErrorKind::PlatformThrottled),
            (200, "1013121", ErrorKind::PlatformForbidden),
            (200, "1013120", ErrorKind::PlatformInvalidRequest),
            (200, "1010006", ErrorKind::PlatformInvalidRequest),
            (200, "1010007", ErrorKind::PlatformForbidden),
            (200, "1010011", ErrorKind::PlatformForbidden),
            (200, "1010021", ErrorKind::PlatformForbidden),
            (200, "1010009", ErrorKind::PlatformThrottled),
            (400, "1023006", ErrorKind::PlatformAuth),
            (403, "1010003", ErrorKind::PlatformAuth),
            (200, "1013115", ErrorKind::PlatformUnknown),
        ] {
            let body = format!(r#"{{"resultcode":"{code}","resultdesc":"x","sessionId":""}}"#);
            let e = op()
                .parse(&HttpResponse {
                    status,
                    location: None,
                    body: body.as_bytes(),
                })
                .unwrap_err();
            assert_eq!(
                (e.kind(), e.platform_code(), e.http_status()),
                (kind, Some(code), Some(status)),
                "{code}"
            );
        }
    }
}
