"""Each data directive alone on a page of the small test handbook: the nodes it puts there.

A page holds only the directive under test and is read, not written as HTML, so each test is a
fraction of a full build and checks one directive's output exactly: its text, its table's
columns and classes, its anchors. (The HTML of the same directives: test_directives.py.)
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from docutils import nodes
from sphinx import addnodes
from sphinx.testing.util import SphinxTestApp

from mlops_handbook.data import load_course_data

from .test_directive_pages import COURSE_FACTS

MakeApp = Callable[..., SphinxTestApp]
Read = Callable[..., nodes.document]
Edit = Callable[[Path, str, str], None]
ROOT = Path(__file__).resolve().parent / "roots" / "test-handbook"


@pytest.fixture
def apps() -> list[SphinxTestApp]:
    """The apps ``read`` made, for a test that looks past the doctree into the environment."""
    return []


@pytest.fixture
def read(make_app: MakeApp, tmp_path: Path, apps: list[SphinxTestApp]) -> Read:
    """The doctree of ``body`` (or of page ``docname``), read as the handbook's only page.

    ``files`` replace files of the test handbook by their path, e.g. ``_data/faq.yaml``.

    The module pages stay: the data names them.
    """

    def _read(
        body: str, docname: str = "index", files: dict[str, str] | None = None
    ) -> nodes.document:
        src = tmp_path / "src"
        shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns("tas.md", "timeplan.md", "faq.md"))
        (src / "index.md").write_text(f"# Page\n\n{body}\n", encoding="utf-8")
        for name, text in (files or {}).items():
            (src / name).write_text(text, encoding="utf-8")
        # Without the book's other pages, the module pages are in no table of contents and the
        # data's links to those pages lead nowhere: not mistakes here.
        quiet = ["toc", "myst.xref_missing", "myst.domains"]
        app = make_app("dummy", srcdir=src, confoverrides={"suppress_warnings": quiet})
        app.build()
        assert app.warning.getvalue() == ""
        apps.append(app)
        return app.env.get_doctree(docname)

    return _read


def texts(tree: nodes.Node, kind: type[nodes.Element]) -> list[str]:
    return [node.astext() for node in tree.findall(kind)]


def rows(table: nodes.table) -> list[list[str]]:
    return [[c.astext() for c in row.findall(nodes.entry)] for row in table.findall(nodes.row)]


def test_the_time_plan_counts_its_days_and_lays_out_a_table_per_week(read: Read):
    tree = read("```{timeplan}\n```")
    assert texts(tree, nodes.paragraph)[0] == "4 course days: 1 exercise day and 3 project days."
    assert texts(tree, nodes.rubric) == ["Week 1", "Week 2"]
    tables = list(tree.findall(nodes.table))
    assert [table["classes"] for table in tables] == [["handbook-timeplan"]] * 2
    assert [col["colwidth"] for col in tables[0].findall(nodes.colspec)] == [2, 2, 8]
    assert rows(tables[0]) == [
        ["Date", "Kind of day", "What happens"],
        ["Mon 07 Jan", "Exercise day", "S1 · First things. Lecture: Beginnings. The first day."],
        ["Tue 08 Jan", "Project day", "Project start. Form groups."],
    ]
    links = [x["reftarget"] for x in tables[0].findall(addnodes.pending_xref)]
    assert links == ["/sessions/s1_first/index"]
    tones = [b["classes"][1] for b in tables[0].findall(nodes.inline) if "sd-badge" in b["classes"]]
    assert tones == ["sd-bg-primary", "sd-bg-success"]
    assert rows(tables[1])[1:] == [
        ["Mon 14 Jan", "Project day", "A day in the second week."],
        ["Fri 18 Jan", "Project day", "The last day."],
    ]


def test_a_course_starting_on_a_friday_has_that_day_alone_in_week_1(read: Read):
    moved = {"timeplan.yaml": "date: 2030-01-07", "course.yaml": "start: 2030-01-07"}
    files = {}
    for name, old in moved.items():
        text = (ROOT / "_data" / name).read_text(encoding="utf-8")
        assert text.count(old) == 1
        files[f"_data/{name}"] = text.replace(old, old.replace("01-07", "01-04"))
    tree = read("```{timeplan}\n```", files=files)
    assert texts(tree, nodes.rubric) == ["Week 1", "Week 2", "Week 3"]
    assert [rows(table)[1][0] for table in tree.findall(nodes.table)] == [
        "Fri 04 Jan",
        "Tue 08 Jan",
        "Mon 14 Jan",
    ]


def test_a_fact_is_text_a_date_reads_as_a_date_and_a_url_is_a_link(
    read: Read, apps: list[SphinxTestApp]
):
    course = (ROOT / "_data/course.yaml").read_text(encoding="utf-8")
    secure = "dtu_learn: https://example.org/learn"
    assert course.count(secure) == 1
    files = {"_data/course.yaml": course.replace(secure, secure.replace("https", "http"))}
    roles = ["name", "edition.start", "links.dtu_learn", "it <links.repository>"]
    tree = read(" ".join(f"{{fact}}`{role}`" for role in roles), files=files)
    assert [(n.astext(), n["classes"]) for n in tree.findall(nodes.inline)] == [
        ("Testing Operations", ["handbook-fact"]),
        ("Monday 7 January 2030", ["handbook-fact"]),
    ]
    assert [(n.astext(), n["refuri"]) for n in tree.findall(nodes.reference)] == [
        ("http://example.org/learn", "http://example.org/learn"),
        ("it", "https://example.org/repo"),
    ]
    (app,) = apps  # the page is read again when course.yaml changes
    assert list(app.env.domains["handbook"].uses["index"]) == ["course"]


@pytest.mark.parametrize(
    ("options", "caption", "hidden"),
    [(":caption: Sessions\n:hidden:\n", "Sessions", True), ("", None, False)],
    ids=["caption-hidden", "plain"],
)
def test_the_session_toctree_lists_every_session_in_data_order(
    read: Read, options: str, caption: str | None, hidden: bool
):
    (toc,) = read(f"```{{session-toctree}}\n{options}```").findall(addnodes.toctree)
    assert (toc["parent"], toc["caption"], toc["hidden"]) == ("index", caption, hidden)
    assert toc["entries"] == [(None, "sessions/s1_first/index"), (None, "sessions/s2_second/index")]


def test_an_exercise_shows_its_level_and_time_as_two_badges(read: Read):
    tree = read("1. {ex}`core 20 min` Hit a nail.\n2. {ex}`stretch 45 min` Hit two.")
    metas = [n for n in tree.findall(nodes.inline) if "handbook-exercise-meta" in n["classes"]]
    assert [(m["classes"][1], m["level"], m["minutes"], m.astext()) for m in metas] == [
        ("handbook-exercise-core", "core", 20, "Core ≈ 20 min"),
        ("handbook-exercise-stretch", "stretch", 45, "Stretch ≈ 45 min"),
    ]
    tones = [[b["classes"][1] for b in m.findall(nodes.inline) if b is not m] for m in metas]
    assert tones == [["sd-bg-primary", "sd-bg-info"], ["sd-bg-secondary", "sd-bg-info"]]


@pytest.mark.parametrize(
    ("session", "facts", "intro", "modules"),
    [
        (
            "S1",
            [
                ("Date", "Monday 7 January 2030"),
                ("Lecture", "Beginnings"),
                ("Frameworks", "Hammer, Saw"),
                ("Slack channel", "#s1-first"),
                ("Core exercises", ""),  # filled in once every page is read
            ],
            "The first session, with a link to the FAQ and the role M2 · Sawing.",
            ["hammering", "sawing"],
        ),
        (
            "S2",
            [("Date", "No fixed day: take these modules any time"), ("Core exercises", "")],
            "The second session has no day.",
            ["gluing"],
        ),
    ],
)
def test_a_session_page_lists_its_facts_intro_and_modules(
    read: Read,
    apps: list[SphinxTestApp],
    session: str,
    facts: list[tuple[str, str]],
    intro: str,
    modules: list[str],
):
    folder, label = {"S1": ("s1_first", "First things"), "S2": ("s2_second", "Second things")}[
        session
    ]
    docname = f"sessions/{folder}/index"
    tree = read("Nothing.", docname)
    (section,) = tree.findall(nodes.section)  # the generated page's title, from the data
    assert isinstance(section[0], nodes.title)
    assert section[0].astext() == f"{session} · {label}"
    assert section["names"] == [f"{session} · {label}".lower()]
    (field_list,) = tree.findall(nodes.field_list)
    assert field_list["classes"] == ["handbook-session-facts"]
    assert [(f[0].astext(), f[1].astext()) for f in field_list.findall(nodes.field)] == facts
    assert {type(f[1][0]) for f in field_list.findall(nodes.field)} == {nodes.paragraph}
    boxes = [c for c in tree.findall(nodes.container) if "handbook-session-intro" in c["classes"]]
    assert [box.astext() for box in boxes] == [intro]
    (toc,) = tree.findall(addnodes.toctree)
    assert (toc["parent"], toc["hidden"]) == (docname, True)
    assert toc["entries"] == [(None, f"sessions/{folder}/{page}") for page in modules]
    (app,) = apps  # the page is read again when the session, its modules or its day change
    uses = app.env.domains["handbook"].uses[docname]
    assert {f"session:{session}", f"modules-of:{session}", f"day-of:{session}"} <= set(uses)


def test_a_module_or_session_role_links_its_page_by_label(read: Read, apps: list[SphinxTestApp]):
    tree = read("{module}`M3` and {session}`S1`")
    links = [(x.astext(), x["reftarget"]) for x in tree.findall(addnodes.pending_xref)]
    assert links == [
        ("M3 · Gluing", "/sessions/s2_second/gluing"),
        ("S1 · First things", "/sessions/s1_first/index"),
    ]
    (app,) = apps  # the page is read again when either changes
    assert list(app.env.domains["handbook"].uses["index"]) == ["module:M3", "session:S1"]


def test_the_course_facts_are_a_field_list_in_order(read: Read):
    tree = read("```{course-facts}\n```")
    (facts,) = tree.findall(nodes.field_list)
    assert facts["classes"] == ["handbook-course-facts"]
    assert [(f[0].astext(), f[1].astext()) for f in facts.findall(nodes.field)] == COURSE_FACTS
    assert {type(f[1][0]) for f in facts.findall(nodes.field)} == {nodes.paragraph}  # links too


def test_the_ta_table_numbers_everyone_with_their_hours(read: Read):
    tree = read("```{ta-table}\n```")
    assert texts(tree, nodes.paragraph)[0] == (
        "2 teaching assistants; 1–2 at a time. Their hours on course days: 10:00–16:00."
    )
    (table,) = tree.findall(nodes.table)
    assert table["classes"] == ["handbook-tas"]
    assert [col["colwidth"] for col in table.findall(nodes.colspec)] == [1, 6, 3]
    assert rows(table) == [
        ["#", "Name", "Hours"],
        ["1", "Björn Ørsted", "10:00–16:00"],
        ["2", "<script>alert(1)</script>", "12:00–14:00"],
    ]


def test_each_faq_entry_has_an_anchor_a_question_and_its_answer(read: Read):
    tree = read("```{faq}\n```")
    assert [(r.astext(), r["classes"]) for r in tree.findall(nodes.rubric)] == [
        ("General", ["handbook-faq-category"])
    ]
    boxes = [b for b in tree.findall(nodes.container) if "handbook-faq-entry" in b["classes"]]
    assert [b["ids"] for b in boxes] == [["faq-first-question"], ["faq-second-question"]]
    question = boxes[1][0]
    assert question["classes"] == ["handbook-faq-question"]
    assert [type(n) for n in question.children] == [nodes.strong, nodes.reference]
    assert question[0].astext() == "Can answers use *markup*?"  # the data's text, not markup
    link = question[1]
    assert (link.astext(), link["refid"], link["classes"]) == (
        "¶",
        "faq-second-question",
        ["headerlink"],
    )
    assert link["reftitle"] == "Link to this question"
    answer = boxes[1][1]
    assert answer["classes"] == ["handbook-faq-answer"]
    assert "bold" in texts(answer, nodes.strong)


def test_a_module_header_names_the_module_its_kind_and_its_session_day(read: Read):
    tree = read("Nothing.", "sessions/s1_first/hammering")
    containers = tree.findall(nodes.container)
    (header,) = (c for c in containers if "handbook-module-header" in c["classes"])
    (meta,) = header.children
    assert meta["classes"] == ["handbook-module-meta"]
    assert meta.astext() == "M1 Core module Part of S1 · First things, Monday 7 January 2030."
    assert [x["reftarget"] for x in meta.findall(addnodes.pending_xref)] == [
        "/sessions/s1_first/index"
    ]
    badges = [n for n in meta.children if isinstance(n, nodes.inline)]
    assert [b["classes"][1] for b in badges] == ["sd-bg-info", "sd-bg-primary"]


@pytest.mark.parametrize(
    ("data_file", "old", "new"),
    [
        ("modules.yaml", "Hit nails <b>hard</b>.", "Hit nails softly."),  # the module
        ("sessions.yaml", "lecture: Beginnings", "lecture: Openings"),  # its session
        ("timeplan.yaml", "note: The first day.", "note: The first day, moved."),  # its day
    ],
    ids=["module", "session", "day"],
)
def test_a_module_page_is_read_again_when_data_its_header_shows_changes(
    read: Read, apps: list[SphinxTestApp], edit: Edit, data_file: str, old: str, new: str
):
    read("Nothing.", "sessions/s1_first/hammering")
    (app,) = apps
    domain = app.env.domains["handbook"]
    assert "sessions/s1_first/hammering" not in domain.outdated()
    edit(Path(app.srcdir, "_data", data_file), old, new)
    app.env.handbook_data = load_course_data(Path(app.srcdir), "_data", "sessions")
    assert "sessions/s1_first/hammering" in domain.outdated()


def test_an_faq_category_without_entries_is_left_out_and_the_next_one_shown(read: Read):
    faq = """\
categories:
  - id: empty
    title: Nothing here
  - id: general
    title: General
entries:
  - id: only-question
    category: general
    question: Is this shown?
    answer: Yes.
"""
    tree = read("```{faq}\n```", files={"_data/faq.yaml": faq})
    assert texts(tree, nodes.rubric) == ["General"]
    assert texts(tree, nodes.strong) == ["Is this shown?"]


def test_a_session_page_has_a_card_per_module_with_its_kind_and_summary(read: Read):
    tree = read("Nothing.", "sessions/s1_first/index")
    (grid,) = (c for c in tree.findall(nodes.container) if "handbook-module-cards" in c["classes"])
    cards = [c for c in grid.findall(nodes.container) if "sd-card" in c["classes"]]
    # Title, badge, summary (the data's text, not markup), and the page it links to.
    assert [" ".join(card.astext().split()) for card in cards] == [
        "M1 · Hammering Core Hit nails <b>hard</b>. /sessions/s1_first/hammering",
        "M2 · Sawing Optional Cut wood. /sessions/s1_first/sawing",
    ]
    badges = [b for card in cards for b in card.findall(nodes.inline) if "sd-badge" in b["classes"]]
    assert [(b.astext(), "sd-bg-primary" in b["classes"]) for b in badges] == [
        ("Core", True),
        ("Optional", False),
    ]
