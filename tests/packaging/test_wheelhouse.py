"""The offline installation kit (scripts/wheelhouse, docs/packaging.md) installs with no index.

The whole kit takes minutes to make (PyICU compiles) and is 440 MB, so the test makes a
partial one (``--only``): reportlab and rapidfuzz (wheels, with reportlab's dependencies
found through the lock) and docopt, which PyPI publishes as source only and the kit must
carry built into a wheel. It then installs that kit into a fresh venv with the index
switched off (and, where we may, with no network at all) and compares the versions with
the lock. Making the kit downloads from PyPI, as CI can.
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


def _run(args: list[str | Path], *, env: dict[str, str], timeout: float = 300, cwd: Path):
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True,
        timeout=timeout, check=False,
    )  # fmt: skip
    assert done.returncode == 0, f"{args} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    return done


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


@pytest.mark.slow
def test_partial_kit_installs_without_an_index(tmp_path):
    timings: dict[str, float] = {}
    kit = tmp_path / "kit"
    started = time.monotonic()
    # Making the kit uses the index, and whatever mirror the machine's pip is set to.
    making = _env(pip_config=True)
    if shutil.which("python3.11") is None:
        making.setdefault("PYTHON", sys.executable)  # the suite runs on 3.11 (pyproject)
    _run([SCRIPT, "--only", ",".join(ONLY), kit], env=making, cwd=tmp_path)
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
    _run([sys.executable, "-m", "venv", venv], env=_env(), cwd=tmp_path)
    _run(
        [*_offline_prefix(), venv / "bin" / "pip", "install", "--quiet", "--no-index",
         "--find-links", kit, "--require-hashes", "-r", kit / "requirements.kit.txt"],
        env=_env(PIP_CONFIG_FILE=os.devnull, PIP_NO_INDEX="1"), cwd=tmp_path,
    )  # fmt: skip
    timings["offline install"] = time.monotonic() - started
    frozen = _run([venv / "bin" / "pip", "freeze", "--all"], env=_env(), cwd=tmp_path).stdout
    installed = {
        re.sub(r"[-_.]+", "-", name).lower(): version
        for name, version in re.findall(r"^(\S+)==(\S+)$", frozen, re.M)
    }
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
