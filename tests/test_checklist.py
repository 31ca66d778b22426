"""The project checklist: data checked with file and line, a page by week, items on module pages."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader
from sphinx.testing.util import SphinxTestApp

from mlops_handbook.build import Layout
from mlops_handbook.data import load_course_data
from mlops_handbook.errors import CourseDataError
from mlops_handbook.pdf.names import book_name

MakeApp = Callable[..., SphinxTestApp]
REPO = Path(__file__).resolve().parent.parent
PAGE = "# Checklist\n\n```{project-checklist}\n```\n"


def problems(src: Path) -> list[str]:
    with pytest.raises(CourseDataError) as caught:
        load_course_data(src, "_data", "sessions")
    return [str(p) for p in caught.value.problems]


def with_checklist_page(src: Path) -> Path:
    (src / "checklist.md").write_text(PAGE, encoding="utf-8")
    index = src / "index.md"
    index.write_text(index.read_text().replace("timeplan\n", "timeplan\nchecklist\n"))
    return src


def build(make_app: MakeApp, src: Path, builder: str = "html", **options) -> SphinxTestApp:
    app = make_app(builder, srcdir=src, **options)
    app.build()
    assert app.warning.getvalue() == ""
    return app


def html(app: SphinxTestApp, name: str) -> str:
    return (Path(app.outdir) / f"{name}.html").read_text(encoding="utf-8")


def test_the_real_checklist_names_only_real_modules():
    data = load_course_data(REPO / "docs", "_data", "sessions")
    assert len(data.checklist) == 53
    assert [sum(i.week == w for i in data.checklist) for w in ("1", "2", "3", "extra")] == [
        20,
        18,
        9,
        6,
    ]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "modules: [M1, M2]",
            "modules: [M1, M9]",
            "src/_data/checklist.yaml:10: checklist item 'both-modules' names unknown module 'M9'",
        ),
        (
            "id: both-modules",
            "id: first-steps",
            "src/_data/checklist.yaml:7: duplicate checklist id first-steps "
            "(first at src/_data/checklist.yaml:3)",
        ),
        (
            "id: on-your-own",
            "id: On your own",
            "src/_data/checklist.yaml:11: checklist id 'On your own' must be lower-case letters",
        ),
        (
            "week: extra",
            "week: 4",
            "src/_data/checklist.yaml:13:11: 'week' of items item 3 must be one of 1, 2, 3, extra",
        ),
    ],
)
def test_checklist_mistakes_are_named_with_file_and_line(
    handbook_src: Path, edit, old: str, new: str, expected: str
):
    edit(handbook_src / "_data" / "checklist.yaml", old, new)
    found = problems(handbook_src)
    assert any(p.startswith(expected) for p in found), found


def test_the_page_groups_items_by_week_and_links_their_modules(
    make_app: MakeApp, handbook_src: Path, edit
):
    edit(handbook_src / "_data" / "checklist.yaml", "Try something", "Try <b>something</b>")
    page = html(build(make_app, with_checklist_page(handbook_src)), "checklist")
    headings = re.findall(r'<h2 class="rubric">(.*?)</h2>', page)
    assert headings == ["Week 1", "Extra"]
    items = re.findall(r'<li class="handbook-checklist-item" data-checklist-item="([^"]+)"', page)
    assert items == ["first-steps", "both-modules", "on-your-own"]
    both = page.split('data-checklist-item="both-modules"')[1].split("</li>")[0]
    assert 'href="sessions/s1_first/hammering.html"' in both
    assert 'href="sessions/s1_first/sawing.html"' in both
    assert "Try &lt;b&gt;something&lt;/b&gt;" in page
    assert '<div class="handbook-widget handbook-checklist-tools" hidden="hidden"></div>' in page


def test_a_module_page_lists_the_items_it_helps_with(make_app: MakeApp, handbook_src: Path):
    app = build(make_app, handbook_src)
    hammering = html(app, "sessions/s1_first/hammering")
    header = hammering.index("handbook-module-header")
    extras = hammering.index("handbook-module-extras")
    assert header < extras
    assert 'data-module="M1"' in hammering
    assert re.findall(r'data-checklist-item="([^"]+)"', hammering) == [
        "first-steps",
        "both-modules",
    ]
    gluing = html(app, "sessions/s2_second/gluing")
    assert "data-checklist-item" not in gluing
    assert 'data-module="M3"' in gluing


def test_a_checklist_edit_rebuilds_the_pages_that_show_it(
    make_app: MakeApp, handbook_src: Path, edit
):
    src = with_checklist_page(handbook_src)
    build(make_app, src).cleanup()
    edit(src / "_data" / "checklist.yaml", "Take the first", "Take the very first")
    seen: list[str] = []
    app = make_app("html", srcdir=src, freshenv=False)
    app.connect("env-before-read-docs", lambda _app, _env, docnames: seen.extend(docnames))
    app.build()
    assert sorted(seen) == [
        "checklist",
        "sessions/s1_first/hammering",
        "sessions/s1_first/sawing",
        "sessions/s2_second/gluing",
    ]
    assert "Take the very first" in html(app, "sessions/s1_first/hammering")


def test_the_print_build_has_the_checklist_and_no_widgets(make_app: MakeApp, handbook_src: Path):
    app = build(
        make_app,
        with_checklist_page(handbook_src),
        "singlehtml",
        tags=["print"],
        confoverrides={"html_baseurl": "https://example.org/handbook/"},  # session PDFs link there
    )
    page = html(app, "index")
    assert page.count('data-checklist-item="first-steps"') == 2  # the page and module M1
    assert "handbook-widget" not in page
    assert "timeplan.ics" not in page
    assert "planner.js" not in page
    assert "handbook-plan.js" not in page
    assert not (Path(app.outdir) / "timeplan.ics").exists()


@pytest.mark.book
@pytest.mark.pdf
def test_the_pdf_prints_the_checklist_as_empty_boxes_without_widgets(printed_book: Path):
    book = Layout(printed_book).pdf / book_name(
        load_course_data(REPO / "docs", "_data", "sessions")
    )
    text = "\n".join(page.extract_text() for page in PdfReader(book).pages)
    folded = " ".join(text.split())
    assert "Project checklist" in folded
    assert "Keep the data in a cloud storage bucket" in folded
    for widget_text in ("Mark as done", "Copy as Markdown", "Add the course days", "Your progress"):
        assert widget_text not in folded
