"""Mermaid diagrams as plain ``<img>`` SVGs with required alt text.

sphinxcontrib-mermaid renders the SVG at build time (with ``mmdr``, no browser) but embeds it
as an ``<object>``, which screen readers cannot describe. An image with alt text is
accessible, works from disk, and prints the same in the PDF.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.writers.html5 import HTML5Translator
from sphinxcontrib.mermaid import MermaidError, mermaid, render_mm

logger = logging.getLogger(__name__)


def visit_mermaid_html(self: HTML5Translator, node: mermaid) -> None:
    alt = node.get("alt", "").strip()
    if not alt:
        logger.warning(
            "Mermaid diagram without alt text: add ':alt:' saying what it shows",
            location=node,
            type="handbook",
            subtype="diagram",
        )
    try:
        fname, _ = render_mm(self, node["code"], node["options"], "svg", "mermaid")
    except MermaidError as error:
        logger.warning(
            f"Mermaid diagram could not be rendered: {error}",
            location=node,
            type="handbook",
            subtype="diagram",
        )
        raise nodes.SkipNode from error
    self.body.append(f'<img class="mermaid" src="{fname}" alt="{self.attval(alt)}" />\n')
    raise nodes.SkipNode


def setup_diagrams(app: Sphinx) -> None:
    app.setup_extension("sphinxcontrib.mermaid")
    app.add_node(mermaid, override=True, html=(visit_mermaid_html, None))
