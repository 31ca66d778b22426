"""The course's announcement: on every page of the site, as text, never as markup."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from mlops_handbook.build import Layout, build_html

from .conftest import ROOTS

Edit = Callable[[Path, str, str], None]
HOSTILE = "Room change: <script>alert(1)</script> & {ref}`x` **not bold** <b>no</b>"


@pytest.fixture
def layout(tmp_path: Path) -> Layout:
    shutil.copytree(ROOTS / "test-handbook", tmp_path / "docs")
    shutil.move(tmp_path / "docs" / "conf.py", tmp_path / "conf.py")
    return Layout(tmp_path)


def announce(layout: Layout, text: str) -> None:
    course = layout.source / "_data" / "course.yaml"
    quoted = text.replace("'", "''")
    course.write_text(course.read_text() + f"announcement: '{quoted}'\n", encoding="utf-8")


def banners(layout: Layout, page: str) -> list[str]:
    html = BeautifulSoup((layout.site / page).read_text(encoding="utf-8"), "html.parser")
    assert not html.select(".handbook-banner script, .handbook-banner b, .handbook-banner strong")
    return [b.get_text().strip() for b in html.select(".handbook-banner-announcement")]


def test_no_announcement_no_banner(layout: Layout):
    assert build_html(layout, clean=False, extra=()) == 0
    assert banners(layout, "index.html") == []


def test_a_hostile_announcement_is_shown_as_text_on_every_page(layout: Layout, edit: Edit):
    assert build_html(layout, clean=False, extra=()) == 0
    announce(layout, HOSTILE)
    assert build_html(layout, clean=False, extra=()) == 0  # incremental: every page shows it
    sources = [p.relative_to(layout.source) for p in layout.source.rglob("*.md")]
    shown = {page: banners(layout, page.with_suffix(".html").as_posix()) for page in sources}
    assert shown and all(texts == [HOSTILE] for texts in shown.values()), shown
    html = (layout.site / "tas.html").read_text(encoding="utf-8")
    banner_at, body_at = html.index("handbook-banner"), html.index("data-pagefind-body")
    assert banner_at < body_at  # above the article: search does not index it on every page
