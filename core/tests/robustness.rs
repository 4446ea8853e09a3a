//! Bad input never panics: random strings (deterministic seed) into every
//! parser, and every accepted number re-parses to itself.

use privnum::number::{self, Number, ParseOptions};
use privnum::sign::params::{self, ParamsVerifier, Profile};
use privnum::sign::{Verifier, VerifierConfig, parse_created};

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn pick<'a>(&mut self, items: &'a [&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

const PIECES: &[&str] = &[
    "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "86", "00", "+", "＋", " ", "-", "(", ")",
    ".", "/", "１", "３", "８", "０", "\u{3000}", "－", "a", "#", "*", "é", "\u{0}", "\n",
    "\u{200b}", "13", "400", "95", "0755", "010",
];

#[test]
fn random_numbers_never_panic_and_round_trip() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut accepted = 0;
    for _ in 0..200_000 {
        let len = (rng.next() % 24) as usize;
        let input: String = (0..len).map(|_| rng.pick(PIECES)).collect();
        for default_country in [Some(86), Some(1), Some(44), Some(39), None] {
            let options = ParseOptions { default_country };
            if let Ok(n) = number::parse_with(&input, options) {
                accepted += 1;
                let again = number::parse_with(n.e164().as_str(), options).unwrap();
                assert_eq!(again, n, "{input:?}");
                assert_eq!(Number::from_bits(n.to_bits()).unwrap(), n);
                assert!(n.e164().len() <= 16);
                assert_eq!(n.masked().len(), n.e164().len());
            }
        }
    }
    assert!(
        accepted > 1000,
        "the generator should produce valid numbers too ({accepted})"
    );
}

#[test]
fn random_bits_never_panic() {
    let mut rng = Rng(42);
    for _ in 0..200_000 {
        let bits = rng.next() >> (rng.next() % 64);
        if let Ok(n) = Number::from_bits(bits) {
            assert_eq!(n.to_bits(), bits);
            let _ = (n.e164(), n.masked(), n.area_code(), n.class());
        }
    }
}

const HEADER_PIECES: &[&str] = &[
    "UsernameToken",
    " ",
    "Username=",
    "\"",
    "k",
    ",",
    ", ",
    "PasswordDigest=",
    "Nonce=",
    "Created=",
    "2024-05-01T08:00:00Z",
    "abc=",
    "=",
    "é",
    "N1",
    "username=",
    "\u{0}",
];

#[test]
fn random_headers_never_panic() {
    let verifier = Verifier::new("k", "s", VerifierConfig::default()).unwrap();
    let mut rng = Rng(7);
    for _ in 0..100_000 {
        let len = (rng.next() % 16) as usize;
        let value: String = (0..len).map(|_| rng.pick(HEADER_PIECES)).collect();
        let err = verifier
            .verify_headers([("X-AKSK", value.as_str())], 1_714_550_400)
            .unwrap_err();
        assert!(!err.message().is_empty());
        let _ = parse_created(&value);
    }
}

#[test]
fn random_params_never_panic() {
    let verifier =
        ParamsVerifier::new(Profile::call_control(), "s", VerifierConfig::default()).unwrap();
    let mut rng = Rng(11);
    let values = [
        "",
        "%",
        "%4",
        "%zz",
        "a b",
        "中",
        "==",
        "KySJ%2FjuYKzuGRpHsUZ%2Be7tjilmw%3D",
    ];
    for _ in 0..50_000 {
        let params: Vec<(&str, &str)> = (0..(rng.next() % 5))
            .map(|i| {
                let name = ["signature", "timestamp", "signatureNonce", "x", ""][(i % 5) as usize];
                (name, rng.pick(&values))
            })
            .collect();
        let _ = verifier.verify(&params, 0);
        let _ = params::sign(&Profile::rpc_v1("GET"), "s", &params);
        let _ = params::decode(rng.pick(&values));
    }
}

/// Bodies from the push vectors, mutated at random (bytes flipped, cut,
/// duplicated): parsing returns a push or a typed PUSH_* error, never panics.
#[test]
fn mutated_pushes_never_panic() {
    use privnum::callback::push;

    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/pushes.json");
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let bodies: Vec<Vec<u8>> = doc["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["body"].as_str().map(|b| b.as_bytes().to_vec()))
        .collect();
    let mut rng = Rng(99);
    let alphabet = b"{}[]\":,0123456789 -abcdefTZ\\\xff\x00";
    for _ in 0..40_000 {
        let mut b = bodies[(rng.next() % bodies.len() as u64) as usize].clone();
        for _ in 0..=(rng.next() % 4) {
            if b.is_empty() {
                break;
            }
            let at = (rng.next() % b.len() as u64) as usize;
            match rng.next() % 3 {
                0 => b[at] = alphabet[(rng.next() % alphabet.len() as u64) as usize],
                1 => b.truncate(at),
                _ => {
                    let piece = b[at..].to_vec();
                    b.extend_from_slice(&piece[..piece.len().min(64)]);
                }
            }
        }
        if let Err(e) = push::parse(&b) {
            assert!((300..=349).contains(&e.code()), "{e:?}");
            assert!(!e.message().is_empty());
        }
    }
}
