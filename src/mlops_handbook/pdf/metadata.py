"""The PDF's document information and language, which Chromium does not set from the page."""

from __future__ import annotations

from pypdf import PdfWriter
from pypdf.generic import BooleanObject, DictionaryObject, NameObject, TextStringObject

from .manifest import Metadata


def apply_metadata(writer: PdfWriter, metadata: Metadata) -> None:
    """Title, author, subject, keywords and language; viewers show the title, not the file."""
    writer.add_metadata(
        {
            "/Title": metadata.title,
            "/Author": metadata.author,
            "/Subject": metadata.subject,
            "/Keywords": ", ".join(metadata.keywords),
            "/Creator": "mlops_handbook (Sphinx print build, headless Chromium)",
        }
    )
    root = writer.root_object
    root[NameObject("/Lang")] = TextStringObject(metadata.language)
    root[NameObject("/ViewerPreferences")] = DictionaryObject(
        {NameObject("/DisplayDocTitle"): BooleanObject(True)}
    )
