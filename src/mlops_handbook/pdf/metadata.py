"""The PDF's document information and language, which Chromium does not set from the page.

Dates are the sources' date (``epoch.py``), never the time of printing, so that printing the
same sources again gives the same bytes.
"""

from __future__ import annotations

import pikepdf

from .epoch import pdf_date
from .manifest import Metadata

CREATOR = "mlops_handbook (Sphinx print build, headless Chromium)"


def apply_metadata(pdf: pikepdf.Pdf, metadata: Metadata, epoch: int) -> None:
    """Title, author, subject, keywords, dates and language; viewers show the title."""
    when = pdf_date(epoch)
    info = pdf.docinfo
    info.Title = metadata.title
    info.Author = metadata.author
    info.Subject = metadata.subject
    info.Keywords = ", ".join(metadata.keywords)
    info.Creator = CREATOR
    info.CreationDate = when
    info.ModDate = when
    pdf.Root.Lang = metadata.language
    pdf.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
