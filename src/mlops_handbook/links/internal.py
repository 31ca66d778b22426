"""Check every relative link, anchor and image of the built HTML site.

Sphinx verifies its own cross-references, but not links written in raw HTML or produced by
theme templates; only the finished site shows what a reader will click. Pages are read once
by a small scanner (no network, no browser), which keeps the whole book well under a second.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

# Attributes whose value is a URL a browser follows or loads.
URL_ATTRIBUTES = frozenset({"href", "src", "poster", "data", "action", "xlink:href"})
# Substrings (of a lower-cased tag) without which a tag holds none of those attributes or an id.
ATTRIBUTE_HINTS = ("id", "name", "href", "src", "poster", "data", "action")
RAW_TEXT = ("script", "style")
UNREAD = (("<!--", "-->"), ("<![CDATA[", "]]>"))
WHITESPACE = " \t\n\r\f"
# Fragments a browser resolves without a matching id.
BUILTIN_FRAGMENTS = frozenset({"", "top"})


@dataclass(frozen=True)
class Link:
    """A URL as written in a page, and the page line it sits on."""

    url: str
    line: int
    tag: str


@dataclass
class Page:
    """What the checker needs from one HTML page: its ids and its links."""

    ids: set[str] = field(default_factory=set)
    links: list[Link] = field(default_factory=list)


@dataclass(frozen=True)
class Problem:
    """One broken link: the built page it is on, the URL as written, and what is wrong."""

    page: str
    line: int
    url: str
    reason: str


# Pages only a web server shows (the 404 page, for any missing URL): their links are
# root-relative on purpose, below the prefix the site is served at.
SERVED_ONLY = frozenset({"404.html"})


def parse_page(text: str) -> Page:
    """Collect a page's ids and URLs, looking closely only at tags that can hold them.

    A book page has thousands of tags, mostly ``<span class=...>`` from code highlighting;
    :class:`html.parser.HTMLParser` tokenises them all and takes about three times as long.
    This scanner finds tags with :meth:`str.find`, skips comments, CDATA and the bodies of
    ``script`` and ``style``, and parses attributes only where one of interest may be.
    The tests hold it to the same answers as ``html.parser`` on real pages.
    """
    page = Page()
    find, end = text.find, len(text)
    pos, line, counted = 0, 1, 0
    while (start := find("<", pos)) >= 0:
        after = text[start + 1 : start + 2]
        if after == "!":  # a comment, CDATA or the doctype: no links a reader can follow
            closer = next((c for o, c in UNREAD if text.startswith(o, start)), ">")
            close = find(closer, start + 2)
            pos = end if close < 0 else close + len(closer)
            continue
        if not after.isalpha():
            pos = start + 1
            continue
        stop = _tag_end(text, start)
        if stop < 0:
            break
        tag = text[start + 1 : stop]
        pos = stop + 1
        lower = tag.lower()
        if lower.startswith(RAW_TEXT):
            close = find(f"</{lower[:6].rstrip()}", pos)
            pos = end if close < 0 else close
        if "=" in tag and any(key in lower for key in ATTRIBUTE_HINTS):
            line += text.count("\n", counted, start)
            counted = start
            _collect(tag, line, page)
    return page


def _tag_end(text: str, start: int) -> int:
    """The ``>`` that closes the tag at ``start``, past any ``>`` inside a quoted value."""
    stop = text.find(">", start)
    while stop >= 0:
        tag = text[start:stop]
        quotes = tag.count('"')
        if not (quotes % 2 or (not quotes and tag.count("'") % 2)):
            return stop
        stop = text.find(">", stop + 1)
    return stop


def _collect(tag: str, line: int, page: Page) -> None:
    """Add the ids and URLs among one tag's attributes to ``page``."""
    name, *others = tag.split(maxsplit=1)
    name, rest = name.rstrip("/").lower(), others[0] if others else ""
    cursor, size = 0, len(rest)
    while (equals := rest.find("=", cursor)) >= 0:
        words = rest[cursor:equals].split()
        key = words[-1].lower() if words else ""
        begin = equals + 1
        while begin < size and rest[begin] in WHITESPACE:
            begin += 1
        quote = rest[begin : begin + 1]
        if quote in ('"', "'"):
            close = rest.find(quote, begin + 1)
            close = size if close < 0 else close
            value, cursor = rest[begin + 1 : close], close + 1
        else:
            close = begin
            while close < size and rest[close] not in WHITESPACE:
                close += 1
            value, cursor = rest[begin:close], close
        if "&" in value:
            value = unescape(value)
        if key == "id" or (key == "name" and name == "a"):
            page.ids.add(value)
        elif key in URL_ATTRIBUTES:
            page.links.append(Link(value, line, name))
        elif key == "srcset":
            for candidate in value.split(","):
                if words := candidate.split():  # a URL, then its descriptor after any space
                    page.links.append(Link(words[0], line, name))


def read_page(file: Path) -> Page:
    return parse_page(file.read_text(encoding="utf-8", errors="replace"))


class Site:
    """The built site: its files, and its pages parsed on first use.

    ``added`` names files (relative to ``root``) that publishing adds after the check, such as
    the PDF, so links to them count as resolving. ``read`` parses one page (default
    :func:`read_page`; a :class:`~.page_cache.PageCache` reuses earlier results).
    """

    def __init__(
        self, root: Path, added: Iterable[str] = (), read: Callable[[Path], Page] | None = None
    ) -> None:
        self.root = root
        self.read = read or read_page
        self.files: set[str] = set()
        for directory, _dirs, names in os.walk(root):
            rel = PurePosixPath(Path(directory).relative_to(root).as_posix())
            self.files.update(str(rel / name) if str(rel) != "." else name for name in names)
        self.added = frozenset(added) - self.files
        self._pages: dict[str, Page] = {}

    def pages(self) -> list[str]:
        """Pages a reader sees; ``_static`` and friends hold template fragments, not pages."""
        return sorted(
            f for f in self.files if f.endswith(".html") and not f.split("/")[0].startswith("_")
        )

    def page(self, rel: str) -> Page:
        if rel not in self._pages:
            self._pages[rel] = self.read(self.root / rel)
        return self._pages[rel]

    def _check_served(self, path: str) -> str | None:
        """A root-relative link of a served-only page resolves below some prefix, or is broken."""
        targets = _served_targets(path)
        if any(
            t in self.files or t in self.added or f"{t}/index.html" in self.files for t in targets
        ):
            return None
        return f"no file {targets[-1] if targets else path} below any prefix of the site"

    def check_link(self, page: str, url: str) -> str | None:
        """Return why ``url`` on ``page`` is broken, or None when it resolves."""
        parts = urlsplit(url.strip())
        if parts.scheme or parts.netloc:
            return None  # external (checked by the linkcheck builder) or data:/mailto:/javascript:
        path, fragment = unquote(parts.path), unquote(parts.fragment)
        if path.startswith("/") and page in SERVED_ONLY:
            return self._check_served(path)
        if path.startswith("/"):
            return "root-relative path; it breaks when the site is opened from disk"
        target = page
        if path:
            joined = os.path.normpath(str(PurePosixPath(page).parent / path))
            if joined == ".." or joined.startswith("../"):
                return "points outside the site"
            target = joined.replace(os.sep, "/")
            if target == "." or path.endswith("/") or f"{target}/index.html" in self.files:
                target = "index.html" if target == "." else f"{target}/index.html"
            if target in self.added:
                return None
            if target not in self.files:
                return f"no file {target}"
        if fragment in BUILTIN_FRAGMENTS or fragment.startswith(":~:"):
            return None
        if target.endswith(".html") and fragment not in self.page(target).ids:
            return f"no id '{fragment}' on {target}"
        return None


def _served_targets(path: str) -> list[str]:
    """Where a root-relative ``path`` may land: the site may be served below a prefix."""
    segments = path.strip("/").split("/")
    return ["/".join(segments[skip:]) for skip in range(len(segments))]


def check_site(
    root: Path, added: Iterable[str] = (), read: Callable[[Path], Page] | None = None
) -> tuple[list[Problem], int, int]:
    """Check every page under ``root`` (see :class:`Site` for ``added`` and ``read``).

    Returns the problems, the number of pages and the number of links checked.
    """
    site = Site(root, added, read)
    problems: list[Problem] = []
    pages = site.pages()
    checked = 0
    for rel in pages:
        for link in site.page(rel).links:
            checked += 1
            if reason := site.check_link(rel, link.url):
                problems.append(Problem(rel, link.line, link.url, reason))
    return problems, len(pages), checked
