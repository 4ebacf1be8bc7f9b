"""The stall probe: a precise 5 ms QTimer in the window's thread records the gap between
consecutive ticks. A tick can only run when the event loop turns, so the longest gap is the
longest time the GUI could not answer the officer (paint, a key, a click)."""

from __future__ import annotations

import sys
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable

from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer

TICK_MS = 5


class StallProbe(QObject):
    """``trace_ms``: a watchdog thread also samples the GUI thread's stack whenever no tick
    has come for that long, to say where the stalls are (``--trace``)."""

    def __init__(self, parent: QObject | None = None, trace_ms: float = 0):
        super().__init__(parent)
        self.gaps: list[float] = []
        self._last = 0.0
        self._trace_s = trace_ms / 1000
        self.sites: Counter[str] = Counter()
        self._gui = threading.get_ident()
        self._stop = threading.Event()
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.gaps.clear()
        self._last = time.perf_counter()
        self._timer.start()
        if self._trace_s:
            threading.Thread(target=self._watch, daemon=True).start()

    def stop(self) -> None:
        self._tick()  # a stall running up to the end counts too
        self._timer.stop()
        self._stop.set()

    def _watch(self) -> None:
        while not self._stop.wait(self._trace_s / 4):
            if time.perf_counter() - self._last > self._trace_s:
                frame = sys._current_frames().get(self._gui)
                if frame is not None:
                    self.sites[_where(frame)] += 1

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append(now - self._last)
        self._last = now


def spin_until(done: Callable[[], bool], timeout_s: float, poll_ms: int = 10) -> bool:
    """Run the event loop until ``done()`` is true (checked every ``poll_ms``) or the time
    is up; whether it came true."""
    if done():
        return True
    loop = QEventLoop()
    deadline = time.perf_counter() + timeout_s
    poll = QTimer()
    poll.setInterval(poll_ms)

    def check() -> None:
        if done() or time.perf_counter() > deadline:
            loop.quit()

    poll.timeout.connect(check)
    poll.start()
    loop.exec()
    poll.stop()
    return done()


def _where(frame) -> str:
    """The innermost frames of our own code (and the library call below them)."""
    stack = traceback.extract_stack(frame)
    ours = [f for f in stack if "/workstation/" in f.filename or "/briefs/" in f.filename]
    inner = stack[-1]
    path = " < ".join(
        f"{f.filename.rsplit('/', 2)[-1]}:{f.lineno} {f.name}" for f in ours[-3:][::-1]
    )
    return f"{path} [{inner.filename.rsplit('/', 1)[-1]}:{inner.lineno} {inner.name}]"
