"""``workstation import-annotations`` on hostile files, through the real command.

The cases, their builders and the judging are bench/hostile/interchange.py's, shared with
``python -m bench.hostile_bench``: each makes a sample workspace, builds its file at run time,
runs the command under a 1 GB address-space limit and expects its line on the right stream,
the right exit status, the good lines imported and every other table as it was. The FIFO
and /dev/zero cases are spelled out here as well, with their time and memory bounds.
"""

from __future__ import annotations

import os
import subprocess

import pytest

from bench.hostile.annotation_inputs import Sample, w3c, write_lines
from bench.hostile.interchange import ATTACKS, PREFIX, command, table_hashes
from tests.helpers.cli import run


@pytest.mark.parametrize("attack", ATTACKS, ids=[a.name.removeprefix(PREFIX) for a in ATTACKS])
def test_a_hostile_annotation_file_meets_its_contract(attack, tmp_path):
    outcome = attack.run(tmp_path)
    assert outcome.verdict in ("refused", "handled"), outcome.detail


@pytest.fixture
def sample_workspace(sample_path):
    return sample_path, Sample.read(sample_path)


def test_a_fifo_is_refused_within_2_s_and_leaves_no_lock(sample_workspace, tmp_path):
    workspace, sample = sample_workspace
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    before = table_hashes(workspace)
    # Killed after 2 s if it blocks (command() reports None then).
    status, out, err, _ = command(workspace, "import-annotations", fifo, timeout=2)
    assert status == 1, "still running after 2 s" if status is None else status
    assert err == [f"workstation import-annotations: {fifo}: not a regular file (FIFO)"]
    assert out == [] and table_hashes(workspace) == before
    # No lock left: the next command writes at once.
    article = sample.articles[1]
    good = write_lines(tmp_path / "good.jsonl", [w3c(article, article.sentences()[0])])
    status, out, err, _ = command(workspace, "import-annotations", good, timeout=10)
    assert status == 0 and "1 passage imported" in out[0], err


def test_a_link_to_dev_zero_is_refused_at_once_in_bounded_memory(sample_workspace, tmp_path):
    workspace, _sample = sample_workspace
    zero = tmp_path / "zero.jsonl"
    zero.symlink_to("/dev/zero")
    before = table_hashes(workspace)
    try:  # command() runs it under RLIMIT_AS = 1 GB (preexec_fn) with a timeout
        status, out, err, seconds = command(workspace, "import-annotations", zero, timeout=10)
    except subprocess.TimeoutExpired:  # pragma: no cover - command() reports None instead
        pytest.fail("reading /dev/zero did not stop")
    assert status == 1 and out == [], (status, err)
    assert err == [f"workstation import-annotations: {zero}: not a regular file (character device)"]
    assert seconds < 10 and table_hashes(workspace) == before


def test_refused_and_held_lines_name_their_line_and_set_the_status(capsys, sample_path, tmp_path):
    sample = Sample.read(sample_path)
    article = sample.articles[1]
    good, other = article.sentences()[:2]
    biden = sample.entities["Joe Biden"]
    annotations = write_lines(tmp_path / "a.jsonl", [
        w3c(article, good, creator="head-of-desk", created="2099-01-01T00:00:00Z"),
        w3c(article, other, id=f"urn:uuid:{sample.passage['id']}"),
        w3c(article, other, id="../../etc/passwd"),
    ])  # fmt: skip
    code, out, err = run(capsys, "--workspace", sample_path, "import-annotations", annotations)
    assert code == 1
    assert err.splitlines() == [
        f"{annotations}: line 2: id {sample.passage['id']} already names a passage of another "
        f"document («{sample.articles[0].title}»); not imported"
    ]
    assert out.splitlines()[1:] == [
        f"{annotations}: 1 id was not a UUID (“../../etc/passwd”): given a new UUID, the "
        "original kept beside its record as a claim",
        f"{annotations}: line 1: claims created 2099-01-01T00:00:00Z, in the future: kept as a "
        "claim, ordered by the import time",
    ]
    people = write_lines(tmp_path / "p.ftm.jsonl", [
        {"id": biden, "schema": "Person", "properties": {"name": ["Vladimir Putin"]}},
    ])  # fmt: skip
    code, out, err = run(capsys, "--workspace", sample_path, "import-annotations", people)
    assert code == 0 and err == ""
    assert out.splitlines()[1].startswith(
        f"{people}: line 1: would add “Vladimir Putin” as a name of Joe Biden [id {biden}]: "
        "not applied (it is a name of Vladimir Putin"
    )
