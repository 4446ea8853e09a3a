//! How an emulator is set up: the listening port, the applications (key,
//! secret, mode, X numbers, push addresses) and the timing of pushes.

use std::fmt;
use std::time::Duration;

use crate::engine::Mode;
use crate::error::{Error, ErrorKind, Result};
use crate::number::Number;
use crate::sign::Signer;

/// The platform's redelivery schedule for a failed push, in minutes after
/// the first attempt (PN §9.1): six more attempts at +1, +4, +9, +106,
/// +203 and +300 minutes.
pub const RETRY_MINUTES: [u64; 6] = [1, 4, 9, 106, 203, 300];

/// The most CDR records one `fee` push carries (PN §9.3).
pub const MAX_CDRS_PER_PUSH: usize = 50;

/// How long the platform waits for a Block-mode reply unless told
/// otherwise ([`AppConfig::block_reply_timeout`]).
pub const DEFAULT_BLOCK_REPLY_TIMEOUT: Duration = Duration::from_secs(2);

/// The longest push timeout and CDR batch window accepted.
const MAX_SETTING: Duration = Duration::from_secs(3600);

/// How an [`super::Emulator`] is set up.
///
/// `Debug` never shows an application's secret.
#[derive(Clone, Debug)]
pub struct EmulatorConfig {
    /// The port to listen on at 127.0.0.1; 0 (the default) asks the
    /// operating system for a free one ([`super::Emulator::base_url`] tells
    /// which).
    pub port: u16,
    /// Threads answering requests (default 2; at least 1).
    pub workers: usize,
    /// The applications the platform hosts (at least one).
    pub apps: Vec<AppConfig>,
    /// How far `Created` of a request's X-AKSK header may be from the
    /// emulator's clock, either way, in seconds (default 300). Further off
    /// is refused with 1010013. The real platform does not publish its
    /// window.
    pub max_clock_skew_secs: u32,
    /// How long one push attempt may take before it counts as failed
    /// (default 5 s; more than zero, at most an hour).
    pub push_timeout: Duration,
    /// CDRs of calls ending within this window are sent together in one
    /// `fee` push of at most [`MAX_CDRS_PER_PUSH`] records (default 100 ms;
    /// zero sends each CDR on its own unless several are already waiting;
    /// at most an hour).
    pub cdr_batch_window: Duration,
    /// The largest request body read, in bytes (default 64 KiB); a larger
    /// one is refused with 1010002.
    pub max_body_bytes: usize,
}

impl EmulatorConfig {
    /// Defaults (ephemeral port, 2 workers, 300 s of clock skew, 5 s push
    /// timeout, 100 ms CDR window) for these applications.
    #[must_use]
    pub fn new(apps: Vec<AppConfig>) -> Self {
        Self {
            port: 0,
            workers: 2,
            apps,
            max_clock_skew_secs: 300,
            push_timeout: Duration::from_secs(5),
            cdr_batch_window: Duration::from_millis(100),
            max_body_bytes: 64 * 1024,
        }
    }

    /// Check the configuration as [`super::Emulator::start`] does:
    /// [`ErrorKind::InvalidArgument`] for no application, a duplicate app
    /// key, an X in two applications (one X belongs to one application,
    /// PN §11), no worker, a timing setting out of range or a bad push
    /// URL; key and secret errors as
    /// [`Signer::new`] reports them.
    pub fn validate(&self) -> Result<()> {
        if self.apps.is_empty() {
            return Err(invalid("an emulator needs at least one application"));
        }
        if self.workers == 0 {
            return Err(invalid("an emulator needs at least one worker thread"));
        }
        if self.push_timeout.is_zero() || self.push_timeout > MAX_SETTING {
            return Err(invalid(
                "push_timeout must be more than zero and at most an hour",
            ));
        }
        if self.cdr_batch_window > MAX_SETTING {
            return Err(invalid("cdr_batch_window must be at most an hour"));
        }
        let mut keys = std::collections::HashSet::new();
        let mut numbers = std::collections::HashMap::new();
        for (i, app) in self.apps.iter().enumerate() {
            Signer::new(&app.app_key, &app.app_secret)?;
            if !keys.insert(app.app_key.as_str()) {
                return Err(invalid(format!(
                    "app key {:?} is configured twice",
                    app.app_key
                )));
            }
            if app.retry_time_scale == 0 {
                return Err(invalid(format!(
                    "application {:?}: retry_time_scale must be at least 1",
                    app.app_key
                )));
            }
            if app.block_reply_timeout.is_zero() || app.block_reply_timeout > MAX_SETTING {
                return Err(invalid(format!(
                    "application {:?}: block_reply_timeout must be more than zero and at most an hour",
                    app.app_key
                )));
            }
            if !(1..=4).contains(&app.extension_digits) {
                return Err(invalid(format!(
                    "application {:?}: extension_digits must be 1-4",
                    app.app_key
                )));
            }
            for url in [
                &app.call_event_url,
                &app.fee_url,
                &app.sms_url,
                &app.sms_control_url,
                &app.x_status_url,
            ]
            .into_iter()
            .flatten()
            {
                if !(url.starts_with("http://") || url.starts_with("https://")) {
                    return Err(invalid(format!(
                        "application {:?}: push URL {url:?} is not http:// or https://",
                        app.app_key
                    )));
                }
            }
            for n in &app.numbers {
                if let Some(prev) = numbers.insert(n.number, i) {
                    if prev != i {
                        return Err(invalid(format!(
                            "{} belongs to two applications; one X belongs to one application",
                            n.number.masked()
                        )));
                    }
                }
            }
        }
        Ok(())
    }
}

/// An X number in an application's pool, with its city (area) code.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PoolNumber {
    number: Number,
    area: String,
}

impl PoolNumber {
    /// `number` in area `area` (1–32 ASCII digits, e.g. `"0755"`); another
    /// area is [`ErrorKind::InvalidArgument`] naming `areaCode`.
    pub fn new(number: Number, area: &str) -> Result<Self> {
        if area.is_empty() || area.len() > 32 || !area.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                format!("an area code must be 1-32 ASCII digits, got {area:?}"),
            )
            .with_field("areaCode"));
        }
        Ok(Self {
            number,
            area: area.to_owned(),
        })
    }

    /// The number.
    #[must_use]
    pub fn number(&self) -> Number {
        self.number
    }

    /// The area code.
    #[must_use]
    pub fn area(&self) -> &str {
        &self.area
    }
}

/// One application on the emulated platform: its credentials, mode, X
/// numbers and push addresses.
///
/// `Debug` shows the key but never the secret.
#[derive(Clone)]
pub struct AppConfig {
    /// The application's mode. AX, AXB, AXE and AXYB are served: their
    /// APIs, calls and SMS. An X-mode application has no API of its own
    /// (its key used on another mode's API is refused with 1010040): the
    /// platform keeps no bindings and asks the application, in Block mode,
    /// what to do with each call and SMS reaching its numbers (PN §7,
    /// §9.4).
    pub mode: Mode,
    /// `APP_Key`.
    pub app_key: String,
    app_secret: String,
    /// The X numbers the application owns, by area.
    pub numbers: Vec<PoolNumber>,
    /// Where call events (`callin` … `disconnect`) are pushed; `None`:
    /// not pushed.
    pub call_event_url: Option<String>,
    /// Where CDRs (`fee`) are pushed; `None`: to `call_event_url` (one URL
    /// may receive both, PN §9.2).
    pub fee_url: Option<String>,
    /// `spId` in CDRs: the customer's cloud account name.
    pub sp_id: String,
    /// Divides the redelivery delays ([`RETRY_MINUTES`]): 1 is real time,
    /// 60 000 makes a minute one millisecond (at least 1).
    pub retry_time_scale: u32,
    /// AXE: how many digits extensions have, 1–4 (default 4; a console
    /// setting of the application, PN §5).
    pub extension_digits: u8,
    /// Where Notify-mode SMS notifications go ("短信通知地址", PN §9.4);
    /// `None`: not pushed.
    pub sms_url: Option<String>,
    /// Where Block-mode SMS notifications go ("短信控制地址"); the reply
    /// decides whether the SMS is forwarded. `None`: such an SMS is
    /// discarded, as nobody can decide.
    pub sms_control_url: Option<String>,
    /// Where X-number status pushes go (PN §9.5); `None`: to
    /// `call_event_url`.
    pub x_status_url: Option<String>,
    /// Whether SMS notifications carry the text (`smsContent`; on the
    /// platform an option support switches on). Default true.
    pub sms_content: bool,
    /// How long the platform waits for the reply to a Block-mode push (an
    /// X-mode `callin`, an SMS Block notification) before it acts as if
    /// there were none (default 2 s; more than zero, at most an hour).
    /// The platform does not publish its deadline (PN §16); the
    /// specification advises answering within 1–2 seconds.
    pub block_reply_timeout: Duration,
}

impl AppConfig {
    /// An application of `mode` with this key and secret, no numbers, no
    /// push URLs, `spId` `"emulator_sp"` and real-time redelivery.
    #[must_use]
    pub fn new(mode: Mode, app_key: impl Into<String>, app_secret: impl Into<String>) -> Self {
        Self {
            mode,
            app_key: app_key.into(),
            app_secret: app_secret.into(),
            numbers: Vec::new(),
            call_event_url: None,
            fee_url: None,
            sp_id: "emulator_sp".to_owned(),
            retry_time_scale: 1,
            extension_digits: 4,
            sms_url: None,
            sms_control_url: None,
            x_status_url: None,
            sms_content: true,
            block_reply_timeout: DEFAULT_BLOCK_REPLY_TIMEOUT,
        }
    }

    /// The same application with `digits`-digit extensions (AXE, 1–4).
    #[must_use]
    pub fn with_extension_digits(mut self, digits: u8) -> Self {
        self.extension_digits = digits;
        self
    }

    /// The same application pushing Notify-mode SMS notifications to
    /// `notify_url` and Block-mode ones to `control_url`.
    #[must_use]
    pub fn with_sms_urls(
        mut self,
        notify_url: impl Into<String>,
        control_url: impl Into<String>,
    ) -> Self {
        self.sms_url = Some(notify_url.into());
        self.sms_control_url = Some(control_url.into());
        self
    }

    /// The same application pushing X-number status changes to `url`.
    #[must_use]
    pub fn with_x_status_url(mut self, url: impl Into<String>) -> Self {
        self.x_status_url = Some(url.into());
        self
    }

    /// The same application waiting `timeout` for Block-mode replies (see
    /// [`AppConfig::block_reply_timeout`]).
    #[must_use]
    pub fn with_block_reply_timeout(mut self, timeout: Duration) -> Self {
        self.block_reply_timeout = timeout;
        self
    }

    /// The same application with X `number` in `area` added to its pool.
    pub fn with_number(mut self, number: Number, area: &str) -> Result<Self> {
        self.numbers.push(PoolNumber::new(number, area)?);
        Ok(self)
    }

    /// The same application pushing call events to `call_event_url` and
    /// CDRs to `fee_url` (or to `call_event_url` when `None`).
    #[must_use]
    pub fn with_push_urls(
        mut self,
        call_event_url: impl Into<String>,
        fee_url: Option<String>,
    ) -> Self {
        self.call_event_url = Some(call_event_url.into());
        self.fee_url = fee_url;
        self
    }

    /// The same application with redelivery delays divided by `scale`.
    #[must_use]
    pub fn with_retry_time_scale(mut self, scale: u32) -> Self {
        self.retry_time_scale = scale;
        self
    }

    /// `APP_Secret` (crate-internal: never printed).
    pub(crate) fn secret(&self) -> &str {
        &self.app_secret
    }

    /// Where X-status pushes go: `x_status_url`, else `call_event_url`.
    pub(crate) fn x_status_target(&self) -> Option<&str> {
        self.x_status_url
            .as_deref()
            .or(self.call_event_url.as_deref())
    }

    /// Where CDRs go: `fee_url`, else `call_event_url`.
    pub(crate) fn cdr_url(&self) -> Option<&str> {
        self.fee_url.as_deref().or(self.call_event_url.as_deref())
    }

    /// The delay of redelivery `k` (1-based) after the first attempt,
    /// scaled; `None` after the last.
    pub(crate) fn retry_offset(&self, k: usize) -> Option<Duration> {
        let minutes = *RETRY_MINUTES.get(k.checked_sub(1)?)?;
        Some(Duration::from_secs(minutes * 60) / self.retry_time_scale.max(1))
    }
}

impl fmt::Debug for AppConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppConfig")
            .field("mode", &self.mode)
            .field("app_key", &self.app_key)
            .field("app_secret", &"<redacted>")
            .field("numbers", &self.numbers)
            .field("call_event_url", &self.call_event_url)
            .field("fee_url", &self.fee_url)
            .field("sp_id", &self.sp_id)
            .field("retry_time_scale", &self.retry_time_scale)
            .field("extension_digits", &self.extension_digits)
            .field("sms_url", &self.sms_url)
            .field("sms_control_url", &self.sms_control_url)
            .field("x_status_url", &self.x_status_url)
            .field("sms_content", &self.sms_content)
            .field("block_reply_timeout", &self.block_reply_timeout)
            .finish()
    }
}

fn invalid(message: impl Into<std::borrow::Cow<'static, str>>) -> Error {
    Error::new(ErrorKind::InvalidArgument, message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::number::parse;

    fn app(key: &str) -> AppConfig {
        AppConfig::new(Mode::Axb, key, "s3cr3t-value")
    }

    #[test]
    fn debug_hides_the_secret_and_masks_numbers() {
        let a = app("k1")
            .with_number(parse("+8617000000010").unwrap(), "0755")
            .unwrap();
        let text = format!("{:?}", EmulatorConfig::new(vec![a]));
        assert!(!text.contains("s3cr3t-value"), "{text}");
        assert!(!text.contains("8617000000010"), "{text}");
        assert!(
            text.contains("<redacted>") && text.contains("\"0755\""),
            "{text}"
        );
    }

    #[test]
    fn validation() {
        let x = parse("+8617000000010").unwrap();
        assert!(EmulatorConfig::new(vec![app("k1")]).validate().is_ok());
        let bad = [
            EmulatorConfig::new(vec![]),
            EmulatorConfig::new(vec![app("k1"), app("k1")]),
            EmulatorConfig::new(vec![
                app("k1").with_number(x, "0755").unwrap(),
                app("k2").with_number(x, "0755").unwrap(),
            ]),
            EmulatorConfig::new(vec![app("k1").with_push_urls("ftp://h/x", None)]),
            EmulatorConfig::new(vec![app("k1").with_retry_time_scale(0)]),
            EmulatorConfig::new(vec![app("k1").with_extension_digits(5)]),
            EmulatorConfig::new(vec![app("k1").with_block_reply_timeout(Duration::ZERO)]),
            EmulatorConfig::new(vec![app("k1").with_sms_urls("http://h/n", "h/c")]),
            EmulatorConfig {
                workers: 0,
                ..EmulatorConfig::new(vec![app("k1")])
            },
            EmulatorConfig {
                push_timeout: Duration::ZERO,
                ..EmulatorConfig::new(vec![app("k1")])
            },
            EmulatorConfig {
                cdr_batch_window: Duration::MAX,
                ..EmulatorConfig::new(vec![app("k1")])
            },
        ];
        for c in bad {
            assert_eq!(
                c.validate().unwrap_err().kind(),
                ErrorKind::InvalidArgument,
                "{c:?}"
            );
        }
        let e = EmulatorConfig::new(vec![AppConfig::new(Mode::Axb, "k", "")])
            .validate()
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidAppSecret);
        assert!(PoolNumber::new(x, "07a5").is_err());
        assert_eq!(PoolNumber::new(x, "0755").unwrap().area(), "0755");
    }

    #[test]
    fn retry_offsets_follow_the_schedule_scaled() {
        let a = app("k").with_retry_time_scale(60_000);
        let got: Vec<_> = (1..=7).map(|k| a.retry_offset(k)).collect();
        let ms = |n| Some(Duration::from_millis(n));
        assert_eq!(got, [ms(1), ms(4), ms(9), ms(106), ms(203), ms(300), None]);
        assert_eq!(a.retry_offset(0), None);
        assert_eq!(
            app("k").retry_offset(1),
            Some(Duration::from_secs(60)),
            "scale 1 is real time"
        );
    }
}
