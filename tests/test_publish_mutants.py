"""Publishing edge cases found by ``nox -s mutants``: each test fails with a surviving mutant."""

from __future__ import annotations

import os
from pathlib import Path

from mlops_handbook.build import Layout, link_or_copy, publish


def test_a_leftover_that_cannot_be_deleted_does_not_stop_a_publish(tmp_path: Path):
    """Old versions are deleted after the switch; one that resists is left for the next publish."""
    layout = Layout(tmp_path)
    staged = layout.staging("html")
    staged.mkdir(parents=True)
    (staged / "index.html").write_text("home", encoding="utf-8")
    layout.versions.mkdir(parents=True)
    stray = layout.versions / "notes.txt"  # not a folder: rmtree refuses it
    stray.write_text("left here by hand", encoding="utf-8")
    assert publish(layout) == layout.site
    assert (layout.site / "index.html").read_text(encoding="utf-8") == "home"
    assert stray.exists()


def test_a_changed_file_whose_time_differs_by_a_nanosecond_is_copied(tmp_path: Path):
    """Same size, times a few nanoseconds apart: only the bytes can tell, so they are compared.

    A stat's ``st_mtime`` as a float cannot hold nanoseconds today; a comparison of stat
    signatures would call the two files the same and publish the old bytes.
    """
    src, published = tmp_path / "src.html", tmp_path / "published.html"
    src.write_text("new text", encoding="utf-8")
    published.write_text("old text", encoding="utf-8")
    second = 1_700_000_000 * 10**9
    os.utime(published, ns=(second, second))
    os.utime(src, ns=(second + 7, second + 7))
    link_or_copy(src, tmp_path / "site.html", published)
    assert (tmp_path / "site.html").read_text(encoding="utf-8") == "new text"
