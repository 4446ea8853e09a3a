"""Every case of every tests/vectors/client*.json file, checked as
core/tests/client_vectors.rs checks it, through privnum.Operation."""

from __future__ import annotations

import json
from typing import Any

import pytest

import privnum
from conftest import VECTORS, check_error, error_class

Case = dict[str, Any]


def _cases() -> list[tuple[str, dict[str, Any], Case]]:
    out = []
    for path in sorted(VECTORS.glob("client*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        assert doc["schema"] == 1, path.name
        for case in doc["cases"]:
            out.append((path.name, doc["signing"], case))
    return out


CASES = _cases()


def _check_details(exc: privnum.PrivnumError, case: Case) -> None:
    check_error(exc, case["error"])
    assert exc.platform_code == case.get("platform_code")
    assert exc.field == case.get("field")
    assert exc.http_status == case.get("http_status")
    for needle in case.get("message_contains", []):
        assert needle in str(exc), (needle, str(exc))
    for needle in case.get("message_not_contains", []):
        assert needle not in str(exc), (needle, str(exc))


@pytest.mark.parametrize(
    ("file", "signing", "case"), CASES, ids=[f"{f}:{c['id']}" for f, _, c in CASES]
)
def test_client_case(file: str, signing: dict[str, str], case: Case) -> None:
    sign = case.get("signing", signing)
    signer = privnum.Signer(sign["app_key"], sign["app_secret"])
    if case["type"] == "request":
        if "error" in case:
            with pytest.raises(error_class(case["error"])) as info:
                op = privnum.Operation(case["op"], case["input"])
                op.sign(signer, nonce=sign["nonce"], created=sign["created"])
            _check_details(info.value, case)
            return
        op = privnum.Operation(case["op"], case["input"])
        req = op.sign(signer, nonce=sign["nonce"], created=sign["created"])
        e = case["expect"]
        assert req.method == e["method"]
        assert req.path_and_query == e["path_and_query"]
        assert list(req.headers.items()) == [tuple(h) for h in e["headers"]]
        assert req.body == e["body"]
        assert op.idempotent is e["idempotent"]
        assert op.name == case["op"]
        # repr never shows the credential nor the body.
        text = repr(req)
        assert "PasswordDigest" not in text and req.headers["X-AKSK"] not in text
        if req.body and len(req.body) > 2:
            assert req.body not in text
        return
    assert case["type"] == "response", case["id"]
    op = privnum.Operation(case["op"], case["input"])
    args = (case["status"], case["body"].encode("utf-8"), case.get("location"))
    if "error" in case:
        with pytest.raises(error_class(case["error"])) as info:
            op.parse(*args)
        _check_details(info.value, case)
        return
    assert op.parse(*args) == case["expect"]
    # str bodies are read the same way as bytes.
    assert op.parse(case["status"], case["body"], case.get("location")) == case["expect"]


def test_every_name_is_covered_both_ways() -> None:
    seen = {(c["type"], c["op"]) for _, _, c in CASES}
    for name in privnum.Operation.names():
        assert ("request", name) in seen, name
        assert ("response", name) in seen, name


def test_arguments() -> None:
    a = privnum.Operation("axb.bind", {"callerNum": "13800000001"}, callee_num="13900000002")
    b = privnum.Operation(
        "axb.bind",
        caller_num=privnum.parse_number("13800000001"),
        callee_num="13900000002",
        duration=None,
    )
    signer = privnum.Signer("a1d1f50cad21415fbdd13d8f53d36d60", "cfc881cc704c4fba8d8fef5788e03e6b")
    assert a.sign(signer, now=1).body == b.sign(signer, now=1).body
    assert a.sign(signer).headers["X-AKSK"] != a.sign(signer).headers["X-AKSK"]
    assert repr(a) == "Operation('axb.bind', idempotent=False)"
    with pytest.raises(TypeError, match="given twice"):
        privnum.Operation("axb.bind", {"callerNum": "1"}, callerNum="2")
    with pytest.raises(TypeError, match="mapping"):
        privnum.Operation("axb.bind", ["callerNum"])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="together"):
        a.sign(signer, nonce="abc")
    with pytest.raises(privnum.InvalidArgumentError) as info:
        privnum.Operation("axb.bind", caller_num="13800000001")
    assert info.value.field == "calleeNum"
    with pytest.raises(privnum.InvalidArgumentError, match="unknown operation"):
        privnum.Operation("axb.bnid")
    with pytest.raises(TypeError):
        privnum.Operation("axb.bind", caller_num=object(), callee_num="13900000002")
    with pytest.raises(TypeError):
        a.parse(200, 12)  # type: ignore[arg-type]
