"""Fixtures shared by unit, GUI and end-to-end tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from workstation.services import Session, create_session
from workstation.services.sample import load_sample

_SAMPLE_CACHE: dict[str, Path] = {}


@pytest.fixture
def workspace_path(tmp_path: Path) -> Path:
    return tmp_path / "workspace.sqlite"


@pytest.fixture
def session(workspace_path: Path):
    """A fresh, empty workspace (default codebook) and a session on it."""
    with create_session(workspace_path, author="tester") as opened:
        yield opened


@pytest.fixture
def sample_path(tmp_path: Path, tmp_path_factory) -> Path:
    """A workspace file holding the sample episode (built once, copied per test)."""
    if "sample" not in _SAMPLE_CACHE:
        built = tmp_path_factory.mktemp("sample-master") / "sample.sqlite"
        with create_session(built, author="tester") as fresh:
            load_sample(fresh)
        _SAMPLE_CACHE["sample"] = built
    copy = tmp_path / "sample.sqlite"
    shutil.copyfile(_SAMPLE_CACHE["sample"], copy)
    return copy


@pytest.fixture
def sample_session(sample_path: Path):
    from workstation.services import open_session

    with open_session(sample_path, author="tester") as opened:
        yield opened


__all__ = ["Session"]
