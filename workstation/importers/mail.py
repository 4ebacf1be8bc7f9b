"""E-mail messages (.eml): subject, date, sender and the part a mail client displays.

Of a multipart/alternative message that is the HTML part (clients show the richest part they
can render), rendered to the text a reader sees; the plain-text part only when there is no
HTML. When both exist and say different things, the report says so.
"""

from __future__ import annotations

import email
import email.message
import email.policy
import email.utils
from pathlib import Path

from workstation.importers.base import DocumentDraft, Extraction, ImportRejected
from workstation.importers.decoding import DecodedText, decode_text, text_codec
from workstation.importers.mail_alternatives import describe_disagreement
from workstation.importers.mail_structure import check_structure
from workstation.importers.visible_html import drop_hidden, parse_message_html, visible_text
from workstation.importers.webpage import declared_charset


def read_eml(path: Path, data: bytes, extraction: Extraction) -> DocumentDraft:
    # Headers, parameters, parts and nesting are bounded on the raw bytes first, so the
    # parser never sees a bomb (mail_structure.py). The text shown is one part's decoded
    # content, never longer than the file: read_document checks the text limit on it.
    check_structure(data)
    try:
        message = email.message_from_bytes(data, policy=email.policy.default)
    except Exception as exc:  # the parser is lenient; this is for truly broken input
        raise ImportRejected(f"not a readable e-mail ({type(exc).__name__})") from exc
    if not message.keys():
        raise ImportRejected("not an e-mail message (no headers)")
    try:
        body = message.get_body(preferencelist=("html", "plain"))
    except Exception as exc:  # header parsing of a malformed Content-Type
        raise ImportRejected(f"not a readable e-mail ({type(exc).__name__})") from exc
    if body is None:
        raise ImportRejected("the e-mail has no text part")
    text, warnings = _displayed_text(message, body)
    published = None
    date = _header(message, "date")
    if date:
        try:
            published = email.utils.parsedate_to_datetime(date).date().isoformat()
        except (TypeError, ValueError, OverflowError):
            published = None
    return DocumentDraft(
        title=_header(message, "subject") or path.stem,
        text=text,
        origin_name=path.name,
        outlet=_header(message, "from"),
        published=published,
        warnings=warnings,
    )


def _displayed_text(
    message: email.message.EmailMessage, body: email.message.MIMEPart
) -> tuple[str, tuple[str, ...]]:
    """The text of ``body`` as a client shows it, with what the report must say about it."""
    decoded = _decode_part(body)
    if body.get_content_subtype() != "html":
        return decoded.text, decoded.warnings
    shown = _html_to_text(decoded.text)
    plain_part = _plain_alternative(message, body)
    if plain_part is None:
        return shown, decoded.warnings
    try:
        plain = _decode_part(plain_part)
    except ImportRejected:
        return shown, decoded.warnings  # nothing readable to compare with
    if not shown.strip() and plain.text.strip():
        # A client would show an empty message; the plain text is all there is to keep.
        note = "the HTML part shows no text; imported the plain-text part"
        return plain.text, (note, *plain.warnings)
    disagreement = describe_disagreement(plain.text, shown)
    return shown, (*decoded.warnings, *((disagreement,) if disagreement else ()))


def _decode_part(part: email.message.MIMEPart) -> DecodedText:
    """A text part's content: its declared charset followed unless the bytes contradict
    it (decoding.py), and an unknown charset refused unless the bytes are UTF-8."""
    try:
        payload = part.get_payload(decode=True)
        declared = part.get_content_charset()
    except Exception as exc:
        raise ImportRejected(f"the e-mail's text part is damaged ({type(exc).__name__})") from exc
    if not isinstance(payload, bytes):
        raise ImportRejected("the e-mail's text part is damaged (no content)")
    if declared is None and part.get_content_subtype() == "html":
        declared = declared_charset(payload)  # the page's own <meta charset>
    if declared and not _known_charset(declared):
        try:
            text = payload.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ImportRejected(
                f"the e-mail's text part cannot be decoded (unknown charset {declared!r})"
            ) from exc
        return DecodedText(
            text, "utf-8", (f"declared charset {declared!r} is unknown; the bytes are UTF-8",)
        )
    try:
        return decode_text(payload, declared)
    except ImportRejected as exc:
        raise ImportRejected(f"the e-mail's text part cannot be decoded ({exc})") from exc


def _known_charset(name: str) -> bool:
    return text_codec(name) is not None


def _html_to_text(markup: str) -> str:
    """What a client shows for an HTML part: the web-page rule for hidden content, then all
    visible text (a message is not a page with boilerplate around an article)."""
    root = parse_message_html(markup)
    if root is None:
        return ""
    drop_hidden(root)
    return visible_text(root)


def _plain_alternative(
    message: email.message.EmailMessage, shown: email.message.MIMEPart
) -> email.message.MIMEPart | None:
    """The text/plain sibling of ``shown`` in the multipart/alternative offering both."""
    try:
        for part in message.walk():
            if part.get_content_type() != "multipart/alternative":
                continue
            children = list(part.iter_parts())
            if not any(shown is inner for child in children for inner in child.walk()):
                continue
            for child in children:
                if child.get_content_type() == "text/plain" and not child.is_attachment():
                    return child
    except Exception:  # a damaged or absurdly nested structure: nothing to compare with
        return None
    return None


# The stdlib parses a header in more than linear time (a 5 MB subject took minutes); a
# title, a sender or a date never needs more than the start of one.
_MAX_HEADER_CHARS = 16 * 1024


def _header(message: email.message.EmailMessage, name: str) -> str | None:
    """A header's decoded value, from at most its first _MAX_HEADER_CHARS; its raw text
    when the stdlib parser chokes on it (``From: @`` raises IndexError inside
    email._header_value_parser)."""
    raw = next((v for k, v in message.raw_items() if k.lower() == name), None)
    if raw is None:
        return None
    raw = raw[:_MAX_HEADER_CHARS]
    try:
        value = str(message.policy.header_fetch_parse(name, raw))
    except Exception:
        value = raw
    return value.strip() or None
