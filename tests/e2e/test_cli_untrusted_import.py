"""Hostile documents through the real ``workstation import`` command, in a process of its own
under the performance budget's limits (1 GB of address space, a timeout).

The cases, their builders and the judging are bench/hostile/importing.py's, shared with
``python -m bench.hostile_bench``: each imports a good article and one hostile input in a
single batch, and expects one line for the hostile input saying what it says there, the good
article imported, exit 1 when the input was refused (0 when handled), no traceback, and no
import journal left open.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bench.hostile.importing import CASES, Case, command, run_case
from tests.helpers.cli import run
from workstation.services import open_session
from workstation.services.importing import unfinished_imports

# docs/architecture.md: every hostile input refused or done in < 60 s
# (and < 1 GB: the child's limit).
BUDGET_SECONDS = 60


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """An empty workspace, copied for each case (cheaper than ``init`` per case)."""
    from workstation.cli import main

    path = tmp_path_factory.mktemp("template") / "w.sqlite"
    assert main(["--workspace", str(path), "init"]) == 0
    return path


@pytest.mark.parametrize("case", CASES, ids=[c.name.removeprefix("import: ") for c in CASES])
def test_a_hostile_input_is_one_line_and_the_rest_of_the_batch_is_imported(
    tmp_path, template, case: Case
):
    workspace = tmp_path / "w.sqlite"
    shutil.copyfile(template, workspace)
    ran, outcome = run_case(case, tmp_path, workspace)
    assert outcome.verdict == case.expect, (outcome.detail, ran.out, ran.err)
    assert ran.seconds < BUDGET_SECONDS
    with open_session(workspace, read_only=True) as session:
        assert unfinished_imports(session) == []


def test_the_journal_of_a_batch_with_a_bad_file_is_closed(capsys, tmp_path, template):
    """In-process, the same thing the cases check with ``import --resume``."""
    workspace = tmp_path / "w.sqlite"
    shutil.copyfile(template, workspace)
    fifo_case = next(c for c in CASES if c.name == "import: FIFO")
    inputs = tmp_path / "in"
    inputs.mkdir()
    fifo = fifo_case.make(inputs)
    good = inputs / "good.txt"
    good.write_text("Consulates closed\nBoth sides closed one.\n", encoding="utf-8")
    code, out, err = run(capsys, "--workspace", workspace, "import", fifo, good)
    assert code == 1
    assert err.splitlines() == [f"failed    {fifo}: not a regular file (FIFO)"]
    assert out.splitlines() == [f"imported  {good}: Consulates closed"]
    code, out, _ = run(capsys, "--workspace", workspace, "import", "--resume")
    assert (code, out) == (0, "nothing to resume: no import was cut short\n")


def test_a_fifo_alone_is_refused_at_once(tmp_path, template):
    """A FIFO is refused by stat() before anything opens it: opening one waits for a writer
    forever, with the workspace's writer lock held."""
    workspace = tmp_path / "w.sqlite"
    shutil.copyfile(template, workspace)
    fifo = next(c for c in CASES if c.name == "import: FIFO").make(tmp_path)
    ran = command(workspace, "import", fifo, timeout=20)
    assert ran.code == 1 and ran.err == [f"failed    {fifo}: not a regular file (FIFO)"]
    assert ran.seconds < 10
