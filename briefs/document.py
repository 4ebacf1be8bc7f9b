"""The page furniture: marking banners, footer with "Page X of Y", outline and TOC hooks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, BinaryIO

from reportlab.lib.colors import HexColor
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from briefs import banner, pdf_text, styles
from briefs.contents import define_page_number
from briefs.fonts import REGULAR

FOOTER_SIZE = 8


class BriefCanvas(Canvas):
    """Defers each page to ``save`` so every page can say "Page X of Y".

    ReportLab binds a bookmark to the page its document is emitting; while pages are held
    back, that is always the first one, so every outline entry and contents link would land
    on page 1. Bookmarks made on a page are therefore kept with the page and bound in
    ``save``, as that very page is emitted.
    """

    def __init__(
        self,
        *args: Any,
        furniture: Callable[[Canvas, int, int], None] | None = None,
        prepare: Callable[[Canvas], None] | None = None,
        **kwargs: Any,
    ) -> None:
        # Canvas starts every page in Helvetica, an unembedded font; never let it leak.
        kwargs["initialFontName"] = REGULAR
        super().__init__(*args, **kwargs)
        self._furniture = furniture
        self._pages: list[dict[str, Any]] = []
        self._page_bookmarks: list[tuple[str, dict[str, Any]]] = []
        if prepare is not None:
            prepare(self)

    def bookmarkPage(self, key: str, fit: str = "Fit", **kwargs: Any) -> None:
        self._bookmarkReference(key)  # links may name it at once; it is bound in save()
        self._page_bookmarks.append((key, {"fit": fit, **kwargs}))

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._page_bookmarks = []
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            if self._furniture is not None:
                self._furniture(self, self._pageNumber, total)
            for key, kwargs in self._page_bookmarks:
                Canvas.bookmarkPage(self, key, **kwargs)  # now on the page being emitted
            super().showPage()
        super().save()


class BriefDocTemplate(BaseDocTemplate):
    """One frame per page between the banners; headings feed the TOC and the outline."""

    def __init__(
        self,
        buffer: BinaryIO,
        *,
        marking: str,
        footer: str,
        prepare: Callable[[Canvas], None] | None = None,
        **kwargs: Any,
    ) -> None:
        """``marking`` is the user's text; ``footer`` a line built with ``pdf_text.one_line``
        pieces, the marking is added to it; the metadata in ``kwargs`` is already
        ``pdf_text.metadata`` text; ``prepare(canvas)`` runs on the fresh canvas."""
        page = styles.PAGE
        text_width = page["width"] - page["left"] - page["right"]
        self.banner = banner.layout(marking, text_width)
        super().__init__(
            buffer,
            pagesize=(page["width"], page["height"]),
            leftMargin=page["left"],
            rightMargin=page["right"],
            topMargin=self.banner.margin,
            bottomMargin=self.banner.margin,
            invariant=True,  # same content and options → byte-identical PDF
            **kwargs,
        )
        self.marking = marking
        self.prepare = prepare
        number_room = pdf_text.text_width("Page 0000 of 0000  ", REGULAR, FOOTER_SIZE)
        lead = f"{footer} · "
        room = text_width - number_room - pdf_text.text_width(lead, REGULAR, FOOTER_SIZE)
        self.footer = lead + banner.fit(marking, room, REGULAR, FOOTER_SIZE)
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

    def canvas_maker(self) -> Callable[..., BriefCanvas]:
        def make(*args: Any, **kwargs: Any) -> BriefCanvas:
            return BriefCanvas(*args, furniture=self.draw_furniture, prepare=self.prepare, **kwargs)

        return make

    def afterFlowable(self, flowable: Any) -> None:
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
        colour = styles.TLP_COLOURS.get(self.marking)
        for y in (height - banner.EDGE - self.banner.height, banner.EDGE):
            banner.draw(canvas, self.banner, colour, width, y)
        canvas.saveState()
        canvas.setFillColor(HexColor(styles.MUTED))
        footer_y = banner.EDGE + self.banner.height + 2.5 * styles.MM
        pdf_text.draw_string(canvas, page["left"], footer_y, self.footer, REGULAR, FOOTER_SIZE)
        canvas.setFont(REGULAR, FOOTER_SIZE)
        canvas.drawRightString(width - page["right"], footer_y, f"Page {page_number} of {total}")
        canvas.restoreState()
