"""The PDF outline (bookmarks): the site's navigation, each entry at its heading."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pikepdf
from pikepdf import OutlineItem, PageLocation

from .contents import Place
from .manifest import Entry


def add_outline(pdf: pikepdf.Pdf, entries: Iterable[Entry], where: Mapping[str, Place]) -> None:
    """Nest each entry under the last entry one level up; the top level open, the rest folded."""
    with pdf.open_outline() as outline:
        outline.root.clear()
        parents: list[list[OutlineItem]] = [outline.root]
        for entry in entries:
            place = where[entry.anchor]
            # Without a height, /XYZ's top 0 is the page's bottom edge: show the whole page.
            if place.top is None:
                item = OutlineItem(entry.title, place.index, PageLocation.Fit)
            else:
                item = OutlineItem(
                    entry.title, place.index, PageLocation.XYZ, left=0, top=place.top, zoom=0
                )
            item.is_closed = entry.level > 1
            del parents[min(entry.level, len(parents)) :]
            parents[-1].append(item)
            parents.append(item.children)
    pdf.Root.PageMode = pikepdf.Name.UseOutlines
