"""Hostile values in the fields the first hostile suite left alone, and checks that hid others.

Links and addresses the site shows, names of accents alone, a time zone that is a folder, MyST
fields that reach for files or other hosts or take over the page's headings and anchors: each
is one located problem at the YAML line, never an exception and never a copied file.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from mlops_handbook.data import load_course_data

from .test_hostile_data import assert_located, case, problems

Edit = Callable[[Path, str, str], None]
MakeApp = Callable[..., SphinxTestApp]
WEB = "must be a web address that starts with https:// or http://"
CLIMBS = "climbs out of its folder with '..': course data may only name files inside the project"
ELSEWHERE = "is on another host; pages load nothing from other hosts"

ADDRESSES = [
    case("course.yaml", "repository: https://example.org/repo", "repository: javascript:alert(1)",
         f"course.yaml:21:15: 'repository' of links {WEB}, like https://example.org, not "
         "'javascript:alert(1)'", only=True),
    case("course.yaml", "dtu_learn: https://example.org/learn", "dtu_learn: file:///etc/passwd",
         f"course.yaml:23:14: 'dtu_learn' of links {WEB}", only=True),
    case("course.yaml", "  email: ada@example.org",
         '  email: ada@example.org\n  homepage: "data:text/html,<script>x</script>"',
         f"course.yaml:20:13: 'homepage' of teacher {WEB}", only=True),
    case("course.yaml", "  email: ada@example.org", "  email: javascript:alert(1)//@x.org",
         "course.yaml:19:10: 'email' of teacher must be an email address like ada@example.org",
         only=True),
    case("course.yaml", "  email: ada@example.org", "  email: Ada Teacher",
         "course.yaml:19:10: 'email' of teacher must be an email address", only=True),
    case("tas.yaml", "  - name: Björn Ørsted", '  - name: "\u0301\u0308"',
         "tas.yaml:4:11: 'name' of tas item 1 must not be empty once invisible characters",
         only=True),
    case("timeplan.yaml", "date: 2030-01-14", "date: 0001-01-08",
         "timeplan.yaml:10:11: 'date' of days item 3: 0001-01-08 is not a year of a course "
         "edition (years 1970 to 2999); is the year mistyped?", only=True),
    case("course.yaml", "deadline: 2030-01-18", "deadline: 9999-12-31",
         "course.yaml:44:13: 'deadline' of exam: 9999-12-31 is not a year of a course edition",
         only=True),
    case("course.yaml", "timezone: Europe/Copenhagen", "timezone: Europe",
         "course.yaml:48: calendar timezone 'Europe' is not an IANA time zone name", only=True),
]  # fmt: skip

LOOKALIKE = "mixes Latin letters with Greek or Cyrillic ones that look alike"
HOMOGLYPHS = [
    case("tas.yaml", "  - name: Björn Ørsted", "  - name: Bj\u043ern Ørsted",
         f"tas.yaml:4:11: 'name' of tas item 1 {LOOKALIKE}: 'Bj\u043ern', whose '\u043e' is "
         "U+043E CYRILLIC SMALL LETTER O; write the word in one alphabet", only=True),
    case("sessions.yaml", "title: First things", "title: First thing\u03bfs",
         f"sessions.yaml:3:12: 'title' of sessions item 1 {LOOKALIKE}", only=True),
]  # fmt: skip

MYST_FILES = [
    case("faq.yaml", "They can:", "They can {download}`the users <../../../../etc/passwd>`",
         f"faq.yaml:14: the download '../../../../etc/passwd' {CLIMBS}", only=True),
    case("faq.yaml", "They can:", "They can [read](../../../../etc/passwd)",
         f"faq.yaml:14: the link '../../../../etc/passwd' {CLIMBS}", only=True),
    case("faq.yaml", "They can:", "They can <path:../../etc/hosts>",
         f"faq.yaml:14: the link '../../etc/hosts' {CLIMBS}", only=True),
    case("faq.yaml", "They can:", "They can [read](%2e%2e/%2e%2e/etc/passwd)",
         f"faq.yaml:14: the link '../../etc/passwd' {CLIMBS}", only=True),
    case("faq.yaml", "They can:", "They can ![x](https://tracker.example/pixel.png)",
         f"faq.yaml:14: the image 'https://tracker.example/pixel.png' {ELSEWHERE}", only=True),
    case("faq.yaml", "They can:", "They can ![x](../../../../secret.png)",
         f"faq.yaml:14: the image '../../../../secret.png' {CLIMBS}", only=True),
    case("sessions.yaml", "The second session has no day.",
         "Look:\n\n      ```{figure} //tracker.example/x.png\n      ```",
         f"sessions.yaml:16: the {{figure}} '//tracker.example/x.png' {ELSEWHERE}", only=True),
    case("sessions.yaml", "The second session has no day.",
         "Flow:\n\n      ```{mermaid} ../../../../etc/passwd\n      ```",
         "sessions.yaml:16: {mermaid} with an argument reads the diagram from a file", only=True),
    case("faq.yaml", "    answer: |\n      They",
         "    answer: |\n      ```{csv-table}\n      :file: /etc/passwd\n      ```\n\n      They",
         "faq.yaml:14: the option :file: of {csv-table} reads a file or a web address", only=True),
    case("faq.yaml", "    answer: |\n      They",
         "    answer: |\n      ```{csv-table}\n      ---\n      url: https://x.example/a.csv\n"
         "      ---\n      ```\n\n      They",
         "faq.yaml:14: the option :url: of {csv-table} reads a file or a web address", only=True),
    case("faq.yaml", "    answer: |\n      They",
         "    answer: |\n      Term\n      : ```{include} /etc/passwd\n        ```\n\n      They",
         "faq.yaml:15: the directive {include} is not allowed in course data", only=True),
]  # fmt: skip

SCRIPT = "javascript:..., which runs a script or reads a file on the reader's machine"
MYST_SCRIPTS = [
    case("faq.yaml", "    answer: |\n      They",
         "    answer: |\n      ```{image} /logo.png\n      :target: javascript:alert(1)\n"
         "      ```\n\n      They",
         f"faq.yaml:14: the option :target: of {{image}} holds the address {SCRIPT}", only=True),
    case("sessions.yaml", "The second session has no day.",
         "Go:\n\n      :::{button-link} java\tscript:alert(1)\n      Click\n      :::",
         f"sessions.yaml:16: the argument of {{button-link}} holds the address {SCRIPT}",
         only=True),
    case("faq.yaml", "They can:", "They can {bdg-link-primary}`go <JavaScript:alert(1)>`",
         f"faq.yaml:14: the role {{bdg-link-primary}} holds the address {SCRIPT}", only=True),
    case("faq.yaml", "They can:", "They can {bdg-link-info}`x <data:text/html,<b>x</b>>`",
         "faq.yaml:14: the role {bdg-link-info} holds the address data:...", only=True),
]  # fmt: skip

MYST_ONE_LINE = [
    case("sessions.yaml", "    intro: |\n      The second session has no day.",
         '    intro: "Hi.\\n\\n```{raw} html\\n<b>x</b>\\n```"',
         "sessions.yaml:13: the directive {raw} is not allowed in course data", only=True),
]  # fmt: skip

MYST_PAGE = [
    case("faq.yaml", "    answer: |\n      They",
         "    answer: |\n      ```{faq}\n      ```\n\n      They",
         "faq.yaml:14: the directive {faq} places a part of the site on a page; it is not allowed "
         "in course data", only=True),
    case("sessions.yaml", "The second session has no day.",
         "Again:\n\n      ```{session-overview} S2\n      ```",
         "sessions.yaml:16: the directive {session-overview} places a part of the site", only=True),
    case("sessions.yaml", "The second session has no day.",
         "Nav:\n\n      ```{toctree}\n      /faq\n      ```",
         "sessions.yaml:16: the directive {toctree} places a part of the site", only=True),
    case("faq.yaml", "    answer: |\n      They", "    answer: |\n      # Big news\n\n      They",
         "faq.yaml:14: a heading is not allowed in course data", only=True),
    case("sessions.yaml", "The second session has no day.", "No day.\n\n      ## Plan",
         "sessions.yaml:16: a heading is not allowed in course data", only=True),
    case("faq.yaml", "    answer: |\n      They",
         "    answer: |\n      (faq-first-question)=\n      They",
         "faq.yaml:14: a target (name)= is not allowed in course data", only=True),
    case("faq.yaml", "They can:", "They can[^1]:",
         "faq.yaml:14: a footnote is not allowed in course data", only=True),
]  # fmt: skip


@pytest.mark.parametrize(
    ("file", "old", "new", "expected", "only"),
    [*ADDRESSES, *HOMOGLYPHS, *MYST_FILES, *MYST_SCRIPTS, *MYST_ONE_LINE, *MYST_PAGE],
)
def test_hostile_field_is_one_located_problem(
    handbook_src: Path, edit: Edit, file: str, old: str, new: str, expected: tuple[str, ...],
    only: bool,
):  # fmt: skip
    assert_located(handbook_src, edit, file, old, new, expected, only=only)


def test_a_broken_ta_does_not_hide_the_calendar_or_the_checklist(handbook_src: Path, edit: Edit):
    edit(handbook_src / "_data" / "tas.yaml", "  - name: Björn Ørsted", "  - name: [Björn]")
    edit(handbook_src / "_data" / "course.yaml", 'day_starts: "09:00"', 'day_starts: "25:00"')
    edit(handbook_src / "_data" / "checklist.yaml", "modules: [M1]", "modules: [M9]")
    assert problems(handbook_src) == [
        "src/_data/checklist.yaml:6: checklist item 'first-steps' names unknown module 'M9'; "
        "use an id listed in modules.yaml, such as M5",
        "src/_data/course.yaml:49: calendar day_starts '25:00' must be a time written HH:MM, "
        "e.g. 09:00",
        "src/_data/tas.yaml:4:11: 'name' of tas item 1 must be text, not a list",
    ]


def test_a_broken_course_value_does_not_hide_the_deadline_check(handbook_src: Path, edit: Edit):
    edit(handbook_src / "_data" / "course.yaml", "ects: 5", "ects: five")
    edit(handbook_src / "_data" / "course.yaml", "deadline: 2030-01-18", "deadline: 2030-01-10")
    found = problems(handbook_src)
    assert len(found) == 2, found
    assert "the exam deadline 2030-01-10 is before the last course day 2030-01-18" in found[1]


def test_a_broken_day_keeps_the_edition_bounds_quiet(handbook_src: Path, edit: Edit):
    # The last day cannot be read: "the last day is not the edition's end" would be wrong.
    edit(handbook_src / "_data" / "timeplan.yaml", "date: 2030-01-18", "date: 2030-01-18x")
    (found,) = problems(handbook_src)
    assert "'date' of days item 4 must be a date" in found


def build(make_app: MakeApp, src: Path) -> tuple[Path, str]:
    app = make_app("html", srcdir=src, freshenv=True)
    app.build()
    return Path(app.outdir), re.sub(r"\x1b\[[0-9;]*m", "", app.warning.getvalue())


def test_a_fact_reads_only_fields_of_the_data(make_app: MakeApp, handbook_src: Path):
    with (handbook_src / "index.md").open("a", encoding="utf-8") as page:
        page.write("\n{fact}`teacher.__init__.__globals__` {fact}`edition.start.__class__`\n")
    out, warnings = build(make_app, handbook_src)
    assert "course.yaml has no fact 'teacher.__init__.__globals__'" in warnings
    assert "course.yaml has no fact 'edition.start.__class__'" in warnings
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "__name__" not in index
    assert "datetime" not in index


def test_ids_set_in_myst_fields_do_not_collide_with_the_page(make_app: MakeApp, handbook_src: Path):
    conf = handbook_src / "conf.py"
    conf.write_text(
        conf.read_text("utf-8").replace('"colon_fence"', '"colon_fence", "attrs_inline"')
    )
    faq = handbook_src / "_data" / "faq.yaml"
    faq.write_text(faq.read_text("utf-8").replace("**bold**", "[bold]{#faq-first-question}"))
    out, warnings = build(make_app, handbook_src)
    assert warnings == ""
    ids = re.findall(r'id="([^"]+)"', (out / "faq.html").read_text(encoding="utf-8"))
    assert ids.count("faq-first-question") == 1
    assert "faq-14-faq-first-question" in ids


def test_a_data_file_linked_to_a_file_outside_is_not_read(handbook_src: Path, tmp_path: Path):
    secret = tmp_path / "secret.txt"
    secret.write_text("password: hunter2\n", encoding="utf-8")
    (handbook_src / "_data" / "tas.yaml").unlink()
    (handbook_src / "_data" / "tas.yaml").symlink_to(secret)
    assert problems(handbook_src) == [
        "src/_data/tas.yaml: this data file is a link to a file outside the project's sources; "
        "put the file itself here, not a link"
    ]


def test_a_data_file_linked_inside_the_sources_is_read(handbook_src: Path):
    data = handbook_src / "_data"
    (data / "tas.yaml").rename(handbook_src / "tas-data.yaml")
    (data / "tas.yaml").symlink_to(handbook_src / "tas-data.yaml")
    load_course_data(handbook_src, "_data", "sessions")


def test_a_session_with_no_modules_builds_without_a_warning(
    make_app: MakeApp, handbook_src: Path, edit: Edit
):
    modules = handbook_src / "_data" / "modules.yaml"
    text = modules.read_text("utf-8")
    modules.write_text(text[: text.index("  - id: M3")], "utf-8")
    (handbook_src / "sessions" / "s2_second" / "gluing.md").unlink()
    edit(handbook_src / "sessions" / "s1_first" / "hammering.md", " and {module}`M3`", "")
    out, warnings = build(make_app, handbook_src)
    assert warnings == ""
    page = (out / "sessions" / "s2_second" / "index.html").read_text(encoding="utf-8")
    assert "S2 · Second things" in page


def test_a_name_in_one_alphabet_per_word_is_accepted(handbook_src: Path, edit: Edit):
    edit(handbook_src / "_data" / "tas.yaml", "  - name: Björn Ørsted", "  - name: Σωκράτης Ørsted")
    load_course_data(handbook_src, "_data", "sessions")


def test_directives_nested_past_the_limit_are_one_located_problem(handbook_src: Path, edit: Edit):
    nested = "".join(f"      {':' * (30 - i)}{{note}}\n" for i in range(20))
    edit(
        handbook_src / "_data" / "faq.yaml",
        "    answer: |\n      They",
        f"    answer: |\n{nested}      They",
    )
    assert problems(handbook_src) == [
        "src/_data/faq.yaml:25: directives nested more than 10 deep; course data needs few"
    ]
