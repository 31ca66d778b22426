"""Run a maintainer's command in a fresh process and take its wall and CPU time.

CPU time (the command's and its workers') is kept beside wall time because this machine is
shared: when other work competes for the two cores, wall time grows and CPU time does not.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..build import Layout, sphinx_args


class CommandFailedError(RuntimeError):
    """A measured command failed; the bench stops rather than report a broken build's time."""


@dataclass(frozen=True)
class Run:
    """One timed run; ``load`` is the machine's 1-minute load average when it started."""

    wall: float
    cpu: float
    load: float
    output: str = field(default="", repr=False)


@dataclass
class Measurement:
    """The runs of one benchmark and what it is compared with."""

    name: str
    runs: list[Run] = field(default_factory=list)
    unit: str = ""
    per_unit: float | None = None
    goal: str = ""
    met: bool | None = None
    notes: list[str] = field(default_factory=list)
    skipped: str = ""

    @property
    def wall(self) -> float:
        return statistics.median(r.wall for r in self.runs)

    @property
    def cpu(self) -> float:
        return statistics.median(r.cpu for r in self.runs)


def python(*args: str) -> list[str]:
    return [sys.executable, *args]


def sphinx_html(root: Path, jobs: str) -> list[str]:
    """The book's strict sphinx-build command, writing to the staging folder."""
    return python("-m", "sphinx", *sphinx_args(Layout(root), "html", jobs=jobs))


def run(command: Sequence[str], cwd: Path) -> Run:
    """Run ``command`` once; raise if it fails, with its output."""
    load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        shown = " ".join(command)
        raise CommandFailedError(f"{shown} failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(wall, cpu, load, done.stdout)


def repeat(
    measurement: Measurement,
    command: Sequence[str],
    cwd: Path,
    runs: int,
    before_each: Callable[[int], None] = lambda _: None,
) -> Measurement:
    """Prepare with ``before_each(i)`` (not timed), then time ``command``; ``runs`` times."""
    for index in range(runs):
        before_each(index)
        measurement.runs.append(run(command, cwd))
    return measurement
