"""The ``pdf-downloads`` directive: a table of the printed PDFs with their sizes.

The names come from the data (``names.py``); the sizes from the PDFs that ``nox -s pdf`` last
wrote. The page records the sizes it showed, so the next HTML build after a print that changed
one shows the new sizes; a PDF that was never printed says so instead of showing a size. (As
a Sphinx dependency, a PDF not printed yet made every build read and write the page again.)
"""

from __future__ import annotations

import posixpath
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config

from ..config import HandbookConfig
from ..directives.common import DataDirective, table
from .names import PDF_DIR, book_name, session_name

LINK_CLASS = "handbook-pdf-link"


def human_size(size: int) -> str:
    """A file size as readers read it: ``840 kB``, ``5.9 MB`` (powers of 1,000)."""
    if size < 1_000_000:
        return f"{max(1, round(size / 1000))} kB"
    return f"{size / 1_000_000:.1f} MB"


class PdfDownloads(DataDirective):
    """A table: the whole book, then one row per session, each a link with its size."""

    def run(self) -> list[nodes.Node]:
        data = self.data
        folder = Path(HandbookConfig.from_sphinx(self.config).pdf_dir)
        self.uses("course", "sessions", f"pdf-sizes:{folder}")
        rows = [("The whole handbook", book_name(data))]
        rows += [(s.label, session_name(data, s)) for s in data.sessions]
        cells = []
        for title, name in rows:
            path = folder / name
            size = human_size(path.stat().st_size) if path.is_file() else "not printed yet"
            here = posixpath.dirname(self.env.docname) or "."
            address = posixpath.relpath(f"{PDF_DIR}/{name}", here)
            link = nodes.reference(name, name, refuri=address, classes=[LINK_CLASS])
            cells.append([title, [nodes.paragraph("", "", link)], size])
        return [table(["Contents", "File", "Size"], cells, ["handbook-downloads"], [3, 5, 1])]


def resolve_pdf_dir(app: Sphinx, config: Config) -> None:
    """Make ``handbook_pdf_dir`` absolute (it is relative to conf.py), once, at start-up."""
    config.handbook_pdf_dir = str(Path(app.confdir, config.handbook_pdf_dir))
