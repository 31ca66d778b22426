"""MyST fields of the data are parsed as MyST and located in the YAML; plain text stays text."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

MakeApp = Callable[..., SphinxTestApp]
Edit = Callable[[Path, str, str], None]


def build(make_app: MakeApp, src: Path) -> tuple[SphinxTestApp, list[str]]:
    app = make_app("html", srcdir=src, freshenv=True)
    app.build()
    warnings = re.sub(r"\x1b\[[0-9;]*m", "", app.warning.getvalue())
    return app, [w for w in warnings.splitlines() if "resolve_any_xref" not in w]


@pytest.mark.parametrize(
    ("file", "old", "new", "where", "says"),
    [
        pytest.param(
            "faq.yaml", "They can:", "They can: {nosuchrole}`x`",
            "_data/faq.yaml:14", 'Unknown interpreted text role "nosuchrole"', id="faq-role",
        ),
        pytest.param(
            "faq.yaml", "- two", "- two [here](nowhere.md)",
            "_data/faq.yaml:17", "cross-reference target not found: 'nowhere.md'",
            id="faq-target",
        ),
        pytest.param(
            "sessions.yaml", "The second session has no day.", "No day, see {module}`M99`.",
            "_data/sessions.yaml:14", "unknown module 'M99'", id="intro-role",
        ),
        pytest.param(
            "sessions.yaml", "The second session has no day.", "First.\n\n      [gone](gone.md)",
            "_data/sessions.yaml:16", "cross-reference target not found: 'gone.md'",
            id="intro-target",
        ),
    ],
)  # fmt: skip
def test_a_warning_in_a_myst_field_points_at_the_yaml_line(
    make_app: MakeApp, handbook_src: Path, edit: Edit, file, old, new, where, says
):
    edit(handbook_src / "_data" / file, old, new)
    _, warnings = build(make_app, handbook_src)
    (warning,) = warnings
    assert warning.startswith(f"{handbook_src}/{where}: WARNING: "), warning
    assert says in warning


def test_myst_fields_still_render_as_myst(make_app: MakeApp, handbook_src: Path):
    app, warnings = build(make_app, handbook_src)
    assert warnings == []
    faq = (Path(app.outdir) / "faq.html").read_text(encoding="utf-8")
    assert "<strong>bold</strong>" in faq
    assert 'href="timeplan.html"' in faq
    intro = (Path(app.outdir) / "sessions/s1_first/index.html").read_text(encoding="utf-8")
    assert 'href="../../faq.html"' in intro


def test_a_faq_question_is_text_not_markup(make_app: MakeApp, handbook_src: Path, edit: Edit):
    edit(
        handbook_src / "_data" / "faq.yaml",
        "question: Can answers use *markup*?",
        "question: Can <script>alert(1)</script> [run](https://example.org) `{raw}`?",
    )
    app, warnings = build(make_app, handbook_src)
    assert warnings == []
    faq = (Path(app.outdir) / "faq.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in faq
    assert "Can &lt;script&gt;alert(1)&lt;/script&gt; [run](https://example.org) `{raw}`?" in faq
    assert 'href="https://example.org"' not in faq


def test_a_session_overview_on_any_page_shows_that_session(make_app: MakeApp, handbook_src: Path):
    index = handbook_src / "index.md"
    index.write_text(
        index.read_text(encoding="utf-8") + "\n```{session-overview} S1\n```\n", encoding="utf-8"
    )
    app, warnings = build(make_app, handbook_src)
    assert warnings == []
    html = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    overview = html.split('class="handbook-session-facts', 1)[1]
    assert "Beginnings" in overview  # the lecture
    assert "Hammer, Saw" in overview
    assert "The first session, with a" in overview  # the intro
    assert "M2 · Sawing" in overview  # a card per module


def test_an_unknown_session_in_a_directive_is_a_located_warning(
    make_app: MakeApp, handbook_src: Path
):
    (handbook_src / "index.md").write_text(
        (handbook_src / "index.md").read_text(encoding="utf-8")
        + "\n```{session-overview} S99\n```\n",
        encoding="utf-8",
    )
    lines = (handbook_src / "index.md").read_text(encoding="utf-8").count("\n")
    _, warnings = build(make_app, handbook_src)
    assert warnings == [
        f"{handbook_src}/index.md:{lines - 1}: WARNING: session-overview: unknown session "
        "'S99' (known: S1, S2) [handbook.session]"
    ]


def test_module_cards_show_titles_and_summaries_as_text(
    make_app: MakeApp, handbook_src: Path, edit: Edit
):
    hostile = "Cut [wood](https://example.org) {download}`/etc/hostname` <i>now</i> `x`"
    edit(handbook_src / "_data" / "modules.yaml", "summary: Cut wood.", f"summary: {hostile}")
    app, warnings = build(make_app, handbook_src)
    assert warnings == []
    html = (Path(app.outdir) / "sessions/s1_first/index.html").read_text(encoding="utf-8")
    assert (
        "Cut [wood](https://example.org) {download}`/etc/hostname` &lt;i&gt;now&lt;/i&gt; `x`"
        in html
    )
    assert 'href="https://example.org"' not in html
    assert "handbookcard" not in html
    assert not (Path(app.outdir) / "_downloads").exists()
    assert re.search(r'href="sawing.html".*?M2 · Sawing', html, re.S)
