"""Drive headless Chromium (through Playwright, with the system's browser) to print the PDFs.

The page is loaded once and printed as tagged PDF (its structure tree is what screen readers
read), one piece at a time: Chromium's print layout grows faster than the page, so the 555
pages of the whole book cost more in one print than in a dozen (measured: 29 s against 18 s
of the renderer's CPU). The pieces are the front matter (cover and contents), the body in
chunks (each session a chunk of its own; the pages between sessions grouped), and each
session's own first sheet. ``merge.py`` puts them together into the book and the sessions.

Only the piece being printed is in the document; the rest waits in an inert ``<template>``.
Each chunk is printed once, with the book's page numbers in its footers (the page counter
starts where the chunk starts in the book), and serves both the book and its session's PDF.
A link whose target is in another piece points at the published site; the merge turns it
back into a link inside the PDF wherever the target is in it. Every anchor that any link of
the book points at gets a hidden link in its own chunk, so that Chromium writes a named
destination for it. The front matter is printed twice: with placeholder numbers first, to know
where the body starts, and with the numbers last.

Every request that is not for the local server is refused, so printing works, and behaves the
same, offline. The page's own scripts are off: the book needs none, and the theme's scripts
cost a second on a page this big.
"""

from __future__ import annotations

import io
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pikepdf
from playwright.sync_api import Page, Route, sync_playwright

from ..progress import PROGRESS
from .contents import PLACEHOLDER, ContentsError, destinations, places
from .manifest import Entry, Manifest, SessionPart

CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
)

PDF_OPTIONS: dict[str, Any] = {
    "prefer_css_page_size": True,  # A4 and the margins come from the print CSS
    "print_background": True,
    "tagged": True,  # a structure tree: headings, lists, tables, figures with their alt text
}

# Everything after the contents moves into an inert <template>: the session fronts as they
# are, the body as one <template data-chunk> per chunk. Returns every anchor a link targets.
SPLIT = """(sessionParts) => {
  const contents = document.querySelector(".handbook-contents");
  const article = contents.parentNode;
  const targets = new Set();
  for (const link of document.querySelectorAll('a[href^="#"]')) {
    targets.add(decodeURIComponent(link.getAttribute("href").slice(1)));
  }
  const store = document.createElement("template");
  store.id = "handbook-store";
  const front = document.createElement("template");
  front.dataset.front = "";
  let chunk = null;
  let chunks = 0;
  const open = () => {
    chunk = document.createElement("template");
    chunk.dataset.chunk = String(chunks++);
    store.content.append(chunk);
  };
  // Page markers (never shown) and white space go with the element that follows them.
  let pending = [];
  while (contents.nextSibling) {
    const node = contents.nextSibling;
    node.remove();
    if (node.matches?.("template.handbook-session-front")) {
      store.content.append(node);
    } else if (node.nodeType !== Node.ELEMENT_NODE || node.matches('span[id^="document-"]')) {
      pending.push(node);
    } else {
      const session = node.matches(".handbook-part") &&
        sessionParts.some((part) => node.classList.contains(part));
      if (chunk === null || session || chunk.dataset.session !== undefined) open();
      if (session) chunk.dataset.session = "";
      chunk.content.append(...pending, node);
      pending = [];
    }
  }
  if (chunk !== null) chunk.content.append(...pending);
  while (article.firstChild !== contents) front.content.append(article.firstChild);
  front.content.append(contents);
  store.content.append(front);
  article.append(store);
  return {chunks, targets: [...targets]};
}"""

# Show one piece: the front matter, a chunk, or a session's first sheet; fill in the
# contents' numbers, point links that leave the piece at the site, start the page counter.
SHOW = """([piece, numbers, placeholder, urls, targets, firstPage]) => {
  const store = document.getElementById("handbook-store");
  const article = store.parentNode;
  for (const child of [...article.children]) {
    if (child !== store) child.remove();
  }
  let nodes;
  if (piece.front) {
    nodes = store.content.querySelector("template[data-front]").content.cloneNode(true);
  } else if (piece.session) {
    const template = store.content.querySelector(`template[data-part="${piece.session}"]`);
    nodes = template.content.cloneNode(true);
  } else {
    nodes = store.content.querySelector(`template[data-chunk="${piece.chunk}"]`).content;
  }
  article.append(nodes);
  const anchors = document.createElement("div");
  anchors.className = "handbook-anchors";
  anchors.setAttribute("aria-hidden", "true");
  for (const id of targets) {
    if (document.getElementById(id)) {
      const link = document.createElement("a");
      link.className = "handbook-anchor";
      link.setAttribute("href", "#" + encodeURIComponent(id));
      anchors.append(link);
    }
  }
  // Inside the first element shown, so that it shares its named page: no sheet of its own.
  const first = [...article.children].find(
    (e) => e !== store && !e.matches('span[id^="document-"]'));
  first.prepend(anchors);
  for (const box of document.querySelectorAll(".handbook-contents-page")) {
    box.textContent = numbers[box.dataset.anchor] ?? placeholder;
  }
  for (const link of article.querySelectorAll('a[href^="#"]')) {
    const id = decodeURIComponent(link.getAttribute("href").slice(1));
    if (id && !document.getElementById(id) && urls[id]) link.setAttribute("href", urls[id]);
  }
  let counter = document.getElementById("handbook-page-counter");
  if (!counter) {
    counter = document.createElement("style");
    counter.id = "handbook-page-counter";
    counter.media = "print";
    document.head.append(counter);
  }
  counter.textContent = `@page :first { counter-increment: page ${firstPage}; }`;
}"""

TIMEOUT_MS = 120_000


@dataclass(frozen=True)
class Chunk:
    """A printed chunk of the book's body: its PDF and the book's page its first page is."""

    pdf: bytes
    first_page: int
    pages: int
    session: str = ""  # the session's part, for a session's chunk


@dataclass(frozen=True)
class Printed:
    """The numbered front matter and the body's chunks; the sessions' sheets go to a callback."""

    front: bytes
    chunks: tuple[Chunk, ...]
    seconds: dict[str, float] = field(default_factory=dict)
    prints: int = 0
    printed_pages: int = 0  # the pages Chromium laid out and printed, in all prints


def shown(entries: tuple[Entry, ...]) -> list[str]:
    """The anchors whose page number the contents show (see ``front_matter.contents_html``)."""
    return [e.anchor for e in entries if e.document and e.level <= 2]


@dataclass
class _Printer:
    """The page being printed, with the time of each phase and the count of prints."""

    page: Page
    urls: dict[str, str]
    targets: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    prints: int = 0
    printed_pages: int = 0

    def print(
        self,
        phase: str,
        piece: dict[str, Any],
        numbers: dict[str, int] | None = None,
        first_page: int = 1,
        which: str = "",
    ) -> bytes:
        """Show ``piece`` and print it; ``which`` tells the progress line which one it is."""
        started = time.perf_counter()
        with PROGRESS.ticking(f"{phase}{which}"):
            self.page.evaluate(
                SHOW,
                [piece, numbers or {}, PLACEHOLDER, self.urls, self.targets, first_page],
            )
            printed = self.page.pdf(**PDF_OPTIONS)
        self.seconds[phase] = self.seconds.get(phase, 0.0) + time.perf_counter() - started
        self.prints += 1
        with pikepdf.open(io.BytesIO(printed)) as pdf:
            self.printed_pages += len(pdf.pages)
        return printed


SessionPrinted = Callable[[SessionPart, bytes, Chunk], None]


def print_pdf(
    browser: Path, url: str, manifest: Manifest, on_session: SessionPrinted | None = None
) -> Printed:
    """Print ``url`` as described above.

    ``on_session`` is called with each session's first sheet and chunk as soon as both are
    printed, so they can be put together while the rest prints; without it, only what the book
    needs is printed.
    """
    origin = "{0.scheme}://{0.netloc}/".format(urlsplit(url))
    refused: list[str] = []

    def refuse(route: Route) -> None:
        refused.append(route.request.url)
        route.abort("internetdisconnected")

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(browser), args=list(CHROMIUM_ARGS), timeout=TIMEOUT_MS
        )
        try:
            page = chromium.new_page(color_scheme="light", java_script_enabled=False)
            page.set_default_timeout(TIMEOUT_MS)
            page.route(re.compile(rf"^(?!{re.escape(origin)})"), refuse)
            printer = _Printer(page, manifest.urls)
            started = time.perf_counter()
            with PROGRESS.ticking("load the one-page book"):
                page.goto(url, wait_until="load")
                page.evaluate("document.fonts.ready.then(() => null)")
                split = page.evaluate(SPLIT, [s.part for s in manifest.sessions])
            printer.targets = split["targets"]
            printer.seconds["load the one-page book"] = time.perf_counter() - started
            printed = _print_all(printer, manifest, split["chunks"], on_session)
        finally:
            chromium.close()
    for address in refused:
        print(f"warning: the print build asked for {address}; refused (offline)", file=sys.stderr)
    return printed


def _pages(pdf: bytes) -> tuple[int, dict[str, int]]:
    """The page count, and the page index (from 0) of every named destination."""
    with pikepdf.open(io.BytesIO(pdf)) as opened:
        where = places(opened, destinations(opened))
        return len(opened.pages), {anchor: place.index for anchor, place in where.items()}


def _print_all(
    printer: _Printer, manifest: Manifest, chunks: int, on_session: SessionPrinted | None
) -> Printed:
    front_pages, _ = _pages(printer.print("print the front matter", {"front": True}))
    session_of = {s.anchor: s for s in manifest.sessions}
    numbers: dict[str, int] = {}
    printed = []
    first_page = front_pages + 1
    for chunk in range(chunks):
        pdf = printer.print(
            "print the body", {"chunk": chunk}, None, first_page, f" ({chunk + 1}/{chunks})"
        )
        pages, where = _pages(pdf)
        numbers.update({anchor: first_page + index for anchor, index in where.items()})
        session = next((session_of[a] for a in where if a in session_of), None)
        printed.append(Chunk(pdf, first_page, pages, session.part if session else ""))
        first_page += pages
        if session is not None and on_session is not None:
            front = printer.print(
                "print the sessions' first sheets", {"session": session.part}, numbers
            )
            on_session(session, front, printed[-1])
    missing = [anchor for anchor in shown(manifest.entries) if anchor not in numbers]
    if missing:
        raise ContentsError(f"no destination in the printed PDF for {', '.join(missing[:5])}")
    front = printer.print("print the front matter", {"front": True}, numbers)
    if _pages(front)[0] != front_pages:
        raise ContentsError("the numbered contents take more pages than the first print's")
    return Printed(front, tuple(printed), printer.seconds, printer.prints, printer.printed_pages)
