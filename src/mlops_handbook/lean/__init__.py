"""Pages that are light on a phone: what a first visit downloads, and what holds up its paint.

Each page the HTML builder renders gets its icons inline, its head scripts deferred and its
images loaded lazily (:mod:`.icons`, :mod:`.head`), Bootstrap fetched on demand
(:mod:`.ondemand`), and links one bundle of stylesheets and one of deferred scripts
(:mod:`.bundle`), which it asks for as soon as the first paint's stylesheet has arrived
(:mod:`.early`). Once the build has finished, the bundles are written:
the stylesheets without the rules and custom properties no page uses (:mod:`.css`), with the
icon font cut to the characters drawn and put inline (:mod:`.fonts`); and the diagrams lose
the style rules they never use (:mod:`.svg`). The files no reader loads are left out when the
site is published (:mod:`mlops_handbook.publish_files`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder

from ..config import HandbookConfig
from .bundle import bundle_scripts, bundle_stylesheets, write_bundles
from .cache import LeanCache
from .css import prune, prune_properties, words
from .early import ask_early
from .fonts import inline_fonts
from .head import lazy_images, lighten_head
from .icons import IconSet
from .ondemand import LOADER, bootstrap_on_demand
from .svg import prune_diagrams, prune_svg

FONTAWESOME = "static/scripts/fontawesome.js"
# The published site's builders; the print build (singlehtml) is left as the theme makes it.
BUILDERS = ("html", "dirhtml")
# Written once the pages are: data for a script, not a script that adds classes to pages.
GENERATED_SCRIPTS = ("handbook-plan.js",)


def theme_icons(app: Sphinx) -> IconSet | None:
    """The icons of the theme's FontAwesome script, or None for a theme without it."""
    theme = getattr(app.builder, "theme", None)
    for directory in theme.get_theme_dirs() if theme else ():
        script = Path(directory, FONTAWESOME)
        if script.is_file():
            info = script.stat()
            return icon_set(script, (info.st_mtime_ns, info.st_size))
    return None


@lru_cache(maxsize=4)
def icon_set(script: Path, stamp: tuple[int, int]) -> IconSet:
    """The icons of ``script``, read once per process (``stamp`` keeps the cache true to it).

    Reading the 1.5 MB script took 0.02 s, twice a build (pages, then bundles).
    """
    return IconSet.from_file(script)


def lean_cache(app: Sphinx) -> LeanCache | None:
    """The cache of finished bundles and diagrams (``handbook_lean_cache``), if configured."""
    folder = HandbookConfig.from_sphinx(app.config).lean_cache
    return LeanCache(Path(app.confdir, folder)) if folder else None


def lightened(app: Sphinx) -> IconSet | None:
    """The theme's icons when the builder writes the published site, else None."""
    if not isinstance(app.builder, StandaloneHTMLBuilder) or app.builder.name not in BUILDERS:
        return None
    return theme_icons(app)


def lighten_pages(app: Sphinx) -> None:
    """Wrap the builder's template rendering, so every page it writes is lightened."""
    icons = lightened(app)
    if icons is None:
        return
    app.add_js_file(LOADER, loading_method="defer")
    outdir = Path(app.builder.outdir)
    templates = app.builder.templates  # type: ignore[attr-defined]
    render: Callable[[str, dict[str, Any]], str] = templates.render

    options = outdir / "_static" / "documentation_options.js"

    def render_light(template: str, context: dict[str, Any]) -> str:
        # Sphinx writes the options file with the static files, before any page.
        text = options.read_text("utf-8") if options.is_file() else None
        page = icons.inline(render(template, context))
        page = lazy_images(lighten_head(page, str(context.get("pagename", "")), text))
        page = bundle_stylesheets(bootstrap_on_demand(page), outdir)
        page = bundle_scripts(page, outdir, GENERATED_SCRIPTS)
        return ask_early(page)

    templates.render = render_light


def finish_site(app: Sphinx, exception: BaseException | None) -> None:
    """Write the bundles the pages link and prune the diagrams' styles."""
    icons = lightened(app) if exception is None else None
    if icons is None:
        return
    outdir = Path(app.builder.outdir)
    static = outdir / "_static"
    pages = [p for p in outdir.rglob("*.html") if p.relative_to(outdir).parts[0][:1] != "_"]
    scripts = [
        p
        for p in static.rglob("*.js")
        if not FONTAWESOME.endswith(p.name)
        and p.name not in GENERATED_SCRIPTS
        and not p.name.startswith("bundle-")
    ]
    cache = lean_cache(app)
    used = cache.words([*pages, *scripts]) if cache else words([*pages, *scripts])

    def finish(css: str) -> str:
        return inline_fonts(prune_properties(prune(css, used), used), static)

    finish_css = cache.stylesheet(finish, used, static) if cache else finish
    # FontAwesome's script put its rules first in the head; they now come first here.
    pages_text = [p.read_text("utf-8") for p in pages]
    split_css = cache.splitter(pages) if cache else None
    write_bundles(outdir, pages_text, lambda css: finish_css(icons.css + css), split_css)
    prune_diagrams(outdir / "_images", cache.diagram(prune_svg) if cache else prune_svg)


def setup_lean(app: Sphinx) -> None:
    app.connect("builder-inited", lighten_pages)
    # After the pruning of stale pages (priority 450), so their words do not count, and
    # after the planner writes its data script (500), which a bundle may hold.
    app.connect("build-finished", finish_site, priority=700)
