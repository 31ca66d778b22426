"""What the print build tells the printer: the book's metadata and its navigation.

Sphinx knows the titles, the anchors and the course; Chromium knows the pages. The print build
writes this manifest next to the HTML so the printer can add page numbers, bookmarks and
metadata without parsing HTML.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from pathlib import Path

MANIFEST_NAME = "handbook-print.json"


@dataclass(frozen=True)
class Entry:
    """One bookmark: a page of the site (``document`` set) or a section of one."""

    title: str
    anchor: str
    level: int
    document: str | None = None


@dataclass(frozen=True)
class Metadata:
    """The PDF's document information."""

    title: str
    author: str
    subject: str
    keywords: tuple[str, ...]
    language: str


@dataclass(frozen=True)
class SessionPart:
    """A session's own PDF: the part of the book it prints, and under which file name."""

    id: str
    label: str
    when: str
    part: str
    anchor: str
    file: str


@dataclass(frozen=True)
class Manifest:
    """``page`` is the HTML file (in the print build's output) that holds the whole book.

    ``epoch`` is the sources' date (see ``epoch.py``); ``urls`` gives, for each anchor of the
    book, its address on the published site, where a session's PDF sends links that leave it.
    """

    page: str
    metadata: Metadata
    entries: tuple[Entry, ...]
    book_file: str
    epoch: int
    sessions: tuple[SessionPart, ...]
    urls: dict[str, str]

    def session_entries(self, session: SessionPart) -> tuple[Entry, ...]:
        return entries_below(self.entries, session.anchor)

    def write(self, outdir: Path) -> None:
        text = json.dumps(asdict(self), ensure_ascii=False, indent=1)
        (outdir / MANIFEST_NAME).write_text(text, encoding="utf-8")

    @classmethod
    def read(cls, outdir: Path) -> Manifest:
        raw = json.loads((outdir / MANIFEST_NAME).read_text(encoding="utf-8"))
        meta = raw["metadata"]
        return cls(
            page=raw["page"],
            metadata=Metadata(**{**meta, "keywords": tuple(meta["keywords"])}),
            entries=tuple(Entry(**entry) for entry in raw["entries"]),
            book_file=raw["book_file"],
            epoch=raw["epoch"],
            sessions=tuple(SessionPart(**session) for session in raw["sessions"]),
            urls=raw["urls"],
        )


def entries_below(entries: tuple[Entry, ...], anchor: str) -> tuple[Entry, ...]:
    """The bookmarks below a part's own, one level up: a session's modules and their sections.

    Sections of the session's own page (if it ever has any) are left out: a session's PDF
    is its modules.
    """
    start = next(i for i, e in enumerate(entries) if e.anchor == anchor)
    below: list[Entry] = []
    skipping = False
    for entry in entries[start + 1 :]:
        if entry.level == 1:
            break
        if entry.level == 2:
            skipping = entry.document is None
        if not skipping:
            below.append(replace(entry, level=entry.level - 1))
    return tuple(below)
