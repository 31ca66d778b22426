"""The published site is light: only what readers load, icons inline, gzip copies that match."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pydata_sphinx_theme
import pytest

from mlops_handbook.lean import FONTAWESOME, theme_icons
from mlops_handbook.lean.css import prune
from mlops_handbook.lean.head import lighten_head
from mlops_handbook.lean.icons import IconSet
from mlops_handbook.publish_files import compressible

from .repo import build, make_repo

THEME_ICONS = {"sun", "moon", "circle-half-stroke", "magnifying-glass", "arrow-up"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small test handbook, in the real book's theme, built and published."""
    layout = make_repo(tmp_path_factory.mktemp("light"))
    assert build(layout) == 0
    return layout.site.resolve()


@pytest.fixture(scope="module")
def icons() -> IconSet:
    theme = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme"
    return IconSet.from_file(theme / FONTAWESOME)


def published(site: Path) -> list[str]:
    return [p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()]


def pages(site: Path) -> list[Path]:
    return [p for p in site.rglob("*.html") if "_static" not in p.parts]


def test_no_source_maps_locales_or_template_macros_are_published(site: Path):
    files = published(site)
    assert [f for f in files if f.endswith(".map")] == []
    assert [f for f in files if f.startswith("_static/locales/")] == []
    assert [f for f in files if f.endswith("webpack-macros.html")] == []
    assert "_static/styles/pydata-sphinx-theme.css" in files  # what pages load stays


def test_no_page_loads_fontawesome(site: Path):
    assert not (site / "_static" / "scripts" / "fontawesome.js").exists()
    loading = [p.name for p in pages(site) if "fontawesome" in p.read_text("utf-8")]
    assert loading == []


def test_every_theme_icon_is_an_inline_svg(site: Path):
    for page in pages(site):
        text = page.read_text("utf-8")
        assert not re.search(r"<i [^>]*class=\"[^\"]*\bfa-", text), page
        drawn = set(re.findall(r'<svg class="svg-inline--fa[^>]*data-icon="([\w-]+)"', text))
        assert drawn >= THEME_ICONS, page
        for mode in ("light", "dark", "auto"):  # the theme switch still shows one per mode
            assert re.search(rf'<svg class="svg-inline--fa [^>]*data-mode="{mode}"', text)


def test_every_gzip_copy_decompresses_to_its_file(site: Path):
    copies = sorted(site.rglob("*.gz"))
    assert copies
    for copy in copies:
        assert gzip.decompress(copy.read_bytes()) == copy.with_suffix("").read_bytes(), copy
    for file in site.rglob("*"):
        pagefind = file.relative_to(site).parts[0] == "_pagefind"  # Pagefind's own folder
        if file.is_file() and file.suffix != ".gz" and compressible(file) and not pagefind:
            assert file.with_name(f"{file.name}.gz").is_file(), file


def test_head_scripts_are_deferred_but_the_options_they_read(site: Path):
    head = (site / "index.html").read_text("utf-8").split("</head>")[0]
    blocking = re.findall(r"<script (?![^>]*defer)[^>]*src=\"([^\"]+)\"", head)
    assert [src.split("?")[0].rsplit("/", 1)[1] for src in blocking] == ["documentation_options.js"]
    assert "searchindex.js" not in head  # the search page alone loads Sphinx's index
    assert "searchindex.js" in (site / "search.html").read_text("utf-8")


def test_an_icon_is_the_drawing_fontawesome_would_make(icons: IconSet):
    svg = icons.svg('class="fab fa-github" title="GitHub"')
    assert svg is not None
    assert 'data-prefix="fab" data-icon="github"' in svg
    assert 'class="svg-inline--fa fa-github"' in svg and 'title="GitHub"' in svg
    assert re.search(r'viewBox="0 0 \d+ \d+".*<path fill="currentColor" d="M', svg)
    alias = icons.svg('class="fas fa-pencil-alt"')
    assert alias is not None and 'data-icon="pencil-alt"' in alias
    assert icons.inline('<i class="fa-solid fa-no-such-icon"></i>') == (
        '<i class="fa-solid fa-no-such-icon"></i>'
    )


def test_icons_keep_fontawesomes_own_rules(icons: IconSet):
    assert ".svg-inline--fa {" in icons.css


CSS = (
    ".used{color:red}.unused{color:blue}.used,.unused b{margin:0}"
    "@media (min-width:1px){.unused{x:y}}@media print{.used .also{x:y}}"
    "@font-face{font-family:x}p:not(.unused){x:y}/* a comment */"
)


def test_css_keeps_only_rules_whose_classes_the_site_uses():
    assert prune(CSS, {"used", "also"}) == (
        ".used{color:red}.used{margin:0}@media print{.used .also{x:y}}"
        "@font-face{font-family:x}p:not(.unused){x:y}"
    )


def test_a_theme_without_fontawesome_is_left_alone(tmp_path: Path):
    class Builder:
        theme = None

    class App:
        builder = Builder()

    assert theme_icons(App()) is None  # type: ignore[arg-type]


def test_lightening_a_page_without_a_head_changes_nothing():
    assert lighten_head("<p>no head</p>", "index") == "<p>no head</p>"


def test_a_rebuilt_page_gets_a_fresh_gzip_copy(tmp_path: Path):
    layout = make_repo(tmp_path)
    assert build(layout) == 0
    page = layout.source / "tas.md"
    page.write_text(page.read_text("utf-8") + "\nA paragraph added later.\n", "utf-8")
    assert build(layout) == 0
    html = layout.site / "tas.html"
    assert "A paragraph added later." in html.read_text("utf-8")
    assert gzip.decompress((layout.site / "tas.html.gz").read_bytes()) == html.read_bytes()
