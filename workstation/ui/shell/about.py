"""Help → About (version, workspace, Python and Qt, licences with the DejaVu fonts' in full)
and Help → User guide (the guide shipped in resources/guide, and the checkout's README.md
in a second tab when running from a checkout; an installed program shows the guide alone)."""

from __future__ import annotations

import html
import platform
import sys
from importlib import metadata
from pathlib import Path

import PySide6
from PySide6.QtCore import qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QPushButton,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

import workstation
from workstation.resource_files import resource, resource_path
from workstation.services.settings import data_dir
from workstation.ui.shell.help import show_guide

DISTRIBUTION = "workstation"
# What the program is built on, in the order a reader looks for them; each with its licence
# as its own package metadata states it.
COMPONENTS = (
    "PySide6",
    "reportlab",
    "PyICU",
    "followthemoney",
    "trafilatura",
    "pypdf",
    "python-docx",
    "dateparser",
    "rapidfuzz",
    "jsonschema",
    "sqlite-utils",
    "platformdirs",
)
FONT_LICENCE = ("fonts", "LICENSE-DejaVu.txt")
GUIDE = ("guide", "user-guide.md")
SUMMARY = "Offline workstation for annotating news articles and briefing managers."
FONT_SUMMARY = (
    "Bitstream Vera licence; DejaVu changes are in the public domain. "
    "The full text (resources/fonts/LICENSE-DejaVu.txt):"
)


def version() -> str:
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "unknown (not installed)"


def licence_of(distribution: str) -> tuple[str, str]:
    """(version, licence) of an installed distribution, from its metadata; a licence given
    as a whole text is cut to its first line."""
    try:
        meta = metadata.metadata(distribution)
        found = metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "", "not installed"
    fields = [meta[key] for key in ("License-Expression", "License") if key in meta]
    text = next((str(f) for f in fields if f), "")
    text = text.strip().splitlines()[0] if text.strip() else ""
    classifiers = [
        c.split("::")[-1].strip()
        for c in meta.get_all("Classifier") or []
        if c.startswith("License ::") and c.count("::") > 1
    ]
    if classifiers and (not text or len(text) > 40):  # a sentence or a whole text: the name
        text = classifiers[0]
    text = text or "not stated"
    if len(text) > 60:
        text = text[:59].rstrip(" ,(") + "…"
    return found, text


def font_licence() -> str:
    try:
        return resource(*FONT_LICENCE).read_text(encoding="utf-8")
    except OSError:
        return ""


def system_lines(workspace: Path) -> list[tuple[str, str]]:
    """(label, value) rows of the About box, for the dialog and "Copy details"."""
    return [
        ("Workstation", version()),
        ("Workspace", str(workspace)),
        ("Data folder", str(data_dir())),
        ("Python", f"{platform.python_version()} ({sys.executable})"),
        ("Qt", f"{qVersion()} (PySide6 {PySide6.__version__})"),
        ("System", platform.platform()),
    ]


class AboutDialog(QDialog):
    def __init__(self, workspace: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(self.tr("About Workstation"))
        self.rows = system_lines(workspace)
        self.browser = QTextBrowser()
        self.browser.setObjectName("aboutText")
        self.browser.setAccessibleName(self.tr("About Workstation"))
        self.browser.setOpenExternalLinks(False)
        self.browser.setHtml(self._html())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = QPushButton(self.tr("Copy details"))
        copy.setObjectName("aboutCopy")
        copy.setToolTip(self.tr("Copy the version, workspace and system lines, for a report"))
        copy.clicked.connect(self.copy_details)
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(680, 600)

    def text(self) -> str:
        return self.browser.toPlainText()

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(
            "\n".join(f"{label}: {value}" for label, value in self.rows)
        )

    def _html(self) -> str:
        e = html.escape
        rows = "".join(
            f"<tr><td style='padding-right:12px'><b>{e(self.tr(label))}</b></td>"
            f"<td>{e(value)}</td></tr>"
            for label, value in self.rows[1:]  # the version is the heading
        )
        own = licence_of(DISTRIBUTION)[1]
        own_line = (
            self.tr("Workstation's own licence: {licence}.").format(licence=e(own))
            if own not in ("not stated", "not installed")
            else self.tr("Workstation's package metadata states no licence of its own.")
        )
        components = "".join(
            f"<tr><td style='padding-right:12px'>{e(name)}</td>"
            f"<td style='padding-right:12px'>{e(found)}</td><td>{e(text)}</td></tr>"
            for name in COMPONENTS
            for found, text in [licence_of(name)]
        )
        fonts = font_licence()
        fonts_part = (
            f"<pre style='white-space:pre-wrap'>{e(fonts)}</pre>"
            if fonts
            else "<p>"
            + e(self.tr("The fonts' licence file is missing from this install."))
            + "</p>"
        )
        return (
            f"<h2>{e(self.tr('Workstation'))} {e(version())}</h2>"
            f"<p>{e(self.tr(SUMMARY))}</p>"
            f"<table>{rows}</table>"
            f"<h3>{e(self.tr('Licences'))}</h3><p>{own_line}</p>"
            f"<table><tr><th align='left' style='padding-right:12px'>{e(self.tr('Component'))}</th>"
            f"<th align='left' style='padding-right:12px'>{e(self.tr('Version'))}</th>"
            f"<th align='left'>{e(self.tr('Licence'))}</th></tr>{components}</table>"
            f"<h3>{e(self.tr('DejaVu Sans fonts (embedded in briefs)'))}</h3>"
            f"<p>{e(self.tr(FONT_SUMMARY))}</p>"
            f"{fonts_part}"
        )


# -- the user guide ----------------------------------------------------------------------------


def checkout_readme() -> Path | None:
    """README.md of the checkout the program runs from, if it runs from one (an installed
    wheel carries no README)."""
    root = Path(workstation.__file__).resolve().parent.parent
    readme = root / "README.md"
    if readme.is_file() and (root / "pyproject.toml").is_file():
        return readme
    return None


def shipped_guide() -> str:
    try:
        return resource(*GUIDE).read_text(encoding="utf-8")
    except OSError:
        return ""


def guide_folder() -> Path | None:
    """The folder of the shipped guide, where its images/ are; None if it is missing."""
    try:
        return resource_path(GUIDE[0])
    except OSError:
        return None


class UserGuideDialog(QDialog):
    """The user guide shipped with the program, and the README when running from a checkout."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("userGuideDialog")
        self.setWindowTitle(self.tr("User guide"))
        self.tabs = QTabWidget()
        self.tabs.setObjectName("userGuideTabs")
        guide = shipped_guide() or self.tr(
            "The user guide is missing from this install (resources/guide/user-guide.md)."
        )
        self.guide = self._browser("userGuideText", "")
        show_guide(self.guide, guide, guide_folder())  # with its screenshots
        self.tabs.addTab(self.guide, self.tr("User guide"))
        # The README is for whoever builds the program: shown only when running from a
        # checkout. An installed program (wheel, bundle, .deb) shows the guide alone, with
        # no tab bar, rather than a tab explaining that the README is elsewhere.
        readme = checkout_readme()
        self.readme_path = readme
        self.readme: QTextBrowser | None = None
        if readme is not None:
            text = readme.read_text(encoding="utf-8")
            note = self.tr("*{path}*").format(path=readme)
            self.readme = self._browser("readmeText", f"{note}\n\n{text}")
            self.tabs.addTab(self.readme, self.tr("README"))
        self.tabs.setTabBarAutoHide(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)
        self.resize(760, 640)

    def _browser(self, name: str, markdown: str) -> QTextBrowser:
        browser = QTextBrowser()
        browser.setObjectName(name)
        browser.setOpenExternalLinks(True)
        browser.setMarkdown(markdown)
        return browser
