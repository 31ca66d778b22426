"""Mermaid diagrams as plain ``<img>`` SVGs with required alt text.

sphinxcontrib-mermaid renders the SVG at build time but embeds it as an ``<object>``, which
screen readers cannot describe. An image with alt text is accessible, works from disk, and
prints the same in the PDF. The SVG comes from ``mmdr``'s Python API in this process (a
``mmdr`` subprocess per diagram cost ~0.3 s of start-up each) and is kept in a cache keyed by
the diagram's text, so clean builds and the print build reuse every earlier render.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import shutil
from pathlib import Path

import mmdr
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.util import logging
from sphinx.writers.html5 import HTML5Translator
from sphinxcontrib.mermaid import mermaid

from .config import HandbookConfig

logger = logging.getLogger(__name__)


def write_atomically(path: Path, text: str) -> None:
    """Parallel writers may render the same diagram; readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def cache_dir(builder: Builder) -> Path:
    """``handbook_diagram_cache`` (relative to conf.py), else beside the doctrees."""
    configured = HandbookConfig.from_sphinx(builder.config).diagram_cache
    if configured:
        return Path(builder.confdir, configured)
    return Path(builder.doctreedir, "diagrams")


def render_svg(builder: Builder, code: str) -> str:
    """Return the image's path relative to the output dir, rendering only unseen diagrams."""
    key = hashlib.sha1(f"{mmdr.__version__}\n{code}".encode(), usedforsecurity=False)
    name = f"mermaid-{key.hexdigest()}.svg"
    target = Path(builder.outdir, builder.imagedir, name)
    if not target.is_file():
        cached = cache_dir(builder) / name
        if not cached.is_file():
            write_atomically(cached, mmdr.render(code).svg())
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(cached, target)
    return posixpath.join(builder.imgpath, name)


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
        src = render_svg(self.builder, node["code"])
    except ValueError as error:  # mmdr's parse errors
        logger.warning(
            f"Mermaid diagram could not be rendered: {error}",
            location=node,
            type="handbook",
            subtype="diagram",
        )
        raise nodes.SkipNode from error
    self.body.append(f'<img class="mermaid" src="{src}" alt="{self.attval(alt)}" />\n')
    raise nodes.SkipNode


def setup_diagrams(app: Sphinx) -> None:
    app.setup_extension("sphinxcontrib.mermaid")
    app.add_node(mermaid, override=True, html=(visit_mermaid_html, None))
