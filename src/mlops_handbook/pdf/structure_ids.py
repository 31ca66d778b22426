"""Stable names for the ids in a tagged PDF's structure tree.

Chromium names a structure element that others refer to (a table's header cell, which each
data cell lists in ``/Headers``) after its accessibility node, ``node00002492``. Those numbers
count every node the browser made before, so they shift between two prints of the same page,
and the same sources would give different bytes. Their order does not change, so each id is
renamed after its rank, in the ``/IDTree``, on the element and in every ``/Headers`` list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import pikepdf

_NUMBER = re.compile(r"\d+")


def _rank_key(name: str) -> tuple[int, str]:
    found = _NUMBER.search(name)
    return (int(found.group()) if found else -1, name)


def _tables(named: Iterable[pikepdf.Dictionary]) -> Iterator[pikepdf.Dictionary]:
    """Every element with attributes in the tables that hold the ``named`` header cells.

    Only a table's cells refer to its header cells, so only those tables are searched, not the
    whole tree (a tenth of the time on the book).
    """
    tables = {}
    for cell in named:
        table = cell
        while table.get("/S") != pikepdf.Name.Table and "/P" in table:
            table = table.P
        tables[table.objgen] = table
    stack = list(tables.values())
    while stack:
        element = stack.pop()
        if "/A" in element and "/S" in element:
            yield element
        kids = element.get("/K")
        kids = kids if isinstance(kids, pikepdf.Array) else [kids]
        stack.extend(k for k in kids if isinstance(k, pikepdf.Dictionary) and "/S" in k)


def rename_ids(id_tree: pikepdf.Object, first: int = 1) -> dict[str, pikepdf.Dictionary]:
    """Rename the structure ids of ``id_tree`` ``id<first>``, … in the order Chromium made them.

    Renames them on their elements and in every ``/Headers`` list; returns each element under
    its new name, for the merged document's ``/IDTree``.
    """
    if "/Kids" not in id_tree and "/Names" not in id_tree:
        return {}
    elements = dict(pikepdf.NameTree(id_tree).items())
    ranked = sorted(elements, key=_rank_key)
    new_name = {name: f"id{rank}" for rank, name in enumerate(ranked, first)}
    for name, element in elements.items():
        element.ID = pikepdf.String(new_name[name])
    for element in _tables(elements.values()):
        attributes = element.A if isinstance(element.A, pikepdf.Array) else [element.A]
        for attribute in attributes:
            if isinstance(attribute, pikepdf.Dictionary) and "/Headers" in attribute:
                attribute.Headers = pikepdf.Array(
                    [pikepdf.String(new_name.get(str(h), str(h))) for h in attribute.Headers]
                )
    return {new_name[name]: elements[name] for name in ranked}
