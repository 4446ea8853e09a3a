//! Benchmarks for the platform API client against the emulator on loopback:
//! AXB bind + unbind round trips (two signed HTTP requests, a fresh
//! connection each, as with the real platform), and the emulator's
//! throughput with many clients at once.
//!
//! - `cargo bench -p privnum --features emulator --bench client` runs the
//!   criterion group: one bind+unbind round trip through `Client` (the
//!   blocking ureq transport) and the sans-IO build/parse alone.
//! - `PRIVNUM_BENCH_REPORT=1 cargo bench -p privnum --features emulator
//!   --bench client` prints round trips per second with 1, 4 and 16 client
//!   threads sharing one emulator.
//!
//! The Python side (the binding's client and `requests` sending the same
//! signed calls) is `python/bench/bench_client.py`.

#![allow(
    clippy::print_stdout,
    reason = "the report mode prints its table to stdout"
)]

use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use criterion::Criterion;
use privnum::client::axb::{AxbBind, AxbUnbind};
use privnum::client::retry::Client;
use privnum::client::transport::{TransportConfig, UreqTransport};
use privnum::client::{self, HttpResponse, Operation};
use privnum::emulator::{AppConfig, Emulator, EmulatorConfig};
use privnum::engine::Mode;
use privnum::{Number, Signer, number};

const KEY: &str = "bench-client-key-000000000000001";
const SECRET: &str = "bench-client-secret-00000000001";

fn emulator(xs: usize, workers: usize) -> Emulator {
    let mut app = AppConfig::new(Mode::Axb, KEY, SECRET);
    for i in 0..xs {
        app = app
            .with_number(number::parse(&format!("+861700000{i:04}")).unwrap(), "0755")
            .unwrap();
    }
    let mut config = EmulatorConfig::new(vec![app]);
    config.workers = workers;
    Emulator::start(config).unwrap()
}

fn client(emu: &Emulator) -> Client {
    let mut config = TransportConfig::default();
    config.https_only = false;
    Client::with_transport(
        emu.base_url(),
        Signer::new(KEY, SECRET).unwrap(),
        UreqTransport::new(config),
    )
    .unwrap()
}

fn party(prefix: &str, i: u64) -> Number {
    number::parse(&format!("{prefix}{:08}", i % 100_000_000)).unwrap()
}

/// One bind (the platform picks X) and its unbind.
fn round_trip(c: &Client, i: u64) {
    let bound = c
        .call(&AxbBind::new(party("+86138", i), party("+86139", i)))
        .expect("bind");
    c.call(&AxbUnbind::BySubscriptionId(bound.subscription_id))
        .expect("unbind");
}

fn benches(c: &mut Criterion) {
    let emu = emulator(16, 4);
    let cl = client(&emu);
    let mut g = c.benchmark_group("client");
    let mut i = 0u64;
    g.bench_function("axb bind+unbind round trip (loopback, Client)", |b| {
        b.iter(|| {
            i += 1;
            round_trip(&cl, i);
        });
    });
    let signer = Signer::new(KEY, SECRET).unwrap();
    let op = AxbBind::new(party("+86138", 1), party("+86139", 1));
    let answer = br#"{"resultcode":"0","resultdesc":"Success","subscriptionId":"e97b2863-e7ad-4b4c-87c0-91b0171fe803","relationNum":"+8617000000010"}"#;
    g.bench_function(
        "axb bind: prepare + sign + parse (sans-IO, no network)",
        |b| {
            b.iter(|| {
                let req = client::sign_now(op.prepare().unwrap(), &signer).unwrap();
                black_box(req);
                let resp = HttpResponse {
                    status: 200,
                    location: None,
                    body: answer,
                };
                black_box(op.parse(&resp).unwrap())
            });
        },
    );
    g.finish();
    emu.stop();
}

/// Round trips per second with `threads` clients for `secs` seconds.
fn throughput(emu: &Emulator, threads: u64, secs: u64) -> f64 {
    let done = AtomicU64::new(0);
    let start = Instant::now();
    let deadline = start + Duration::from_secs(secs);
    std::thread::scope(|s| {
        for t in 0..threads {
            let done = &done;
            s.spawn(move || {
                let c = client(emu);
                let mut i = t * 10_000_000;
                while Instant::now() < deadline {
                    i += 1;
                    round_trip(&c, i);
                    done.fetch_add(1, Ordering::Relaxed);
                }
            });
        }
    });
    done.load(Ordering::Relaxed) as f64 / start.elapsed().as_secs_f64()
}

fn report() {
    let emu = emulator(64, 8);
    println!(
        "bind+unbind round trips per second against the emulator (loopback HTTP, a new connection per request)"
    );
    println!("| client threads | round trips/s | requests/s |");
    println!("|---|---|---|");
    for threads in [1, 4, 16] {
        let rps = throughput(&emu, threads, 5);
        println!("| {threads} | {rps:.0} | {:.0} |", rps * 2.0);
    }
    emu.stop();
}

fn main() {
    if std::env::var_os("PRIVNUM_BENCH_REPORT").is_some() {
        report();
        return;
    }
    let mut c = Criterion::default().configure_from_args();
    benches(&mut c);
    c.final_summary();
}
