"""Where each anchor landed in a printed PDF, for the contents' numbers and the bookmarks.

Chromium writes a named destination for every anchor that a link in the page points at; the
printer adds a hidden link to every anchor that the book links to or bookmarks (``printer.py``).
The numbers only fill fixed-width boxes, so the numbered contents take as many pages as the
first print's, which had a placeholder in each box.
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
