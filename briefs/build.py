"""The pipeline: workspace → Brief (data) → story → PDF bytes, recorded in the workspace."""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from briefs import pdf_text
from briefs.compose import compose_brief
from briefs.fonts import register_fonts
from briefs.model import Brief, BriefOptions
from workstation.services import Session


@dataclass(frozen=True)
class BuiltBrief:
    brief: Brief
    pdf: bytes
    pdf_hash: str
    recorded: bool


def render_pdf(brief: Brief) -> bytes:
    """Lay out and build the PDF. Same Brief → same bytes."""
    from reportlab import rl_config

    from briefs.document import BriefDocTemplate
    from briefs.story import build_story

    # No user text can reach markup unescaped, but nothing may fetch a file or URL anyway.
    rl_config.trustedSchemes = []
    register_fonts()  # no glyph check: what the fonts lack is transliterated (briefs.glyphs)
    buffer = io.BytesIO()
    meta = pdf_text.metadata
    doc = BriefDocTemplate(
        buffer,
        marking=brief.marking,
        footer=f"{brief.brief_id} · {brief.dtg} · {pdf_text.one_line(brief.marking)}",
        title=meta(brief.title),
        author=meta(brief.author),
        subject=f"Brief {brief.brief_id} ({brief.status}), {meta(brief.marking)}",
        keywords=", ".join(
            ["brief", meta(brief.marking), brief.status, *[meta(a.name) for a in brief.actors[:12]]]
        ),
        creator="workstation",
        producer="workstation (ReportLab)",
    )
    story = build_story(brief, doc.width)
    doc.build(story, canvasmaker=doc.canvas_maker())  # one pass: see briefs/contents.py
    return buffer.getvalue()


def build_brief(
    session: Session, episode_ref: str | None, options: BriefOptions, *, record: bool = True
) -> BuiltBrief:
    brief = compose_brief(session, episode_ref, options)
    pdf = render_pdf(brief)
    if record:
        pdf_hash, recorded = record_brief(session, brief, options, pdf)
    else:
        pdf_hash, recorded = hashlib.sha256(pdf).hexdigest(), False
    return BuiltBrief(brief, pdf, pdf_hash, recorded)


def record_brief(
    session: Session, brief: Brief, options: BriefOptions, pdf: bytes
) -> tuple[str, bool]:
    """Record a rendered brief in the workspace: ``(pdf_hash, recorded)``.

    Nothing is recorded when a brief with the same PDF bytes is already there. The GUI
    renders off its thread and calls this back on it; the CLI calls it via build_brief.
    """
    pdf_hash = hashlib.sha256(pdf).hexdigest()
    if any(b.pdf_hash == pdf_hash for b in session.episodes.briefs(brief.episode_id)):
        return pdf_hash, False
    session.episodes.record_brief(
        brief.episode_id,
        options=_recorded_options(brief, options),
        content_hash=brief.content_hash,
        pdf_hash=pdf_hash,
        manifest=brief.manifest,
    )
    return pdf_hash, True


def write_atomically(dest: Path, data: bytes) -> None:
    """Write ``dest`` through ``dest.partial`` + rename: nobody ever sees half a PDF."""
    partial = _write_partial(dest, data)
    try:
        _move_into_place(partial, dest)
    except BaseException:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise


def deliver_brief(
    session: Session, brief: Brief, options: BriefOptions, pdf: bytes, dest: Path
) -> tuple[str, bool]:
    """Put the manager's PDF at ``dest`` and its record in the workspace together, or
    neither: ``(pdf_hash, recorded)``.

    A brief delivered but not recorded would be missing from the next brief's "changes
    since"; one recorded but not delivered would be compared with a brief nobody read. So:
    the PDF is written beside the target first (``dest.partial``, synced); then, inside one
    workspace transaction, the record is inserted and the file renamed into place, and the
    transaction commits only after the rename. A failed write records nothing; a failed
    rename rolls the record back; a failed commit takes the new file back. Only a kill in the
    instant between the rename and the commit can leave the file without its record.
    """
    partial = _write_partial(dest, pdf)
    moved = False
    try:
        with session.workspace.transaction():
            recorded = record_brief(session, brief, options, pdf)
            _move_into_place(partial, dest)
            moved = True
    except BaseException:
        with contextlib.suppress(OSError):
            (dest if moved else partial).unlink()
        raise
    return recorded


def _write_partial(dest: Path, data: bytes) -> Path:
    partial = dest.with_name(dest.name + ".partial")
    try:
        with open(partial, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise
    return partial


def _move_into_place(partial: Path, dest: Path) -> None:
    os.replace(partial, dest)
    # The rename itself must reach the disk: sync the folder that holds it.
    with contextlib.suppress(OSError):
        folder = os.open(dest.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def _recorded_options(brief: Brief, options: BriefOptions) -> dict:
    data = asdict(options)
    data.update(
        brief_id=brief.brief_id,
        signature=brief.signature,
        marking=brief.marking,
        author=brief.author,
        issued_at=brief.issued_at.isoformat(),
        sections=list(brief.sections),
    )
    return data
