//! The emulator from JSON: its configuration
//! ([`EmulatorConfig::from_json`]) and its control interface without HTTP
//! ([`Emulator::control`]), for the C and Python bindings and for tools
//! that read a configuration file.
//!
//! ```text
//!  {"port": 0, "apps": [{"mode": "axb", "app_key": …, "numbers": [{"number": …, "area": …}]}]}
//!      ──EmulatorConfig::from_json──▶ EmulatorConfig ──Emulator::start──▶ Emulator
//!  Emulator::control("POST", "calls", {"caller": …, "dialled": …}) ──▶ {"ok": …} | {"error": …}
//! ```
//!
//! # The configuration as JSON
//!
//! ```json
//! {
//!   "port": 0,                     // optional: 0 (default) picks a free port
//!   "workers": 2,                  // optional
//!   "max_clock_skew_secs": 300,    // optional
//!   "push_timeout_ms": 5000,       // optional
//!   "cdr_batch_window_ms": 100,    // optional
//!   "max_body_bytes": 65536,       // optional
//!   "apps": [{
//!     "mode": "axb",                               // ax, axb, axe, axyb or x
//!     "app_key": "…", "app_secret": "…",
//!     "numbers": [{"number": "+8617000000010", "area": "0755"}],
//!     "call_event_url": "http://127.0.0.1:8080/events",   // optional
//!     "fee_url": null,                             // optional: CDRs go to call_event_url
//!     "sp_id": "emulator_sp",                      // optional
//!     "retry_time_scale": 60000,                   // optional: 1 is real time
//!     "extension_digits": 4,                       // optional (AXE): 1-4
//!     "sms_url": "http://127.0.0.1:8080/sms",      // optional: Notify-mode SMS
//!     "sms_control_url": null,                     // optional: Block-mode SMS
//!     "x_status_url": null,                        // optional: X-number status pushes
//!     "sms_content": true,                         // optional: push the SMS text
//!     "block_reply_timeout_ms": 2000               // optional: wait for Block replies
//!   }]
//! }
//! ```
//!
//! `null` (or `{}`) is [`EmulatorConfig::demo`]: one AXB application with
//! the [`DEMO_APP_KEY`] / [`DEMO_APP_SECRET`] credentials and four X numbers
//! in area 0755. An object without `apps` keeps the demo application with
//! the other settings given. Unknown keys, values of the wrong type and
//! out-of-range values are [`ErrorKind::InvalidArgument`]; the message names
//! the full path (`apps[0].numbers[1].area`) and [`Error::field`] the key.
//! Numbers are read as [`crate::number::parse`] reads them; one that does not
//! parse keeps its `NUMBER_*` kind, with the path in the message. Then the
//! whole configuration is checked as [`EmulatorConfig::validate`] does.

use std::time::Duration;

use serde_json::{Map, Value, json};

use super::control::handle;
use super::{AppConfig, Emulator, EmulatorConfig, PoolNumber};
use crate::client::json_type;
use crate::engine::Mode;
use crate::error::{Error, ErrorKind, Result};
use crate::number;

/// The app key of [`EmulatorConfig::demo`]'s application.
pub const DEMO_APP_KEY: &str = "emulator-app-key";

/// The app secret of [`EmulatorConfig::demo`]'s application (a well-known
/// test value: the emulator listens on 127.0.0.1 only).
pub const DEMO_APP_SECRET: &str = "emulator-app-secret";

/// The X numbers of [`EmulatorConfig::demo`]'s application, all in area
/// `0755`.
pub const DEMO_NUMBERS: [&str; 4] = [
    "+8617000000010",
    "+8617000000011",
    "+8617000000012",
    "+8617000000013",
];

/// Redeliveries in the demo run 60 000 times faster than on the platform (a
/// minute becomes a millisecond), so tests see the whole schedule at once.
const DEMO_RETRY_TIME_SCALE: u32 = 60_000;

const TOP_KEYS: &[&str] = &[
    "port",
    "workers",
    "max_clock_skew_secs",
    "push_timeout_ms",
    "cdr_batch_window_ms",
    "max_body_bytes",
    "apps",
];

const APP_KEYS: &[&str] = &[
    "mode",
    "app_key",
    "app_secret",
    "numbers",
    "call_event_url",
    "fee_url",
    "sp_id",
    "retry_time_scale",
    "extension_digits",
    "sms_url",
    "sms_control_url",
    "x_status_url",
    "sms_content",
    "block_reply_timeout_ms",
];

impl EmulatorConfig {
    /// The demo configuration: defaults, and one AXB application with
    /// [`DEMO_APP_KEY`], [`DEMO_APP_SECRET`] and the [`DEMO_NUMBERS`] in
    /// area `0755`, no push URLs, redelivery scaled by 60 000.
    #[must_use]
    pub fn demo() -> Self {
        let mut app = AppConfig::new(Mode::Axb, DEMO_APP_KEY, DEMO_APP_SECRET)
            .with_retry_time_scale(DEMO_RETRY_TIME_SCALE);
        for n in DEMO_NUMBERS {
            // The demo numbers and area are valid, so this never skips one
            // (a unit test checks that all four are there).
            if let Ok(pool) = number::parse(n).and_then(|x| PoolNumber::new(x, "0755")) {
                app.numbers.push(pool);
            }
        }
        Self::new(vec![app])
    }

    /// [`EmulatorConfig::demo`]'s application as JSON, in the form
    /// [`EmulatorConfig::from_json`] reads (secret included: it is a
    /// well-known test value).
    #[must_use]
    pub fn demo_app_json() -> Value {
        let numbers: Vec<Value> = DEMO_NUMBERS
            .iter()
            .map(|n| json!({ "number": n, "area": "0755" }))
            .collect();
        json!({
            "mode": "axb",
            "app_key": DEMO_APP_KEY,
            "app_secret": DEMO_APP_SECRET,
            "numbers": numbers,
            "retry_time_scale": DEMO_RETRY_TIME_SCALE,
        })
    }

    /// Read a configuration from JSON (format in the [module
    /// docs](self)), then check it as [`EmulatorConfig::validate`] does.
    pub fn from_json(value: &Value) -> Result<Self> {
        let obj = match value {
            Value::Null => return Ok(Self::demo()),
            Value::Object(obj) => obj,
            other => {
                return Err(invalid(
                    "the emulator configuration must be a JSON object",
                    other,
                    "",
                ));
            }
        };
        unknown_keys(obj, TOP_KEYS, "")?;
        let apps = match obj.get("apps") {
            None | Some(Value::Null) => Self::demo().apps,
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, a)| app_from_json(a, &format!("apps[{i}]")))
                .collect::<Result<Vec<_>>>()?,
            Some(other) => return Err(wrong("apps", "apps", "an array", other)),
        };
        let mut config = Self::new(apps);
        if let Some(port) = uint(obj, "port", "")? {
            config.port = u16::try_from(port).map_err(|_| range("port", "port", "65535"))?;
        }
        if let Some(w) = uint(obj, "workers", "")? {
            config.workers = usize::try_from(w)
                .ok()
                .filter(|w| (1..=64).contains(w))
                .ok_or_else(|| range("workers", "workers", "1 to 64"))?;
        }
        if let Some(s) = uint(obj, "max_clock_skew_secs", "")? {
            config.max_clock_skew_secs = u32::try_from(s)
                .map_err(|_| range("max_clock_skew_secs", "max_clock_skew_secs", "u32"))?;
        }
        if let Some(ms) = uint(obj, "push_timeout_ms", "")? {
            config.push_timeout = Duration::from_millis(ms);
        }
        if let Some(ms) = uint(obj, "cdr_batch_window_ms", "")? {
            config.cdr_batch_window = Duration::from_millis(ms);
        }
        if let Some(n) = uint(obj, "max_body_bytes", "")? {
            config.max_body_bytes = usize::try_from(n)
                .ok()
                .filter(|n| *n >= 1024)
                .ok_or_else(|| range("max_body_bytes", "max_body_bytes", "at least 1024"))?;
        }
        config.validate()?;
        Ok(config)
    }

    /// [`EmulatorConfig::from_json`] from JSON text; empty (or blank) text
    /// is the demo configuration. Text that is not JSON is
    /// [`ErrorKind::InvalidArgument`].
    pub fn from_json_text(text: &str) -> Result<Self> {
        if text.trim().is_empty() {
            return Ok(Self::demo());
        }
        let value: Value = serde_json::from_str(text).map_err(|e| {
            Error::new(
                ErrorKind::InvalidArgument,
                format!("the emulator configuration is not JSON ({e})"),
            )
        })?;
        Self::from_json(&value)
    }
}

fn app_from_json(value: &Value, path: &str) -> Result<AppConfig> {
    let Value::Object(obj) = value else {
        return Err(invalid("an application must be a JSON object", value, path));
    };
    unknown_keys(obj, APP_KEYS, path)?;
    let mode_text = required_str(obj, "mode", path)?;
    let mode = Mode::from_name(mode_text).ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidArgument,
            format!("{path}.mode must be ax, axb, axe, axyb or x, got {mode_text:?}"),
        )
        .with_field("mode")
    })?;
    let key = required_str(obj, "app_key", path)?;
    let secret = required_str(obj, "app_secret", path)?;
    let mut app = AppConfig::new(mode, key, secret);
    match obj.get("numbers") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                let here = format!("{path}.numbers[{i}]");
                app.numbers.push(pool_number(item, &here)?);
            }
        }
        Some(other) => {
            return Err(wrong(
                &format!("{path}.numbers"),
                "numbers",
                "an array",
                other,
            ));
        }
    }
    app.call_event_url = opt_str(obj, "call_event_url", path)?.map(str::to_owned);
    app.fee_url = opt_str(obj, "fee_url", path)?.map(str::to_owned);
    if let Some(sp) = opt_str(obj, "sp_id", path)? {
        sp.clone_into(&mut app.sp_id);
    }
    if let Some(scale) = uint(obj, "retry_time_scale", path)? {
        app.retry_time_scale = u32::try_from(scale)
            .ok()
            .filter(|s| *s >= 1)
            .ok_or_else(|| {
                range(
                    &format!("{path}.retry_time_scale"),
                    "retry_time_scale",
                    "1 to 4294967295",
                )
            })?;
    }
    if let Some(digits) = uint(obj, "extension_digits", path)? {
        app.extension_digits = u8::try_from(digits)
            .ok()
            .filter(|d| (1..=4).contains(d))
            .ok_or_else(|| {
                range(
                    &format!("{path}.extension_digits"),
                    "extension_digits",
                    "1 to 4",
                )
            })?;
    }
    app.sms_url = opt_str(obj, "sms_url", path)?.map(str::to_owned);
    app.sms_control_url = opt_str(obj, "sms_control_url", path)?.map(str::to_owned);
    app.x_status_url = opt_str(obj, "x_status_url", path)?.map(str::to_owned);
    match obj.get("sms_content") {
        None | Some(Value::Null) => {}
        Some(Value::Bool(b)) => app.sms_content = *b,
        Some(other) => {
            return Err(wrong(
                &format!("{path}.sms_content"),
                "sms_content",
                "a boolean",
                other,
            ));
        }
    }
    if let Some(ms) = uint(obj, "block_reply_timeout_ms", path)? {
        app.block_reply_timeout = Duration::from_millis(ms);
    }
    Ok(app)
}

/// `{"number": "+86…", "area": "0755"}`.
fn pool_number(value: &Value, path: &str) -> Result<PoolNumber> {
    let Value::Object(obj) = value else {
        return Err(invalid(
            "a pool number must be a JSON object with number and area",
            value,
            path,
        ));
    };
    unknown_keys(obj, &["number", "area"], path)?;
    let text = required_str(obj, "number", path)?;
    let x = number::parse(text).map_err(|e| {
        let message = format!("{path}.number: {}", e.message());
        Error::new(e.kind(), message).with_field("number")
    })?;
    let area = required_str(obj, "area", path)?;
    PoolNumber::new(x, area).map_err(|e| {
        Error::new(e.kind(), format!("{path}.area: {}", e.message())).with_field("area")
    })
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn invalid(what: &str, got: &Value, path: &str) -> Error {
    let at = if path.is_empty() {
        String::new()
    } else {
        format!("{path}: ")
    };
    Error::new(
        ErrorKind::InvalidArgument,
        format!("{at}{what}, not a JSON {}", json_type(got)),
    )
}

fn wrong(path: &str, field: &'static str, want: &str, got: &Value) -> Error {
    Error::new(
        ErrorKind::InvalidArgument,
        format!("{path} must be {want}, not a JSON {}", json_type(got)),
    )
    .with_field(field)
}

fn range(path: &str, field: &'static str, allowed: &str) -> Error {
    Error::new(
        ErrorKind::InvalidArgument,
        format!("{path} is out of range ({allowed})"),
    )
    .with_field(field)
}

fn unknown_keys(obj: &Map<String, Value>, known: &[&str], path: &str) -> Result<()> {
    match obj.keys().find(|k| !known.contains(&k.as_str())) {
        None => Ok(()),
        Some(k) => {
            let shown: String = k.chars().take(64).collect();
            Err(Error::new(
                ErrorKind::InvalidArgument,
                format!(
                    "{} is not a setting of the emulator; the settings here are {}",
                    join(path, &format!("{shown:?}")),
                    known.join(", ")
                ),
            ))
        }
    }
}

/// The `&'static` name of a known key (for [`Error::with_field`]).
fn static_key(key: &str) -> &'static str {
    TOP_KEYS
        .iter()
        .chain(APP_KEYS)
        .chain(&["number", "area"])
        .find(|k| **k == key)
        .copied()
        .unwrap_or("")
}

fn opt_str<'a>(obj: &'a Map<String, Value>, key: &str, path: &str) -> Result<Option<&'a str>> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(wrong(&join(path, key), static_key(key), "a string", other)),
    }
}

fn required_str<'a>(obj: &'a Map<String, Value>, key: &str, path: &str) -> Result<&'a str> {
    opt_str(obj, key, path)?.ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidArgument,
            format!("{} is required", join(path, key)),
        )
        .with_field(static_key(key))
    })
}

fn uint(obj: &Map<String, Value>, key: &str, path: &str) -> Result<Option<u64>> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v.as_u64().map(Some).ok_or_else(|| {
            wrong(
                &join(path, key),
                static_key(key),
                "a non-negative integer",
                v,
            )
        }),
    }
}

impl Emulator {
    /// Run one operation of the control interface without HTTP: the same
    /// operations and answers as `/_emulator/…` (see the [module
    /// docs](super)). `path` is the operation with its query, with or
    /// without the `/_emulator/` prefix (`"pushes"`,
    /// `"/_emulator/wait_idle?timeout_ms=500"`); `body` is the request's
    /// JSON body (empty when it has none).
    ///
    /// Always answers JSON: `{"ok": …}`, or `{"error": {"kind", "code",
    /// "platform_code", "field", "message"}}` for a refused or unknown
    /// operation.
    #[must_use]
    pub fn control(&self, method: &str, path: &str, body: &[u8]) -> Value {
        let path = path.trim_start_matches('/');
        let path = path.strip_prefix("_emulator/").unwrap_or(path);
        let (op, query) = path.split_once('?').unwrap_or((path, ""));
        let method = method.to_ascii_uppercase();
        handle(&self.shared, &method, op, query, body).body
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(v: Value) -> (ErrorKind, Option<&'static str>, String) {
        let e = EmulatorConfig::from_json(&v).unwrap_err();
        (e.kind(), e.field(), e.message().to_owned())
    }

    #[test]
    fn null_and_empty_are_the_demo() {
        for v in [Value::Null, json!({})] {
            let c = EmulatorConfig::from_json(&v).unwrap();
            assert_eq!(c.apps.len(), 1);
            let app = &c.apps[0];
            assert_eq!((app.mode, app.app_key.as_str()), (Mode::Axb, DEMO_APP_KEY));
            assert_eq!(app.secret(), DEMO_APP_SECRET);
            assert_eq!(app.numbers.len(), DEMO_NUMBERS.len());
            assert_eq!(app.retry_time_scale, DEMO_RETRY_TIME_SCALE);
        }
        let again = EmulatorConfig::from_json(&json!({
            "apps": [EmulatorConfig::demo_app_json()]
        }))
        .unwrap();
        assert_eq!(
            format!("{:?}", again.apps),
            format!("{:?}", EmulatorConfig::demo().apps)
        );
        assert!(EmulatorConfig::from_json_text("  ").is_ok());
        let e = EmulatorConfig::from_json_text("{").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    }

    #[test]
    fn every_setting_is_read() {
        let c = EmulatorConfig::from_json(&json!({
            "port": 0,
            "workers": 3,
            "max_clock_skew_secs": 60,
            "push_timeout_ms": 1500,
            "cdr_batch_window_ms": 0,
            "max_body_bytes": 4096,
            "apps": [{
                "mode": "AXB",
                "app_key": "k1",
                "app_secret": "s1",
                "numbers": [{"number": "+86 170 0000 0020", "area": "010"}],
                "call_event_url": "http://127.0.0.1:9/events",
                "fee_url": "http://127.0.0.1:9/fee",
                "sp_id": "sp",
                "retry_time_scale": 1000,
                "sms_url": "http://127.0.0.1:9/sms",
                "sms_control_url": "http://127.0.0.1:9/sms-block",
                "x_status_url": "http://127.0.0.1:9/status",
                "sms_content": false,
                "block_reply_timeout_ms": 750
            }, {"mode": "ax", "app_key": "k2", "app_secret": "s2", "extension_digits": 3},
               {"mode": "x", "app_key": "k3", "app_secret": "s3",
                "numbers": [{"number": "+8617000000021", "area": "0755"}]}]
        }))
        .unwrap();
        assert_eq!((c.workers, c.max_clock_skew_secs), (3, 60));
        assert_eq!(c.push_timeout, Duration::from_millis(1500));
        assert_eq!(c.cdr_batch_window, Duration::ZERO);
        assert_eq!(c.max_body_bytes, 4096);
        let a = &c.apps[0];
        assert_eq!(a.numbers[0].area(), "010");
        assert_eq!(
            a.numbers[0].number(),
            number::parse("+8617000000020").unwrap()
        );
        assert_eq!(a.cdr_url(), Some("http://127.0.0.1:9/fee"));
        assert_eq!((a.sp_id.as_str(), a.retry_time_scale), ("sp", 1000));
        assert_eq!(a.sms_url.as_deref(), Some("http://127.0.0.1:9/sms"));
        assert_eq!(
            a.sms_control_url.as_deref(),
            Some("http://127.0.0.1:9/sms-block")
        );
        assert_eq!(a.x_status_url.as_deref(), Some("http://127.0.0.1:9/status"));
        assert!(!a.sms_content);
        assert_eq!(a.block_reply_timeout, Duration::from_millis(750));
        assert_eq!(c.apps[1].mode, Mode::Ax);
        assert_eq!(
            c.apps[1].block_reply_timeout,
            crate::emulator::DEFAULT_BLOCK_REPLY_TIMEOUT
        );
        assert_eq!(c.apps[2].mode, Mode::X);
        assert_eq!(c.apps[2].numbers.len(), 1);
        assert_eq!(c.apps[1].extension_digits, 3);
        assert!(!format!("{c:?}").contains("\"s1\""));
        let e = EmulatorConfig::from_json(&json!({"apps": [
            {"mode": "axe", "app_key": "k", "app_secret": "s", "extension_digits": 5}
        ]}))
        .unwrap_err();
        assert_eq!(e.field(), Some("extension_digits"));
        let e = EmulatorConfig::from_json(&json!({"apps": [
            {"mode": "x", "app_key": "k", "app_secret": "s", "block_reply_timeout_ms": 0}
        ]}))
        .unwrap_err();
        assert!(e.message().contains("block_reply_timeout"), "{e}");
        let e = EmulatorConfig::from_json(&json!({"apps": [
            {"mode": "x", "app_key": "k", "app_secret": "s", "block_reply_timeout_ms": "1"}
        ]}))
        .unwrap_err();
        assert_eq!(e.field(), Some("block_reply_timeout_ms"));
    }

    #[test]
    fn errors_name_the_field_and_path() {
        let app = |extra: Value| {
            let mut a = json!({"mode": "axb", "app_key": "k", "app_secret": "s"});
            if let (Value::Object(a), Value::Object(extra)) = (&mut a, extra) {
                a.extend(extra);
            }
            json!({ "apps": [a] })
        };
        let cases = [
            (json!([]), ErrorKind::InvalidArgument, None, "JSON array"),
            (
                json!({"prot": 1}),
                ErrorKind::InvalidArgument,
                None,
                "\"prot\"",
            ),
            (
                json!({"port": 70000}),
                ErrorKind::InvalidArgument,
                Some("port"),
                "port",
            ),
            (
                json!({"workers": "2"}),
                ErrorKind::InvalidArgument,
                Some("workers"),
                "non-negative integer",
            ),
            (
                json!({"apps": {}}),
                ErrorKind::InvalidArgument,
                Some("apps"),
                "an array",
            ),
            (
                json!({"apps": [{"mode": "axb", "app_key": "k"}]}),
                ErrorKind::InvalidArgument,
                Some("app_secret"),
                "apps[0].app_secret is required",
            ),
            (
                app(json!({"mode": "abx"})),
                ErrorKind::InvalidArgument,
                Some("mode"),
                "apps[0].mode",
            ),
            (
                app(json!({"numbers": [{"number": "+8617000000010", "area": "07x5"}]})),
                ErrorKind::InvalidArgument,
                Some("area"),
                "apps[0].numbers[0].area",
            ),
            (
                app(json!({"numbers": [{"number": "+86 138 x", "area": "0755"}]})),
                ErrorKind::NumberInvalidCharacter,
                Some("number"),
                "apps[0].numbers[0].number",
            ),
            (
                app(json!({"numbers": ["+8617000000010"]})),
                ErrorKind::InvalidArgument,
                None,
                "apps[0].numbers[0]",
            ),
            (
                app(json!({"retry_time_scale": 0})),
                ErrorKind::InvalidArgument,
                Some("retry_time_scale"),
                "apps[0].retry_time_scale",
            ),
            (
                app(json!({"call_event_url": 7})),
                ErrorKind::InvalidArgument,
                Some("call_event_url"),
                "apps[0].call_event_url",
            ),
            (
                app(json!({"colour": "red"})),
                ErrorKind::InvalidArgument,
                None,
                "apps[0].\"colour\"",
            ),
            (
                app(json!({"call_event_url": "ftp://h/x"})),
                ErrorKind::InvalidArgument,
                None,
                "not http",
            ),
            (
                app(json!({"app_secret": ""})),
                ErrorKind::InvalidAppSecret,
                None,
                "",
            ),
        ];
        for (v, kind, field, needle) in cases {
            let (k, f, m) = field_of(v.clone());
            assert_eq!((k, f), (kind, field), "{v}: {m}");
            assert!(m.contains(needle), "{v}: {m}");
            assert!(!m.contains("8617000000010"), "{m}");
        }
    }

    #[test]
    fn control_without_http() {
        let emulator = Emulator::start(EmulatorConfig::demo()).unwrap();
        let apps = emulator.control("get", "apps", b"");
        assert_eq!(apps["ok"][0]["app_key"], DEMO_APP_KEY);
        assert!(!apps.to_string().contains(DEMO_APP_SECRET));
        let idle = emulator.control("POST", "/_emulator/wait_idle?timeout_ms=10", b"");
        assert_eq!(idle, json!({"ok": true}));
        let call = emulator.control(
            "POST",
            "calls",
            br#"{"caller":"+8613800000001","dialled":"+8617000000010"}"#,
        );
        assert_eq!(call["ok"]["route"]["operation"], "close", "{call}");
        let bad = emulator.control("POST", "calls", br#"{"dialled":"+8617000000010"}"#);
        assert_eq!(bad["error"]["field"], "caller", "{bad}");
        let unknown = emulator.control("GET", "nothing", b"");
        assert_eq!(unknown["error"]["kind"], "INVALID_COMMAND");
        emulator.stop();
    }
}
