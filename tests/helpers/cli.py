"""Run the ``workstation`` command in-process and capture what it printed."""

from __future__ import annotations

from workstation.cli import main


def run(capsys, *args):
    """``(exit code, stdout, stderr)``; a traceback on stderr fails the test."""
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err
