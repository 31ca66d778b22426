"""A card per module on its session page: sphinx-design's grid, filled with data as text.

sphinx-design builds the cards from MyST. The MyST handed to it holds only validated page
names and placeholders; each placeholder is then replaced by a Text node, so no title or
summary from the data is ever parsed as markup.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from docutils import nodes

from ..model import Module
from .common import DataDirective

_PLACEHOLDER = re.compile(r"handbookcard(title|summary)([0-9]+)")


def _skeleton(directive: DataDirective, modules: Sequence[Module]) -> str:
    lines = ["::::{grid} 1 1 2 2", ":gutter: 3", ""]
    for index, module in enumerate(modules):
        tone, label = ("primary", "Core") if module.kind == "core" else ("secondary", "Optional")
        lines += [
            f":::{{grid-item-card}} handbookcardtitle{index}",
            f":link: /{directive.data.module_docname(module)}",
            ":link-type: doc",
            "",
            f"{{bdg-{tone}}}`{label}` handbookcardsummary{index}",
            ":::",
            "",
        ]
    lines.append("::::")
    return "\n".join(lines)


def module_cards(directive: DataDirective, modules: Sequence[Module]) -> nodes.container:
    """The cards of ``modules``: title "M10 · Docker", a Core/Optional badge, the summary."""
    cards = nodes.container(classes=["handbook-module-cards"])
    if not modules:  # a grid with no card is an error of sphinx-design's, at the generated page
        return cards
    source, _ = directive.get_source_info()
    directive.parse_myst(_skeleton(directive, modules), source, cards)

    def fill(match: re.Match[str]) -> str:
        module = modules[int(match[2])]
        return module.label if match[1] == "title" else module.summary

    for text in list(cards.findall(nodes.Text)):
        if _PLACEHOLDER.search(text):
            text.parent.replace(text, nodes.Text(_PLACEHOLDER.sub(fill, text)))
    return cards
