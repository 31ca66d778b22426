"""Print a finished print build to the book's PDF, replacing the old PDF only on success."""

from __future__ import annotations

import io
import os
from pathlib import Path

from pypdf import PdfReader, PdfWriter

from .browser import find_browser
from .contents import places, splice_front
from .manifest import Manifest
from .metadata import apply_metadata
from .outline import add_outline
from .printer import print_pdf
from .server import serve_directory


def print_book(html: Path, out: Path, browser: Path | None = None) -> Path:
    """Print the print build in ``html`` to ``out``; on any failure ``out`` is left as it was."""
    manifest = Manifest.read(html)
    executable = browser or find_browser()
    anchors = [entry.anchor for entry in manifest.entries]
    with serve_directory(html) as base:
        printed = print_pdf(executable, base + manifest.page, anchors)
    reader = PdfReader(io.BytesIO(printed.book))
    where = places(reader, anchors)
    writer = PdfWriter(clone_from=reader)
    splice_front(writer, PdfReader(io.BytesIO(printed.front)), min(p.index for p in where.values()))
    add_outline(writer, manifest.entries, where)
    apply_metadata(writer, manifest.metadata)
    write_atomically(writer, out)
    return out


def write_atomically(writer: PdfWriter, out: Path) -> None:
    """Write next to ``out`` and rename, so readers never see half a PDF."""
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.partial")
    try:
        with partial.open("wb") as stream:
            writer.write(stream)
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
