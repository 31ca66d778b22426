"""The small node builders every directive shares: what each one puts in the doctree."""

from __future__ import annotations

import datetime as dt

from docutils import nodes
from sphinx import addnodes

from mlops_handbook.directives.common import (
    badge,
    doc_link,
    escape_myst,
    field_list,
    kind_badge,
    long_date,
    table,
)
from mlops_handbook.directives.session import toctree

SPECIAL = "\\`*_{}[]()<>#+-.!|~:$&\"'"


def test_every_myst_special_character_is_escaped():
    assert escape_myst(SPECIAL) == "".join(f"\\{c}" for c in SPECIAL)
    assert escape_myst("Plain words, 2 of them; ok") == "Plain words, 2 of them; ok"


def test_a_doc_link_is_resolved_by_each_builder():
    link = doc_link("sessions/s1/index", "S1 · First")
    assert isinstance(link, addnodes.pending_xref)
    assert (link["refdomain"], link["reftype"], link["reftarget"]) == (
        "std",
        "doc",
        "/sessions/s1/index",
    )
    assert link["refexplicit"] is True
    assert [type(c) for c in link.children] == [nodes.inline]
    assert link.astext() == "S1 · First"


def test_badges_carry_their_meaning_in_text_and_tone_in_classes():
    core = badge("Core", "primary")
    assert core.astext() == "Core"
    assert core["classes"] == ["sd-badge", "sd-bg-primary", "sd-bg-text-primary"]


class Kind:
    def __init__(self, kind: str) -> None:
        self.kind = kind


def test_kind_badges():
    core, optional = kind_badge(Kind("core")), kind_badge(Kind("optional"))  # type: ignore[arg-type]
    assert (core.astext(), core["classes"][1]) == ("Core module", "sd-bg-primary")
    assert (optional.astext(), optional["classes"][1]) == ("Optional module", "sd-bg-secondary")


def test_a_long_date_names_the_weekday_and_month():
    assert long_date(dt.date(2030, 1, 7)) == "Monday 7 January 2030"


def test_a_table_sets_text_as_text_and_keeps_nodes():
    link = nodes.reference("", "a link", refuri="x.html")
    tbl = table(["A", "B"], [["<b>1</b>", [link, nodes.Text("!")]], ["2", nodes.emphasis("", "e")]],
                ["handbook-x"], [1, 3])  # fmt: skip
    assert tbl["classes"] == ["handbook-x"]
    group = tbl.children[0]
    assert isinstance(group, nodes.tgroup) and group["cols"] == 2
    assert [c["colwidth"] for c in group.findall(nodes.colspec)] == [1, 3]
    head, body = group.children[2], group.children[3]
    assert isinstance(head, nodes.thead) and isinstance(body, nodes.tbody)
    assert [e.astext() for e in head.findall(nodes.entry)] == ["A", "B"]
    rows = [[e.astext() for e in row.findall(nodes.entry)] for row in body.children]
    assert rows == [["<b>1</b>", "a link!"], ["2", "e"]]
    first = next(body.findall(nodes.paragraph))
    assert [type(c) for c in first.children] == [nodes.Text]  # text, never markup
    assert link.parent is not None and link.parent.parent.parent is body.children[0]


def test_a_field_list_leaves_out_facts_without_a_value():
    facts = field_list([("Date", "Monday"), ("Lecture", None), ("Slack", "")], ["x"])
    assert facts["classes"] == ["x"]
    assert [f.astext() for f in facts.children] == ["Date\n\nMonday"]
    name, body = facts.children[0].children
    assert isinstance(name, nodes.field_name) and isinstance(body, nodes.field_body)


def test_a_generated_toctree_is_what_the_toctree_directive_makes():
    wrapper = toctree("index", ["a", "b/index"], "Sessions", hidden=False)
    assert wrapper["classes"] == ["toctree-wrapper"]
    (node,) = wrapper.children
    assert {
        key: node[key] for key in node.attributes if key not in nodes.Element.basic_attributes
    } == {
        "parent": "index",
        "entries": [(None, "a"), (None, "b/index")],
        "includefiles": ["a", "b/index"],
        "maxdepth": -1,
        "caption": "Sessions",
        "glob": False,
        "hidden": False,
        "includehidden": False,
        "numbered": 0,
        "titlesonly": False,
    }
    assert toctree("index", [], None, hidden=True).children[0]["hidden"] is True
