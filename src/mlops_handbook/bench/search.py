"""The site's search, driven in a browser: which module each query finds, and how fast.

The browser tests and ``nox -s bench`` share these steps: type a query into the header's
search box (Pagefind) or open Sphinx's search page with it, and read the links in the
order a student sees them. Queries and their right modules live in one YAML file.
"""

from __future__ import annotations

import os
import re
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit

import yaml
from playwright.sync_api import Page, expect, sync_playwright

from ..build import Layout
from ..config import HandbookConfig
from ..data import load_course_data
from ..pdf.browser import BrowserNotFoundError, find_browser
from ..pdf.printer import CHROMIUM_ARGS
from ..pdf.server import serve_directory
from ..search.index import INDEX_DIR
from .measure import Measurement, Run, python, repeat
from .scenarios import Bench

QUERIES = Path("tests") / "browser" / "search_queries.yaml"
SEARCH_BOX = "#pst-search-dialog input[name='q']"
# What Sphinx's search page says when it has finished, with results or without.
SPHINX_DONE = re.compile("Search finished|did not match any documents")
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
    """A query a student types, the pages that answer it (the best first), and what it tests.

    ``module`` names what answers it: a module id, or a course page when no module does.
    """

    text: str
    module: str
    pages: tuple[str, ...]
    kind: str

    @property
    def page(self) -> str:
        return self.pages[0]


def load_queries(root: Path, path: Path = QUERIES) -> list[Query]:
    """The query set, each answer resolved to its page through the course data.

    An entry names a ``module`` (``M10``), or a ``page``: a course page such as ``faq`` or
    ``projects``, a module id, or a list of them when several pages answer equally well.
    """
    config = HandbookConfig()
    docs = root / "docs"
    data = load_course_data(docs, config.data_dir, config.sessions_dir)
    entries = yaml.safe_load((root / path).read_text(encoding="utf-8"))["queries"]
    pages = {m.id: f"{data.module_docname(m)}.html" for m in data.modules}
    pages |= {p.stem: f"{p.stem}.html" for p in docs.glob("*.md")}
    named = [(entry, _answers(entry)) for entry in entries]
    unknown = [e["query"] for e, names in named if not set(names) <= pages.keys()]
    if unknown:
        raise ValueError(
            f"{path}: these queries name a module modules.yaml does not have, or a page "
            f"docs/ does not have: {unknown}"
        )
    return [
        Query(e["query"], names[0], tuple(pages[name] for name in names), e["kind"])
        for e, names in named
    ]


def _answers(entry: dict[str, object]) -> list[str]:
    """The module or pages an entry names, as a list of names."""
    named = entry.get("module", entry.get("page"))
    return [str(n) for n in named] if isinstance(named, list) else [str(named)]


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
    box.fill("")  # closes the list and clears its status
    box.fill(query)
    expect(page.locator(".handbook-search-panel")).to_be_visible(timeout=10_000)
    expect(page.locator(".handbook-search-status")).to_contain_text(f"“{query}”")
    hrefs = page.locator("[role='listbox'] [role='option']").evaluate_all(RESULT_LINKS)
    return [site_path(base_url, href) for href in hrefs]


def sphinx_search(page: Page, base_url: str, query: str) -> list[str]:
    """Sphinx's own search page for ``query``; return the pages it lists, best first."""
    page.goto(urljoin(base_url, f"search.html?q={quote(query)}"), wait_until="load")
    expect(page.locator("#search-results .search-summary")).to_contain_text(
        SPHINX_DONE, timeout=20_000
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
    """Run every query; a miss is a query none of whose pages is in the first three results."""
    first = top3 = 0
    empty: list[str] = []
    misses: list[str] = []
    for query in queries:
        found = search(query.text)
        first += bool(found) and found[0] in query.pages
        answered = bool(set(found[:3]) & set(query.pages))
        top3 += answered
        if not found:
            empty.append(query.text)
        if not answered:
            misses.append(f"{query.text!r} ({query.module}): {', '.join(found[:3]) or 'nothing'}")
    return Score(first / len(queries), top3 / len(queries), empty, misses)


def time_to_results(page: Page, queries: Sequence[Query], runs: int) -> list[float]:
    """Milliseconds from typing each query to its results on screen, index already loaded."""
    page.evaluate(TIME_TO_RESULTS, queries[0].text)  # loads the index and the first chunks
    times = []
    for _ in range(runs):
        times += [page.evaluate(TIME_TO_RESULTS, q.text) for q in queries]
    return times


RESULTS_MS = 100.0  # from typing a query to its results on screen, once the index is loaded


def index_time(bench: Bench, root: Path) -> Measurement:
    """What indexing adds to every build: Pagefind over the staged site, and the index's size."""
    site = Layout(root).staging("html")
    result = Measurement("search index (Pagefind), whole site")
    repeat(result, python("-m", "mlops_handbook.search", str(site)), root, bench.runs)
    index = site / INDEX_DIR
    files = [p for p in index.rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in files)
    result.per_unit, result.unit = size / 1024, "KiB of index"
    result.notes.append(f"{len(files)} files, {size / 1024:.0f} KiB in {INDEX_DIR}/")
    result.notes += result.runs[-1].output.strip().splitlines()[-1:]
    return result


def search_quality(bench: Bench, root: Path) -> Measurement:
    """Pagefind in the search box against Sphinx's search page, on the repository's query set."""
    queries = load_queries(bench.repo)
    result = Measurement("search box: typing to results", unit="ms (median)")
    result.goal = f"<= {RESULTS_MS:g} ms"
    try:
        browser = find_browser()
    except BrowserNotFoundError:
        result.skipped = "no Chromium-family browser"
        return result
    with serve_directory(Layout(root).site) as base, sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(browser), args=list(CHROMIUM_ARGS)
        )
        page = chromium.new_page()
        open_search_box(page, base)
        pagefind = score(queries, lambda query: type_query(page, base, query))
        load = os.getloadavg()[0]
        for _ in range(bench.runs):
            times = time_to_results(page, queries, 1)
            result.runs.append(Run(statistics.median(times) / 1000, 0.0, load))
        slowest = max(times)
        sphinx = score(queries, lambda query: sphinx_search(page, base, query))
        chromium.close()
    result.per_unit = result.wall * 1000
    result.met = result.per_unit <= RESULTS_MS
    result.notes += [
        f"{len(queries)} queries; slowest {slowest:.0f} ms; wall is the median per run, CPU "
        "time is not measured in the browser",
        f"Pagefind in the search box: {pagefind.line()}",
        f"Sphinx's search page: {sphinx.line()}",
        *(f"Pagefind misses {miss}" for miss in pagefind.misses),
        *(f"Sphinx misses {miss}" for miss in sphinx.misses),
    ]
    return result
