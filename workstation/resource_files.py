"""The files shipped with the program: DejaVu fonts, interchange schemas, the sample episode.

They live in resources/ at the repository root, which setup.py installs as the data package
``workstation.resources``: this module is the only one that knows that, and finds them with
``importlib.resources`` alike in a checkout (editable install) and in an installed wheel.
It imports nothing of the project, so every layer (briefs and interchange too) may use it.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from contextlib import ExitStack
from functools import cache
from importlib.resources import as_file, files
from importlib.resources.abc import Traversable
from pathlib import Path

PACKAGE = "workstation.resources"

# Copies made when the resources are not plain files (a zipped install): kept until exit.
_extracted = ExitStack()
atexit.register(_extracted.close)


def resource(*parts: str) -> Traversable:
    """The shipped file or folder ``parts`` (e.g. ``"fonts", "DejaVuSans.ttf"``), for reading
    through the ``Traversable`` interface."""
    node = files(PACKAGE)
    for part in parts:
        node = node.joinpath(part)
    return node


@cache
def resource_path(*parts: str) -> Path:
    """A real filesystem path of the shipped file or folder ``parts``, for code that needs one
    (ReportLab's font registration, importers reading the sample's articles). Installed
    unzipped, as wheels and checkouts are, that is the file itself; otherwise a temporary
    copy, removed when the process exits."""
    node = resource(*parts)
    if isinstance(node, Path):
        return node
    if node.is_file():
        return _extracted.enter_context(as_file(node))
    # as_file extracts only files before Python 3.12: copy a folder ourselves.
    folder = Path(_extracted.enter_context(tempfile.TemporaryDirectory())) / node.name
    _copy_tree(node, folder)
    return folder


def _copy_tree(source: Traversable, target: Path) -> None:
    target.mkdir(parents=True)
    for child in source.iterdir():
        if child.is_dir():
            _copy_tree(child, target / child.name)
        else:
            with child.open("rb") as src, (target / child.name).open("wb") as dst:
                shutil.copyfileobj(src, dst)
