//! `callback::push::parse` on arbitrary bodies.
//!
//! Input: the push body, as bytes.
//!
//! Asserts:
//! * the result is a typed push or an error of a PUSH_* kind (300..=349) with
//!   a message, and parsing is deterministic;
//! * a CDR push has 1..=50 records, a number-status push 1..=100 entries;
//! * every derived fact of every record can be asked without a panic and is
//!   consistent: `answered` ⇔ an answer time (forwarded or call-out leg), `talk_seconds` ≥ 0 (0 when
//!   unanswered), `ring_seconds` ≥ 0, `recording` only with `recordFlag` 1 and
//!   non-empty names, `key` non-empty and equal to `icid` or `sessionId`,
//!   `failure` is `None` for normal codes, `field(name)` is the last
//!   unmodelled member of that name (never a modelled one, such as `icid`),
//!   the parsed numbers re-parse from their E.164 form;
//! * the same for call events, SMS notifications and number statuses.

#![no_main]

use libfuzzer_sys::fuzz_target;
use privnum::callback::push::{
    self, CdrRecord, MAX_CDRS, MAX_NUMBER_STATUSES, Push, parse_platform_time,
};
use privnum::number::{self, Number};
use privnum_fuzz::assert_code_in;

fn check_number(n: Option<Number>, raw: Option<&str>) {
    if let Some(n) = n {
        assert!(raw.is_some());
        assert_eq!(number::parse(n.e164().as_str()), Ok(n));
    }
}

/// The CDR fields privnum models (camelCase, as on the wire).
const KNOWN: [&str; 31] = [
    "direction",
    "spId",
    "appKey",
    "icid",
    "bindNum",
    "sessionId",
    "subscriptionId",
    "callerNum",
    "calleeNum",
    "fwdDisplayNum",
    "fwdDstNum",
    "callInTime",
    "fwdStartTime",
    "fwdAlertingTime",
    "fwdAnswerTime",
    "callEndTime",
    "fwdUnaswRsn",
    "failTime",
    "ulFailReason",
    "sipStatusCode",
    "callOutUnaswRsn",
    "recordFlag",
    "recordStartTime",
    "recordObjectName",
    "recordBucketName",
    "recordDomain",
    "serviceType",
    "hostName",
    "extendNum",
    "userData",
    "notifyMode",
];

fn check_cdr(r: &CdrRecord<'_>) {
    // The forwarded leg's answer time, or for VoiceCall CDRs the call-out
    // leg's (kept in `extra`).
    let call_out = |name: &str| {
        r.field(name)
            .and_then(|v| v.as_text())
            .and_then(|t| parse_platform_time(&t).ok().flatten())
    };
    let answer = r.fwd_answer_time.or_else(|| call_out("callOutAnswerTime"));
    assert_eq!(r.answered(), answer.is_some());
    let talk = r.talk_seconds();
    assert!(talk >= 0);
    if !r.answered() || r.call_end_time.is_none() {
        assert_eq!(talk, 0);
    }
    if let Some(ring) = r.ring_seconds() {
        assert!(ring >= 0);
        assert!(r.fwd_alerting_time.is_some() || call_out("callOutAlertingTime").is_some());
    }
    let _ = r.hung_up_by();
    match r.failure() {
        Some(f) => assert!(!f.is_empty()),
        None => {
            assert!(r.ul_fail_reason.is_none_or(|c| c.is_normal()));
            assert!(r.fwd_unasw_rsn.is_none_or(|q| q.is_normal()));
        }
    }
    if let Some(rec) = r.recording() {
        assert_eq!(r.record_flag, Some(1));
        assert!(!rec.file_name.is_empty() && !rec.record_domain.is_empty());
        assert_eq!(Some(rec.file_name), r.record_object_name.as_deref());
        assert_eq!(Some(rec.record_domain), r.record_domain.as_deref());
    }
    if let Some(key) = r.key() {
        assert!(!key.is_empty());
        assert!(r.icid.as_deref() == Some(key) || r.session_id.as_deref() == Some(key));
    } else {
        assert!(r.icid.as_deref().is_none_or(str::is_empty));
        assert!(r.session_id.as_deref().is_none_or(str::is_empty));
    }

    // Fields privnum does not model are kept, in order, and reachable by
    // name (the last one wins); modelled fields never land there.
    for (i, (name, raw)) in r.extra.iter().enumerate() {
        assert!(
            !KNOWN.contains(&name.as_ref()),
            "modelled field {name:?} in extra"
        );
        let last = r.extra[i..]
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| *v);
        assert_eq!(r.field(name), last, "{name:?}");
        assert!(!raw.get().is_empty());
        let _ = raw.as_text();
    }
    for name in KNOWN {
        assert!(r.field(name).is_none(), "{name} is modelled");
    }
    assert_eq!(
        r.field("x"),
        r.extra
            .iter()
            .rev()
            .find(|(k, _)| k == "x")
            .map(|(_, v)| *v)
    );
    check_number(r.caller_number(), r.caller_num.as_deref());
    check_number(r.destination_number(), r.fwd_dst_num.as_deref());
    let _ = format!("{r:?}");
}

fuzz_target!(|data: &[u8]| {
    let parsed = push::parse(data);
    let again = push::parse(data);
    assert_eq!(parsed, again, "parse is deterministic");
    let push = match parsed {
        Ok(p) => p,
        Err(e) => {
            assert_code_in(
                e.kind(),
                300..=349,
                &(String::from_utf8_lossy(data), e.message()),
            );
            assert!(!e.message().is_empty());
            return;
        }
    };
    assert!(std::str::from_utf8(data).is_ok(), "a push is UTF-8");
    assert!(!push.kind_name().is_empty());
    match &push {
        Push::Cdrs(records) => {
            assert!((1..=MAX_CDRS).contains(&records.len()), "{}", records.len());
            records.iter().for_each(check_cdr);
        }
        Push::Call(ev) => {
            let _ = ev.needs_reply();
            let _ = ev.kind.name();
            check_number(ev.info.caller_number(), ev.info.caller.as_deref());
            check_number(ev.info.called_number(), ev.info.called.as_deref());
            for raw in [ev.info.call_rel_direction, ev.info.party_type]
                .into_iter()
                .flatten()
            {
                let _ = (raw.get(), raw.as_text());
            }
            if let Some(code) = ev.info.state_code {
                let _ = (code.to_string(), code.category(), code.hung_up_by());
            }
        }
        Push::Sms(sms) => {
            let _ = (sms.needs_reply(), sms.split_num(), sms.direction());
            if let Some(key) = sms.key() {
                let id = sms.sms_identifier.as_deref().unwrap_or_default();
                assert!(!id.is_empty() && key.starts_with(&format!("sms:{id}:")));
            }
            if let Some(r) = sms.send_result {
                assert_eq!(r.is_success(), r.code() == 0);
            }
        }
        Push::NumberStatus(entries) => {
            assert!((1..=MAX_NUMBER_STATUSES).contains(&entries.len()));
            for e in entries {
                let _ = (e.status.name(), e.status.to_string());
                if let Some(c) = e.cause {
                    let _ = (c.name(), c.to_string());
                }
            }
        }
        _ => {}
    }
    let _ = format!("{push:?}");
});
