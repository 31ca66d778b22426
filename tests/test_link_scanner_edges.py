"""The fast scanner on the odd corners of HTML, where a wrong step skips or invents a link."""

from __future__ import annotations

import pytest

from mlops_handbook.links.internal import parse_page

from .test_links_internal import reference


@pytest.mark.parametrize(
    ("html", "urls"),
    [
        ('<a href="first.html">at the very start</a>', ["first.html"]),
        ('<p>a</p><!-- 1 > 0 <a href="hidden.html"> --><a href="shown.html">', ["shown.html"]),
        ('<!--><a href="after-empty-comment.html">', ["after-empty-comment.html"]),
        ('<!--<a"-->" href="inside-comment.html">', []),
        ('<p>1 <<a href="after-lt.html">', ["after-lt.html"]),
        ('<style media="print">a{}</style><a href="after-style.html">', ["after-style.html"]),
        ('<script type="module">x</script><a href="after-script.html">', ["after-script.html"]),
    ],
)
def test_the_scanner_agrees_with_html_parser(html: str, urls: list[str]):
    page = parse_page(html)
    assert [link.url for link in page.links] == urls
    assert page == reference(html)


def test_a_tag_left_open_at_the_end_is_ignored():
    page = parse_page('<a href="a.html">a</a><p id="cut')
    assert [link.url for link in page.links] == ["a.html"] and page.ids == set()


def test_a_comment_left_open_at_the_end_hides_the_rest():
    page = parse_page('<a href="a.html">a</a><!-- <a href="b.html">')
    assert [link.url for link in page.links] == ["a.html"]


def test_lines_count_from_the_first_line():
    page = parse_page('\n\n<a href="third.html">')
    assert [(link.url, link.line) for link in page.links] == [("third.html", 3)]


@pytest.mark.parametrize(
    "html",
    [
        "<a title='1>0' href='b.html'>x</a> <p id='y'>",
        "<a title='a' b='1>0' href='b.html'>x</a> <p id='y'>",  # three quotes before the '>'
    ],
)
def test_a_single_quoted_value_may_hold_a_greater_than_sign(html: str):
    page = parse_page(html)
    assert [link.url for link in page.links] == ["b.html"] and page.ids == {"y"}
    assert page == reference(html)


def test_a_tag_with_every_kind_of_attribute():
    html = "<a id=i name=n href=h.html src=s.png poster=p.png data=d.svg action=a.html>"
    page = parse_page(html)
    assert page.ids == {"i", "n"}
    assert [link.url for link in page.links] == ["h.html", "s.png", "p.png", "d.svg", "a.html"]
    assert page == reference(html)


@pytest.mark.parametrize(
    ("html", "urls", "ids"),
    [
        ("<x=id>", [], set()),  # a tag name with "=": no attributes
        ('<a =x href="b.html">', ["b.html"], set()),  # an "=" with no name before it
        ("<a href=>", [""], set()),
        ('<a href = "spaced.html">', ["spaced.html"], set()),
        ('<a href= "one-space.html">', ["one-space.html"], set()),
        ('<a href="" id="z">', [""], {"z"}),
        ('<a title="x" href=\'open.html>', ["open.html"], set()),  # a quote never closed
        ('<a href="q?a=" id="x">', ["q?a="], {"x"}),
        ('<a href="a.html"id="x">', ["a.html"], {"x"}),  # no space between attributes
        ("<a href=abc id=x>", ["abc"], {"x"}),
        ('<a/ name="anchor">', [], {"anchor"}),
        ('<aX name="q">', [], set()),  # "name" makes an id only on <a>
    ],
)
def test_attributes_written_loosely(html: str, urls: list[str], ids: set[str]):
    page = parse_page(html)
    assert ([link.url for link in page.links], page.ids) == (urls, ids)
