"""timeplan.ics: one event per course day of the data plus the hand-in, the same on every build."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable
from pathlib import Path

import icalendar
import pytest
from sphinx.testing.util import SphinxTestApp

from mlops_handbook.data import load_course_data
from mlops_handbook.errors import CourseDataError
from mlops_handbook.planner.calendar import build_calendar

MakeApp = Callable[..., SphinxTestApp]
REPO = Path(__file__).resolve().parent.parent
COPENHAGEN = zoneinfo.ZoneInfo("Europe/Copenhagen")
BASE = "https://example.org/handbook/"


def build(make_app: MakeApp, srcdir: Path, **conf: str) -> Path:
    app = make_app("html", srcdir=srcdir, confoverrides=conf)
    app.build()
    app.cleanup()  # lets the next app of this test register its nodes afresh
    assert app.warning.getvalue() == ""
    return Path(app.outdir)


def events(ics: bytes) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(ics)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_every_course_day_is_an_event_with_the_datas_times(make_app: MakeApp, handbook_src: Path):
    out = build(make_app, handbook_src, html_baseurl=BASE)
    data = load_course_data(handbook_src, "_data", "sessions")
    calendar = icalendar.Calendar.from_ical((out / "timeplan.ics").read_bytes())
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Copenhagen"]
    found = events((out / "timeplan.ics").read_bytes())
    assert len(found) == len(data.days) + 1
    for day in data.days:
        event = found[f"{data.course.code}-{day.date:%Y-%m}-{day.date:%Y%m%d}@mlops-handbook"]
        assert event.decoded("DTSTART") == dt.datetime.combine(day.date, dt.time(9), COPENHAGEN)
        assert event.decoded("DTEND") == dt.datetime.combine(day.date, dt.time(17), COPENHAGEN)
        description = str(event["DESCRIPTION"])
        if day.session:
            session = data.session(day.session)
            assert str(event["SUMMARY"]) == session.label
            assert str(event["URL"]) == f"{BASE}{data.session_docname(session)}.html"
            assert all(m.label in description for m in data.modules_of(session.id))
        else:
            assert str(event["SUMMARY"]) == "Project day"
            assert "URL" not in event
        if day.note:
            assert day.note in description
    deadline = found[f"{data.course.code}-2030-01-deadline@mlops-handbook"]
    assert str(deadline["SUMMARY"]) == "Project hand-in closes"
    assert deadline.decoded("DTSTART") == dt.datetime(2030, 1, 18, 23, 59, tzinfo=COPENHAGEN)


def test_two_clean_builds_write_the_same_calendar(make_app: MakeApp, handbook_src: Path, tmp_path):
    first = (build(make_app, handbook_src) / "timeplan.ics").read_bytes()
    second_src = tmp_path / "again"
    second_src.mkdir()
    for path in handbook_src.rglob("*"):
        if path.is_file() and "_build" not in path.parts:
            target = second_src / path.relative_to(handbook_src)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    second = (build(make_app, second_src) / "timeplan.ics").read_bytes()
    assert sorted(events(first)) == sorted(events(second))
    assert first == second


def test_without_a_base_url_events_have_no_url(make_app: MakeApp, handbook_src: Path):
    found = events((build(make_app, handbook_src) / "timeplan.ics").read_bytes())
    assert all("URL" not in event for event in found.values())


def test_a_moved_day_keeps_no_stale_event(make_app: MakeApp, handbook_src: Path, edit):
    """An incremental build writes the calendar of the current data, not the previous one."""
    build(make_app, handbook_src)
    edit(handbook_src / "_data" / "timeplan.yaml", "2030-01-14", "2030-01-15")
    out = build(make_app, handbook_src)
    found = events((out / "timeplan.ics").read_bytes()).values()
    dates = sorted(e.decoded("DTSTART").date() for e in found)
    assert dt.date(2030, 1, 15) in dates
    assert dt.date(2030, 1, 14) not in dates


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            'day_starts: "09:00"',
            'day_starts: "9am"',
            "calendar day_starts '9am' must be a time written HH:MM",
        ),
        (
            'day_ends: "17:00"',
            'day_ends: "08:00"',
            "calendar day_ends must be later than day_starts",
        ),
        (
            "timezone: Europe/Copenhagen",
            "timezone: Europe/Kobenhavn",
            "calendar timezone 'Europe/Kobenhavn' is not an IANA time zone",
        ),
        *(
            ("timezone: Europe/Copenhagen", f"timezone: {zone}", f"timezone {zone!r} is not an")
            # The builder's own zone, a placeholder, a zone with leap seconds, a file of rules
            for zone in ("localtime", "Factory", "right/Europe/Copenhagen", "posixrules")
        ),
    ],
)
def test_calendar_mistakes_are_named_with_file_and_line(
    handbook_src: Path, edit, old: str, new: str, expected: str
):
    edit(handbook_src / "_data" / "course.yaml", old, new)
    with pytest.raises(CourseDataError) as caught:
        load_course_data(handbook_src, "_data", "sessions")
    [problem] = caught.value.problems
    line = next(
        number
        for number, text in enumerate((handbook_src / "_data" / "course.yaml").open(), start=1)
        if new in text
    )
    assert str(problem.where) == f"src/_data/course.yaml:{line}"
    assert expected in problem.message


@pytest.mark.book
def test_the_real_books_calendar_has_every_day_and_the_deadline(real_book: Path):
    data = load_course_data(REPO / "docs", "_data", "sessions")
    found = events((real_book / "timeplan.ics").read_bytes())
    deadline = found.pop("02476-2026-01-deadline@mlops-handbook")
    assert deadline.decoded("DTSTART") == dt.datetime(2026, 1, 23, 23, 59, tzinfo=COPENHAGEN)
    by_date = {e.decoded("DTSTART").date(): str(e["SUMMARY"]) for e in found.values()}
    assert sorted(by_date) == [d.date for d in data.days]
    assert by_date[dt.date(2026, 1, 12)] == "S5 · Continuous Integration"
    assert by_date[dt.date(2026, 1, 15)] == "Project day"
    assert 'href="timeplan.ics"' in (real_book / "timeplan.html").read_text(encoding="utf-8")
    assert 'href="timeplan.ics"' in (real_book / "index.html").read_text(encoding="utf-8")


def test_text_from_the_data_stays_on_one_line_of_its_event(handbook_src: Path, edit):
    """Line breaks are white space in plain text; ICS's own characters are escaped."""
    edit(handbook_src / "_data" / "sessions.yaml", "title: First things",
         'title: "First\\r\\nthings; a, b \\\\ c ' + "x" * 150 + '"')  # fmt: skip
    edit(handbook_src / "_data" / "timeplan.yaml", "note: The first day.",
         'note: "The first\\nday: DTSTART;VALUE=DATE:19700101"')  # fmt: skip
    ics = build_calendar(load_course_data(handbook_src, "_data", "sessions"), lambda _: None)
    event = events(ics)["99999-2030-01-20300107@mlops-handbook"]
    assert str(event["SUMMARY"]) == "S1 · First things; a, b \\ c " + "x" * 150
    assert str(event["DESCRIPTION"]).endswith("\nThe first day: DTSTART;VALUE=DATE:19700101")
    assert event.decoded("DTSTART") == dt.datetime(2030, 1, 7, 9, tzinfo=COPENHAGEN)
    assert all(len(line) <= 75 for line in ics.split(b"\r\n"))  # folded, as the standard says
