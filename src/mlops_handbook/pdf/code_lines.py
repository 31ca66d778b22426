"""Code blocks whose lines never break across two pages.

Printed code wraps long lines. Chromium may break a page between any two line boxes, also
inside one wrapped line of code, which leaves half a command at the foot of a page. Here every
source line of a highlighted block becomes an element that the print CSS keeps on one page
(``.handbook-line``). Pygments already closes and reopens its token spans at each line end, so
wrapping a line never splits a tag.
"""

from __future__ import annotations

from collections.abc import Iterator

from pygments.formatters import HtmlFormatter
from sphinx.application import Sphinx

LINE_CLASS = "handbook-line"


class LineFormatter(HtmlFormatter):
    """Sphinx's HTML formatter with each source line in its own ``<span>``."""

    def wrap(self, source: Iterator[tuple[int, str]]) -> Iterator[tuple[int, str]]:
        return super().wrap(self._lines(source))

    @staticmethod
    def _lines(source: Iterator[tuple[int, str]]) -> Iterator[tuple[int, str]]:
        for is_line, text in source:
            yield is_line, f'<span class="{LINE_CLASS}">{text}</span>' if is_line else text


def keep_code_lines_whole(app: Sphinx) -> None:
    """Use ``LineFormatter`` for this builder's code blocks (the print build calls this)."""
    app.builder.highlighter.formatter = LineFormatter  # type: ignore[attr-defined]
