"""Every page's edit link opens the file that holds its text, and the report link says where."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from mlops_handbook.edit_links import report_url

from .conftest import REPO

pytestmark = pytest.mark.book

REPOSITORY = re.search(
    r'^Repository = "([^"]+)"', (REPO / "pyproject.toml").read_text("utf-8"), re.M
)[1]
EDIT = re.compile(rf'href="{re.escape(REPOSITORY)}/edit/main/([^"]+)"')


def edit_links(site: Path) -> dict[str, list[str]]:
    return {
        page.relative_to(site).as_posix(): EDIT.findall(page.read_text("utf-8"))
        for page in site.rglob("*.html")
        if "_static" not in page.relative_to(site).parts
    }


def tracked_files() -> set[str]:
    """Files in the repository: a generated page exists on disk but not on GitHub."""
    listing = subprocess.run(
        ["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True
    )
    return set(listing.stdout.splitlines())


def test_every_edit_link_opens_a_file_in_this_checkout(real_book: Path) -> None:
    links = edit_links(real_book)
    made_by_sphinx = {"search.html", "404.html"}
    without = [page for page, paths in links.items() if not paths and page not in made_by_sphinx]
    assert not without, f"pages without an edit link: {without}"
    tracked = tracked_files()
    missing = {page: paths for page, paths in links.items() for p in paths if p not in tracked}
    assert not missing, f"edit links to files that are not in the repository: {missing}"


@pytest.mark.parametrize(
    ("page", "source"),
    [
        ("sessions/s3_reproducibility/index.html", "docs/_data/sessions.yaml"),
        ("tas.html", "docs/_data/tas.yaml"),
        ("timeplan.html", "docs/_data/timeplan.yaml"),
        ("faq.html", "docs/_data/faq.yaml"),
        ("index.html", "docs/index.md"),
    ],
)
def test_data_pages_are_edited_in_their_data(real_book: Path, page: str, source: str) -> None:
    assert edit_links(real_book)[page] == [source]


def test_report_link_names_page_and_edition() -> None:
    url = report_url(
        "https://github.com/o/r", "S3 · Reproducibility & more", "https://x/p.html", "January 2027"
    )
    parts = urlsplit(url)
    assert parts.path == "/o/r/issues/new"
    query = parse_qs(parts.query)
    assert query["title"] == ["Problem on the page “S3 · Reproducibility & more”"]
    assert "Page: https://x/p.html" in query["body"][0]
    assert "Edition: January 2027" in query["body"][0]
