"""Every exercise has a level and a time; each session page shows its core total."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_colors

from mlops_handbook.exercises import hours_and_minutes

from .conftest import page

MakeApp = Callable[..., SphinxTestApp]
Edit = Callable[[Path, str, str], None]

HAMMERING = Path("sessions") / "s1_first" / "hammering.md"


def core_exercises(html: str) -> str:
    """The value of the session facts' "Core exercises" row."""
    row = html.split("Core exercises", 1)[1]
    return row.split("<p>", 1)[1].split("</p>", 1)[0]


def test_a_session_counts_core_exercises_of_core_modules_only(built: SphinxTestApp):
    """S1: M1 (core) has 20 min core and 30 min stretch; M2 is optional (15 min core)."""
    assert core_exercises(page(built, "sessions/s1_first/index")) == "about 20 min"


def test_a_session_without_core_exercises_says_none(built: SphinxTestApp):
    assert core_exercises(page(built, "sessions/s2_second/index")) == "none"


def test_each_exercise_shows_its_level_and_time(built: SphinxTestApp):
    html = page(built, "sessions/s1_first/hammering")
    assert '<span class="sd-badge sd-bg-primary sd-bg-text-primary">Core</span>' in html
    assert ">≈ 20 min</span>" in html
    assert ">Stretch</span>" in html
    assert ">≈ 30 min</span>" in html


def test_an_exercise_without_level_and_time_warns_at_its_line(
    make_app: MakeApp, handbook_src: Path, edit: Edit
):
    edit(handbook_src / HAMMERING, "2. {ex}`stretch 30 min` Hit", "2. Hit")
    app = make_app("html", srcdir=handbook_src)
    app.build()
    warnings = strip_colors(app.warning.getvalue()).splitlines()
    assert warnings == [
        f"{handbook_src / HAMMERING}:11: WARNING: this exercise has no level and time: start it "
        "with {ex}`core 20 min` or {ex}`stretch 45 min` (what every student does, or extra "
        "depth; the minutes a student needs the first time) [handbook.exercise]"
    ]


def test_a_list_elsewhere_on_the_page_is_not_an_exercise(make_app: MakeApp, handbook_src: Path):
    page_path = handbook_src / HAMMERING
    text = page_path.read_text(encoding="utf-8")
    page_path.write_text(text.replace("## Exercises", "## Steps\n\n1. Plain step.\n\n## Exercises"))
    app = make_app("html", srcdir=handbook_src)
    app.build()
    assert app.warning.getvalue() == ""


@pytest.mark.parametrize("text", ["core 20", "core twenty min", "easy 20 min", "core 0 min", ""])
def test_a_level_and_time_that_cannot_be_read_warns(
    make_app: MakeApp, handbook_src: Path, edit: Edit, text: str
):
    edit(handbook_src / HAMMERING, "{ex}`core 20 min`", f"{{ex}}`{text}`" if text else "{ex}` `")
    app = make_app("html", srcdir=handbook_src)
    app.build()
    warnings = strip_colors(app.warning.getvalue())
    assert f"{handbook_src / HAMMERING}:10: WARNING: exercise level and time" in warnings
    assert "[handbook.exercise]" in warnings


def test_a_session_whose_core_work_overfills_its_day_warns_at_the_session(
    make_app: MakeApp, handbook_src: Path, edit: Edit
):
    edit(handbook_src / "_data" / "course.yaml", 'day_ends: "17:00"', 'day_ends: "09:15"')
    app = make_app("html", srcdir=handbook_src)
    app.build()
    sessions = handbook_src / "_data" / "sessions.yaml"
    line = next(
        n for n, text in enumerate(sessions.read_text("utf-8").splitlines(), 1) if "S1" in text
    )
    [warning] = strip_colors(app.warning.getvalue()).splitlines()
    assert warning.endswith(
        f"_data/sessions.yaml:{line}: WARNING: S1's core exercises take 20 min, more than its "
        "exercise day (09:00–09:15 in course.yaml): make some of them stretch or shorten them "
        "on the module pages [handbook.exercise]"
    )


def test_a_day_that_holds_the_core_work_exactly_does_not_warn(
    make_app: MakeApp, handbook_src: Path, edit: Edit
):
    edit(handbook_src / "_data" / "course.yaml", 'day_ends: "17:00"', 'day_ends: "09:20"')
    app = make_app("html", srcdir=handbook_src)
    app.build()
    assert app.warning.getvalue() == ""


@pytest.mark.parametrize(
    ("minutes", "text"), [(5, "5 min"), (60, "1 h"), (65, "1 h 05 min"), (390, "6 h 30 min")]
)
def test_hours_and_minutes(minutes: int, text: str):
    assert hours_and_minutes(minutes) == text
