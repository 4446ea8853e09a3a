# mypy: disallow-any-generics, disallow-untyped-calls, disallow-untyped-defs
# mypy: disallow-incomplete-defs, check-untyped-defs, disallow-untyped-decorators
# mypy: warn-redundant-casts, warn-unused-ignores, warn-return-any, no-implicit-reexport
# mypy: strict-equality, extra-checks
"""The public API used as a typed program would use it.

CI type-checks this file against the stubs (``python -m mypy
python/tests/test_typing.py``); pytest also runs it, so every line is real."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping
from typing import Any, Literal

import pytest

import privnum
import privnum.testing

if sys.version_info >= (3, 11):
    from typing import assert_type
else:  # pragma: no cover
    from typing_extensions import assert_type

NOW = 1_714_550_400


def numbers() -> list[str]:
    n = privnum.parse_number("+86 138-0000-0021")
    assert_type(n, privnum.Number)
    assert_type(n.e164, str)
    assert_type(n.area_code, str | None)
    assert_type(n.country_code, int)
    assert_type(n.number_class, privnum.NumberClass)
    assert_type(n.is_bindable, bool)
    cls: privnum.NumberClass = n.number_class
    if cls is privnum.NumberClass.MOBILE:
        assert cls.value == "mobile"
    field = privnum.Field.from_name("axb.callerNum")
    lo, hi = field.bounds
    assert_type(lo + hi, int)
    n.check_field(field)
    n.check_field("axb.callerNum")
    privnum.check_field(privnum.Field.AXE_EXTEND_NUM, "1234")
    bits: int = n.to_bits()
    assert privnum.Number.from_bits(bits) == n

    def lines() -> Iterator[str]:
        yield "13800000021"
        yield "0755-2800-0002"

    batch = privnum.parse_numbers(lines(), default_country=86)
    assert_type(batch, list[privnum.Number])
    return [x.e164 for x in batch]


def signing() -> privnum.Verified:
    signer = privnum.Signer("appkey", "secret")
    headers = signer.sign("aksk", nonce="N1", created="2024-05-01T08:00:00Z")
    assert_type(headers, privnum.AuthHeaders)
    as_dict: dict[str, str] = headers.as_dict()
    pairs: list[tuple[str, str]] = headers.items()
    assert_type(signer.digest("wsse", "N1", "2024-05-01T08:00:00Z"), str)
    at: privnum.AuthHeaders = signer.sign(now=NOW)
    direct: dict[str, str] = signer.headers(nonce="N1", now=NOW)
    assert direct["Authorization"]
    assert at.scheme == "aksk"
    verifier = privnum.Verifier("appkey", "secret", max_age_secs=600, accept_wsse=False)
    mapping: Mapping[str, str] = as_dict
    verified = verifier.verify(mapping, now=NOW)
    verifier.forget(verified.nonce)
    verified = verifier.verify(pairs, now=NOW)
    assert_type(verified.created, int)
    assert_type(verified.wsse_raw_digest, bool)
    assert_type(verifier.remembered, int)
    created: str = privnum.format_created(privnum.unix_now())
    assert_type(privnum.parse_created(created), int)
    assert_type(privnum.generate_nonce(), str)
    return verified


def params() -> privnum.ParamsVerified:
    profile = privnum.ParamsProfile.call_control().replace(key_ampersand=False)
    assert_type(profile.method, str | None)
    query = {"callId": "abc", "timestamp": "2024-05-01T08:00:00Z", "signatureNonce": "n1"}
    signature = privnum.sign_params(query, "secret", profile=profile)
    to_sign: str = privnum.string_to_sign(list(query.items()), profile="call_control")
    assert to_sign
    encoded: str = privnum.encode_param(signature, encoding="form")
    verifier = privnum.ParamsVerifier(profile, "secret", max_age_secs=600)
    result = verifier.verify({**query, "signature": encoded}, now=NOW)
    assert_type(result.timestamp, int | None)
    assert_type(result.profile, privnum.ParamsProfile)
    return result


CDR_PUSH = (
    b'{"eventType":"fee","feeLst":[{"icid":"c1","callerNum":"+8613800000001",'
    b'"fwdAnswerTime":"2024-05-01 08:00:08","callEndTime":"2024-05-01 08:02:08",'
    b'"ulFailReason":7503,"fwdUnaswRsn":0,"ttsPlayTimes":2}]}'
)
CALLIN_PUSH = (
    '{"eventType":"callin","statusInfo":{"sessionId":"s1","caller":"+8613800000001",'
    '"called":"+8617000000010","notifyMode":"Block"}}'
)


def handle(push: privnum.Push) -> str:
    """Dispatch on the push kind, as a webhook does; each branch is narrowed."""
    if isinstance(push, privnum.CdrBatch):
        assert_type(push.records, tuple[privnum.CdrRecord, ...])
        record = push[0]
        assert_type(record, privnum.CdrRecord)
        assert_type(push[:1], tuple[privnum.CdrRecord, ...])
        assert_type(record.call_in_time, int | None)
        assert_type(record.ul_fail_reason, privnum.FailReason | None)
        assert_type(record.fwd_unasw_rsn, privnum.Q850 | None)
        assert_type(record.hung_up_by, Literal["caller", "callee", "platform"] | None)
        assert_type(record.recording, privnum.Recording | None)
        assert_type(record.caller_number(), privnum.Number | None)
        assert_type(record.field("ttsPlayTimes"), str | None)
        assert_type(record.extra, tuple[tuple[str, str], ...])
        row: dict[str, Any] = record.to_dict()
        return f"{len(push)} cdr(s), talk {record.talk_seconds}s, {row['icid']}"
    if push.kind == "call":
        assert_type(push, privnum.CallEvent)
        info: privnum.CallStatusInfo = push.info
        if push.needs_reply:
            callee = info.called_number()
            assert callee is not None
            return privnum.connect_reply(callee, max_duration_minutes=20, form="object")
        return privnum.close_reply(close_hint_tone="bye.wav")
    match push:
        case privnum.SmsEvent():
            assert_type(push.split_num, int | None)
            assert_type(push.send_result, privnum.SendResult | None)
            return privnum.sms_discard_reply(user_data="u1")
        case privnum.NumberStatusPush():
            entry = push.entries[0]
            name = entry.status.name
            assert_type(name, Literal["normal", "paused", "unavailable", "bind_frozen", "other"])
            return entry.status.name


def callbacks() -> list[str]:
    out = [handle(privnum.parse_push(CDR_PUSH)), handle(privnum.parse_push(CALLIN_PUSH))]
    inbox = privnum.Inbox(max_body_bytes=65536, dedup_window_secs=3600)
    received = inbox.receive(memoryview(CDR_PUSH), {"Content-Type": "application/json"}, now=NOW)
    assert_type(received, privnum.Received)
    assert_type(received.push, privnum.Push)
    items: tuple[privnum.InboxItem, ...] = received.items
    new: tuple[privnum.CdrRecord, ...] = received.new_records
    assert_type(received.verified, privnum.Verified | None)
    if not received.is_duplicate:
        inbox.commit(received, now=NOW)
    signed = privnum.Inbox("appkey", "secret", max_age_secs=600, accept_wsse=False)
    headers = privnum.Signer("appkey", "secret").headers(now=NOW)
    verified = signed.receive(bytearray(CDR_PUSH), headers, now=NOW).verified
    assert verified is not None
    # Storing failed: let the platform's redelivery pass the replay check.
    retry = privnum.Signer("appkey", "secret").headers(nonce="N2", now=NOW)
    signed.release(signed.receive(CDR_PUSH, list(retry.items()), now=NOW))
    signed.receive(CDR_PUSH, retry, now=NOW)
    out.append(f"{len(items)} item(s), {len(new)} new, key {items[0].key}")

    reason = privnum.FailReason(8014)
    assert_type(reason.category, Literal[
        "normal", "caller_hung_up", "callee_hung_up", "callee_unavailable", "no_binding",
        "restricted", "platform", "max_duration", "unknown",
    ])
    assert_type(reason.description, str | None)
    rc = privnum.ResultCode("1010010")
    action = rc.action(http_status=401)
    assert action == "fix_auth"
    assert_type(rc.retryable(), bool)
    status = privnum.NumberStatus.from_wire("10")
    assert_type(status, privnum.NumberStatus | None)
    cause: privnum.UnavailableCause | None = privnum.UnavailableCause.from_wire("2")
    assert cause is not None and int(cause) == 2
    out.append(privnum.sms_route_reply(privnum.parse_number("+8613800000001"), "13900000002"))
    out.append(
        privnum.call_control_reply("REJECT", control_msg="NO_SUBS_EXIST", extra={"a": "1"})
    )
    query = privnum.parse_call_control({"callNo": "13800000021", "secretNo": "17000000010"})
    assert_type(query.call_time_utc8, int | None)
    assert_type(query.caller(), privnum.Number | None)
    control = privnum.ParamsVerifier("call_control", "secret")
    try:
        privnum.receive_call_control(control, [("callNo", "13800000021")], now=NOW)
    except privnum.AuthError as e:
        assert_type(e.kind, str)
    segments = privnum.count_sms_segments("hello", ax_b_number="13900000002")
    suffix = privnum.ax_suffix("hi@13900000002")
    receiver: privnum.Number | None = suffix.receiver
    assert suffix.result in ("valid", "missing", "garbled") and receiver is not None
    assert_type(segments.encoding, Literal["gsm7", "ucs2"])
    assert_type(privnum.parse_platform_time("2024-05-01 08:00:00"), int | None)
    out.append(f"{segments.segments} segment(s)")
    return out


def engine() -> list[str]:
    e = privnum.Engine("axb", id_seed=1)
    b = e.bind_pair("13800000001", "13900000002", x="17000000010", duration=3600, now=NOW)
    assert_type(b, privnum.Binding)
    assert_type(b.state, Literal[
        "requested", "active", "modifying", "unbinding", "suspended", "unbound", "expired", "failed",
    ])
    assert_type(b.x, privnum.Number | None)
    assert_type(b.expires_at, int | None)
    row: dict[str, Any] = b.to_dict()
    caller, x = privnum.parse_numbers(["13800000001", "17000000010"])
    route = e.route(caller, x, now=NOW)
    assert_type(route, privnum.Route)
    assert_type(route.callee, privnum.Number | None)
    assert_type(route.state_code, int | None)
    reply: str = route.to_reply_json(form="array")
    try:
        e.bind_pair("13700000003", "13800000001", x=x, now=NOW)
    except privnum.RuleViolationError as err:
        assert_type(err.platform_code, str | None)
        assert_type(err.field, str | None)
    pending = e.request_bind_pair("13700000003", "13600000004", now=NOW)
    settled = e.settle(pending.id, new_id="sub-2", x="17000000011", now=NOW)
    assert_type(settled, privnum.Binding | None)
    assert_type(e.tick(NOW + 3600), int)
    events: list[privnum.Event] = e.poll_events(max=10)
    assert_type(events[0].kind, Literal[
        "requested", "bound", "failed", "modifying", "modified", "modify_failed",
        "unbinding", "unbound", "unbind_failed", "expired", "suspended", "resumed",
    ])
    pressure = e.pool_pressure()
    assert_type([p["utilization"] for p in pressure], list[float])
    many: list[privnum.Binding] = e.bind_many([{"a": "13500000001", "b": "13500000002", "x": x}], now=NOW)
    assert_type(e.execute({"op": "len"}), Any)
    report: privnum.OpenReport | None = e.open_report
    assert report is None
    return [row["state"], reply[:12], str(len(events)), str(len(many)), str(len(e))]


def errors() -> int:
    try:
        privnum.parse_number("")
    except privnum.NumberError as e:
        assert_type(e.code, int)
        assert_type(e.kind, str)
        return e.code
    raise AssertionError("unreachable")


def error_table() -> dict[str, int]:
    return {name: cls.code for name, cls in privnum.ERROR_KINDS.items()}


def client_and_emulator() -> list[str]:
    with privnum.testing.emulator() as emu:
        assert_type(emu, privnum.testing.Emulator)
        client: privnum.Client = emu.client(max_attempts=1)
        bound = client.call_op(
            "axb.bind", caller_num="13800000001", callee_num="13900000002", relation_num=emu.numbers[0]
        )
        assert_type(bound, dict[str, Any])
        report = emu.simulate_call("13800000001", emu.numbers[0], outcome="busy")
        idle: bool = emu.wait_idle(5.0)
        assert idle
        return [str(bound["relation_num"]), str(report["route"]["operation"])]


def mirror() -> list[str]:
    with privnum.testing.emulator() as emu:
        engine = privnum.Engine("axb")
        m = privnum.Mirror(emu.client(max_attempts=1), engine)
        assert_type(m.engine, privnum.Engine)
        got = m.call_op(
            "axb.bind", caller_num="13800000001", callee_num="13900000002", relation_num=emu.numbers[0]
        )
        answer: str = got["answer"]
        ids: list[str] = got["ids"]
        assert got["error"] is None
        expired: int = m.tick()
        report = m.reconcile(apply=True)
        applied = report["applied"]
        assert applied is not None
        return [answer, str(len(ids)), str(expired), str(applied["applied"])]


def test_typed_usage() -> None:
    assert client_and_emulator() == ["+8617000000010", "connect"]
    assert mirror() == ["confirmed", "1", "0", "0"]
    assert numbers() == ["+8613800000021", "+8675528000002"]
    assert signing().nonce == "N1"
    assert params().timestamp == NOW
    got = callbacks()
    assert got[0] == "1 cdr(s), talk 120s, c1"
    assert got[1].startswith('{"operation":"connect","connectInfo":{"calleeNum":"+8617000000010"')
    assert got[2] == "1 item(s), 1 new, key cdr:c1"
    assert got[-1] == "1 segment(s)"
    assert engine() == ["active", '{"operation"', "4", "1", "2"]
    assert errors() == privnum.NumberEmptyError.code
    assert error_table()["AUTH_REPLAYED"] == privnum.AuthReplayedError.code
    with pytest.raises(privnum.AuthReplayedError):
        v = privnum.Verifier("appkey", "secret")
        h = privnum.Signer("appkey", "secret").sign(now=NOW).as_dict()
        v.verify(h, now=NOW)
        v.verify(h, now=NOW)
