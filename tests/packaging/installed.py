"""Checks shared by the packaging tests: run an installed workstation (the bundle unpacked
from the .deb, or a venv installed from the offline kit) the way a desk officer's machine
would, with none of the project's environment, and look at what it made."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from PIL import Image
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[2]

# Gate of the minutes-long tests (PyInstaller build, the whole offline kit): scripts/test
# sets it for a second pytest run in the background of a full run (its comment says why).
ENABLED = os.environ.get("WORKSTATION_PACKAGING_TESTS") == "1"
SKIP_REASON = "builds the bundle or the whole kit for minutes: WORKSTATION_PACKAGING_TESTS=1"


def run(args: list[str | Path], env: dict[str, str], *, timeout: float = 900,
        cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:  # fmt: skip
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True,
        timeout=timeout, check=False,
    )  # fmt: skip
    assert done.returncode == 0, f"{args} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    return done


def clean_env(home: Path) -> dict[str, str]:
    """What a fresh login has: system PATH only (no venv, no pyenv), an empty HOME."""
    return {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8",
            "QT_QPA_PLATFORM": "offscreen"}  # fmt: skip


def check_sample_brief_and_window(cli: Path, app: Path, work: Path) -> dict[str, str]:
    """``workstation init --sample``, ``workstation brief`` and the GUI's ``--screenshot``,
    each from the installed files in a clean environment; returns the clean environment."""
    home = work / "home"
    home.mkdir()
    env = clean_env(home)
    workspace = work / "sample.sqlite"
    run([cli, "--workspace", workspace, "init", "--sample"], env, timeout=120)
    brief = work / "brief.pdf"
    run([cli, "--workspace", workspace, "brief", "--out", brief], env, timeout=120)
    text = "\n".join(page.extract_text() or "" for page in PdfReader(brief).pages)
    assert "Russia" in text and "sanction" in text.lower(), text[:500]
    shot = work / "window.png"
    run([app, workspace, "--screenshot", shot], env, timeout=120)
    with Image.open(shot) as image:
        assert image.size[0] >= 1000 and image.size[1] >= 600, image.size
        # A drawn window, not a blank surface: text and widgets give many distinct colours.
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20) or []
        assert len(colours) > 50, f"{len(colours)} colours: the window looks empty"
    return env
