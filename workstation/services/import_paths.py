"""Which files an import covers: the files given, and the supported files in the folders given.

Folders are walked with an explicit stack, not recursion (``Path.rglob`` ended in
RecursionError 1,100 folders deep), and links to folders are followed once: every folder is
known by its (device, inode), so a link back to a folder above it (a loop) or a second link to
a folder already read is reported once and not read again.

Inside folders, everything with a supported suffix that is not a folder is taken, special
files too (a FIFO called ``news.txt``): reading refuses those with one line
(importers.read_document), rather than leaving them out without a word.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from workstation.importers import SUPPORTED_SUFFIXES


@dataclass(frozen=True)
class Skipped:
    """A folder that was not read, and why (one line)."""

    path: Path
    reason: str
    failed: bool  # True when files may be missing because of it (an unreadable folder)


@dataclass
class Expansion:
    files: list[Path] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def walk_paths(paths: Iterable[Path | str]) -> Expansion:
    """Files as given, folders replaced by the supported files inside them (sorted)."""
    expansion = Expansion()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():  # follows a link; False for what cannot be stat'ed
            files, skipped = _walk(path)
            expansion.files += sorted(files)
            expansion.skipped += skipped
        else:
            expansion.files.append(path)
    return expansion


def _walk(root: Path) -> tuple[list[Path], list[Skipped]]:
    files: list[Path] = []
    skipped: list[Skipped] = []
    # (device, inode) of every folder read -> (its path, the key of the folder it is in)
    seen: dict[tuple[int, int], tuple[Path, tuple[int, int] | None]] = {}
    try:
        info = root.stat()
    except OSError as exc:
        return [], [_unreadable(root, exc)]
    root_key = (info.st_dev, info.st_ino)
    seen[root_key] = (root, None)
    stack = [(root, root_key)]
    while stack:
        folder, key = stack.pop()
        try:
            with os.scandir(folder) as entries:
                listed = list(entries)
        except OSError as exc:
            skipped.append(_unreadable(folder, exc))
            continue
        # Real folders before links to folders, so that of two ways to one folder the link
        # is the one reported; names in order, so the report is the same every time.
        listed.sort(key=lambda entry: (_is_link(entry), entry.name))
        for entry in listed:
            path = folder / entry.name
            try:
                is_dir = entry.is_dir()  # follows links
            except OSError:
                is_dir = False
            if not is_dir:
                if path.suffix.lower() in SUPPORTED_SUFFIXES:
                    files.append(path)
                continue
            try:
                target = entry.stat()
            except OSError as exc:
                skipped.append(_unreadable(path, exc))
                continue
            child = (target.st_dev, target.st_ino)
            if child in seen:
                skipped.append(_seen_before(path, child, key, seen))
                continue
            seen[child] = (path, key)
            stack.append((path, child))
    return files, sorted(skipped, key=lambda s: s.path)


def _is_link(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_symlink()
    except OSError:
        return False


def _seen_before(
    path: Path,
    child: tuple[int, int],
    parent: tuple[int, int],
    seen: dict[tuple[int, int], tuple[Path, tuple[int, int] | None]],
) -> Skipped:
    first = seen[child][0]
    ancestor: tuple[int, int] | None = parent
    while ancestor is not None:  # is it a folder this one is inside?
        if ancestor == child:
            reason = f"a link back to {first}, a folder it is in (a loop); not followed"
            return Skipped(path, reason, failed=False)
        ancestor = seen[ancestor][1]
    return Skipped(path, f"the same folder as {first}; not read twice", failed=False)


def _unreadable(path: Path, exc: OSError) -> Skipped:
    return Skipped(path, f"cannot read the folder ({exc.strerror or exc})", failed=True)
