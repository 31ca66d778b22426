"""Walk docutils trees without a generator per node.

Every transform, collector and writer step finds nodes with ``Node.findall``, which docutils
implements as a recursive generator: each node of the tree gets a generator of its own, and
each node found is passed up through one ``yield from`` per level above it. In a clean build
of the book that walk was the largest single item of the profile (some 2.8 million generator
calls). The functions here walk the same nodes in the same order with one generator and a stack
of the children lists' iterators. They read a node's ``children`` at the same moment as
docutils does (after the node was handed out), so a caller that changes the tree while walking
it sees what it saw before. ``findall`` calls with ``siblings`` or ``ascend`` keep docutils' own
code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

Condition = type | Callable[[nodes.Node], bool] | None


def fast_findall(self: nodes.Node, cls: type) -> Iterator[nodes.Node]:
    """The nodes of the subtree (``self`` first, depth first) that are instances of ``cls``."""
    if isinstance(self, cls):
        yield self
    stack = [iter(self.children)]
    while stack:
        for child in stack[-1]:
            if isinstance(child, cls):
                yield child
            if child.children:
                stack.append(iter(child.children))
                break
        else:
            stack.pop()


def superfast_findall(self: nodes.Node) -> Iterator[nodes.Node]:
    """Every node of the subtree, ``self`` first, depth first."""
    yield self
    stack = [iter(self.children)]
    while stack:
        for child in stack[-1]:
            yield child
            if child.children:
                stack.append(iter(child.children))
                break
        else:
            stack.pop()


def matching_findall(
    self: nodes.Node, condition: Callable[[nodes.Node], bool]
) -> Iterator[nodes.Node]:
    """The nodes of the subtree for which ``condition`` holds, ``self`` first, depth first."""
    if condition(self):
        yield self
    stack = [iter(self.children)]
    while stack:
        for child in stack[-1]:
            if condition(child):
                yield child
            if child.children:
                stack.append(iter(child.children))
                break
        else:
            stack.pop()


DOCUTILS_FINDALL = nodes.Node.findall


def findall(
    self: nodes.Node,
    condition: Condition = None,
    include_self: bool = True,
    descend: bool = True,
    siblings: bool = False,
    ascend: bool = False,
) -> Iterator[Any]:
    """``Node.findall``: the common case (the whole subtree) walked with one generator."""
    if include_self and descend and not siblings and not ascend:
        if condition is None:
            return superfast_findall(self)
        if isinstance(condition, type):
            return fast_findall(self, condition)
        return matching_findall(self, condition)
    return DOCUTILS_FINDALL(self, condition, include_self, descend, siblings, ascend)


def walk_without_recursion() -> None:
    """Use these walks for every docutils node (for the whole process, as they are equal)."""
    nodes.Node._fast_findall = fast_findall  # type: ignore[method-assign,assignment]
    nodes.Node._superfast_findall = superfast_findall  # type: ignore[method-assign,assignment]
    nodes.Node.findall = findall  # type: ignore[method-assign,assignment]


def setup_traversal(_app: Sphinx) -> None:
    walk_without_recursion()
