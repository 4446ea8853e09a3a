"""The Python API beyond the vectors: masking, secrets, equality, argument
shapes, the GIL, errors and package metadata."""

from __future__ import annotations

import ast
import copy
import email.message
import importlib.metadata
import inspect
import pickle
import re
import sys
import threading
import time
import wsgiref.headers
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import privnum
import privnum._native as native
from conftest import check_error

MOBILE = "+86 138-0000-0021"
E164 = "+8613800000021"
KEY, SECRET = "pushkey", "pushsecret-do-not-log"
NOW = 1_714_550_400  # 2024-05-01T08:00:00Z


# ---------------------------------------------------------------- numbers


def test_number_repr_and_str_are_masked() -> None:
    n = privnum.parse_number(MOBILE)
    assert repr(n) == "Number('+86138****0021', class='mobile')"
    assert str(n) == "+86138****0021"
    assert f"{n}" == "+86138****0021"
    for text in (repr(n), str(n), f"{n!r}", repr([n]), repr({"n": n})):
        assert "13800000021" not in text
        assert "0000" not in text.replace("****", "")
    # The real number is there on request.
    assert n.e164 == E164
    fixed = privnum.parse_number("0755-2800-0002")
    assert repr(fixed) == "Number('+86755****0002', class='fixed_line')"
    assert "28000002" not in repr(fixed) + str(fixed)


def test_number_equality_and_hash() -> None:
    a = privnum.parse_number(MOBILE)
    b = privnum.parse_number("008613800000021")
    c = privnum.parse_number("13800000021")
    other = privnum.parse_number("13900000002")
    assert a == b == c
    assert hash(a) == hash(b) == hash(c)
    assert a != other
    assert len({a, b, c, other}) == 2
    assert a != E164  # no equality with the text form
    assert (a == E164) is False


def test_number_pickle_and_copy() -> None:
    n = privnum.parse_number("0755-2800-0002")
    for clone in (pickle.loads(pickle.dumps(n)), copy.copy(n), copy.deepcopy(n)):
        assert clone == n
        assert clone.area_code == "0755"


def test_number_properties() -> None:
    n = privnum.parse_number("0755-2800-0002")
    assert n.number_class is privnum.NumberClass.FIXED_LINE
    assert n.area_code == "0755"
    assert n.national == "075528000002"
    assert n.is_bindable is True
    assert n.can_call_x is False
    with pytest.raises(AttributeError):
        n.e164 = "+1"  # type: ignore[misc]


def test_number_from_bits_rejects_garbage() -> None:
    for bits in (0, 2**64 - 1, 12345):
        with pytest.raises(privnum.InvalidArgumentError) as info:
            privnum.Number.from_bits(bits)
        check_error(info.value, "INVALID_ARGUMENT")
    with pytest.raises(OverflowError):
        privnum.Number.from_bits(-1)


def test_number_class_enum() -> None:
    members = [
        privnum.NumberClass.MOBILE,
        privnum.NumberClass.VIRTUAL_OPERATOR,
        privnum.NumberClass.FIXED_LINE,
        privnum.NumberClass.SERVICE,
        privnum.NumberClass.INTERNATIONAL,
    ]
    assert [m.value for m in members] == [
        "mobile",
        "virtual_operator",
        "fixed_line",
        "service",
        "international",
    ]
    assert len(set(members)) == 5
    assert repr(privnum.NumberClass.MOBILE) == "NumberClass.MOBILE"
    # Properties hand out the canonical members, so `is` works as with enum.Enum.
    assert privnum.parse_number("17012345678").number_class is privnum.NumberClass.VIRTUAL_OPERATOR
    assert privnum.parse_number("95588").number_class is privnum.NumberClass.SERVICE
    assert privnum.parse_number("+1 415 555 0100").number_class is privnum.NumberClass.INTERNATIONAL


def test_field_enum() -> None:
    f = privnum.Field.from_name("axb.callerNum")
    assert f is privnum.Field.AXB_CALLER_NUM
    assert f.field_name == "axb.callerNum"
    assert f.bounds == (4, 31)
    assert repr(f) == "Field.AXB_CALLER_NUM"
    assert {f: 1}[privnum.Field.AXB_CALLER_NUM] == 1
    with pytest.raises(privnum.InvalidArgumentError) as info:
        privnum.Field.from_name("axb.nope")
    check_error(info.value, "INVALID_ARGUMENT")
    with pytest.raises(privnum.InvalidArgumentError):
        privnum.check_field("axb.nope", "x")
    with pytest.raises(TypeError):
        privnum.check_field(1, "12345")  # type: ignore[arg-type]


def test_check_field() -> None:
    n = privnum.parse_number(MOBILE)
    n.check_field(privnum.Field.AXB_CALLER_NUM)
    n.check_field("axb.callerNum")
    privnum.check_field(privnum.Field.AXE_EXTEND_NUM, "1234")
    with pytest.raises(privnum.FieldOutOfBoundsError) as info:
        privnum.check_field(privnum.Field.AXE_EXTEND_NUM, "12345")
    assert "axe.extendNum" in str(info.value)
    # Lengths count characters, not bytes.
    privnum.check_field(privnum.Field.AXE_EXTEND_NUM, "中文中文")


def test_parse_number_default_country() -> None:
    assert privnum.parse_number("13800000021").country_code == 86
    assert privnum.parse_number("020 7946 0000", default_country=44).e164 == "+442079460000"
    with pytest.raises(privnum.NumberMissingCountryCodeError):
        privnum.parse_number("13800000021", default_country=None)
    with pytest.raises(privnum.NumberUnknownCountryCodeError):
        privnum.parse_number("12345678", default_country=999)
    # The documented default in the signature is what the core uses.
    sig = inspect.signature(privnum.parse_number)
    assert sig.parameters["default_country"].default == 86
    assert sig.parameters["default_country"].kind is inspect.Parameter.KEYWORD_ONLY
    assert sig.parameters["text"].kind is inspect.Parameter.POSITIONAL_ONLY


def test_text_must_be_str() -> None:
    with pytest.raises(TypeError):
        privnum.parse_number(b"13800000021")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="item 1 must be str, not bytes"):
        privnum.parse_numbers(["13800000021", b"13800000021"])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="iterable of str, not str"):
        privnum.parse_numbers("13800000021")
    with pytest.raises(TypeError):
        privnum.parse_numbers(None)  # type: ignore[arg-type]


def test_lone_surrogate_is_a_unicode_error() -> None:
    with pytest.raises(UnicodeEncodeError):
        privnum.parse_number("138\udc800000021")


# ---------------------------------------------------------------- parse_numbers

MIXED = [
    "+86 138-0000-0021",
    "008613800000021",
    "13900000002",
    "(010) 8888 0000",
    "0755-2800-0002",
    "+1 415 555 0100",
    "400-123-4567",
]


def test_parse_numbers_matches_parse_number() -> None:
    got = privnum.parse_numbers(MIXED)
    assert got == [privnum.parse_number(s) for s in MIXED]
    assert privnum.parse_numbers([]) == []
    assert privnum.parse_numbers(s for s in MIXED) == got  # any iterable
    assert privnum.parse_numbers(tuple(MIXED)) == got


def test_parse_numbers_reports_first_bad_index() -> None:
    batch = ["13800000021", "13800000022", "1380000002", "abc"]
    with pytest.raises(privnum.NumberTooShortError) as info:
        privnum.parse_numbers(batch)
    check_error(info.value, "NUMBER_TOO_SHORT")
    assert str(info.value).startswith("item 2: ")
    with pytest.raises(privnum.NumberMissingCountryCodeError, match=r"^item 0: "):
        privnum.parse_numbers(["13800000021"], default_country=None)


def test_parse_numbers_releases_the_gil() -> None:
    """While the batch is parsed, another Python thread runs.

    The switch interval is made so long that a thread holding the GIL is never
    asked to give it up; the other thread sleeps between steps (releasing the
    GIL). So the other thread can only step during the call if the call
    releases the GIL itself."""
    batch = MIXED * 60_000  # 420 000 numbers: tens of milliseconds of parsing
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
        result = privnum.parse_numbers(batch)
        after = count
    finally:
        stop.set()
        t.join()
        sys.setswitchinterval(old_interval)
    assert len(result) == len(batch)
    assert after > before, "no other Python thread ran while parse_numbers parsed"


# ---------------------------------------------------------------- errors


def test_exception_hierarchy() -> None:
    assert issubclass(privnum.NumberError, privnum.PrivnumError)
    assert issubclass(privnum.NumberError, ValueError)
    assert issubclass(privnum.SigningError, ValueError)
    assert not issubclass(privnum.AuthError, ValueError)
    assert issubclass(privnum.InvalidArgumentError, ValueError)
    assert issubclass(privnum.InvalidUtf8Error, ValueError)
    assert not issubclass(privnum.RandomUnavailableError, ValueError)
    assert not issubclass(privnum.PanicError, ValueError)
    assert issubclass(privnum.NumberEmptyError, privnum.NumberError)
    assert issubclass(privnum.FieldOutOfBoundsError, privnum.NumberError)
    assert issubclass(privnum.InvalidNonceError, privnum.SigningError)
    assert issubclass(privnum.AuthReplayedError, privnum.AuthError)
    for cls in privnum.ERROR_KINDS.values():
        assert issubclass(cls, privnum.PrivnumError)
        assert cls.__module__ == "privnum"


def test_exception_attributes_and_message() -> None:
    with pytest.raises(ValueError) as info:  # NumberError is a ValueError
        privnum.parse_number("")
    exc = info.value
    assert isinstance(exc, privnum.NumberEmptyError)
    assert exc.kind == "NUMBER_EMPTY" == privnum.NumberEmptyError.kind
    assert exc.code == 100 == privnum.NumberEmptyError.code
    assert str(exc) == "the number has no digits"  # the core's message, unadorned
    assert exc.args == ("the number has no digits",)


def test_exceptions_pickle() -> None:
    with pytest.raises(privnum.NumberInvalidCharacterError) as info:
        privnum.parse_number("138a0000021")
    clone = pickle.loads(pickle.dumps(info.value))
    assert type(clone) is privnum.NumberInvalidCharacterError
    assert clone.args == info.value.args


def test_error_kinds_is_read_only() -> None:
    with pytest.raises(TypeError):
        privnum.ERROR_KINDS["X"] = privnum.PanicError  # type: ignore[index]


# ---------------------------------------------------------------- signing


def test_signer_repr_hides_secret() -> None:
    s = privnum.Signer(KEY, SECRET)
    assert repr(s) == "Signer(app_key='pushkey', app_secret=<redacted>)"
    assert SECRET not in repr(s) + str(s)
    assert s.app_key == KEY
    with pytest.raises(TypeError):
        pickle.dumps(s)
    quoted = privnum.Signer("it's", SECRET)
    assert repr(quoted) == 'Signer(app_key="it\'s", app_secret=<redacted>)'


def test_verifier_repr_hides_secret() -> None:
    v = privnum.Verifier(KEY, SECRET)
    assert repr(v) == (
        "Verifier(app_key='pushkey', app_secret=<redacted>, max_age_secs=21600, "
        "max_future_secs=300, replay_capacity=100000, accept_wsse=True)"
    )
    assert SECRET not in repr(v) + str(v)
    assert v.app_key == KEY
    with pytest.raises(TypeError):
        pickle.dumps(v)
    pv = privnum.ParamsVerifier("call_control", SECRET)
    assert SECRET not in repr(pv) + str(pv)
    assert "secret=<redacted>" in repr(pv)


def test_signature_defaults_are_the_core_defaults() -> None:
    """The defaults inspect shows are the ones the core applies (visible in repr)."""
    names = ("max_age_secs", "max_future_secs", "replay_capacity")
    made = {
        privnum.Verifier: repr(privnum.Verifier(KEY, SECRET)),
        privnum.ParamsVerifier: repr(privnum.ParamsVerifier("call_control", SECRET)),
    }
    for cls, shown_by_repr in made.items():
        params = inspect.signature(cls).parameters
        for name in names:
            assert params[name].kind is inspect.Parameter.KEYWORD_ONLY
        shown = ", ".join(f"{n}={params[n].default!r}" for n in names)
        assert shown in shown_by_repr
    params = inspect.signature(privnum.Verifier).parameters
    assert f"accept_wsse={params['accept_wsse'].default!r})" in repr(privnum.Verifier(KEY, SECRET))
    profile = inspect.signature(privnum.sign_params).parameters["profile"]
    assert profile.default == "call_control"
    pairs = [("a", "1"), ("b", "x y")]
    assert privnum.sign_params(pairs, SECRET) == privnum.sign_params(
        pairs, SECRET, profile=privnum.ParamsProfile.call_control()
    )


def test_sign_argument_forms() -> None:
    s = privnum.Signer(KEY, SECRET)
    fixed = s.sign(nonce="N1", created="2024-05-01T08:00:00Z")
    assert fixed.nonce == "N1" and fixed.created == "2024-05-01T08:00:00Z"
    assert fixed == s.sign("aksk", nonce="N1", created="2024-05-01T08:00:00Z")

    at = s.sign(now=NOW)
    assert at.created == "2024-05-01T08:00:00Z"
    assert re.fullmatch(r"[0-9A-F]{32}", at.nonce)
    assert at.nonce != s.sign(now=NOW).nonce  # fresh nonce each time

    only_nonce = s.sign(nonce="N2", now=NOW)
    assert only_nonce.created == "2024-05-01T08:00:00Z" and only_nonce.nonce == "N2"
    only_created = s.sign(created="2024-05-01T08:00:00Z")
    assert only_created.created == "2024-05-01T08:00:00Z"
    assert re.fullmatch(r"[0-9A-F]{32}", only_created.nonce)

    fresh = s.sign()
    assert abs(privnum.parse_created(fresh.created) - privnum.unix_now()) <= 5
    assert privnum.parse_created(s.sign(nonce="N3").created) <= privnum.unix_now()

    wsse = s.sign("wsse", now=NOW)
    assert wsse.header_name == "X-WSSE" and wsse.scheme == "wsse"

    with pytest.raises(TypeError, match="either created or now"):
        s.sign(created="2024-05-01T08:00:00Z", now=NOW)
    with pytest.raises(privnum.InvalidArgumentError, match="unknown scheme"):
        s.sign("AKSK2")  # type: ignore[arg-type]
    with pytest.raises(privnum.InvalidNonceError):
        s.sign(nonce="not-alnum", now=NOW)
    with pytest.raises(privnum.InvalidCreatedError):
        s.sign(created="yesterday")
    with pytest.raises(privnum.InvalidCreatedError):
        s.sign(now=10**12)


def test_auth_headers() -> None:
    h = privnum.Signer(KEY, SECRET).sign(nonce="N1", created="2024-05-01T08:00:00Z")
    assert h.as_dict() == {"Authorization": h.authorization, "X-AKSK": h.value}
    assert h.items() == [("Authorization", h.authorization), ("X-AKSK", h.value)]
    assert dict(h.items()) == h.as_dict()
    r = repr(h)
    assert r == f"AuthHeaders(scheme='aksk', nonce='N1', created='2024-05-01T08:00:00Z', digest='{h.digest[:6]}…')"
    assert h.digest not in r
    with pytest.raises(TypeError):
        hash(h)


def test_headers_is_sign_as_dict() -> None:
    s = privnum.Signer(KEY, SECRET)
    for scheme in ("aksk", "wsse"):
        h = s.sign(scheme, nonce="N1", created="2024-05-01T08:00:00Z")
        d = s.headers(scheme, nonce="N1", created="2024-05-01T08:00:00Z")
        assert d == h.as_dict()
        assert list(d) == ["Authorization", h.header_name]
    fresh = s.headers()
    assert privnum.Verifier(KEY, SECRET).verify(fresh).scheme == "aksk"
    with pytest.raises(privnum.InvalidNonceError):
        s.headers(nonce="not-alnum", now=NOW)
    with pytest.raises(TypeError, match="either created or now"):
        s.headers(created="2024-05-01T08:00:00Z", now=NOW)


def test_time_helpers() -> None:
    assert privnum.format_created(NOW) == "2024-05-01T08:00:00Z"
    assert privnum.parse_created("2024-05-01T08:00:00Z") == NOW
    assert privnum.parse_created(privnum.format_created(privnum.unix_now())) <= privnum.unix_now()
    n1, n2 = privnum.generate_nonce(), privnum.generate_nonce()
    assert re.fullmatch(r"[0-9A-F]{32}", n1) and n1 != n2


# ---------------------------------------------------------------- verifying


def signed(nonce: str, scheme: str = "aksk") -> dict[str, str]:
    return (
        privnum.Signer(KEY, SECRET)
        .sign(scheme, nonce=nonce, created="2024-05-01T08:00:00Z")  # type: ignore[arg-type]
        .as_dict()
    )


class _ItemsOnly:
    """A header container that is neither a dict nor iterable of pairs."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self._pairs = pairs

    def items(self) -> Iterator[tuple[str, str]]:
        return iter(self._pairs)


def as_message(h: dict[str, str]) -> email.message.Message:
    msg = email.message.Message()
    for k, v in h.items():
        msg[k] = v
    return msg


HEADER_FORMS: dict[str, Any] = {
    "dict": dict,
    "list-of-tuples": lambda h: list(h.items()),
    "tuple-of-tuples": lambda h: tuple(h.items()),
    "list-of-lists": lambda h: [[k, v] for k, v in h.items()],
    "generator-lower-case": lambda h: ((k.lower(), v) for k, v in h.items()),
    "with-unrelated-headers": lambda h: [("Content-Type", "application/json"), *h.items()],
    "wsgiref-headers": lambda h: wsgiref.headers.Headers(list(h.items())),
    "email-message": as_message,
    "items-only": lambda h: _ItemsOnly(list(h.items())),
}


@pytest.mark.parametrize("form", list(HEADER_FORMS))
def test_verify_accepts_header_containers(form: str) -> None:
    headers = HEADER_FORMS[form](signed("F1"))
    v = privnum.Verifier(KEY, SECRET).verify(headers, now=NOW)
    assert (v.scheme, v.nonce, v.created, v.wsse_raw_digest) == ("aksk", "F1", NOW, False)


def test_verify_werkzeug_headers() -> None:
    datastructures = pytest.importorskip("werkzeug.datastructures")
    h = signed("W1")
    v = privnum.Verifier(KEY, SECRET).verify(datastructures.Headers(h), now=NOW)
    assert v.nonce == "W1"
    # A multi-dict yields every value, so a duplicated header is seen and refused.
    dup = datastructures.Headers(h)
    dup.add("X-AKSK", h["X-AKSK"])
    with pytest.raises(privnum.AuthMalformedError):
        privnum.Verifier(KEY, SECRET).verify(dup, now=NOW)


def test_verify_starlette_headers() -> None:
    datastructures = pytest.importorskip("starlette.datastructures")
    h = signed("S1")
    # As Starlette builds request.headers: from the ASGI scope's raw byte pairs.
    raw = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in h.items()]
    headers = datastructures.Headers(scope={"type": "http", "headers": raw})
    v = privnum.Verifier(KEY, SECRET).verify(headers, now=NOW)
    assert v.nonce == "S1"


def test_verify_flask_request_headers() -> None:
    flask = pytest.importorskip("flask")
    h = signed("K1")
    app = flask.Flask(__name__)
    with app.test_request_context("/push", method="POST", headers=h):
        v = privnum.Verifier(KEY, SECRET).verify(flask.request.headers, now=NOW)
    assert v.nonce == "K1"


def test_verify_rejects_bytes_and_bad_shapes() -> None:
    h = signed("B1")
    raw = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in h.items()]
    verifier = privnum.Verifier(KEY, SECRET)
    with pytest.raises(TypeError, match="decode bytes first"):
        verifier.verify(raw, now=NOW)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        verifier.verify("X-AKSK: ...", now=NOW)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="pair"):
        verifier.verify([("X-AKSK",)], now=NOW)  # type: ignore[list-item]
    with pytest.raises(TypeError):
        verifier.verify({"X-AKSK": 1}, now=NOW)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        verifier.verify(42, now=NOW)  # type: ignore[arg-type]
    # Nothing was accepted by the failed calls.
    assert verifier.remembered == 0
    assert verifier.verify(dict(h), now=NOW).nonce == "B1"


def test_verify_replay_forget_and_clock() -> None:
    verifier = privnum.Verifier(KEY, SECRET)
    h = signed("R1")
    verifier.verify(h, now=NOW)
    assert verifier.remembered == 1
    with pytest.raises(privnum.AuthReplayedError) as info:
        verifier.verify(h, now=NOW)
    check_error(info.value, "AUTH_REPLAYED")
    verifier.forget("R1")
    assert verifier.remembered == 0
    verifier.verify(h, now=NOW)
    # now=None reads the clock: a request signed now is fresh, one from 2024 is stale.
    fresh = privnum.Signer(KEY, SECRET).sign().as_dict()
    assert verifier.verify(fresh).nonce
    with pytest.raises(privnum.AuthStaleError):
        verifier.verify(signed("R2"))


def test_verified_value() -> None:
    v = privnum.Verifier(KEY, SECRET).verify(signed("V1"), now=NOW)
    assert repr(v) == "Verified(scheme='aksk', nonce='V1', created=1714550400, wsse_raw_digest=False)"
    assert v == privnum.Verifier(KEY, SECRET).verify(signed("V1"), now=NOW)


# ---------------------------------------------------------------- sorted parameters

CALL = {
    "callId": "abc123",
    "callNo": "13800000000",
    "signatureNonce": "n-1",
    "timestamp": "2024-05-01T08:00:00Z",
}


def test_params_profile() -> None:
    rpc = privnum.ParamsProfile.rpc_v1("get")
    assert rpc.method == "GET"
    assert rpc.encoding == "rfc3986"
    assert rpc.key_ampersand is True
    assert rpc.skip_empty is False
    assert (rpc.signature_name, rpc.timestamp_name, rpc.nonce_name) == (
        "Signature",
        "Timestamp",
        "SignatureNonce",
    )
    assert rpc.tolerant is False
    cc = privnum.ParamsProfile.call_control()
    assert cc.method is None and cc.encoding == "form" and cc.tolerant is True
    assert cc == privnum.ParamsProfile.call_control()
    assert hash(cc) == hash(privnum.ParamsProfile.call_control())
    assert cc != rpc
    assert repr(cc).startswith("ParamsProfile(method=None, encoding='form', ")

    strict = cc.replace(tolerant=False, key_ampersand=True)
    assert strict.tolerant is False and strict.key_ampersand is True
    assert strict.encoding == "form" and cc.tolerant is True  # the original is unchanged
    assert cc.replace() == cc
    assert cc.replace(method="POST").method == "POST"
    assert rpc.replace(method=None).method is None
    assert cc.replace(encoding="rfc3986").encoding == "rfc3986"
    with pytest.raises(privnum.InvalidArgumentError):
        cc.replace(encoding="base64")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="unexpected keyword"):
        cc.replace(colour="red")  # type: ignore[call-arg]


def test_sign_params_argument_forms() -> None:
    expected = privnum.sign_params(list(CALL.items()), SECRET)
    assert privnum.sign_params(CALL, SECRET) == expected
    assert privnum.sign_params(CALL, SECRET, profile="call_control") == expected
    assert privnum.sign_params(CALL, secret=SECRET) == expected
    assert privnum.sign_params(reversed(list(CALL.items())), SECRET) == expected
    rpc = privnum.sign_params(CALL, SECRET, profile="rpc_v1")
    assert rpc == privnum.sign_params(CALL, SECRET, profile=privnum.ParamsProfile.rpc_v1("GET"))
    assert privnum.string_to_sign(CALL, profile="rpc_v1").startswith("GET&%2F&")
    with pytest.raises(privnum.InvalidArgumentError, match="unknown profile"):
        privnum.sign_params(CALL, SECRET, profile="rpc_v2")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        privnum.sign_params(CALL, SECRET, profile=1)  # type: ignore[arg-type]
    with pytest.raises(privnum.InvalidParametersError):
        privnum.sign_params([("a", "1"), ("a", "2")], SECRET)
    with pytest.raises(privnum.InvalidAppSecretError):
        privnum.sign_params(CALL, "")


def test_params_verifier_round_trip() -> None:
    signature = privnum.sign_params(CALL, SECRET)
    request = {**CALL, "signature": signature}
    verifier = privnum.ParamsVerifier("call_control", SECRET)
    assert verifier.profile == privnum.ParamsProfile.call_control()
    v = verifier.verify(request, now=NOW)
    assert (v.encoding, v.key_ampersand, v.timestamp) == ("form", False, NOW)
    assert v.profile.encoding == "form"
    assert repr(v) == "ParamsVerified(encoding='form', key_ampersand=False, timestamp=1714550400)"
    with pytest.raises(privnum.AuthReplayedError):
        verifier.verify(request, now=NOW)
    verifier.forget("n-1")
    assert verifier.verify(list(request.items()), now=NOW) == v
    with pytest.raises(privnum.AuthBadDigestError):
        verifier.verify({**request, "callNo": "13900000000"}, now=NOW)
    with pytest.raises(privnum.AuthMissingError):
        verifier.verify(CALL, now=NOW)


def test_encode_param() -> None:
    assert privnum.encode_param("a b*c~d") == "a%20b%2Ac~d"
    assert privnum.encode_param("a b*c~d", encoding="form") == "a+b*c%7Ed"
    # Long input takes the path that releases the GIL; the result is the same.
    long = "中 a~*" * 5000
    assert privnum.encode_param(long) == privnum.encode_param("中 a~*") * 5000
    with pytest.raises(privnum.InvalidArgumentError):
        privnum.encode_param("x", encoding="utf8")  # type: ignore[arg-type]


# ---------------------------------------------------------------- package


def test_version() -> None:
    assert privnum.__version__ == importlib.metadata.version("privnum")
    assert re.fullmatch(r"\d+\.\d+\.\d+((a|b|rc)\d+|\.dev\d+)?", privnum.__version__)


def public_native_names() -> set[str]:
    return {n for n in dir(native) if not n.startswith("_")}


#: Public names defined in Python (privnum/__init__.py), not in the extension.
PYTHON_ONLY = {"Push"}


def test_all_covers_the_native_module() -> None:
    assert sorted(set(privnum.__all__)) == sorted(privnum.__all__), "duplicates in __all__"
    assert set(privnum.__all__) == public_native_names() | PYTHON_ONLY
    for name in privnum.__all__:
        assert hasattr(privnum, name), name
    for cls in privnum.ERROR_KINDS.values():
        assert cls.__name__ in privnum.__all__
    # Classes present themselves as privnum.X, not privnum._native.X.
    for name in privnum.__all__:
        obj = getattr(privnum, name)
        if isinstance(obj, type):
            assert obj.__module__ == "privnum", name


def test_stubs_define_every_public_name() -> None:
    stub = Path(native.__file__).with_name("_native.pyi")
    tree = ast.parse(stub.read_text(encoding="utf-8"))
    defined: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef)):
            defined.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            defined.add(node.target.id)
        elif isinstance(node, ast.Assign):
            defined.update(t.id for t in node.targets if isinstance(t, ast.Name))
    missing = public_native_names() - defined
    assert not missing, f"not in _native.pyi: {sorted(missing)}"
    assert (Path(native.__file__).parent / "py.typed").exists()


def test_package_docstring_examples() -> None:
    """The examples in ``privnum``'s docstring run as written."""
    import doctest

    result = doctest.testmod(privnum)
    assert result.attempted > 0
    assert result.failed == 0
