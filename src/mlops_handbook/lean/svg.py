"""Diagrams without the style rules they never use.

A Mermaid diagram rendered to SVG carries the renderer's whole stylesheet, the rules for
every kind of diagram (half of a 40 KB file). An SVG shown with ``<img>`` is a document of its
own: no page style or script reaches into it, so the classes its elements have are all its
rules can ever match. Its ``<style>`` keeps the rules those classes allow (:func:`.css.prune`,
which diagrams of one renderer share, parsed once). Pruning a pruned diagram changes nothing,
so a diagram the build did not copy again is left as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from .css import prune

STYLE = re.compile(r"(<style[^>]*>)(.*?)(</style>)", re.S)
WORD = re.compile(r"[\w-]+")


def prune_svg(svg: str) -> str:
    """``svg`` with only the style rules its own elements can match."""
    used = set(WORD.findall(STYLE.sub("", svg)))
    return STYLE.sub(lambda m: m[1] + prune(m[2], used) + m[3], svg)


def prune_diagrams(folder: Path, prune_one: Callable[[str], str] = prune_svg) -> None:
    """Prune every SVG image in ``folder`` (the site's ``_images``) that has a stylesheet.

    ``prune_one`` prunes one diagram: :func:`prune_svg`, or a cache of its results.
    """
    for image in folder.glob("*.svg") if folder.is_dir() else ():
        svg = image.read_text("utf-8")
        if "<style" in svg and (pruned := prune_one(svg)) != svg:
            image.write_text(pruned, "utf-8")
