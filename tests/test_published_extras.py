"""What a published site needs beside its pages: dates from git, a sitemap, a 404 page."""

from __future__ import annotations

import os
import re
import runpy
import shutil
import subprocess
from pathlib import Path

import pytest
from sphinx.cmd.build import build_main

from mlops_handbook.links.internal import Site
from mlops_handbook.sitemap import sitemap

from .conftest import REPO, ROOTS

BASE: str = runpy.run_path(str(REPO / "conf.py"))["html_baseurl"]
DAY_ONE = "2024-01-02T12:00:00+00:00"
DAY_TWO = "2024-03-04T12:00:00+00:00"


def commit(repo: Path, message: str, when: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    for command in (
        ["git", "add", "-A"],
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", message],
    ):
        subprocess.run(command, cwd=repo, env=env, check=True, capture_output=True)


def last_updated(site: Path, page: str) -> str:
    found = re.search(r"Last updated on ([^.<]+)", (site / page).read_text("utf-8"))
    return found[1] if found else ""


@pytest.fixture(scope="module")
def dated_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small test book in a git repository with two commits on known days, built."""
    repo = tmp_path_factory.mktemp("dated")
    shutil.copytree(ROOTS / "test-handbook", repo, dirs_exist_ok=True)
    (repo / ".gitignore").write_text("sessions/*/index.md\n_build/\n")
    conf = repo / "conf.py"
    conf.write_text(
        conf.read_text("utf-8").replace(
            '"mlops_handbook"]', '"sphinx_last_updated_by_git", "mlops_handbook"]'
        )
        + '\nhtml_last_updated_fmt = "%d %B %Y"\ngit_last_updated_timezone = "Europe/Copenhagen"\n'
        + 'html_theme = "classic"  # its footer shows the date\n'
    )
    tas = repo / "tas.md"
    tas.write_text("---\nedit-source: _data/tas.yaml\n---\n\n" + tas.read_text("utf-8"))
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    commit(repo, "first", DAY_ONE)
    data = repo / "_data" / "tas.yaml"
    data.write_text(data.read_text("utf-8") + "\n# a later edit of the data only\n")
    commit(repo, "second", DAY_TWO)
    out = repo / "_build"
    assert build_main(["-b", "html", "-q", "-W", str(repo), str(out)]) == 0
    return out


def test_a_page_is_dated_by_its_last_commit_not_the_build(dated_site: Path) -> None:
    assert last_updated(dated_site, "index.html") == "02 January 2024"


def test_a_generated_page_is_dated_by_its_data(dated_site: Path) -> None:
    assert last_updated(dated_site, "sessions/s1_first/index.html") == "02 January 2024"


def test_a_data_page_is_dated_by_its_data_when_that_is_newer(dated_site: Path) -> None:
    assert last_updated(dated_site, "tas.html") == "04 March 2024"


def test_sitemap_lists_every_page_once_escaped_and_sorted() -> None:
    text = sitemap("https://o.github.io/r/", ["b.html", "a&b.html"])
    locs = re.findall(r"<loc>([^<]+)</loc>", text)
    assert locs == ["https://o.github.io/r/a&amp;b.html", "https://o.github.io/r/b.html"]


@pytest.mark.book
def test_real_book_has_a_sitemap_and_a_404_page(real_book: Path) -> None:
    locs = re.findall(r"<loc>([^<]+)</loc>", (real_book / "sitemap.xml").read_text("utf-8"))
    pages = sorted(
        p.relative_to(real_book).as_posix()
        for p in real_book.rglob("*.html")
        if not p.relative_to(real_book).parts[0].startswith("_")
        and p.name not in {"search.html", "404.html"}
    )
    assert [loc.removeprefix(BASE) for loc in locs] == pages
    assert "Page not found" in (real_book / "404.html").read_text("utf-8")


@pytest.mark.parametrize(
    ("url", "broken"),
    [
        ("/handbook/_static/x.css", False),
        ("/handbook/index.html", False),
        ("/_static/x.css", False),
        ("/handbook/_static/missing.css", True),
        ("/elsewhere/nothing.html", True),
        ("/handbook/s1/", False),  # a folder: its index.html
        ("/handbook/s1", False),
        ("/X.html", False),  # the site served at the host's root
        ("/handbook/pdf/book.pdf", False),  # added by publishing, after the check
        ("/handbook/pdf/other.pdf", True),
    ],
)
def test_404_page_links_resolve_below_any_prefix(tmp_path: Path, url: str, broken: bool) -> None:
    site = Site(served_site(tmp_path), added=["pdf/book.pdf"])
    assert (site.check_link("404.html", url) is not None) is broken
    assert site.check_link("index.html", url) is not None, "other pages must stay relative"


def served_site(root: Path) -> Path:
    for name in ("_static/x.css", "index.html", "404.html", "s1/index.html", "X.html"):
        (root / name).parent.mkdir(exist_ok=True)
        (root / name).write_text("<html></html>")
    return root


def test_a_broken_404_link_names_the_file_it_looked_for(tmp_path: Path) -> None:
    site = Site(served_site(tmp_path))
    reason = site.check_link("404.html", "/handbook/_static/missing.css")
    assert reason == "no file missing.css below any prefix of the site"
