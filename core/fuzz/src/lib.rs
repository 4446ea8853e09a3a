//! Helpers shared by the fuzz targets in `fuzz_targets/`.
//!
//! Several targets read a small line-based text format, so that the seed
//! corpus (written by `tests/tools/fuzz_corpus.py` from the JSON test vectors)
//! is readable and libFuzzer's mutations of it stay meaningful. The format of
//! each target is documented at the top of its file; `tests/tools/fuzz_corpus.py`
//! writes the same formats.

use privnum::ErrorKind;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};

/// The input as text: the bytes if they are UTF-8, else their lossy decoding
/// (so that every input still exercises the text paths).
#[must_use]
pub fn text(data: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(data)
}

/// Split `text` into lines at `\n` (a trailing `\r` is kept: it is input too).
#[must_use]
pub fn lines(text: &str) -> Vec<&str> {
    text.split('\n').collect()
}

/// Undo the escapes the corpus writer uses inside one line: `\n` is a line
/// feed and `\\` a backslash; any other backslash is kept as it is.
#[must_use]
pub fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('\\') => out.push('\\'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// Split `line` at the first `sep` into a name and a value; a line without
/// `sep` is a name with an empty value.
#[must_use]
pub fn split_once(line: &str, sep: char) -> (&str, &str) {
    line.split_once(sep).unwrap_or((line, ""))
}

/// A small integer read from `s` (decimal, surrounding spaces ignored), or `default`.
#[must_use]
pub fn int_or<T: std::str::FromStr>(s: &str, default: T) -> T {
    s.trim().parse().unwrap_or(default)
}

/// Assert that `kind`'s stable number lies in `range`, naming the input.
#[track_caller]
pub fn assert_code_in(
    kind: ErrorKind,
    range: std::ops::RangeInclusive<u32>,
    what: &dyn std::fmt::Debug,
) {
    assert!(
        range.contains(&kind.code()),
        "error kind {kind:?} ({}) outside {range:?} for {what:?}",
        kind.code()
    );
}

// ------------------------------------------------------------ ordered JSON

/// A JSON value that keeps the order of object members (serde_json's `Value`
/// sorts them unless its `preserve_order` feature is on, and turning that on
/// here would change the core's serde_json too).
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as serde_json re-serializes it.
    Number(serde_json::Number),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Json>),
    /// An object, members in document order (duplicates kept).
    Object(Vec<(String, Json)>),
}

impl Json {
    /// Parse `text` as one JSON value (RFC 8259, via serde_json).
    pub fn parse(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// Compact JSON (no spaces), with serde_json's string escaping.
    #[must_use]
    pub fn to_compact(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            Self::Null => out.push_str("null"),
            Self::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Self::Number(n) => out.push_str(&n.to_string()),
            Self::String(s) => out.push_str(&serde_json::to_string(s).unwrap_or_default()),
            Self::Array(items) => {
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    v.write(out);
                }
                out.push(']');
            }
            Self::Object(members) => {
                out.push('{');
                for (i, (k, v)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&serde_json::to_string(k).unwrap_or_default());
                    out.push(':');
                    v.write(out);
                }
                out.push('}');
            }
        }
    }

    /// The member `name` of an object (the first one), if any.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&Self> {
        match self {
            Self::Object(m) => m.iter().find(|(k, _)| k == name).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The member names of an object, in order (empty for other values).
    #[must_use]
    pub fn keys(&self) -> Vec<&str> {
        match self {
            Self::Object(m) => m.iter().map(|(k, _)| k.as_str()).collect(),
            _ => Vec::new(),
        }
    }

    /// The string, if this is one.
    #[must_use]
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Self::String(s) => Some(s),
            _ => None,
        }
    }
}

impl<'de> serde::Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(JsonVisitor)
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Json, E> {
        Ok(Json::Bool(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Json, E> {
        Ok(Json::Number(v.into()))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Json, E> {
        Ok(Json::Number(v.into()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Json, E> {
        serde_json::Number::from_f64(v)
            .map(Json::Number)
            .ok_or_else(|| E::custom("non-finite number"))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Json, E> {
        Ok(Json::String(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Json, E> {
        Ok(Json::String(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut items = Vec::new();
        while let Some(v) = seq.next_element()? {
            items.push(v);
        }
        Ok(Json::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut members = Vec::new();
        while let Some((k, v)) = map.next_entry::<String, Json>()? {
            members.push((k, v));
        }
        Ok(Json::Object(members))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordered_json_round_trips_compact_text() {
        let t = r#"{"b":1,"a":[true,null,"x\"\u001f"],"c":{"z":-2,"y":"中"}}"#;
        assert_eq!(Json::parse(t).unwrap().to_compact(), t);
    }

    #[test]
    fn unescape_lines() {
        assert_eq!(unescape(r"a\nb\\c\d"), "a\nb\\c\\d");
    }
}
