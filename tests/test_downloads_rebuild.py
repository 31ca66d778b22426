"""The Downloads page is read again when a printed PDF changes, and not on every build."""

from __future__ import annotations

import re
import shutil
from io import StringIO
from pathlib import Path

from sphinx.testing.util import SphinxTestApp

from .conftest import ROOTS

BOOK = "dtu-mlops-handbook-2026-january.pdf"


def build(src: Path) -> tuple[SphinxTestApp, set[str]]:
    """Build ``src`` incrementally into its own build folder; return the pages it read."""
    read: set[str] = set()
    app = SphinxTestApp("html", srcdir=src, status=StringIO(), warning=StringIO())
    app.connect("doctree-read", lambda app, _doctree: read.add(app.env.docname))
    try:
        app.build()
    finally:
        app.cleanup()
    assert not app.warning.getvalue(), app.warning.getvalue()
    return app, read


def book_size(app: SphinxTestApp) -> str:
    """The last cell of the table row that links the book."""
    html = (Path(app.outdir) / "downloads.html").read_text(encoding="utf-8")
    row = next(r for r in re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S) if BOOK in r)
    return re.sub(r"<[^>]+>", "", re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[-1]).strip()


def test_downloads_follow_the_printed_pdfs_without_rereading_every_build(tmp_path: Path):
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-pdf", src)
    (src / "downloads.md").write_text("# Downloads\n\n```{pdf-downloads}\n```\n")
    index = src / "index.md"
    index.write_text(index.read_text() + "\n```{toctree}\n:hidden:\n\ndownloads\n```\n")
    app, _ = build(src)
    assert book_size(app) == "not printed yet"

    _, read = build(src)  # nothing printed, nothing changed: nothing read again
    assert "downloads" not in read

    printed = src / "build" / "pdf"
    printed.mkdir(parents=True)
    (printed / BOOK).write_bytes(b"%" * 41_000)
    app, read = build(src)
    assert "downloads" in read
    assert book_size(app) == "41 kB"

    (printed / BOOK).unlink()
    app, _ = build(src)
    assert book_size(app) == "not printed yet"
