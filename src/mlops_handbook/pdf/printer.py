"""Drive headless Chromium (through Playwright, with the system's browser) to print the book.

The page is loaded once. The first print is the book with empty page-number boxes in the
contents; it tells on which page every anchor landed. Then the numbers are filled in, everything
after the contents is dropped, and a second, short print gives the numbered front pages, which
replace the unnumbered ones (see ``contents.splice_front``). Every request that is not for the
local server is refused, so printing works, and behaves the same, offline. The page's own
scripts are off: the book needs none, and the theme's scripts cost a second on a page this big.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Route, sync_playwright

from .contents import page_numbers

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
}

FRONT_MATTER_ONLY = """(numbers) => {
  for (const box of document.querySelectorAll(".handbook-contents-page")) {
    box.textContent = numbers[box.dataset.anchor] ?? "";
  }
  const contents = document.querySelector(".handbook-contents");
  while (contents.nextSibling) {
    contents.nextSibling.remove();
  }
}"""

TIMEOUT_MS = 120_000


@dataclass(frozen=True)
class Printed:
    """The book with unnumbered contents, and its numbered front pages (cover and contents)."""

    book: bytes
    front: bytes


def print_pdf(browser: Path, url: str, anchors: list[str]) -> Printed:
    """Print ``url`` twice as described above."""
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
            page.goto(url, wait_until="load")
            page.evaluate("document.fonts.ready.then(() => null)")
            book = page.pdf(**PDF_OPTIONS)
            page.evaluate(FRONT_MATTER_ONLY, page_numbers(book, anchors))
            front = page.pdf(**PDF_OPTIONS)
        finally:
            chromium.close()
    for address in refused:
        print(f"warning: the print build asked for {address}; refused (offline)", file=sys.stderr)
    return Printed(book, front)
