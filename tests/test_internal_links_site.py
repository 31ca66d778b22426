"""What the internal link check counts and which files it treats as pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlops_handbook.links.internal import Problem, Site, check_site


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


def test_every_link_of_every_page_is_counted_once(tmp_path: Path):
    write(
        tmp_path,
        {
            "index.html": '<a href="a.html">a</a>\n<a href="a.html#x">x</a>\n<img src="gone.png">',
            "a.html": '<p id="x"><a href="index.html">home</a></p>',
            "_static/theme.html": '<a href="nowhere.html">a template, not a page</a>',
            "sub/_notes.html": '<a href="../index.html">up</a>',
        },
    )
    problems, pages, links = check_site(tmp_path)
    assert problems == [Problem("index.html", 3, "gone.png", "no file gone.png")]
    assert (pages, links) == (3, 5)
    assert Site(tmp_path).pages() == ["a.html", "index.html", "sub/_notes.html"]


def test_a_page_that_is_not_utf8_is_still_checked(tmp_path: Path):
    (tmp_path / "index.html").write_bytes(b'<p>caf\xe9</p><a href="gone.html">x</a>')
    problems, _, _ = check_site(tmp_path)
    assert problems == [Problem("index.html", 1, "gone.html", "no file gone.html")]


@pytest.mark.parametrize(
    ("page", "url", "reason"),
    [
        ("sub/page.html", "..", None),  # the top folder: its index.html
        ("sub/page.html", "../", None),
        ("index.html", ".", None),
        ("index.html", "..", "points outside the site"),
        ("sub/page.html", "empty/", "no file sub/empty/index.html"),  # a folder, no index.html
        ("sub/page.html", "#:~:text=hello", None),  # a text fragment the browser finds itself
    ],
)
def test_folder_links_and_edges(tmp_path: Path, page: str, url: str, reason: str | None):
    write(tmp_path, {"index.html": "<p>home</p>", "sub/page.html": "<p>page</p>"})
    (tmp_path / "sub" / "empty").mkdir()
    assert Site(tmp_path).check_link(page, url) == reason
