"""Pagefind runs again only when a page changed, and the kept index is the one it would write."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from mlops_handbook.search import index
from mlops_handbook.search.index import INDEX_DIR, start_index

PAGE = """<!doctype html><html lang="en"><head><title>{title}</title></head><body>
<article><div data-pagefind-body><h1>{title}</h1><p>{text}</p></div></article></body></html>
"""


def files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.fixture
def pagefind_runs(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Every Pagefind command started."""
    started: list[list[str]] = []
    original = subprocess.Popen

    def popen(command: list[str], *args: object, **kwargs: object) -> subprocess.Popen[str]:
        started.append(command)
        return original(command, *args, **kwargs)

    monkeypatch.setattr(index.subprocess, "Popen", popen)
    return started


def write_site(site: Path, text: str) -> None:
    site.mkdir(parents=True, exist_ok=True)
    (site / "docker.html").write_text(PAGE.format(title="Docker", text=text), encoding="utf-8")
    (site / "dvc.html").write_text(PAGE.format(title="DVC", text="Data versions."), "utf-8")


def test_an_unchanged_site_keeps_its_index_and_a_changed_page_is_indexed(
    tmp_path: Path, pagefind_runs: list[list[str]]
):
    site, stamp = tmp_path / "site", tmp_path / "doctrees" / "pagefind.digest"
    write_site(site, "Images and containers.")
    start_index(site, stamp).finish()
    first = files(site / INDEX_DIR)
    start_index(site, stamp).finish()
    assert len(pagefind_runs) == 1  # nothing changed: no second run
    assert files(site / INDEX_DIR) == first

    write_site(site, "Images, containers and volumes.")
    start_index(site, stamp).finish()
    assert len(pagefind_runs) == 2
    changed = files(site / INDEX_DIR)
    assert changed != first
    assert "volumes" in changed["handbook-words.json"].decode()

    fresh = tmp_path / "fresh"  # the same pages indexed from scratch: the same index
    write_site(fresh, "Images, containers and volumes.")
    start_index(fresh).finish()
    assert files(fresh / INDEX_DIR) == changed


def test_a_missing_index_is_written_even_if_the_stamp_matches(
    tmp_path: Path, pagefind_runs: list[list[str]]
):
    site, stamp = tmp_path / "site", tmp_path / "pagefind.digest"
    write_site(site, "Images.")
    start_index(site, stamp).finish()
    (site / INDEX_DIR / "pagefind.js").unlink()
    start_index(site, stamp).finish()
    assert len(pagefind_runs) == 2
    assert (site / INDEX_DIR / "pagefind.js").is_file()


def test_only_changed_pages_are_read_for_words_and_the_list_is_a_fresh_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pagefind_runs: list[list[str]]
):
    read: list[str] = []
    page_words = index.page_words

    def counted(page: str) -> list[str]:
        read.append(page)
        return page_words(page)

    monkeypatch.setattr(index, "page_words", counted)
    site, stamp = tmp_path / "site", tmp_path / "doctrees" / "pagefind.digest"
    write_site(site, "Images.")
    start_index(site, stamp).finish()
    assert len(read) == 2
    write_site(site, "Images and volumes.")  # dvc.html is written again, with the same bytes
    start_index(site, stamp).finish()
    assert len(read) == 3
    (site / "dvc.html").unlink()
    start_index(site, stamp).finish()
    assert len(read) == 3
    words = files(site / INDEX_DIR)[index.WORDS_FILE]
    assert b"versions" not in words  # a deleted page's words leave the list
    assert len(index.WordCounts.load(stamp.with_name(index.WORD_COUNTS)).pages) == 1

    stamp.with_name(index.WORD_COUNTS).write_bytes(b"not a pickle")
    (site / "docker.html").write_text(PAGE.format(title="Docker", text="Ports."), "utf-8")
    start_index(site, stamp).finish()
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    (fresh / "docker.html").write_text(PAGE.format(title="Docker", text="Ports."), "utf-8")
    start_index(fresh).finish()
    assert files(site / INDEX_DIR) == files(fresh / INDEX_DIR)


def test_a_pagefind_that_hangs_stops_the_build_with_a_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<html><body><p>one page</p></body></html>")
    monkeypatch.setattr(index, "PATIENCE", 0.5)
    monkeypatch.setattr(index, "pagefind_command", lambda *_: ["sleep", "600"])
    indexing = index.start_index(site)
    with pytest.raises(SystemExit, match=r"Pagefind was stopped after 0\.5 s"):
        indexing.wait()
    assert indexing.process is not None and indexing.process.returncode is not None
    assert not (site / index.FRESH_DIR).exists()
