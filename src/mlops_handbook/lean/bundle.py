"""One stylesheet and one script per page instead of nine and thirteen.

Each stylesheet and deferred script the theme and extensions link is a request, and on a
slow phone connection each costs a round trip or more before the page can paint. Pages get
one ``<link>`` to a bundle of their stylesheets (in their order, ``@import`` resolved and
``url()`` rebased) and one deferred ``<script>`` with their deferred scripts (in their
order, where the first was: deferred scripts run in document order, so the bundle runs them
as before, and a deferred script from elsewhere, such as the search page's index, after them).

A bundle is named after the list of its parts, so every page with the same list shares one
cached file. While pages are written (in parallel processes) a page only names its bundle;
the first writes the bundle's header, the list of its parts. Once the build has finished
and the assets are final, :func:`write_bundles` fills every bundle the site's pages link
from its header and deletes the bundles no page links, so an incremental build leaves the
same files as a clean one.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
import tempfile
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

import rcssmin
import rjsmin

from .late import Markup, splitter

STATIC = "_static/"
STYLESHEET = re.compile(r"<link\b[^>]*\brel=\"stylesheet\"[^>]*>")
HREF = re.compile(r"\bhref=\"([^\"]+)\"")
DEFERRED = re.compile(
    r"<script\b([^>]*)\bdefer(?:=\"defer\")?\b([^>]*)\bsrc=\"([^\"]+)\"([^>]*)></script>"
)
DATA_ATTRIBUTE = re.compile(r"\sdata-[\w-]+=\"[^\"]*\"")
PRELOAD = re.compile(r"\s*<link\b[^>]*\brel=\"preload\"[^>]*\bhref=\"([^\"]+)\"[^>]*>")
BUNDLE = re.compile(r"_static/(bundle-[0-9a-f]{12}\.(?:css|js))\b")
LATE = "-late"
HEADER = re.compile(r"/\* bundle of: ([^*]*) \*/\n")
IMPORT = re.compile(r"@import\s+(?:url\()?[\"']?([^\"')]+)[\"']?\)?\s*;")
LEXICAL = re.compile(r"^(?:const|let|class)\s+([A-Za-z_$][\w$]*)", re.M)
NAME = re.compile(r"[A-Za-z_$][\w$]*")
URL = re.compile(r"url\(\s*([\"']?)([^\"')]+)\1\s*\)")


def static_path(url: str) -> tuple[str, str] | None:
    """``(prefix, path)`` of a link into ``_static/`` (``path`` from the site's root)."""
    at = url.find(STATIC)
    if at < 0 or "://" in url[:at]:
        return None
    return url[:at], re.split(r"[?#]", url[at:], maxsplit=1)[0]


def bundle_name(parts: list[str], suffix: str) -> str:
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:12]
    return f"bundle-{digest}.{suffix}"


def late_name(name: str) -> str:
    """The name of bundle ``name``'s stylesheet of rules for scripts' states (:mod:`.late`)."""
    stem, suffix = name.rsplit(".", 1)
    return f"{stem}{LATE}.{suffix}"


def header(parts: list[str]) -> str:
    return f"/* bundle of: {' '.join(parts)} */\n"


def write_atomic(file: Path, text: str) -> None:
    """Write ``text`` so that a parallel writer or reader never sees half a file."""
    handle, name = tempfile.mkstemp(dir=file.parent, prefix=f".{file.name}.")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(text)
    os.chmod(name, 0o644)
    os.replace(name, file)


def name_bundle(outdir: Path, parts: list[str], suffix: str) -> str:
    """The bundle of ``parts``; its header is written if no page has named it yet."""
    name = bundle_name(parts, suffix)
    file = outdir / STATIC / name
    if not file.is_file() or not file.read_text("utf-8").startswith(header(parts)):
        file.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(file, header(parts))
    return name


def bundle_stylesheets(page: str, outdir: Path) -> str:
    """``page`` with the stylesheets of its head linked as one bundle at the end of the head.

    At the end, after the head's inline scripts: a script waits for the stylesheets before
    it, so the browser would stop reading the page there until the bundle had arrived; after
    them, it reads the page while the bundle comes. The head has no other style to cascade
    with (the theme's ``<noscript>`` rule is ``!important``). The rules that only the states
    scripts set can use are linked last in the body (:mod:`.late`).
    """
    end = page.find("</head>")
    head = page[:end]
    found = []
    for match in STYLESHEET.finditer(head):
        href = HREF.search(match[0])
        where = static_path(href[1]) if href else None
        if where is not None:
            found.append((match, *where))
    if len(found) < 2:
        return page
    name = name_bundle(outdir, [path for _, _, path in found], "css")
    link = f'<link rel="stylesheet" href="{found[0][1]}{STATIC}{name}" />\n'
    late = f'<link rel="stylesheet" href="{found[0][1]}{STATIC}{late_name(name)}" />\n'
    pieces, at = [], 0
    for match, _, _ in found:
        pieces.append(head[at : match.start()])
        at = match.end()
    body = page.rfind("</body>")
    if body < end:  # no body to end: the late rules follow the others in the head
        return "".join([*pieces, head[at:], link, late, page[end:]])
    return "".join([*pieces, head[at:], link, page[end:body], late, page[body:]])


@lru_cache(maxsize=256)
def declared_names(file: Path, stamp: tuple[int, int]) -> frozenset[str]:
    """The names a script declares with ``const``, ``let`` or ``class`` at its top level.

    Found at the start of a line, as unminified scripts write them (the minified ones the
    themes ship wrap their code in a function). ``stamp`` (modification time and size) keeps
    the cache true to the file.
    """
    return frozenset(LEXICAL.findall(file.read_text("utf-8")))


@lru_cache(maxsize=256)
def mentioned(file: Path, stamp: tuple[int, int]) -> frozenset[str]:
    return frozenset(NAME.findall(file.read_text("utf-8")))


def groups(outdir: Path, parts: list[str], data: tuple[str, ...]) -> list[list[str]]:
    """``parts`` cut where one declares a top-level name (const, let, class) an earlier names.

    In one file such a name exists, uninitialised, from the start, and an earlier part that
    looks at it (``typeof Search``) would throw where, as separate files, it saw nothing.
    Scripts named in ``data`` only hold data for others and are written after the pages
    (they may not exist yet): they declare and name nothing.
    """
    cut: list[list[str]] = []
    names: set[str] = set()
    for part in parts:
        file = outdir / part
        declared: frozenset[str] = frozenset()
        if file.name not in data:
            info = file.stat()
            stamp = (info.st_mtime_ns, info.st_size)
            declared = declared_names(file, stamp)
        if not cut or declared & names:
            cut.append([])
            names = set()
        cut[-1].append(part)
        if file.name not in data:
            names |= mentioned(file, stamp)
    return cut


def bundle_scripts(page: str, outdir: Path, data: tuple[str, ...] = ()) -> str:
    """``page`` with its deferred scripts loaded as deferred bundles, where the last was.

    Where the last one was, so that the bundles are fetched once the page's text has arrived,
    not while the stylesheet the first paint waits for is still coming. Usually one bundle;
    more where a script could not share a file with the ones before it (:func:`groups`;
    ``data`` names the scripts that only hold data). A
    deferred script that is not bundled (the search page's index) and came after the first
    bundled one moves after the bundles, so every script still runs after the ones it came
    after. The theme preloads two of the bundled scripts; those hints would fetch files no
    longer published, so they go.
    """
    found, others = [], []
    for match in DEFERRED.finditer(page):
        where = static_path(match[3])
        if where is not None and "type=" not in match[0]:
            found.append((match, *where))
        elif found:
            others.append(match)
    if len(found) < 2:
        return page
    attributes = "".join(
        dict.fromkeys(a for m, _, _ in found for a in DATA_ATTRIBUTE.findall(m[0]))
    )
    tags = [
        f'<script defer src="{found[0][1]}{STATIC}{name_bundle(outdir, group, "js")}"{attributes}>'
        "</script>"
        for group in groups(outdir, [path for _, _, path in found], data)
    ]
    moved = sorted([m for m, _, _ in found] + others, key=lambda m: m.start())
    pieces, at = [], 0
    for match in moved:
        pieces.append(page[at : match.start()])
        at = match.end()
        if match is found[-1][0]:
            pieces += [*tags, *(m[0] for m in others)]
    parts = {path for _, _, path in found}

    def unless_bundled(preload: re.Match[str]) -> str:
        where = static_path(preload[1])
        return "" if where is not None and where[1] in parts else preload[0]

    return PRELOAD.sub(unless_bundled, "".join([*pieces, page[at:]]))


def linked_bundles(pages: Iterable[str]) -> set[str]:
    return {name for page in pages for name in BUNDLE.findall(page)}


def parts_of(bundle: Path) -> list[str]:
    """The parts a bundle's header names, each a file of the site's ``_static/``."""
    found = HEADER.match(bundle.read_text("utf-8"))
    parts = found[1].split() if found else []
    return [p for p in parts if p.startswith(STATIC) and ".." not in p.split("/")]


def stylesheet_text(outdir: Path, path: str, seen: frozenset[str] = frozenset()) -> str:
    """A stylesheet with its ``@import``s in place and its ``url()``s relative to ``_static/``."""
    css = (outdir / path).read_text("utf-8")
    folder = posixpath.dirname(path)

    def rebased(url: str) -> str:
        if re.match(r"[a-z][\w+.-]*:|/|#", url):
            return url
        return posixpath.relpath(posixpath.normpath(posixpath.join(folder, url)), "_static")

    def imported(match: re.Match[str]) -> str:
        target = posixpath.normpath(posixpath.join(folder, match[1]))
        if target in seen or not (outdir / target).is_file():
            return match[0]
        return stylesheet_text(outdir, target, seen | {path})

    css = URL.sub(lambda m: f"url({m[1]}{rebased(m[2])}{m[1]})", css)
    return IMPORT.sub(imported, css)


def write_bundles(
    outdir: Path,
    pages: list[str],
    finish_css: Callable[[str], str],
    split_css: Callable[[str], tuple[str, str]] | None = None,
) -> None:
    """Fill every bundle the pages link from its parts; delete the ones no page links.

    ``finish_css`` gets a stylesheet bundle's text and returns what is published (pruned);
    the rules no element of the pages can match before their scripts run go to the bundle's
    late stylesheet (:mod:`.late`): ``split_css`` cuts a finished sheet in two (by default
    :func:`.late.split_sheet` with the markup of ``pages``).
    """
    linked = linked_bundles(pages)
    split_css = split_css or splitter(lambda: Markup.of(pages))
    for bundle in sorted((outdir / STATIC).glob("bundle-*.*")):
        if bundle.name not in linked:  # a late sheet too: it is written anew with its bundle
            bundle.unlink()
            continue
        parts = parts_of(bundle)
        if bundle.suffix == ".css":
            text = "\n".join(stylesheet_text(outdir, p) for p in parts)
            body = rcssmin.cssmin(finish_css(text), keep_bang_comments=True)
            late = late_name(bundle.name)
            linking = [page for page in pages if bundle.name in page]
            if any(late in page for page in linking):
                # A page written before the sheet was cut in two links no late sheet: then
                # the head's holds every rule, and the late one is empty.
                rest = ""
                if all(late in page for page in linking):
                    body, rest = split_css(body)
                write_atomic(bundle.with_name(late), rest)
        else:
            # A leading ";" so that no part's "use strict" applies to the parts after it.
            scripts = [(outdir / p).read_text("utf-8") for p in parts]
            body = rjsmin.jsmin(";\n" + "\n;\n".join(scripts), keep_bang_comments=True)
        write_atomic(bundle, header(parts) + body)
