"""Directives for the landing page, the time plan and the checklist page."""

from __future__ import annotations

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from ..directives.common import DataDirective, doc_link
from ..model import ChecklistItem, CourseData
from .nodes import calendar_link, checklist_item, widget

WEEK_TITLES = {"1": "Week 1", "2": "Week 2", "3": "Week 3", "extra": "Extra"}


def checklist_entry(data: CourseData, item: ChecklistItem, with_modules: bool) -> checklist_item:
    """One item as a list entry; its modules are linked and named as everywhere in the book."""
    entry = checklist_item(item=item.id)
    para = nodes.paragraph(classes=["handbook-checklist-text"])
    para += nodes.Text(item.text)
    if with_modules and item.modules:
        para += nodes.Text(" (")
        for index, module_id in enumerate(item.modules):
            module = data.module(module_id)
            if index:
                para += nodes.Text(", ")
            para += doc_link(data.module_docname(module), module.label)
        para += nodes.Text(")")
    entry += para
    return entry


class Today(SphinxDirective):
    """Where today's session appears, worked out in the browser from the plan (no data here)."""

    def run(self) -> list[nodes.Node]:
        return [widget(kind="today", data={})]


class CalendarButton(SphinxDirective):
    """The "Add to calendar" button: a link to the ``timeplan.ics`` the build writes."""

    def run(self) -> list[nodes.Node]:
        para = nodes.paragraph(classes=["handbook-calendar"])
        text = "Add the course days to your calendar (.ics)"
        para += calendar_link(text, text)
        return [para]


class ProgressSummary(SphinxDirective):
    """Your progress through the modules, with export and import; drawn by the script."""

    def run(self) -> list[nodes.Node]:
        return [widget(kind="progress", data={})]


class ProjectChecklist(DataDirective):
    """The project checklist grouped by week, each item linked to the modules that teach it."""

    def run(self) -> list[nodes.Node]:
        data = self.data
        self.uses("checklist", *(f"module:{m}" for item in data.checklist for m in item.modules))
        result: list[nodes.Node] = [widget(kind="checklist-tools", data={})]
        for week, title in WEEK_TITLES.items():
            items = [item for item in data.checklist if item.week == week]
            if not items:
                continue
            section = nodes.container(classes=["handbook-checklist-week"])
            section += nodes.rubric(title, title, **{"heading-level": 2})
            listing = nodes.bullet_list(classes=["handbook-checklist"])
            listing.extend(checklist_entry(data, item, with_modules=True) for item in items)
            section += listing
            result.append(section)
        return result
