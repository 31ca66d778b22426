"""The published site is light: only what readers load, icons inline, gzip copies that match."""

from __future__ import annotations

import gzip
import io
import json
import logging
import re
from pathlib import Path

import pydata_sphinx_theme
import pytest
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables import _h_e_a_d

from mlops_handbook.lean import FONTAWESOME, theme_icons
from mlops_handbook.lean.bundle import groups, stylesheet_text
from mlops_handbook.lean.css import prune, prune_properties
from mlops_handbook.lean.early import ask_early
from mlops_handbook.lean.fonts import drawn_characters, subset_woff2
from mlops_handbook.lean.head import lazy_images, lighten_head
from mlops_handbook.lean.icons import IconSet
from mlops_handbook.lean.ondemand import bootstrap_on_demand
from mlops_handbook.lean.svg import prune_svg
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
    assert [f for f in files if f.startswith("_static/vendor/")] == []  # the fonts are inline
    assert "_static/styles/pydata-sphinx-theme.css" not in files  # it is in the bundle


def linked(page: Path) -> tuple[list[str], list[str]]:
    """The stylesheets and the external scripts a page loads."""
    text = page.read_text("utf-8")
    sheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', text)
    return sheets, re.findall(r'<script[^>]* src="([^"]+)"', text)


def test_a_page_loads_one_stylesheet_and_a_few_script_bundles_all_published(site: Path):
    for page in pages(site):
        sheets, scripts = linked(page)
        assert len(sheets) == 2 and "/bundle-" in f"/{sheets[0]}", page
        # The rules for states scripts set come last in the body, after everything it shows.
        text = page.read_text("utf-8")
        assert sheets[1] == sheets[0].replace(".css", "-late.css"), page
        assert text.index(sheets[0]) < text.index("</head>"), page
        late = text.index(f'<link rel="stylesheet" href="{sheets[1]}"')
        assert late > text.rindex("</footer>") and late > text.rindex("<script"), page
        own = [s for s in scripts if "_static/" in s]
        assert 1 <= len(own) <= 4 and all("_static/bundle-" in s for s in own), (page, scripts)
        for url in [*sheets, *own]:
            assert (page.parent / url.split("?")[0]).is_file(), (page, url)


def test_the_bundles_hold_their_parts_in_order_with_icon_fonts_inline(site: Path):
    sheet = next((site / "_static").glob("bundle-*[0-9a-f].css")).read_text("utf-8")
    late = next((site / "_static").glob("bundle-*-late.css")).read_text("utf-8")
    assert sheet.startswith("/* bundle of: _static/styles/theme.css ")
    assert "url(../vendor" not in sheet and "woff2)" not in sheet
    assert sheet.count("data:font/woff2;base64,") >= 1  # the admonitions' icon font
    assert ".sd-card" in sheet and ".copybtn" in sheet + late  # sphinx-design's, copybutton's
    # An open menu is a script's state: its rules come late, the page paints without them.
    assert "}.dropdown-menu.show{" in late and ".dropdown-menu.show{" not in sheet
    _, scripts = linked(site / "index.html")
    texts = [(site / s).read_text("utf-8") for s in scripts if "_static/" in s]
    parts = [p for text in texts for p in text[: text.index("*/")].split()]
    tabs, theme = parts.index("_static/design-tabs.js"), parts.index("_static/language_data.js")
    assert tabs < theme < parts.index("_static/scripts/pydata-sphinx-theme.js")  # page order
    assert any("data-sd-tabs-storage-prefix" in text for text in texts)  # minified but whole


def test_bootstrap_is_in_no_bundle_and_fetched_by_the_script_that_plays_back_a_click(site: Path):
    """Bootstrap waits for a reader's hand (:mod:`mlops_handbook.lean.ondemand`)."""
    assert (site / "_static" / "scripts" / "bootstrap.js").is_file()
    for page in pages(site):
        text = page.read_text("utf-8")
        assert "bootstrap.js" not in text, page  # neither the deferred tag nor its preload
        _, scripts = linked(page)
        bundled = "".join((page.parent / s).read_text("utf-8") for s in scripts if "bundle-" in s)
        assert "_static/handbook-bootstrap.js" in bundled and "toggle?.click()" in bundled, page


def test_the_files_linked_at_the_end_of_the_body_are_asked_for_at_its_start(site: Path):
    for page in pages(site):
        text = page.read_text("utf-8")
        body = text[text.index("<body") :]
        start = re.match(r"<body[^>]*><script>for\(const f of (\[.*?\])\)\{", body)
        assert start is not None, page
        late = re.findall(r'<link rel="stylesheet" href="([^"]+)"', body)
        scripts = re.findall(r'<script defer src="([^"]*_static/bundle-[^"]+)"', body)
        expected = [[late[-1], "style"], *([s, "script"] for s in scripts)]
        assert json.loads(start[1]) == expected, page


def test_nothing_is_asked_for_early_without_a_body_or_files_at_its_end():
    assert ask_early("<head></head>") == "<head></head>"
    page = '<body class="x"><p>text</p><script defer src="other.js"></script></body>'
    assert ask_early(page) == page


def test_bootstrap_stays_where_no_script_would_fetch_it():
    theme = '<script defer src="_static/scripts/bootstrap.js?digest=1"></script>'
    assert bootstrap_on_demand(theme) == theme
    hint = '<link rel="preload" as="script" href="_static/scripts/bootstrap.js?digest=1" />'
    loader = '<script defer src="_static/handbook-bootstrap.js"></script>'
    assert bootstrap_on_demand(f"{hint}\n{theme}{loader}") == loader


def test_the_search_page_runs_its_index_after_the_search_script(site: Path):
    text = (site / "search.html").read_text("utf-8")
    bundles = re.findall(r'<script defer src="(_static/bundle-[0-9a-f]+\.js)"', text)
    search = [b for b in bundles if "searchtools" in (site / b).read_text("utf-8")]
    assert len(search) == 1  # with no script before it that looks for Search (:func:`groups`)
    assert (site / search[0]).read_text("utf-8").startswith("/* bundle of: _static/searchtools")
    assert text.index(search[0]) < text.index('src="searchindex.js"')


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


def test_head_scripts_are_deferred_and_the_options_they_read_are_inline(site: Path):
    head = (site / "index.html").read_text("utf-8").split("</head>")[0]
    assert re.findall(r"<script (?![^>]*defer)[^>]*src=\"([^\"]+)\"", head) == []
    options = head.index("<script>const DOCUMENTATION_OPTIONS = {")
    assert options < head.index("DOCUMENTATION_OPTIONS.pagename = ")
    assert head.rindex("<script") < head.index('<link rel="stylesheet"')  # no script waits for it
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


def test_custom_properties_nothing_reads_are_left_out():
    css = ':root{--a:1;--b:var(--c);--c:2;--d:url("data:x;y");--e:3}.x{color:var(--a)}'
    assert prune_properties(css, {"--e"}) == ":root{--a:1;--e:3}.x{color:var(--a)}"


def test_a_diagram_keeps_the_style_rules_its_elements_can_match():
    svg = (
        "<svg><style>#m .node rect{fill:red}#m .cluster rect{fill:blue}#m text{x:y}</style>"
        '<g class="node"><rect/></g></svg>'
    )
    assert prune_svg(svg) == (
        '<svg><style>#m .node rect{fill:red}#m text{x:y}</style><g class="node"><rect/></g></svg>'
    )
    assert prune_svg(prune_svg(svg)) == prune_svg(svg)


def test_an_icon_font_keeps_only_the_characters_the_css_draws():
    solid = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme"
    font = (solid / "static/vendor/fontawesome/webfonts/fa-solid-900.woff2").read_bytes()
    css = '.a:after{content:"\\f05a"}.b{--icon:"\\f071"}'
    assert drawn_characters(css) == {0xF05A, 0xF071}
    cut = subset_woff2(font, drawn_characters(css))
    assert cut is not None and len(cut) < len(font) / 20
    assert set(TTFont(io.BytesIO(cut)).getBestCmap()) == {0xF05A, 0xF071}
    assert subset_woff2(font, {0x10FFFD}) is None  # a character it lacks: the face goes


def test_cutting_a_font_logs_nothing_even_when_the_root_logger_shows_info(
    caplog: pytest.LogCaptureFixture,
):
    """The theme's a11y_pygments sets the root logger to INFO: fontTools then printed 75 lines."""
    solid = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme"
    font = (solid / "static/vendor/fontawesome/webfonts/fa-solid-900.woff2").read_bytes()
    caplog.set_level(logging.INFO)
    assert subset_woff2(font, {0xF05A}) is not None
    assert [r.getMessage() for r in caplog.records if r.name.startswith("fontTools")] == []


def test_a_bundled_stylesheet_resolves_imports_and_rebases_urls(tmp_path: Path):
    styles = tmp_path / "_static" / "styles"
    styles.mkdir(parents=True)
    (tmp_path / "_static" / "basic.css").write_text("p{x:y}", "utf-8")
    (styles / "theme.css").write_text(
        '@import "../basic.css";a{b:url(../img/x.png)}c{d:url("data:e;f")}', "utf-8"
    )
    assert stylesheet_text(tmp_path, "_static/styles/theme.css") == (
        'p{x:y}a{b:url(img/x.png)}c{d:url("data:e;f")}'
    )


def test_images_load_lazily_but_those_that_say_otherwise():
    page = '<head><img src="h"></head><img src="a"><img loading="eager" src="b">'
    assert lazy_images(page) == (
        '<head><img src="h"></head><img loading="lazy" src="a"><img loading="eager" src="b">'
    )


def test_a_cut_font_is_the_same_bytes_whenever_it_is_made(monkeypatch: pytest.MonkeyPatch):
    theme = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme"
    font = (theme / "static/vendor/fontawesome/webfonts/fa-solid-900.woff2").read_bytes()
    monkeypatch.setattr(_h_e_a_d, "timestampNow", lambda: 3_000_000_000)
    first = subset_woff2(font, {0xF05A})
    monkeypatch.setattr(_h_e_a_d, "timestampNow", lambda: 3_000_000_999)
    assert subset_woff2(font, {0xF05A}) == first


def test_scripts_share_a_bundle_unless_one_declares_a_name_an_earlier_one_uses(tmp_path: Path):
    static = tmp_path / "_static"
    static.mkdir()
    (static / "a.js").write_text('if (typeof Search === "undefined") go();\n', "utf-8")
    (static / "b.js").write_text("const helper = 1;\n", "utf-8")
    (static / "c.js").write_text("const Search = {};\n", "utf-8")
    parts = ["_static/a.js", "_static/b.js", "_static/c.js", "_static/plan.js"]
    assert groups(tmp_path, parts, ("plan.js",)) == [parts[:2], parts[2:]]
