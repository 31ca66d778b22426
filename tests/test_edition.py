"""`nox -s new-edition`: a new January in one command, with nothing else in the data touched."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from sphinx.cmd.build import build_main

from mlops_handbook.data import load_course_data
from mlops_handbook.edition import main

from .conftest import REPO

NEW_START = dt.date(2027, 1, 4)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A copy of the handbook's data and version file, in a git repository to diff against."""
    shutil.copytree(REPO / "docs", tmp_path / "docs", ignore=shutil.ignore_patterns("index.md"))
    shutil.copy(REPO / "docs" / "index.md", tmp_path / "docs" / "index.md")
    init = tmp_path / "src" / "mlops_handbook" / "__init__.py"
    init.parent.mkdir(parents=True)
    shutil.copy(REPO / "src" / "mlops_handbook" / "__init__.py", init)
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(["git", "add", "-A"], cwd=tmp_path, check=True)
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "2026"],
        cwd=tmp_path,
        check=True,
    )
    return tmp_path


def changed_lines(repo: Path) -> list[str]:
    diff = subprocess.run(
        ["git", "diff", "-U0", "--no-color"], cwd=repo, capture_output=True, text=True, check=True
    ).stdout
    return [
        line for line in diff.splitlines() if line[:1] in "+-" and line[:3] not in {"+++", "---"}
    ]


def test_every_date_moves_by_whole_weeks_and_nothing_else_changes(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = load_course_data(repo / "docs", "_data", "sessions")
    assert main([NEW_START.isoformat(), "--root", str(repo)]) == 0
    after = load_course_data(repo / "docs", "_data", "sessions")
    shift = NEW_START - before.course.edition.start
    assert [d.date for d in after.days] == [d.date + shift for d in before.days]
    assert all(
        d.date.weekday() == b.date.weekday() for d, b in zip(after.days, before.days, strict=True)
    )
    edition = after.course.edition
    assert (edition.label, edition.start, edition.end) == (
        "January 2027",
        NEW_START,
        dt.date(2027, 1, 22),
    )
    assert after.course.exam.deadline == before.course.exam.deadline + shift
    assert '__version__ = "2027.1.0"' in (repo / "src/mlops_handbook/__init__.py").read_text()
    assert edition.version == "2027.1.0"
    # Each changed value is one removed and one added line; comments and layout stay.
    lines = changed_lines(repo)
    assert len(lines) == 2 * 21, lines
    assert "__init__.py __version__: 2026.1.0 -> 2027.1.0" in capsys.readouterr().out


def test_a_start_that_is_not_a_monday_is_refused_and_nothing_is_written(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["2027-01-05", "--root", str(repo)]) == 2
    err = capsys.readouterr().err
    assert "2027-01-05 is a Tuesday" in err and "2027-01-04" in err
    assert changed_lines(repo) == []


def test_a_day_on_a_listed_holiday_is_refused(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    timeplan = repo / "docs" / "_data" / "timeplan.yaml"
    timeplan.write_text(timeplan.read_text().replace("  - 2027-01-01\n", "  - 2027-01-06\n"))
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    assert main([NEW_START.isoformat(), "--root", str(repo)]) == 2
    assert "holiday listed in timeplan.yaml: Wednesday 2027-01-06" in capsys.readouterr().err
    assert changed_lines(repo) == []


@pytest.mark.book
def test_the_moved_book_builds_with_the_new_dates(repo: Path) -> None:
    assert main([NEW_START.isoformat(), "--root", str(repo)]) == 0
    out = repo / "build"
    status = build_main(
        ["-b", "html", "-W", "--keep-going", "-n", "-q", "-c", str(REPO),
         "-d", str(repo / "doctrees"), str(repo / "docs"), str(out)]
    )  # fmt: skip
    assert status == 0
    timeplan = (out / "timeplan.html").read_text("utf-8")
    assert "4 January 2027" in timeplan and "22 January 2027" in timeplan
    assert "2026" not in timeplan.split('<article class="bd-article">', 1)[1].split("</article>")[0]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("  start: 2026-01-05", "  start: 2025-12-29", "is not the edition's start (2025-12-29"),
        ("  end: 2026-01-23", "  end: 2026-01-30", "is not the edition's end (2026-01-30"),
        ("  deadline: 2026-01-23", "  deadline: 2026-01-22", "is before the last course day"),
    ],
)
def test_the_build_checks_the_edition_bounds(repo: Path, old: str, new: str, message: str) -> None:
    course = repo / "docs" / "_data" / "course.yaml"
    text = course.read_text()
    assert text.count(old) == 1
    course.write_text(text.replace(old, new))
    with pytest.raises(SystemExit) as stop:
        load_course_data(repo / "docs", "_data", "sessions")
    assert message in str(stop.value)


def test_the_build_refuses_a_day_on_a_holiday(repo: Path) -> None:
    timeplan = repo / "docs" / "_data" / "timeplan.yaml"
    timeplan.write_text(timeplan.read_text().replace("  - 2027-01-01\n", "  - 2026-01-07\n"))
    with pytest.raises(SystemExit) as stop:
        load_course_data(repo / "docs", "_data", "sessions")
    assert "2026-01-07 is a holiday listed in timeplan.yaml" in str(stop.value)
