"""The contents' page numbers: where each anchor landed, and the numbered pages put in place.

Chromium writes a named destination for every anchor that a link in the page points at; the
contents and the hidden bookmark links make sure every bookmark has one. The numbers only fill
fixed-width boxes, so the numbered front pages have the same layout as the unnumbered ones and
can take their place, keeping the links (annotations) of the book's own pages.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass

from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject


class ContentsError(RuntimeError):
    """The contents cannot be numbered: an anchor is missing or the front pages moved."""


@dataclass(frozen=True)
class Place:
    """A page index (from 0) and the height on that page, in PDF points."""

    index: int
    top: float | None


def places(reader: PdfReader, anchors: Iterable[str]) -> dict[str, Place]:
    """The place of every anchor; every one of them must have a destination."""
    found = {}
    for name, destination in reader.named_destinations.items():
        index = reader.get_destination_page_number(destination)
        found[str(name).removeprefix("/")] = Place(index, destination.top)
    wanted = dict.fromkeys(anchors)
    missing = [anchor for anchor in wanted if anchor not in found]
    if missing:
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        raise ContentsError(f"no destination in the printed PDF for {', '.join(missing[:5])}{more}")
    return {anchor: found[anchor] for anchor in wanted}


def page_numbers(pdf: bytes, anchors: Iterable[str]) -> dict[str, int]:
    """The printed page number (the sheet count from the cover, as the footer shows it)."""
    return {a: p.index + 1 for a, p in places(PdfReader(io.BytesIO(pdf)), anchors).items()}


def splice_front(writer: PdfWriter, front: PdfReader, body_starts: int) -> None:
    """Give the book's first ``body_starts`` pages the content of the numbered front pages."""
    if len(front.pages) != body_starts:
        raise ContentsError(
            f"the numbered front matter has {len(front.pages)} pages, the book's has {body_starts}"
        )
    for page, numbered in zip(writer.pages, front.pages, strict=False):
        for key in ("/Contents", "/Resources"):
            page[NameObject(key)] = numbered.raw_get(key).clone(writer)
