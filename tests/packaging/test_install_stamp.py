"""scripts/run starts quietly: it installs only when the lock, pyproject.toml or setup.py
changed since the last install (the stamp in .venv/.installed written by scripts/_venv.sh).

The real _venv.sh runs in a copy of the project's layout whose .venv/bin/python is a
recorder: every pip call it would make is logged instead of run, so the test sees exactly
when the script installs, and what a normal start prints.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

from tests.packaging.installed import ROOT

RECORDER = """#!/bin/sh
echo "$*" >> "$(dirname "$0")/../../calls.log"
"""
PROBE = """#!/usr/bin/env bash
set -euo pipefail
source "$(dirname "$0")/_venv.sh" ""
echo "the application's own message"
"""


def _make_project(root: Path) -> Path:
    (root / "scripts").mkdir(parents=True)
    shutil.copy(ROOT / "scripts" / "_venv.sh", root / "scripts" / "_venv.sh")
    probe = root / "scripts" / "probe"
    probe.write_text(PROBE)
    for name in ("requirements.lock", "pyproject.toml", "setup.py"):
        (root / name).write_text(f"# {name}\n")
    python = root / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text(RECORDER)
    # _venv.sh first makes sure the ICU headers are there (pkg-config), and would install
    # them as root: not this test's subject, so a pkg-config that finds them.
    pkg_config = root / "tools" / "pkg-config"
    pkg_config.parent.mkdir()
    pkg_config.write_text("#!/bin/sh\nexit 0\n")
    for script in (probe, python, pkg_config):
        script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return probe


def _start(probe: Path) -> str:
    env = {
        **os.environ,
        "PYTHON": sys.executable,  # the suite runs on 3.11
        "PATH": f"{probe.parent.parent / 'tools'}{os.pathsep}{os.environ['PATH']}",
    }
    done = subprocess.run([probe], capture_output=True, text=True, env=env, timeout=60, check=True)
    return done.stdout + done.stderr


def _pip_calls(root: Path) -> list[str]:
    log = root / "calls.log"
    calls = log.read_text().splitlines() if log.exists() else []
    log.unlink(missing_ok=True)
    return [call for call in calls if "pip install" in call]


def test_a_normal_start_does_no_pip_work_and_prints_only_the_application(tmp_path):
    probe = _make_project(tmp_path)
    _start(probe)  # first start: installs from the lock, then the project
    first = _pip_calls(tmp_path)
    assert any("--require-hashes -r requirements.lock" in call for call in first), first
    assert any("--no-deps -e ." in call for call in first), first

    output = _start(probe)
    assert _pip_calls(tmp_path) == []
    assert output == "the application's own message\n"


def test_a_changed_lock_or_pyproject_installs_again(tmp_path):
    probe = _make_project(tmp_path)
    _start(probe)
    _pip_calls(tmp_path)
    for name in ("requirements.lock", "pyproject.toml", "setup.py"):
        with (tmp_path / name).open("a") as changed:
            changed.write("# changed\n")
        _start(probe)
        assert _pip_calls(tmp_path), f"a changed {name} did not reinstall"
        _start(probe)
        assert _pip_calls(tmp_path) == [], f"reinstalled twice after {name} changed"
