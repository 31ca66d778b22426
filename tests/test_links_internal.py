"""The internal link check: a book with broken links of every kind, the scanner, the PDF."""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfWriter
from pypdf.annotations import Link as LinkAnnotation
from pypdf.generic import DictionaryObject, Fit, NameObject
from sphinx.cmd.build import build_main

from mlops_handbook.links.cli import main
from mlops_handbook.links.internal import URL_ATTRIBUTES, Link, Page, Site, check_site, parse_page
from mlops_handbook.links.locate import describe
from mlops_handbook.links.pdf import check_pdf
from mlops_handbook.pdf.names import published_pdfs

ROOT = Path(__file__).parent / "roots" / "test-links-internal"


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The broken test book, built once with sphinx-book-theme: (site, source dir)."""
    base = tmp_path_factory.mktemp("links-internal")
    src = base / "src"
    shutil.copytree(ROOT, src)
    site = base / "html"
    assert build_main(["-b", "html", "-q", str(src), str(site), "-d", str(base / "dt")]) == 0
    return site, src


def test_every_broken_link_is_named_at_its_source_line(book: tuple[Path, Path]) -> None:
    site, src = book
    problems, pages, _ = check_site(site)
    index = src / "index.md"
    assert describe(problems, site, src) == [
        f"{index}:8: broken link 'other.html#no-such-section': no id 'no-such-section' "
        "on other.html",
        f"{index}:13: broken link 'gone.html': no file gone.html",
        f"{index}:14: broken link 'other.html#nowhere': no id 'nowhere' on other.html",
        f"{index}:16: broken link '_static/missing.svg': no file _static/missing.svg",
        f"{index}:19: broken link 'screenshot.png': no file screenshot.png",
        f"{site / 'genindex.html'}:345 and 3 other pages: broken link 'retired.html': "
        "no file retired.html (from a theme template or generated content, in no source file)",
    ]
    assert pages == 4  # index, other, genindex, search; not _static/*.html


def test_cli_fails_and_publish_adds_files(
    book: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site, src = book
    assert main(["internal", str(site), "--srcdir", str(src)]) == 1
    assert "index.md:13: broken link 'gone.html'" in capsys.readouterr().out

    fixed = tmp_path / "html"
    shutil.copytree(site, fixed)
    for page in fixed.glob("*.html"):
        text = page.read_text()
        for broken in ("other.html#no-such-section", "other.html#nowhere", "gone.html"):
            text = text.replace(f'href="{broken}"', 'href="other.html#a-section"')
        page.write_text(text.replace("_static/missing.svg", "_static/logo.svg"))
    (fixed / "screenshot.png").write_bytes(b"")
    args = ["internal", str(fixed), "--srcdir", str(src), "--publish-adds", "retired.html"]
    assert main(args) == 0
    assert "all resolve" in capsys.readouterr().out


class Reference(HTMLParser):
    """What html.parser finds: the answers the fast scanner must give too."""

    def __init__(self) -> None:
        super().__init__()
        self.page = Page()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is not None and (name == "id" or (name == "name" and tag == "a")):
                self.page.ids.add(value)
            elif value is not None and name in URL_ATTRIBUTES:
                self.page.links.append(Link(value, self.getpos()[0], tag))
            elif value is not None and name == "srcset":
                urls = (candidate.split()[0] for candidate in value.split(",") if candidate.strip())
                self.page.links += [Link(url, self.getpos()[0], tag) for url in urls]


def reference(text: str) -> Page:
    parser = Reference()
    parser.feed(text)
    parser.close()
    return parser.page


def test_scanner_agrees_with_html_parser_on_built_pages(book: tuple[Path, Path]) -> None:
    site, _ = book
    for page in site.rglob("*.html"):
        text = page.read_text()
        assert parse_page(text) == reference(text), page


def test_scanner_edge_cases() -> None:
    text = """<!DOCTYPE html>
<html><head><style>a[href="nope.html"] {}</style>
<script>const s = '<a href="script.html">'; if (a > b) {}</script></head>
<body><!-- <a href="commented.html"> -->
<A HREF='upper.html' title="it's > here">x</A>
<a name=old-anchor href=bare.html>y</a>
<img srcset="small.png 1x, big.png 2x" src="a.png?x=1&amp;y=2">
<section
  id="multi-line">
<svg><![CDATA[ <a href="cdata.html"> ]]><use xlink:href="#shape"/></svg>
</section></body></html>"""
    page = parse_page(text)
    assert page.ids == {"old-anchor", "multi-line"}
    assert [(link.url, link.line) for link in page.links] == [
        ("upper.html", 5),
        ("bare.html", 6),
        ("small.png", 7),
        ("big.png", 7),
        ("a.png?x=1&y=2", 7),
        ("#shape", 10),
    ]


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("other.html#a", None),
        ("#here", None),
        ("#", None),
        ("#top", None),
        ("sub/", None),
        ("sub", None),
        ("../index.html", None),
        ("https://example.com/x.html", None),
        ("mailto:a@b.dk", None),
        ("data:image/png;base64,AAAA", None),
        ("other.html?v=3#a", None),
        ("other%20page.html", "no file sub/other page.html"),
        ("#nowhere", "no id 'nowhere' on sub/page.html"),
        ("other.html#b", "no id 'b' on sub/other.html"),
        ("/index.html", "root-relative path; it breaks when the site is opened from disk"),
        ("../../outside.html", "points outside the site"),
    ],
)
def test_check_link(tmp_path: Path, url: str, reason: str | None) -> None:
    (tmp_path / "sub" / "sub").mkdir(parents=True)
    (tmp_path / "index.html").write_text("<p>home</p>")
    (tmp_path / "sub" / "page.html").write_text('<h1 id="here">page</h1>')
    (tmp_path / "sub" / "other.html").write_text('<h1 id="a">other</h1>')
    (tmp_path / "sub" / "sub" / "index.html").write_text("<p>index</p>")
    assert Site(tmp_path).check_link("sub/page.html", url) == reason


def pdf_with_links(path: Path, *, broken: bool) -> Path:
    """Three pages; links by page index, by name and a bookmark; optionally two that go nowhere."""
    writer = PdfWriter()
    for _ in range(3):
        writer.add_blank_page(width=200, height=200)
    writer.add_named_destination("chapter", 2)
    writer.add_annotation(0, LinkAnnotation(rect=(10, 10, 50, 20), target_page_index=2))
    by_name = LinkAnnotation(rect=(10, 30, 50, 40), url="https://example.com")
    del by_name[NameObject("/A")]
    by_name[NameObject("/Dest")] = NameObject("/chapter" if not broken else "/lost")
    writer.add_annotation(1, by_name)
    writer.add_outline_item(title="Chapter", page_number=2, fit=Fit.fit())
    if broken:
        orphan = writer._add_object(DictionaryObject())
        writer.add_outline_item(title="Gone", page_number=orphan, fit=Fit.fit())
    with path.open("wb") as out:
        writer.write(out)
    return path


def test_pdf_links_land_on_pages(tmp_path: Path) -> None:
    assert check_pdf(pdf_with_links(tmp_path / "good.pdf", broken=False)) == []
    problems = check_pdf(pdf_with_links(tmp_path / "bad.pdf", broken=True))
    assert problems == [
        "page 2: a link to '/lost' lands on no page",
        "bookmark 'Gone' lands on no page",
    ]
    assert main(["pdf", str(tmp_path / "bad.pdf")]) == 1


@pytest.mark.book
def test_real_book_links_resolve(real_book: Path) -> None:
    """The real book has no broken internal link (`nox -s bench` times the check)."""
    problems, pages, links = check_site(
        real_book, published_pdfs(Path(__file__).parents[1] / "docs")
    )
    assert describe(problems, real_book, Path(__file__).parents[1] / "docs") == []
    assert pages > 40 and links > 1000
