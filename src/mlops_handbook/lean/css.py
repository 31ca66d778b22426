"""Leave out of a stylesheet the rules no page of the site can use.

pydata-sphinx-theme ships one stylesheet (377 KB) with all of Bootstrap and a rule for every
component the theme offers; pages must download it before they paint. A rule is kept when
every class its selector names occurs somewhere in the site's pages or scripts (scripts add
classes as readers click), the way PurgeCSS decides; at-rules such as ``@font-face`` stay.
The site-wide set of words is used, not each page's, so every page shares one cached file.
A stylesheet is parsed once (:func:`compile_sheet`, cached) and then filtered for each set of
words, so the diagrams, which share one stylesheet each, are cheap to prune.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path

WORD_BYTES = re.compile(rb"[\w-]+")
WORD = re.compile(r"[\w-]+")
CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
# At-rules that hold rules; any other at-rule (@font-face, @keyframes, ...) is kept whole.
GROUPS = {"@media", "@supports", "@layer", "@container"}
# The characters that can start a string, comment or block, or end a statement or block.
SIGNIFICANT = re.compile(r"[{};\"'/]")
# A custom property's declaration (in a block) and a use of one.
PROPERTY = re.compile(r"(?<=[{;])\s*(--[\w-]+)\s*:(?:[^;{}\"']|\"[^\"]*\"|'[^']*')*(?:;|(?=}))")
VAR = re.compile(r"var\(\s*(--[\w-]+)")


def words(files: Iterable[Path]) -> set[str]:
    """Every word that could be a class name in these pages and scripts."""
    found: set[bytes] = set()
    for file in files:
        found.update(WORD_BYTES.findall(file.read_bytes()))
    return {word.decode("utf-8", "replace") for word in found}


def skip(css: str, i: int) -> int:
    """The index after the string or comment starting at ``i`` (or ``i`` if neither)."""
    if css.startswith("/*", i):
        end = css.find("*/", i + 2)
        return len(css) if end < 0 else end + 2
    if css[i] in "\"'":
        j = i + 1
        while j < len(css) and css[j] != css[i]:
            j += 2 if css[j] == "\\" else 1
        return j + 1
    return i


def next_significant(css: str, i: int) -> int:
    found = SIGNIFICANT.search(css, i)
    return found.start() if found else len(css)


def closing(css: str, i: int) -> int:
    """The index of the brace that closes the one at ``i``."""
    depth = 0
    while (i := next_significant(css, i)) < len(css):
        j = skip(css, i)
        if j != i:
            i = j
            continue
        depth += {"{": 1, "}": -1}.get(css[i], 0)
        if depth == 0:
            return i
        i += 1
    return len(css)


def statements(css: str) -> Iterator[tuple[str, str | None]]:
    """Top-level ``(prelude, block)`` pairs; ``block`` is None for ``@charset ...;`` and kin."""
    i = start = 0
    while (i := next_significant(css, i)) < len(css):
        j = skip(css, i)
        if j != i:
            i = j
            continue
        if css[i] == ";":
            yield css[start:i], None
            start = i = i + 1
        elif css[i] == "{":
            end = closing(css, i)
            yield css[start:i], css[i + 1 : end]
            start = i = end + 1
        else:
            i += 1


def without_comments(text: str) -> str:
    """The prelude without comments (a licence comment ``/*!`` is kept by :func:`prune`)."""
    return re.sub(r"/\*.*?\*/", "", text, flags=re.S).strip()


def selectors(prelude: str) -> list[str]:
    """The selectors of a list, split at commas outside parentheses and brackets."""
    if "(" not in prelude and "[" not in prelude:
        return [p.strip() for p in prelude.split(",") if p.strip()]
    parts, depth, start = [], 0, 0
    for i, char in enumerate(prelude):
        depth += {"(": 1, "[": 1, ")": -1, "]": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(prelude[start:i])
            start = i + 1
    return [p.strip() for p in [*parts, prelude[start:]] if p.strip()]


def required_classes(selector: str) -> frozenset[str]:
    """The classes an element must have somewhere in the site for ``selector`` to match.

    Classes inside ``:not()``, ``:is()`` and other parentheses, and inside attribute selectors,
    are not required; a selector with escapes requires nothing (it is always kept).
    """
    if "\\" in selector or "." not in selector:
        return frozenset()
    bare = selector
    while True:
        inner = re.sub(r"\([^()]*\)|\[[^\[\]]*\]", "", bare)
        if inner == bare:
            break
        bare = inner
    return frozenset(CLASS.findall(bare))


def matches_site(selector: str, used: set[str]) -> bool:
    """Whether every class the selector requires occurs in the site."""
    return required_classes(selector) <= used


@dataclass(frozen=True)
class Rule:
    """A style rule: its selectors with the classes each requires, and its block."""

    selectors: tuple[tuple[str, frozenset[str]], ...]
    block: str

    def keep(self, used: set[str]) -> str:
        kept = [s for s, needs in self.selectors if needs <= used]
        return f"{','.join(kept)}{{{self.block}}}" if kept else ""


@dataclass(frozen=True)
class Group:
    """An at-rule holding rules (``@media``...): kept when one of its rules is."""

    prelude: str
    items: tuple[Rule | Group | str, ...]

    def keep(self, used: set[str]) -> str:
        inner = "".join(keep(self.items, used))
        return f"{self.prelude}{{{inner}}}" if inner else ""


def keep(items: Iterable[Rule | Group | str], used: set[str]) -> Iterator[str]:
    for item in items:
        yield item if isinstance(item, str) else item.keep(used)


@lru_cache(maxsize=64)
def compile_sheet(css: str) -> tuple[Rule | Group | str, ...]:
    """``css`` parsed into rules, groups and statements kept as they are (cached by text)."""
    items: list[Rule | Group | str] = []
    for raw, block in statements(css):
        prelude = without_comments(raw)
        if not prelude:
            continue
        if block is None:
            items.append(f"{prelude};")
        elif prelude.startswith("@"):
            if re.match(r"@[\w-]+", prelude)[0].lower() in GROUPS:  # type: ignore[index]
                items.append(Group(prelude, compile_sheet(block)))
            else:
                items.append(f"{prelude}{{{block}}}")
        else:
            parts = tuple((s, required_classes(s)) for s in selectors(prelude))
            items.append(Rule(parts, block))
    return tuple(items)


def prune(css: str, used: set[str]) -> str:
    """``css`` with only the rules that may apply somewhere in the site."""
    licences = [m[0] for m in re.finditer(r"/\*!.*?\*/", css[:2000], flags=re.S)]
    return "".join([*licences, *keep(compile_sheet(css), used)])


def prune_properties(css: str, used: set[str]) -> str:
    """``css`` without the custom properties (``--name: ...``) nothing reads.

    A property is read when the stylesheet uses it in ``var()`` (after the properties that
    were dropped are gone, so chains of unused ones go too) or its name occurs in ``used``
    (the words of the site's pages and scripts, which may read or set it).
    """
    while True:
        pruned = PROPERTY.sub(partial(unless_unread, set(VAR.findall(css)) | used), css)
        if pruned == css:
            return css
        css = pruned


def unless_unread(read: set[str], declaration: re.Match[str]) -> str:
    return declaration[0] if declaration[1] in read else ""
