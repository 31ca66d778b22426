"""Build state: the loaded course data and which pages show which part of it.

Recording, per page, a digest of each piece of data it rendered lets an edit to the data
rebuild exactly the pages that show the edited records, and nothing else.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Set
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.domains import Domain
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from .config import HandbookConfig
from .data import load_course_data
from .errors import CourseDataError
from .model import CourseData

logger = logging.getLogger(__name__)


def _digest(value: object) -> str:
    return hashlib.sha1(repr(value).encode(), usedforsecurity=False).hexdigest()


def lookup(data: CourseData, key: str) -> object:
    """The data behind a dependency key such as ``module:M5`` or ``tas``."""
    kind, _, ident = key.partition(":")
    match kind:
        case "course":
            return data.course
        case "sessions":
            return data.sessions
        case "session":
            return next((s for s in data.sessions if s.id == ident), None)
        case "module":
            module = next((m for m in data.modules if m.id == ident), None)
            return module, module and data.module_docname(module)
        case "modules-of":
            return [(m, data.module_docname(m)) for m in data.modules_of(ident)]
        case "day-of":
            return data.day_of(ident)
        case "timeplan":
            return data.days, data.sessions
        case "tas":
            return data.tas
        case "faq":
            return data.faq
        case "checklist":
            return data.checklist
        case "pdf-sizes":  # ident: the folder the PDFs are printed to
            from .pdf.names import pdf_names  # noqa: PLC0415 - the pdf package imports this one

            return [(name, _size(Path(ident, name))) for name in pdf_names(data)]
    raise KeyError(key)


def _size(path: Path) -> int | None:
    """The file's size; None when it does not exist (a PDF not printed yet)."""
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return None


# The records kept per page: cleared when the page is re-read, merged from parallel readers.
PER_PAGE = ("uses", "toctrees", "exercises")


class HandbookDomain(Domain):
    """Holds the course data for directives and the per-page record of what they used."""

    name = "handbook"
    label = "Course handbook"
    # uses: per page, the data it showed; toctrees and navigation: see navigation.py;
    # exercises: see exercises.py.
    initial_data: dict[str, Any] = {  # noqa: RUF012
        "uses": {},
        "toctrees": {},
        "navigation": "",
        "exercises": {},
    }

    @property
    def uses(self) -> dict[str, dict[str, str]]:
        return self.data["uses"]

    @property
    def toctrees(self) -> dict[str, str]:
        return self.data["toctrees"]

    @property
    def navigation(self) -> str:
        return self.data["navigation"]

    @navigation.setter
    def navigation(self, digest: str) -> None:
        self.data["navigation"] = digest

    @property
    def course(self) -> CourseData:
        return self.env.handbook_data  # type: ignore[attr-defined]

    def note_use(self, docname: str, key: str) -> None:
        self.uses.setdefault(docname, {})[key] = _digest(lookup(self.course, key))

    def clear_doc(self, docname: str) -> None:
        for key in PER_PAGE:
            self.data[key].pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for docname in docnames:
            for key in PER_PAGE:
                if docname in otherdata[key]:
                    self.data[key][docname] = otherdata[key][docname]

    def outdated(self) -> Iterable[str]:
        """Pages that showed data which is different now."""
        for docname, used in self.uses.items():
            for key, digest in used.items():
                try:
                    current = _digest(lookup(self.course, key))
                except KeyError:
                    current = ""
                if current != digest:
                    yield docname
                    break


def handbook(env: BuildEnvironment) -> HandbookDomain:
    return env.get_domain("handbook")  # type: ignore[return-value]


def load_data(app: Sphinx) -> None:
    """Load and validate the data once per build, before any page is read."""
    config = HandbookConfig.from_sphinx(app.config)
    try:
        data = load_course_data(Path(app.srcdir), config.data_dir, config.sessions_dir)
    except CourseDataError as error:
        error.log(logger)
        raise
    app.env.handbook_data = data  # type: ignore[attr-defined]


def outdated_docs(
    app: Sphinx, env: BuildEnvironment, added: Set[str], changed: Set[str], removed: Set[str]
) -> list[str]:
    return [d for d in handbook(env).outdated() if d not in removed]


def setup_domain(app: Sphinx) -> None:
    app.add_domain(HandbookDomain)
    app.connect("builder-inited", load_data, priority=400)
    app.connect("env-get-outdated", outdated_docs)
