"""The FAQ: grouped by category, each entry with a stable anchor and a MyST answer."""

from __future__ import annotations

from docutils import nodes

from ..myst_field import render_myst
from .common import DataDirective


class Faq(DataDirective):
    def run(self) -> list[nodes.Node]:
        self.uses("faq")
        faq = self.data.faq
        result: list[nodes.Node] = []
        for category in faq.categories:
            entries = [e for e in faq.entries if e.category == category.id]
            if not entries:
                continue
            result.append(nodes.rubric(text=category.title, classes=["handbook-faq-category"]))
            for entry in entries:
                anchor = f"faq-{entry.id}"
                box = nodes.container(classes=["handbook-faq-entry"], ids=[anchor])
                question = nodes.paragraph(classes=["handbook-faq-question"])
                question += nodes.strong(entry.question, entry.question)
                question += nodes.reference(
                    "", "¶", refid=anchor, classes=["headerlink"], reftitle="Link to this question"
                )
                box += question
                answer = nodes.container(classes=["handbook-faq-answer"])
                answer.extend(render_myst(self, entry.answer))
                box += answer
                std = self.env.get_domain("std")
                std.anonlabels[anchor] = (self.env.docname, anchor)  # type: ignore[attr-defined]
                std.labels[anchor] = (self.env.docname, anchor, entry.question)  # type: ignore[attr-defined]
                result.append(box)
        return result
