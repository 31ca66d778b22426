"""Print a finished print build to the book's PDF and the sessions' PDFs.

Every PDF is checked and then written next to its final name and renamed, all of them only
after all printed well, so a failure leaves the previous PDFs as they were. pikepdf (qpdf)
writes them: it keeps the structure tree of Chromium's tagged PDF, and with a deterministic
file identifier and the sources' date, the same sources give the same bytes.
"""

from __future__ import annotations

import io
import os
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import pikepdf

from ..links.pdf import check_pdf
from ..progress import PROGRESS
from .browser import find_browser
from .contents import places, splice_front
from .manifest import Manifest, SessionPart
from .metadata import apply_metadata
from .outline import add_outline
from .printer import print_pdf
from .server import serve_directory
from .structure_ids import renumber_ids


class BrokenLinksError(RuntimeError):
    """A printed PDF has an internal link or bookmark that lands on no page."""


@dataclass
class Report:
    """What was written, with each PDF's page count, and the time of each phase."""

    pages: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    prints: int = 0


def print_book(html: Path, out: Path, browser: Path | None = None) -> Report:
    """Print the print build in ``html`` into the folder ``out``; see the module's docstring."""
    manifest = Manifest.read(html)
    executable = browser or find_browser()
    with serve_directory(html) as base:
        printed = print_pdf(executable, base + manifest.page, manifest)
    report = Report(seconds=dict(printed.seconds), prints=printed.prints)
    started = time.perf_counter()
    with PROGRESS.ticking("bookmarks and metadata: the book"):
        pdfs = {manifest.book_file: finish_book(printed.book, printed.front, manifest)}
    for number, session in enumerate(manifest.sessions, start=1):
        with PROGRESS.ticking(
            f"bookmarks and metadata: {session.label} ({number}/{len(manifest.sessions)})"
        ):
            pdfs[session.file] = finish_session(printed.sessions[session.file], session, manifest)
    report.seconds["bookmarks, metadata, write"] = time.perf_counter() - started
    started = time.perf_counter()
    with PROGRESS.ticking("checking links and writing the PDFs"):
        write_all(pdfs, out)
    report.seconds["check links, publish"] = time.perf_counter() - started
    for name, data in pdfs.items():
        with pikepdf.open(io.BytesIO(data)) as pdf:
            report.pages[name] = len(pdf.pages)
    return report


def finish_book(book: bytes, front: bytes, manifest: Manifest) -> bytes:
    with pikepdf.open(io.BytesIO(book)) as pdf, pikepdf.open(io.BytesIO(front)) as numbered:
        where = places(pdf, [entry.anchor for entry in manifest.entries])
        splice_front(pdf, numbered, min(place.index for place in where.values()))
        add_outline(pdf, manifest.entries, where)
        apply_metadata(pdf, manifest.metadata, manifest.epoch)
        return save(pdf)


def finish_session(printed: bytes, session: SessionPart, manifest: Manifest) -> bytes:
    entries = manifest.session_entries(session)
    meta = manifest.metadata
    metadata = replace(
        meta,
        title=f"{meta.title}, {session.label}",
        subject=f"{session.label}: {meta.subject}",
        keywords=(*meta.keywords[:3], session.label),
    )
    with pikepdf.open(io.BytesIO(printed)) as pdf:
        add_outline(pdf, entries, places(pdf, [entry.anchor for entry in entries]))
        apply_metadata(pdf, metadata, manifest.epoch)
        return save(pdf)


def save(pdf: pikepdf.Pdf) -> bytes:
    """Compact (object streams) and reproducible (the file id is a hash of the content)."""
    renumber_ids(pdf)
    stream = io.BytesIO()
    pdf.save(
        stream,
        deterministic_id=True,
        compress_streams=True,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
    )
    return stream.getvalue()


def write_all(pdfs: dict[str, bytes], out: Path) -> None:
    """Check every PDF's links, then put all of them in place; remove PDFs no longer made."""
    out.mkdir(parents=True, exist_ok=True)
    partials = {out / f".{name}.partial": out / name for name in pdfs}
    try:
        problems = []
        for partial, name in zip(partials, pdfs, strict=True):
            partial.write_bytes(pdfs[name])
            problems += [f"{name}: {problem}" for problem in check_pdf(partial)]
        if problems:
            raise BrokenLinksError("\n".join(problems))
        for partial, final in partials.items():
            os.replace(partial, final)
    finally:
        for partial in partials:
            partial.unlink(missing_ok=True)
    for stale in out.glob("*.pdf"):
        if stale.name not in pdfs:
            stale.unlink()
