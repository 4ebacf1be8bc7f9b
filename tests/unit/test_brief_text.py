"""The brief shows user text as the reader window does (docs/architecture.md, "Text display: one
policy"): marks for invisible characters, right-to-left lines in the order of the Unicode
Bidirectional Algorithm, Arabic joined, a face per run that has the glyphs, a marked
transliteration for what no face can draw — and it always builds.

The PDF is read glyph run by glyph run (tests.helpers.pdf_glyphs): pypdf's own text
extraction reorders right-to-left text by itself, which would hide the very thing tested.

The order is checked forwards: each drawn line must equal ICU's UAX #9 visual order of the
matching stretch of ``expected_logical(text)`` (levels over the whole paragraph, the line
reordered alone), computed here independently of briefs.bidi. Turning the drawn lines back
into logical order would not do: the inverse is not unique — in a left-to-right paragraph
"שלום 2021" and "2021 שלום" are both drawn "2021 םולש". Every character is accounted for,
since the drawn lines must use up the expected text exactly.
"""

from __future__ import annotations

import dataclasses
import io
import unicodedata
from datetime import UTC, datetime

import icu
import pytest
from hypothesis import HealthCheck, assume, given, settings
from pypdf import PdfReader

from briefs import glyphs, pdf_text
from briefs.build import build_brief, render_pdf
from briefs.compose import compose_brief
from briefs.model import Actor, BriefOptions
from briefs.styles import PAGE
from tests.helpers.hostile_text import ARABIC, CJK, CONTROLS, EMOJI, HEBREW, hostile_text
from tests.helpers.pdf_glyphs import DrawnLine, drawn_lines, drawn_runs
from workstation.domain.text_display import shown
from workstation.importers import DocumentDraft

ISSUED = datetime(2021, 4, 16, 9, 30, tzinfo=UTC)
FSI, PDI = "\u2068", "\u2069"
TOP, BOTTOM = PAGE["height"] - PAGE["top"], PAGE["bottom"]  # the frame: no page furniture


# -- reading the PDF back ------------------------------------------------------------------------


def _fold(visual: str) -> str:
    """Arabic presentation forms back to letters, keeping visual order (a lam-alef ligature
    drawn left to right stands for alef, lam)."""
    return "".join(
        unicodedata.normalize("NFKC", c)[::-1]
        if "\ufb50" <= c <= "\ufdff" or "\ufe70" <= c <= "\ufeff"
        else c
        for c in visual
    )


def _body_lines(pdf: bytes) -> list[DrawnLine]:
    return [line for line in drawn_lines(pdf) if BOTTOM < line.y < TOP and line.text.strip()]


def _between(lines: list[DrawnLine], after, before) -> list[str]:
    """Texts of the lines after the first line matching ``after`` up to one matching
    ``before``."""
    start = next(i for i, line in enumerate(lines) if after(line.text)) + 1
    stop = next(i for i in range(start, len(lines)) if before(lines[i].text))
    return [line.text for line in lines[start:stop]]


def _solid(text: str) -> int:
    return sum(1 for c in text if not c.isspace() and c not in (FSI, PDI))


def _reference(paragraphs: list[tuple[str, int]], drawn: list[str]) -> list[str]:
    """ICU's visual order for each drawn line, given the paragraphs as written (with the
    brief's isolates around user text) and their levels: levels resolved over each whole
    paragraph, each line reordered alone (UAX #9 L1–L4)."""
    out: list[str] = []
    lines = iter(drawn)
    for paragraph, level in paragraphs:
        wanted = _solid(paragraph)
        if not wanted:
            continue
        bidi = icu.Bidi()
        bidi.setPara(icu.UnicodeString(paragraph), level)
        position = 0
        while wanted:
            count = _solid(_fold(next(lines)))
            while paragraph[position].isspace():
                position += 1
            start = position
            seen = 0
            while seen < count:
                seen += _solid(paragraph[position])
                position += 1
            wanted -= count

            line = bidi.setLine(_units(paragraph, start), _units(paragraph, position))
            visual = str(line.writeReordered(icu.Bidi.DO_MIRRORING | icu.Bidi.KEEP_BASE_COMBINING))
            out.append(" ".join(visual.replace(FSI, "").replace(PDI, "").split()))
    return out


def _units(text: str, index: int) -> int:
    """ICU counts UTF-16 code units."""
    return len(text[:index].encode("utf-16-le")) // 2


def _direction(text: str) -> int:
    """The reader window's paragraph level for a user string: its first strong character."""
    return 1 if text and icu.Bidi.getBaseDirection(icu.UnicodeString(text)) == 1 else 0


def _isolated(text: str) -> str:
    return f"{FSI}{text}{PDI}" if text.strip() else text


def _check_order(drawn: list[str], paragraphs: list[tuple[str, int]]) -> None:
    folded = [" ".join(_fold(text).split()) for text in drawn]
    assert folded == _reference(paragraphs, drawn)


# -- a brief holding the same text everywhere -----------------------------------------------------


@pytest.fixture(scope="module")
def base_brief(tmp_path_factory):
    from workstation.services import create_session

    path = tmp_path_factory.mktemp("brief-text") / "ws.sqlite"
    with create_session(path, author="tester") as session:
        doc = session.documents.add(
            DocumentDraft(title="Doc", text="Quoted words here.", origin_name="d.txt")
        ).record
        episode = session.episodes.create("Placeholder", bottom_line="b").record
        passage = session.annotations.create(doc.id, 0, 6, note="n").record
        session.episodes.add_judgment(
            episode.id, text="J", likelihood_term="likely", confidence="low", cited=[passage.id]
        )
        actor = session.entities.create("Person", "A").record
        session.episodes.add_event(
            episode.id,
            date="2021-04-15",
            kind="sanction",
            title="E",
            actor_id=actor.id,
            target_id=actor.id,
            evidence=[passage.id],
        )
        return compose_brief(session, None, BriefOptions(issued_at=ISSUED, format="full"))


def _with_text(brief, text: str):
    """The brief with ``text`` as title, bottom line, judgment, quote, note, event, actor."""
    judgment = dataclasses.replace(brief.judgments[0], text=text)
    excerpt = dataclasses.replace(brief.excerpts[0], quote=text, note=text)
    event = dataclasses.replace(brief.timeline[0], title=text, summary=text, target=text)
    actor = Actor(text or "—", "Person", ("actor",), (text, "Россия"), (text,))
    return dataclasses.replace(
        brief,
        title=text,
        bottom_line=text,
        outlook=text,
        judgments=[judgment],
        excerpts=[excerpt],
        timeline=[event],
        actors=[actor],
    )


def _check_paragraphs(pdf: bytes, text: str) -> None:
    """Bottom line, judgment 1 and quote E1 are drawn in the UBA's visual order of
    ``expected_logical(text)`` with the brief's decorations ("1.", “ ”) around it."""
    segments = pdf_text.expected_logical(text).split("\n")
    lines = _body_lines(pdf)

    bluf = _between(lines, "Bottom line up front".__eq__, "Key judgments".__eq__)
    _check_order(bluf, [(s, _direction(s)) for s in segments])

    judgment = _between(lines, "Key judgments".__eq__, lambda t: t.startswith("We judge"))
    decorated = [_isolated(s) for s in segments]
    decorated[0] = "1.\u00a0" + decorated[0]
    decorated[-1] += " [1]"
    _check_order(judgment, [(d, _direction(s)) for d, s in zip(decorated, segments, strict=True)])

    quote = _between(lines, lambda t: t.startswith("E1 · source"), lambda t: t.startswith("Note:"))
    decorated = [_isolated(s) for s in segments]
    decorated[0] = "“" + decorated[0]
    decorated[-1] += "”"
    _check_order(quote, [(d, _direction(s)) for d, s in zip(decorated, segments, strict=True)])


def _check_glyphs(pdf: bytes) -> None:
    """No tofu: every drawn character has a glyph in the face it was drawn in."""
    for run in drawn_runs(pdf):
        lacking = [c for c in run.text if ord(c) not in glyphs.coverage(run.font)]
        assert not lacking, (run.font, run.text, [f"U+{ord(c):04X}" for c in lacking])


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=hostile_text(min_size=1))
def test_any_text_builds_in_visual_order_with_glyphs_for_every_character(base_brief, text):
    assume(pdf_text.expected_logical(text).strip())
    pdf = render_pdf(_with_text(base_brief, text))  # never raises: a brief always builds
    _check_paragraphs(pdf, text)
    _check_glyphs(pdf)


# -- concrete cases --------------------------------------------------------------------------------


def _brief_pdf(session, quote: str, **episode) -> bytes:
    doc = session.documents.add(
        DocumentDraft(title="Article", text=f"Lead. {quote} Tail.", origin_name="a.txt")
    ).record
    # the importer may normalise the text (line separators, controls): cite what it kept
    start, end = len("Lead. "), doc.body.rindex(" Tail.")
    passage = session.annotations.create(doc.id, start, end).record
    record = session.episodes.create(episode.pop("title", "Episode"), **episode).record
    session.episodes.add_judgment(
        record.id, text="J", likelihood_term="likely", confidence="low", cited=[passage.id]
    )
    return build_brief(
        session, None, BriefOptions(issued_at=ISSUED, format="full"), record=False
    ).pdf


def _quote_lines(pdf: bytes) -> list[DrawnLine]:
    lines = _body_lines(pdf)
    start = next(i for i, line in enumerate(lines) if line.text.startswith("E1 · source")) + 1
    stop = next(i for i in range(start, len(lines)) if lines[i].text.startswith("Document:"))
    return lines[start:stop]


def test_a_bidi_override_is_shown_as_marks_not_obeyed(session):
    pdf = _brief_pdf(session, "targets \u202e23\u202c", bottom_line="targets \u202e23\u202c")
    lines = [line.text for line in _body_lines(pdf)]
    assert "targets ⟨RLO⟩23⟨PDF⟩" in lines
    assert "“targets ⟨RLO⟩23⟨PDF⟩”" in lines


def test_title_metadata_and_outline_carry_marks_not_controls(session):
    pdf = _brief_pdf(session, "quote", title="\u202eTFARD")
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata.title == "⟨RLO⟩TFARD"
    assert all("\u202e" not in str(value) for value in reader.metadata.values())
    assert "⟨RLO⟩TFARD" in [line.text for line in _body_lines(pdf)]


def test_a_hebrew_quote_reads_right_to_left(session):
    quote = "ישראל שלום (היום) 2021"
    (line,) = _quote_lines(_brief_pdf(session, quote))
    # Written out by hand, not by ICU: the words reversed, brackets mirrored, digits LTR.
    assert line.text == "”2021 (םויה) םולש לארשי“"
    assert _fold(line.text) == _reference([(f"“{FSI}{quote}{PDI}”", 1)], [line.text])[0]


def test_an_arabic_quote_is_joined_and_right_to_left_in_an_upright_face(session):
    quote = "السلام عليكم"
    (line,) = _quote_lines(_brief_pdf(session, quote))
    arabic = [run for run in line.runs if any("\ufe70" <= c <= "\ufeff" for c in run.text)]
    assert arabic, "no presentation forms: the Arabic was not shaped"
    assert {run.font for run in arabic} == {"DejaVuSans"}  # the quote's oblique lacks Arabic
    assert _fold(line.text) == "”مكيلع مالسلا“"
    # joined: initial, medial and final forms, not the isolated letters
    assert "\ufedf" in line.text and "\ufee2" in line.text  # initial lam, final meem


def test_a_mixed_line_matches_the_bidi_reference(session):
    quote = "The minister said שלום 2021 and السلام عليكم (twice)"
    (line,) = _quote_lines(_brief_pdf(session, quote))
    assert _fold(line.text) == "“The minister said 2021 םולש and مكيلع مالسلا (twice)”"


def test_a_chinese_alias_is_transliterated_and_listed(session):
    doc = session.documents.add(
        DocumentDraft(title="Article", text="Beijing reacted.", origin_name="a.txt")
    ).record
    passage = session.annotations.create(doc.id, 0, 7).record
    entity = session.entities.create("Country", "China", aliases=["中国", "Китай"]).record
    session.entities.link(passage.id, entity.id, "actor")
    episode = session.episodes.create("Episode").record
    session.episodes.add_judgment(
        episode.id, text="J", likelihood_term="likely", confidence="low", cited=[passage.id]
    )
    pdf = build_brief(
        session, None, BriefOptions(issued_at=ISSUED, format="full"), record=False
    ).pdf
    text = " ".join(line.text for line in _body_lines(pdf))
    assert "⟦zhong guo⟧, Китай" in text
    assert "Characters shown as transliterations" in text
    assert "⟦zhong guo⟧ — U+4E2D U+56FD — actor 1 of the actors table (aliases)" in text
    _check_glyphs(pdf)


def test_isolates_in_a_cited_quote_build_and_show_as_marks(session):
    quote = "a \u2066b\u2069 \u2067c\u2069 \u2068d\u2069"
    (line,) = _quote_lines(_brief_pdf(session, quote))
    assert line.text == "“a ⟨LRI⟩b⟨PDI⟩ ⟨RLI⟩c⟨PDI⟩ ⟨FSI⟩d⟨PDI⟩”"


def test_what_no_face_can_draw_is_marked():
    assert pdf_text.expected_logical("Beijing 中国") == "Beijing ⟦zhong guo⟧"
    assert pdf_text.expected_logical("a 👨\u200d👩 b") == "a ⟨U+1F468 U+200D U+1F469⟩ b"
    assert pdf_text.expected_logical("中国🇺🇸") == "⟦zhong guo⟧⟨U+1F1FA U+1F1F8⟩"
    assert pdf_text.expected_logical("😀 ❤\ufe0f") == "😀 ❤\ufe0f"  # DejaVu has these
    for char in "⟦⟧⟨⟩":
        assert all(ord(char) in glyphs.coverage(face) for face in glyphs.FALLBACKS)


def test_a_run_the_italic_lacks_is_drawn_upright():
    from briefs.fonts import BOLD, BOLD_OBLIQUE, OBLIQUE

    assert glyphs.font_runs("said سلام.", OBLIQUE) == [
        ("said ", OBLIQUE),
        ("سلام", "DejaVuSans"),
        (".", OBLIQUE),
    ]
    assert glyphs.font_runs("سلام", BOLD_OBLIQUE) == [("سلام", BOLD)]


def test_hostile_brief_has_a_glyph_for_every_character_and_is_reproducible(session):
    quote = " ".join([HEBREW, ARABIC, CJK, EMOJI, CONTROLS])
    pdf = _brief_pdf(session, quote, title=quote, bottom_line=quote, marking=f"TLP {ARABIC}")
    _check_glyphs(pdf)
    brief = compose_brief(session, None, BriefOptions(issued_at=ISSUED, format="full"))
    assert render_pdf(brief) == render_pdf(brief) == pdf


def test_expected_logical_is_shown_text_where_every_glyph_exists():
    text = "targets \u202e23\u202c Лавров שלום سلام"
    assert pdf_text.expected_logical(text) == shown(text)


def test_levels_come_from_the_whole_paragraph_not_each_line(base_brief):
    """An English paragraph whose later lines start in Hebrew stays left-to-right there (a
    line reordered on its own would turn right-to-left), and a Hebrew one is right-aligned."""
    english = "Summary: " + "שלום עולם " * 25 + "end of it."
    hebrew = "שלום עולם " * 25 + "end of it."
    for text, level in ((english, 0), (hebrew, 1)):
        pdf = render_pdf(dataclasses.replace(base_brief, bottom_line=text))
        lines = _body_lines(pdf)
        start = next(i for i, line in enumerate(lines) if line.text == "Bottom line up front")
        stop = next(i for i, line in enumerate(lines) if line.text == "Key judgments")
        bluf = lines[start + 1 : stop]
        assert len(bluf) >= 3
        _check_order([line.text for line in bluf], [(f"{FSI}{text}{PDI}", level)])
        if level == 0:
            assert all(abs(line.runs[0].x - PAGE["left"]) < 0.5 for line in bluf)
        else:
            right = PAGE["width"] - PAGE["right"]
            assert all(abs(_right_edge(line) - right) < 2 for line in bluf)


def _right_edge(line: DrawnLine) -> float:
    """Where the line ends, give or take the spaces ReportLab narrows in an overfull line."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    size = 10  # the bottom line's type size
    return line.runs[0].x + sum(stringWidth(run.text, run.font, size) for run in line.runs)


def test_a_paragraph_split_across_pages_keeps_its_levels_in_both_halves():
    from reportlab.lib.styles import ParagraphStyle

    from briefs import paragraph
    from briefs.fonts import REGULAR, register_fonts

    register_fonts()
    text = "English first, " + "שלום (עולם) 2021, " * 60 + "done."
    para = paragraph.BriefParagraph(
        pdf_text.markup(text), ParagraphStyle("p", fontName=REGULAR, fontSize=10, leading=12)
    )
    para.wrap(300, 10_000)
    first, second = para.split(300, 120)
    for part in (first, second):
        part.wrap(300, 10_000)
        texts = [paragraph._line_text(line, part.blPara.kind) for line in part.blPara.lines]
        assert paragraph._aligned_levels(part._logical, part._skip, texts) is not None
    drawn_first = [paragraph._line_text(line, para.blPara.kind) for line in first.blPara.lines]
    assert second._skip == sum(paragraph._solid(text) for text in drawn_first) > 0


def test_the_second_page_of_a_right_to_left_paragraph_stays_right_to_left(base_brief):
    """The part of a Hebrew-first paragraph carried to the next page holds no Hebrew, yet it
    is still that paragraph: right-aligned, its closing full stop on the left."""
    text = "שלום " + "Sanctions on Navalny. " * 200 + "end"
    pdf = render_pdf(dataclasses.replace(base_brief, bottom_line=text))
    lines = _body_lines(pdf)
    start = next(i for i, line in enumerate(lines) if line.text == "Bottom line up front")
    stop = next(i for i, line in enumerate(lines) if line.text == "Key judgments")
    bluf = lines[start + 1 : stop]
    assert len({line.page for line in bluf}) >= 2
    right = PAGE["width"] - PAGE["right"]
    assert all(abs(_right_edge(line) - right) < 2 for line in bluf)
    _check_order([line.text for line in bluf], [(text, 1)])
