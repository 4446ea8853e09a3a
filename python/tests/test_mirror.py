"""``privnum.Mirror``: a client and an engine kept in step, against the
emulator (``privnum.testing``) over real loopback HTTP: binds recorded
write-ahead and settled by the platform's answer, refusals taken back,
reconciling with what was bound directly on the platform, and the engine
shared with Python."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

import privnum
import privnum.testing

X = "+8617000000010"
A, B = "+8613800000001", "+8613900000002"
C, D = "+8613800000003", "+8613900000004"


@pytest.fixture
def emu() -> Iterator[privnum.testing.Emulator]:
    with privnum.testing.emulator() as e:
        yield e


@pytest.fixture
def mirror(emu: privnum.testing.Emulator) -> privnum.Mirror:
    return privnum.Mirror(emu.client(max_attempts=1), privnum.Engine("axb"))


def test_a_confirmed_bind_is_active_in_the_engine(
    emu: privnum.testing.Emulator, mirror: privnum.Mirror
) -> None:
    op = privnum.Operation("axb.bind", caller_num=A, callee_num=B, relation_num=X)
    got = mirror.call(op)
    assert got["operation"] == "axb.bind"
    assert got["answer"] == "confirmed" and got["error"] is None
    assert got["output"] is not None
    sub = got["output"]["subscription_id"]
    assert got["ids"] == [sub] and got["record_error"] is None
    assert [b["id"] for b in got["bindings"]] == [sub]
    assert got["bindings"][0]["state"] == "active"
    # The engine object given is the one changed, and still usable.
    engine = mirror.engine
    binding = engine.get(sub)
    assert binding is not None and binding.state == "active"
    assert binding.x is not None and binding.x.e164 == X
    assert engine.route(A, X, now=int(time.time())).callee == privnum.parse_number(B)
    assert [b["id"] for b in emu.bindings()] == [sub]
    kinds = [e.kind for e in engine.poll_events()]
    assert kinds == ["requested", "bound"]

    # Modify and unbind by name.
    got = mirror.call_op("axb.modify", subscription_id=sub, record_flag=True)
    assert (got["answer"], got["output"]) == ("confirmed", {})
    binding = engine.get(sub)
    assert binding is not None and binding.record
    got = mirror.call_op("axb.unbind", {"subscriptionId": sub})
    assert got["answer"] == "confirmed" and got["bindings"] == []
    assert len(engine) == 0 and emu.bindings() == []


def test_a_refused_bind_is_removed(emu: privnum.testing.Emulator, mirror: privnum.Mirror) -> None:
    # A is bound on X directly on the platform: the engine does not know,
    # so it lets the bind through, and the platform refuses it.
    emu.client().call_op("axb.bind", caller_num=A, callee_num=D, relation_num=X)
    got = mirror.call_op("axb.bind", caller_num=A, callee_num=B, relation_num=X)
    assert got["answer"] == "refused" and got["output"] is None
    err = got["error"]
    assert err is not None
    assert err["kind"] == "PLATFORM_CONFLICT" and err["platform_code"] == "1012010"
    assert err["http_status"] is not None
    assert got["bindings"] == []
    assert len(mirror.engine) == 0
    events = mirror.engine.poll_events()
    assert [(e.kind, e.code) for e in events] == [("requested", None), ("failed", "1012010")]


def test_what_the_engine_refuses_is_never_sent(
    emu: privnum.testing.Emulator, mirror: privnum.Mirror
) -> None:
    mirror.call_op("axb.bind", caller_num=A, callee_num=B, relation_num=X)
    # A second callee for A on X: refused by the engine's rules (1012010).
    with pytest.raises(privnum.RuleViolationError) as e:
        mirror.call_op("axb.bind", caller_num=A, callee_num=D, relation_num=X)
    assert e.value.platform_code == "1012010"
    # Another mode's bind, a binding the engine does not hold, a query.
    with pytest.raises(privnum.RuleViolationError):
        mirror.call_op("ax.bind", orig_num=C, private_num=X)
    with pytest.raises(privnum.BindingNotFoundError):
        mirror.call_op("axb.unbind", subscription_id="nope")
    with pytest.raises(privnum.InvalidArgumentError, match="axb.query"):
        mirror.call_op("axb.query", relation_num=X)
    assert len(emu.bindings()) == 1 and len(mirror.engine) == 1


def test_reconcile_finds_and_imports_a_binding_made_on_the_platform(
    emu: privnum.testing.Emulator, mirror: privnum.Mirror
) -> None:
    mirror.call_op("axb.bind", caller_num=A, callee_num=B, relation_num=X)
    direct = emu.client().call_op("axb.bind", caller_num=C, callee_num=D, relation_num=X)
    report = mirror.reconcile()
    assert report["applied"] is None
    assert report["query_errors"] == [] and report["unchecked"] == []
    (diff,) = report["differences"]
    assert (diff["kind"], diff["fix"]) == ("only_on_platform", "import")
    platform = diff["platform"]
    assert platform["id"] == direct["subscription_id"]
    assert (platform["shape"], platform["a"], platform["b"], platform["x"]) == ("pair", C, D, X)
    assert len(mirror.engine) == 1

    report = mirror.reconcile(apply=True)
    assert report["applied"] == {"applied": 1, "skipped": 0, "errors": []}
    imported = mirror.engine.get(direct["subscription_id"])
    assert imported is not None and imported.state == "active"
    assert mirror.reconcile()["differences"] == []


def test_tick_and_reprs(emu: privnum.testing.Emulator, mirror: privnum.Mirror) -> None:
    assert mirror.tick() == 0
    text = repr(mirror)
    assert text.startswith("Mirror(Client(") and "Engine(" in text
    assert emu.app_secret not in text
    assert mirror.client.app_key == emu.app_key
    with pytest.raises(privnum.InvalidArgumentError):
        privnum.Mirror(emu.client(), privnum.Engine("x")).reconcile()


def test_calls_release_the_gil(emu: privnum.testing.Emulator) -> None:
    engine = privnum.Engine("axb")
    mirror = privnum.Mirror(emu.client(), engine)
    assert mirror.engine is engine
    stop = threading.Event()
    ticks = 0

    def spin() -> None:
        nonlocal ticks
        while not stop.is_set():
            ticks += 1
            time.sleep(0)

    t = threading.Thread(target=spin)
    t.start()
    try:
        for i in range(5):
            mirror.call_op(
                "axb.bind",
                caller_num=f"+861380000001{i}",
                callee_num=f"+861390000001{i}",
                relation_num=X,
            )
    finally:
        stop.set()
        t.join()
    assert ticks > 0 and len(engine) == 5
