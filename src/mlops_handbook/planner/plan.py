"""The time plan, modules and checklist as JSON for the planner's script.

It is written to ``_static/handbook-plan.js`` on every build, and pages load it with a plain
script tag. Pages therefore never contain the data: an incremental build that rewrites only
some pages still gives every page the current plan, byte-identical to a clean build.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from ..model import CourseData
from .calendar import day_title, edition_key

PLAN_FILE = "handbook-plan.js"


def plan(data: CourseData, url_of: Callable[[str], str]) -> dict[str, Any]:
    """What the script needs; ``url_of(docname)`` gives a page's URL relative to the site root."""
    course = data.course
    return {
        "edition": edition_key(data),
        "label": course.edition.label,
        "start": course.edition.start.isoformat(),
        "end": course.edition.end.isoformat(),
        "timezone": course.calendar.timezone,
        "days": [
            {
                "date": day.date.isoformat(),
                "title": day_title(data, day),
                "session": day.session,
                "note": day.note,
            }
            for day in data.days
        ],
        "sessions": [
            {
                "id": session.id,
                "label": session.label,
                "url": url_of(data.session_docname(session)),
                "modules": [m.id for m in data.modules_of(session.id)],
            }
            for session in data.sessions
        ],
        "modules": [
            {"id": m.id, "label": m.label, "url": url_of(data.module_docname(m))}
            for m in data.modules
        ],
        "checklist": [
            {"id": item.id, "text": item.text, "week": item.week, "modules": list(item.modules)}
            for item in data.checklist
        ],
    }


def plan_script(data: CourseData, url_of: Callable[[str], str]) -> str:
    """The plan as a JavaScript statement; JSON is valid JavaScript, and ASCII keeps it so."""
    text = json.dumps(plan(data, url_of), ensure_ascii=True, sort_keys=True, indent=1)
    return f"window.mlopsHandbookPlan = {text};\n"
