"""Import batches for the crash harness: where they live, how they are made and fingerprinted.

Batch ``n`` is the folder ``FOLDER/batch-NNNNN`` of article files written by
``bench.corpus.write_articles`` with its own seed, so no two batches share a text. The writer
imports a batch's files in name order, so chunk ``k`` of a batch is always files
``k*C .. k*C+C-1`` (C = chunk size): that is what lets the verifier say "whole chunks only".
"""

from __future__ import annotations

from pathlib import Path

from bench.corpus import write_articles
from workstation.services.importing import parse_file

_PREFIX = "batch-"
# Far from the seeds the other benchmarks use, so a crash workspace never collides with them.
_SEED_BASE = 770_000


def batch_folder(folder: Path | str, number: int) -> Path:
    return Path(folder) / f"{_PREFIX}{number:05d}"


def batch_number(file: Path | str) -> int:
    """The batch a file belongs to (from its folder's name)."""
    return int(Path(file).parent.name.removeprefix(_PREFIX))


def batch_files(folder: Path | str, number: int) -> list[Path]:
    """The batch's files in import order (empty if the batch was never written)."""
    where = batch_folder(folder, number)
    if not where.is_dir():
        return []
    return sorted(where.glob("*.txt"))


def write_batch(folder: Path | str, number: int, size: int, *, seed: int) -> list[Path]:
    """Write batch ``number`` (``size`` articles) unless it is already there."""
    existing = batch_files(folder, number)
    if existing:
        return existing
    where = batch_folder(folder, number)
    # Written under a temporary name and renamed, so a writer never sees half a batch.
    staging = where.with_name(where.name + ".partial")
    for stale in staging.glob("*") if staging.exists() else ():
        stale.unlink()
    write_articles(staging, size, seed=_SEED_BASE + seed * 10_000 + number)
    staging.rename(where)
    return batch_files(folder, number)


def body_hashes(paths: list[Path]) -> list[str]:
    """sha256 of each file's normalised body, exactly as the import will store it."""
    hashes = []
    for path in paths:
        parsed = parse_file(path)
        sha = getattr(parsed, "sha256", None)
        if sha is None:  # an ImportResult: the file could not be read
            raise ValueError(f"{path}: {parsed.message}")
        hashes.append(sha)
    return hashes


def chunks(items: list[str], size: int) -> list[list[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]
