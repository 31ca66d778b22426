"""Load the course data once: every file, every check, one error listing all problems."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .errors import CourseDataError, Problem
from .loader import Broken, load_file
from .model import (
    ChecklistFile,
    Course,
    CourseData,
    FaqFile,
    ModulesFile,
    SessionsFile,
    TasFile,
    TimeplanFile,
)
from .planner.checks import check_planner
from .validate import Found, check_all, check_edition_bounds

FILES = {
    Course: "course.yaml",
    SessionsFile: "sessions.yaml",
    ModulesFile: "modules.yaml",
    TimeplanFile: "timeplan.yaml",
    TasFile: "tas.yaml",
    FaqFile: "faq.yaml",
    ChecklistFile: "checklist.yaml",
}


def load_course_data(srcdir: Path, data_dir: str, sessions_dir: str) -> CourseData:
    """Return the validated course data, or raise one error naming every problem.

    Every file is read and every cross-check runs, whatever else is wrong, so one build shows
    the maintainer all there is to fix. The checks that need the whole course (the edition's
    bounds, the calendar, the checklist) run whenever every file could be read.
    """
    problems: list[Problem] = []
    files: dict[type, Any] = {}
    broken: list[Broken] = []
    for cls, filename in FILES.items():
        shown = f"{srcdir.name}/{data_dir}/{filename}"
        value, found, gone = load_file(srcdir / data_dir / filename, cls, shown)
        problems += found
        broken += gone
        files[cls] = value
    problems += check_all(Found.from_files(files, broken, sessions_dir), srcdir)
    if any(value is None for value in files.values()):
        raise CourseDataError(problems)
    data = CourseData(
        course=files[Course],
        sessions=files[SessionsFile].sessions,
        modules=files[ModulesFile].modules,
        days=files[TimeplanFile].days,
        tas=files[TasFile],
        faq=files[FaqFile],
        sessions_dir=sessions_dir,
        checklist=files[ChecklistFile].items,
        holidays=files[TimeplanFile].holidays,
    )
    if not broken:  # a broken record would only be reported again, as missing
        problems += check_edition_bounds(data) + check_planner(data)
    if problems:
        raise CourseDataError(problems)
    return data
