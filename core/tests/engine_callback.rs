//! AXE callback records beyond what `tests/vectors/engine.json` covers:
//! the callback lifetime survives the journal and snapshots, the records
//! themselves do not, and a confirmed bind request starts without one.

use privnum::engine::{
    BindRequest, BindingId, CallIn, Engine, EngineConfig, FsyncPolicy, Mode, Outcome, Route,
    Settings, Shape, ShapeRequest, XChoice,
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
