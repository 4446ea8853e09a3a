//! X-number status changes (PN §9.5): what the platform does on its own
//! when a number is paused, becomes unavailable, is frozen for new
//! bindings or is back to normal. The owning application's engine
//! suspends or resumes the bindings on the number, and a `numStatus` push
//! tells the application.

use serde_json::json;

use crate::engine::XStatus;
use crate::error::{Error, ErrorKind, Result};
use crate::number::Number;

use super::Shared;

/// The push's `status` text of `status`; `None` for a status the platform
/// does not push (blacklisted).
pub(crate) fn wire(status: XStatus) -> Option<&'static str> {
    match status {
        XStatus::Normal => Some("5"),
        XStatus::Paused => Some("9"),
        XStatus::Unavailable => Some("10"),
        XStatus::BindFrozen => Some("11"),
        XStatus::Blacklisted => None,
    }
}

/// Read a status by name (`normal`, `paused`, …) or push code (`"5"`,
/// `"9"`, `"10"`, `"11"`).
pub(crate) fn from_text(text: &str) -> Option<XStatus> {
    XStatus::from_push(text).or_else(|| XStatus::ALL.into_iter().find(|s| s.name() == text))
}

/// The causes of an unavailable number (PN §9.5).
const CAUSES: [u32; 8] = [1, 2, 3, 5, 6, 7, 8, 9];

/// Apply `status` to `number` and push it; how many bindings changed state.
pub(crate) fn set(
    shared: &Shared,
    number: Number,
    status: XStatus,
    cause: Option<u32>,
) -> Result<usize> {
    let index = shared.app_of(number).map_err(|e| e.with_field("number"))?;
    if let Some(c) = cause {
        if status != XStatus::Unavailable || !CAUSES.contains(&c) {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                "cause goes with the unavailable status only and is 1, 2, 3, 5, 6, 7, 8 or 9",
            )
            .with_field("cause"));
        }
    }
    let app = &shared.apps[index];
    let changed = app.engine.set_x_status(number, status, shared.now()?)?;
    if let (Some(code), Some(url)) = (wire(status), app.config.x_status_target()) {
        let mut entry = json!({ "number": number.e164().as_str(), "status": code });
        if let (Some(c), Some(obj)) = (cause, entry.as_object_mut()) {
            obj.insert("cause".into(), json!(c.to_string()));
        }
        let body = json!({ "eventType": "numStatus", "numInfo": [entry] }).to_string();
        shared
            .outbox
            .push_event(index, &app.config.app_key, url, "numStatus", body);
    }
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_by_name_and_code() {
        for s in XStatus::ALL {
            assert_eq!(from_text(s.name()), Some(s));
            if let Some(code) = wire(s) {
                assert_eq!(from_text(code), Some(s));
                assert_eq!(XStatus::from_push(code), Some(s));
            }
        }
        assert_eq!(wire(XStatus::Blacklisted), None);
        assert_eq!(from_text("7"), None);
    }
}
