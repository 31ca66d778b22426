"""The built handbook, served on 127.0.0.1 and opened from disk, in the system's Chromium.

The real book (HTML and PDF) is built once per test run and published into a temporary folder
the way ``nox -s book`` publishes ``build/html``. Chromium cannot reach any other host, and
every request a page makes for one is recorded: the tests prove the site works offline.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Request,
    sync_playwright,
)
from playwright.sync_api import Error as PlaywrightError

from mlops_handbook.build import Layout, publish
from mlops_handbook.pdf.browser import BrowserNotFoundError, find_browser
from mlops_handbook.pdf.printer import CHROMIUM_ARGS
from mlops_handbook.pdf.server import serve_directory
from mlops_handbook.search.index import index_site

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}

# Chromium sends every request for another host to a closed port on this machine (it never
# proxies 127.0.0.1), so no test can reach the internet; the tests still see each attempt.
OFFLINE_ARGS = ("--proxy-server=http://127.0.0.1:9",)

# Theme transitions (e.g. after a colour-scheme switch) must end before colours are measured.
SETTLE = "Promise.all(document.getAnimations().map(a => a.finished.catch(() => null)))"


@pytest.fixture(scope="session")
def browser_executable() -> Path:
    """The system's Chromium; the browser tests skip (saying why) only if there is none."""
    try:
        return find_browser()
    except BrowserNotFoundError as missing:
        pytest.skip(f"no Chromium-family browser for the browser tests: {missing}")


@pytest.fixture(scope="session")
def site(
    browser_executable: Path,
    real_book: Path,
    printed_book: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Path:
    """The published site: the real book's HTML with its PDFs, as students get it."""
    layout = Layout(tmp_path_factory.mktemp("published"))
    shutil.copytree(real_book, layout.staging("html"))
    shutil.copytree(Layout(printed_book).pdf, layout.pdf)
    index_site(layout.staging("html"))
    return publish(layout)


@pytest.fixture(scope="session")
def pages(site: Path) -> list[str]:
    """Every HTML page of the site, as paths relative to its root.

    Not 404.html: a web server shows it for any missing URL below the published address, so
    its links start with that address's path and resolve only there (the internal link check
    covers them).
    """
    skipped = {"_static", "_images", "_sources"}
    found = sorted(
        path.relative_to(site).as_posix()
        for path in site.rglob("*.html")
        if not skipped & set(path.relative_to(site).parts) and path.name != "404.html"
    )
    assert "index.html" in found and len(found) > 20, f"{site} is not the whole book"
    return found


@pytest.fixture(scope="session")
def base_url(site: Path) -> Iterator[str]:
    """The site served on an ephemeral port of 127.0.0.1, ending in ``/``."""
    with serve_directory(site) as base:
        yield base


@pytest.fixture(scope="module")
def chromium(browser_executable: Path, site: Path) -> Iterator[Browser]:
    """The system's Chromium, with every request for another host sent to a dead end.

    Printing a PDF runs its own Playwright, which cannot start while this one runs: so this one
    starts after the site (and its PDF) is built and stops after each test module, before the
    PDF tests run.
    """
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(browser_executable), args=[*CHROMIUM_ARGS, *OFFLINE_ARGS]
        )
        yield browser
        browser.close()


@dataclass
class Watch:
    """What a browser context did that a page must not: reach out, or log an error."""

    local: tuple[str, ...]
    offsite: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def request(self, request: Request) -> None:
        if not request.url.startswith(self.local):
            self.offsite.append(request.url)

    def console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(f"console: {message.text}")

    def page_error(self, error: PlaywrightError) -> None:
        self.errors.append(f"uncaught: {error}")

    def watch(self, page: Page) -> None:
        page.on("console", self.console)
        page.on("pageerror", self.page_error)

    def take(self) -> tuple[list[str], list[str]]:
        """Return and forget what happened so far."""
        found = (self.offsite[:], self.errors[:])
        self.offsite.clear()
        self.errors.clear()
        return found


def offline_context(
    browser: Browser, base_url: str, **options: Any
) -> tuple[BrowserContext, Watch]:
    """A fresh profile that records its pages' errors and requests for other hosts."""
    watch = Watch(local=(base_url, "file://", "data:", "blob:", "about:"))
    context = browser.new_context(**options)
    context.on("request", watch.request)
    context.on("page", watch.watch)
    return context, watch


@pytest.fixture
def context(chromium: Browser, base_url: str) -> Iterator[BrowserContext]:
    """A fresh desktop-sized profile; the test fails if a page reached out or logged an error."""
    context, watch = offline_context(chromium, base_url, viewport=DESKTOP)
    yield context
    context.close()
    offsite, errors = watch.take()
    assert offsite == [], "a page requested another host"
    assert errors == [], "a page logged an error"


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


def open_page(page: Page, url: str) -> Page:
    """Load ``url`` and wait until its scripts ran and its transitions ended."""
    page.goto(url, wait_until="load")
    page.evaluate(SETTLE)
    return page
