#!/usr/bin/env python3
"""AXB routing through privnum.Engine against a plain-Python dict, side by side.

The same table of N AXB pairs (A, B, X) is loaded into a ``privnum.Engine``
(``bind_many``) and into a dict keyed by ``(X, caller)`` holding the callee,
both directions, as a pure-Python router would keep it. Then the same 100 000
lookups (90 % callers with a pair on X, from either side; 10 % strangers) run
through:

* ``Engine.route(caller, x, now=...)`` with pre-parsed ``privnum.Number``
  arguments (the hot path) and with E.164 text (parsed on every call);
* ``dict.get((x, caller))`` on E.164 text, the bare lookup;
* the same dict holding ``(callee, expires_at, direction)`` plus the checks
  the engine makes for a pair (lifetime, call direction), which is closer to
  what the engine does (it also checks the binding's state, the X's status
  and whether the caller may call X at all, and returns a full decision).

Both sides are first checked to give the same callee for every query. Each
timing is the best of several repeats; the table gives the time per lookup,
lookups per second and the ratio. Memory is the engine's ``memory_bytes()``
against what ``tracemalloc`` sees the dict (keys, tuples and strings) take.

Usage: python python/bench/bench_engine.py [N] [--quick]   (N pairs, default 200 000)
"""

from __future__ import annotations

import argparse
import gc
import platform
import random
import sys
import time
import timeit
import tracemalloc
from collections.abc import Callable

import privnum

NOW = 1_800_000_000
PAIRS_PER_X = 2_000  # well under the platform's 5 000 pairs per X
QUERIES = 100_000


def table(n: int) -> tuple[list[str], list[tuple[str, str, str, int, int]]]:
    """N pairs ``(a, b, x, duration, direction)`` with unique A and B, spread over N/2000 X."""
    xs = [f"+86170{i:08d}" for i in range(max(1, (n + PAIRS_PER_X - 1) // PAIRS_PER_X))]
    rng = random.Random(1)
    pairs = []
    for i in range(n):
        duration = rng.choice((0, 0, 3600, 86_400))
        direction = rng.choice((0, 0, 0, 1))
        pairs.append((f"+86138{i:08d}", f"+86139{i:08d}", xs[i % len(xs)], duration, direction))
    return xs, pairs


def queries(pairs: list[tuple[str, str, str, int, int]]) -> list[tuple[str, str]]:
    """``(caller, x)``: 45 % A calling, 45 % B calling, 10 % strangers."""
    rng = random.Random(2)
    out = []
    for i in range(QUERIES):
        a, b, x, _, _ = pairs[rng.randrange(len(pairs))]
        roll = rng.random()
        if roll < 0.45:
            out.append((a, x))
        elif roll < 0.9:
            out.append((b, x))
        else:
            out.append((f"+86135{i:08d}", x))
    return out


# ---------------------------------------------------------------- pure Python


def build_dict(pairs: list[tuple[str, str, str, int, int]]) -> dict[tuple[str, str], str]:
    d: dict[tuple[str, str], str] = {}
    for a, b, x, _, _ in pairs:
        d[(x, a)] = b
        d[(x, b)] = a
    return d


def build_rules_dict(
    pairs: list[tuple[str, str, str, int, int]],
) -> dict[tuple[str, str], tuple[str, int, bool]]:
    """``(x, caller) -> (callee, expires_at or 0, allowed)``: direction 1 lets only A call."""
    d: dict[tuple[str, str], tuple[str, int, bool]] = {}
    for a, b, x, duration, direction in pairs:
        expires = NOW + duration if duration else 0
        d[(x, a)] = (b, expires, direction != 2)
        d[(x, b)] = (a, expires, direction != 1)
    return d


# ---------------------------------------------------------------- timing


def best_per_op(fn: Callable[[], object], ops: int, repeat: int) -> float:
    return min(timeit.repeat(fn, repeat=repeat, number=1)) / ops


def fmt(seconds: float) -> str:
    if seconds < 1e-6:
        return f"{seconds * 1e9:.0f} ns"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.2f} µs"
    return f"{seconds * 1e3:.2f} ms"


def rate(seconds: float) -> str:
    per_s = 1 / seconds
    return f"{per_s / 1e6:.2f} M/s" if per_s >= 1e6 else f"{per_s / 1e3:.0f} k/s"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", nargs="?", type=int, default=200_000, help="pairs in the table (default 200 000)")
    ap.add_argument("--quick", action="store_true", help="fewer repeats (a smoke run)")
    args = ap.parse_args()
    repeat = 3 if args.quick else 7
    n = args.n

    xs, pairs = table(n)
    qs = queries(pairs)

    # Load both sides ----------------------------------------------------------
    engine = privnum.Engine("axb", id_seed=1)
    items = [
        {"a": a, "b": b, "x": x, "duration": duration, "direction": direction}
        for a, b, x, duration, direction in pairs
    ]
    gc.collect()
    t = time.perf_counter()
    engine.bind_many(items, now=NOW)
    engine_load = time.perf_counter() - t
    del items
    assert len(engine) == n

    gc.collect()
    tracemalloc.start()
    t = time.perf_counter()
    plain = build_dict(pairs)
    dict_load = time.perf_counter() - t
    dict_bytes = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    rules = build_rules_dict(pairs)

    # The same answers -------------------------------------------------------
    parsed = [(privnum.parse_number(c), privnum.parse_number(x)) for c, x in qs]
    route = engine.route
    now = NOW + 60
    for (c, x), (pc, px) in zip(qs, parsed):
        r = route(pc, px, now=now)
        callee = plain.get((x, c))
        rec = rules.get((x, c))
        want = rec[0] if rec is not None and (rec[1] == 0 or now < rec[1]) and rec[2] else None
        got = r.callee.e164 if r.callee is not None else None
        assert got == want, (c, x, got, want, r)
        assert (callee is None) == (r.reason == "no_binding"), (c, x, r)

    # Timing -----------------------------------------------------------------
    def engine_numbers() -> None:
        for c, x in parsed:
            route(c, x, now=now)

    def engine_text() -> None:
        for c, x in qs:
            route(c, x, now=now)

    get = plain.get

    def dict_get() -> None:
        for c, x in qs:
            get((x, c))

    rget = rules.get

    def dict_rules() -> None:
        for c, x in qs:
            rec = rget((x, c))
            if rec is not None and (rec[1] == 0 or now < rec[1]) and rec[2]:
                rec[0]

    def empty_loop() -> None:
        for c, x in qs:
            pass

    t_numbers = best_per_op(engine_numbers, len(qs), repeat)
    t_text = best_per_op(engine_text, len(qs), repeat)
    t_get = best_per_op(dict_get, len(qs), repeat)
    t_rules = best_per_op(dict_rules, len(qs), repeat)
    t_loop = best_per_op(empty_loop, len(qs), repeat)

    # Report -----------------------------------------------------------------
    print(
        f"privnum {privnum.__version__} · Python {platform.python_version()} ({platform.machine()}) · "
        f"{n:,} AXB pairs on {len(xs)} X · {len(qs):,} lookups · best of {repeat}"
    )
    print()
    print("| lookup | per lookup | lookups/s | vs `Engine.route` (Number) |")
    print("|---|---:|---:|---:|")
    rows = [
        ("`Engine.route(caller, x, now=…)`, `Number` arguments", t_numbers),
        ("`Engine.route(caller, x, now=…)`, E.164 text arguments", t_text),
        ("plain `dict.get((x, caller))`, E.164 text keys", t_get),
        ("`dict.get` + lifetime and direction checks", t_rules),
        ("(the bare Python `for` loop, for reference)", t_loop),
    ]
    for what, secs in rows:
        print(f"| {what} | {fmt(secs)} | {rate(secs)} | {secs / t_numbers:.2f}× |")
    print()
    print("| table | load time | memory |")
    print("|---|---:|---:|")
    print(
        f"| `Engine.bind_many` ({n:,} pairs, every rule checked) | {engine_load:.2f} s | "
        f"{engine.memory_bytes() / 2**20:.1f} MiB ({engine.memory_bytes() / n:.0f} B/pair) |"
    )
    print(
        f"| plain dict, both directions ({2 * n:,} keys; the E.164 strings are not counted) | {dict_load:.2f} s | "
        f"{dict_bytes / 2**20:.1f} MiB ({dict_bytes / n:.0f} B/pair) |"
    )
    print()
    print(
        "The engine's answer is a full routing decision (a `Route` object: callee, display X, "
        "call cap, recording flag, binding id, or the close reason and stateCode), after checking "
        "the caller may call X, the binding's state and lifetime, the X's status and the call direction."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
