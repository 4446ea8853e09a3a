#!/usr/bin/env python3
"""Check that the workspace's declared MSRV is not below any dependency's.

The machines that build privnum have a single Rust toolchain, so the MSRV
cannot be proven by compiling with it; this check catches the common way an
MSRV silently becomes false: a dependency update that raises its own
`rust-version` above ours.
"""
import json
import subprocess
import sys


def parse(v: str) -> tuple[int, ...]:
    return tuple(int(x) for x in v.split(".")[:3])


def main() -> int:
    meta = json.loads(
        subprocess.run(
            ["cargo", "metadata", "--format-version", "1", "--locked"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    members = set(meta["workspace_members"])
    ours = {p["name"]: p["rust_version"] for p in meta["packages"] if p["id"] in members}
    msrv = min(parse(v) for v in ours.values())
    bad = [
        f"{p['name']} {p['version']} needs {p['rust_version']}"
        for p in meta["packages"]
        if p["id"] not in members and p.get("rust_version") and parse(p["rust_version"]) > msrv
    ]
    if bad:
        print("declared MSRV", ".".join(map(str, msrv)), "is below:", *bad, sep="\n  ")
        return 1
    print("MSRV", ".".join(map(str, msrv)), "covers every dependency's rust-version")
    return 0


if __name__ == "__main__":
    sys.exit(main())
