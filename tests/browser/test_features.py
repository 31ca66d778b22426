"""What students do on the site: search, dark mode, tabs, dropdowns, copy, diagrams, the PDF."""

from __future__ import annotations

import io
import re
from pathlib import Path
from urllib.parse import quote, urlsplit
from urllib.request import url2pathname

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, Route, expect
from pypdf import PdfReader

from mlops_handbook.pdf.names import published_pdfs

from .conftest import SETTLE, open_page

pytestmark = [pytest.mark.book, pytest.mark.pdf]

DOCKER = "sessions/s3_reproducibility/docker.html"
COMMAND_LINE = "sessions/s1_development_environment/command_line.html"
PACKAGE_MANAGER = "sessions/s1_development_environment/package_manager.html"

# Contrast (WCAG 2) between each diagram's text colours and what is behind the image.
DIAGRAM_CONTRAST = """async () => {
  const rgb = (css) => css.match(/[\\d.]+/g).map(Number);
  const luminance = ([r, g, b]) => {
    const lin = (c) => (c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  const backdrop = (element) => {
    for (let node = element; node; node = node.parentElement) {
      const colour = rgb(getComputedStyle(node).backgroundColor);
      if (colour.length < 4 || colour[3] > 0) return colour;
    }
    return [255, 255, 255];
  };
  const results = [];
  for (const img of document.querySelectorAll("img.mermaid")) {
    const source = await (await fetch(img.src)).text();
    const holder = document.createElement("div");
    holder.style.cssText = "position:absolute;visibility:hidden";
    holder.append(new DOMParser().parseFromString(source, "image/svg+xml").documentElement);
    document.body.append(holder);
    const fills = [...holder.querySelectorAll("text")].map((t) => getComputedStyle(t).fill);
    holder.remove();
    const behind = luminance(backdrop(img));
    const ratios = fills.filter((f) => f.startsWith("rgb")).map((fill) => {
      const [hi, lo] = [luminance(rgb(fill)), behind].sort((a, b) => b - a);
      return (hi + 0.05) / (lo + 0.05);
    });
    const worst = Math.min(...ratios);
    results.push({ src: img.getAttribute("src"), texts: ratios.length, worst });
  }
  return results;
}"""


# What a copy button should copy: the code without prompts, output or line numbers.
CODE_WITHOUT_PROMPTS = """(pre) => {
  const copy = pre.cloneNode(true);
  copy.querySelectorAll(".gp, .go, .linenos").forEach((node) => node.remove());
  return copy.textContent;
}"""


def url(base_url: str, site: Path, name: str, where: str) -> str:
    return base_url + name if where == "served" else (site / name).as_uri()


def search(page: Page, address: str, words: str) -> list[str]:
    """Run the site's own search and return the result links, relative to the site."""
    open_page(page, f"{address}?q={quote(words)}")
    expect(page.locator("#search-results .search-summary")).to_contain_text(
        "Search finished", timeout=20_000
    )
    hrefs = page.locator("#search-results ul.search li a").evaluate_all(
        "(links) => links.map((a) => a.getAttribute('href'))"
    )
    return [href.split("#", 1)[0].split("?", 1)[0] for href in hrefs]


@pytest.mark.parametrize("where", ["served", "from_disk"])
def test_search_finds_the_docker_module(page: Page, base_url: str, site: Path, where: str) -> None:
    assert DOCKER in search(page, url(base_url, site, "search.html", where), "docker")


@pytest.mark.parametrize("where", ["served", "from_disk"])
def test_search_finds_a_faq_entry_by_a_word_of_its_answer(
    page: Page, base_url: str, site: Path, where: str
) -> None:
    open_page(page, url(base_url, site, "faq.html", where))
    answer = page.locator(".handbook-faq-answer").first.inner_text()
    word = max(re.findall(r"[A-Za-z]{4,}", answer), key=len)
    assert "faq.html" in search(page, url(base_url, site, "search.html", where), word), word


def theme(page: Page) -> str | None:
    return page.locator("html").get_attribute("data-theme")


def switch_to_dark(page: Page) -> None:
    page.locator(".theme-switch-button:visible").first.click()
    page.locator(".theme-change-button[data-mode='dark']:visible").first.click()
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    page.evaluate(SETTLE)


def test_dark_mode_toggle_switches_the_theme_and_remembers_it(page: Page, base_url: str) -> None:
    page.emulate_media(color_scheme="light")
    open_page(page, base_url + "index.html")
    assert theme(page) == "light"
    light = page.evaluate("getComputedStyle(document.body).backgroundColor")
    switch_to_dark(page)
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != light
    open_page(page, base_url + DOCKER)
    assert theme(page) == "dark", "the choice of dark mode is not kept across pages"


@pytest.mark.parametrize("press", ["click", "Enter"])
def test_a_menu_used_before_bootstrap_has_arrived_opens_when_it_arrives(
    page: Page, base_url: str, press: str
) -> None:
    """Bootstrap is fetched after the load event (lean/ondemand.py); a click is played back."""
    held: list[Route] = []

    def hold(route: Route) -> None:
        held.append(route)

    page.route("**/_static/scripts/bootstrap.js", hold)
    page.emulate_media(color_scheme="light")
    toggle = page.locator(".theme-switch-button:visible").first
    with page.expect_request("**/_static/scripts/bootstrap.js"):
        open_page(page, base_url + DOCKER)  # the load event came without it
        if press == "click":
            toggle.click()
        else:
            toggle.focus()
            page.keyboard.press(press)
    expect(toggle).not_to_have_attribute("aria-expanded", "true")
    for _ in range(100):  # the route's handler runs while Playwright waits for the page
        if held:
            break
        page.wait_for_timeout(50)
    assert len(held) == 1, "Bootstrap was not fetched, or fetched twice"
    held[0].continue_()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    page.locator(".theme-change-button[data-mode='dark']:visible").first.click()
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")


@pytest.mark.parametrize("name", ["index.html", DOCKER])
def test_diagrams_stay_readable_in_dark_mode(page: Page, base_url: str, name: str) -> None:
    page.emulate_media(color_scheme="light")
    open_page(page, base_url + name)
    switch_to_dark(page)
    diagrams = page.evaluate(DIAGRAM_CONTRAST)
    assert diagrams, f"{name} shows no Mermaid diagram"
    for diagram in diagrams:
        assert diagram["texts"] > 0, diagram
        assert diagram["worst"] >= 4.5, f"diagram text is hard to read in dark mode: {diagram}"


def test_mermaid_diagrams_are_visible_images(page: Page, base_url: str) -> None:
    open_page(page, base_url + DOCKER)
    diagrams = page.locator("img.mermaid")
    assert diagrams.count() >= 1
    first = diagrams.first
    expect(first).to_be_visible()
    assert first.evaluate("(img) => img.complete && img.naturalWidth > 0")
    assert first.bounding_box()["width"] > 100
    assert first.get_attribute("src").endswith(".svg")


def test_os_tabs_switch_together_across_a_page(page: Page, base_url: str) -> None:
    open_page(page, base_url + COMMAND_LINE)
    labels = page.locator("label.sd-tab-label[data-sync-group='os']")
    macos = page.locator("label.sd-tab-label[data-sync-group='os'][data-sync-id='macos']")
    assert macos.count() >= 2, "the command line page should have several synced OS tab sets"
    assert labels.count() >= 2 * macos.count()
    macos.nth(1).click()
    assert all(is_checked(macos)), f"only some OS tab sets switched to macOS: {is_checked(macos)}"
    for index in range(macos.count()):
        content = page.locator(f"#{macos.nth(index).get_attribute('aria-controls')}")
        expect(content).to_be_visible()


def is_checked(labels: Locator) -> list[bool]:
    return labels.evaluate_all(
        "(labels) => labels.map((l) => document.getElementById(l.htmlFor).checked)"
    )


def test_the_chosen_system_is_remembered_on_the_next_page(page: Page, base_url: str) -> None:
    """Windows chosen on one page opens Windows on the next; macOS opens 'Linux and macOS'."""
    open_page(page, base_url + COMMAND_LINE)
    page.locator("label.sd-tab-label[data-sync-id='windows']").first.click()
    open_page(page, base_url + DOCKER)
    windows = page.locator("label.sd-tab-label[data-sync-id='windows']")
    assert windows.count() >= 2
    assert all(is_checked(windows)), "the Docker page forgot the reader's choice of Windows"
    page.locator("label.sd-tab-label[data-sync-id='macos']").first.click()
    open_page(page, base_url + PACKAGE_MANAGER)
    shared = page.locator("label.sd-tab-label[data-sync-id='unix']")
    assert shared.count() >= 1
    assert shared.first.inner_text() == "Linux and macOS"
    assert all(is_checked(shared)), "a macOS reader should see the shared Linux and macOS tab"


def test_dropdowns_open(page: Page, base_url: str) -> None:
    open_page(page, base_url + DOCKER)
    dropdown = page.locator("details.sd-dropdown").first
    body = dropdown.locator(".sd-summary-content")
    expect(body).to_be_hidden()
    dropdown.locator("summary").click()
    expect(dropdown).to_have_attribute("open", re.compile(".*"))
    expect(body).to_be_visible()


def test_copy_buttons_copy_the_code(context: BrowserContext, page: Page, base_url: str) -> None:
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url[:-1])
    open_page(page, base_url + DOCKER)
    block = page.locator("div.highlight:has(button.copybtn)").first
    block.hover()
    block.locator("button.copybtn").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.strip(), "the copy button copied nothing"
    assert copied.strip() == block.locator("pre").evaluate(CODE_WITHOUT_PROMPTS).strip()


BOOK_PDF, *SESSION_PDFS = published_pdfs(Path(__file__).parents[2] / "docs")


@pytest.mark.parametrize("where", ["served", "from_disk"])
@pytest.mark.parametrize(
    ("name", "button", "pdf"),
    [
        ("index.html", "book", BOOK_PDF),
        (DOCKER, "book", BOOK_PDF),
        (DOCKER, "session", SESSION_PDFS[2]),  # Docker is a module of S3
    ],
)
def test_download_pdf_link_returns_the_pdf(
    page: Page, base_url: str, site: Path, name: str, button: str, pdf: str, where: str
) -> None:
    open_page(page, url(base_url, site, name, where))
    link = page.locator(f"a.btn-download-{button}-pdf")
    expect(link).to_have_count(1)
    target = link.evaluate("(a) => a.href")
    published = (site / pdf).read_bytes()
    assert published.startswith(b"%PDF-")
    assert len(PdfReader(io.BytesIO(published)).pages) > 10
    if where == "from_disk":
        assert Path(url2pathname(urlsplit(target).path)).read_bytes() == published
        return
    response = page.request.get(target)
    assert response.ok, target
    assert response.headers["content-type"] == "application/pdf"
    assert response.body() == published
