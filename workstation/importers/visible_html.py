"""What a reader of an HTML page or message actually sees.

Pages and e-mails carry text that no reader is shown: ``hidden`` and ``aria-hidden``
elements, inline ``display:none`` and ``visibility:hidden``, ``<template>`` content, and
``<noscript>`` fallbacks (readers run scripts, so those are not shown either). Such text can
be stale, a tracking preheader, or planted to put words into an archive that nobody saw; it
is never article text. It is removed from the parsed tree before anything reads the tree,
so titles and metadata cannot come from it either.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lxml.html import HtmlElement

# Elements whose content is never rendered where they stand.
_NEVER_SHOWN = frozenset({"template", "noscript"})
_INVISIBLE = frozenset({"hidden", "collapse"})
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_IMPORTANT = re.compile(r"!\s*important\s*$", re.I)


def drop_hidden(root: HtmlElement) -> None:
    """Remove from ``root`` (in place) everything the module docstring lists as hidden;
    text following a removed element (its tail) stays, as it is shown."""
    hidden: list[HtmlElement] = []
    any_invisible = False
    for element in root.iter():
        if not isinstance(element.tag, str):  # comments, processing instructions
            continue
        style = inline_style(element)
        if _is_hidden(element, style):
            hidden.append(element)
        elif style.get("visibility") in _INVISIBLE:
            any_invisible = True
    for element in hidden:
        if element.getparent() is None:  # <html hidden>: nothing is shown at all
            element.clear()
        else:
            element.drop_tree()
    if any_invisible:
        _blank_invisible_text(root)


def _is_hidden(element: HtmlElement, style: dict[str, str]) -> bool:
    return (
        element.tag.lower() in _NEVER_SHOWN
        or element.get("hidden") is not None
        or (element.get("aria-hidden") or "").strip().lower() == "true"
        or style.get("display") == "none"
    )


def _blank_invisible_text(root: HtmlElement) -> None:
    """``visibility:hidden`` hides an element's own text but, unlike ``display:none``, a
    descendant may be made visible again (``visibility:visible``), so it is worked out per
    element (inherited down the tree) instead of dropping the whole subtree."""
    invisible: dict[HtmlElement, bool] = {}
    for element in root.iter():  # document order: a parent before its children
        parent = element.getparent()
        inherited = invisible.get(parent, False) if parent is not None else False
        declared = inline_style(element).get("visibility") if isinstance(element.tag, str) else None
        state = True if declared in _INVISIBLE else False if declared == "visible" else inherited
        invisible[element] = state
        if state:
            element.text = None
        if inherited:  # the text after an element is laid out in its parent's box
            element.tail = None


def inline_style(element: HtmlElement) -> dict[str, str]:
    """An element's ``style`` attribute as {property: value}, lower-cased; of repeated
    properties the last wins unless an earlier one is ``!important``."""
    style = element.get("style")
    if not style:
        return {}
    declarations: dict[str, str] = {}
    important: set[str] = set()
    for declaration in _CSS_COMMENT.sub(" ", style).split(";"):
        name, colon, value = declaration.partition(":")
        if not colon:
            continue
        name, value = name.strip().lower(), value.strip().lower()
        value, marks = _IMPORTANT.subn("", value)
        if name in important and not marks:
            continue
        declarations[name] = value.strip()
        if marks:
            important.add(name)
    return declarations


# -- rendering a message to text --------------------------------------------------------------

# Never rendered in a message body (the <title> of a mail is not shown with it).
_NOT_RENDERED = frozenset({"head", "title", "script", "style", "meta", "link", "object"})
# Blocks: a blank line before and after (headings, paragraphs) or a line break.
_PARAGRAPHS = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "table", "blockquote",
     "pre", "hr", "figure", "address"}
)  # fmt: skip
_LINES = frozenset(
    {"div", "li", "tr", "dt", "dd", "section", "article", "header", "footer", "nav", "aside",
     "main", "form", "fieldset", "caption", "figcaption", "center", "details", "summary",
     "body", "html", "tbody", "thead", "tfoot", "legend", "option"}
)  # fmt: skip
_CELLS = frozenset({"td", "th"})
_COLLAPSIBLE = re.compile(r"[ \t\n\r\f]+")  # not U+00A0: a no-break space is kept, as shown


def parse_message_html(markup: str) -> HtmlElement | None:
    """Parse an HTML e-mail body (a whole document or a fragment); None when there is no
    markup at all."""
    from lxml import etree
    from lxml.html import HTMLParser, document_fromstring

    parser = HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, collect_ids=False)
    try:
        # Bytes with the encoding stated: a str with an XML encoding declaration is refused.
        return document_fromstring(markup.encode("utf-8", "replace"), parser=parser)
    except (etree.ParserError, ValueError):  # "Document is empty"
        return None


def visible_text(root: HtmlElement) -> str:
    """The text a mail client shows for ``root`` (hidden parts already dropped): all of
    it, not a main-content extract, laid out as a browser would — runs of white space
    collapsed, blocks on their own lines, ``<br>`` a line break, ``<pre>`` kept as is."""
    from lxml import etree

    for element in [e for e in root.iter() if isinstance(e.tag, str)]:
        if element.tag.lower() in _NOT_RENDERED and element.getparent() is not None:
            element.drop_tree()
    layout = _Layout()
    preformatted = 0
    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if event == "start":
            layout.block(tag)
            if tag == "pre":
                preformatted += 1
            layout.text(element.text, preformatted > 0)
        else:
            if tag == "pre":
                preformatted -= 1
            if tag != "br":  # one line break per <br>, however it was written
                layout.block(tag)
            layout.text(element.tail, preformatted > 0)
    return layout.result()


class _Layout:
    """Text pieces and the breaks between them, joined as a browser lays them out."""

    def __init__(self) -> None:
        self.pieces: list[str] = []
        self.pending_breaks = 0  # newlines owed before the next text
        self.after_space = True  # at a line start or after a space: leading spaces go

    def block(self, tag: str) -> None:
        if tag == "br":
            self.pending_breaks = min(self.pending_breaks + 1, 2)
        elif tag in _PARAGRAPHS:
            self.pending_breaks = 2
        elif tag in _LINES:
            self.pending_breaks = max(self.pending_breaks, 1)
        elif tag in _CELLS and not self.after_space:
            self.pieces.append(" ")
            self.after_space = True

    def text(self, value: str | None, preformatted: bool) -> None:
        if not value:
            return
        if not preformatted:
            value = _COLLAPSIBLE.sub(" ", value)
            if self.after_space or self.pending_breaks:
                value = value.lstrip(" ")
            if not value:
                return
        if self.pending_breaks and self.pieces:
            self.pieces.append("\n" * self.pending_breaks)
        self.pending_breaks = 0
        self.pieces.append(value)
        self.after_space = value.endswith((" ", "\n"))

    def result(self) -> str:
        lines = "".join(self.pieces).split("\n")
        return "\n".join(line.rstrip(" ") for line in lines).strip("\n")
