"""One way in: every use case on a workspace is reached from ``Session`` (its record services
and its per-feature facades), and the GUI calls no use case past it."""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

import pytest

import workstation.ui
from workstation.services import Session, open_session
from workstation.services.rows import LibraryQuery

FACADES = (
    "library",
    "registry",
    "suggestions",
    "search",
    "timeline",
    "importing",
    "exchange",
    "maintenance",
    "versions",
)


def test_facades_are_built_on_first_use_and_kept(sample_path: Path) -> None:
    with open_session(sample_path, author="tester") as session:
        assert not set(FACADES) & set(vars(session)), "opening a session builds no facade"
        for name in FACADES:
            facade = getattr(session, name)
            assert facade.session is session
            assert getattr(session, name) is facade
            assert (inspect.getdoc(type(session).__dict__[name]) or "").strip(), name


def test_every_facade_does_real_work(sample_session: Session, tmp_path: Path) -> None:
    s = sample_session
    documents = s.documents.list_documents()
    assert len(documents) == s.documents.count() > 0
    assert s.library.count(LibraryQuery()) == len(documents)
    assert [row.id for row in s.library.page(LibraryQuery(), 0, 2)] == [
        row.id for row in s.library.page(LibraryQuery(), 0, len(documents))[:2]
    ]
    assert s.registry.count() == len(s.entities.list_entities()) > 0
    assert isinstance(s.suggestions.suggest(), list)

    assert s.search.hits("sanctions")
    page = s.search.page("sanctions", limit=2)
    assert 0 < len(page.hits) <= 2
    assert s.search.choices().categories

    rows = s.timeline.rows()
    assert rows and s.timeline.actors()
    assert s.timeline.answerable_events(s.episodes.list_episodes()[0].id, None)

    episode = s.episodes.list_episodes()[0]
    judgments = s.episodes.judgments(episode.id)
    if len(judgments) > 1:
        moved = s.episodes.move_judgment(judgments[0].id, len(judgments) - 1)
        assert s.episodes.judgments(episode.id)[-1].id == moved.record.id

    note = tmp_path / "note.txt"
    note.write_text("A short note about sanctions and reciprocity.\n", encoding="utf-8")
    results, changes = s.importing.files([note])
    assert [r.status for r in results] == ["imported"] and changes.changes
    assert s.importing.unfinished() == []

    assert s.exchange.gather().documents
    out = tmp_path / "passages.csv"
    s.exchange.export("csv", out)
    assert out.stat().st_size > 0
    w3c = tmp_path / "passages.jsonl"
    s.exchange.export("w3c", w3c)
    assert s.exchange.import_annotations(w3c).summary()

    assert s.maintenance.check() == []
    copy = s.maintenance.backup(tmp_path / "copy.sqlite")
    assert copy.is_file() and s.maintenance.foreign_objects() == []
    assert s.exchange.merge(copy).written == 0  # a copy of itself: nothing new
    assert s.maintenance.list_backups()  # the merge took one first
    assert s.versions.newest_id(documents[0].id) is None


def _ui_modules() -> list[Path]:
    root = Path(workstation.ui.__file__).parent
    return sorted(root.rglob("*.py"))


def _takes_a_session(obj: object) -> bool:
    """A function or service class whose first parameter is the session (or workspace)."""
    target = obj.__init__ if inspect.isclass(obj) else obj
    if not callable(target):
        return False
    try:
        params = list(inspect.signature(target).parameters)
    except (TypeError, ValueError):
        return False
    if inspect.isclass(obj):
        params = params[1:]  # self
    return bool(params) and params[0] in {"session", "ws", "workspace"}


@pytest.mark.parametrize("path", _ui_modules(), ids=lambda p: str(p.parent.name + "/" + p.name))
def test_the_gui_calls_use_cases_through_the_session(path: Path) -> None:
    """No GUI module calls a service function or builds a service class on a session of
    its own: those use cases are ``session.<facade>.<use case>``. (Naming their types, and
    calling helpers that need no session, is fine.)"""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported: dict[str, object] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
            "workstation.services"
        ):
            module = importlib.import_module(node.module or "")
            for alias in node.names:
                imported[alias.asname or alias.name] = getattr(module, alias.name)
    called: set[tuple[str, object]] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in imported:
            called.add((func.id, imported[func.id]))
        elif (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and inspect.ismodule(imported.get(func.value.id))
        ):
            owner = imported[func.value.id]
            called.add((f"{func.value.id}.{func.attr}", getattr(owner, func.attr, None)))
    offending = sorted(name for name, obj in called if _takes_a_session(obj))
    assert not offending, f"{path.name} calls {offending}: go through the session's facades"
