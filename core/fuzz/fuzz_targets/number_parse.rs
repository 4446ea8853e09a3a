//! `number::parse_with` on arbitrary text, and `Number::from_bits` on arbitrary bits.
//!
//! Input: any bytes. As UTF-8 (else skipped for parsing) they are the typed
//! number, parsed with several default countries (86, 1, 44, 39, 7, none, and
//! one taken from the input). Independently, the first 8 bytes (little
//! endian) are offered to `Number::from_bits`.
//!
//! Asserts, for every accepted number `n`:
//! * its E.164 form re-parses to `n` under every default country;
//! * its national form re-parses to `n` with its own country as the default;
//! * `Number::from_bits(n.to_bits()) == n`;
//! * the masked form is as long as the E.164 form, keeps its country code and
//!   ends like it; `query()` is `%2B` + the digits; the national significant
//!   number ends the E.164 form; `Display` is the masked form;
//! * the class agrees with the country, `area_code` is set exactly for fixed
//!   lines and starts the national form;
//! * errors are number kinds (100..=199).
//!
//! And every `from_bits` that succeeds gives back the same bits and a number
//! whose E.164 form parses to it. `Field::check` on the raw text agrees with
//! a character count.

#![no_main]

use libfuzzer_sys::fuzz_target;
use privnum::number::{self, Field, Number, NumberClass, ParseOptions};
use privnum_fuzz::assert_code_in;

const COUNTRIES: [Option<u16>; 6] = [Some(86), Some(1), Some(44), Some(39), Some(7), None];

fn check_number(n: Number, input: &str) {
    let e164 = n.e164();
    let e = e164.as_str();
    assert!(e.starts_with('+') && e.len() >= 3 && e.len() <= 16, "{e:?}");
    assert!(e[1..].bytes().all(|b| b.is_ascii_digit()), "{e:?}");
    assert!(!e[1..].starts_with('0'), "{e:?} starts with 0");

    for default_country in COUNTRIES {
        let again = number::parse_with(e, ParseOptions { default_country });
        assert_eq!(
            again,
            Ok(n),
            "E.164 {e:?} of {input:?} (default {default_country:?})"
        );
    }
    assert_eq!(Number::from_bits(n.to_bits()), Ok(n), "bits of {e:?}");

    let cc = n.country_code();
    let cc_text = cc.to_string();
    assert!(e[1..].starts_with(&cc_text), "{e:?} country code {cc}");
    let national = n.national();
    let again = number::parse_with(
        national.as_str(),
        ParseOptions {
            default_country: Some(cc),
        },
    );
    assert_eq!(
        again,
        Ok(n),
        "national {national:?} of {e:?} (input {input:?})"
    );

    let masked = n.masked();
    assert_eq!(masked.len(), e.len(), "masked {masked:?} of {e:?}");
    assert!(
        masked.starts_with(&e[..1 + cc_text.len()]),
        "masked {masked:?} of {e:?}"
    );
    assert_eq!(n.to_string(), masked.as_str());
    let stars = masked.bytes().filter(|&b| b == b'*').count();
    assert!(
        stars > 0 || e.len() - 1 - cc_text.len() < 4,
        "masked {masked:?} hides nothing"
    );
    for (m, c) in masked.bytes().zip(e.bytes()) {
        assert!(m == b'*' || m == c, "masked {masked:?} of {e:?}");
    }

    assert_eq!(n.query().as_str(), format!("%2B{}", &e[1..]));
    let nsn = n.national_significant();
    assert_eq!(
        format!("+{cc}{}", nsn.as_str()),
        e,
        "national significant {nsn:?}"
    );
    assert!(national.ends_with(nsn.as_str()));

    let class = n.class();
    assert_eq!(
        cc == 86,
        class != NumberClass::International,
        "{e:?} is {class:?}"
    );
    match n.area_code() {
        Some(area) => {
            assert_eq!(class, NumberClass::FixedLine);
            assert!(
                national.starts_with(area.as_str()),
                "{area:?} / {national:?}"
            );
            assert!(area.len() == 3 || area.len() == 4, "{area:?}");
        }
        None => assert_ne!(class, NumberClass::FixedLine, "{e:?} has no area code"),
    }
    assert_eq!(n.is_bindable(), class != NumberClass::Service);
    if class == NumberClass::Mobile || class == NumberClass::VirtualOperator {
        assert!(n.can_call_x());
        assert_eq!(nsn.len(), 11);
    }
    for &field in Field::ALL {
        let (min, max) = field.bounds();
        assert_eq!(n.check_field(field).is_ok(), (min..=max).contains(&e.len()));
    }
    let _ = format!("{n:?}");
}

fuzz_target!(|data: &[u8]| {
    if let Some(bytes) = data.get(..8) {
        let bits = u64::from_le_bytes(bytes.try_into().unwrap_or_default());
        if let Ok(n) = Number::from_bits(bits) {
            assert_eq!(n.to_bits(), bits);
            assert_eq!(number::parse(n.e164().as_str()), Ok(n), "bits {bits:#x}");
            check_number(n, "<bits>");
        }
    }

    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let extra = data
        .first()
        .map(|&b| u16::from(b) * 4 + data.len() as u16 % 4);
    for default_country in COUNTRIES.into_iter().chain([extra]) {
        match number::parse_with(input, ParseOptions { default_country }) {
            Ok(n) => check_number(n, input),
            Err(e) => {
                assert_code_in(e.kind(), 100..=199, &input);
                assert!(!e.message().is_empty());
            }
        }
    }
    // `parse` is `parse_with` with the default (86); `FromStr` is `parse`.
    assert_eq!(
        number::parse(input),
        number::parse_with(input, ParseOptions::default())
    );
    assert_eq!(input.parse::<Number>(), number::parse(input));

    let chars = input.chars().count();
    for &field in Field::ALL {
        let (min, max) = field.bounds();
        assert_eq!(field.check(input).is_ok(), (min..=max).contains(&chars));
    }
});
