"""The time plan's weeks run Monday to Friday, whatever weekday the course starts on."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from mlops_handbook.directives.timeplan import count, sentence, week_of

MakeApp = Callable[..., SphinxTestApp]
WEDNESDAY = dt.date(2030, 1, 9)


@pytest.mark.parametrize(
    ("day", "week"),
    [
        (dt.date(2030, 1, 9), 1),
        (dt.date(2030, 1, 11), 1),  # the Friday of the first week
        (dt.date(2030, 1, 14), 2),  # the next Monday, five days after the start
        (dt.date(2030, 1, 18), 2),
        (dt.date(2030, 1, 21), 3),
    ],
)
def test_a_week_starts_on_a_monday(day: dt.date, week: int):
    assert week_of(WEDNESDAY, day) == week


def test_a_course_starting_midweek_shows_its_days_by_calendar_week(
    make_app: MakeApp, handbook_src: Path, edit: Callable[[Path, str, str], None]
):
    edit(handbook_src / "_data/timeplan.yaml", "date: 2030-01-07", "date: 2030-01-09")
    edit(handbook_src / "_data/timeplan.yaml", "date: 2030-01-08", "date: 2030-01-11")
    edit(handbook_src / "_data/course.yaml", "start: 2030-01-07", "start: 2030-01-09")
    app = make_app("html", srcdir=handbook_src)
    app.build()
    assert app.warning.getvalue() == ""
    html = (Path(app.outdir) / "timeplan.html").read_text(encoding="utf-8")
    weeks = re.split(r'<p class="rubric">', html)[1:]
    assert [re.findall(r"(?:Mon|Tue|Wed|Thu|Fri) \d\d Jan", week) for week in weeks] == [
        ["Wed 09 Jan", "Fri 11 Jan"],
        ["Mon 14 Jan", "Fri 18 Jan"],
    ]
    assert [week.split("<", 1)[0] for week in weeks] == ["Week 1", "Week 2"]


def test_counts_and_sentences_read_as_english():
    assert count(1, "course day") == "1 course day"
    assert count(0, "project day") == "0 project days"
    assert count(2, "exercise day") == "2 exercise days"
    assert sentence("Form groups") == "Form groups."
    assert [sentence(s) for s in ("Done.", "Why?", "Go!")] == ["Done.", "Why?", "Go!"]


def test_weeks_count_from_the_week_of_the_first_day(
    make_app: MakeApp, handbook_src: Path, edit: Callable[[Path, str, str], None]
):
    edit(handbook_src / "_data/timeplan.yaml", "date: 2030-01-14", "date: 2030-01-15")
    edit(handbook_src / "_data/timeplan.yaml", "date: 2030-01-08", "date: 2030-01-14")
    edit(handbook_src / "_data/timeplan.yaml", "date: 2030-01-07", "date: 2030-01-11")
    edit(handbook_src / "_data/course.yaml", "start: 2030-01-07", "start: 2030-01-11")
    app = make_app("html", srcdir=handbook_src)
    app.build()
    assert app.warning.getvalue() == ""
    html = (Path(app.outdir) / "timeplan.html").read_text(encoding="utf-8")
    weeks = re.split(r'<p class="rubric">', html)[1:]
    assert [week.split("<", 1)[0] for week in weeks] == ["Week 1", "Week 2"]
    assert [re.findall(r"(?:Mon|Tue|Fri) \d\d Jan", week) for week in weeks] == [
        ["Fri 11 Jan"],
        ["Mon 14 Jan", "Tue 15 Jan", "Fri 18 Jan"],
    ]
    for week in weeks:
        headers = re.findall(r"<th[^>]*><p>(.*?)</p></th>", week)
        assert headers == ["Date", "Kind of day", "What happens"]
