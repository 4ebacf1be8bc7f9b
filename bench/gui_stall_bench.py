"""The GUI's longest stall during long work: ``python -m bench.gui_stall_bench [--quick]``.

Issue 14's proof: for each long operation the main window is built offscreen on a filled
workspace, a 5 ms precise QTimer records the gap between consecutive event-loop turns
(``bench/stall/probe.py``), the operation is started THROUGH THE GUI as the officer would
(the real QAction or button, the file prompts answered by ``RecordingPrompts``), and the
event loop spins until it has finished, and one second more (what the work leaves behind,
such as a garbage collection, counts too). Reported per scenario: the longest gap, the 99th
percentile of the gaps, and the wall time from the click to the result. Budget: < 100 ms.

Scenarios (sizes at ``--scale 1``; ``--quick`` is ``--scale 0.1``):

- merge: File → Merge workspace… of a copy of a 100k-passage workspace that a second
  officer edited (1 % of passages edited, 1 % deleted, 1 % added; bench/interchange_bench.py)
  into the 100k-passage original;
- annotation import: File → Import annotations… of a 50 MB W3C JSON Lines file over 200
  articles (the file of tests/unit/test_bad_input_interchange.py);
- file import: File → Import files… of 1,000 small .txt articles into the 100k workspace;
- check: Tools → Check workspace… on the 100k workspace, until the dialog shows the result;
- brief export: the composer's Export PDF… of a ~100-page brief (bench/brief_bench.py's
  episode), after its preview has been rendered once.

The same file runs on the layout before issue 14 (flat ``workstation/ui``) through
``bench/stall/layout.py``. Results, with the commands used: bench/results/gui_stall.md.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication, QDialog

from bench.report import log, percentile
from bench.stall.layout import busy, main_window_class, recording_prompts
from bench.stall.probe import StallProbe, spin_until
from bench.stall.setup import Inputs, Sizes, build, copy_workspace
from workstation.services import open_session

BUDGET_MS = 100
SETTLE_S = 1.0  # measured on after the result arrived, for what the work left behind
TIMEOUT_S = 900  # per scenario: a scenario that does not finish is reported, not waited for


@dataclass
class Result:
    scenario: str
    size: str
    longest_ms: float
    p99_ms: float
    total_s: float
    note: str = ""


class Scenario:
    """One operation started through the window; ``prepare`` runs before the probe starts,
    ``trigger`` is the officer's click, ``finished`` says when its result has arrived."""

    def __init__(self, window, prompts, folder: Path):
        self.window, self.prompts, self.folder = window, prompts, folder
        self.done = False
        self.undo_before = window.workbench.undo_stack.count()

    def prepare(self) -> None:
        pass

    def trigger(self) -> None:
        raise NotImplementedError

    def finished(self) -> bool:
        return self.done or (
            (self.window.workbench.undo_stack.count() > self.undo_before or self.prompts.errors)
            and not busy(self.window)
        )

    def note(self) -> str:
        said = self.prompts.errors or [self.window.statusBar().currentMessage()]
        return "; ".join(said)[:70]


def _action(window, name: str) -> None:
    window.registry[name].trigger()


class Merge(Scenario):
    other: Path

    def trigger(self) -> None:
        self.prompts.will_answer("open_file", str(self.other))
        _action(self.window, "actionMergeWorkspace")


class AnnotationImport(Scenario):
    source: Path

    def trigger(self) -> None:
        self.prompts.will_answer("open_file", str(self.source))
        _action(self.window, "actionImportAnnotations")


class FileImport(Scenario):
    files: list[Path]

    def prepare(self) -> None:
        self.window.importer.finished.connect(self._finished)

    def _finished(self, _results) -> None:
        self.done = True

    def trigger(self) -> None:
        self.prompts.will_answer("open_files", [str(p) for p in self.files])
        _action(self.window, "actionImportFiles")

    def finished(self) -> bool:
        return self.done and not busy(self.window)


class Check(Scenario):
    def trigger(self) -> None:
        _action(self.window, "actionCheckWorkspace")
        dialog = self.window.findChild(QDialog, "checkDialog")
        dialog.checked.connect(self._checked)
        self.dialog = dialog

    def _checked(self) -> None:
        self.done = True

    def finished(self) -> bool:
        return self.done

    def note(self) -> str:
        return self.dialog.summary.text()[:80]


class BriefExport(Scenario):
    def prepare(self) -> None:
        composer = self.window.open_brief_composer()
        self.composer = composer
        shown: list[bool] = []
        composer.previewUpdated.connect(lambda: shown.append(True))
        composer.previewFailed.connect(lambda message: shown.append(False))
        if not spin_until(lambda: bool(shown) and not composer.renderer.pending(), TIMEOUT_S):
            raise RuntimeError("the brief preview never arrived")
        self.pages = composer.summary.text()
        composer.exportFinished.connect(self._done)
        composer.exportFailed.connect(self._done)
        self.pdf = self.folder / "brief.pdf"

    def _done(self, _message: str) -> None:
        self.done = True

    def trigger(self) -> None:
        self.prompts.answers.append(str(self.pdf))
        self.composer.export_button.click()

    def finished(self) -> bool:
        return self.done and not busy(self.window)

    def note(self) -> str:
        return self.pages.split(" · ")[-1] + ("" if self.pdf.exists() else "; NO PDF")


TRACE_MS = 0.0  # --trace: sample the GUI thread's stack during stalls longer than this


def measure(name: str, size: str, workspace: Path, make: Callable[..., Scenario]) -> Result:
    """Open ``workspace`` in a main window, run the scenario under the probe, close."""
    folder = workspace.parent
    prompts = recording_prompts()
    with open_session(workspace, author="bench") as session:
        window = main_window_class()(session, prompts, restore=False)
        window.resize(1200, 800)
        window.show()
        spin_until(lambda: False, 1.0)  # let the first document, docks and counts load
        scenario = make(window, prompts, folder)
        scenario.prepare()
        probe = StallProbe(trace_ms=TRACE_MS)
        probe.start()
        started = time.perf_counter()
        scenario.trigger()
        ok = spin_until(scenario.finished, TIMEOUT_S)
        total = time.perf_counter() - started
        spin_until(lambda: False, SETTLE_S)  # what the work leaves behind (a collection…)
        probe.stop()
        note = scenario.note() if ok else f"did not finish in {TIMEOUT_S} s"
        window.close()
        window.deleteLater()
        spin_until(lambda: False, 0.2)
    for site, samples in probe.sites.most_common(8):
        log(f"  stalled in ({samples} samples): {site}")
    gaps_ms = [gap * 1000 for gap in probe.gaps]
    return Result(name, size, max(gaps_ms), percentile(gaps_ms, 99), total, note)


def run(inputs: Inputs, sizes: Sizes, folder: Path, only: set[str]) -> list[Result]:
    def scenario(cls, **attrs) -> Callable[..., Scenario]:
        def make(window, prompts, where):
            made = cls(window, prompts, where)
            for key, value in attrs.items():
                setattr(made, key, value)
            return made

        return make

    mb = inputs.annotations.stat().st_size / 2**20 if inputs.annotations.exists() else 0
    plan = [
        ("check", f"{sizes.passages:,} passages", inputs.base, scenario(Check)),
        ("merge", f"{sizes.passages:,} passages", inputs.base,
         scenario(Merge, other=inputs.theirs)),
        ("annotation import", f"{mb:.0f} MB, {inputs.annotation_lines:,} lines",
         inputs.annotated, scenario(AnnotationImport, source=inputs.annotations)),
        ("file import", f"{len(inputs.articles):,} .txt into {sizes.passages:,}",
         inputs.base, scenario(FileImport, files=inputs.articles)),
        ("brief export", f"~{inputs.brief_pages} pages", inputs.brief, scenario(BriefExport)),
    ]  # fmt: skip
    results = []
    for index, (name, size, source, make) in enumerate(plan):
        if only and name.split()[0] not in only:
            continue
        where = folder / f"s{index}"
        where.mkdir()
        log(f"{name} ({size}) …")
        result = measure(name, size, copy_workspace(source, where / source.name), make)
        log(f"  longest {result.longest_ms:.0f} ms, total {result.total_s:.1f} s {result.note}")
        results.append(result)
    return results


def render(results: list[Result]) -> str:
    head = ("scenario", "size", "longest stall ms", "p99 ms", "total s", "note")
    rows = [head] + [
        (r.scenario, r.size, f"{r.longest_ms:,.0f}" + ("" if r.longest_ms < BUDGET_MS else " ✗"),
         f"{r.p99_ms:,.0f}", f"{r.total_s:.1f}", r.note)
        for r in results
    ]  # fmt: skip
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    lines = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |"
        for row in rows
    ]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="sizes times this")
    parser.add_argument("--quick", action="store_true", help="--scale 0.1")
    parser.add_argument("--only", default="", help="comma-separated: check,merge,annotation…")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    parser.add_argument(
        "--trace", type=float, default=0, metavar="MS", help="log where stalls > MS happen"
    )
    args = parser.parse_args(argv)
    global TRACE_MS
    TRACE_MS = args.trace
    scale = 0.1 if args.quick else args.scale
    sizes = Sizes.scaled(scale)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    import workstation

    folder = Path(tempfile.mkdtemp(prefix="gui-stall-"))
    log(f"workstation from {Path(workstation.__file__).parent}; scratch {folder}")
    began = time.perf_counter()
    only = {name.strip() for name in args.only.split(",") if name.strip()}
    inputs = build(folder, sizes, only)
    setup_s = time.perf_counter() - began
    results = run(inputs, sizes, folder, only)
    print(f"GUI stall benchmark (scale {scale:g}; budget < {BUDGET_MS} ms per stall)\n")
    print(render(results))
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\nsetup {setup_s:.0f} s; load average {load} on {os.cpu_count()} CPUs; "
          f"{Path(workstation.__file__).parent}")  # fmt: skip
    app.processEvents()
    if not args.keep:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
    else:
        log(f"kept {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
