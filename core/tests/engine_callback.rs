//! AXE callback records beyond what `tests/vectors/engine.json` covers:
//! the callback lifetime survives the journal and snapshots, the records
//! themselves do not, and a confirmed bind request starts without one.
//! Modifying the callback number and the record lifetime (`callbackNum`,
//! `callbackExpiredTime`, PN §5.3), at once or as a pending request,
//! survives reopening and changes where A calling X is connected.

use privnum::ErrorKind;
use privnum::engine::{
    BindRequest, Binding, BindingId, CallIn, Changes, Engine, EngineConfig, FsyncPolicy, Mode,
    Outcome, Route, Settings, Shape, ShapeRequest, State, XChoice,
};
use privnum::number::{Number, parse};

const NOW: u64 = 1_800_000_000;

fn n(s: &str) -> Number {
    parse(s).unwrap()
}

fn x() -> Number {
    n("+8617000000030")
}

fn request(a: &str, ext: &str, id: Option<&str>, callback: Option<&str>) -> BindRequest {
    BindRequest {
        shape: ShapeRequest::Extension {
            a: n(a),
            ext: Some(ext.to_owned()),
            callback: callback.map(n),
            callback_lifetime_secs: 600,
        },
        x: XChoice::Given(x()),
        settings: Settings::default(),
        id: id.map(|i| BindingId::new(i).unwrap()),
    }
}

fn call(caller: &str, ext: Option<&str>) -> CallIn {
    CallIn {
        caller: n(caller),
        dialled: x(),
        ext: ext.map(|e| privnum::engine::Ext::parse(e).unwrap()),
    }
}

fn callee(r: &Route) -> Option<Number> {
    match r {
        Route::Connect(c) => {
            assert_eq!(c.display, x());
            Some(c.callee)
        }
        Route::Close { .. } => None,
    }
}

fn lifetime(engine: &Engine, id: &str) -> u32 {
    match engine.get(&BindingId::new(id).unwrap()).unwrap().shape {
        Shape::Extension {
            callback_lifetime_secs,
            ..
        } => callback_lifetime_secs,
        other => panic!("not an extension: {other:?}"),
    }
}

#[test]
fn lifetime_is_durable_and_records_are_not() {
    let dir = std::env::temp_dir().join(format!("privnum-engine-callback-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut config = EngineConfig::new(Mode::Axe);
    config.fsync = FsyncPolicy::Never;
    {
        let (engine, _) = Engine::open(&dir, config.clone()).unwrap();
        engine
            .bind(
                &request(
                    "+8613800000201",
                    "0001",
                    Some("s-1"),
                    Some("+8613600000209"),
                ),
                NOW,
            )
            .unwrap();
        engine.compact().unwrap();
        engine
            .bind(&request("+8613800000202", "0002", Some("j-1"), None), NOW)
            .unwrap();
        // B reaches each A, and each A calling X reaches B.
        for (a, ext) in [("+8613800000201", "0001"), ("+8613800000202", "0002")] {
            let r = engine.route(&call("+8613900000203", Some(ext)), NOW + 1);
            assert_eq!(callee(&r), Some(n(a)));
            let r = engine.route(&call(a, None), NOW + 2);
            assert_eq!(callee(&r), Some(n("+8613900000203")));
        }
    }
    let (engine, report) = Engine::open(&dir, config).unwrap();
    assert!(report.snapshot_loaded);
    assert_eq!(report.records_replayed, 1);
    // The lifetime came back from the snapshot and from the journal.
    assert_eq!(lifetime(&engine, "s-1"), 600);
    assert_eq!(lifetime(&engine, "j-1"), 600);
    // The records did not: the callback number, or no target at all.
    let r = engine.route(&call("+8613800000201", None), NOW + 3);
    assert_eq!(callee(&r), Some(n("+8613600000209")));
    let r = engine.route(&call("+8613800000202", None), NOW + 3);
    assert!(matches!(
        r,
        Route::Close {
            reason: privnum::engine::CloseReason::NoCallbackTarget,
            ..
        }
    ));
    drop(engine);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_confirmed_request_starts_without_a_record() {
    let engine = Engine::new(EngineConfig::new(Mode::Axe)).unwrap();
    let pending = engine
        .request_bind(&request("+8613800000301", "0001", None, None), NOW)
        .unwrap();
    // Not yet bound: the call is closed and nothing is recorded.
    let r = engine.route(&call("+8613900000302", Some("0001")), NOW + 1);
    assert!(!r.is_connect());
    let id = BindingId::new("e97b2863-e7ad-4b4c-87c0-91b0171fe803").unwrap();
    engine
        .settle(
            &pending.id,
            &Outcome::Confirmed {
                id: Some(id.clone()),
                x: None,
                ext: None,
            },
            NOW + 2,
        )
        .unwrap();
    assert_eq!(lifetime(&engine, &id.as_string()), 600);
    let r = engine.route(&call("+8613800000301", None), NOW + 3);
    assert!(!r.is_connect());
    let r = engine.route(&call("+8613900000302", Some("0001")), NOW + 4);
    assert_eq!(callee(&r), Some(n("+8613800000301")));
    let r = engine.route(&call("+8613800000301", None), NOW + 5);
    assert_eq!(callee(&r), Some(n("+8613900000302")));
    // 600 s after the call the record no longer routes.
    let r = engine.route(&call("+8613800000301", None), NOW + 604);
    assert!(!r.is_connect());
}

#[test]
fn json_without_the_lifetime_reads_as_zero() {
    let req: BindRequest = serde_json::from_str(
        r#"{"shape": "extension", "a": "+8613800000401", "x": {"given": "+8617000000030"}}"#,
    )
    .unwrap();
    let ShapeRequest::Extension {
        callback_lifetime_secs,
        ..
    } = req.shape
    else {
        panic!("not an extension request");
    };
    assert_eq!(callback_lifetime_secs, 0);
    let engine = Engine::new(EngineConfig::new(Mode::Axe)).unwrap();
    let b = engine.bind(&req, NOW).unwrap();
    let json = serde_json::to_string(&b).unwrap();
    assert!(!json.contains("callback_lifetime_secs"), "{json}");
}

/// A temporary directory, removed when dropped.
struct TempDir(std::path::PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "privnum-engine-callback-{name}-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        Self(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn callback_of(b: &Binding) -> (Option<Number>, u32) {
    match &b.shape {
        Shape::Extension {
            callback,
            callback_lifetime_secs,
            ..
        } => (*callback, *callback_lifetime_secs),
        other => panic!("not an extension: {other:?}"),
    }
}

/// Every binding, in id order (the engine lists them in no order).
fn sorted(engine: &Engine) -> Vec<Binding> {
    let mut all = engine.bindings();
    all.sort_by_key(|b| b.id.as_string());
    all
}

fn callback_changes(callback: Option<&str>, lifetime: Option<u32>) -> Changes {
    Changes {
        callback: callback.map(n),
        callback_lifetime_secs: lifetime,
        ..Changes::default()
    }
}

#[test]
fn modified_callback_and_lifetime_survive_reopening() {
    let dir = TempDir::new("modify");
    let mut config = EngineConfig::new(Mode::Axe);
    config.fsync = FsyncPolicy::Never;
    let before = {
        let (engine, _) = Engine::open(&dir.0, config.clone()).unwrap();
        for (a, ext, id) in [
            ("+8613800000501", "0001", "m-1"),
            ("+8613800000502", "0002", "m-2"),
            ("+8613800000503", "0003", "m-3"),
        ] {
            engine
                .bind(&request(a, ext, Some(id), Some("+8613600000509")), NOW)
                .unwrap();
        }
        // At once: a new callback number and lifetime.
        let m1 = engine
            .modify(
                &BindingId::new("m-1").unwrap(),
                &callback_changes(Some("+8613600000510"), Some(1200)),
                NOW + 10,
            )
            .unwrap();
        assert_eq!(callback_of(&m1), (Some(n("+8613600000510")), 1200));
        assert_eq!((m1.state, m1.bound_at), (State::Active, NOW + 10));
        // Only the lifetime: the callback number stays.
        let m3 = engine
            .modify(
                &BindingId::new("m-3").unwrap(),
                &callback_changes(None, Some(0)),
                NOW + 10,
            )
            .unwrap();
        assert_eq!(callback_of(&m3), (Some(n("+8613600000509")), 0));
        // Sent to the platform, not yet answered: pending, unchanged.
        let m2 = engine
            .request_modify(
                &BindingId::new("m-2").unwrap(),
                &callback_changes(Some("+8613600000511"), Some(2400)),
                NOW + 20,
            )
            .unwrap();
        assert_eq!(m2.state, State::Modifying);
        assert_eq!(callback_of(&m2), (Some(n("+8613600000509")), 600));
        let pending = m2.pending.as_deref().unwrap();
        assert_eq!(pending.callback, Some(n("+8613600000511")));
        assert_eq!(pending.callback_lifetime_secs, Some(2400));
        sorted(&engine)
    };
    // From the journal.
    let (engine, report) = Engine::open(&dir.0, config.clone()).unwrap();
    assert!(!report.snapshot_loaded);
    assert_eq!(report.records_replayed, 6);
    assert_eq!(sorted(&engine), before);
    // From a snapshot.
    engine.compact().unwrap();
    drop(engine);
    let (engine, report) = Engine::open(&dir.0, config.clone()).unwrap();
    assert!(report.snapshot_loaded);
    assert_eq!(report.records_replayed, 0);
    assert_eq!(sorted(&engine), before);
    // The platform confirms the pending change: it is applied.
    let m2 = engine
        .settle(
            &BindingId::new("m-2").unwrap(),
            &Outcome::confirmed(),
            NOW + 30,
        )
        .unwrap()
        .unwrap();
    assert_eq!(m2.state, State::Active);
    assert_eq!(m2.pending, None);
    assert_eq!(callback_of(&m2), (Some(n("+8613600000511")), 2400));
    let after = sorted(&engine);
    drop(engine);
    let (engine, _) = Engine::open(&dir.0, config).unwrap();
    assert_eq!(sorted(&engine), after);
    let r = engine.route(&call("+8613800000502", None), NOW + 40);
    assert_eq!(callee(&r), Some(n("+8613600000511")));
}

#[test]
fn a_modified_callback_number_routes() {
    let engine = Engine::new(EngineConfig::new(Mode::Axe)).unwrap();
    let a = "+8613800000601";
    let id = BindingId::new("r-1").unwrap();
    engine
        .bind(
            &request(a, "0001", Some("r-1"), Some("+8613600000609")),
            NOW,
        )
        .unwrap();
    let r = engine.route(&call(a, None), NOW + 1);
    assert_eq!(callee(&r), Some(n("+8613600000609")));
    // No callback record: A calling X reaches the new callback number.
    engine
        .modify(
            &id,
            &callback_changes(Some("+8613600000610"), None),
            NOW + 2,
        )
        .unwrap();
    let r = engine.route(&call(a, None), NOW + 3);
    assert_eq!(callee(&r), Some(n("+8613600000610")));

    // A record made before a modification stays, and lasts the new lifetime.
    let r = engine.route(&call("+8613900000602", Some("0001")), NOW + 10);
    assert_eq!(callee(&r), Some(n(a)));
    engine
        .modify(
            &id,
            &callback_changes(Some("+8613600000611"), Some(120)),
            NOW + 20,
        )
        .unwrap();
    let r = engine.route(&call(a, None), NOW + 129);
    assert_eq!(callee(&r), Some(n("+8613900000602")));
    let r = engine.route(&call(a, None), NOW + 130);
    assert_eq!(callee(&r), Some(n("+8613600000611")));

    // Requested: routes as before until the platform confirms.
    engine
        .request_modify(
            &id,
            &callback_changes(Some("+8613600000612"), None),
            NOW + 200,
        )
        .unwrap();
    let r = engine.route(&call(a, None), NOW + 201);
    assert_eq!(callee(&r), Some(n("+8613600000611")));
    engine
        .settle(&id, &Outcome::confirmed(), NOW + 202)
        .unwrap();
    let r = engine.route(&call(a, None), NOW + 203);
    assert_eq!(callee(&r), Some(n("+8613600000612")));
    // A refused request leaves the binding as it was.
    engine
        .request_modify(
            &id,
            &callback_changes(Some("+8613600000613"), None),
            NOW + 300,
        )
        .unwrap();
    engine
        .settle(
            &id,
            &Outcome::Failed {
                code: "1010002".into(),
            },
            NOW + 301,
        )
        .unwrap();
    let r = engine.route(&call(a, None), NOW + 302);
    assert_eq!(callee(&r), Some(n("+8613600000612")));
}

#[test]
fn callback_changes_are_checked() {
    let engine = Engine::new(EngineConfig::new(Mode::Axe)).unwrap();
    let id = BindingId::new("c-1").unwrap();
    let b = engine
        .bind(
            &request(
                "+8613800000701",
                "0001",
                Some("c-1"),
                Some("+8613600000709"),
            ),
            NOW,
        )
        .unwrap();
    let refuse = |c: Changes, field: &str| {
        for request in [false, true] {
            let err = if request {
                engine.request_modify(&id, &c, NOW + 1)
            } else {
                engine.modify(&id, &c, NOW + 1)
            }
            .unwrap_err();
            assert_eq!(err.kind(), ErrorKind::RuleViolation, "{err}");
            assert_eq!(
                (err.platform_code(), err.field()),
                (Some("1010002"), Some(field)),
                "{err}"
            );
        }
    };
    // Not whole minutes; over 43 200 minutes; a number that cannot be bound.
    refuse(callback_changes(None, Some(90)), "callbackExpiredTime");
    refuse(
        callback_changes(None, Some(43_201 * 60)),
        "callbackExpiredTime",
    );
    refuse(callback_changes(Some("10086"), None), "callbackNum");
    // Refusals change nothing.
    assert_eq!(engine.get(&id), Some(b));
    // The bound itself is accepted.
    let m = engine
        .modify(&id, &callback_changes(None, Some(43_200 * 60)), NOW + 2)
        .unwrap();
    assert_eq!(callback_of(&m).1, 43_200 * 60);
}

#[test]
fn only_an_extension_takes_callback_changes() {
    // An X-mode engine holds every shape but the AXYB ones.
    let engine = Engine::new(EngineConfig::new(Mode::X)).unwrap();
    let pair = engine
        .bind(
            &BindRequest {
                shape: ShapeRequest::Pair {
                    a: n("+8613800000801"),
                    b: n("+8613900000802"),
                },
                x: XChoice::Given(n("+8617000000040")),
                settings: Settings::default(),
                id: None,
            },
            NOW,
        )
        .unwrap();
    let owner = engine
        .bind(
            &BindRequest {
                shape: ShapeRequest::Owner {
                    a: n("+8613800000803"),
                },
                x: XChoice::Given(n("+8617000000041")),
                settings: Settings::default(),
                id: None,
            },
            NOW,
        )
        .unwrap();
    for b in [&pair, &owner] {
        for (changes, field) in [
            (
                callback_changes(Some("+8613600000809"), None),
                "callbackNum",
            ),
            (callback_changes(None, Some(600)), "callbackExpiredTime"),
        ] {
            for request in [false, true] {
                let err = if request {
                    engine.request_modify(&b.id, &changes, NOW + 1)
                } else {
                    engine.modify(&b.id, &changes, NOW + 1)
                }
                .unwrap_err();
                assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err}");
                assert_eq!(err.field(), Some(field), "{err}");
            }
        }
        assert_eq!(engine.get(&b.id).as_ref(), Some(b));
    }
}

#[test]
fn callback_changes_in_json() {
    let c: Changes =
        serde_json::from_str(r#"{"callback": "+8613600000901", "callback_lifetime_secs": 600}"#)
            .unwrap();
    assert_eq!(c, callback_changes(Some("+8613600000901"), Some(600)));
    let json = serde_json::to_string(&c).unwrap();
    assert_eq!(serde_json::from_str::<Changes>(&json).unwrap(), c);
    // Absent: unchanged, and not written.
    let json = serde_json::to_string(&Changes::default()).unwrap();
    assert_eq!(json, "{}");
}
