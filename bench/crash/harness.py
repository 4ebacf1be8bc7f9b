"""The crash loop: start a writer, SIGKILL it at a random moment, verify, start the next.

Every writer works the same workspace. Kills are aimed, from a seeded RNG, at one of three
moments (the mix is fixed, the exact instants are random):

- ``open``: any time from process start to the end of ``open_session`` — interpreter start,
  imports, WAL recovery of the previous kill, and for the first writer the migrations (the
  workspace starts at the first schema step, so the first open runs all the others);
- ``saves``: after a random number of acknowledged saves, a random fraction of a save later,
  so that some kills land inside a save's transaction and some between two;
- ``import``: a random fraction of a typical import after a batch was announced, so the kill
  lands inside a chunk's transaction, between chunks or while files are parsed.

Delays are scaled by what the earlier writers took (an open, a save, an import), so they
stay meaningful on a slow or a fast machine; the sequence of choices depends on the seed only.
After the last kill one more writer finishes the unfinished imports (resuming by hash) and
the workspace is verified a last time with every batch expected complete.
"""

from __future__ import annotations

import random
import shutil
import signal
import sqlite3
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from bench.crash.batches import body_hashes, write_batch
from bench.crash.process import Line, WriterProcess
from bench.crash.verify import Verdict, open_imports, verify
from workstation.storage.schema import known_migration_names, migrations

KILLED = -signal.SIGKILL


@dataclass(frozen=True)
class CrashConfig:
    kills: int = 20
    seed: int = 2021
    batch_size: int = 45  # files per batch
    chunk_size: int = 20  # documents per import transaction: a batch spans three chunks
    batch_every: int = 12  # saves between two imports, per writer
    batches_ahead: int = 2  # batches written beyond the first unfinished one
    max_wait: float = 30.0  # longest wait for an aimed moment before killing anyway
    # Shares of the kinds of moment aimed at; the rest is "import".
    start_share: float = 0.1
    open_share: float = 0.15
    saves_share: float = 0.35
    writer_args: tuple[str, ...] = ()  # passed to every writer (e.g. a planted fault)


@dataclass
class CrashReport:
    kills: int = 0
    acknowledged: int = 0
    losses: list[str] = field(default_factory=list)
    half_imports: list[str] = field(default_factory=list)
    integrity_failures: int = 0  # kills after which the file or an index was damaged
    integrity_details: list[str] = field(default_factory=list)
    writer_failures: list[str] = field(default_factory=list)
    landed: Counter = field(default_factory=Counter)  # where the kills hit: the writer's phase
    aimed: Counter = field(default_factory=Counter)  # which kind of moment was aimed at
    resumed_by: Counter = field(default_factory=Counter)  # writers resuming by journal / hash
    imports_cut: int = 0  # kills that left a batch with some chunks in, the rest to resume
    batches_completed: int = 0
    documents: int = 0
    passages: int = 0
    resumed: bool = False  # the final writer finished every batch and the result verified
    open_imports: int = 0  # journalled imports still unfinished after the final writer
    kept: list[Path] = field(default_factory=list)  # copies of the file as a kill left it
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return (
            not self.losses
            and not self.half_imports
            and not self.integrity_failures
            and not self.writer_failures
            and self.resumed
        )


def create_first_step_workspace(path: Path) -> None:
    """A workspace at schema step one (as the first release wrote it): the first writer's
    open migrates it, so early kills land in migrations too."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        migrations.apply(Database(conn), stop_before=known_migration_names()[1])
    finally:
        conn.close()


class _Estimates:
    """How long an open, a save and an import took so far (the scale of the delays)."""

    def __init__(self) -> None:
        self.starts: list[float] = []  # process start → START: interpreter and imports
        self.opens: list[float] = []  # START → OPEN: open_session, migrations, codebook
        self.saves: list[float] = []
        self.imports: list[float] = []

    def learn(self, started: float, lines: list[Line]) -> None:
        announced: float | None = None
        previous_ack: float | None = None
        opening: float | None = None
        for line in lines:
            word = line.text.split(" ", 1)[0]
            if word == "START":
                self.starts.append(line.at - started)
                opening = line.at
            elif word == "OPEN" and opening is not None:
                self.opens.append(line.at - opening)
            elif word == "ACK":
                if previous_ack is not None:
                    self.saves.append(line.at - previous_ack)
                previous_ack = line.at
            elif word == "BATCH":
                announced, previous_ack = line.at, None
            elif word == "BATCH-DONE" and announced is not None:
                self.imports.append(line.at - announced)
                announced = None
        self.saves = self.saves[-500:]

    def start(self) -> float:
        return max(self.starts[-20:], default=0.5)

    def open(self) -> float:
        # The median: the first open (with migrations) is far longer than the rest.
        return statistics.median(self.opens[-20:]) if self.opens else 0.1

    def save(self) -> float:
        return statistics.median(self.saves) if self.saves else 0.01

    def import_(self) -> float:
        return max(self.imports[-20:], default=0.5)


class CrashHarness:
    def __init__(
        self,
        workdir: Path,
        config: CrashConfig,
        progress: Callable[[str], None] | None = None,
    ):
        self.workdir = Path(workdir)
        self.config = config
        self.progress = progress or (lambda _message: None)
        self.workspace = self.workdir / "workspace.sqlite"
        self.folder = self.workdir / "batches"
        self.rng = random.Random(config.seed)
        self.acked: set[str] = set()
        self.expected: dict[int, list[str]] = {}  # batch → body hashes, as the harness sees them
        self.completed: set[int] = set()
        self.estimates = _Estimates()
        self.migration_open = 0.1  # START → OPEN when the open runs the migrations
        self.report = CrashReport()

    # -- the loop ---------------------------------------------------------------------------

    def run(self) -> CrashReport:
        began = time.monotonic()
        self.workdir.mkdir(parents=True, exist_ok=True)
        if not self.workspace.exists():
            create_first_step_workspace(self.workspace)
            self._calibrate()
        for number in range(self.config.kills):
            self._one_kill(number)
            if len(self.report.writer_failures) >= 3:
                break  # the workspace cannot be worked any more: no point killing on
        self._finish_imports()
        self.report.seconds = time.monotonic() - began
        return self.report

    def _one_kill(self, number: int) -> None:
        first = self._prepare_batches()
        kind, fraction, saves = self._aim(number)
        resume = "journal" if self.rng.random() < 0.5 else "hash"
        self.report.resumed_by[resume] += 1
        writer = self._spawn(number, ["--first-batch", str(first), "--resume", resume])
        try:
            self._wait_for_moment(writer, kind, fraction, saves)
        finally:
            status = writer.kill()  # also when interrupted: never leave a writer running
        self.report.kills += 1
        self.report.aimed[kind] += 1
        self.report.landed[_phase(writer.lines)] += 1
        self._take_in(writer, status, expect_stop=False)
        verdict = self._verify(f"kill-{number:03d}")
        self.progress(
            f"kill {number + 1}/{self.config.kills}: aimed {kind}, landed "
            f"{_phase(writer.lines)}, {writer.count('ACK')} saves acknowledged; "
            f"{'ok' if verdict.ok else 'PROBLEM'}"
        )

    def _aim(self, number: int) -> tuple[str, float, int]:
        # Draw the same numbers whatever is chosen, so the plan depends on the seed alone.
        roll, fraction, saves = self.rng.random(), self.rng.random(), self.rng.randint(1, 30)
        if number == 0:
            return "migration", fraction, saves
        for kind, share in (
            ("start", self.config.start_share),
            ("open", self.config.open_share),
            ("saves", self.config.saves_share),
        ):
            if roll < share:
                return kind, fraction, saves
            roll -= share
        return "import", fraction, saves

    def _wait_for_moment(self, writer: WriterProcess, kind: str, fraction: float, saves: int):
        never = lambda _lines: False  # noqa: E731 — wait_for used as an interruptible sleep
        limit = self.config.max_wait
        if kind == "start":
            writer.wait_for(never, fraction * self.estimates.start())
        elif kind in ("open", "migration"):
            took = self.migration_open if kind == "migration" else self.estimates.open()
            if writer.wait_for(lambda ls: any(_is(x, "START") for x in ls), limit):
                writer.wait_for(never, fraction * took)
        elif kind == "saves":
            if writer.wait_for(lambda ls: sum(_is(x, "ACK") for x in ls) >= saves, limit):
                writer.wait_for(never, fraction * self.estimates.save())
        elif writer.wait_for(lambda ls: any(_is(x, "BATCH") for x in ls), limit):
            writer.wait_for(never, fraction * self.estimates.import_())

    def _calibrate(self) -> None:
        """Time one open that runs the migrations, on a scratch copy, so that the first kill
        (aimed at the migrations) has a scale before any writer ran on the real workspace."""
        scratch = self.workdir / "calibration"
        shutil.rmtree(scratch, ignore_errors=True)
        scratch.mkdir()
        workspace = scratch / "workspace.sqlite"
        create_first_step_workspace(workspace)
        writer = WriterProcess(
            workspace,
            scratch,  # holds no batches: the writer opens, finds nothing to import, stops
            self.config.seed,
            extra=["--finish-imports"],
            stderr_path=scratch / "writer-stderr.txt",
        )
        status = writer.finish(timeout=max(60.0, self.config.max_wait))
        if status != 0:
            raise RuntimeError(f"the writer does not run: {writer.stderr_tail()}")
        self.estimates.learn(writer.started, writer.lines)
        self.migration_open = self.estimates.opens.pop()
        shutil.rmtree(scratch, ignore_errors=True)

    def _finish_imports(self) -> None:
        """A last writer imports what the kills left unfinished, then stops on its own."""
        first = self._prepare_batches(ahead=0)
        extra = ["--first-batch", str(first), "--resume", "journal", "--finish-imports"]
        writer = self._spawn(self.config.kills, extra)
        status = writer.finish(timeout=max(120.0, self.config.max_wait))
        self._take_in(writer, status, expect_stop=True)
        expected_done = set(self.expected) <= self.completed
        verdict = self._verify("final")
        self.report.open_imports = open_imports(self.workspace)
        self.report.resumed = (
            status == 0 and expected_done and verdict.ok and not self.report.open_imports
        )
        self.report.batches_completed = len(self.completed)
        self.report.documents = verdict.live_documents
        self.report.passages = verdict.live_passages
        self.progress(f"final writer: exit {status}, {len(self.completed)} batches complete")

    # -- pieces -----------------------------------------------------------------------------

    def _prepare_batches(self, ahead: int | None = None) -> int:
        """Write the next batches if missing; the first one not reported done."""
        first = 0
        while first in self.completed:
            first += 1
        ahead = self.config.batches_ahead if ahead is None else ahead
        for number in range(first, first + ahead):
            if number not in self.expected:
                paths = write_batch(
                    self.folder, number, self.config.batch_size, seed=self.config.seed
                )
                self.expected[number] = body_hashes(paths)
        return first

    def _spawn(self, number: int, extra: list[str]) -> WriterProcess:
        return WriterProcess(
            self.workspace,
            self.folder,
            self.config.seed * 1000 + number,
            extra=[
                *extra,
                "--batch-every",
                str(self.config.batch_every),
                *self.config.writer_args,
            ],
            chunk_documents=self.config.chunk_size,
            stderr_path=self.workdir / "writer-stderr.txt",
        )

    def _take_in(self, writer: WriterProcess, status: int, *, expect_stop: bool) -> None:
        """Record what the writer acknowledged before it died, and how it died."""
        self.estimates.learn(writer.started, writer.lines)
        for line in writer.lines:
            word, _, rest = line.text.partition(" ")
            if word == "ACK":
                self.acked.add(rest)
            elif word == "BATCH":
                number, *hashes = rest.split()
                if hashes != self.expected.get(int(number)):
                    self.report.writer_failures.append(
                        f"batch {number}: the writer's hashes differ from the harness's"
                    )
            elif word == "BATCH-DONE":
                self.completed.add(int(rest))
        self.report.acknowledged = len(self.acked)
        ended_as_expected = status == 0 if expect_stop else status == KILLED
        if not ended_as_expected:
            self.report.writer_failures.append(
                f"writer exited with status {status}: {writer.stderr_tail()}"
            )

    def _verify(self, label: str) -> Verdict:
        snapshot = self._snapshot()
        verdict = verify(
            self.workspace,
            acked=self.acked,
            batches=self.expected,
            completed=self.completed,
            chunk_size=self.config.chunk_size,
        )
        self.report.imports_cut += verdict.cut_batches > 0
        new_losses = sorted(set(verdict.lost) - set(self.report.losses))
        self.report.losses += new_losses
        known = set(self.report.half_imports)
        self.report.half_imports += [p for p in verdict.half_chunks if p not in known]
        if verdict.integrity:
            self.report.integrity_failures += 1
            self.report.integrity_details += [f"{label}: {p}" for p in verdict.integrity[:5]]
        if not verdict.ok:
            # Keep the file exactly as the kill left it, for reproducing the problem.
            kept = self.workdir / f"failure-{label}"
            shutil.rmtree(kept, ignore_errors=True)
            snapshot.rename(kept)
            self.report.kept.append(kept)
        return verdict

    def _snapshot(self) -> Path:
        """Copy the workspace and its WAL before the verifier's open recovers and folds it."""
        where = self.workdir / "last-kill"
        shutil.rmtree(where, ignore_errors=True)
        where.mkdir()
        for suffix in ("", "-wal"):
            source = self.workspace.with_name(self.workspace.name + suffix)
            if source.exists():
                shutil.copyfile(source, where / source.name)
        return where


def _is(line: Line, word: str) -> bool:
    return line.text.split(" ", 1)[0] == word


def _phase(lines: list[Line]) -> str:
    """Where the writer was when it died: what its last line announced."""
    if not lines:
        return "starting"
    word = lines[-1].text.split(" ", 1)[0]
    return {"START": "opening", "BATCH": "importing", "STOP": "stopped"}.get(word, "saving")


def run_crashes(
    workdir: Path | str, config: CrashConfig | None = None, progress=None
) -> CrashReport:
    return CrashHarness(Path(workdir), config or CrashConfig(), progress).run()
