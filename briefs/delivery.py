"""Finishing a brief export on the GUI thread: the PDF and its record, together or neither.

The steps of ``briefs.build.build_brief`` split in two: the composer composes on the GUI
thread and renders in a worker; delivery reuses ``briefs.build.deliver_brief`` so the GUI
and the CLI store the same thing. No Qt here, and no SQL.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from briefs.build import deliver_brief
from briefs.model import Brief, BriefOptions
from workstation.services import Session


@dataclass(frozen=True)
class ExportResult:
    path: Path
    pdf_hash: str
    recorded: bool


def pdf_path(chosen: str | os.PathLike[str]) -> Path:
    """The path the user chose, with ``.pdf`` added when it has no suffix."""
    path = Path(chosen)
    return path if path.suffix else path.with_name(path.name + ".pdf")


def finish_export(
    session: Session, brief: Brief, options: BriefOptions, pdf: bytes, dest: Path
) -> ExportResult:
    """Deliver the file and its record together or not at all (``deliver_brief``)."""
    pdf_hash, recorded = deliver_brief(session, brief, options, pdf, dest)
    return ExportResult(dest, pdf_hash, recorded)
