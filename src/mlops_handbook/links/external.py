"""Sphinx's ``linkcheck`` builder, extended with what a book of a few hundred links needs.

Sphinx already checks anchors, follows redirects and honours ``429`` with ``Retry-After``
per host. This subclass adds, without changing how Sphinx judges a link:

- a per-host pace, so five workers never hammer one site at once;
- retries with exponential backoff after failed connections and 5xx answers (Sphinx's own
  ``linkcheck_retries`` retries at once, which rarely outlasts a hiccup);
- a cache of confirmed links, so a second run re-checks only what is not confirmed yet;
- a report in JSON and Markdown that names every page and line a link is on.
"""

from __future__ import annotations

import os
import re
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit

from docutils import nodes
from requests import PreparedRequest, Response
from requests.adapters import HTTPAdapter
from sphinx.builders.linkcheck import (
    CheckExternalLinksBuilder,
    CheckResult,
    Hyperlink,
    HyperlinkAvailabilityChecker,
    HyperlinkAvailabilityCheckWorker,
    HyperlinkCollector,
)
from sphinx.config import Config
from sphinx.util.nodes import get_node_line
from urllib3.util.retry import Retry

from .cache import LinkCache
from .network import offline_hosts
from .report import FAILING, Entry, write_reports

CACHED = " (confirmed earlier, from the cache)"


class HostPace:
    """Spaces requests to one host at least ``interval`` seconds apart, across threads."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self._lock = threading.Lock()
        self._next: dict[str, float] = {}

    def wait(self, url: str) -> None:
        host = urlsplit(url).netloc
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next.get(host, now))
            self._next[host] = slot + self.interval
        if slot > now:
            time.sleep(slot - now)


class PacedAdapter(HTTPAdapter):
    """Sends every request, redirects included, at the host's pace and with backoff retries."""

    def __init__(self, pace: HostPace, retries: int, backoff: float) -> None:
        retry = Retry(
            total=retries,
            # A read error re-raises at once: Sphinx then reports a timeout as a timeout and
            # retries a dropped HEAD as GET; a slow server rarely gets faster on a retry.
            read=False,
            backoff_factor=backoff,
            status_forcelist=(500, 502, 503, 504),
            allowed_methods=("HEAD", "GET"),
            raise_on_status=False,  # the last answer goes to Sphinx, which judges it
            respect_retry_after_header=False,  # 429 is Sphinx's; a 503's hour-long wait is not
        )
        super().__init__(max_retries=retry)
        self.pace = pace

    def send(self, request: PreparedRequest, *args: Any, **kwargs: Any) -> Response:
        self.pace.wait(request.url or "")
        return super().send(request, *args, **kwargs)


class PacedWorker(HyperlinkAvailabilityCheckWorker):
    """Sphinx's worker with its HTTP session routed through a shared :class:`PacedAdapter`."""

    def __init__(self, *args: Any, adapter: PacedAdapter) -> None:
        super().__init__(*args)
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)


class CachingChecker(HyperlinkAvailabilityChecker):
    """Answers confirmed links from the cache and sends the rest to paced workers."""

    def __init__(self, config: Config, cache: LinkCache) -> None:
        super().__init__(config)
        self.cache = cache
        pace = HostPace(config.links_host_interval)
        self.adapter = PacedAdapter(pace, config.links_retries, config.links_retry_backoff)

    def invoke_threads(self) -> None:
        for _ in range(self.num_workers):
            worker = PacedWorker(
                self.config, self.rqueue, self.wqueue, self.rate_limits, adapter=self.adapter
            )
            worker.start()
            self.workers.append(worker)

    def check(self, hyperlinks: dict[str, Hyperlink]) -> Any:
        unconfirmed = {}
        for uri, link in hyperlinks.items():
            if uri in self.cache.confirmed:
                yield CheckResult(uri, link.docname, link.lineno, "working", CACHED, 0)
            else:
                unconfirmed[uri] = link
        yield from super().check(unconfirmed)


class OccurrenceCollector(HyperlinkCollector):
    """Records every page and line a URL is on; Sphinx keeps only the first."""

    def _add_uri(self, uri: str, node: nodes.Element) -> None:
        builder = cast("HandbookLinkcheckBuilder", self.env._app.builder)
        if processed := self.env.events.emit_firstresult("linkcheck-process-uri", uri):
            uri = processed
        source = Path(self.env.doc2path(self.env.current_document.docname))
        try:
            where = f"{source.relative_to(builder.srcdir.parent)}:{get_node_line(node)}"
        except ValueError:  # the node has no line
            where = str(source.relative_to(builder.srcdir.parent))
        builder.occurrences[uri].append(where)


class HandbookLinkcheckBuilder(CheckExternalLinksBuilder):
    """``-b linkcheck`` for the handbook: paced, retried, cached and reported."""

    def init(self) -> None:
        super().init()
        self.occurrences: defaultdict[str, list[str]] = defaultdict(list)

    def finish(self) -> None:
        cache = LinkCache.load(self.outdir / "cache.json", self.config.links_cache_max_age)
        ignored = [re.compile(pattern) for pattern in self.config.linkcheck_ignore]
        excluded = [re.compile(pattern) for pattern in self.config.linkcheck_exclude_documents]
        to_check = [
            uri
            for uri, link in self.hyperlinks.items()
            if uri not in cache.confirmed
            and not any(p.match(uri) for p in ignored)
            and not any(p.match(link.docname) for p in excluded)
        ]
        if hosts := offline_hosts(to_check):
            print(
                f"Offline: none of {', '.join(hosts)} can be resolved, and checking external "
                "links needs the internet. Nothing was checked; the last report in "
                f"{self.outdir} is kept.",
                file=sys.stderr,
            )
            self._app.statuscode = 2
            return
        checker = CachingChecker(self.config, cache)
        results: list[CheckResult] = []
        # Sphinx's outputs are written beside and moved in at the end: an interrupted run
        # leaves the last complete ones.
        partial = {name: self.outdir / f".{name}.partial" for name in ("output.txt", "output.json")}
        with (
            open(partial["output.txt"], "w", encoding="utf-8") as self.txt_outfile,
            open(partial["output.json"], "w", encoding="utf-8") as self.json_outfile,
        ):
            for result in checker.check(self.hyperlinks):
                self.process_result(result)
                results.append(result)
        for name, path in partial.items():
            os.replace(path, self.outdir / name)

        cache.confirm(r.uri for r in results if r.status == "working" and r.message != CACHED)
        cache.save()
        write_reports(self.outdir, [self.entry(result) for result in results])
        if any(result.status in FAILING for result in results):
            self._app.statuscode = 1

    def entry(self, result: CheckResult) -> Entry:
        pages = tuple(dict.fromkeys(self.occurrences[result.uri]))
        return Entry(
            uri=result.uri,
            status=str(result.status),
            info=result.message,
            code=result.code,
            pages=pages or (f"{self.env.doc2path(result.docname, False)}:{result.lineno}",),
            cached=result.message == CACHED,
        )
