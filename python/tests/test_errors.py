"""The exception table: one class per core error kind, unique stable codes, the
same numbers as the C header's PRIVNUM_RESULT_* constants."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import privnum
from conftest import class_name_for, load_cases

HEADER = Path(__file__).resolve().parents[2] / "include" / "privnum.h"

GROUPS = {
    "NUMBER_": privnum.NumberError,
    "FIELD_": privnum.NumberError,
    "INVALID_APP_KEY": privnum.SigningError,
    "INVALID_APP_SECRET": privnum.SigningError,
    "INVALID_NONCE": privnum.SigningError,
    "INVALID_CREATED": privnum.SigningError,
    "INVALID_PARAMETERS": privnum.SigningError,
    "AUTH_": privnum.AuthError,
    "PUSH_": privnum.PushError,
    "REPLY_": privnum.PushError,
    "RULE_VIOLATION": privnum.EngineError,
    "BINDING_": privnum.EngineError,
    "INVALID_TRANSITION": privnum.EngineError,
    "POOL_": privnum.EngineError,
    "JOURNAL_": privnum.EngineError,
    "INVALID_COMMAND": privnum.EngineError,
    "PLATFORM_": privnum.PlatformError,
    "RESPONSE_INVALID": privnum.PlatformError,
    "TRANSPORT_": privnum.PlatformError,
    "OUTCOME_UNKNOWN": privnum.PlatformError,
}

ALL_GROUPS = (
    privnum.NumberError,
    privnum.SigningError,
    privnum.AuthError,
    privnum.PushError,
    privnum.EngineError,
    privnum.PlatformError,
)


def test_every_kind_has_a_class_with_a_unique_code() -> None:
    kinds = privnum.ERROR_KINDS
    assert len(kinds) >= 24
    codes = [cls.code for cls in kinds.values()]
    assert len(codes) == len(set(codes)), "duplicate codes"
    classes = list(kinds.values())
    assert len(classes) == len(set(classes))
    for name, cls in kinds.items():
        assert cls.kind == name
        assert cls.__name__ == class_name_for(name)
        assert getattr(privnum, cls.__name__) is cls
        assert cls.__name__ in privnum.__all__
        assert isinstance(cls.code, int) and cls.code > 0
        assert cls.__doc__


def test_groups() -> None:
    for name, cls in privnum.ERROR_KINDS.items():
        groups = [g for prefix, g in GROUPS.items() if name.startswith(prefix)]
        if groups:
            assert issubclass(cls, groups[0]), name
            others = set(ALL_GROUPS) - {groups[0]}
            assert not any(issubclass(cls, g) for g in others), name
        else:
            assert not issubclass(cls, ALL_GROUPS), name
    value_errors = {n for n, c in privnum.ERROR_KINDS.items() if issubclass(c, ValueError)}
    assert {"INVALID_UTF8", "INVALID_ARGUMENT", "NUMBER_EMPTY", "INVALID_NONCE"} <= value_errors
    assert not {n for n in value_errors if n.startswith("AUTH_")}
    assert "RANDOM_UNAVAILABLE" not in value_errors and "PANIC" not in value_errors
    # Engine refusals are not ValueErrors, except a malformed command; a
    # failing journal directory is an OSError.
    assert value_errors & {n for n in privnum.ERROR_KINDS if issubclass(privnum.ERROR_KINDS[n], privnum.EngineError)} == {
        "INVALID_COMMAND"
    }
    assert issubclass(privnum.JournalIoError, OSError)


def test_codes_follow_the_documented_ranges() -> None:
    for name, cls in privnum.ERROR_KINDS.items():
        if name.startswith(("NUMBER_", "FIELD_")):
            assert 100 <= cls.code <= 199, name
        elif name.startswith("AUTH_"):
            assert 250 <= cls.code <= 299, name
        elif issubclass(cls, privnum.SigningError):
            assert 200 <= cls.code <= 249, name
        elif name.startswith(("PUSH_", "REPLY_")):
            assert 300 <= cls.code <= 349, name
        elif issubclass(cls, privnum.EngineError):
            assert 400 <= cls.code <= 449, name
        elif issubclass(cls, privnum.PlatformError):
            assert 500 <= cls.code <= 549, name
        else:
            assert 1 <= cls.code <= 99, name


def test_platform_errors_carry_code_and_http_status() -> None:
    # Every exception has the three detail attributes, None unless set.
    assert privnum.PrivnumError.http_status is None
    assert privnum.PlatformConflictError.platform_code is None
    assert privnum.PlatformConflictError.kind == "PLATFORM_CONFLICT"
    assert privnum.ResponseInvalidError.code == 520
    assert not issubclass(privnum.PlatformError, ValueError)
    # Sending: transport failures are also ConnectionErrors; an unknown
    # outcome is not (the request did reach the platform, or may have).
    assert privnum.TransportNotSentError.code == 530
    assert privnum.TransportNoResponseError.code == 531
    assert privnum.OutcomeUnknownError.code == 532
    assert issubclass(privnum.TransportNotSentError, ConnectionError)
    assert issubclass(privnum.TransportNoResponseError, ConnectionError)
    assert not issubclass(privnum.OutcomeUnknownError, OSError)
    # The client vectors name platform kinds; each must have its class.
    named = {c["error"] for c in load_cases("client") if "error" in c}
    assert {"PLATFORM_CONFLICT", "RESPONSE_INVALID"} <= named <= set(privnum.ERROR_KINDS)


def test_every_kind_named_by_the_vectors_exists() -> None:
    named: set[str] = set()
    for file in ("numbers", "fields", "signing", "params", "pushes", "replies"):
        named |= {c["error"] for c in load_cases(file) if "error" in c}
    for file in ("verify", "params", "inbox", "call_control"):
        for case in load_cases(file):
            named |= {s["error"] for s in case.get("steps", []) if "error" in s}
    assert named <= set(privnum.ERROR_KINDS), sorted(named - set(privnum.ERROR_KINDS))


def header_codes(text: str) -> dict[str, int]:
    """``PRIVNUM_RESULT_<NAME>`` constants, as enum members or #defines."""
    pattern = re.compile(
        r"\bPRIVNUM_RESULT_([A-Z0-9_]+)\s*(?:=\s*|\s+\(?)(\d+)u?\b",
    )
    return {m.group(1): int(m.group(2)) for m in pattern.finditer(text)}


@pytest.mark.skipif(not HEADER.exists(), reason="include/privnum.h is not there yet")
def test_codes_match_the_c_header() -> None:
    codes = header_codes(HEADER.read_text(encoding="utf-8"))
    assert codes, "no PRIVNUM_RESULT_* constants found in include/privnum.h"
    codes.pop("OK", None)
    python = {name: cls.code for name, cls in privnum.ERROR_KINDS.items()}
    assert codes == python
