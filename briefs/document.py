"""The page furniture: marking banners, footer with "Page X of Y", outline and TOC hooks."""

from __future__ import annotations

from reportlab.lib.colors import HexColor
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from briefs import pdf_text, styles
from briefs.contents import define_page_number
from briefs.fonts import BOLD, REGULAR


class BriefCanvas(Canvas):
    """Defers page furniture to ``save`` so every page can say "Page X of Y"."""

    def __init__(self, *args, furniture=None, **kwargs):
        # Canvas starts every page in Helvetica, an unembedded font; never let it leak.
        kwargs["initialFontName"] = REGULAR
        super().__init__(*args, **kwargs)
        self._furniture = furniture
        self._pages: list[dict] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            if self._furniture is not None:
                self._furniture(self, self._pageNumber, total)
            super().showPage()
        super().save()


class BriefDocTemplate(BaseDocTemplate):
    """One frame per page between the banners; headings feed the TOC and the outline."""

    def __init__(self, buffer, *, marking: str, footer: str, **kwargs):
        """``marking`` is the user's text; ``footer`` a line built with ``pdf_text.one_line``
        pieces; the metadata in ``kwargs`` is already ``pdf_text.metadata`` text."""
        page = styles.PAGE
        super().__init__(
            buffer,
            pagesize=(page["width"], page["height"]),
            leftMargin=page["left"],
            rightMargin=page["right"],
            topMargin=page["top"],
            bottomMargin=page["bottom"],
            invariant=True,  # same content and options → byte-identical PDF
            **kwargs,
        )
        self.marking = marking
        self.marking_line = pdf_text.one_line(marking)
        self.footer = footer
        frame = Frame(
            self.leftMargin,
            self.bottomMargin,
            self.width,
            self.height,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        self.addPageTemplates([PageTemplate(id="page", frames=[frame])])
        self._heading_seq = 0

    def canvas_maker(self):
        def make(*args, **kwargs):
            return BriefCanvas(*args, furniture=self.draw_furniture, **kwargs)

        return make

    def afterFlowable(self, flowable) -> None:
        key = getattr(flowable, "outline_key", None)
        if key is None:
            return
        text = flowable.outline_text
        level = getattr(flowable, "outline_level", 0)
        # An exact spot (XYZ), not "fit page": viewers such as QtPdf can place XYZ links,
        # and a click lands on the heading rather than the page top.
        top = self.frame._y + flowable.height + 16
        self.canv.bookmarkPage(key, fit="XYZ", left=0, top=top, zoom=0)
        self.canv.addOutlineEntry(text, key, level=level, closed=False)
        if getattr(flowable, "in_toc", True):
            define_page_number(self.canv, key, self.page)

    def draw_furniture(self, canvas: Canvas, page_number: int, total: int) -> None:
        page = styles.PAGE
        width, height = page["width"], page["height"]
        banner = page["banner_height"]
        colour = styles.TLP_COLOURS.get(self.marking.upper())
        for y in (height - 9 * styles.MM - banner, 9 * styles.MM):
            self._banner(canvas, width, y, banner, colour)
        canvas.saveState()
        canvas.setFont(REGULAR, 8)
        canvas.setFillColor(HexColor(styles.MUTED))
        footer_y = 9 * styles.MM + banner + 2.5 * styles.MM
        pdf_text.draw_string(canvas, page["left"], footer_y, self.footer, REGULAR, 8)
        canvas.setFont(REGULAR, 8)
        canvas.drawRightString(width - page["right"], footer_y, f"Page {page_number} of {total}")
        canvas.restoreState()

    def _banner(
        self, canvas: Canvas, width: float, y: float, height: float, colour: str | None
    ) -> None:
        canvas.saveState()
        text_width = pdf_text.text_width(self.marking_line, BOLD, 12)
        box_width = text_width + 16
        x = (width - box_width) / 2
        canvas.setFillColor(
            HexColor("#000000") if colour else HexColor(styles.FREE_MARKING["background"])
        )
        canvas.rect(x, y, box_width, height, stroke=0, fill=1)
        canvas.setFillColor(HexColor(colour or styles.FREE_MARKING["text"]))
        line_y = y + (height - 12) / 2 + 2.5
        pdf_text.draw_string(canvas, width / 2, line_y, self.marking_line, BOLD, 12, "middle")
        canvas.restoreState()
