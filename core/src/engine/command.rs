//! Engine operations as JSON commands: one text in, one text out.
//!
//! This is how the C ABI and the Python package reach every engine
//! operation without a typed wrapper for each, and how the shared test
//! vectors (`tests/vectors/engine.json`) drive an engine identically in all
//! three languages. Typed Rust calls and commands run the same code.
//!
//! A command is an object with `"op"` and the operation's fields; the answer
//! is `{"ok": <value>}` or `{"error": {"kind", "code", "platform_code",
//! "field", "message"}}`, where `kind`/`code` are the [`ErrorKind`] name and
//! stable number and `platform_code` the platform `resultcode` for rule
//! violations.
//!
//! | op | fields | ok value |
//! |---|---|---|
//! | `bind`, `request_bind`, `check_bind` | `now`, `request` ([`BindRequest`]) | the binding |
//! | `settle` | `id`, `now`, `ok`, and `new_id`, `x`, `ext` or `code` | the binding or `null` |
//! | `modify`, `request_modify` | `id`, `now`, `changes` ([`Changes`]) | the binding |
//! | `unbind` | `id`, `now` | `null` |
//! | `request_unbind` | `id`, `now` | the binding |
//! | `unbind_x` | `x`, `now` | count |
//! | `temp_callee` | `x`, `callee`, `now` | the binding |
//! | `tick` | `now` | count expired |
//! | `x_status` | `x`, `status` (name or push code), `now` | count changed |
//! | `pool_add` / `pool_remove` | `x`, `area` | `null` |
//! | `route` | `caller`, `dialled`, `ext`, `now` | [`super::Route`] |
//! | `get` | `id` | binding or `null` |
//! | `bindings_on` | `x` | bindings |
//! | `find_party` | `dialled`, `caller` | binding or `null` |
//! | `owned_by` | `a` | bindings |
//! | `relations` | `parent` | bindings |
//! | `events` | `max` | events |
//! | `pressure` | | area pressures |
//! | `len` | | count |

use serde::Deserialize;
use serde_json::{Value, json};

use super::model::{BindRequest, BindingId, Changes, Ext};
use super::pool::XStatus;
use super::{Engine, Outcome, route::CallIn};
use crate::error::{Error, ErrorKind, Result};
use crate::number::Number;

#[derive(Deserialize)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
enum Command {
    Bind {
        now: u64,
        request: BindRequest,
    },
    RequestBind {
        now: u64,
        request: BindRequest,
    },
    CheckBind {
        now: u64,
        request: BindRequest,
    },
    Settle {
        id: BindingId,
        now: u64,
        ok: bool,
        #[serde(default)]
        new_id: Option<BindingId>,
        #[serde(default, with = "super::model::opt_number_serde")]
        x: Option<Number>,
        #[serde(default)]
        ext: Option<Ext>,
        #[serde(default)]
        code: Option<String>,
    },
    Modify {
        id: BindingId,
        now: u64,
        changes: Changes,
    },
    RequestModify {
        id: BindingId,
        now: u64,
        changes: Changes,
    },
    Unbind {
        id: BindingId,
        now: u64,
    },
    RequestUnbind {
        id: BindingId,
        now: u64,
    },
    UnbindX {
        #[serde(with = "super::model::number_serde")]
        x: Number,
        now: u64,
    },
    TempCallee {
        #[serde(with = "super::model::number_serde")]
        x: Number,
        #[serde(with = "super::model::number_serde")]
        callee: Number,
        now: u64,
    },
    Tick {
        now: u64,
    },
    XStatus {
        #[serde(with = "super::model::number_serde")]
        x: Number,
        status: String,
        now: u64,
    },
    PoolAdd {
        #[serde(with = "super::model::number_serde")]
        x: Number,
        area: String,
    },
    PoolRemove {
        #[serde(with = "super::model::number_serde")]
        x: Number,
    },
    Route {
        #[serde(with = "super::model::number_serde")]
        caller: Number,
        #[serde(with = "super::model::number_serde")]
        dialled: Number,
        #[serde(default)]
        ext: Option<Ext>,
        now: u64,
    },
    Get {
        id: BindingId,
    },
    BindingsOn {
        #[serde(with = "super::model::number_serde")]
        x: Number,
    },
    FindParty {
        #[serde(with = "super::model::number_serde")]
        dialled: Number,
        #[serde(with = "super::model::number_serde")]
        caller: Number,
    },
    OwnedBy {
        #[serde(with = "super::model::number_serde")]
        a: Number,
    },
    Relations {
        parent: BindingId,
    },
    Events {
        #[serde(default = "default_max")]
        max: usize,
    },
    Pressure {},
    Len {},
}

fn default_max() -> usize {
    usize::MAX
}

fn to_value<T: serde::Serialize>(v: &T) -> Result<Value> {
    serde_json::to_value(v).map_err(|e| {
        Error::new(
            ErrorKind::InvalidCommand,
            format!("cannot render result: {e}"),
        )
    })
}

fn status(s: &str) -> Result<XStatus> {
    XStatus::from_push(s)
        .or_else(|| XStatus::ALL.into_iter().find(|v| v.name() == s))
        .ok_or_else(|| {
            Error::new(ErrorKind::InvalidCommand, format!("unknown X status {s:?}"))
                .with_field("status")
        })
}

/// Run one command given as a JSON value; the `ok` value or the error.
pub fn execute_value(engine: &Engine, command: Value) -> Result<Value> {
    let cmd: Command = serde_json::from_value(command)
        .map_err(|e| Error::new(ErrorKind::InvalidCommand, format!("bad command: {e}")))?;
    match cmd {
        Command::Bind { now, request } => to_value(&engine.bind(&request, now)?),
        Command::RequestBind { now, request } => to_value(&engine.request_bind(&request, now)?),
        Command::CheckBind { now, request } => to_value(&engine.check_bind(&request, now)?),
        Command::Settle {
            id,
            now,
            ok,
            new_id,
            x,
            ext,
            code,
        } => {
            let outcome = if ok {
                Outcome::Confirmed { id: new_id, x, ext }
            } else {
                Outcome::Failed {
                    code: code.unwrap_or_default(),
                }
            };
            to_value(&engine.settle(&id, &outcome, now)?)
        }
        Command::Modify { id, now, changes } => to_value(&engine.modify(&id, &changes, now)?),
        Command::RequestModify { id, now, changes } => {
            to_value(&engine.request_modify(&id, &changes, now)?)
        }
        Command::Unbind { id, now } => {
            engine.unbind(&id, now)?;
            Ok(Value::Null)
        }
        Command::RequestUnbind { id, now } => to_value(&engine.request_unbind(&id, now)?),
        Command::UnbindX { x, now } => Ok(json!(engine.unbind_x(x, now)?)),
        Command::TempCallee { x, callee, now } => {
            to_value(&engine.set_temp_callee(x, callee, now)?)
        }
        Command::Tick { now } => Ok(json!(engine.tick(now)?)),
        Command::XStatus { x, status: s, now } => {
            Ok(json!(engine.set_x_status(x, status(&s)?, now)?))
        }
        Command::PoolAdd { x, area } => {
            engine.pool_add(x, &area)?;
            Ok(Value::Null)
        }
        Command::PoolRemove { x } => {
            engine.pool_remove(x)?;
            Ok(Value::Null)
        }
        Command::Route {
            caller,
            dialled,
            ext,
            now,
        } => to_value(&engine.route(
            &CallIn {
                caller,
                dialled,
                ext,
            },
            now,
        )),
        Command::Get { id } => to_value(&engine.get(&id)),
        Command::BindingsOn { x } => to_value(&engine.bindings_on(x)),
        Command::FindParty { dialled, caller } => to_value(&engine.find_party(dialled, caller)),
        Command::OwnedBy { a } => to_value(&engine.owned_by(a)),
        Command::Relations { parent } => to_value(&engine.relations(&parent)),
        Command::Events { max } => to_value(&engine.poll_events(max)),
        Command::Pressure {} => to_value(&engine.pool_pressure()),
        Command::Len {} => Ok(json!(engine.len())),
    }
}

/// The JSON form of an error, as commands answer it.
#[must_use]
pub fn error_value(e: &Error) -> Value {
    json!({
        "kind": e.kind().name(),
        "code": e.code(),
        "platform_code": e.platform_code(),
        "field": e.field(),
        "message": e.message(),
    })
}

/// Run one command given as JSON text; always answers JSON text
/// (`{"ok": …}` or `{"error": …}`), never fails.
#[must_use]
pub fn execute(engine: &Engine, command: &str) -> String {
    let answer = match serde_json::from_str::<Value>(command) {
        Ok(v) => execute_value(engine, v),
        Err(e) => Err(Error::new(
            ErrorKind::InvalidCommand,
            format!("the command is not JSON: {e}"),
        )),
    };
    let v = match answer {
        Ok(v) => json!({ "ok": v }),
        Err(e) => json!({ "error": error_value(&e) }),
    };
    v.to_string()
}

/// An engine config from JSON: `{"mode": "axb", "extension_digits": 4,
/// "max_events": 65536, "compact_after": 100000, "id_seed": 1,
/// "fsync": "always" | "never"}` (all but `mode` optional).
pub fn config_from_json(text: &str) -> Result<super::EngineConfig> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct C {
        mode: String,
        #[serde(default)]
        extension_digits: Option<u8>,
        #[serde(default)]
        max_events: Option<usize>,
        #[serde(default)]
        compact_after: Option<u64>,
        #[serde(default)]
        id_seed: Option<u64>,
        #[serde(default)]
        fsync: Option<String>,
    }
    let bad = |m: String| Error::new(ErrorKind::InvalidArgument, m);
    let c: C = serde_json::from_str(text).map_err(|e| bad(format!("bad engine config: {e}")))?;
    let mode =
        super::Mode::from_name(&c.mode).ok_or_else(|| bad(format!("unknown mode {:?}", c.mode)))?;
    let mut cfg = super::EngineConfig::new(mode);
    if let Some(d) = c.extension_digits {
        cfg.extension_digits = d;
    }
    if let Some(m) = c.max_events {
        cfg.max_events = m;
    }
    if let Some(n) = c.compact_after {
        cfg.compact_after = n;
    }
    cfg.id_seed = c.id_seed;
    if let Some(f) = c.fsync {
        cfg.fsync = match f.as_str() {
            "always" => super::FsyncPolicy::Always,
            "never" => super::FsyncPolicy::Never,
            other => return Err(bad(format!("unknown fsync policy {other:?}"))),
        };
    }
    Ok(cfg)
}
