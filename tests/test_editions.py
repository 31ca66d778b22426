"""Earlier editions stay online: built from their git tag, archived, switchable, zipped."""

from __future__ import annotations

import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from mlops_handbook.build import Layout
from mlops_handbook.editions.__main__ import main

from .repo import build, make_repo

Edit = Callable[[Path, str, str], None]


def git(root: Path, *args: str) -> str:
    command = ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args]
    return subprocess.run(command, cwd=root, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def tagged(tmp_path: Path, edit: Edit) -> Layout:
    """A repository whose January 2029 edition is tagged, now at the January 2030 edition."""
    layout = make_repo(tmp_path / "repo")
    (layout.root / ".gitignore").write_text("build/\n")
    tas = layout.source / "tas.md"
    edit(tas, "# TAs\n", "# TAs\n\nText of the 2029 edition.\n")
    git(layout.root, "init", "-q")
    git(layout.root, "add", "-A")
    git(layout.root, "commit", "-qm", "2029")
    git(layout.root, "tag", "edition/2029-january")
    edit(tas, "Text of the 2029 edition.", "Text of the 2030 edition.")
    git(layout.root, "commit", "-qam", "2030")
    assert build(layout) == 0
    return layout


def page(layout: Layout, path: str) -> BeautifulSoup:
    return BeautifulSoup((layout.root / "build" / "pages" / path).read_text("utf-8"), "html.parser")


def test_an_earlier_edition_is_built_from_its_tag_with_banner_and_switcher(
    tagged: Layout, capsys: pytest.CaptureFixture[str]
):
    assert main(["--root", str(tagged.root), "--no-pdf"]) == 0

    archived = page(tagged, "2029-january/tas.html")
    assert "Text of the 2029 edition." in archived.get_text()  # the tag's sources, not HEAD's
    notice = archived.select_one(".handbook-editions .handbook-archived")
    assert notice is not None
    assert notice.get_text().startswith("Archived edition (January 2029)")
    assert notice.a["href"] == "../index.html"  # "see the current one"
    assert [a.get_text() for a in archived.select(".handbook-editions li a")] == [
        "January 2030 (current)",
        "January 2029",
    ]
    assert archived.select_one("[aria-current=page]").get_text() == "January 2029"

    deep = page(tagged, "2029-january/sessions/s1_first/hammering.html")
    links = [a["href"] for a in deep.select(".handbook-editions li a")]
    assert links == ["../../../index.html", "../../../2029-january/index.html"]

    current = page(tagged, "tas.html")
    assert "Text of the 2030 edition." in current.get_text()
    assert current.select_one(".handbook-archived") is None
    assert [a["href"] for a in current.select(".handbook-editions li a")] == [
        "index.html",
        "2029-january/index.html",
    ]
    assert len(current.select(".handbook-editions")) == 1

    zips = tagged.root / "build" / "pages" / "editions"
    with zipfile.ZipFile(zips / "dtu-mlops-handbook-2029-january-site.zip") as archive:
        assert "2029-january/tas.html" in archive.namelist()
    with zipfile.ZipFile(zips / "dtu-mlops-handbook-2030-january-site.zip") as archive:
        names = archive.namelist()
        assert "2030-january/tas.html" in names
        assert not any(n.startswith(("2030-january/2029", "2030-january/editions")) for n in names)
    assert git(tagged.root, "worktree", "list").count("\n") == 1  # the worktree is gone

    # Again: the built edition is kept, and the published pages are the same bytes.
    first = (tagged.root / "build" / "pages" / "2029-january" / "index.html").read_bytes()
    capsys.readouterr()
    assert main(["--root", str(tagged.root), "--no-pdf"]) == 0
    assert "built before from" in capsys.readouterr().out
    assert (tagged.root / "build" / "pages" / "2029-january" / "index.html").read_bytes() == first


def test_a_misnamed_edition_tag_is_refused_with_the_fix(tagged: Layout, capsys):
    git(tagged.root, "tag", "edition/last-year")
    assert main(["--root", str(tagged.root), "--no-pdf"]) == 1
    assert "edition/<year>-<month>" in capsys.readouterr().err


def test_a_single_edition_is_published_without_a_switcher(tagged: Layout):
    git(tagged.root, "tag", "-d", "edition/2029-january")
    assert main(["--root", str(tagged.root), "--no-pdf"]) == 0
    assert page(tagged, "tas.html").select(".handbook-editions") == []
    zips = tagged.root / "build" / "pages" / "editions"
    assert [z.name for z in zips.iterdir()] == ["dtu-mlops-handbook-2030-january-site.zip"]
