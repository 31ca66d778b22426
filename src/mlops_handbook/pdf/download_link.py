"""The "PDF" buttons in the header of the site's pages.

Every page links the book; a session's page and its modules' pages also link the session's
own PDF. The names come from the data (``names.py``), so they follow the edition.
"""

from __future__ import annotations

import html
from typing import Any

from sphinx.application import Sphinx

from ..domain import handbook
from ..model import CourseData, Session
from .mode import is_print_build
from .names import PDF_DIR, book_name, session_name


def session_of(data: CourseData, pagename: str) -> Session | None:
    """The session whose page, or one of whose modules' pages, this is."""
    module = data.module_for_doc(pagename)
    if module is not None:
        return data.session(module.session)
    return next((s for s in data.sessions if data.session_docname(s) == pagename), None)


def add_download_button(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: object
) -> None:
    """Add links to the PDFs (in the site's ``pdf/`` folder) to sphinx-book-theme's buttons.

    On a session's pages both PDFs sit in one menu, which is as narrow as one button: two
    buttons made the header wider than a phone's screen.
    """
    if is_print_build(app) or "header_buttons" not in context:
        return
    data = handbook(app.env).course
    book = {
        "type": "link",
        "url": context["pathto"](f"{PDF_DIR}/{book_name(data)}", 1),
        "text": "PDF",
        "tooltip": "Download the whole handbook as one PDF",
        "icon": "fas fa-file-pdf",
        "label": "download-book-pdf",
    }
    session = session_of(data, pagename)
    if session is None:
        context["header_buttons"].append(book)
        return
    own = {
        "type": "link",
        "url": context["pathto"](f"{PDF_DIR}/{session_name(data, session)}", 1),
        # The theme pastes button text into its HTML as it is: data must arrive escaped.
        "text": f"{html.escape(session.label)} (PDF)",
        "tooltip": f"Download {html.escape(session.label)} as a PDF",
        "icon": "fas fa-file-pdf",
        "label": "download-session-pdf",
    }
    book["text"] = "The whole handbook (PDF)"
    context["header_buttons"].append(
        {
            "type": "group",
            "tooltip": "Download as PDF",
            "icon": "fas fa-file-pdf",
            "label": "download-pdf",
            "buttons": [own, book],
        }
    )
