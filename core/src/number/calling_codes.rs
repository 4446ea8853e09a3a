//! ITU-T E.164 country calling codes and the few national-length rules privnum knows.
//!
//! The codes form a prefix-free set, so the first one that matches a digit
//! string is the only one that can. The list covers every code assigned for
//! geographic areas and global services (ITU-T E.164 Annex, "List of ITU-T
//! Recommendation E.164 assigned country codes").

/// Is `code` (1 to 3 digits) an assigned country calling code?
pub(crate) fn is_assigned(code: u16, digits: u8) -> bool {
    match digits {
        1 => matches!(code, 1 | 7),
        2 => matches!(
            code,
            20 | 27
                | 30..=34
                | 36
                | 39..=41
                | 43..=49
                | 51..=58
                | 60..=66
                | 81
                | 82
                | 84
                | 86
                | 90..=95
                | 98
        ),
        3 => matches!(
            code,
            211..=213
                | 216
                | 218
                | 220..=258
                | 260..=269
                | 290
                | 291
                | 297..=299
                | 350..=359
                | 370..=383
                | 385..=387
                | 389
                | 420
                | 421
                | 423
                | 500..=509
                | 590..=599
                | 670
                | 672..=683
                | 685..=692
                | 800
                | 808
                | 850
                | 852
                | 853
                | 855
                | 856
                | 870
                | 878
                | 880..=883
                | 886
                | 888
                | 960..=968
                | 970..=977
                | 979
                | 992..=996
                | 998
        ),
        _ => false,
    }
}

/// Length range of the national significant number for countries whose
/// numbering plan privnum knows; `None` means "use the generic E.164 rule".
pub(crate) fn nsn_length(code: u16) -> Option<(u8, u8)> {
    Some(match code {
        1 => (10, 10),  // NANP
        7 => (10, 10),  // Russia, Kazakhstan
        33 => (9, 9),   // France
        44 => (9, 10),  // United Kingdom
        61 => (9, 9),   // Australia
        65 => (8, 8),   // Singapore
        81 => (9, 10),  // Japan
        82 => (8, 10),  // Korea
        91 => (10, 10), // India
        852 => (8, 8),  // Hong Kong
        853 => (8, 8),  // Macao
        886 => (8, 9),  // Taiwan
        _ => return None,
    })
}

/// Countries whose national significant numbers may begin with 0, so a
/// leading 0 is part of the number rather than a trunk prefix.
pub(crate) fn keeps_leading_zero(code: u16) -> bool {
    matches!(code, 39 | 378 | 379)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_prefix_free() {
        for c1 in 0..10u16 {
            for c2 in 0..100u16 {
                if is_assigned(c1, 1) && c2 / 10 == c1 {
                    assert!(!is_assigned(c2, 2), "{c1} prefixes {c2}");
                }
            }
        }
        for c2 in 10..100u16 {
            for c3 in 100..1000u16 {
                if is_assigned(c2, 2) && c3 / 10 == c2 {
                    assert!(!is_assigned(c3, 3), "{c2} prefixes {c3}");
                }
                if is_assigned(c2 / 10, 1) && is_assigned(c3, 3) {
                    assert_ne!(c3 / 100, c2 / 10, "{c3} starts with a one-digit code");
                }
            }
        }
    }
}
