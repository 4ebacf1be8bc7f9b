"""The process the crash harness kills: ``python -m bench.crash.writer WORKSPACE FOLDER SEED``.

It works the workspace through the real services, the way the GUI does, and tells the harness
on stdout what has been *acknowledged* — each line is flushed only after the call it reports
has returned, i.e. after its transaction committed:

    START                      about to open the workspace (migrations run inside the open)
    OPEN                       session open, default codebook in place
    ACK <annotation id>        session.annotations.create returned
    BATCH <n> <sha256> ...     about to import batch n; the bodies' hashes in file order
    BATCH-DONE <n>             import_files returned with every file imported or a duplicate

Batches are imported from ``FOLDER/batch-NNNNN`` starting at ``--first-batch`` and for as long
as such folders exist. A batch cut short by a kill is finished by the next writer: with
``--resume journal`` (the default) it first resumes every import the journal shows open, as
``workstation import --resume`` does; with ``--resume hash`` it only imports the batch again,
and what is already there is skipped by hash. The chunk size of the import (documents per
transaction) comes from the environment variable named by ``CHUNK_ENV``, so that small test
batches still span several chunks.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from bench.corpus import annotation_spans
from bench.crash.batches import batch_files, batch_number, body_hashes
from workstation.services import importing, open_session
from workstation.services.session import Session

CHUNK_ENV = "CRASH_CHUNK_DOCUMENTS"
AUTHOR = "crash-writer"
# How many known documents the writer picks passages from (the newest are added as imported).
_POOL = 500


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


class Writer:
    def __init__(self, session: Session, folder: Path, rng: random.Random, first_batch: int):
        self.session = session
        self.folder = folder
        self.rng = rng
        self.next_batch = first_batch
        self.documents = [row.id for row in session.documents.page(limit=_POOL)]
        categories = session.codebook.list_categories()
        self.categories: list[str | None] = [c.id for c in categories] + [None]
        self.bodies: dict[str, str] = {}
        self.saved = 0
        self.saves_since_batch = 0

    def has_batch(self) -> bool:
        return bool(batch_files(self.folder, self.next_batch))

    def import_batch(self) -> None:
        """Import the next batch; files already in (an earlier writer's) are skipped by hash."""
        number = self.next_batch
        paths = batch_files(self.folder, number)
        say(f"BATCH {number} {' '.join(body_hashes(paths))}")
        self._settle(number, importing.import_files(self.session, paths)[0])
        self.next_batch += 1
        self.saves_since_batch = 0

    def resume_journalled(self) -> None:
        """Finish the imports a killed writer left open, from where its journal says."""
        for run in importing.unfinished_imports(self.session):
            number = batch_number(run.files[0])
            say(f"BATCH {number} {' '.join(body_hashes(batch_files(self.folder, number)))}")
            self._settle(number, importing.resume_import(self.session, run)[0])
            self.next_batch = max(self.next_batch, number + 1)

    def _settle(self, number: int, results: list[importing.ImportResult]) -> None:
        failed = [r for r in results if r.status not in ("imported", "duplicate")]
        if failed:
            # import_files turns workspace errors into per-file results; the harness must see
            # them as the writer failing, not as a quiet partial import.
            raise RuntimeError(f"batch {number}: {failed[0].path.name}: {failed[0].message}")
        say(f"BATCH-DONE {number}")
        self.documents += [r.document_id for r in results if r.document_id]

    def save_one(self) -> None:
        document_id = self.rng.choice(self.documents)
        body = self.bodies.get(document_id)
        if body is None:
            body = self.bodies[document_id] = self.session.documents.get(document_id).body
        start, end = annotation_spans(body, 1, self.rng)[0]
        outcome = self.session.annotations.create(
            document_id,
            start,
            end,
            category_id=self.rng.choice(self.categories),
            note=f"crash-writer save {self.saved}",
        )
        self.saved += 1
        self.saves_since_batch += 1
        say(f"ACK {outcome.record.id}")


def run(args: argparse.Namespace) -> int:
    chunk = os.environ.get(CHUNK_ENV)
    if chunk:
        importing.CHUNK_DOCUMENTS = int(chunk)
    rng = random.Random(args.seed)
    say("START")
    session = open_session(args.workspace, author=AUTHOR)
    try:
        session.codebook.ensure_defaults()  # the first writer may meet an empty codebook
        writer = Writer(session, Path(args.folder), rng, args.first_batch)
        say("OPEN")
        if args.resume == "journal":
            writer.resume_journalled()
        if args.finish_imports:
            while writer.has_batch():
                writer.import_batch()
            say("STOP")
            return 0
        deadline = time.monotonic() + args.max_seconds
        while time.monotonic() < deadline and writer.saved < args.max_saves:
            due = writer.saves_since_batch >= args.batch_every
            if (not writer.documents or due) and writer.has_batch():
                writer.import_batch()
                continue
            if not writer.documents:
                print("no documents and no batch left to import", file=sys.stderr)
                return 2
            if args.ack_before_commit:
                # Deliberately wrong, for testing the harness: saves grouped in one outer
                # transaction, each acknowledged before the group commits.
                with session.workspace.transaction():
                    for _ in range(args.ack_before_commit):
                        writer.save_one()
            else:
                writer.save_one()
        say("STOP")
        return 0
    finally:
        session.close()


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.crash.writer", description=__doc__)
    parser.add_argument("workspace", type=Path)
    parser.add_argument("folder", type=Path, help="holds the batch-NNNNN folders")
    parser.add_argument("seed", type=int, help="seeds the choice of documents and ranges")
    parser.add_argument("--first-batch", type=int, default=0)
    parser.add_argument(
        "--batch-every", type=int, default=10, help="saves between two batch imports"
    )
    parser.add_argument(
        "--max-seconds", type=float, default=120.0, help="stop on its own after this long"
    )
    parser.add_argument(
        "--max-saves", type=int, default=sys.maxsize, help="stop on its own after this many"
    )
    parser.add_argument(
        "--resume",
        choices=("journal", "hash"),
        default="journal",
        help="finish a killed import from the import journal first, or only by importing "
        "its batch again (documents already in are skipped by hash)",
    )
    parser.add_argument(
        "--ack-before-commit",
        type=int,
        default=0,
        metavar="N",
        help="a planted fault (tests only): acknowledge saves before they commit, N at a time",
    )
    parser.add_argument(
        "--finish-imports",
        action="store_true",
        help="only import the batches from --first-batch on, then stop (no saves)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    return run(parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
