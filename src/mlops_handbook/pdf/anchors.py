"""Give every anchor of the one-page book a unique id and point every link at one.

``singlehtml`` pastes all pages into one document, so ids repeat (every module has an
``exercises`` section) and links to another page come out as ``#document-<page>#<id>``, which
no browser can follow. In a printed PDF both would send the reader to the wrong place.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from docutils import nodes
from sphinx import addnodes

DOCUMENT_PREFIX = "#document-"


def walk(node: nodes.Element, docname: str) -> Iterator[tuple[nodes.Element, str]]:
    """Every element with the page it came from (``start_of_file`` marks pasted pages)."""
    stack = [(node, docname)]
    while stack:
        element, owner = stack.pop()
        if isinstance(element, addnodes.start_of_file):
            owner = element["docname"]
        yield element, owner
        stack.extend(
            (child, owner)
            for child in reversed(element.children)
            if isinstance(child, nodes.Element)
        )


@dataclass
class Anchors:
    """The ids of the assembled book, renamed where two pages used the same one."""

    renamed: dict[tuple[str, str], str] = field(default_factory=dict)
    first_section: dict[str, str] = field(default_factory=dict)
    ids: set[str] = field(default_factory=set)
    # Each id of the book: the page it came from and its id there ("" for the page itself).
    origin: dict[str, tuple[str, str]] = field(default_factory=dict)

    def site_path(self, ident: str, suffix: str) -> str:
        """Where the anchor is on the site, relative to its root: ``page.html#id``."""
        docname, there = self.origin[ident]
        if ident == self.first_section.get(docname):
            there = ""
        return f"{docname}{suffix}" + (f"#{there}" if there else "")

    def resolve(self, docname: str, ident: str) -> str:
        return self.renamed.get((docname, ident), ident)

    def target(self, refuri: str) -> str:
        """The in-book link for a ``#document-<page>[#<id>]`` URI."""
        page, _, ident = refuri.removeprefix(DOCUMENT_PREFIX).partition("#")
        if ident:
            return "#" + self.resolve(page, ident)
        return "#" + self.first_section.get(page, f"document-{page}")


def unique_ids(tree: nodes.document, root_doc: str) -> Anchors:
    """Rename ids that an earlier page already used, then rewrite the links that use them."""
    anchors = Anchors()
    owner_of: dict[str, str] = {}
    every = {i for element, _ in walk(tree, root_doc) for i in element["ids"]}
    for element, docname in walk(tree, root_doc):
        if isinstance(element, addnodes.start_of_file):
            anchors.ids.add(f"document-{docname}")
            anchors.origin[f"document-{docname}"] = (docname, "")
        for index, ident in enumerate(element["ids"]):
            if owner_of.setdefault(ident, docname) != docname:
                new = _fresh(f"{docname.replace('/', '-')}-{ident}", every)
                anchors.renamed[docname, ident] = new
                element["ids"][index] = new
            anchors.ids.add(element["ids"][index])
            anchors.origin[element["ids"][index]] = (docname, ident)
        if isinstance(element, nodes.section) and docname not in anchors.first_section:
            anchors.first_section[docname] = element["ids"][0]
    for element, docname in walk(tree, root_doc):
        if element.get("refid"):
            element["refid"] = anchors.resolve(docname, element["refid"])
        if element.get("backrefs"):
            element["backrefs"] = [anchors.resolve(docname, i) for i in element["backrefs"]]
        refuri = element.get("refuri", "")
        if refuri.startswith(DOCUMENT_PREFIX):
            element["refuri"] = anchors.target(refuri)
    return anchors


def dead_links(tree: nodes.document, anchors: Anchors) -> Iterator[nodes.Element]:
    """References to an anchor that is not in the book (a page left out of every toctree)."""
    for reference in tree.findall(nodes.reference):
        refuri = reference.get("refuri", "")
        target = refuri[1:] if refuri.startswith("#") else reference.get("refid")
        if target and target not in anchors.ids:
            yield reference


def _fresh(wanted: str, taken: set[str]) -> str:
    candidate, number = wanted, 1
    while candidate in taken:
        number += 1
        candidate = f"{wanted}-{number}"
    taken.add(candidate)
    return candidate
