"""The "Download PDF" button in the header of every page of the site."""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from .mode import is_print_build

PDF_NAME = "dtu-mlops-handbook.pdf"  # at the site root, and in build/pdf/


def add_download_button(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: object
) -> None:
    """Add a link to the book's PDF (at the site root) to sphinx-book-theme's header buttons."""
    if is_print_build(app) or "header_buttons" not in context:
        return
    context["header_buttons"].append(
        {
            "type": "link",
            "url": context["pathto"](PDF_NAME, 1),
            "text": "PDF",
            "tooltip": "Download the whole handbook as one PDF",
            "icon": "fas fa-file-pdf",
            "label": "download-book-pdf",
        }
    )
