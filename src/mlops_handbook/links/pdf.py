"""Check that every internal link and bookmark of the printed PDF lands on one of its pages.

Chromium writes internal links as named destinations; rewriting the PDF afterwards (adding
the contents, outline and metadata) can drop a name or point at a page that is gone. Such a
link looks fine and does nothing when clicked, so only reading the file finds it. The file is
read with pikepdf (qpdf), which the merge uses too: a tenth of pypdf's time on the book.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import pikepdf

Target = Any  # a page, a page number, a [page /Fit ...] array, a destination's name


@dataclass(frozen=True)
class Pages:
    """A document's pages: their object ids, and how many there are (for page numbers)."""

    ids: frozenset[tuple[int, int]]
    count: int


def _destination(annotation: pikepdf.Dictionary) -> Target | None:
    """The target of an internal link annotation, or None for a web link or a non-link."""
    if annotation.get("/Subtype") != "/Link":
        return None
    if "/Dest" in annotation:
        return annotation.Dest
    action = annotation.get("/A")
    if isinstance(action, pikepdf.Dictionary) and action.get("/S") == "/GoTo":
        return action.get("/D")
    return None


def _names(pdf: pikepdf.Pdf) -> dict[str, Target]:
    """The document's named destinations: the name tree and the older /Dests dictionary."""
    found: dict[str, Target] = {}
    dests = pdf.Root.get("/Dests")
    if isinstance(dests, pikepdf.Dictionary):
        found |= {str(key).removeprefix("/"): dests[key] for key in dests}
    names = pdf.Root.get("/Names")
    if isinstance(names, pikepdf.Dictionary) and "/Dests" in names:
        found |= {str(key): value for key, value in pikepdf.NameTree(names.Dests).items()}
    return found


def _lands(target: Target, names: dict[str, Target], pages: Pages) -> bool:
    """Whether ``target`` is one of this document's ``pages``."""
    match target:
        case pikepdf.Dictionary() if target.objgen in pages.ids:
            return True
        case pikepdf.Dictionary() if "/D" in target:  # a destination dictionary
            return _lands(target.D, names, pages)
        case int():
            return 0 <= target < pages.count
        case pikepdf.Array() if len(target):
            return _lands(target[0], names, pages)
        case pikepdf.Name() | pikepdf.String() | str():
            found = names.get(str(target).removeprefix("/"))
            return found is not None and _lands(found, names, pages)
    return False


def _shown(target: Target) -> str:
    """A target as the message names it: ``'/lost'``, or the array or page as qpdf writes it."""
    if isinstance(target, pikepdf.Name | pikepdf.String):
        return repr(str(target))
    return repr(target)


def _outline(items: list[pikepdf.OutlineItem]) -> Iterator[pikepdf.OutlineItem]:
    for item in items:
        yield item
        yield from _outline(item.children)


def _bookmark_target(item: pikepdf.OutlineItem) -> Target | None:
    if item.destination is not None:
        return item.destination
    action = item.action
    if isinstance(action, pikepdf.Dictionary) and action.get("/S") == "/GoTo":
        return action.get("/D")
    return None


def check_pdf(pdf_file: Path | BinaryIO) -> list[str]:
    """Describe every internal link or bookmark of ``pdf_file`` that lands on no page.

    A file's path, or its bytes in memory (the print checks each PDF before it is written).
    """
    problems = []
    with pikepdf.open(pdf_file) as pdf:
        ids = [page.obj.objgen for page in pdf.pages]
        pages = Pages(frozenset(ids), len(ids))
        names = _names(pdf)
        for number, page in enumerate(pdf.pages, start=1):
            for annotation in page.obj.get("/Annots", []):
                target = _destination(annotation)
                if target is not None and not _lands(target, names, pages):
                    problems.append(f"page {number}: a link to {_shown(target)} lands on no page")
        with pdf.open_outline() as outline:
            for bookmark in _outline(outline.root):
                if not _lands(_bookmark_target(bookmark), names, pages):
                    problems.append(f"bookmark {bookmark.title!r} lands on no page")
    return problems
