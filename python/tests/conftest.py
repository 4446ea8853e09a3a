"""Shared test setup: the cross-language vectors in tests/vectors/*.json.

Each vector file is read once. Tests ask for a case through a parameter named
after the file (``numbers_case``, ``fields_case``, ``signing_case``,
``verify_case``, ``params_case``; for callbacks ``pushes_case``,
``inbox_case``, ``codes_case``, ``replies_case``, ``sms_segments_case``,
``call_control_case``; for the binding engine ``engine_case``) and
are run once per case, with the case's ``id`` as the test id.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import pytest

import privnum

VECTORS = Path(__file__).resolve().parents[2] / "tests" / "vectors"

VECTOR_FILES = (
    "numbers",
    "fields",
    "signing",
    "verify",
    "params",
    "pushes",
    "inbox",
    "codes",
    "replies",
    "sms_segments",
    "call_control",
    "ax_suffix",
    "engine",
)


@functools.cache
def load_cases(name: str) -> list[dict[str, Any]]:
    """The cases of ``tests/vectors/<name>.json`` (read once)."""
    doc = json.loads((VECTORS / f"{name}.json").read_text(encoding="utf-8"))
    assert doc["schema"] == 1, f"{name}.json: unknown schema {doc['schema']!r}"
    cases: list[dict[str, Any]] = doc["cases"]
    assert cases, f"{name}.json has no cases"
    ids = [c["id"] for c in cases]
    assert len(ids) == len(set(ids)), f"{name}.json has duplicate case ids"
    return cases


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    for name in VECTOR_FILES:
        param = f"{name}_case"
        if param in metafunc.fixturenames:
            cases = load_cases(name)
            metafunc.parametrize(param, cases, ids=[c["id"] for c in cases])


def class_name_for(kind: str) -> str:
    """The documented naming rule: ``NUMBER_EMPTY`` → ``NumberEmptyError``."""
    return "".join(word.capitalize() for word in kind.split("_")) + "Error"


def error_class(kind: str) -> type[privnum.PrivnumError]:
    """The public exception class for an error kind's name, by the naming rule."""
    cls = getattr(privnum, class_name_for(kind))
    assert isinstance(cls, type) and issubclass(cls, privnum.PrivnumError)
    assert privnum.ERROR_KINDS[kind] is cls
    return cls


def case_body(case: dict[str, Any]) -> bytes:
    """A push case's body: ``body`` (text, sent as UTF-8) or ``body_hex``."""
    if "body_hex" in case:
        return bytes.fromhex(case["body_hex"])
    body: str = case["body"]
    return body.encode("utf-8")


def check_error(exc: BaseException, kind: str) -> None:
    """``exc`` is exactly the class of ``kind``, with matching ``.kind``/``.code``
    and a message."""
    cls = error_class(kind)
    assert type(exc) is cls, f"expected {cls.__name__}, got {type(exc).__name__}: {exc}"
    assert isinstance(exc, privnum.PrivnumError)
    assert exc.kind == kind
    assert exc.code == cls.code
    assert str(exc), "empty message"
