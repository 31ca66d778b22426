"""Publishing edge cases found by ``nox -s mutants``: each test fails with a surviving mutant."""

from __future__ import annotations

from pathlib import Path

from mlops_handbook.build import Layout, publish


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
