"""A build that finds nothing changed since the last published one leaves the site as it is.

The tests count the builds that really ran (Sphinx, links, Pagefind, publish), and check that
every kind of input the site is made from makes the next build run again.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from mlops_handbook import build as build_module
from mlops_handbook.build import Layout

from .repo import build, clean_site, differences, make_repo, site_files

Edit = Callable[[Path, str, str], None]


@pytest.fixture
def ran(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The repositories whose build really ran, one entry per build."""
    runs: list[Path] = []
    real = build_module.build_check_publish

    def counted(layout: Layout, **kwargs: object) -> int:
        runs.append(layout.root)
        return real(layout, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(build_module, "build_check_publish", counted)
    return runs


@pytest.fixture
def layout(tmp_path: Path) -> Layout:
    layout = make_repo(tmp_path / "repo")
    assert build(layout) == 0
    return layout


def test_a_build_with_nothing_changed_publishes_nothing(layout: Layout, ran: list[Path]):
    version = layout.site.resolve()
    assert build(layout) == 0
    assert ran == []
    assert layout.site.resolve() == version


def touch_page(layout: Layout, edit: Edit) -> None:
    edit(layout.source / "sessions" / "s2_second" / "gluing.md", "Gluing text.", "Glued.")


def touch_data(layout: Layout, edit: Edit) -> None:
    edit(layout.source / "_data" / "tas.yaml", "Björn Ørsted", "Bjørn Ørsted")


def touch_conf(layout: Layout, edit: Edit) -> None:
    with (layout.root / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write("html_title = 'Another title'\n")


def add_pdf(layout: Layout, edit: Edit) -> None:
    layout.pdf.mkdir(parents=True, exist_ok=True)
    (layout.pdf / "handbook.pdf").write_bytes(b"%PDF-1.7 not really")


def remove_site(layout: Layout, edit: Edit) -> None:
    layout.site.unlink()


CHANGES = [touch_page, touch_data, touch_conf, add_pdf, remove_site]


@pytest.mark.parametrize("change", CHANGES, ids=[c.__name__ for c in CHANGES])
def test_a_changed_input_builds_again(
    layout: Layout, ran: list[Path], edit: Edit, change: Callable[[Layout, Edit], None]
):
    change(layout, edit)
    assert build(layout) == 0
    assert ran == [layout.root]


def test_other_sphinx_arguments_or_epoch_build_again(
    layout: Layout, ran: list[Path], monkeypatch: pytest.MonkeyPatch
):
    assert build(layout, "-D", "html_title=Other") == 0
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert build(layout, "-D", "html_title=Other") == 0
    assert ran == [layout.root, layout.root]


def test_a_build_stopped_after_publishing_is_not_taken_for_the_one_before(
    layout: Layout, ran: list[Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    """Stopped after the switch, before its digest was kept; then the data goes back.

    Bytes and modification time go back (as ``cp -p`` or rsync would put them): only the
    digest removed when the stopped build started tells the site is not the one before.
    """
    tas = layout.source / "_data" / "tas.yaml"
    before, info = tas.read_bytes(), tas.stat()
    tas.write_bytes(before.replace("Björn Ørsted".encode(), "Bjørn Ørsted".encode()))
    real = build_module.build_check_publish

    def stopped(layout: Layout, **kwargs: object) -> int:
        real(layout, **kwargs)  # type: ignore[arg-type]
        raise KeyboardInterrupt

    monkeypatch.setattr(build_module, "build_check_publish", stopped)
    with pytest.raises(KeyboardInterrupt):
        build(layout)
    monkeypatch.undo()
    tas.write_bytes(before)
    os.utime(tas, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert build(layout) == 0
    assert differences(site_files(layout.site), clean_site(layout, tmp_path / "clean")) == []
