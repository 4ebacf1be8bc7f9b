"""Start-up with and without the assistant's heavy libraries, and the install size they add
(rows of ``bench.assistant_bench``).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.assistant_speed import summary
from bench.report import Row, fmt_time, percentile

ROOT = Path(__file__).resolve().parent.parent
ADDED_PACKAGES = (
    "sklearn",
    "scikit_learn.libs",
    "scipy",
    "scipy.libs",
    "numpy",
    "numpy.libs",
    "natasha",
    "navec",
    "slovnet",
    "pymorphy2",
    "pymorphy2_dicts_ru",
    "razdel",
    "yargy",
    "ipymarkup",
    "dawg_python",
    "joblib",
    "threadpoolctl.py",
    "narwhals",
    "intervaltree",
    "docopt.py",
    "cloudpickle",
)
HEAVY = ("sklearn", "scipy", "numpy", "natasha", "navec", "slovnet", "pymorphy2", "razdel", "yargy")
_PROBE = (
    "import sys; heavy=[m for m in {heavy!r} if m in sys.modules]; "
    "print('heavy:' + ','.join(heavy), file=sys.stderr)"
)
_NO_NUMPY = "import sys; sys.modules['numpy'] = None  # import numpy raises ImportError"
_HEAVY_IMPORTS = (
    "import sklearn.linear_model, sklearn.feature_extraction.text, scipy.sparse, natasha; "
)


def _spawn(code: str, runs: int) -> tuple[list[float], str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    times, heavy = [], "?"
    for _ in range(runs):
        began = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", code],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        times.append(time.perf_counter() - began)
        if done.returncode != 0:
            raise RuntimeError(f"{code!r} failed: {done.stderr[-500:]}")
        heavy = next(
            (line[6:] for line in done.stderr.splitlines() if line.startswith("heavy:")), "?"
        )
    return times, heavy


def bench_startup(runs: int) -> tuple[list[Row], dict[str, Any]]:
    probe = _PROBE.format(heavy=HEAVY)
    app = "import workstation.ui.shell.app; "
    cli = (
        "import sys, contextlib, io\nwith contextlib.redirect_stdout(io.StringIO()):\n"
        "    from workstation.cli import main; main(['--help'])\n"
    )
    bare, _ = _spawn("pass", runs)
    figures: dict[str, Any] = {"python_bare_s": summary(bare)}
    rows = []
    for label, code in (("import workstation.ui.shell.app", app), ("workstation --help", cli)):
        plain, heavy = _spawn(code + "\n" + probe, runs)
        loaded, heavy_loaded = _spawn(_HEAVY_IMPORTS + "\n" + code + "\n" + probe, runs)
        # sqlite_utils.db imports numpy whenever it is installed (``try: import numpy``), and
        # issue 16 installs it: blocking it shows the start-up from before.
        blocked, _ = _spawn(_NO_NUMPY + "\n" + code + "\n" + probe, runs)
        figures[label] = {
            "without_s": summary(plain),
            "with_heavy_s": summary(loaded),
            "numpy_blocked_s": summary(blocked),
            "heavy_after_startup": heavy.split(",") if heavy else [],
            "heavy_when_imported": heavy_loaded.split(","),
        }
        rows.append(
            Row(
                f"{label}: numpy not importable (as before issue 16)",
                percentile(blocked, 50),
                percentile(bare, 50),
                ours_text=f"p50 {fmt_time(percentile(blocked, 50))}",
            )
        )
        rows.append(
            Row(
                f"{label}: as shipped (heavy in sys.modules: {heavy or 'none'})",
                percentile(plain, 50),
                percentile(bare, 50),
                ours_text=f"p50 {fmt_time(percentile(plain, 50))}",
            )
        )
        rows.append(
            Row(
                f"{label}: with sklearn+scipy+natasha imported",
                percentile(loaded, 50),
                percentile(bare, 50),
                ours_text=f"p50 {fmt_time(percentile(loaded, 50))}",
            )
        )
    return rows, figures


def _git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
    return done.stdout


def lock_before_assistant() -> tuple[str, str]:
    """(commit, requirements.lock) of the newest commit whose lock lacks natasha: the
    dependencies before issue 16, whether or not its work is committed yet."""
    for commit in _git("log", "--format=%h", "-n", "50", "--", "requirements.lock").split():
        text = _git("show", f"{commit}:requirements.lock")
        if "natasha==" not in text:
            return commit, text
    return "?", ""


def install_size() -> tuple[str, dict[str, Any]]:
    """du of the site-packages folders of the packages issue 16 brought; numpy and scipy
    count only when the lock before it lacked them."""
    import sysconfig

    site = Path(sysconfig.get_paths()["purelib"])
    commit, before = lock_before_assistant()
    earlier = {m.group(1).lower() for m in re.finditer(r"^([A-Za-z0-9_.-]+)==", before, re.M)}
    already = {name for name in ("numpy", "scipy") if name in earlier}
    sizes: dict[str, int] = {}
    for name in ADDED_PACKAGES:
        path = site / name
        if path.exists() and name.split(".")[0] not in already:
            du = subprocess.run(["du", "-sk", str(path)], capture_output=True, text=True)
            sizes[name] = int(du.stdout.split()[0])
    total = sum(sizes.values())
    lines = [
        f"install size added by issue 16 (site-packages, du -sk): {total / 1024:.0f} MB",
        "  "
        + ", ".join(
            f"{k} {v / 1024:.1f} MB" for k, v in sorted(sizes.items(), key=lambda kv: -kv[1])
        ),
        f"  requirements.lock before issue 16 (commit {commit}) already held: "
        + (", ".join(sorted(already)) or "neither numpy nor scipy, so both count as added"),
    ]
    return "\n".join(lines), {
        "kb": sizes,
        "total_mb": total / 1024,
        "lock_before_commit": commit,
        "already_installed": sorted(already),
    }
