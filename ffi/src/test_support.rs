//! Helpers for the tests that keep the C constants, core and the committed
//! header in agreement.

use std::collections::BTreeMap;
use std::path::PathBuf;

/// `CamelCase` → `CAMEL_CASE` (a digit run stays with the word before it:
/// `Rfc3986` → `RFC3986`).
pub(crate) fn screaming(camel: &str) -> String {
    let mut out = String::new();
    for (i, ch) in camel.chars().enumerate() {
        if ch.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(ch.to_ascii_uppercase());
    }
    out
}

/// Every `#define <prefix><NAME> <integer>` in `include/privnum.h`, as
/// `NAME → integer`.
pub(crate) fn defines(prefix: &str) -> BTreeMap<String, u64> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../include/privnum.h");
    let header = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (generate it with cbindgen)", path.display()));
    header
        .lines()
        .filter_map(|line| {
            let rest = line.strip_prefix("#define ")?.strip_prefix(prefix)?;
            let (name, value) = rest.split_once(' ')?;
            Some((name.to_owned(), value.trim().parse().ok()?))
        })
        .collect()
}

/// Check one family of C constants (`PRIVNUM_FIELD_*`, ...): the Rust list
/// `c` must equal `core` (name and number, nothing missing, nothing extra),
/// and the header must define exactly those.
pub(crate) fn check_family(
    prefix: &str,
    c: &[(&str, u32)],
    core: impl IntoIterator<Item = (String, u32)>,
) {
    let c: BTreeMap<String, u64> = c
        .iter()
        .map(|&(n, v)| (n.to_owned(), u64::from(v)))
        .collect();
    let core: BTreeMap<String, u64> = core.into_iter().map(|(n, v)| (n, u64::from(v))).collect();
    assert_eq!(c, core, "{prefix}* constants differ from core");
    assert_eq!(
        defines(prefix),
        core,
        "include/privnum.h: {prefix}* differ from core (regenerate the header)"
    );
}
