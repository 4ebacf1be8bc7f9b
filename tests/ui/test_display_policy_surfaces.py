"""Every surface of the window shows user text through the one display policy: the library,
the timeline, the entity registry, search hits, the inspector and dialogs show ⟨RLO⟩ and
⟨ZWSP⟩ marks where the stored text holds the invisible characters, never the raw controls."""

from __future__ import annotations

from PySide6.QtCore import Qt

from workstation.importers.base import DocumentDraft
from workstation.ui.shell.prompts import Prompts

DISPLAY = Qt.ItemDataRole.DisplayRole
RAW = "\u202e"


def column_texts(model, column: int = 0) -> list[str]:
    return [str(model.index(row, column).data(DISPLAY) or "") for row in range(model.rowCount())]


def test_hostile_records_show_marks_in_every_list(main_window, qtbot):
    window = main_window
    session, workbench = window.session, window.workbench
    outcome = workbench.apply(
        "import",
        lambda: session.documents.add(
            DocumentDraft(
                title="Decree \u202e23\u202c named",
                text="The decree targets \u202e23\u202c officials; Nav\u200balny's aides.",
                origin_name="decree.txt",
            )
        ),
    )
    document_id = outcome.record.id
    workbench.apply("entity", lambda: session.entities.create("Person", "Nav\u200balny Aide"))
    episode = session.episodes.list_episodes()[0]
    workbench.apply(
        "event",
        lambda: session.episodes.add_event(
            episode.id, date="2021-04-15", title="Sanctions on \u202e23\u202c officials"
        ),
    )

    library = window.library.view.model()
    qtbot.waitUntil(lambda: "Decree ⟨RLO⟩23⟨PDF⟩ named" in column_texts(library))
    assert not any(RAW in text for text in column_texts(library))

    timeline = window.timeline.model
    qtbot.waitUntil(lambda: "Sanctions on ⟨RLO⟩23⟨PDF⟩ officials" in column_texts(timeline))

    entities = window.entities.model
    window.entities.model.set_filter("")
    qtbot.waitUntil(lambda: "Nav⟨ZWSP⟩alny Aide" in column_texts(entities, 1))
    # Editing starts from the stored name, not the marks.
    row = column_texts(entities, 1).index("Nav⟨ZWSP⟩alny Aide")
    assert entities.index(row, 1).data(Qt.ItemDataRole.EditRole) == "Nav\u200balny Aide"
    tip = entities.index(row, 1).data(Qt.ItemDataRole.ToolTipRole)
    assert "⟨ZWSP⟩ zero-width space" in tip  # the registry says what the mark stands for

    # The inspector names what the marks stand for.
    workbench.open_document(document_id)
    qtbot.waitUntil(lambda: window.reader.document_id == document_id)
    body = window.reader.body
    start = body.index("targets")
    passage = workbench.apply(
        "mark", lambda: session.annotations.create(document_id, start, start + 12)
    ).record
    workbench.select_passage(passage.id)
    inspector = window.inspector
    qtbot.waitUntil(lambda: inspector.quote.text() == "“targets ⟨RLO⟩23⟨PDF⟩”")
    assert inspector.invisibles.isVisibleTo(inspector)
    assert "⟨PDF⟩ pop directional formatting" in inspector.invisibles.text()


def test_search_hits_show_marks_around_the_highlight(main_window, qtbot):
    window = main_window
    session, workbench = window.session, window.workbench
    workbench.apply(
        "import",
        lambda: session.documents.add(
            DocumentDraft(
                title="Moscow \u202eanswers\u202c",
                text="Moscow answers with \u202e10\u202c expulsions of diplomats.",
                origin_name="m.txt",
            )
        ),
    )
    dock = window.search
    dock.show()
    dock.search("expulsions")
    model = dock.model
    qtbot.waitUntil(lambda: model.rowCount() > 0)
    titles = column_texts(model)
    assert "Moscow ⟨RLO⟩answers⟨PDF⟩" in titles
    from workstation.ui.search.results import SNIPPET_HTML_ROLE

    row = titles.index("Moscow ⟨RLO⟩answers⟨PDF⟩")
    html = model.index(row, 0).data(SNIPPET_HTML_ROLE)
    assert "⟨RLO⟩10⟨PDF⟩" in html and RAW not in html and "<span" in html


def test_dialog_messages_show_marks(monkeypatch, qtbot):
    seen = []
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: seen.append(text))
    Prompts().error(None, "could not read \u202efdp.exe\u202c")
    assert seen == ["could not read ⟨RLO⟩fdp.exe⟨PDF⟩"]


def test_look_alike_entities_are_flagged_in_the_registry_and_inspector(main_window, qtbot):
    window = main_window
    session, workbench = window.session, window.workbench
    workbench.apply("entity", lambda: session.entities.create("Person", "Sergey Lavrov"))
    twin = workbench.apply(
        "entity",
        lambda: session.entities.create("Person", "Sergеy Lavrov"),  # Cyrillic е
    ).record
    entities = window.entities.model
    entities.set_filter("Lavrov")
    qtbot.waitUntil(lambda: "⚠ Sergеy Lavrov" in column_texts(entities, 1))
    row = column_texts(entities, 1).index("⚠ Sergеy Lavrov")
    tip = entities.index(row, 1).data(Qt.ItemDataRole.ToolTipRole)
    assert "mixes letters of different scripts" in tip
    assert "looks like “Sergey Lavrov”" in tip
    # The real Lavrov is flagged too: he has a twin now.
    assert any(text == "⚠ Sergey Lavrov" for text in column_texts(entities, 1))

    outcome = workbench.apply(
        "import",
        lambda: session.documents.add(
            DocumentDraft(title="Twin", text="Sergеy Lavrov said no.", origin_name="t.txt")
        ),
    )
    passage = workbench.apply(
        "mark", lambda: session.annotations.create(outcome.record.id, 0, 13)
    ).record
    workbench.apply("link", lambda: session.entities.link(passage.id, twin.id))
    workbench.select_passage(passage.id)
    inspector = window.inspector
    qtbot.waitUntil(lambda: "look-alike letters" in inspector.invisibles.text())
    assert "“Sergеy”" in inspector.invisibles.text()
    table = inspector.links.table
    names = [table.item(row, 0).text() for row in range(table.rowCount())]
    assert "⚠ Sergеy Lavrov" in names


def test_editors_warn_what_is_hidden_in_the_text_being_edited(main_window, qtbot):
    """Qt obeys a bidi override inside an editor ("targets 32"): the warning under it says
    what is hidden, while the officer types."""
    editor = main_window.episode_editor
    warning = editor.invisibles
    assert not warning.isVisibleTo(editor)
    editor.bottom_line.setPlainText("Moscow expels \u202e01\u202c diplomats.")
    assert warning.isVisibleTo(editor)
    assert warning.text().startswith("⚠ Bottom line: Holds invisible characters")
    assert "⟨RLO⟩ right-to-left override" in warning.text()
    editor.bottom_line.setPlainText("Moscow expels 10 diplomats.")
    assert not warning.isVisibleTo(editor)

    note = main_window.inspector.note
    note.setPlainText("Nav\u200balny")
    assert "⟨ZWSP⟩ zero-width space" in main_window.inspector.note_invisibles.text()

    judgments = editor.judgments
    judgments.text.setPlainText("We judge it likely that \u202ewill not\u202c happen.")
    assert "⟨RLO⟩" in judgments.warnings.text()
