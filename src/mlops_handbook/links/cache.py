"""Remember which external links were confirmed working, and when.

Checking a few hundred links against the network takes minutes and annoys the hosts; a link
that worked an hour ago almost surely still works. A run within ``max_age`` seconds of a
confirmation skips that link, so a second run re-checks only what is not confirmed yet.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable
from pathlib import Path


class LinkCache:
    """Confirmed-working URLs with the time (epoch seconds) each was confirmed."""

    def __init__(self, path: Path, confirmed: dict[str, float]) -> None:
        self.path = path
        self.confirmed = confirmed

    @classmethod
    def load(cls, path: Path, max_age: float, now: float | None = None) -> LinkCache:
        """Read the cache, forgetting confirmations older than ``max_age`` seconds."""
        now = time.time() if now is None else now
        try:
            stored = json.loads(path.read_text(encoding="utf-8"))["confirmed"]
        except (OSError, ValueError, KeyError, TypeError):
            stored = {}  # a missing or damaged cache only costs a full re-check
        fresh = {url: when for url, when in stored.items() if now - when < max_age}
        return cls(path, fresh)

    def confirm(self, urls: Iterable[str], now: float | None = None) -> None:
        when = time.time() if now is None else now
        self.confirmed.update(dict.fromkeys(urls, when))

    def save(self) -> None:
        """Write atomically, so an interrupted run never leaves a half-written cache."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_suffix(".tmp")
        data = {"confirmed": dict(sorted(self.confirmed.items()))}
        partial.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        os.replace(partial, self.path)
