"""Check that every internal link and bookmark of the printed PDF lands on one of its pages.

Chromium writes internal links as named destinations; rewriting the PDF afterwards (adding
the contents, outline and metadata) can drop a name or point at a page that is gone. Such a
link looks fine and does nothing when clicked, so only reading the file finds it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.generic import ArrayObject, Destination, IndirectObject


def _destination(annotation: Any) -> Any | None:
    """The target of an internal link annotation, or None for a web link or a non-link."""
    if annotation.get("/Subtype") != "/Link":
        return None
    if "/Dest" in annotation:
        return annotation["/Dest"]
    action = annotation.get("/A")
    if action is not None and action.get_object().get("/S") == "/GoTo":
        return action.get_object().get("/D")
    return None


def _lands(target: Any, names: dict[str, Destination], pages: list[int]) -> bool:
    """Whether ``target`` is one of this document's ``pages`` (their object numbers).

    A target is a page, a page number, a ``[page /Fit ...]`` array, a destination or its name.
    """
    if isinstance(target, IndirectObject):
        if target.idnum in pages:
            return True
        target = target.get_object()
    match target:
        case int():
            return 0 <= target < len(pages)
        case Destination():
            return _lands(target.page, names, pages)
        case ArrayObject() if target:
            return _lands(target[0], names, pages)
        case str() | bytes():
            name = target.decode("utf-8", "replace") if isinstance(target, bytes) else target
            found = names.get(name) or names.get(name.removeprefix("/"))
            return found is not None and _lands(found.page, names, pages)
    return False


def _outline(items: list[Any]) -> Iterator[Destination]:
    for item in items:
        if isinstance(item, list):
            yield from _outline(item)
        else:
            yield item


def check_pdf(path: Path) -> list[str]:
    """Describe every internal link or bookmark of ``path`` that lands on no page."""
    reader = PdfReader(path)
    names = reader.named_destinations
    pages = [page.indirect_reference.idnum for page in reader.pages if page.indirect_reference]
    problems = []
    for number, page in enumerate(reader.pages, start=1):
        for annotation in page.get("/Annots") or []:
            target = _destination(annotation.get_object())
            if target is not None and not _lands(target, names, pages):
                problems.append(f"page {number}: a link to {target!r} lands on no page")
    for bookmark in _outline(reader.outline):
        if not _lands(bookmark.page, names, pages):
            problems.append(f"bookmark {bookmark.title!r} lands on no page")
    return problems
