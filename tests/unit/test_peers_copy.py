"""The copy of the peers' material in tests/data/peers is the shared folder, unchanged (its
README: "keep them unchanged"); where ../shared/peers is present, every file is compared."""

from __future__ import annotations

import pytest

from tests.helpers.peers import PEERS, SHARED


def _files(root):
    return {
        p.relative_to(root): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }


def test_the_copy_holds_every_kind_of_material():
    for folder in ("annotations", "brat/tutorials", "ftm", "w3c-conformance"):
        assert (PEERS / folder).is_dir(), folder
    assert "keep them unchanged" in (PEERS / "README.md").read_text(encoding="utf-8")


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/peers is not beside this checkout")
def test_the_copy_is_the_shared_folder_unchanged():
    assert _files(PEERS) == _files(SHARED)
