"""Drive headless Chromium (through Playwright, with the system's browser) to print the PDFs.

The page is loaded once and printed as tagged PDF (its structure tree is what screen readers
read). First the whole book, with a placeholder in each of the contents' page-number boxes;
it tells on which page every anchor landed. Then the numbers are filled in, everything after
the contents is hidden, and a short print gives the numbered front pages, which replace the
first print's (see ``contents.splice_front``). Last, each session in turn: its own cover and
contents (from a ``<template>`` the print build wrote) in front of its part of the book, and
every link that leaves the session pointed at the published site. A session's page numbers are
known from the book's print, since each part starts on a new sheet; they are checked after the
print, and printed once more in the rare case that the session's first sheet ran over.

Every request that is not for the local server is refused, so printing works, and behaves the
same, offline. The page's own scripts are off: the book needs none, and the theme's scripts
cost a second on a page this big.
"""

from __future__ import annotations

import io
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pikepdf
from playwright.sync_api import Page, Route, sync_playwright

from ..progress import PROGRESS
from .contents import PLACEHOLDER, ContentsError, page_numbers, places
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

FILL_NUMBERS = """([numbers, placeholder]) => {
  for (const box of document.querySelectorAll(".handbook-contents-page")) {
    box.textContent = numbers[box.dataset.anchor] ?? placeholder;
  }
}"""

# Everything after the contents moves into an inert <template>: neither laid out nor tagged.
# Only hiding it (display: none) made each session's print as slow as the whole book's.
FRONT_MATTER_ONLY = """() => {
  const contents = document.querySelector(".handbook-contents");
  const store = document.createElement("template");
  store.id = "handbook-store";
  while (contents.nextSibling) {
    store.content.append(contents.nextSibling);
  }
  contents.after(store);
}"""

SESSION_ONLY = """([part, urls]) => {
  const store = document.getElementById("handbook-store");
  const article = store.parentNode;
  for (const child of [...article.children]) {
    if (child !== store) child.remove();
  }
  const template = store.content.querySelector(`template[data-part="${part}"]`);
  const front = template.content.firstElementChild.cloneNode(true);
  const body = store.content.querySelector(`.handbook-part.${part}`);
  article.append(front, body);
  for (const link of article.querySelectorAll('a[href^="#"]')) {
    const id = decodeURIComponent(link.getAttribute("href").slice(1));
    if (id && !document.getElementById(id) && urls[id]) {
      link.setAttribute("href", urls[id]);
    }
  }
}"""

TIMEOUT_MS = 120_000
FIRST_SHEETS = 1  # a session's cover and contents share its first sheet


@dataclass(frozen=True)
class Printed:
    """The book with placeholder numbers, its numbered front pages, and each session's PDF."""

    book: bytes
    front: bytes
    sessions: dict[str, bytes]
    seconds: dict[str, float] = field(default_factory=dict)
    prints: int = 0  # Chromium's prints in all; a session printed twice counts twice


def shown(entries: tuple[Entry, ...]) -> list[str]:
    """The anchors whose page number the contents show (see ``front_matter.contents_html``)."""
    return [e.anchor for e in entries if e.document and e.level <= 2]


@dataclass
class _Timed:
    """The page being printed, with the time of each phase and the count of prints."""

    page: Page
    seconds: dict[str, float] = field(default_factory=dict)
    prints: int = 0
    part: str = ""  # shown with the progress: which session, of how many

    def run(self, phase: str, script: str, argument: Any = None) -> None:
        started = time.perf_counter()
        with PROGRESS.ticking(f"{phase}{self.part}"):
            self.page.evaluate(script, argument)
        self.add(phase, started)

    def pdf(self, phase: str) -> bytes:
        started = time.perf_counter()
        with PROGRESS.ticking(f"{phase}{self.part}: printing"):
            printed = self.page.pdf(**PDF_OPTIONS)
        self.add(phase, started)
        self.prints += 1
        return printed

    def add(self, phase: str, started: float) -> None:
        self.seconds[phase] = self.seconds.get(phase, 0.0) + time.perf_counter() - started


def print_pdf(browser: Path, url: str, manifest: Manifest) -> Printed:
    """Print ``url`` as described above."""
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
            timed = _Timed(page)
            started = time.perf_counter()
            page.goto(url, wait_until="load")
            page.evaluate("document.fonts.ready.then(() => null)")
            timed.add("load the one-page book", started)
            timed.run("print the book", FILL_NUMBERS, [{}, PLACEHOLDER])
            book = timed.pdf("print the book")
            sessions = {s.file: shown(manifest.session_entries(s)) for s in manifest.sessions}
            with PROGRESS.ticking("page numbers"), pikepdf.open(io.BytesIO(book)) as pdf:
                numbers = page_numbers(pdf, shown(manifest.entries))
                anchors = [s.anchor for s in manifest.sessions]
                where = places(pdf, anchors + [a for got in sessions.values() for a in got])
            timed.run("print the front pages", FILL_NUMBERS, [numbers, ""])
            timed.run("print the front pages", FRONT_MATTER_ONLY)
            front = timed.pdf("print the front pages")
            printed = {}
            for number, session in enumerate(manifest.sessions, start=1):
                timed.part = f" {session.label} ({number}/{len(manifest.sessions)})"
                first = where[session.anchor].index
                predicted = {
                    a: where[a].index - first + 1 + FIRST_SHEETS for a in sessions[session.file]
                }
                printed[session.file] = _print_session(timed, session, predicted, manifest.urls)
        finally:
            chromium.close()
    for address in refused:
        print(f"warning: the print build asked for {address}; refused (offline)", file=sys.stderr)
    return Printed(book, front, printed, timed.seconds, timed.prints)


def _print_session(
    timed: _Timed, session: SessionPart, numbers: dict[str, int], urls: dict[str, str]
) -> bytes:
    """Print one session; print again with the right numbers if the prediction was wrong."""
    timed.run("print the sessions", SESSION_ONLY, [session.part, urls])
    for _ in range(2):
        timed.run("print the sessions", FILL_NUMBERS, [numbers, ""])
        printed = timed.pdf("print the sessions")
        with pikepdf.open(io.BytesIO(printed)) as pdf:
            landed = page_numbers(pdf, numbers)
        if landed == numbers:
            return printed
        numbers = landed
    raise ContentsError(f"the page numbers of {session.label}'s contents do not settle")
