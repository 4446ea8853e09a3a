//! The platform's binding rules as pure functions (PN §3–§6, §11, §12).
//!
//! Every check returns `Ok` or a [`Violation`] carrying the `resultcode` the
//! platform answers with, so a client can reject a request before sending it
//! and an emulator can answer it, both the same way. Nothing here performs
//! I/O, reads a clock or panics.
//!
//! Field checks take the value of one request field. Pair rules read the
//! current bindings through [`XView`], a read-only view the engine implements.
//!
//! ```
//! use privnum::engine::rules;
//!
//! assert!(rules::check_duration_secs(7_776_000).is_ok());
//! let v = rules::check_duration_secs(7_776_001).unwrap_err();
//! assert_eq!((v.code, v.field), ("1010002", Some("duration")));
//! assert_eq!(rules::clamp_yb_duration(0, 7200), 7200);
//! ```

use std::fmt;

use crate::callback::codes::ResultCode;
use crate::number::{Number, NumberClass};

/// At most this many AXB pairs on one X (PN §3).
pub const AXB_MAX_PAIRS_PER_X: usize = 5000;
/// At most this many X held by one A at the same time (AX and AXYB; PN §4, §6).
pub const AX_MAX_X_PER_A: usize = 5;
/// At most this many AX relations carried by one Y (AXYB; PN §6).
pub const Y_MAX_RELATIONS: usize = 1000;

/// Largest `duration` in seconds (90 days) for AXB and AXYB (PN §3.1, §6.1).
pub const MAX_DURATION_SECS: u64 = 7_776_000;
/// Smallest non-zero AXYB `duration` / `ybDuration` in seconds (PN §6.1).
pub const AXYB_MIN_DURATION_SECS: u64 = 60;
/// Default AXYB `duration` in seconds when the field is absent (PN §6.1).
pub const AXYB_DEFAULT_DURATION_SECS: u64 = 7200;
/// Largest `maxDuration` in minutes (PN §3.1).
pub const MAX_CALL_MINUTES: u32 = 1440;
/// Largest AXE `bindExpiredTime` / `callbackExpiredTime` in hours
/// (`timeUnit` `"0"`; PN §5.1).
pub const AXE_MAX_EXPIRY_HOURS: u64 = 720;
/// Largest AXE `bindExpiredTime` / `callbackExpiredTime` in minutes
/// (`timeUnit` `"1"`; PN §5.1).
pub const AXE_MAX_EXPIRY_MINUTES: u64 = 43_200;
/// Longest `userData` in characters (PN §1).
pub const USER_DATA_MAX_LEN: usize = 256;

/// `resultcode` 1010002, "Invalid request": a bad field (PN §12).
pub const CODE_INVALID_REQUEST: &str = "1010002";
/// `resultcode` 1011003: A already holds [`AX_MAX_X_PER_A`] X (PN §4).
pub const CODE_AX_LIMIT: &str = "1011003";
/// `resultcode` 1011005: X already belongs to an A (PN §4).
pub const CODE_X_ALLOCATED: &str = "1011005";
/// `resultcode` 1012008, "Insufficient number of resources": the number is at
/// its binding limit (PN §3.1, §12).
pub const CODE_NO_RESOURCE: &str = "1012008";
/// `resultcode` 1012010: A or B is already bound on that X (AXB; PN §12).
pub const CODE_ALREADY_BOUND: &str = "1012010";
/// `resultcode` 1013102: the requested extension is already bound (AXE; PN §12).
pub const CODE_EXTENSION_BOUND: &str = "1013102";
/// `resultcode` 1020167, "No idle extend Number." (AXE; PN §5, §12).
pub const CODE_NO_IDLE_EXTENSION: &str = "1020167";

/// A broken binding rule, as the platform would report it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// The platform `resultcode`, e.g. `"1012010"`.
    pub code: &'static str,
    /// The request field at fault (wire name, e.g. `"duration"`), when one is.
    pub field: Option<&'static str>,
    /// A short English explanation (written for this crate).
    pub message: String,
}

impl Violation {
    /// A violation with this code, field and message.
    #[must_use]
    pub fn new(
        code: &'static str,
        field: Option<&'static str>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            code,
            field,
            message: message.into(),
        }
    }

    /// A 1010002 "Invalid request" violation naming `field`.
    #[must_use]
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Self::new(CODE_INVALID_REQUEST, Some(field), message)
    }

    /// The code as a [`ResultCode`] (description, retry advice).
    #[must_use]
    pub fn result_code(&self) -> ResultCode {
        ResultCode::parse(self.code)
    }
}

impl fmt::Display for Violation {
    /// `1010002 (duration): duration must be 0..=7776000 seconds, got 7776001`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.field {
            Some(field) => write!(f, "{} ({field}): {}", self.code, self.message),
            None => write!(f, "{}: {}", self.code, self.message),
        }
    }
}

impl From<Violation> for crate::error::Error {
    /// `RULE_VIOLATION` with the platform `resultcode` and the field.
    fn from(v: Violation) -> Self {
        let e = Self::new(crate::error::ErrorKind::RuleViolation, v.to_string())
            .with_platform_code(v.code);
        match v.field {
            Some(f) => e.with_field(f),
            None => e,
        }
    }
}

impl std::error::Error for Violation {}

// ---------------------------------------------------------------------------
// Field bounds
// ---------------------------------------------------------------------------

/// AXB `duration`: binding lifetime in seconds, `0..=7_776_000` (0 = never
/// expires; PN §3.1). Field `"duration"`.
pub fn check_duration_secs(secs: u64) -> Result<(), Violation> {
    if secs <= MAX_DURATION_SECS {
        Ok(())
    } else {
        Err(Violation::invalid(
            "duration",
            format!("duration must be 0..={MAX_DURATION_SECS} seconds, got {secs}"),
        ))
    }
}

/// `maxDuration`: per-call cap in minutes, `0..=1440` (0 = no limit; PN §3.1).
/// Field `"maxDuration"`.
pub fn check_max_duration_minutes(minutes: u32) -> Result<(), Violation> {
    if minutes <= MAX_CALL_MINUTES {
        Ok(())
    } else {
        Err(Violation::invalid(
            "maxDuration",
            format!("maxDuration must be 0..={MAX_CALL_MINUTES} minutes, got {minutes}"),
        ))
    }
}

/// `callDirection`: 0 both ways, 1 A→B only, 2 B→A only (PN §3.1, §6.1).
/// Field `"callDirection"`.
pub fn check_call_direction(direction: u32) -> Result<(), Violation> {
    if direction <= 2 {
        Ok(())
    } else {
        Err(Violation::invalid(
            "callDirection",
            format!("callDirection must be 0, 1 or 2, got {direction}"),
        ))
    }
}

fn check_axyb_secs(field: &'static str, secs: u64) -> Result<(), Violation> {
    if secs == 0 || (AXYB_MIN_DURATION_SECS..=MAX_DURATION_SECS).contains(&secs) {
        Ok(())
    } else {
        Err(Violation::invalid(
            field,
            format!(
                "{field} must be 0 or {AXYB_MIN_DURATION_SECS}..={MAX_DURATION_SECS} seconds, got {secs}"
            ),
        ))
    }
}

/// AXYB AX-bind `duration`: 0 (never expires) or `60..=7_776_000` seconds
/// (PN §6.1; absent means [`AXYB_DEFAULT_DURATION_SECS`]). Field `"duration"`.
pub fn check_axyb_duration(secs: u64) -> Result<(), Violation> {
    check_axyb_secs("duration", secs)
}

/// AXYB `ybDuration`: 0 (follows the AX binding) or `60..=7_776_000` seconds
/// (PN §6.1). Field `"ybDuration"`.
pub fn check_yb_duration(secs: u64) -> Result<(), Violation> {
    check_axyb_secs("ybDuration", secs)
}

/// The effective AXYB `ybDuration` in seconds given the AX binding's
/// `duration` `ax` (PN §6): a `yb` of 0 follows the AX binding; otherwise
/// `yb` is clamped to at most `ax`, unless `ax` is 0 (the AX binding never
/// expires), which does not limit `yb`.
#[must_use]
pub fn clamp_yb_duration(yb: u64, ax: u64) -> u64 {
    match (yb, ax) {
        (0, ax) => ax,
        (yb, 0) => yb,
        (yb, ax) => yb.min(ax),
    }
}

/// AXE `bindExpiredTime`: `0..=720` hours, or `0..=43_200` minutes when
/// `unit_minutes` (`timeUnit` `"1"`); 0 = never (PN §5.1). Field
/// `"bindExpiredTime"`.
pub fn check_axe_expiry(value: u64, unit_minutes: bool) -> Result<(), Violation> {
    check_axe_time("bindExpiredTime", value, unit_minutes)
}

/// AXE `callbackExpiredTime`, the lifetime of a callback record: the same
/// unit and bounds as `bindExpiredTime` (`0..=720` hours, or `0..=43_200`
/// minutes when `unit_minutes`; PN §5.1). Field `"callbackExpiredTime"`.
pub fn check_axe_callback_expiry(value: u64, unit_minutes: bool) -> Result<(), Violation> {
    check_axe_time("callbackExpiredTime", value, unit_minutes)
}

/// An AXE lifetime field (`timeUnit` hours or minutes) within its bounds.
fn check_axe_time(field: &'static str, value: u64, unit_minutes: bool) -> Result<(), Violation> {
    let (max, unit) = if unit_minutes {
        (AXE_MAX_EXPIRY_MINUTES, "minutes")
    } else {
        (AXE_MAX_EXPIRY_HOURS, "hours")
    };
    if value <= max {
        Ok(())
    } else {
        Err(Violation::invalid(
            field,
            format!("{field} must be 0..={max} {unit}, got {value}"),
        ))
    }
}

/// The number of extensions on one X for an app with `digits` extension
/// digits: 9, 99, 999 or 9999 (all-zero extensions are not used; PN §5).
/// `None` when `digits` is not 1–4.
#[must_use]
pub fn extension_pool_size(digits: u8) -> Option<usize> {
    match digits {
        1 => Some(9),
        2 => Some(99),
        3 => Some(999),
        4 => Some(9999),
        _ => None,
    }
}

fn check_digits(digits: u8) -> Result<usize, Violation> {
    extension_pool_size(digits).ok_or_else(|| {
        Violation::new(
            CODE_INVALID_REQUEST,
            None,
            format!("the app's extension digit setting must be 1-4, got {digits}"),
        )
    })
}

/// AXE `extendNum` for an app whose extensions have `digits` digits: ASCII
/// digits only, exactly `digits` long, not all zeros (`0001`–`9999` for four
/// digits, `1`–`9` for one; PN §5). Field `"extendNum"`. A `digits` outside
/// 1–4 is an app misconfiguration, reported as 1010002 with no field.
pub fn check_extension(ext: &str, digits: u8) -> Result<(), Violation> {
    check_digits(digits)?;
    let bytes = ext.as_bytes();
    if bytes.is_empty() || bytes.len() > 4 || !bytes.iter().all(u8::is_ascii_digit) {
        return Err(Violation::invalid(
            "extendNum",
            format!("extendNum must be 1-4 ASCII digits, got {ext:?}"),
        ));
    }
    if bytes.len() != usize::from(digits) {
        return Err(Violation::invalid(
            "extendNum",
            format!("extendNum must have exactly {digits} digits, got {ext:?}"),
        ));
    }
    if bytes.iter().all(|&b| b == b'0') {
        return Err(Violation::invalid(
            "extendNum",
            format!("extendNum must not be all zeros, got {ext:?}"),
        ));
    }
    Ok(())
}

/// `userData`: 1–256 characters of printable ASCII (space to `~`) without
/// `{`, `}` or `^` (PN §1; no Chinese — Base64-encode such data). Field
/// `"userData"`.
pub fn check_user_data(data: &str) -> Result<(), Violation> {
    // Counted in bytes: only ASCII passes the character check below, and
    // for ASCII bytes and characters are the same.
    if data.is_empty() || (data.is_ascii() && data.len() > USER_DATA_MAX_LEN) {
        return Err(Violation::invalid(
            "userData",
            format!(
                "userData must be 1-{USER_DATA_MAX_LEN} characters, got {}",
                data.len()
            ),
        ));
    }
    if let Some(c) = data
        .chars()
        .find(|&c| !(' '..='~').contains(&c) || matches!(c, '{' | '}' | '^'))
    {
        return Err(Violation::invalid(
            "userData",
            format!(
                "userData must be printable ASCII without '{{', '}}' or '^', found {:?}",
                c
            ),
        ));
    }
    Ok(())
}

/// A binding party (A, B, callee) named by request field `field` (e.g.
/// `"callerNum"`): service numbers (400/800, 95xxx, emergency …) can never
/// be bound (PN §11). Reports 1010002 naming `field`.
pub fn check_party(n: &Number, field: &'static str) -> Result<(), Violation> {
    if n.is_bindable() {
        Ok(())
    } else {
        Err(Violation::invalid(
            field,
            format!(
                "{field} {} is a {} number and cannot be bound",
                n.masked(),
                NumberClass::Service
            ),
        ))
    }
}

// ---------------------------------------------------------------------------
// Pair rules
// ---------------------------------------------------------------------------

/// A read-only view of the bindings of one application, enough to decide the
/// pair rules. The engine implements it over its state; tests use a map.
pub trait XView {
    /// How many AXB pairs are bound on `x`.
    fn axb_pair_count(&self, x: Number) -> usize;
    /// Whether `party` is A or B of some AXB pair on `x`.
    fn axb_has_party(&self, x: Number, party: Number) -> bool;
    /// The A that holds `x` in AX (or AXYB) mode, if any.
    fn ax_owner(&self, x: Number) -> Option<Number>;
    /// How many X `a` holds in AX (or AXYB) mode.
    fn ax_count_for(&self, a: Number) -> usize;
    /// How many AX relations `y` carries in AXYB mode.
    fn y_relation_count(&self, y: Number) -> usize;
    /// Whether extension `ext` (as formatted with the app's digit count) is
    /// bound on `x` in AXE mode.
    fn axe_extension_taken(&self, x: Number, ext: &str) -> bool;
    /// How many extensions are bound on `x` in AXE mode.
    fn axe_extension_count(&self, x: Number) -> usize;
}

/// AXB bind of A (`callerNum`) and B (`calleeNum`) on X (PN §3): both must be
/// bindable and different (1010002); neither may already be a party of a
/// pair on X (1012010, checked before the limit); X carries at most
/// [`AXB_MAX_PAIRS_PER_X`] pairs (1012008).
pub fn check_axb_bind<V: XView + ?Sized>(
    view: &V,
    x: Number,
    a: Number,
    b: Number,
) -> Result<(), Violation> {
    check_party(&a, "callerNum")?;
    check_party(&b, "calleeNum")?;
    if a == b {
        return Err(Violation::invalid(
            "calleeNum",
            "callerNum and calleeNum must be different numbers",
        ));
    }
    for (party, field) in [(a, "callerNum"), (b, "calleeNum")] {
        if view.axb_has_party(x, party) {
            return Err(Violation::new(
                CODE_ALREADY_BOUND,
                Some(field),
                format!(
                    "{field} {} is already bound on {}",
                    party.masked(),
                    x.masked()
                ),
            ));
        }
    }
    if view.axb_pair_count(x) >= AXB_MAX_PAIRS_PER_X {
        return Err(Violation::new(
            CODE_NO_RESOURCE,
            None,
            format!(
                "{} already carries {AXB_MAX_PAIRS_PER_X} AXB pairs",
                x.masked()
            ),
        ));
    }
    Ok(())
}

/// AX bind of A (`origNum`) to X (PN §4; the same rule holds for AXYB AX
/// binds, §6): A must be bindable (1010002); X must not already belong to
/// an A (1011005 — also when the owner is A itself, since the platform
/// reports the resource as allocated); A holds at most [`AX_MAX_X_PER_A`]
/// X (1011003).
pub fn check_ax_bind<V: XView + ?Sized>(view: &V, a: Number, x: Number) -> Result<(), Violation> {
    check_party(&a, "origNum")?;
    if view.ax_owner(x).is_some() {
        return Err(Violation::new(
            CODE_X_ALLOCATED,
            None,
            format!("{} is already bound to an A", x.masked()),
        ));
    }
    if view.ax_count_for(a) >= AX_MAX_X_PER_A {
        return Err(Violation::new(
            CODE_AX_LIMIT,
            Some("origNum"),
            format!("{} already holds {AX_MAX_X_PER_A} X", a.masked()),
        ));
    }
    Ok(())
}

/// AXE bind on X for an app with `digits` extension digits (PN §5); returns
/// the extension to bind.
///
/// With `ext` given (and not empty) it must pass [`check_extension`] and be
/// free on X (else 1013102), and is returned as given. With `ext` absent or
/// empty the lowest free extension is assigned, formatted with leading zeros
/// to `digits` (`"0003"`); when X's pool of 9/99/999/9999 extensions is full
/// the answer is 1020167.
pub fn check_axe_bind<V: XView + ?Sized>(
    view: &V,
    x: Number,
    ext: Option<&str>,
    digits: u8,
) -> Result<String, Violation> {
    let pool = check_digits(digits)?;
    match ext {
        Some(ext) if !ext.is_empty() => {
            check_extension(ext, digits)?;
            if view.axe_extension_taken(x, ext) {
                return Err(Violation::new(
                    CODE_EXTENSION_BOUND,
                    Some("extendNum"),
                    format!("extension {ext} is already bound on {}", x.masked()),
                ));
            }
            Ok(ext.to_owned())
        }
        _ => {
            let no_idle = || {
                Violation::new(
                    CODE_NO_IDLE_EXTENSION,
                    None,
                    format!("no idle extension on {}", x.masked()),
                )
            };
            if view.axe_extension_count(x) >= pool {
                return Err(no_idle());
            }
            let width = usize::from(digits);
            (1..=pool)
                .map(|n| format!("{n:0width$}"))
                .find(|candidate| !view.axe_extension_taken(x, candidate))
                .ok_or_else(no_idle)
        }
    }
}

/// AXYB YB bind through Y (PN §6): Y carries at most [`Y_MAX_RELATIONS`] AX
/// relations. The spec gives no dedicated code; this reports 1012008
/// "Insufficient number of resources", the code §12 gives for a number at
/// its binding limit in the relation-number APIs.
pub fn check_yb_bind<V: XView + ?Sized>(view: &V, y: Number) -> Result<(), Violation> {
    if view.y_relation_count(y) >= Y_MAX_RELATIONS {
        return Err(Violation::new(
            CODE_NO_RESOURCE,
            None,
            format!(
                "{} already carries {Y_MAX_RELATIONS} AX relations",
                y.masked()
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{HashMap, HashSet};

    fn n(s: &str) -> Number {
        crate::number::parse(s).unwrap()
    }

    #[derive(Default)]
    struct Map {
        axb: Vec<(Number, Number, Number)>,
        ax: HashMap<Number, Number>,
        y: HashMap<Number, usize>,
        axe: HashSet<(Number, String)>,
    }

    impl XView for Map {
        fn axb_pair_count(&self, x: Number) -> usize {
            self.axb.iter().filter(|p| p.0 == x).count()
        }
        fn axb_has_party(&self, x: Number, party: Number) -> bool {
            self.axb
                .iter()
                .any(|p| p.0 == x && (p.1 == party || p.2 == party))
        }
        fn ax_owner(&self, x: Number) -> Option<Number> {
            self.ax.get(&x).copied()
        }
        fn ax_count_for(&self, a: Number) -> usize {
            self.ax.values().filter(|&&o| o == a).count()
        }
        fn y_relation_count(&self, y: Number) -> usize {
            self.y.get(&y).copied().unwrap_or(0)
        }
        fn axe_extension_taken(&self, x: Number, ext: &str) -> bool {
            self.axe.contains(&(x, ext.to_owned()))
        }
        fn axe_extension_count(&self, x: Number) -> usize {
            self.axe.iter().filter(|e| e.0 == x).count()
        }
    }

    fn code<T: fmt::Debug>(r: Result<T, Violation>) -> &'static str {
        r.unwrap_err().code
    }

    #[test]
    fn field_bounds() {
        assert!(check_duration_secs(0).is_ok());
        assert!(check_duration_secs(7_776_000).is_ok());
        assert_eq!(
            check_duration_secs(7_776_001).unwrap_err().field,
            Some("duration")
        );
        assert!(check_max_duration_minutes(1440).is_ok());
        assert_eq!(code(check_max_duration_minutes(1441)), "1010002");
        assert!(check_call_direction(2).is_ok());
        assert!(check_call_direction(3).is_err());
        assert!(check_axyb_duration(0).is_ok());
        assert!(check_axyb_duration(59).is_err());
        assert!(check_axyb_duration(60).is_ok());
        assert_eq!(check_yb_duration(1).unwrap_err().field, Some("ybDuration"));
        assert!(check_axe_expiry(720, false).is_ok());
        assert!(check_axe_expiry(721, false).is_err());
        assert!(check_axe_expiry(43_200, true).is_ok());
        assert!(check_axe_expiry(43_201, true).is_err());
        assert!(check_axe_callback_expiry(720, false).is_ok());
        assert!(check_axe_callback_expiry(43_200, true).is_ok());
        let v = check_axe_callback_expiry(43_201, true).unwrap_err();
        assert_eq!(
            (v.code, v.field),
            (CODE_INVALID_REQUEST, Some("callbackExpiredTime"))
        );
    }

    #[test]
    fn yb_clamp() {
        assert_eq!(clamp_yb_duration(0, 7200), 7200);
        assert_eq!(clamp_yb_duration(9000, 7200), 7200);
        assert_eq!(clamp_yb_duration(600, 7200), 600);
        assert_eq!(clamp_yb_duration(600, 0), 600);
        assert_eq!(clamp_yb_duration(0, 0), 0);
    }

    #[test]
    fn extensions_and_user_data() {
        assert!(check_extension("0001", 4).is_ok());
        assert!(check_extension("0000", 4).is_err());
        assert!(check_extension("001", 4).is_err());
        assert!(check_extension("1a", 2).is_err());
        assert!(check_extension("12345", 4).is_err());
        assert_eq!(check_extension("1", 5).unwrap_err().field, None);
        assert!(check_user_data("order-42").is_ok());
        assert!(check_user_data(&"a".repeat(256)).is_ok());
        assert!(check_user_data(&"a".repeat(257)).is_err());
        assert!(check_user_data("").is_err());
        assert!(check_user_data("{x}").is_err());
        assert!(check_user_data("a^b").is_err());
        assert!(check_user_data("订单").is_err());
        assert!(check_user_data("tab\there").is_err());
    }

    #[test]
    fn parties() {
        assert!(check_party(&n("+8613800000001"), "callerNum").is_ok());
        let v = check_party(&n("95588"), "calleeNum").unwrap_err();
        assert_eq!((v.code, v.field), ("1010002", Some("calleeNum")));
        assert!(v.to_string().starts_with("1010002 (calleeNum): "));
        assert_eq!(v.result_code().as_str(), "1010002");
    }

    #[test]
    fn axb() {
        let x = n("+8617000000010");
        let (a, b, c) = (
            n("+8613800000001"),
            n("+8613900000002"),
            n("+8613700000003"),
        );
        let mut m = Map::default();
        assert!(check_axb_bind(&m, x, a, b).is_ok());
        assert_eq!(code(check_axb_bind(&m, x, a, a)), "1010002");
        m.axb.push((x, a, b));
        assert_eq!(code(check_axb_bind(&m, x, b, c)), "1012010");
        assert_eq!(code(check_axb_bind(&m, x, c, a)), "1012010");
        assert!(check_axb_bind(&m, n("+8617000000011"), a, b).is_ok());
    }

    #[test]
    fn ax_and_y() {
        let a = n("+8613800000001");
        let mut m = Map::default();
        for i in 0..5 {
            let x = n(&format!("+861700000001{i}"));
            assert!(check_ax_bind(&m, a, x).is_ok());
            m.ax.insert(x, a);
        }
        assert_eq!(code(check_ax_bind(&m, a, n("+8617000000019"))), "1011003");
        assert_eq!(
            code(check_ax_bind(&m, n("+8613900000002"), n("+8617000000010"))),
            "1011005"
        );
        let y = n("+8617100000001");
        m.y.insert(y, 999);
        assert!(check_yb_bind(&m, y).is_ok());
        m.y.insert(y, 1000);
        assert_eq!(code(check_yb_bind(&m, y)), "1012008");
    }

    #[test]
    fn axe() {
        let x = n("+8617000000010");
        let mut m = Map::default();
        assert_eq!(check_axe_bind(&m, x, None, 4).unwrap(), "0001");
        assert_eq!(check_axe_bind(&m, x, Some(""), 2).unwrap(), "01");
        m.axe.insert((x, "0001".into()));
        m.axe.insert((x, "0002".into()));
        m.axe.insert((x, "0004".into()));
        assert_eq!(check_axe_bind(&m, x, None, 4).unwrap(), "0003");
        assert_eq!(code(check_axe_bind(&m, x, Some("0002"), 4)), "1013102");
        assert_eq!(check_axe_bind(&m, x, Some("0009"), 4).unwrap(), "0009");
        let mut full = Map::default();
        for i in 1..=9 {
            full.axe.insert((x, i.to_string()));
        }
        assert_eq!(code(check_axe_bind(&full, x, None, 1)), "1020167");
        assert_eq!(code(check_axe_bind(&full, x, Some("5"), 1)), "1013102");
    }
}
