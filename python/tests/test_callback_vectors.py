"""Every case of the callback vector files in tests/vectors/ (pushes, inbox,
codes, replies, sms_segments, call_control), checked as the Rust runners in
core/tests/ check them, through the public Python API."""

from __future__ import annotations

import json
from typing import Any

import pytest

import privnum
from conftest import case_body, check_error, error_class, load_cases

Case = dict[str, Any]


def raises_case(case: Case) -> Any:
    """``pytest.raises`` for the case's error kind."""
    return pytest.raises(error_class(case["error"]))


def check_case_error(exc: BaseException, case: Case) -> None:
    """The exact class, ``.kind`` and ``.code``, and ``message_contains``."""
    check_error(exc, case["error"])
    if "message_contains" in case:
        assert case["message_contains"] in str(exc), f"{case['id']}: {exc!r}"


# ---------------------------------------------------------------- pushes.json


def e164(n: privnum.Number | None) -> str | None:
    return None if n is None else n.e164


def code(c: privnum.FailReason | privnum.Q850 | privnum.SendResult | None) -> int | None:
    return None if c is None else c.code


def cdr_value(r: privnum.CdrRecord, name: str) -> Any:
    """A record field or derived fact, by its vector name (core/tests/push_vectors.rs)."""
    plain = {
        "icid",
        "session_id",
        "caller_num",
        "fwd_dst_num",
        "bind_num",
        "subscription_id",
        "extend_num",
        "user_data",
        "notify_mode",
        "direction",
        "record_flag",
        "call_in_time",
        "fwd_answer_time",
        "call_end_time",
        "record_start_time",
        "answered",
        "talk_seconds",
        "ring_seconds",
        "hung_up_by",
        "key",
    }
    if name in plain:
        return getattr(r, name)
    if name == "ul_fail_reason":
        return code(r.ul_fail_reason)
    if name == "fwd_unasw_rsn":
        return code(r.fwd_unasw_rsn)
    if name == "has_failure":
        return r.failure is not None
    if name == "recording":
        return None if r.recording is None else r.recording.to_dict()
    if name == "caller_e164":
        return e164(r.caller_number())
    if name == "destination_e164":
        return e164(r.destination_number())
    pytest.fail(f"unknown CDR field {name} in vectors")


def info_value(i: privnum.CallStatusInfo, name: str) -> Any:
    plain = {
        "timestamp",
        "session_id",
        "caller",
        "called",
        "subscription_id",
        "user_data",
        "notify_mode",
        "digit_info",
        "state_desc",
        "display_caller_num",
    }
    if name in plain:
        return getattr(i, name)
    if name == "state_code":
        return code(i.state_code)
    if name == "extra_party_type":
        return i.party_type
    if name == "caller_e164":
        return e164(i.caller_number())
    pytest.fail(f"unknown statusInfo field {name} in vectors")


def sms_value(s: privnum.SmsEvent, name: str) -> Any:
    plain = {
        "app_key",
        "sms_identifier",
        "notification_mode",
        "calling",
        "called",
        "virtual_number",
        "time_stamp",
        "sms_content",
        "split_num",
        "direction",
        "needs_reply",
        "key",
    }
    if name in plain:
        return getattr(s, name)
    if name == "send_result":
        return code(s.send_result)
    pytest.fail(f"unknown SMS field {name} in vectors")


def check_fields(where: str, want: dict[str, Any], get: Any) -> None:
    for name, expected in want.items():
        assert get(name) == expected, f"{where}: {name}"


def check_push(cid: str, push: privnum.Push, e: dict[str, Any]) -> None:
    assert push.kind == e["kind"], f"{cid}: kind"
    if isinstance(push, privnum.CdrBatch):
        if "count" in e:
            assert len(push) == e["count"], f"{cid}: count"
        want = e["records"]
        assert len(want) <= len(push), f"{cid}: record count"
        for i, (r, w) in enumerate(zip(push, want)):
            rid = f"{cid}[{i}]"
            for name, expected in w.items():
                if name == "extra":
                    for field, raw in expected.items():
                        assert r.field(field) == raw, f"{rid}: extra {field}"
                else:
                    assert cdr_value(r, name) == expected, f"{rid}: {name}"
    elif isinstance(push, privnum.CallEvent):
        assert push.event == e["event"], f"{cid}: event"
        if "needs_reply" in e:
            assert push.needs_reply is e["needs_reply"], f"{cid}: needs_reply"
        if "info" in e:
            info = push.info
            check_fields(cid, e["info"], lambda n: info_value(info, n))
    elif isinstance(push, privnum.SmsEvent):
        sms = push
        check_fields(cid, e["sms"], lambda n: sms_value(sms, n))
    elif isinstance(push, privnum.NumberStatusPush):
        want = e["entries"]
        assert len(push.entries) == len(want), f"{cid}: entries"
        for got, w in zip(push.entries, want):
            assert got.number == w["number"], cid
            assert got.status.code == w["status"], cid
            assert (None if got.cause is None else got.cause.code) == w["cause"], cid
    else:
        pytest.fail(f"{cid}: unexpected push kind {push!r}")


def test_pushes(pushes_case: Case) -> None:
    case = pushes_case
    body = case_body(case)
    if "error" in case:
        with raises_case(case) as info:
            privnum.parse_push(body)
        check_case_error(info.value, case)
        return
    check_push(case["id"], privnum.parse_push(body), case["expect"])


def test_pushes_file() -> None:
    assert len(load_cases("pushes")) >= 40


# ---------------------------------------------------------------- inbox.json


def make_inbox(case: Case) -> privnum.Inbox:
    c = case["config"]
    options: dict[str, Any] = {
        k: c[k] for k in ("max_body_bytes", "dedup_window_secs", "dedup_capacity") if k in c
    }
    # The verifier's freshness window is 600 s in these vectors unless set.
    options["max_age_secs"] = c.get("max_age_secs", 600)
    if "app_key" in case and "app_secret" in case:
        return privnum.Inbox(case["app_key"], case["app_secret"], **options)
    return privnum.Inbox(**options)


def test_inbox(inbox_case: Case) -> None:
    case = inbox_case
    inbox = make_inbox(case)
    for i, step in enumerate(case["steps"]):
        sid = f"{case['id']}#{i}"
        headers = [(name, value) for name, value in step.get("headers", [])]
        body = case_body(step)
        if "error" in step:
            with raises_case(step) as info:
                inbox.receive(body, headers, now=step["now"])
            check_case_error(info.value, step)
            continue
        r = inbox.receive(body, headers, now=step["now"])
        e = step["expect"]
        assert [item.duplicate for item in r.items] == e["duplicates"], f"{sid}: duplicates"
        assert r.is_duplicate is e["is_duplicate"], sid
        assert (r.verified is not None) is e["verified"], sid
        if step.get("commit", False):
            inbox.commit(r, now=step["now"])


# ---------------------------------------------------------------- codes.json

FAIL_CATEGORIES = {
    "normal",
    "caller_hung_up",
    "callee_hung_up",
    "callee_unavailable",
    "no_binding",
    "restricted",
    "platform",
    "max_duration",
    "unknown",
}
ACTIONS = {
    "success",
    "retry",
    "back_off",
    "fix_input",
    "fix_auth",
    "fix_clock",
    "conflict",
    "not_found",
    "exhausted",
    "forbidden",
    "unknown",
}
PARTIES = {"caller", "callee", "platform"}
TABLES = {"fail_reason", "q850", "result_code", "number_status", "unavailable_cause", "send_result"}


def run_code_case(case: Case) -> dict[str, Any]:
    """Check one case; return the names it produced (for the coverage test)."""
    cid, e, table = case["id"], case["expect"], case["table"]
    seen: dict[str, Any] = {"table": table}
    if table == "fail_reason":
        assert isinstance(case["code"], int), f"{cid}: code must be an integer"
        r = privnum.FailReason(case["code"])
        assert r.code == case["code"] == int(r), cid
        assert (r.description is not None) is e["known"], cid
        assert r.is_known is e["known"], cid
        assert r.category == e["category"], cid
        assert r.hung_up_by == e["hung_up_by"], cid
        assert r.is_normal is e["normal"], cid
        # str() (the core's Display) always starts with the code.
        assert str(r).startswith(str(r.code)), cid
        seen["category"] = r.category
        seen["party"] = r.hung_up_by
    elif table == "q850":
        q = privnum.Q850(case["code"])
        assert (q.description is not None) is e["known"], cid
        assert q.is_known is e["known"], cid
        assert q.is_normal is e["normal"], cid
    elif table == "result_code":
        assert isinstance(case["code"], str), f"{cid}: result code must be a string"
        h = case.get("http_status")
        rc = privnum.ResultCode(case["code"])
        assert rc.code == case["code"], cid
        assert (rc.description is not None) is e["known"], cid
        assert rc.is_known is e["known"], cid
        assert (rc.describe(h) is not None) is e["known"], cid
        assert rc.is_success is e["success"], cid
        assert rc.action(h) == e["action"], cid
        assert rc.retryable(h) is e["retryable"], cid
        if "max_retries" in e:
            assert rc.max_retries(h) == e["max_retries"], cid
        seen["action"] = rc.action(h)
    elif table == "number_status":
        st = privnum.NumberStatus.from_wire(case["code"])
        assert (None if st is None else st.name) == e["status"], cid
        if st is not None:
            assert (st.description is not None) is e["known"], cid
            assert st.binding_usable is e["binding_usable"], cid
            assert st.new_bindings_allowed is e["new_bindings_allowed"], cid
            assert str(st.code) == case["code"], cid
            assert privnum.NumberStatus(st.code) == st, cid
    elif table == "unavailable_cause":
        c = privnum.UnavailableCause.from_wire(case["code"])
        assert (None if c is None else c.name) == e["cause"], cid
        if c is not None:
            assert (c.description is not None) is e["known"], cid
            assert str(c.code) == case["code"], cid
            assert privnum.UnavailableCause(c.code) == c, cid
    elif table == "send_result":
        s = privnum.SendResult(case["code"])
        assert (s.description is not None) is e["known"], cid
        assert s.is_success is e["success"], cid
    else:
        pytest.fail(f"{cid}: unknown table {table}")
    return seen


def test_codes(codes_case: Case) -> None:
    run_code_case(codes_case)


def test_codes_cover_every_name() -> None:
    """As the Rust runner: every table, category, action and party has a vector."""
    cases = load_cases("codes")
    assert len(cases) >= 40
    seen = [run_code_case(c) for c in cases]
    assert {s["table"] for s in seen} == TABLES
    assert {s["category"] for s in seen if "category" in s} == FAIL_CATEGORIES
    assert {s["action"] for s in seen if "action" in s} == ACTIONS
    assert {s["party"] for s in seen if s.get("party")} == PARTIES


# ---------------------------------------------------------------- replies.json

REPLY_INPUTS = {
    "connect": {
        "callee",
        "display",
        "max_duration",
        "wait_voice",
        "record",
        "record_hint_tone",
        "last_min_voice",
        "user_data",
        "form",
    },
    "close": {"close_hint_tone", "user_data", "form"},
    "sms_route": {"calling", "called", "user_data"},
    "sms_discard": {"user_data"},
    "call_control": {"operate", "message", "control_msg", "subs_id", "call_no_play_code", "extra"},
}


def build_reply(case: Case, as_numbers: bool) -> str:
    """The case's reply; numbers passed as typed text, or parsed first when
    ``as_numbers`` (both are accepted and must agree)."""
    kind = case["kind"]

    def num(key: str) -> privnum.Number | str:
        return privnum.parse_number(case[key]) if as_numbers else case[key]

    opts = {k: case[k] for k in REPLY_INPUTS[kind] if k in case}
    if kind == "connect":
        opts.pop("callee")
        if "display" in opts:
            opts["display"] = num("display")
        if "max_duration" in opts:
            opts["max_duration_minutes"] = opts.pop("max_duration")
        return privnum.connect_reply(num("callee"), **opts)
    if kind == "close":
        return privnum.close_reply(**opts)
    if kind == "sms_route":
        del opts["calling"], opts["called"]
        return privnum.sms_route_reply(num("calling"), num("called"), **opts)
    if kind == "sms_discard":
        return privnum.sms_discard_reply(**opts)
    if kind == "call_control":
        operate = opts.pop("operate")
        if "extra" in opts:
            assert all(len(p) == 2 for p in opts["extra"]), f"{case['id']}: extra is [name, value]"
            opts["extra"] = [(name, value) for name, value in opts["extra"]]
        return privnum.call_control_reply(operate, **opts)
    pytest.fail(f"{case['id']}: unknown kind {kind}")


def test_replies(replies_case: Case) -> None:
    case = replies_case
    cid, kind = case["id"], case["kind"]
    # No unknown (mistyped) inputs.
    for key in case:
        assert key in {"id", "kind", "expect", "error"} | REPLY_INPUTS[kind], f"{cid}: unknown key {key}"
    assert ("expect" in case) != ("error" in case), f"{cid}: exactly one of expect and error"
    for as_numbers in (False, True):
        if "error" in case:
            assert case["error"] in {"REPLY_INVALID", "FIELD_OUT_OF_BOUNDS"}, cid
            with raises_case(case) as info:
                build_reply(case, as_numbers)
            check_case_error(info.value, case)
            continue
        got = build_reply(case, as_numbers)
        want = case["expect"]["json"]
        assert got == want, cid
        # Valid JSON that means what the expected text means.
        parsed = json.loads(got)
        assert parsed == json.loads(want), cid
        assert isinstance(parsed, dict), cid


def test_replies_cover_every_kind_and_error() -> None:
    cases = load_cases("replies")
    assert len(cases) >= 25
    assert {c["kind"] for c in cases} == set(REPLY_INPUTS)
    assert {c["error"] for c in cases if "error" in c} == {"REPLY_INVALID", "FIELD_OUT_OF_BOUNDS"}


# ---------------------------------------------------------------- sms_segments.json


def segment_text(case: Case) -> str:
    """``text``, or ``text_repeat``: one ``{unit, count}`` or a list of them."""
    assert ("text" in case) != ("text_repeat" in case), f"{case['id']}: text or text_repeat"
    if "text" in case:
        text: str = case["text"]
        return text
    parts = case["text_repeat"]
    if isinstance(parts, dict):
        parts = [parts]
    return "".join(p["unit"] * p["count"] for p in parts)


def test_sms_segments(sms_segments_case: Case) -> None:
    case = sms_segments_case
    text = segment_text(case)
    if "ax_b_number" in case:
        got = privnum.count_sms_segments(text, ax_b_number=case["ax_b_number"])
        # The AX count is the count of the text with the suffix.
        b = privnum.parse_number(case["ax_b_number"])
        assert got == privnum.count_sms_segments(f"{text}@{b.e164}"), f"{case['id']}: suffix"
        assert got == privnum.count_sms_segments(text, ax_b_number=b)
    else:
        got = privnum.count_sms_segments(text)
    assert got.to_dict() == case["expect"], case["id"]
    assert (got.encoding, got.segments, got.units, got.per_segment, got.remaining) == tuple(
        case["expect"][k] for k in ("encoding", "segments", "units", "per_segment", "remaining")
    )


def test_sms_segments_file() -> None:
    cases = load_cases("sms_segments")
    assert len(cases) >= 25
    assert any("ax_b_number" in c for c in cases), "no AX cases"


# ---------------------------------------------------------------- call_control.json


def test_call_control(call_control_case: Case) -> None:
    case = call_control_case
    verifier = privnum.ParamsVerifier(
        "call_control", case["secret"], max_age_secs=900, max_future_secs=300, replay_capacity=100
    )
    for i, step in enumerate(case["steps"]):
        sid = f"{case['id']}#{i}"
        params = [(name, value) for name, value in step["params"]]
        if "error" in step:
            with raises_case(step) as info:
                privnum.receive_call_control(verifier, params, now=step["now"])
            check_case_error(info.value, step)
            continue
        q, verified = privnum.receive_call_control(verifier, params, now=step["now"])
        e = step["expect"]
        assert q.call_no == e["call_no"], sid
        assert q.secret_no == e["secret_no"], sid
        assert q.record_type == e["record_type"], sid
        assert q.call_time == e["call_time"], sid
        assert q.call_id == e["call_id"], sid
        assert q.extension == e["extension"], sid
        assert q.call_time_utc8 == e["call_time_utc8"], sid
        assert e164(q.caller()) == e["caller_e164"], sid
        assert e164(q.x()) == e["x_e164"], sid
        assert isinstance(verified, privnum.ParamsVerified), sid
        # Without the signature check, the same parameters read the same.
        assert privnum.parse_call_control(params) == q, sid


# ---------------------------------------------------------------- ax_suffix.json


def test_ax_suffix(ax_suffix_case: Case) -> None:
    case = ax_suffix_case
    e = case["expect"]
    got = privnum.ax_suffix(case["text"])
    assert got.result == e["result"], case["id"]
    if e["result"] == "valid":
        assert got.receiver is not None and got.receiver.e164 == e["receiver_e164"], case["id"]
        assert got.text == e["text"], case["id"]
        assert got.suffix is None
        assert "****" in repr(got) and e["receiver_e164"] not in repr(got)
    elif e["result"] == "garbled":
        assert got.suffix == e["suffix"], case["id"]
        assert got.receiver is None and got.text is None
    else:
        assert got.receiver is None and got.text is None and got.suffix is None
