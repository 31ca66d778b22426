"""A session's page and the navigation of all sessions, both in data order."""

from __future__ import annotations

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.util import logging

from ..exercises import core_time_placeholder
from ..model import Session
from ..myst_field import render_myst
from .cards import module_cards
from .common import DataDirective, field_list, long_date

logger = logging.getLogger(__name__)


def toctree(docname: str, entries: list[str], caption: str | None, hidden: bool) -> nodes.Node:
    """A toctree node as the ``toctree`` directive would make it."""
    node = addnodes.toctree()
    node["parent"] = docname
    node["entries"] = [(None, entry) for entry in entries]
    node["includefiles"] = list(entries)
    node["maxdepth"] = -1
    node["caption"] = caption
    node["glob"] = False
    node["hidden"] = hidden
    node["includehidden"] = False
    node["numbered"] = 0
    node["titlesonly"] = False
    wrapper = nodes.compound(classes=["toctree-wrapper"])
    wrapper += node
    return wrapper


class SessionToctree(DataDirective):
    """All session pages, in data order, for the site's navigation."""

    option_spec = {"caption": directives.unchanged, "hidden": directives.flag}  # noqa: RUF012

    def run(self) -> list[nodes.Node]:
        self.uses("sessions")
        entries = [self.data.session_docname(s) for s in self.data.sessions]
        return [
            toctree(
                self.env.docname, entries, self.options.get("caption"), "hidden" in self.options
            )
        ]


class SessionOverview(DataDirective):
    """Date, lecture, frameworks, Slack channel, intro and a card per module."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        session = self.find_session(self.arguments[0])
        return [] if session is None else self.overview(session)

    def overview(self, session: Session) -> list[nodes.Node]:
        data = self.data
        self.uses(f"session:{session.id}", f"modules-of:{session.id}", f"day-of:{session.id}")
        day = data.day_of(session.id)
        rows = [
            ("Date", long_date(day.date) if day else "No fixed day: take these modules any time"),
            ("Lecture", session.lecture),
            ("Frameworks", ", ".join(session.frameworks) or None),
            ("Slack channel", session.slack),
        ]
        if any(m.kind == "core" for m in data.modules_of(session.id)):
            rows.append(("Core exercises", core_time_placeholder(session)))
        facts = field_list(rows, ["handbook-session-facts"])
        intro = nodes.container(classes=["handbook-session-intro"])
        intro.extend(render_myst(self, session.intro))
        cards = module_cards(self, data.modules_of(session.id))
        modules = [data.module_docname(m) for m in data.modules_of(session.id)]
        return [facts, intro, cards, toctree(self.env.docname, modules, None, hidden=True)]


class SessionPage(SessionOverview):
    """A generated session page: the title from the data as text, then the overview.

    Takes no arguments: the page's own path says which session it is, so the generated source
    holds nothing from the data.
    """

    required_arguments = 0

    def run(self) -> list[nodes.Node]:
        docname = self.env.docname
        data = self.data
        session = next((s for s in data.sessions if data.session_docname(s) == docname), None)
        if session is None:
            logger.warning(
                "session-page is on a page that sessions.yaml does not list as a session page",
                location=self.get_location(),
                type="handbook",
                subtype="session",
            )
            return []
        section = nodes.section()
        section += nodes.title(session.label, session.label)
        section["names"].append(nodes.fully_normalize_name(session.label))
        self.state.document.note_implicit_target(section, section)
        section.extend(self.overview(session))
        return [section]
