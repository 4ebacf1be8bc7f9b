"""Shipped files are found through importlib.resources (workstation.resource_files)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from workstation import resource_files
from workstation.resource_files import resource, resource_path


def test_shipped_files_are_found():
    assert resource("interchange", "workstation.jsonld").is_file()
    assert "DejaVu" in resource("fonts", "LICENSE-DejaVu.txt").read_text(encoding="utf-8")
    font = resource_path("fonts", "DejaVuSans.ttf")
    assert isinstance(font, Path) and font.is_file()
    assert (resource_path("sample") / "episode.json").is_file()


def test_real_paths_are_extracted_when_the_package_is_not_on_disk(tmp_path, monkeypatch):
    """A zipped install gives Traversables that are not paths: files and folders are copied
    out, so ReportLab and the importers still get real files."""
    archive = tmp_path / "resources.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in resource_path("sample").rglob("*"):
            if path.is_file():
                zf.write(path, "sample/" + path.relative_to(resource_path("sample")).as_posix())
        zf.write(resource_path("fonts", "DejaVuSans.ttf"), "fonts/DejaVuSans.ttf")
    root = zipfile.Path(archive)
    monkeypatch.setattr(resource_files, "files", lambda package: root)
    extract = resource_path.__wrapped__  # not the cached answers for the real package

    font = extract("fonts", "DejaVuSans.ttf")
    assert isinstance(font, Path) and not font.is_relative_to(archive.parent / "fonts")
    assert font.read_bytes() == resource_path("fonts", "DejaVuSans.ttf").read_bytes()
    sample = extract("sample")
    assert isinstance(sample, Path)
    assert (sample / "episode.json").read_bytes() == (
        resource_path("sample") / "episode.json"
    ).read_bytes()
    assert sorted(p.name for p in (sample / "articles").iterdir()) == sorted(
        p.name for p in (resource_path("sample") / "articles").iterdir()
    )
