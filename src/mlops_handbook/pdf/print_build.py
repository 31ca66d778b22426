"""The print build: ``singlehtml`` with the ``print`` tag, shaped into a book for Chromium.

On the assembled one-page doctree it makes anchors unique, opens every dropdown and wraps each
top-level page as a part; on the page it adds the cover, the contents and the running headers;
at the end it writes the manifest the printer reads. Other builds only get the download button.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.fileutil import copy_asset_file
from sphinx.util.i18n import format_date
from sphinx_design.dropdown import dropdown_main

from ..domain import handbook
from .anchors import dead_links, unique_ids
from .download_link import add_download_button
from .front_matter import Cover, contents_html, page_style
from .manifest import Entry, Manifest, Metadata
from .mode import is_print_build
from .navigation import Part, collect_entries, wrap_parts

logger = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
ASSETS = ("handbook-print.css",)
SVG_FILTER = re.compile(r"""filter\s*[:=]\s*["']?url\(#[^)]*\)["']?;?""")


@dataclass(frozen=True)
class Book:
    """What the assembled doctree told us, kept for the page and the manifest."""

    entries: tuple[Entry, ...]
    parts: tuple[Part, ...]


def prepare_print_build(app: Sphinx) -> None:
    """Add the print styles; skip the search index, which a PDF cannot use."""
    if is_print_build(app):
        app.builder.search = False  # type: ignore[attr-defined]
        for asset in ASSETS:
            app.add_css_file(asset)


def shape_book(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Make the assembled book printable; runs once, on the root page that holds every page."""
    if not is_print_build(app) or docname != app.config.root_doc:
        return
    anchors = unique_ids(doctree, docname)
    for reference in dead_links(doctree, anchors):
        logger.warning(
            "link to %r does not land in the printed book (is the page in a toctree?)",
            reference.get("refuri") or reference.get("refid"),
            location=reference,
            type="handbook",
            subtype="print_link",
        )
    for dropdown in doctree.findall(dropdown_main):
        dropdown["opened"] = True
        dropdown.attributes.pop("details_name", None)  # an accordion would close the others
    parts = wrap_parts(doctree)
    app.env.handbook_book = Book(collect_entries(doctree, docname), parts)  # type: ignore[attr-defined]


def cover(app: Sphinx) -> Cover:
    built = format_date("%Y-%m-%d", language=app.config.language)
    return Cover.from_data(handbook(app.env).course, app.config.release, built)


def add_front_matter(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: object
) -> None:
    if not is_print_build(app) or pagename != app.config.root_doc:
        return
    book: Book = app.env.handbook_book  # type: ignore[attr-defined]
    front = cover(app)
    context["default_mode"] = "light"  # the theme's colours on paper, set without its scripts
    context["body"] = front.html() + contents_html(book.entries) + context["body"]
    context["metatags"] = context.get("metatags", "") + page_style(front, book.parts)


def book_metadata(app: Sphinx) -> Metadata:
    data = handbook(app.env).course
    course = data.course
    return Metadata(
        title=f"{course.code} {course.name}: course handbook",
        author=course.teacher.name,
        subject=f"The handbook of DTU course {course.code} {course.name}, {course.edition.label}",
        keywords=("MLOps", course.name, f"DTU {course.code}", *(s.title for s in data.sessions)),
        language=app.config.language or "en",
    )


def flatten_shadows(svg: Path) -> None:
    """Drop the diagram renderer's drop-shadow filters from a printed copy of a diagram.

    Chromium rasterises every filtered shape into the PDF (a faint 6 % shadow on each node):
    measured on the book, 680 images, 0.7 MB and 4 s of Chromium's CPU per print.
    """
    text = svg.read_text(encoding="utf-8")
    flat = SVG_FILTER.sub("", text)
    if flat != text:
        svg.write_text(flat, encoding="utf-8")


def finish_print_build(app: Sphinx, exception: Exception | None) -> None:
    """Copy the print styles and write the manifest, only when the build succeeded."""
    if exception is not None or not is_print_build(app):
        return
    for asset in ASSETS:
        copy_asset_file(STATIC / asset, Path(app.outdir) / "_static", force=True)
    for diagram in (Path(app.outdir) / "_images").glob("mermaid-*.svg"):
        flatten_shadows(diagram)
    book: Book = app.env.handbook_book  # type: ignore[attr-defined]
    page = f"{app.config.root_doc}{app.builder.out_suffix}"
    Manifest(page, book_metadata(app), book.entries).write(Path(app.outdir))


def setup_print(app: Sphinx) -> None:
    app.connect("builder-inited", prepare_print_build)
    app.connect("doctree-resolved", shape_book)
    app.connect("html-page-context", add_front_matter)
    # After sphinx-book-theme has filled in its own header buttons (priority 501).
    app.connect("html-page-context", add_download_button, priority=502)
    app.connect("build-finished", finish_print_build)
