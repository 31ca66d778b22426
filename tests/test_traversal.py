"""The walks without recursion find what docutils' own walks find, in the same order."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from docutils import nodes

from mlops_handbook import traversal


def docutils_walks() -> dict[str, Callable[..., Iterator[nodes.Node]]]:
    """docutils' recursive walks, written as docutils has them, to compare against."""

    def fast(self: nodes.Node, cls: type) -> Iterator[nodes.Node]:
        if isinstance(self, cls):
            yield self
        for child in self.children:
            yield from fast(child, cls)

    def superfast(self: nodes.Node) -> Iterator[nodes.Node]:
        yield self
        for child in self.children:
            yield from superfast(child)

    def matching(self: nodes.Node, condition: Callable[[nodes.Node], bool]) -> Iterator[nodes.Node]:
        if condition(self):
            yield self
        if len(self.children):
            for child in self:
                yield from matching(child, condition)

    return {"fast": fast, "superfast": superfast, "matching": matching}


def tree() -> nodes.document:
    """A small document with nesting, empty elements, text and inline markup."""
    document = nodes.document(None, None)
    section = nodes.section("", nodes.title("", "A title"))
    section += nodes.paragraph("", "", nodes.Text("one "), nodes.emphasis("", "two"))
    section += nodes.bullet_list("", nodes.list_item("", nodes.paragraph("", "three")))
    section += nodes.container()
    section += nodes.literal_block("", "code")
    document += [section, nodes.paragraph("", "after")]
    return document


def walks(kind: str, root: nodes.Node) -> tuple[Iterator[nodes.Node], Iterator[nodes.Node]]:
    theirs = docutils_walks()[kind]
    if kind == "fast":
        return traversal.fast_findall(root, nodes.TextElement), theirs(root, nodes.TextElement)
    if kind == "superfast":
        return traversal.superfast_findall(root), theirs(root)

    def condition(node: nodes.Node) -> bool:
        return isinstance(node, nodes.Text) or "x" in getattr(node, "attributes", {})

    return traversal.matching_findall(root, condition), theirs(root, condition)


@pytest.mark.parametrize("kind", ["fast", "superfast", "matching"])
def test_the_same_nodes_in_the_same_order(kind: str):
    document = tree()
    document[0][1]["x"] = 1
    ours, theirs = walks(kind, document)
    found, expected = list(ours), list(theirs)
    assert len(found) == len(expected) > 3
    assert all(a is b for a, b in zip(found, expected, strict=True))


def changed_while_walking(walk: Iterator[nodes.Node]) -> list[str]:
    """Walk while changing the tree as transforms do; what was seen, as text."""
    seen = []
    for node in walk:
        seen.append(node.__class__.__name__ + ":" + node.astext()[:8])
        if isinstance(node, nodes.paragraph) and node.astext() == "one two":
            node.children = [nodes.Text("new")]  # children replaced after it was handed out
        if isinstance(node, nodes.emphasis):
            node.parent.remove(node)
        if isinstance(node, nodes.title):
            node.parent.append(nodes.paragraph("", "appended"))
        if isinstance(node, nodes.Text) and str(node) == "three":
            node.parent.replace(node, nodes.Text("THREE"))
    return seen


@pytest.mark.parametrize("kind", ["fast", "superfast", "matching"])
def test_changes_while_walking_are_seen_as_docutils_sees_them(kind: str):
    ours = changed_while_walking(walks(kind, tree())[0])
    theirs = changed_while_walking(walks(kind, tree())[1])
    assert ours == theirs


def test_findall_keeps_docutils_walk_for_siblings_and_ascend():
    traversal.walk_without_recursion()
    start = tree()[0][1]  # the paragraph "one two"
    assert [p.astext() for p in start.findall(nodes.paragraph, siblings=True)] == [
        "one two",
        "three",
    ]
    assert [p.astext() for p in start.findall(nodes.paragraph, ascend=True)] == [
        "one two",
        "three",
        "after",
    ]
    assert list(start.findall(nodes.paragraph, include_self=False)) == []
    assert [t.astext() for t in tree().findall(nodes.title)] == ["A title"]
