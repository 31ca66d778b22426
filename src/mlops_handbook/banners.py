"""Banners at the top of every page of the site: the course's announcement, if it has one.

The text comes from the course data and reaches the page as a docutils node, rendered by the
HTML writer, so it is always shown as text, never read as markup. The banner sits above the
article's search body, so searching never finds it, and the print build has none.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from .domain import handbook

AFTER_SEARCH = 950  # after the search module has wrapped the article (priority 900)
SHOWN = "banners"  # the domain's record of the banners the written pages show


def banner(text: str, kind: str) -> nodes.container:
    """A banner of ``kind`` (a CSS class suffix) holding ``text`` as plain text."""
    box = nodes.container(classes=["handbook-banner", f"handbook-banner-{kind}"])
    box += nodes.paragraph(text, text)
    return box


def banners(env: BuildEnvironment) -> list[nodes.container]:
    announcement = (handbook(env).course.course.announcement or "").strip()
    return [banner(announcement, "announcement")] if announcement else []


def add_banners(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: object
) -> None:
    if app.builder.name != "html" or "body" not in context:
        return
    for shown in reversed(banners(app.env)):
        context["body"] = app.builder.render_partial(shown)["fragment"] + context["body"]


def pages_showing_banners(app: Sphinx, env: BuildEnvironment) -> Iterable[str]:
    """Every page, when the banners differ from those the written pages show."""
    domain = handbook(env)
    current = repr([b.astext() for b in banners(env)])
    if domain.data.get(SHOWN) == current:
        return []
    domain.data[SHOWN] = current
    return sorted(env.found_docs)


def setup_banners(app: Sphinx) -> None:
    app.connect("env-get-updated", pages_showing_banners)
    app.connect("html-page-context", add_banners, priority=AFTER_SEARCH)
