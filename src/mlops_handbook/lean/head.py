"""The page's head without scripts that hold up its first paint, and images loaded lazily.

The theme and extensions load their scripts in the head without ``defer``, so the browser
stops drawing until each has arrived and run. Deferred, they run in the same order once the
page is parsed, before ``DOMContentLoaded``, where they hook in. ``documentation_options.js``
is put inline, where it was: the inline scripts after it read what it defines, so it must
run first, and as a file it would hold the page up for a round trip of its own. Sphinx's
own search script and index (150 KB) are loaded by the theme for search as you type, which
the handbook does with Pagefind instead, so they are left to the search page.
``language_data.js`` stays (3.5 KB gzipped): the header's search drops its common words
("how do I") before asking Pagefind.
"""

from __future__ import annotations

import re

HEAD_END = "</head>"
SCRIPT = re.compile(r"<script\b([^>]*)\bsrc=\"([^\"]+)\"([^>]*)></script>")
KEEP_BLOCKING = ("documentation_options.js",)
SEARCH_ONLY = re.compile(
    r"\s*<script src=\"[^\"]*(?:_static/searchtools\.js|searchindex\.js)\"></script>"
)
OPTIONS = re.compile(r"<script src=\"[^\"]*_static/documentation_options\.js[^\"]*\"></script>")
FONTAWESOME = re.compile(
    r"\s*(?:<!-- So that users can add custom icons -->\s*)?"
    r"<script defer src=\"[^\"]*_static/scripts/fontawesome\.js[^\"]*\"></script>"
)


def defer(match: re.Match[str]) -> str:
    before, src, after = match[1], match[2], match[3]
    attributes = f"{before} {after}"
    path = src.split("?")[0]
    if re.search(r"\b(defer|async|type)\b", attributes) or path.endswith(KEEP_BLOCKING):
        return match[0]
    return f'<script{before}defer src="{src}"{after}></script>'


def lighten_head(page: str, pagename: str, options: str | None = None) -> str:
    """``page`` with its head scripts deferred, and no FontAwesome script.

    ``options`` is the text of ``documentation_options.js``, put inline if given.
    """
    end = page.find(HEAD_END)
    if end < 0:
        return page
    head = FONTAWESOME.sub("", page[:end])
    if pagename != "search":
        head = SEARCH_ONLY.sub("", head)
    if options is not None:
        script = options.strip().replace("</", "<\\/")
        inline = f"<script>{script}</script>"
        head = OPTIONS.sub(lambda _: inline, head, count=1)
    return SCRIPT.sub(defer, head) + page[end:]


IMAGE = re.compile(r"<img\b(?![^>]*\bloading=)")


def lazy_images(page: str) -> str:
    """``page`` with its images fetched when they come near the screen, not all at once."""
    end = page.find(HEAD_END)
    return page if end < 0 else page[:end] + IMAGE.sub('<img loading="lazy"', page[end:])
