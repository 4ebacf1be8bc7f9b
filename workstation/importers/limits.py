"""Every limit on what an imported file may expand to, in one place (README "Import rules").

A file's size says little about the work it causes: a 0.5 MB .docx unzips to 300 MB of XML,
an e-mail of a few megabytes can hold 200,000 MIME parameters, a small PDF can list 5,000
pages that share one content stream. So besides the limit on the file's bytes there are
limits on what reading it produces — text, paragraphs, pages, parts, headers, time — checked
WHILE reading, so a reader stops at the first one passed and the file fails with one line
naming that limit. Nothing here is a guess about real articles: each limit is far above any
article (a long report is a few hundred pages, a few hundred KB of text).
"""

from __future__ import annotations

# -- every format ------------------------------------------------------------------------------

# Bytes read from a file; anything larger is refused before it is read.
MAX_FILE_BYTES = 20 * 1024 * 1024
# Characters of text a file may expand to: the same 20 MB (in code points).
MAX_TEXT_CHARS = MAX_FILE_BYTES
# Wall-clock time one file may take to read (checked between pages, paragraphs, chunks).
MAX_READ_SECONDS = 30.0

# -- Word (.docx): a zip of XML ----------------------------------------------------------------

# Declared uncompressed size of all entries together.
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
# Entries in the zip (a Word file has a few dozen; hundreds with many images).
MAX_ZIP_ENTRIES = 5_000
# An entry bigger than ZIP_RATIO_FROM_BYTES may be at most this many times its compressed
# size (XML compresses 5-20:1; deflate's ceiling is about 1,030:1).
MAX_ZIP_RATIO = 100
ZIP_RATIO_FROM_BYTES = 1024 * 1024
# Small parts read besides the document (relationships, core properties).
MAX_SMALL_PART_BYTES = 1024 * 1024
# Paragraphs in the document body.
MAX_PARAGRAPHS = 500_000

# -- PDF ---------------------------------------------------------------------------------------

MAX_PDF_PAGES = 2_000

# -- e-mail (.eml): checked on the raw bytes before the stdlib parser sees them ---------------

# A header the parser interprets (Content-*, MIME-Version), unfolded.
MAX_MIME_HEADER_BYTES = 64 * 1024
# Header fields in one header block (the message's or a part's), and lines in such a block.
MAX_HEADERS = 1_000
MAX_HEADER_LINES = 10_000
# Parameters (``; name=value``) in one Content-* header.
MAX_MIME_PARAMETERS = 100
# MIME parts in the whole message, and multiparts nested in one another.
MAX_MIME_PARTS = 1_000
MAX_MIME_DEPTH = 100
# Lines in the whole message (the parser keeps one string per line: 10 million lines of
# two bytes took 850 MB).
MAX_MAIL_LINES = 1_000_000


def describe_size(size: int) -> str:
    """20971520 -> '20 MB', 21000000 -> '20.0 MB', 1536 -> '1.5 KB', 1000 -> '1000 bytes'."""
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= scale:
            return f"{size // scale} {unit}" if size % scale == 0 else f"{size / scale:.1f} {unit}"
    return f"{size} bytes"
