"""A scratch repository holding the small test handbook, themed like the real book.

The real book's theme settings matter here: its sidebar (every session, the modules of the
current one) and previous/next links are what an incremental build used to leave stale.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from mlops_handbook.build import Layout, build_html

from .conftest import ROOTS

# templates_path is set so the theme extends this list, not Sphinx's shared default (which,
# with several builds in one test process, grew and changed the configuration's hash).
THEME = """
templates_path = []
html_theme = "sphinx_book_theme"
html_theme_options = {
    "collapse_navbar": True,
    "max_navbar_depth": 2,
    "show_navbar_depth": 1,
    "home_page_in_toc": True,
}
# As in the real book, so that every incremental build of a test goes through this cache.
handbook_lean_cache = "build/.cache/lean"
"""


def make_repo(root: Path) -> Layout:
    """Lay out ``root`` like this repository (conf.py beside docs/) with the test handbook."""
    shutil.copytree(ROOTS / "test-handbook", root / "docs")
    shutil.move(root / "docs" / "conf.py", root / "conf.py")
    with (root / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(THEME)
    return Layout(root)


def copy_sources(layout: Layout, root: Path) -> Layout:
    """The same sources (not the build) in a fresh repository at ``root``."""
    shutil.copytree(layout.source, root / "docs")
    for name in ("conf.py", "pyproject.toml"):  # the real conf.py reads pyproject.toml
        if (layout.root / name).is_file():
            shutil.copy2(layout.root / name, root / name)
    return Layout(root)


def site_files(site: Path) -> dict[str, bytes]:
    """Every published file and folder (ending in ``/``) by its path, to compare two sites.

    Byte for byte and folder for folder: an empty folder left in one site is a difference too.
    """
    return {
        path.relative_to(site).as_posix() + ("" if path.is_file() else "/"): (
            path.read_bytes() if path.is_file() else b""
        )
        for path in sorted(site.rglob("*"))
    }


def build(layout: Layout, *extra: str) -> int:
    return build_html(layout, clean=False, extra=extra)


def clean_site(layout: Layout, scratch: Path) -> dict[str, bytes]:
    """What a clean build of ``layout``'s current sources publishes."""
    fresh = copy_sources(layout, scratch)
    assert build(fresh) == 0
    return site_files(fresh.site)


def differences(got: dict[str, bytes], want: dict[str, bytes]) -> list[str]:
    """Paths that are missing, extra or different, for a readable assertion message."""
    return sorted(p for p in got.keys() | want.keys() if got.get(p) != want.get(p))
