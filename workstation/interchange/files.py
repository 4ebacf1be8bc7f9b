"""Where shipped interchange resources live, and writing export files all or nothing."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TextIO

from workstation.resource_files import resource


def interchange_resource(name: str) -> Traversable:
    return resource("interchange", name)


@contextmanager
def replace_atomically(path: Path, *, encoding: str = "utf-8") -> Iterator[TextIO]:
    """Open a temporary file beside ``path`` for text; it replaces ``path`` only when the
    block finishes, so a failed export never leaves a half-written file under the real name.
    ``newline=""`` keeps ``\\n`` as written on every platform (bodies and offsets rely on it).
    """
    path = Path(path)
    temporary = path.with_name(f".{path.name}.partial")
    try:
        with temporary.open("w", encoding=encoding, newline="") as handle:
            yield handle
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
