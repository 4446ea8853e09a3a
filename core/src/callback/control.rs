//! X-mode call-control queries (Alibaba style, `voicecall-and-signing.md`
//! §3.3): the platform asks the customer's server, with sorted-parameter
//! signed query parameters, whether to connect a call or an SMS.
//!
//! ```text
//!  params ─▶ receive_call_control(verifier, params, now) ─▶ ParamsVerifier (signature,
//!            timestamp window, nonce replay) ─▶ CallControlQuery ─▶ reply::CallControlReply
//! ```
//!
//! The transport (method, form vs query) is not documented; the caller hands
//! in the decoded `(name, value)` pairs from wherever they came. `callTime`'s
//! time zone is not documented either: it is kept as sent, and
//! [`CallControlQuery::call_time_utc8`] reads it as Beijing time (UTC+8), the
//! zone of the vendor's other local times, without ever failing the query.

use std::borrow::Cow;

use crate::error::{Error, ErrorKind, Result};
use crate::number::{self, Number};
use crate::sign::params::{ParamsVerified, ParamsVerifier};
use crate::sign::parse_utc_datetime;

/// What the query is about.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RecordType {
    /// A voice call (`CAL`).
    Call,
    /// An SMS (`SMS`).
    Sms,
    /// A value privnum does not know, kept as sent.
    Other(String),
}

impl RecordType {
    fn from_wire(s: &str) -> Self {
        match s {
            "CAL" => Self::Call,
            "SMS" => Self::Sms,
            other => Self::Other(other.to_owned()),
        }
    }

    /// The value as sent (`CAL`, `SMS`, …).
    #[must_use]
    pub fn name(&self) -> &str {
        match self {
            Self::Call => "CAL",
            Self::Sms => "SMS",
            Self::Other(s) => s,
        }
    }
}

/// A call-control query's business parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallControlQuery<'a> {
    /// `callNo`: the calling number, as sent.
    pub call_no: Cow<'a, str>,
    /// `secretNo`: the privacy number X, as sent.
    pub secret_no: Cow<'a, str>,
    /// `extension`: digits the caller keyed, when asked for an extension.
    pub extension: Option<Cow<'a, str>>,
    /// `recordType`: call or SMS.
    pub record_type: Option<RecordType>,
    /// `callTime` as sent (`yyyyMMddHHmmss`).
    pub call_time: Option<Cow<'a, str>>,
    /// `callId`: the call's id.
    pub call_id: Option<Cow<'a, str>>,
}

impl CallControlQuery<'_> {
    /// The calling number parsed as a [`Number`], if it is one.
    #[must_use]
    pub fn caller(&self) -> Option<Number> {
        number::parse(&self.call_no).ok()
    }

    /// X parsed as a [`Number`], if it is one.
    #[must_use]
    pub fn x(&self) -> Option<Number> {
        number::parse(&self.secret_no).ok()
    }

    /// `callTime` as Unix seconds, reading it as Beijing time (UTC+8; the zone
    /// is not documented). `None` when absent or not `yyyyMMddHHmmss`.
    #[must_use]
    pub fn call_time_utc8(&self) -> Option<i64> {
        let t = self.call_time.as_deref()?;
        let b = t.as_bytes();
        if b.len() != 14 || !b.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let iso = format!(
            "{}-{}-{}T{}:{}:{}Z",
            &t[0..4],
            &t[4..6],
            &t[6..8],
            &t[8..10],
            &t[10..12],
            &t[12..14]
        );
        parse_utc_datetime(&iso).ok().map(|u| u - 8 * 3600)
    }
}

/// Read the business parameters of a call-control query (no signature check:
/// see [`receive_call_control`]). `callNo` and `secretNo` are required.
pub fn parse_call_control<'a>(params: &[(&'a str, &'a str)]) -> Result<CallControlQuery<'a>> {
    let get = |name: &str| -> Option<Cow<'a, str>> {
        params
            .iter()
            .rev()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| Cow::Borrowed(*v))
            .filter(|v| !v.is_empty())
    };
    let required = |name: &str| {
        get(name).ok_or_else(|| {
            Error::new(
                ErrorKind::PushMissingField,
                format!("the call-control query has no {name} parameter"),
            )
        })
    };
    Ok(CallControlQuery {
        call_no: required("callNo")?,
        secret_no: required("secretNo")?,
        extension: get("extension"),
        record_type: get("recordType").map(|r| RecordType::from_wire(&r)),
        call_time: get("callTime"),
        call_id: get("callId"),
    })
}

/// Verify a call-control query's signature, timestamp and nonce with
/// `verifier` (built with [`crate::sign::params::Profile::call_control`]),
/// then read its business parameters.
pub fn receive_call_control<'a>(
    verifier: &ParamsVerifier,
    params: &[(&'a str, &'a str)],
    now: i64,
) -> Result<(CallControlQuery<'a>, ParamsVerified)> {
    let verified = verifier.verify(params, now)?;
    match parse_call_control(params) {
        Ok(q) => Ok((q, verified)),
        Err(e) => {
            if let Some((_, nonce)) = params
                .iter()
                .find(|(k, _)| *k == verifier.profile().nonce_name)
            {
                verifier.forget(nonce);
            }
            Err(e)
        }
    }
}
