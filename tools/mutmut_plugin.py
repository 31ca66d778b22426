"""A pytest plugin for ``nox -s mutants``: plain test ids, and each mutant's fastest tests only.

mutmut records which tests call each function and later hands their ids back to pytest on the
command line; pytest cannot find a test whose id holds an escaped character (a newline, an
``ø``), so every parametrized text becomes a plain ASCII id while mutmut runs.

mutmut stops at the first failing test (``-x``) but hands pytest the tests in no particular
order, so a mutant a 0.05 s unit test kills often waited for a 4 s build first. This plugin
measures the CPU time of every test in mutmut's recording run, fixtures included (mutmut's own
timings leave out the fixture that builds a test book, so a build looks free), in
``mutmut-test-cpu.json`` beside mutmut's files in mutants/, and runs each mutant's tests
fastest first.

Every Sphinx build of a test book loads and validates the data, so a surviving mutant of the
loader would otherwise run some 250 builds: each mutant gets the fastest of its tests that fit
in ``MUTANTS_TEST_BUDGET`` CPU seconds (always at least one). A survivor is then a bug that no
quick test notices: kill it with a focused test, not a longer run. A mutant that loops forever
is stopped after a few times its tests' CPU time and counts as caught (a timeout). The limit
is CPU time, not wall time, so a busy machine cannot turn a survivor into a timeout; mutmut's
own wall-clock limit is set far above it in pyproject.toml.

mutmut's clean run (the tests once, unmutated, after the recording run) runs only the tests
some mutant will run: the recording run has just run them all.

While mutmut records which tests call which function, a test that starts the handbook in a
child process (an earlier edition built from its tag) would hand the child mutmut's recording
mode through the environment, and the child, run from another folder, cannot find mutmut's
configuration. The recording mode is kept in this process only: the child runs the code as is.
"""

from __future__ import annotations

import json
import os
import re
import resource
from collections.abc import Generator
from pathlib import Path

import pytest

BUDGET = float(os.environ.get("MUTANTS_TEST_BUDGET", "3"))
CPU_FILE = Path("mutmut-test-cpu.json")  # in mutmut's working directory, mutants/
# A mutant may spend this many times its tests' CPU time, plus a margin, before it is stopped.
LIMIT_FACTOR, LIMIT_MARGIN = 4, 20

RECORDING = pytest.StashKey[bool]()
measured: dict[str, float] = {}


def cpu_time() -> float:
    """CPU seconds of this process and of the children it waited for (a test's subprocesses)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def pytest_configure(config: pytest.Config) -> None:
    config.stash[RECORDING] = os.environ.get("MUTANT_UNDER_TEST") == "stats"
    if config.stash[RECORDING]:
        # mutmut keeps its own copy of the mode; the trampolines read it when this one is gone.
        del os.environ["MUTANT_UNDER_TEST"]


def pytest_make_parametrize_id(config: pytest.Config, val: object, argname: str) -> str | None:
    if isinstance(val, str):
        return re.sub(r"[^A-Za-z0-9.:' -]+", "_", val)
    return None  # pytest's own id


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Generator[None, object, object]:
    if not item.config.stash[RECORDING]:
        return (yield)
    start = cpu_time()
    try:
        return (yield)
    finally:
        measured[item.nodeid] = cpu_time() - start


def pytest_sessionfinish(session: pytest.Session) -> None:
    if session.config.stash[RECORDING]:
        # mutmut records again only the tests that are new since its last run: keep the others.
        CPU_FILE.write_text(json.dumps({**_read(CPU_FILE), **measured}, indent=0), encoding="utf-8")


def _read(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def within_budget(durations: list[float], budget: float) -> int:
    """How many of the tests (fastest first) fit in the budget; at least one."""
    spent = 0.0
    for count, duration in enumerate(durations):
        spent += duration
        if spent > budget:
            return max(count, 1)
    return len(durations)


def budgeted(tests: list[str], cpu: dict[str, float], budget: float) -> list[str]:
    """The tests a mutant runs: the fastest of ``tests`` that fit in the budget."""
    tests = sorted(tests, key=lambda test: cpu.get(test, 0.0))
    return tests[: within_budget([cpu.get(test, 0.0) for test in tests], budget)]


def limit_cpu(seconds: float) -> None:
    """Stop this process (SIGXCPU, a timeout to mutmut) after ``seconds`` more CPU seconds."""
    soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    own = os.times()  # the limit counts this process's CPU time only
    limit = int(own.user + own.system + seconds) + 1
    if soft == resource.RLIM_INFINITY or limit < soft:
        hard = limit + 1 if hard == resource.RLIM_INFINITY else min(hard, limit + 1)
        resource.setrlimit(resource.RLIMIT_CPU, (limit, hard))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.stash[RECORDING]:
        return
    cpu = _read(CPU_FILE)
    items.sort(key=lambda item: cpu.get(item.nodeid, 0.0))
    mode = os.environ.get("MUTANT_UNDER_TEST", "")
    if "__mutmut_" in mode:
        keep = set(budgeted([item.nodeid for item in items], cpu, BUDGET))
        limit_cpu(LIMIT_FACTOR * sum(cpu.get(test, 0.0) for test in keep) + LIMIT_MARGIN)
    elif mode == "" and cpu:
        # The clean run, after the recording run passed: check the tests the mutants will run.
        stats = _read(Path("mutmut-stats.json")).get("tests_by_mangled_function_name", {})
        keep = {test for tests in stats.values() for test in budgeted(tests, cpu, BUDGET)}
    else:
        return  # mutmut's check that a failing mutant fails a test: every test, fastest first
    deselected = [item for item in items if item.nodeid not in keep]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if item.nodeid in keep]
