"""axe-core finds no serious or critical accessibility problem, in light or dark mode.

axe-core comes bundled with ``axe-playwright-python`` (no npm, nothing fetched at test time).
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from .conftest import open_page

pytestmark = [pytest.mark.book, pytest.mark.pdf]

PAGES = {
    "landing": "index.html",
    "session": "sessions/s3_reproducibility/index.html",
    "module": "sessions/s3_reproducibility/docker.html",
    "timeplan": "timeplan.html",
    "tas": "tas.html",
    "faq": "faq.html",
}
BLOCKING = {"serious", "critical"}
# axe's own stylesheet preloading resolves the theme's `@import "../basic.css"` against the
# page instead of the stylesheet and requests a file that does not exist; the browser does not.
OPTIONS = {"resultTypes": ["violations"], "preload": False}


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", PAGES.values(), ids=PAGES.keys())
def test_no_serious_accessibility_violation(
    page: Page, base_url: str, axe: Axe, name: str, scheme: str
) -> None:
    page.emulate_media(color_scheme=scheme)
    open_page(page, base_url + name)
    assert page.locator("html").get_attribute("data-theme") == scheme
    violations = [
        {
            "rule": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "where": [node["target"] for node in violation["nodes"][:5]],
        }
        for violation in axe.run(page, options=OPTIONS).response["violations"]
        if violation["impact"] in BLOCKING
    ]
    assert violations == []
