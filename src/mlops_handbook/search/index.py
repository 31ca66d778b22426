"""Index the built site with Pagefind, so the site's search box works without any server.

The index is written next to the pages, in ``_pagefind/``, and replaces the previous one
whole: written into a fresh folder first, then swapped in, so an incremental build ends with
exactly the index a clean build writes, and a failed run leaves no half-written index.
``python -m mlops_handbook.search SITE`` indexes a built site by hand (``nox -s serve`` does).
"""

from __future__ import annotations

import ctypes
import hashlib
import html
import json
import pickle
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import version
from pathlib import Path

from pagefind_bin_extended import get_executable
from sphinx.application import Sphinx

INDEX_DIR = "_pagefind"
FRESH_DIR = f".{INDEX_DIR}.new"  # where Pagefind writes, beside the pages, until it is done
WORDS_FILE = "handbook-words.json"
WORD_COUNTS = "handbook-words.pickle"  # beside the stamp: each page's words, by its digest
# Headings' permalinks ("#") are not words of the page, and would end up in every title.
EXCLUDED = (".headerlink",)
# The bundle's ready-made interfaces; the site brings its own, and only needs pagefind.js.
UNUSED = (
    "pagefind-ui.*",
    "pagefind-component-ui.*",
    "pagefind-modular-ui.*",
    "pagefind-highlight.js",
)
BODY = re.compile(r"<div data-pagefind-body[^>]*>(.*?)</article>", re.DOTALL)
TAG = re.compile(r"<[^>]*>")
# Runs of letters of any alphabet ("ørtoft", not "rtoft"), hyphenated ones kept together.
TOKEN = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
PR_SET_PDEATHSIG = 1  # Linux's prctl option: a signal for the child when its parent ends
SHORTEST = 4  # shorter words are too often one letter away from another word
# Pagefind indexes the book in about a second. It waits forever when its output folder is
# deleted under it; a build must then stop with a message, not hang.
PATIENCE = 300


def page_words(page: str) -> list[str]:
    """The words of a page's indexed article, hyphenated ones also joined ("precommit")."""
    found = []
    for body in BODY.findall(page):
        for token in TOKEN.findall(html.unescape(TAG.sub(" ", body)).lower()):
            parts = token.split("-")
            found += [*parts, "".join(parts)] if len(parts) > 1 else parts
    return [word for word in found if len(word) >= SHORTEST]


def read_pages(site: Path) -> dict[str, bytes]:
    """Every HTML file of the site by its path, in order: what Pagefind and the word list read."""
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*.html"))}


@dataclass
class WordCounts:
    """The words of each page, by the digest of its bytes, kept from one build to the next.

    A one-page edit rewrites a few pages of fifty; only those are read for words again. The
    counts depend on the page's bytes and this module's code only, so the word list is the
    one a clean build writes.
    """

    file: Path | None
    pages: dict[str, Counter[str]] = field(default_factory=dict)
    read: int = 0  # pages whose words were read in this build, not taken from the file

    @classmethod
    def load(cls, file: Path | None) -> WordCounts:
        try:
            code, pages = pickle.loads(file.read_bytes()) if file else ("", {})
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError):
            return cls(file)
        return cls(file, pages if code == _code_digest() else {})

    def site_words(self, pages: dict[str, bytes]) -> str:
        """The site's vocabulary, most frequent first, as JSON: what the search box corrects to.

        Pagefind matches words and their prefixes exactly, so one typo ("dockerfle") finds
        nothing useful. The box replaces a word that starts no word of the site with the most
        frequent word one or two edits away.
        """
        kept, counts = {}, Counter[str]()
        for page in pages.values():
            key = hashlib.sha256(page).hexdigest()
            if key not in self.pages:
                self.pages[key] = Counter(page_words(page.decode("utf-8")))
                self.read += 1
            kept[key] = self.pages[key]
            counts.update(kept[key])
        self.pages = kept  # pages no longer in the site are forgotten
        words = sorted(counts, key=lambda word: (-counts[word], word))
        return json.dumps(words, separators=(",", ":"))

    def save(self) -> None:
        if self.file is not None:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.file.with_name(f".{self.file.name}.new")
            temporary.write_bytes(pickle.dumps((_code_digest(), self.pages), protocol=5))
            temporary.replace(self.file)


@cache
def _code_digest() -> str:
    """This module's code and Pagefind's version: what else the index depends on."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update(version("pagefind").encode())
    return digest.hexdigest()


def pagefind_command(site: Path, output: str) -> list[str]:
    """Pagefind's binary itself: ``python -m pagefind`` would start a Python just to find it."""
    return [
        str(get_executable()),
        "--site", str(site),
        "--output-subdir", output,
        "--keep-index-url",  # result links name the file, so they also work without a server
        "--force-language", "en",
        "--exclude-selectors", ",".join(EXCLUDED),
        "--quiet",
    ]  # fmt: skip


@dataclass
class Indexing:
    """Pagefind indexing a site in its own process, while this one does other work.

    Pagefind only reads the pages, so the build checks the site's links and copies the pages
    to publish on the other core meanwhile; :meth:`wait` then adds the word list, and
    :meth:`install` swaps the new index in (:meth:`finish` does both).
    """

    site: Path
    process: subprocess.Popen[str] | None  # None: the pages are those of the last index
    start: float
    pages: dict[str, bytes] = field(default_factory=dict)
    digest: str = ""
    stamp: Path | None = None
    counts: WordCounts = field(init=False)

    @property
    def fresh(self) -> Path:
        return self.site / FRESH_DIR

    def finish(self) -> Path:
        """Wait for Pagefind, complete the index and put it in place; return its folder."""
        self.wait()
        return self.install()

    def wait(self) -> Path:
        """Wait for Pagefind and complete the new index; return the folder that holds it.

        If Pagefind failed, the build stops with its output and the published site stays
        as it was.
        """
        fresh = self.fresh
        if self.process is None:
            return self.site / INDEX_DIR
        self.counts = WordCounts.load(self.stamp and self.stamp.with_name(WORD_COUNTS))
        words = self.counts.site_words(self.pages)  # while Pagefind runs
        try:
            stdout, stderr = self.process.communicate(timeout=PATIENCE)
        except subprocess.TimeoutExpired:
            self.process.kill()
            stdout, stderr = self.process.communicate()
            stderr += (
                f"Pagefind was stopped after {PATIENCE} s; it takes seconds. Did something "
                f"change or delete {fresh} while it wrote there? Build again.\n"
            )
        if self.process.returncode or not (fresh / "pagefind.js").is_file():
            shutil.rmtree(fresh, ignore_errors=True)
            raise SystemExit(
                f"Pagefind could not index {self.site}; the published site was left as it "
                f"was. If Pagefind is missing, reinstall the project (`pip install -e .`).\n"
                f"{stdout}{stderr}"
            )
        (fresh / WORDS_FILE).write_text(words, encoding="utf-8")
        for pattern in UNUSED:
            for path in fresh.glob(pattern):
                path.unlink()
        return fresh

    def install(self) -> Path:
        """Put the index :meth:`wait` completed in place, and remember what it indexed."""
        target = self.site / INDEX_DIR
        if self.process is None:
            print(f"search index: no page changed, {INDEX_DIR}/ kept")
            return target
        shutil.rmtree(target, ignore_errors=True)
        self.fresh.rename(target)
        self.counts.save()
        if self.stamp is not None:
            self.stamp.parent.mkdir(parents=True, exist_ok=True)
            self.stamp.write_text(self.digest, encoding="utf-8")
        pages = sum(1 for _ in (target / "fragment").iterdir())
        size = sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
        took = time.perf_counter() - self.start
        print(f"search index: {pages} pages, {size / 1024:.0f} KiB in {INDEX_DIR}/ ({took:.2f} s)")
        return target


def pages_digest(pages: dict[str, bytes]) -> str:
    """A digest of every page Pagefind reads, and of the code that indexes them."""
    digest = hashlib.sha256(_code_digest().encode())
    for name, page in pages.items():
        digest.update(f"\0{name}\0".encode() + page)
    return digest.hexdigest()


def start_index(site: Path, stamp: Path | None = None) -> Indexing:
    """Start writing a fresh search index of ``site``; :meth:`Indexing.finish` completes it.

    With a ``stamp`` file, the digest of the pages indexed last is kept there; when every
    page is byte for byte the same, Pagefind, which writes the same index from the same pages,
    is not run again. Each page's words are kept beside it (:class:`WordCounts`).
    """
    start = time.perf_counter()
    pages = read_pages(site)
    digest = pages_digest(pages)
    indexed = (site / INDEX_DIR / "pagefind.js").is_file()
    if indexed and stamp is not None and stamp.is_file() and stamp.read_text("utf-8") == digest:
        return Indexing(site, None, start)
    fresh = site / FRESH_DIR
    shutil.rmtree(fresh, ignore_errors=True)
    try:
        command = pagefind_command(site, fresh.name)
    except FileNotFoundError as missing:
        raise SystemExit(
            f"{missing}: Pagefind's binary is missing; reinstall the project (`pip install -e .`)."
        ) from None
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_end_with_parent if sys.platform == "linux" else None,  # noqa: PLW1509
    )
    return Indexing(site, process, start, pages, digest, stamp)


# Sites whose build, running in this process, starts Pagefind as soon as the pages are final
# (by their stamp files), and the indexing so started; see :func:`index_when_written`.
_REQUESTED: dict[Path, Path | None] = {}
_STARTED: dict[Path, Indexing] = {}


def index_when_written(site: Path, stamp: Path | None) -> None:
    """Have the Sphinx build of ``site`` in this process start Pagefind once its pages are final.

    That is at build-finished, once stale pages are pruned (:func:`start_requested_index`):
    Pagefind then runs on the other core while the build writes the calendar, the sitemap
    and the stylesheet bundles, instead of after. :func:`requested_index` collects what was started.
    """
    _REQUESTED[site.resolve()] = stamp


def start_requested_index(app: Sphinx, exception: BaseException | None) -> None:
    """Start the index of a site :func:`index_when_written` asked for, if the build went well.

    A build whose only problems are warnings still gets here; its caller throws the index
    away with :func:`drop_requested_index`.
    """
    site = Path(app.outdir).resolve()
    if exception is None and site in _REQUESTED:
        _STARTED[site] = start_index(site, _REQUESTED.pop(site))


def requested_index(site: Path, stamp: Path | None) -> Indexing:
    """The indexing the build started, or (a build that did not get there) a new one."""
    _REQUESTED.pop(site.resolve(), None)
    return _STARTED.pop(site.resolve(), None) or start_index(site, stamp)


def drop_requested_index(site: Path) -> None:
    """Forget a request, and stop and clear away any Pagefind it started: the build failed."""
    _REQUESTED.pop(site.resolve(), None)
    indexing = _STARTED.pop(site.resolve(), None)
    if indexing is not None and indexing.process is not None:
        indexing.process.kill()
        indexing.process.communicate()
        shutil.rmtree(indexing.fresh, ignore_errors=True)


def _end_with_parent() -> None:
    """Pagefind is killed with a build that is killed, so it never writes into a later run."""
    ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def index_site(site: Path) -> Path:
    """Write a fresh search index into ``site/_pagefind`` and return its folder."""
    return start_index(site).finish()
