"""Move the course to a new edition in one command: ``nox -s new-edition -- 2027-01-04``.

Every January the same values change: the edition's label, start and end, each day of the
time plan, the exam deadline and the handbook's version. Doing that by hand took 19 edits.
This shifts every date by whole weeks (so each day keeps its weekday), refuses a start that is
not a Monday or a day that falls on a listed holiday, and edits the YAML in place with
ruamel.yaml, keeping comments, order and quoting. It prints every value it changed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

VERSION = re.compile(r'^__version__ = "(?P<version>[^"]+)"$', re.M)


class EditionError(Exception):
    """The new edition cannot be made; the message says why and what to do."""


@dataclass(frozen=True)
class Change:
    where: str
    old: object
    new: object

    def __str__(self) -> str:
        return f"{self.where}: {self.old} -> {self.new}"


def _yaml() -> YAML:
    yaml = YAML()  # round-trip: comments, key order and quotes survive
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a long line
    yaml.indent(mapping=2, sequence=4, offset=2)  # "  - item", as the data is written
    return yaml


def label_for(start: dt.date) -> str:
    return f"{start:%B} {start.year}"


def version_for(start: dt.date) -> str:
    """Handbook versions are ``<year>.<month>.<patch>`` of the edition they describe."""
    return f"{start.year}.{start.month}.0"


def shift_dates(course: dict[str, Any], timeplan: dict[str, Any], start: dt.date) -> list[Change]:
    """Move every date in the two data trees, in place; return what changed."""
    if start.weekday() != 0:
        raise EditionError(
            f"{start} is a {start:%A}; an edition starts on a Monday "
            f"(the Monday of that week is {start - dt.timedelta(days=start.weekday())})."
        )
    edition = course["edition"]
    old_start = edition["start"]
    shift = start - old_start
    if shift.days % 7:
        raise EditionError(
            f"the current edition starts on a {old_start:%A} ({old_start}) in course.yaml; "
            "set it to its Monday first, so that a shift by whole weeks keeps every weekday."
        )
    holidays = {day for day in timeplan.get("holidays") or []}
    clashes = [d["date"] + shift for d in timeplan["days"] if d["date"] + shift in holidays]
    if clashes:
        listed = ", ".join(f"{day:%A} {day}" for day in clashes)
        raise EditionError(
            f"the new edition would hold class on a holiday listed in timeplan.yaml: {listed}. "
            "Choose another start, or move those days in timeplan.yaml by hand afterwards."
        )
    changes = []

    def move(tree: dict[str, Any], key: str, where: str, new: object) -> None:
        if tree[key] != new:
            changes.append(Change(where, tree[key], new))
            tree[key] = new

    move(edition, "label", "course.yaml edition.label", label_for(start))
    move(edition, "start", "course.yaml edition.start", start)
    move(edition, "end", "course.yaml edition.end", edition["end"] + shift)
    if "version" in edition:  # the version the PDF covers show
        move(edition, "version", "course.yaml edition.version", version_for(start))
    exam = course.get("exam") or {}
    if isinstance(exam.get("deadline"), dt.date):
        move(exam, "deadline", "course.yaml exam.deadline", exam["deadline"] + shift)
    for number, day in enumerate(timeplan["days"], start=1):
        move(day, "date", f"timeplan.yaml day {number}", day["date"] + shift)
    return changes


def bump_version(init: Path, start: dt.date) -> Change | None:
    text = init.read_text(encoding="utf-8")
    found = VERSION.search(text)
    if not found:
        raise EditionError(f'{init}: no line `__version__ = "..."` to update')
    new = version_for(start)
    if found["version"] == new:
        return None
    init.write_text(VERSION.sub(f'__version__ = "{new}"', text, count=1), encoding="utf-8")
    return Change(f"{init.name} __version__", found["version"], new)


def new_edition(root: Path, start: dt.date) -> list[Change]:
    """Move the data under ``root`` to the edition starting on ``start``; write nothing on error."""
    yaml = _yaml()
    data = root / "docs" / "_data"
    paths = {"course": data / "course.yaml", "timeplan": data / "timeplan.yaml"}
    trees = {name: yaml.load(path.read_text(encoding="utf-8")) for name, path in paths.items()}
    changes = shift_dates(trees["course"], trees["timeplan"], start)
    for name, path in paths.items():
        with path.open("w", encoding="utf-8") as handle:
            yaml.dump(trees[name], handle)
    version = bump_version(root / "src" / "mlops_handbook" / "__init__.py", start)
    return [*changes, *([version] if version else [])]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="nox -s new-edition --", description=__doc__)
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument(
        "start",
        type=dt.date.fromisoformat,
        help="the new edition's first day, a Monday (YYYY-MM-DD)",
    )
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the repository root")
    args = parser.parse_args(argv)
    try:
        changes = new_edition(args.root, args.start)
    except EditionError as error:
        print(f"new-edition: {error}", file=sys.stderr)
        return 2
    for change in changes:
        print(change)
    print(f"{len(changes)} values changed. Build with `nox -s book` and check the time plan.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
