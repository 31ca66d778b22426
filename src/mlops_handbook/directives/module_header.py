"""The header at the top of every module page: id, Core/Optional, and its session."""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

from ..domain import handbook
from .common import DataDirective, badge, doc_link, kind_badge, long_date

logger = logging.getLogger(__name__)


class ModuleHeader(DataDirective):
    """Takes no arguments: the page's own path says which module it is."""

    def run(self) -> list[nodes.Node]:
        data = self.data
        module = data.module_for_doc(self.env.docname)
        if module is None:
            logger.warning(
                "module-header is on a page that modules.yaml does not list as a module page",
                location=self.get_location(),
                type="handbook",
                subtype="module",
            )
            return []
        self.uses(f"module:{module.id}", f"session:{module.session}", f"day-of:{module.session}")
        session = data.session(module.session)
        header = nodes.container(classes=["handbook-module-header"])
        line = nodes.paragraph(classes=["handbook-module-meta"])
        line += badge(module.id, "info")
        line += nodes.Text(" ")
        line += kind_badge(module)
        line += nodes.Text(" Part of ")
        line += doc_link(data.session_docname(session), session.label)
        day = data.day_of(session.id)
        if day is not None:
            line += nodes.Text(f", {long_date(day.date)}")
        line += nodes.Text(".")
        header += line
        return [header]


def check_module_title(app: Sphinx, doctree: nodes.document) -> None:
    """A module page's heading must match its title in the data, which cards and nav show."""
    env = app.env
    module = handbook(env).course.module_for_doc(env.docname)
    title = env.titles.get(env.docname)
    if module is None or title is None or title.astext() == module.title:
        return
    logger.warning(
        f"page title {title.astext()!r} differs from the title of {module.id} in modules.yaml "
        f"({module.title!r}); change one of them",
        location=(env.docname, 1),
        type="handbook",
        subtype="module",
    )
