"""What the print build tells the printer: the book's metadata and its navigation.

Sphinx knows the titles, the anchors and the course; Chromium knows the pages. The print build
writes this manifest next to the HTML so the printer can add page numbers, bookmarks and
metadata without parsing HTML.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
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
class Manifest:
    """``page`` is the HTML file (in the print build's output) that holds the whole book."""

    page: str
    metadata: Metadata
    entries: tuple[Entry, ...]

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
        )
