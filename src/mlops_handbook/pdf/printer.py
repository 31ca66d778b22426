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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pikepdf
from playwright.sync_api import Page, Route, sync_playwright

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


def print_pdf(browser: Path, url: str, manifest: Manifest) -> Printed:
    """Print ``url`` as described above."""
    origin = "{0.scheme}://{0.netloc}/".format(urlsplit(url))
    refused: list[str] = []
    seconds: dict[str, float] = {}

    def refuse(route: Route) -> None:
        refused.append(route.request.url)
        route.abort("internetdisconnected")

    def timed(phase: str, action: Callable[[], bytes]) -> bytes:
        started = time.perf_counter()
        result = action()
        seconds[phase] = seconds.get(phase, 0.0) + time.perf_counter() - started
        return result

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(browser), args=list(CHROMIUM_ARGS), timeout=TIMEOUT_MS
        )
        try:
            page = chromium.new_page(color_scheme="light", java_script_enabled=False)
            page.set_default_timeout(TIMEOUT_MS)
            page.route(re.compile(rf"^(?!{re.escape(origin)})"), refuse)
            started = time.perf_counter()
            page.goto(url, wait_until="load")
            page.evaluate("document.fonts.ready.then(() => null)")
            seconds["load the one-page book"] = time.perf_counter() - started
            page.evaluate(FILL_NUMBERS, [{}, PLACEHOLDER])
            book = timed("print the book", lambda: page.pdf(**PDF_OPTIONS))
            with pikepdf.open(io.BytesIO(book)) as pdf:
                numbers = page_numbers(pdf, shown(manifest.entries))
                where = places(pdf, [s.anchor for s in manifest.sessions] + _all(manifest))
            page.evaluate(FILL_NUMBERS, [numbers, ""])
            page.evaluate(FRONT_MATTER_ONLY)
            front = timed("print the front pages", lambda: page.pdf(**PDF_OPTIONS))
            sessions = {}
            prints = 2
            for session in manifest.sessions:
                first = where[session.anchor].index
                predicted = {
                    anchor: where[anchor].index - first + 1 + FIRST_SHEETS
                    for anchor in shown(manifest.session_entries(session))
                }
                sessions[session.file], times = _print_session(
                    page, session, predicted, manifest.urls, seconds
                )
                prints += times
        finally:
            chromium.close()
    for address in refused:
        print(f"warning: the print build asked for {address}; refused (offline)", file=sys.stderr)
    return Printed(book, front, sessions, seconds, prints)


def _all(manifest: Manifest) -> list[str]:
    return [a for s in manifest.sessions for a in shown(manifest.session_entries(s))]


def _print_session(
    page: Page,
    session: SessionPart,
    numbers: dict[str, int],
    urls: dict[str, str],
    seconds: dict[str, float],
) -> tuple[bytes, int]:
    """Print one session; print again with the right numbers if the prediction was wrong."""
    started = time.perf_counter()
    page.evaluate(SESSION_ONLY, [session.part, urls])
    seconds["show one session at a time"] = (
        seconds.get("show one session at a time", 0.0) + time.perf_counter() - started
    )
    for times in (1, 2):
        page.evaluate(FILL_NUMBERS, [numbers, ""])
        started = time.perf_counter()
        printed = page.pdf(**PDF_OPTIONS)
        seconds["print the sessions"] = (
            seconds.get("print the sessions", 0.0) + time.perf_counter() - started
        )
        with pikepdf.open(io.BytesIO(printed)) as pdf:
            landed = page_numbers(pdf, numbers)
        if landed == numbers:
            return printed, times
        numbers = landed
    raise ContentsError(f"the page numbers of {session.label}'s contents do not settle")
