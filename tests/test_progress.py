"""Long steps say what they are doing: counts on one line in a terminal, plain lines in CI."""

from __future__ import annotations

import io
import shutil
import threading
from pathlib import Path

import pytest

from mlops_handbook import progress
from mlops_handbook.build import Layout, build_html

from .conftest import ROOTS


@pytest.fixture(autouse=True)
def standard_output():
    """Each test shows progress on its own stream; afterwards it goes to stdout again."""
    yield
    progress.PROGRESS.__init__()  # type: ignore[misc]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_plain_lines_name_the_phase_and_count():
    out = io.StringIO()
    shown = progress.install(out)
    assert list(progress._status_iterator([[1, 2], [3]], "reading sources... ", "", 2)) == [
        [1, 2],
        [3],
    ]  # parallel builds hand over chunks of documents: counted as documents
    assert out.getvalue().splitlines() == ["reading sources 2/3", "reading sources 3/3"]
    assert not shown.live


def test_a_terminal_gets_one_updating_line():
    out = Terminal()
    shown = progress.install(out)
    list(progress._status_iterator(["a", "b"], "writing output... ", "", 2))
    shown.finish()
    assert "\n" not in out.getvalue()
    assert out.getvalue().count("\r\x1b[2K") == 3  # two counts, then cleared for what follows
    assert "writing output 2/2" in out.getvalue()


def test_a_step_without_a_count_shows_its_time(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(progress, "PLAIN_EVERY", 0.01)
    out = io.StringIO()
    shown = progress.install(out)
    release = threading.Event()
    with shown.ticking("printing the book"):
        release.wait(0.1)
    lines = out.getvalue().splitlines()
    assert lines[0] == "printing the book…"
    assert any(line.startswith("printing the book… ") and line.endswith(" s") for line in lines)


def test_a_build_reports_reading_and_writing(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    shutil.copytree(ROOTS / "test-handbook", tmp_path / "docs")
    shutil.move(tmp_path / "docs" / "conf.py", tmp_path / "conf.py")
    assert build_html(Layout(tmp_path), clean=False, extra=["-j", "1"]) == 0
    printed = capsys.readouterr().out
    pages = len(list((tmp_path / "docs").rglob("*.md")))
    assert "starting Sphinx (html)" in printed
    assert f"reading sources {pages}/{pages}" in printed
    assert f"writing output {pages}/{pages}" in printed
