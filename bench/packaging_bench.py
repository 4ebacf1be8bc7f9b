"""The installed application beside the developer's venv: ``python -m bench.packaging_bench``.

Measures what a desk officer's machine gets (the PyInstaller bundle in dist/workstation and
its .deb, built by scripts/package and scripts/deb) beside the project's .venv running the
same code, in the same run:

- size on disk (du) of the bundle and of the venv; size of the .deb and its compressor;
- the GUI from a new process to an interactive window (``--screenshot``: the window is
  shown, painted and the event loop idle before the grab), cold (page cache dropped, when
  this process may: root) and warm (median of --runs);
- ``workstation --help``, cold and warm, the same way.

The "raw baseline" column holds the venv's figures (python main.py / .venv/bin/workstation);
sizes are shown as text. Nothing is asserted: these are figures to report.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from bench.report import Row, render_table

ROOT = Path(__file__).resolve().parents[1]
BUNDLE = ROOT / "dist" / "workstation"
VENV = ROOT / ".venv"
DROP_CACHES = Path("/proc/sys/vm/drop_caches")


def _du(path: Path) -> int:
    out = subprocess.run(["du", "-sb", str(path)], capture_output=True, text=True, check=True)
    return int(out.stdout.split()[0])


def _mb(size: int) -> str:
    return f"{size / 2**20:.0f} MB"


def _drop_caches() -> bool:
    """Empty the page cache so the next start reads every file from disk (root only)."""
    try:
        os.sync()
        DROP_CACHES.write_text("3\n")
        return True
    except OSError:
        return False


def _timed(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(args, env=env, capture_output=True, timeout=300, check=True, cwd=ROOT)
    return time.perf_counter() - started


def _cold_and_warm(args: list[str], env: dict[str, str], runs: int) -> tuple[float, float, bool]:
    cold_ok = _drop_caches()
    cold = _timed(args, env)
    warm = statistics.median(_timed(args, env) for _ in range(runs))
    return cold, warm, cold_ok


def _deb() -> tuple[Path | None, str]:
    debs = sorted((ROOT / "dist").glob("workstation_*_amd64.deb"), key=lambda f: f.stat().st_mtime)
    if not debs:
        return None, ""
    members = subprocess.run(["ar", "t", str(debs[-1])], capture_output=True, text=True)
    data = next((m for m in members.stdout.split() if m.startswith("data.tar")), "?")
    return debs[-1], data.removeprefix("data.tar.") or "none"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.packaging_bench")
    parser.add_argument("--runs", type=int, default=5, help="warm runs (median)")
    args = parser.parse_args(argv)
    if not (BUNDLE / "workstation-app").exists():
        print("no dist/workstation: run scripts/package (and scripts/deb) first")
        return 2
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder) / "home"
        home.mkdir()
        env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8",
               "QT_QPA_PLATFORM": "offscreen", "WORKSTATION_DATA_DIR": folder}  # fmt: skip
        workspace = str(Path(folder) / "sample.sqlite")
        subprocess.run([str(BUNDLE / "workstation"), "--workspace", workspace, "init",
                        "--sample"], env=env, check=True, capture_output=True)  # fmt: skip
        shot = str(Path(folder) / "shot.png")
        gui = {
            "bundle": [str(BUNDLE / "workstation-app"), workspace, "--screenshot", shot],
            "venv": [str(VENV / "bin" / "python"), "main.py", workspace, "--screenshot", shot],
        }
        cli = {"bundle": [str(BUNDLE / "workstation"), "--help"],
               "venv": [str(VENV / "bin" / "workstation"), "--help"]}  # fmt: skip
        timings = {}
        for what, commands in (("gui", gui), ("help", cli)):
            for where, command in commands.items():
                timings[what, where] = _cold_and_warm(command, env, args.runs)
    cold_ok = all(result[2] for result in timings.values())
    cold_label = (
        "cold (page cache dropped)" if cold_ok else "first run (cache NOT dropped: not root)"
    )
    rows = []
    bundle_size, venv_size = _du(BUNDLE), _du(VENV)
    rows.append(Row("size on disk (du)", bundle_size, venv_size,
                    ours_text=_mb(bundle_size), raw_text=_mb(venv_size)))  # fmt: skip
    deb, compressor = _deb()
    if deb is not None:
        size = deb.stat().st_size
        rows.append(Row(f".deb ({compressor}) — {deb.name}", size, 0, ours_text=_mb(size),
                        raw_text="—"))  # fmt: skip
    for what, label in (("gui", "GUI to an interactive window"), ("help", "workstation --help")):
        bundle_cold, bundle_warm, _ = timings[what, "bundle"]
        venv_cold, venv_warm, _ = timings[what, "venv"]
        rows.append(Row(f"{label}, {cold_label}", bundle_cold, venv_cold))
        rows.append(Row(f"{label}, warm (median of {args.runs})", bundle_warm, venv_warm))
    print("ours = the bundle (dist/workstation); raw baseline = the project's .venv")
    print(render_table(rows, smoke=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
