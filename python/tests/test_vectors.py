"""Every case of every file in tests/vectors/, checked as core/tests/vectors.rs
checks it, through the public Python API."""

from __future__ import annotations

from typing import Any

import pytest

import privnum
from conftest import check_error, error_class, load_cases

Case = dict[str, Any]


def parse_kwargs(case: Case) -> dict[str, Any]:
    """``default_country``: absent → the default (86), null → None, else the code."""
    if "default_country" in case:
        return {"default_country": case["default_country"]}
    return {}


# ---------------------------------------------------------------- numbers.json


def test_numbers(numbers_case: Case) -> None:
    case = numbers_case
    text = case["input"]
    if "error" in case:
        with pytest.raises(error_class(case["error"])) as info:
            privnum.parse_number(text, **parse_kwargs(case))
        check_error(info.value, case["error"])
        return

    n = privnum.parse_number(text, **parse_kwargs(case))
    e = case["expect"]
    assert n.e164 == e["e164"]
    assert n.query == e["query"]
    assert n.masked == e["masked"]
    assert n.national == e["national"]
    assert n.national_significant == e["national_significant"]
    assert n.number_class.value == e["class"]
    assert str(n.number_class) == e["class"]
    assert n.country_code == e["country_code"]
    assert n.area_code == e["area_code"]
    assert n.is_bindable is e["bindable"]
    assert n.can_call_x is e["can_call_x"]
    # Parsing the E.164 form again gives the same number, and the bits round-trip.
    assert privnum.parse_number(n.e164) == n
    assert privnum.Number.from_bits(n.to_bits()) == n
    # The batch path agrees with the single path.
    assert privnum.parse_numbers([text], **parse_kwargs(case)) == [n]
    # Trailing garbage after a valid input is never silently accepted.
    with pytest.raises(privnum.NumberInvalidCharacterError) as info:
        privnum.parse_number(text + "x", **parse_kwargs(case))
    check_error(info.value, "NUMBER_INVALID_CHARACTER")


# ---------------------------------------------------------------- fields.json


def test_fields(fields_case: Case) -> None:
    case = fields_case
    field = privnum.Field.from_name(case["field"])
    assert field.field_name == case["field"]
    assert field.bounds == tuple(case["bounds"])

    def run(arg: privnum.Field | str) -> None:
        if "number" in case:
            privnum.parse_number(case["number"]).check_field(arg)
        else:
            privnum.check_field(arg, case["value"])

    # A Field and its platform name are accepted alike.
    for arg in (field, case["field"]):
        if "error" in case:
            with pytest.raises(error_class(case["error"])) as info:
                run(arg)
            check_error(info.value, case["error"])
        else:
            assert case["expect"] == {}
            run(arg)


def test_every_field_has_vectors() -> None:
    """The binding's Field members are exactly the fields of fields.json (which
    the core's runner checks against every field the core knows)."""
    members = {
        name: value for name, value in vars(privnum.Field).items() if isinstance(value, privnum.Field)
    }
    assert {f.field_name for f in members.values()} == {c["field"] for c in load_cases("fields")}
    assert len(members) == len({int(f) for f in members.values()})


# ---------------------------------------------------------------- signing.json


def test_signing(signing_case: Case) -> None:
    case = signing_case
    op = case["op"]
    if op == "sign":

        def sign() -> privnum.AuthHeaders:
            signer = privnum.Signer(case["app_key"], case["app_secret"])
            return signer.sign(case["scheme"], nonce=case["nonce"], created=case["created"])

        if "error" in case:
            with pytest.raises(error_class(case["error"])) as info:
                sign()
            check_error(info.value, case["error"])
            return
        h = sign()
        e = case["expect"]
        assert h.digest == e["digest"]
        assert h.value == e["header"]
        assert h.header_name == e["header_name"]
        assert h.authorization == e["authorization"]
        assert h.nonce == case["nonce"]
        assert h.created == case["created"]
        assert h.scheme == case["scheme"]
        assert h.as_dict() == {"Authorization": e["authorization"], e["header_name"]: e["header"]}
        signer = privnum.Signer(case["app_key"], case["app_secret"])
        assert signer.digest(case["scheme"], case["nonce"], case["created"]) == e["digest"]
    elif op == "new_signer":
        assert "error" in case, "new_signer cases are error cases"
        with pytest.raises(error_class(case["error"])) as info:
            privnum.Signer(case["app_key"], case["app_secret"])
        check_error(info.value, case["error"])
    elif op == "format_created":
        if "error" in case:
            with pytest.raises(error_class(case["error"])) as info:
                privnum.format_created(case["unix"])
            check_error(info.value, case["error"])
        else:
            assert privnum.format_created(case["unix"]) == case["expect"]["created"]
    elif op == "parse_created":
        if "error" in case:
            with pytest.raises(error_class(case["error"])) as info:
                privnum.parse_created(case["created"])
            check_error(info.value, case["error"])
        else:
            assert privnum.parse_created(case["created"]) == case["expect"]["unix"]
    else:
        pytest.fail(f"unknown op {op!r}")


# ---------------------------------------------------------------- verify.json


def test_verify(verify_case: Case) -> None:
    case = verify_case
    verifier = privnum.Verifier(case["app_key"], case["app_secret"], **case["config"])
    for i, step in enumerate(case["steps"]):
        where = f"{case['id']}#{i}"
        if "forget" in step:
            verifier.forget(step["forget"])
            continue
        headers = [(name, value) for name, value in step["headers"]]
        if "error" in step:
            with pytest.raises(error_class(step["error"])) as info:
                verifier.verify(headers, now=step["now"])
            check_error(info.value, step["error"])
            continue
        v = verifier.verify(headers, now=step["now"])
        e = step["expect"]
        assert v.scheme == e["scheme"], where
        assert v.nonce == e["nonce"], where
        assert v.created == e["created"], where
        assert v.wsse_raw_digest is e["wsse_raw_digest"], where


# ---------------------------------------------------------------- params.json


def profile_of(spec: dict[str, Any]) -> privnum.ParamsProfile:
    if spec["kind"] == "rpc_v1":
        return privnum.ParamsProfile.rpc_v1(spec["method"])
    if spec["kind"] == "call_control":
        return privnum.ParamsProfile.call_control()
    raise AssertionError(f"unknown profile {spec!r}")


def pairs_of(raw: list[list[str]]) -> list[tuple[str, str]]:
    return [(name, value) for name, value in raw]


def test_params(params_case: Case) -> None:
    case = params_case
    op = case["op"]
    if op == "encode":
        out = privnum.encode_param(case["input"], encoding=case["encoding"])
        assert out == case["expect"]["output"]
    elif op == "sign":
        profile = profile_of(case["profile"])
        params = pairs_of(case["params"])
        if "error" in case:
            with pytest.raises(error_class(case["error"])) as info:
                privnum.sign_params(params, case["secret"], profile=profile)
            check_error(info.value, case["error"])
            return
        e = case["expect"]
        assert privnum.string_to_sign(params, profile=profile) == e["string_to_sign"]
        assert privnum.sign_params(params, case["secret"], profile=profile) == e["signature"]
    elif op == "verify":
        config = {k: v for k, v in case["config"].items() if k != "accept_wsse"}
        verifier = privnum.ParamsVerifier(profile_of(case["profile"]), case["secret"], **config)
        for i, step in enumerate(case["steps"]):
            where = f"{case['id']}#{i}"
            params = pairs_of(step["params"])
            if "error" in step:
                with pytest.raises(error_class(step["error"])) as info:
                    verifier.verify(params, now=step["now"])
                check_error(info.value, step["error"])
                continue
            v = verifier.verify(params, now=step["now"])
            e = step["expect"]
            assert v.encoding == e["encoding"], where
            assert v.key_ampersand is e["key_ampersand"], where
            assert v.timestamp == e["timestamp"], where
            assert v.profile.encoding == e["encoding"], where
    else:
        pytest.fail(f"unknown op {op!r}")
