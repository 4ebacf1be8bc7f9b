"""E-mail messages (.eml): subject, date, sender and the text part."""

from __future__ import annotations

import email
import email.message
import email.policy
import email.utils
import html as html_lib
import re
from pathlib import Path

from workstation.importers.base import DocumentDraft, ImportRejected


def read_eml(path: Path, data: bytes) -> DocumentDraft:
    try:
        message = email.message_from_bytes(data, policy=email.policy.default)
    except Exception as exc:  # the parser is lenient; this is for truly broken input
        raise ImportRejected(f"not a readable e-mail ({type(exc).__name__})") from exc
    if not message.keys():
        raise ImportRejected("not an e-mail message (no headers)")
    try:
        body = message.get_body(preferencelist=("plain", "html"))
    except Exception as exc:  # header parsing of a malformed Content-Type
        raise ImportRejected(f"not a readable e-mail ({type(exc).__name__})") from exc
    if body is None:
        raise ImportRejected("the e-mail has no text part")
    try:
        content = body.get_content()
    except (LookupError, UnicodeError) as exc:
        raise ImportRejected(f"the e-mail's text part cannot be decoded ({exc})") from exc
    except Exception as exc:
        raise ImportRejected(f"the e-mail's text part is damaged ({type(exc).__name__})") from exc
    if body.get_content_subtype() == "html":
        content = _strip_tags(content)
    published = None
    date = _header(message, "date")
    if date:
        try:
            published = email.utils.parsedate_to_datetime(date).date().isoformat()
        except (TypeError, ValueError, OverflowError):
            published = None
    return DocumentDraft(
        title=_header(message, "subject") or path.stem,
        text=content,
        origin_name=path.name,
        outlet=_header(message, "from"),
        published=published,
    )


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


def _strip_tags(markup: str) -> str:
    markup = re.sub(r"(?is)<(script|style).*?</\1>", " ", markup)
    markup = re.sub(r"(?i)<br\s*/?>|</p>|</div>|</h\d>", "\n", markup)
    return html_lib.unescape(re.sub(r"<[^>]+>", "", markup))
