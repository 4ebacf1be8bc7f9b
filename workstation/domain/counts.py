"""Counts in words: one rule for every surface (GUI, CLI, reports), so no message says
"1 entities"."""

from __future__ import annotations


def count_noun(n: int, one: str, many: str | None = None, *, number: str | None = None) -> str:
    """``n`` and the noun that agrees with it: "1 entity", "2 entities", "0 entities";
    thousands grouped ("1,204 passages") unless ``number`` gives ``n`` as the locale
    writes it. ``many`` defaults to ``one`` + "s"; callers in the GUI pass both forms
    translated."""
    noun = one if n == 1 else (many if many is not None else one + "s")
    return f"{number if number is not None else f'{n:,}'} {noun}"
