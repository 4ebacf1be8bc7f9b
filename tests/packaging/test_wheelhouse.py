"""The offline installation kit (scripts/wheelhouse, docs/packaging.md) installs with no index.

The whole kit (minutes: 440 MB, PyICU compiles) is made and installed into a fresh venv with
the index switched off (and, where we may, with no network at all); the environment must be
the lock's, and the installed workstation must make the sample, its brief and its window in
a clean environment. A partial kit (``--only``) checks that option: reportlab and rapidfuzz
(wheels, with reportlab's dependencies found through the lock) and docopt, which PyPI
publishes as source only and the kit must carry built into a wheel. Making a kit downloads
from PyPI, as CI can. Both are gated by WORKSTATION_PACKAGING_TESTS=1 (scripts/test's
background run).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.packaging.installed import ENABLED, SKIP_REASON, check_sample_brief_and_window, run

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "wheelhouse"
ONLY = ("reportlab", "rapidfuzz", "docopt")


def _env(*, pip_config: bool = False, **extra: str) -> dict[str, str]:
    """Without the project's venv; unless ``pip_config``, without any PIP_* setting either
    (the install must not see an index or a folder of wheels other than the kit)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME"}
        and (pip_config or not key.startswith("PIP_"))
    }
    env["PYTHONNOUSERSITE"] = "1"
    env.update(extra)
    return env


def _run(args: list[str | Path], *, cwd: Path, env: dict[str, str], timeout: float = 300):
    return run(args, env, timeout=timeout, cwd=cwd)


def _offline_prefix() -> list[str]:
    """``unshare -n`` (a network namespace with nothing in it) when we are root and it
    works here; otherwise the install relies on --no-index alone."""
    unshare = shutil.which("unshare")
    if unshare and os.geteuid() == 0:
        probe = subprocess.run([unshare, "-n", "true"], capture_output=True, check=False)
        if probe.returncode == 0:
            return [unshare, "-n"]
    return []


def _locked() -> dict[str, str]:
    text = (ROOT / "requirements.lock").read_text()
    return dict(re.findall(r"^([a-z0-9._-]+)==(\S+)", text, re.M))


def test_refuses_a_folder_that_is_not_a_kit(tmp_path):
    (tmp_path / "notes.txt").write_text("someone's files")
    done = subprocess.run(
        [SCRIPT, tmp_path], capture_output=True, text=True, env=_env(), check=False, timeout=60
    )
    assert done.returncode == 2, done.stderr
    assert "not a kit" in done.stderr
    assert (tmp_path / "notes.txt").exists()


def _make_kit(kit: Path, *only: str) -> None:
    # Making the kit uses the index, and whatever mirror the machine's pip is set to.
    making = _env(pip_config=True)
    if shutil.which("python3.11") is None:
        making.setdefault("PYTHON", sys.executable)  # the suite runs on 3.11 (pyproject)
    _run([SCRIPT, *(["--only", ",".join(only)] if only else []), kit], env=making,
         cwd=kit.parent, timeout=1200)  # fmt: skip


def _install_offline(kit: Path, venv: Path) -> dict[str, str]:
    """A fresh venv, installed from the kit alone: no index, no pip configuration, no
    network where possible. Returns what is installed, by normalised name."""
    _run([sys.executable, "-m", "venv", venv], env=_env(), cwd=kit.parent)
    _run(
        [*_offline_prefix(), venv / "bin" / "pip", "install", "--quiet", "--no-index",
         "--find-links", kit, "--require-hashes", "-r", kit / "requirements.kit.txt"],
        env=_env(PIP_CONFIG_FILE=os.devnull, PIP_NO_INDEX="1"), cwd=kit.parent, timeout=900,
    )  # fmt: skip
    frozen = _run([venv / "bin" / "pip", "freeze", "--all"], env=_env(), cwd=kit.parent).stdout
    return {
        re.sub(r"[-_.]+", "-", name).lower(): version
        for name, version in re.findall(r"^(\S+)==(\S+)$", frozen, re.M)
    }


@pytest.mark.slow
@pytest.mark.packaging
@pytest.mark.skipif(not ENABLED, reason=SKIP_REASON)
def test_whole_kit_reproduces_the_lock_and_runs_the_workstation(tmp_path):
    started = time.monotonic()
    kit = tmp_path / "kit"
    _make_kit(kit)
    made = time.monotonic() - started
    _run(["sha256sum", "--quiet", "-c", "SHA256SUMS"], env=_env(), cwd=kit)
    locked = _locked()
    pinned = dict(
        line.split(" ")[0].split("==")
        for line in (kit / "requirements.kit.txt").read_text().splitlines()
    )
    assert {name: version for name, version in pinned.items() if name != "workstation"} == locked
    assert "Partial kit" not in (kit / "README.txt").read_text()

    started = time.monotonic()
    venv = tmp_path / "venv"
    installed = _install_offline(kit, venv)
    assert {name: installed.get(name) for name in pinned} == pinned
    assert set(installed) == set(pinned)  # nothing beyond the kit (the venv's own pip,
    # setuptools are the lock's versions too)
    installing = time.monotonic() - started
    check_sample_brief_and_window(venv / "bin" / "workstation", venv / "bin" / "workstation-app",
                                  tmp_path)  # fmt: skip
    print(f"make kit: {made:.0f} s, offline install: {installing:.0f} s, "
          f"{sum(f.stat().st_size for f in kit.rglob('*')) / 2**20:.0f} MB")  # fmt: skip


@pytest.mark.slow
@pytest.mark.packaging
@pytest.mark.skipif(not ENABLED, reason=SKIP_REASON)
def test_partial_kit_installs_without_an_index(tmp_path):
    timings: dict[str, float] = {}
    kit = tmp_path / "kit"
    started = time.monotonic()
    _make_kit(kit, *ONLY)
    timings["make kit"] = time.monotonic() - started

    # What the kit holds: one wheel per locked distribution, the sources of the source-only
    # ones with the lock's own hash, a SHA256SUMS that checks, and the instructions.
    locked = _locked()
    pinned = dict(
        line.split(" ")[0].split("==")
        for line in (kit / "requirements.kit.txt").read_text().splitlines()
    )
    assert set(ONLY) <= set(pinned)
    assert "pillow" in pinned  # reportlab's dependency, found through the lock
    assert "workstation" not in pinned  # --only leaves the project out
    assert all(locked[name] == version for name, version in pinned.items())
    assert len(list(kit.glob("*.whl"))) == len(pinned)
    assert list(kit.glob("docopt-0.6.2-*.whl")), "the source-only package was not built"
    (sdist,) = (kit / "sources").iterdir()
    digest = hashlib.sha256(sdist.read_bytes()).hexdigest()
    assert f"--hash=sha256:{digest}" in (ROOT / "requirements.lock").read_text()
    _run(["sha256sum", "--quiet", "-c", "SHA256SUMS"], env=_env(), cwd=kit)
    readme = (kit / "README.txt").read_text()
    assert "--no-index" in readme
    assert "Partial kit" in readme

    # The install: fresh venv, no index, no pip configuration, no network where possible.
    started = time.monotonic()
    venv = tmp_path / "venv"
    installed = _install_offline(kit, venv)
    timings["offline install"] = time.monotonic() - started
    assert {name: installed.get(name) for name in pinned} == pinned

    # And it works: ReportLab writes a PDF, rapidfuzz scores, docopt parses.
    probe = (
        "import docopt, rapidfuzz.fuzz as f, reportlab.pdfgen.canvas as c;"
        "p = c.Canvas('t.pdf'); p.drawString(72, 720, 'kit'); p.save();"
        "assert f.ratio('Lavrov', 'Lavorv') > 60;"
        "assert docopt.docopt('usage: x <a>', ['1']) == {'<a>': '1'}"
    )
    _run([venv / "bin" / "python", "-c", probe], env=_env(), cwd=tmp_path)
    assert (tmp_path / "t.pdf").read_bytes().startswith(b"%PDF")
    print(", ".join(f"{step}: {seconds:.1f} s" for step, seconds in timings.items()))
