"""The ``privnum`` command of the Python package (``python -m privnum`` and
the installed script) against the emulator: the same command as the Rust
binary, run in a subprocess as a shell script would."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import privnum.testing


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "privnum", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
        check=False,
    )


def test_operations_against_the_emulator() -> None:
    with privnum.testing.emulator() as emu:
        env = {
            "PRIVNUM_BASE_URL": emu.base_url,
            "PRIVNUM_APP_KEY": emu.app_key,
            "PRIVNUM_APP_SECRET": emu.app_secret,
        }
        p = run("--json", "axb", "bind", "--caller", "138 0000 0001", "--callee", "13900000002", env=env)
        assert p.returncode == 0, p.stderr
        bound = json.loads(p.stdout)
        assert bound["relation_num"] in emu.numbers
        p = run("axb", "query", "--relation-num", bound["relation_num"], env=env)
        assert p.returncode == 0, p.stderr
        assert f"bindings[1].subscription_id: {bound['subscription_id']}" in p.stdout
        p = run("--json", "axb", "bind", "--caller", "13800000001", "--callee", "13900000002",
                "--relation-num", bound["relation_num"], env=env)
        assert p.returncode == 1
        assert json.loads(p.stdout)["error"]["platform_code"] == "1012010"
        p = run("axb", "unbind", "--id", bound["subscription_id"], env=env)
        assert p.returncode == 0, p.stderr
        assert emu.bindings() == []


def test_usage_errors_and_parse(tmp_path: Path) -> None:
    p = run("ops")
    assert p.returncode == 0 and "privnum axb bind" in p.stdout
    p = run("axb", "bind", "--caller", "13800000001", env={"PRIVNUM_BASE_URL": ""})
    assert p.returncode == 2
    push = tmp_path / "push.json"
    push.write_text('{"eventType":"fee","feeLst":[{"icid":"c1"}]}')
    p = run("parse", str(push))
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["records"][0]["key"] == "c1"


def test_the_installed_script() -> None:
    script = shutil.which("privnum", path=str(Path(sys.executable).parent))
    assert script is not None, "the package installs a privnum script"
    p = subprocess.run([script, "--version"], capture_output=True, text=True, timeout=60, check=False)
    assert p.returncode == 0 and p.stdout.startswith("privnum "), p
