"""Remove from the output what a clean build would not write.

Sphinx writes into its output folder incrementally and never deletes: a deleted module's page
stayed in the site, and so did the images only it showed and the diagrams a page no longer
draws. After each build, pages that belong to no current document (or extra page written by
this build, such as ``search.html``), copied sources of documents that are gone, and files in
``_images``/``_downloads`` that no remaining page refers to are removed. ``_static`` is left
alone: Sphinx copies it whole on every build.

The search index has the same habit: after an incremental build it keeps, with no pages, every
word that only a rewritten or deleted page held. Those words are dropped before it is written.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder

from .links.page_cache import PageCache

BUILDERS = ("html", "dirhtml")
ASSET_DIRS = ("_images", "_downloads")
ASSET_LINK = re.compile("|".join(f"{folder}/" for folder in ASSET_DIRS))
SOURCES = "_sources"
# Parsed pages are shared with the internal link check that follows (see build.py), so each
# page a build wrote is read once, and the others not at all.
PAGE_CACHE = "internal-links.pickle"


def output_dirs(outdir: Path) -> Iterator[tuple[Path, list[str]]]:
    """Each folder of pages and assets (not ``_static`` and friends), deepest first."""
    walk = []
    for directory, dirs, names in os.walk(outdir):
        if Path(directory) == outdir:
            dirs[:] = [d for d in dirs if not d.startswith("_") or d in (*ASSET_DIRS, SOURCES)]
        walk.append((Path(directory), names))
    yield from reversed(walk)


def referred_assets(pages: Iterable[Path], cache: PageCache) -> set[Path]:
    """The images and downloads that the relative links and images of ``pages`` point at."""
    referred = set()
    for page in pages:
        if page.is_file():
            for link in cache.page(page).links:
                if not ASSET_LINK.search(link.url):
                    continue  # only assets are pruned by reference; most links go to pages
                parts = urlsplit(link.url)
                if parts.path and not (parts.scheme or parts.netloc):
                    referred.add(Path(os.path.normpath(page.parent / unquote(parts.path))))
    return referred


def stale_files(outdir: Path, pages: set[Path], sources: set[Path], cache: PageCache) -> list[Path]:
    """Pages not in ``pages``, sources not in ``sources``, assets no page refers to."""
    referred = referred_assets(pages, cache)
    stale = []
    for directory, names in output_dirs(outdir):
        for file in (directory / name for name in names):
            top = file.relative_to(outdir).parts[0]
            if top in ASSET_DIRS:
                keep = file in referred
            elif top == SOURCES:
                keep = file in sources
            else:
                keep = file.suffix != ".html" or file in pages
            if not keep:
                stale.append(file)
    return stale


class Pruner:
    """Notes the extra pages a build writes, then prunes the output once it has finished."""

    def __init__(self) -> None:
        self.written: set[Path] = set()
        self.fresh = False

    def start(self, app: Sphinx) -> None:
        """A build into an empty folder leaves nothing stale, so it skips the pruning."""
        self.fresh = not any(Path(app.outdir).iterdir())

    def note(self, app: Sphinx, pagename: str, *_: Any) -> None:
        # Documents written by parallel workers are not seen here; they come from the env.
        if isinstance(app.builder, StandaloneHTMLBuilder):
            self.written.add(Path(app.builder.get_outfilename(pagename)))

    def prune(self, app: Sphinx, exception: BaseException | None) -> None:
        builder = app.builder
        if exception is not None or not isinstance(builder, StandaloneHTMLBuilder):
            return
        if builder.name not in BUILDERS:
            return
        outdir = Path(builder.outdir)  # absolute, as every page path below is built from it
        if not self.fresh:
            self.remove_stale(app, builder, outdir)
        # Sphinx makes folders it may leave empty (``_sources`` without copied sources); a
        # clean build drops them as an incremental one does, so both publish the same tree.
        for directory, _names in output_dirs(outdir):
            if directory != outdir and not any(directory.iterdir()):
                directory.rmdir()

    def remove_stale(self, app: Sphinx, builder: StandaloneHTMLBuilder, outdir: Path) -> None:
        """Delete what no current document or this build's extra pages account for."""
        docs = app.env.found_docs
        pages = {Path(builder.get_outfilename(d)) for d in docs}
        suffix = app.config.html_sourcelink_suffix
        sources = {outdir / SOURCES / f"{app.env.doc2path(d, False)}{suffix}" for d in docs}
        cache = PageCache(Path(app.doctreedir) / PAGE_CACHE)
        for file in stale_files(outdir, pages | self.written, sources, cache):
            file.unlink()
        cache.save()


PRUNE_PRIORITY = 450


def drop_unused_search_terms(app: Sphinx) -> list[Any]:
    """Words no page holds any more; a clean build's index has none (Sphinx keeps them)."""
    indexer = getattr(app.builder, "indexer", None)
    for name in ("_mapping", "_title_mapping"):
        mapping = getattr(indexer, name, None)
        if isinstance(mapping, dict):
            for word in [word for word, docs in mapping.items() if not docs]:
                del mapping[word]
    return []  # no pages to add: html-collect-pages is only the moment before the index is dumped


def setup_prune(app: Sphinx) -> None:
    app.connect("html-collect-pages", drop_unused_search_terms)
    pruner = Pruner()
    app.connect("builder-inited", pruner.start)
    app.connect("html-page-context", pruner.note)
    # Before every other build-finished step (priority 500 and later): once the stale pages
    # are gone, the pages are final and Pagefind starts (:mod:`.search.index`).
    app.connect("build-finished", pruner.prune, priority=PRUNE_PRIORITY)
