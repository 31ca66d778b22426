"""The cross-record rules of validate.py, one broken rule at a time, with the exact message.

Each test makes one mistake in the small test handbook's data and expects exactly the
problems a maintainer should see: a rule that stops firing, or fires where it should not,
changes the list.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from mlops_handbook.data import load_course_data
from mlops_handbook.errors import CourseDataError
from mlops_handbook.validate import GENERATED_MARK

Edit = Callable[[Path, str, str], None]


def problems(src: Path) -> list[str]:
    with pytest.raises(CourseDataError) as caught:
        load_course_data(src, "_data", "sessions")
    return [str(p) for p in caught.value.problems]


def test_a_duplicate_faq_id_is_an_error(handbook_src: Path, edit: Edit):
    edit(handbook_src / "_data/faq.yaml", "id: second-question", "id: first-question")
    assert problems(handbook_src) == [
        "src/_data/faq.yaml:10: duplicate FAQ id first-question (first at src/_data/faq.yaml:5)"
    ]


def test_a_duplicate_faq_category_is_an_error(handbook_src: Path, edit: Edit):
    edit(
        handbook_src / "_data/faq.yaml",
        "    title: General\n",
        "    title: General\n  - id: general\n    title: Again\n",
    )
    assert problems(handbook_src) == [
        "src/_data/faq.yaml:4: duplicate FAQ category general (first at src/_data/faq.yaml:2)"
    ]


def test_duplicate_session_ids_and_folders_are_errors(handbook_src: Path, edit: Edit):
    edit(handbook_src / "_data/sessions.yaml", "id: S2", "id: S1")
    edit(handbook_src / "_data/sessions.yaml", "folder: s2_second", "folder: s1_first")
    edit(handbook_src / "_data/modules.yaml", "session: S2", "session: S1")
    assert {
        "src/_data/sessions.yaml:10: duplicate session folder s1_first "
        "(first at src/_data/sessions.yaml:2)",
        "src/_data/sessions.yaml:10: duplicate session id S1 (first at src/_data/sessions.yaml:2)",
    } <= set(problems(handbook_src))


def test_days_out_of_order_are_an_error(handbook_src: Path, edit: Edit):
    edit(handbook_src / "_data/timeplan.yaml", "date: 2030-01-08", "date: 2030-01-15")
    assert problems(handbook_src) == [
        "src/_data/timeplan.yaml:10: 2030-01-14 comes before the day listed above it"
    ]


def test_a_repeated_date_is_reported_once_as_a_duplicate(handbook_src: Path, edit: Edit):
    edit(handbook_src / "_data/timeplan.yaml", "date: 2030-01-14", "date: 2030-01-08")
    assert problems(handbook_src) == [
        "src/_data/timeplan.yaml:10: duplicate date 2030-01-08 (first at src/_data/timeplan.yaml:6)"
    ]


def test_two_days_for_one_session_are_an_error(handbook_src: Path, edit: Edit):
    edit(
        handbook_src / "_data/timeplan.yaml",
        "    kind: project\n    lecture: Project start",
        "    kind: exercise\n    session: S1",
    )
    assert problems(handbook_src) == [
        "src/_data/timeplan.yaml:6: duplicate day for session S1 "
        "(first at src/_data/timeplan.yaml:2)"
    ]


def test_an_edition_that_ends_before_it_starts_is_an_error(handbook_src: Path, edit: Edit):
    edit(handbook_src / "_data/course.yaml", "end: 2030-01-18", "end: 2030-01-06")
    found = problems(handbook_src)
    assert found[0] == "src/_data/course.yaml:7: the edition ends before it starts"
    assert len(found) == 5  # and each of the four days is outside the edition


def test_a_one_day_edition_is_allowed(handbook_src: Path, edit: Edit):
    edit(handbook_src / "_data/course.yaml", "end: 2030-01-18", "end: 2030-01-07")
    assert problems(handbook_src)[0].startswith("src/_data/timeplan.yaml:6: 2030-01-08 is outside")


def test_a_friday_is_a_course_day_and_a_saturday_is_not(handbook_src: Path, edit: Edit):
    edit(handbook_src / "_data/timeplan.yaml", "date: 2030-01-14", "date: 2030-01-11")
    load_course_data(handbook_src, "_data", "sessions")
    edit(handbook_src / "_data/timeplan.yaml", "date: 2030-01-11", "date: 2030-01-12")
    assert problems(handbook_src) == [
        "src/_data/timeplan.yaml:10: 2030-01-12 is a Saturday; course days are Monday to Friday"
    ]


def test_a_project_day_cannot_have_a_session(handbook_src: Path, edit: Edit):
    edit(
        handbook_src / "_data/timeplan.yaml",
        "    kind: project\n    note: A day",
        "    kind: project\n    session: S2\n    note: A day",
    )
    assert problems(handbook_src) == [
        "src/_data/timeplan.yaml:12: project day 2030-01-14 has a session; only exercise days do"
    ]


def test_a_day_cannot_name_an_unknown_session(handbook_src: Path, edit: Edit):
    edit(handbook_src / "_data/timeplan.yaml", "session: S1", "session: S9")
    assert problems(handbook_src) == [
        "src/_data/timeplan.yaml:4: day 2030-01-07 names unknown session 'S9'"
    ]


def test_a_module_in_an_unknown_session_lists_the_known_ones(handbook_src: Path, edit: Edit):
    edit(handbook_src / "_data/modules.yaml", "session: S2", "session: S7")
    assert problems(handbook_src) == [
        "src/_data/modules.yaml:16: module M3 is in unknown session 'S7' (known: S1, S2)"
    ]


def stray(folder: str, page: str) -> str:
    return (
        f"src/sessions/{folder}/{page}.md:1: this page is under the sessions but no module in "
        f"modules.yaml lists it (add a module with page: '{page}' to the session of folder "
        f"'{folder}', or move the page)"
    )


def test_a_stale_generated_session_index_is_left_to_the_build(handbook_src: Path):
    stale = handbook_src / "sessions/s9_gone/index.md"
    stale.parent.mkdir()
    stale.write_text(f"{GENERATED_MARK} from sessions.yaml -->\n# Gone\n", encoding="utf-8")
    load_course_data(handbook_src, "_data", "sessions")
    (stale.parent / "notes.md").write_text("# Notes\n", encoding="utf-8")  # checked after it
    assert problems(handbook_src) == [stray("s9_gone", "notes")]
    stale.write_text(f"# Gone\n{GENERATED_MARK} -->\n", encoding="utf-8")  # hand-written
    assert problems(handbook_src) == [stray("s9_gone", "index"), stray("s9_gone", "notes")]


def test_an_index_that_cannot_be_read_is_not_taken_for_a_generated_one(handbook_src: Path):
    (handbook_src / "sessions/s9_gone/index.md").mkdir(parents=True)  # a folder, not a page
    assert problems(handbook_src) == [stray("s9_gone", "index")]


def test_a_hand_written_session_index_is_allowed(handbook_src: Path):
    (handbook_src / "sessions/s1_first/index.md").write_text("# First\n", encoding="utf-8")
    load_course_data(handbook_src, "_data", "sessions")


def test_a_missing_page_of_a_module_in_an_unknown_session_is_not_reported(
    handbook_src: Path, edit: Edit
):
    edit(handbook_src / "_data/modules.yaml", "session: S2", "session: S7")
    (handbook_src / "sessions/s2_second/gluing.md").unlink()
    assert problems(handbook_src) == [
        "src/_data/modules.yaml:16: module M3 is in unknown session 'S7' (known: S1, S2)"
    ]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "start: 2030-01-07",
            "start: 2030-01-06",
            "src/_data/timeplan.yaml:2: the first day, 2030-01-07, is not the edition's start "
            "(2030-01-06 in course.yaml); `nox -s new-edition -- YYYY-MM-DD` moves both together",
        ),
        (
            "end: 2030-01-18",
            "end: 2030-01-19",
            "src/_data/timeplan.yaml:13: the last day, 2030-01-18, is not the edition's end "
            "(2030-01-19 in course.yaml)",
        ),
        (
            "deadline: 2030-01-18",
            "deadline: 2030-01-17",
            "src/_data/course.yaml:44: the exam deadline 2030-01-17 is before the last course "
            "day 2030-01-18",
        ),
    ],
    ids=["start", "end", "deadline"],
)
def test_the_days_must_fill_the_edition_and_end_before_the_exam(
    handbook_src: Path, edit: Edit, old: str, new: str, message: str
):
    """What a move to a new January must keep true, each at the line to change."""
    edit(handbook_src / "_data/course.yaml", old, new)
    assert problems(handbook_src) == [message]


def test_a_day_outside_the_edition_is_reported_once_not_as_a_wrong_last_day(
    handbook_src: Path, edit: Edit
):
    edit(handbook_src / "_data/course.yaml", "end: 2030-01-18", "end: 2030-01-17")
    edit(handbook_src / "_data/course.yaml", "deadline: 2030-01-18", "deadline: 2030-01-17")
    assert problems(handbook_src) == [
        "src/_data/timeplan.yaml:13: 2030-01-18 is outside the edition (2030-01-07 to "
        "2030-01-17, set in course.yaml)"
    ]


def test_a_day_on_a_holiday_is_refused_even_in_a_one_day_edition(handbook_src: Path, edit: Edit):
    edit(handbook_src / "_data/course.yaml", "end: 2030-01-18", "end: 2030-01-07")
    edit(handbook_src / "_data/timeplan.yaml", "days:\n", "holidays:\n  - 2030-01-08\ndays:\n")
    holiday = "2030-01-08 is a holiday listed in timeplan.yaml; no class then"
    assert f"src/_data/timeplan.yaml:8: {holiday}" in problems(handbook_src)  # and days outside


def test_a_page_in_the_wrong_sessions_folder_is_reported_though_a_module_has_its_name(
    handbook_src: Path,
):
    sessions = handbook_src / "sessions"
    shutil.copy(sessions / "s1_first/hammering.md", sessions / "s2_second/hammering.md")
    assert problems(handbook_src) == [
        "src/sessions/s2_second/hammering.md:1: this page is under the sessions but no module in "
        "modules.yaml lists it (add a module with page: 'hammering' to the session of folder "
        "'s2_second', or move the page)"
    ]


STRAYS = ["s1_first/stray.md", "s2_second/notes.md"]


@pytest.mark.parametrize(
    ("data_file", "old", "new", "reported"),
    [
        # S2 is broken but its folder is known: only pages there may be its modules'.
        ("sessions.yaml", "title: Second things", "title: ''", ["s1_first/stray.md"]),
        # S2's folder cannot be read: any folder may be S2's.
        ("sessions.yaml", "folder: s2_second", "folder: Second Folder", []),
        # M1 is broken but its page is known: only that page is its.
        (
            "modules.yaml",
            "kind: core\n    page: hammering",
            "kind: bad\n    page: hammering",
            STRAYS,
        ),
        # M1's page cannot be read: any page in its session's folder may be M1's.
        ("modules.yaml", "page: hammering", "page: Hammer Page", ["s2_second/notes.md"]),
        # M1's page and session cannot be read: any page may be M1's.
        (
            "modules.yaml",
            "session: S1\n    kind: core\n    page: hammering",
            "session: first\n    kind: core\n    page: Hammer Page",
            [],
        ),
    ],
    ids=["session", "session-folder", "module", "module-page", "module-page-session"],
)
def test_a_broken_record_leaves_alone_only_the_pages_it_may_claim(
    handbook_src: Path, edit: Edit, data_file: str, old: str, new: str, reported: list[str]
):
    """Until the record is fixed no one can tell which pages are its; other pages are checked."""
    for stray in STRAYS:
        (handbook_src / "sessions" / stray).write_text("# Stray\n", encoding="utf-8")
    edit(handbook_src / "_data" / data_file, old, new)
    files = [p.split(":")[0] for p in problems(handbook_src)]
    pages = [f"src/sessions/{page}" for page in reported]
    assert files == [f"src/_data/{data_file}"] * (len(files) - len(pages)) + pages
    assert len(files) > len(pages)  # the broken record itself comes first


def test_the_sessions_folder_may_have_another_name(handbook_src: Path):
    (handbook_src / "sessions").rename(handbook_src / "weeks")
    data = load_course_data(handbook_src, "_data", "weeks")  # the module pages are found there
    assert [m.id for m in data.modules] == ["M1", "M2", "M3"]


def test_a_missing_modules_file_is_not_filled_from_a_broken_checklist_item(
    handbook_src: Path, edit: Edit
):
    """A record of another file that has a field of the same name is no list of modules."""
    (handbook_src / "_data/modules.yaml").unlink()
    edit(
        handbook_src / "_data/checklist.yaml",
        "week: 1\n    modules: [M1]\n",
        "week: 9\n    modules: [M1]\n",
    )
    assert problems(handbook_src) == [
        "src/_data/checklist.yaml:5:11: 'week' of items item 1 must be one of 1, 2, 3, extra, "
        "not '9'",
        "src/_data/modules.yaml: this data file is missing: create it",
    ]


def test_an_faq_entry_of_a_broken_category_waits_for_it_and_an_unknown_one_is_named(
    handbook_src: Path, edit: Edit
):
    faq = handbook_src / "_data/faq.yaml"
    edit(
        faq,
        "    title: General\n",
        "    title: General\n  - id: other\n    title: Other\n  - id: broken\n    title: ''\n",
    )
    edit(faq, "id: first-question\n    category: general", "id: first-question\n    category: nope")
    edit(
        faq,
        "id: second-question\n    category: general",
        "id: second-question\n    category: broken",
    )
    assert problems(handbook_src) == [
        "src/_data/faq.yaml:7:12: 'title' of categories item 3 must not be empty",
        "src/_data/faq.yaml:10: FAQ entry 'first-question' has unknown category 'nope' "
        "(known: general, other)",
    ]
