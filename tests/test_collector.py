"""The collector runs less often during a build, and as before once the build has finished."""

from __future__ import annotations

import gc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sphinx.testing.util import SphinxTestApp

from mlops_handbook.collector import YOUNGEST_THRESHOLD

MakeApp = Callable[..., SphinxTestApp]


def test_a_build_collects_less_often_and_restores_the_collector(
    make_app: MakeApp, handbook_src: Path
):
    before = gc.get_threshold()
    seen: dict[str, Any] = {}
    app = make_app("html", srcdir=handbook_src)

    def reading(*_args: Any) -> None:
        seen.setdefault("reading", gc.get_threshold())

    def writing(*_args: Any) -> None:
        seen.setdefault("frozen while writing", gc.get_freeze_count())

    app.connect("doctree-read", reading)
    app.connect("html-page-context", writing)
    app.build()
    assert seen["reading"] == (YOUNGEST_THRESHOLD, *before[1:])
    assert seen["frozen while writing"] > 0  # the environment read is out of the scans
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
