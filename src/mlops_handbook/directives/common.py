"""Small node builders shared by the directives, so every page renders data the same way."""

from __future__ import annotations

import datetime as dt
import re

from docutils import nodes
from docutils.statemachine import StringList
from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from ..domain import HandbookDomain, handbook
from ..errors import clip
from ..model import CourseData, Module, Session

logger = logging.getLogger(__name__)

_MYST_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$&\"'])")


def escape_myst(text: str) -> str:
    """Make data text literal inside generated MyST (so ``<script>`` stays text)."""
    return _MYST_SPECIAL.sub(r"\\\1", text)


def doc_link(docname: str, text: str) -> addnodes.pending_xref:
    """A link to another page that each builder resolves (html, singlehtml for the PDF)."""
    ref = addnodes.pending_xref(
        "", refdomain="std", reftype="doc", reftarget=f"/{docname}", refexplicit=True
    )
    ref += nodes.inline(text, text)
    return ref


def badge(text: str, tone: str) -> nodes.inline:
    """A badge styled by sphinx-design's classes; the text itself carries the meaning."""
    return nodes.inline(text, text, classes=["sd-badge", f"sd-bg-{tone}", f"sd-bg-text-{tone}"])


def kind_badge(module: Module) -> nodes.inline:
    if module.kind == "core":
        return badge("Core module", "primary")
    return badge("Optional module", "secondary")


def long_date(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


class DataDirective(SphinxDirective):
    """A directive that renders course data and records which data it showed."""

    @property
    def domain(self) -> HandbookDomain:
        return handbook(self.env)

    @property
    def data(self) -> CourseData:
        return self.domain.course

    def find_session(self, session_id: str) -> Session | None:
        """The session a directive argument names, or a located warning if there is none."""
        try:
            return self.data.session(session_id)
        except KeyError:
            known = ", ".join(s.id for s in self.data.sessions) or "none"
            logger.warning(
                f"{self.name}: unknown session {clip(session_id)!r} (known: {known})",
                location=self.get_location(),
                type="handbook",
                subtype="session",
            )
            return None

    def uses(self, *keys: str) -> None:
        for key in keys:
            self.domain.note_use(self.env.docname, key)

    def parse_myst(self, text: str, source: str, container: nodes.Element) -> None:
        """Parse MyST text from the data into ``container``, so links and roles work."""
        lines = StringList(text.splitlines(), source=source)
        self.state.nested_parse(lines, self.content_offset, container)


Cell = str | nodes.Node | list[nodes.Node]


def table(
    headers: list[str], rows: list[list[Cell]], classes: list[str], widths: list[int]
) -> nodes.table:
    """A plain docutils table; text is set as Text nodes, so it is always escaped."""
    tbl = nodes.table(classes=classes)
    group = nodes.tgroup(cols=len(headers))
    tbl += group
    group.extend(nodes.colspec(colwidth=w) for w in widths)
    head = nodes.thead()
    head += _row(headers)
    group += head
    body = nodes.tbody()
    body.extend(_row(row) for row in rows)
    group += body
    return tbl


def field_list(
    rows: list[tuple[str, str | nodes.Node | None]], classes: list[str]
) -> nodes.field_list:
    """Name/value facts; rows without a value are left out."""
    facts = nodes.field_list(classes=classes)
    for name, value in rows:
        if value:
            para = nodes.paragraph(value, value) if isinstance(value, str) else nodes.paragraph()
            if not isinstance(value, str):
                para += value
            body = nodes.field_body("", para)
            facts += nodes.field("", nodes.field_name(name, name), body)
    return facts


def _row(cells: list[Cell]) -> nodes.row:
    row = nodes.row()
    for cell in cells:
        entry = nodes.entry()
        para = nodes.paragraph()
        if isinstance(cell, str):
            para += nodes.Text(cell)
        elif isinstance(cell, list):
            para.extend(cell)
        else:
            para += cell
        entry += para
        row += entry
    return row
