"""Publishing: build/html is a link switched in one rename; one build at a time."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from mlops_handbook.build import Layout, publish_pdf
from mlops_handbook.links.internal import check_site
from mlops_handbook.pdf.names import PDF_DIR, published_pdfs

from .conftest import REPO
from .repo import build, make_repo


def test_the_site_is_a_link_to_the_one_published_version(tmp_path: Path):
    layout = make_repo(tmp_path / "repo")
    assert build(layout) == 0
    first = layout.site.resolve()
    (layout.source / "tas.md").write_text("# TAs\n\nChanged.\n", encoding="utf-8")
    assert build(layout) == 0
    assert layout.site.is_symlink()
    assert layout.site.resolve().parent == layout.versions.resolve()
    assert list(layout.versions.iterdir()) == [layout.site.resolve()]
    assert not first.exists()
    assert "Changed." in (layout.site / "tas.html").read_text(encoding="utf-8")


def test_pages_open_from_disk_through_the_link(tmp_path: Path):
    """Every relative link resolves inside the published folder, as file:// resolves it."""
    layout = make_repo(tmp_path / "repo")
    assert build(layout) == 0
    problems, pages, _links = check_site(layout.site, added=published_pdfs(layout.source))
    assert pages > 5
    assert problems == []


def test_a_site_from_before_versions_is_replaced(tmp_path: Path):
    layout = make_repo(tmp_path / "repo")
    layout.site.mkdir(parents=True)
    (layout.site / "index.html").write_text("an old site", encoding="utf-8")
    assert build(layout) == 0
    assert layout.site.is_symlink()
    assert "an old site" not in (layout.site / "index.html").read_text(encoding="utf-8")
    assert list(layout.versions.iterdir()) == [layout.site.resolve()]


def test_the_pdf_goes_into_the_site_and_stays(tmp_path: Path):
    layout = make_repo(tmp_path / "repo")
    assert build(layout) == 0
    layout.pdf.mkdir(parents=True)
    (layout.pdf / "book.pdf").write_bytes(b"%PDF-1.7 printed")
    publish_pdf(layout)
    assert (layout.site / PDF_DIR / "book.pdf").read_bytes() == b"%PDF-1.7 printed"
    (layout.source / "tas.md").write_text("# TAs\n\nChanged.\n", encoding="utf-8")
    assert build(layout) == 0
    assert (layout.site / PDF_DIR / "book.pdf").read_bytes() == b"%PDF-1.7 printed"


HOLD = """
import sys
from pathlib import Path
from mlops_handbook.lock import build_lock
with build_lock(Path(sys.argv[1]), "the test's stand-in build"):
    print("held", flush=True)
    sys.stdin.read()
"""


def nox_html(layout: Layout) -> list[str]:
    return [sys.executable, "-m", "mlops_handbook.build", "html", "--root", str(layout.root)]


def serve_rebuild(layout: Layout) -> list[str]:
    """What each rebuild of `nox -s serve` runs: plain Sphinx, told where the lock is."""
    args = ["-c", str(layout.root), "-q", "-D", "handbook_build_lock=build/.lock"]
    serve = layout.root / "build" / ".staging" / "serve"
    return [sys.executable, "-m", "sphinx", *args, str(layout.source), str(serve)]


@pytest.mark.parametrize("command", [nox_html, serve_rebuild])
def test_a_second_build_waits_for_the_first(tmp_path: Path, command: Callable[[Layout], list]):
    layout = make_repo(tmp_path / "repo")
    site = layout.site if command is nox_html else layout.root / "build" / ".staging" / "serve"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(layout.lock)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        second = subprocess.Popen(
            command(layout), cwd=REPO, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True
        )
        assert second.stderr is not None
        waiting = second.stderr.readline()
        assert "Waiting for the test's stand-in build" in waiting
        assert str(layout.lock) in waiting
        assert second.poll() is None, "the second build must wait while the lock is held"
        assert not (site / "index.html").exists()
    finally:
        holder.communicate("")  # closing its input ends the holder and frees the lock
    assert second.wait() == 0
    assert (site / "index.html").is_file()
