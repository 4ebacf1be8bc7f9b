"""Write roff man pages of the CLI from its argparse parser: workstation(1), one
workstation-COMMAND(1) per subcommand, and workstation-app(1). Generated, so they never
disagree with --help. Usage: python packaging/manpages.py OUTDIR"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from workstation.cli import build_parser

# Defaults shown in the help (the workspace path) must not carry the build machine's home.
HOMES = [h for h in {os.path.expanduser("~"), os.environ.get("HOME", "")} if len(h) > 1]

VERSION = "0.1.0"


def roff(text: str) -> str:
    """Escape text for roff: backslashes, and leading dots/quotes that would be requests."""
    for home in HOMES:
        text = text.replace(home, "~")
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return "\n".join("\\&" + line if line[:1] in ".'" else line for line in text.splitlines())


def page(name: str, summary: str, parser: argparse.ArgumentParser, extra: str = "") -> str:
    parser.prog = name
    usage = parser.format_usage().removeprefix("usage: ").strip()
    out = [
        f'.TH {name.upper()} 1 "" "workstation {VERSION}" "User Commands"',
        ".SH NAME",
        f"{name} \\- {roff(summary)}",
        ".SH SYNOPSIS",
        ".nf",
        roff(usage),
        ".fi",
    ]
    if parser.description:
        out += [".SH DESCRIPTION", roff(parser.description)]
    options = [a for a in parser._actions if not isinstance(a, argparse._SubParsersAction)]
    if options:
        out.append(".SH OPTIONS")
        for action in options:
            flags = ", ".join(action.option_strings) or action.metavar or action.dest
            if action.option_strings and action.nargs != 0:
                flags += " " + (action.metavar or action.dest.upper())
            out += [".TP", f"\\fB{roff(flags)}\\fR", roff(action.help or "")]
    out += [extra, ".SH SEE ALSO", "workstation(1), workstation\\-app(1)"]
    return "\n".join(line for line in out if line) + "\n"


class _Caught(Exception):
    pass


def app_parser() -> argparse.ArgumentParser:
    """The GUI's parser: app.py builds it inside parse_args, so catch it as it parses."""
    from workstation.ui.shell import app

    def catch(self: argparse.ArgumentParser, *args: object, **kwargs: object) -> None:
        raise _Caught(self)

    original = argparse.ArgumentParser.parse_args
    argparse.ArgumentParser.parse_args = catch  # type: ignore[assignment]
    try:
        app.parse_args([])
    except _Caught as caught:
        return caught.args[0]
    finally:
        argparse.ArgumentParser.parse_args = original  # type: ignore[method-assign]
    raise RuntimeError("workstation.ui.shell.app.parse_args built no parser")


def main(outdir: str) -> int:
    target = Path(outdir)
    target.mkdir(parents=True, exist_ok=True)
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    helps = {choice.dest: choice.help for choice in sub._choices_actions}
    commands = "\n".join(
        f".TP\n\\fB{roff(n)}\\fR\n{roff(helps.get(n) or '')}\nSee workstation\\-{roff(n)}(1)."
        for n in sub.choices
    )
    (target / "workstation.1").write_text(
        page(
            "workstation",
            parser.description or "the workstation's CLI",
            parser,
            ".SH COMMANDS\n" + commands,
        ),
        encoding="utf-8",
    )
    for name, child in sub.choices.items():
        (target / f"workstation-{name}.1").write_text(
            page(f"workstation-{name}", helps.get(name) or name, child), encoding="utf-8"
        )
    (target / "workstation-app.1").write_text(
        page("workstation-app", "the workstation's window", app_parser()), encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "build/man"))
