"""Drive headless Chromium (through Playwright, with the system's browser) to print the PDFs.

The page is loaded once and printed as tagged PDF (its structure tree is what screen readers
read), one piece at a time: Chromium's print layout grows faster than the page, so the 555
pages of the whole book cost more in one print than in a dozen (measured: 29 s against 18 s
of the renderer's CPU). The pieces are the front matter (cover and contents), the body in
chunks (each session a chunk of its own; the pages between sessions grouped), and each
session's own first sheet. ``merge.py`` puts them together into the book and the sessions.

Only the piece being printed is in the document; the rest waits in an inert ``<template>``.
Each chunk is printed once (see below for the exception), with the book's page numbers in its
footers (the page counter starts where the chunk starts in the book), and serves both the book
and its session's PDF.
A link whose target is in another piece points at the published site; the merge turns it
back into a link inside the PDF wherever the target is in it. Every anchor that any link of
the book points at gets a hidden link in its own chunk, so that Chromium writes a named
destination for it. The front matter is printed twice: with placeholder numbers first, to know
where the body starts, and with the numbers last.

Chromium prints on one core, so two browsers (``renderer.py``) load the book and print the
body side by side: the first from its start, the second from the middle. A chunk's footers need
the book's page its first page is, which the second cannot know before the first is done, so it
starts from the page where the middle chunk started in the last print (kept next to the print
build). Only a chunk whose text changed since is likely to have another page count, so the
second browser first prints the first half's edited chunks (the usual edit is one page), learns
how far they move the middle, and hands them to the first. A chunk's page count does not depend
on its footers' numbers; when a guess was wrong all the same, the chunks numbered wrong are
printed again before anything uses them. Either way the PDFs are the same bytes.

A piece printed before from the same inputs is not printed again: ``kept.py`` keeps them.
"""

from __future__ import annotations

import io
import json
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import pikepdf
from playwright.sync_api import Page

from ..progress import PROGRESS
from .contents import PLACEHOLDER, ContentsError, destinations, places
from .kept import KeptPrints
from .manifest import Entry, Manifest, SessionPart
from .mode import BOOK_TEMPLATE_ID
from .renderer import (
    CHROMIUM_ARGS,  # noqa: F401  (the bench starts its browsers the same way)
    Renderer,
)

PDF_OPTIONS: dict[str, Any] = {
    "prefer_css_page_size": True,  # A4 and the margins come from the print CSS
    "print_background": True,
    "tagged": True,  # a structure tree: headings, lists, tables, figures with their alt text
}

# The book arrives in an inert <template> (see ``mode.py``), never laid out as a whole. Its
# pieces move into a store of inert templates, without leaving that inert document: the front
# matter, the session fronts as they are, the body as one <template data-chunk> per chunk.
# Returns every anchor a link targets and the length of each chunk's text, to share the
# chunks fairly between two browsers.
SPLIT = """([sessionParts, bookId]) => {
  const book = document.getElementById(bookId);
  const article = book.parentNode;
  const contents = book.content.querySelector(".handbook-contents");
  const holder = contents.parentNode;
  const targets = new Set();
  for (const link of book.content.querySelectorAll('a[href^="#"]')) {
    targets.add(decodeURIComponent(link.getAttribute("href").slice(1)));
  }
  const store = document.createElement("template");
  store.id = "handbook-store";
  const front = document.createElement("template");
  front.dataset.front = "";
  let chunk = null;
  let chunks = 0;
  const open = () => {
    chunk = document.createElement("template");
    chunk.dataset.chunk = String(chunks++);
    store.content.append(chunk);
  };
  // Page markers (never shown) and white space go with the element that follows them.
  let pending = [];
  while (contents.nextSibling) {
    const node = contents.nextSibling;
    node.remove();
    if (node.matches?.("template.handbook-session-front")) {
      store.content.append(node);
    } else if (node.nodeType !== Node.ELEMENT_NODE || node.matches('span[id^="document-"]')) {
      pending.push(node);
    } else {
      const session = node.matches(".handbook-part") &&
        sessionParts.some((part) => node.classList.contains(part));
      if (chunk === null || session || chunk.dataset.session !== undefined) open();
      if (session) chunk.dataset.session = "";
      chunk.content.append(...pending, node);
      pending = [];
    }
  }
  if (chunk !== null) chunk.content.append(...pending);
  while (holder.firstChild !== contents) front.content.append(holder.firstChild);
  front.content.append(contents);
  store.content.append(front);
  book.replaceWith(store);
  // A piece is laid out for print only. Shown on screen, it would be laid out once more, for
  // the screen, as soon as it is shown: a fifth of Chromium's time per print, for nothing.
  const screen = document.createElement("style");
  screen.media = "screen";
  screen.textContent = "#handbook-store ~ * { display: none !important; }";
  document.head.append(screen);
  const sizes = [...store.content.querySelectorAll("template[data-chunk]")].map(
    (template) => template.content.textContent.length);
  const mark = document.createComment("book");  // the page around the book, for kept.py
  store.replaceWith(mark);
  const frame = document.documentElement.outerHTML;
  mark.replaceWith(store);
  return {sizes, targets: [...targets], frame};
}"""

# The template of a piece: the front matter, a chunk, or a session's first sheet.
FIND_PIECE = """const pieceTemplate = (store, piece) => store.content.querySelector(
    piece.front ? "template[data-front]"
      : piece.session ? `template[data-part="${piece.session}"]`
      : `template[data-chunk="${piece.chunk}"]`);"""

# Show one piece: the front matter, a chunk, or a session's first sheet; fill in the
# contents' numbers, point links that leave the piece at the site, start the page counter.
# Resolves once the piece's images are loaded and decoded: only then may it be printed.
SHOW = """([piece, numbers, placeholder, urls, targets, firstPage]) => {
  FIND_PIECE
  const store = document.getElementById("handbook-store");
  const article = store.parentNode;
  for (const child of [...article.children]) {
    if (child !== store) child.remove();
  }
  article.append(pieceTemplate(store, piece).content.cloneNode(true));
  const anchors = document.createElement("div");
  anchors.className = "handbook-anchors";
  anchors.setAttribute("aria-hidden", "true");
  for (const id of targets) {
    if (document.getElementById(id)) {
      const link = document.createElement("a");
      link.className = "handbook-anchor";
      link.setAttribute("href", "#" + encodeURIComponent(id));
      anchors.append(link);
    }
  }
  // Inside the first element shown, so that it shares its named page: no sheet of its own.
  const first = [...article.children].find(
    (e) => e !== store && !e.matches('span[id^="document-"]'));
  first.prepend(anchors);
  for (const box of document.querySelectorAll(".handbook-contents-page")) {
    box.textContent = numbers[box.dataset.anchor] ?? placeholder;
  }
  for (const link of article.querySelectorAll('a[href^="#"]')) {
    const id = decodeURIComponent(link.getAttribute("href").slice(1));
    if (id && !document.getElementById(id) && urls[id]) link.setAttribute("href", urls[id]);
  }
  let counter = document.getElementById("handbook-page-counter");
  if (!counter) {
    counter = document.createElement("style");
    counter.id = "handbook-page-counter";
    counter.media = "print";
    document.head.append(counter);
  }
  counter.textContent = `@page :first { counter-increment: page ${firstPage}; }`;
  const images = [...article.querySelectorAll("img")];
  return Promise.all(images.map((image) => image.decode().catch(() => null))).then(() => null);
}""".replace("FIND_PIECE", FIND_PIECE)

# What SHOW makes of a piece besides the page around it (see ``kept.py``): its HTML (as its
# SHA-256 digest, made here: the book's HTML is megabytes, a second per print to send over),
# the anchors it gets a hidden link for, its links that leave it (shown with the site's
# address) and the anchors of its contents boxes. Read from the store, without showing it.
RECIPE = """async ([piece, targets]) => {
  FIND_PIECE
  const store = document.getElementById("handbook-store");
  const article = store.parentNode;
  const template = pieceTemplate(store, piece);
  const ids = new Set([...template.content.querySelectorAll("[id]")].map((e) => e.id));
  const around = (id) => {
    const element = document.getElementById(id);
    return element !== null && !article.contains(element);
  };
  const shown = (id) => ids.has(id) || around(id);
  const links = [...template.content.querySelectorAll('a[href^="#"]')].map(
    (link) => decodeURIComponent(link.getAttribute("href").slice(1)));
  const boxes = [...template.content.querySelectorAll(".handbook-contents-page")];
  const bytes = new TextEncoder().encode(template.innerHTML);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return {
    html_sha256: [...digest].map((byte) => byte.toString(16).padStart(2, "0")).join(""),
    anchors: targets.filter(shown),
    leaving: [...new Set(links.filter((id) => id && !shown(id)))].sort(),
    boxes: boxes.map((box) => box.dataset.anchor),
  };
}""".replace("FIND_PIECE", FIND_PIECE)

T = TypeVar("T")

HINT_NAME = "handbook-print-pages.json"  # the chunks' first pages in the last print


@dataclass(frozen=True)
class Chunk:
    """A printed chunk of the book's body: its PDF and the book's page its first page is."""

    pdf: bytes
    first_page: int
    pages: int
    session: str = ""  # the session's part, for a session's chunk


@dataclass(frozen=True)
class Printed:
    """The numbered front matter and the body's chunks; the sessions' sheets go to a callback.

    ``reprinted_pages`` are the pages printed again because their numbers were guessed wrong;
    ``kept`` counts the pieces taken from the last print instead of printed (see ``kept.py``).
    """

    front: bytes
    chunks: tuple[Chunk, ...]
    seconds: dict[str, float] = field(default_factory=dict)
    prints: int = 0
    printed_pages: int = 0  # the pages Chromium laid out and printed, in all prints
    reprinted_pages: int = 0
    kept: int = 0


# Told of each chunk of the body as soon as it is printed (index, chunk): one numbered from a
# guess may come again, printed with the right numbers.
ChunkPrinted = Callable[[int, Chunk], None]


def shown(entries: tuple[Entry, ...]) -> list[str]:
    """The anchors whose page number the contents show (see ``front_matter.contents_html``)."""
    return [e.anchor for e in entries if e.document and e.level <= 2]


@dataclass
class _Printer:
    """The book loaded in one browser's page, with the count of its prints."""

    page: Page
    urls: dict[str, str]
    targets: list[str]
    kept: KeptPrints | None = None
    on_chunk: ChunkPrinted | None = None  # told of each chunk printed (or kept)
    prints: int = 0
    printed_pages: int = 0
    reused: int = 0  # pieces taken from ``kept`` instead

    def print(
        self, piece: dict[str, Any], numbers: dict[str, int] | None = None, first_page: int = 1
    ) -> bytes:
        """Show ``piece`` and print it, unless the last print kept it; on the browser's thread."""
        numbers = numbers or {}
        key = None
        if self.kept is not None:
            recipe = self.page.evaluate(RECIPE, [piece, self.targets])
            key = self.kept.key(recipe, first_page, numbers, self.urls)
            found = self.kept.get(key)
            if found is not None:
                self.reused += 1
                return found
        self.page.evaluate(SHOW, [piece, numbers, PLACEHOLDER, self.urls, self.targets, first_page])
        printed = self.page.pdf(**PDF_OPTIONS)
        self.prints += 1
        with pikepdf.open(io.BytesIO(printed)) as pdf:
            self.printed_pages += len(pdf.pages)
        if self.kept is not None and key is not None:
            self.kept.put(key, printed)
        return printed


@dataclass(frozen=True)
class _Body:
    """A printed chunk, with the page index (from 0) of each of its named destinations."""

    chunk: Chunk
    where: dict[str, int]
    seconds: float | None  # how long Chromium took to print it; None: kept from the last print

    def numbers(self) -> dict[str, int]:
        return {anchor: self.chunk.first_page + index for anchor, index in self.where.items()}


SessionPrinted = Callable[[SessionPart, bytes, Chunk], None]


def print_pdf(
    renderers: tuple[Renderer, ...],
    url: str,
    manifest: Manifest,
    on_session: SessionPrinted | None = None,
    hint: Path | None = None,
    kept: KeptPrints | None = None,
    on_chunk: ChunkPrinted | None = None,
) -> Printed:
    """Print ``url`` as described above, in the first two of ``renderers``.

    ``on_session`` is called with each session's first sheet and chunk as soon as both are
    printed with their final numbers, so they can be put together while the rest prints;
    without it, only what the book needs is printed. ``hint`` is the file that keeps the
    chunks' first pages from one print to the next; ``kept`` the pieces printed before;
    ``on_chunk`` is told of each chunk as it is printed.
    """
    printed, learnt = _print_all(
        renderers[:2], url, manifest, on_session, Hint.read(hint), kept, on_chunk
    )
    for address in sorted({a for renderer in renderers for a in renderer.refused}):
        print(f"warning: the print build asked for {address}; refused (offline)", file=sys.stderr)
    if hint is not None:
        learnt.write(hint)
    return printed


@dataclass(frozen=True)
class Hint:
    """What the last print found: each chunk's first page, print time and text length.

    None changes a byte of the PDFs: the first pages are checked, the times only share the
    chunks between the browsers, the lengths tell which chunks were edited since.
    """

    first_pages: list[int]
    seconds: list[float]
    sizes: list[int] = field(default_factory=list)

    @classmethod
    def read(cls, path: Path | None) -> Hint:
        """The hint kept in ``path``; an empty one if there is none (or it is unreadable)."""
        try:
            raw = json.loads(path.read_text(encoding="utf-8")) if path else {}
            first_pages = [int(page) for page in raw.get("first_pages", [])]
            seconds = [float(second) for second in raw.get("seconds", [])]
            sizes = [int(size) for size in raw.get("sizes", [])]
        except (OSError, ValueError, TypeError, AttributeError):
            return cls([], [])
        same = len(first_pages)
        return cls(
            first_pages,
            seconds if len(seconds) == same else [],
            sizes if len(sizes) == same else [],
        )

    def write(self, path: Path) -> None:
        seconds = [round(second, 2) for second in self.seconds]
        kept = {"first_pages": self.first_pages, "seconds": seconds, "sizes": self.sizes}
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(kept), encoding="utf-8")

    def edited(self, sizes: list[int], before: int) -> list[int]:
        """The chunks before ``before`` whose text length changed since the last print.

        Only these can have another page count (barring a change of style), so only they can
        move the page the second half starts on.
        """
        if len(self.sizes) != len(sizes):
            return []
        return [index for index in range(before) if self.sizes[index] != sizes[index]]


def _load(
    renderer: Renderer, url: str, manifest: Manifest, kept: KeptPrints | None, page: Page
) -> tuple[_Printer, list[int]]:
    """Load the book and split it into pieces; the printer of this page, the chunks' sizes."""
    renderer.load(page, url)
    split = page.evaluate(SPLIT, [[s.part for s in manifest.sessions], BOOK_TEMPLATE_ID])
    if kept is not None:
        kept.open(split["frame"], page.context.browser.version)  # type: ignore[union-attr]
    return _Printer(page, manifest.urls, split["targets"], kept), split["sizes"]


@contextmanager
def _timed(seconds: dict[str, float], phase: str) -> Iterator[None]:
    """Show ``phase`` while it runs and add its wall time to ``seconds``."""
    started = time.perf_counter()
    with PROGRESS.ticking(phase):
        yield
    seconds[phase] = seconds.get(phase, 0.0) + time.perf_counter() - started


def _call(renderer: Renderer, work: Callable[..., T], *args: Any) -> Future[T]:
    """``work(*args)`` on the renderer's thread, after the work given to it before."""
    return renderer.run(lambda _: work(*args))


def _pages(pdf: bytes) -> tuple[int, dict[str, int]]:
    """The page count, and the page index (from 0) of every named destination."""
    with pikepdf.open(io.BytesIO(pdf)) as opened:
        where = places(opened, destinations(opened))
        return len(opened.pages), {anchor: place.index for anchor, place in where.items()}


def middle(weights: list[float] | list[int]) -> int:
    """The first chunk of the second half: the split that shares the weights most evenly.

    The weights are the chunks' print times in the last print, else the lengths of their text.
    """
    total = sum(weights)
    return min(range(1, len(weights) + 1), key=lambda k: abs(total - 2 * sum(weights[:k])))


def _print_all(
    renderers: tuple[Renderer, ...],
    url: str,
    manifest: Manifest,
    on_session: SessionPrinted | None,
    hint: Hint,
    kept: KeptPrints | None,
    on_chunk: ChunkPrinted | None = None,
) -> tuple[Printed, Hint]:
    seconds: dict[str, float] = {}
    with _timed(seconds, "load the one-page book (two browsers)"):
        loading = [r.run(partial(_load, r, url, manifest, kept)) for r in renderers]
        (first, sizes), (second, _) = [future.result() for future in loading]
    printers = [first, second]
    for printer in printers:
        printer.on_chunk = on_chunk
    with _timed(seconds, "print the front matter"):
        front_pages, _ = _pages(_call(renderers[0], first.print, {"front": True}).result())
    session_of = {s.anchor: s for s in manifest.sessions}

    early: dict[int, Future[_Body]] = {}  # edited chunks of the first half, printed first
    again: list[int] = []  # the pages of early chunks printed again, numbered wrong

    def run(printer: _Printer, chunks: range, first_page: int, sheets: bool) -> list[_Body]:
        """Print ``chunks`` in order from ``first_page`` (an early chunk if its number is right).

        With ``sheets`` (where the numbers are sure), each session's first sheet follows its
        chunk at once.
        """
        done: list[_Body] = []
        numbers: dict[str, int] = {}
        for index in chunks:
            body = _taken(early, index, first_page, again) or _print_chunk(
                printer, index, first_page, session_of
            )
            done.append(body)
            numbers.update(body.numbers())
            first_page += body.chunk.pages
            if on_session is not None and body.chunk.session and sheets:
                session = next(s for s in manifest.sessions if s.part == body.chunk.session)
                on_session(session, printer.print({"session": session.part}, numbers), body.chunk)
        return done

    def ahead_then_run(edited: list[int] | None, chunks: range) -> list[_Body]:
        """Print the first half's ``edited`` chunks, then ``chunks`` from where they moved it."""
        if edited is None:
            return run(second, chunks, front_pages + 1, False)
        shift = front_pages + 1 - hint.first_pages[0]
        shift = _ahead(second, edited, hint, shift, early, session_of)
        return run(second, chunks, hint.first_pages[half] + shift, False)

    half, edited = _plan(hint, sizes)
    early.update((index, Future()) for index in edited or [])
    with _timed(seconds, "print the body (two browsers)"):
        halves = [
            _call(renderers[0], run, first, range(half), front_pages + 1, True),
            _call(renderers[1], ahead_then_run, edited, range(half, len(sizes))),
        ]
        bodies = [body for future in halves for body in future.result()]
    reprinted = sum(again) + _renumber(
        renderers, printers, bodies, front_pages + 1, session_of, seconds
    )
    numbers = {anchor: n for body in bodies for anchor, n in body.numbers().items()}
    missing = [anchor for anchor in shown(manifest.entries) if anchor not in numbers]
    if missing:
        raise ContentsError(f"no destination in the printed PDF for {', '.join(missing[:5])}")
    with _timed(seconds, "print the other first sheets and the numbered front matter"):
        numbered = _call(renderers[0], first.print, {"front": True}, numbers)
        later = [b.chunk for b in bodies[half:] if b.chunk.session] if on_session else []
        sheets = [
            _call(renderers[1 - i % 2], printers[1 - i % 2].print, {"session": c.session}, numbers)
            for i, c in enumerate(later)
        ]
        for chunk, sheet in zip(later, sheets, strict=True):
            session = next(s for s in manifest.sessions if s.part == chunk.session)
            on_session(session, sheet.result(), chunk)  # type: ignore[misc]
        front = numbered.result()
    if _pages(front)[0] != front_pages:
        raise ContentsError("the numbered contents take more pages than the first print's")
    printed = Printed(
        front,
        tuple(body.chunk for body in bodies),
        seconds,
        sum(p.prints for p in printers),
        sum(p.printed_pages for p in printers),
        reprinted,
        sum(p.reused for p in printers),
    )
    learnt = Hint([b.chunk.first_page for b in bodies], _times(bodies, hint), sizes)
    return printed, learnt


def _times(bodies: list[_Body], hint: Hint) -> list[float]:
    """Each chunk's print time; a kept chunk took none, so it keeps its last print's."""
    last = hint.seconds if len(hint.seconds) == len(bodies) else [0.0] * len(bodies)
    return [old if b.seconds is None else b.seconds for b, old in zip(bodies, last, strict=True)]


def _plan(hint: Hint, sizes: list[int]) -> tuple[int, list[int] | None]:
    """Where the second half starts, and the edited chunks before it (None: no usable hint)."""
    known = len(hint.first_pages) == len(sizes)
    half = middle(hint.seconds if known and hint.seconds else sizes)
    return half, hint.edited(sizes, half) if known and half < len(sizes) else None


def _taken(
    early: dict[int, Future[_Body]], index: int, first_page: int, again: list[int]
) -> _Body | None:
    """Chunk ``index`` as printed early, if numbered from ``first_page``.

    One numbered wrong is printed again: its pages go to ``again``.
    """
    body = early[index].result() if index in early else None
    if body is not None and body.chunk.first_page != first_page:
        again.append(body.chunk.pages)
        return None
    return body


def _ahead(
    printer: _Printer,
    edited: list[int],
    hint: Hint,
    shift: int,
    early: dict[int, Future[_Body]],
    session_of: dict[str, SessionPart],
) -> int:
    """Print the ``edited`` chunks of the first half, numbered from the last print's pages.

    The other chunks of the first half have the last print's page counts, so each first page
    is the hint's, moved by ``shift`` (the front matter's change) and by the edited chunks
    before it; it comes out right unless a chunk's pages changed unedited (then the first
    browser prints it again). Each goes to its future in ``early`` at once, for the first
    browser. Returns how far they move the second half's first page.
    """
    try:
        for index in edited:
            at = hint.first_pages[index] + shift
            body = _print_chunk(printer, index, at, session_of)
            early[index].set_result(body)
            shift += body.chunk.pages - (hint.first_pages[index + 1] - hint.first_pages[index])
    except BaseException as error:  # the first browser waits for them: let it stop too
        for future in early.values():
            if not future.done():
                future.set_exception(error)
        raise
    return shift


def _print_chunk(
    printer: _Printer, index: int, first_page: int, session_of: dict[str, SessionPart]
) -> _Body:
    started, reused = time.perf_counter(), printer.reused
    pdf = printer.print({"chunk": index}, None, first_page)
    seconds = time.perf_counter() - started if printer.reused == reused else None
    pages, where = _pages(pdf)
    session = next((session_of[a] for a in where if a in session_of), None)
    chunk = Chunk(pdf, first_page, pages, session.part if session else "")
    if printer.on_chunk is not None:
        printer.on_chunk(index, chunk)
    return _Body(chunk, where, seconds)


def _renumber(
    renderers: tuple[Renderer, ...],
    printers: list[_Printer],
    bodies: list[_Body],
    first_page: int,
    session_of: dict[str, SessionPart],
    seconds: dict[str, float],
) -> int:
    """Print again, in both browsers, every chunk whose first page was guessed wrong.

    Each round puts at least the first wrong chunk right (every chunk before it is), so this
    ends even if a chunk's page count were to depend on its numbers. Returns the pages printed
    again.
    """
    reprinted = 0
    while True:
        wrong, page = [], first_page
        for index, body in enumerate(bodies):
            if body.chunk.first_page != page:
                wrong.append((index, page))
            page += body.chunk.pages
        if not wrong:
            return reprinted
        with _timed(seconds, "print again what the last print's page numbers got wrong"):
            again = [
                (
                    index,
                    _call(renderers[i % 2], _print_chunk, printers[i % 2], index, at, session_of),
                )
                for i, (index, at) in enumerate(wrong)
            ]
            for index, future in again:
                bodies[index] = future.result()
                reprinted += bodies[index].chunk.pages
