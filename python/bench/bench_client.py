#!/usr/bin/env python3
"""AXB bind + unbind round trips against privnum's emulator on loopback, in
one run: privnum's Python client against the same signed calls sent with
``requests``.

* ``privnum.Client``: ``call_op("axb.bind", ...)`` then
  ``call_op("axb.unbind", ...)``; the request is built, validated, signed,
  sent (a fresh connection per request, GIL released) and the answer parsed
  in Rust.
* ``requests``: what a Python back end does without privnum's client: the
  JSON body built with ``json.dumps``, the headers signed with
  ``privnum.Signer.headers()`` (so signing is the same fast code on both
  sides), sent with ``requests.post`` / ``requests.delete`` (a fresh
  connection per request too: the platform closes its connections), the
  answer read with ``resp.json()`` and its ``resultcode`` checked.

Both run the same number of round trips against the same emulator, one
after the other, several times; the table gives the best rate of each and
the ratio. The Rust client's figure is ``PRIVNUM_BENCH_REPORT=1 cargo bench
-p privnum --features emulator --bench client``.

Usage: python python/bench/bench_client.py [--seconds S] [--rounds R]
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from collections.abc import Callable

import requests

import privnum
import privnum.testing

AXB = "/rest/caas/relationnumber/partners/v1.0"


def party(prefix: str, i: int) -> str:
    return f"{prefix}{i % 100_000_000:08d}"


def with_privnum(client: privnum.Client) -> Callable[[int], None]:
    def round_trip(i: int) -> None:
        bound = client.call_op(
            "axb.bind", caller_num=party("+86138", i), callee_num=party("+86139", i)
        )
        client.call_op("axb.unbind", subscription_id=bound["subscription_id"])

    return round_trip


def with_requests(base_url: str, signer: privnum.Signer) -> Callable[[int], None]:
    def check(resp: requests.Response) -> dict[str, object]:
        answer: dict[str, object] = resp.json()
        if answer.get("resultcode") != "0":
            raise RuntimeError(f"refused: {answer}")
        return answer

    def round_trip(i: int) -> None:
        body = json.dumps(
            {"callerNum": party("+86138", i), "calleeNum": party("+86139", i)},
            separators=(",", ":"),
        )
        headers = signer.headers()
        headers["Content-Type"] = "application/json;charset=UTF-8"
        bound = check(requests.post(base_url + AXB, data=body, headers=headers, timeout=10))
        headers = signer.headers()
        headers["Content-Type"] = "application/json;charset=UTF-8"
        check(
            requests.delete(
                base_url + AXB,
                params={"subscriptionId": bound["subscriptionId"]},
                headers=headers,
                timeout=10,
            )
        )

    return round_trip


def rate(round_trip: Callable[[int], None], start: int, seconds: float) -> tuple[float, int]:
    """Round trips per second for about ``seconds``; and the next index."""
    i = start
    t0 = time.perf_counter()
    deadline = t0 + seconds
    while time.perf_counter() < deadline:
        round_trip(i)
        i += 1
    return (i - start) / (time.perf_counter() - t0), i


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=3.0, help="per measurement (default 3)")
    ap.add_argument("--rounds", type=int, default=3, help="measurements of each (default 3)")
    args = ap.parse_args()

    with privnum.testing.emulator() as emu:
        client = emu.client()
        signer = privnum.Signer(emu.app_key, emu.app_secret)
        sides = {
            "privnum.Client": with_privnum(client),
            "requests (same signed calls)": with_requests(emu.base_url, signer),
        }
        best = {name: 0.0 for name in sides}
        i = 0
        for name, f in sides.items():  # warm up, and check both work
            _, i = rate(f, i, 0.3)
        for _ in range(args.rounds):
            for name, f in sides.items():
                r, i = rate(f, i, args.seconds)
                best[name] = max(best[name], r)

    print(
        f"AXB bind+unbind round trips against the emulator on loopback "
        f"(Python {platform.python_version()}, best of {args.rounds} x {args.seconds:g} s)"
    )
    print("| client | round trips/s | ms per round trip |")
    print("|---|---|---|")
    for name, r in best.items():
        print(f"| {name} | {r:,.0f} | {1000 / r:.2f} |")
    ratio = best["privnum.Client"] / best["requests (same signed calls)"]
    print(f"\nprivnum.Client / requests: {ratio:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
