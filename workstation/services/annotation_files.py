"""Reading an annotation file from outside: a regular file only, never more than a bound.

docs/architecture.md, "Trust boundaries": special files are refused by ``stat``, every
read is bounded.
A FIFO would block the open (and the import, holding the workspace, with it) forever; a
character device such as ``/dev/zero`` never ends; a socket or a folder is no file at all.
So the path is ``stat``-ed first (following a symbolic link: what it names is what counts),
opened without blocking, checked again on the open descriptor (the same regular file), and
read in chunks until the end or ``MAX_BYTES``, whatever the file's size claimed to be. The
CLI reads before it opens the workspace, so a refused file never held the writer lock.
"""

from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path

from workstation.services.outcome import ServiceError

MAX_BYTES = 256 * 1024 * 1024  # 5x the 50 MB the bench imports; refused beyond, unread
_CHUNK = 1 << 20
_BINARY_PROBE = 8192
# Not blocking even if the path became a FIFO after the stat (O_* flags Windows lacks are 0).
_OPEN_FLAGS = os.O_RDONLY | sum(getattr(os, f, 0) for f in ("O_NONBLOCK", "O_NOCTTY", "O_CLOEXEC"))


def read_annotation_file(path: Path | str) -> str:
    """The text of an annotation file, or a ServiceError of one line naming ``path``."""
    return "".join(read_annotation_pieces(path))


def read_annotation_pieces(path: Path | str) -> list[str]:
    """The text of an annotation file in pieces of about a megabyte (joined, they are
    ``read_annotation_file``'s text), or a ServiceError of one line naming ``path``.

    For a worker reading a large file (the GUI's import): joining 50 MB into one string is
    one C step, 40–60 ms with the GIL held (docs/architecture.md, "Threading"); JSON Lines
    are read from the pieces line by line (``w3c_read.piece_lines``) and never joined."""
    path = Path(path)
    info = _stat(path)
    if not stat.S_ISREG(info.st_mode):
        raise ServiceError(f"{path}: not a regular file ({file_kind(info.st_mode)})")
    if info.st_size > MAX_BYTES:
        raise ServiceError(f"{path}: {_mb(info.st_size)} MB is more than {_limit()}")
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise ServiceError(f"{path}: cannot read it ({exc.strerror or exc})") from exc
    try:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode) or (opened.st_dev, opened.st_ino) != (
            info.st_dev,
            info.st_ino,
        ):
            raise ServiceError(f"{path}: replaced while being opened; not read")
        chunks = _read_bounded(fd, path)
    except OSError as exc:
        raise ServiceError(f"{path}: cannot read it ({exc.strerror or exc})") from exc
    finally:
        os.close(fd)
    if b"\x00" in _head(chunks, _BINARY_PROBE):
        raise ServiceError(f"{path}: a binary file, not JSON annotations")
    return _decoded(chunks, path)


def file_kind(mode: int) -> str:
    """What a file that is not a regular one is, in a word or two."""
    for test, name in (
        (stat.S_ISDIR, "folder"),
        (stat.S_ISFIFO, "FIFO"),
        (stat.S_ISSOCK, "socket"),
        (stat.S_ISCHR, "character device"),
        (stat.S_ISBLK, "block device"),
    ):
        if test(mode):
            return name
    return "special file"


def _stat(path: Path) -> os.stat_result:
    try:
        return os.stat(path)
    except FileNotFoundError:
        dangling = path.is_symlink()
        raise ServiceError(
            f"{path}: no such file" + (" (a link to nothing)" if dangling else "")
        ) from None
    except OSError as exc:
        raise ServiceError(f"{path}: cannot read it ({exc.strerror or exc})") from exc


def _read_bounded(fd: int, path: Path) -> list[bytes]:
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = os.read(fd, min(_CHUNK, MAX_BYTES + 1 - size))
        if not chunk:
            return chunks
        chunks.append(chunk)
        size += len(chunk)
        if size > MAX_BYTES:
            raise ServiceError(f"{path}: more than {_limit()} (it grew while being read)")


def _head(chunks: list[bytes], size: int) -> bytes:
    head = b""
    for chunk in chunks:
        if len(head) >= size:
            break
        head += chunk[: size - len(head)]
    return head


def _decoded(chunks: list[bytes], path: Path) -> list[str]:
    """The chunks' text, decoded a chunk at a time.

    Not ``bytes.decode`` of the whole file: that is one C call (40 ms for 50 MB), and the
    import runs in a worker, where a C call that long holds the GIL and stalls the GUI
    (docs/architecture.md, "Threading")."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    try:
        pieces = [decoder.decode(chunk) for chunk in chunks]
        pieces.append(decoder.decode(b"", final=True))
    except UnicodeDecodeError:
        # Where, counted as in the whole file: decoded again at once, for a refused file only.
        try:
            b"".join(chunks).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            start = exc.start
        raise ServiceError(f"{path}: not UTF-8 text (undecodable byte at {start})") from None
    return [piece for piece in pieces if piece]


def _mb(size: int) -> int:
    return size // (1024 * 1024)


def _limit() -> str:
    return f"the {_mb(MAX_BYTES)} MB an annotation file may have"
