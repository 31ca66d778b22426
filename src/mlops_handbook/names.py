"""What a name in the course data may be: slugs for paths and ids, and visible plain text.

A value that becomes a folder, a file name or an HTML id is checked against a pattern, so data
can never write outside the session folders or break an anchor. Two names are "the same" when
they read the same to a person: after Unicode NFKC, case folding and invisible characters.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

# Unicode categories a reader cannot see: controls, format characters (zero-width, bidi) and
# unassigned or private code points; plus blank letters that render as nothing.
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Cn", "Co", "Cs", "Zl", "Zp", "Zs"}
_BLANK_LETTERS = {"\u115f", "\u1160", "\u2800", "\u3164", "\uffa0"}
# Alphabets whose letters look like Latin ones (Cyrillic U+0430 is "a", Greek U+03BF is "o").
_LOOKALIKE_SCRIPTS = ("LATIN", "GREEK", "CYRILLIC")
# Characters that reorder the text around them (Trojan Source, CVE-2021-42574).
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Controls other than tab and line breaks, surrogates and noncharacters: never in course text.
_NEVER = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]"
)
# Vietnamese puts two accents on a letter; no language needs more than four.
MAX_MARKS = 4


@dataclass(frozen=True)
class Pattern:
    """A slug-like pattern for a value that becomes a path or an id, with words for users."""

    regex: str
    described: str
    # Values that match but name something else where the value is used (a device on Windows).
    reserved: frozenset[str] = frozenset()

    def matches(self, value: str) -> bool:
        return re.fullmatch(self.regex, value, flags=re.ASCII) is not None


SLUG = Pattern(
    r"[a-z0-9]+(?:[_-][a-z0-9]+)*",
    "lower-case letters a-z, digits, and single '-' or '_' between them, like s3_reproducibility",
)
# Names Windows keeps for its devices, with or without an extension: a clone on Windows cannot
# hold a folder or a file of that name (``sessions/con/``, ``nul.md``).
WINDOWS_DEVICES = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)), *(f"lpt{n}" for n in range(10))}
)
# A session folder or a module page: a slug that every file system and checkout can hold.
FILE_NAME = Pattern(SLUG.regex, SLUG.described, WINDOWS_DEVICES)
SESSION_ID = Pattern(r"S[1-9][0-9]*", "'S' and a number, like S3")
MODULE_ID = Pattern(r"M[1-9][0-9]*", "'M' and a number, like M10")
# A link in the data is shown on the site: only web addresses, never javascript:, data: or file:.
URL = Pattern(
    r"https?://[^\s<>\"'`\\]+",
    "a web address that starts with https:// or http://, like https://example.org",
)
EMAIL = Pattern(
    r"[^\s<>\"'`\\@:/]+@[^\s<>\"'`\\@:/]+\.[A-Za-z]{2,}", "an email address like ada@example.org"
)
# Session pages are generated as index.md in the session folder; no module may take that name.
RESERVED_PAGES = frozenset({"index"})


# How long a value may be, by what it is: a name or title fits on a line of the sidebar, prose
# is a paragraph, a web address a long link, a MyST field (an intro, an answer) a short page.
# Each is far above what the course writes (README, "Data fields"); a huge value is a mistake,
# and would only make a slow build and a huge page.
MAX_NAME = 200
# A folder or page name is a part of every URL below it and of a path on a reader's disk
# (Windows allows 260 characters for the whole path); the course's longest is 35.
MAX_FILE_NAME = 80
MAX_PROSE = 2_000
MAX_ADDRESS = 2_000
MAX_MYST = 20_000
MAX_ITEMS = 500


def slug(pattern: Pattern = SLUG) -> dict[str, Any]:
    """Field metadata: the value becomes a path or an id and must match ``pattern``."""
    return {"pattern": pattern}


def file_name() -> dict[str, Any]:
    """Field metadata: the value becomes a folder or a file name (and so a part of URLs)."""
    return {"pattern": FILE_NAME, "limit": (MAX_FILE_NAME, "a folder or file name")}


def written_as(pattern: Pattern) -> dict[str, Any]:
    """Field metadata: the value is a link or an address the site shows, of ``pattern``'s form."""
    return {"pattern": pattern, "limit": (MAX_ADDRESS, "a web or email address")}


def nonempty() -> dict[str, Any]:
    """Field metadata: a list that an empty value makes wrong (a course without days).

    Sessions, modules and the checklist may be empty: the extension serves other courses.
    """
    return {"nonempty": True}


def prose() -> dict[str, Any]:
    """Field metadata: a sentence or a paragraph of plain text, not a name or a title."""
    return {"limit": (MAX_PROSE, "plain text")}


def positive() -> dict[str, Any]:
    """Field metadata: a count, which must be above zero."""
    return {"positive": True}


def is_invisible(char: str) -> bool:
    return char in _BLANK_LETTERS or unicodedata.category(char) in _INVISIBLE_CATEGORIES


def has_visible(text: str) -> bool:
    """Whether a reader sees anything at all of ``text``: accents alone mark nothing."""
    return any(not is_invisible(c) and not unicodedata.category(c).startswith("M") for c in text)


def bidi_controls(text: str) -> list[str]:
    """The bidi control characters in ``text``, as ``U+202E`` names, in order of appearance."""
    return [f"U+{ord(c):04X}" for c in text if c in _BIDI_CONTROLS]


def odd_character(text: str) -> str | None:
    """The first character no page can show as written, named like ``U+0000``, or None.

    A double-quoted YAML string writes any character by its escape (a backslash and a code),
    past the file's own check: controls, a lone surrogate (which no UTF-8 page can hold) and
    noncharacters. Tabs and line breaks are white space, shown as such.
    """
    found = _NEVER.search(text)
    return f"U+{ord(found.group()):04X}" if found else None


def stacked_marks(text: str) -> bool:
    """Whether a letter carries more accents than any language writes ("Zalgo" text).

    A stack of combining marks draws over the lines above and below it on the page.
    """
    if text.isascii():  # no combining mark is ASCII
        return False
    run = 0
    for char in text:
        run = run + 1 if unicodedata.category(char).startswith("M") else 0
        if run > MAX_MARKS:
            return True
    return False


def _scripts(word: str) -> set[str]:
    names = (unicodedata.name(c, "") for c in word if c.isalpha())
    return {script for name in names for script in _LOOKALIKE_SCRIPTS if script in name.split()}


def mixed_script(text: str) -> str | None:
    """A word that mixes Latin with Greek or Cyrillic letters, named with its first odd letter.

    Such a word is a homoglyph trick (a Cyrillic U+0430 for "a" in a TA's name): it reads as
    another name but is not equal to it, so a duplicate would slip past every comparison.
    """
    if text.isascii():  # only Latin letters: the check read every letter's Unicode name
        return None
    for word in re.findall(r"\w+", text):
        if len(_scripts(word)) > 1:
            odd = next(c for c in word if c.isalpha() and "LATIN" not in _scripts(c))
            return f"{word!r}, whose {odd!r} is U+{ord(odd):04X} {unicodedata.name(odd)}"
    return None


def identity(text: str) -> str:
    """What makes two names the same name: NFKC, case folded, invisible characters removed."""
    normal = unicodedata.normalize("NFKC", text).casefold()
    kept = (" " if unicodedata.category(c)[0] == "Z" else c for c in normal)
    return " ".join("".join(c for c in kept if c == " " or not is_invisible(c)).split())
