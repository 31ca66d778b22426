"""Put printed pieces together into one tagged PDF: the book, or a session.

Each piece is a tagged PDF of its own (see ``printer.py``). Its pages are appended, and its
structure tree becomes one ``/Part`` of the merged document's: the numbers that tie the pages'
marked content and the links to their structure elements (``/StructParents``,
``/StructParent``, the ``/ParentTree``) are shifted past the pieces before it, the structure
ids are renumbered in reading order, and the named destinations are kept. qpdf copies each
object of a piece once, so the structure elements point at the merged PDF's own pages.

A link that left its piece points at the published site; ``link_inside`` points it back at
its target's named destination wherever the target is in the merged PDF.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping

import pikepdf
from pikepdf import Array, Dictionary, Name

from .contents import destinations
from .structure_ids import renumber_ids


def merge(pieces: Iterable[pikepdf.Pdf]) -> pikepdf.Pdf:
    """One PDF with every page, structure element and named destination of ``pieces``."""
    merged = pikepdf.new()
    document = merged.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, K=Array()))
    parent_tree = Array()
    ids = pikepdf.NameTree.new(merged)
    named = Dictionary()
    next_key, next_id = 0, 1
    for piece in pieces:
        next_id = renumber_ids(piece, next_id)
        tree = piece.Root.StructTreeRoot
        offset = next_key
        next_key += int(tree.get("/ParentTreeNextKey", 0))
        for page in piece.pages:
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + offset
            for annotation in page.obj.get("/Annots", ()):
                if "/StructParent" in annotation:
                    annotation.StructParent = int(annotation.StructParent) + offset
        with warnings.catch_warnings():
            # It warns that named destinations are not carried over; they are, below.
            warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
            merged.pages.extend(piece.pages)
        part = tree.K
        del part.P  # its parent is the piece's tree root; it becomes the merged document's
        part.S = Name.Part
        # One copy for all: qpdf walks what it copies, and each call would walk it again.
        bundle = Array([part, tree.ParentTree, tree.get("/IDTree", Dictionary())])
        bundle.append(Dictionary({"/" + n: t for n, t in destinations(piece).items()}))
        copied, parents, piece_ids, piece_named = merged.copy_foreign(piece.make_indirect(bundle))
        copied.P = document
        document.K.append(copied)
        for key, value in pikepdf.NumberTree(parents).items():
            parent_tree.extend([key + offset, value])
        if "/Kids" in piece_ids or "/Names" in piece_ids:
            for name, element in pikepdf.NameTree(piece_ids).items():
                ids[name] = element
        for name, target in piece_named.items():
            named[name] = target
    root = merged.make_indirect(
        Dictionary(
            Type=Name.StructTreeRoot,
            K=document,
            ParentTree=merged.make_indirect(Dictionary(Nums=parent_tree)),
            ParentTreeNextKey=next_key,
            IDTree=ids.obj,
        )
    )
    document.P = root
    merged.Root.StructTreeRoot = root
    merged.Root.MarkInfo = Dictionary(Marked=True)
    merged.Root.Dests = merged.make_indirect(named)
    return merged


def link_inside(pdf: pikepdf.Pdf, anchors: Mapping[str, str]) -> int:
    """Point every web link whose address ``anchors`` maps to an anchor of ``pdf`` at it.

    Returns how many links now stay inside the PDF.
    """
    named = set(destinations(pdf))
    inside = 0
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", ()):
            action = annotation.get("/A")
            if action is None or action.get("/S") != Name.URI:
                continue
            anchor = anchors.get(str(action.URI))
            if anchor in named:
                del annotation.A
                annotation.Dest = Name("/" + anchor)
                inside += 1
    return inside


def anchors_by_address(urls: Mapping[str, str], named: Iterable[str]) -> dict[str, str]:
    """The anchor each site address stands for; of anchors that share one, the first by name."""
    found: dict[str, str] = {}
    for anchor in sorted(set(named) & set(urls)):
        found.setdefault(urls[anchor], anchor)
    return found
