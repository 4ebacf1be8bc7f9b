"""Where the project's shipped resources live (fonts, the sample episode)."""

from __future__ import annotations

from pathlib import Path


def resources_dir() -> Path:
    # The project is installed editable (see README); resources/ sits beside the package.
    return Path(__file__).resolve().parents[2] / "resources"


def sample_dir() -> Path:
    return resources_dir() / "sample"
