"""Point a problem found in built HTML back at the source file and line a writer edits.

A built page ``foo/bar.html`` comes from ``<srcdir>/foo/bar.<suffix>``. The line is found by
looking for the link as the writer would have typed it: the URL itself (raw HTML), the same
path with the source suffix (a MyST link to ``bar.md``), or the anchor name (a reference by
label). When none is in the source, the link came from a theme template or generated content,
and the built page and its line are given instead.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from .internal import Problem

SOURCE_SUFFIXES = (".md", ".rst", ".ipynb", ".txt")


def source_file(page: str, srcdir: Path) -> Path | None:
    """The source a built page was written from, or None for pages Sphinx generates."""
    stem = page.removesuffix(".html")
    for suffix in SOURCE_SUFFIXES:
        if (candidate := srcdir / f"{stem}{suffix}").is_file():
            return candidate
    return None


def spellings(url: str) -> list[str]:
    """Ways the writer may have typed ``url`` in the source, most specific first."""
    parts = urlsplit(url)
    path, fragment = unquote(parts.path), unquote(parts.fragment)
    found = [url]
    if path.endswith(".html"):
        stem = path.removesuffix(".html")
        anchor = f"#{fragment}" if fragment else ""
        found += [f"{stem}{suffix}{anchor}" for suffix in SOURCE_SUFFIXES] + [f"{stem}{anchor}"]
    if fragment:
        found += [f"#{fragment}", f"<{fragment}>", f"`{fragment}`", f"({fragment})"]
    if path:
        found.append(PurePosixPath(path).name)
    return found


def source_line(source: Path, url: str) -> int | None:
    """The first line of ``source`` where ``url`` is written in any of its spellings."""
    lines = source.read_text(encoding="utf-8", errors="replace").splitlines()
    for spelling in spellings(url):
        for number, text in enumerate(lines, start=1):
            if spelling in text:
                return number
    return None


def describe(problems: Iterable[Problem], site: Path, srcdir: Path | None) -> list[str]:
    """One line per broken link a writer can act on: source file and line, link, what is wrong.

    A link that is in no source file comes from a theme template or generated content and is
    usually broken on every page; it is reported once, with the first page and a count.
    """
    in_source: list[tuple[str, int, str]] = []
    elsewhere: dict[str, list[Problem]] = defaultdict(list)
    for problem in problems:
        source = source_file(problem.page, srcdir) if srcdir else None
        line = source_line(source, problem.url) if source else None
        if source and line:
            what = f"broken link '{problem.url}': {problem.reason}"
            in_source.append((str(source), line, f"{source}:{line}: {what}"))
        else:
            elsewhere[problem.reason].append(problem)
    lines = [text for *_, text in sorted(in_source)]
    for reason, found in sorted(elsewhere.items()):
        first = found[0]
        others = f" and {len(found) - 1} other pages" if len(found) > 1 else ""
        lines.append(
            f"{site / first.page}:{first.line}{others}: broken link '{first.url}': {reason} "
            "(from a theme template or generated content, in no source file)"
        )
    return lines
