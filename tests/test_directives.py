"""Each directive and role on the small test handbook, as a reader sees the HTML."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from .conftest import page

MakeApp = Callable[..., SphinxTestApp]


def text(html: str) -> str:
    """The visible text of a page fragment, tags dropped and whitespace folded."""
    inline = re.sub(r"</?(a|span|em|strong|code|b|i)\b[^>]*>", "", html)
    return " ".join(re.sub(r"<[^>]+>", " ", inline).split())


def test_session_page_is_generated_from_the_data(built: SphinxTestApp):
    html = page(built, "sessions/s1_first/index")
    body = text(html)
    assert "S1 · First things" in body
    assert "Date: Monday 7 January 2030" in body
    assert "Lecture: Beginnings" in body
    assert "Frameworks: Hammer, Saw" in body
    assert "Slack channel: #s1-first" in body
    # The intro is MyST: its role became a link to the module page.
    assert 'href="sawing.html"' in html
    # One card per module, in data order, with its kind.
    assert body.index("Core Hit nails") < body.index("Optional Cut wood.")


def test_summary_html_in_data_is_shown_as_text(built: SphinxTestApp):
    html = page(built, "sessions/s1_first/index")
    assert "&lt;b&gt;hard&lt;/b&gt;" in html
    assert "<b>hard</b>" not in html


def test_session_without_a_day_says_so(built: SphinxTestApp):
    body = text(page(built, "sessions/s2_second/index"))
    assert "No fixed day" in body
    assert "Lecture:" not in body


def test_navigation_follows_the_data_order(built: SphinxTestApp):
    nav = page(built, "index")
    order = [
        nav.index(f'href="sessions/{p}"') for p in ("s1_first/index.html", "s2_second/index.html")
    ]
    assert order == sorted(order)
    s1 = page(built, "sessions/s1_first/index")
    assert s1.index('href="hammering.html"') < s1.index('href="sawing.html"')


def test_module_header_shows_id_kind_and_session(built: SphinxTestApp):
    core = text(page(built, "sessions/s1_first/hammering"))
    assert "M1 Core module Part of S1 · First things, Monday 7 January 2030." in core
    optional = page(built, "sessions/s1_first/sawing")
    assert "Optional module" in text(optional)
    assert 'href="index.html"' in optional
    gluing = text(page(built, "sessions/s2_second/gluing"))
    assert "Part of S2 · Second things." in gluing


def test_roles_link_modules_and_sessions(built: SphinxTestApp):
    html = page(built, "sessions/s1_first/hammering")
    assert re.search(r'href="\.\./s2_second/index\.html"[^>]*>.*?S2 · Second things', html, re.S)
    assert re.search(r'href="\.\./s2_second/gluing\.html"[^>]*>.*?M3 · Gluing', html, re.S)


def test_ta_table_lists_everyone_escaped(built: SphinxTestApp):
    html = page(built, "tas")
    assert "2 teaching assistants" in text(html)
    assert "Björn Ørsted" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)</script>" not in html
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S)
    assert [text(r) for r in rows[1:]] == [
        "1 Björn Ørsted 10:00–16:00",
        "2 <script>alert(1)</script> 12:00–14:00".replace("<", "&lt;").replace(">", "&gt;"),
    ]


def test_timeplan_groups_weeks_and_tells_days_apart(built: SphinxTestApp):
    html = page(built, "timeplan")
    body = text(html)
    assert "4 course days: 1 exercise day and 3 project days." in body
    assert body.index("Week 1") < body.index("Mon 07 Jan") < body.index("Week 2")
    assert body.index("Week 2") < body.index("Mon 14 Jan")
    assert "Exercise day S1 · First things. Lecture: Beginnings. The first day." in body
    assert "Project day Project start. Form groups." in body
    assert 'href="sessions/s1_first/index.html"' in html


def test_faq_entries_have_stable_anchors_and_parsed_answers(built: SphinxTestApp):
    html = page(built, "faq")
    assert 'id="faq-first-question"' in html
    assert 'id="faq-second-question"' in html
    assert 'href="#faq-first-question"' in html
    assert 'href="sessions/s1_first/hammering.html"' in html
    assert "<strong>bold</strong>" in html
    assert 'href="timeplan.html"' in html
    assert "<li><p>one</p></li>" in html


def test_faq_anchors_can_be_referenced(make_app: MakeApp, handbook_src: Path):
    (handbook_src / "index.md").write_text(
        (handbook_src / "index.md").read_text() + "\nSee {ref}`faq-second-question`.\n"
    )
    app = make_app("html", srcdir=handbook_src)
    app.build()
    assert app.warning.getvalue() == ""
    assert re.search(
        r'href="faq.html#faq-second-question".*?Can answers use', page(app, "index"), re.S
    )


def test_facts_come_from_course_yaml(built: SphinxTestApp):
    html = page(built, "index")
    assert "99999 Testing Operations, 5 ECTS" in text(html)
    assert (
        '<a class="reference external" href="https://example.org/repo">the repository</a>' in html
    )
    assert "Edition: January 2030: Monday 7 January 2030 to Friday 18 January 2030" in text(html)


@pytest.mark.parametrize(
    ("source", "warning"),
    [
        ("{module}`M9`", "unknown module 'M9'"),
        ("{session}`S5`", "unknown session 'S5'"),
        ("{fact}`colour`", "course.yaml has no fact 'colour'"),
        ("{fact}`teacher`", "fact 'teacher' is not a single value"),
    ],
)
def test_bad_references_warn_with_location(
    make_app: MakeApp, handbook_src: Path, source: str, warning: str
):
    (handbook_src / "timeplan.md").write_text(f"# Time plan\n\nText {source}.\n")
    app = make_app("html", srcdir=handbook_src)
    app.build()
    assert f"timeplan.md:3: WARNING: {warning}" in app.warning.getvalue()


def test_a_module_page_title_must_match_the_data(make_app: MakeApp, handbook_src: Path, edit):
    edit(handbook_src / "sessions" / "s1_first" / "sawing.md", "# Sawing", "# Sewing")
    app = make_app("html", srcdir=handbook_src)
    app.build()
    assert (
        "sawing.md:1: WARNING: page title 'Sewing' differs from the title of M2 in modules.yaml"
        in app.warning.getvalue()
    )


def test_invalid_data_stops_the_build_naming_file_and_line(
    handbook_src: Path, tmp_path: Path, edit
):
    edit(handbook_src / "_data" / "modules.yaml", "session: S2", "session: S3")
    edit(handbook_src / "_data" / "timeplan.yaml", "2030-01-14", "2030-01-12")
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-b",
            "html",
            "-W",
            str(handbook_src),
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert build.returncode == 2
    assert "src/_data/modules.yaml:16: ERROR: module M3 is in unknown session 'S3'" in build.stderr
    assert "src/_data/timeplan.yaml:10: ERROR: 2030-01-12 is a Saturday" in build.stderr
    assert "Traceback" not in build.stderr
    assert not (tmp_path / "out" / "index.html").exists()


def read_docs(make_app: MakeApp, srcdir: Path) -> list[str]:
    """Build again and return the pages Sphinx had to read."""
    app = make_app("html", srcdir=srcdir, freshenv=False)
    seen: list[str] = []
    app.connect("env-before-read-docs", lambda _app, _env, docnames: seen.extend(docnames))
    app.build()
    app.cleanup()  # lets the next app of this test register its nodes afresh
    assert app.warning.getvalue() == ""
    return sorted(seen)


def test_a_data_edit_rebuilds_exactly_the_pages_that_show_it(
    make_app: MakeApp, handbook_src: Path, edit
):
    assert len(read_docs(make_app, handbook_src)) == 9
    assert read_docs(make_app, handbook_src) == []
    edit(handbook_src / "_data" / "tas.yaml", "Björn Ørsted", "Bjørn Ørsted")
    assert read_docs(make_app, handbook_src) == ["tas"]
    edit(handbook_src / "_data" / "modules.yaml", "title: Sawing", "title: Sawing wood")
    edit(handbook_src / "sessions" / "s1_first" / "sawing.md", "# Sawing", "# Sawing wood")
    assert read_docs(make_app, handbook_src) == [
        "sessions/s1_first/index",
        "sessions/s1_first/sawing",
    ]
    edit(handbook_src / "_data" / "faq.yaml", "They can:", "They can easily:")
    assert read_docs(make_app, handbook_src) == ["faq"]
