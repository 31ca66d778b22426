"""The book's bookmarks and parts, read from the assembled one-page doctree.

The bookmarks mirror the site's navigation: each page under the page whose toctree holds it,
each page's sections under the page. The root page's toctree entries are the book's top level
(the sessions), so they are not tucked under the welcome page.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from docutils import nodes
from sphinx import addnodes

from .manifest import Entry

MAX_LEVEL = 3


@dataclass
class _Item:
    title: str
    anchor: str
    document: str | None
    children: list[_Item] = field(default_factory=list)


@dataclass(frozen=True)
class Part:
    """A page that the root page's toctree lists: it starts a new sheet and names the header."""

    number: int
    title: str
    document: str

    @property
    def name(self) -> str:
        return f"handbook-part-{self.number}"


def collect_entries(tree: nodes.document, root_doc: str) -> tuple[Entry, ...]:
    """The bookmarks of the book, in reading order, at most ``MAX_LEVEL`` deep."""
    top: list[_Item] = []
    _visit(tree, root_doc, root_doc, top, None, 0)
    return tuple(_flatten(top, 1))


def _visit(
    element: nodes.Element,
    docname: str,
    root_doc: str,
    siblings: list[_Item],
    page: _Item | None,
    depth: int,
) -> None:
    """Walk ``element``; ``siblings`` takes the page's titles, ``page`` its sections."""
    for child in element.children:
        if isinstance(child, addnodes.start_of_file):
            below = page.children if page is not None and docname != root_doc else siblings
            _visit(child, child["docname"], root_doc, below, None, 0)
        elif isinstance(child, nodes.section):
            item = _Item(child[0].astext(), child["ids"][0], None)
            if depth == 0:
                if not any(s.document == docname for s in siblings):
                    item.document = docname
                siblings.append(item)
                _visit(child, docname, root_doc, siblings, item, 1)
            else:
                if depth == 1 and page is not None:
                    page.children.append(item)
                _visit(child, docname, root_doc, siblings, page, depth + 1)
        elif isinstance(child, nodes.Element):
            _visit(child, docname, root_doc, siblings, page, depth)


def _flatten(items: list[_Item], level: int) -> Iterator[Entry]:
    if level > MAX_LEVEL:
        return
    for item in items:
        yield Entry(item.title, item.anchor, level, item.document)
        yield from _flatten(item.children, level + 1)


def wrap_parts(tree: nodes.document) -> tuple[Part, ...]:
    """Make each page of the root toctree a part of the book, and each page below it a chapter.

    A part is moved out of the welcome page's last section to the top of the book, so its title
    is a first-level heading (in the HTML, and so in the tagged PDF's structure), and wrapped in
    a container that the print CSS names a page. A chapter (a module) starts a new sheet.
    """
    parts = []
    for sof in list(tree.findall(addnodes.start_of_file)):
        depth = sum(isinstance(a, addnodes.start_of_file) for a in _ancestors(sof))
        if depth == 1:
            _wrap(sof, ["handbook-chapter"])
        if depth:
            continue
        section = next(sof.findall(nodes.section), None)
        title = section[0].astext() if section else sof["docname"]
        part = Part(len(parts) + 1, title, sof["docname"])
        _wrap(sof, ["handbook-part", part.name])
        sof.parent.remove(sof)
        tree.append(sof)
        parts.append(part)
    return tuple(parts)


def _wrap(sof: addnodes.start_of_file, classes: list[str]) -> None:
    wrapper = nodes.container("", *sof.children, classes=classes)
    sof.children = []
    sof.append(wrapper)


def _ancestors(node: nodes.Node) -> Iterator[nodes.Node]:
    while node.parent is not None:
        node = node.parent
        yield node
