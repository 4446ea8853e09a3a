//! Stop a live call (PN §8; VoiceCall §1.1), for every mode and for
//! VoiceCall's calls alike.
//!
//! | operation | method | idempotent | output |
//! |---|---|---|---|
//! | [`CallStop`] | POST | yes | `()` |
//!
//! The body is `{"sessionid":"…","signal":"call_stop"}`: the session id
//! comes from the call's events (`sessionId` there, all lower case here).
//! An unknown or already finished session is refused with 1020152
//! ([`ErrorKind::PlatformNotFound`]).

use serde::Serialize;

use super::any::Args;
use super::{Envelope, HttpResponse, Method, Operation, Prepared};
use crate::error::{Error, ErrorKind, Result};
use crate::number::Field;

/// The path of the call stop operation.
pub const CALL_STOP_PATH: &str = "/rest/httpsessions/callStop/v2.0";

/// The only documented `signal`.
pub const SIGNAL_CALL_STOP: &str = "call_stop";

/// Hang up a call in progress (PN §8): POST, idempotent.
///
/// Sending it again is harmless: the call ends once. A retried stop whose
/// first attempt went through answers 1020152
/// ([`ErrorKind::PlatformNotFound`]), as does a call that already ended:
/// treat that as done.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct CallStop {
    /// `sessionid`: the call's `sessionId` from its events. String(1-256).
    pub session_id: String,
}

impl CallStop {
    /// Stop the call `session_id`.
    #[must_use]
    pub fn new(session_id: impl Into<String>) -> Self {
        Self {
            session_id: session_id.into(),
        }
    }

    /// From the arguments of `call.stop` (see [`any`](super::any)): the
    /// session as `sessionid` (the wire name) or `sessionId` / `session_id`
    /// (the events' name), not both.
    pub(crate) fn from_args(a: &mut Args) -> Result<Self> {
        if a.has("sessionid") && a.has("sessionId") {
            return Err(a.exclusive("sessionid", "sessionId"));
        }
        let id = match a.text("sessionid")? {
            Some(id) => id,
            None => a.text("sessionId")?.ok_or_else(|| a.missing("sessionid"))?,
        };
        Ok(Self::new(id))
    }
}

#[derive(Serialize)]
struct CallStopWire<'a> {
    sessionid: &'a str,
    signal: &'static str,
}

impl Operation for CallStop {
    type Output = ();

    fn name(&self) -> &'static str {
        "call.stop"
    }

    /// True: the call ends once, however often it is stopped.
    fn idempotent(&self) -> bool {
        true
    }

    fn prepare(&self) -> Result<Prepared> {
        Field::SessionId
            .check(&self.session_id)
            .map_err(|e| e.with_field("sessionid"))?;
        let wire = CallStopWire {
            sessionid: &self.session_id,
            signal: SIGNAL_CALL_STOP,
        };
        let body = serde_json::to_string(&wire).map_err(|e| {
            Error::new(
                ErrorKind::InvalidArgument,
                format!("the request body cannot be serialized: {e}"),
            )
        })?;
        Ok(Prepared {
            method: Method::Post,
            path: CALL_STOP_PATH,
            query: Vec::new(),
            body: Some(body),
        })
    }

    fn parse(&self, resp: &HttpResponse<'_>) -> Result<()> {
        Envelope::parse(resp).map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SESSION: &str = "1200_1_4294967295_20240501080000@callenabler246.huaweicaas.com";

    fn resp(status: u16, body: &str) -> HttpResponse<'_> {
        HttpResponse {
            status,
            location: None,
            body: body.as_bytes(),
        }
    }

    #[test]
    fn body_and_bounds() {
        let op = CallStop::new(SESSION);
        let p = op.prepare().unwrap();
        assert_eq!((p.method, p.path), (Method::Post, CALL_STOP_PATH));
        assert!(p.query.is_empty());
        assert_eq!(
            p.body.as_deref(),
            Some(format!(r#"{{"sessionid":"{SESSION}","signal":"call_stop"}}"#).as_str())
        );
        assert!(op.idempotent());
        assert_eq!(op.name(), "call.stop");
        // JSON escaping of odd characters.
        let p = CallStop::new("a\"b\\c").prepare().unwrap();
        assert_eq!(
            p.body.as_deref(),
            Some(r#"{"sessionid":"a\"b\\c","signal":"call_stop"}"#)
        );
        for id in [String::new(), "s".repeat(257)] {
            let e = CallStop::new(id).prepare().unwrap_err();
            assert_eq!(
                (e.kind(), e.field()),
                (ErrorKind::FieldOutOfBounds, Some("sessionid"))
            );
        }
        assert!(CallStop::new("s".repeat(256)).prepare().is_ok());
    }

    #[test]
    fn arguments_by_name() {
        use crate::client::any::AnyOperation;
        use serde_json::json;
        for args in [
            json!({"sessionid": SESSION}),
            json!({"sessionId": SESSION}),
            json!({"session_id": SESSION}),
        ] {
            let op = AnyOperation::from_json("call.stop", &args).unwrap();
            assert_eq!(op, AnyOperation::CallStop(CallStop::new(SESSION)));
        }
        let e = AnyOperation::from_json(
            "call.stop",
            &json!({"sessionid": SESSION, "session_id": SESSION}),
        )
        .unwrap_err();
        assert_eq!(
            (e.kind(), e.field()),
            (ErrorKind::InvalidArgument, Some("sessionId"))
        );
        let e = AnyOperation::from_json("call.stop", &json!({})).unwrap_err();
        assert_eq!(e.field(), Some("sessionid"));
    }

    #[test]
    fn answers() {
        let op = CallStop::new(SESSION);
        assert_eq!(
            op.parse(&resp(200, r#"{"resultcode":"0","resultdesc":"Success"}"#)),
            Ok(())
        );
        let e = op
            .parse(&resp(
                200,
                r#"{"resultcode":"1020152","resultdesc":"Invalid sessionId."}"#,
            ))
            .unwrap_err();
        assert_eq!(
            (e.kind(), e.platform_code()),
            (ErrorKind::PlatformNotFound, Some("1020152"))
        );
        let e = op.parse(&resp(404, "Not Found")).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::ResponseInvalid);
    }
}
