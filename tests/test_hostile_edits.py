"""What a tired maintainer leaves in the data, and names that break a clone on another system.

An unfinished merge, a file saved as UTF-16, a folder called ``con`` that Windows cannot check
out: each is one located problem with what to do, never a wrong site or an exception.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest
from sphinx.testing.util import SphinxTestApp

from mlops_handbook import pages
from mlops_handbook.config import HandbookConfig
from mlops_handbook.data import load_course_data
from mlops_handbook.loader import conflicts
from mlops_handbook.pages import outside_code

from .test_hostile_data import assert_located, case, problems
from .test_myst_fields import build

Edit = Callable[[Path, str, str], None]
MakeApp = Callable[..., SphinxTestApp]
DEVICE = "Windows keeps that name for a device, so a clone of the repository there cannot hold it"
MERGE = "an unfinished merge: git's conflict markers on lines"
HALF = "from an unfinished merge, without its other end; delete it and check the lines near it"


@pytest.fixture
def page_errors(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str | None]]:
    """What the session pages' writer and the sources check log as errors, with the location."""
    errors: list[tuple[str, str | None]] = []
    monkeypatch.setattr(
        pages.logger, "error", lambda text, **at: errors.append((text, at.get("location")))
    )
    return errors


NAMES = [
    case("sessions.yaml", "folder: s1_first", "folder: con",
         f"sessions.yaml:4:13: 'folder' of sessions item 1 must not be 'con': {DEVICE}",
         only=True),
    case("modules.yaml", "page: gluing", "page: nul",
         f"modules.yaml:18:11: 'page' of modules item 3 must not be 'nul': {DEVICE}", only=True),
    case("modules.yaml", "page: gluing", "page: lpt9",
         f"modules.yaml:18:11: 'page' of modules item 3 must not be 'lpt9': {DEVICE}",
         only=True),
    case("modules.yaml", "page: gluing", "page: " + "g" * 81,
         "modules.yaml:18:11: 'page' of modules item 3 is 81 characters long; a folder or file "
         "name holds at most 80: shorten it", only=True),
    case("sessions.yaml", "folder: s1_first", "folder: s1_first_" + "x" * 72,
         "sessions.yaml:4:13: 'folder' of sessions item 1 is 81 characters long", only=True),
]  # fmt: skip

MERGES = [
    case("tas.yaml", "  - name: Björn Ørsted\n",
         "<<<<<<< HEAD\n  - name: Björn Ørsted\n=======\n  - name: Bjorn Orsted\n"
         ">>>>>>> other-branch\n",
         f"tas.yaml:4:1: {MERGE} 4 to 8; keep the lines you mean and delete the markers",
         only=True),
    case("faq.yaml", "      - one\n",
         "<<<<<<< HEAD\n      - one\n||||||| base\n      - uno\n=======\n      - eins\n"
         ">>>>>>> theirs\n", f"faq.yaml:16:1: {MERGE} 16 to 22", only=True),
    case("faq.yaml", "      - one\n", "      - one\n>>>>>>> theirs\n",
         f"faq.yaml:17:1: git's conflict marker >>>>>>> {HALF}", only=True),
    case("sessions.yaml", "    lecture: Beginnings\n", "<<<<<<< HEAD\n    lecture: Beginnings\n",
         f"sessions.yaml:5:1: git's conflict marker <<<<<<< {HALF}", only=True),
    case("modules.yaml", "page: gluing\n", "page: gluing\r\n<<<<<<< HEAD\r\n>>>>>>> b\r\n",
         f"modules.yaml:19:1: {MERGE} 19 to 20", only=True),
]  # fmt: skip


KEYS = [
    case("tas.yaml", "  - name: Björn Ørsted", "  - <<: {name: Björn Ørsted}",
         "tas.yaml:4:5: the key '<<' in tas item 1 has the tag '!!merge', which course data "
         "does not allow: write out the keys it would copy", only=True),
    case("tas.yaml", "  - name: Björn Ørsted", "  - ? [name]\n    : Björn Ørsted",
         "tas.yaml:4:7: a key in tas item 1 must be a name, not a list", only=True),
]  # fmt: skip


@pytest.mark.parametrize(("file", "old", "new", "expected", "only"), [*NAMES, *MERGES, *KEYS])
def test_a_maintainers_slip_is_one_located_problem(
    handbook_src: Path, edit: Edit, file: str, old: str, new: str, expected: tuple[str, ...],
    only: bool,
):  # fmt: skip
    assert_located(handbook_src, edit, file, old, new, expected, only=only)


def test_a_name_windows_keeps_is_refused_only_where_it_becomes_a_path(
    handbook_src: Path, edit: Edit
):
    """An FAQ id becomes an anchor, never a file; a page may start with ``con``."""
    edit(handbook_src / "_data" / "faq.yaml", "id: second-question", "id: con")
    edit(handbook_src / "_data" / "modules.yaml", "page: gluing", "page: con-tools")
    pages = handbook_src / "sessions" / "s2_second"
    (pages / "gluing.md").rename(pages / "con-tools.md")
    load_course_data(handbook_src, "_data", "sessions")


def test_markdown_heading_underlines_are_no_conflict() -> None:
    assert conflicts("Title\n=======\n\ntext >>>>>>> not at the start\n<<<<<<<<< nine\n") == []


FENCED = """\
Git marks a conflict so:

````text
<<<<<<< HEAD
```
mine
=======
theirs
>>>>>>> other
````

~~~
>>>>>>> alone
~~~
"""


def test_markers_shown_in_a_code_block_are_no_conflict() -> None:
    assert conflicts(outside_code(FENCED)) == []
    assert [line for line, _ in conflicts(outside_code(FENCED + "<<<<<<< HEAD\n"))] == [15]


@pytest.mark.parametrize("bom", ["utf-16-le", "utf-16-be"])
def test_a_file_saved_as_utf16_is_named_so(handbook_src: Path, bom: str):
    path = handbook_src / "_data" / "tas.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_bytes("\ufeff".encode(bom) + text.encode(bom))
    assert problems(handbook_src) == [
        "src/_data/tas.yaml:1:1: the file is UTF-16, not UTF-8 (some Windows editors call "
        "UTF-16 'Unicode'); save the file with the encoding UTF-8"
    ]


def test_a_merge_left_in_a_page_fails_the_build_at_its_line(make_app: MakeApp, handbook_src: Path):
    page = handbook_src / "sessions" / "s2_second" / "gluing.md"
    page.write_text(
        page.read_text(encoding="utf-8").replace(
            "Gluing text.", "<<<<<<< HEAD\nGluing text.\n=======\nGlue text.\n>>>>>>> theirs"
        ),
        encoding="utf-8",
    )
    _, warnings = build(make_app, handbook_src)
    assert warnings == [
        f"{page}:6: WARNING: {MERGE} 6 to 10; keep the lines you mean and delete the markers "
        "(<<<<<<<, =======, >>>>>>>) [handbook]"
    ]


def make_folder(page: Path) -> None:
    page.mkdir()


def link_to_module_page(page: Path) -> None:
    page.symlink_to("hammering.md")


def link_to_nowhere(page: Path) -> None:
    page.symlink_to("nowhere.md")


@pytest.mark.parametrize("slip", [make_folder, link_to_module_page, link_to_nowhere])
def test_a_session_page_that_is_no_file_is_reported_never_followed(
    handbook_src: Path, page_errors: list[tuple[str, str | None]], slip: Callable[[Path], None]
):
    """A link would overwrite the page it leads to; a folder made the build crash."""
    folder = handbook_src / "sessions" / "s1_first"
    slip(folder / "index.md")
    before = {page.name: page.read_bytes() for page in folder.iterdir() if page.is_file()}
    pages.write_session_pages(load_course_data(handbook_src, "_data", "sessions"), handbook_src)
    assert page_errors == [
        (
            "session S1: sessions/s1_first/index.md is a link or a folder where the session's "
            "generated page goes: delete it; no page was written for it",
            "src/_data/sessions.yaml:4",
        )
    ]
    assert {page.name: page.read_bytes() for page in folder.iterdir() if page.is_file()} == before
    assert (folder.parent / "s2_second" / "index.md").read_text() == pages.SESSION_SOURCE


def test_a_session_page_written_by_hand_is_kept_and_reported(
    handbook_src: Path, page_errors: list[tuple[str, str | None]]
):
    """A maintainer who writes the session's index.md would lose it to the generated page."""
    page = handbook_src / "sessions" / "s1_first" / "index.md"
    page.write_text("# My session\n\nWhat we do today.\n", encoding="utf-8")
    pages.write_session_pages(load_course_data(handbook_src, "_data", "sessions"), handbook_src)
    assert page_errors == [
        (
            "session S1: sessions/s1_first/index.md was written by hand, but this page is "
            "generated from the data and would replace it: move its text into the session's "
            "intro in _data/sessions.yaml (MyST), then delete the file; no page was written "
            "for it",
            "src/_data/sessions.yaml:4",
        )
    ]
    assert page.read_text(encoding="utf-8") == "# My session\n\nWhat we do today.\n"


def test_a_generated_page_saved_in_another_encoding_is_written_again(handbook_src: Path):
    page = handbook_src / "sessions" / "s1_first" / "index.md"
    page.write_bytes(pages.SESSION_SOURCE.encode() + "Björn".encode("latin-1"))
    pages.write_session_pages(load_course_data(handbook_src, "_data", "sessions"), handbook_src)
    assert page.read_text(encoding="utf-8") == pages.SESSION_SOURCE


@pytest.mark.parametrize("renamed", ["s1_beginnings", "S1_First"])
def test_a_session_folder_renamed_on_disk_is_one_problem_at_its_folder_line(
    handbook_src: Path, renamed: str
):
    sessions = handbook_src / "sessions"
    (sessions / "s1_first").rename(sessions / renamed)
    assert problems(handbook_src) == [
        "src/_data/sessions.yaml:4: session S1's folder src/sessions/s1_first/ does not exist, "
        f"so none of its modules has its page: was it renamed to {renamed!r}? Rename it "
        "back, or set 'folder' to the new name"
    ]


def test_a_session_folder_deleted_on_disk_says_to_create_it(handbook_src: Path):
    shutil.rmtree(handbook_src / "sessions" / "s2_second")
    assert problems(handbook_src) == [
        "src/_data/sessions.yaml:12: session S2's folder src/sessions/s2_second/ does not exist, "
        "so none of its modules has its page: create it with the modules' pages, or fix 'folder'"
    ]


def test_a_page_named_apart_from_case_is_one_problem_at_its_module(handbook_src: Path):
    """On macOS or Windows both are one file; the site and Linux see two names."""
    folder = handbook_src / "sessions" / "s2_second"
    (folder / "gluing.md").rename(folder / "Gluing.md")
    assert problems(handbook_src) == [
        "src/_data/modules.yaml:18: module M3's page is src/sessions/s2_second/Gluing.md on disk "
        "but src/sessions/s2_second/gluing.md in the data, a name that differs only in case "
        "(one file on macOS and Windows, two on Linux): rename the file or folder as the data "
        "says"
    ]


def test_a_session_without_modules_needs_no_folder_yet(handbook_src: Path):
    """Its page is generated; only a module's page makes the folder a thing to write."""
    modules = handbook_src / "_data" / "modules.yaml"
    text = modules.read_text("utf-8")
    modules.write_text(text[: text.index("  - id: M3")], "utf-8")
    shutil.rmtree(handbook_src / "sessions" / "s2_second")
    load_course_data(handbook_src, "_data", "sessions")


BOM = "\ufeff".encode()
SAVED = [
    pytest.param(lambda raw: BOM + raw.replace(b'hours: "10', b'hours: \x01"10', 1),
                 "tas.yaml:1:8: the control character U+0001", id="byte order mark"),
    pytest.param(lambda raw: BOM + raw.replace(b'hours: "10', b'hours: \xf6"10', 1),
                 "tas.yaml:1:8: the file is not UTF-8: byte 0xF6", id="byte order mark, Latin-1"),
    pytest.param(lambda raw: raw.replace(b"\n", b"\r").replace(b"on_duty", b"\x01on_duty"),
                 "tas.yaml:2:1: the control character U+0001", id="old Mac line ends"),
    pytest.param(lambda raw: raw.replace(b"\n", b"\r").replace("Björn".encode(), b"Bj\xf6rn"),
                 "tas.yaml:4:13: the file is not UTF-8", id="old Mac line ends, Latin-1"),
    pytest.param(lambda raw: BOM + b"<<<<<<< HEAD\r\n" + raw + b">>>>>>> theirs\r\n",
                 f"tas.yaml:1:1: {MERGE} 1 to 8", id="byte order mark, a merge"),
    pytest.param(lambda raw: raw.replace(b"\n", b"\r") + b"<<<<<<< HEAD\r>>>>>>> b\r",
                 f"tas.yaml:7:1: {MERGE} 7 to 8", id="old Mac line ends, a merge"),
]  # fmt: skip


@pytest.mark.parametrize(("save", "expected"), SAVED)
def test_a_file_as_an_editor_saved_it_is_located_as_the_editor_shows_it(
    handbook_src: Path, save: Callable[[bytes], bytes], expected: str
):
    """A byte order mark is no column, and a lone CR ends a line, as it does for YAML."""
    path = handbook_src / "_data" / "tas.yaml"
    path.write_bytes(save(path.read_bytes()))
    (found,) = problems(handbook_src)
    assert found.startswith(f"src/_data/{expected}"), found


@pytest.mark.parametrize("line_end", [b"\r\n", b"\r"], ids=["Windows", "old Mac"])
def test_markup_in_a_myst_field_is_at_its_line_whatever_the_line_ends(
    handbook_src: Path, line_end: bytes
):
    path = handbook_src / "_data" / "faq.yaml"
    raw = path.read_bytes().replace(b"answer: |\n      Yes,", b"answer: Yes and\n      <i>no</i>,")
    path.write_bytes(raw.replace(b"\n", line_end))
    assert problems(handbook_src) == [
        "src/_data/faq.yaml:9: raw HTML '</i>' is not allowed in course data; write it in MyST",
        "src/_data/faq.yaml:9: raw HTML '<i>' is not allowed in course data; write it in MyST",
    ]


def test_no_session_page_is_written_through_a_sessions_folder_linked_elsewhere(
    handbook_src: Path, tmp_path: Path, page_errors: list[tuple[str, str | None]]
):
    data = load_course_data(handbook_src, "_data", "sessions")
    elsewhere = tmp_path / "elsewhere"
    shutil.move(handbook_src / "sessions", elsewhere)
    (handbook_src / "sessions").symlink_to(elsewhere, target_is_directory=True)
    assert problems(handbook_src) == [
        "src/sessions: this folder is a link to a folder outside the project's sources; put the "
        "folder itself here"
    ]
    pages.write_session_pages(data, handbook_src)
    assert page_errors == [
        (
            "src/sessions is a link to a folder outside the project's sources, so no session "
            "page was written: put the folder itself there",
            None,
        )
    ]
    assert not list(elsewhere.glob("*/index.md"))


def test_a_module_page_linked_to_a_file_outside_is_not_published(
    handbook_src: Path, tmp_path: Path
):
    secret = tmp_path / "notes.md"
    secret.write_text("# Gluing\n\npassword: hunter2\n", encoding="utf-8")
    page = handbook_src / "sessions" / "s2_second" / "gluing.md"
    page.unlink()
    page.symlink_to(secret)
    assert problems(handbook_src) == [
        "src/sessions/s2_second/gluing.md: this page is a link to a file outside the project's "
        "sources; put the file itself here, not a link"
    ]


def test_a_module_moved_to_another_session_in_the_data_only_is_one_problem(
    handbook_src: Path, edit: Edit
):
    edit(handbook_src / "_data" / "modules.yaml", "    session: S1\n    kind: optional",
         "    session: S2\n    kind: optional")  # fmt: skip
    assert problems(handbook_src) == [
        "src/_data/modules.yaml:12: module M2's page is src/sessions/s1_first/sawing.md on disk, "
        "in another session's folder: move it to src/sessions/s2_second/sawing.md, the folder "
        "of S2, or fix 'session'"
    ]


def test_a_session_folder_that_is_a_link_inside_the_sources_is_one_problem(handbook_src: Path):
    """No session page is written through a link; its modules' pages are not looked for."""
    sessions = handbook_src / "sessions"
    shutil.move(sessions / "s2_second", handbook_src / "kept")
    (sessions / "s2_second").symlink_to("../kept", target_is_directory=True)
    assert problems(handbook_src) == [
        "src/_data/sessions.yaml:12: session S2: folder 's2_second' is not a plain folder name: "
        "it is a link; put the folder itself there"
    ]


def test_a_page_in_the_sessions_folder_itself_is_told_where_pages_go(handbook_src: Path):
    (handbook_src / "sessions" / "notes.md").write_text("# Notes\n", encoding="utf-8")
    assert problems(handbook_src) == [
        "src/sessions/notes.md:1: this page is in the sessions folder itself, which holds only "
        "session folders: move it into a session's folder and add a module with page: 'notes' "
        "to that session, or move it out of the sessions"
    ]


def test_a_page_or_file_outside_the_sessions_linked_out_of_the_sources_stops_the_build(
    handbook_src: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    page_errors: list[tuple[str, str | None]],
):
    """Sphinx follows links: the FAQ page linked to a private file would publish its text."""
    secret = tmp_path / "notes.md"
    secret.write_text("# Notes\n\npassword: hunter2\n", encoding="utf-8")
    (handbook_src / "faq.md").unlink()
    (handbook_src / "faq.md").symlink_to(secret)
    (handbook_src / "_static").mkdir()
    (handbook_src / "_static" / "logo.svg").symlink_to("/etc/hostname")
    (handbook_src / "_static" / "inside.svg").symlink_to("../index.md")  # a link inside is fine
    (handbook_src / "_static" / "loop").symlink_to("loop")
    (handbook_src / "_data" / "extra.yaml").symlink_to(secret)  # the data's own check has it
    (handbook_src / "sessions" / "s1_first" / "saw.png").symlink_to("/etc/hostname")
    app = SimpleNamespace(srcdir=str(handbook_src), config=SimpleNamespace())
    monkeypatch.setattr(pages.HandbookConfig, "from_sphinx", lambda _: HandbookConfig())
    pages.refuse_links_out(app)  # type: ignore[arg-type]
    out = "is a link to a file outside the project's sources; put the file itself here, not a link"
    assert page_errors == [
        (f"src/_static/logo.svg: this file {out}", None),
        (
            "src/_static/loop: this file is a link that leads back to itself; put the file "
            "itself here",
            None,
        ),
        (f"src/faq.md: this file {out}", None),
        (f"src/sessions/s1_first/saw.png: this file {out}", None),
    ]
