"""The external link report: JSON for tools, Markdown for the maintainer who fixes the links.

Sphinx's own ``output.txt`` lists each URL once, on the first page that uses it, and mixes
verdicts; the report groups links by verdict and names every page (and line) a link is on.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

# Verdicts a maintainer acts on, in the order the report shows them.
SECTIONS = {
    "broken": "Broken",
    "timeout": "Timed out",
    "redirected": "Redirected",
    "ignored": "Ignored",
}
FAILING = ("broken", "timeout")
# requests wraps a failed connection in pool details; the cause at the end is what matters.
CAUSE = re.compile(
    r"\(Caused by \w+\((?:<[^>]*>, )?['\"](?:\w+\(host=[^)]*\): )?(?P<cause>.*)['\"]\)\)$"
)


@dataclass(frozen=True)
class Entry:
    """One external URL, its verdict, and every ``source:line`` it appears on."""

    uri: str
    status: str
    info: str
    code: int
    pages: tuple[str, ...]
    cached: bool = False


def summary(entries: list[Entry]) -> str:
    counts = Counter(entry.status for entry in entries)
    cached = sum(entry.cached for entry in entries)
    parts = [f"{counts[status]} {title.lower()}" for status, title in SECTIONS.items()]
    parts.append(f"{counts['working']} working ({cached} confirmed earlier, from the cache)")
    parts.append(f"{counts['unchecked']} not for the web (mailto:, local files)")
    return f"{len(entries)} links: " + ", ".join(parts)


def _describe(entry: Entry) -> str:
    info = (match["cause"] if (match := CAUSE.search(entry.info)) else entry.info).strip()
    if entry.status == "ignored" and not info:
        info = "matches linkcheck_ignore"
    elif entry.status == "redirected":
        info = f"{entry.code or ''} to {info}".strip()
    detail = f": {info}" if info else ""
    return f"- <{entry.uri}>{detail}\n  on " + ", ".join(entry.pages)


def render_markdown(entries: list[Entry], checked_at: datetime) -> str:
    lines = [
        "# External link report",
        "",
        f"Checked {checked_at:%Y-%m-%d %H:%M} UTC. {summary(entries)}.",
    ]
    for status, title in SECTIONS.items():
        found = sorted((e for e in entries if e.status == status), key=lambda e: e.uri)
        if found:
            lines += ["", f"## {title} ({len(found)})", "", *map(_describe, found)]
    return "\n".join(lines) + "\n"


def write_reports(outdir: Path, entries: list[Entry]) -> None:
    """Write ``report.json`` and ``report.md`` next to Sphinx's own output."""
    checked_at = datetime.now(UTC)
    data = {
        "checked_at": checked_at.isoformat(timespec="seconds"),
        "summary": dict(Counter(entry.status for entry in entries)),
        "links": [asdict(entry) for entry in sorted(entries, key=lambda e: (e.status, e.uri))],
    }
    texts = {
        "report.json": json.dumps(data, indent=1) + "\n",
        "report.md": render_markdown(entries, checked_at),
    }
    for name, text in texts.items():  # whole files only: a reader never sees half a report
        partial = outdir / f".{name}.partial"
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, outdir / name)
