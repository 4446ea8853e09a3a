"""The callbacks API beyond the vectors: body types, masked reprs, to_dict,
value semantics, the Inbox's signature and release paths, codes, replies,
segments and the GIL."""

from __future__ import annotations

import array
import inspect
import json
import pickle
import re
import sys
import threading
import time
from typing import Any

import pytest

import privnum
from conftest import case_body, check_error, load_cases

NOW = 1_714_550_400  # 2024-05-01T08:00:00Z
KEY, SECRET = "pushkey", "pushsecret-do-not-log"


def cdr(i: int = 0, **fields: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "direction": 1,
        "icid": f"icid-{i}",
        "bindNum": "+8617000000010",
        "sessionId": f"1200_{i}_4294967295_20240501080000@callenabler246.huaweicaas.com",
        "callerNum": f"+86138000000{i % 100:02d}",
        "calleeNum": "+8617000000010",
        "fwdDstNum": f"+86139000000{i % 100:02d}",
        "callInTime": "2024-05-01 08:00:00",
        "fwdAlertingTime": "2024-05-01 08:00:03",
        "fwdAnswerTime": "2024-05-01 08:00:08",
        "callEndTime": "2024-05-01 08:02:08",
        "ulFailReason": 0,
        "fwdUnaswRsn": 0,
        "recordFlag": 0,
    }
    record.update(fields)
    return record


def cdr_body(*records: dict[str, Any]) -> bytes:
    return json.dumps({"eventType": "fee", "feeLst": list(records)}).encode()


CALLIN = json.dumps(
    {
        "eventType": "callin",
        "statusInfo": {
            "timestamp": "2024-05-01 08:00:00",
            "sessionId": "s-1",
            "caller": "+8613800000001",
            "called": "+8617000000010",
            "notifyMode": "Block",
        },
    }
).encode()


def parse_cdrs(body: bytes) -> privnum.CdrBatch:
    push = privnum.parse_push(body)
    assert isinstance(push, privnum.CdrBatch)
    return push


def first_record(body: bytes) -> privnum.CdrRecord:
    return parse_cdrs(body)[0]


def ok_cases(name: str = "pushes") -> list[dict[str, Any]]:
    return [c for c in load_cases(name) if "error" not in c]


# ---------------------------------------------------------------- bodies


BODY_FORMS: dict[str, Any] = {
    "bytes": bytes,
    "bytearray": bytearray,
    "memoryview": memoryview,
    "memoryview-of-bytearray": lambda b: memoryview(bytearray(b)),
    "memoryview-of-array": lambda b: memoryview(array.array("B", b)),
    "memoryview-slice": lambda b: memoryview(b"xx" + b + b"yy")[2:-2],
    "str": lambda b: b.decode("utf-8"),
}


@pytest.mark.parametrize("form", list(BODY_FORMS))
def test_body_forms_parse_alike(form: str) -> None:
    body = cdr_body(cdr(0), cdr(1, userData="a\"b\\cé"))
    expected = privnum.parse_push(body)
    got = privnum.parse_push(BODY_FORMS[form](body))
    assert got == expected
    assert isinstance(got, privnum.CdrBatch)
    assert got[1].user_data == 'a"b\\cé'
    inbox = privnum.Inbox()
    assert inbox.receive(BODY_FORMS[form](body), now=NOW).push == expected


def test_body_types_refused() -> None:
    for bad in (None, 42, ["{}"], {"eventType": "fee"}, array.array("B", b"{}")):
        with pytest.raises(TypeError, match="body must be bytes, bytearray, memoryview or str"):
            privnum.parse_push(bad)  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            privnum.Inbox().receive(bad, now=NOW)  # type: ignore[arg-type]
    with pytest.raises(UnicodeEncodeError):
        privnum.parse_push('{"eventType":"\udc80"}')


def test_not_utf8_is_invalid_json() -> None:
    with pytest.raises(privnum.PushInvalidJsonError, match="UTF-8") as info:
        privnum.parse_push(b'{"eventType":"\xff"}')
    check_error(info.value, "PUSH_INVALID_JSON")
    assert isinstance(info.value, privnum.PushError) and isinstance(info.value, ValueError)


# ---------------------------------------------------------------- masking

NUMBER_FIELDS = {
    "caller_num",
    "callee_num",
    "fwd_display_num",
    "fwd_dst_num",
    "bind_num",
    "caller",
    "called",
    "display_caller_num",
    "calling",
    "virtual_number",
    "number",
}
#: Free text that may carry a number (an AX SMS ends with "@<B>").
TEXT_FIELDS = {"sms_content", "user_data", "state_desc"}


def secrets_of(value: Any, key: str = "") -> set[str]:
    """The full numbers in a to_dict() tree: each number field's text, its
    digits and its national significant number, and numbers inside free text."""
    found: set[str] = set()
    if isinstance(value, dict):
        for k, v in value.items():
            found |= secrets_of(v, k)
    elif isinstance(value, list):
        for v in value:
            found |= secrets_of(v, key)
    elif isinstance(value, str):
        candidates = []
        if key in NUMBER_FIELDS:
            candidates.append(value)
        if key in TEXT_FIELDS:
            candidates += re.findall(r"\+?\d[\d -]{6,}\d", value)
        for c in candidates:
            digits = re.sub(r"\D", "", c)
            if len(digits) < 7:
                continue
            found |= {c, digits}
            try:
                found.add(privnum.parse_number(c).national_significant)
            except privnum.NumberError:
                pass
    return found


def reprs_of(push: privnum.Push) -> list[str]:
    """repr() and str() of the push and of every object reachable from it."""
    objects: list[object] = [push]
    if isinstance(push, privnum.CdrBatch):
        objects += push.records
        objects += [r.recording for r in push if r.recording is not None]
        objects += [r.caller_number() for r in push] + [r.destination_number() for r in push]
    elif isinstance(push, privnum.CallEvent):
        objects += [push.info, push.info.caller_number(), push.info.called_number()]
    elif isinstance(push, privnum.NumberStatusPush):
        objects += push.entries
    out = []
    for o in objects:
        out += [repr(o), str(o)]
    return out


@pytest.mark.parametrize("case", ok_cases(), ids=lambda c: c["id"])
def test_reprs_never_show_a_full_number(case: dict[str, Any]) -> None:
    push = privnum.parse_push(case_body(case))
    secrets = secrets_of(push.to_dict())
    received = privnum.Inbox().receive(case_body(case), now=NOW)
    texts = reprs_of(push) + [repr(received), repr(received.items), repr(received.new_records)]
    for text in texts:
        for secret in secrets:
            assert secret not in text, f"{secret!r} in {text!r}"


def test_masked_forms() -> None:
    body = cdr_body(
        cdr(1, callerNum="anonymous", fwdDstNum="+86139000000", bindNum="0755-2800-0002")
    )
    r = first_record(body)
    text = repr(r)
    assert "caller_num='anonymous'" in text  # no digits: nothing to hide
    assert "fwd_dst_num='+***********'" in text  # not a number: every digit masked
    assert "bind_num='+86755****0002'" in text  # a number: the core's masked form
    assert r.fwd_dst_num == "+86139000000"  # the value itself is as sent
    sms = privnum.parse_push(
        b'{"appKey":"k","smsEvent":{"smsIdentifier":"s","calling":"+8613800000001",'
        b'"smsContent":"call me on 13900000002","userData":"13900000003"}}'
    )
    assert "1390000000" not in repr(sms)
    assert "calling='+86138****0001'" in repr(sms)


# ---------------------------------------------------------------- to_dict


@pytest.mark.parametrize("case", ok_cases(), ids=lambda c: c["id"])
def test_to_dict_is_json_and_matches_attributes(case: dict[str, Any]) -> None:
    push = privnum.parse_push(case_body(case))
    d = push.to_dict()
    assert json.loads(json.dumps(d)) == d
    assert d["kind"] == push.kind
    if isinstance(push, privnum.CdrBatch):
        assert len(d["records"]) == len(push)
        for r, rd in zip(push, d["records"]):
            assert rd == r.to_dict()
            for name, value in rd.items():
                attr = getattr(r, name)
                if name == "extra":
                    assert [list(p) for p in attr] == value
                elif isinstance(attr, (privnum.FailReason, privnum.Q850)):
                    assert attr.code == value
                else:
                    assert attr == value, name
    elif isinstance(push, privnum.CallEvent):
        assert d["event"] == push.event
        for name, value in d["info"].items():
            attr = getattr(push.info, name)
            assert (attr.code if isinstance(attr, privnum.FailReason) else attr) == value, name
    elif isinstance(push, privnum.SmsEvent):
        for name, value in d.items():
            if name == "kind":
                continue
            attr = getattr(push, name)
            if name == "ext_paras":
                assert [list(p) for p in attr] == value
            elif isinstance(attr, privnum.SendResult):
                assert attr.code == value
            else:
                assert attr == value, name
    else:
        assert isinstance(push, privnum.NumberStatusPush)
        for e, ed in zip(push, d["entries"]):
            assert ed == {
                "number": e.number,
                "status": e.status.code,
                "cause": None if e.cause is None else e.cause.code,
            }


def test_cdr_to_dict_has_every_attribute() -> None:
    r = first_record(cdr_body(cdr(0)))
    derived = {
        "answered",
        "ring_seconds",
        "talk_seconds",
        "hung_up_by",
        "failure",
        "recording",
        "key",
    }
    methods = {"caller_number", "destination_number", "field", "to_dict"}
    attributes = {n for n in dir(r) if not n.startswith("_")} - derived - methods
    assert set(r.to_dict()) == attributes


# ---------------------------------------------------------------- push objects


def test_cdr_batch_is_a_sequence() -> None:
    batch = parse_cdrs(cdr_body(*(cdr(i) for i in range(5))))
    assert batch.kind == "cdrs" == privnum.CdrBatch.kind
    assert len(batch) == 5
    assert [r.icid for r in batch] == [f"icid-{i}" for i in range(5)]
    assert batch[-1].icid == "icid-4"
    assert batch[1:3] == batch.records[1:3]
    assert batch.records is batch.records  # the same tuple each time
    assert batch[0] is batch.records[0]
    with pytest.raises(IndexError):
        batch[5]
    assert list(reversed(batch.records)) == list(batch)[::-1]
    assert repr(batch).startswith("CdrBatch(records=[CdrRecord(key='icid-0', ")


def test_push_objects_are_frozen_values() -> None:
    body = cdr_body(cdr(0))
    a, b = parse_cdrs(body), parse_cdrs(body)
    assert a == b and a is not b
    assert a[0] == b[0]
    assert a != privnum.parse_push(cdr_body(cdr(1)))
    assert a != privnum.parse_push(cdr_body(cdr(0, ttsPlayTimes=2)))  # extra fields count
    with pytest.raises(TypeError):
        hash(a)
    with pytest.raises(TypeError):
        hash(a[0])
    with pytest.raises(AttributeError):
        a[0].icid = "x"  # type: ignore[misc]
    for cls in (
        privnum.CdrBatch,
        privnum.CdrRecord,
        privnum.CallEvent,
        privnum.CallStatusInfo,
        privnum.SmsEvent,
        privnum.NumberStatusPush,
        privnum.NumberStatusEntry,
        privnum.Received,
        privnum.InboxItem,
        privnum.Recording,
    ):
        with pytest.raises(TypeError):
            cls()
    with pytest.raises(TypeError):
        pickle.dumps(a)


def test_cdr_record_facts() -> None:
    r = first_record(
        cdr_body(
            cdr(
                7,
                ulFailReason=7503,
                recordFlag=1,
                recordObjectName="rec-7.wav",
                recordDomain="ostor.huawei.com",
                ttsPlayTimes=2,
                mptyId="m-1",
            )
        )
    )
    assert (r.answered, r.ring_seconds, r.talk_seconds) == (True, 5, 120)
    assert r.hung_up_by == "callee"
    assert r.failure == "7503 (callee hung up)" == str(r.ul_fail_reason)
    assert r.ul_fail_reason == privnum.FailReason(7503)
    assert r.recording is not None
    assert (r.recording.file_name, r.recording.record_domain) == ("rec-7.wav", "ostor.huawei.com")
    same_file = cdr(8, recordFlag=1, recordObjectName="rec-7.wav", recordDomain="ostor.huawei.com")
    assert r.recording == first_record(cdr_body(same_file)).recording
    assert repr(r.recording) == "Recording(file_name='rec-7.wav', record_domain='ostor.huawei.com')"
    assert r.key == "icid-7"
    caller = r.caller_number()
    assert isinstance(caller, privnum.Number) and caller.e164 == "+8613800000007"
    assert r.extra == (("ttsPlayTimes", "2"), ("mptyId", '"m-1"'))
    assert r.field("ttsPlayTimes") == "2" and r.field("mptyId") == '"m-1"'
    assert r.field("icid") is None  # modelled fields are attributes, not extras
    assert r.field("nope") is None


def test_call_event() -> None:
    ev = privnum.parse_push(CALLIN)
    assert isinstance(ev, privnum.CallEvent)
    assert (ev.kind, ev.event, ev.needs_reply) == ("call", "callin", True)
    assert ev.info is ev.info
    assert ev.info.timestamp == NOW
    assert ev.info.caller_number() == privnum.parse_number("+8613800000001")
    assert ev.info.state_code is None and ev.info.party_type is None
    assert repr(ev) == (
        "CallEvent(event='callin', info=CallStatusInfo(timestamp=1714550400, session_id='s-1', "
        "caller='+86138****0001', called='+86170****0010', notify_mode='Block', state_code=None))"
    )
    notify = privnum.parse_push(CALLIN.replace(b"Block", b"Notify"))
    assert isinstance(notify, privnum.CallEvent) and not notify.needs_reply
    assert notify != ev


def test_sms_event() -> None:
    case = next(c for c in load_cases("pushes") if c["id"] == "sms-block")
    sms = privnum.parse_push(case_body(case))
    assert isinstance(sms, privnum.SmsEvent)
    assert sms.ext_paras == (("splitNum", "2"), ("direction", "1"))
    assert (sms.split_num, sms.direction, sms.needs_reply) == (2, 1, True)
    assert sms.send_result is None
    assert repr(sms).startswith("SmsEvent(sms_identifier='sms-0001', notification_mode='Block', ")


def test_number_status_push() -> None:
    case = next(c for c in load_cases("pushes") if c["id"] == "number-status")
    push = privnum.parse_push(case_body(case))
    assert isinstance(push, privnum.NumberStatusPush)
    assert len(push) == 2 and push[0] is push.entries[0]
    first = push[0]
    assert first.status == privnum.NumberStatus(10) and first.status.name == "unavailable"
    assert first.cause == privnum.UnavailableCause(2) and first.cause.name == "arrears"
    assert not first.status.binding_usable
    assert repr(first) == (
        "NumberStatusEntry(number='+86170****0010', status=NumberStatus(10), "
        "cause=UnavailableCause(2))"
    )


def test_kind_narrowing_and_dispatch() -> None:
    kinds: dict[str, type] = {}
    for case in ok_cases():
        push = privnum.parse_push(case_body(case))
        match push:
            case privnum.CdrBatch():
                kinds[push.kind] = type(push)
            case privnum.CallEvent() | privnum.SmsEvent() | privnum.NumberStatusPush():
                kinds[push.kind] = type(push)
    assert kinds == {
        "cdrs": privnum.CdrBatch,
        "call": privnum.CallEvent,
        "sms": privnum.SmsEvent,
        "number_status": privnum.NumberStatusPush,
    }


def test_parse_platform_time() -> None:
    assert privnum.parse_platform_time("2024-05-01 08:00:00") == NOW
    assert privnum.parse_platform_time("2024-05-01T08:00:00.123Z") == NOW
    assert privnum.parse_platform_time("") is None
    with pytest.raises(privnum.PrivnumError):
        privnum.parse_platform_time("yesterday")


def test_parse_push_releases_the_gil() -> None:
    """As test_parse_numbers_releases_the_gil: another thread runs only if
    the call releases the GIL itself."""
    padding = "x" * 20_000
    body = cdr_body(*(cdr(i, pad=padding) for i in range(50)))  # about 1 MB
    count = 0
    running = threading.Event()
    stop = threading.Event()

    def step() -> None:
        nonlocal count
        running.set()
        while not stop.is_set():
            count += 1
            time.sleep(0.0002)

    old_interval = sys.getswitchinterval()
    sys.setswitchinterval(60.0)
    t = threading.Thread(target=step)
    try:
        t.start()
        running.wait()
        before = count
        pushes = [parse_cdrs(body) for _ in range(20)]
        after = count
    finally:
        stop.set()
        t.join()
        sys.setswitchinterval(old_interval)
    assert all(len(p) == 50 for p in pushes)
    assert after > before, "no other Python thread ran while parse_push parsed"


# ---------------------------------------------------------------- Inbox


def test_inbox_signature_round_trip() -> None:
    signer = privnum.Signer(KEY, SECRET)
    inbox = privnum.Inbox(KEY, SECRET)
    body = cdr_body(cdr(0), cdr(1))
    r = inbox.receive(body, signer.headers(now=NOW), now=NOW)
    assert r.verified is not None and r.verified.scheme == "aksk" and r.verified.created == NOW
    assert [i.key for i in r.items] == ["cdr:icid-0", "cdr:icid-1"]
    assert isinstance(r.push, privnum.CdrBatch)
    assert r.new_records == r.push.records
    assert r.new_records[0] is r.push[0]
    assert inbox.remembered == 0
    inbox.commit(r, now=NOW)
    assert inbox.remembered == 2

    # A redelivery (fresh nonce) is a duplicate; one more record is new.
    wsse = signer.headers("wsse", now=NOW + 60)
    again = inbox.receive(cdr_body(cdr(1), cdr(2)), wsse, now=NOW + 60)
    assert [i.duplicate for i in again.items] == [True, False]
    assert not again.is_duplicate
    assert [x.icid for x in again.new_records] == ["icid-2"]
    assert again.verified is not None and again.verified.scheme == "wsse"

    # A forged signature, a replay, a stale request, missing headers.
    forged = privnum.Signer(KEY, "not-the-secret").headers(now=NOW)
    with pytest.raises(privnum.AuthBadDigestError) as info:
        inbox.receive(body, forged, now=NOW)
    check_error(info.value, "AUTH_BAD_DIGEST")
    h = signer.headers(nonce="N1", now=NOW)
    inbox.receive(body, h, now=NOW)
    with pytest.raises(privnum.AuthReplayedError):
        inbox.receive(body, h, now=NOW)
    with pytest.raises(privnum.AuthStaleError):
        inbox.receive(body, signer.headers(now=NOW), now=NOW + 86_400)
    with pytest.raises(privnum.AuthMissingError):
        inbox.receive(body, now=NOW)
    with pytest.raises(privnum.AuthMissingError):
        inbox.receive(body, {}, now=NOW)


def test_inbox_release_lets_the_redelivery_in() -> None:
    signer = privnum.Signer(KEY, SECRET)
    inbox = privnum.Inbox(KEY, SECRET)
    h = signer.headers(nonce="R1", now=NOW)
    r = inbox.receive(cdr_body(cdr(0)), h, now=NOW)
    inbox.release(r)  # storing failed: answer 500 so the platform redelivers
    again = inbox.receive(cdr_body(cdr(0)), h, now=NOW + 60)
    assert not again.is_duplicate
    inbox.commit(again, now=NOW + 60)
    with pytest.raises(privnum.AuthReplayedError):
        inbox.receive(cdr_body(cdr(0)), h, now=NOW + 120)
    # Release on an unsigned inbox does nothing and does not fail.
    plain = privnum.Inbox()
    plain.release(plain.receive(CALLIN, now=NOW))


def test_inbox_accepts_web_framework_headers() -> None:
    flask = pytest.importorskip("flask")
    h = privnum.Signer(KEY, SECRET).headers(now=NOW)
    app = flask.Flask(__name__)
    with app.test_request_context("/push", method="POST", headers=h, data=CALLIN):
        r = privnum.Inbox(KEY, SECRET).receive(
            flask.request.get_data(), flask.request.headers, now=NOW
        )
    assert isinstance(r.push, privnum.CallEvent) and r.verified is not None


def test_inbox_items_and_kinds() -> None:
    inbox = privnum.Inbox()
    call = inbox.receive(CALLIN, now=NOW)
    (item,) = call.items
    assert (item.key, item.duplicate) == ("call:s-1:callin", False)
    assert repr(item) == "InboxItem(key='call:s-1:callin', duplicate=False)"
    assert item == call.items[0] and hash(item) == hash(call.items[0])
    assert call.new_records == ()
    assert repr(call) == "Received(kind='call', items=1, new=1, is_duplicate=False, verified=False)"
    status = next(c for c in load_cases("pushes") if c["id"] == "number-status")
    s = inbox.receive(case_body(status), now=NOW)
    assert [(i.key, i.duplicate) for i in s.items] == [(None, False)]
    inbox.commit(s, now=NOW)
    assert not inbox.receive(case_body(status), now=NOW).is_duplicate


def test_inbox_errors_and_limits() -> None:
    inbox = privnum.Inbox(max_body_bytes=100)
    with pytest.raises(privnum.PushTooLargeError, match="at most 100"):
        inbox.receive(cdr_body(cdr(0)), now=NOW)
    with pytest.raises(privnum.PushInvalidJsonError):
        inbox.receive(b"nope", now=NOW)
    with pytest.raises(TypeError, match="both app_key and app_secret"):
        privnum.Inbox(KEY)
    with pytest.raises(TypeError, match="both app_key and app_secret"):
        privnum.Inbox(app_secret=SECRET)
    with pytest.raises(privnum.InvalidAppSecretError):
        privnum.Inbox(KEY, "")
    with pytest.raises(TypeError, match="decode bytes first"):
        privnum.Inbox().receive(CALLIN, [(b"X-AKSK", b"x")], now=NOW)  # type: ignore[list-item]
    # now=None reads the clock.
    fresh = privnum.Signer(KEY, SECRET).headers()
    r = privnum.Inbox(KEY, SECRET).receive(CALLIN, fresh)
    assert r.verified is not None and abs(r.verified.created - privnum.unix_now()) <= 5
    privnum.Inbox().commit(r)


def test_inbox_repr_hides_secret_and_shows_defaults() -> None:
    inbox = privnum.Inbox(KEY, SECRET)
    assert SECRET not in repr(inbox) + str(inbox)
    assert inbox.app_key == KEY and privnum.Inbox().app_key is None
    params = inspect.signature(privnum.Inbox).parameters
    names = ("max_age_secs", "max_future_secs", "replay_capacity", "accept_wsse")
    for name in names + ("max_body_bytes", "dedup_window_secs", "dedup_capacity"):
        assert params[name].kind is inspect.Parameter.KEYWORD_ONLY
        assert f"{name}={params[name].default!r}" in repr(inbox), name
    assert repr(privnum.Inbox()) == (
        "Inbox(app_key=None, max_body_bytes=1048576, dedup_window_secs=21600, "
        "dedup_capacity=200000)"
    )
    with pytest.raises(TypeError):
        pickle.dumps(inbox)


# ---------------------------------------------------------------- codes


def test_code_values() -> None:
    r = privnum.FailReason(8014)
    assert (r.code, int(r), r.category, r.is_normal) == (8014, 8014, "no_binding", False)
    assert r.hung_up_by is None
    assert repr(r) == "FailReason(8014)" and str(r).startswith("8014 (")
    assert r == privnum.FailReason(8014) and r != privnum.FailReason(8015) and r != 8014
    assert len({r, privnum.FailReason(8014), privnum.FailReason(0)}) == 2
    unknown = privnum.FailReason(12345)
    assert (unknown.description, unknown.category, unknown.is_known) == (None, "unknown", False)
    assert str(unknown) == "12345"
    assert privnum.FailReason(8045).category == "restricted"  # unlisted code in the control range
    known = privnum.FailReason.known_codes()
    assert known == sorted(known, key=int) and all(c.is_known for c in known)
    assert privnum.Q850(17).description == "user busy" and len(privnum.Q850.known_codes()) == 70
    assert str(privnum.Q850(200)) == "200"
    with pytest.raises(OverflowError):
        privnum.FailReason(-1)

    rc = privnum.ResultCode("1010010")
    assert (rc.action(401), rc.action(), rc.action(200)) == ("fix_auth", "back_off", "back_off")
    assert rc.retryable() and not rc.retryable(401)
    assert rc.describe(401) != rc.describe(None)
    assert (rc.code, rc.number, rc.is_success) == ("1010010", 1010010, False)
    assert privnum.ResultCode("00").number is None
    assert privnum.ResultCode.BACK_OFF_SECS == 60
    assert repr(rc) == "ResultCode('1010010')"
    assert privnum.ResultCode("1023002").max_retries(500) == 1
    assert privnum.ResultCode("0").is_success and privnum.ResultCode("0").action() == "success"
    assert all(c.is_known for c in privnum.ResultCode.known_codes())

    assert privnum.NumberStatus.from_wire("x") is None
    assert privnum.NumberStatus(7).name == "other" and privnum.NumberStatus(7).description is None
    assert privnum.UnavailableCause.from_wire("9") == privnum.UnavailableCause(9)
    assert privnum.SendResult(0).is_success and privnum.SendResult(2).description is None
    values: list[object] = [r, unknown, privnum.Q850(17), rc, privnum.NumberStatus(11)]
    values += [privnum.UnavailableCause(4), privnum.SendResult(2)]
    for value in values:
        assert pickle.loads(pickle.dumps(value)) == value


# ---------------------------------------------------------------- replies


def test_reply_arguments() -> None:
    x = privnum.parse_number("+8617000000010")
    by_number = privnum.connect_reply(privnum.parse_number("13900000002"), display=x)
    assert privnum.connect_reply("139 0000 0002", display="+86 170 0000 0010") == by_number
    with pytest.raises(privnum.NumberTooShortError):
        privnum.connect_reply("1390000000")
    with pytest.raises(TypeError, match="privnum.Number or str"):
        privnum.connect_reply(13900000002)  # type: ignore[arg-type]
    with pytest.raises(privnum.InvalidArgumentError, match="unknown form"):
        privnum.connect_reply("13900000002", form="list")  # type: ignore[arg-type]
    with pytest.raises(privnum.InvalidArgumentError, match="unknown operate"):
        privnum.call_control_reply("continue")  # type: ignore[arg-type]
    with pytest.raises(OverflowError):
        privnum.connect_reply("13900000002", max_duration_minutes=-1)
    with pytest.raises(privnum.ReplyInvalidError, match="maxDuration") as info:
        privnum.connect_reply("13900000002", max_duration_minutes=7200)
    check_error(info.value, "REPLY_INVALID")
    # Service numbers are refused without showing the number.
    with pytest.raises(privnum.ReplyInvalidError) as info:
        privnum.connect_reply("95588")
    assert "95588" not in str(info.value)
    # extra: a mapping or pairs, in order.
    extra = {"calledNo": "+8613900000002", "b": "1"}
    as_dict = privnum.call_control_reply("CONTINUE", extra=extra)
    as_pairs = privnum.call_control_reply("CONTINUE", extra=list(extra.items()))
    assert as_dict == as_pairs
    assert as_dict.endswith('"calledNo":"+8613900000002","b":"1"}}')
    assert privnum.close_reply() == '{"operation":"close","closeInfo":{}}'
    assert privnum.sms_discard_reply() == '{"actions":[{"operation":"DiscardMessage"}]}'
    # The parties and the operation may be named; every option is keyword-only.
    assert privnum.connect_reply(callee="13900000002") == privnum.connect_reply("13900000002")
    named = privnum.sms_route_reply(calling="+8613800000001", called="13900000002")
    assert named == privnum.sms_route_reply("+8613800000001", "13900000002")
    assert privnum.call_control_reply(operate="REJECT") == privnum.call_control_reply("REJECT")
    for fn in (privnum.connect_reply, privnum.sms_route_reply, privnum.call_control_reply):
        params = list(inspect.signature(fn).parameters.values())
        first_kw = next(i for i, p in enumerate(params) if p.kind is inspect.Parameter.KEYWORD_ONLY)
        assert all(p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD for p in params[:first_kw])
        assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in params[first_kw:])
    for fn2 in (privnum.close_reply, privnum.sms_discard_reply):
        kinds = {p.kind for p in inspect.signature(fn2).parameters.values()}
        assert kinds == {inspect.Parameter.KEYWORD_ONLY}


# ---------------------------------------------------------------- call-control queries


def test_call_control_query() -> None:
    secret = "ctlsecret"
    query = {
        "callNo": "13800000021",
        "secretNo": "17000000010",
        "recordType": "CAL",
        "callTime": "20240501160000",
        "callId": "call-1",
        "signatureNonce": "n1",
        "timestamp": "2024-05-01T08:00:00Z",
    }
    verifier = privnum.ParamsVerifier("call_control", secret)
    signed = {**query, "signature": privnum.sign_params(query, secret)}
    q, verified = privnum.receive_call_control(verifier, signed, now=NOW)
    assert (q.call_no, q.record_type, q.call_time_utc8, verified.timestamp) == (
        "13800000021",
        "CAL",
        NOW,
        NOW,
    )
    assert q.x() == privnum.parse_number("17000000010")
    assert repr(q) == (
        "CallControlQuery(call_no='+86138****0021', secret_no='+86170****0010', "
        "record_type='CAL', call_time='20240501160000', call_id='call-1')"
    )
    with pytest.raises(privnum.AuthReplayedError):
        privnum.receive_call_control(verifier, signed, now=NOW)
    # A query without callNo is refused, and its nonce released for a corrected retry.
    partial = {k: v for k, v in query.items() if k != "callNo"} | {"signatureNonce": "n2"}
    partial["signature"] = privnum.sign_params(partial, secret)
    with pytest.raises(privnum.PushMissingFieldError, match="callNo") as info:
        privnum.receive_call_control(verifier, partial, now=NOW)
    check_error(info.value, "PUSH_MISSING_FIELD")
    verifier.verify(partial, now=NOW)
    with pytest.raises(privnum.PushMissingFieldError):
        privnum.parse_call_control({"secretNo": "17000000010"})
    reply = privnum.call_control_reply("CONTINUE", subs_id="0", extra={"calledNo": "+8613900000002"})
    assert json.loads(reply)["model"]["controlOperate"] == "CONTINUE"


# ---------------------------------------------------------------- segments


def test_count_sms_segments() -> None:
    c = privnum.count_sms_segments("hello")
    assert repr(c) == "SmsSegments(encoding='gsm7', segments=1, units=5, per_segment=160, remaining=155)"
    assert c == privnum.count_sms_segments("world")
    assert hash(c) == hash(privnum.count_sms_segments("world"))
    b = privnum.parse_number("13900000002")
    by_text = privnum.count_sms_segments("hi", ax_b_number="13900000002")
    assert privnum.count_sms_segments("hi", ax_b_number=b) == by_text
    assert privnum.count_sms_segments("hi", ax_b_number=b).units == 2 + 15
    # A long text takes the path that releases the GIL; the counts follow the rules.
    long = privnum.count_sms_segments("你" * 10_000)
    assert (long.encoding, long.units, long.segments) == ("ucs2", 10_000, -(-10_000 // 67))
    with pytest.raises(privnum.NumberError):
        privnum.count_sms_segments("hi", ax_b_number="12")
