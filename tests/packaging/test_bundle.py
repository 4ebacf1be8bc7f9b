"""The one-folder bundle and the .deb work with no Python environment of the project.

Builds dist/workstation (scripts/package, PyInstaller) and the .deb (scripts/deb), checks the
package (dpkg-deb --info, lintian where installed), unpacks it into a temporary root and, in
a clean environment (no venv on PATH, a fresh HOME), runs the unpacked CLI (init --sample,
brief, suggest: natasha and scikit-learn frozen) and the GUI offscreen with --screenshot.
Minutes long: gated by WORKSTATION_PACKAGING_TESTS=1, which scripts/test sets for its
background run of tests/packaging.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from tests.packaging.installed import ENABLED, ROOT, SKIP_REASON, check_sample_brief_and_window, run
from workstation.ui.shell.about import COMPONENTS

pytestmark = [
    pytest.mark.slow,
    pytest.mark.packaging,
    pytest.mark.skipif(not ENABLED, reason=SKIP_REASON),
]

RUSSIAN = (
    "Санкции против России\n\nПрезидент России Владимир Путин встретился с министром "
    "иностранных дел Сергеем Лавровым в Москве. Компания «Газпром» заявила о поставках.\n"
)


@pytest.fixture(scope="module")
def deb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the bundle and the .deb from this checkout, in a folder of the test's own (a
    release build in dist/ is never replaced). gzip instead of the release's xz: the files
    inside are the same, and xz takes minutes of the CI budget (scripts/deb)."""
    if shutil.which("dpkg-deb") is None:
        pytest.fail("dpkg-deb is not installed: the .deb cannot be built or checked")
    out = tmp_path_factory.mktemp("dist")
    env = {
        **os.environ,
        "DIST": str(out),
        "PYI_WORKPATH": str(tmp_path_factory.mktemp("pyinstaller")),
        "DEB_COMPRESS": os.environ.get("DEB_COMPRESS", "gzip 6"),
    }
    run([ROOT / "scripts" / "package"], env)
    run([ROOT / "scripts" / "deb"], env)
    (built,) = out.glob("workstation_*_amd64.deb")
    return built


@pytest.fixture(scope="module")
def unpacked(deb: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The .deb's files, unpacked (dpkg-deb -x) into a temporary root."""
    root = tmp_path_factory.mktemp("root")
    run(["dpkg-deb", "-x", deb, root], dict(os.environ))
    return root


def test_package_control_data(deb: Path) -> None:
    info = run(["dpkg-deb", "--info", deb], dict(os.environ)).stdout
    fields = dict(re.findall(r"^ ([A-Za-z-]+): (.*)$", info, re.M))
    assert fields["Package"] == "workstation"
    assert fields["Architecture"] == "amd64"
    assert re.fullmatch(r"\d+\.\d+\.\d+", fields["Version"])
    assert "libxcb-cursor0" in fields["Depends"]  # Qt's xcb platform, not in the bundle
    assert int(fields["Installed-Size"]) > 100_000  # KiB: Python, Qt and the models are inside
    for script in ("postinst", "postrm"):
        assert re.search(rf"^\s+\d+ bytes,\s+\d+ lines\s+\*\s+{script}\s", info, re.M), script


def test_lintian_reports_nothing_beyond_the_overrides(deb: Path) -> None:
    """What lintian says of any self-contained bundle in /opt is overridden, each with its
    reason (scripts/deb); anything else it reports is a defect of the package. The
    overridden tags must show up (--show-overrides): silence alone would also be what a
    lintian that checked nothing prints."""
    if shutil.which("lintian") is None:
        pytest.skip("lintian is not installed (the issue asks for it where available)")
    done = run(["lintian", "--allow-root", "--show-overrides", "--fail-on", "none", deb],
               dict(os.environ), timeout=900)  # fmt: skip
    lines = done.stdout.splitlines()
    overridden = {line.split()[2] for line in lines if line.startswith("O: ")}
    assert {"dir-or-file-in-opt", "embedded-library", "duplicate-font-file"} <= overridden, lines[
        :20
    ]
    tags = [line for line in lines if re.match(r"^[EWIXP]: ", line)]
    assert tags == [], "\n".join(tags)


def test_deb_layout(unpacked: Path) -> None:
    for path in (
        "opt/workstation/workstation", "opt/workstation/workstation-app",
        "usr/share/applications/workstation.desktop", "usr/share/mime/packages/workstation.xml",
        "usr/share/icons/hicolor/256x256/apps/workstation.png",
        "usr/share/icons/hicolor/scalable/apps/workstation.svg",
        "usr/share/man/man1/workstation.1.gz", "usr/share/man/man1/workstation-brief.1.gz",
        "usr/share/doc/workstation/copyright",
    ):  # fmt: skip
        assert (unpacked / path).exists(), path
    assert os.readlink(unpacked / "usr/bin/workstation") == "/opt/workstation/workstation"
    # The user guide opened from Help travels with the application, images included.
    guide = unpacked / "opt/workstation/_internal/workstation/resources/guide"
    assert (guide / "user-guide.md").exists() and list((guide / "images").glob("*.png"))
    # Help → About lists these libraries with their versions and licences, read from their
    # metadata, which must travel with them (and carries their licence texts).
    internal = unpacked / "opt/workstation/_internal"
    for name in COMPONENTS:
        normalised = name.lower().replace("-", "_")
        found = [
            d for d in internal.glob("*.dist-info") if d.name.lower().startswith(normalised + "-")
        ]
        assert found, f"no metadata of {name} in the bundle"
    # reportlab's own fonts are not shipped (briefs embed the DejaVu fonts of resources/).
    assert not (unpacked / "opt/workstation/_internal/reportlab/fonts").exists()


def test_cli_and_gui_run_from_the_unpacked_deb(unpacked: Path, tmp_path: Path) -> None:
    cli = unpacked / "opt/workstation/workstation"
    env = check_sample_brief_and_window(cli, unpacked / "opt/workstation/workstation-app", tmp_path)
    workspace = tmp_path / "sample.sqlite"
    article = tmp_path / "ru.txt"
    article.write_text(RUSSIAN, encoding="utf-8")
    run([cli, "--workspace", workspace, "import", article], env, timeout=120)
    suggest: list[str | Path] = [cli, "--workspace", workspace, "suggest", "--kinds", "names"]
    suggest.append("--json")
    names = json.loads(run(suggest, env, timeout=300).stdout)
    by_text = {n["text"]: n for n in names}
    # natasha's models and pymorphy2's dictionary, frozen: found, and put in the nominative.
    assert by_text["Сергеем Лавровым"]["normal"] == "Сергей Лавров"
    # The scikit-learn scorer of Latin-script names, on the sample's English articles.
    assert any(text.isascii() for text in by_text), sorted(by_text)
