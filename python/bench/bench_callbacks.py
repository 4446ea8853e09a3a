#!/usr/bin/env python3
"""Parsing one 50-record CDR push: privnum against the usual Python ways,
side by side in one run.

The body is the one core/benches/callbacks.rs builds (about 36 KB: the
fields of spec §9.3, varied per record). Each way produces the same data —
every modelled field of every record, the six times as Unix seconds — and
is checked against privnum's before timing:

* ``privnum.parse_push(body)``: typed, frozen objects; field values become
  Python objects when read (parsing releases the GIL).
* ``privnum.parse_push(body)`` + ``to_dict()`` of every record: every field
  as a Python object, as a program that reads them all would.
* ``json.loads`` + frozen dataclasses: the stdlib way, times converted with
  ``datetime.fromisoformat`` (the fastest stdlib parser for this format).
* pydantic v2 ``Model.model_validate_json(body)`` of an equivalent frozen
  model: with ``datetime`` fields (pydantic's native parsing; naive
  datetimes, UTC implied), and with an ``AfterValidator`` turning them into
  Unix seconds, which is exactly privnum's output.

Each timing is the best of several ``timeit`` repeats. MB/s is body bytes
(10^6) per second. Runs in well under a minute.

Usage: python python/bench/bench_callbacks.py [--quick]
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import timeit
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from typing import Annotated, Any, Optional

import privnum

try:
    import pydantic
    from pydantic import AfterValidator, BaseModel, ConfigDict
    from pydantic.alias_generators import to_camel
except ImportError:  # pragma: no cover - reported in the output
    pydantic = None  # type: ignore[assignment]


# ---------------------------------------------------------------- the body


def cdr_push() -> bytes:
    """The body of core/benches/callbacks.rs, byte for byte."""
    records = []
    for i in range(50):
        records.append(
            '{"direction":1,"spId":"acme_omp","appKey":"a1d1f50cad21415fbdd13d8f53d36d60",'
            f'"icid":"0a1b2c3d4e5f60718293a4b5c6d7e8{i:02}.1.2.3","bindNum":"+8617000000010",'
            f'"sessionId":"1200_{i}_4294967295_20240501080000@callenabler246.huaweicaas.com",'
            f'"subscriptionId":"3f1c0d2e-0000-4000-8000-0000000000{i:02}",'
            f'"callerNum":"+86138000000{i:02}","calleeNum":"+8617000000010",'
            f'"fwdDisplayNum":"+8617000000010","fwdDstNum":"+86139000000{i:02}",'
            '"callInTime":"2024-05-01 08:00:00","fwdStartTime":"2024-05-01 08:00:01",'
            '"fwdAlertingTime":"2024-05-01 08:00:03","fwdAnswerTime":"2024-05-01 08:00:08",'
            f'"callEndTime":"2024-05-01 08:{i % 60:02}:08","fwdUnaswRsn":0,"ulFailReason":0,'
            '"sipStatusCode":0,"recordFlag":0,"serviceType":"004",'
            '"hostName":"callenabler246.huaweicaas.com"}'
        )
    return ('{"eventType":"fee","feeLst":[' + ",".join(records) + "]}").encode()


# The modelled CDR fields, in privnum's order: (attribute, wire name, is a time).
FIELDS: list[tuple[str, str, bool]] = [
    ("direction", "direction", False),
    ("sp_id", "spId", False),
    ("app_key", "appKey", False),
    ("icid", "icid", False),
    ("bind_num", "bindNum", False),
    ("session_id", "sessionId", False),
    ("subscription_id", "subscriptionId", False),
    ("caller_num", "callerNum", False),
    ("callee_num", "calleeNum", False),
    ("fwd_display_num", "fwdDisplayNum", False),
    ("fwd_dst_num", "fwdDstNum", False),
    ("call_in_time", "callInTime", True),
    ("fwd_start_time", "fwdStartTime", True),
    ("fwd_alerting_time", "fwdAlertingTime", True),
    ("fwd_answer_time", "fwdAnswerTime", True),
    ("call_end_time", "callEndTime", True),
    ("fwd_unasw_rsn", "fwdUnaswRsn", False),
    ("fail_time", "failTime", True),
    ("ul_fail_reason", "ulFailReason", False),
    ("sip_status_code", "sipStatusCode", False),
    ("call_out_unasw_rsn", "callOutUnaswRsn", False),
    ("record_flag", "recordFlag", False),
    ("record_start_time", "recordStartTime", True),
    ("record_object_name", "recordObjectName", False),
    ("record_bucket_name", "recordBucketName", False),
    ("record_domain", "recordDomain", False),
    ("service_type", "serviceType", False),
    ("host_name", "hostName", False),
    ("extend_num", "extendNum", False),
    ("user_data", "userData", False),
    ("notify_mode", "notifyMode", False),
]


# ---------------------------------------------------------------- json + dataclasses


def utc_seconds(text: str | None) -> int | None:
    """``yyyy-MM-dd HH:mm:ss`` (UTC) as Unix seconds; empty means absent."""
    if not text:
        return None
    return int(datetime.fromisoformat(text).replace(tzinfo=timezone.utc).timestamp())


@dataclass(frozen=True, slots=True)
class CdrDataclass:
    direction: int | None
    sp_id: str | None
    app_key: str | None
    icid: str | None
    bind_num: str | None
    session_id: str | None
    subscription_id: str | None
    caller_num: str | None
    callee_num: str | None
    fwd_display_num: str | None
    fwd_dst_num: str | None
    call_in_time: int | None
    fwd_start_time: int | None
    fwd_alerting_time: int | None
    fwd_answer_time: int | None
    call_end_time: int | None
    fwd_unasw_rsn: int | None
    fail_time: int | None
    ul_fail_reason: int | None
    sip_status_code: int | None
    call_out_unasw_rsn: int | None
    record_flag: int | None
    record_start_time: int | None
    record_object_name: str | None
    record_bucket_name: str | None
    record_domain: str | None
    service_type: str | None
    host_name: str | None
    extend_num: str | None
    user_data: str | None
    notify_mode: str | None


def json_dataclasses(body: bytes) -> list[CdrDataclass]:
    doc = json.loads(body)
    if doc.get("eventType") != "fee":
        raise ValueError("not a CDR push")
    out = []
    for r in doc["feeLst"]:
        g = r.get
        out.append(
            CdrDataclass(
                direction=g("direction"),
                sp_id=g("spId"),
                app_key=g("appKey"),
                icid=g("icid"),
                bind_num=g("bindNum"),
                session_id=g("sessionId"),
                subscription_id=g("subscriptionId"),
                caller_num=g("callerNum"),
                callee_num=g("calleeNum"),
                fwd_display_num=g("fwdDisplayNum"),
                fwd_dst_num=g("fwdDstNum"),
                call_in_time=utc_seconds(g("callInTime")),
                fwd_start_time=utc_seconds(g("fwdStartTime")),
                fwd_alerting_time=utc_seconds(g("fwdAlertingTime")),
                fwd_answer_time=utc_seconds(g("fwdAnswerTime")),
                call_end_time=utc_seconds(g("callEndTime")),
                fwd_unasw_rsn=g("fwdUnaswRsn"),
                fail_time=utc_seconds(g("failTime")),
                ul_fail_reason=g("ulFailReason"),
                sip_status_code=g("sipStatusCode"),
                call_out_unasw_rsn=g("callOutUnaswRsn"),
                record_flag=g("recordFlag"),
                record_start_time=utc_seconds(g("recordStartTime")),
                record_object_name=g("recordObjectName"),
                record_bucket_name=g("recordBucketName"),
                record_domain=g("recordDomain"),
                service_type=g("serviceType"),
                host_name=g("hostName"),
                extend_num=g("extendNum"),
                user_data=g("userData"),
                notify_mode=g("notifyMode"),
            )
        )
    return out


# ---------------------------------------------------------------- pydantic


def pydantic_models() -> tuple[Any, Any]:
    """(push model with datetime fields, push model with Unix-second fields)."""
    assert pydantic is not None

    def to_unix(d: datetime) -> int:
        return int(d.replace(tzinfo=timezone.utc).timestamp())

    def model(time_type: Any, name: str) -> Any:
        config = ConfigDict(frozen=True, alias_generator=to_camel, populate_by_name=True)
        annotations = {
            attr: Optional[time_type if is_time else (int if attr in INT_FIELDS else str)]
            for attr, _, is_time in FIELDS
        }
        namespace: dict[str, Any] = {"__annotations__": annotations, "model_config": config}
        namespace.update({attr: None for attr, _, _ in FIELDS})
        record = type(f"{name}Record", (BaseModel,), namespace)
        push = type(
            f"{name}Push",
            (BaseModel,),
            {
                "__annotations__": {"event_type": str, "fee_lst": list[record]},  # type: ignore[valid-type]
                "model_config": config,
            },
        )
        return push

    unix = Annotated[datetime, AfterValidator(to_unix)]
    return model(datetime, "Datetime"), model(unix, "Unix")


INT_FIELDS = {
    "direction",
    "fwd_unasw_rsn",
    "ul_fail_reason",
    "sip_status_code",
    "call_out_unasw_rsn",
    "record_flag",
}


# ---------------------------------------------------------------- timing


def best_per_call(fn: Callable[[], object], repeat: int) -> float:
    """Best-of-``repeat`` seconds per call, each repeat taking about 0.2 s."""
    n, _ = timeit.Timer(fn).autorange()
    times = timeit.repeat(fn, repeat=repeat, number=n)
    return min(times) / n


def fmt(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} µs"
    return f"{seconds * 1e3:.2f} ms"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer repeats (a smoke run)")
    args = ap.parse_args()
    repeat = 3 if args.quick else 7

    body = cdr_push()
    parse_push = privnum.parse_push

    # Every way gives the same records as privnum (every modelled field,
    # times as Unix seconds), before anything is timed.
    batch = parse_push(body)
    assert isinstance(batch, privnum.CdrBatch) and len(batch) == 50
    expected = [r.to_dict() for r in batch]
    for d in expected:
        assert d.pop("extra") == []
    assert [asdict(r) for r in json_dataclasses(body)] == expected
    assert expected[7]["call_end_time"] == 1_714_550_828 and expected[7]["caller_num"] == "+8613800000007"

    def privnum_parse() -> None:
        parse_push(body)

    def privnum_to_dict() -> None:
        [r.to_dict() for r in parse_push(body)]  # type: ignore[union-attr]

    def stdlib() -> None:
        json_dataclasses(body)

    rows: list[tuple[str, float]] = [
        ("privnum `parse_push(body)`", best_per_call(privnum_parse, repeat)),
        (
            "privnum `parse_push(body)` + `to_dict()` of every record",
            best_per_call(privnum_to_dict, repeat),
        ),
        (
            "`json.loads` + frozen dataclasses (`datetime.fromisoformat`)",
            best_per_call(stdlib, repeat),
        ),
    ]

    if pydantic is not None:
        with_datetimes, with_unix = pydantic_models()
        got = with_unix.model_validate_json(body)
        assert [{a: getattr(r, a) for a, _, _ in FIELDS} for r in got.fee_lst] == expected
        got_dt = with_datetimes.model_validate_json(body)
        assert got_dt.fee_lst[7].call_end_time == datetime(2024, 5, 1, 8, 7, 8)

        def pydantic_datetime() -> None:
            with_datetimes.model_validate_json(body)

        def pydantic_unix() -> None:
            with_unix.model_validate_json(body)

        rows.append(
            (
                "pydantic `model_validate_json` (`datetime` fields)",
                best_per_call(pydantic_datetime, repeat),
            )
        )
        rows.append(
            (
                "pydantic `model_validate_json` (`AfterValidator` → Unix seconds)",
                best_per_call(pydantic_unix, repeat),
            )
        )

    # Report -------------------------------------------------------------------
    pd_version = pydantic.VERSION if pydantic is not None else "not installed"
    print(
        f"privnum {privnum.__version__} · pydantic {pd_version} · "
        f"Python {platform.python_version()} ({platform.machine()}) · best of {repeat}"
    )
    print()
    print(f"One CDR push: 50 records, {len(body):,} bytes (core/benches/callbacks.rs).")
    print()
    base = rows[0][1]
    print("| way | per push | MB/s | vs `parse_push` |")
    print("|---|---:|---:|---:|")
    for name, t in rows:
        print(f"| {name} | {fmt(t)} | {len(body) / t / 1e6:.0f} | {t / base:.1f}× |")
    if pydantic is None:
        print("\n(pydantic is not installed: its rows are skipped; `pip install pydantic`)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
