"""Errors that point a maintainer at the exact place in the course data to fix."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SHOWN_CHARACTERS = 60


def clip(text: str, limit: int = SHOWN_CHARACTERS) -> str:
    """Text from the data cut so that a message never echoes a whole file."""
    if len(text) <= limit:
        return text
    return f"{text[: limit - 1]}… ({len(text):,} characters)"


def shorten(value: object, limit: int = SHOWN_CHARACTERS) -> str:
    """``repr`` of a value from the data, quoted and clipped."""
    text = repr(value)
    if len(text) <= limit:
        return text
    length = len(value) if isinstance(value, str) else len(text)
    return f"{text[: limit - 1]}… ({length:,} characters)"


@dataclass(frozen=True, order=True)
class Location:
    """A place in a source file; lines and columns count from 1, as editors show them.

    Line 0 means the file as a whole (it is missing, say); column 0 means "not known".
    """

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.path
        if not self.column:
            return f"{self.path}:{self.line}"
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the data, with where it is and what would be right."""

    where: Location
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class CourseDataError(SystemExit):
    """Stops the build: half-valid course data must never reach a published page.

    It is a ``SystemExit`` (status 2) because each problem has already been reported as a
    located error; Sphinx would otherwise bury them under a crash report meant for its own bugs.
    """

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(2)
        self.problems = sorted(set(problems))

    @property
    def summary(self) -> str:
        """One closing line for the log, after every problem has been reported on its own."""
        count = len(self.problems)
        return (
            f"the build stopped: {count} problem{'s' if count != 1 else ''} in the course data, "
            "each reported above with the file and line to fix"
        )

    def log(self, logger: Any) -> None:
        """Report each problem as a located error on a Sphinx logger, then the closing line."""
        for problem in self.problems:
            if problem.where.line:
                logger.error(problem.message, location=str(problem.where), type="handbook")
            else:  # Sphinx would take a location without a line for a page name
                logger.error(str(problem), type="handbook")
        logger.error(self.summary, type="handbook")

    def __str__(self) -> str:
        count = len(self.problems)
        header = f"{count} problem{'s' if count != 1 else ''} in the course data:"
        return "\n".join([header, *(f"  {p}" for p in self.problems)])
