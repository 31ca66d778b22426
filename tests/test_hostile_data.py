"""Broken and hostile course data: each case ends in located problems, never in an exception.

Every case edits the small test handbook once and names the problem a maintainer must see,
with the file, line (and column where the loader knows it) to edit.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from mlops_handbook.data import load_course_data
from mlops_handbook.errors import CourseDataError

Edit = Callable[[Path, str, str], None]
SLUG_RULE = "must be lower-case letters a-z, digits, and single '-' or '_' between them"


def problems(src: Path) -> list[str]:
    with pytest.raises(CourseDataError) as caught:
        load_course_data(src, "_data", "sessions")
    return [str(p) for p in caught.value.problems]


def case(file: str, old: str, new: str, *expected: str, only: bool = False) -> object:
    return pytest.param(file, old, new, expected, only, id=f"{file}: {new[:40]!r}")


SAFE_NAMES = [
    case("sessions.yaml", "folder: s1_first", "folder: ..",
         f"src/_data/sessions.yaml:4:13: 'folder' of sessions item 1 {SLUG_RULE}", only=True),
    case("sessions.yaml", "folder: s1_first", "folder: /tmp/elsewhere",
         f"sessions.yaml:4:13: 'folder' of sessions item 1 {SLUG_RULE}", only=True),
    case("sessions.yaml", "folder: s1_first", "folder: S1_First",
         f"sessions.yaml:4:13: 'folder' of sessions item 1 {SLUG_RULE}", only=True),
    case("modules.yaml", "page: gluing", "page: ../s1_first/hammering",
         f"modules.yaml:18:11: 'page' of modules item 3 {SLUG_RULE}", only=True),
    case("modules.yaml", "page: gluing", "page: gluing.md",
         f"modules.yaml:18:11: 'page' of modules item 3 {SLUG_RULE}", only=True),
    case("modules.yaml", "page: sawing", "page: index",
         "modules.yaml:12: module M2 cannot have page 'index': that is the session's own page"),
    case("modules.yaml", "page: sawing", "page: hammering",
         "modules.yaml:8: duplicate module page s1_first/hammering (first at "
         "src/_data/modules.yaml:2)"),
    case("modules.yaml", "id: M2", "id: m2",
         "modules.yaml:8:9: 'id' of modules item 2 must be 'M' and a number, like M10, not 'm2'",
         only=True),
    case("modules.yaml", "session: S2", "session: S2/../..",
         "modules.yaml:16:14: 'session' of modules item 3 must be 'S' and a number", only=True),
    case("sessions.yaml", "id: S2", "id: S2<b>",
         "sessions.yaml:10:9: 'id' of sessions item 2 must be 'S' and a number"),
    case("faq.yaml", "id: first-question", "id: first question",
         f"faq.yaml:5:9: 'id' of entries item 1 {SLUG_RULE}", only=True),
    case("faq.yaml", "  - id: general", '  - id: "general\\" onclick=\\"x"',
         f"faq.yaml:2:9: 'id' of categories item 1 {SLUG_RULE}"),
]  # fmt: skip

LOADER = [
    case("course.yaml", "ects: 5", "ects: 0x5",
         "course.yaml:8:7: ects must be a whole number written with the digits 0-9, like 5, "
         "not '0x5'", only=True),
    case("course.yaml", "ects: 5", "ects: 0o7", "course.yaml:8:7: ects must be a whole number"),
    case("course.yaml", "ects: 5", "ects: 1:30",
         "course.yaml:8:7: ects must be a whole number, not '1:30' (YAML reads it as a time in "
         "base 60)", only=True),
    case("course.yaml", "ects: 5", "ects: " + "7" * 5000,
         "course.yaml:8:7: ects must have at most 6 digits, not 5,000", only=True),
    case("course.yaml", "ects: 5", "ects: 5.5", "course.yaml:8:7: ects must be a whole number"),
    case("course.yaml", "ects: 5", "ects: 1_0", "course.yaml:8:7: ects must be a whole number"),
    case("course.yaml", "name: Testing Operations", "name: Yes",
         "course.yaml:2:7: name must be text, not 'Yes', which YAML reads as a yes/no value: "
         "put it in quotes to keep it as text", only=True),
    case("course.yaml", "name: Testing Operations", "name: ~",
         "course.yaml:2:7: name must be text, not nothing", only=True),
    case("course.yaml", "level: Master", "level: !!python/object/new:os.system [echo hi]",
         "course.yaml:9:8: level has the tag '!!python/object/new:os.system', which course data "
         "does not allow", only=True),
    case("course.yaml", "teacher:\n", "teacher: !!python/object/new:os.system\n",
         "course.yaml:16:10: teacher has the tag '!!python/object/new:os.system'", only=True),
    case("course.yaml", "level: Master", "level: !local Master",
         "course.yaml:9:8: level has the tag '!local'", only=True),
    case("course.yaml", "edition:\n", "? [a, b]\n: c\nedition:\n",
         "course.yaml:4:3: a key in the file must be a name, not a list", only=True),
    case("course.yaml", "short_name: TOPS", "short_name: TOPS\n<<: {x: 1}",
         "has the tag '!!merge'", only=True),
    case("course.yaml", "name: Testing Operations", 'name: "Testing Operations',
         "course.yaml:2:7: not valid YAML: the quoted text that starts here runs on to line 14; "
         "is its closing quote missing?", only=True),
    case("course.yaml", "short_name: TOPS", "short_name: 'TOPS\nlabel: 'a'",
         "course.yaml:3:13: not valid YAML: the quoted text that starts here runs on to line 4; "
         "is its closing quote missing?", only=True),
    case("course.yaml", "  validator: check.py", '  validator: "check.py',
         "course.yaml:46:14: not valid YAML: the quoted text that starts here runs on to line "
         "49; is its closing quote missing?", only=True),
    case("course.yaml", "  ta_hours: \"10:00–16:00\"", "  ta_hours: *nowhere",
         "course.yaml:29:13: not valid YAML: found undefined alias 'nowhere'", only=True),
    case("course.yaml", "level: Master", "level:\n\tMaster",
         "YAML indents with spaces, not tabs", only=True),
    case("course.yaml", "level: Master", "level: Master\n---\nlevel: Master",
         "course.yaml:10:1: not valid YAML: expected a single document in the stream (from "
         "line 1), but found another document", only=True),
    case("course.yaml", "ects: 5", "ects: \"" + "x" * 100_000 + "\"",
         "course.yaml:8:7: ects must be a whole number, not 'xxxxxxxxx", only=True),
    case("course.yaml", "length: 1 week", "lenght: 1 week",
         "course.yaml:10:1: unknown key 'lenght' in the file (did you mean 'length'?)",
         only=True),
    case("timeplan.yaml", "date: 2030-01-14", "date: 2030-02-30",
         "timeplan.yaml:10:11: 'date' of days item 3: '2030-02-30' is not a day of the calendar",
         only=True),
    case("timeplan.yaml", "date: 2030-01-14", "date: 20300114",
         "timeplan.yaml:10:11: 'date' of days item 3 must be a date written YYYY-MM-DD",
         only=True),
]  # fmt: skip

INVALID = [
    case("course.yaml", "ects: 5", "ects: -5", "course.yaml:8:7: ects must be above 0, not -5",
         only=True),
    case("course.yaml", "ects: 5", "ects: 0", "course.yaml:8:7: ects must be above 0, not 0",
         only=True),
    case("tas.yaml", "  - name: Björn Ørsted", "  - name: \u200b\u2060\u202f",
         "tas.yaml:4:11: 'name' of tas item 1 must not be empty once invisible characters are "
         "removed", only=True),
    case("course.yaml", "name: Testing Operations", "name: \u3164",
         "course.yaml:2:7: name must not be empty once invisible characters", only=True),
    case("course.yaml", "name: Testing Operations", "name: Testing \u202eOperations",
         "course.yaml:2:7: name holds the invisible bidirectional control U+202E", only=True),
    case("tas.yaml", "  - name: Björn Ørsted",
         "  - name: Björn Ørsted\n  - name: Bjo\u0308rn  \u00d8rsted\u200b",
         "tas.yaml:5: duplicate TA Bjo\u0308rn  \u00d8rsted\u200b (first at "
         "src/_data/tas.yaml:4, written differently)", only=True),
    case("tas.yaml", "  - name: Björn Ørsted", "  - name: Björn Ørsted\n  - name: ＢＪÖＲＮ ØRSTED",
         "tas.yaml:5: duplicate TA ＢＪÖＲＮ ØRSTED", only=True),
    case("faq.yaml", "id: second-question", "id: first-question",
         "faq.yaml:10: duplicate FAQ id first-question (first at src/_data/faq.yaml:5)",
         only=True),
    case("timeplan.yaml", "date: 2030-01-08", "date: 2030-01-15",
         "timeplan.yaml:10: 2030-01-14 comes before the day listed above it", only=True),
    case("course.yaml", "  start: 2030-01-07", "  start: 2030-01-19",
         "course.yaml:7: the edition ends before it starts"),
]  # fmt: skip

MYST = [
    case("faq.yaml", "They can:", "They can: <script>alert(1)</script>",
         "faq.yaml:14: raw HTML '<script>' is not allowed in course data; write it in MyST"),
    case("faq.yaml", "    answer: |\n      They",
         "    answer: |\n      <div>block</div>\n\n      They",
         "faq.yaml:14: raw HTML is not allowed in course data"),
    case("sessions.yaml", "The second session has no day.",
         "The second session.\n\n      ```{raw} html\n      <script>x</script>\n      ```",
         "sessions.yaml:16: the directive {raw} is not allowed in course data", only=True),
    case("sessions.yaml", "The second session has no day.",
         "Hi.\n\n      :::{note}\n      ```{raw} html\n      <b>x</b>\n      ```\n      :::",
         "sessions.yaml:17: the directive {raw} is not allowed in course data", only=True),
    case("sessions.yaml", "The second session has no day.",
         "```{include} ../../../../etc/passwd\n      ```",
         "sessions.yaml:14: the directive {include} is not allowed in course data", only=True),
    case("sessions.yaml", "The second session has no day.",
         "```{eval-rst}\n      .. raw:: html\n      ```",
         "sessions.yaml:14: the directive {eval-rst} is not allowed in course data", only=True),
    case("faq.yaml", "They can:", "They can {raw}`html <i>x</i>`",
         "faq.yaml:14: the role {raw} is not allowed in course data", only=True),
    case("faq.yaml", "answer: |\n      Yes,", "answer: Yes <i>x</i> and\n      no,",
         "faq.yaml:8: raw HTML '<i>' is not allowed"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("file", "old", "new", "expected", "only"), [*SAFE_NAMES, *LOADER, *INVALID, *MYST]
)
def test_hostile_value_is_a_located_problem(
    handbook_src: Path, edit: Edit, file: str, old: str, new: str, expected: tuple[str, ...],
    only: bool,
):  # fmt: skip
    assert_located(handbook_src, edit, file, old, new, expected, only=only)


def assert_located(
    src: Path, edit: Edit, file: str, old: str, new: str, expected: tuple[str, ...], *, only: bool
) -> None:
    """Edit one data file; each expected message is among the problems, none echoes a long value."""
    edit(src / "_data" / file, old, new)
    found = problems(src)
    for wanted in expected:
        assert any(wanted in p for p in found), f"{wanted!r} not in {found}"
    if only:  # one mistake, one problem: nothing cascades from it
        assert len(found) == 1, found
    assert all(len(p) < 400 for p in found), "a message echoes a long value"


def write(path: Path, data: bytes) -> None:
    path.write_bytes(data)


BYTES = [
    pytest.param("tas.yaml", "Björn Ørsted".encode("latin-1"),
                 "tas.yaml:4:13: the file is not UTF-8: byte 0xF6 cannot be read (Latin-1 or "
                 "Windows-1252 perhaps); save the file with the encoding UTF-8", id="latin-1"),
    pytest.param("tas.yaml", "Björn\x00 Ørsted".encode(),
                 "tas.yaml:4:16: the control character NUL cannot be in a YAML file: delete it",
                 id="NUL"),
    pytest.param("tas.yaml", "Björn\x1b[31m Ørsted".encode(),
                 "tas.yaml:4:16: the control character ESC cannot be in a YAML file: delete it",
                 id="ESC"),
]  # fmt: skip


@pytest.mark.parametrize(("file", "name", "expected"), BYTES)
def test_bytes_that_are_not_yaml_text_are_located(
    handbook_src: Path, file: str, name: bytes, expected: str
):
    path = handbook_src / "_data" / file
    path.write_bytes(path.read_bytes().replace("Björn Ørsted".encode(), name))
    assert problems(handbook_src) == [f"src/_data/{expected}"]


def test_many_control_characters_are_counted_not_all_listed(handbook_src: Path):
    path = handbook_src / "_data" / "tas.yaml"
    path.write_bytes(path.read_bytes().replace(b"Bj", b"\x01" * 500))
    found = problems(handbook_src)
    assert len(found) == 11
    assert found[0] == "src/_data/tas.yaml: and 490 more control characters after these"


@pytest.mark.parametrize(
    ("nested", "where"),
    [
        pytest.param("[" * 2_000 + "]" * 2_000, "course.yaml:9:47", id="flow"),
        pytest.param(
            "".join(f"\n{'  ' * (i + 1)}k:" for i in range(100)) + " x",
            "course.yaml:48:79",
            id="block",
        ),
    ],
)
def test_deep_nesting_is_a_located_problem(handbook_src: Path, edit: Edit, nested: str, where: str):
    edit(handbook_src / "_data" / "course.yaml", "level: Master", f"level: {nested}")
    (found,) = problems(handbook_src)
    assert found.startswith(f"src/_data/{where}")
    assert "values nested more than 40 deep" in found


def test_an_alias_is_reported_where_it_is_used(handbook_src: Path, edit: Edit):
    edit(handbook_src / "_data" / "course.yaml", "level: Master", "level: &words [a, b]")
    edit(handbook_src / "_data" / "course.yaml", "length: 1 week", "length: *words")
    found = problems(handbook_src)
    assert found == [
        "src/_data/course.yaml:9:8: level must be text, not a list",
        "src/_data/course.yaml:10:9: length must be text, not a list",
    ]


def test_an_alias_that_contains_itself_is_a_located_problem(handbook_src: Path, edit: Edit):
    edit(handbook_src / "_data" / "course.yaml", "  places: [Room 1]", "  places: &me [*me]")
    assert problems(handbook_src) == [
        "src/_data/course.yaml:27:16: 'places' of help item 1 must be text, not a list"
    ]


def test_aliases_that_multiply_are_not_expanded(handbook_src: Path, edit: Edit):
    laughs = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    laughs += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    edit(handbook_src / "_data" / "course.yaml", "  places: [Room 1]", "  places: *a8")
    path = handbook_src / "_data" / "course.yaml"
    path.write_text("\n".join(laughs) + "\n" + path.read_text(encoding="utf-8"), "utf-8")
    found = problems(handbook_src)
    assert len([p for p in found if "must be text, not a list" in p]) == 10
    assert len(found) == 19  # and the nine unknown keys a0 to a8


def test_a_missing_file_is_named_without_a_line(handbook_src: Path):
    (handbook_src / "_data" / "tas.yaml").unlink()
    assert problems(handbook_src) == ["src/_data/tas.yaml: this data file is missing: create it"]


def test_a_folder_in_place_of_a_file_is_a_problem(handbook_src: Path):
    (handbook_src / "_data" / "tas.yaml").unlink()
    (handbook_src / "_data" / "tas.yaml").mkdir()
    (found,) = problems(handbook_src)
    assert found.startswith("src/_data/tas.yaml: cannot read the file:")


def test_a_type_error_does_not_hide_cross_checks_of_other_files(handbook_src: Path, edit: Edit):
    edit(handbook_src / "_data" / "course.yaml", "ects: 5", "ects: [5]")
    edit(handbook_src / "_data" / "modules.yaml", "session: S2", "session: S9")
    edit(handbook_src / "_data" / "tas.yaml", "  - name: Björn Ørsted",
         "  - name: Björn Ørsted\n  - name: björn ørsted")  # fmt: skip
    found = problems(handbook_src)
    assert any(p.startswith("src/_data/course.yaml:8:7: ects must be") for p in found)
    assert any("module M3 is in unknown session 'S9'" in p for p in found)
    assert any(p.startswith("src/_data/tas.yaml:5: duplicate TA") for p in found)


def test_a_broken_course_file_still_checks_the_days_against_its_edition(
    handbook_src: Path, edit: Edit
):
    edit(handbook_src / "_data" / "course.yaml", "ects: 5", "ects: -1")
    edit(handbook_src / "_data" / "timeplan.yaml", "date: 2030-01-18", "date: 2030-01-21")
    found = problems(handbook_src)
    assert len(found) == 2
    assert any("2030-01-21 is outside the edition" in p for p in found)


def test_reference_and_date_problems_do_not_hide_page_checks(handbook_src: Path, edit: Edit):
    edit(handbook_src / "_data" / "faq.yaml", "    category: general\n    question: Can",
         "    category: misc\n    question: Can")  # fmt: skip
    edit(handbook_src / "_data" / "timeplan.yaml", "date: 2030-01-14", "date: 2030-01-13")
    edit(handbook_src / "_data" / "modules.yaml", "page: sawing", "page: sewing")
    found = problems(handbook_src)
    assert len(found) == 4
    assert any("sawing.md:1: this page is under the sessions but no module" in p for p in found)
    assert any("unknown category 'misc'" in p for p in found)
    assert any("2030-01-13 is a Sunday" in p for p in found)
    assert any("module M2 has no page" in p for p in found)


def test_a_broken_record_is_skipped_by_the_checks_that_need_it(handbook_src: Path, edit: Edit):
    # S2's title is wrong: M3 still names S2, and S2's pages are still claimed by M3.
    edit(handbook_src / "_data" / "sessions.yaml", "title: Second things", "title: [Second]")
    # M2's page is unreadable: its page sawing.md is not reported as listed by no module.
    edit(handbook_src / "_data" / "modules.yaml", "page: sawing", "page: ../sawing")
    found = problems(handbook_src)
    assert len(found) == 2, found
    assert found[0].startswith("src/_data/modules.yaml:12:11: 'page' of modules item 2")
    assert found[1].startswith("src/_data/sessions.yaml:11:12: 'title' of sessions item 2")


def test_an_unreadable_file_does_not_hide_the_others(handbook_src: Path, edit: Edit):
    (handbook_src / "_data" / "sessions.yaml").write_bytes(b"sessions: [\x00]")
    edit(handbook_src / "_data" / "faq.yaml", "id: second-question", "id: first-question")
    found = problems(handbook_src)
    assert len(found) == 2
    assert "duplicate FAQ id first-question" in found[0]
    assert "control character NUL" in found[1]


def test_the_closing_line_names_the_count_and_no_dangling_colon(handbook_src: Path, edit: Edit):
    edit(handbook_src / "_data" / "course.yaml", "ects: 5", "ects: -5")
    with pytest.raises(CourseDataError) as caught:
        load_course_data(handbook_src, "_data", "sessions")
    assert caught.value.summary == (
        "the build stopped: 1 problem in the course data, each reported above with the file "
        "and line to fix"
    )


def test_a_hostile_handbook_exits_2_with_located_errors_and_no_traceback(
    handbook_src: Path, tmp_path: Path, edit: Edit
):
    data = handbook_src / "_data"
    (data / "tas.yaml").write_bytes((data / "tas.yaml").read_bytes().replace(b"\xc3\xb6", b"\xf6"))
    edit(data / "course.yaml", "level: Master", "level: " + "[" * 5000 + "]" * 5000)
    edit(data / "sessions.yaml", "folder: s1_first", "folder: ../../outside")
    (data / "faq.yaml").unlink()
    build = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-q", "--no-color",
         str(handbook_src), str(tmp_path / "out")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert build.returncode == 2
    assert "Traceback" not in build.stderr
    assert "src/_data/course.yaml:9:47: ERROR: not valid YAML: values nested" in build.stderr
    assert "ERROR: src/_data/faq.yaml: this data file is missing: create it" in build.stderr
    assert "src/_data/sessions.yaml:4:13: ERROR: 'folder' of sessions item 1" in build.stderr
    assert "src/_data/tas.yaml:4:13: ERROR: the file is not UTF-8" in build.stderr
    assert build.stderr.splitlines()[-1] == (
        "ERROR: the build stopped: 4 problems in the course data, each reported above with the "
        "file and line to fix [handbook]"
    )
    assert not (tmp_path / "outside").exists()
    assert not (tmp_path / "out" / "index.html").exists()


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (b"\x00", "tas.yaml:1:1: the control character NUL cannot be in a YAML file: delete it"),
        (b"\n\x00", "tas.yaml:2:1: the control character NUL cannot be in a YAML file: delete it"),
        (b"#\xf6\n", "tas.yaml:1:2: the file is not UTF-8: byte 0xF6 cannot be read (Latin-1 or "
                     "Windows-1252 perhaps); save the file with the encoding UTF-8"),
    ],
    ids=["first line", "after an empty first line", "Latin-1 on the first line"],
)  # fmt: skip
def test_bad_bytes_at_the_top_of_a_file_are_located(
    handbook_src: Path, start: bytes, expected: str
):
    path = handbook_src / "_data" / "tas.yaml"
    path.write_bytes(start + path.read_bytes())
    assert problems(handbook_src) == [f"src/_data/{expected}"]
