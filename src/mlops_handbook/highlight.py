"""Highlight the book's code blocks for less CPU: one stylesheet per style, a cache by content.

The book has some 740 code blocks, and highlighting them was about a tenth of a clean build.
Two things made it dear:

- Pygments' HTML formatter works out its style's CSS classes again for every block; with a
  formatter per block (as Sphinx makes them) that was a fifth of the highlighting time.
  :class:`SharedStyleFormatter` works them out once per style and class prefix.
- A clean build highlighted every block again, though a block's HTML depends on nothing but
  its text, its language and options, the style and the versions of Pygments and Sphinx.
  With ``handbook_highlight_cache`` set, :class:`HighlightCache` keeps each block's HTML in
  a file named after a hash of all of these, as the diagram cache keeps rendered diagrams, so
  a clean build only highlights blocks it has not seen. A block whose highlighting warned
  (a lexer that failed, an unknown language) is never kept, so the warning comes back on
  every build; languages that another package's lexer may handle are not kept either.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

import pygments
import sphinx
from pygments.formatters import HtmlFormatter
from pygments.lexers import _mapping
from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.highlighting import PygmentsBridge, lexer_classes, lexers
from sphinx.util.logging import NAMESPACE

from .config import HandbookConfig
from .diagrams import write_atomically

# Bump when what a cached file holds changes.
CACHE_FORMAT = "1"
# Every alias of Pygments' own lexers (their output is fixed by Pygments' version), and the
# names Sphinx maps to its Python lexers.
OWN_ALIASES = frozenset(
    {
        *(alias for entry in _mapping.LEXERS.values() for alias in entry[2]),
        *lexer_classes,
        "default",
        "pycon3",
    }
)


class SharedStyleFormatter(HtmlFormatter):  # type: ignore[type-arg]
    """Pygments' HTML formatter, with each style's CSS classes worked out only once."""

    _stylesheets: ClassVar[dict[tuple[Any, str], tuple[dict[Any, str], dict[str, Any]]]] = {}

    def _create_stylesheet(self) -> None:
        key = (self.style, self.classprefix)
        if key not in self._stylesheets:
            super()._create_stylesheet()
            self._stylesheets[key] = (self.ttype2class, self.class2style)
        self.ttype2class, self.class2style = self._stylesheets[key]


class WarningSeen(logging.Handler):
    """Notes that Sphinx's highlighting logged a warning (or worse) since :meth:`clear`.

    Sphinx's own handlers may hold warnings back until later; this one sees them at once.
    """

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.seen = False

    def emit(self, record: logging.LogRecord) -> None:
        self.seen = True

    def clear(self) -> None:
        self.seen = False


WARNINGS = WarningSeen()


class HighlightCache:
    """A folder of highlighted blocks, each named after a hash of everything it depends on."""

    def __init__(self, folder: Path, bridge: PygmentsBridge) -> None:
        self.folder = folder
        self.bridge = bridge
        self.highlight: Callable[..., str] = bridge.highlight_block
        style = bridge.formatter_args.get("style")
        self.context = "\n".join(
            [
                CACHE_FORMAT,
                pygments.__version__,
                sphinx.__version__,
                f"{bridge.formatter.__module__}.{bridge.formatter.__qualname__}",
                repr(sorted((k, repr(v)) for k, v in bridge.formatter_args.items())),
                repr(sorted(getattr(style, "styles", {}).items(), key=repr)),
            ]
        )
        self.warnings = WARNINGS
        # One handler per process, however many builds it runs (addHandler adds it once).
        logging.getLogger(f"{NAMESPACE}.sphinx.highlighting").addHandler(WARNINGS)

    @staticmethod
    def keeps(lang: str) -> bool:
        """Languages whose lexer is Sphinx's or Pygments' own, never a plug-in or a guess."""
        return lang not in lexers and lang in OWN_ALIASES

    def highlight_block(
        self,
        source: str,
        lang: str,
        opts: dict[str, Any] | None = None,
        force: bool = False,
        location: Any = None,
        **kwargs: Any,
    ) -> str:
        if not isinstance(source, str) or not self.keeps(lang):
            return self.highlight(source, lang, opts, force, location, **kwargs)
        options = repr((lang, sorted((opts or {}).items()), force, sorted(kwargs.items())))
        key = hashlib.sha256(f"{self.context}\n{options}\n{source}".encode()).hexdigest()
        path = self.folder / key[:2] / f"{key}.html"
        try:
            return path.read_text(encoding="utf-8")
        except FileNotFoundError:
            pass
        self.warnings.clear()
        html = self.highlight(source, lang, opts, force, location, **kwargs)
        if not self.warnings.seen:
            write_atomically(path, html)
        return html


def share_styles(app: Sphinx) -> None:
    """Use the shared-style formatter, and the cache if one is configured, for HTML pages."""
    if not isinstance(app.builder, StandaloneHTMLBuilder):
        return
    bridge = app.builder.highlighter
    if bridge.formatter is HtmlFormatter:
        bridge.formatter = SharedStyleFormatter
    folder = HandbookConfig.from_sphinx(app.config).highlight_cache
    if folder:
        cache = HighlightCache(Path(app.confdir, folder), bridge)
        bridge.highlight_block = cache.highlight_block  # type: ignore[method-assign]


def setup_highlight(app: Sphinx) -> None:
    app.connect("builder-inited", share_styles)
