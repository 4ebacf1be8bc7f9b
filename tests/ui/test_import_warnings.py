"""The GUI's end-of-import message lists what the importers guessed or left out."""

import pytest

from tests.helpers import honest_import as corpus


@pytest.fixture
def controller(import_controller):
    return import_controller


def test_the_import_message_lists_each_warning_with_its_file(controller, qtbot, tmp_path):
    inbox = tmp_path / "inbox"
    corpus.write(inbox, "good.txt", b"A good article\nAbout the consulates.\n")
    corpus.write(inbox, "stray.txt", corpus.stray_byte_text())
    corpus.write(inbox, "wide.txt", corpus.wide_text("utf-32-le"))
    with qtbot.waitSignal(controller.finished, timeout=30000) as blocker:
        assert controller.start([inbox])
    results = blocker.args[0]
    assert [r.status for r in results] == ["imported"] * 3
    prompts = controller.workbench.prompts
    assert prompts.infos[-1] == "Imported 3 of 3 files; 2 read with warnings."
    assert prompts.details[-1].splitlines() == [
        "stray.txt: warning: line 3: byte 0x97 is not UTF-8, shown as \ufffd",
        "wide.txt: warning: no byte-order mark; read as UTF-32LE",
    ]


def test_an_import_without_warnings_or_failures_asks_nothing(controller, qtbot, tmp_path):
    corpus.write(tmp_path / "inbox", "good.txt", b"A good article\nAbout the consulates.\n")
    with qtbot.waitSignal(controller.finished, timeout=30000):
        assert controller.start([tmp_path / "inbox"])
    assert controller.workbench.prompts.infos == []
