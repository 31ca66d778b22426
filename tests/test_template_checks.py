"""The theme's trial render is skipped only for templates that can never render blank."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from jinja2 import DictLoader, Environment
from sphinx.testing.util import SphinxTestApp

from mlops_handbook.template_checks import never_blank, with_html_suffix

MakeApp = Callable[..., SphinxTestApp]

TEMPLATES = {
    "nav.html": '<nav class="x">{{ toc() }}</nav>',
    "text-after-logic.html": "{% set a = 1 %}\n<p>always</p>",
    "conditional.html": "{% if show %}<p>only sometimes</p>{% endif %}",
    "blank-text.html": "\n   \n{{ maybe }}\n",
    "loop.html": "{% for i in items %}<li>{{ i }}</li>{% endfor %}",
    "block.html": "{% block body %}<p>in a block</p>{% endblock %}",
    "child.html": "{% extends 'nav.html' %}<p>text a child writes is never shown</p>",
    "broken.html": "{% if %}",
}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("nav.html", True),
        ("text-after-logic.html", True),
        ("conditional.html", False),
        ("blank-text.html", False),
        ("loop.html", False),
        ("block.html", False),
        ("child.html", False),
        ("broken.html", False),
        ("missing.html", False),
    ],
)
def test_only_text_at_the_top_level_counts_as_never_blank(name: str, expected: bool):
    environment = Environment(loader=DictLoader(TEMPLATES))
    assert never_blank(environment, name) is expected


def test_template_names_are_completed_as_the_theme_does():
    names = with_html_suffix("navbar-logo, icon-links.html")
    assert names == ["navbar-logo.html", "icon-links.html"]
    assert with_html_suffix(["a", "b.html"]) == ["a.html", "b.html"]


def test_the_sidebar_navigation_is_rendered_once_per_page(make_app: MakeApp, handbook_src: Path):
    conf = handbook_src / "conf.py"
    conf.write_text(conf.read_text("utf-8") + '\nhtml_theme = "sphinx_book_theme"\n', "utf-8")
    app = make_app("html", srcdir=handbook_src)
    templates = app.builder.templates  # type: ignore[attr-defined]
    render = templates.render
    rendered: list[str] = []

    def counting(name: str, context: dict[str, Any]) -> str:
        rendered.append(name)
        return render(name, context)

    templates.render = counting
    app.build()
    pages = rendered.count("page.html")
    assert pages > 5
    # No trial render of the never-blank navigation; the ones that may be blank still have one.
    assert rendered.count("sbt-sidebar-nav.html") == 0
    assert rendered.count("article-header-buttons.html") == 0
    assert rendered.count("page-toc.html") >= pages
    sidebar = (Path(app.outdir) / "index.html").read_text("utf-8")
    assert 'class="bd-links bd-docs-nav"' in sidebar
