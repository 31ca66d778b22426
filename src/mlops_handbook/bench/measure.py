"""Run a maintainer's command in a fresh process and take its wall and CPU time.

CPU time (the command's and its workers') is kept beside wall time because this machine is
shared: when other work competes for the two cores, wall time grows and CPU time does not.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..build import Layout, sphinx_args


class CommandFailedError(RuntimeError):
    """A measured command failed; the bench stops rather than report a broken build's time."""


@dataclass(frozen=True)
class Run:
    """One timed run; ``load`` is the machine's 1-minute load average when it started.

    ``peak_mib`` is the largest resident memory of the command or of any process it waited
    for (Sphinx's workers, Pagefind), in MiB.
    """

    wall: float
    cpu: float
    load: float
    output: str = field(default="", repr=False)
    peak_mib: float = 0.0


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
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=err, text=True)
        # wait4, not wait: it returns this command's own resource use, peak memory included.
        _pid, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if process.returncode:
        shown = " ".join(command)
        raise CommandFailedError(f"{shown} failed:\n{stdout[-3000:]}{stderr[-3000:]}")
    cpu = usage.ru_utime + usage.ru_stime
    return Run(wall, cpu, load, stdout, peak_mib=usage.ru_maxrss / 1024)


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
