"""The typed course model that every page, table and the PDF are generated from.

Records are frozen so that a directive cannot change what another page shows. ``where`` is
excluded from comparison and repr, so moving a record within its file changes nothing built.
"""

from __future__ import annotations

import bisect
import datetime as dt
import sys
from dataclasses import dataclass, field
from typing import Literal, Self

from .errors import Location
from .names import (
    EMAIL,
    MODULE_ID,
    SESSION_ID,
    URL,
    file_name,
    nonempty,
    positive,
    prose,
    slug,
    written_as,
)

ModuleKind = Literal["core", "optional"]
DayKind = Literal["exercise", "project"]


def _nowhere() -> Location:
    return Location("<unknown>", 0)


class MystText(str):
    """A field that is MyST Markdown by design; it knows the file and line it was written at.

    Its warnings must point at the YAML, not at the page that shows it. As a ``str`` it
    compares and digests by its text only, like ``where`` on a record.
    """

    source: str = ""
    line: int = 0
    # Where the file's line changes along the text, as (character index, line): folded and
    # quoted YAML joins lines of the file, so the text's own lines are not the file's.
    breaks: tuple[tuple[int, int], ...] = ()

    def at(self, source: str, lines: list[int]) -> MystText:
        """Note the file and the line each character was written on (``lines``, one each)."""
        self.source = source
        self.breaks = tuple((i, n) for i, n in enumerate(lines) if not i or n != lines[i - 1])
        self.line = self.breaks[0][1] if self.breaks else 0
        return self

    def line_at(self, index: int) -> int:
        """The file's line of the character at ``index``."""
        found = bisect.bisect_right(self.breaks, (index, sys.maxsize)) - 1
        return self.breaks[found][1] if found >= 0 else self.line

    def line_of(self, offset: int, written: str = "", nth: int = 0) -> int:
        """The file's line of the text's line ``offset`` (from 0), or of ``written`` after it.

        ``written`` is what a warning names (a role, a target), looked for up to the end of
        the paragraph: in folded YAML one line of the text holds several lines of the file.
        """
        if not self.breaks:
            return self.line + offset
        start = 0
        for _ in range(max(offset, 0)):
            start = self.find("\n", start) + 1 or start
        end = self.find("\n\n", start)  # a paragraph goes on over the text's lines
        end = len(self) if end < 0 else end
        index, search = start, start
        for _ in range(nth + 1 if written else 0):
            found = self.find(written, search, end)
            if found < 0:
                break
            index, search = found, found + 1
        return self.line_at(index)


@dataclass(frozen=True, kw_only=True)
class Record:
    """Base for records that remember the file and line they came from."""

    where: Location = field(default_factory=_nowhere, compare=False, repr=False)

    def place(self, name: str) -> Location:
        """Where the value of the key ``name`` was written; the record's own line if unknown.

        A check that finds one value wrong (a time, a date, a reference) points at it, not at
        the key that opens the record. The loader keeps these places beside the fields, out of
        comparison, repr and the {fact} role's reach.
        """
        spots: dict[str, Location] = self.__dict__.get("_spots", {})
        return spots.get(name, self.where)

    def placed(self, spots: dict[str, Location]) -> Self:
        """This record, knowing where each key's value was written (see :meth:`place`)."""
        object.__setattr__(self, "_spots", spots)
        return self


@dataclass(frozen=True, kw_only=True)
class Person(Record):
    name: str
    title: str
    email: str = field(metadata=written_as(EMAIL))
    homepage: str | None = field(default=None, metadata=written_as(URL))


@dataclass(frozen=True, kw_only=True)
class Edition(Record):
    label: str
    start: dt.date
    end: dt.date
    # The handbook's release for this edition, shown on the PDF's cover.
    version: str | None = None


@dataclass(frozen=True, kw_only=True)
class Links(Record):
    repository: str = field(metadata=written_as(URL))
    course_catalogue: str = field(metadata=written_as(URL))
    dtu_learn: str = field(metadata=written_as(URL))
    slack_invite: str = field(metadata=written_as(URL))
    lecture_recordings: str = field(metadata=written_as(URL))


@dataclass(frozen=True, kw_only=True)
class Help(Record):
    places: tuple[str, ...] = field(metadata=nonempty())
    teacher_hours: str = field(metadata=prose())
    ta_hours: str = field(metadata=prose())
    exercise_day: str = field(metadata=prose())
    project_day: str = field(metadata=prose())


@dataclass(frozen=True, kw_only=True)
class Channel(Record):
    name: str
    purpose: str = field(metadata=prose())


@dataclass(frozen=True, kw_only=True)
class Slack(Record):
    workspace: str
    channels: tuple[Channel, ...] = field(metadata=nonempty())
    note: str = field(metadata=prose())


@dataclass(frozen=True, kw_only=True)
class Cloud(Record):
    provider: str
    dtu_credit: str = field(metadata=prose())
    new_account_credit: str = field(metadata=prose())


@dataclass(frozen=True, kw_only=True)
class Exam(Record):
    format: str = field(metadata=prose())
    deadline: dt.date
    hand_in: str = field(metadata=prose())
    validator: str = field(metadata=prose())


@dataclass(frozen=True, kw_only=True)
class Calendar(Record):
    """When a course day runs and at what time on the exam's deadline the hand-in closes."""

    timezone: str
    day_starts: str
    day_ends: str
    deadline_time: str


@dataclass(frozen=True, kw_only=True)
class Course(Record):
    code: str
    name: str
    short_name: str
    edition: Edition
    ects: int = field(metadata=positive())
    level: str
    length: str
    workload: str = field(metadata=prose())
    grading: str = field(metadata=prose())
    assessment: str = field(metadata=prose())
    pass_rate: str
    group_size: str
    teacher: Person
    co_responsible: Person | None = None
    links: Links
    help: Help
    slack: Slack
    cloud: Cloud
    exam: Exam
    calendar: Calendar
    # Plain text shown at the top of every page of the site, e.g. a room change; optional.
    announcement: str | None = field(default=None, metadata=prose())


@dataclass(frozen=True, kw_only=True)
class Session(Record):
    id: str = field(metadata=slug(SESSION_ID))
    title: str
    folder: str = field(metadata=file_name())
    intro: MystText
    lecture: str | None = field(default=None, metadata=prose())
    frameworks: tuple[str, ...] = ()
    slack: str | None = None

    @property
    def label(self) -> str:
        """How pages, navigation and the PDF name the session: "S3 · Reproducibility"."""
        return f"{self.id} · {self.title}"


@dataclass(frozen=True, kw_only=True)
class Module(Record):
    id: str = field(metadata=slug(MODULE_ID))
    title: str
    session: str = field(metadata=slug(SESSION_ID))
    kind: ModuleKind
    page: str = field(metadata=file_name())
    summary: str = field(metadata=prose())

    @property
    def label(self) -> str:
        """How links and cards name the module: "M10 · Docker"."""
        return f"{self.id} · {self.title}"


@dataclass(frozen=True, kw_only=True)
class Day(Record):
    date: dt.date
    kind: DayKind
    session: str | None = field(default=None, metadata=slug(SESSION_ID))
    lecture: str | None = field(default=None, metadata=prose())
    note: str | None = field(default=None, metadata=prose())


@dataclass(frozen=True, kw_only=True)
class TeachingAssistant(Record):
    name: str
    hours: str | None = None


ChecklistWeek = Literal["1", "2", "3", "extra"]


@dataclass(frozen=True, kw_only=True)
class ChecklistItem(Record):
    """One item of the project checklist; ``id`` keeps a student's tick when the text changes."""

    id: str
    text: str = field(metadata=prose())
    week: ChecklistWeek
    modules: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class FaqCategory(Record):
    id: str = field(metadata=slug())
    title: str


@dataclass(frozen=True, kw_only=True)
class FaqEntry(Record):
    id: str = field(metadata=slug())
    category: str = field(metadata=slug())
    question: str = field(metadata=prose())
    answer: MystText


# The top level of each data file.


@dataclass(frozen=True, kw_only=True)
class ChecklistFile(Record):
    items: tuple[ChecklistItem, ...]


@dataclass(frozen=True, kw_only=True)
class SessionsFile(Record):
    sessions: tuple[Session, ...]


@dataclass(frozen=True, kw_only=True)
class ModulesFile(Record):
    modules: tuple[Module, ...]


@dataclass(frozen=True, kw_only=True)
class TimeplanFile(Record):
    days: tuple[Day, ...] = field(metadata=nonempty())
    holidays: tuple[dt.date, ...] = ()


@dataclass(frozen=True, kw_only=True)
class TasFile(Record):
    hours: str
    on_duty: str
    tas: tuple[TeachingAssistant, ...] = field(metadata=nonempty())


@dataclass(frozen=True, kw_only=True)
class FaqFile(Record):
    categories: tuple[FaqCategory, ...]
    entries: tuple[FaqEntry, ...]


@dataclass(frozen=True)
class CourseData:
    """Everything the handbook knows about the course, validated and cross-checked."""

    course: Course
    sessions: tuple[Session, ...]
    modules: tuple[Module, ...]
    days: tuple[Day, ...]
    tas: TasFile
    faq: FaqFile
    sessions_dir: str = "sessions"
    checklist: tuple[ChecklistItem, ...] = ()
    holidays: tuple[dt.date, ...] = ()

    def session(self, session_id: str) -> Session:
        """The session with this id; ``KeyError`` (never ``StopIteration``) if there is none."""
        for session in self.sessions:
            if session.id == session_id:
                return session
        raise KeyError(session_id)

    def module(self, module_id: str) -> Module:
        for module in self.modules:
            if module.id == module_id:
                return module
        raise KeyError(module_id)

    def modules_of(self, session_id: str) -> tuple[Module, ...]:
        return tuple(m for m in self.modules if m.session == session_id)

    def day_of(self, session_id: str) -> Day | None:
        return next((d for d in self.days if d.session == session_id), None)

    def session_docname(self, session: Session) -> str:
        return f"{self.sessions_dir}/{session.folder}/index"

    def module_docname(self, module: Module) -> str:
        return f"{self.sessions_dir}/{self.session(module.session).folder}/{module.page}"

    def module_for_doc(self, docname: str) -> Module | None:
        return next((m for m in self.modules if self.module_docname(m) == docname), None)

    def ta_hours(self, ta: TeachingAssistant) -> str:
        return ta.hours or self.tas.hours
