"""The ``{ex}`` role: an exercise's level and time as two badges, or a located warning."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_colors

from mlops_handbook.directives.exercise import parse_meta

from .conftest import page

MakeApp = Callable[..., SphinxTestApp]


@pytest.mark.parametrize(
    ("text", "meta"),
    [
        ("core 20 min", ("core", 20)),
        ("stretch 45 min", ("stretch", 45)),
        ("  core   5min ", ("core", 5)),
        ("core 999 min", ("core", 999)),
        ("core 1 min", ("core", 1)),
        ("core 0 min", None),  # no exercise takes no time
        ("core 1000 min", None),
        ("Core 20 min", None),
        ("optional 20 min", None),
        ("core 20", None),
        ("core 20 minutes", None),
        ("core twenty min", None),
        ("", None),
    ],
)
def test_level_and_minutes_are_read_or_refused(text: str, meta: tuple[str, int] | None):
    assert parse_meta(text) == meta


EXERCISES = """

1. {ex}`core 20 min` Saw the plank.
2. {ex}`stretch 45 min` Sand it.
3. {ex}`optional 5 min` Paint it.
"""


def test_exercises_show_a_level_and_a_time_and_a_typo_is_located(
    make_app: MakeApp, handbook_src: Path
):
    source = handbook_src / "sessions/s1_first/sawing.md"
    source.write_text(source.read_text(encoding="utf-8") + EXERCISES, encoding="utf-8")
    app = make_app("html", srcdir=handbook_src)
    app.build()
    html = page(app, "sessions/s1_first/sawing")
    core = (
        '<span class="handbook-exercise-meta handbook-exercise-core">'
        '<span class="sd-badge sd-bg-primary sd-bg-text-primary">Core</span> '
        '<span class="sd-badge sd-bg-info sd-bg-text-info">≈ 20 min</span></span>'
    )
    stretch = (
        '<span class="handbook-exercise-meta handbook-exercise-stretch">'
        '<span class="sd-badge sd-bg-secondary sd-bg-text-secondary">Stretch</span> '
        '<span class="sd-badge sd-bg-info sd-bg-text-info">≈ 45 min</span></span>'
    )
    assert core in html and stretch in html
    # Not understood: shown as typed, and the warning names the page, the line and the fix.
    typed = (
        '<span class="pre">optional</span> <span class="pre">5</span> <span class="pre">min</span>'
    )
    unread = "handbook-exercise-unread docutils literal notranslate"
    assert f'<code class="{unread}">{typed}</code> Paint it.' in html
    lines = source.read_text(encoding="utf-8").count("\n")
    assert (
        strip_colors(app.warning.getvalue())
        .strip()
        .endswith(
            f"sawing.md:{lines}: WARNING: exercise level and time 'optional 5 min' not understood: "
            "write {ex}`core 20 min` or {ex}`stretch 45 min` (minutes from 1 to 999) "
            "[handbook.exercise]"
        )
    )
