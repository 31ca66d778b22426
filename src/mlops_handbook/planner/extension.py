"""Register the planner and add its nodes to module and session pages.

It also writes two files beside the pages: ``timeplan.ics`` and the plan for the script.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

from ..domain import handbook
from ..pdf.mode import is_print_build
from .calendar import FILENAME, build_calendar
from .directives import (
    CalendarButton,
    ProgressSummary,
    ProjectChecklist,
    Today,
    checklist_entry,
)
from .nodes import (
    calendar_link,
    checklist_item,
    depart_calendar_link,
    depart_checklist_item,
    visit_calendar_link,
    visit_checklist_item,
    visit_widget,
    widget,
)
from .plan import PLAN_FILE, plan_script

logger = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"


def module_extras(app: Sphinx, doctree: nodes.document) -> None:
    """Below a module's header: "Mark as done", and the checklist items the module helps with."""
    domain = handbook(app.env)
    data = domain.course
    docname = app.env.docname
    module = data.module_for_doc(docname)
    if module is not None:
        header = next(iter(doctree.findall(_is_module_header)), None)
        if header is None:
            return
        domain.note_use(docname, "checklist")
        extras = nodes.container(classes=["handbook-module-extras"])
        extras += widget(kind="done", data={"module": module.id})
        items = [item for item in data.checklist if module.id in item.modules]
        if items:
            box = nodes.container(classes=["handbook-module-checklist"])
            box += nodes.paragraph(
                text="In the project checklist, this module helps you with:",
                classes=["handbook-module-checklist-title"],
            )
            listing = nodes.bullet_list(classes=["handbook-checklist"])
            listing.extend(checklist_entry(data, item, with_modules=False) for item in items)
            box += listing
            extras += box
        header.parent.insert(header.parent.index(header) + 1, extras)
        return
    session = next((s for s in data.sessions if data.session_docname(s) == docname), None)
    facts = next(iter(doctree.findall(_is_session_facts)), None)
    if session is not None and facts is not None:
        facts.parent.insert(
            facts.parent.index(facts) + 1,
            widget(kind="session-progress", data={"session": session.id}),
        )


def _is_module_header(node: nodes.Node) -> bool:
    return isinstance(node, nodes.container) and "handbook-module-header" in node["classes"]


def _is_session_facts(node: nodes.Node) -> bool:
    return isinstance(node, nodes.field_list) and "handbook-session-facts" in node["classes"]


def add_assets(app: Sphinx) -> None:
    """Styles for every HTML build; the script only where a reader can click (not the PDF)."""
    if app.builder.format != "html":
        return
    app.config.html_static_path.append(str(STATIC))
    app.add_css_file("planner.css")
    if not is_print_build(app):
        app.add_js_file("planner.js", defer="defer")


def link_plan(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: object
) -> None:
    """Load the plan with a plain script tag: no checksum, so pages never go stale with it."""
    if app.builder.format == "html" and not is_print_build(app):
        src = context["pathto"](f"_static/{PLAN_FILE}", 1)
        context["metatags"] = context.get("metatags", "") + f'\n<script src="{src}"></script>'


def _write(path: Path, content: bytes) -> None:
    if not path.is_file() or path.read_bytes() != content:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


def write_files(app: Sphinx, exception: Exception | None) -> None:
    """Write the plan and the calendar after every successful HTML build, from the data."""
    if exception is not None or app.builder.format != "html" or is_print_build(app):
        return
    data = handbook(app.env).course
    builder = app.builder
    base = app.config.html_baseurl.rstrip("/")
    outdir = Path(app.outdir)
    _write(outdir / "_static" / PLAN_FILE, plan_script(data, builder.get_target_uri).encode())
    calendar = build_calendar(
        data, lambda docname: f"{base}/{builder.get_target_uri(docname)}" if base else None
    )
    _write(outdir / FILENAME, calendar)
    logger.info(f"wrote {FILENAME} ({len(data.days)} course days and the hand-in deadline)")


def setup_planner(app: Sphinx) -> None:
    app.add_node(widget, html=(visit_widget, None))
    app.add_node(checklist_item, html=(visit_checklist_item, depart_checklist_item))
    app.add_node(calendar_link, html=(visit_calendar_link, depart_calendar_link))
    for name, directive in {
        "today": Today,
        "add-to-calendar": CalendarButton,
        "progress-summary": ProgressSummary,
        "project-checklist": ProjectChecklist,
    }.items():
        app.add_directive(name, directive)
    app.connect("doctree-read", module_extras)
    app.connect("builder-inited", add_assets, priority=500)
    app.connect("html-page-context", link_plan)
    app.connect("build-finished", write_files)
