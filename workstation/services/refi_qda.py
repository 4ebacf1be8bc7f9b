"""REFI-QDA with the QDA tools (QualCoder, MAXQDA, ATLAS.ti, NVivo): export the workspace as a
``.qdpx`` project or the codebook as a ``.qdc``, and import either.

What a file means for the workspace is decided here; ``interchange.refi_qda*`` only converts.

Import (nothing believed, docs/architecture.md "Trust boundaries"):

- A source finds its document by the sha256 of its text (normalised as every body is), then
  by the GUID an earlier import recorded; otherwise it becomes a new document. Selections
  are placed at their positions when the text is the body unchanged, otherwise re-anchored by
  quote and context (a body is stored trimmed and NFC-normalised); what cannot be placed is
  kept as an orphan for review.
- Codes find their category by the GUID our export gave it, by an earlier import's GUID,
  then by name (case-insensitive). A project's missing codes become categories (the
  project's codebook comes with its coding; the report counts them); so do a codebook's.
  A known category is never changed: a different colour or description is listed instead.
- A selection's first code is its category, further codes are kept as tags.
- Users become the claimed authors, with ``imported_by``/``imported_at`` beside them.
- Every GUID taken is recorded as a ``ForeignId`` (scheme ``refi-qda``): importing the same
  file again adds nothing.
- One transaction for the codebook, then one per source: one bad source never stops the
  others, and every item not imported is listed with its reason.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from workstation.domain.counts import count_noun
from workstation.services.annotation_report import AnnotationImportReport
from workstation.services.exporting import ExportSummary, gather
from workstation.services.outcome import ServiceError
from workstation.services.output_paths import PARTIAL, refuse_workspace_paths
from workstation.services.refi_qda_import import SCHEME, ProjectImport

if TYPE_CHECKING:
    from workstation.domain.records import Episode
    from workstation.services.session import Session

MAX_FILE_BYTES = 256 * 1024 * 1024  # a .qdpx or .qdc on disk; its content has its own limits
_OPEN_FLAGS = os.O_RDONLY | sum(getattr(os, f, 0) for f in ("O_NONBLOCK", "O_NOCTTY", "O_CLOEXEC"))


def _origin() -> str:
    from workstation import __version__

    return f"workstation {__version__}"


# -- export ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RefiExportSummary(ExportSummary):
    categories: int = 0

    def describe(self) -> str:
        categories = count_noun(self.categories, "category", "categories")
        if self.format == "qdc":
            return f"exported {categories} as a REFI-QDA codebook (qdc) to {self.path}"
        what = (
            f"{count_noun(self.documents, 'document')}, {count_noun(self.passages, 'passage')} "
            f"and {categories}"
        )
        left = f"; {count_noun(self.mentions, 'mention-only span')} not written" * bool(
            self.mentions
        )
        return f"exported {what} as a REFI-QDA project (qdpx) to {self.path}{left}"


def export_project(
    session: Session, out: Path, *, episode: Episode | None = None
) -> RefiExportSummary:
    """The workspace (or what ``episode`` rests on) as a ``.qdpx`` project at ``out``."""
    from workstation.interchange.refi_qda_write import project_from_bundle, write_qdpx

    out = _check_target(session, out)
    bundle = gather(session, episode)
    name = episode.title if episode is not None else session.path.stem
    project = project_from_bundle(bundle, name=name, origin=_origin())
    _write_aside(out, lambda partial: write_qdpx(project, partial))
    return RefiExportSummary(
        format="qdpx",
        path=out,
        documents=len(project.sources),
        passages=sum(len(s.selections) for s in project.sources),
        entities=0,
        events=0,
        mentions=sum(a.mention_only for a in bundle.annotations if a.live),
        categories=len(project.codes),
    )


def export_codebook(session: Session, out: Path) -> RefiExportSummary:
    """Every category as a ``.qdc`` codebook at ``out``."""
    from workstation.interchange.refi_qda_write import codebook_xml, codes_from_categories

    out = _check_target(session, out)
    codes = codes_from_categories(session.codebook.list_categories())
    if not codes:
        raise ServiceError("the codebook is empty: a REFI-QDA codebook needs one code at least")
    data = codebook_xml(codes, origin=_origin())
    _write_aside(out, lambda partial: partial.write_bytes(data))
    return RefiExportSummary(
        format="qdc", path=out, documents=0, passages=0, entities=0, events=0,
        categories=len(codes),
    )  # fmt: skip


def _check_target(session: Session, out: Path | str) -> Path:
    out = Path(out)
    refuse_workspace_paths(out, session.path)
    if out.is_dir():
        raise ServiceError(f"{out} is a folder; give a file name")
    if not out.parent.is_dir():
        raise ServiceError(f"{out.parent}: no such folder")
    return out


def _write_aside(out: Path, write: Callable[[Path], object]) -> None:
    """Written beside the target and renamed into place: a failed export leaves no
    half-written file where the officer expects a whole one."""
    partial = out.with_name(out.name + PARTIAL)
    try:
        write(partial)
        os.replace(partial, out)
    except OSError as exc:
        raise ServiceError(f"{out}: cannot write the export ({exc.strerror or exc})") from exc
    finally:
        partial.unlink(missing_ok=True)


# -- import ------------------------------------------------------------------------------------


@dataclass
class RefiImportReport(AnnotationImportReport):
    documents_added: int = 0
    documents_matched: int = 0
    categories_matched: int = 0
    # Items of the file the workspace has no place for, and categories kept as they were
    # although the file describes them otherwise: one line each, on stdout.
    not_imported: list[str] = field(default_factory=list)

    def summary(self) -> str:
        categories = (
            f"{count_noun(self.categories_added, 'category', 'categories')} added, "
            f"{self.categories_matched} already known"
        )
        if self.format == "refi-qda codebook":
            return f"{self.path.name}: {categories}"
        passages = count_noun(self.placed + self.reanchored, "passage")
        return (
            f"{self.path.name}: {passages} imported"
            + (f" ({self.reanchored} re-anchored by quote)" if self.reanchored else "")
            + f", {self.already} already present, {self.orphans} kept as orphans for review; "
            + f"{count_noun(self.documents_added, 'document')} added, "
            + f"{self.documents_matched} found here by their text; {categories}"
        )

    def note_lines(self) -> list[str]:
        return [*super().note_lines(), *(f"{self.path}: {line}" for line in self.not_imported)]


def import_project(session: Session, path: Path | str) -> RefiImportReport:
    """Import a ``.qdpx`` project; see the module docstring."""
    from workstation.interchange.refi_qda_read import RefiFileError, read_qdpx

    path = Path(path)
    report = RefiImportReport(path, format="refi-qda")
    with _open_regular(path) as handle:
        try:
            project, errors = read_qdpx(handle)
        except RefiFileError as exc:
            raise ServiceError(f"{path}: {exc}") from None
    report.errors.extend(errors)
    report.not_imported.extend(project.not_read)
    ProjectImport(session, report, project).run_all()
    return report


def import_codebook(session: Session, path: Path | str) -> RefiImportReport:
    """Import a ``.qdc`` codebook: its codes as categories (known ones left as they are)."""
    from workstation.interchange.refi_qda_read import MAX_CODEBOOK_BYTES, RefiFileError, read_qdc

    path = Path(path)
    report = RefiImportReport(path, format="refi-qda codebook")
    with _open_regular(path) as handle:
        data = handle.read(MAX_CODEBOOK_BYTES + 1)
    if len(data) > MAX_CODEBOOK_BYTES:
        raise ServiceError(f"{path}: more than {MAX_CODEBOOK_BYTES // (1024 * 1024)} MB")
    try:
        codes, errors = read_qdc(data)
    except RefiFileError as exc:
        raise ServiceError(f"{path}: {exc}") from None
    report.errors.extend(errors)
    importer = ProjectImport(session, report, None)
    with session.workspace.transaction() as done:
        importer.codes(codes)
    report.changes.extend(done)
    return report


def check_file(path: Path | str) -> None:
    """Refuse, in one line, anything but a readable regular file of a bounded size (the CLI
    asks before it opens the workspace)."""
    _open_regular(Path(path)).close()


def _open_regular(path: Path) -> BinaryIO:
    """The file opened for binary reading, refusing anything but a regular file within
    ``MAX_FILE_BYTES`` (a FIFO would block, a device never end)."""
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise ServiceError(f"{path}: cannot read it ({exc.strerror or exc})") from exc
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE_BYTES:
        os.close(fd)
        why = "not a regular file" if not stat.S_ISREG(info.st_mode) else "too large"
        raise ServiceError(f"{path}: {why}; not read")
    return os.fdopen(fd, "rb")


__all__ = [
    "SCHEME",
    "RefiExportSummary",
    "RefiImportReport",
    "check_file",
    "export_codebook",
    "export_project",
    "import_codebook",
    "import_project",
]
