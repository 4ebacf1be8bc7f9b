"""The PDF's own description of the brief: document info, XMP, dates, language, ID.

- /Info and the XMP packet say the same: title, author (the byline), subject, keywords,
  creator and producer; every user string through ``pdf_text.metadata``.
- CreationDate, ModDate and the XMP dates are the issue time, set explicitly: ReportLab's
  invariant mode would write 1 Jan 2000 (or ``SOURCE_DATE_EPOCH``), its normal mode the
  clock. The file ID is seeded from the issue time too, so the same brief issued at the
  same time gives the same bytes whatever the environment.
- /Lang is the brief's language; /ViewerPreferences /DisplayDocTitle makes a viewer's
  window show the title, not the file name.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from hashlib import md5
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from briefs import pdf_text
from briefs.model import Brief

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

CREATOR = "workstation"
PRODUCER = "workstation (ReportLab)"

# Characters XML 1.0 cannot carry, even escaped (the display policy marks C0 controls
# already; this is the backstop for non-characters and lone surrogates).
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def keywords(brief: Brief) -> list[str]:
    meta = pdf_text.metadata
    return ["brief", meta(brief.marking), brief.status, *[meta(a.name) for a in brief.actors[:12]]]


def document_info(brief: Brief) -> dict[str, object]:
    """Keyword arguments for the doc template: /Info, /Lang and the viewer preference."""
    meta = pdf_text.metadata
    return {
        "title": meta(brief.title),
        "author": meta(brief.byline),
        "subject": subject(brief),
        "keywords": ", ".join(keywords(brief)),
        "creator": CREATOR,
        "producer": PRODUCER,
        "lang": brief.language,
        "displayDocTitle": True,
    }


def subject(brief: Brief) -> str:
    return f"Brief {brief.brief_id} ({brief.status}), {pdf_text.metadata(brief.marking)}"


def pdf_date(when: datetime) -> str:
    """A PDF date string (7.9.4) in UTC: ``D:20210416093000+00'00'``."""
    return when.astimezone(UTC).strftime("D:%Y%m%d%H%M%S+00'00'")


def xmp_date(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def stamp(canvas: Canvas, brief: Brief) -> None:
    """Dates, file ID seed and XMP metadata on a fresh canvas, before anything is drawn."""
    from reportlab.pdfbase.pdfdoc import XMP

    issued = pdf_date(brief.issued_at)
    canvas.setDateFormatter(lambda *_ymdhms: issued)
    seed = md5(usedforsecurity=False)
    seed.update(b"a reportlab document")
    seed.update(issued.encode("ascii"))
    canvas._doc.signature = seed
    packet = xmp_packet(brief)
    canvas._doc.Catalog.Metadata = XMP(creator=lambda _doc: packet)


def _x(text: str) -> str:
    return escape(_NOT_XML.sub("\ufffd", text))


def xmp_packet(brief: Brief) -> bytes:
    """The XMP metadata stream (UTF-8, uncompressed, as XMP readers expect)."""
    meta = pdf_text.metadata
    when = xmp_date(brief.issued_at)
    subjects = "".join(f"<rdf:li>{_x(k)}</rdf:li>" for k in keywords(brief))
    fields = [
        "<dc:format>application/pdf</dc:format>",
        "<dc:title><rdf:Alt><rdf:li xml:lang='x-default'>"
        f"{_x(meta(brief.title))}</rdf:li></rdf:Alt></dc:title>",
        f"<dc:creator><rdf:Seq><rdf:li>{_x(meta(brief.byline))}</rdf:li></rdf:Seq></dc:creator>",
        "<dc:description><rdf:Alt><rdf:li xml:lang='x-default'>"
        f"{_x(subject(brief))}</rdf:li></rdf:Alt></dc:description>",
        f"<dc:subject><rdf:Bag>{subjects}</rdf:Bag></dc:subject>",
        f"<dc:date><rdf:Seq><rdf:li>{when}</rdf:li></rdf:Seq></dc:date>",
        f"<dc:language><rdf:Bag><rdf:li>{_x(brief.language)}</rdf:li></rdf:Bag></dc:language>",
        f"<xmp:CreateDate>{when}</xmp:CreateDate>",
        f"<xmp:ModifyDate>{when}</xmp:ModifyDate>",
        f"<xmp:MetadataDate>{when}</xmp:MetadataDate>",
        f"<xmp:CreatorTool>{CREATOR}</xmp:CreatorTool>",
        f"<pdf:Producer>{_x(PRODUCER)}</pdf:Producer>",
        f"<pdf:Keywords>{_x(', '.join(keywords(brief)))}</pdf:Keywords>",
    ]
    body = "\n".join(f"   {field}" for field in fields)
    packet = (
        "<?xpacket begin='\ufeff' id='W5M0MpCehiHzreSzNTczkc9d'?>\n"
        "<x:xmpmeta xmlns:x='adobe:ns:meta/'>\n"
        " <rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>\n"
        "  <rdf:Description rdf:about=''\n"
        "    xmlns:dc='http://purl.org/dc/elements/1.1/'\n"
        "    xmlns:xmp='http://ns.adobe.com/xap/1.0/'\n"
        "    xmlns:pdf='http://ns.adobe.com/pdf/1.3/'>\n"
        f"{body}\n"
        "  </rdf:Description>\n"
        " </rdf:RDF>\n"
        "</x:xmpmeta>\n"
        "<?xpacket end='w'?>"
    )
    return packet.encode("utf-8")
