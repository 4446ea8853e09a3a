//! Benchmark for callbacks: parsing one 50-record CDR push.
//!
//! Run with `cargo bench -p privnum --bench callbacks`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use privnum::callback::push::{self, Push};

/// A realistic 50-record CDR push (the fields of spec §9.3, varied per record).
fn cdr_push() -> String {
    let mut records = Vec::new();
    for i in 0..50 {
        records.push(format!(
            r#"{{"direction":1,"spId":"acme_omp","appKey":"a1d1f50cad21415fbdd13d8f53d36d60","icid":"0a1b2c3d4e5f60718293a4b5c6d7e8{i:02}.1.2.3","bindNum":"+8617000000010","sessionId":"1200_{i}_4294967295_20240501080000@callenabler246.huaweicaas.com","subscriptionId":"3f1c0d2e-0000-4000-8000-0000000000{i:02}","callerNum":"+86138000000{i:02}","calleeNum":"+8617000000010","fwdDisplayNum":"+8617000000010","fwdDstNum":"+86139000000{i:02}","callInTime":"2024-05-01 08:00:00","fwdStartTime":"2024-05-01 08:00:01","fwdAlertingTime":"2024-05-01 08:00:03","fwdAnswerTime":"2024-05-01 08:00:08","callEndTime":"2024-05-01 08:{:02}:08","fwdUnaswRsn":0,"ulFailReason":0,"sipStatusCode":0,"recordFlag":0,"serviceType":"004","hostName":"callenabler246.huaweicaas.com"}}"#,
            i % 60
        ));
    }
    format!(r#"{{"eventType":"fee","feeLst":[{}]}}"#, records.join(","))
}

fn parsing(c: &mut Criterion) {
    let body = cdr_push();
    match push::parse(body.as_bytes()) {
        Ok(Push::Cdrs(r)) => assert_eq!(r.len(), 50),
        other => panic!("bench input does not parse: {other:?}"),
    }
    let mut g = c.benchmark_group("callbacks");
    g.throughput(Throughput::Bytes(body.len() as u64));
    g.bench_function("parse 50-record CDR push", |b| {
        b.iter(|| push::parse(black_box(body.as_bytes())).unwrap());
    });
    g.finish();
}

criterion_group!(benches, parsing);
criterion_main!(benches);
