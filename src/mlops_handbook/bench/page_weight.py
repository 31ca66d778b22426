"""Page weight and first paint on a phone: the handbook beside the course's current site.

Each visit opens a module page in a fresh browser context (cold cache) in the system's
Chromium at 390 px, with Fast 3G (150 ms latency, 1.6 Mbit/s) and a CPU four times slower,
then follows a link to a second page of the same session (warm cache). Both sites are served
as built, uncompressed, from 127.0.0.1 with the ten-minute cache lifetime GitHub Pages sends;
requests for other hosts are sent to a dead end. The two sites alternate, run after run.

``python -m mlops_handbook.bench --page-weight [--vs-peer DIR] [--before SITE] [--runs N]``,
where DIR is the folder ``../shared/bench/peer-site.sh`` prepared (its built site in
``DIR/site``) and SITE another build of the handbook (say of the main branch), measured in the
same runs so that a change is seen before and after under the same load.
"""

from __future__ import annotations

import gzip
import json
import os
import statistics
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from playwright.sync_api import BrowserContext, Page, sync_playwright

from ..pdf.browser import find_browser
from ..pdf.printer import CHROMIUM_ARGS
from ..pdf.server import QuietHandler, serve_directory

PHONE = {"width": 390, "height": 844}
FAST_3G = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 1_600_000 / 8,
    "uploadThroughput": 750_000 / 8,
}
CPU_SLOWDOWN = 4
OFFLINE_ARGS = ("--proxy-server=http://127.0.0.1:9",)
AFTER_LOAD_MS = 2000
SETTLE_POLLS = 50
TEXT = {".html", ".css", ".js", ".svg", ".json", ".xml", ".txt", ".map", ".ics", ""}


@dataclass(frozen=True)
class Site:
    """A built site and the two pages a visit opens in it."""

    name: str
    root: Path
    first: str
    second: str


HANDBOOK_PAGES = ("sessions/s7_deployment/apis.html", "sessions/s7_deployment/testing_apis.html")
PEER_PAGES = ("s7_deployment/apis/", "s7_deployment/testing_apis/")
PEER = "course site"


@dataclass
class Visit:
    """What the network carried for one page, and when it painted."""

    requests: int = 0
    bytes: int = 0
    gzip_bytes: int = 0
    fcp_ms: float = 0.0
    load_ms: float = 0.0
    offsite: int = 0
    # The files the first paint waited for (stylesheets and scripts of the head), as served.
    blocking_requests: int = 0
    blocking_bytes: int = 0


@dataclass
class Result:
    """The runs of one site: a first visit and a second page each time."""

    site: str
    first: list[Visit] = field(default_factory=list)
    second: list[Visit] = field(default_factory=list)


class _CachingHandler(QuietHandler):
    """Serves files as built, with GitHub Pages' cache lifetime, without logging."""

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()


def gzip_size(root: Path, base: str, url: str, sent: int) -> int:
    """What the response would weigh gzipped (level 6, as most servers do), if it is text."""
    path = unquote(urlsplit(url).path)[len(urlsplit(base).path) :]
    file = root / path
    if file.is_dir():
        file = file / "index.html"
    if not file.is_file() or file.suffix not in TEXT:
        return sent
    return len(gzip.compress(file.read_bytes(), 6))


class Recorder:
    """Counts the requests that reached the network (not the cache) and their bytes."""

    def __init__(self, root: Path, base: str) -> None:
        self.root, self.base = root, base
        self.urls: dict[str, str] = {}
        self.cached: set[str] = set()
        self.done: set[str] = set()
        self.visit = Visit()

    def sent(self, event: dict[str, Any]) -> None:
        self.urls[event["requestId"]] = event["request"]["url"]

    def cache_hit(self, event: dict[str, Any]) -> None:
        self.cached.add(event["requestId"])

    def pending(self) -> bool:
        """Whether a request the page sent has neither arrived nor failed."""
        return not self.done.issuperset(self.urls)

    def finished(self, event: dict[str, Any]) -> None:
        self.done.add(event["requestId"])
        url = self.urls.get(event["requestId"], "")
        if not url.startswith(self.base) or event["requestId"] in self.cached:
            return
        size = int(event["encodedDataLength"])
        if size == 0:
            return  # served from the memory cache
        self.visit.requests += 1
        self.visit.bytes += size
        self.visit.gzip_bytes += gzip_size(self.root, self.base, url, size)

    def failed(self, event: dict[str, Any]) -> None:
        self.done.add(event["requestId"])
        if not self.urls.get(event["requestId"], "").startswith(self.base):
            self.visit.offsite += 1


def settle(page: Page, recorder: Recorder) -> None:
    """Wait until what the page fetches after its load event has arrived, so that it counts.

    Fonts and scripts run on load, and Bootstrap, which the handbook fetches once the page is
    idle (:mod:`mlops_handbook.lean.ondemand`): under the emulated CPU that can be more than
    half a second after the load event, so a quiet network alone does not end the visit.
    """
    page.wait_for_timeout(AFTER_LOAD_MS)
    for _ in range(SETTLE_POLLS):  # a request that never ends (the peer has some) is left
        if not recorder.pending():
            return
        page.wait_for_timeout(100)


TIMING = """() => {
  const paint = performance.getEntriesByName("first-contentful-paint")[0];
  const nav = performance.getEntriesByType("navigation")[0];
  const blocking = performance.getEntriesByType("resource")
    .filter(e => e.renderBlockingStatus === "blocking");
  return [paint ? paint.startTime : 0, nav.loadEventStart, blocking.length,
          blocking.reduce((sum, e) => sum + e.encodedBodySize, 0)];
}"""


def open_page(context: BrowserContext, recorder: Recorder, url: str) -> Visit:
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", FAST_3G)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    cdp.on("Network.requestWillBeSent", recorder.sent)
    cdp.on("Network.requestServedFromCache", recorder.cache_hit)
    cdp.on("Network.loadingFinished", recorder.finished)
    cdp.on("Network.loadingFailed", recorder.failed)
    page.goto(url, wait_until="load", timeout=180_000)
    settle(page, recorder)
    fcp, load, blocking, blocking_bytes = page.evaluate(TIMING)
    visit = recorder.visit
    visit.fcp_ms, visit.load_ms = round(fcp), round(load)
    visit.blocking_requests, visit.blocking_bytes = blocking, blocking_bytes
    cdp.detach()
    page.close()
    return visit


def visit(context: BrowserContext, site: Site, base: str) -> tuple[Visit, Visit]:
    """A first visit with a cold cache, then a second page with what it left in the cache."""
    first = open_page(context, Recorder(site.root, base), base + site.first)
    second = open_page(context, Recorder(site.root, base), base + site.second)
    return first, second


def site_size(root: Path) -> int:
    """Bytes of every file a reader can be served, leaving out the PDFs."""
    return sum(
        f.stat().st_size
        for f in root.rglob("*")
        if f.is_file() and not f.is_symlink() and "pdf" not in f.relative_to(root).parts[:1]
    )


def measure(sites: list[Site], runs: int) -> list[Result]:
    results = [Result(site.name) for site in sites]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(find_browser()), args=[*CHROMIUM_ARGS, *OFFLINE_ARGS]
        )
        for run in range(runs):
            for site, result in zip(sites, results, strict=True):
                with serve_directory(site.root, _CachingHandler) as base:
                    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
                    first, second = visit(context, site, base)
                    context.close()
                result.first.append(first)
                result.second.append(second)
                print(
                    f"run {run + 1}/{runs} {site.name}: FCP {first.fcp_ms} ms, load "
                    f"{first.load_ms} ms, {first.requests} requests, {first.bytes:,} B",
                    flush=True,
                )
        browser.close()
    return results


def spread(values: list[float]) -> str:
    """The median and, for several runs, the range."""
    middle = statistics.median(values)
    if len(values) == 1:
        return f"{middle:,.0f}"
    return f"{middle:,.0f} ({min(values):,.0f}-{max(values):,.0f})"


ROWS = (
    ("first visit: requests", "first", "requests", 1),
    ("first visit: KB as served", "first", "bytes", 1000),
    ("first visit: KB with gzip", "first", "gzip_bytes", 1000),
    ("first paint waits for: files", "first", "blocking_requests", 1),
    ("first paint waits for: KB as served", "first", "blocking_bytes", 1000),
    ("first contentful paint, ms", "first", "fcp_ms", 1),
    ("load event, ms", "first", "load_ms", 1),
    ("second page: requests", "second", "requests", 1),
    ("second page: KB with gzip", "second", "gzip_bytes", 1000),
)


def table(results: list[Result], sizes: dict[str, int]) -> str:
    header = ["", *(r.site for r in results)]
    rows = [header]
    for label, visit_kind, key, scale in ROWS:
        cells = [spread([getattr(v, key) / scale for v in getattr(r, visit_kind)]) for r in results]
        rows.append([label, *cells])
    rows.append(["published site, MB (no PDFs)", *(f"{sizes[r.site] / 1e6:.1f}" for r in results)])
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in lines)


def ratios(results: list[Result]) -> list[str]:
    """The handbook's median FCP and load as a share of the peer's, measured in the same run."""
    peers = [r for r in results if r.site == PEER]
    if not peers:
        return []
    ours, peer = results[0], peers[0]
    notes = []
    for key, label in (("fcp_ms", "first contentful paint"), ("load_ms", "load")):
        a = statistics.median(getattr(v, key) for v in ours.first)
        b = statistics.median(getattr(v, key) for v in peer.first)
        notes.append(f"{label}: {a / b:.2f}x the course site's (goal <= 0.6x)")
    return notes


def load_average(loads: tuple[float, float, float]) -> str:
    """The 1, 5 and 15 minute load averages: timings on a busy machine are slower."""
    return " / ".join(f"{x:.1f}" for x in loads)


def page_weight(repo: Path, peer: Path | None, runs: int, before: Path | None = None) -> int:
    handbook = repo / "build" / "html"
    sites = []
    for name, root in (("handbook", handbook), ("handbook before", before)):
        if root is None:
            continue
        if not (root / HANDBOOK_PAGES[0]).is_file():
            print(f"No published handbook in {root}: build it first (`nox -s html`).")
            return 1
        sites.append(Site(name, root.resolve(), *HANDBOOK_PAGES))
    if peer is not None:
        if not (peer / "site" / PEER_PAGES[0]).is_dir():
            print(
                f"No built course site in {peer / 'site'}: run ../shared/bench/peer-site.sh "
                f"{peer} and build it with the command it prints, using -d {peer / 'site'}."
            )
            return 1
        sites.append(Site(PEER, (peer / "site").resolve(), *PEER_PAGES))
    before_load = os.getloadavg()
    results = measure(sites, runs)
    after_load = os.getloadavg()
    sizes = {site.name: site_size(site.root) for site in sites}
    out = repo / "build" / "bench-page-weight.json"
    report = {
        "emulation": {"viewport": PHONE, "network": FAST_3G, "cpu_slowdown": CPU_SLOWDOWN},
        "pages": {s.name: [s.first, s.second] for s in sites},
        "site_bytes": sizes,
        "results": [asdict(r) for r in results],
        "load_average": {"before": before_load, "after": after_load},
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(table(results, sizes))
    for note in ratios(results):
        print(f"  {note}")
    if before is not None:
        smaller = 1 - sizes["handbook"] / sizes["handbook before"]
        print(f"  published site: {smaller:.1%} smaller than before")
    loads = f"{load_average(before_load)} before the runs, {load_average(after_load)} after"
    print(f"  load average (1, 5, 15 min): {loads}")
    print(f"Medians (ranges) of {runs} runs; results in {out}")
    return 0
