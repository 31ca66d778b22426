"""A broken link in the built site is traced back to the source file and line a writer edits."""

from __future__ import annotations

from pathlib import Path

from mlops_handbook.links.internal import Problem
from mlops_handbook.links.locate import describe, source_file, source_line, spellings


def test_the_ways_a_link_may_be_written_most_specific_first():
    assert spellings("../guide/set%20up.html#install") == [
        "../guide/set%20up.html#install",
        "../guide/set up.md#install",
        "../guide/set up.rst#install",
        "../guide/set up.ipynb#install",
        "../guide/set up.txt#install",
        "../guide/set up#install",
        "#install",
        "<install>",
        "`install`",
        "(install)",
        "set up.html",
    ]
    assert spellings("page.html") == [
        "page.html", "page.md", "page.rst", "page.ipynb", "page.txt", "page", "page.html"
    ]  # fmt: skip
    assert spellings("#top%20part") == ["#top%20part", "#top part", "<top part>", "`top part`",
                                        "(top part)"]  # fmt: skip
    assert spellings("img/logo.svg") == ["img/logo.svg", "logo.svg"]


def test_the_source_of_a_page_is_found_by_its_suffix(tmp_path: Path):
    (tmp_path / "guide").mkdir()
    (tmp_path / "guide" / "a.rst").write_text("", encoding="utf-8")
    (tmp_path / "guide" / "a.txt").write_text("", encoding="utf-8")
    (tmp_path / "b.ipynb").write_text("", encoding="utf-8")
    assert source_file("guide/a.html", tmp_path) == tmp_path / "guide" / "a.rst"
    assert source_file("b.html", tmp_path) == tmp_path / "b.ipynb"
    assert source_file("genindex.html", tmp_path) is None


def test_the_line_is_that_of_the_most_specific_spelling(tmp_path: Path):
    source = tmp_path / "page.md"
    source.write_text("see (intro) and (outro)\n\n[the setup](setup.md#intro)\n", encoding="utf-8")
    assert source_line(source, "setup.html#intro") == 3  # the link beats the bare anchor
    assert source_line(source, "other.html#outro") == 1
    assert source_line(source, "other.html#nowhere") is None


def test_problems_are_described_by_source_then_once_per_template_link(tmp_path: Path):
    src, site = tmp_path / "src", tmp_path / "site"
    src.mkdir()
    (src / "b.md").write_text("x\n[gone](gone.md)\n", encoding="utf-8")
    (src / "a.md").write_text("a\nb\nc\n[gone](gone.md)\n", encoding="utf-8")  # by file, then line
    problems = [
        Problem("b.html", 40, "gone.html", "no file gone.html"),
        Problem("a.html", 12, "gone.html", "no file gone.html"),
        Problem("a.html", 90, "old.html", "no file old.html"),  # in no source: a template
        Problem("b.html", 91, "old.html", "no file old.html"),
        Problem("c.html", 92, "old.html", "no file old.html"),
        Problem("genindex.html", 7, "x.html", "no file x.html"),
        Problem("a.html", 5, "y.html", "no file y.html"),
        Problem("b.html", 6, "y.html", "no file y.html"),
    ]
    template = "(from a theme template or generated content, in no source file)"
    assert describe(problems, site, src) == [
        f"{src / 'a.md'}:4: broken link 'gone.html': no file gone.html",
        f"{src / 'b.md'}:2: broken link 'gone.html': no file gone.html",
        f"{site / 'a.html'}:90 and 2 other pages: broken link 'old.html': no file old.html "
        + template,
        f"{site / 'genindex.html'}:7: broken link 'x.html': no file x.html {template}",
        f"{site / 'a.html'}:5 and 1 other pages: broken link 'y.html': no file y.html {template}",
    ]
    assert describe(problems[:1], site, None) == [
        f"{site / 'b.html'}:40: broken link 'gone.html': no file gone.html {template}"
    ]


def test_a_source_that_is_not_utf8_is_still_searched(tmp_path: Path):
    source = tmp_path / "page.md"
    source.write_bytes(b"caf\xe9 au lait\n[setup](setup.md)\n")  # Latin-1, not UTF-8
    assert source_line(source, "setup.html") == 2
