"""The binding engine through its Python API: binds and the platform's rules
(with ``.platform_code`` / ``.field``), routing, expiry, X status, the
request → settle flow, durability, threads, the GIL, and every case of
tests/vectors/engine.json run through ``Engine.execute``."""

from __future__ import annotations

import json
import pickle
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

import privnum
from conftest import check_error, error_class, load_cases

NOW = 1_800_000_000
A, B, C, D = "+8613800000001", "+8613900000002", "+8613700000003", "+8613600000004"
X, X2, Y = "+8617000000010", "+8617000000011", "+8617000000020"
FIXED = "0755-2800-0002"


def axb() -> privnum.Engine:
    return privnum.Engine("axb", id_seed=1)


def kinds(events: list[privnum.Event]) -> list[str]:
    return [e.kind for e in events]


# ---------------------------------------------------------------- construction


def test_engine_arguments() -> None:
    e = privnum.Engine("AXB")  # type: ignore[arg-type]  # names are case-insensitive, as in the core
    assert e.mode == "axb" and len(e) == 0 and e.durable is False
    assert e.open_report is None and e.extension_digits == 4
    assert repr(e) == "Engine(mode='axb', bindings=0, durable=False)"
    with pytest.raises(privnum.InvalidArgumentError) as info:
        privnum.Engine("abc")  # type: ignore[arg-type]
    check_error(info.value, "INVALID_ARGUMENT")
    with pytest.raises(privnum.InvalidArgumentError, match="extension_digits"):
        privnum.Engine("axe", extension_digits=5)
    with pytest.raises(TypeError):
        privnum.Engine("axb", 4)  # type: ignore[call-arg]
    with pytest.raises(privnum.InvalidArgumentError, match="fsync"):
        privnum.Engine.open("/nonexistent-privnum-dir", "axb", fsync="sometimes")  # type: ignore[arg-type]
    cfg = privnum.Engine.from_config({"mode": "axe", "extension_digits": 2, "id_seed": 3})
    assert (cfg.mode, cfg.extension_digits) == ("axe", 2)
    assert privnum.Engine.from_config('{"mode": "ax"}').mode == "ax"
    with pytest.raises(privnum.InvalidArgumentError):
        privnum.Engine.from_config({"mode": "axb", "colour": "red"})


def test_bind_pair_and_reads() -> None:
    e = axb()
    b = e.bind_pair(A, B, x=X, id="sub-1", duration=3600, max_duration=30, record=True, user_data="u1", now=NOW)
    assert isinstance(b, privnum.Binding)
    assert (b.id, b.mode, b.shape, b.state) == ("sub-1", "axb", "pair", "active")
    assert b.x == privnum.parse_number(X) and b.a is not None and b.a.e164 == A and b.b is not None
    assert (b.bound_at, b.expires_at, b.duration, b.max_duration) == (NOW, NOW + 3600, 3600, 30)
    assert (b.direction, b.record, b.sms, b.user_data) == (0, True, True, "u1")
    assert b.ext is None and b.y is None and b.parent is None and b.pending is None
    assert len(e) == 1
    assert e.get("sub-1") == b
    assert e.get("sub-2") is None
    assert e.bindings_on(X) == [b] == e.bindings()
    assert e.find_party(X, B) == b and e.find_party(X, C) is None
    d = b.to_dict()
    assert d["a"] == A and d["x"] == X and d["expires_at"] == NOW + 3600 and d["pending"] is None
    json.dumps(d)  # plain data
    # Numbers are masked in repr().
    text = repr(b)
    assert text.startswith("Binding(id='sub-1', mode='axb', shape='pair', state='active', x='+86170****0010'")
    for raw in ("13800000001", "13900000002", "17000000010"):
        assert raw not in text
    with pytest.raises(AttributeError):
        b.state = "expired"  # type: ignore[misc]
    # Pre-parsed numbers are accepted as they are.
    n = privnum.parse_numbers([C, D, X])
    assert e.bind_pair(n[0], n[1], x=n[2], now=NOW).a == n[0]
    assert e.memory_bytes() > 0


def test_ids_are_minted_reproducibly_from_the_seed() -> None:
    ids = [axb().bind_pair(A, B, x=X, now=NOW).id for _ in range(2)]
    assert ids[0] == ids[1] and len(ids[0]) == 36
    assert privnum.Engine("axb").bind_pair(A, B, x=X, now=NOW).id != ids[0]


# ---------------------------------------------------------------- rules


def test_axb_rule_violations_carry_platform_code_and_field() -> None:
    e = axb()
    e.bind_pair(A, B, x=X, now=NOW)
    with pytest.raises(privnum.RuleViolationError) as info:
        e.bind_pair(C, A, x=X, now=NOW)  # A is already on X
    exc = info.value
    check_error(exc, "RULE_VIOLATION")
    assert isinstance(exc, privnum.EngineError) and not isinstance(exc, ValueError)
    assert (exc.platform_code, exc.field) == ("1012010", "calleeNum")
    assert str(exc).startswith("1012010 (calleeNum): ")
    assert "13800000001" not in str(exc)  # the message masks numbers
    with pytest.raises(privnum.RuleViolationError) as info:
        e.bind_pair(B, C, x=X, now=NOW)
    assert (info.value.platform_code, info.value.field) == ("1012010", "callerNum")
    # The same pair on another X is fine.
    e.bind_pair(C, A, x=X2, now=NOW)
    # Field bounds are rules too (1010002 "Invalid request", naming the field).
    cases: tuple[tuple[dict[str, Any], str], ...] = (
        ({"max_duration": 1441}, "maxDuration"),
        ({"direction": 3}, "callDirection"),
        ({"duration": 7_776_001}, "duration"),
        ({"duration": 2**40}, "duration"),
    )
    for kwargs, field in cases:
        with pytest.raises(privnum.RuleViolationError) as info:
            e.bind_pair(C, D, x=X, now=NOW, **kwargs)
        assert (info.value.platform_code, info.value.field) == ("1010002", field), kwargs
    with pytest.raises(privnum.RuleViolationError) as info:
        e.bind_pair(C, "400-123-4567", x=X, now=NOW)  # a service number is never bindable
    assert info.value.field == "calleeNum"
    # Not a rule: a malformed number is the parser's error.
    with pytest.raises(privnum.NumberTooShortError):
        e.bind_pair(C, "1380000", x=X, now=NOW)


def test_ax_limit_of_five_x_per_a() -> None:
    e = privnum.Engine("ax")
    for i in range(5):
        e.bind_owner(A, x=f"+861700000001{i}", now=NOW)
    with pytest.raises(privnum.RuleViolationError) as info:
        e.bind_owner(A, x="+8617000000019", now=NOW)
    assert (info.value.platform_code, info.value.field) == ("1011003", "origNum")
    assert len(e.owned_by(A)) == 5
    with pytest.raises(privnum.RuleViolationError) as info:
        e.bind_owner(B, x="+8617000000019", duration=60, now=NOW)  # AX has no lifetime
    assert (info.value.platform_code, info.value.field) == ("1010002", "duration")
    # A pair in an AX application: the platform's "wrong API" answer.
    with pytest.raises(privnum.RuleViolationError) as info:
        e.bind_pair(C, D, x=X, now=NOW)
    assert (info.value.platform_code, info.value.field) == ("1010040", None)


def test_engine_errors() -> None:
    e = axb()
    e.bind_pair(A, B, x=X, id="sub-1", now=NOW)
    with pytest.raises(privnum.BindingExistsError) as exists:
        e.bind_pair(C, D, x=X, id="sub-1", now=NOW)
    check_error(exists.value, "BINDING_EXISTS")
    assert exists.value.platform_code is None and exists.value.field is None
    with pytest.raises(privnum.BindingNotFoundError) as missing:
        e.unbind("sub-2", now=NOW)
    check_error(missing.value, "BINDING_NOT_FOUND")
    pending = e.request_bind_pair(C, D, now=NOW)
    with pytest.raises(privnum.InvalidTransitionError) as transition:
        e.modify(pending.id, duration=60, now=NOW)
    check_error(transition.value, "INVALID_TRANSITION")
    with pytest.raises(privnum.InvalidArgumentError) as bad_id:
        e.get("")
    assert bad_id.value.field == "subscriptionId"
    with pytest.raises(privnum.InvalidArgumentError) as bad_ext:
        e.route(A, X, ext="12345", now=NOW)
    assert bad_ext.value.field == "extendNum"


def test_exception_attributes_pickle_and_default_to_none() -> None:
    e = axb()
    e.bind_pair(A, B, x=X, now=NOW)
    with pytest.raises(privnum.RuleViolationError) as info:
        e.bind_pair(C, A, x=X, now=NOW)
    clone = pickle.loads(pickle.dumps(info.value))
    assert type(clone) is privnum.RuleViolationError
    assert (clone.platform_code, clone.field, clone.args) == ("1012010", "calleeNum", info.value.args)
    with pytest.raises(privnum.NumberEmptyError) as other:
        privnum.parse_number("")
    assert other.value.platform_code is None and other.value.field is None
    assert privnum.PrivnumError.platform_code is None and privnum.PrivnumError.field is None
    assert issubclass(privnum.JournalIoError, OSError) and issubclass(privnum.InvalidCommandError, ValueError)
    for name in ("RULE_VIOLATION", "BINDING_NOT_FOUND", "INVALID_TRANSITION", "POOL_EXHAUSTED",
                 "BINDING_EXISTS", "JOURNAL_IO", "JOURNAL_CORRUPT", "INVALID_COMMAND"):
        cls = error_class(name)
        assert issubclass(cls, privnum.EngineError) and 400 <= cls.code <= 449


# ---------------------------------------------------------------- routing


def test_axb_routing_decisions() -> None:
    e = axb()
    e.bind_pair(A, B, x=X, id="both", max_duration=30, record=True, user_data="order-7", now=NOW)
    e.bind_pair(C, D, x=X, id="one-way", direction=1, now=NOW)
    r = e.route(A, X, now=NOW)
    assert r.connect and r.callee is not None and r.callee.e164 == B
    assert r.display is not None and r.display.e164 == X
    assert (r.max_duration, r.record, r.binding_id, r.reason, r.state_code, r.user_data) == (
        30, True, "both", None, None, "order-7")
    back = e.route(privnum.parse_number(B), privnum.parse_number(X), now=NOW)
    assert back.connect and back.callee == privnum.parse_number(A)
    assert e.route(C, X, now=NOW).connect
    closed = e.route(D, X, now=NOW)  # only C may call D
    assert (closed.connect, closed.reason, closed.binding_id) == (False, "direction_not_allowed", "one-way")
    assert closed.callee is None and closed.display is None and closed.max_duration == 0
    stranger = e.route("+8613500000005", X, now=NOW)
    assert (stranger.reason, stranger.state_code, stranger.binding_id) == ("no_binding", 8014, None)
    fixed = e.route(FIXED, X, now=NOW)
    assert (fixed.reason, fixed.state_code) == ("caller_cannot_call_x", 8023)
    assert e.route(A, X, now=NOW) == r  # equality by value
    text = repr(r)
    assert text == (
        "Route(connect=True, callee='+86139****0002', display='+86170****0010', "
        "max_duration=30, record=True, binding_id='both')"
    )
    assert repr(stranger) == "Route(connect=False, reason='no_binding', state_code=8014, binding_id=None)"
    assert r.to_dict()["callee"] == B and json.dumps(stranger.to_dict())
    # The X-mode callin reply that carries the decision out.
    reply = json.loads(r.to_reply_json())
    info = reply["connectInfo"]
    assert reply["operation"] == "connect"
    assert (info["calleeNum"], info["displayCalleeNum"], info["maxDuration"], info["recordFlag"]) == (
        B, X, 30, "true")
    assert info["userData"] == "order-7"
    assert json.loads(r.to_reply_json(form="array"))["connectInfo"][0]["calleeNum"] == B
    assert json.loads(stranger.to_reply_json())["operation"] == "close"


def test_ax_axe_axyb_routing() -> None:
    ax = privnum.Engine("ax")
    ax.bind_owner(A, x=X, now=NOW)
    assert ax.route(C, X, now=NOW).callee == privnum.parse_number(A)
    no_callee = ax.route(A, X, now=NOW)
    assert (no_callee.reason, no_callee.state_code) == ("no_temp_callee", 8013)
    assert ax.set_temp_callee(X, D, now=NOW).temp_callee == privnum.parse_number(D)
    assert ax.route(A, X, now=NOW).callee == privnum.parse_number(D)

    axe = privnum.Engine("axe", extension_digits=2)
    first = axe.bind_extension(A, x=X, ext="07", callback=D, now=NOW)
    assert (first.shape, first.ext, first.callback) == ("extension", "07", privnum.parse_number(D))
    assert axe.bind_extension(B, x=X, now=NOW).ext == "01"  # the lowest free one
    assert axe.find_extension(X, "07") == first
    assert axe.route(C, X, now=NOW).reason == "extension_needed"
    assert axe.route(C, X, ext="07", now=NOW).callee == privnum.parse_number(A)
    assert axe.route(C, X, ext="99", now=NOW).reason == "unknown_extension"
    assert axe.route(A, X, now=NOW).callee == privnum.parse_number(C)  # A calls back its last caller

    axyb = privnum.Engine("axyb")
    owner = axyb.bind_axyb(A, x=X, duration=7200, now=NOW)
    rel = axyb.bind_relation(owner.id, B, y=Y, now=NOW)
    assert (rel.shape, rel.parent, rel.y, rel.x) == ("axyb_yb", owner.id, privnum.parse_number(Y), owner.x)
    assert rel.expires_at == NOW + 7200  # never beyond the AX binding
    assert axyb.relations(owner.id) == [rel] and axyb.owned_by(A) == [owner]
    a_to_b = axyb.route(A, Y, now=NOW)
    assert (a_to_b.callee, a_to_b.display) == (privnum.parse_number(B), privnum.parse_number(X))
    b_to_a = axyb.route(B, X, now=NOW)
    assert (b_to_a.callee, b_to_a.display) == (privnum.parse_number(A), privnum.parse_number(Y))
    assert axyb.route(C, X, now=NOW).reason == "no_relation"
    with pytest.raises(privnum.RuleViolationError) as info:
        axyb.bind_relation(owner.id, B, y="+8617000000021", now=NOW)
    assert info.value.platform_code == "1012010"


def test_axe_callback_record() -> None:
    e = privnum.Engine("axe")
    b = e.bind_extension(A, x=X, ext="0001", callback=D, callback_lifetime=3600, id="cb", now=NOW)
    assert (b.callback_lifetime, b.to_dict()["callback_lifetime"]) == (3600, 3600)
    assert "callback_lifetime=3600" in repr(b)
    assert e.bind_extension(C, x=X, now=NOW).callback_lifetime == 0  # as long as the binding
    assert e.route(A, X, now=NOW).callee == privnum.parse_number(D)  # nobody called yet
    # B reaches A through X and the extension; A calling X reaches B, shown X.
    assert e.route(B, X, ext="0001", now=NOW + 10).callee == privnum.parse_number(A)
    back = e.route(A, X, now=NOW + 20)
    assert (back.callee, back.display, back.binding_id) == (
        privnum.parse_number(B), privnum.parse_number(X), "cb")
    # The newest caller wins, for callback_lifetime seconds after the call.
    e.route("+8613500000005", X, ext="0001", now=NOW + 30)
    assert e.route(A, X, now=NOW + 3629).callee == privnum.parse_number("+8613500000005")
    assert e.route(A, X, now=NOW + 3630).callee == privnum.parse_number(D)
    # Rebinding the extension starts without a record.
    e.route(B, X, ext="0001", now=NOW + 4000)
    e.unbind("cb", now=NOW + 4001)
    e.bind_extension(A, x=X, ext="0001", id="cb", now=NOW + 4002)
    assert e.route(A, X, now=NOW + 4003).reason == "no_callback_target"
    # The same bounds as the binding's lifetime: whole minutes, at most 30 days.
    for bad in (90, 43_201 * 60, 2**40):
        with pytest.raises(privnum.RuleViolationError) as info:
            e.bind_extension(B, x=X, callback_lifetime=bad, now=NOW)
        assert (info.value.platform_code, info.value.field) == ("1010002", "callbackExpiredTime"), bad
    # bind_many and request_bind_extension take it too.
    (many,) = e.bind_many([{"a": B, "x": X, "callback_lifetime": 60}], now=NOW)
    assert many.callback_lifetime == 60
    req = e.request_bind_extension("+8613500000006", x=X, callback_lifetime=120, now=NOW)
    assert (req.state, req.callback_lifetime) == ("requested", 120)
    assert privnum.Engine("axb").bind_pair(A, B, x=X, now=NOW).callback_lifetime is None


def test_modify_axe_callback() -> None:
    e = privnum.Engine("axe")
    e.bind_extension(A, x=X, ext="0001", callback=D, id="mc", now=NOW)
    assert e.route(A, X, now=NOW + 1).callee == privnum.parse_number(D)
    # No callback record yet: A calling X reaches the new callback number.
    m = e.modify("mc", callback=C, callback_lifetime=600, now=NOW + 2)
    assert (m.callback, m.callback_lifetime, m.bound_at) == (privnum.parse_number(C), 600, NOW + 2)
    back = e.route(A, X, now=NOW + 3)
    assert (back.callee, back.display, back.binding_id) == (
        privnum.parse_number(C), privnum.parse_number(X), "mc")
    # A record made before a change stays, and lasts the new lifetime from its call.
    e.route(B, X, ext="0001", now=NOW + 10)
    e.modify("mc", callback_lifetime=120, now=NOW + 20)
    assert e.route(A, X, now=NOW + 129).callee == privnum.parse_number(B)
    assert e.route(A, X, now=NOW + 130).callee == privnum.parse_number(C)
    # Requested: routes as before until settled.
    r = e.request_modify("mc", callback=privnum.parse_number("+8613500000005"), now=NOW + 200)
    assert (r.state, r.callback) == ("modifying", privnum.parse_number(C))
    assert e.route(A, X, now=NOW + 201).callee == privnum.parse_number(C)
    settled = e.settle("mc", now=NOW + 202)
    assert settled is not None and settled.callback_lifetime == 120
    assert e.route(A, X, now=NOW + 203).callee == privnum.parse_number("+8613500000005")
    # The bounds of bind_extension: whole minutes, at most 30 days.
    for bad in (90, 43_201 * 60, 2**40):
        for change in (e.modify, e.request_modify):
            with pytest.raises(privnum.RuleViolationError) as info:
                change("mc", callback_lifetime=bad, now=NOW + 300)
            check_error(info.value, "RULE_VIOLATION")
            assert (info.value.platform_code, info.value.field) == ("1010002", "callbackExpiredTime"), bad
    assert e.get("mc") == settled

    # Only an extension has a callback number and record lifetime.
    pair = axb()
    pair.bind_pair(A, B, x=X, id="p", now=NOW)
    for change in (pair.modify, pair.request_modify):
        with pytest.raises(privnum.InvalidArgumentError) as no_callback:
            change("p", callback=D, now=NOW + 1)
        check_error(no_callback.value, "INVALID_ARGUMENT")
        assert (no_callback.value.platform_code, no_callback.value.field) == (None, "callbackNum")
        with pytest.raises(privnum.InvalidArgumentError) as no_lifetime:
            change("p", callback_lifetime=600, now=NOW + 1)
        check_error(no_lifetime.value, "INVALID_ARGUMENT")
        assert (no_lifetime.value.platform_code, no_lifetime.value.field) == (None, "callbackExpiredTime")
    unchanged = pair.get("p")
    assert unchanged is not None and (unchanged.state, unchanged.bound_at) == ("active", NOW)
    assert pair.route(A, X, now=NOW + 2).callee == privnum.parse_number(B)


# ---------------------------------------------------------------- lifetime, status, events


def test_expiry_via_tick_emits_events() -> None:
    e = axb()
    e.bind_pair(A, B, x=X, id="short", duration=60, now=NOW)
    e.bind_pair(C, D, x=X, id="long", now=NOW)
    assert kinds(e.poll_events()) == ["bound", "bound"]
    assert e.poll_events() == []
    # Over before tick removed it: closed as expired.
    late = e.route(A, X, now=NOW + 61)
    assert (late.reason, late.binding_id) == ("expired", "short")
    assert e.tick(NOW + 59) == 0
    assert e.tick(NOW + 60) == 1
    assert e.get("short") is None and len(e) == 1
    (event,) = e.poll_events()
    assert (event.kind, event.id, event.from_state, event.to_state, event.at) == (
        "expired", "short", "active", "expired", NOW + 60)
    assert event.x == privnum.parse_number(X) and event.code is None and event.previous_id is None
    assert repr(event) == (
        "Event(seq=3, at=1800000060, kind='expired', id='short', previous_id=None, "
        "from_state='active', to_state='expired', x='+86170****0010', code=None)"
    )
    assert event.to_dict()["x"] == X
    assert e.route(A, X, now=NOW + 61).reason == "no_binding"
    # modify restarts the lifetime at its own now.
    m = e.modify("long", duration=120, now=NOW + 100)
    assert (m.bound_at, m.expires_at) == (NOW + 100, NOW + 220)


def test_events_are_bounded() -> None:
    e = privnum.Engine("axb", max_events=2)
    for i in range(5):
        e.bind_pair(f"+861380000010{i}", f"+861390000010{i}", x=X, now=NOW)
    assert e.events_dropped == 3
    assert [ev.seq for ev in e.poll_events(max=1)] == [4]
    assert [ev.seq for ev in e.poll_events()] == [5]


def test_x_status_suspends_and_resumes() -> None:
    e = axb()
    e.bind_pair(A, B, x=X, id="p1", now=NOW)
    e.bind_pair(C, D, x=X, id="p2", now=NOW)
    e.poll_events()
    assert e.set_x_status(X, "paused", now=NOW) == 2
    assert e.x_status(X) == "paused"
    assert e.get("p1").state == "suspended"  # type: ignore[union-attr]
    assert e.route(A, X, now=NOW).reason == "x_unavailable"
    assert kinds(e.poll_events()) == ["suspended", "suspended"]
    with pytest.raises(privnum.RuleViolationError) as info:
        e.bind_pair("+8613500000005", "+8613500000006", x=X, now=NOW)
    assert info.value.platform_code == "1012008"
    # The push's code, or a NumberStatus read from a status push, works too.
    assert e.set_x_status(X, "5", now=NOW + 1) == 2
    assert e.route(A, X, now=NOW + 1).connect
    assert kinds(e.poll_events()) == ["resumed", "resumed"]
    assert e.set_x_status(X, privnum.NumberStatus(10), now=NOW + 2) == 2
    assert e.x_status(X) == "unavailable"
    assert e.set_x_status(X, "normal", now=NOW + 3) == 2
    with pytest.raises(privnum.InvalidArgumentError):
        e.set_x_status(X, "sleepy", now=NOW)
    with pytest.raises(TypeError):
        e.set_x_status(X, 9, now=NOW)  # type: ignore[arg-type]


def test_request_settle_flow_replaces_the_id() -> None:
    e = axb()
    req = e.request_bind_pair(A, B, now=NOW)  # the platform chooses X
    assert (req.id, req.state, req.x) == ("pending-1", "requested", None)
    assert e.route(A, X, now=NOW).reason == "no_binding"
    bound = e.settle("pending-1", new_id="sub-9", x=X, now=NOW + 1)
    assert bound is not None and (bound.id, bound.state, bound.x, bound.bound_at) == (
        "sub-9", "active", privnum.parse_number(X), NOW + 1)
    assert e.get("pending-1") is None and e.get("sub-9") == bound
    assert e.route(A, X, now=NOW + 1).binding_id == "sub-9"
    requested, confirmed = e.poll_events()
    assert (requested.kind, requested.id) == ("requested", "pending-1")
    assert (confirmed.kind, confirmed.id, confirmed.previous_id) == ("bound", "sub-9", "pending-1")

    # A refused bind is gone, with the platform's resultcode in its event.
    refused = e.request_bind_pair(C, D, x=X, now=NOW)
    assert refused.id == "pending-2" and refused.x == privnum.parse_number(X)
    assert e.route(C, X, now=NOW).reason == "not_yet_bound"
    assert e.settle(refused.id, ok=False, code="1012008", now=NOW) is None
    assert e.get(refused.id) is None
    assert [(ev.kind, ev.code) for ev in e.poll_events()] == [("requested", None), ("failed", "1012008")]

    # Modify and unbind requests: usable as before until the platform answers.
    m = e.request_modify("sub-9", duration=120, user_data="u2", now=NOW + 2)
    assert m.state == "modifying" and m.duration == 0
    assert m.pending is not None and m.pending["duration"] == 120 and m.pending["user_data"] == "u2"
    assert e.route(A, X, now=NOW + 2).connect
    done = e.settle("sub-9", now=NOW + 3)
    assert done is not None and (done.state, done.duration, done.user_data, done.pending) == (
        "active", 120, "u2", None)
    assert e.request_unbind("sub-9", now=NOW + 4).state == "unbinding"
    assert e.route(A, X, now=NOW + 4).connect
    assert e.settle("sub-9", now=NOW + 5) is None and len(e) == 0
    with pytest.raises(privnum.BindingNotFoundError):
        e.settle("sub-9", now=NOW + 6)


def test_unbind_and_unbind_x() -> None:
    e = axb()
    e.bind_pair(A, B, x=X, id="p1", now=NOW)
    e.bind_pair(C, D, x=X, id="p2", now=NOW)
    e.bind_pair(A, B, x=X2, id="p3", now=NOW)
    e.unbind("p1", now=NOW)
    assert e.get("p1") is None
    assert e.unbind_x(X, now=NOW) == 1
    assert [b.id for b in e.bindings()] == ["p3"]


def test_pool_choice_pressure_and_exhaustion() -> None:
    e = axb()
    for x in (X, X2):
        e.pool_add(x, "0755")
    assert e.pool() == {"0755": [privnum.parse_number(X), privnum.parse_number(X2)]}
    first = e.bind_pair(A, B, area="0755", now=NOW)
    # The pool packs pairs onto the fullest X that can take them.
    assert e.bind_pair(C, D, area="0755", now=NOW).x == first.x
    assert e.bind_pair(A, C, area="0755", now=NOW).x != first.x
    (p,) = e.pool_pressure()
    assert (p["area"], p["numbers"], p["usable"], p["bindings"]) == ("0755", 2, 2, 3)
    assert p["busiest_party_pairs"] == 2 and 0 < p["utilization"] < 1
    with pytest.raises(privnum.PoolExhaustedError) as info:
        e.bind_pair(A, D, area="0755", now=NOW)  # A is on both X already
    check_error(info.value, "POOL_EXHAUSTED")
    with pytest.raises(privnum.InvalidArgumentError) as bad_area:
        e.pool_add(X, "07a5")
    assert bad_area.value.field == "areaCode"
    e.pool_remove(X2)
    assert e.pool() == {"0755": [privnum.parse_number(X)]}


def test_bind_many() -> None:
    e = axb()
    items: list[dict[str, Any]] = [
        {"a": f"+861380000{i:04d}", "b": f"+861390000{i:04d}", "x": X, "id": f"m{i}", "duration": 60}
        for i in range(100)
    ]
    got = e.bind_many(items, now=NOW)
    assert [b.id for b in got] == [f"m{i}" for i in range(100)] and len(e) == 100
    assert got[5].expires_at == NOW + 60
    with pytest.raises(privnum.RuleViolationError) as info:
        e.bind_many([{"a": C, "b": D, "x": X}, {"a": C, "b": B, "x": X}], now=NOW)
    assert str(info.value).startswith("item 1: 1012010 ")
    assert (info.value.platform_code, info.value.field) == ("1012010", "callerNum")
    assert len(e) == 101  # the items before the refused one stay bound
    with pytest.raises(privnum.InvalidArgumentError, match='^item 0: unknown bind argument "colour"'):
        e.bind_many([{"a": A, "colour": "red"}], now=NOW)
    with pytest.raises(TypeError, match="item 0"):
        e.bind_many(["not a mapping"], now=NOW)  # type: ignore[list-item]
    pending = e.bind_many([{"a": "+8613500000001", "b": "+8613500000002"}], now=NOW, request=True)
    assert pending[0].state == "requested" and pending[0].x is None
    x_mode = privnum.Engine("x")
    both = x_mode.bind_many([{"shape": "owner", "a": A, "x": X}, {"shape": "pair", "a": C, "b": D, "x": X2}], now=NOW)
    assert [b.shape for b in both] == ["owner", "pair"]
    with pytest.raises(privnum.InvalidArgumentError, match="shape"):
        x_mode.bind_many([{"a": A, "x": X}], now=NOW)


# ---------------------------------------------------------------- execute


def test_execute_commands() -> None:
    e = axb()
    bound = e.execute(
        {
            "op": "bind",
            "now": NOW,
            "request": {"shape": "pair", "a": A, "b": privnum.parse_number(B), "x": {"given": X}, "id": "sub-1"},
        }
    )
    assert bound["id"] == "sub-1" and bound["b"] == B and bound["state"] == "active"
    assert e.get("sub-1") is not None
    assert e.execute('{"op": "len"}') == 1
    assert e.execute({"op": "get", "id": "nope"}) is None
    route = e.execute({"op": "route", "caller": A, "dialled": X, "now": NOW})
    assert route["operation"] == "connect" and route["callee"] == B
    with pytest.raises(privnum.RuleViolationError) as info:
        e.execute({"op": "bind", "now": NOW, "request": {"shape": "pair", "a": C, "b": A, "x": {"given": X}}})
    assert (info.value.platform_code, info.value.field) == ("1012010", "calleeNum")
    with pytest.raises(privnum.InvalidCommandError) as bad:
        e.execute({"op": "nope"})
    check_error(bad.value, "INVALID_COMMAND")
    assert isinstance(bad.value, ValueError)
    with pytest.raises(privnum.InvalidCommandError):
        e.execute("{not json")
    with pytest.raises(TypeError):
        e.execute({"op": "len", "when": object()})


# ---------------------------------------------------------------- durability


def test_durable_engine_survives_reopening(tmp_path: Path) -> None:
    d = tmp_path / "engine"
    e = privnum.Engine.open(d, "axb", fsync="never", id_seed=1)
    assert e.durable and e.open_report is not None
    assert e.open_report.to_dict() == {"snapshot_loaded": False, "records_replayed": 0, "bindings": 0, "torn_tail": None}
    b = e.bind_pair(A, B, x=X, duration=3600, now=NOW)
    e.request_bind_pair(C, D, now=NOW)
    e.set_x_status(X2, "bind_frozen", now=NOW)
    del e

    again = privnum.Engine.open(str(d), "axb")
    report = again.open_report
    assert report is not None
    assert (report.snapshot_loaded, report.records_replayed, report.bindings, report.torn_tail) == (False, 3, 2, None)
    assert repr(report) == "OpenReport(snapshot_loaded=False, records_replayed=3, bindings=2, torn_tail=None)"
    assert again.get(b.id) == b
    assert again.x_status(X2) == "bind_frozen"
    # Pending ids continue after the ones found.
    assert again.request_bind_pair("+8613500000001", "+8613500000002", now=NOW).id == "pending-2"
    assert again.route(A, X, now=NOW).connect
    again.compact()
    del again

    third = privnum.Engine.open(d, "axb")
    assert third.open_report is not None and third.open_report.snapshot_loaded
    assert third.open_report.records_replayed == 0 and len(third) == 3
    del third
    with pytest.raises(privnum.InvalidArgumentError):
        privnum.Engine.open(d, "ax")  # a directory of another mode
    via_config = privnum.Engine.from_config({"mode": "axb"}, path=d)
    assert via_config.durable and len(via_config) == 3


def test_unusable_directory_is_an_os_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a directory")
    with pytest.raises(OSError) as info:
        privnum.Engine.open(tmp_path / "file" / "engine", "axb")
    check_error(info.value, "JOURNAL_IO")


def test_damaged_journal_is_reported(tmp_path: Path) -> None:
    e = privnum.Engine.open(tmp_path, "axb", fsync="never")
    e.bind_pair(A, B, x=X, now=NOW)
    e.bind_pair(C, D, x=X, now=NOW)
    del e
    (journal,) = tmp_path.glob("journal.*")
    data = bytearray(journal.read_bytes())
    data[20] ^= 0xFF  # inside the first record, with a valid one after it
    journal.write_bytes(bytes(data))
    with pytest.raises(privnum.JournalCorruptError) as info:
        privnum.Engine.open(tmp_path, "axb")
    check_error(info.value, "JOURNAL_CORRUPT")


# ---------------------------------------------------------------- threads and the GIL


def test_routing_from_threads_while_binding() -> None:
    e = axb()
    base = [(f"+861380001{i:04d}", f"+861390001{i:04d}") for i in range(500)]
    e.bind_many([{"a": a, "b": b, "x": X} for a, b in base], now=NOW)
    x = privnum.parse_number(X)
    parsed = [(privnum.parse_number(a), privnum.parse_number(b)) for a, b in base]
    stop = threading.Event()

    def writer() -> int:
        n = 0
        while not stop.is_set() and n < 2000:
            e.bind_pair(f"+861370001{n:04d}", f"+861360001{n:04d}", x=X2, now=NOW)
            n += 1
        return n

    def reader(k: int) -> int:
        ok = 0
        for _ in range(20):
            for a, b in parsed[k::4]:
                r = e.route(a, x, now=NOW)
                assert r.connect and r.callee == b
                ok += 1
        return ok

    with ThreadPoolExecutor(5) as pool:
        w = pool.submit(writer)
        reads = [pool.submit(reader, k) for k in range(4)]
        total = sum(f.result() for f in reads)
        stop.set()
        written = w.result()
    assert total == 20 * len(base)
    assert len(e) == len(base) + written
    assert e.route("+8613700010000", X2, now=NOW).callee == privnum.parse_number("+8613600010000")


def releases_the_gil(call: Any) -> bool:
    """Whether another Python thread ran during ``call()`` (see
    test_api.test_parse_numbers_releases_the_gil for the method)."""
    count = 0
    running = threading.Event()
    stop = threading.Event()

    def step() -> None:
        nonlocal count
        running.set()
        while not stop.is_set():
            count += 1
            time.sleep(0.0002)

    old = sys.getswitchinterval()
    sys.setswitchinterval(60.0)
    t = threading.Thread(target=step)
    try:
        t.start()
        running.wait()
        before = count
        call()
        after = count
    finally:
        stop.set()
        t.join()
        sys.setswitchinterval(old)
    return after > before


def test_bulk_work_releases_the_gil() -> None:
    e = axb()
    xs = [f"+86170000{i:05d}" for i in range(40)]
    items = [
        {"a": f"+86138{i:08d}", "b": f"+86139{i:08d}", "x": xs[i % 40], "duration": 60 if i % 12 == 0 else 0}
        for i in range(60_000)
    ]
    assert releases_the_gil(lambda: e.bind_many(items, now=NOW))
    # 5 000 expire at once (tens of milliseconds).
    assert releases_the_gil(lambda: e.tick(NOW + 60))
    assert len(e) == 55_000


# ---------------------------------------------------------------- tests/vectors/engine.json


def subset_mismatches(want: Any, got: Any, path: str = "$") -> list[str]:
    """Objects match on the listed keys recursively, arrays element-wise with
    equal length, scalars by equality (``True`` is not ``1``)."""
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return [f"{path}: expected an object, got {got!r}"]
        out: list[str] = []
        for key, value in want.items():
            if key not in got:
                out.append(f"{path}.{key}: missing")
            else:
                out += subset_mismatches(value, got[key], f"{path}.{key}")
        return out
    if isinstance(want, list):
        if not isinstance(got, list) or len(got) != len(want):
            return [f"{path}: expected {len(want)} items, got {got!r}"]
        return [m for i, (w, g) in enumerate(zip(want, got)) for m in subset_mismatches(w, g, f"{path}[{i}]")]
    if want != got or isinstance(want, bool) != isinstance(got, bool):
        return [f"{path}: expected {want!r}, got {got!r}"]
    return []


def test_engine_vectors(engine_case: dict[str, Any]) -> None:
    """Each step through ``Engine.execute``; every failing step is reported
    with its command, what was expected and what happened."""
    engine = privnum.Engine.from_config(engine_case["config"])
    failures: list[str] = []
    for i, step in enumerate(engine_case["steps"]):
        assert set(step) <= {"cmd", "expect", "error"}, f"step {i}: unknown keys {set(step)}"
        cmd = step["cmd"]
        try:
            got = engine.execute(cmd)
            exc: privnum.PrivnumError | None = None
        except privnum.PrivnumError as e:
            got, exc = None, e
        problems: list[str] = []
        if "error" in step:
            want = step["error"]
            if exc is None:
                problems.append(f"expected error {want}, got ok {got!r}")
            else:
                if type(exc) is not error_class(want["kind"]) or exc.kind != want["kind"]:
                    problems.append(f"expected kind {want['kind']}, got {exc.kind}: {exc}")
                for attr in ("platform_code", "field"):
                    if attr in want and getattr(exc, attr) != want[attr]:
                        problems.append(f"expected {attr} {want[attr]!r}, got {getattr(exc, attr)!r} ({exc})")
        elif exc is not None:
            problems.append(
                f"unexpected {type(exc).__name__} (platform_code={exc.platform_code}, field={exc.field}): {exc}"
            )
        elif "expect" in step:
            if step["expect"] is None:
                if got is not None:
                    problems.append(f"expected null, got {got!r}")
            else:
                problems += subset_mismatches(step["expect"], got)
        if problems:
            failures.append(f"step {i}: {json.dumps(cmd)}\n    " + "\n    ".join(problems))
    assert not failures, f"{engine_case['id']}:\n" + "\n".join(failures)


def test_every_kind_named_by_the_engine_vectors_exists() -> None:
    named = {s["error"]["kind"] for c in load_cases("engine") for s in c["steps"] if "error" in s}
    assert named and named <= set(privnum.ERROR_KINDS), sorted(named - set(privnum.ERROR_KINDS))
