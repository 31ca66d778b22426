"""Publishing a checked build: what lands in build/html, what is linked, what is left behind."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from mlops_handbook.build import Layout, link_or_copy, publish, publish_pdf
from mlops_handbook.search.index import FRESH_DIR, INDEX_DIR


def stage(layout: Layout, files: dict[str, str]) -> Path:
    staged = layout.staging("html")
    for name, text in files.items():
        (staged / name).parent.mkdir(parents=True, exist_ok=True)
        (staged / name).write_text(text, encoding="utf-8")
    return staged


def tree(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_the_site_is_the_staged_build_without_sphinx_bookkeeping(tmp_path: Path):
    layout = Layout(tmp_path)
    stage(layout, {"index.html": "home", "a/b.html": "b", ".buildinfo": "x", ".doctrees/e": "y"})
    assert publish(layout) == layout.site
    assert tree(layout.site) == {"index.html": "home", "a/b.html": "b"}
    # build/html is a link to one whole version under build/.site (see tests/test_publish.py).
    assert sorted(p.name for p in (tmp_path / "build").iterdir()) == [".site", ".staging", "html"]
    assert layout.site.is_symlink()


def test_a_page_gone_from_the_build_is_gone_from_the_site(tmp_path: Path):
    layout = Layout(tmp_path)
    staged = stage(layout, {"index.html": "home", "old.html": "old"})
    publish(layout)
    (staged / "old.html").unlink()
    publish(layout)
    assert tree(layout.site) == {"index.html": "home"}


def test_the_last_printed_pdf_is_published_with_the_site(tmp_path: Path):
    layout = Layout(tmp_path)
    stage(layout, {"index.html": "home"})
    layout.pdf.mkdir(parents=True)
    (layout.pdf / "book.pdf").write_text("%PDF first", encoding="utf-8")
    publish(layout)
    assert tree(layout.site) == {"index.html": "home", "pdf/book.pdf": "%PDF first"}
    (layout.pdf / "book.pdf").write_text("%PDF again", encoding="utf-8")
    publish_pdf(layout)
    assert tree(layout.site) == {"index.html": "home", "pdf/book.pdf": "%PDF again"}


def test_a_pdf_no_longer_printed_leaves_the_site(tmp_path: Path):
    """A renamed edition or session: the old file name must not stay downloadable."""
    layout = Layout(tmp_path)
    stage(layout, {"index.html": "home"})
    layout.pdf.mkdir(parents=True)
    (layout.pdf / "book-2026.pdf").write_text("%PDF old", encoding="utf-8")
    publish(layout)
    (layout.pdf / "book-2026.pdf").unlink()
    (layout.pdf / "book-2027.pdf").write_text("%PDF new", encoding="utf-8")
    publish_pdf(layout)
    assert tree(layout.site) == {"index.html": "home", "pdf/book-2027.pdf": "%PDF new"}


def test_a_pdf_waits_for_a_site_to_go_into(tmp_path: Path):
    layout = Layout(tmp_path)
    layout.pdf.mkdir(parents=True)
    (layout.pdf / "book.pdf").write_text("%PDF", encoding="utf-8")
    publish_pdf(layout)
    assert not layout.site.exists()
    layout.site.mkdir()
    (layout.pdf / "book.pdf").unlink()
    publish_pdf(layout)  # no PDF yet: nothing to publish
    assert tree(layout.site) == {}


def test_a_file_is_linked_only_when_size_and_time_or_bytes_match(tmp_path: Path):
    src, published = tmp_path / "src.html", tmp_path / "published.html"
    src.write_text("same size", encoding="utf-8")
    published.write_text("SAME SIZE", encoding="utf-8")
    os.utime(src, ns=(1_000, 2_000))
    os.utime(published, ns=(1_000, 3_000))
    link_or_copy(src, tmp_path / "a.html", published)
    assert (tmp_path / "a.html").read_text(encoding="utf-8") == "same size"  # copied
    os.utime(published, ns=(1_000, 2_000))
    link_or_copy(src, tmp_path / "b.html", published)
    assert (tmp_path / "b.html").stat().st_ino == published.stat().st_ino  # linked
    published.unlink()
    published.write_text("same size", encoding="utf-8")  # written again, with the same bytes
    link_or_copy(src, tmp_path / "d.html", published)
    assert (tmp_path / "d.html").stat().st_ino == published.stat().st_ino  # linked
    link_or_copy(src, tmp_path / "c.html", tmp_path / "never-published.html")
    assert (tmp_path / "c.html").read_text(encoding="utf-8") == "same size"
    assert (tmp_path / "c.html").stat().st_mtime_ns == 2_000  # copied with its time


def test_each_publish_is_a_new_version_and_older_ones_go(tmp_path: Path):
    layout = Layout(tmp_path)
    stage(layout, {"index.html": "home"})
    publish(layout)
    first = layout.site.resolve()
    publish(layout)
    current = layout.site.resolve()
    assert current != first
    assert list(layout.versions.iterdir()) == [current]
    assert current.name.startswith("site-")  # build/.site/site-XXXX, as README.md says


def test_a_site_from_before_versions_is_replaced_by_the_link_and_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    elsewhere = tmp_path / "tmp"
    elsewhere.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(elsewhere))
    layout = Layout(tmp_path)
    stage(layout, {"index.html": "new"})
    layout.site.mkdir(parents=True)
    (layout.site / "index.html").write_text("old", encoding="utf-8")
    publish(layout)
    assert layout.site.is_symlink()
    assert tree(layout.site) == {"index.html": "new"}
    assert list(layout.versions.iterdir()) == [layout.site.resolve()]
    assert list(elsewhere.iterdir()) == []  # the old site was not left anywhere else


def test_the_search_index_comes_from_pagefind_and_is_linked_when_unchanged(tmp_path: Path):
    layout = Layout(tmp_path)
    staged = {"index.html": "home", f"{INDEX_DIR}/old.js": "staged", f"{FRESH_DIR}/x.js": "x"}
    stage(layout, {**staged, f"a/{INDEX_DIR}/page.js": "a page's own folder of that name"})
    fresh = tmp_path / "pagefind-output"
    fresh.mkdir()
    (fresh / "pagefind.js").write_text("fresh", encoding="utf-8")
    publish(layout, search_index=lambda: fresh)
    assert tree(layout.site) == {
        "index.html": "home",
        f"{INDEX_DIR}/pagefind.js": "fresh",
        f"a/{INDEX_DIR}/page.js": "a page's own folder of that name",
    }
    first = (layout.site / INDEX_DIR / "pagefind.js").stat().st_ino
    publish(layout, search_index=lambda: fresh)
    assert (layout.site / INDEX_DIR / "pagefind.js").stat().st_ino == first  # linked, not copied
    publish(layout)  # without Pagefind, the staged index is the site's
    assert tree(layout.site)[f"{INDEX_DIR}/old.js"] == "staged"
