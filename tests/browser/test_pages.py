"""Every page of the site, served and opened from disk: offline, error-free, phone-sized.

Each page is opened as on a first visit (empty storage), and every request it makes for another
host is recorded. The served tour uses a desktop window, the tour from disk a phone's.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from .conftest import DESKTOP, PHONE, offline_context

pytestmark = [pytest.mark.book, pytest.mark.pdf]

FORGET = "() => { localStorage.clear(); sessionStorage.clear(); }"

# Images load lazily, as a reader scrolls (or opens the dropdown they are in): fetch them all.
LOAD_IMAGES = """async () => {
  const images = [...document.images];
  images.forEach((img) => { img.loading = "eager"; });
  await Promise.all(images.map((img) => img.decode().catch(() => null)));
}"""

MEASURE = """() => ({
  overflow: document.scrollingElement.scrollWidth - window.innerWidth,
  broken: [...document.images]
    .filter((img) => !img.complete || img.naturalWidth === 0)
    .map((img) => img.getAttribute("src")),
  unlabelled: [...document.images]
    .filter((img) => !(img.getAttribute("alt") || "").trim())
    .map((img) => img.getAttribute("src")),
  diagrams: document.querySelectorAll("img.mermaid").length,
})"""


@dataclass(frozen=True)
class Visit:
    """What one page did and looked like in the browser."""

    offsite: list[str]
    errors: list[str]
    overflow: int
    broken: list[str]
    unlabelled: list[str]
    diagrams: int


Tour = dict[str, Visit]


def tour(browser: Browser, base_url: str, urls: dict[str, str], viewport: dict[str, int]) -> Tour:
    context, watch = offline_context(browser, base_url, viewport=viewport)
    page = context.new_page()
    visits = {}
    try:
        for name, url in urls.items():
            page.goto(url, wait_until="load")
            page.evaluate(LOAD_IMAGES)
            measured = page.evaluate(MEASURE)
            page.evaluate(FORGET)  # so that the next page is a first visit too
            visits[name] = Visit(*watch.take(), **measured)
    finally:
        context.close()
    return visits


@pytest.fixture(scope="module")
def served(chromium: Browser, base_url: str, pages: list[str]) -> Tour:
    return tour(chromium, base_url, {name: base_url + name for name in pages}, DESKTOP)


@pytest.fixture(scope="module")
def from_disk(chromium: Browser, base_url: str, site: Path, pages: list[str]) -> Tour:
    return tour(chromium, base_url, {name: (site / name).as_uri() for name in pages}, PHONE)


@pytest.fixture(params=["served", "from_disk"])
def visits(request: pytest.FixtureRequest) -> Tour:
    return request.getfixturevalue(request.param)


def failures(visits: Tour, attribute: str) -> dict[str, object]:
    return {
        name: getattr(visit, attribute)
        for name, visit in visits.items()
        if getattr(visit, attribute)
    }


def test_no_page_requests_another_host(visits: Tour) -> None:
    assert failures(visits, "offsite") == {}


def test_no_page_logs_a_console_error(visits: Tour) -> None:
    assert failures(visits, "errors") == {}


def test_every_image_loads(visits: Tour) -> None:
    assert failures(visits, "broken") == {}


def test_every_image_has_alt_text(served: Tour) -> None:
    assert failures(served, "unlabelled") == {}


def test_mermaid_diagrams_are_images_on_the_pages(served: Tour) -> None:
    with_diagrams = [name for name, visit in served.items() if visit.diagrams]
    assert "sessions/s3_reproducibility/docker.html" in with_diagrams
    assert len(with_diagrams) >= 5


def test_no_page_scrolls_sideways_on_a_phone(from_disk: Tour) -> None:
    assert failures(from_disk, "overflow") == {}
