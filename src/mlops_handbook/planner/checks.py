"""Checks of the calendar times and the project checklist, each pointing at its YAML line."""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Set

from ..errors import Problem, clip
from ..model import Calendar, ChecklistItem
from ..validate import _unique

CLOCK = re.compile(r"(?:[01]\d|2[0-3]):[0-5]\d")
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


# Names in the zone database that are no place: this machine's own zone (so the calendar
# would depend on who builds it), the database's placeholder, and the link POSIX rules use.
NO_PLACE = frozenset({"localtime", "Factory", "posixrules"})
# The database's copies of every zone, with leap seconds or for POSIX: no name a calendar knows.
NOT_ZONES = frozenset({"right", "posix"})


def is_place(name: str) -> bool:
    """Whether ``name`` is an IANA time zone a calendar app knows (``available_timezones()``).

    ``ZoneInfo`` also opens ``right/Europe/Copenhagen`` or ``posixrules``, files of the zone
    database that are no zone name. Listing every zone instead would read some 600 files, a
    tenth of a second of every build.
    """
    if name in NO_PLACE or name.split("/", 1)[0] in NOT_ZONES:
        return False
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder, e.g. Europe
        return False
    return True


def check_calendar(calendar: Calendar) -> list[Problem]:
    """Times read HH:MM, the day ends after it starts, and the time zone exists."""
    problems = []
    for name in ("day_starts", "day_ends", "deadline_time"):
        value = getattr(calendar, name)
        if not CLOCK.fullmatch(value):
            problems.append(
                Problem(
                    calendar.place(name),
                    f"calendar {name} {clip(value)!r} must be a time written HH:MM, e.g. 09:00",
                )
            )
    if not problems and calendar.day_ends <= calendar.day_starts:
        problems.append(
            Problem(calendar.place("day_ends"), "calendar day_ends must be later than day_starts")
        )
    if not is_place(calendar.timezone):
        problems.append(
            Problem(
                calendar.place("timezone"),
                f"calendar timezone {clip(calendar.timezone)!r} is not an IANA time zone "
                "name such as Europe/Copenhagen",
            )
        )
    return problems


def check_checklist(items: tuple[ChecklistItem, ...], known: Set[str] | None) -> list[Problem]:
    """Item ids are unique slugs (ticks are stored under them) and name modules in ``known``.

    ``known`` is None when the module ids cannot all be read: no reference is checked then.
    """
    problems = []
    problems += _unique(items, lambda item: item.id, "checklist id")
    problems += _unique(items, lambda item: item.text, "checklist item text", "text")
    for item in items:
        if not SLUG.fullmatch(item.id):
            problems.append(
                Problem(
                    item.where,
                    f"checklist id {item.id!r} must be lower-case letters, "
                    "digits and dashes, e.g. 'write-unit-tests'",
                )
            )
        for index, module in enumerate(item.modules):
            if known is not None and module not in known:
                problems.append(
                    Problem(
                        item.place(f"modules[{index}]"),
                        f"checklist item {item.id!r} names unknown module "
                        f"{module!r}; use an id listed in modules.yaml, such as M5",
                    )
                )
    return problems
