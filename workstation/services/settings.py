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


# -- the brief's byline ------------------------------------------------------------------------
# A display name and a desk for the brief's "Author / desk" line and its PDF metadata, kept
# apart from the record author above: records need a stable stamp (a login name will do),
# a manager's brief needs a name someone chose. Nothing set → the brief says so.

BYLINE_KEYS = ("author_name", "desk")


def settings_file() -> Path:
    return author_file().with_name("settings.json")


def _read_settings() -> dict[str, object]:
    import json

    try:
        data = json.loads(settings_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):  # missing, unreadable or damaged: as if nothing were set
        return {}
    return data if isinstance(data, dict) else {}


def brief_byline() -> tuple[str, str]:
    """``(author_name, desk)`` for the brief, each "" when not set."""
    data = _read_settings()
    author_name, desk = (" ".join(str(data.get(key) or "").split()) for key in BYLINE_KEYS)
    return author_name, desk


def set_brief_byline(author_name: str, desk: str) -> None:
    """Remember the brief's author name and desk (either may be "")."""
    import json

    data = _read_settings()
    for key, value in zip(BYLINE_KEYS, (author_name, desk), strict=True):
        value = " ".join(value.split())
        if value:
            data[key] = value
        else:
            data.pop(key, None)
    path = settings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    os.replace(partial, path)
