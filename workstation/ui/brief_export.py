"""Finishing a brief export on the GUI thread: write the file atomically, then record it.

The steps of ``briefs.build.build_brief`` split in two: the composer composes on the GUI
thread and renders in a worker; recording reuses ``briefs.build.record_brief`` so the GUI
and the CLI store the same thing. No Qt here, and no SQL.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from briefs.build import record_brief, write_atomically
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
    """Write the file first (so a failed write records nothing), then record the brief."""
    write_atomically(dest, pdf)
    pdf_hash, recorded = record_brief(session, brief, options, pdf)
    return ExportResult(dest, pdf_hash, recorded)
