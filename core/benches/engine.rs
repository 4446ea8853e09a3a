//! Benchmarks for the binding engine: routing at 1 million (and 10 million)
//! active bindings, memory per binding, and bind/unbind with the journal off
//! and on.
//!
//! Two modes, one binary:
//!
//! - `cargo bench -p privnum --bench engine` runs the criterion groups
//!   (means): route hit and miss at 1M bindings, bind+unbind in memory (at
//!   1M bindings and on an empty engine) and with a journal (fsync never and
//!   always).
//! - `PRIVNUM_BENCH_REPORT=1 cargo bench -p privnum --bench engine` prints
//!   the report instead: load time, memory per binding, route latency
//!   percentiles, lookups/s with 1 and 2 threads (with and without a
//!   concurrent writer) and bind/unbind ops/s. Add `PRIVNUM_BENCH_10M=1`
//!   for 10 million bindings too (about 1.2 GB of RAM).
//!
//! The data set: binding `i` is the AXB pair A = `+86138<i>`, B = `+86139<i>`
//! on X = `+86170<i mod 4000>` (8-digit `i`), default settings (no expiry),
//! ids minted from a fixed seed. 4,000 X keep every X under the platform's
//! 5,000 pairs even at 10M bindings (2,500 each) and no party repeats on an X.

#![allow(
    clippy::print_stdout,
    reason = "the report mode prints its tables to stdout"
)]

use std::hint::black_box;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};
use privnum::Number;
use privnum::engine::{
    BindRequest, CallIn, Engine, EngineConfig, FsyncPolicy, Mode, Route, Settings, ShapeRequest,
    XChoice,
};
use privnum::number;

/// "Now" for every call: 2024-05-01T08:00:00Z.
const NOW: u64 = 1_714_550_400;
/// How many X the bindings are spread over.
const XS: usize = 4_000;
/// Calls in one precomputed lookup list (cycled through).
const CALLS: usize = 1 << 20;

// ----- data set --------------------------------------------------------------

fn num(prefix: &str, i: usize) -> Number {
    number::parse(&format!("{prefix}{i:08}")).expect("bench numbers parse")
}

/// The pool of X numbers, `+86170<j>`.
fn xs() -> Vec<Number> {
    (0..XS).map(|j| num("+86170", j)).collect()
}

/// The pair `a`–`b` on `x`, id minted by the engine.
fn pair(a: Number, b: Number, x: Number) -> BindRequest {
    BindRequest {
        shape: ShapeRequest::Pair { a, b },
        x: XChoice::Given(x),
        settings: Settings::default(),
        id: None,
    }
}

/// Binding `i` of the data set.
fn binding(xs: &[Number], i: usize) -> BindRequest {
    pair(num("+86138", i), num("+86139", i), xs[i % XS])
}

/// A free-standing pair (prefixes `pa`/`pb`, never in the data set) for
/// bind/unbind measurements.
fn extra(xs: &[Number], pa: &str, pb: &str, i: usize) -> BindRequest {
    pair(num(pa, i), num(pb, i), xs[i % XS])
}

fn config() -> EngineConfig {
    EngineConfig {
        id_seed: Some(1),
        ..EngineConfig::new(Mode::Axb)
    }
}

/// Bind the first `n` bindings of the data set, draining events as a host
/// would (every 4,096 binds).
fn load(engine: &Engine, xs: &[Number], n: usize) {
    engine.reserve(n);
    for i in 0..n {
        engine.bind(&binding(xs, i), NOW).expect("bench bind");
        if i % 4096 == 4095 {
            drop(engine.poll_events(usize::MAX));
        }
    }
    drop(engine.poll_events(usize::MAX));
}

/// splitmix64: a small reproducible generator (no rand dependency).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// `len` calls from random bound parties (A or B of a random binding among
/// the first `n`) to their X: every one connects.
fn hit_calls(xs: &[Number], n: usize, len: usize, seed: u64) -> Vec<CallIn> {
    let mut rng = Rng(seed);
    (0..len)
        .map(|_| {
            let i = rng.below(n);
            let r = rng.next();
            let caller = if r & 1 == 0 {
                num("+86138", i)
            } else {
                num("+86139", i)
            };
            CallIn {
                caller,
                dialled: xs[i % XS],
                ext: None,
            }
        })
        .collect()
}

/// `len` calls from strangers (`+86135<i>`, never bound) to bound X: the
/// routing index misses, then the X's own entry is read (no owner, no
/// extensions) and the call is closed.
fn miss_calls(xs: &[Number], len: usize, seed: u64) -> Vec<CallIn> {
    let mut rng = Rng(seed);
    (0..len)
        .map(|_| CallIn {
            caller: num("+86135", rng.below(100_000_000)),
            dialled: xs[rng.below(XS)],
            ext: None,
        })
        .collect()
}

/// A fresh directory under the system temp dir.
fn temp_dir(label: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "privnum-bench-engine-{}-{label}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn journaled(label: &str, fsync: FsyncPolicy) -> (Engine, PathBuf) {
    let dir = temp_dir(label);
    let (engine, _) =
        Engine::open(&dir, EngineConfig { fsync, ..config() }).expect("open journaled engine");
    (engine, dir)
}

// ----- criterion ---------------------------------------------------------------

fn criterion_benches(c: &mut Criterion) {
    let xs = xs();
    let n = 1_000_000;
    let engine = Engine::new(config()).unwrap();
    load(&engine, &xs, n);

    let hits = hit_calls(&xs, n, CALLS, 7);
    let misses = miss_calls(&xs, CALLS, 8);
    assert!(
        hits.iter()
            .take(1000)
            .all(|c| engine.route(c, NOW).is_connect())
    );
    assert!(
        !misses
            .iter()
            .take(1000)
            .any(|c| engine.route(c, NOW).is_connect())
    );

    let mut g = c.benchmark_group("engine route (1M bindings)");
    g.throughput(Throughput::Elements(1));
    for (name, calls) in [
        ("hit (random bound caller)", &hits),
        ("miss (stranger calls X)", &misses),
    ] {
        g.bench_function(name, |b| {
            let mut i = 0;
            b.iter(|| {
                i = (i + 1) & (CALLS - 1);
                engine.route(black_box(&calls[i]), NOW)
            });
        });
    }
    g.finish();

    // Bind then unbind one pair per iteration, cycling over 4,096 pairs (one
    // X each) that are not in the data set.
    let reqs: Vec<BindRequest> = (0..4096)
        .map(|i| extra(&xs, "+86158", "+86159", i))
        .collect();
    let bind_unbind = |engine: &Engine, b: &mut criterion::Bencher<'_>| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) & 4095;
            let bound = engine.bind(black_box(&reqs[i]), NOW).unwrap();
            engine.unbind(&bound.id, NOW).unwrap();
        });
    };
    let mut g = c.benchmark_group("engine bind+unbind");
    g.throughput(Throughput::Elements(2));
    g.bench_function("in memory, 1M bindings", |b| bind_unbind(&engine, b));
    drop(engine);
    let empty = Engine::new(config()).unwrap();
    g.bench_function("in memory, empty engine", |b| bind_unbind(&empty, b));
    drop(empty);
    let (journal, dir) = journaled("never", FsyncPolicy::Never);
    g.bench_function("journal fsync=never, empty engine", |b| {
        bind_unbind(&journal, b);
    });
    drop(journal);
    let _ = std::fs::remove_dir_all(&dir);
    g.finish();

    // Two fsyncs an iteration: few samples.
    let mut g = c.benchmark_group("engine bind+unbind (fsync)");
    g.throughput(Throughput::Elements(2));
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(10));
    let (journal, dir) = journaled("always", FsyncPolicy::Always);
    g.bench_function("journal fsync=always, empty engine", |b| {
        bind_unbind(&journal, b);
    });
    drop(journal);
    let _ = std::fs::remove_dir_all(&dir);
    g.finish();
}

// ----- report ------------------------------------------------------------------

/// Resident set size of this process, in bytes (Linux; 0 elsewhere).
fn rss_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .map_or(0, |kb| kb * 1024)
}

/// Anonymous memory of this process backed by transparent huge pages, in
/// bytes (Linux; 0 elsewhere).
fn huge_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/smaps_rollup")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("AnonHugePages:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .map_or(0, |kb| kb * 1024)
}

/// Thousands separators.
fn sep(v: u64) -> String {
    let s = v.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

fn per_sec(count: u64, d: Duration) -> u64 {
    (count as f64 / d.as_secs_f64()) as u64
}

fn pct(sorted: &[u32], q: f64) -> u32 {
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

/// The median cost of one `Instant::now()` pair with nothing between, in ns.
fn instant_overhead() -> u32 {
    let mut v: Vec<u32> = (0..200_000)
        .map(|_| {
            let t0 = Instant::now();
            let t1 = Instant::now();
            (t1 - t0).as_nanos() as u32
        })
        .collect();
    v.sort_unstable();
    pct(&v, 0.5)
}

/// Route latency percentiles over `calls`.
///
/// Each lookup is timed on its own between two `Instant::now()` calls and
/// the median cost of an empty `Instant::now()` pair is subtracted. With
/// the vDSO clock (TSC) that overhead is ~20-40 ns and steady, so the
/// subtraction is accurate to a few ns, which is enough against a 200 ns /
/// 1 µs goal; timing batches instead would average away exactly the tail
/// (p99, p99.9) we want to see. The mean of batches of 64 lookups is printed
/// alongside as a cross-check of the clock-corrected median.
struct Latency {
    p50: u32,
    p99: u32,
    p999: u32,
    max: u32,
    batch64_mean: f64,
}

fn latency(engine: &Engine, calls: &[CallIn], overhead: u32) -> Latency {
    // Warm up (caches, branch predictors).
    for c in calls.iter().take(100_000) {
        black_box(engine.route(c, NOW));
    }
    let mut samples: Vec<u32> = Vec::with_capacity(calls.len());
    for c in calls {
        let t0 = Instant::now();
        let r = engine.route(black_box(c), NOW);
        let t1 = Instant::now();
        black_box(r);
        samples.push(((t1 - t0).as_nanos() as u32).saturating_sub(overhead));
    }
    let t = Instant::now();
    for chunk in calls.chunks(64) {
        for c in chunk {
            black_box(engine.route(black_box(c), NOW));
        }
    }
    let batch64_mean = t.elapsed().as_nanos() as f64 / calls.len() as f64;
    samples.sort_unstable();
    Latency {
        p50: pct(&samples, 0.5),
        p99: pct(&samples, 0.99),
        p999: pct(&samples, 0.999),
        max: *samples.last().unwrap_or(&0),
        batch64_mean,
    }
}

/// Lookups a reader does until `stop`, cycling over its own call list.
fn reader(engine: &Engine, calls: &[CallIn], stop: &AtomicBool) -> u64 {
    let mut done = 0u64;
    let mut connected = 0u64;
    'outer: loop {
        for chunk in calls.chunks(1024) {
            for c in chunk {
                if let Route::Connect(_) = engine.route(c, NOW) {
                    connected += 1;
                }
            }
            done += chunk.len() as u64;
            if stop.load(Ordering::Relaxed) {
                break 'outer;
            }
        }
    }
    assert_eq!(connected, done, "every listed call connects");
    done
}

/// Bind then unbind pairs (`+86136`/`+86137`, not in the data set) until
/// `stop`; counts both operations. With `rate`, paced to about that many
/// operations a second; without, flat out.
fn writer(engine: &Engine, xs: &[Number], stop: &AtomicBool, ops: &AtomicU64, rate: Option<u32>) {
    let reqs: Vec<BindRequest> = (0..XS).map(|i| extra(xs, "+86136", "+86137", i)).collect();
    let mut i = 0;
    let start = Instant::now();
    let mut done = 0u64;
    while !stop.load(Ordering::Relaxed) {
        if let Some(rate) = rate {
            let due = start + Duration::from_secs_f64(done as f64 / f64::from(rate));
            if let Some(wait) = due.checked_duration_since(Instant::now()) {
                std::thread::sleep(wait);
            }
            done += 2;
        }
        let b = engine.bind(&reqs[i], NOW).expect("writer bind");
        engine.unbind(&b.id, NOW).expect("writer unbind");
        if i % 1024 == 0 {
            drop(engine.poll_events(usize::MAX));
        }
        i = (i + 1) % XS;
        ops.fetch_add(2, Ordering::Relaxed);
    }
}

/// Total lookups/s of `lists.len()` reader threads over `dur`, with an
/// extra writer thread when `with_writer`; also the writer's ops/s.
fn throughput(
    engine: &Engine,
    xs: &[Number],
    lists: &[Vec<CallIn>],
    with_writer: bool,
    dur: Duration,
) -> (u64, u64) {
    let stop = AtomicBool::new(false);
    let ops = AtomicU64::new(0);
    let (lookups, elapsed) = std::thread::scope(|s| {
        if with_writer {
            s.spawn(|| writer(engine, xs, &stop, &ops, None));
        }
        let start = Instant::now();
        let handles: Vec<_> = lists
            .iter()
            .map(|l| {
                let stop = &stop;
                s.spawn(move || reader(engine, l, stop))
            })
            .collect();
        std::thread::sleep(dur);
        stop.store(true, Ordering::Relaxed);
        let lookups: u64 = handles.into_iter().map(|h| h.join().unwrap()).sum();
        (lookups, start.elapsed())
    });
    (
        per_sec(lookups, elapsed),
        per_sec(ops.load(Ordering::Relaxed), elapsed),
    )
}

/// Bind `count` pairs then unbind them; (bind/s, unbind/s, both/s). Stops
/// binding early after `limit` (slow fsync), unbinding what was bound.
fn bind_unbind_rate(
    engine: &Engine,
    xs: &[Number],
    count: usize,
    limit: Duration,
) -> (usize, u64, u64, u64) {
    let reqs: Vec<BindRequest> = (0..count)
        .map(|i| extra(xs, "+86150", "+86151", i))
        .collect();
    let mut ids = Vec::with_capacity(count);
    let t = Instant::now();
    for r in &reqs {
        ids.push(engine.bind(r, NOW).expect("bind").id);
        if ids.len() % 4096 == 0 {
            drop(engine.poll_events(usize::MAX));
        }
        if t.elapsed() > limit {
            break;
        }
    }
    let bind_time = t.elapsed();
    let t = Instant::now();
    for id in &ids {
        engine.unbind(id, NOW).expect("unbind");
    }
    let unbind_time = t.elapsed();
    drop(engine.poll_events(usize::MAX));
    let n = ids.len() as u64;
    (
        ids.len(),
        per_sec(n, bind_time),
        per_sec(n, unbind_time),
        per_sec(2 * n, bind_time + unbind_time),
    )
}

fn report_size(xs: &[Number], n: usize) {
    println!(
        "\n=== {} active bindings (AXB pairs on {XS} X) ===",
        sep(n as u64)
    );
    let rss0 = rss_bytes();
    let engine = Engine::new(config()).unwrap();
    let t = Instant::now();
    load(&engine, xs, n);
    let load_time = t.elapsed();
    let rss1 = rss_bytes();
    assert_eq!(engine.len(), n);
    println!(
        "load:               {:.2} s ({} binds/s, one bind() each, after reserve(n))",
        load_time.as_secs_f64(),
        sep(per_sec(n as u64, load_time))
    );
    println!(
        "memory_bytes()/N:   {:.1} B   (engine's estimate from capacities)",
        engine.memory_bytes() as f64 / n as f64
    );
    println!(
        "RSS delta/N:        {:.1} B   (VmRSS {} MiB -> {} MiB, {} MiB of it in huge pages)",
        rss1.saturating_sub(rss0) as f64 / n as f64,
        rss0 >> 20,
        rss1 >> 20,
        huge_bytes() >> 20
    );

    let bytes = engine.memory_bytes();
    println!(
        "memory latency:     {:.0} ns per dependent random read over {} MiB with 4 KiB pages, {:.0} ns with huge pages\n                    (the floor: a route hit makes two such reads, its index entry and then the record)",
        memory_latency_ns(bytes, false),
        bytes >> 20,
        memory_latency_ns(bytes, true),
    );

    let lists: Vec<Vec<CallIn>> = (0..3).map(|k| hit_calls(xs, n, CALLS, 100 + k)).collect();
    let misses = miss_calls(xs, CALLS, 200);
    let overhead = instant_overhead();
    println!(
        "\nroute latency, 1 thread, {} lookups each, every lookup timed (Instant pair overhead {overhead} ns subtracted)",
        sep(CALLS as u64)
    );
    println!(
        "  {:<28} {:>7} {:>7} {:>7} {:>8} {:>13}",
        "", "p50", "p99", "p99.9", "max", "batch-64 mean"
    );
    let row = |name: &str, l: &Latency| {
        println!(
            "  {name:<28} {:>4} ns {:>4} ns {:>4} ns {:>5} ns {:>10.0} ns",
            l.p50, l.p99, l.p999, l.max, l.batch64_mean
        );
    };
    row(
        "hit (random bound caller)",
        &latency(&engine, &lists[0], overhead),
    );
    row(
        "miss (stranger calls X)",
        &latency(&engine, &misses, overhead),
    );
    // The software's own cost: the same 1,024 hits over and over, so that
    // everything they read stays in the caches.
    let hot: Vec<CallIn> = lists[0][..1024]
        .iter()
        .cycle()
        .take(CALLS)
        .copied()
        .collect();
    row(
        "hit, hot (1,024 calls cycled)",
        &latency(&engine, &hot, overhead),
    );
    // The same hit lookups while another thread binds and unbinds, at a
    // busy platform's pace and then flat out.
    for (name, rate) in [
        ("hit, 1 writer at 10 k ops/s", Some(10_000)),
        ("hit, 1 writer flat out", None),
    ] {
        let stop = AtomicBool::new(false);
        let ops = AtomicU64::new(0);
        let under_writes = std::thread::scope(|s| {
            s.spawn(|| writer(&engine, xs, &stop, &ops, rate));
            let l = latency(&engine, &lists[1], overhead);
            stop.store(true, Ordering::Relaxed);
            l
        });
        row(name, &under_writes);
    }

    let dur = Duration::from_secs(1);
    println!(
        "\nroute throughput (hits, {} s per line, each reader its own random call list)",
        dur.as_secs()
    );
    println!("  {:<28} {:>14} {:>16}", "", "lookups/s", "writer ops/s");
    for (name, readers, with_writer) in [
        ("1 reader", 1, false),
        ("2 readers", 2, false),
        ("1 reader + 1 writer", 1, true),
        ("2 readers + 1 writer", 2, true),
    ] {
        let (lps, wops) = throughput(&engine, xs, &lists[..readers], with_writer, dur);
        let w = if with_writer {
            sep(wops)
        } else {
            "-".to_owned()
        };
        println!("  {name:<28} {:>14} {w:>16}", sep(lps));
    }

    let (done, b, u, both) = bind_unbind_rate(&engine, xs, 10_000, Duration::from_secs(30));
    println!(
        "\nbind/unbind in memory at {} bindings ({} binds then {} unbinds): bind {}/s, unbind {}/s, combined {}/s",
        sep(n as u64),
        sep(done as u64),
        sep(done as u64),
        sep(b),
        sep(u),
        sep(both)
    );
    let count = 100_000;
    println!(
        "tick expiring {} pairs at once at {} bindings: {}/s",
        sep(count as u64),
        sep(n as u64),
        sep(tick_rate(&engine, xs, count))
    );
}

/// `tick` expiring `count` pairs at once (bound with a 60 s lifetime on an
/// engine already holding the data set): expirations/s.
fn tick_rate(engine: &Engine, xs: &[Number], count: usize) -> u64 {
    for i in 0..count {
        let mut req = extra(xs, "+86152", "+86153", i);
        req.settings.duration_secs = 60;
        engine.bind(&req, NOW).expect("bind with a lifetime");
        if i % 4096 == 4095 {
            drop(engine.poll_events(usize::MAX));
        }
    }
    drop(engine.poll_events(usize::MAX));
    let t = Instant::now();
    let expired = engine.tick(NOW + 61).expect("tick");
    let d = t.elapsed();
    assert_eq!(expired, count, "every bound pair expires");
    drop(engine.poll_events(usize::MAX));
    per_sec(expired as u64, d)
}

/// One dependent random read over a buffer of `bytes`: the machine's
/// memory latency, the floor under a route lookup that misses the caches.
/// With `huge`, the buffer is a mapping advised for transparent huge pages,
/// as the engine's large buffers are (Linux only; elsewhere the same as
/// without).
fn memory_latency_ns(bytes: usize, huge: bool) -> f64 {
    let n = (bytes / 8).max(1024);
    #[cfg(target_os = "linux")]
    if huge {
        // As the engine maps its buffers: from a 2 MiB boundary.
        const HUGE: usize = 2 << 20;
        let mut map = memmap2::MmapOptions::new()
            .len(n * 8 + HUGE)
            .map_anon()
            .expect("anonymous mapping");
        let _ = map.advise(memmap2::Advice::HugePage);
        let addr = map.as_ptr() as usize;
        let start = addr.next_multiple_of(HUGE) - addr;
        return chase(bytemuck::cast_slice_mut(&mut map[start..start + n * 8]));
    }
    let _ = huge;
    chase(&mut vec![0u64; n])
}

/// The mean time of one step through a single random cycle over `next`.
fn chase(next: &mut [u64]) -> f64 {
    let n = next.len();
    for (i, v) in next.iter_mut().enumerate() {
        *v = i as u64;
    }
    // A single random cycle through all positions (Sattolo's algorithm).
    let mut rng = Rng(7);
    for i in (1..n).rev() {
        next.swap(i, rng.below(i));
    }
    let steps = 2_000_000;
    let mut p = 0usize;
    let t = Instant::now();
    for _ in 0..steps {
        p = next[p] as usize;
    }
    black_box(p);
    t.elapsed().as_nanos() as f64 / f64::from(steps)
}

fn report_journal(xs: &[Number]) {
    let count = 10_000;
    println!(
        "\n=== bind/unbind ops/s, empty engine, {} binds then as many unbinds (fsync=always stops binding after 20 s) ===",
        sep(count as u64)
    );
    println!(
        "  {:<24} {:>7} {:>12} {:>12} {:>12}",
        "", "pairs", "bind/s", "unbind/s", "combined/s"
    );
    let row = |name: &str, (done, b, u, both): (usize, u64, u64, u64)| {
        println!(
            "  {name:<24} {:>7} {:>12} {:>12} {:>12}",
            sep(done as u64),
            sep(b),
            sep(u),
            sep(both)
        );
    };
    let limit = Duration::from_secs(20);
    let mem = Engine::new(config()).unwrap();
    row(
        "journal off (memory)",
        bind_unbind_rate(&mem, xs, count, limit),
    );
    for (name, label, policy) in [
        ("journal, fsync=never", "report-never", FsyncPolicy::Never),
        (
            "journal, fsync=always",
            "report-always",
            FsyncPolicy::Always,
        ),
    ] {
        let (engine, dir) = journaled(label, policy);
        row(name, bind_unbind_rate(&engine, xs, count, limit));
        drop(engine);
        let _ = std::fs::remove_dir_all(&dir);
    }
    println!("  (journal dir: {})", std::env::temp_dir().display());
}

fn report() {
    let xs = xs();
    println!(
        "privnum engine report ({} CPUs available)",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    let mut sizes = vec![1_000_000];
    if std::env::var_os("PRIVNUM_BENCH_10M").is_some_and(|v| v == "1") {
        sizes.push(10_000_000);
    }
    for n in sizes {
        report_size(&xs, n);
    }
    report_journal(&xs);
}

fn main() {
    if std::env::var_os("PRIVNUM_BENCH_REPORT").is_some_and(|v| v == "1") {
        report();
        return;
    }
    let mut c = Criterion::default().configure_from_args();
    criterion_benches(&mut c);
    c.final_summary();
}
