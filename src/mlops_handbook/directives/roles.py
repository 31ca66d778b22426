"""Inline roles: link a module or session by id, or show one course fact."""

from __future__ import annotations

import datetime as dt
import re

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxRole

from ..domain import handbook
from ..model import Module
from .common import doc_link, long_date

logger = logging.getLogger(__name__)

_TITLED = re.compile(r"(.+?)\s*<([\w.]+)>")


class _DataRole(SphinxRole):
    def fail(self, message: str) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        logger.warning(message, location=self.get_location(), type="handbook", subtype="role")
        return [nodes.literal(self.rawtext, self.text)], []


class _LinkRole(_DataRole):
    """Links a module or session by its id, named by its label from the data."""

    kind: str

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        domain = handbook(self.env)
        data = domain.course
        ident = self.text.strip()
        records = data.modules if self.kind == "module" else data.sessions
        record = next((r for r in records if r.id == ident), None)
        if record is None:
            known = f"{records[0].id} to {records[-1].id}" if records else "none"
            return self.fail(f"unknown {self.kind} {ident!r} (known: {known})")
        domain.note_use(self.env.docname, f"{self.kind}:{ident}")
        if isinstance(record, Module):
            docname = data.module_docname(record)
        else:
            docname = data.session_docname(record)
        return [doc_link(docname, record.label)], []


class ModuleRole(_LinkRole):
    """``{module}`M5``` renders "M5 · Git" linked to the module's page."""

    kind = "module"


class SessionRole(_LinkRole):
    """``{session}`S3``` renders "S3 · Reproducibility" linked to the session's page."""

    kind = "session"


class FactRole(_DataRole):
    """``{fact}`edition.start``` shows one value of course.yaml; a URL becomes a link.

    ``{fact}`the recordings <links.lecture_recordings>``` links a URL fact with your own words.
    """

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        domain = handbook(self.env)
        match = _TITLED.fullmatch(self.text.strip())
        title, path = (match[1], match[2]) if match else (None, self.text.strip())
        value: object = domain.course.course
        for part in path.split("."):
            # Only the fields of the data: never an attribute of Python's (``__class__``).
            if part == "where" or part not in getattr(value, "__dataclass_fields__", {}):
                return self.fail(f"course.yaml has no fact {path!r}")
            value = getattr(value, part)
        if isinstance(value, tuple | list) or hasattr(value, "__dataclass_fields__"):
            return self.fail(f"fact {path!r} is not a single value")
        domain.note_use(self.env.docname, "course")
        text = long_date(value) if isinstance(value, dt.date) else str(value)
        if text.startswith(("https://", "http://")):
            return [nodes.reference(title or text, title or text, refuri=text)], []
        if title:
            return self.fail(f"fact {path!r} is not a URL, so it cannot take a link title")
        return [nodes.inline(text, text, classes=["handbook-fact"])], []
