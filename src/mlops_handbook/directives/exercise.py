"""The ``{ex}`` role: an exercise's level and time, shown as two badges."""

from __future__ import annotations

import re

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxRole

from .common import badge

logger = logging.getLogger(__name__)

UNREAD_CLASS = "handbook-exercise-unread"

_META = re.compile(r"(?P<level>core|stretch)\s+(?P<minutes>\d{1,3})\s*min")


def parse_meta(text: str) -> tuple[str, int] | None:
    """``"core 20 min"`` → ``("core", 20)``; anything else → None."""
    match = _META.fullmatch(text.strip())
    if match is None or int(match["minutes"]) == 0:
        return None
    return match["level"], int(match["minutes"])


class ExerciseRole(SphinxRole):
    """``{ex}`core 20 min``` opens an exercise: a level (core or stretch) and a time estimate.

    The level tells a student what the session expects of everyone; the time lets them plan
    the exercise day. Both are one role so an exercise cannot carry one without the other.
    """

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        meta = parse_meta(self.text)
        if meta is None:
            logger.warning(
                f"exercise level and time {self.text!r} not understood: write "
                "{ex}`core 20 min` or {ex}`stretch 45 min` (minutes from 1 to 999)",
                location=self.get_location(),
                type="handbook",
                subtype="exercise",
            )
            # Marked, so that the exercise check does not warn a second time about this item.
            return [nodes.literal(self.rawtext, self.text, classes=[UNREAD_CLASS])], []
        level, minutes = meta
        tone = "primary" if level == "core" else "secondary"
        container = nodes.inline(
            classes=["handbook-exercise-meta", f"handbook-exercise-{level}"],
            level=level,
            minutes=minutes,
        )
        container += badge("Core" if level == "core" else "Stretch", tone)
        container += nodes.Text(" ")
        container += badge(f"≈ {minutes} min", "info")
        return [container], []
