"""Load the course data once: every file, every check, one error listing all problems."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .errors import CourseDataError, Location, Problem
from .loader import Broken, load_file
from .model import (
    ChecklistFile,
    Course,
    CourseData,
    FaqFile,
    Module,
    ModulesFile,
    SessionsFile,
    TasFile,
    TimeplanFile,
)
from .planner.checks import check_calendar, check_checklist
from .validate import Found, check_all, check_edition_bounds, linked_out

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
    the maintainer all there is to fix. The checks that need more than one file (the edition's
    bounds, the calendar, the checklist) run whenever the files they read are whole.
    """
    problems: list[Problem] = []
    files: dict[type, Any] = {}
    plan: TimeplanFile | None = None
    broken: list[Broken] = []
    for cls, filename in FILES.items():
        shown = f"{srcdir.name}/{data_dir}/{filename}"
        path = srcdir / data_dir / filename
        if outside := linked_out(path, srcdir):
            problems.append(Problem(Location(shown), outside))
            files[cls] = None
            continue
        value, found, gone = load_file(path, cls, shown)
        problems += found
        broken += gone
        files[cls] = value
        if cls is TimeplanFile:  # the bounds need every day, or the first or last is missing
            plan = None if gone else value
    found_records = Found.from_files(files, broken, sessions_dir)
    problems += check_all(found_records, srcdir) + _course_checks(found_records, plan)
    if problems or any(value is None for value in files.values()):
        raise CourseDataError(problems + _search_problems(srcdir, data_dir, found_records))
    return CourseData(
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


def _course_checks(found: Found, plan: TimeplanFile | None) -> list[Problem]:
    """The checks across files, each run when what it reads loaded without a broken record.

    A broken record would only be reported again, as missing; a problem in another file is no
    reason to keep these quiet (one mistake must not hide another).
    """
    problems: list[Problem] = []
    if found.calendar is not None:
        problems += check_calendar(found.calendar)
    if found.edition is not None and found.exam is not None and plan is not None:
        problems += check_edition_bounds(found.edition, found.exam, plan)
    if found.checklist is not None:
        problems += check_checklist(found.checklist, _module_ids(found))
    return problems


def _search_problems(srcdir: Path, data_dir: str, found: Found) -> list[Problem]:
    """``search.yaml``'s problems, when the course data's stop the build before it is read."""
    # The search package holds the Sphinx side of the search, which imports this module.
    from .search.vocabulary import search_file_problems  # noqa: PLC0415

    return search_file_problems(srcdir, data_dir, _module_ids(found))


def _module_ids(found: Found) -> set[str] | None:
    """Every module id, or None when one could not be read (a checklist may mean that one)."""
    if found.modules is None or any(b.cls is Module and "id" not in b.values for b in found.broken):
        return None
    return {m.id for m in found.modules} | found.broken_values(Module, "id")
