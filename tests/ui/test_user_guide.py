"""The user guide (issue 18): Help → User guide shows the shipped guide with its screenshots,
every image it names is shipped beside it (and goes into the wheel), and its keyboard table
is the action registry's (scripts/guide_shots.py writes it; a stale copy fails here)."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QTextBrowser

from workstation.resource_files import resource_path
from workstation.ui.shell import about
from workstation.ui.shell.help import GUIDE_IMAGE_WIDTH, guide_images, image_size, show_guide

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "resources" / "guide" / "user-guide.md"
IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)")
KEYS = re.compile(r"<!-- keys: start -->\n(.*?)<!-- keys: end -->", re.S)


def referenced_images() -> list[str]:
    return IMAGE.findall(GUIDE.read_text(encoding="utf-8"))


def test_every_image_the_guide_names_is_shipped_in_its_images_folder():
    names = referenced_images()
    assert len(names) >= 8  # the workflow's screenshots
    for name in names:
        assert name.startswith("images/") and name.endswith(".png"), name
        assert (GUIDE.parent / name).is_file(), f"{name} is missing: run scripts/guide-screenshots"
    # Found where the program looks for them, in a checkout as in an installed wheel.
    assert (resource_path("guide") / names[0]).is_file()


def test_the_images_are_small_enough_to_ship():
    pngs = list((GUIDE.parent / "images").glob("*.png"))
    assert pngs and sum(p.stat().st_size for p in pngs) < 2_000_000
    unused = {f"images/{p.name}" for p in pngs} - set(referenced_images())
    assert not unused, f"shipped but never shown: {sorted(unused)}"


def test_setup_ships_the_guide_and_its_images_in_the_wheel():
    """setup.py makes every resources/ folder a data package holding all its files."""
    from setuptools import find_namespace_packages

    found = find_namespace_packages(where=str(ROOT), include=["resources.*"])
    assert "resources.guide.images" in found
    assert '{name: ["*"] for name in DATA}' in (ROOT / "setup.py").read_text(encoding="utf-8")


def test_help_user_guide_shows_the_screenshots(page, qtbot):
    page.trigger("actionUserGuide")
    dialog = page.window.commands.user_guide_dialog
    qtbot.waitExposed(dialog)
    document = dialog.guide.document()
    images = guide_images(document)
    assert [image.name() for image, _, _ in images] == referenced_images()
    for image, _, _ in images:
        size = image_size(document, image.name())
        assert size is not None, f"{image.name()} does not load: a broken image in the guide"
        shipped = QImage(str(GUIDE.parent / image.name()))
        if shipped.width() > GUIDE_IMAGE_WIDTH:  # scaled down to fit, in proportion
            assert size[0] == GUIDE_IMAGE_WIDTH
            assert abs(size[1] / size[0] - shipped.height() / shipped.width()) < 0.01
        else:  # narrow enough as it is
            assert size == (shipped.width(), shipped.height())
    assert dialog.guide.horizontalScrollBar().maximum() == 0
    dialog.close()


def test_a_missing_image_is_left_unscaled_not_fatal(qtbot, tmp_path):
    browser = QTextBrowser()
    qtbot.addWidget(browser)
    show_guide(browser, "Text\n\n![gone](images/gone.png)\n", tmp_path)
    (image, _, _), *_ = guide_images(browser.document())
    assert image_size(browser.document(), image.name()) is None
    assert "Text" in browser.toPlainText()


def test_the_guide_folder_is_the_shipped_one():
    assert about.guide_folder() == resource_path("guide")


def test_the_guides_keyboard_table_is_the_registrys(page):
    """Every row of the guide's table is a command with those keys in Help → Keyboard
    shortcuts, and no shortcut is left out: rerun scripts/guide-screenshots if this fails."""
    table = KEYS.search(GUIDE.read_text(encoding="utf-8"))
    assert table is not None, "the guide lost its keyboard table markers"
    rows = [
        tuple(cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", line)[1:-1])
        for line in table.group(1).splitlines()[2:]
    ]
    page.trigger("actionShortcuts")
    dialog = page.window.commands.shortcuts_dialog
    assert rows == dialog.rows()
    dialog.close()
