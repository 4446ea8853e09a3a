//! The journal's binary form of [`Mutation`]s (postcard).
//!
//! The public types use serde features that need a self-describing format
//! (flattened and internally tagged enums, skipped fields), which postcard
//! is not; so the journal has its own flat, positional types here. They
//! are versioned by the journal and snapshot file headers: change them only
//! together with a new header version. Version 2 added
//! `callback_lifetime_secs` to a binding; version 3 (current) added
//! `callback` and `callback_lifetime_secs` to a pending change.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::model::{
    Binding, BindingId, Changes, Direction, Ext, Extras, Mode, Settings, Shape, State,
};
use super::pool::XStatus;
use super::store::Mutation;
use crate::error::{Error, ErrorKind, Result};
use crate::number::Number;

type FlatExtras = [Option<String>; 6];

#[derive(Serialize, Deserialize)]
struct FlatChanges {
    a: u64,
    b: u64,
    direction: Option<u8>,
    record: Option<bool>,
    sms: Option<bool>,
    max_duration_min: Option<u16>,
    duration_secs: Option<u32>,
    extras: Option<FlatExtras>,
    /// AXE `callbackNum` (0 = unchanged). Added in version 3.
    callback: u64,
    /// AXE `callbackExpiredTime` in seconds. Added in version 3.
    callback_lifetime_secs: Option<u32>,
}

#[derive(Serialize, Deserialize)]
struct FlatBinding {
    id: String,
    mode: u8,
    x: u64,
    shape: u8,
    a: u64,
    b: u64,
    aux: u32,
    /// Extension: `callback_lifetime_secs` (0 for other shapes). Added in
    /// journal and snapshot version 2.
    callback_lifetime_secs: u32,
    parent: Option<String>,
    state: u8,
    bound_at: u64,
    direction: u8,
    record: bool,
    sms: bool,
    max_duration_min: u16,
    duration_secs: u32,
    extras: Option<FlatExtras>,
    pending: Option<FlatChanges>,
}

#[derive(Serialize, Deserialize)]
enum FlatMutation {
    Put(Box<FlatBinding>),
    Del(String),
    XStatus(u64, u8),
    PoolAdd(u64, String),
    PoolRemove(u64),
}

#[derive(Serialize, Deserialize)]
struct FlatSnapshot {
    mode: u8,
    ext_digits: u8,
    mutations: Vec<FlatMutation>,
}

fn bad(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::JournalCorrupt, msg.into())
}

fn bits(n: Option<Number>) -> u64 {
    n.map_or(0, Number::to_bits)
}

fn num(v: u64) -> Result<Option<Number>> {
    if v == 0 {
        return Ok(None);
    }
    Number::from_bits(v)
        .map(Some)
        .map_err(|_| bad("a journal record holds an invalid number"))
}

fn req_num(v: u64) -> Result<Number> {
    num(v)?.ok_or_else(|| bad("a journal record lacks a number"))
}

fn id(s: &str) -> Result<BindingId> {
    BindingId::new(s).map_err(|_| bad("a journal record holds an invalid binding id"))
}

fn flat_extras(e: &Extras) -> FlatExtras {
    [
        e.record_hint_tone.clone(),
        e.last_min_voice.clone(),
        e.caller_hint_tone.clone(),
        e.callee_hint_tone.clone(),
        e.callback_tone.clone(),
        e.user_data.clone(),
    ]
}

fn extras(f: FlatExtras) -> Arc<Extras> {
    let [
        record_hint_tone,
        last_min_voice,
        caller_hint_tone,
        callee_hint_tone,
        callback_tone,
        user_data,
    ] = f;
    Arc::new(Extras {
        record_hint_tone,
        last_min_voice,
        caller_hint_tone,
        callee_hint_tone,
        callback_tone,
        user_data,
    })
}

fn flat_changes(c: &Changes) -> FlatChanges {
    FlatChanges {
        a: bits(c.a),
        b: bits(c.b),
        direction: c.direction.map(|d| d.code() as u8),
        record: c.record,
        sms: c.sms,
        max_duration_min: c.max_duration_min,
        duration_secs: c.duration_secs,
        extras: c.extras.as_deref().map(flat_extras),
        callback: bits(c.callback),
        callback_lifetime_secs: c.callback_lifetime_secs,
    }
}

fn changes(f: FlatChanges) -> Result<Changes> {
    Ok(Changes {
        a: num(f.a)?,
        b: num(f.b)?,
        direction: match f.direction {
            Some(d) => {
                Some(Direction::from_code(u32::from(d)).ok_or_else(|| bad("bad direction"))?)
            }
            None => None,
        },
        record: f.record,
        sms: f.sms,
        max_duration_min: f.max_duration_min,
        duration_secs: f.duration_secs,
        extras: f.extras.map(extras),
        callback: num(f.callback)?,
        callback_lifetime_secs: f.callback_lifetime_secs,
    })
}

fn flat_binding(b: &Binding) -> FlatBinding {
    let mut callback_lifetime = 0;
    let (shape, a, bb, aux, parent) = match &b.shape {
        Shape::Pair { a, b } => (0, a.to_bits(), b.to_bits(), 0, None),
        Shape::Owner { a, temp_callee } => (1, a.to_bits(), bits(*temp_callee), 0, None),
        Shape::Extension {
            a,
            ext,
            callback,
            callback_lifetime_secs,
        } => {
            callback_lifetime = *callback_lifetime_secs;
            (2, a.to_bits(), bits(*callback), ext.pack(), None)
        }
        Shape::AxybAx { a, yb_duration } => (3, a.to_bits(), 0, *yb_duration, None),
        Shape::AxybYb { parent, b, y } => {
            (4, y.to_bits(), b.to_bits(), 0, Some(parent.as_string()))
        }
    };
    let s = &b.settings;
    FlatBinding {
        id: b.id.as_string(),
        mode: b.mode.code() as u8,
        x: bits(b.x),
        shape,
        a,
        b: bb,
        aux,
        callback_lifetime_secs: callback_lifetime,
        parent,
        state: b.state.code() as u8,
        bound_at: b.bound_at,
        direction: s.direction.code() as u8,
        record: s.record,
        sms: s.sms,
        max_duration_min: s.max_duration_min,
        duration_secs: s.duration_secs,
        extras: s.extras.as_deref().map(flat_extras),
        pending: b.pending.as_deref().map(flat_changes),
    }
}

fn binding(f: FlatBinding) -> Result<Binding> {
    let shape = match f.shape {
        0 => Shape::Pair {
            a: req_num(f.a)?,
            b: req_num(f.b)?,
        },
        1 => Shape::Owner {
            a: req_num(f.a)?,
            temp_callee: num(f.b)?,
        },
        2 => Shape::Extension {
            a: req_num(f.a)?,
            ext: Ext::unpack(f.aux).ok_or_else(|| bad("bad extension"))?,
            callback: num(f.b)?,
            callback_lifetime_secs: f.callback_lifetime_secs,
        },
        3 => Shape::AxybAx {
            a: req_num(f.a)?,
            yb_duration: f.aux,
        },
        4 => Shape::AxybYb {
            parent: id(f.parent.as_deref().unwrap_or(""))?,
            b: req_num(f.b)?,
            y: req_num(f.a)?,
        },
        _ => return Err(bad("unknown binding shape")),
    };
    Ok(Binding {
        id: id(&f.id)?,
        mode: Mode::from_code(u32::from(f.mode)).ok_or_else(|| bad("unknown mode"))?,
        x: num(f.x)?,
        shape,
        settings: Settings {
            direction: Direction::from_code(u32::from(f.direction))
                .ok_or_else(|| bad("bad direction"))?,
            record: f.record,
            sms: f.sms,
            max_duration_min: f.max_duration_min,
            duration_secs: f.duration_secs,
            extras: f.extras.map(extras),
        },
        state: State::from_code(u32::from(f.state)).ok_or_else(|| bad("unknown state"))?,
        bound_at: f.bound_at,
        pending: match f.pending {
            Some(c) => Some(Box::new(changes(c)?)),
            None => None,
        },
    })
}

fn flat(m: &Mutation) -> FlatMutation {
    match m {
        Mutation::Put(b) => FlatMutation::Put(Box::new(flat_binding(b))),
        Mutation::Del(id) => FlatMutation::Del(id.as_string()),
        Mutation::XStatus(x, s) => FlatMutation::XStatus(x.to_bits(), s.code() as u8),
        Mutation::PoolAdd(x, area) => FlatMutation::PoolAdd(x.to_bits(), area.clone()),
        Mutation::PoolRemove(x) => FlatMutation::PoolRemove(x.to_bits()),
    }
}

fn unflat(m: FlatMutation) -> Result<Mutation> {
    Ok(match m {
        FlatMutation::Put(b) => Mutation::Put(binding(*b)?),
        FlatMutation::Del(s) => Mutation::Del(id(&s)?),
        FlatMutation::XStatus(x, s) => Mutation::XStatus(
            req_num(x)?,
            XStatus::from_code(u32::from(s)).ok_or_else(|| bad("unknown X status"))?,
        ),
        FlatMutation::PoolAdd(x, area) => Mutation::PoolAdd(req_num(x)?, area),
        FlatMutation::PoolRemove(x) => Mutation::PoolRemove(req_num(x)?),
    })
}

fn encode_err(e: postcard::Error) -> Error {
    Error::new(
        ErrorKind::JournalIo,
        format!("cannot encode a journal record: {e}"),
    )
}

/// One journal record: the mutations of one acknowledged operation.
pub(crate) fn encode_record(muts: &[Mutation]) -> Result<Vec<u8>> {
    let flat: Vec<FlatMutation> = muts.iter().map(flat).collect();
    postcard::to_stdvec(&flat).map_err(encode_err)
}

/// Read back [`encode_record`].
pub(crate) fn decode_record(bytes: &[u8]) -> Result<Vec<Mutation>> {
    let flat: Vec<FlatMutation> = postcard::from_bytes(bytes)
        .map_err(|e| bad(format!("a journal record cannot be decoded: {e}")))?;
    flat.into_iter().map(unflat).collect()
}

/// A snapshot: the engine's mode and extension digits, and the mutations
/// that rebuild its state.
pub(crate) fn encode_snapshot(mode: Mode, ext_digits: u8, muts: &[Mutation]) -> Result<Vec<u8>> {
    let snap = FlatSnapshot {
        mode: mode.code() as u8,
        ext_digits,
        mutations: muts.iter().map(flat).collect(),
    };
    postcard::to_stdvec(&snap).map_err(encode_err)
}

/// Read back [`encode_snapshot`].
pub(crate) fn decode_snapshot(bytes: &[u8]) -> Result<(Mode, u8, Vec<Mutation>)> {
    let snap: FlatSnapshot = postcard::from_bytes(bytes)
        .map_err(|e| bad(format!("the snapshot cannot be decoded: {e}")))?;
    let mode = Mode::from_code(u32::from(snap.mode)).ok_or_else(|| bad("unknown mode"))?;
    let muts = snap
        .mutations
        .into_iter()
        .map(unflat)
        .collect::<Result<Vec<_>>>()?;
    Ok((mode, snap.ext_digits, muts))
}
