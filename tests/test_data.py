"""The course data: the model loads, and every kind of mistake is named with file and line."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from mlops_handbook.data import load_course_data
from mlops_handbook.errors import CourseDataError

REPO = Path(__file__).resolve().parent.parent
Edit = Callable[[Path, str, str], None]


def load(src: Path):
    return load_course_data(src, "_data", "sessions")


def problems(src: Path) -> list[str]:
    with pytest.raises(CourseDataError) as caught:
        load(src)
    return [str(p) for p in caught.value.problems]


def test_the_real_course_data_is_complete():
    data = load(REPO / "docs")
    assert [s.id for s in data.sessions] == [f"S{i}" for i in range(1, 11)]
    assert [m.id for m in data.modules] == [f"M{i}" for i in range(1, 35)]
    assert len(data.days) == 15
    assert sum(d.kind == "exercise" for d in data.days) == 9
    assert len(data.tas.tas) == 13
    assert len(data.faq.entries) >= 12
    assert data.course.code == "02476"
    assert sum(m.kind == "core" for m in data.modules) == 19


def test_every_exercise_day_has_a_session_in_order():
    data = load(REPO / "docs")
    taught = [d.session for d in data.days if d.kind == "exercise"]
    assert taught == [s.id for s in data.sessions if data.day_of(s.id)]


def test_small_handbook_loads(handbook_src: Path):
    data = load(handbook_src)
    assert data.module_docname(data.module("M3")) == "sessions/s2_second/gluing"
    assert data.ta_hours(data.tas.tas[0]) == "10:00–16:00"
    assert data.ta_hours(data.tas.tas[1]) == "12:00–14:00"
    assert data.module("M1").where.line == 2


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (
            "modules.yaml",
            "session: S2",
            "session: S7",
            "src/_data/modules.yaml:16: module M3 is in unknown session 'S7' (known: S1, S2)",
        ),
        (
            "modules.yaml",
            "id: M2",
            "id: M1",
            "src/_data/modules.yaml:8: duplicate module id M1 (first at src/_data/modules.yaml:2)",
        ),
        (
            "timeplan.yaml",
            "date: 2030-01-14",
            "date: 2030-01-21",
            "src/_data/timeplan.yaml:10: 2030-01-21 is outside the edition "
            "(2030-01-07 to 2030-01-18, set in course.yaml)",
        ),
        (
            "timeplan.yaml",
            "date: 2030-01-14",
            "date: 2030-01-12",
            "src/_data/timeplan.yaml:10: 2030-01-12 is a Saturday; "
            "course days are Monday to Friday",
        ),
        (
            "modules.yaml",
            "page: sawing",
            "page: sewing",
            "src/_data/modules.yaml:12: module M2 has no page: create "
            "src/sessions/s1_first/sewing.md or fix 'page' ('sewing')",
        ),
        (
            "modules.yaml",
            "    summary: Cut wood.\n",
            "",
            "src/_data/modules.yaml:8: modules item 2 is missing the required key 'summary'",
        ),
        (
            "course.yaml",
            "ects: 5",
            "ects: five",
            "src/_data/course.yaml:8:7: ects must be a whole number, not 'five'",
        ),
        (
            "modules.yaml",
            "kind: optional",
            "kind: optinal",
            "src/_data/modules.yaml:11:11: 'kind' of modules item 2 must be one of "
            "core, optional, not 'optinal'",
        ),
        (
            "sessions.yaml",
            "    lecture: Beginnings",
            "    lectrue: Beginnings",
            "src/_data/sessions.yaml:5:5: unknown key 'lectrue' in sessions item 1 "
            "(did you mean 'lecture'?)",
        ),
        (
            "tas.yaml",
            "  - name: Björn Ørsted",
            "  - name: Björn Ørsted\n  - name: Björn Ørsted",
            "src/_data/tas.yaml:5: duplicate TA Björn Ørsted (first at src/_data/tas.yaml:4)",
        ),
        (
            "faq.yaml",
            "    category: general\n    question: Can",
            "    category: misc\n    question: Can",
            "src/_data/faq.yaml:11: FAQ entry 'second-question' has unknown category 'misc' "
            "(known: general)",
        ),
        (
            "timeplan.yaml",
            "  - date: 2030-01-07\n    kind: exercise\n    session: S1",
            "  - date: 2030-01-07\n    kind: exercise",
            "src/_data/timeplan.yaml:2: exercise day 2030-01-07 needs a 'session'",
        ),
        (
            "sessions.yaml",
            "frameworks: [Hammer, Saw]",
            "frameworks: [Hammer, Saw",
            "src/_data/sessions.yaml:7:10: not valid YAML: expected ',' or ']', but got ':' "
            "(while parsing a flow sequence started at line 6)",
        ),
    ],
    # Plain ASCII ids: mutmut passes them back to pytest, which cannot find ids with escapes.
    ids=lambda value: re.sub(r"[^A-Za-z0-9.:' -]+", "_", value) if isinstance(value, str) else None,
)
def test_each_mistake_is_reported_where_it_is(
    handbook_src: Path, edit: Edit, file: str, old: str, new: str, expected: str
):
    edit(handbook_src / "_data" / file, old, new)
    assert expected in problems(handbook_src)


def test_all_problems_are_reported_at_once(handbook_src: Path, edit: Edit):
    edit(handbook_src / "_data" / "modules.yaml", "session: S2", "session: S9")
    edit(handbook_src / "_data" / "course.yaml", "ects: 5", "ects: [5]")
    found = problems(handbook_src)
    # A type error in one file does not stop the cross-checks of the others.
    assert len(found) == 2
    assert any("course.yaml:8" in p for p in found)
    assert any("unknown session 'S9'" in p for p in found)
    edit(handbook_src / "_data" / "course.yaml", "ects: [5]", "ects: 5")
    edit(handbook_src / "_data" / "timeplan.yaml", "date: 2030-01-14", "date: 2030-01-13")
    found = problems(handbook_src)
    assert len(found) == 2
    assert any("unknown session 'S9'" in p for p in found)
    assert any("2030-01-13 is a Sunday" in p for p in found)


def test_a_page_the_data_does_not_list_is_an_error(handbook_src: Path):
    stray = handbook_src / "sessions" / "s2_second" / "planing.md"
    stray.write_text("# Planing\n", encoding="utf-8")
    (message,) = problems(handbook_src)
    assert message.startswith("src/sessions/s2_second/planing.md:1: this page is under the")
    assert "add a module with page: 'planing'" in message


def test_the_error_message_lists_every_problem(handbook_src: Path, edit: Edit):
    edit(handbook_src / "_data" / "modules.yaml", "session: S2", "session: S7")
    with pytest.raises(CourseDataError) as caught:
        load(handbook_src)
    assert str(caught.value).splitlines()[0] == "1 problem in the course data:"
    assert caught.value.code == 2
