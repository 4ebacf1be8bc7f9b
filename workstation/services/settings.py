"""Where the default workspace lives and who the author is: one answer for CLI and GUI."""

from __future__ import annotations

import getpass
import os
from pathlib import Path

from platformdirs import user_config_path, user_data_path

APP_NAME = "workstation"
# Environment overrides: tests and portable installs point these somewhere else.
DATA_DIR_ENV = "WORKSTATION_DATA_DIR"
AUTHOR_ENV = "WORKSTATION_AUTHOR"


def data_dir() -> Path:
    override = os.environ.get(DATA_DIR_ENV)
    return Path(override) if override else user_data_path(APP_NAME, appauthor=False)


def default_workspace_path() -> Path:
    """The workspace used when none is named, by both ``workstation`` and ``main.py``."""
    return data_dir() / "workspace.sqlite"


def author_file() -> Path:
    override = os.environ.get(DATA_DIR_ENV)
    base = Path(override) if override else user_config_path(APP_NAME, appauthor=False)
    return base / "author.txt"


def current_author() -> str:
    """The author stamped on every record: the setting, else the login name."""
    from_env = os.environ.get(AUTHOR_ENV, "").strip()
    if from_env:
        return from_env
    try:
        stored = author_file().read_text(encoding="utf-8").strip()
    except OSError:
        stored = ""
    if stored:
        return stored
    try:
        return getpass.getuser()
    except Exception:  # no login name (some containers): still a usable author
        return "unknown"


def set_author(name: str) -> None:
    name = name.strip()
    if not name:
        raise ValueError("author name cannot be empty")
    path = author_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(name + "\n", encoding="utf-8")
