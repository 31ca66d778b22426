"""Print a finished print build to the book's PDF and the sessions' PDFs.

The book is merged in a process of its own while Chromium prints (``EarlyBook``), the
sessions' PDFs in another. Every PDF's links are checked (a session's in its process), then each
is written next to its final name and renamed, all of them only after all printed well, so a
failure leaves the previous PDFs as they were. pikepdf (qpdf) writes them: it keeps the
structure tree of Chromium's tagged PDF, and with a deterministic file identifier and the
sources' date, the same sources give the same bytes.
"""

from __future__ import annotations

import filecmp
import io
import itertools
import multiprocessing
import os
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from pathlib import Path

import pikepdf

from ..links.pdf import check_pdf
from ..progress import PROGRESS
from .browser import find_browser
from .contents import destinations, places
from .kept import KeptPrints, keep
from .manifest import MANIFEST_NAME, Manifest, SessionPart
from .merge import Merger, Prepared, anchors_by_address, link_inside, merge, prepare
from .metadata import apply_metadata
from .outline import add_outline
from .printer import HINT_NAME, Chunk, Printed, print_pdf
from .renderer import Renderer, renderers
from .server import serve_directory


class BrokenLinksError(RuntimeError):
    """A printed PDF has an internal link or bookmark that lands on no page."""


@dataclass
class Report:
    """What was written, with each PDF's page count, and the time of each phase."""

    pages: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    prints: int = 0
    printed_pages: int = 0
    reprinted_pages: int = 0  # printed again: the last print's page numbers were stale
    kept: int = 0  # pieces taken from the last print, not printed (see ``kept.py``)


def print_book(
    html: Path,
    out: Path,
    browser: Path | None = None,
    *,
    sessions: bool = True,
    started: tuple[Renderer, ...] = (),
    hint: Path | None = None,
    kept: KeptPrints | None = None,
    book_pool: ProcessPoolExecutor | None = None,
) -> Report:
    """Print the print build in ``html`` into the folder ``out``; see the module's docstring.

    Each session's PDF is put together and its links checked in a second process while
    Chromium prints the next session. Without ``sessions`` only the whole book is printed and
    written. ``started`` are two browsers started before (see ``renderer.py``); without them,
    two are started here. ``hint`` keeps the last print's page numbers (see ``printer.py``);
    by default it lies beside the print build. ``kept`` holds the pieces printed before; after
    a print that succeeded, only the ones it used are left. ``book_pool`` is a process for the
    book's merge (see ``EarlyBook``) started before; without it, one is started here.
    """
    manifest = Manifest.read(html)
    made = (html / MANIFEST_NAME).read_bytes()  # what the finished PDFs are made from, with pieces
    context = multiprocessing.get_context("spawn")  # no fork of Playwright's threads
    with (
        ExitStack() as stack,
        ProcessPoolExecutor(1, mp_context=context) as pool,
        serve_directory(html) as base,
    ):
        if book_pool is None:
            book_pool = ProcessPoolExecutor(1, mp_context=context)
            stack.callback(book_pool.shutdown, cancel_futures=True)  # not needed if kept
        early = EarlyBook(book_pool)
        if not started:
            started = stack.enter_context(renderers(browser or find_browser()))
        merging: dict[str, Future[Checked]] = {}

        def merge_session(session: SessionPart, front: bytes, chunk: Chunk) -> None:
            parts = [made, front, chunk.pdf, str(chunk.first_page).encode()]
            where = kept.finished(session.file, parts) if kept else None
            merging[session.file] = pool.submit(
                checked_session, front, chunk, session, manifest, where
            )

        url = base + manifest.page
        on_session = merge_session if sessions else None
        hint = hint or html / HINT_NAME
        printed = print_pdf(started, url, manifest, on_session, hint, kept, early.chunk_printed)
        for renderer in started:  # all is printed: they close while the PDFs are merged
            renderer.stop()
        report = Report(
            seconds=dict(printed.seconds),
            prints=printed.prints,
            printed_pages=printed.printed_pages,
            reprinted_pages=printed.reprinted_pages,
            kept=printed.kept,
        )
        started = time.perf_counter()
        with PROGRESS.ticking("merging, bookmarks and metadata: the book"):
            parts = [made, printed.front, *(c.pdf + b"\0%d" % c.first_page for c in printed.chunks)]
            where = kept.finished(manifest.book_file, parts) if kept else None
            book = made_before(where) or early.finish(printed, manifest)
            if where is not None and not where.exists() and not book.problems:
                keep(where, book.data)
        report.seconds["merge and check the book"] = time.perf_counter() - started
        started = time.perf_counter()
        with PROGRESS.ticking("merging, bookmarks and metadata: the sessions"):
            done = {s.file: merging[s.file].result() for s in manifest.sessions if sessions}
        if sessions:
            report.seconds["wait for the sessions' merges"] = time.perf_counter() - started
    started = time.perf_counter()
    with PROGRESS.ticking("writing the PDFs"):
        done = {manifest.book_file: book, **done}
        write_all(done, out, keep_others=not sessions)
    if kept is not None:
        kept.prune()
    pdfs = {name: pdf.data for name, pdf in done.items()}
    report.seconds["publish"] = time.perf_counter() - started
    for name, data in pdfs.items():
        with pikepdf.open(io.BytesIO(data)) as pdf:
            report.pages[name] = len(pdf.pages)
    return report


def _open(data: bytes) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(data))


@dataclass(frozen=True)
class Checked:
    """A finished PDF and its links that land on no page (each named with the PDF's file)."""

    data: bytes
    problems: list[str]


def made_before(where: Path | None) -> Checked | None:
    """The finished PDF kept at ``where`` (see ``kept.py``): it was checked when it was made."""
    try:
        return Checked(where.read_bytes(), []) if where else None
    except OSError:
        return None


def checked(data: bytes, name: str) -> Checked:
    return Checked(data, broken_links(name, data))


def broken_links(name: str, data: bytes) -> list[str]:
    """The internal links and bookmarks of the PDF ``data`` (file ``name``) that land nowhere."""
    return [f"{name}: {problem}" for problem in check_pdf(io.BytesIO(data))]


class EarlyBook:
    """The book, merged in a process of its own (``pool``) while Chromium prints the rest.

    Each chunk is read there as soon as it is printed: most of the merge's work. It is copied
    into the book in the chunks' order, and only once its first page follows the chunk before
    it (the second browser's chunks may be numbered from a wrong guess, and printed again): the
    same pieces, copied in the same order, give the same bytes (see ``merge.Merger``). The
    front matter, printed last, is copied last.
    """

    def __init__(self, pool: ProcessPoolExecutor) -> None:
        self._pool = pool
        self._lock = threading.Lock()
        self._keys = itertools.count()
        self._waiting: dict[int, tuple[int, Chunk]] = {}  # index: the chunk read as key
        self._placed: list[Chunk] = []
        self._tasks = [pool.submit(_start)]  # starts the process while the book loads
        self.restarted = False  # some chunk was not copied as printed: all were copied again

    def chunk_printed(self, index: int, chunk: Chunk) -> None:
        """Read ``chunk`` in the merge's process; copy every chunk whose turn has come."""
        with self._lock:
            key = next(self._keys)
            self._tasks.append(self._pool.submit(_take, key, chunk.pdf))
            self._waiting[index] = (key, chunk)
            while len(self._placed) in self._waiting:
                key, chunk = self._waiting[len(self._placed)]
                last = self._placed[-1] if self._placed else None
                if last is not None and chunk.first_page != last.first_page + last.pages:
                    break  # numbered wrong: it is printed again
                del self._waiting[len(self._placed)]
                self._tasks.append(self._pool.submit(_place, key, len(self._placed) + 1))
                self._placed.append(chunk)

    def finish(self, printed: Printed, manifest: Manifest) -> Checked:
        """The book of ``printed``, its links checked here.

        If a chunk of it was not copied as printed (only one that bypassed ``chunk_printed``
        can be), all are copied again, in order.
        """
        with self._lock:
            for index, chunk in enumerate(printed.chunks):
                if index >= len(self._placed) or self._placed[index] is not chunk:
                    self.restarted = True
                    self._waiting.clear()
                    self._tasks.append(self._pool.submit(_start))
                    for place, again in enumerate(printed.chunks, 1):
                        key = next(self._keys)
                        self._tasks.append(self._pool.submit(_take, key, again.pdf))
                        self._tasks.append(self._pool.submit(_place, key, place))
                    break
        finished = self._pool.submit(_finish_book, printed.front, manifest)
        for task in self._tasks:
            task.result()  # a failure in any of them is raised here
        return checked(finished.result(), manifest.book_file)


@dataclass
class _Book:
    """In the merge's process: the chunks read, by key, and the book they are copied into."""

    read: dict[int, Prepared] = field(default_factory=dict)
    merger: Merger = field(default_factory=Merger)


_BOOK = _Book()  # the state of the merge's process (see ``EarlyBook``)


def _start() -> None:
    """Start a new book (after one that failed, or that was not finished)."""
    _BOOK.read.clear()
    _BOOK.merger = Merger()


def _take(key: int, pdf: bytes) -> None:
    _BOOK.read[key] = prepare(_open(pdf))


def _place(key: int, place: int) -> None:
    _BOOK.merger.add(place, _BOOK.read[key])


def _finish_book(front: bytes, manifest: Manifest) -> bytes:
    """The front matter first, then the book's bookmarks and metadata."""
    _BOOK.read[-1] = prepare(_open(front))
    _BOOK.merger.add(0, _BOOK.read[-1])
    with _BOOK.merger.finish() as pdf:
        link_inside(pdf, anchors_by_address(manifest.urls, destinations(pdf)))
        add_outline(pdf, manifest.entries, places(pdf, [e.anchor for e in manifest.entries]))
        apply_metadata(pdf, manifest.metadata, manifest.epoch)
        done = save(pdf)
    for piece in _BOOK.read.values():
        piece.pdf.close()
    _start()
    return done


def checked_session(
    front: bytes, chunk: Chunk, session: SessionPart, manifest: Manifest, where: Path | None
) -> Checked:
    """A session's PDF (see ``finish_session``), checked where it was made: the second process.

    Taken from ``where`` if it was made before; kept there once made without broken links.
    """
    found = made_before(where)
    if found is not None:
        return found
    done = checked(finish_session(front, chunk, session, manifest), session.file)
    if where is not None and not done.problems:
        keep(where, done.data)
    return done


def finish_session(front: bytes, chunk: Chunk, session: SessionPart, manifest: Manifest) -> bytes:
    """A session's first sheet and its chunk of the book, which keeps the book's page numbers.

    The page labels say so: a viewer shows the number printed in the footer.
    """
    entries = manifest.session_entries(session)
    meta = manifest.metadata
    metadata = replace(
        meta,
        title=f"{meta.title}, {session.label}",
        subject=f"{session.label}: {meta.subject}",
        keywords=(*meta.keywords[:3], session.label),
    )
    pieces = [_open(front), _open(chunk.pdf)]
    try:
        front_pages = len(pieces[0].pages)
        with merge(pieces) as pdf:
            link_inside(pdf, anchors_by_address(manifest.urls, destinations(pdf)))
            add_outline(pdf, entries, places(pdf, [entry.anchor for entry in entries]))
            body = pikepdf.Dictionary(S=pikepdf.Name.D, St=chunk.first_page)
            first = pikepdf.Dictionary(S=pikepdf.Name.r)
            pdf.Root.PageLabels = pikepdf.Dictionary(Nums=[0, first, front_pages, body])
            apply_metadata(pdf, metadata, manifest.epoch)
            return save(pdf)
    finally:
        for piece in pieces:
            piece.close()


def save(pdf: pikepdf.Pdf) -> bytes:
    """Compact (object streams) and reproducible (the file id is a hash of the content)."""
    stream = io.BytesIO()
    pdf.save(
        stream,
        deterministic_id=True,
        compress_streams=True,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
    )
    return stream.getvalue()


def same_bytes(one: Path, other: Path) -> bool:
    return other.is_file() and filecmp.cmp(one, other, shallow=False)


def write_all(pdfs: dict[str, Checked], out: Path, *, keep_others: bool = False) -> None:
    """Put every PDF in place if none has broken links; remove PDFs no longer made.

    With ``keep_others`` (the book printed alone), the sessions' PDFs already there are kept.
    """
    problems = [problem for pdf in pdfs.values() for problem in pdf.problems]
    if problems:
        raise BrokenLinksError("\n".join(problems))
    out.mkdir(parents=True, exist_ok=True)
    partials = {out / f".{name}.partial": out / name for name in pdfs}
    try:
        for partial, name in zip(partials, pdfs, strict=True):
            partial.write_bytes(pdfs[name].data)
        for partial, final in partials.items():
            if not same_bytes(partial, final):  # kept: the site build's digest reads its time
                os.replace(partial, final)
    finally:
        for partial in partials:
            partial.unlink(missing_ok=True)
    for stale in out.glob("*.pdf"):
        if stale.name not in pdfs and not keep_others:
            stale.unlink()
