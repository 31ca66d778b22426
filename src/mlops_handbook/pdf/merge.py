"""Put printed pieces together into one tagged PDF: the book, or a session.

Each piece is a tagged PDF of its own (see ``printer.py``). Its pages are appended, and its
structure tree becomes one ``/Part`` of the merged document's: the numbers that tie the pages'
marked content and the links to their structure elements (``/StructParents``,
``/StructParent``, the ``/ParentTree``) are shifted past the pieces before it, the structure
ids are renumbered in reading order, and the named destinations are kept. qpdf copies each
object of a piece once, so the structure elements point at the merged PDF's own pages.

The copy is most of the work, and needs nothing of the other pieces, so a ``Merger`` takes
the pieces in any order (the book's, while Chromium still prints the rest) and puts them in
their places when it finishes: the same pieces give the same PDF whatever their order.

A link that left its piece points at the published site; ``link_inside`` points it back at
its target's named destination wherever the target is in the merged PDF.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pikepdf
from pikepdf import Array, Dictionary, Name

from .contents import destinations
from .structure_ids import rename_ids

# What a page may take from the page tree above it (PDF 32000, 7.7.3.4).
INHERITED = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")


@dataclass(frozen=True)
class Prepared:
    """A piece read and ready to copy: its pages and, in one indirect array, all the rest."""

    pdf: pikepdf.Pdf
    pages: list[pikepdf.Page]
    bundle: pikepdf.Array
    keys: int  # its /ParentTreeNextKey: the parent tree numbers it uses


def prepare(piece: pikepdf.Pdf) -> Prepared:
    """Make ``piece`` ready to copy; qpdf reads every object of it here, the merge only copies.

    This needs no other piece, so it can run as soon as the piece is printed.
    """
    tree = piece.Root.StructTreeRoot
    part = tree.K
    del part.P  # its parent is the piece's tree root; it becomes the merged document's
    part.S = Name.Part
    for page in piece.pages:
        inherit(page.obj)
    # One copy for all: qpdf walks what it copies, and each call would walk it again.
    bundle = Array([part, tree.ParentTree, tree.get("/IDTree", Dictionary())])
    bundle.append(Dictionary({"/" + n: t for n, t in destinations(piece).items()}))
    keys = int(tree.get("/ParentTreeNextKey", 0))
    return Prepared(piece, list(piece.pages), piece.make_indirect(bundle), keys)


@dataclass(frozen=True)
class _Copied:
    """A piece copied into the merged PDF, not yet in its place."""

    part: Dictionary  # its structure tree's top element
    pages: list[Dictionary]
    parents: list[tuple[int, pikepdf.Object]]  # its parent tree, before the shift
    ids: pikepdf.Object  # its /IDTree (an empty dictionary if it has none)
    named: Dictionary  # its named destinations
    keys: int


class Merger:
    """One PDF made of pieces, each copied in with its place among them.

    The places may come in any order, but qpdf numbers the objects in the order they are
    copied, and groups them by those numbers when it writes: the same pieces copied in
    another order give other bytes. qpdf reads a copied stream's data only when the merged
    PDF is written: every piece must stay open until then.
    """

    def __init__(self) -> None:
        self.pdf = pikepdf.new()
        self._copied: dict[int, _Copied] = {}

    def add(self, place: int, piece: Prepared) -> None:
        """Copy ``piece`` in, for ``place`` (from 0)."""
        # Each page on its own: qpdf copies no page it meets inside another object, and leaves
        # the piece's page tree behind (``finish`` puts the pages into the merged PDF's). The
        # bundle's copy then points at these pages.
        pages = [self.pdf.copy_foreign(page.obj) for page in piece.pages]
        copied, parents, ids, named = self.pdf.copy_foreign(piece.bundle)
        self._copied[place] = _Copied(
            copied, pages, list(pikepdf.NumberTree(parents).items()), ids, named, piece.keys
        )

    def finish(self) -> pikepdf.Pdf:
        """The merged PDF: every piece given, in the order of their places."""
        merged = self.pdf
        document = merged.make_indirect(
            Dictionary(Type=Name.StructElem, S=Name.Document, K=Array())
        )
        parent_tree = Array()
        ids = pikepdf.NameTree.new(merged)
        named = Dictionary()
        next_key, next_id = 0, 1
        for place in sorted(self._copied):
            piece = self._copied[place]
            offset = next_key
            next_key += piece.keys
            for page in piece.pages:
                if "/StructParents" in page:
                    page.StructParents = int(page.StructParents) + offset
                for annotation in page.get("/Annots", ()):
                    if "/StructParent" in annotation:
                        annotation.StructParent = int(annotation.StructParent) + offset
                merged.pages.append(pikepdf.Page(page))
            piece.part.P = document
            document.K.append(piece.part)
            for key, value in piece.parents:
                parent_tree.extend([key + offset, value])
            renamed = rename_ids(piece.ids, next_id)
            next_id += len(renamed)
            for name, element in renamed.items():
                ids[name] = element
            for name, target in piece.named.items():
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


def inherit(page: Dictionary) -> None:
    """Give ``page`` what it takes from the page tree above it, which the copy leaves behind."""
    parent = page.get("/Parent")
    while isinstance(parent, Dictionary):
        for key in INHERITED:
            if key in parent and key not in page:
                page[key] = parent[key]
        parent = parent.get("/Parent")


def merge(pieces: Iterable[pikepdf.Pdf]) -> pikepdf.Pdf:
    """One PDF with every page, structure element and named destination of ``pieces``."""
    merger = Merger()
    for place, piece in enumerate(pieces):
        merger.add(place, prepare(piece))
    return merger.finish()


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
