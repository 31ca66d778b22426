"""Printed pieces kept from one print to the next, under a digest of all that went into them.

After an edit of one page, the print build is new but most of the book's chunks are the same
HTML, printed from the same page number: Chromium would lay out the same pages again (about
20 ms each; the whole body is most of a print's time). A piece's digest covers what the page
shows around the book (head, styles, running headers), every file of ``_static`` and
``_images``, the browser's version, this package's printing code, and of the piece itself: its
HTML, the anchors it gets a hidden link for, the addresses of its links that leave it, the
numbers its contents boxes show and its first page. A piece whose digest was printed before is
taken from the folder; only the pieces this print used are kept. Chromium's structure ids
differ between two prints of the same piece, and the merge renames them by rank
(``structure_ids.py``), so a kept piece gives the same bytes as a new print.

A finished PDF (merged, with its bookmarks and metadata, and its links checked) is kept the
same way, under a digest of its pieces' bytes, the manifest and this package's code: after
an edit of one page, the other sessions' PDFs are not merged again.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

PACKAGE = Path(__file__).parent
CODE = ("printer.py", "renderer.py", "contents.py", "mode.py")  # what shows and prints a piece
ASSETS = ("_static", "_images")  # what the print build's page loads besides itself
SUFFIX = ".pdf"
FINISHING = ("../links/pdf.py",)  # beside this package: the link check of a finished PDF


def keep(path: Path, pdf: bytes) -> None:
    """Write ``pdf`` aside and rename it, so a stopped print leaves no half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.partial")
    partial.write_bytes(pdf)
    os.replace(partial, path)


@cache
def _code_digest() -> str:
    """The code that merges and checks a PDF: this package's, the link check's, pikepdf's."""
    digest = hashlib.sha256(version("pikepdf").encode())
    for path in [*sorted(PACKAGE.glob("*.py")), *(PACKAGE / name for name in FINISHING)]:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _files_digest(html: Path) -> str:
    """This package's printing code, the Playwright version, and the page's files."""
    digest = hashlib.sha256(version("playwright").encode())
    for name in CODE:
        digest.update((PACKAGE / name).read_bytes())
    for folder in ASSETS:
        for path in sorted((html / folder).rglob("*")):
            if path.is_file():
                digest.update(f"\0{path.relative_to(html)}\0".encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


@dataclass
class KeptPrints:
    """The folder of kept pieces, for the print build in ``html``.

    With ``reuse`` off (``--clean``), each piece is printed anew, and kept for the next print.
    """

    folder: Path
    html: Path
    reuse: bool = True
    base: str = ""
    used: set[str] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def open(self, frame: str, browser_version: str) -> None:
        """Start on the print build, whose page around the book is ``frame``."""
        base = f"{_files_digest(self.html)}\0{browser_version}\0{frame}"
        self.base = hashlib.sha256(base.encode()).hexdigest()

    def key(
        self,
        recipe: Mapping[str, Any],
        first_page: int,
        numbers: Mapping[str, int],
        urls: Mapping[str, str],
    ) -> str:
        """The digest of a piece (``recipe`` is ``printer.RECIPE``'s answer)."""
        inputs = {
            "base": self.base,
            "html": recipe["html_sha256"],
            "anchors": recipe["anchors"],
            "leaving": {anchor: urls.get(anchor) for anchor in recipe["leaving"]},
            "numbers": {anchor: numbers.get(anchor) for anchor in recipe["boxes"]},
            "first_page": first_page,
        }
        return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()

    def get(self, key: str) -> bytes | None:
        """The piece printed under ``key`` before, if reused and there."""
        with self._lock:
            self.used.add(key)
        if not self.reuse:
            return None
        try:
            return (self.folder / f"{key}{SUFFIX}").read_bytes()
        except OSError:
            return None

    def put(self, key: str, pdf: bytes) -> None:
        keep(self.folder / f"{key}{SUFFIX}", pdf)

    def finished(self, name: str, parts: Iterable[bytes]) -> Path:
        """Where the finished PDF ``name`` made of ``parts`` is kept, if it was made before.

        Without ``reuse``, any such file is removed first, so that it is made again.
        """
        digest = hashlib.sha256(f"{name}\0{_code_digest()}".encode())
        for part in parts:
            digest.update(hashlib.sha256(part).digest())
        key = f"finished-{digest.hexdigest()}"
        with self._lock:
            self.used.add(key)
        path = self.folder / f"{key}{SUFFIX}"
        if not self.reuse:
            path.unlink(missing_ok=True)
        return path

    def prune(self) -> None:
        """Remove the pieces this print did not use: the folder holds one book's pieces."""
        for path in self.folder.glob(f"*{SUFFIX}"):
            if path.stem not in self.used:
                path.unlink(missing_ok=True)
