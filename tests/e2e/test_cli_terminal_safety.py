"""The command line prints user text safely (issue 11, point 7; docs/architecture.md,
"Text display: one policy"): control characters in file names, titles, notes, quotes and
entity names are escaped as Python writes them (``\\n``, ``\\x1b``) and bidi controls shown
as marks (``⟨RLO⟩``) in every line printed, so no input can forge an output line or drive
the terminal. ``--json`` stays JSON that reads back the very same text."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.helpers.cli import run
from workstation.importers.base import DocumentDraft
from workstation.services import open_session

# An OSC that retitles the terminal, a clear-screen CSI, a right-to-left override, and a
# newline followed by what would read as a line of its own.
EVIL = "\x1b]0;owned\x07\x1b[2J\u202eevil\nfailed    forged"
SHOWN = "\\x1b]0;owned\\x07\\x1b[2J⟨RLO⟩evil\\nfailed    forged"
BODY = (
    "Sanctions were announced on Thursday. Ivan\u202eov said the embassy\nwould answer.\n"
    "Later Ivanov spoke again."
)
QUOTE = "Ivan\u202eov said the embassy\nwould answer."


def assert_terminal_safe(*streams: str) -> None:
    """Nothing but printable characters and the newlines that end lines."""
    for text in streams:
        raw = sorted({char for char in text if char != "\n" and not char.isprintable()})
        assert not raw, f"raw {raw!r} in {text!r}"


@pytest.fixture
def ws(capsys, tmp_path) -> dict:
    """A document, passage, entity, episode and event, each holding EVIL in its text."""
    path = tmp_path / "ws.sqlite"
    assert run(capsys, "--workspace", path, "init")[0] == 0
    with open_session(path) as session:
        draft = DocumentDraft(
            title=f"Sanctions {EVIL}", text=BODY, origin_name="a.txt", outlet=f"Outlet {EVIL}"
        )
        document = session.documents.add(draft).record
        start = BODY.index(QUOTE)
        passage = session.annotations.create(
            document.id, start, start + len(QUOTE), note=f"sanctions note {EVIL}"
        ).record
        entity = session.entities.create("Person", f"Ivanov {EVIL}", aliases=["Ivanov"]).record
        episode = session.episodes.create(f"Episode {EVIL}").record
        event = session.episodes.add_event(
            episode.id,
            date="2021-04-15",
            kind="expulsion",
            title=f"Sanctions event {EVIL}",
            actor_id=entity.id,
            evidence=[passage.id],
        ).record
    return {
        "path": path,
        "document": document.id,
        "passage": passage.id,
        "entity": entity.id,
        "event": event.id,
    }


def strings(value) -> list[str]:
    """Every string in a JSON value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return [text for item in value for text in strings(item)]
    return []


# -- import: one escaped line per file ---------------------------------------------------------


def evil_files(folder: Path) -> dict[str, Path]:
    folder.mkdir()
    files = {
        "good": folder / "good.txt",
        "newline": folder / "evil\nfailed    forged: no such file.txt",
        "osc": folder / "osc\x1b]0;owned\x07\x1b[2J.txt",
        "bad": folder / "broken\x1b[31m\u202e\n.xyz",
    }
    files["good"].write_text("Good article\nThe first body.\n", encoding="utf-8")
    files["newline"].write_text("Newline article\nThe second body.\n", encoding="utf-8")
    files["osc"].write_text("Escape article\nThe third body.\n", encoding="utf-8")
    files["bad"].write_text("not an article", encoding="utf-8")
    return files


def test_import_prints_one_escaped_line_per_file_and_keeps_the_good_ones(capsys, tmp_path):
    path = tmp_path / "ws.sqlite"
    run(capsys, "--workspace", path, "init")
    files = evil_files(tmp_path / "in")
    folder = tmp_path / "in"
    code, out, err = run(capsys, "--workspace", path, "import", *files.values())
    assert code == 1  # one file failed; the others are imported all the same
    assert_terminal_safe(out, err)
    assert out.splitlines() == [
        f"imported  {folder}/good.txt: Good article",
        f"imported  {folder}/evil\\nfailed    forged: no such file.txt: Newline article",
        f"imported  {folder}/osc\\x1b]0;owned\\x07\\x1b[2J.txt: Escape article",
    ]
    assert err.splitlines() == [
        f"failed    {folder}/broken\\x1b[31m⟨RLO⟩\\n.xyz: unsupported file type .xyz "
        "(supported: .txt .md .html .htm .docx .pdf .eml)"
    ]
    with open_session(path) as session:
        assert sorted(d.title for d in session.documents.list_documents()) == [
            "Escape article",
            "Good article",
            "Newline article",
        ]


def test_importing_a_folder_escapes_the_names_it_finds(capsys, tmp_path):
    path = tmp_path / "ws.sqlite"
    run(capsys, "--workspace", path, "init")
    evil_files(tmp_path / "in")
    code, out, err = run(capsys, "--workspace", path, "import", tmp_path / "in")
    assert (code, err) == (0, "")  # in a folder, files of other types are passed over
    assert_terminal_safe(out)
    assert sorted(out.splitlines()) == [
        f"imported  {tmp_path}/in/evil\\nfailed    forged: no such file.txt: Newline article",
        f"imported  {tmp_path}/in/good.txt: Good article",
        f"imported  {tmp_path}/in/osc\\x1b]0;owned\\x07\\x1b[2J.txt: Escape article",
    ]


# -- what the workspace holds: search, suggest, timeline ---------------------------------------


def test_search_shows_titles_notes_and_quotes_escaped_and_marked(capsys, ws):
    code, out, err = run(capsys, "--workspace", ws["path"], "search", "sanctions")
    assert (code, err) == (0, "")
    assert_terminal_safe(out)
    lines = out.splitlines()
    assert len(lines) == 4  # two hits, two lines each: no forged line
    assert lines[0] == f"[document] Sanctions {SHOWN} @0-9"
    assert lines[1].startswith("    [Sanctions] were announced")
    assert lines[2].startswith(f"[passage] Sanctions {SHOWN} @")
    # The snippet keeps to its line (its line breaks read as spaces); the rest is escaped.
    assert lines[3] == "    [sanctions] note \\x1b]0;owned\\x07\\x1b[2J⟨RLO⟩evil failed    forged"

    code, out, _ = run(capsys, "--workspace", ws["path"], "search", "embassy")
    assert code == 0
    assert_terminal_safe(out)
    assert "Ivan⟨RLO⟩ov said the [embassy]" in out


def test_suggest_shows_entity_names_escaped_and_marked(capsys, ws):
    code, out, err = run(capsys, "--workspace", ws["path"], "suggest")
    assert (code, err) == (0, "")
    assert_terminal_safe(out)
    lines = out.splitlines()
    assert lines and all(line.startswith(ws["document"]) for line in lines)
    later = BODY.index("Ivanov spoke")
    ivanov = next(line for line in lines if f" {later}-{later + 6} " in line)
    assert ivanov.endswith(f"“Ivanov” → Ivanov {SHOWN} [{ws['entity']}]")


def test_timeline_shows_episode_event_and_actor_escaped_and_marked(capsys, ws):
    code, out, err = run(capsys, "--workspace", ws["path"], "timeline")
    assert (code, err) == (0, "")
    assert_terminal_safe(out)
    lines = out.splitlines()
    assert len(lines) == 3
    assert lines[0] == f"Episode {SHOWN} — 1 event"
    assert lines[1].startswith("15 APR 2021  expulsion ")
    assert lines[1].endswith(f"  Sanctions event {SHOWN}")
    assert lines[2].lstrip().startswith(f"Ivanov {SHOWN} → ? · id {ws['event'][:8]}")


def test_json_is_the_same_text_with_nothing_that_can_drive_a_terminal(capsys, ws):
    for args in (("search", "sanctions"), ("suggest",), ("timeline",)):
        code, out, _ = run(capsys, "--workspace", ws["path"], *args, "--json")
        assert code == 0
        assert_terminal_safe(out)
        assert "\\u001b]0;owned\\u0007\\u001b[2J\\u202eevil\\nfailed    forged" in out
        assert any(EVIL in text for text in strings(json.loads(out)))  # the same text
    code, out, _ = run(capsys, "--workspace", ws["path"], "search", "sanctions", "--json")
    assert json.loads(out)[0]["title"] == f"Sanctions {EVIL}"
    code, out, _ = run(capsys, "--workspace", ws["path"], "timeline", "--json")
    timeline = json.loads(out)
    assert timeline["episode"]["title"] == f"Episode {EVIL}"
    assert timeline["events"][0]["actor"] == f"Ivanov {EVIL}"


def test_c1_controls_separators_and_tags_are_escaped_in_text_and_json(capsys, tmp_path):
    # \x9b is a one-byte CSI to many terminals; U+2028 breaks lines in some; tag
    # characters hide text. json.dumps(ensure_ascii=False) leaves all of them raw.
    path = tmp_path / "ws.sqlite"
    run(capsys, "--workspace", path, "init")
    title = "Sanctions \x9b2J del\x7f sep\u2028rlo\u202e tag\U000e0041 end"
    with open_session(path) as session:
        draft = DocumentDraft(title=title, text="Sanctions announced.", origin_name="a.txt")
        session.documents.add(draft)
    code, out, _ = run(capsys, "--workspace", path, "search", "sanctions")
    assert code == 0
    assert_terminal_safe(out)
    assert out.splitlines()[0] == (
        "[document] Sanctions \\x9b2J del\\x7f sep\\u2028rlo⟨RLO⟩ tag⟨TAG A⟩ end @0-9"
    )
    code, out, _ = run(capsys, "--workspace", path, "search", "sanctions", "--json")
    assert code == 0
    assert_terminal_safe(out)
    assert (
        '"title": "Sanctions \\u009b2J del\\u007f sep\\u2028rlo\\u202e tag\\udb40\\udc41 end"'
        in out
    )
    assert json.loads(out)[0]["title"] == title


# -- check, summaries and errors ---------------------------------------------------------------


def test_check_escapes_the_workspace_path_in_every_line(capsys, tmp_path):
    path = tmp_path / f"ws{EVIL}.sqlite"
    shown = f"{tmp_path}/ws{SHOWN}.sqlite"
    code, out, err = run(capsys, "--workspace", path, "init", "--sample")
    assert (code, err) == (0, "")
    assert out == f"created {shown} (sample episode, 2 documents)\n"
    code, out, err = run(capsys, "--workspace", path, "check")
    assert (code, out, err) == (0, f"ok: {shown}\n", "")

    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("UPDATE documents SET sha256 = 'c0ffee' WHERE seq = 2")
    finally:
        conn.close()
    code, out, err = run(capsys, "--workspace", path, "check")
    assert code == 1 and out == ""
    assert_terminal_safe(err)
    lines = err.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("hash: documents ")
    assert (
        lines[1] == f"1 problem in {shown}; 1 with a safe fix: run 'workstation check --repair'"
    )

    code, out, err = run(capsys, "--workspace", path, "check", "--repair")
    assert code == 0
    assert_terminal_safe(out, err)
    lines = out.splitlines()
    assert lines[0].startswith(f"backup: {tmp_path}/ws{SHOWN}.sqlite.backups/")
    assert lines[-1] == f"ok: {shown} (1 problem repaired)"


def test_export_backup_and_brief_summaries_escape_paths_and_free_text(capsys, tmp_path):
    path = tmp_path / "ws.sqlite"
    run(capsys, "--workspace", path, "init", "--sample")
    out_file = tmp_path / f"out{EVIL}.csv"
    code, out, err = run(
        capsys, "--workspace", path, "export", "--format", "csv", "--out", out_file
    )
    assert (code, err) == (0, "")
    assert_terminal_safe(out)
    assert out.endswith(f" as csv to {tmp_path}/out{SHOWN}.csv\n") and out.count("\n") == 1

    code, out, err = run(capsys, "--workspace", path, "backup", tmp_path / f"copy{EVIL}")
    assert (code, err) == (0, "")
    assert out == f"backed up {path} to {tmp_path}/copy{SHOWN} (verified)\n"

    # The marking is free text; ESC itself is refused by the brief's fonts, so RLO and a
    # newline stand for it here.
    code, out, err = run(
        capsys,
        "--workspace",
        path,
        "brief",
        "--marking",
        "TLP \u202eevil\nforged",
        "--out",
        tmp_path / "brief\x1b[2J\n.pdf",
    )
    assert (code, err) == (0, "")
    assert_terminal_safe(out)
    first = out.splitlines()[0]
    assert first.startswith(f"wrote {tmp_path}/brief\\x1b[2J\\n.pdf: brief ")
    assert ", TLP ⟨RLO⟩evil\\nforged, DRAFT" in first


def test_error_lines_escape_what_they_embed_and_keep_their_exit_codes(capsys, tmp_path):
    missing = tmp_path / f"missing{EVIL}.sqlite"
    code, out, err = run(capsys, "--workspace", missing, "search", "x")
    assert code == 1 and out == ""
    assert_terminal_safe(err)
    assert err.count("\n") == 1
    assert err.startswith("workstation search: ") and f"missing{SHOWN}.sqlite" in err

    # argparse names the arguments it did not expect: a usage error, exit 2.
    code, out, err = run(capsys, "--workspace", missing, "search", "x", f"extra{EVIL}")
    assert code == 2 and out == ""
    assert_terminal_safe(err)
    assert err.splitlines()[-1] == f"workstation: error: unrecognized arguments: extra{SHOWN}"


def test_an_internal_error_is_one_escaped_line(capsys, tmp_path, monkeypatch):
    import workstation.cli as cli

    def broken(args, path):
        raise RuntimeError(f"bug near {EVIL} \udcff")  # a file name that is not UTF-8

    monkeypatch.setitem(cli.HANDLERS, "search", broken)
    code, out, err = run(capsys, "--workspace", tmp_path / "ws.sqlite", "search", "x")
    assert code == 3 and out == ""
    assert_terminal_safe(err)
    assert err.count("\n") == 1
    assert err.startswith(
        f"workstation search: internal error (RuntimeError: bug near {SHOWN} \\udcff); "
    )
