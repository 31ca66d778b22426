"""A session title from the data is plain text everywhere it is shown, whatever it holds.

The title reaches pages as docutils text, never as MyST source: markup in it is shown as
typed, in the page heading, the browser's title, the sidebar of every page, the previous/next
links and the module headers.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from .repo import build, make_repo

Edit = Callable[[Path, str, str], None]

TITLES = {
    "html": "Reproducibility <script>alert(1)</script>",
    "link": "Reproducibility [click](https://example.com/evil)",
    "role": "Reproducibility {download}`secret <../conf.py>`",
    "directive": "Reproducibility\n```{raw} html\n<b id=injected>raw</b>\n```",
}


def soup(page: Path) -> BeautifulSoup:
    return BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")


def no_live_markup(page: BeautifulSoup) -> list[str]:
    """Elements that the hostile titles would create if they became markup."""
    found = [s.get_text() for s in page.find_all("script") if "alert" in s.get_text()]
    found += [a["href"] for a in page.find_all("a", href=True) if "example.com" in a["href"]]
    found += [a["href"] for a in page.find_all("a", href=True) if "conf.py" in a["href"]]
    found += [str(b) for b in page.find_all(id="injected")]
    return found


@pytest.mark.parametrize("title", TITLES.values(), ids=TITLES.keys())
def test_a_session_title_is_plain_text_everywhere(tmp_path: Path, edit: Edit, title: str):
    layout = make_repo(tmp_path / "repo")
    quoted = title.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    edit(layout.source / "_data" / "sessions.yaml", "title: First things", f'title: "{quoted}"')
    assert build(layout) == 0
    label = " ".join(f"S1 · {title}".split())
    pages = {p.relative_to(layout.site).as_posix(): soup(p) for p in layout.site.rglob("*.html")}
    live = {name: found for name, page in pages.items() if (found := no_live_markup(page))}
    assert live == {}
    assert not (layout.site / "_downloads").exists()

    def shown(page: BeautifulSoup, selector: str) -> list[str]:
        return [" ".join(e.get_text(" ").split()) for e in page.select(selector)]

    session = pages["sessions/s1_first/index.html"]
    assert label in shown(session, "main h1")[0]
    assert label in shown(session, "title")[0]
    assert label in shown(session, "div.onlyprint h1")[0]  # the theme's print heading
    for name in ("index.html", "tas.html", "sessions/s2_second/gluing.html"):
        assert label in shown(pages[name], "nav.bd-docs-nav a"), f"sidebar of {name}"
    assert label in " ".join(shown(pages["faq.html"], "a.right-next"))
    assert label in " ".join(shown(pages["sessions/s1_first/hammering.html"], "a.left-prev"))
    assert label in " ".join(shown(pages["sessions/s1_first/hammering.html"], "main p"))
