"""The shipped sample episode's folder, for services (lookup: workstation.resource_files)."""

from __future__ import annotations

from pathlib import Path

from workstation.resource_files import resource_path


def sample_dir() -> Path:
    return resource_path("sample")
