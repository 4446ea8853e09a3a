#!/usr/bin/env python3
"""Write the seed corpus of the fuzz targets (core/fuzz) from tests/vectors/*.json.

Every target gets the test vectors that exercise it, written in the input
format that target reads (documented at the top of each file in
core/fuzz/fuzz_targets/), so that libFuzzer starts from inputs that already
pass the parsers and reach the deep paths (a verified signature, a replayed
nonce, a 50-record CDR batch, a reply that serializes) instead of having to
find them.

The corpus is generated, not committed: the vectors are the source of truth,
and the seeds are several hundred kilobytes (the push bodies alone are more
than 100 KB). `make fuzz` runs this script before fuzzing. Seeds are named
`seed-<vector file>-<case id>[-<n>]` and rewritten on every run; files that
libFuzzer adds to the same directories (named by their SHA-1) are left alone.

Usage: python3 tests/tools/fuzz_corpus.py [--out DIR] [--check]
  --out DIR   corpus root (default: core/fuzz/corpus)
  --check     only report how many seeds each target would get
Python 3 standard library only.
"""

from __future__ import annotations

import argparse
import json
import re
import struct
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

Case = dict[str, Any]

ROOT = Path(__file__).resolve().parents[2]
VECTORS = ROOT / "tests" / "vectors"

TARGETS = (
    "number_parse",
    "verify_headers",
    "params_verify",
    "call_control",
    "created",
    "push_parse",
    "inbox_receive",
    "replies",
    "sms_segments",
    "codes",
    "client_ops",
)

# NumberClass codes (core/src/number/mod.rs) and the packed layout of
# Number::to_bits: value | len << 50 | cc_len << 54 | class << 56.
CLASS_CODES = {
    "mobile": 1,
    "virtual_operator": 2,
    "fixed_line": 3,
    "service": 4,
    "international": 5,
}


def load(name: str) -> list[Case]:
    cases: list[Case] = json.loads((VECTORS / f"{name}.json").read_text(encoding="utf-8"))[
        "cases"
    ]
    return cases


def safe(s: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", s)[:80]


class Corpus:
    def __init__(self) -> None:
        self.seeds: dict[str, dict[str, bytes]] = {t: {} for t in TARGETS}

    def add(self, target: str, name: str, data: str | bytes) -> None:
        if isinstance(data, str):
            data = data.encode("utf-8")
        seeds = self.seeds[target]
        if data in seeds.values():
            return
        base = f"seed-{safe(name)}"
        key, n = base, 1
        while key in seeds:
            n += 1
            key = f"{base}-{n}"
        seeds[key] = data


def escape_value(v: str) -> str:
    """The replies target's in-line escapes: backslash and line feed."""
    return v.replace("\\", "\\\\").replace("\n", "\\n")


def params_input(profile: str, secret: str, now: int, params: list[list[str]]) -> str:
    lines = [profile, secret, str(now)]
    lines += [f"{k}={v}" for k, v in params]
    return "\n".join(lines)


def profile_line(p: Case) -> str:
    if p.get("kind") == "rpc_v1":
        return f"rpc_v1 {p.get('method', 'GET')}"
    return "call_control"


def number_bits(e: Case) -> bytes | None:
    digits = e["e164"][1:]
    cc = str(e["country_code"])
    cls = CLASS_CODES.get(e["class"])
    if cls is None or not digits.startswith(cc):
        return None
    bits = int(digits) | len(digits) << 50 | len(cc) << 54 | cls << 56
    return struct.pack("<Q", bits)


def sms_text(case: Case) -> str:
    if "text" in case:
        return str(case["text"])
    rep = case["text_repeat"]
    parts = rep if isinstance(rep, list) else [rep]
    return "".join(p["unit"] * p["count"] for p in parts)


def push_body(case: Case) -> bytes | None:
    if "body_hex" in case:
        return bytes.fromhex(case["body_hex"])
    if "body" in case:
        return str(case["body"]).encode("utf-8")
    return None


def build() -> Corpus:
    c = Corpus()

    # numbers: typed text, and the packed bits of every valid number.
    for case in load("numbers"):
        c.add("number_parse", f"numbers-{case['id']}", case["input"])
        if "expect" in case:
            bits = number_bits(case["expect"])
            if bits:
                c.add("number_parse", f"bits-{case['id']}", bits)
    for case in load("fields"):
        if "number" in case:
            c.add("number_parse", f"fields-{case['id']}", case["number"])

    # Header verification: the verify.json steps, the signed inbox steps, and
    # the headers signing.json expects (verified at their own Created time).
    for case in load("verify"):
        cfg = case.get("config", {})
        conf = " ".join(
            str(x)
            for x in (
                cfg.get("max_age_secs", 600),
                cfg.get("max_future_secs", 300),
                cfg.get("replay_capacity", 100),
                1 if cfg.get("accept_wsse", True) else 0,
            )
        )
        for i, step in enumerate(case["steps"]):
            if "headers" not in step:
                continue
            lines = [case["app_key"], case["app_secret"], f"{step['now']} {conf}"]
            lines += [f"{k}:{v}" for k, v in step["headers"]]
            c.add("verify_headers", f"verify-{case['id']}-{i}", "\n".join(lines))
            c.add("created", f"verify-{case['id']}-{i}", created_of(step["headers"]))
    for case in load("inbox"):
        if "app_key" not in case:
            continue
        age = case.get("config", {}).get("max_age_secs", 600)
        for i, step in enumerate(case["steps"]):
            if not step.get("headers"):
                continue
            lines = [case["app_key"], case["app_secret"], f"{step['now']} {age} 300 100 1"]
            lines += [f"{k}:{v}" for k, v in step["headers"]]
            c.add("verify_headers", f"inbox-{case['id']}-{i}", "\n".join(lines))
    for case in load("signing"):
        op = case["op"]
        if op == "sign" and "expect" in case:
            e = case["expect"]
            unix = created_unix(case["created"])
            lines = [case["app_key"], case["app_secret"], f"{unix} 600 300 100 1"]
            lines += [f"Authorization:{e['authorization']}", f"{e['header_name']}:{e['header']}"]
            c.add("verify_headers", f"signing-{case['id']}", "\n".join(lines))
        if "created" in case:
            c.add("created", f"signing-{case['id']}", case["created"])
        if op == "format_created":
            c.add("created", f"signing-{case['id']}-unix", struct.pack("<q", case["unix"]))
            if "expect" in case:
                c.add("created", f"signing-{case['id']}-text", case["expect"]["created"])

    # Sorted-parameter signatures and call-control queries share a format.
    for case in load("params"):
        op = case["op"]
        if op == "encode":
            text = params_input("call_control", "s", 0, [["v", case["input"]]])
            c.add("params_verify", f"params-{case['id']}", text)
        elif op == "sign":
            text = params_input(profile_line(case["profile"]), case["secret"], 0, case["params"])
            c.add("params_verify", f"params-{case['id']}", text)
        elif op == "verify":
            for i, step in enumerate(case["steps"]):
                text = params_input(
                    profile_line(case["profile"]), case["secret"], step["now"], step["params"]
                )
                c.add("params_verify", f"params-{case['id']}-{i}", text)
                c.add("call_control", f"params-{case['id']}-{i}", text)
    for case in load("call_control"):
        for i, step in enumerate(case["steps"]):
            if "params" not in step:
                continue
            text = params_input("call_control", case["secret"], step["now"], step["params"])
            c.add("call_control", f"call_control-{case['id']}-{i}", text)
            c.add("params_verify", f"call_control-{case['id']}-{i}", text)

    # Push bodies: pushes.json and every inbox step.
    for case in load("pushes"):
        body = push_body(case)
        if body is not None:
            c.add("push_parse", f"pushes-{case['id']}", body)
            c.add("inbox_receive", f"pushes-{case['id']}", body)
            for t in re.findall(rb"\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d[^\"]*", body):
                c.add("created", f"pushes-{case['id']}-time", t)
    for case in load("inbox"):
        for i, step in enumerate(case["steps"]):
            body = push_body(step)
            if body is not None:
                c.add("inbox_receive", f"inbox-{case['id']}-{i}", body)
                c.add("push_parse", f"inbox-{case['id']}-{i}", body)

    # Reply builders.
    for case in load("replies"):
        lines = [case["kind"]]
        for k, v in case.items():
            if k in ("id", "kind", "expect", "error"):
                continue
            if k == "extra":
                lines += [f"extra={escape_value(n)}={escape_value(x)}" for n, x in v]
            elif isinstance(v, bool):
                lines.append(f"{k}={'true' if v else 'false'}")
            elif v is not None:
                lines.append(f"{k}={escape_value(str(v))}")
        c.add("replies", f"replies-{case['id']}", "\n".join(lines))

    # SMS texts; the AX cases count text + "@" + B as well.
    for case in load("sms_segments"):
        c.add("sms_segments", f"sms-{case['id']}", sms_text(case))
    # The same target reads the AX-mode @B suffix.
    for case in load("ax_suffix"):
        c.add("sms_segments", f"ax-{case['id']}", case["text"])

    # Code readers.
    for case in load("codes"):
        c.add("codes", f"codes-{case['id']}", str(case["code"]))

    # Client operations by name: every client*.json case (a request case
    # with a success answer, so that parsing is reached too).
    for path in sorted(VECTORS.glob("client*.json")):
        for case in load(path.stem):
            args = json.dumps(case["input"], ensure_ascii=False, separators=(",", ":"))
            status = str(case.get("status", 200))
            location = case.get("location", "")
            body = case.get("body") if case["type"] == "response" else '{"resultcode":"0"}'
            text = "\n".join([case["op"], args, status, location, body or ""])
            c.add("client_ops", f"{path.stem}-{case['id']}", text)
    return c


def created_of(headers: list[list[str]]) -> str:
    for _, v in headers:
        m = re.search(r'Created="([^"]*)"', v)
        if m:
            return m.group(1)
    return ""


def created_unix(created: str) -> int:
    try:
        dt = datetime.strptime(created[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)
        return int(dt.timestamp())
    except ValueError:
        return 1714550400


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=ROOT / "core" / "fuzz" / "corpus")
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    corpus = build()
    total = 0
    for target, seeds in corpus.seeds.items():
        size = sum(len(d) for d in seeds.values())
        total += size
        if not seeds:
            print(f"fuzz_corpus: no seeds for {target}", file=sys.stderr)
            return 1
        if args.check:
            print(f"{target}: {len(seeds)} seeds, {size} bytes")
            continue
        out = args.out / target
        out.mkdir(parents=True, exist_ok=True)
        for old in out.glob("seed-*"):
            old.unlink()
        for name, data in seeds.items():
            (out / name).write_bytes(data)
    what = "would write" if args.check else f"wrote to {args.out}"
    n = sum(len(s) for s in corpus.seeds.values())
    print(f"fuzz_corpus: {what} {n} seeds ({total} bytes) for {len(TARGETS)} targets")
    return 0


if __name__ == "__main__":
    sys.exit(main())
