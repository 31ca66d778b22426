"""A pytest plugin for ``nox -s mutants``: plain test ids, and each mutant's tests fastest first.

mutmut records which tests call each function and later hands their ids back to pytest on the
command line; pytest cannot find a test whose id holds an escaped character (a newline, an
``ø``), so every parametrized text becomes a plain ASCII id while mutmut runs.

mutmut stops at the first failing test (``-x``) but hands pytest the tests in no particular
order, so a mutant a 0.05 s unit test kills often waited for a 4 s build first. The durations
come from mutmut's recording run (``mutmut-stats.json`` in its working directory, mutants/).

Every Sphinx build of a test book loads and validates the data, so a surviving mutant of the
loader would otherwise run some 250 builds: each mutant gets the fastest of its tests that fit
in ``MUTANTS_TEST_BUDGET`` seconds of the recording run (always at least one). A survivor is
then a bug that no quick test notices: kill it with a focused test, not a longer run.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

BUDGET = float(os.environ.get("MUTANTS_TEST_BUDGET", "10"))


def pytest_make_parametrize_id(config: pytest.Config, val: object, argname: str) -> str | None:
    if isinstance(val, str):
        return re.sub(r"[^A-Za-z0-9.:' -]+", "_", val)
    return None  # pytest's own id


def _durations() -> dict[str, float]:
    """Read afresh in each run: a worker is forked from the process that made the file."""
    try:
        stats = json.loads(Path("mutmut-stats.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # the recording run itself: no order to keep
    return stats.get("duration_by_test", {})


def within_budget(durations: list[float], budget: float) -> int:
    """How many of the tests (fastest first) fit in the budget; at least one."""
    spent = 0.0
    for count, duration in enumerate(durations):
        spent += duration
        if spent > budget:
            return max(count, 1)
    return len(durations)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    durations = _durations()
    items.sort(key=lambda item: durations.get(item.nodeid, 0.0))
    if "__mutmut_" not in os.environ.get("MUTANT_UNDER_TEST", ""):
        return  # recording or clean run: every test
    keep = within_budget([durations.get(item.nodeid, 0.0) for item in items], BUDGET)
    if keep < len(items):
        config.hook.pytest_deselected(items=items[keep:])
        del items[keep:]
