"""What of the staged build is published, and the compressed copies published beside it.

The themes copy files into ``_static`` that no reader loads: source maps, the translations of
their templates (used while building, 48 locales), the Jinja macro files the theme's layout
imports (opened in a browser they request ``{{ pathto(...) }}`` URLs), and FontAwesome's
script, which pages no longer load (see :mod:`mlops_handbook.lean`); the stylesheets and
scripts that pages load in a bundle, and FontAwesome's fonts, which the bundled stylesheet
carries inline. They stay in staging and are left out of the site.

Each large text file gets a gzip copy beside it (``page.html.gz``), for servers that send a
precompressed file when the browser accepts gzip. The copies are made without a timestamp,
so the same file always compresses to the same bytes, and a file carried over unchanged from
the published site takes its copy along instead of being compressed again.
"""

from __future__ import annotations

import fnmatch
import gzip
import os
from collections.abc import Callable
from pathlib import Path

from .lean.bundle import STATIC, parts_of

NOT_PUBLISHED_ANYWHERE = (".buildinfo", ".buildinfo.bak", ".doctrees", "*.map")
NOT_PUBLISHED = (
    "_static/locales",
    "_static/webpack-macros.html",
    "_static/sbt-webpack-macros.html",
    "_static/scripts/fontawesome.js",
    "_static/vendor",
)
COMPRESSED = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".ics"}
MIN_SIZE = 1024  # smaller files gain less than a request's headers
# Pagefind writes its own folder (its index files are compressed already) and rewrites it
# whole when the site is indexed again.
NOT_COMPRESSED = "_pagefind"


def not_published(staged: Path) -> Callable[[str, list[str]], set[str]]:
    """An ``ignore`` for :func:`shutil.copytree` of ``staged`` that leaves those files out."""
    bundled = {part for bundle in (staged / STATIC).glob("bundle-*.*") for part in parts_of(bundle)}
    left_out = bundled.union(NOT_PUBLISHED)

    def ignore(directory: str, names: list[str]) -> set[str]:
        folder = Path(directory).relative_to(staged)
        return {
            name
            for name in names
            if any(fnmatch.fnmatch(name, pattern) for pattern in NOT_PUBLISHED_ANYWHERE)
            or (folder / name).as_posix() in left_out
        }

    return ignore


def compressible(file: Path) -> bool:
    return file.suffix in COMPRESSED and file.stat().st_size >= MIN_SIZE


def compress_beside(site: Path, published: Path) -> int:
    """Write ``name.gz`` beside each large text file of ``site``; return how many were made.

    ``published`` is the site before this one: a file hard-linked from it (unchanged) takes
    its ``.gz`` along by a hard link too.
    """
    made = 0
    for directory, dirs, names in os.walk(site):
        if Path(directory) == site:
            dirs[:] = [d for d in dirs if d != NOT_COMPRESSED]
        for name in names:
            file = Path(directory, name)
            if not compressible(file):
                continue
            target = file.with_name(f"{name}.gz")
            before = published / file.relative_to(site)
            old = before.with_name(f"{name}.gz")
            try:
                if os.path.samefile(file, before) and old.is_file():
                    os.link(old, target)
                    continue
            except OSError:  # not published before, or no hard links here
                pass
            target.write_bytes(gzip.compress(file.read_bytes(), 9, mtime=0))
            made += 1
    return made
