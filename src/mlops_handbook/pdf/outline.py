"""The PDF outline (bookmarks): the site's navigation, each entry at its heading."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pypdf import PdfWriter
from pypdf.generic import Fit, IndirectObject

from .contents import Place
from .manifest import Entry


def add_outline(writer: PdfWriter, entries: Iterable[Entry], where: Mapping[str, Place]) -> None:
    """Nest each entry under the last entry one level up; parts open, the rest folded."""
    parents: list[IndirectObject | None] = [None]
    for entry in entries:
        place = where[entry.anchor]
        depth = min(entry.level, len(parents))
        item = writer.add_outline_item(
            title=entry.title,
            page_number=place.index,
            parent=parents[depth - 1],
            fit=Fit.xyz(top=place.top),
            is_open=entry.level == 1,
        )
        del parents[depth:]
        parents.append(item)
    writer.page_mode = "/UseOutlines"
