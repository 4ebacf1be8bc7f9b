"""The ``workstation`` command (docs/architecture.md, The command line).

Errors are one line on stderr and a non-zero exit: 1 for a failed operation, 2 for a usage
error. Tracebacks go to a log file, never the screen. Every line printed goes through
``output`` (``say``, ``warn``, ``say_json``), which escapes user text for the terminal.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import traceback
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workstation import __version__
from workstation.cli.output import EscapingArgumentParser, say, say_json, warn
from workstation.cli.progress import ImportProgress
from workstation.domain.counts import count_noun
from workstation.domain.text_display import terminal
from workstation.services import open_session
from workstation.services.errors import (
    ServiceError,
    WorkspaceError,
    WorkspaceInUse,
    WorkspaceReadOnly,
)
from workstation.services.maintenance import backup, foreign_objects
from workstation.services.output_paths import refuse_workspace_paths, sidecar_owner
from workstation.services.search import MARK_END, MARK_START
from workstation.services.session import build_workspace
from workstation.services.settings import data_dir, default_workspace_path
from workstation.storage import wal_guard

if TYPE_CHECKING:
    from workstation.services import Session
    from workstation.services.rows import SearchHit

# Commands that live in their own module here: NAME, HELP, add_arguments(parser), run(args,
# path) -> exit code.
COMMAND_MODULES = (
    "suggest",
    "assistant",
    "timeline",
    "export",
    "import_annotations",
    "merge",
    "agreement",
    "check",
)


class UsageError(Exception):
    pass


def build_parser() -> argparse.ArgumentParser:
    parser = EscapingArgumentParser(
        prog="workstation",
        description="Annotate news articles and brief managers, offline.",
    )
    parser.add_argument("--version", action="version", version=f"workstation {__version__}")
    _add_workspace(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name: str, help: str, description: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help, description=description)
        # Also after the command (`workstation search Lavrov --workspace W`); left unset
        # there unless given, so the one before the command still counts.
        _add_workspace(sub, default=argparse.SUPPRESS)
        return sub

    init = command(
        "init",
        "create a workspace",
        "Create a new workspace file, empty or with the sample episode. Refuses a file that "
        "is already there.",
    )
    init.add_argument("--sample", action="store_true", help="load the sample episode")

    imp = command(
        "import",
        "import article files (.txt .md .html .docx .pdf .eml)",
        "Import article files and folders into the workspace, one line per file. Each file is "
        "stored whole or not at all; a file that fails does not stop the others.",
    )
    imp.add_argument(
        "files",
        nargs="*",
        type=Path,
        metavar="FILE",
        help="files or folders to import (folders are walked)",
    )
    imp.add_argument(
        "--resume",
        action="store_true",
        help="finish the newest import that was cut short (crash, kill or cancel)",
    )

    search = command(
        "search",
        "full-text search",
        "Search documents, passages and entities, in any script and case- and "
        "accent-insensitively. Read-only: the workspace is not changed.",
    )
    search.add_argument(
        "query",
        metavar="QUERY",
        help='words to find; "two words" is a phrase, sanct* a prefix',
    )
    search.add_argument(
        "--json", action="store_true", help="a JSON list of hits (kind, id, snippet, offsets)"
    )
    search.add_argument(
        "--limit", type=int, default=20, metavar="N", help="at most N hits (default: 20)"
    )

    brief = command(
        "brief",
        "build the PDF brief of an episode",
        "Build an episode's PDF brief and write it to --out. Records the brief in the "
        "workspace, so the next brief can list what changed since.",
    )
    brief.add_argument(
        "--episode", metavar="TITLE_OR_ID", help="which episode (may be left out when there is one)"
    )
    brief.add_argument(
        "--out", type=Path, required=True, metavar="FILE.pdf", help="the PDF file to write"
    )
    brief.add_argument(
        "--marking",
        help="TLP:CLEAR|GREEN|AMBER|AMBER+STRICT|RED or free text (default: the episode's marking)",
    )
    brief.add_argument(
        "--status",
        default="DRAFT",
        type=str.upper,
        choices=("DRAFT", "FINAL"),
        help="DRAFT (default) or FINAL",
    )
    brief.add_argument(
        "--author", help="author's name as the brief shows it (default: the author_name setting)"
    )
    brief.add_argument("--desk", help="desk as the brief shows it (default: the desk setting)")
    brief.add_argument("--distribution", default="", help="distribution line")
    brief.add_argument(
        "--format",
        default="standard",
        choices=("one-page", "standard", "full"),
        help="one-page (enforced), standard (default) or full (with the evidence annex)",
    )
    brief.add_argument(
        "--sections",
        metavar="A,B,C",
        help="sections to include (default: the format's): bluf, judgments, timeline, actors, "
        "measures, outlook, sources, changes, annex",
    )
    brief.add_argument(
        "--issued",
        metavar="ISO_TIME",
        help="date-time of issue (default: now; the same time, workspace and options "
        "give the same PDF)",
    )

    bkp = command(
        "backup",
        "consistent copy while in use",
        "Copy the workspace to DEST and verify the copy; safe while the workspace is in use. "
        "The workspace is not changed.",
    )
    bkp.add_argument(
        "dest", type=Path, metavar="DEST", help="file to write the copy to (its folder must exist)"
    )

    for module in _command_modules():
        module.add_arguments(command(module.NAME, module.HELP, module.DESCRIPTION))
    return parser


def _add_workspace(parser: argparse.ArgumentParser, **kwargs: Any) -> None:
    parser.add_argument(
        "--workspace",
        type=Path,
        metavar="PATH",
        help=f"workspace file (default: {terminal(default_workspace_path())})",
        **kwargs,
    )


def _command_modules() -> list:
    import importlib

    return [importlib.import_module(f"workstation.cli.{name}") for name in COMMAND_MODULES]


def _modules_by_name() -> dict:
    return {module.NAME: module for module in _command_modules()}


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # argparse already printed its one-line usage error
        return int(exc.code or 0)
    path = args.workspace or default_workspace_path()
    try:
        modules = _modules_by_name()
        if args.command in modules:
            return modules[args.command].run(args, path)
        handler = HANDLERS[args.command]
        return handler(args, path)
    except UsageError as exc:
        warn(f"workstation {args.command}: {exc}")
        return 2
    except (WorkspaceError, ServiceError) as exc:  # messages may embed file names and titles
        warn(f"workstation {args.command}: {exc}")
        return 1
    except KeyboardInterrupt:
        warn(f"workstation {args.command}: interrupted; nothing half-written")
        return 130
    except BrokenPipeError:  # output piped into `head` and the like: not an error
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (silences the flush at exit)
        return 0
    except Exception as exc:  # a bug: one line here, the traceback in the log
        log = _log_bug()
        warn(
            f"workstation {args.command}: internal error ({type(exc).__name__}: {exc}); "
            f"details in {log}"
        )
        return 3
    finally:
        # A -wal that was not the workspace's own, moved aside by the open: said once.
        for line in wal_guard.reports():
            warn(f"note: {line}")


def _log_bug() -> Path:
    log = data_dir() / "errors.log"
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        # backslashreplace: a message may hold a file name that is not UTF-8 (\udcff).
        with log.open("a", encoding="utf-8", errors="backslashreplace") as handle:
            handle.write(traceback.format_exc() + "\n")
    except OSError:
        return Path("(no log: data folder not writable)")
    return log


def cmd_init(args: argparse.Namespace, path: Path) -> int:
    owner = sidecar_owner(path)  # x.sqlite-wal beside x.sqlite would become its log
    if owner is not None:
        refuse_workspace_paths(path, owner)
    # Built beside the target and renamed into place: a failed sample load leaves nothing.
    documents = build_workspace(path, with_sample=args.sample)
    what = f"sample episode, {count_noun(documents, 'document')}" if args.sample else "empty"
    say(f"created {path} ({what})")
    return 0


def cmd_import(args: argparse.Namespace, path: Path) -> int:
    if args.resume == bool(args.files):
        raise UsageError("give the files to import, or --resume (not both)")
    # Files done (and the pages of a long PDF) on one line, on a terminal only.
    progress = ImportProgress()
    try:
        with open_session(path) as session:
            waiting = session.importing.unfinished()
            if args.resume:
                if not waiting:
                    say("nothing to resume: no import was cut short")
                    return 0
                run = waiting[0]
                say(f"resuming: {len(run.remaining)} of {len(run.files)} files still to import")
                results, _ = session.importing.resume(
                    run, progress=progress.files, pages=progress.pages
                )
            else:
                results, _ = session.importing.files(
                    args.files, progress=progress.files, pages=progress.pages
                )
    finally:
        progress.clear()
    if not args.resume:
        for run in waiting:
            warn(
                f"note: an import started {run.started_at[:16]} stopped after {run.done} of "
                f"{len(run.files)} files; 'workstation import --resume' finishes it"
            )
    for result in results:
        # One line per file, whatever its name holds: a newline in a name must not print
        # a "failed …" line of its own.
        if result.failed:
            warn(f"failed    {result.path}: {result.message}")
        else:
            say(f"{result.status:<9} {result.path}: {result.message}")
        # What the importer guessed or left out, under the file it concerns; each warning
        # its own escaped line. Warnings never change the exit status.
        say(*(f"  warning: {line}" for line in result.warnings))
    if all(r.status == "skipped" for r in results):  # none, or only folders not read twice
        warn("workstation import: no importable files found")
        return 1
    return 1 if any(r.failed for r in results) else 0


def cmd_search(args: argparse.Namespace, path: Path) -> int:
    if args.limit < 1:
        raise UsageError("--limit must be at least 1")
    with _open_for_reading(path) as session:
        hits = session.search.hits(args.query, limit=args.limit)
    if args.json:
        say_json([_hit_json(h) for h in hits])
        return 0
    if not hits:
        say("no matches")
    for hit in hits:
        where = f" @{hit.start}-{hit.end}" if hit.start is not None else ""
        say(f"[{hit.kind}] {hit.title}{where}", f"    {_plain_snippet(hit.snippet)}")
    return 0


def _open_for_reading(path: Path) -> Session:
    """Open normally (so an older workspace is migrated); a read-only file, or one another
    workstation is writing to, still reads (read-only opens take no lock)."""
    try:
        return open_session(path)
    except (WorkspaceReadOnly, WorkspaceInUse):
        return open_session(path, read_only=True)


def _plain_snippet(snippet: str) -> str:
    return snippet.replace(MARK_START, "[").replace(MARK_END, "]").replace("\n", " ")


def _hit_json(hit: SearchHit) -> dict[str, object]:
    return {
        "kind": hit.kind,
        "id": hit.record_id,
        "document_id": hit.document_id,
        "title": hit.title,
        "snippet": _plain_snippet(hit.snippet),
        "start": hit.start,
        "end": hit.end,
        "score": round(hit.score, 6),
    }


def cmd_brief(args: argparse.Namespace, path: Path) -> int:
    from briefs.build import build_brief, deliver_brief
    from briefs.fonts import MissingGlyphs
    from briefs.model import BriefError, BriefOptions

    issued = None
    if args.issued:
        try:
            issued = datetime.fromisoformat(args.issued.replace("Z", "+00:00"))
        except ValueError as exc:
            raise UsageError(f"--issued must be an ISO date-time, not {args.issued!r}") from exc
        if issued.tzinfo is None:
            issued = issued.replace(tzinfo=UTC)
    if args.out.suffix.lower() != ".pdf":
        raise UsageError("--out must name a .pdf file")
    refuse_workspace_paths(args.out, path)  # never over the workspace or its sidecars
    if not args.out.parent.is_dir():  # a failed operation (exit 1), as for export and backup
        raise ServiceError(f"no such folder: {args.out.parent}")
    options = BriefOptions(
        marking=args.marking,
        status=args.status,
        author=args.author,
        desk=args.desk,
        distribution=args.distribution,
        issued_at=issued,
        format=args.format,
        sections=(
            tuple(s.strip() for s in args.sections.split(",") if s.strip())
            if args.sections is not None
            else None
        ),
    )
    with open_session(path) as session:
        try:
            built = build_brief(session, args.episode, options, record=False)
        except (BriefError, MissingGlyphs) as exc:
            raise ServiceError(str(exc)) from exc
        # The PDF and its record together or neither: the next brief's "changes since"
        # must compare with a brief that was actually delivered.
        try:
            _, recorded = deliver_brief(session, built.brief, options, built.pdf, args.out)
        except OSError as exc:
            raise ServiceError(
                f"cannot write {args.out}: {exc.strerror or exc}; no brief recorded"
            ) from exc
        except WorkspaceError as exc:
            raise ServiceError(f"{exc}; no brief written to {args.out}") from exc
        built = dataclasses.replace(built, recorded=recorded)
    brief = built.brief
    say(
        f"wrote {args.out}: brief {brief.brief_id}, {brief.dtg}, {brief.marking}, "
        f"{brief.status}{'' if built.recorded else ' (same as a brief already recorded)'}"
    )
    for line in brief.withheld:
        say(f"withheld (internal): {line}")
    for line in brief.gaps:
        say(f"missing: {line}")
    return 0


def cmd_backup(args: argparse.Namespace, path: Path) -> int:
    dest = backup(path, args.dest)
    say(f"backed up {path} to {dest} (verified)")
    # A faithful copy, foreign objects and all: said, so that nobody restores it unawares.
    foreign = foreign_objects(dest)
    if foreign:
        more = f"; and {len(foreign) - 4} more" if len(foreign) > 4 else ""
        warn(
            f"note: the copy holds what the workspace holds: {'; '.join(foreign[:4])}{more} "
            "('workstation check --repair' on the workspace removes them)"
        )
    return 0


HANDLERS = {
    "init": cmd_init,
    "import": cmd_import,
    "search": cmd_search,
    "backup": cmd_backup,
    "brief": cmd_brief,
}
