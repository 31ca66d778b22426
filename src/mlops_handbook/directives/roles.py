"""Inline roles: link a module or session by id, or show one course fact."""

from __future__ import annotations

import datetime as dt
import re

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxRole

from ..domain import handbook
from .common import doc_link, long_date, module_label

logger = logging.getLogger(__name__)

_TITLED = re.compile(r"(.+?)\s*<([\w.]+)>")


class _DataRole(SphinxRole):
    def fail(self, message: str) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        logger.warning(message, location=self.get_location(), type="handbook", subtype="role")
        return [nodes.literal(self.rawtext, self.text)], []


class ModuleRole(_DataRole):
    """``{module}`M5``` renders "M5 · Git" linked to the module's page."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        domain = handbook(self.env)
        data = domain.course
        ident = self.text.strip()
        if ident not in {m.id for m in data.modules}:
            return self.fail(f"unknown module {ident!r} (modules are M1 to M{len(data.modules)})")
        domain.note_use(self.env.docname, f"module:{ident}")
        module = data.module(ident)
        return [doc_link(data.module_docname(module), module_label(module))], []


class SessionRole(_DataRole):
    """``{session}`S3``` renders "S3 · Reproducibility" linked to the session's page."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        domain = handbook(self.env)
        data = domain.course
        ident = self.text.strip()
        if ident not in {s.id for s in data.sessions}:
            return self.fail(f"unknown session {ident!r}")
        domain.note_use(self.env.docname, f"session:{ident}")
        session = data.session(ident)
        text = f"{session.id} · {session.title}"
        return [doc_link(data.session_docname(session), text)], []


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
            if part == "where" or not hasattr(value, part):
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
