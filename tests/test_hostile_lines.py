"""Each problem at the line of the value to fix, every key that does nothing refused, no huge value.

A cross-check points at the value it finds wrong (a time, a date, a reference), not at the key
that opens the record; a MyST field's problem points at its line of the YAML file however the
field is written (literal, folded, quoted, plain); a key that no page reads is an error with a
hint; a value far larger than any course writes is one located problem, never a slow build.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from mlops_handbook import loader
from mlops_handbook.names import MAX_ITEMS, MAX_MYST, MAX_NAME, MAX_PROSE

from .test_hostile_data import assert_located, case, problems
from .test_myst_fields import build

Edit = Callable[[Path, str, str], None]
MakeApp = Callable[..., SphinxTestApp]
ANSWER = (
    "    answer: |\n      Yes, and it links to {module}`M1` and to [the time plan](timeplan.md).\n"
)
HTML = "raw HTML '<i>' is not allowed in course data"

# The FAQ answer of faq.yaml's line 8, written in each style YAML has, with raw HTML on one line.
MYST_STYLES = [
    pytest.param(">\n      Yes, and it\n      links <i>x</i> here.\n", [10], id="folded"),
    pytest.param('"Yes, and it\n      links <i>x</i> here."\n', [9], id="double-quoted"),
    pytest.param("'Yes, it''s\n      links <i>x</i> here.'\n", [9], id="single-quoted"),
    pytest.param("Yes, and it\n      links <i>x</i> here.\n", [9], id="plain"),
    pytest.param("\n      Yes it\n      is <i>x</i>\n", [10], id="plain-on-the-next-line"),
    pytest.param("|\n\n      Yes.\n\n      a <i>x</i>\n", [12], id="literal-leading-blank"),
    pytest.param("|2\n        Yes, indented.\n\n      a <i>x</i>\n", [11],
                 id="indentation-indicator"),
    pytest.param(">\n      First\n      goes on.\n\n      Then <i>x</i>\n      more.\n", [12],
                 id="folded-paragraphs"),
    pytest.param('"Caf\\u00e9 \\"q\\"\\n\\nlinks <i>x</i>"\n', [8], id="quoted-escapes"),
    pytest.param('"Yes, \\\n      and <i>x</i>"\n', [9], id="quoted-escaped-break"),
    pytest.param(">-\n      a <i>x</i>\n      b <i>x</i>\n", [9, 10], id="folded-twice"),
    pytest.param("> # a comment\n      a\n      b <i>x</i>\n", [10], id="folded-comment"),
]  # fmt: skip


@pytest.mark.parametrize(("answer", "lines"), MYST_STYLES)
def test_raw_html_in_a_myst_field_is_at_its_line_in_any_yaml_style(
    handbook_src: Path, edit: Edit, answer: str, lines: list[int]
):
    edit(handbook_src / "_data" / "faq.yaml", ANSWER, f"    answer: {answer}")
    found = [p for p in problems(handbook_src) if "'<i>'" in p]
    assert found == [f"src/_data/faq.yaml:{line}: {HTML}; write it in MyST" for line in lines]


@pytest.mark.parametrize(
    ("file", "old", "new", "where", "says"),
    [
        pytest.param(
            "faq.yaml", ANSWER, "    answer: >\n      Yes,\n      and\n      {nosuchrole}`x`.\n",
            "_data/faq.yaml:11", 'Unknown interpreted text role "nosuchrole"', id="folded-role",
        ),
        pytest.param(
            "sessions.yaml", "    intro: |\n      The second session has no day.",
            '    intro: "The second\n      session, [gone](gone.md)."',
            "_data/sessions.yaml:14", "cross-reference target not found: 'gone.md'",
            id="quoted-target",
        ),
        pytest.param(
            "faq.yaml", ANSWER, "    answer: Yes,\n      and\n      see {module}`M99`.\n",
            "_data/faq.yaml:10", "unknown module 'M99'", id="plain-role",
        ),
        pytest.param(
            "sessions.yaml", "The second session has no day.",
            "The second session\n      has [a link](gone.md) on its second line.",
            "_data/sessions.yaml:15", "cross-reference target not found: 'gone.md'",
            id="literal-second-line-of-a-paragraph",
        ),
    ],
)  # fmt: skip
def test_a_build_warning_in_a_folded_or_quoted_field_is_at_its_yaml_line(
    make_app: MakeApp, handbook_src: Path, edit: Edit, file, old, new, where, says
):
    edit(handbook_src / "_data" / file, old, new)
    _, warnings = build(make_app, handbook_src)
    (warning,) = warnings
    assert warning.startswith(f"{handbook_src}/{where}: WARNING: "), warning
    assert says in warning


VALUE_LINES = [
    case("course.yaml", 'deadline_time: "23:59"', 'deadline_time: "11:59 pm"',
         "course.yaml:51: calendar deadline_time '11:59 pm' must be a time", only=True),
    case("course.yaml", 'day_ends: "17:00"', 'day_ends: "09:00"',
         "course.yaml:50: calendar day_ends must be later than day_starts", only=True),
    case("course.yaml", "deadline: 2030-01-18", "deadline: 2030-01-17",
         "course.yaml:44: the exam deadline 2030-01-17 is before the last course day", only=True),
    case("timeplan.yaml", "    session: S1\n", "    session: S5\n",
         "timeplan.yaml:4: day 2030-01-07 names unknown session 'S5'", only=True),
    case("modules.yaml", "session: S2", "session: S4",
         "modules.yaml:16: module M3 is in unknown session 'S4'", only=True),
    case("checklist.yaml", "modules: [M1, M2]", "modules:\n      - M1\n      - M7",
         "checklist.yaml:12: checklist item 'both-modules' names unknown module 'M7'", only=True),
    case("faq.yaml", "    category: general\n    question: Can",
         "    category: misc\n    question: Can", "faq.yaml:11: FAQ entry 'second-question' has "
         "unknown category 'misc'", only=True),
]  # fmt: skip

MEANINGLESS = [
    case("timeplan.yaml", "    session: S1\n", "    session: S1\n    lecture: Hello\n",
         "timeplan.yaml:5: exercise day 2030-01-07 has a 'lecture', which no page shows: an "
         "exercise day shows its session's lecture", only=True),
]  # fmt: skip


@pytest.mark.parametrize(("file", "old", "new", "expected", "only"), [*VALUE_LINES, *MEANINGLESS])
def test_a_cross_check_points_at_the_value_to_fix(
    handbook_src: Path, edit: Edit, file: str, old: str, new: str, expected: tuple[str, ...],
    only: bool,
):  # fmt: skip
    assert_located(handbook_src, edit, file, old, new, expected, only=only)


# A line of each kind of record and the indentation of its keys: a key added there is unknown.
RECORDS = [
    ("course.yaml", "code: ", ""), ("course.yaml", "  label: January", "  "),
    ("course.yaml", "  title: Professor", "  "), ("course.yaml", "  dtu_learn:", "  "),
    ("course.yaml", "  project_day:", "  "), ("course.yaml", "  workspace:", "  "),
    ("course.yaml", "      purpose:", "      "), ("course.yaml", "  provider:", "  "),
    ("course.yaml", "  hand_in:", "  "), ("course.yaml", "  timezone:", "  "),
    ("sessions.yaml", "sessions:", ""), ("sessions.yaml", "    title: First", "    "),
    ("modules.yaml", "modules:", ""), ("modules.yaml", "    title: Sawing", "    "),
    ("timeplan.yaml", "days:", ""), ("timeplan.yaml", "    note: The last day.", "    "),
    ("tas.yaml", "hours:", ""), ("tas.yaml", "  - name: Björn Ørsted", "    "),
    ("faq.yaml", "categories:", ""), ("faq.yaml", "    title: General", "    "),
    ("faq.yaml", "    question: Can", "    "),
    ("checklist.yaml", "items:", ""), ("checklist.yaml", "    week: extra", "    "),
]  # fmt: skip


@pytest.mark.parametrize(
    ("file", "line", "indent"), RECORDS, ids=[f"{f}:{k}" for f, k, _ in RECORDS]
)
def test_every_kind_of_record_refuses_an_unknown_key_with_a_hint(
    handbook_src: Path, file: str, line: str, indent: str
):
    path = handbook_src / "_data" / file
    text = path.read_text(encoding="utf-8")
    start = text.index(line)
    end = text.index("\n", start) + 1
    if text[end:].startswith(f"{indent}  "):  # a block value below the line: add after it
        while text[end:].startswith(f"{indent} ") or text[end:].startswith("\n"):
            end = text.index("\n", end) + 1
    number = text.count("\n", 0, end) + 1
    path.write_text(f"{text[:end]}{indent}frobnicate: 1\n{text[end:]}", encoding="utf-8")
    (found,) = problems(handbook_src)
    assert found.startswith(
        f"src/_data/{file}:{number}:{len(indent) + 1}: unknown key 'frobnicate'"
    )
    assert "(known keys: " in found


TOO_BIG = [
    case("sessions.yaml", "title: First things", "title: " + "x" * 1_000_000,
         f"sessions.yaml:3:12: 'title' of sessions item 1 is 1,000,000 characters long; a name or "
         f"title holds at most {MAX_NAME}: shorten it", only=True),
    case("modules.yaml", "summary: Cut wood.", "summary: " + "Cut. " * 1_000,
         f"modules.yaml:13:14: 'summary' of modules item 2 is 4,999 characters long; plain text "
         f"holds at most {MAX_PROSE:,}", only=True),
    case("course.yaml", "dtu_learn: https://example.org/learn",
         "dtu_learn: https://example.org/" + "a" * 5_000,
         "course.yaml:23:14: 'dtu_learn' of links is 5,020 characters long; a web or email "
         "address holds at most 2,000", only=True),
    case("faq.yaml", "They can:", "They can: " + "word " * 5_000,
         f"faq.yaml:13:13: 'answer' of entries item 2 is 25,052 characters long; a MyST field "
         f"holds at most {MAX_MYST:,}", only=True),
    case("sessions.yaml", "frameworks: [Hammer, Saw]", "frameworks: [" + "a, " * 100_000 + "b]",
         "sessions.yaml:6:17: 'frameworks' of sessions item 1 has 100,001 items; a list in course "
         f"data holds at most {MAX_ITEMS}", only=True),
    case("tas.yaml", "tas:\n", "tas:\n" + "  - name: A\n" * (MAX_ITEMS - 1),
         f"tas.yaml:4:3: tas has {MAX_ITEMS + 1} items", only=True),
]  # fmt: skip


@pytest.mark.parametrize(("file", "old", "new", "expected", "only"), TOO_BIG)
def test_a_huge_value_is_one_located_problem(
    handbook_src: Path, edit: Edit, file: str, old: str, new: str, expected: tuple[str, ...],
    only: bool,
):  # fmt: skip
    assert_located(handbook_src, edit, file, old, new, expected, only=only)


def test_a_huge_file_is_not_read_past_the_limit(handbook_src: Path):
    path = handbook_src / "_data" / "tas.yaml"
    path.write_text("# " + "x" * loader.MAX_FILE_BYTES + "\n" + path.read_text("utf-8"), "utf-8")
    assert problems(handbook_src) == [
        f"src/_data/tas.yaml: the file is over {loader.MAX_FILE_BYTES:,} bytes, far more than "
        "course data needs: is a value pasted in by mistake?"
    ]


ODD = "a control character or one no page can show"
ESCAPED_AND_COPIED = [
    case("sessions.yaml", "title: First things", 'title: "First\\0things"',
         f"sessions.yaml:3:12: 'title' of sessions item 1 holds the character U+0000, {ODD}",
         only=True),
    case("sessions.yaml", "title: First things", 'title: "First\\ud800things"',
         f"sessions.yaml:3:12: 'title' of sessions item 1 holds the character U+D800, {ODD}",
         only=True),
    case("modules.yaml", "summary: Cut wood.", 'summary: "Cut \\e[31mwood."',
         f"modules.yaml:13:14: 'summary' of modules item 2 holds the character U+001B, {ODD}",
         only=True),
    case("faq.yaml", ANSWER, '    answer: "Yes, \\uffff."\n', "faq.yaml:8:13: 'answer' of "
         f"entries item 1 holds the character U+FFFF, {ODD}", only=True),
    case("sessions.yaml", "title: First things", 'title: "First\\x9bthings"',
         f"sessions.yaml:3:12: 'title' of sessions item 1 holds the character U+009B, {ODD}",
         only=True),
    case("sessions.yaml", "title: First things", "title: First thin" + "g" + "\u0301" * 12 + "s",
         "sessions.yaml:3:12: 'title' of sessions item 1 stacks more than 4 accents", only=True),
    case("timeplan.yaml", "days:", "holidays: [2030-01-01, 2030-01-01]\ndays:",
         "timeplan.yaml:1:24: holidays item 2, '2030-01-01', repeats item 1: list each once",
         only=True),
    case("checklist.yaml", "modules: [M1, M2]", "modules: [M1, m1]",
         "checklist.yaml:10:19: 'modules' of items item 2 item 2, 'm1', repeats item 1",
         only=True),
    case("course.yaml", "places: [Room 1]", "places: []",
         "course.yaml:27:11: 'places' of help is an empty list: it needs at least one item",
         only=True),
    case("timeplan.yaml", "days:\n", "days: []\nold:\n",
         "timeplan.yaml:1:7: days is an empty list", "unknown key 'old'"),
    case("sessions.yaml", "title: Second things", "title: FIRST things",
         "sessions.yaml:11: duplicate session title FIRST things (first at "
         "src/_data/sessions.yaml:3, written differently)", only=True),
    case("modules.yaml", "title: Sawing", "title: Hammering",
         "modules.yaml:9: duplicate module title Hammering (first at src/_data/modules.yaml:3)",
         only=True),
    case("faq.yaml", "question: Can answers use *markup*?",
         "question: Is this the first question?", "faq.yaml:12: duplicate FAQ question",
         only=True),
    case("checklist.yaml", "text: Try something no module covers",
         "text: Take the first steps of the course", "checklist.yaml:12: duplicate checklist "
         "item text", only=True),
    case("course.yaml", "deadline: 2030-01-18", "deadline: 2031-01-18",
         "course.yaml:44: the exam deadline 2031-01-18 is 365 days after the edition's end "
         "(2030-01-18); a hand-in closes within 31 days of it: is the year or month mistyped?",
         only=True),
]  # fmt: skip


MAINTAINER = [
    case("timeplan.yaml",
         "    session: S1\n    note: The first day.\n  - date: 2030-01-08\n    kind: project\n"
         "    lecture: Project start\n",
         "    session: S2\n    note: The first day.\n  - date: 2030-01-08\n    kind: exercise\n"
         "    session: S1\n",
         "timeplan.yaml:8: session S1 is on 2030-01-08, after session S2 (2030-01-07), but "
         "sessions.yaml lists it before S2", only=True),
    case("course.yaml", "ects: 5", 'ects: "5"',
         "course.yaml:8:7: ects must be a whole number, not the text '5': remove the quotes",
         only=True),
    case("course.yaml", "  title: Professor", "  Title: Professor",
         "course.yaml:18:3: unknown key 'Title' in teacher (did you mean 'title'?)", only=True),
    case("timeplan.yaml", "    note: The last day.", "    nte: The last day.",
         "timeplan.yaml:15:5: unknown key 'nte' in days item 4 (did you mean 'note'?)",
         only=True),
    case("course.yaml", "level: Master", "level: Master\n" + "".join(
         f"k{i}: 1\n" for i in range(MAX_ITEMS + 1)), "course.yaml:1:1: the file has 520 keys; "
         f"a record has at most {MAX_ITEMS}", only=True),
]  # fmt: skip


@pytest.mark.parametrize(
    ("file", "old", "new", "expected", "only"), [*ESCAPED_AND_COPIED, *MAINTAINER]
)
def test_escaped_characters_and_copied_values_are_located_problems(
    handbook_src: Path, edit: Edit, file: str, old: str, new: str, expected: tuple[str, ...],
    only: bool,
):  # fmt: skip
    assert_located(handbook_src, edit, file, old, new, expected, only=only)


def test_a_data_file_that_links_to_itself_is_a_problem_not_a_crash(handbook_src: Path):
    path = handbook_src / "_data" / "tas.yaml"
    path.unlink()
    path.symlink_to("tas.yaml")
    assert problems(handbook_src) == [
        "src/_data/tas.yaml: this data file is a link that leads back to itself; put the file "
        "itself here"
    ]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_in_place_of_a_data_file_is_not_waited_for(handbook_src: Path):
    path = handbook_src / "_data" / "tas.yaml"
    path.unlink()
    os.mkfifo(path)
    assert problems(handbook_src) == [
        "src/_data/tas.yaml: cannot read the file: not a regular file"
    ]
