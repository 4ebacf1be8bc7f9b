"""E-mail messages (.eml): subject, date, sender and the text part."""

from __future__ import annotations

import email
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
    body = message.get_body(preferencelist=("plain", "html"))
    if body is None:
        raise ImportRejected("the e-mail has no text part")
    try:
        content = body.get_content()
    except (LookupError, UnicodeError) as exc:
        raise ImportRejected(f"the e-mail's text part cannot be decoded ({exc})") from exc
    if body.get_content_subtype() == "html":
        content = _strip_tags(content)
    published = None
    if message["date"]:
        try:
            published = email.utils.parsedate_to_datetime(str(message["date"])).date().isoformat()
        except (TypeError, ValueError):
            published = None
    return DocumentDraft(
        title=str(message["subject"] or path.stem).strip(),
        text=content,
        origin_name=path.name,
        outlet=str(message["from"]) if message["from"] else None,
        published=published,
    )


def _strip_tags(markup: str) -> str:
    markup = re.sub(r"(?is)<(script|style).*?</\1>", " ", markup)
    markup = re.sub(r"(?i)<br\s*/?>|</p>|</div>|</h\d>", "\n", markup)
    return html_lib.unescape(re.sub(r"<[^>]+>", "", markup))
