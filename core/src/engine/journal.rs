//! A durable, append-only journal with compacting snapshots (std file I/O only).
//!
//! The engine records every state change as one opaque record ([`Journal::append`])
//! and, now and then, folds everything journaled so far into one snapshot
//! ([`Journal::write_snapshot`]), which starts an empty journal. After a crash,
//! [`Journal::open`] hands back the last snapshot and the records appended after
//! it ([`Recovered`]); replaying them rebuilds the state. The journal does not
//! look inside payloads.
//!
//! ```
//! use privnum::engine::journal::{FsyncPolicy, Journal};
//! # let dir = std::env::temp_dir().join(format!("privnum-journal-doc-{}", std::process::id()));
//! # let _ = std::fs::remove_dir_all(&dir);
//! let (mut journal, recovered) = Journal::open(&dir, FsyncPolicy::Always)?;
//! assert!(recovered.snapshot.is_none() && recovered.records.is_empty());
//! journal.append(b"bind 1")?;
//! journal.append(b"bind 2")?;
//! journal.write_snapshot(b"state after 2")?;
//! journal.append(b"unbind 1")?;
//! drop(journal);
//!
//! let (_journal, recovered) = Journal::open(&dir, FsyncPolicy::Always)?;
//! assert_eq!(recovered.snapshot.as_deref(), Some(&b"state after 2"[..]));
//! assert_eq!(recovered.records, vec![b"unbind 1".to_vec()]);
//! # std::fs::remove_dir_all(&dir).ok();
//! # Ok::<(), privnum::Error>(())
//! ```
//!
//! # Files
//!
//! A journal owns one directory. Only one [`Journal`] may have a directory
//! open at a time (this is not enforced: two writers corrupt each other). All
//! integers are little-endian.
//!
//! | file | contents |
//! |------|----------|
//! | `snapshot` | magic `PNSNAP\0\x03` (8 bytes), generation `g` (u64), payload length `n` (u32), CRC (u32), payload (`n` bytes), nothing after |
//! | `journal.<g>` | magic `PNJRNL\0\x03` (8 bytes), generation `g` (u64), then records |
//! | `snapshot.tmp`, `journal.tmp` | files being written; removed by [`Journal::open`] |
//!
//! A record is framed as payload length `n` (u32), CRC (u32), payload (`n`
//! bytes). The CRC is CRC-32 (IEEE, as in zlib) of the four length bytes
//! followed by the payload, so a damaged length is caught too. A zero-filled
//! region never reads as a record (the CRC of four zero bytes is not zero).
//! The snapshot's CRC covers its generation, length and payload, in that order.
//! Payloads are at most [`MAX_PAYLOAD`] bytes; a larger length field is damage.
//!
//! `journal.<g>` holds the records appended after snapshot generation `g`;
//! with no snapshot, `g` is 0 and the journal is `journal.0`. The first
//! snapshot has generation 1. The last byte of a magic is the format
//! version of the file and of the engine payloads in it; a file with another
//! magic or version is [`ErrorKind::JournalCorrupt`]. Version 2 added the
//! AXE callback-record lifetime to binding payloads; version 3 (current)
//! added the AXE callback number and callback-record lifetime to pending
//! changes. Files of versions 1 and 2 are refused, not converted; when only
//! the version byte differs, the error says which version the file has and
//! which this build reads.
//!
//! # Durability and the fsync policy
//!
//! [`FsyncPolicy`] decides only what [`Journal::append`] does before it returns:
//!
//! - [`FsyncPolicy::Always`] (the default) calls `sync_data` on the journal,
//!   so an acknowledged record survives a power loss or an OS crash.
//! - [`FsyncPolicy::Never`] leaves the record in the OS page cache. It survives
//!   the process being killed (even with `SIGKILL`), not a power loss or an OS
//!   crash; after those, the newest records may be lost, or the journal may
//!   be reported corrupt if the OS wrote later pages but not earlier ones.
//!
//! Everything else is rare and always made durable, whatever the policy:
//! snapshots, new journal files, the truncation of a torn tail, and the
//! directory entries of created and renamed files (the directory is synced on
//! Unix; other platforms offer no portable way to do it).
//!
//! Each record is written with one `write` call on a file opened in append
//! mode. If a write or a sync fails, the journal may end in a partial record
//! and the OS may have dropped dirty pages, so the [`Journal`] is marked
//! failed: every later [`Journal::append`] returns [`ErrorKind::JournalIo`]
//! until the directory is opened again (which cuts off the partial record) or
//! a [`Journal::write_snapshot`] succeeds (which replaces the journal).
//!
//! # Snapshots
//!
//! [`Journal::write_snapshot`] writes `snapshot.tmp` (generation `g + 1`), syncs
//! it, renames it over `snapshot`, syncs the directory, creates
//! `journal.<g+1>` the same way (through `journal.tmp`), and only then
//! deletes `journal.<g>`. A crash at any point leaves either the old snapshot
//! with `journal.<g>`, or the new snapshot with `journal.<g>` still there (it
//! is stale and deleted) and `journal.<g+1>` present or missing (it is
//! created). Either way [`Journal::open`] recovers exactly one of the two states.
//!
//! # Recovery
//!
//! [`Journal::open`] reads the snapshot (any damage is
//! [`ErrorKind::JournalCorrupt`]: a snapshot is never ignored) and then the
//! current journal record by record. A crash in the middle of an append can
//! leave a partial header, a partial payload, or a tail the file system
//! extended with zeros or garbage. So the first record that does not check
//! (cut short by the end of the file, a length over [`MAX_PAYLOAD`], or a CRC
//! mismatch) is a *torn tail* if no complete, valid record starts anywhere
//! after its first byte: it is reported in [`Recovered::torn_tail`] and
//! truncated away (synced). If a valid record does follow, the damage is not
//! from a crash, and `open` returns [`ErrorKind::JournalCorrupt`] naming the
//! file and offset, changing nothing. (A torn record whose own payload
//! happens to contain a complete, validly framed record is therefore reported
//! as corrupt; that needs payloads that embed this very framing.)
//!
//! `open` also deletes leftover `snapshot.tmp`, `journal.tmp` and journals of
//! older generations. A journal of a *newer* generation than the snapshot, or
//! a missing current journal when the previous one is missing too, cannot be
//! left by a crash (the snapshot was deleted or rolled back, or a journal was
//! deleted), so it is [`ErrorKind::JournalCorrupt`], not something to clean up.
//!
//! `open` reads the journal into memory; it needs about twice the journal's
//! size while it runs.

use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::{Error, ErrorKind, Result};

/// The largest payload of one record or snapshot, in bytes (1 GiB).
///
/// [`Journal::append`] and [`Journal::write_snapshot`] refuse larger payloads
/// with [`ErrorKind::InvalidArgument`]; a larger length field on disk is damage.
pub const MAX_PAYLOAD: usize = 1 << 30;

/// Journal file magic; the last byte is the format version.
const JOURNAL_MAGIC: [u8; 8] = *b"PNJRNL\0\x03";
/// Snapshot file magic; the last byte is the format version.
const SNAPSHOT_MAGIC: [u8; 8] = *b"PNSNAP\0\x03";
/// Magic plus generation.
const JOURNAL_HEADER_LEN: usize = 16;
/// Magic, generation, length, CRC.
const SNAPSHOT_HEADER_LEN: usize = 24;
/// Length plus CRC.
const FRAME_HEADER_LEN: usize = 8;

const SNAPSHOT_FILE: &str = "snapshot";
const SNAPSHOT_TMP: &str = "snapshot.tmp";
const JOURNAL_TMP: &str = "journal.tmp";
const JOURNAL_PREFIX: &str = "journal.";

/// When [`Journal::append`] forces a record to stable storage.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum FsyncPolicy {
    /// `sync_data` the journal before [`Journal::append`] returns: an
    /// acknowledged record survives a power loss or an OS crash.
    #[default]
    Always,
    /// Never sync on append and rely on the OS page cache: an acknowledged
    /// record survives the process being killed (even `kill -9`), not a power
    /// loss or an OS crash. Snapshots and new files are still synced.
    Never,
}

/// What [`Journal::open`] found: the state to replay.
///
/// Apply [`Recovered::snapshot`] (if any), then every record of
/// [`Recovered::records`] in order. Its `Debug` output shows sizes, not payloads.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Recovered {
    /// The payload of the installed snapshot, if a snapshot was ever written.
    pub snapshot: Option<Vec<u8>>,
    /// The payloads of the records appended after that snapshot, in append order.
    pub records: Vec<Vec<u8>>,
    /// The incomplete or garbled last record that a crash cut off, if there
    /// was one. It has been truncated away; it was never acknowledged by a
    /// successful [`Journal::append`] unless the fsync policy was
    /// [`FsyncPolicy::Never`] and the machine (not just the process) crashed.
    pub torn_tail: Option<TornTail>,
}

impl fmt::Debug for Recovered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Recovered")
            .field("snapshot_bytes", &self.snapshot.as_ref().map(Vec::len))
            .field("records", &self.records.len())
            .field("torn_tail", &self.torn_tail)
            .finish()
    }
}

/// A torn last record, cut off by [`Journal::open`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TornTail {
    /// Byte offset in the journal file where the torn record started (the
    /// file's new length).
    pub offset: u64,
    /// How many bytes were dropped from that offset to the old end of file.
    pub bytes: u64,
}

/// An open journal directory; see the [module documentation](self).
pub struct Journal {
    dir: PathBuf,
    policy: FsyncPolicy,
    generation: u64,
    path: PathBuf,
    file: File,
    records: u64,
    bytes: u64,
    failed: Option<String>,
}

impl fmt::Debug for Journal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Journal")
            .field("dir", &self.dir)
            .field("policy", &self.policy)
            .field("generation", &self.generation)
            .field("records_since_snapshot", &self.records)
            .field("bytes_since_snapshot", &self.bytes)
            .field("failed", &self.failed)
            .finish_non_exhaustive()
    }
}

impl Journal {
    /// Opens (creating it and `dir` if missing) the journal in `dir` and
    /// recovers its contents.
    ///
    /// A torn last record is truncated away and reported in
    /// [`Recovered::torn_tail`]; leftover temporary files and stale journals
    /// are deleted (see the [module documentation](self)).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::JournalIo`] if a file cannot be read, written, synced or
    /// removed; [`ErrorKind::JournalCorrupt`] if the snapshot is damaged, a
    /// header is wrong, a journal record is damaged in a way a crash cannot
    /// explain, or the set of files is inconsistent.
    pub fn open(dir: &Path, policy: FsyncPolicy) -> Result<(Self, Recovered)> {
        let existed = dir.is_dir();
        fs::create_dir_all(dir).map_err(|e| io_error("create directory", dir, &e))?;
        if !existed {
            if let Some(parent) = dir.parent() {
                let parent = if parent.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    parent
                };
                sync_dir(parent)?;
            }
        }

        let snapshot_path = dir.join(SNAPSHOT_FILE);
        let (generation, snapshot) = match fs::read(&snapshot_path) {
            Ok(bytes) => {
                let (g, payload) = decode_snapshot(&bytes, &snapshot_path)?;
                (g, Some(payload))
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => (0, None),
            Err(e) => return Err(io_error("read", &snapshot_path, &e)),
        };

        let mut stale = Vec::new();
        let mut current_exists = false;
        let mut previous_exists = false;
        let entries = fs::read_dir(dir).map_err(|e| io_error("list directory", dir, &e))?;
        for entry in entries {
            let entry = entry.map_err(|e| io_error("list directory", dir, &e))?;
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            if name == SNAPSHOT_TMP || name == JOURNAL_TMP {
                stale.push(entry.path());
                continue;
            }
            let Some(g) = journal_generation(name) else {
                continue;
            };
            if g > generation {
                return Err(corrupt(format!(
                    "{} is newer than the snapshot generation {generation} in {}: the snapshot is \
                     missing or was rolled back",
                    entry.path().display(),
                    dir.display()
                )));
            }
            if g == generation {
                current_exists = true;
            } else {
                previous_exists |= g + 1 == generation;
                stale.push(entry.path());
            }
        }

        let path = journal_path(dir, generation);
        if !current_exists {
            if generation > 0 && !previous_exists {
                return Err(corrupt(format!(
                    "{} is missing (and so is the journal before it): records after snapshot \
                     generation {generation} were lost",
                    path.display()
                )));
            }
            create_journal_file(dir, generation, &path)?;
        }
        for stale_path in &stale {
            match fs::remove_file(stale_path) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(io_error("remove", stale_path, &e)),
            }
        }

        let bytes = fs::read(&path).map_err(|e| io_error("read", &path, &e))?;
        check_journal_header(&bytes, generation, &path)?;
        let scan = scan_records(&bytes, JOURNAL_HEADER_LEN);
        let torn_tail = match scan.end {
            ScanEnd::Clean => None,
            ScanEnd::Corrupt {
                offset,
                reason,
                next_valid,
            } => {
                return Err(corrupt(format!(
                    "{} is corrupt at offset {offset} ({reason}); a valid record follows at \
                     offset {next_valid}, so this is not a torn tail",
                    path.display()
                )));
            }
            ScanEnd::Torn { offset } => {
                let file = OpenOptions::new()
                    .write(true)
                    .open(&path)
                    .map_err(|e| io_error("open for truncation", &path, &e))?;
                file.set_len(offset as u64)
                    .map_err(|e| io_error("truncate torn tail of", &path, &e))?;
                file.sync_all()
                    .map_err(|e| io_error("sync after truncation", &path, &e))?;
                Some(TornTail {
                    offset: offset as u64,
                    bytes: (bytes.len() - offset) as u64,
                })
            }
        };
        let records: Vec<Vec<u8>> = scan
            .records
            .iter()
            .filter_map(|r| bytes.get(r.clone()).map(<[u8]>::to_vec))
            .collect();
        let file = OpenOptions::new()
            .append(true)
            .open(&path)
            .map_err(|e| io_error("open for append", &path, &e))?;

        let journal = Self {
            dir: dir.to_path_buf(),
            policy,
            generation,
            path,
            file,
            records: records.len() as u64,
            bytes: (scan.valid_end - JOURNAL_HEADER_LEN) as u64,
            failed: None,
        };
        let recovered = Recovered {
            snapshot,
            records,
            torn_tail,
        };
        Ok((journal, recovered))
    }

    /// Appends one record; when this returns `Ok`, the record is durable as
    /// the [`FsyncPolicy`] promises.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`] if `payload` is longer than
    /// [`MAX_PAYLOAD`] (nothing is written); [`ErrorKind::JournalIo`] if the
    /// write or the sync fails, or failed earlier: the journal is then marked
    /// failed and refuses appends until it is reopened or a snapshot is
    /// written (see the [module documentation](self)).
    pub fn append(&mut self, payload: &[u8]) -> Result<()> {
        if let Some(reason) = &self.failed {
            return Err(Error::new(
                ErrorKind::JournalIo,
                format!(
                    "append to {}: the journal failed earlier ({reason}); open it again",
                    self.path.display()
                ),
            ));
        }
        let len = payload_len(payload)?;
        let mut frame = Vec::with_capacity(FRAME_HEADER_LEN + payload.len());
        frame.extend_from_slice(&len.to_le_bytes());
        frame.extend_from_slice(&frame_crc(len, payload).to_le_bytes());
        frame.extend_from_slice(payload);

        if let Err(e) = self.file.write_all(&frame) {
            let err = io_error("append to", &self.path, &e);
            self.failed = Some(err.message().to_owned());
            return Err(err);
        }
        if self.policy == FsyncPolicy::Always {
            if let Err(e) = self.file.sync_data() {
                let err = io_error("sync", &self.path, &e);
                self.failed = Some(err.message().to_owned());
                return Err(err);
            }
        }
        self.records += 1;
        self.bytes += frame.len() as u64;
        Ok(())
    }

    /// Atomically installs `payload` as the snapshot that replaces everything
    /// journaled so far, and starts an empty journal.
    ///
    /// The snapshot is synced whatever the [`FsyncPolicy`]. On success a
    /// journal marked failed by an earlier [`Journal::append`] error is usable
    /// again (its file has been replaced).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`] if `payload` is longer than
    /// [`MAX_PAYLOAD`]. [`ErrorKind::JournalIo`] if a step fails: before the
    /// new snapshot is renamed into place the old state stays in force and the
    /// journal stays usable; from the rename on, the journal is marked failed
    /// (reopen it: [`Journal::open`] recovers whichever state is on disk).
    pub fn write_snapshot(&mut self, payload: &[u8]) -> Result<()> {
        let len = payload_len(payload)?;
        let generation = self.generation.checked_add(1).ok_or_else(|| {
            Error::new(
                ErrorKind::JournalCorrupt,
                format!("snapshot generation overflows in {}", self.dir.display()),
            )
        })?;

        let tmp = self.dir.join(SNAPSHOT_TMP);
        if let Err(err) = write_snapshot_tmp(&tmp, generation, len, payload) {
            // Best effort: a leftover temporary file is also removed by `open`.
            let _ = fs::remove_file(&tmp);
            return Err(err);
        }

        let path = journal_path(&self.dir, generation);
        let installed = fs::rename(&tmp, self.dir.join(SNAPSHOT_FILE))
            .map_err(|e| io_error("rename into snapshot", &tmp, &e))
            .and_then(|()| sync_dir(&self.dir))
            .and_then(|()| create_journal_file(&self.dir, generation, &path))
            .and_then(|()| {
                OpenOptions::new()
                    .append(true)
                    .open(&path)
                    .map_err(|e| io_error("open for append", &path, &e))
            });
        let file = match installed {
            Ok(file) => file,
            Err(err) => {
                self.failed = Some(err.message().to_owned());
                return Err(err);
            }
        };

        let old_path = std::mem::replace(&mut self.path, path);
        drop(std::mem::replace(&mut self.file, file));
        self.generation = generation;
        self.records = 0;
        self.bytes = 0;
        self.failed = None;
        // Best effort: the new state is already complete and durable, and
        // `open` deletes a stale journal it finds.
        let _ = fs::remove_file(old_path);
        Ok(())
    }

    /// How many records were appended since the last snapshot (counting the
    /// records recovered by [`Journal::open`]).
    #[must_use]
    pub fn records_since_snapshot(&self) -> u64 {
        self.records
    }

    /// How many bytes those records take in the journal file, framing
    /// included (the file's length less its 16-byte header). Useful to decide
    /// when to write a snapshot.
    #[must_use]
    pub fn bytes_since_snapshot(&self) -> u64 {
        self.bytes
    }

    /// The generation of the installed snapshot (0 before the first snapshot).
    #[must_use]
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The journal's directory.
    #[must_use]
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The fsync policy the journal was opened with.
    #[must_use]
    pub fn policy(&self) -> FsyncPolicy {
        self.policy
    }
}

fn io_error(operation: &str, path: &Path, error: &io::Error) -> Error {
    Error::new(
        ErrorKind::JournalIo,
        format!("{operation} {}: {error}", path.display()),
    )
}

fn corrupt(message: String) -> Error {
    Error::new(ErrorKind::JournalCorrupt, message)
}

fn payload_len(payload: &[u8]) -> Result<u32> {
    match u32::try_from(payload.len()) {
        Ok(len) if payload.len() <= MAX_PAYLOAD => Ok(len),
        _ => Err(Error::new(
            ErrorKind::InvalidArgument,
            format!(
                "a journal payload is at most {MAX_PAYLOAD} bytes, this one is {}",
                payload.len()
            ),
        )),
    }
}

/// `journal.<g>` with `g` in canonical decimal (no sign, no leading zeros).
fn journal_generation(name: &str) -> Option<u64> {
    let digits = name.strip_prefix(JOURNAL_PREFIX)?;
    let g: u64 = digits.parse().ok()?;
    (digits.bytes().all(|b| b.is_ascii_digit()) && g.to_string() == digits).then_some(g)
}

fn journal_path(dir: &Path, generation: u64) -> PathBuf {
    dir.join(format!("{JOURNAL_PREFIX}{generation}"))
}

fn read_u32(buf: &[u8], at: usize) -> Option<u32> {
    let bytes = buf.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes(bytes.try_into().ok()?))
}

fn read_u64(buf: &[u8], at: usize) -> Option<u64> {
    let bytes = buf.get(at..at.checked_add(8)?)?;
    Some(u64::from_le_bytes(bytes.try_into().ok()?))
}

/// CRC-32 of the four length bytes followed by the payload.
fn frame_crc(len: u32, payload: &[u8]) -> u32 {
    let mut hasher = crc32fast::Hasher::new();
    hasher.update(&len.to_le_bytes());
    hasher.update(payload);
    hasher.finalize()
}

fn snapshot_crc(generation: u64, len: u32, payload: &[u8]) -> u32 {
    let mut hasher = crc32fast::Hasher::new();
    hasher.update(&generation.to_le_bytes());
    hasher.update(&len.to_le_bytes());
    hasher.update(payload);
    hasher.finalize()
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> Result<()> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| io_error("sync directory", dir, &e))
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> Result<()> {
    Ok(())
}

/// Creates `path` as an empty journal of `generation`, atomically (through
/// `journal.tmp`) and durably.
fn create_journal_file(dir: &Path, generation: u64, path: &Path) -> Result<()> {
    let tmp = dir.join(JOURNAL_TMP);
    let mut header = [0u8; JOURNAL_HEADER_LEN];
    header[..8].copy_from_slice(&JOURNAL_MAGIC);
    header[8..].copy_from_slice(&generation.to_le_bytes());
    let mut file = File::create(&tmp).map_err(|e| io_error("create", &tmp, &e))?;
    file.write_all(&header)
        .map_err(|e| io_error("write", &tmp, &e))?;
    file.sync_all().map_err(|e| io_error("sync", &tmp, &e))?;
    drop(file);
    fs::rename(&tmp, path).map_err(|e| io_error("rename into journal", &tmp, &e))?;
    sync_dir(dir)
}

fn write_snapshot_tmp(tmp: &Path, generation: u64, len: u32, payload: &[u8]) -> Result<()> {
    let mut header = [0u8; SNAPSHOT_HEADER_LEN];
    header[..8].copy_from_slice(&SNAPSHOT_MAGIC);
    header[8..16].copy_from_slice(&generation.to_le_bytes());
    header[16..20].copy_from_slice(&len.to_le_bytes());
    header[20..].copy_from_slice(&snapshot_crc(generation, len, payload).to_le_bytes());
    let mut file = File::create(tmp).map_err(|e| io_error("create", tmp, &e))?;
    file.write_all(&header)
        .and_then(|()| file.write_all(payload))
        .map_err(|e| io_error("write", tmp, &e))?;
    file.sync_all().map_err(|e| io_error("sync", tmp, &e))
}

fn decode_snapshot(bytes: &[u8], path: &Path) -> Result<(u64, Vec<u8>)> {
    let damaged = |what: &str| {
        corrupt(format!(
            "snapshot {} is damaged ({what}); it is never ignored: restore it or remove the \
             directory",
            path.display()
        ))
    };
    if let Some(version) = other_version(bytes, &SNAPSHOT_MAGIC) {
        return Err(corrupt(format!(
            "snapshot {} {}",
            path.display(),
            version_mismatch(version, &SNAPSHOT_MAGIC)
        )));
    }
    if bytes.get(..8) != Some(&SNAPSHOT_MAGIC[..]) {
        return Err(damaged("wrong magic or version"));
    }
    let (Some(generation), Some(len), Some(stored)) =
        (read_u64(bytes, 8), read_u32(bytes, 16), read_u32(bytes, 20))
    else {
        return Err(damaged("header cut short"));
    };
    if len as usize > MAX_PAYLOAD {
        return Err(damaged("length over the limit"));
    }
    let Some(payload) = bytes.get(SNAPSHOT_HEADER_LEN..) else {
        return Err(damaged("header cut short"));
    };
    if payload.len() != len as usize {
        return Err(damaged(&format!(
            "payload is {} bytes, the header says {len}",
            payload.len()
        )));
    }
    if snapshot_crc(generation, len, payload) != stored {
        return Err(damaged("CRC mismatch"));
    }
    if generation == 0 {
        return Err(damaged("generation 0"));
    }
    Ok((generation, payload.to_vec()))
}

/// The format version of a file whose header is `magic` but for its last
/// byte (the version), when that byte differs; `None` when the magic
/// matches wholly, or not even in its first seven bytes.
fn other_version(bytes: &[u8], magic: &[u8; 8]) -> Option<u8> {
    match bytes.get(..8) {
        Some(head) if head[..7] == magic[..7] && head[7] != magic[7] => Some(head[7]),
        _ => None,
    }
}

/// The end of the message for a file of format `version`, which this build
/// (reading `magic`'s version) does not read.
fn version_mismatch(version: u8, magic: &[u8; 8]) -> String {
    format!(
        "was written in format version {version}; this build reads version {} only \
         (files are not converted)",
        magic[7]
    )
}

fn check_journal_header(bytes: &[u8], generation: u64, path: &Path) -> Result<()> {
    if let Some(version) = other_version(bytes, &JOURNAL_MAGIC) {
        return Err(corrupt(format!(
            "{} {}",
            path.display(),
            version_mismatch(version, &JOURNAL_MAGIC)
        )));
    }
    if bytes.get(..8) != Some(&JOURNAL_MAGIC[..]) {
        return Err(corrupt(format!(
            "{} has a wrong header (magic or version)",
            path.display()
        )));
    }
    match read_u64(bytes, 8) {
        Some(g) if g == generation => Ok(()),
        Some(g) => Err(corrupt(format!(
            "{} says it is generation {g}, expected {generation}",
            path.display()
        ))),
        None => Err(corrupt(format!(
            "{} has a header cut short",
            path.display()
        ))),
    }
}

/// How a scan of a journal's records ended.
#[derive(Debug, PartialEq, Eq)]
enum ScanEnd {
    /// Every byte belongs to a valid record.
    Clean,
    /// The record at `offset` is bad and no valid record follows it.
    Torn { offset: usize },
    /// The record at `offset` is bad and a valid record starts at `next_valid`.
    Corrupt {
        offset: usize,
        reason: &'static str,
        next_valid: usize,
    },
}

#[derive(Debug)]
struct Scan {
    /// Payload ranges of the valid records, in order.
    records: Vec<Range<usize>>,
    /// End of the last valid record.
    valid_end: usize,
    end: ScanEnd,
}

/// The length of the valid record at `at`, or why there is none.
fn frame_at(buf: &[u8], at: usize) -> std::result::Result<usize, &'static str> {
    let (Some(len), Some(stored)) = (read_u32(buf, at), read_u32(buf, at + 4)) else {
        return Err("record header cut short by end of file");
    };
    let n = len as usize;
    if n > MAX_PAYLOAD {
        return Err("record length over the limit");
    }
    let start = at + FRAME_HEADER_LEN;
    let Some(payload) = buf.get(start..start + n) else {
        return Err("record payload cut short by end of file");
    };
    if frame_crc(len, payload) != stored {
        return Err("CRC mismatch");
    }
    Ok(n)
}

fn scan_records(buf: &[u8], start: usize) -> Scan {
    let mut records = Vec::new();
    let mut pos = start;
    let end = loop {
        if pos >= buf.len() {
            break ScanEnd::Clean;
        }
        match frame_at(buf, pos) {
            Ok(n) => {
                let payload = pos + FRAME_HEADER_LEN;
                records.push(payload..payload + n);
                pos = payload + n;
            }
            Err(reason) => {
                break match find_valid_frame(buf, pos + 1) {
                    Some(next_valid) => ScanEnd::Corrupt {
                        offset: pos,
                        reason,
                        next_valid,
                    },
                    None => ScanEnd::Torn { offset: pos },
                };
            }
        }
    };
    Scan {
        records,
        valid_end: pos,
        end,
    }
}

/// The first offset at or after `from` where a complete, valid record starts.
///
/// Checking each offset by hashing its candidate payload would be quadratic
/// (or worse) on high-entropy data; instead the CRC of any byte range is
/// derived from prefix CRCs (kept every 64 bytes) with the usual CRC-32
/// combination algebra, so the whole search is linear in the tail's length
/// plus a logarithmic cost per candidate whose length fits.
fn find_valid_frame(buf: &[u8], from: usize) -> Option<usize> {
    let tail = buf.get(from..)?;
    let prefix = PrefixCrc::new(tail);
    let last = tail.len().checked_sub(FRAME_HEADER_LEN)?;
    (0..=last)
        .find(|&q| {
            let (Some(len), Some(stored)) = (read_u32(tail, q), read_u32(tail, q + 4)) else {
                return false;
            };
            let n = len as usize;
            let start = q + FRAME_HEADER_LEN;
            if n > MAX_PAYLOAD || n > tail.len() - start {
                return false;
            }
            let (Some(at_start), Some(at_end)) = (prefix.at(start), prefix.at(start + n)) else {
                return false;
            };
            // crc(len ‖ payload) = shift(crc(len), n) ^ crc(payload), and
            // crc(payload) = crc(prefix to end) ^ shift(crc(prefix to start), n).
            let crc = crc_shift(crc32fast::hash(&len.to_le_bytes()) ^ at_start, n as u64) ^ at_end;
            crc == stored
        })
        .map(|q| from + q)
}

/// CRC-32 of every prefix of a buffer, computed on demand from checkpoints.
struct PrefixCrc<'a> {
    buf: &'a [u8],
    /// `checkpoints[k]` is the CRC of `buf[..64 * k]`.
    checkpoints: Vec<u32>,
}

const CHECKPOINT_STRIDE: usize = 64;

impl<'a> PrefixCrc<'a> {
    fn new(buf: &'a [u8]) -> Self {
        let mut checkpoints = Vec::with_capacity(buf.len() / CHECKPOINT_STRIDE + 2);
        checkpoints.push(0);
        let mut hasher = crc32fast::Hasher::new();
        for chunk in buf.chunks(CHECKPOINT_STRIDE) {
            hasher.update(chunk);
            checkpoints.push(hasher.clone().finalize());
        }
        Self { buf, checkpoints }
    }

    /// The CRC of `buf[..end]`.
    fn at(&self, end: usize) -> Option<u32> {
        let k = end / CHECKPOINT_STRIDE;
        let mut hasher = crc32fast::Hasher::new_with_initial(*self.checkpoints.get(k)?);
        hasher.update(self.buf.get(k * CHECKPOINT_STRIDE..end)?);
        Some(hasher.finalize())
    }
}

/// The reflected CRC-32 polynomial.
const CRC_POLY: u32 = 0xEDB8_8320;

/// `a * b` modulo the CRC polynomial, in the reflected bit order (bit 31 is x^0).
const fn mult_mod_p(a: u32, mut b: u32) -> u32 {
    let mut product = 0;
    let mut bit = 0;
    while bit < 32 {
        if a & (1 << (31 - bit)) != 0 {
            product ^= b;
        }
        b = if b & 1 != 0 {
            (b >> 1) ^ CRC_POLY
        } else {
            b >> 1
        };
        bit += 1;
    }
    product
}

/// `X2N[k]` is x^(2^k) modulo the polynomial. x^(2^32) = x for CRC-32, so
/// the table repeats with period 32.
const X2N: [u32; 32] = {
    let mut table = [0u32; 32];
    let mut p: u32 = 1 << 30; // x^1
    let mut k = 0;
    while k < 32 {
        table[k] = p;
        p = mult_mod_p(p, p);
        k += 1;
    }
    table
};

/// With `c` the CRC-32 of some `A`, the value that, xored with the CRC-32 of
/// any `B` of `len_bytes` bytes, gives the CRC-32 of `A ‖ B` (as zlib's
/// `crc32_combine`): `c` times x^(8 * len_bytes) modulo the polynomial.
fn crc_shift(c: u32, len_bytes: u64) -> u32 {
    // x^(8 * len_bytes) = product of x^(2^k) over the set bits of 8 * len_bytes.
    let mut op: u32 = 1 << 31; // x^0
    let mut n = len_bytes;
    let mut k = 3;
    while n != 0 {
        if n & 1 != 0 {
            op = mult_mod_p(X2N[k & 31], op);
        }
        n >>= 1;
        k += 1;
    }
    mult_mod_p(op, c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    /// A unique directory under the system temp dir, removed on drop.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(tag: &str) -> Self {
            static COUNTER: AtomicU32 = AtomicU32::new(0);
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.subsec_nanos());
            let path = std::env::temp_dir().join(format!(
                "privnum-journal-{tag}-{}-{}-{nanos}",
                std::process::id(),
                COUNTER.fetch_add(1, Ordering::Relaxed)
            ));
            let _ = fs::remove_dir_all(&path);
            Self(path)
        }

        fn path(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    fn payload(i: usize) -> Vec<u8> {
        let mut p = format!("record {i} ").into_bytes();
        p.extend(std::iter::repeat_n(b'a' + (i % 26) as u8, i * 7 % 23));
        p
    }

    fn payloads(n: usize) -> Vec<Vec<u8>> {
        (0..n).map(payload).collect()
    }

    fn open(dir: &Path) -> (Journal, Recovered) {
        Journal::open(dir, FsyncPolicy::Never).unwrap()
    }

    fn open_err(dir: &Path) -> Error {
        Journal::open(dir, FsyncPolicy::Never).unwrap_err()
    }

    fn write_records(dir: &Path, records: &[Vec<u8>]) -> Journal {
        let (mut j, _) = open(dir);
        for r in records {
            j.append(r).unwrap();
        }
        j
    }

    /// Offsets at which each record of `journal.<g>` starts, plus the end.
    fn record_offsets(records: &[Vec<u8>]) -> Vec<usize> {
        let mut offsets = vec![JOURNAL_HEADER_LEN];
        for r in records {
            let last = *offsets.last().unwrap();
            offsets.push(last + FRAME_HEADER_LEN + r.len());
        }
        offsets
    }

    #[test]
    fn fresh_open_creates_an_empty_journal() {
        let tmp = TempDir::new("fresh");
        let dir = tmp.path().join("nested").join("dir");
        let (j, rec) = Journal::open(&dir, FsyncPolicy::default()).unwrap();
        assert_eq!(rec, Recovered::default());
        assert_eq!(j.policy(), FsyncPolicy::Always);
        assert_eq!(j.dir(), dir.as_path());
        assert_eq!(
            (j.records_since_snapshot(), j.bytes_since_snapshot()),
            (0, 0)
        );
        assert_eq!(j.generation(), 0);
        let bytes = fs::read(dir.join("journal.0")).unwrap();
        assert_eq!(bytes, b"PNJRNL\0\x03\0\0\0\0\0\0\0\0");
        assert!(format!("{j:?}").contains("Journal"));
    }

    /// A journal and a snapshot of format version `old` are refused, and
    /// the message names the file, its version and the one this build reads.
    fn assert_version_refused(old: u8) {
        let want = format!("was written in format version {old}; this build reads version 3 only");
        let tmp = TempDir::new(&format!("version{old}"));
        drop(open(tmp.path()));
        let mut header = *b"PNJRNL\0\x00\0\0\0\0\0\0\0\0";
        header[7] = old;
        fs::write(tmp.path().join("journal.0"), header).unwrap();
        let err = open_err(tmp.path());
        assert_eq!(err.kind(), ErrorKind::JournalCorrupt);
        assert!(err.message().contains("journal.0"), "{err}");
        assert!(err.message().contains(&want), "{err}");

        // A snapshot of that version, beside a current journal.
        let tmp = TempDir::new(&format!("snapshot-version{old}"));
        let mut j = write_records(tmp.path(), &payloads(1));
        j.write_snapshot(b"old state").unwrap();
        drop(j);
        let path = tmp.path().join("snapshot");
        let mut bytes = fs::read(&path).unwrap();
        bytes[7] = old;
        fs::write(&path, &bytes).unwrap();
        let err = open_err(tmp.path());
        assert_eq!(err.kind(), ErrorKind::JournalCorrupt);
        assert!(err.message().starts_with("snapshot "), "{err}");
        assert!(err.message().contains(&want), "{err}");
    }

    #[test]
    fn version_1_files_are_refused() {
        assert_version_refused(1);
        // Another magic altogether is not reported as a version.
        let tmp = TempDir::new("othermagic");
        drop(open(tmp.path()));
        fs::write(
            tmp.path().join("journal.0"),
            b"PNJRNX\0\x01\0\0\0\0\0\0\0\0",
        )
        .unwrap();
        let err = open_err(tmp.path());
        assert_eq!(err.kind(), ErrorKind::JournalCorrupt);
        assert!(!err.message().contains("format version"), "{err}");
    }

    #[test]
    fn version_2_files_are_refused() {
        assert_version_refused(2);
    }

    #[test]
    fn round_trip_and_reopen() {
        let tmp = TempDir::new("roundtrip");
        let mut records = payloads(20);
        records.push(Vec::new()); // an empty payload is a record too
        {
            let (mut j, _) = Journal::open(tmp.path(), FsyncPolicy::Always).unwrap();
            for r in &records {
                j.append(r).unwrap();
            }
            assert_eq!(j.records_since_snapshot(), 21);
            let expected: usize = records.iter().map(|r| r.len() + 8).sum();
            assert_eq!(j.bytes_since_snapshot(), expected as u64);
        }
        let (mut j, rec) = open(tmp.path());
        assert_eq!(rec.records, records);
        assert_eq!((rec.snapshot, rec.torn_tail), (None, None));
        assert_eq!(j.records_since_snapshot(), 21);
        j.append(b"more").unwrap();
        drop(j);
        let (j, rec) = open(tmp.path());
        records.push(b"more".to_vec());
        assert_eq!(rec.records, records);
        assert_eq!(j.records_since_snapshot(), 22);
        // The exact bytes of one record.
        let bytes = fs::read(tmp.path().join("journal.0")).unwrap();
        let tail = &bytes[bytes.len() - 12..];
        assert_eq!(&tail[..4], &4u32.to_le_bytes());
        assert_eq!(&tail[4..8], &frame_crc(4, b"more").to_le_bytes());
        assert_eq!(&tail[8..], b"more");
    }

    #[test]
    fn snapshot_then_appends_then_reopen() {
        let tmp = TempDir::new("snapshot");
        let mut j = write_records(tmp.path(), &payloads(5));
        j.write_snapshot(b"state after 5").unwrap();
        assert_eq!(j.generation(), 1);
        assert_eq!(
            (j.records_since_snapshot(), j.bytes_since_snapshot()),
            (0, 0)
        );
        j.append(b"six").unwrap();
        j.append(b"seven").unwrap();
        drop(j);
        let (mut j, rec) = open(tmp.path());
        assert_eq!(rec.snapshot.as_deref(), Some(&b"state after 5"[..]));
        assert_eq!(rec.records, vec![b"six".to_vec(), b"seven".to_vec()]);
        assert!(!tmp.path().join("journal.0").exists());
        j.write_snapshot(b"").unwrap();
        j.write_snapshot(b"second").unwrap();
        drop(j);
        let (j, rec) = open(tmp.path());
        assert_eq!(j.generation(), 3);
        assert_eq!(rec.snapshot.as_deref(), Some(&b"second"[..]));
        assert!(rec.records.is_empty());
        let mut names: Vec<String> = fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, ["journal.3", "snapshot"]);
    }

    #[test]
    fn torn_tail_at_every_length() {
        let tmp = TempDir::new("torn");
        let records = payloads(6);
        drop(write_records(tmp.path(), &records));
        let path = tmp.path().join("journal.0");
        let full = fs::read(&path).unwrap();
        let offsets = record_offsets(&records);
        let last_start = offsets[5];
        assert_eq!(offsets[6], full.len());
        for cut in last_start + 1..full.len() {
            fs::write(&path, &full[..cut]).unwrap();
            let (mut j, rec) = open(tmp.path());
            assert_eq!(rec.records, records[..5], "cut at {cut}");
            assert_eq!(
                rec.torn_tail,
                Some(TornTail {
                    offset: last_start as u64,
                    bytes: (cut - last_start) as u64
                }),
                "cut at {cut}"
            );
            assert_eq!(fs::metadata(&path).unwrap().len(), last_start as u64);
            assert_eq!(j.records_since_snapshot(), 5);
            j.append(b"after the tear").unwrap();
            drop(j);
            let (_, rec) = open(tmp.path());
            assert_eq!(rec.records.len(), 6);
            assert_eq!(rec.records[..5], records[..5]);
            assert_eq!(rec.records[5], b"after the tear");
            assert_eq!(rec.torn_tail, None);
        }
        // Cut exactly at a record boundary: clean, one record fewer.
        fs::write(&path, &full[..last_start]).unwrap();
        let (_, rec) = open(tmp.path());
        assert_eq!((rec.records.len(), rec.torn_tail), (5, None));
    }

    #[test]
    fn zero_filled_and_garbage_tails_are_torn() {
        let tmp = TempDir::new("zeros");
        let records = payloads(3);
        drop(write_records(tmp.path(), &records));
        let path = tmp.path().join("journal.0");
        let full = fs::read(&path).unwrap();
        for extra in [1usize, 7, 8, 9, 100, 4096] {
            for fill in [0u8, 0xFF, 0x37] {
                let mut bytes = full.clone();
                bytes.extend(std::iter::repeat_n(fill, extra));
                fs::write(&path, &bytes).unwrap();
                let (_, rec) = open(tmp.path());
                assert_eq!(rec.records, records);
                assert_eq!(
                    rec.torn_tail,
                    Some(TornTail {
                        offset: full.len() as u64,
                        bytes: extra as u64
                    })
                );
            }
        }
        // A partial last record followed by zeros (the file system extended
        // the file but the data never landed).
        let mut bytes = full.clone();
        bytes.extend_from_slice(&100u32.to_le_bytes());
        bytes.extend_from_slice(&[0; 50]);
        fs::write(&path, &bytes).unwrap();
        let (_, rec) = open(tmp.path());
        assert_eq!(rec.records, records);
        assert_eq!(rec.torn_tail.map(|t| t.offset), Some(full.len() as u64));
    }

    #[test]
    fn flipped_byte_in_a_middle_record_is_corrupt() {
        let tmp = TempDir::new("middle");
        let records = payloads(5);
        drop(write_records(tmp.path(), &records));
        let path = tmp.path().join("journal.0");
        let full = fs::read(&path).unwrap();
        let offsets = record_offsets(&records);
        for record in [0, 2, 3] {
            for at in offsets[record]..offsets[record + 1] {
                for mask in [0x01u8, 0x80, 0xFF] {
                    let mut bytes = full.clone();
                    bytes[at] ^= mask;
                    fs::write(&path, &bytes).unwrap();
                    let err = open_err(tmp.path());
                    assert_eq!(err.kind(), ErrorKind::JournalCorrupt, "byte {at}");
                    assert!(err.message().contains("journal.0"), "{err}");
                    assert!(
                        err.message()
                            .contains(&format!("offset {}", offsets[record])),
                        "{err}"
                    );
                    // Nothing was truncated.
                    assert_eq!(fs::read(&path).unwrap(), bytes);
                }
            }
        }
    }

    #[test]
    fn flipped_byte_in_the_last_record_is_a_torn_tail() {
        let tmp = TempDir::new("last");
        let records = payloads(5);
        drop(write_records(tmp.path(), &records));
        let path = tmp.path().join("journal.0");
        let full = fs::read(&path).unwrap();
        let offsets = record_offsets(&records);
        for at in offsets[4]..offsets[5] {
            let mut bytes = full.clone();
            bytes[at] ^= 0x20;
            fs::write(&path, &bytes).unwrap();
            let (_, rec) = open(tmp.path());
            assert_eq!(rec.records, records[..4], "byte {at}");
            assert_eq!(
                rec.torn_tail,
                Some(TornTail {
                    offset: offsets[4] as u64,
                    bytes: (offsets[5] - offsets[4]) as u64
                })
            );
        }
    }

    #[test]
    fn wrong_journal_header_is_corrupt() {
        let tmp = TempDir::new("header");
        drop(write_records(tmp.path(), &payloads(2)));
        let path = tmp.path().join("journal.0");
        let full = fs::read(&path).unwrap();
        for at in 0..JOURNAL_HEADER_LEN {
            let mut bytes = full.clone();
            bytes[at] ^= 0x01;
            fs::write(&path, &bytes).unwrap();
            assert_eq!(open_err(tmp.path()).kind(), ErrorKind::JournalCorrupt);
        }
        for len in 0..JOURNAL_HEADER_LEN {
            fs::write(&path, &full[..len]).unwrap();
            assert_eq!(open_err(tmp.path()).kind(), ErrorKind::JournalCorrupt);
        }
    }

    #[test]
    fn damaged_snapshot_is_corrupt() {
        let tmp = TempDir::new("badsnap");
        let mut j = write_records(tmp.path(), &payloads(2));
        j.write_snapshot(b"the snapshot payload").unwrap();
        drop(j);
        let path = tmp.path().join("snapshot");
        let full = fs::read(&path).unwrap();
        assert_eq!(full.len(), SNAPSHOT_HEADER_LEN + 20);
        for at in 0..full.len() {
            let mut bytes = full.clone();
            bytes[at] ^= 0x04;
            fs::write(&path, &bytes).unwrap();
            let err = open_err(tmp.path());
            assert_eq!(err.kind(), ErrorKind::JournalCorrupt, "byte {at}");
            assert!(err.message().contains("snapshot"), "{err}");
        }
        for len in 0..full.len() {
            fs::write(&path, &full[..len]).unwrap();
            assert_eq!(open_err(tmp.path()).kind(), ErrorKind::JournalCorrupt);
        }
        let mut longer = full.clone();
        longer.push(0);
        fs::write(&path, &longer).unwrap();
        assert_eq!(open_err(tmp.path()).kind(), ErrorKind::JournalCorrupt);
        // The journal was never touched by the failed opens.
        fs::write(&path, &full).unwrap();
        let (_, rec) = open(tmp.path());
        assert_eq!(rec.snapshot.as_deref(), Some(&b"the snapshot payload"[..]));
    }

    #[test]
    fn crash_before_snapshot_rename_keeps_the_old_state() {
        let tmp = TempDir::new("crash-tmp");
        let records = payloads(4);
        let mut j = write_records(tmp.path(), &records);
        j.write_snapshot(b"snap 1").unwrap();
        j.append(b"after 1").unwrap();
        drop(j);
        // A half-written snapshot.tmp and journal.tmp from a crashed
        // write_snapshot (or garbage).
        fs::write(tmp.path().join("snapshot.tmp"), b"PNSNAP\0\x02\x02\0").unwrap();
        fs::write(tmp.path().join("journal.tmp"), b"PNJR").unwrap();
        let (j, rec) = open(tmp.path());
        assert_eq!(j.generation(), 1);
        assert_eq!(rec.snapshot.as_deref(), Some(&b"snap 1"[..]));
        assert_eq!(rec.records, vec![b"after 1".to_vec()]);
        assert!(!tmp.path().join("snapshot.tmp").exists());
        assert!(!tmp.path().join("journal.tmp").exists());
    }

    #[test]
    fn crash_after_snapshot_rename_before_new_journal() {
        let tmp = TempDir::new("crash-rename");
        let mut j = write_records(tmp.path(), &payloads(3));
        j.write_snapshot(b"snap 1").unwrap();
        j.append(b"old a").unwrap();
        j.append(b"old b").unwrap();
        drop(j);
        let old_journal = fs::read(tmp.path().join("journal.1")).unwrap();
        // Simulate: write_snapshot(g = 2) crashed right after renaming the
        // snapshot into place: snapshot says 2, journal.2 missing, journal.1 left.
        let (mut j, _) = open(tmp.path());
        j.write_snapshot(b"snap 2").unwrap();
        drop(j);
        fs::remove_file(tmp.path().join("journal.2")).unwrap();
        fs::write(tmp.path().join("journal.1"), &old_journal).unwrap();
        let (mut j, rec) = open(tmp.path());
        assert_eq!(j.generation(), 2);
        assert_eq!(rec.snapshot.as_deref(), Some(&b"snap 2"[..]));
        assert!(rec.records.is_empty());
        assert!(tmp.path().join("journal.2").exists());
        assert!(!tmp.path().join("journal.1").exists());
        j.append(b"new").unwrap();
        drop(j);
        // Crash after journal.2 was created but before journal.1 was removed.
        fs::write(tmp.path().join("journal.1"), &old_journal).unwrap();
        let (_, rec) = open(tmp.path());
        assert_eq!(rec.snapshot.as_deref(), Some(&b"snap 2"[..]));
        assert_eq!(rec.records, vec![b"new".to_vec()]);
        assert!(!tmp.path().join("journal.1").exists());
    }

    #[test]
    fn inconsistent_file_sets_are_corrupt() {
        let tmp = TempDir::new("inconsistent");
        let mut j = write_records(tmp.path(), &payloads(2));
        j.write_snapshot(b"snap").unwrap();
        j.append(b"x").unwrap();
        drop(j);
        // Snapshot deleted: journal.1 is newer than "no snapshot".
        let snapshot = fs::read(tmp.path().join("snapshot")).unwrap();
        fs::remove_file(tmp.path().join("snapshot")).unwrap();
        let err = open_err(tmp.path());
        assert_eq!(err.kind(), ErrorKind::JournalCorrupt);
        assert!(err.message().contains("journal.1"), "{err}");
        assert!(tmp.path().join("journal.1").exists());
        fs::write(tmp.path().join("snapshot"), &snapshot).unwrap();
        // Current journal deleted (and no previous one): records were lost.
        let journal = fs::read(tmp.path().join("journal.1")).unwrap();
        fs::remove_file(tmp.path().join("journal.1")).unwrap();
        assert_eq!(open_err(tmp.path()).kind(), ErrorKind::JournalCorrupt);
        // A journal whose header names another generation.
        let mut renamed = journal.clone();
        renamed[8] = 7;
        fs::write(tmp.path().join("journal.1"), &renamed).unwrap();
        assert_eq!(open_err(tmp.path()).kind(), ErrorKind::JournalCorrupt);
        fs::write(tmp.path().join("journal.1"), &journal).unwrap();
        let (_, rec) = open(tmp.path());
        assert_eq!(rec.records, vec![b"x".to_vec()]);
        // Files that are not the journal's are left alone.
        fs::write(tmp.path().join("journal.01"), b"x").unwrap();
        fs::write(tmp.path().join("notes"), b"x").unwrap();
        drop(open(tmp.path()));
        assert!(tmp.path().join("journal.01").exists());
        assert!(tmp.path().join("notes").exists());
    }

    #[test]
    fn failed_journal_refuses_appends_until_snapshot() {
        let tmp = TempDir::new("failed");
        let (mut j, _) = open(tmp.path());
        j.append(b"ok").unwrap();
        j.failed = Some("simulated".to_owned());
        let err = j.append(b"no").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::JournalIo);
        assert!(err.message().contains("journal.0"), "{err}");
        j.write_snapshot(b"fresh").unwrap();
        j.append(b"yes").unwrap();
        drop(j);
        let (_, rec) = open(tmp.path());
        assert_eq!(rec.snapshot.as_deref(), Some(&b"fresh"[..]));
        assert_eq!(rec.records, vec![b"yes".to_vec()]);
    }

    #[test]
    fn io_errors_name_the_operation_and_file() {
        let tmp = TempDir::new("ioerr");
        fs::create_dir_all(tmp.path()).unwrap();
        let file = tmp.path().join("plain-file");
        fs::write(&file, b"x").unwrap();
        let err = Journal::open(&file, FsyncPolicy::Always).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::JournalIo);
        assert!(err.message().contains("plain-file"), "{err}");
    }

    #[test]
    fn substring_crc_algebra_matches_direct_hashing() {
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let data: Vec<u8> = (0..1000)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 24) as u8
            })
            .collect();
        let prefix = PrefixCrc::new(&data);
        for (a, b) in [
            (0, 0),
            (0, 1000),
            (3, 70),
            (64, 128),
            (100, 999),
            (500, 500),
        ] {
            let direct = crc32fast::hash(&data[a..b]);
            let derived = crc_shift(prefix.at(a).unwrap(), (b - a) as u64) ^ prefix.at(b).unwrap();
            assert_eq!(derived, direct, "{a}..{b}");
        }
        // A valid frame planted in noise is found at its exact offset.
        let mut buf = data.clone();
        let planted = b"planted payload";
        let mut frame = (planted.len() as u32).to_le_bytes().to_vec();
        frame.extend_from_slice(&frame_crc(planted.len() as u32, planted).to_le_bytes());
        frame.extend_from_slice(planted);
        buf.splice(700..700, frame);
        assert_eq!(find_valid_frame(&buf, 0), Some(700));
        assert_eq!(find_valid_frame(&data, 0), None);
    }

    fn noise(len: usize, seed: u64) -> Vec<u8> {
        let mut state = seed | 1;
        (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 24) as u8
            })
            .collect()
    }

    #[test]
    fn high_entropy_records_scan_in_linear_time() {
        // Megabytes of random bytes after a bad record: checking every offset
        // by hashing its candidate payload would take minutes.
        let tmp = TempDir::new("entropy");
        let records = vec![b"small".to_vec(), noise(3 << 20, 7)];
        drop(write_records(tmp.path(), &records));
        let path = tmp.path().join("journal.0");
        let full = fs::read(&path).unwrap();
        let offsets = record_offsets(&records);
        fs::write(&path, &full[..offsets[1] + (2 << 20)]).unwrap();
        let (_, rec) = open(tmp.path());
        assert_eq!(rec.records, records[..1]);
        assert_eq!(rec.torn_tail.map(|t| t.offset), Some(offsets[1] as u64));

        let records = vec![
            b"small".to_vec(),
            noise(1 << 20, 8),
            noise(1 << 20, 9),
            b"last".to_vec(),
        ];
        fs::remove_file(&path).unwrap();
        drop(write_records(tmp.path(), &records));
        let offsets = record_offsets(&records);
        let mut bytes = fs::read(&path).unwrap();
        bytes[offsets[1] + 2] ^= 0x01; // the length of record 1 grows by 64 KiB
        fs::write(&path, &bytes).unwrap();
        let err = open_err(tmp.path());
        assert_eq!(err.kind(), ErrorKind::JournalCorrupt);
        assert!(
            err.message().contains(&format!(
                "offset {} (CRC mismatch); a valid record follows at \
                 offset {}",
                offsets[1], offsets[2]
            )),
            "{err}"
        );
    }

    #[test]
    fn oversized_payloads_are_refused() {
        assert_eq!(
            payload_len(&vec![0; MAX_PAYLOAD + 1]).unwrap_err().kind(),
            ErrorKind::InvalidArgument
        );
        assert_eq!(payload_len(&[1, 2]).unwrap(), 2);
    }

    #[test]
    fn recovered_debug_shows_sizes_not_payloads() {
        let rec = Recovered {
            snapshot: Some(b"secret-ish".to_vec()),
            records: vec![b"payload".to_vec()],
            torn_tail: None,
        };
        let s = format!("{rec:?}");
        assert!(!s.contains("secret") && !s.contains("112"), "{s}");
    }
}
