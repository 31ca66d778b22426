"""Exercise levels and times: every exercise has both, and each session shows its core total.

A student plans an exercise day by what is expected of everyone (the core exercises of the
session's core modules) and how long that takes. The ``{ex}`` role marks each exercise; this
module checks that no exercise lacks it, records what each page holds, shows the total on the
session's page and warns when a session asks for more than the course day holds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from .directives.exercise import UNREAD_CLASS
from .domain import handbook
from .model import CourseData, Session

logger = logging.getLogger(__name__)

EXERCISES = "Exercises"
META_CLASS = "handbook-exercise-meta"


class core_time(nodes.General, nodes.Inline, nodes.Element):
    """Stands for a session's total core time until every module page has been read."""


def exercise_items(doctree: nodes.document) -> Iterable[nodes.list_item]:
    """The top-level items of the numbered lists directly under each "Exercises" section."""
    for section in doctree.findall(nodes.section):
        title = section.next_node(nodes.title)
        if title is None or title.astext().strip() != EXERCISES:
            continue
        for child in section.children:
            if isinstance(child, nodes.enumerated_list):
                yield from (i for i in child.children if isinstance(i, nodes.list_item))


def first_of(item: nodes.list_item) -> nodes.Node | None:
    """What an exercise's text starts with: where the ``{ex}`` role belongs."""
    paragraph = item.next_node(nodes.paragraph)
    return paragraph.children[0] if paragraph is not None and paragraph.children else None


def meta_of(item: nodes.list_item) -> tuple[str, int] | None:
    """The level and minutes an exercise starts with, if it starts with the ``{ex}`` role."""
    first = first_of(item)
    if isinstance(first, nodes.inline) and META_CLASS in first["classes"]:
        return first["level"], first["minutes"]
    return None


def starts_with_unread_meta(item: nodes.list_item) -> bool:
    """The exercise starts with an ``{ex}`` role that already warned it could not be read."""
    first = first_of(item)
    return isinstance(first, nodes.literal) and UNREAD_CLASS in first["classes"]


def note_exercises(app: Sphinx, doctree: nodes.document) -> None:
    """Record each exercise's level and time; warn, at the item, about one that has none."""
    found: list[tuple[str, int]] = []
    for item in exercise_items(doctree):
        meta = meta_of(item)
        if meta is None and starts_with_unread_meta(item):
            continue
        if meta is None:
            logger.warning(
                "this exercise has no level and time: start it with {ex}`core 20 min` or "
                "{ex}`stretch 45 min` (what every student does, or extra depth; the minutes a "
                "student needs the first time)",
                location=item,
                type="handbook",
                subtype="exercise",
            )
            continue
        found.append(meta)
    domain = handbook(app.env)
    if found:
        domain.data["exercises"][app.env.docname] = found
    else:
        domain.data["exercises"].pop(app.env.docname, None)


def core_minutes(env: BuildEnvironment, session: Session) -> int:
    """Minutes of the core exercises on the session's core modules' pages."""
    data: CourseData = handbook(env).course
    recorded = handbook(env).data["exercises"]
    return sum(
        minutes
        for module in data.modules_of(session.id)
        if module.kind == "core"
        for level, minutes in recorded.get(data.module_docname(module), ())
        if level == "core"
    )


def day_minutes(data: CourseData) -> int:
    """The length of a course day from the calendar's ``day_starts`` to ``day_ends``."""
    calendar = data.course.calendar
    start = dt.datetime.strptime(calendar.day_starts, "%H:%M")
    end = dt.datetime.strptime(calendar.day_ends, "%H:%M")
    return int((end - start).total_seconds() // 60)


def hours_and_minutes(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest:02d} min" if rest else f"{hours} h"


def check_session_totals(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Warn about a session whose core work overfills its day, on every build.

    Pages to write again: none. The total shows on the session's page, whose (hidden) toctree
    lists its modules, and Sphinx writes a page again when a page of its toctree was re-read.
    """
    data = handbook(env).course
    limit = day_minutes(data)
    for session in data.sessions:
        total = core_minutes(env, session)
        if data.day_of(session.id) is not None and total > limit:
            logger.warning(
                f"{session.id}'s core exercises take {hours_and_minutes(total)}, more than its "
                f"exercise day ({data.course.calendar.day_starts}–"
                f"{data.course.calendar.day_ends} in course.yaml): make some of them stretch "
                "or shorten them on the module pages",
                location=str(session.where),
                type="handbook",
                subtype="exercise",
            )
    return []


def core_time_placeholder(session: Session) -> core_time:
    """A placeholder, resolved once every page is read."""
    return core_time(session=session.id)


def resolve_core_time(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    data = handbook(app.env).course
    for node in list(doctree.findall(core_time)):
        session = next((s for s in data.sessions if s.id == node["session"]), None)
        total = core_minutes(app.env, session) if session else 0
        text = f"about {hours_and_minutes(total)}" if total else "none"
        node.replace_self(nodes.Text(text))


def setup_exercises(app: Sphinx) -> None:
    app.add_node(core_time)
    app.connect("doctree-read", note_exercises)
    app.connect("env-get-updated", check_session_totals)
    app.connect("doctree-resolved", resolve_core_time)
