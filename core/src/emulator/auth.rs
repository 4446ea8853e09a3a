//! Authenticating a request as the platform does (PN §2.1, §12).
//!
//! The checks run in this order; the first failure is the answer:
//!
//! | check | result code | HTTP |
//! |---|---|---|
//! | `Authorization` present | 1023006 | 400 |
//! | its `realm` present, = `SDP` | 1023007, 1023009 | 400 |
//! | its `profile` present, = `UsernameToken` | 1023008, 1023010 | 400 |
//! | its `type` present, = `Appkey` | 1023012, 1023011 | 400 |
//! | `X-AKSK` present | 1023033 | 400 |
//! | `UsernameToken` with `Username`, `Nonce`, `Created`, `PasswordDigest` | 1023038, 1023034–1023037 | 400 |
//! | `Nonce` 1–128 letters and digits, `Created` `yyyy-MM-ddTHH:mm:ssZ` | 1023038 | 400 |
//! | `Username` is a known app key | 1010003 | 401 |
//! | the digest matches the app's secret | 1010010 | 401 |
//! | `Created` within the clock-skew window | 1010013 | 401 |
//!
//! The digest and the window are checked by the same [`Verifier`] that
//! privnum users run on the platform's pushes; the attribute checks before
//! it exist only to give the platform's specific codes. Nonces are not
//! remembered: the specification asks clients never to reuse one but does
//! not say that the platform refuses a reused one.

use crate::error::ErrorKind;
use crate::sign::{Scheme, Verifier, check_nonce, parse_created};

use super::answer::{CODE_INVALID_APP_KEY, CODE_INVALID_DIGEST, CODE_TIME_LIMIT, Refusal};

/// The first value of header `name` (case-insensitive).
pub(crate) fn header<'a>(headers: &[(&'a str, &'a str)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.trim().eq_ignore_ascii_case(name))
        .map(|(_, v)| *v)
}

/// `name="value"` attributes of a header value, names lower-cased. Parsing
/// is lenient: what does not parse is skipped (and then reported as a
/// missing attribute).
fn attributes(text: &str) -> Vec<(String, &str)> {
    let mut out = Vec::new();
    for part in text.split(',') {
        let Some((name, value)) = part.split_once('=') else {
            continue;
        };
        // "AKSK realm" / "UsernameToken Username": the name is the last word.
        let name = name.split_whitespace().last().unwrap_or("");
        let value = value.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or(value);
        if !name.is_empty() {
            out.push((name.to_ascii_lowercase(), value));
        }
    }
    out
}

fn attr<'a>(attrs: &[(String, &'a str)], name: &str) -> Option<&'a str> {
    attrs.iter().find(|(n, _)| n == name).map(|(_, v)| *v)
}

/// Check `Authorization` and `X-AKSK` at `now` (Unix seconds); `find`
/// gives the verifier of an app key. Returns the app key's index (as
/// `find` returned it) or the platform's refusal.
pub(crate) fn authenticate<'v>(
    headers: &[(&str, &str)],
    now: i64,
    find: impl Fn(&str) -> Option<(usize, &'v Verifier)>,
) -> Result<usize, Refusal> {
    let refuse = |code: &str| Err(Refusal::new(code, ""));
    let Some(auth) = header(headers, "Authorization") else {
        return refuse("1023006");
    };
    let a = attributes(auth);
    match attr(&a, "realm") {
        None => return refuse("1023007"),
        Some(v) if v != "SDP" => return refuse("1023009"),
        Some(_) => {}
    }
    match attr(&a, "profile") {
        None => return refuse("1023008"),
        Some(v) if v != "UsernameToken" => return refuse("1023010"),
        Some(_) => {}
    }
    match attr(&a, "type") {
        None => return refuse("1023012"),
        Some(v) if !v.eq_ignore_ascii_case("Appkey") => return refuse("1023011"),
        Some(_) => {}
    }
    let Some(token) = header(headers, "X-AKSK") else {
        return refuse("1023033");
    };
    let starts_right = token
        .trim_start()
        .get(..13)
        .is_some_and(|p| p.eq_ignore_ascii_case("UsernameToken"));
    if !starts_right {
        return Err(Refusal::new(
            "1023038",
            "X-AKSK must start with UsernameToken.",
        ));
    }
    let t = attributes(token);
    let Some(username) = attr(&t, "username") else {
        return refuse("1023034");
    };
    let Some(nonce) = attr(&t, "nonce") else {
        return refuse("1023035");
    };
    let Some(created) = attr(&t, "created") else {
        return refuse("1023036");
    };
    if attr(&t, "passworddigest").is_none() {
        return refuse("1023037");
    }
    if check_nonce(nonce).is_err() {
        return Err(Refusal::new(
            "1023038",
            "Nonce must be 1-128 ASCII letters and digits.",
        ));
    }
    if parse_created(created).is_err() {
        return Err(Refusal::new(
            "1023038",
            "Created must be yyyy-MM-ddTHH:mm:ssZ (UTC).",
        ));
    }
    let Some((index, verifier)) = find(username) else {
        return refuse(CODE_INVALID_APP_KEY);
    };
    match verifier.verify(Scheme::Aksk, token, None, now) {
        Ok(_) => Ok(index),
        Err(e) if e.kind() == ErrorKind::AuthStale => Err(Refusal::new(
            CODE_TIME_LIMIT,
            "Created is too far from the platform's clock.",
        )),
        Err(_) => refuse(CODE_INVALID_DIGEST),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sign::{Signer, VerifierConfig, format_created};

    const KEY: &str = "a1d1f50cad21415fbdd13d8f53d36d60";
    const SECRET: &str = "cfc881cc704c4fba8d8fef5788e03e6b";
    const NOW: i64 = 1_700_000_000;

    fn verifier() -> Verifier {
        let config = VerifierConfig {
            max_age_secs: 300,
            max_future_secs: 300,
            replay_capacity: 0,
            accept_wsse: false,
        };
        Verifier::new(KEY, SECRET, config).unwrap()
    }

    fn run(headers: &[(&str, &str)]) -> Result<usize, String> {
        let v = verifier();
        authenticate(headers, NOW, |k| (k == KEY).then_some((7, &v))).map_err(|r| r.code)
    }

    fn signed(at: i64) -> (String, String) {
        let h = Signer::new(KEY, SECRET)
            .unwrap()
            .sign_at(Scheme::Aksk, at)
            .unwrap();
        (h.authorization().to_owned(), h.value().to_owned())
    }

    #[test]
    fn a_signed_request_passes_and_the_window_holds() {
        let (auth, token) = signed(NOW);
        let h = [("authorization", auth.as_str()), ("x-aksk", token.as_str())];
        assert_eq!(run(&h), Ok(7));
        for (at, ok) in [(NOW - 300, true), (NOW + 300, true), (NOW - 301, false)] {
            let (auth, token) = signed(at);
            let h = [("Authorization", auth.as_str()), ("X-AKSK", token.as_str())];
            let got = run(&h);
            assert_eq!(got.is_ok(), ok, "{at}");
            if !ok {
                assert_eq!(got, Err("1010013".into()));
            }
        }
    }

    #[test]
    fn each_header_fault_has_its_code() {
        let (auth, token) = signed(NOW);
        let created = format_created(NOW).unwrap();
        let other = Signer::new(KEY, "another-secret")
            .unwrap()
            .sign_at(Scheme::Aksk, NOW)
            .unwrap();
        let cases: Vec<(String, Option<String>, &str)> = vec![
            (String::new(), Some(token.clone()), "1023006"),
            (
                r#"AKSK profile="UsernameToken",type="Appkey""#.into(),
                Some(token.clone()),
                "1023007",
            ),
            (
                r#"AKSK realm="XYZ",profile="UsernameToken",type="Appkey""#.into(),
                Some(token.clone()),
                "1023009",
            ),
            (
                r#"AKSK realm="SDP",type="Appkey""#.into(),
                Some(token.clone()),
                "1023008",
            ),
            (
                r#"AKSK realm="SDP",profile="Token",type="Appkey""#.into(),
                Some(token.clone()),
                "1023010",
            ),
            (
                r#"AKSK realm="SDP",profile="UsernameToken""#.into(),
                Some(token.clone()),
                "1023012",
            ),
            (
                r#"AKSK realm="SDP",profile="UsernameToken",type="User""#.into(),
                Some(token.clone()),
                "1023011",
            ),
            (auth.clone(), None, "1023033"),
            (auth.clone(), Some("Token x=\"1\"".into()), "1023038"),
            (
                auth.clone(),
                Some(format!(
                    r#"UsernameToken PasswordDigest="x", Nonce="1", Created="{created}""#
                )),
                "1023034",
            ),
            (
                auth.clone(),
                Some(format!(
                    r#"UsernameToken Username="{KEY}", PasswordDigest="x", Created="{created}""#
                )),
                "1023035",
            ),
            (
                auth.clone(),
                Some(format!(
                    r#"UsernameToken Username="{KEY}", PasswordDigest="x", Nonce="1""#
                )),
                "1023036",
            ),
            (
                auth.clone(),
                Some(format!(
                    r#"UsernameToken Username="{KEY}", Nonce="1", Created="{created}""#
                )),
                "1023037",
            ),
            (
                auth.clone(),
                Some(format!(
                    r#"UsernameToken Username="{KEY}", PasswordDigest="x", Nonce="a-b", Created="{created}""#
                )),
                "1023038",
            ),
            (
                auth.clone(),
                Some(format!(
                    r#"UsernameToken Username="{KEY}", PasswordDigest="x", Nonce="1", Created="2024-01-01 00:00:00""#
                )),
                "1023038",
            ),
            (
                auth.clone(),
                Some(token.replace(KEY, "unknownkey")),
                "1010003",
            ),
            (auth.clone(), Some(other.value().to_owned()), "1010010"),
            (
                auth.clone(),
                Some(format!(
                    r#"UsernameToken Username="{KEY}", PasswordDigest="not base64!", Nonce="1", Created="{created}""#
                )),
                "1010010",
            ),
        ];
        for (auth, token, code) in cases {
            let mut h: Vec<(&str, &str)> = Vec::new();
            if !auth.is_empty() {
                h.push(("Authorization", &auth));
            }
            if let Some(t) = &token {
                h.push(("X-AKSK", t));
            }
            assert_eq!(run(&h), Err(code.to_owned()), "{auth} / {token:?}");
        }
    }

    #[test]
    fn attribute_parsing_is_lenient_about_spaces_and_separators() {
        let a = attributes(r#"UsernameToken Username="k",PasswordDigest="d=", Nonce = "n""#);
        assert_eq!(attr(&a, "username"), Some("k"));
        assert_eq!(attr(&a, "passworddigest"), Some("d="));
        assert_eq!(attr(&a, "nonce"), Some("n"));
        assert!(attributes("garbage").is_empty());
    }
}
