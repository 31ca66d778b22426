"""The phase table of ``python -m mlops_handbook.bench.phases``: its rows, not its seconds."""

from __future__ import annotations

import shutil
from pathlib import Path

from sphinx.events import EventManager

from mlops_handbook.bench.course import copy_book
from mlops_handbook.bench.phases import FINISHED, Spent, report, timed_build

from .conftest import ROOTS


def test_the_table_names_each_step_run_when_the_build_has_finished(tmp_path: Path):
    repo = tmp_path / "repo"
    shutil.copytree(ROOTS / "test-handbook", repo / "docs")
    (repo / "docs" / "conf.py").rename(repo / "conf.py")
    connect = EventManager.connect
    phases, whole = timed_build(copy_book(repo, tmp_path / "book"), clean=True)
    assert EventManager.connect is connect  # the timers are gone once the build is over

    lines = report(phases, whole, Spent(), top=3).splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith(FINISHED))
    below = []
    for line in lines[at + 1 :]:
        if not line.startswith("    "):
            break
        below.append(line.split())
    steps = {row[0]: int(row[1]) for row in below}
    assert steps["mlops_handbook.lean.finish_site"] == 1
    assert steps["mlops_handbook.prune.Pruner.prune"] == 1
    assert lines[at].split()[-3] == "1"  # one build-finished, not one per other event
