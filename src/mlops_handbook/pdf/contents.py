"""The contents' page numbers: where each anchor landed, and the numbered pages put in place.

Chromium writes a named destination for every anchor that a link in the page points at; the
contents and the hidden bookmark links make sure every bookmark has one. The numbers only fill
fixed-width boxes, so the numbered front pages have the same layout as the first print's and
can take their place, keeping the links (annotations) of the book's own pages.

The PDFs are tagged: each page's content marks its pieces with ids (``/MCID``) that the
structure tree points at. The first print fills the boxes with a placeholder, so both prints
mark the same pieces; ``same_marks`` checks that before a page's content is swapped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pikepdf

PLACEHOLDER = "0"


class ContentsError(RuntimeError):
    """The contents cannot be numbered: an anchor is missing or the front pages moved."""


@dataclass(frozen=True)
class Place:
    """A page index (from 0) and the height on that page, in PDF points."""

    index: int
    top: float | None


def destinations(pdf: pikepdf.Pdf) -> dict[str, pikepdf.Array]:
    """Every named destination: Chromium writes them in the catalog's ``/Dests``."""
    found: dict[str, pikepdf.Array] = {}
    if "/Dests" in pdf.Root:
        for name, target in pdf.Root.Dests.items():
            found[name.removeprefix("/")] = target
    if "/Names" in pdf.Root and "/Dests" in pdf.Root.Names:
        for name, target in pikepdf.NameTree(pdf.Root.Names.Dests).items():
            found[name] = target.D if isinstance(target, pikepdf.Dictionary) else target
    return found


def places(pdf: pikepdf.Pdf, anchors: Iterable[str]) -> dict[str, Place]:
    """The place of every anchor; every one of them must have a destination."""
    index = {page.objgen: number for number, page in enumerate(pdf.pages)}
    named = destinations(pdf)
    wanted = dict.fromkeys(anchors)
    missing = [anchor for anchor in wanted if anchor not in named]
    if missing:
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        raise ContentsError(f"no destination in the printed PDF for {', '.join(missing[:5])}{more}")
    found = {}
    for anchor in wanted:
        target = named[anchor]
        top = target[3] if len(target) > 3 and target[1] == pikepdf.Name.XYZ else None
        found[anchor] = Place(index[target[0].objgen], None if top is None else float(top))
    return found


def page_numbers(pdf: pikepdf.Pdf, anchors: Iterable[str]) -> dict[str, int]:
    """The printed page number (the sheet count from the cover, as the footer shows it)."""
    return {anchor: place.index + 1 for anchor, place in places(pdf, anchors).items()}


def marks(page: pikepdf.Page) -> list[tuple[str, int | None]]:
    """The tag and the ``/MCID`` of every marked piece of a page, in order."""
    found = []
    for operands, _ in pikepdf.parse_content_stream(page, "BDC"):
        properties = operands[1]
        mcid = properties.get("/MCID") if isinstance(properties, pikepdf.Dictionary) else None
        found.append((str(operands[0]), None if mcid is None else int(mcid)))
    return found


def same_marks(book: pikepdf.Pdf, front: pikepdf.Pdf) -> bool:
    """Whether the numbered front pages mark the same pieces as the book's first pages."""
    return len(front.pages) <= len(book.pages) and all(
        marks(numbered) == marks(page)
        for page, numbered in zip(book.pages, front.pages, strict=False)
    )


def splice_front(book: pikepdf.Pdf, front: pikepdf.Pdf, body_starts: int) -> None:
    """Give the book's first ``body_starts`` pages the content of the numbered front pages."""
    if len(front.pages) != body_starts:
        raise ContentsError(
            f"the numbered front matter has {len(front.pages)} pages, the book's has {body_starts}"
        )
    if not same_marks(book, front):
        raise ContentsError("the numbered front pages are not tagged like the first print's")
    for page, numbered in zip(book.pages, front.pages, strict=False):
        for key in ("/Contents", "/Resources"):
            value = numbered.obj[key]
            if not value.is_indirect:
                value = front.make_indirect(value)
            page.obj[key] = book.copy_foreign(value)
