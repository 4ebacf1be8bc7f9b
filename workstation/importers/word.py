"""Word documents (.docx) through python-docx."""

from __future__ import annotations

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
    text = "\n".join(p.text for p in document.paragraphs)
    props = document.core_properties
    published = props.created.date().isoformat() if props.created else None
    return DocumentDraft(
        title=(props.title or "").strip() or title_from_text(text, path.stem),
        text=text,
        origin_name=path.name,
        outlet=(props.author or None),
        published=published,
        language=(props.language or None),
    )
