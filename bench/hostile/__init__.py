"""The hostile set: files and workspaces an officer may receive from outside.

Each module here lists attacks as ``Attack(name, area, run)``: ``run(folder)`` builds the
hostile input inside ``folder`` (at run time: no stored binaries), runs the real command on it
and returns ``Outcome(verdict, detail)`` — ``verdict`` is "refused", "handled" or "FAILED"
(the workspace changed without a trace, a hang, a traceback…). ``bench/hostile_bench.py``
runs each attack in a fresh process under a 1 GB address-space limit and a 60 s timer, and
prints attack, outcome, time and peak memory. Tests reuse the same builders.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Outcome:
    verdict: str  # "refused" (one clear line, nothing changed), "handled", or "FAILED"
    detail: str  # one line: what the command said, or what went wrong


@dataclass(frozen=True)
class Attack:
    name: str
    area: str  # "workspace", "interchange", "import", "brief"
    run: Callable[[Path], Outcome]


# Modules that contribute attacks; each defines ATTACKS: list[Attack].
AREAS = (
    "bench.hostile.workspace",
    "bench.hostile.interchange",
    "bench.hostile.importing",
    "bench.hostile.brief",
)
