"""Remember what each built page holds between checks, so a rebuild re-reads only its pages.

After a one-page edit Sphinx rewrites a handful of pages; parsing all of them again was most
of the check's time. A page's ids and links are kept with its size and modification time, as
rsync decides what changed, and read again only when either differs. A cache written by
other code of the scanner is not used: a fixed scanner must read every page again, or an
incremental check would keep the old code's verdict on pages that did not change.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from functools import cache
from pathlib import Path

from . import internal
from .internal import Page, read_page

Stamp = tuple[int, int]


@cache
def scanner_digest() -> str:
    """The code that turns a page into ids and links: what a kept result also depends on."""
    return hashlib.sha256(Path(internal.__file__).read_bytes()).hexdigest()


class PageCache:
    """Parsed pages by path; ``path=None`` keeps nothing between runs."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.entries: dict[str, tuple[Stamp, Page]] = {}
        self.changed = False
        if path is not None and path.is_file():
            try:
                with path.open("rb") as handle:
                    code, entries = pickle.load(handle)
            except (
                OSError,
                pickle.UnpicklingError,
                EOFError,
                AttributeError,
                TypeError,
                ValueError,
            ):
                return  # unreadable or from an older version: start afresh
            if code == scanner_digest():
                self.entries = entries

    def page(self, file: Path) -> Page:
        info = file.stat()
        stamp = (info.st_size, info.st_mtime_ns)
        key = str(file)
        cached = self.entries.get(key)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        page = read_page(file)
        self.entries[key] = (stamp, page)
        self.changed = True
        return page

    def save(self) -> None:
        if self.path is None or not self.changed:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(f".{self.path.name}.{os.getpid()}")
        with partial.open("wb") as handle:
            pickle.dump((scanner_digest(), self.entries), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, self.path)
