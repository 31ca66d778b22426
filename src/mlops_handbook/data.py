"""Load the course data once: every file, every check, one error listing all problems."""

from __future__ import annotations

from pathlib import Path

from .errors import CourseDataError, Problem
from .loader import load_file
from .model import (
    Course,
    CourseData,
    FaqFile,
    ModulesFile,
    SessionsFile,
    TasFile,
    TimeplanFile,
)
from .validate import check_days, check_pages, check_references

FILES = {
    "course": ("course.yaml", Course),
    "sessions": ("sessions.yaml", SessionsFile),
    "modules": ("modules.yaml", ModulesFile),
    "timeplan": ("timeplan.yaml", TimeplanFile),
    "tas": ("tas.yaml", TasFile),
    "faq": ("faq.yaml", FaqFile),
}


def load_course_data(srcdir: Path, data_dir: str, sessions_dir: str) -> CourseData:
    """Return the validated course data, or raise one error naming every problem."""
    problems: list[Problem] = []
    loaded = {}
    for name, (filename, cls) in FILES.items():
        shown = f"{srcdir.name}/{data_dir}/{filename}"
        value, found = load_file(srcdir / data_dir / filename, cls, shown)
        problems += found
        loaded[name] = value
    if problems or any(value is None for value in loaded.values()):
        raise CourseDataError(problems)
    data = CourseData(
        course=loaded["course"],
        sessions=loaded["sessions"].sessions,
        modules=loaded["modules"].modules,
        days=loaded["timeplan"].days,
        tas=loaded["tas"],
        faq=loaded["faq"],
        sessions_dir=sessions_dir,
        holidays=loaded["timeplan"].holidays,
    )
    problems = check_references(data) + check_days(data)
    if not problems:
        problems = check_pages(data, srcdir)
    if problems:
        raise CourseDataError(problems)
    return data
