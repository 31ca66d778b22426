"""A headless Chromium of its own, on a thread of its own, with the book loaded in one page.

Chromium lays out and prints a page on one core (its renderer process), so the printer runs
two of these side by side to use both. Playwright's sync API belongs to the thread that
started it: every call to the browser goes through this renderer's single thread.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from playwright.sync_api import Browser, Page, Playwright, Route, sync_playwright

T = TypeVar("T")

CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
)

TIMEOUT_MS = 120_000

# A font that fails (a web address, refused offline) leaves the fallback, as on the site.
LOAD_FONTS = """() => Promise.all(
  [...document.fonts].map((face) => face.load().catch(() => null))).then(() => null)"""


class Renderer:
    """Starts the browser at once, or once ``after`` is set; ``run`` hands it work.

    The work is done in the order given. The page's own scripts are off: the book needs none,
    and the theme's scripts cost a second on a page this big.
    """

    def __init__(self, browser: Path, after: threading.Event | None = None) -> None:
        self.refused: list[str] = []
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="chromium")
        self._playwright: Playwright | None = None
        self._browser: Browser | None = None
        self._stopping: Future[None] | None = None
        self.started: Future[Page] = self._thread.submit(self._start, browser, after)

    def _start(self, executable: Path, after: threading.Event | None) -> Page:
        if after is not None:
            after.wait()
        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(
            executable_path=str(executable), args=list(CHROMIUM_ARGS), timeout=TIMEOUT_MS
        )
        page = self._browser.new_page(color_scheme="light", java_script_enabled=False)
        page.set_default_timeout(TIMEOUT_MS)
        return page

    def load(self, page: Page, url: str) -> None:
        """Load ``url`` and every font it declares.

        The book waits unseen in a template (see ``mode.py``), so no layout asks for its fonts:
        all of them are loaded here, before any print needs one. Every request that is not for
        its server is refused (and listed in ``refused``), so printing works, and behaves the
        same, offline.
        """
        origin = "{0.scheme}://{0.netloc}/".format(urlsplit(url))
        page.route(re.compile(rf"^(?!{re.escape(origin)})"), self._refuse)
        page.goto(url, wait_until="load")
        page.evaluate(LOAD_FONTS)

    def _refuse(self, route: Route) -> None:
        self.refused.append(route.request.url)
        route.abort("internetdisconnected")

    def run(self, work: Callable[[Page], T]) -> Future[T]:
        """Do ``work`` with the page, on this renderer's thread, after the work given before."""
        return self._thread.submit(lambda: work(self.started.result()))

    def stop(self) -> Future[None]:
        """Start closing the browser, once the work given is done; ``close`` waits for it.

        The printer stops the browsers as soon as the last piece is printed, so that they
        close while the PDFs are merged.
        """
        if self._stopping is None:
            self._stopping = self._thread.submit(self._stop)
        return self._stopping

    def close(self) -> None:
        """Close the browser (waiting for the work given), even if it failed to start."""
        self.stop().result()
        self._thread.shutdown()

    def _stop(self) -> None:
        try:
            if self._browser is not None:
                self._browser.close()
        finally:
            if self._playwright is not None:
                self._playwright.stop()

    def __enter__(self) -> Renderer:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


@contextmanager
def renderers(
    browser: Path, count: int = 2, after: threading.Event | None = None
) -> Iterator[tuple[Renderer, ...]]:
    """``count`` browsers, starting side by side (once ``after`` is set, if given).

    All are closed at the end of the block: set ``after`` before it ends.
    """
    started: list[Renderer] = []
    try:
        started += [Renderer(browser, after) for _ in range(count)]
        yield tuple(started)
    finally:
        for renderer in started:  # side by side
            renderer.stop()
        for renderer in started:
            renderer.close()
