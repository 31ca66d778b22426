"""Nodes whose HTML carries data attributes for the planner's script.

Attribute values go through the translator's ``starttag``, which escapes them. Widgets are
empty placeholders that only the script fills, so they are left out of the print build and
start ``hidden``: without the script a reader sees nothing broken.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.util.osutil import relative_uri
from sphinx.writers.html5 import HTML5Translator

from ..pdf.mode import PRINT_TAG
from .calendar import FILENAME


class widget(nodes.General, nodes.Element):
    """A placeholder the script turns into a control: ``kind`` and ``data`` become attributes."""


class checklist_item(nodes.list_item):
    """A checklist entry; ``item`` is its id, where the script keeps the tick."""


class calendar_link(nodes.General, nodes.Inline, nodes.TextElement):
    """A link to the calendar file at the root of the site, from whichever page shows it."""


def printing(translator: HTML5Translator) -> bool:
    builder = translator.builder
    return builder.name == "singlehtml" and builder.tags.has(PRINT_TAG)


def visit_widget(translator: HTML5Translator, node: widget) -> None:
    if printing(translator):
        raise nodes.SkipNode
    attributes = {f"data-{key}": value for key, value in node["data"].items()}
    translator.body.append(
        translator.starttag(
            node,
            "div",
            "",
            CLASS=f"handbook-widget handbook-{node['kind']}",
            hidden="hidden",
            **attributes,
        )
    )
    translator.body.append("</div>\n")
    raise nodes.SkipNode


def visit_checklist_item(translator: HTML5Translator, node: checklist_item) -> None:
    translator.body.append(
        translator.starttag(
            node, "li", "", CLASS="handbook-checklist-item", **{"data-checklist-item": node["item"]}
        )
    )


def depart_checklist_item(translator: HTML5Translator, node: checklist_item) -> None:
    translator.body.append("</li>\n")


def visit_calendar_link(translator: HTML5Translator, node: calendar_link) -> None:
    if printing(translator):
        raise nodes.SkipNode
    here = translator.builder.get_target_uri(translator.builder.current_docname)
    translator.body.append(
        translator.starttag(
            node,
            "a",
            "",
            CLASS="handbook-calendar-link sd-btn sd-btn-outline-primary",
            href=relative_uri(here, FILENAME),
            download=FILENAME,
        )
    )


def depart_calendar_link(translator: HTML5Translator, node: calendar_link) -> None:
    translator.body.append("</a>")
