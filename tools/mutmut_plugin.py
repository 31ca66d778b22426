"""A pytest plugin for ``nox -s mutants``: plain test ids, and each mutant's tests fastest first.

mutmut records which tests call each function and later hands their ids back to pytest on the
command line; pytest cannot find a test whose id holds an escaped character (a newline, an
``ø``), so every parametrized text becomes a plain ASCII id while mutmut runs.

mutmut stops at the first failing test (``-x``) but hands pytest the tests in no particular
order, so a mutant a 0.05 s unit test kills often waited for a 4 s build first. The durations
come from mutmut's recording run (``mutmut-stats.json`` in its working directory, mutants/).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest


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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    durations = _durations()
    items.sort(key=lambda item: durations.get(item.nodeid, 0.0))
