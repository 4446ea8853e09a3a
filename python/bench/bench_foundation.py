#!/usr/bin/env python3
"""privnum against the usual pure-Python ways, side by side in one run.

1. X-AKSK header generation: ``Signer.sign(nonce=..., created=...)`` against
   the same headers built with ``hmac``/``hashlib``/``base64``.
2. Parsing phone numbers and formatting them as E.164:
   ``privnum.parse_number(s).e164`` and ``privnum.parse_numbers(batch)``
   against ``phonenumbers`` (``format_number(parse(s, "CN"), E164)``), on the
   same mixed inputs (mobiles with separators, +86 and 00 forms, fixed lines).

Both sides are first checked to give identical output. Each timing is the best
of several ``timeit`` repeats; the table gives the time per operation and the
speedup (pure-Python time / privnum time). Runs in well under a minute.

Usage: python python/bench/bench_foundation.py [--quick]
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import platform
import random
import sys
import timeit
from collections.abc import Callable

import privnum

try:
    import phonenumbers
except ImportError:  # pragma: no cover - reported in the output
    phonenumbers = None


# ---------------------------------------------------------------- inputs

APP_KEY = "a1d1f50cad21415fbdd13d8f53d36d60"
APP_SECRET = "cfc881cc704c4fba8d8fef5788e03e6b"
AUTHORIZATION = 'AKSK realm="SDP",profile="UsernameToken",type="Appkey"'


def signing_inputs(n: int) -> list[tuple[str, str]]:
    rng = random.Random(1)
    out = []
    for _ in range(n):
        nonce = "".join(rng.choice("0123456789ABCDEF") for _ in range(32))
        created = privnum.format_created(1_700_000_000 + rng.randrange(10_000_000))
        out.append((nonce, created))
    return out


def number_inputs(n: int) -> list[str]:
    """What people type: mobiles with separators, +86 / 00 forms, fixed lines."""
    rng = random.Random(2)
    areas = ["10", "20", "21", "22", "23", "24", "25", "27", "28", "29", "311", "371", "512", "571", "755", "769"]
    out = []
    for i in range(n):
        kind = i % 8
        mobile = f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"
        if kind == 0:
            out.append(mobile)
        elif kind == 1:
            out.append(f"{mobile[:3]}-{mobile[3:7]}-{mobile[7:]}")
        elif kind == 2:
            out.append(f"+86 {mobile[:3]} {mobile[3:7]} {mobile[7:]}")
        elif kind == 3:
            out.append(f"0086{mobile}")
        elif kind == 4:
            out.append(f"+86-{mobile}")
        else:
            area = rng.choice(areas)
            local_len = 8 if len(area) == 2 else rng.choice((7, 8))
            local = f"{rng.randrange(2, 10)}{rng.randrange(10 ** (local_len - 1)):0{local_len - 1}d}"
            if kind == 5:
                out.append(f"0{area}-{local[:4]}-{local[4:]}")
            elif kind == 6:
                out.append(f"(0{area}) {local}")
            else:
                out.append(f"+86 {area} {local}")
    return out


# ---------------------------------------------------------------- pure Python


def py_aksk_headers(app_key: str, secret: bytes, nonce: str, created: str) -> dict[str, str]:
    mac = hmac.new(secret, (nonce + created).encode(), hashlib.sha256).digest()
    digest = base64.b64encode(mac).decode("ascii")
    token = f'UsernameToken Username="{app_key}", PasswordDigest="{digest}", Nonce="{nonce}", Created="{created}"'
    return {"Authorization": AUTHORIZATION, "X-AKSK": token}


def phonenumbers_e164(text: str) -> str:
    assert phonenumbers is not None
    return phonenumbers.format_number(phonenumbers.parse(text, "CN"), phonenumbers.PhoneNumberFormat.E164)


# ---------------------------------------------------------------- timing


def best_per_op(fn: Callable[[], object], ops: int, repeat: int, number: int) -> float:
    """Best-of-``repeat`` seconds per operation (``fn`` does ``ops`` operations)."""
    times = timeit.repeat(fn, repeat=repeat, number=number)
    return min(times) / (number * ops)


def fmt(seconds: float) -> str:
    if seconds < 1e-6:
        return f"{seconds * 1e9:.0f} ns"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.2f} µs"
    return f"{seconds * 1e3:.2f} ms"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer repeats (a smoke run)")
    args = ap.parse_args()
    repeat = 3 if args.quick else 7

    rows: list[tuple[str, str, float, str, float]] = []

    # 1. X-AKSK headers ------------------------------------------------------
    signer = privnum.Signer(APP_KEY, APP_SECRET)
    secret = APP_SECRET.encode()
    sign_in = signing_inputs(2_000)
    for nonce, created in sign_in:
        ours = signer.sign(nonce=nonce, created=created).as_dict()
        theirs = py_aksk_headers(APP_KEY, secret, nonce, created)
        assert ours == theirs, (nonce, created, ours, theirs)
        assert signer.headers(nonce=nonce, created=created) == theirs
    # The spec's published vector, for good measure.
    vector = signer.sign(nonce="66C92B11FF8A425FB8D4CCFE0ED9ED1F", created="2018-02-12T15:30:20Z")
    assert vector.digest == "qMO+SlJCBqpyYcBSyVkLNzXkk6yh2B+TA9kH8I2GG8Q="

    sign = signer.sign

    def privnum_headers() -> None:
        for nonce, created in sign_in:
            sign(nonce=nonce, created=created).as_dict()

    headers = signer.headers

    def privnum_headers_direct() -> None:
        for nonce, created in sign_in:
            headers(nonce=nonce, created=created)

    def python_headers() -> None:
        for nonce, created in sign_in:
            py_aksk_headers(APP_KEY, secret, nonce, created)

    python_time = best_per_op(python_headers, len(sign_in), repeat, 20)
    rows.append(
        (
            "X-AKSK headers (dict), nonce + Created given",
            "Signer.headers(...)",
            best_per_op(privnum_headers_direct, len(sign_in), repeat, 20),
            "hmac + hashlib + base64",
            python_time,
        )
    )
    rows.append(
        (
            "X-AKSK headers via an AuthHeaders object",
            "Signer.sign(...).as_dict()",
            best_per_op(privnum_headers, len(sign_in), repeat, 20),
            "hmac + hashlib + base64",
            python_time,
        )
    )

    # 2. Numbers -------------------------------------------------------------
    numbers = number_inputs(2_000)
    expected = [privnum.parse_number(s).e164 for s in numbers]
    assert [n.e164 for n in privnum.parse_numbers(numbers)] == expected
    if phonenumbers is not None:
        mismatches = [(s, e, phonenumbers_e164(s)) for s, e in zip(numbers, expected) if phonenumbers_e164(s) != e]
        assert not mismatches, mismatches[:5]

    parse_number = privnum.parse_number
    parse_numbers = privnum.parse_numbers

    def privnum_single() -> None:
        for s in numbers:
            parse_number(s).e164

    def privnum_batch() -> None:
        [n.e164 for n in parse_numbers(numbers)]

    single = best_per_op(privnum_single, len(numbers), repeat, 50)
    batch = best_per_op(privnum_batch, len(numbers), repeat, 50)
    if phonenumbers is not None:
        pn_parse = phonenumbers.parse
        pn_format = phonenumbers.format_number
        e164 = phonenumbers.PhoneNumberFormat.E164

        def phonenumbers_single() -> None:
            for s in numbers:
                pn_format(pn_parse(s, "CN"), e164)

        theirs = best_per_op(phonenumbers_single, len(numbers), repeat, 3)
        rows.append(("Parse + E.164, one call per number", "parse_number(s).e164", single, "phonenumbers", theirs))
        rows.append(("Parse + E.164, batch of 2 000", "parse_numbers(batch)", batch, "phonenumbers", theirs))

    # Report -------------------------------------------------------------------
    pn_version = getattr(phonenumbers, "__version__", "not installed") if phonenumbers else "not installed"
    print(
        f"privnum {privnum.__version__} · phonenumbers {pn_version} · "
        f"Python {platform.python_version()} ({platform.machine()}) · best of {repeat}"
    )
    print()
    print("| operation | privnum | per op | pure Python | per op | speedup |")
    print("|---|---|---:|---|---:|---:|")
    for what, ours_name, ours_t, theirs_name, theirs_t in rows:
        print(
            f"| {what} | `{ours_name}` | {fmt(ours_t)} | {theirs_name} | {fmt(theirs_t)} | "
            f"{theirs_t / ours_t:.1f}× |"
        )
    if phonenumbers is None:
        print("\n(phonenumbers is not installed: number rows skipped; `pip install phonenumbers`)")
    print()
    print(f"Inputs: {len(sign_in)} (nonce, Created) pairs; {len(numbers)} numbers as typed, e.g. {numbers[:6]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
