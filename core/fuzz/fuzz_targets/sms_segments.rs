//! `callback::segments::count_segments` (and `count_segments_ax`) on arbitrary text.
//!
//! Input: any bytes, as text (lossy UTF-8).
//!
//! Asserts the rules of core/src/callback/segments.rs:
//! * `segments` ≥ 1; `per_segment` is 160 or 153 for GSM-7, 70 or 67 for UCS-2;
//! * a single segment (`per_segment` 160/70) holds `units` ≤ 160/70 and has
//!   `remaining = per_segment − units`; a concatenated one has `units` above
//!   that, at least 2 segments, and `remaining < per_segment`;
//! * UCS-2 units are the UTF-16 length; GSM-7 units are between the character
//!   count and twice it; GSM-7 is used only when every character is GSM (so a
//!   non-BMP character, or any character of a UCS-2 text, forces UCS-2 on
//!   whatever contains it);
//! * the packing is sound: `segments · per_segment ≥ units`, and no segment
//!   but the last wastes more than one unit;
//! * `remaining` is exact: appending `remaining` one-unit characters keeps the
//!   segment count, appending one more adds exactly one segment;
//! * `count_segments_ax(t, b) == count_segments(t + "@" + b.e164())`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use privnum::callback::segments::{SegmentCount, SmsEncoding, count_segments, count_segments_ax};
use privnum::number;
use privnum_fuzz::text;

fn check_shape(t: &str, c: SegmentCount) {
    let (single, concat) = match c.encoding {
        SmsEncoding::Gsm7 => (160, 153),
        SmsEncoding::Ucs2 => (70, 67),
    };
    assert!(c.segments >= 1, "{c:?}");
    if c.per_segment == single {
        assert_eq!(c.segments, 1, "{c:?}");
        assert!(c.units <= single, "{c:?}");
        assert_eq!(c.remaining, single - c.units, "{c:?}");
    } else {
        assert_eq!(c.per_segment, concat, "{c:?}");
        assert!(c.units > single, "{c:?}");
        assert!(c.segments >= 2, "{c:?}");
        assert!(c.remaining < c.per_segment, "{c:?}");
        // Sound packing: the units fit, and at most one unit is lost per
        // segment boundary (an escape or surrogate pair moved to the next).
        let capacity = u64::from(c.segments) * u64::from(c.per_segment);
        let used = capacity - u64::from(c.remaining);
        assert!(used >= u64::from(c.units), "{c:?}");
        assert!(used - u64::from(c.units) < u64::from(c.segments), "{c:?}");
    }
    let chars = t.chars().count() as u64;
    let units = u64::from(c.units);
    match c.encoding {
        SmsEncoding::Ucs2 => assert_eq!(units, t.encode_utf16().count() as u64, "{t:?}"),
        SmsEncoding::Gsm7 => {
            assert!(units >= chars && units <= 2 * chars, "{t:?} {c:?}");
            assert!(t.chars().all(|ch| ch.len_utf16() == 1), "{t:?} is GSM-7");
        }
    }
}

/// The AX-mode `@<B number>` suffix: `Valid` splits the text at its last `@`
/// and names a bindable receiver; `Missing` means no `@` at all; `Garbled`
/// returns exactly what follows the last `@` or `＠`.
fn check_ax_suffix(t: &str) {
    use privnum::callback::{AxSuffix, ax_suffix};
    match ax_suffix(t) {
        AxSuffix::Valid { receiver, text } => {
            assert!(receiver.is_bindable(), "{t:?}");
            assert_eq!(t.rfind('@'), Some(text.len()), "{t:?}");
            let after = &t[text.len() + 1..];
            assert_eq!(privnum::number::parse(after), Ok(receiver), "{t:?}");
        }
        AxSuffix::Missing => assert!(!t.contains('@') && !t.contains('\u{ff20}'), "{t:?}"),
        AxSuffix::Garbled { suffix } => {
            assert!(t.ends_with(suffix), "{t:?}");
            assert!(t.contains('@') || t.contains('\u{ff20}'), "{t:?}");
        }
        _ => {}
    }
}

fuzz_target!(|data: &[u8]| {
    let text = text(data);
    let t = text.as_ref();
    check_ax_suffix(t);
    let c = count_segments(t);
    check_shape(t, c);

    // `remaining` is how many more one-unit characters fit.
    let filler = match c.encoding {
        SmsEncoding::Gsm7 => 'a',
        SmsEncoding::Ucs2 => '中',
    };
    let mut longer = String::with_capacity(t.len() + 3 * (c.remaining as usize + 1));
    longer.push_str(t);
    longer.extend(std::iter::repeat_n(filler, c.remaining as usize));
    let full = count_segments(&longer);
    check_shape(&longer, full);
    assert_eq!(
        (full.encoding, full.segments),
        (c.encoding, c.segments),
        "{t:?} + {}",
        c.remaining
    );
    assert_eq!(full.remaining, 0, "{t:?}");
    longer.push(filler);
    let over = count_segments(&longer);
    check_shape(&longer, over);
    assert_eq!(
        (over.encoding, over.segments),
        (c.encoding, c.segments + 1),
        "{t:?} + {}",
        c.remaining + 1
    );

    // One character outside GSM-7 makes the whole text UCS-2.
    let forced = count_segments(&format!("{t}中"));
    assert_eq!(forced.encoding, SmsEncoding::Ucs2);
    if c.encoding == SmsEncoding::Ucs2 {
        assert_eq!(count_segments(&format!("{t}a")).encoding, SmsEncoding::Ucs2);
        assert_eq!(count_segments(&format!("a{t}")).encoding, SmsEncoding::Ucs2);
    }

    // AX mode counts "text@+E164".
    let b = number::parse("+8613900000002").expect("a valid mobile");
    let ax = count_segments_ax(t, &b);
    assert_eq!(ax, count_segments(&format!("{t}@{}", b.e164())));
    check_shape(&format!("{t}@{}", b.e164()), ax);
});
