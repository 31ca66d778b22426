"""Errors that point a maintainer at the exact place in the course data to fix."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Location:
    """A place in a source file; lines count from 1, as editors show them."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


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
        self.problems = sorted(problems)

    def __str__(self) -> str:
        count = len(self.problems)
        header = f"{count} problem{'s' if count != 1 else ''} in the course data:"
        return "\n".join([header, *(f"  {p}" for p in self.problems)])
