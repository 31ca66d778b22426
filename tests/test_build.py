"""`nox -s html`'s build: a failed build or a broken link never replaces the published site."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from mlops_handbook import build as mlops_build
from mlops_handbook.build import Layout, build_html, main
from mlops_handbook.model import Session
from mlops_handbook.pages import session_page_path
from mlops_handbook.search import index

from .conftest import ROOTS

Edit = Callable[[Path, str, str], None]


@pytest.fixture
def layout(tmp_path: Path) -> Layout:
    """A repository laid out like this one, holding the small test handbook."""
    shutil.copytree(ROOTS / "test-handbook", tmp_path / "docs")
    shutil.move(tmp_path / "docs" / "conf.py", tmp_path / "conf.py")
    return Layout(tmp_path)


def published(layout: Layout) -> str:
    return (layout.site / "tas.html").read_text(encoding="utf-8")


def test_a_good_build_is_published(layout: Layout):
    assert build_html(layout, clean=False, extra=()) == 0
    assert "Björn Ørsted" in published(layout)
    assert (layout.site / "sessions" / "s1_first" / "hammering.html").is_file()


def test_invalid_data_leaves_the_published_site(layout: Layout, edit: Edit, capsys):
    assert build_html(layout, clean=False, extra=()) == 0
    before = published(layout)
    edit(layout.source / "_data" / "tas.yaml", "Björn Ørsted", "Bjørn Ørsted")
    edit(layout.source / "_data" / "modules.yaml", "session: S2", "session: S9")
    assert build_html(layout, clean=False, extra=()) == 2
    assert published(layout) == before
    assert "was left as it was" in capsys.readouterr().err


def test_a_broken_link_leaves_the_published_site(layout: Layout, edit: Edit, capsys):
    assert build_html(layout, clean=False, extra=()) == 0
    before = published(layout)
    edit(layout.source / "_data" / "tas.yaml", "Björn Ørsted", "Bjørn Ørsted")
    edit(layout.source / "tas.md", "# TAs\n", '# TAs\n\n<a href="gone.html">gone</a>\n')
    assert build_html(layout, clean=False, extra=()) == 1
    assert published(layout) == before
    captured = capsys.readouterr()
    assert "gone.html" in captured.out
    assert "Broken internal links" in captured.err
    edit(layout.source / "tas.md", '<a href="gone.html">gone</a>\n', "")
    assert build_html(layout, clean=False, extra=()) == 0
    assert "Bjørn Ørsted" in published(layout)


def test_arguments_after_a_double_dash_go_to_sphinx(layout: Layout):
    assert main(["html", "--root", str(layout.root), "--", "-D", "html_title=Passed through"]) == 0
    assert "Passed through" in (layout.site / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("folder", ["..", "../..", "/tmp/elsewhere", "s1_first/../..", "a/b"])
def test_a_session_page_is_never_written_outside_its_folder(tmp_path: Path, folder: str):
    """The last check before a file is written, whatever the data's validation let through."""
    root = tmp_path / "docs" / "sessions"
    root.mkdir(parents=True)
    session = Session(id="S1", title="First", folder=folder, intro="")
    assert session_page_path(root, session) is None
    good = Session(id="S1", title="First", folder="s1_first", intro="")
    assert session_page_path(root, good) == root / "s1_first" / "index.md"


def test_serve_hears_of_checked_pages_before_they_are_published(layout: Layout, edit: Edit):
    """``nox -s serve`` shows the staged pages at "checked": by then they passed every check."""
    seen: list[tuple[str, str, bool]] = []

    def reached(stage: str) -> None:
        staged = (layout.staging("html") / "tas.html").read_text(encoding="utf-8")
        seen.append((stage, staged, layout.site.is_dir()))

    assert build_html(layout, clean=False, extra=(), reached=reached) == 0
    assert [(stage, published) for stage, _, published in seen] == [
        ("checked", False),
        ("published", True),
    ]
    assert "Björn Ørsted" in seen[0][1]
    seen.clear()
    edit(layout.source / "tas.md", "# TAs\n", '# TAs\n\n<a href="gone.html">gone</a>\n')
    assert build_html(layout, clean=False, extra=(), reached=reached) == 1
    assert seen == []  # a broken link: nothing to show


def test_pagefind_starts_while_sphinx_is_finishing(
    layout: Layout, edit: Edit, monkeypatch: pytest.MonkeyPatch
):
    """Pagefind runs beside the end of the build, not after it: it starts before Sphinx returns."""
    events: list[str] = []
    start, sphinx = index.start_index, mlops_build.sphinx_build

    def starting(*args: object, **kwargs: object) -> index.Indexing:
        events.append("Pagefind started")
        return start(*args, **kwargs)

    def building(*args: object, **kwargs: object) -> int:
        status = sphinx(*args, **kwargs)
        events.append("Sphinx returned")
        return status

    monkeypatch.setattr(index, "start_index", starting)
    monkeypatch.setattr(mlops_build, "sphinx_build", building)
    assert build_html(layout, clean=False, extra=()) == 0
    assert events == ["Pagefind started", "Sphinx returned"]
    events.clear()
    edit(layout.source / "tas.md", "# TAs\n", "# TAs\n\nSee {ref}`no-such-label`.\n")
    assert build_html(layout, clean=False, extra=()) == 1  # a warning: the index is dropped
    assert not (layout.staging("html") / index.FRESH_DIR).exists()
    edit(layout.source / "tas.md", "See {ref}`no-such-label`.\n", "")
    assert build_html(layout, clean=False, extra=()) == 0
    assert "Björn Ørsted" in published(layout)


def test_a_session_folder_linked_elsewhere_is_reported_at_its_folder_line(
    layout: Layout, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    """A folder that passes the data's checks but is a link out of the sessions folder."""
    folder = layout.source / "sessions" / "s2_second"
    elsewhere = tmp_path / "elsewhere"
    shutil.move(folder, elsewhere)
    folder.symlink_to(elsewhere, target_is_directory=True)
    assert build_html(layout, clean=False, extra=()) != 0
    assert not (elsewhere / "index.md").exists()
    err = capsys.readouterr().err
    assert "docs/_data/sessions.yaml:12" in err  # the `folder:` line, not the record's first
    assert "folder 's2_second' is not a plain folder name" in err
