"""The pipeline: workspace → Brief (data) → story → PDF bytes, recorded in the workspace."""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefs import pdfmeta, styles
from briefs.compose import compose_brief
from briefs.fonts import register_fonts
from briefs.model import Brief, BriefError, BriefOptions
from workstation.services import Session

if TYPE_CHECKING:
    from briefs.front import Fit


@dataclass(frozen=True)
class BuiltBrief:
    brief: Brief
    pdf: bytes
    pdf_hash: str
    recorded: bool


def render_pdf(brief: Brief) -> bytes:
    """Lay out and build the PDF. Same Brief → same bytes.

    Page 1 is drawn as tight as it must be to stay one page (fewer confidence bases, a
    shorter chain), measured before building; one-page is also checked after building and
    refused, saying what to cut, when even the tightest page 1 does not fit."""
    from reportlab import rl_config

    from briefs.front import ONE_PAGE_FITS, Fit

    # No user text can reach markup unescaped, but nothing may fetch a file or URL anyway.
    rl_config.trustedSchemes = []
    register_fonts()  # no glyph check: what the fonts lack is transliterated (briefs.glyphs)
    candidates = (Fit(), *ONE_PAGE_FITS)
    if brief.format != "one-page":
        fit = next((f for f in candidates if _fits(brief, f)), candidates[-1])
        return _render(brief, fit)[0]
    pages = 0
    for fit in candidates:
        if fit is not candidates[-1] and not _fits(brief, fit):
            continue
        pdf, pages = _render(brief, fit)
        if pages == 1:
            return pdf
    raise BriefError(_what_to_cut(brief, pages))


def _fits(brief: Brief, fit: Fit) -> bool:
    from briefs.story import page_one_height

    page = styles.PAGE
    width = page["width"] - page["left"] - page["right"]
    return page_one_height(brief, fit, width) <= _frame_height(brief) - 6


def _frame_height(brief: Brief) -> float:
    from briefs.banner import layout

    page = styles.PAGE
    text_width = page["width"] - page["left"] - page["right"]
    return page["height"] - 2 * layout(brief.marking, text_width).margin


def _render(brief: Brief, fit: Fit) -> tuple[bytes, int]:
    from briefs.document import BriefDocTemplate
    from briefs.story import build_story

    buffer = io.BytesIO()
    doc = BriefDocTemplate(
        buffer,
        marking=brief.marking,
        footer=f"{brief.brief_id} · {brief.dtg}",  # the document adds the marking, cut to fit
        prepare=lambda canvas: pdfmeta.stamp(canvas, brief),
        **pdfmeta.document_info(brief),
    )
    story = build_story(brief, doc.width, fit)
    doc.build(story, canvasmaker=doc.canvas_maker())  # one pass: see briefs/contents.py
    return buffer.getvalue(), doc.page


def _what_to_cut(brief: Brief, pages: int) -> str:
    words = len(brief.bottom_line.split())
    return (
        f"the one-page brief still takes {pages} pages at its tightest: shorten the bottom "
        f"line ({words} words), the key judgments ({len(brief.judgments)}) or what to watch "
        f"({len(brief.watch)} items), or choose the standard format"
    )


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


def _recorded_options(brief: Brief, options: BriefOptions) -> dict[str, Any]:
    data = asdict(options)
    data.update(
        brief_id=brief.brief_id,
        signature=brief.signature,
        marking=brief.marking,
        author=brief.author,
        desk=brief.desk,
        issued_at=brief.issued_at.isoformat(),
        information_as_of=(
            brief.information_as_of.isoformat() if brief.information_as_of else None
        ),
        sections=list(brief.sections),
        format=brief.format,
        # Where each quoted passage sits; the page shows only its paragraph (¶).
        excerpt_offsets={e.annotation_id: [e.start, e.end, e.paragraph] for e in brief.excerpts},
    )
    return data
