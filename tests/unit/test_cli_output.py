"""workstation.cli.output: every printed line escaped, JSON that reads back the same text
and cannot drive a terminal, and a terminal that cannot show a name is no internal error."""

from __future__ import annotations

import io
import json
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workstation.cli.output import EscapingArgumentParser, json_text, say, say_json, warn

# Any code point, with the ones that act on a terminal drawn often. Hypothesis never draws
# lone surrogates by itself; a file name that is not UTF-8 holds low ones (\udc80-\udcff,
# Python's surrogateescape), never a high one that JSON would pair with them.
TRICKY = "\x1b\x07\x9b\x7f\n\u2028\u2029\u202e\u200d\ufeff\U000e0041\udc80\udcff"
ANY_TEXT = st.text(st.one_of(st.characters(), st.sampled_from(TRICKY)))


def printable_lines(text: str) -> bool:
    return all(char == "\n" or char.isprintable() for char in text)


@given(ANY_TEXT)
def test_json_text_reads_back_the_same_text_and_holds_nothing_unprintable(text):
    shown = json_text({"title": text, "list": [text]})
    assert json.loads(shown) == {"title": text, "list": [text]}
    assert printable_lines(shown)


def test_json_text_keeps_letters_and_escapes_what_acts_on_a_terminal():
    assert json_text("Захарова") == '"Захарова"'
    assert (
        json_text("\x1b\x9b\x7f\u2028\u202e\ud800")
        == '"\\u001b\\u009b\\u007f\\u2028\\u202e\\ud800"'
    )
    assert (
        json_text("tag\U000e0041") == '"tag\\udb40\\udc41"'
    )  # a surrogate pair, as JSON spells it


def test_each_argument_is_one_escaped_line(capsys):
    say("one\nfake line\x1b[2J", "two\u202e")
    warn("failed\r\x07")
    out, err = capsys.readouterr()
    assert out == "one\\nfake line\\x1b[2J\ntwo⟨RLO⟩\n"
    assert err == "failed\\r\\x07\n"


def test_a_terminal_that_cannot_show_the_text_gets_it_escaped(monkeypatch):
    stream = io.TextIOWrapper(io.BytesIO(), encoding="ascii", newline="\n")
    monkeypatch.setattr(sys, "stdout", stream)
    say("Захарова\udcff")
    say_json({"name": "Захарова"})
    stream.seek(0)
    out = stream.read()
    assert out.startswith("\\u0417\\u0430\\u0445\\u0430\\u0440\\u043e\\u0432\\u0430\\udcff\n")
    assert json.loads(out.split("\n", 1)[1]) == {"name": "Захарова"}


def test_argparse_errors_name_the_argument_escaped(capsys):
    parser = EscapingArgumentParser(prog="workstation")
    parser.add_argument("query")
    with pytest.raises(SystemExit) as exit_:
        parser.parse_args(["q", "extra\x1b]0;owned\x07\nforged"])
    assert exit_.value.code == 2
    _, err = capsys.readouterr()
    assert printable_lines(err)
    assert err.splitlines()[-1] == (
        "workstation: error: unrecognized arguments: extra\\x1b]0;owned\\x07\\nforged"
    )
