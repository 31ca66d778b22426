"""The cache of finished bundles, diagrams and page words (lean/cache.py).

A build that reuses a result publishes what a clean build of the same sources publishes, and
a result is made again whenever anything it is made from changed: the tests count the work
the cache did, and compare incremental sites with clean ones byte for byte.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from mlops_handbook.build import Layout, build_html
from mlops_handbook.lean import cache as lean_cache
from mlops_handbook.lean.cache import LeanCache
from mlops_handbook.lean.css import words

from .repo import build, clean_site, differences, make_repo, site_files

Edit = Callable[[Path, str, str], None]

CSS = ".used{color:red}.unused-here{color:blue}"
FONT_CSS = '@font-face{font-family:x;src:url("fonts/x.woff2")}.used{content:"\\f05a"}'


class Counted:
    """A stand-in for finishing a stylesheet that counts its calls."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, css: str) -> str:
        self.calls += 1
        return f"/* finished */{css}"


def finish_twice(folder: Path, css: str, used: set[str], static: Path) -> Counted:
    """Finish ``css`` in two builds (two caches on one folder); return the counter."""
    finish = Counted()
    for _ in range(2):
        got = LeanCache(folder).stylesheet(finish, used, static)(css)
        assert got == f"/* finished */{css}"
    return finish


def test_a_stylesheet_is_finished_once_for_the_same_inputs(tmp_path: Path):
    assert finish_twice(tmp_path / "cache", CSS, {"used", "page"}, tmp_path).calls == 1


def test_only_words_the_stylesheet_names_can_finish_it_again(tmp_path: Path):
    folder, finish = tmp_path / "cache", Counted()
    LeanCache(folder).stylesheet(finish, {"used"}, tmp_path)(CSS)
    LeanCache(folder).stylesheet(finish, {"used", "newword"}, tmp_path)(CSS)
    assert finish.calls == 1, "a word the stylesheet never names cannot change what it keeps"
    LeanCache(folder).stylesheet(finish, {"used", "unused-here"}, tmp_path)(CSS)
    assert finish.calls == 2, "a class the stylesheet names now occurs in the site"


def test_a_changed_font_finishes_the_stylesheet_again(tmp_path: Path):
    static, folder, finish = tmp_path / "static", tmp_path / "cache", Counted()
    (static / "fonts").mkdir(parents=True)
    font = static / "fonts" / "x.woff2"
    font.write_bytes(b"one font")
    LeanCache(folder).stylesheet(finish, {"used"}, static)(FONT_CSS)
    LeanCache(folder).stylesheet(finish, {"used"}, static)(FONT_CSS)
    font.write_bytes(b"another font")
    LeanCache(folder).stylesheet(finish, {"used"}, static)(FONT_CSS)
    assert finish.calls == 2


def test_words_are_read_again_only_from_changed_files(tmp_path: Path):
    files = [tmp_path / f"page{i}.html" for i in range(3)]
    for i, file in enumerate(files):
        file.write_text(f"<p class='word{i} shared'>text</p>", encoding="utf-8")
    first = LeanCache(tmp_path / "cache")
    assert first.words(files) == words(files)
    assert first.computed == ["words"] * 3
    files[1].write_text("<p class='changed'>text</p>", encoding="utf-8")
    second = LeanCache(tmp_path / "cache")
    assert second.words(files) == words(files)
    assert second.computed == ["words"]


def test_a_damaged_word_store_is_read_again(tmp_path: Path):
    page = tmp_path / "page.html"
    page.write_text("<p class='a'>b</p>", encoding="utf-8")
    LeanCache(tmp_path / "cache").words([page])
    (tmp_path / "cache" / lean_cache.WORDS_FILE).write_bytes(b"not a pickle")
    again = LeanCache(tmp_path / "cache")
    assert again.words([page]) == words([page])
    assert again.computed == ["words"]


def test_results_of_other_code_are_made_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """An update of the lean package (or of fontTools) finishes every result again."""
    page, folder, finish = tmp_path / "page.html", tmp_path / "cache", Counted()
    page.write_text("<p class='used'>b</p>", encoding="utf-8")
    LeanCache(folder).words([page])
    LeanCache(folder).stylesheet(finish, {"used"}, tmp_path)(CSS)
    monkeypatch.setattr(lean_cache, "code_digest", lambda: "other code")
    again = LeanCache(folder)
    again.words([page])
    again.stylesheet(finish, {"used"}, tmp_path)(CSS)
    assert again.computed == ["words", "css"]


LATE_CSS = ".open{color:red}p{margin:0}"


def test_a_cut_is_made_again_only_for_an_element_new_to_the_site(tmp_path: Path):
    """The cut of a sheet into head and late rules is reused while the pages' elements stay."""
    files = [tmp_path / f"page{i}.html" for i in range(2)]
    for i, file in enumerate(files):
        file.write_text(f"<p>text {i}</p>", encoding="utf-8")
    first = LeanCache(tmp_path / "cache")
    assert first.splitter(files)(LATE_CSS) == ("p{margin:0}", ".open{color:red}")
    assert first.computed == ["markup", "markup", "split"]
    files[1].write_text("<p>other text</p>", encoding="utf-8")
    second = LeanCache(tmp_path / "cache")
    assert second.splitter(files)(LATE_CSS) == ("p{margin:0}", ".open{color:red}")
    assert second.computed == ["markup"], "no new element: the cut is reused"
    files[1].write_text("<p class='open'>text</p>", encoding="utf-8")
    third = LeanCache(tmp_path / "cache")
    assert third.splitter(files)(LATE_CSS) == (".open{color:red}p{margin:0}", "")
    assert third.computed == ["markup", "split"]


@pytest.fixture
def caches(monkeypatch: pytest.MonkeyPatch) -> list[LeanCache]:
    """Every LeanCache the builds of a test make, to count the work each did."""
    made: list[LeanCache] = []
    init = LeanCache.__init__

    def recording(self: LeanCache, folder: Path) -> None:
        init(self, folder)
        made.append(self)

    monkeypatch.setattr(LeanCache, "__init__", recording)
    return made


def test_a_one_page_edit_reads_one_page_and_finishes_nothing_again(
    tmp_path: Path, edit: Edit, caches: list[LeanCache]
):
    layout = make_repo(tmp_path / "repo")
    assert build(layout) == 0
    assert {"words", "css"} <= set(caches[-1].computed)
    edit(layout.source / "sessions" / "s2_second" / "gluing.md", "Gluing text.", "Gluing, again.")
    assert build(layout) == 0
    assert caches[-1].computed == ["words", "markup"]


def with_stylesheet(root: Path, css: str) -> Layout:
    """The test handbook with a stylesheet of its own in ``docs/_static/``."""
    layout = make_repo(root)
    static = layout.source / "_static"
    static.mkdir()
    (static / "extra.css").write_text(css, encoding="utf-8")
    with (layout.root / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('html_static_path = ["docs/_static"]\nhtml_css_files = ["extra.css"]\n')
    return layout


def stylesheets(site: Path) -> str:
    return "".join(p.read_text("utf-8") for p in sorted((site / "_static").glob("bundle-*.css")))


def test_a_changed_stylesheet_is_published_as_a_clean_build_publishes_it(tmp_path: Path):
    layout = with_stylesheet(tmp_path / "repo", ".headerlink{color:#123456}")
    assert build(layout) == 0
    assert "#123456" in stylesheets(layout.site)
    (layout.source / "_static" / "extra.css").write_text(".headerlink{color:#654321}", "utf-8")
    assert build(layout) == 0
    assert "#654321" in stylesheets(layout.site)
    assert differences(site_files(layout.site), clean_site(layout, tmp_path / "clean")) == []


def test_a_changed_theme_stylesheet_is_published_as_a_clean_build_publishes_it(tmp_path: Path):
    """A theme's file changes (here: overridden from ``_static/``, as an update would)."""
    layout = with_stylesheet(tmp_path / "repo", ".headerlink{color:#123456}")
    assert build(layout) == 0
    theme = next(layout.staging("html").glob("_static/styles/sphinx-book-theme.css"))
    override = layout.source / "_static" / "styles" / theme.name
    override.parent.mkdir()
    override.write_text(theme.read_text("utf-8") + ".headerlink{margin:0.123rem}", "utf-8")
    assert build(layout) == 0
    assert "0.123rem" in stylesheets(layout.site)
    assert differences(site_files(layout.site), clean_site(layout, tmp_path / "clean")) == []


def test_a_class_name_new_to_the_site_brings_its_rule_back(tmp_path: Path, edit: Edit):
    layout = with_stylesheet(tmp_path / "repo", ".sanding-only{color:#abcdef}")
    assert build(layout) == 0
    assert "#abcdef" not in stylesheets(layout.site)
    page = layout.source / "sessions" / "s2_second" / "gluing.md"
    edit(page, "Gluing text.", "Gluing text, sanding-only.")
    assert build(layout) == 0
    assert "#abcdef" in stylesheets(layout.site)
    assert differences(site_files(layout.site), clean_site(layout, tmp_path / "clean")) == []


def test_a_clean_build_with_a_warm_cache_publishes_what_a_fresh_one_does(
    tmp_path: Path, edit: Edit
):
    layout = make_repo(tmp_path / "repo")
    assert build(layout) == 0
    edit(layout.source / "sessions" / "s2_second" / "gluing.md", "Gluing text.", "Glued.")
    assert build_html(layout, clean=True, extra=[]) == 0
    assert differences(site_files(layout.site), clean_site(layout, tmp_path / "clean")) == []
