"""Another workstation, for tests: a real second process that keeps a workspace open for
writing until told to stop.

    with held_elsewhere(path) as holder:
        ...  # holder.pid holds the workspace's writer lock
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Opens the workspace as a writer, says so, then waits until its stdin closes.
HOLDER = """
import sys
from workstation.services import open_session

with open_session(sys.argv[1]) as session:
    print("ready", flush=True)
    sys.stdin.read()
print("closed", flush=True)
"""


def start_holder(path: Path) -> subprocess.Popen:
    """Start the holder and wait (without a time limit) until it has the workspace open."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    line = process.stdout.readline()
    if line.strip() != "ready":
        process.kill()
        _out, err = process.communicate()
        raise RuntimeError(f"the holder did not open {path}: {line}{err}")
    return process


def stop_holder(process: subprocess.Popen) -> None:
    """Let the holder close the workspace normally and exit."""
    if process.poll() is None:
        process.communicate(input="")
    else:
        process.communicate()


@contextmanager
def held_elsewhere(path: Path) -> Iterator[subprocess.Popen]:
    process = start_holder(path)
    try:
        yield process
    finally:
        stop_holder(process)
