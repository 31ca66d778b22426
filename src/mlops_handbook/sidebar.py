"""Fix two things the theme gets wrong in the navigation and page titles.

Toggles: give the navigation sidebar's expand/collapse toggles an accessible name.

pydata-sphinx-theme renders each collapsible section of the sidebar as ``<details>`` whose
``<summary>`` holds only a chevron icon, so a screen reader announces an unnamed button (axe:
``summary-name``, serious). The theme builds the sidebar once as a BeautifulSoup tree and
reuses it on every page; naming each toggle after the page it opens fixes every page.

Titles: sphinx-book-theme puts page titles into its templates as plain ``astext()`` strings
(``pagetitle`` for the print heading, ``root_title`` for the home link), and Sphinx's Jinja does
not escape them; a session title such as ``<script>`` from the data would become live markup.
They are escaped here, after the theme set them.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from bs4 import BeautifulSoup
from sphinx.application import Sphinx


def name_toggles(soup: BeautifulSoup) -> None:
    """Label each unnamed toggle "Pages in <section>", after the link or caption beside it."""
    for summary in soup.select("li.has-children > details > summary"):
        if summary.get("aria-label") or summary.get_text(strip=True):
            continue
        item = summary.find_parent("li")
        link = item.find("a", recursive=False) if item else None
        if link is not None:
            summary["aria-label"] = f"Pages in {link.get_text(' ', strip=True)}"


def wrap_toctree(generate: Callable[..., Any]) -> Callable[..., Any]:
    def generate_named(*args: Any, **kwargs: Any) -> Any:
        result = generate(*args, **kwargs)
        if isinstance(result, BeautifulSoup):
            name_toggles(result)
        return result

    return generate_named


def name_sidebar_toggles(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: object
) -> None:
    generate = context.get("generate_toctree_html")
    if generate is not None:
        context["generate_toctree_html"] = wrap_toctree(generate)


def escape_theme_titles(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: object
) -> None:
    for key in ("pagetitle", "root_title"):
        if isinstance(context.get(key), str):
            context[key] = html.escape(context[key])


def setup_sidebar(app: Sphinx) -> None:
    # After the theme (priority 500) has put its toctree function and titles into the context.
    app.connect("html-page-context", name_sidebar_toggles, priority=600)
    app.connect("html-page-context", escape_theme_titles, priority=600)
