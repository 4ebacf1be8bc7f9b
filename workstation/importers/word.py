"""Word documents (.docx) through python-docx."""

from __future__ import annotations

import contextlib
import io
import zipfile
from pathlib import Path

from workstation.importers.base import DocumentDraft, ImportRejected, title_from_text


def read_docx(path: Path, data: bytes) -> DocumentDraft:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ImportRejected("not a readable Word (.docx) file") from exc
    except Exception as exc:  # lxml errors on damaged XML inside the zip
        raise ImportRejected(f"damaged Word file ({type(exc).__name__})") from exc
    try:
        text = "\n".join(p.text for p in document.paragraphs)
    except Exception as exc:
        raise ImportRejected(f"damaged Word file ({type(exc).__name__})") from exc
    title = language = None
    # Read lazily: a damaged docProps/core.xml fails only here, and the text is still good.
    # The file's author and creation date describe the Word file (often a template's), not
    # the article's outlet or publication date, so they are not taken.
    with contextlib.suppress(Exception):
        props = document.core_properties
        title = (props.title or "").strip()
        language = props.language or None
    return DocumentDraft(
        title=title or title_from_text(text, path.stem),
        text=text,
        origin_name=path.name,
        language=language,
    )
