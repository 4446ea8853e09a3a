//! Benchmarks for the foundation: X-AKSK header generation and number parsing.
//!
//! Run with `cargo bench -p privnum --bench foundation` (or `make bench`, which
//! also runs the Python side-by-side comparison). Figures are in README.md.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use privnum::number;
use privnum::sign::{Scheme, Signer};

/// Realistic mixed inputs: what users type into CRM forms and PBX configs.
const INPUTS: &[&str] = &[
    "13800000021",
    "+86 138-0000-0021",
    "008613900000002",
    "0755-2800-0002",
    "(010) 8888 0000",
    "+8617000000010",
    "139 1234 5678",
    "021-6888-8888",
];

fn signing(c: &mut Criterion) {
    let signer = Signer::new(
        "a1d1f50cad21415fbdd13d8f53d36d60",
        "cfc881cc704c4fba8d8fef5788e03e6b",
    )
    .unwrap();
    let mut g = c.benchmark_group("x-aksk");
    g.throughput(Throughput::Elements(1));
    g.bench_function("sign (given nonce + created)", |b| {
        b.iter(|| {
            signer
                .sign(
                    Scheme::Aksk,
                    black_box("66C92B11FF8A425FB8D4CCFE0ED9ED1F"),
                    black_box("2018-02-12T15:30:20Z"),
                )
                .unwrap()
        });
    });
    g.bench_function("sign_at (random nonce, format created)", |b| {
        b.iter(|| {
            signer
                .sign_at(Scheme::Aksk, black_box(1_714_550_400))
                .unwrap()
        });
    });
    g.bench_function("sign_now (random nonce, system clock)", |b| {
        b.iter(|| signer.sign_now(Scheme::Aksk).unwrap());
    });
    g.finish();
}

fn parsing(c: &mut Criterion) {
    let mut g = c.benchmark_group("number");
    g.throughput(Throughput::Elements(INPUTS.len() as u64));
    g.bench_function("parse mixed inputs", |b| {
        b.iter(|| {
            for s in INPUTS {
                black_box(number::parse(black_box(s)).unwrap());
            }
        });
    });
    g.bench_function("parse + e164 mixed inputs", |b| {
        b.iter(|| {
            for s in INPUTS {
                black_box(number::parse(black_box(s)).unwrap().e164());
            }
        });
    });
    g.finish();
}

criterion_group!(benches, signing, parsing);
criterion_main!(benches);
