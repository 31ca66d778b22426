"""The PDFs' file names, derived from the course data so that every link follows the edition.

The book is ``dtu-mlops-handbook-2026-january.pdf`` and each session's PDF adds the session,
``dtu-mlops-handbook-2026-january-s3.pdf``. The edition part comes from the edition's start date,
a validated date, so no free text from the data ever becomes part of a path. The site serves
them from ``PDF_DIR``; the build writes them to ``build/pdf/``.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import CourseDataError, Problem
from ..model import CourseData, Session

PDF_DIR = "pdf"
STEM = "dtu-mlops-handbook"
_SESSION_ID = re.compile(r"S\d+")


def edition_slug(data: CourseData) -> str:
    start = data.course.edition.start
    return f"{start.year}-{start.strftime('%B').lower()}"


def book_name(data: CourseData) -> str:
    return f"{STEM}-{edition_slug(data)}.pdf"


def session_name(data: CourseData, session: Session) -> str:
    if not _SESSION_ID.fullmatch(session.id):
        problem = f"the session id {session.id!r} names its PDF: write it as S and a number"
        raise CourseDataError([Problem(session.where, problem)])
    return f"{STEM}-{edition_slug(data)}-{session.id.lower()}.pdf"


def pdf_names(data: CourseData) -> list[str]:
    """Every PDF the build writes: the book, then one per session."""
    return [book_name(data), *(session_name(data, s) for s in data.sessions)]


def published_pdfs(source: Path) -> list[str]:
    """Where the site serves each PDF, relative to its root (for the internal link check)."""
    from ..data import load_course_data  # noqa: PLC0415 - only the build's publish step needs it

    data = load_course_data(source, "_data", "sessions")
    return [f"{PDF_DIR}/{name}" for name in pdf_names(data)]
