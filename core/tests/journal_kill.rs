//! Kill -9 test of the journal: a child process appends records and reports
//! each acknowledged one on stdout; the parent kills it (SIGKILL on Unix) at a
//! random point and checks that reopening the journal recovers every
//! acknowledged record, in order and intact, and at most one more.
//!
//! The child is this same test binary, re-run with `--exact child_writer`
//! and `PRIVNUM_JOURNAL_CHILD_DIR` set; without that variable `child_writer`
//! returns at once.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use privnum::engine::journal::{FsyncPolicy, Journal, Recovered};

const CHILD_DIR: &str = "PRIVNUM_JOURNAL_CHILD_DIR";
const CHILD_POLICY: &str = "PRIVNUM_JOURNAL_CHILD_POLICY";
const CHILD_SNAP_EVERY: &str = "PRIVNUM_JOURNAL_CHILD_SNAP_EVERY";
/// The child stops by itself after this many records (it is killed long before).
const CHILD_LIMIT: u64 = 1_000_000;
const ITERATIONS: u64 = 30;

/// The payload of record `n`: its decimal sequence number, a space, and a
/// filler whose length varies (every 17th record is large, to widen the
/// window in which a kill lands mid-write).
fn payload(n: u64) -> Vec<u8> {
    let filler = if n % 17 == 5 {
        BIG_FILLER_MIN + (n * 7919 % BIG_FILLER_SPAN)
    } else {
        n * 31 % 200
    };
    let mut p = n.to_string().into_bytes();
    p.push(b' ');
    let filler = usize::try_from(filler).unwrap();
    let pattern = FILLER.get_or_init(|| {
        (0..BIG_FILLER_MIN + BIG_FILLER_SPAN)
            .map(|i| b'a' + (i % 26) as u8)
            .collect()
    });
    p.extend_from_slice(&pattern[..filler]);
    p
}

const BIG_FILLER_MIN: u64 = 200_000;
const BIG_FILLER_SPAN: u64 = 1_000_000;
static FILLER: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();

/// Checks that `rec` is a snapshot `snap <S>` (or none) followed by records
/// `S+1, S+2, …` with exactly the expected payloads; returns the next
/// sequence number.
fn next_sequence(rec: &Recovered) -> u64 {
    let first = match &rec.snapshot {
        None => 0,
        Some(snap) => {
            let text = std::str::from_utf8(snap).unwrap();
            let folded: u64 = text.strip_prefix("snap ").unwrap().parse().unwrap();
            folded + 1
        }
    };
    for (i, record) in rec.records.iter().enumerate() {
        let n = first + i as u64;
        assert!(
            *record == payload(n),
            "record {i} after the snapshot should be sequence {n}, starts with {:?}",
            String::from_utf8_lossy(&record[..record.len().min(24)])
        );
    }
    first + rec.records.len() as u64
}

fn policy_from_env() -> FsyncPolicy {
    match std::env::var(CHILD_POLICY).as_deref() {
        Ok("always") => FsyncPolicy::Always,
        _ => FsyncPolicy::Never,
    }
}

/// The child: appends records until killed, printing `acked N` after each
/// append returns. Does nothing unless run by `kill_nine_keeps_every_acked_record`.
#[test]
fn child_writer() {
    let Some(dir) = std::env::var_os(CHILD_DIR) else {
        return;
    };
    let snap_every: u64 = std::env::var(CHILD_SNAP_EVERY)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let (mut journal, rec) = Journal::open(Path::new(&dir), policy_from_env()).unwrap();
    let start = next_sequence(&rec);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for n in start..start + CHILD_LIMIT {
        journal.append(&payload(n)).unwrap();
        writeln!(out, "acked {n}").unwrap();
        out.flush().unwrap();
        if snap_every > 0 && n % snap_every == snap_every - 1 {
            journal
                .write_snapshot(format!("snap {n}").as_bytes())
                .unwrap();
        }
    }
}

/// A unique directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(iteration: u64) -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let path = std::env::temp_dir().join(format!(
            "privnum-journal-kill-{}-{iteration}-{nanos}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&path);
        Self(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

struct XorShift(u64);

impl XorShift {
    fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn parse_ack(line: &str) -> Option<u64> {
    // libtest may print "test child_writer ... " on the same line.
    let line = line.strip_suffix('\n')?;
    let at = line.rfind("acked ")?;
    line[at + "acked ".len()..].trim().parse().ok()
}

/// Runs the child on `dir` until it has acknowledged `kill_after` records,
/// waits `kill_delay`, kills it, and returns the highest sequence number it acknowledged.
fn run_child(
    dir: &Path,
    policy: FsyncPolicy,
    snap_every: u64,
    kill_after: u64,
    kill_delay: Duration,
) -> u64 {
    let exe = std::env::current_exe().unwrap();
    let mut child = Command::new(exe)
        .args(["--exact", "child_writer", "--nocapture", "--test-threads=1"])
        .env(CHILD_DIR, dir)
        .env(
            CHILD_POLICY,
            if policy == FsyncPolicy::Always {
                "always"
            } else {
                "never"
            },
        )
        .env(CHILD_SNAP_EVERY, snap_every.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        let mut line = String::new();
        loop {
            line.clear();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => break,
                Ok(_) => {
                    // A line cut short by the kill has no newline: not an ack.
                    if let Some(n) = parse_ack(&line) {
                        if tx.send(n).is_err() {
                            break;
                        }
                    }
                }
            }
        }
    });

    let mut highest: Option<u64> = None;
    let mut note = |n: u64| {
        if let Some(h) = highest {
            assert_eq!(n, h + 1, "acks must be consecutive");
        }
        highest = Some(n);
    };
    for _ in 0..kill_after {
        match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(n) => note(n),
            Err(RecvTimeoutError::Disconnected) => {
                let status = child.wait().unwrap();
                panic!("the child exited before it was killed: {status}");
            }
            Err(RecvTimeoutError::Timeout) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("the child stopped acknowledging records");
            }
        }
    }
    // A random delay decorrelates the kill from the ack the parent just read.
    std::thread::sleep(kill_delay);
    child.kill().unwrap();
    let status = child.wait().unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(status.signal(), Some(9), "{status}");
    }
    #[cfg(not(unix))]
    assert!(!status.success());
    // Acks already in the pipe when the kill landed count too.
    for n in rx.iter() {
        note(n);
    }
    reader.join().unwrap();
    highest.unwrap()
}

#[test]
fn kill_nine_keeps_every_acked_record() {
    let started = Instant::now();
    let (mut torn, mut unacked, mut snapshots, mut rounds_run) = (0, 0, 0, 0);
    for iteration in 0..ITERATIONS {
        let mut rng = XorShift::new(iteration + 1);
        let policy = if iteration % 10 == 4 {
            FsyncPolicy::Always
        } else {
            FsyncPolicy::Never
        };
        let snap_every = if iteration % 3 == 1 { 50 } else { 0 };
        let rounds = if iteration % 4 == 0 { 2 } else { 1 };
        let max_acks = if policy == FsyncPolicy::Always {
            60
        } else {
            400
        };
        let dir = TempDir::new(iteration);

        // The highest sequence number known to be in the journal.
        let mut known: Option<u64> = None;
        for round in 0..rounds {
            let kill_after = 1 + rng.next() % max_acks;
            let kill_delay = Duration::from_micros(rng.next() % 3000);
            let acked = run_child(&dir.0, policy, snap_every, kill_after, kill_delay);
            if let Some(k) = known {
                assert!(acked > k, "the child resumes after the recovered records");
            }
            let (journal, rec) = Journal::open(&dir.0, policy).unwrap();
            let next = next_sequence(&rec);
            let context = format!(
                "iteration {iteration} round {round} ({policy:?}, snapshot every {snap_every}): \
                 acked up to {acked}, recovered up to {}",
                next as i128 - 1
            );
            assert!(next > acked, "an acked record is missing: {context}");
            assert!(next <= acked + 2, "more than one unacked record: {context}");
            if snap_every > 0 && acked >= snap_every {
                assert!(rec.snapshot.is_some(), "no snapshot: {context}");
            }
            assert_eq!(journal.records_since_snapshot(), rec.records.len() as u64);
            torn += u32::from(rec.torn_tail.is_some());
            unacked += u32::from(next == acked + 2);
            snapshots += u32::from(rec.snapshot.is_some());
            rounds_run += 1;
            known = Some(next - 1);
            drop(journal);
        }
    }
    eprintln!(
        "journal_kill: {rounds_run} kills in {:.1?}: {torn} torn tails, {unacked} unacked \
         records kept, {snapshots} recoveries from a snapshot",
        started.elapsed()
    );
}
