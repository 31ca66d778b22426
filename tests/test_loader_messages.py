"""The YAML loader: each kind of wrong value is named with its file, line and what it is.

The records here are small ones made for the test, so every branch of the loader is reached
with the fewest lines of YAML.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pytest

from mlops_handbook.errors import Location
from mlops_handbook.loader import load_file
from mlops_handbook.model import Record


@dataclass(frozen=True, kw_only=True)
class Item(Record):
    name: str
    size: int = 0


@dataclass(frozen=True, kw_only=True)
class Book(Record):
    title: str
    kind: Literal["core", "optional"]
    pages: int
    published: dt.date
    note: str | None = None
    items: tuple[Item, ...] = ()
    tags: tuple[str, ...] = field(default_factory=tuple)


GOOD = """\
title: Notes
kind: core
pages: 12
published: 2030-01-07
items:
  - name: first
  - name: second
    size: 3
"""


def load(tmp_path: Path, text: str, cls: type = Book) -> tuple[object, list[str]]:
    path = tmp_path / "book.yaml"
    path.write_text(text, encoding="utf-8")
    value, problems, _broken = load_file(path, cls, "data/book.yaml")
    # Columns are tested with the hostile data (test_hostile_data.py); here only the lines.
    return value, [re.sub(r"^(data/book\.yaml:\d+):\d+:", r"\1:", str(p)) for p in problems]


def test_good_data_becomes_records_that_remember_their_lines(tmp_path: Path):
    book, problems = load(tmp_path, GOOD)
    assert problems == []
    assert book == Book(
        title="Notes",
        kind="core",
        pages=12,
        published=dt.date(2030, 1, 7),
        items=(Item(name="first"), Item(name="second", size=3)),
    )
    assert isinstance(book, Book)
    assert book.where == Location("data/book.yaml", 1)
    assert [i.where.line for i in book.items] == [6, 7]
    assert book.note is None and book.tags == ()


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("title: Notes", "title: {a: 1}", "1: title must be text, not a mapping"),
        ("title: Notes", "title: [a]", "1: title must be text, not a list"),
        ("title: Notes", "title:", "1: title must be text, not nothing"),
        ("title: Notes", "title: '  '", "1: title must not be empty"),
        (
            "title: Notes",
            "title: yes",
            "1: title must be text, not 'yes', which YAML reads as a yes/no value: put it in "
            "quotes to keep it as text",
        ),
        ("kind: core", "kind: [core]", "2: kind must be one of core, optional, not a list"),
        (
            "pages: 12",
            "pages: '12'",
            "3: pages must be a whole number, not the text '12': remove the quotes",
        ),
        ("pages: 12", "pages: 1.5", "3: pages must be a whole number, not '1.5'"),
        (
            "2030-01-07",
            "2030-1-7",
            "4: published must be a date written YYYY-MM-DD, not '2030-1-7'",
        ),
        ("2030-01-07", "[2030]", "4: published must be a date written YYYY-MM-DD, not a list"),
        (GOOD[GOOD.index("items") :], "items: many\n", "5: items must be a list, not 'many'"),
        (
            "  - name: first",
            "  - first",
            "6: items item 1 must be a mapping of keys to values, not 'first'",
        ),
        (
            "    size: 3",
            "    size: big",
            "8: 'size' of items item 2 must be a whole number, not 'big'",
        ),
        (
            "    size: 3",
            "    sise: 3",
            "8: unknown key 'sise' in items item 2 (did you mean 'size'?)",
        ),
        (
            "    size: 3",
            "    colour: red",
            "8: unknown key 'colour' in items item 2 (known keys: name, size)",
        ),
        ("    size: 3", "    name: again", "8: key 'name' appears twice in items item 2"),
        ("  - name: first", "  - size: 1", "6: items item 1 is missing the required key 'name'"),
        ("pages: 12\n", "", "1: the file is missing the required key 'pages'"),
    ],
)
def test_each_wrong_value_is_named_where_it_is(tmp_path: Path, old: str, new: str, expected: str):
    assert GOOD.count(old) == 1
    _, problems = load(tmp_path, GOOD.replace(old, new))
    assert problems == [f"data/book.yaml:{expected}"]


def test_an_optional_value_may_be_left_empty_but_not_wrong(tmp_path: Path):
    book, problems = load(tmp_path, GOOD + "note:\n")
    assert problems == [] and book.note is None  # type: ignore[attr-defined]
    book, problems = load(tmp_path, GOOD + "note: [a]\n")
    assert problems == ["data/book.yaml:9: note must be text, not a list"]


def test_every_problem_in_a_file_is_reported_at_once(tmp_path: Path):
    text = GOOD.replace("pages: 12", "pages: many").replace("kind: core", "kind: basic")
    text = text.replace("  - name: first", "  - name: [first]").replace("size: 3", "size: x")
    book, problems = load(tmp_path, text + "colour: red\n")
    assert book is None
    assert problems == [
        "data/book.yaml:2: kind must be one of core, optional, not 'basic'",
        "data/book.yaml:3: pages must be a whole number, not 'many'",
        "data/book.yaml:6: 'name' of items item 1 must be text, not a list",
        "data/book.yaml:8: 'size' of items item 2 must be a whole number, not 'x'",
        "data/book.yaml:9: unknown key 'colour' in the file "
        "(known keys: title, kind, pages, published, note, items, tags)",
    ]


def test_a_file_that_is_not_yaml_or_empty_or_missing(tmp_path: Path):
    assert load(tmp_path, "title: [Notes\nkind: core\n") == (
        None,
        [
            "data/book.yaml:2: not valid YAML: expected ',' or ']', but got ':' "
            "(while parsing a flow sequence started at line 1)"
        ],
    )
    assert load(tmp_path, "# only a comment\n") == (None, ["data/book.yaml:1: the file is empty"])
    assert load(tmp_path, "- a list\n") == (
        None,
        ["data/book.yaml:1: the file must be a mapping of keys to values, not a list"],
    )
    value, problems, _broken = load_file(tmp_path / "missing.yaml", Book, "data/missing.yaml")
    assert value is None
    assert [str(p) for p in problems] == ["data/missing.yaml: this data file is missing: create it"]


def test_a_key_left_open_is_located_where_it_starts(tmp_path: Path):
    # PyYAML reports the line where it gave up (3); the line to fix is the one the key is on.
    assert load(tmp_path, "title: Notes\nkind\npages: 3\n") == (
        None,
        [
            "data/book.yaml:2: not valid YAML: a key that starts here is not closed "
            "(could not find expected ':' at line 3)"
        ],
    )


def test_a_broken_quoted_value_is_named_in_plain_words(tmp_path: Path):
    _, problems = load(tmp_path, 'title: Notes\nnote: "a \\q b"\n')
    assert problems[0].startswith("data/book.yaml:2: not valid YAML: a double-quoted text that ")
    assert "scalar" not in problems[0]  # YAML's word, not the reader's


def test_a_tab_in_the_indentation_comes_with_a_hint(tmp_path: Path):
    _, problems = load(tmp_path, "title: Notes\nnote:\n\tmore\n")
    assert problems[0].startswith("data/book.yaml:3: not valid YAML: found character '\\t'")
    assert problems[0].endswith("; YAML indents with spaces, not tabs")


@dataclass(frozen=True, kw_only=True)
class Odd(Record):
    weight: float


def test_a_type_the_loader_does_not_know_is_a_bug_of_the_model(tmp_path: Path):
    with pytest.raises(TypeError, match="the model uses a type the loader does not know"):
        load(tmp_path, "weight: 1.5\n", Odd)
