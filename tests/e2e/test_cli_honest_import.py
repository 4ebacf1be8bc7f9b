"""``workstation import`` says, under each file's line, what the importer guessed or left
out (issue 11, point 6); warnings never change the exit status."""

from __future__ import annotations

from tests.helpers import honest_import as corpus
from tests.helpers.cli import run


def test_import_prints_each_warning_under_its_file_and_exits_0(capsys, tmp_path):
    workspace = tmp_path / "w.sqlite"
    run(capsys, "--workspace", workspace, "init")
    inbox = tmp_path / "inbox"
    corpus.write(inbox, "a-good.txt", b"A good article\nAbout the consulates.\n")
    corpus.write(inbox, "b-hidden.html", corpus.hidden_text_page())
    corpus.write(inbox, "c-lie.html", corpus.lying_page("koi8-r", corpus.RUSSIAN))
    corpus.write(inbox, "d-reception.eml", corpus.disagreeing_email())
    corpus.write(inbox, "e-stray.txt", corpus.stray_byte_text())
    corpus.write(inbox, "f-wide.txt", corpus.wide_text("utf-16-be"))
    code, out, err = run(capsys, "--workspace", workspace, "import", inbox)
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert [line.split(":")[0] for line in lines if not line.startswith(" ")] == [
        f"imported  {inbox / name}" for name in sorted(path.name for path in inbox.iterdir())
    ]
    warnings: dict[str, list[str]] = {}
    current = None
    for line in lines:
        if line.startswith("  warning: "):
            warnings.setdefault(current, []).append(line.removeprefix("  warning: "))
        else:
            current = line.split(":")[0].split("/")[-1]
            assert current not in warnings
    assert warnings == {
        "c-lie.html": ["declared koi8-r, but the bytes are UTF-8; read as UTF-8"],
        "d-reception.eml": [
            "the plain-text and HTML parts of the e-mail differ (plain text “will NOT "
            "attend”, HTML “will attend”); imported the HTML part, which is what mail "
            "clients show"
        ],
        "e-stray.txt": ["line 3: byte 0x97 is not UTF-8, shown as \ufffd"],
        "f-wide.txt": ["no byte-order mark; read as UTF-16BE"],
    }
    code, out, _ = run(capsys, "--workspace", workspace, "search", "HIDDENTEMPLATE")
    assert code == 0 and out.strip() == "no matches"


def test_a_warning_about_a_hostile_file_name_stays_on_its_own_escaped_lines(capsys, tmp_path):
    workspace = tmp_path / "w.sqlite"
    run(capsys, "--workspace", workspace, "init")
    path = corpus.write(tmp_path, "fake\nfailed    x.txt\x1b[2J.txt", corpus.stray_byte_text())
    code, out, err = run(capsys, "--workspace", workspace, "import", path)
    assert code == 0 and err == ""
    assert out.splitlines()[1:] == ["  warning: line 3: byte 0x97 is not UTF-8, shown as \ufffd"]
    assert "\x1b" not in out and "\\x1b[2J" in out
