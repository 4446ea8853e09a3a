//! The `Created` timestamp: `yyyy-MM-ddTHH:mm:ssZ`, UTC, no fractions.

use std::fmt;

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time};

use crate::error::{Error, ErrorKind, Result};

/// A formatted `Created` value (20 ASCII characters), kept on the stack.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct CreatedStr([u8; 20]);

impl CreatedStr {
    /// The text, e.g. `2018-02-12T15:30:20Z`.
    #[must_use]
    pub fn as_str(&self) -> &str {
        // Only ASCII digits and separators are ever written.
        std::str::from_utf8(&self.0).unwrap_or("")
    }
}

impl CreatedStr {
    /// Accept `s` only in the exact form that is emitted
    /// (`yyyy-MM-ddTHH:mm:ssZ`, a real UTC date and time).
    pub(crate) fn canonical(s: &str) -> Result<Self> {
        let bytes: [u8; 20] = s.as_bytes().try_into().map_err(|_| not_canonical(s))?;
        if bytes[10] != b'T' || bytes[19] != b'Z' {
            return Err(not_canonical(s));
        }
        parse_created(s)?; // digits, separators and the calendar
        Ok(Self(bytes))
    }
}

fn not_canonical(s: &str) -> Error {
    Error::new(
        ErrorKind::InvalidCreated,
        format!("Created must be exactly yyyy-MM-ddTHH:mm:ssZ (UTC); got {s:?}"),
    )
}

impl fmt::Display for CreatedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for CreatedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

fn bad_created(what: impl fmt::Display) -> Error {
    Error::new(
        ErrorKind::InvalidCreated,
        format!("invalid Created time: {what}"),
    )
}

/// Format Unix seconds as `yyyy-MM-ddTHH:mm:ssZ` (UTC). Years outside
/// 0000–9999 give [`ErrorKind::InvalidCreated`].
pub fn format_created(unix: i64) -> Result<CreatedStr> {
    let dt = OffsetDateTime::from_unix_timestamp(unix)
        .map_err(|_| bad_created(format_args!("{unix} is out of range")))?;
    let year = dt.year();
    if !(0..=9999).contains(&year) {
        return Err(bad_created(format_args!("year {year} has no 4-digit form")));
    }
    let mut b = *b"0000-00-00T00:00:00Z";
    let mut put = |at: usize, v: u32, width: usize| {
        let mut v = v;
        for i in (0..width).rev() {
            b[at + i] = b'0' + (v % 10) as u8;
            v /= 10;
        }
    };
    put(0, year as u32, 4);
    put(5, u32::from(u8::from(dt.month())), 2);
    put(8, u32::from(dt.day()), 2);
    put(11, u32::from(dt.hour()), 2);
    put(14, u32::from(dt.minute()), 2);
    put(17, u32::from(dt.second()), 2);
    Ok(CreatedStr(b))
}

/// Parse `yyyy-MM-dd HH:mm:ss` or `yyyy-MM-ddTHH:mm:ss`, with the same
/// optional fraction and `Z` as [`parse_created`], into Unix seconds (UTC):
/// the time format of the platform's pushes.
pub fn parse_utc_datetime(s: &str) -> Result<i64> {
    parse_datetime(s, true)
}

/// Parse a `Created` time into Unix seconds.
///
/// Accepted: `yyyy-MM-ddTHH:mm:ss` followed by an optional fraction
/// (`.SSS`) and then `Z`, `+00:00`, or nothing (read as UTC). The platform
/// documents the first form only; the others appear in third-party code and are
/// accepted when verifying, never produced.
pub fn parse_created(s: &str) -> Result<i64> {
    parse_datetime(s, false)
}

fn parse_datetime(s: &str, space_ok: bool) -> Result<i64> {
    let b = s.as_bytes();
    if b.len() < 19 {
        return Err(bad_created(format_args!(
            "{s:?} is too short for yyyy-MM-ddTHH:mm:ssZ"
        )));
    }
    let num = |range: std::ops::Range<usize>| -> Result<u32> {
        let mut v = 0u32;
        for &c in &b[range] {
            if !c.is_ascii_digit() {
                return Err(bad_created(format_args!(
                    "{s:?} is not yyyy-MM-ddTHH:mm:ssZ"
                )));
            }
            v = v * 10 + u32::from(c - b'0');
        }
        Ok(v)
    };
    let date_sep = matches!(b[10], b'T' | b't') || (space_ok && b[10] == b' ');
    if b[4] != b'-' || b[7] != b'-' || !date_sep || b[13] != b':' || b[16] != b':' {
        return Err(bad_created(format_args!(
            "{s:?} is not yyyy-MM-ddTHH:mm:ssZ"
        )));
    }
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let mut rest = &b[19..];
    if let Some(frac) = rest.strip_prefix(b".") {
        let digits = frac.iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return Err(bad_created(format_args!("{s:?} has an empty fraction")));
        }
        rest = &frac[digits..];
    }
    if !matches!(rest, b"" | b"Z" | b"z" | b"+00:00") {
        return Err(bad_created(format_args!("{s:?} must end in Z (UTC)")));
    }
    let month = u8::try_from(month)
        .ok()
        .and_then(|m| Month::try_from(m).ok())
        .ok_or_else(|| bad_created(format_args!("{s:?} has month {month}")))?;
    let date = Date::from_calendar_date(year as i32, month, day as u8)
        .map_err(|_| bad_created(format_args!("{s:?} is not a calendar date")))?;
    let time = Time::from_hms(hour as u8, minute as u8, second as u8)
        .map_err(|_| bad_created(format_args!("{s:?} is not a time of day")))?;
    Ok(PrimitiveDateTime::new(date, time)
        .assume_utc()
        .unix_timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        for t in [0i64, 1_518_449_420, 1_704_067_200, 253_402_300_799] {
            let s = format_created(t).unwrap();
            assert_eq!(parse_created(s.as_str()).unwrap(), t);
        }
        assert_eq!(
            format_created(1_518_449_420).unwrap().as_str(),
            "2018-02-12T15:30:20Z"
        );
        assert!(format_created(253_402_300_800).is_err());
        assert!(format_created(-62_167_219_201).is_err());
    }

    #[test]
    fn tolerant_parse() {
        let base = parse_created("2018-02-12T15:30:20Z").unwrap();
        assert_eq!(parse_created("2018-02-12T15:30:20.123Z").unwrap(), base);
        assert_eq!(parse_created("2018-02-12T15:30:20").unwrap(), base);
        assert_eq!(parse_created("2018-02-12T15:30:20+00:00").unwrap(), base);
        for bad in [
            "",
            "2018-02-12 15:30:20Z",
            "2018-02-30T15:30:20Z",
            "2018-02-12T25:30:20Z",
            "2018-02-12T15:30:20+08:00",
            "2018-02-12T15:30:20.Z",
            "2018-0a-12T15:30:20Z",
        ] {
            assert_eq!(
                parse_created(bad).unwrap_err().kind(),
                ErrorKind::InvalidCreated,
                "{bad}"
            );
        }
    }
}
