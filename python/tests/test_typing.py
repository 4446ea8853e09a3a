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

import pytest

import privnum

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


def test_typed_usage() -> None:
    assert numbers() == ["+8613800000021", "+8675528000002"]
    assert signing().nonce == "N1"
    assert params().timestamp == NOW
    assert errors() == privnum.NumberEmptyError.code
    assert error_table()["AUTH_REPLAYED"] == privnum.AuthReplayedError.code
    with pytest.raises(privnum.AuthReplayedError):
        v = privnum.Verifier("appkey", "secret")
        h = privnum.Signer("appkey", "secret").sign(now=NOW).as_dict()
        v.verify(h, now=NOW)
        v.verify(h, now=NOW)
