"""One writer process: started, watched line by line, killed with SIGKILL, reaped."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.crash.writer import CHUNK_ENV

REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Line:
    at: float  # time.monotonic() when the harness read it
    text: str  # without the newline


class WriterProcess:
    """``python -m bench.crash.writer`` with its stdout read by a thread as lines arrive.

    Only complete lines count: a line the writer was killed in the middle of writing was
    never acknowledged.
    """

    def __init__(
        self,
        workspace: Path,
        folder: Path,
        seed: int,
        *,
        extra: Sequence[str] = (),
        chunk_documents: int | None = None,
        stderr_path: Path,
    ):
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if p
        )
        if chunk_documents is not None:
            env[CHUNK_ENV] = str(chunk_documents)
        command = [sys.executable, "-m", "bench.crash.writer", str(workspace), str(folder)]
        command += [str(seed), *extra]
        self.stderr_path = stderr_path
        self._stderr = stderr_path.open("wb")
        self.started = time.monotonic()
        self.proc = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=self._stderr, cwd=REPO_ROOT, env=env
        )
        self.lines: list[Line] = []
        self._changed = threading.Condition()
        self._eof = False
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            if not raw.endswith(b"\n"):
                break  # cut off by the kill: not acknowledged
            with self._changed:
                self.lines.append(Line(time.monotonic(), raw[:-1].decode("utf-8")))
                self._changed.notify_all()
        with self._changed:
            self._eof = True
            self._changed.notify_all()

    def wait_for(self, condition: Callable[[list[Line]], bool], timeout: float) -> bool:
        """Block until ``condition(lines)`` holds (True), or the writer's output ends or the
        timeout passes (False)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not condition(self.lines):
                left = deadline - time.monotonic()
                if self._eof or left <= 0:
                    return False
                self._changed.wait(left)
            return True

    def count(self, prefix: str) -> int:
        with self._changed:
            return sum(line.text.startswith(prefix) for line in self.lines)

    def kill(self) -> int:
        """SIGKILL (if still running), reap, read the rest of its output; the exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        # wait() before anything else touches the workspace: until the process is gone, its
        # locks (SQLite's and any instance lock) are still held.
        status = self.proc.wait()
        self._reader.join()
        assert self.proc.stdout is not None
        self.proc.stdout.close()
        self._stderr.close()
        return status

    def finish(self, timeout: float) -> int:
        """Let the writer stop on its own; kill it if it overruns. The exit status."""
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout)
        return self.kill()

    def stderr_tail(self, lines: int = 3) -> str:
        text = self.stderr_path.read_text(encoding="utf-8", errors="replace").strip()
        return " | ".join(text.splitlines()[-lines:])
