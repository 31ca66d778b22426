"""Reuse what finishing the site made last time, when what it was made from has not changed.

:func:`~mlops_handbook.lean.finish_site` runs after every HTML build, and a one-page edit (or a
build with nothing to do) used to redo all of it: read every page for its words, parse and
prune the 480 KB of stylesheets, import fontTools and cut the icon font, prune every diagram's
styles; about 0.4 s of CPU, more than Sphinx spends on the edited page. With
``handbook_lean_cache`` set, each result is kept in a file named after a hash of everything
it is made from, as the highlighting cache keeps code blocks:

- the words of a page or script: its bytes;
- a finished stylesheet bundle: its text, the bytes of each font it loads, and those of the
  site's words that occur in it. Pruning keeps a rule or a custom property by looking up
  names written in the stylesheet among the site's words, so no other word can change it;
  a one-page edit that brings no new class name reuses the bundle;
- the cut of a finished bundle into the head's and the late stylesheet (:mod:`.late`): its
  text, and every element and inline script word of the site's pages (each page's read only
  when its bytes are new), so an edit that brings no new element reuses the cut;
- a pruned diagram: its text.

Every key also holds the code of this package and fontTools' version. A result is written
only once it is whole, with one rename, and never changed after, so a build that stops or
fails leaves nothing half-made for the next one to use.
"""

from __future__ import annotations

import hashlib
import json
import pickle
from collections.abc import Callable, Iterable
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import TypeVar

from ..diagrams import write_atomically
from .css import WORD, words
from .fonts import FONT_URL
from .late import Markup, page_markup, split_sheet

# Bump when what a cached file holds changes.
CACHE_FORMAT = "1"
WORDS_FILE = "words.pickle"
MARKUP_FILE = "markup.pickle"
T = TypeVar("T")


@cache
def code_digest() -> str:
    """The lean package's code and fontTools' version: what every result also depends on."""
    digest = hashlib.sha256(f"{CACHE_FORMAT}\0{version('fonttools')}".encode())
    for source in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(b"\0" + source.name.encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()


def key(kind: str, parts: Iterable[str | bytes]) -> str:
    """A hash of ``parts``, each length-prefixed so that no two lists of parts share one."""
    digest = hashlib.sha256(f"{code_digest()}\0{kind}".encode())
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(f"\0{len(data)}\0".encode() + data)
    return digest.hexdigest()


class LeanCache:
    """A folder of finished stylesheets, pruned diagrams and the words of each page."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.computed: list[str] = []  # what this build worked out anew (kinds), for tests

    def _text(self, kind: str, parts: Iterable[str | bytes], make: Callable[[], str]) -> str:
        path = self.folder / kind / (name := key(kind, parts))[:2] / f"{name}.txt"
        try:
            return path.read_text(encoding="utf-8")
        except FileNotFoundError:
            pass
        text = make()
        self.computed.append(kind)
        write_atomically(path, text)
        return text

    def words(self, files: Iterable[Path]) -> set[str]:
        """Every word of ``files`` (as :func:`.css.words` finds them), read only where new."""
        found: set[str] = set()
        for page_words in self._per_file(WORDS_FILE, "words", files, lambda f: words([f])):
            found |= page_words
        return found

    def markup(self, files: Iterable[Path]) -> Markup:
        """The elements and inline scripts' words of ``files``, read only where new."""
        parts = self._per_file(
            MARKUP_FILE, "markup", files, lambda f: page_markup(f.read_text("utf-8"))
        )
        return Markup.joined(parts)

    def _per_file(
        self, store_name: str, kind: str, files: Iterable[Path], read: Callable[[Path], T]
    ) -> list[T]:
        """``read`` of each of ``files``, kept in ``store_name`` by the file's bytes."""
        store = self.folder / store_name
        try:
            code, known = pickle.loads(store.read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError):
            code, known = "", {}
        if code != code_digest():
            known = {}
        before = set(known)
        kept: dict[str, T] = {}
        for file in files:
            digest = hashlib.sha256(file.read_bytes()).hexdigest()
            if digest not in known:
                known[digest] = read(file)
                self.computed.append(kind)
            kept[digest] = known[digest]
        if kept.keys() != before:  # new pages, or pages no longer in the site
            store.parent.mkdir(parents=True, exist_ok=True)
            temporary = store.with_name(f".{store.name}.new")
            temporary.write_bytes(pickle.dumps((code_digest(), kept), protocol=5))
            temporary.replace(store)
        return list(kept.values())

    def stylesheet(
        self, finish: Callable[[str], str], used: set[str], static: Path
    ) -> Callable[[str], str]:
        """``finish`` (prune a bundle's text, cut its fonts), its results kept and reused."""

        def finished(css: str) -> str:
            names = sorted(used & set(WORD.findall(css)))
            fonts = []
            for url in sorted({m[1] for m in FONT_URL.finditer(css)}):
                font = static / url
                fonts += [url, font.read_bytes() if font.is_file() else b"\0missing"]
            return self._text("css", [css, "\0".join(names), *fonts], lambda: finish(css))

        return finished

    def splitter(self, files: Iterable[Path]) -> Callable[[str], tuple[str, str]]:
        """:func:`.late.split_sheet` by the markup of ``files``, its results kept and reused.

        A one-page edit that brings no element or script word new to the site reuses the split.
        """
        markup = cache(lambda: self.markup(files))

        def split(css: str) -> tuple[str, str]:
            parts = [css, markup().fingerprint()]
            made = self._text("split", parts, lambda: json.dumps(split_sheet(css, markup())))
            head, end = json.loads(made)
            return head, end

        return split

    def diagram(self, prune: Callable[[str], str]) -> Callable[[str], str]:
        """``prune`` (a diagram's styles), its results kept and reused."""
        return lambda svg: self._text("svg", [svg], lambda: prune(svg))
