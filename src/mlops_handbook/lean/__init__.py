"""Pages that are light on a phone: what a first visit downloads, and what holds up its paint.

Each page the HTML builder renders gets its icons inline and its head scripts deferred
(:mod:`.icons`, :mod:`.head`); once the build has finished, the theme's stylesheets lose the
rules no page uses (:mod:`.css`). The files no reader loads are left out when the site is
published (:mod:`mlops_handbook.publish_files`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder

from .css import prune, words
from .head import lighten_head
from .icons import IconSet

FONTAWESOME = "static/scripts/fontawesome.js"
# The published site's builders; the print build (singlehtml) is left as the theme makes it.
BUILDERS = ("html", "dirhtml")
# The stylesheets pruned, relative to the output; the first also gets the icons' rules.
STYLESHEETS = (
    "_static/styles/pydata-sphinx-theme.css",
    "_static/styles/sphinx-book-theme.css",
    "_static/sphinx-design.min.css",
    "_static/pygments.css",
)


def theme_icons(app: Sphinx) -> IconSet | None:
    """The icons of the theme's FontAwesome script, or None for a theme without it."""
    theme = getattr(app.builder, "theme", None)
    for directory in theme.get_theme_dirs() if theme else ():
        script = Path(directory, FONTAWESOME)
        if script.is_file():
            return IconSet.from_file(script)
    return None


def lighten_pages(app: Sphinx) -> None:
    """Wrap the builder's template rendering, so every page it writes is lightened."""
    if not isinstance(app.builder, StandaloneHTMLBuilder) or app.builder.name not in BUILDERS:
        return
    icons = theme_icons(app)
    if icons is None:
        return
    templates = app.builder.templates
    render: Callable[[str, dict[str, Any]], str] = templates.render

    def render_light(template: str, context: dict[str, Any]) -> str:
        page = icons.inline(render(template, context))
        return lighten_head(page, str(context.get("pagename", "")))

    templates.render = render_light  # type: ignore[method-assign]


def prune_stylesheets(app: Sphinx, exception: BaseException | None) -> None:
    """Rewrite the theme's stylesheets (Sphinx copies them afresh on every build)."""
    if exception is not None or not isinstance(app.builder, StandaloneHTMLBuilder):
        return
    if app.builder.name not in BUILDERS:
        return
    icons = theme_icons(app)
    if icons is None:
        return
    outdir = Path(app.builder.outdir)
    static = outdir / "_static"
    pages = [p for p in outdir.rglob("*.html") if p.relative_to(outdir).parts[0][:1] != "_"]
    scripts = [p for p in static.rglob("*.js") if not FONTAWESOME.endswith(p.name)]
    used = words([*pages, *scripts])
    for index, name in enumerate(STYLESHEETS):
        sheet = outdir / name
        if sheet.is_file():
            css = sheet.read_text(encoding="utf-8")
            # FontAwesome's script put its rules first in the head; they now come first here.
            full = icons.css + css if index == 0 else css
            sheet.write_text(prune(full, used), encoding="utf-8")


def setup_lean(app: Sphinx) -> None:
    app.connect("builder-inited", lighten_pages)
    # After the pruning of stale pages (priority 500), so their words do not count.
    app.connect("build-finished", prune_stylesheets, priority=700)
