"""The project works installed from a wheel, not only as the editable checkout.

Builds the wheel from a copy of the checkout, installs it (with requirements.lock's exact
dependencies) into a fresh virtual environment outside the checkout, and from a folder
outside it creates the sample workspace, writes a brief and renders the GUI: fonts, the
interchange schemas and the sample must all come from the installed package.
"""

from __future__ import annotations

import os
import shutil
import struct
import sys
import time
import zipfile
from pathlib import Path

import pytest

from tests.packaging.installed import run

ROOT = Path(__file__).resolve().parents[2]
# Not copied for the build: caches, environments, earlier builds, benchmark output.
BUILD_IGNORES = shutil.ignore_patterns(
    ".git", ".venv", "venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache",
    ".hypothesis", "out", "results", "*.sqlite*",
)  # fmt: skip
SHIPPED = ("fonts/DejaVuSans.ttf", "interchange/w3c-profile.schema.json", "sample/episode.json")


def _run(args: list[str | Path], *, cwd: Path, env: dict[str, str], timeout: float = 120):
    return run(args, env, timeout=timeout, cwd=cwd)


def _clean_env(**extra: str) -> dict[str, str]:
    """The environment without whatever points into the project's own venv or checkout."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP"}
    }
    env["PYTHONNOUSERSITE"] = "1"
    env.update(extra)
    return env


def _built_wheel(tmp_path: Path) -> Path:
    """Build from a copy, so the build's own files (build/, *.egg-info) stay out of the
    checkout. With build isolation, as scripts/_venv.sh installs the project: pyproject asks
    for setuptools>=68, newer than the one a venv starts with (which, without the wheel
    package, cannot even make a wheel)."""
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=BUILD_IGNORES)
    wheels = tmp_path / "wheels"
    _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", wheels, source],
        cwd=tmp_path, env=_clean_env(), timeout=300,
    )  # fmt: skip
    (wheel,) = wheels.glob("workstation-*.whl")
    return wheel


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


@pytest.mark.slow
def test_installed_wheel_runs_outside_the_checkout(tmp_path):
    assert not tmp_path.resolve().is_relative_to(ROOT)
    try:
        _build_install_and_run(tmp_path)
    finally:  # the venv and the copy are hundreds of megabytes: not left for pytest to keep
        for heavy in ("venv", "source", "wheels"):
            shutil.rmtree(tmp_path / heavy, ignore_errors=True)


def _build_install_and_run(tmp_path: Path) -> None:
    timings: dict[str, float] = {}
    started = time.monotonic()
    wheel = _built_wheel(tmp_path)
    timings["build wheel"] = time.monotonic() - started

    # Every shipped resource is in the wheel, under the package workstation.resources.
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {
        "workstation/resources/" + path.relative_to(ROOT / "resources").as_posix()
        for path in (ROOT / "resources").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert {f"workstation/resources/{name}" for name in SHIPPED} <= shipped
    assert shipped <= names, f"missing from the wheel: {sorted(shipped - names)}"
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "workstation-app" in zipfile.ZipFile(wheel).read(entry_points).decode()

    # A fresh venv with exactly the locked dependencies (pip's cache keeps this fast).
    started = time.monotonic()
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", venv], cwd=tmp_path, env=_clean_env())
    python = venv / "bin" / "python"
    _run(
        [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "--require-hashes", "-r", ROOT / "requirements.lock"],
        cwd=tmp_path, env=_clean_env(), timeout=600,
    )  # fmt: skip
    timings["install requirements.lock"] = time.monotonic() - started
    started = time.monotonic()
    _run(
        [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps",
         wheel],
        cwd=tmp_path, env=_clean_env(),
    )  # fmt: skip
    timings["install wheel"] = time.monotonic() - started

    # From here on: a folder outside the checkout, and a home of its own.
    home = tmp_path / "home"
    home.mkdir()
    env = _clean_env(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_CACHE_HOME=str(home / ".cache"),
        QT_QPA_PLATFORM="offscreen",
        PATH=os.pathsep.join([str(venv / "bin"), os.environ.get("PATH", "")]),
    )
    env.pop("WORKSTATION_DATA_DIR", None)  # the suite's, set by conftest: use the new home
    started = time.monotonic()
    where = _run(
        [python, "-c", "import workstation, workstation.resources as r; "
         "print(workstation.__file__); print(r.__file__)"],
        cwd=tmp_path, env=env,
    ).stdout.split()  # fmt: skip
    site_packages = (venv / "lib").resolve()
    for module_file in map(Path, where):
        assert module_file.resolve().is_relative_to(site_packages), module_file
        assert not module_file.resolve().is_relative_to(ROOT), module_file

    workspace = tmp_path / "ws.sqlite"
    _run([venv / "bin" / "workstation", "init", "--workspace", workspace, "--sample"],
         cwd=tmp_path, env=env)  # fmt: skip
    brief = tmp_path / "brief.pdf"
    _run([python, "-m", "workstation", "brief", "--workspace", workspace, "--out", brief],
         cwd=tmp_path, env=env)  # fmt: skip
    pdf = brief.read_bytes()
    assert pdf.startswith(b"%PDF")
    assert b"DejaVuSans" in pdf  # the shipped fonts, not a standard PDF font
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(brief).pages)
    assert "Russia" in text  # the sample episode's

    screenshot = tmp_path / "window.png"
    _run(
        [venv / "bin" / "workstation-app", workspace, "--screenshot", screenshot,
         "--size", "1024x700"],
        cwd=tmp_path, env=env,
    )  # fmt: skip
    assert _png_size(screenshot) == (1024, 700)
    assert screenshot.stat().st_size > 20_000  # a drawn window, not a blank image
    timings["run installed app"] = time.monotonic() - started
    print(", ".join(f"{step}: {seconds:.1f} s" for step, seconds in timings.items()))
