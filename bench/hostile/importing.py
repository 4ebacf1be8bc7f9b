"""Hostile documents for ``workstation import`` (README "Import rules"; the
budget in docs/architecture.md: refused or done in < 60 s and < 1 GB each).

Every case imports a good article and the hostile input in ONE batch through the real command
(``python -m workstation --workspace W import GOOD HOSTILE``, after ``init``) and holds it to
the contract: one line for the hostile input, saying what it expects; the good article
imported; the right exit status (1 when something failed, else 0); no traceback, no internal
error; and no import journal left open (``import --resume`` has nothing to resume). Two
cases inject failures nobody foresaw into the command's own process (a reader raising
RecursionError, SQLite refusing one document), so they run it in-process.

The builders are in import_files.py; tests/e2e/test_cli_untrusted_import.py runs the same
cases.
"""

from __future__ import annotations

import contextlib
import io
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.hostile import Attack, Outcome
from bench.hostile import import_files as build

MEMORY_LIMIT = 1 << 30
TIMEOUT_SECONDS = 55


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[Path], Path]  # builds the hostile input in a folder, returns what to import
    expect: str  # "refused" (a failed line) or "handled" (imported, or skipped with a line)
    says: str  # text the hostile input's line must hold
    # Articles inside the hostile input itself (a folder) that must be imported too.
    inside: tuple[str, ...] = ()
    # Text that must not be found in the workspace afterwards (what an external entity names).
    absent: str = ""
    # For injected failures: runs the command in-process with the fault in place.
    in_process: Callable[[list[str]], tuple[int, str, str]] | None = None
    # Removes what the builder made, when a plain rmtree cannot (a folder 1,100 deep).
    tidy: Callable[[Path], None] | None = None


@dataclass
class Ran:
    code: int | None  # None: killed at the timeout
    out: list[str]
    err: list[str]
    seconds: float
    problems: list[str] = field(default_factory=list)


def limit_memory() -> None:
    """preexec_fn: the 1 GB address-space budget for the command."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def command(workspace: Path, *args: object, timeout: float = TIMEOUT_SECONDS) -> Ran:
    """Run ``python -m workstation --workspace WORKSPACE ARGS`` under the memory limit."""
    argv = [sys.executable, "-m", "workstation", "--workspace", str(workspace), *map(str, args)]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(_ROOT)}
    env.setdefault("WORKSTATION_DATA_DIR", str(workspace.parent / "data"))
    began = time.perf_counter()
    try:
        done = subprocess.run(
            argv,
            capture_output=True,
            timeout=timeout,
            env=env,
            cwd=_ROOT,
            preexec_fn=limit_memory,  # the caller runs no threads here
        )
    except subprocess.TimeoutExpired as exc:
        out = (exc.stdout or b"").decode("utf-8", "replace").splitlines()
        err = (exc.stderr or b"").decode("utf-8", "replace").splitlines()
        return Ran(None, out, err, time.perf_counter() - began)
    out = done.stdout.decode("utf-8", "replace").splitlines()
    err = done.stderr.decode("utf-8", "replace").splitlines()
    return Ran(done.returncode, out, err, time.perf_counter() - began)


_ROOT = Path(__file__).resolve().parents[2]


def shown(path: Path) -> str:
    """A path as the command prints it (escaped for the terminal)."""
    from workstation.domain.text_display import terminal

    return terminal(str(path))


def run_case(case: Case, folder: Path, workspace: Path | None = None) -> tuple[Ran, Outcome]:
    """Build the case's input in ``folder``, import it beside a good article into
    ``workspace`` (made with ``init`` when None) and judge what happened."""
    if workspace is None:
        workspace = folder / "w.sqlite"
        made = command(workspace, "init")
        if made.code != 0:
            return made, Outcome("FAILED", f"init failed: {' '.join(made.err)[:100]}")
    inputs = folder / "in"
    inputs.mkdir(exist_ok=True)
    good = build.make_good_article(inputs)
    try:
        hostile = case.make(inputs)
        args = ["import", good, hostile]
        if case.in_process is not None:
            began = time.perf_counter()
            os.environ.setdefault("WORKSTATION_DATA_DIR", str(workspace.parent / "data"))
            code, out, err = case.in_process(["--workspace", str(workspace), *map(str, args)])
            ran = Ran(code, out.splitlines(), err.splitlines(), time.perf_counter() - began)
        else:
            ran = command(workspace, *args)
        return ran, judge(case, ran, workspace, good, hostile)
    finally:
        if case.tidy is not None:
            case.tidy(inputs)


def judge(case: Case, ran: Ran, workspace: Path, good: Path, hostile: Path) -> Outcome:
    lines = ran.out + ran.err
    if ran.code is None:
        return Outcome("FAILED", f"still running after {ran.seconds:.0f} s")
    if ran.code == 3 or any("Traceback" in x or "internal error" in x for x in lines):
        return Outcome("FAILED", f"exit {ran.code}: {(ran.err or ['no output'])[-1][:100]}")
    if not any(x.startswith(f"imported  {shown(good)}: ") for x in ran.out):
        return Outcome("FAILED", f"the good article beside it was not imported: {lines[:3]}")
    for name in case.inside:
        if not any(x.startswith("imported ") and f"{name}: " in x for x in ran.out):
            return Outcome("FAILED", f"{name} inside it was not imported")
    about = [x for x in lines if f" {shown(hostile)}" in x and not x.startswith("  warning")]
    if case.inside:  # a folder: its own line only if something was refused or skipped
        about = [x for x in about if not x.startswith("imported ")]
    if case.expect == "refused" and len(about) != 1:
        return Outcome("FAILED", f"expected one line about it, got {len(about)}: {about[:2]}")
    if len(about) > 1:
        return Outcome("FAILED", f"more than one line about it: {about[:2]}")
    line = about[0] if about else ""
    verdict = "refused" if line.startswith("failed ") else "handled"
    if verdict != case.expect or case.says not in line:
        return Outcome("FAILED", f"expected {case.expect} saying {case.says!r}, got: {line[:90]}")
    if ran.code != (1 if verdict == "refused" else 0):
        return Outcome("FAILED", f"exit {ran.code} for a {verdict} input")
    if case.absent:
        found = command(workspace, "search", case.absent)
        if found.out != ["no matches"]:
            return Outcome("FAILED", f"{case.absent!r} reached the workspace: {found.out[:1]}")
    resumed = command(workspace, "import", "--resume")
    if resumed.code != 0 or resumed.out != ["nothing to resume: no import was cut short"]:
        return Outcome("FAILED", f"the import journal was left open: {resumed.out[:1]}")
    said = line.split(": ", 1)[1] if ": " in line else "(imported with the good article)"
    return Outcome(verdict, said)


# -- failures injected into the command's own process ----------------------------------------


def _main_with(fault: Callable[[], contextlib.AbstractContextManager]):
    def run(argv: list[str]) -> tuple[int, str, str]:
        from workstation.cli import main

        out, err = io.StringIO(), io.StringIO()
        with fault(), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(argv)
        return code, out.getvalue(), err.getvalue()

    return run


@contextlib.contextmanager
def reader_raises_recursion_error():
    """The PDF reader blows its stack, as a reader on some deeply nested input may."""
    from workstation import importers

    real = importers.READERS[".pdf"]

    def broken(path, data, extraction):
        def down(n: int) -> int:
            return down(n + 1) + 1

        return down(0)

    importers.READERS[".pdf"] = broken
    try:
        yield
    finally:
        importers.READERS[".pdf"] = real


@contextlib.contextmanager
def sqlite_refuses_one_document():
    """SQLite raises "string or blob too big" for the insert of one document."""
    import sqlite3

    from workstation.domain.records import Document
    from workstation.storage.records import RecordStore

    real = RecordStore.insert

    def insert(self, record):
        if isinstance(record, Document) and "blob-too-big" in (record.origin_name or ""):
            raise sqlite3.DataError("string or blob too big")
        return real(self, record)

    RecordStore.insert = insert
    try:
        yield
    finally:
        RecordStore.insert = real


def _blob_too_big(folder: Path) -> Path:
    return build.make_good_article(folder, "blob-too-big.txt")


def _any_pdf(folder: Path) -> Path:
    return build.make_pdf_cycle(folder)


# -- the cases ---------------------------------------------------------------------------------

REFUSED, HANDLED = "refused", "handled"


def _case(name: str, make, expect: str, says: str, **more) -> Case:
    return Case(f"import: {name}", make, expect, says, **more)


CASES = [
    _case(
        ".docx expanding to 300 MB",
        build.make_docx_expanding_to_300_mb,
        REFUSED,
        "over the 100 MB limit",
    ),
    _case(".docx with a lying size header", build.make_docx_with_a_lying_size, REFUSED, "Word"),
    _case(
        ".docx of 3M paragraphs, compressed",
        build.make_docx_with_3m_paragraphs,
        REFUSED,
        ":1 limit",
    ),
    _case(
        ".docx of 3M paragraphs, stored",
        build.make_docx_with_3m_empty_paragraphs_stored,
        REFUSED,
        "500,000 paragraphs",
    ),
    _case(
        ".docx of 25M characters",
        build.make_docx_with_25m_characters,
        REFUSED,
        "passes the 20 MB limit (stopped at paragraph",
    ),
    _case(
        ".docx with an external entity (XXE)",
        build.make_docx_with_xxe,
        REFUSED,
        "DTD",
        absent=build.SECRET,
    ),
    _case(".docx billion laughs", build.make_docx_billion_laughs, REFUSED, "DTD"),
    _case(
        ".eml with 200k Content-Type parameters",
        build.make_eml_with_200k_parameters,
        REFUSED,
        "more than 100 parameters",
    ),
    _case(
        ".eml nested 1,000 deep",
        build.make_eml_nested_1000_deep,
        REFUSED,
        "nested more than 100 deep",
    ),
    _case(
        ".eml with 5,000 MIME parts", build.make_eml_with_5000_parts, REFUSED, "1,000 MIME parts"
    ),
    _case(".eml of 2M lines", build.make_eml_with_2m_lines, REFUSED, "-line limit"),
    _case(
        ".eml with a 1 MB Content-Type",
        build.make_eml_with_a_1_mb_content_type,
        REFUSED,
        "over the 64 KB limit",
    ),
    _case(".pdf of 5,000 pages", build.make_pdf_with_5000_pages, REFUSED, "2,000-page limit"),
    _case(".pdf form XObject bomb", build.make_pdf_xobject_bomb, HANDLED, ""),
    _case(".pdf with a cyclic page tree", build.make_pdf_cycle, REFUSED, "not a readable PDF"),
    _case(
        ".pdf of 100k nested arrays", build.make_pdf_nested_arrays, REFUSED, "not a readable PDF"
    ),
    _case(".html declaring charset base64", build.make_html_declaring_base64, HANDLED, ""),
    _case(
        ".html with an external entity (XXE)",
        build.make_html_with_xxe,
        HANDLED,
        "",
        absent=build.SECRET,
    ),
    _case(".html nested 100k deep", build.make_html_nested_100k, REFUSED, "no article text"),
    _case("sparse 50 MB .txt", build.make_sparse_50_mb, REFUSED, "over the 20 MB limit"),
    _case("FIFO", build.make_fifo, REFUSED, "not a regular file (FIFO)"),
    _case(
        "link to /dev/zero",
        build.make_link_to_dev_zero,
        REFUSED,
        "not a regular file (character device)",
    ),
    _case(
        "folder 1,100 deep",
        build.make_folder_1100_deep,
        HANDLED,
        "",
        inside=("top.txt", "bottom.txt"),
        tidy=build.remove_deep_folder,
    ),
    _case(
        "folder with a link loop",
        build.make_symlink_loop,
        HANDLED,
        "(a loop); not followed",
        inside=("inside.txt",),
    ),
    _case("file name not UTF-8", build.make_non_utf8_name, HANDLED, ""),
    _case(
        "reader raises RecursionError",
        _any_pdf,
        REFUSED,
        "nested too deeply",
        in_process=_main_with(reader_raises_recursion_error),
    ),
    _case(
        "SQLite 'string or blob too big'",
        _blob_too_big,
        REFUSED,
        "string or blob too big",
        in_process=_main_with(sqlite_refuses_one_document),
    ),
]


def _attack(case: Case) -> Attack:
    def run(folder: Path) -> Outcome:
        return run_case(case, folder)[1]

    return Attack(case.name, "import", run)


ATTACKS: list[Attack] = [_attack(case) for case in CASES]
