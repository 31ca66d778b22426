"""The link check's page cache: reused while a page is unchanged, rebuilt when it cannot be read."""

from __future__ import annotations

from pathlib import Path

from mlops_handbook.links.internal import Link, Page
from mlops_handbook.links.page_cache import PageCache


def test_a_cache_is_written_only_when_a_page_was_read(tmp_path: Path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "a.html").write_text('<p id="x"><a href="b.html">b</a></p>', encoding="utf-8")
    path = tmp_path / "deep" / "er" / "pages.pickle"  # folders made as needed
    cache = PageCache(path)
    assert cache.page(site / "a.html") == Page({"x"}, [Link("b.html", 1, "a")])
    cache.save()
    written = path.stat().st_ino
    again = PageCache(path)
    assert again.page(site / "a.html") == Page({"x"}, [Link("b.html", 1, "a")])
    again.save()
    assert path.stat().st_ino == written  # nothing new: not written again
    assert list(path.parent.iterdir()) == [path]  # no half-written file left


def test_an_unreadable_cache_starts_afresh(tmp_path: Path):
    path = tmp_path / "pages.pickle"
    path.write_bytes(b"not a pickle")
    cache = PageCache(path)
    assert cache.entries == {}
    page = tmp_path / "p.html"
    page.write_text('<p id="y"></p>', encoding="utf-8")
    assert cache.page(page).ids == {"y"}
    cache.save()
    assert PageCache(path).entries.keys() == {str(page)}


def test_no_path_keeps_nothing(tmp_path: Path):
    cache = PageCache(None)
    page = tmp_path / "p.html"
    page.write_text("<p></p>", encoding="utf-8")
    cache.page(page)
    cache.save()
    assert list(tmp_path.iterdir()) == [page]


def test_pages_are_read_again_when_the_scanner_changed(tmp_path: Path, monkeypatch):
    """A fixed scanner must not keep the old code's verdict on a page that did not change."""
    page = tmp_path / "p.html"
    page.write_text('<img srcset="a.png\t2x">', encoding="utf-8")
    path = tmp_path / "pages.pickle"
    stale = PageCache(path)
    stale.entries[str(page)] = ((page.stat().st_size, page.stat().st_mtime_ns), Page(set(), []))
    stale.changed = True
    monkeypatch.setattr("mlops_handbook.links.page_cache.scanner_digest", lambda: "older code")
    stale.save()
    monkeypatch.undo()
    assert PageCache(path).page(page).links == [Link("a.png", 1, "img")]


def test_a_cache_of_the_same_scanner_is_used(tmp_path: Path):
    page = tmp_path / "p.html"
    page.write_text('<p id="y"></p>', encoding="utf-8")
    path = tmp_path / "pages.pickle"
    kept = PageCache(path)
    kept.entries[str(page)] = ((page.stat().st_size, page.stat().st_mtime_ns), Page({"kept"}, []))
    kept.changed = True
    kept.save()
    assert PageCache(path).page(page).ids == {"kept"}
