//! Pushes as JSON: what `privnum parse` prints and what tools that do not
//! link privnum can read, with the facts privnum derives from each push
//! (answered, talk time, who hung up, why a call failed, the recording's
//! download parameters, what the status codes mean).
//!
//! ```
//! use privnum::callback::push;
//!
//! let body = br#"{"eventType":"fee","feeLst":[{"icid":"c1","direction":1,
//!   "callerNum":"+8613800000001","fwdDstNum":"+8613900000002",
//!   "fwdAnswerTime":"2024-05-01 08:00:05","callEndTime":"2024-05-01 08:01:05","ulFailReason":0}]}"#;
//! let json = push::parse(body)?.to_json();
//! assert_eq!(json["kind"], "cdrs");
//! let cdr = &json["records"][0];
//! assert_eq!((cdr["key"].as_str(), cdr["answered"].as_bool()), (Some("c1"), Some(true)));
//! assert_eq!(cdr["talk_seconds"], 60);
//! assert_eq!(cdr["ul_fail_reason"]["code"], 0);
//! # Ok::<(), privnum::Error>(())
//! ```
//!
//! Keys are snake case; absent fields are left out; times are Unix seconds
//! (the platform sends UTC `yyyy-MM-dd HH:mm:ss`); numbers are the text the
//! platform sent, not masked (this is data the caller asked for, not a log);
//! codes are objects with their `code` and, when privnum knows it, their
//! `description` (and category or name); fields privnum does not model are
//! kept under `extra` as their JSON values.

use std::borrow::Cow;

use serde_json::{Map, Value, json};

use super::codes::{FailReason, Q850};
use super::push::{CallEvent, CdrRecord, NumberStatusEntry, Push, RawJson, SmsEvent};

impl Push<'_> {
    /// The push as a JSON object: `{"kind": "call" | "cdrs" | "sms" |
    /// "number_status", …}` (see the [module docs](self)).
    #[must_use]
    pub fn to_json(&self) -> Value {
        let mut out = Obj::default().put("kind", Some(self.kind_name()));
        match self {
            Self::Call(e) => out = out.put("event", Some(call_json(e))),
            Self::Cdrs(records) => {
                out = out.put(
                    "records",
                    Some(Value::Array(records.iter().map(cdr_json).collect())),
                );
            }
            Self::Sms(s) => out = out.put("sms", Some(sms_json(s))),
            Self::NumberStatus(entries) => {
                out = out.put(
                    "numbers",
                    Some(Value::Array(entries.iter().map(status_json).collect())),
                );
            }
        }
        out.done()
    }
}

#[derive(Default)]
struct Obj(Map<String, Value>);

impl Obj {
    fn put(mut self, key: &str, v: Option<impl Into<Value>>) -> Self {
        if let Some(v) = v {
            self.0.insert(key.to_owned(), v.into());
        }
        self
    }

    fn text(self, key: &str, v: Option<&Cow<'_, str>>) -> Self {
        self.put(key, v.map(|s| s.as_ref().to_owned()))
    }

    fn done(self) -> Value {
        Value::Object(self.0)
    }
}

fn fail_reason(r: FailReason) -> Value {
    Obj::default()
        .put("code", Some(r.code()))
        .put("description", r.description())
        .put("category", Some(r.category().name()))
        .put("normal", Some(r.is_normal()))
        .put("hung_up_by", r.hung_up_by().map(|p| p.name()))
        .done()
}

fn q850(q: Q850) -> Value {
    Obj::default()
        .put("code", Some(q.code()))
        .put("description", q.description())
        .put("normal", Some(q.is_normal()))
        .done()
}

/// A raw value as JSON (it was valid JSON when parsed).
fn raw(v: RawJson<'_>) -> Value {
    serde_json::from_str(v.get()).unwrap_or_else(|_| Value::String(v.get().to_owned()))
}

fn call_json(e: &CallEvent<'_>) -> Value {
    let i = &e.info;
    Obj::default()
        .put("event_type", Some(e.kind.name()))
        .put("needs_reply", Some(e.needs_reply()))
        .put("timestamp", i.timestamp)
        .text("session_id", i.session_id.as_ref())
        .text("caller", i.caller.as_ref())
        .text("called", i.called.as_ref())
        .text("subscription_id", i.subscription_id.as_ref())
        .text("user_data", i.user_data.as_ref())
        .text("notify_mode", i.notify_mode.as_ref())
        .text("digit_info", i.digit_info.as_ref())
        .put("state_code", i.state_code.map(fail_reason))
        .text("state_desc", i.state_desc.as_ref())
        .put("call_rel_direction", i.call_rel_direction.map(raw))
        .put("party_type", i.party_type.map(raw))
        .text("display_caller_num", i.display_caller_num.as_ref())
        .done()
}

fn cdr_json(r: &CdrRecord<'_>) -> Value {
    let extra: Map<String, Value> = r
        .extra
        .iter()
        .map(|(k, v)| (k.as_ref().to_owned(), raw(*v)))
        .collect();
    Obj::default()
        .put("key", r.key())
        .put("answered", Some(r.answered()))
        .put("talk_seconds", Some(r.talk_seconds()))
        .put("ring_seconds", r.ring_seconds())
        .put("hung_up_by", r.hung_up_by().map(|p| p.name()))
        .put("failure", r.failure())
        .put(
            "recording",
            r.recording()
                .map(|rec| json!({"file_name": rec.file_name, "record_domain": rec.record_domain})),
        )
        .put("direction", r.direction)
        .text("sp_id", r.sp_id.as_ref())
        .text("app_key", r.app_key.as_ref())
        .text("icid", r.icid.as_ref())
        .text("bind_num", r.bind_num.as_ref())
        .text("session_id", r.session_id.as_ref())
        .text("subscription_id", r.subscription_id.as_ref())
        .text("caller_num", r.caller_num.as_ref())
        .text("callee_num", r.callee_num.as_ref())
        .text("fwd_display_num", r.fwd_display_num.as_ref())
        .text("fwd_dst_num", r.fwd_dst_num.as_ref())
        .put("call_in_time", r.call_in_time)
        .put("fwd_start_time", r.fwd_start_time)
        .put("fwd_alerting_time", r.fwd_alerting_time)
        .put("fwd_answer_time", r.fwd_answer_time)
        .put("call_end_time", r.call_end_time)
        .put("fwd_unasw_rsn", r.fwd_unasw_rsn.map(q850))
        .put("fail_time", r.fail_time)
        .put("ul_fail_reason", r.ul_fail_reason.map(fail_reason))
        .put("sip_status_code", r.sip_status_code)
        .put("call_out_unasw_rsn", r.call_out_unasw_rsn.map(q850))
        .put("record_flag", r.record_flag)
        .put("record_start_time", r.record_start_time)
        .text("record_object_name", r.record_object_name.as_ref())
        .text("record_bucket_name", r.record_bucket_name.as_ref())
        .text("record_domain", r.record_domain.as_ref())
        .text("service_type", r.service_type.as_ref())
        .text("host_name", r.host_name.as_ref())
        .text("extend_num", r.extend_num.as_ref())
        .text("user_data", r.user_data.as_ref())
        .text("notify_mode", r.notify_mode.as_ref())
        .put("extra", (!extra.is_empty()).then_some(Value::Object(extra)))
        .done()
}

fn sms_json(s: &SmsEvent<'_>) -> Value {
    let ext: Map<String, Value> = s
        .ext_paras
        .iter()
        .map(|(k, v)| (k.as_ref().to_owned(), Value::from(v.as_ref())))
        .collect();
    Obj::default()
        .put("key", s.key())
        .put("needs_reply", Some(s.needs_reply()))
        .text("app_key", s.app_key.as_ref())
        .text("sms_identifier", s.sms_identifier.as_ref())
        .text("notification_mode", s.notification_mode.as_ref())
        .text("calling", s.calling.as_ref())
        .text("called", s.called.as_ref())
        .text("virtual_number", s.virtual_number.as_ref())
        .text("event", s.event.as_ref())
        .put("time_stamp", s.time_stamp)
        .put(
            "send_result",
            s.send_result.map(|r| {
                Obj::default()
                    .put("code", Some(r.code()))
                    .put("description", r.description())
                    .put("success", Some(r.is_success()))
                    .done()
            }),
        )
        .text("subscription_id", s.subscription_id.as_ref())
        .text("sms_content", s.sms_content.as_ref())
        .text("user_data", s.user_data.as_ref())
        .put("split_num", s.split_num())
        .put("direction", s.direction())
        .put("ext_paras", (!ext.is_empty()).then_some(Value::Object(ext)))
        .done()
}

fn status_json(e: &NumberStatusEntry<'_>) -> Value {
    Obj::default()
        .put("number", Some(e.number.as_ref()))
        .put(
            "status",
            Some(
                Obj::default()
                    .put("code", Some(e.status.code()))
                    .put("name", Some(e.status.name()))
                    .put("description", e.status.description())
                    .put("binding_usable", Some(e.status.binding_usable()))
                    .put(
                        "new_bindings_allowed",
                        Some(e.status.new_bindings_allowed()),
                    )
                    .done(),
            ),
        )
        .put(
            "cause",
            e.cause.map(|c| {
                Obj::default()
                    .put("code", Some(c.code()))
                    .put("name", Some(c.name()))
                    .put("description", c.description())
                    .done()
            }),
        )
        .done()
}

#[cfg(test)]
mod tests {
    use super::super::push;
    use serde_json::json;

    #[test]
    fn call_event_with_codes_and_raw_fields() {
        let body = br#"{"eventType":"disconnect","statusInfo":{"sessionId":"s-1",
            "timestamp":"2024-05-01 08:00:05","caller":"+8613800000001","called":"+8613900000002",
            "stateCode":0,"stateDesc":"The user releases the call.","subscriptionId":"sub-1",
            "callRelDirection":1}}"#;
        let j = push::parse(body).unwrap().to_json();
        assert_eq!(j["kind"], "call");
        let e = &j["event"];
        assert_eq!(e["event_type"], "disconnect");
        assert_eq!(e["timestamp"], 1_714_550_405);
        assert_eq!(e["caller"], "+8613800000001");
        assert_eq!(e["state_code"]["code"], 0);
        assert_eq!(e["state_code"]["normal"], true);
        assert_eq!(e["call_rel_direction"], 1);
        assert_eq!(e["needs_reply"], false);
        assert!(e.get("digit_info").is_none());
    }

    #[test]
    fn cdrs_keep_what_privnum_does_not_model() {
        let body = br#"{"eventType":"fee","feeLst":[
            {"icid":"c1","recordFlag":1,"recordObjectName":"r.wav","recordDomain":"d.example",
             "fwdUnaswRsn":17,"ulFailReason":3,"ttsPlayTimes":2,"mptyId":"m"},
            {"sessionId":"s2"}]}"#;
        let j = push::parse(body).unwrap().to_json();
        let r = &j["records"];
        assert_eq!(r.as_array().unwrap().len(), 2);
        assert_eq!(
            r[0]["recording"],
            json!({"file_name": "r.wav", "record_domain": "d.example"})
        );
        assert_eq!(r[0]["fwd_unasw_rsn"]["code"], 17);
        assert_eq!(r[0]["extra"], json!({"ttsPlayTimes": 2, "mptyId": "m"}));
        assert_eq!(r[0]["answered"], false);
        assert_eq!(r[1]["key"], "s2");
        assert!(r[1].get("extra").is_none());
    }

    #[test]
    fn sms_and_number_status() {
        let body = br#"{"appKey":"k","smsEvent":{"smsIdentifier":"m1","notificationMode":"Block",
            "calling":"+8613800000001","called":"+8617000000010","smsContent":"hi",
            "extInfo":{"extParas":[{"key":"splitNum","value":"2"}]}}}"#;
        let j = push::parse(body).unwrap().to_json();
        assert_eq!(j["kind"], "sms");
        assert_eq!(j["sms"]["needs_reply"], true);
        assert_eq!(j["sms"]["split_num"], 2);
        assert_eq!(j["sms"]["key"], "sms:m1:Block");
        let body = br#"{"eventType":"numStatus","numInfo":[{"number":"+8617000000010","status":"10","cause":"2"}]}"#;
        let j = push::parse(body).unwrap().to_json();
        assert_eq!(j["kind"], "number_status");
        let n = &j["numbers"][0];
        assert_eq!(n["number"], "+8617000000010");
        assert_eq!(n["status"]["code"], 10);
        assert_eq!(n["status"]["binding_usable"], false);
        assert_eq!(n["cause"]["code"], 2);
    }
}
