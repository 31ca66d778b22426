"""The course calendar, ``timeplan.ics``: one event per course day and one for the hand-in.

Every value is derived from the data, so two builds of the same data write the same bytes:
UIDs come from the edition and the date (a calendar app updates a re-imported day instead of
adding it twice), and DTSTAMP, which the standard requires, is fixed to the edition's start.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable

from ..model import CourseData, Day

FILENAME = "timeplan.ics"
PRODID = "-//DTU MLOps handbook//timeplan//EN"


def edition_key(data: CourseData) -> str:
    """Names the edition in UIDs and in the browser's storage, e.g. ``02476-2026-01``."""
    return f"{data.course.code}-{data.course.edition.start:%Y-%m}"


def day_uid(data: CourseData, date: dt.date) -> str:
    return f"{edition_key(data)}-{date:%Y%m%d}@mlops-handbook"


def one_line(text: str) -> str:
    """A value from the data on one line, as pages show it.

    Line breaks in plain text are white space, but a calendar app shows one in a title as a
    new line, and one in a list item of the description starts a new item.
    """
    return " ".join(text.split())


def day_title(data: CourseData, day: Day) -> str:
    """The event's title: the session's label on an exercise day, "Project day" otherwise."""
    return one_line(data.session(day.session).label) if day.session else "Project day"


def day_description(data: CourseData, day: Day) -> str:
    session = data.session(day.session) if day.session else None
    lecture = session.lecture if session else day.lecture
    lines = [f"Lecture: {one_line(lecture)}"] if lecture else []
    if session:
        lines.append("Modules:")
        lines += [f"- {one_line(m.label)} ({m.kind})" for m in data.modules_of(session.id)]
    if day.note:
        lines.append(one_line(day.note))
    return "\n".join(lines)


def _at(date: dt.date, clock: str, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    hours, minutes = (int(part) for part in clock.split(":"))
    return dt.datetime.combine(date, dt.time(hours, minutes), tzinfo=zone)


def build_calendar(data: CourseData, url_of: Callable[[str], str | None]) -> bytes:
    """The calendar as bytes; ``url_of(docname)`` gives a page's absolute URL, or None.

    icalendar is imported here, when an HTML build has finished, not with the extension: a
    build that finds nothing changed (:mod:`mlops_handbook.unchanged`) never needs it.
    """
    import icalendar  # noqa: PLC0415

    course = data.course
    times = course.calendar
    zone = zoneinfo.ZoneInfo(times.timezone)
    stamp = dt.datetime.combine(course.edition.start, dt.time(), tzinfo=dt.UTC)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", one_line(f"{course.code} {course.name}, {course.edition.label}"))
    calendar.add("x-wr-timezone", times.timezone)
    for day in data.days:
        event = icalendar.Event()
        event.add("uid", day_uid(data, day.date))
        event.add("dtstamp", stamp)
        event.add("dtstart", _at(day.date, times.day_starts, zone))
        event.add("dtend", _at(day.date, times.day_ends, zone))
        event.add("summary", day_title(data, day))
        event.add("description", day_description(data, day))
        url = url_of(data.session_docname(data.session(day.session))) if day.session else None
        if url:
            event.add("url", url)
        calendar.add_component(event)
    deadline = icalendar.Event()
    closes = _at(course.exam.deadline, times.deadline_time, zone)
    deadline.add("uid", f"{edition_key(data)}-deadline@mlops-handbook")
    deadline.add("dtstamp", stamp)
    deadline.add("dtstart", closes)
    deadline.add("summary", "Project hand-in closes")
    deadline.add(
        "description", f"{one_line(course.exam.format)}. Deadline: {course.exam.deadline}."
    )
    calendar.add_component(deadline)
    # The zone's rules for the years of the edition only, not the library's default 1970-2038.
    first, last = course.edition.start, max(course.edition.end, course.exam.deadline)
    calendar.add_missing_timezones(
        first_date=dt.date(first.year - 1, 1, 1), last_date=dt.date(last.year + 1, 1, 1)
    )
    return calendar.to_ical()
