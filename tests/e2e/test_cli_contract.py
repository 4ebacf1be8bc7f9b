"""The command line's contract (README "The command line"): every command and argument says
what it is for, --workspace goes before or after the command, exit 1 for a failed operation
and 2 for a usage error, and the README's search examples find something in the sample."""

import argparse
import re
import shlex
from pathlib import Path

import pytest

from tests.helpers.cli import run
from workstation.cli import build_parser

README = Path(__file__).resolve().parents[2] / "README.md"


def _subparsers(parser: argparse.ArgumentParser):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help for choice in action._choices_actions}
            for name, sub in action.choices.items():
                yield name, helps.get(name), sub


def test_every_command_and_argument_says_what_it_is_for():
    parser = build_parser()
    commands = list(_subparsers(parser))
    assert len(commands) >= 11
    for name, help_text, sub in commands:
        assert (help_text or "").strip(), f"{name}: no help"
        assert (sub.description or "").strip(), f"{name}: no description"
    for where, p in [("workstation", parser)] + [(n, s) for n, _, s in commands]:
        for action in p._actions:
            if isinstance(action, (argparse._HelpAction, argparse._SubParsersAction)):
                continue
            what = "/".join(action.option_strings) or action.dest
            assert action.help and action.help.strip(), f"{where} {what}: no help"
            assert action.help is not argparse.SUPPRESS, f"{where} {what}: hidden"


def test_help_of_each_command_prints_its_description(capsys):
    for name, _, sub in _subparsers(build_parser()):
        code, out, _ = run(capsys, name, "--help")
        assert code == 0 and "--workspace" in out
        first_words = " ".join(sub.description.split()[:3])
        assert first_words in " ".join(out.split()), name


@pytest.fixture
def sample(capsys, tmp_path):
    ws = tmp_path / "ws.sqlite"
    code, _, _ = run(capsys, "--workspace", ws, "init", "--sample")
    assert code == 0
    return ws


@pytest.mark.parametrize(
    "command",
    [
        ["search", "Putin"],
        ["search", "Putin", "--json"],
        ["timeline", "--json"],
        ["suggest"],
        ["check"],
    ],
)
def test_workspace_before_or_after_the_command(capsys, sample, command):
    before = run(capsys, "--workspace", sample, *command)
    after = run(capsys, *command, "--workspace", sample)
    assert before[0] == 0 and after == before


def test_workspace_after_the_command_for_writing_commands(capsys, tmp_path, isolated_data_dir):
    ws = tmp_path / "after.sqlite"
    code, out, _ = run(capsys, "init", "--sample", "--workspace", ws)
    assert code == 0 and ws.is_file() and str(ws) in out
    assert not (isolated_data_dir / "workspace.sqlite").exists()
    code, out, _ = run(capsys, "backup", tmp_path / "copy.sqlite", "--workspace", ws)
    assert code == 0 and (tmp_path / "copy.sqlite").is_file()
    code, out, _ = run(
        capsys, "export", "--format", "csv", "--out", tmp_path / "x.csv", "--workspace", ws
    )
    assert code == 0 and (tmp_path / "x.csv").is_file()


def test_without_workspace_the_default_is_used_either_way(capsys, isolated_data_dir):
    code, _, _ = run(capsys, "init", "--sample")
    assert code == 0 and (isolated_data_dir / "workspace.sqlite").is_file()
    code, out, _ = run(capsys, "search", "Putin")
    assert code == 0 and "Putin" in out


@pytest.mark.parametrize(
    "command",
    [
        ["brief", "--out", "{missing}/b.pdf"],
        ["export", "--format", "csv", "--out", "{missing}/x.csv"],
        ["export", "--format", "w3c", "--out", "{missing}/x.jsonl"],
        ["export", "--format", "brat", "--out", "{missing}/brat"],
        ["backup", "{missing}/copy.sqlite"],
    ],
)
def test_a_missing_output_folder_is_a_failed_operation(capsys, sample, tmp_path, command):
    missing = tmp_path / "no" / "such"
    args = [a.format(missing=missing) for a in command]
    code, out, err = run(capsys, "--workspace", sample, *args)
    assert code == 1, err
    assert out == "" and err.count("\n") == 1 and "no such folder" in err
    assert not (tmp_path / "no").exists()


def test_usage_errors_exit_2(capsys, sample):
    for args in (["search"], ["brief"], ["search", "x", "--limit", "0"], ["frobnicate"]):
        code, _, _ = run(capsys, "--workspace", sample, *args)
        assert code == 2, args


def _readme_search_examples() -> list[list[str]]:
    text = README.read_text(encoding="utf-8")
    section = text.split("## The command line", 1)[1].split("\n## ", 1)[0]
    examples = []
    for block in re.findall(r"```\n(.*?)```", section, re.S):
        for line in block.splitlines():
            if not line.startswith("workstation search "):
                continue
            # The command as typed; two or more spaces start the README's comment.
            args = shlex.split(re.split(r"\s{2,}", line.strip())[0])[2:]
            if "QUERY" in args:  # the synopsis line, not an example
                continue
            examples.append(["search", *args])
    return examples


def test_readme_has_a_latin_and_a_cyrillic_search_example():
    queries = [args[1] for args in _readme_search_examples()]
    assert len(queries) >= 2
    assert any(re.search("[A-Za-z]", q) for q in queries), queries
    assert any(re.search("[\u0400-\u04ff]", q) for q in queries), queries


@pytest.mark.parametrize("example", _readme_search_examples(), ids=lambda a: a[1])
def test_readme_search_examples_find_something_in_the_sample(capsys, sample, example):
    code, out, _ = run(capsys, "--workspace", sample, *example)
    assert code == 0 and "no matches" not in out
    assert re.search(r"^\[(document|passage|entity)\] ", out, re.M), out
