"""The site's search, driven in a browser: which module each query finds, and how fast.

The browser tests and ``nox -s bench`` share these steps: type a query into the header's
search box (Pagefind) or open Sphinx's search page with it, and read the links in the
order a student sees them. Queries and their right modules live in one YAML file.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit

import yaml
from playwright.sync_api import Page, expect

from ..config import HandbookConfig
from ..data import load_course_data

QUERIES = Path("tests") / "browser" / "search_queries.yaml"
SEARCH_BOX = "#pst-search-dialog input[name='q']"
RESULT_LINKS = "(links) => links.map((a) => a.href)"
# Types a query and waits until its results are on screen: the time a student waits.
TIME_TO_RESULTS = """async (query) => {
  const input = document.querySelector("#pst-search-dialog input[name='q']");
  const status = input.form.nextElementSibling.querySelector(".handbook-search-status");
  input.value = "";
  input.dispatchEvent(new Event("input"));
  const start = performance.now();
  input.value = query;
  input.dispatchEvent(new Event("input"));
  while (!status.textContent.includes(`“${query}”`)) {
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
  return performance.now() - start;
}"""


@dataclass(frozen=True)
class Query:
    """A query a student types, the page of the module that answers it, and what it tests."""

    text: str
    module: str
    page: str
    kind: str


def load_queries(root: Path, path: Path = QUERIES) -> list[Query]:
    """The query set, each module id resolved to its page through the course data."""
    config = HandbookConfig()
    data = load_course_data(root / "docs", config.data_dir, config.sessions_dir)
    entries = yaml.safe_load((root / path).read_text(encoding="utf-8"))["queries"]
    return [
        Query(e["query"], e["module"], f"{data.module_docname(data.module(e['module']))}.html", e["kind"])
        for e in entries
    ]


def site_path(base_url: str, href: str) -> str:
    """A result link as a page of the site (no fragment, no query, relative to its root)."""
    return urlsplit(href).path.removeprefix(urlsplit(base_url).path)


def open_search_box(page: Page, base_url: str) -> None:
    """Open the landing page and its header search box, as a student does with Ctrl+K."""
    page.goto(base_url, wait_until="load")
    page.keyboard.press("Control+k")
    expect(page.locator(SEARCH_BOX)).to_be_focused()


def type_query(page: Page, base_url: str, query: str) -> list[str]:
    """Type ``query`` into the open search box; return the pages it lists, best first."""
    box = page.locator(SEARCH_BOX)
    box.fill(query)
    status = page.locator(".handbook-search-status")
    expect(status).to_contain_text(f"“{query}”", timeout=10_000)
    hrefs = page.locator("[role='listbox'] [role='option']").evaluate_all(RESULT_LINKS)
    return [site_path(base_url, href) for href in hrefs]


def sphinx_search(page: Page, base_url: str, query: str) -> list[str]:
    """Sphinx's own search page for ``query``; return the pages it lists, best first."""
    page.goto(urljoin(base_url, f"search.html?q={quote(query)}"), wait_until="load")
    expect(page.locator("#search-results .search-summary")).to_contain_text(
        "Search finished", timeout=20_000
    )
    hrefs = page.locator("#search-results ul.search li a").evaluate_all(RESULT_LINKS)
    return [site_path(base_url, href) for href in hrefs]


@dataclass(frozen=True)
class Score:
    """How often the right module came first, came in the first three, or did not come."""

    hit1: float
    hit3: float
    empty: list[str]
    misses: list[str]

    def line(self) -> str:
        return (
            f"hit@1 {self.hit1:.3f}, hit@3 {self.hit3:.3f}, "
            f"{len(self.empty)} queries without a result"
        )


def score(queries: Sequence[Query], search: Callable[[str], list[str]]) -> Score:
    """Run every query; a miss is a query whose module is not in the first three results."""
    first = top3 = 0
    empty: list[str] = []
    misses: list[str] = []
    for query in queries:
        found = search(query.text)
        first += found[:1] == [query.page]
        top3 += query.page in found[:3]
        if not found:
            empty.append(query.text)
        if query.page not in found[:3]:
            misses.append(f"{query.text!r} ({query.module}): {', '.join(found[:3]) or 'nothing'}")
    return Score(first / len(queries), top3 / len(queries), empty, misses)


def time_to_results(page: Page, queries: Sequence[Query], runs: int) -> list[float]:
    """Milliseconds from typing each query to its results on screen, index already loaded."""
    page.evaluate(TIME_TO_RESULTS, queries[0].text)  # loads the index and the first chunks
    times = []
    for _ in range(runs):
        times += [page.evaluate(TIME_TO_RESULTS, q.text) for q in queries]
    return times


def median(times: Sequence[float]) -> float:
    return statistics.median(times)
