"""The print build: ``singlehtml`` with the ``print`` tag, shaped into a book for Chromium.

On the assembled one-page doctree it makes anchors unique, opens every dropdown, lifts each
top-level page to a part (an h1) and each page below it to a chapter (a new sheet), and keeps
every anchor's address on the site; on the page it adds the cover, the contents, each session's
own first sheet (inert until its PDF is printed) and the running headers; at the end it writes
the manifest the printer reads. Other builds only get the download buttons.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.fileutil import copy_asset_file
from sphinx_design.dropdown import dropdown_main

from ..directives.common import long_date
from ..domain import handbook
from .anchors import Anchors, dead_links, unique_ids
from .code_lines import keep_code_lines_whole
from .download_link import add_download_button
from .downloads import LINK_CLASS, PdfDownloads, resolve_pdf_dir
from .epoch import iso_date, source_date
from .front_matter import Cover, contents_html, page_style, session_front_html
from .manifest import Entry, Manifest, Metadata, SessionPart, entries_below
from .mode import BOOK_TEMPLATE_ID, is_print_build
from .names import book_name, session_name
from .navigation import Part, collect_entries, wrap_parts

logger = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
# Set once a print build has read its sources: the CLI starts its browsers then (see
# ``__main__.py``), when only one core writes the book.
SOURCES_READ = threading.Event()
ASSETS = ("handbook-print.css",)
SVG_FILTER = re.compile(r"""filter\s*[:=]\s*["']?url\(#[^)]*\)["']?;?""")


@dataclass(frozen=True)
class Book:
    """What the assembled doctree told us, kept for the page and the manifest."""

    entries: tuple[Entry, ...]
    parts: tuple[Part, ...]
    urls: dict[str, str]


def prepare_print_build(app: Sphinx) -> None:
    """Add the print styles; skip the search index, which a PDF cannot use.

    The styles are copied before any page is written: Sphinx links a file it finds with its
    checksum, so a clean build and an incremental one write the same page (``kept.py`` keeps
    the printed pieces under a digest of that page).
    """
    if is_print_build(app):
        app.builder.search = False  # type: ignore[attr-defined]
        keep_code_lines_whole(app)
        copy_print_styles(app)
        for asset in ASSETS:
            app.add_css_file(asset)


def sources_read(app: Sphinx, env: object) -> None:
    if is_print_build(app):
        SOURCES_READ.set()


def copy_print_styles(app: Sphinx) -> None:
    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    for asset in ASSETS:
        copy_asset_file(STATIC / asset, static, force=True)


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
    site = app.config.html_baseurl.rstrip("/")
    for link in doctree.findall(nodes.reference):
        if LINK_CLASS in link["classes"] and site:  # a PDF of the site: its address there
            link["refuri"] = f"{site}/{link['refuri'].lstrip('./')}"
    parts = wrap_parts(doctree)
    book = Book(collect_entries(doctree, docname), parts, site_urls(app, anchors))
    app.env.handbook_book = book  # type: ignore[attr-defined]


def site_urls(app: Sphinx, anchors: Anchors) -> dict[str, str]:
    """Every anchor's address on the published site (``html_baseurl``), for session PDFs."""
    base = app.config.html_baseurl
    if not base:
        logger.warning(
            "html_baseurl is not set in conf.py: a session's PDF cannot link to the other "
            "sessions; set it to the published site's address",
            type="handbook",
            subtype="print_link",
        )
        return {}
    base = base if base.endswith("/") else base + "/"
    return {i: base + anchors.site_path(i, ".html") for i in sorted(anchors.origin)}


def epoch(app: Sphinx) -> int:
    return source_date(Path(app.confdir), handbook(app.env).course.course.edition.start)


def cover(app: Sphinx) -> Cover:
    return Cover.from_data(handbook(app.env).course, iso_date(epoch(app)))


def session_parts(app: Sphinx, book: Book) -> tuple[SessionPart, ...]:
    """The parts of the book that are sessions, in the data's order, with their PDF's name."""
    data = handbook(app.env).course
    by_document = {part.document: part for part in book.parts}
    anchor_of = {e.document: e.anchor for e in book.entries if e.level == 1}
    found = []
    for session in data.sessions:
        part = by_document.get(data.session_docname(session))
        if part is None:
            continue
        day = data.day_of(session.id)
        when = long_date(day.date) if day else ""
        name = session_name(data, session)
        found.append(
            SessionPart(session.id, session.label, when, part.name, anchor_of[part.document], name)
        )
    return tuple(found)


def add_front_matter(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: object
) -> None:
    if not is_print_build(app) or pagename != app.config.root_doc:
        return
    book: Book = app.env.handbook_book  # type: ignore[attr-defined]
    front = cover(app)
    sessions = "".join(
        session_front_html(front, s.part, s.label, s.when, entries_below(book.entries, s.anchor))
        for s in session_parts(app, book)
    )
    context["default_mode"] = "light"  # the theme's colours on paper, set without its scripts
    book_html = front.html() + contents_html(book.entries) + sessions + context["body"]
    context["body"] = f'<template id="{BOOK_TEMPLATE_ID}">{book_html}</template>'
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
    """Flatten the diagrams' shadows and write the manifest, only when the build succeeded."""
    if exception is not None or not is_print_build(app):
        return
    for diagram in (Path(app.outdir) / "_images").glob("mermaid-*.svg"):
        flatten_shadows(diagram)
    book: Book = app.env.handbook_book  # type: ignore[attr-defined]
    page = f"{app.config.root_doc}{app.builder.out_suffix}"
    data = handbook(app.env).course
    Manifest(
        page,
        book_metadata(app),
        book.entries,
        book_name(data),
        epoch(app),
        session_parts(app, book),
        book.urls,
    ).write(Path(app.outdir))


def setup_print(app: Sphinx) -> None:
    app.add_directive("pdf-downloads", PdfDownloads)
    app.connect("config-inited", resolve_pdf_dir)
    app.connect("builder-inited", prepare_print_build)
    app.connect("env-updated", sources_read)
    app.connect("doctree-resolved", shape_book)
    app.connect("html-page-context", add_front_matter)
    # After sphinx-book-theme has filled in its own header buttons (priority 501).
    app.connect("html-page-context", add_download_button, priority=502)
    app.connect("build-finished", finish_print_build)
