"""The PDF: a small test book printed once, the real handbook printed once, and the failure paths.

The test root ``test-pdf`` holds every printing hazard (tabs, dropdowns, emoji, Danish letters,
wide code and tables, a diagram, links across pages, ids that repeat between pages), so each
promise of the book is checked on a print that takes seconds.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from pypdf import PdfReader
from pypdf.generic import Destination, DictionaryObject
from sphinx.testing.util import SphinxTestApp

from mlops_handbook.data import load_course_data
from mlops_handbook.domain import handbook
from mlops_handbook.model import CourseData
from mlops_handbook.pdf.__main__ import main as pdf_main
from mlops_handbook.pdf.book import print_book
from mlops_handbook.pdf.browser import ENV_VAR, BrowserNotFoundError, find_browser
from mlops_handbook.pdf.download_link import PDF_NAME
from mlops_handbook.pdf.mode import PRINT_TAG

from .conftest import ROOTS

A4_WIDTH, A4_HEIGHT = 595.28, 841.89  # points


@dataclass(frozen=True)
class Printed:
    pdf: Path
    html: Path
    data: CourseData

    @property
    def reader(self) -> PdfReader:
        return PdfReader(self.pdf)


def build(src: Path, buildername: str, tags: tuple[str, ...] = ()) -> SphinxTestApp:
    """Build ``src``; any warning fails, as ``-W`` would."""
    warnings = StringIO()
    app = SphinxTestApp(buildername, srcdir=src, tags=tags, status=StringIO(), warning=warnings)
    try:
        app.build()
    finally:
        app.cleanup()
    assert not warnings.getvalue(), warnings.getvalue()
    return app


@pytest.fixture(scope="module")
def small_book(tmp_path_factory: pytest.TempPathFactory) -> Printed:
    """The test root, print-built and printed."""
    src = tmp_path_factory.mktemp("pdf") / "src"
    shutil.copytree(ROOTS / "test-pdf", src)
    app = build(src, "singlehtml", (PRINT_TAG,))
    out = src.parent / PDF_NAME
    print_book(Path(app.outdir), out)
    return Printed(out, Path(app.outdir), handbook(app.env).course)


@pytest.fixture(scope="module")
def real_pdf(printed_book: Path) -> Printed:
    """The real handbook printed by the CLI that `nox -s pdf` runs (see tests/conftest.py)."""
    html = printed_book / "build" / ".staging" / "singlehtml"
    data = load_course_data(printed_book / "docs", "_data", "sessions")
    return Printed(printed_book / "build" / "pdf" / PDF_NAME, html, data)


def outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    """(level, title, page number) of every bookmark, in order."""
    found: list[tuple[int, str, int]] = []

    def walk(items: list, level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                found.append((level, item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 1)
    return found


def text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def links(reader: PdfReader) -> Iterator[DictionaryObject]:
    for page in reader.pages:
        for reference in page.get("/Annots") or []:
            annotation = reference.get_object()
            if annotation.get("/Subtype") == "/Link":
                yield annotation


def fonts(resources: DictionaryObject) -> Iterator[DictionaryObject]:
    """Every font a page uses, also inside its form XObjects."""
    for font in (resources.get("/Font") or {}).values():
        yield font.get_object()
    for reference in (resources.get("/XObject") or {}).values():
        xobject = reference.get_object()
        if "/Resources" in xobject:
            yield from fonts(xobject["/Resources"])


def is_embedded(font: DictionaryObject) -> bool:
    if font["/Subtype"] == "/Type3":  # glyphs drawn by the PDF itself (the colour emoji)
        return True
    if font["/Subtype"] == "/Type0":
        font = font["/DescendantFonts"][0].get_object()
    descriptor = font.get("/FontDescriptor")
    return descriptor is not None and any(
        key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3")
    )


def expected_outline(data: CourseData) -> list[str]:
    titles = []
    for session in data.sessions:
        titles.append(f"{session.id} · {session.title}")
        titles += [module.title for module in data.modules_of(session.id)]
    return titles


BOOKS = [
    pytest.param("small_book", marks=pytest.mark.pdf, id="test-root"),
    pytest.param("real_pdf", marks=[pytest.mark.pdf, pytest.mark.book], id="handbook"),
]


@pytest.fixture(params=BOOKS)
def printed(request: pytest.FixtureRequest) -> Printed:
    return request.getfixturevalue(request.param)


def test_outline_has_every_session_and_its_modules(printed: Printed) -> None:
    entries = outline(printed.reader)
    sessions_and_modules = [title for level, title, _ in entries if level <= 2]
    wanted = expected_outline(printed.data)
    assert [t for t in sessions_and_modules if t in wanted] == wanted
    levels = {title: level for level, title, _ in entries if level <= 2}
    for session in printed.data.sessions:
        assert levels[f"{session.id} · {session.title}"] == 1
        for module in printed.data.modules_of(session.id):
            assert levels[module.title] == 2


def test_every_module_title_is_in_the_text(printed: Printed) -> None:
    words = " ".join(text(printed.reader).split())
    for module in printed.data.modules:
        assert module.title in words, module.id


def test_contents_gives_the_page_of_every_session_and_module(printed: Printed) -> None:
    reader = printed.reader
    pages = {title: page for _, title, page in outline(reader)}
    first_body_page = min(pages.values())
    contents = " ".join(reader.pages[i].extract_text() for i in range(1, first_body_page - 1))
    for title in expected_outline(printed.data):
        assert re.search(rf"{re.escape(title)}\s+{pages[title]}\b", contents), title


def test_internal_links_land_inside_the_book(printed: Printed) -> None:
    reader = printed.reader
    internal = 0
    for link in links(reader):
        action = link.get("/A")
        if action is not None and action["/S"] == "/URI":
            assert re.match(r"(https?|mailto):", action["/URI"]), action["/URI"]
            assert not re.match(r"https?://(127\.0\.0\.1|localhost)\b", action["/URI"])
            continue
        target = link["/Dest"] if "/Dest" in link else action["/D"]
        destination = reader.named_destinations[str(target)]
        assert isinstance(destination, Destination)
        assert 0 <= reader.get_destination_page_number(destination) < len(reader.pages)
        internal += 1
    assert internal > len(printed.data.modules)


def test_metadata_is_set(printed: Printed) -> None:
    reader = printed.reader
    course = printed.data.course
    meta = reader.metadata
    assert meta is not None
    assert course.name in meta.title
    assert meta.author == course.teacher.name
    assert course.code in meta.subject
    assert course.name in meta["/Keywords"]
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_fonts_are_embedded(printed: Printed) -> None:
    reader = printed.reader
    used = {id(f): f for page in reader.pages for f in fonts(page["/Resources"])}
    assert used
    for font in used.values():
        assert is_embedded(font), font.get("/BaseFont")


def test_no_page_is_wider_than_a4(printed: Printed) -> None:
    for page in printed.reader.pages:
        assert float(page.mediabox.width) <= A4_WIDTH + 0.5
        assert float(page.mediabox.height) <= A4_HEIGHT + 0.5


def test_each_session_starts_on_a_new_page_under_its_own_running_header(printed: Printed) -> None:
    reader = printed.reader
    pages = {title: page for _, title, page in outline(reader)}
    starts = [pages[f"{s.id} · {s.title}"] for s in printed.data.sessions]
    assert starts == sorted(set(starts))
    for session, start in zip(printed.data.sessions, starts, strict=True):
        first_line = reader.pages[start - 1].extract_text().splitlines()[0]
        assert first_line.startswith(f"{printed.data.course.code} {printed.data.course.name}")
        assert first_line.endswith(f"{session.id} · {session.title}")


@pytest.mark.pdf
def test_hidden_tabs_and_closed_dropdowns_are_printed(small_book: Printed) -> None:
    words = text(small_book.reader)
    for marker in ("LINUX-TAB-TEXT", "HIDDEN-TAB-TEXT", "DROPDOWN-ANSWER-TEXT"):
        assert marker in words
    assert "Windows" in words  # the tab's label is printed with its panel


@pytest.mark.pdf
def test_cover_names_the_course(small_book: Printed) -> None:
    cover = " ".join(small_book.reader.pages[0].extract_text().split())
    course = small_book.data.course
    for fact in (course.code, course.name, course.edition.label, course.teacher.name, "built"):
        assert fact in cover


@pytest.mark.pdf
def test_danish_letters_and_emoji_are_text(small_book: Printed) -> None:
    words = text(small_book.reader)
    for sample in ("Øresund", "Æble, øl og å", "København", "🚀", "✅"):
        assert sample in words


@pytest.mark.pdf
def test_a_link_to_a_repeated_heading_goes_to_the_right_page(small_book: Printed) -> None:
    reader = small_book.reader
    pages = {(level, title): page for level, title, page in outline(reader)}
    crossing = pages[2, "Øresund Crossing"]
    targets = [
        reader.get_destination_page_number(reader.named_destinations[str(link["/Dest"])]) + 1
        for link in links(reader)
        if "/Dest" in link and str(link["/Dest"]) == "/exercises"
    ]
    hazards_exercises = pages[2, "Printing Hazards"]
    assert targets
    assert all(hazards_exercises <= page <= crossing for page in targets)


@pytest.mark.pdf
def test_the_print_build_has_unique_ids_and_no_page_links(small_book: Printed) -> None:
    html = (small_book.html / "index.html").read_text(encoding="utf-8")
    article = html.split('<article class="bd-article">', 1)[1].split("</article>", 1)[0]
    ids = re.findall(r'\bid="([^"]+)"', article)
    assert len(ids) == len(set(ids))
    assert "#document-" not in article


@pytest.mark.pdf
def test_a_failed_print_keeps_the_previous_pdf(small_book: Printed, tmp_path: Path) -> None:
    out = tmp_path / PDF_NAME
    out.write_bytes(b"the previous PDF")
    with pytest.raises(PlaywrightError):
        print_book(small_book.html, out, browser=Path(shutil.which("false") or "/bin/false"))
    assert out.read_bytes() == b"the previous PDF"
    assert [p.name for p in tmp_path.iterdir()] == [PDF_NAME]


def test_a_missing_browser_says_how_to_install_one() -> None:
    with pytest.raises(BrowserNotFoundError) as error:
        find_browser(environ={"PATH": ""}, locations=())
    assert "apt-get install chromium fonts-noto-color-emoji" in str(error.value)
    assert ENV_VAR in str(error.value)


def test_the_environment_variable_chooses_the_browser(tmp_path: Path) -> None:
    browser = tmp_path / "my-chrome"
    browser.write_text("#!/bin/sh\n")
    browser.chmod(0o755)
    assert find_browser(environ={ENV_VAR: str(browser), "PATH": ""}) == browser
    with pytest.raises(BrowserNotFoundError, match=ENV_VAR):
        find_browser(environ={ENV_VAR: str(tmp_path / "missing"), "PATH": ""})


def test_the_cli_stops_before_building_without_a_browser(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "no-such-browser"))
    assert pdf_main(["--root", str(tmp_path)]) == 1
    assert "apt-get install chromium" in capsys.readouterr().err
    assert not (tmp_path / "build").exists()


def test_every_site_page_has_a_download_pdf_link(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-pdf", src)
    app = build(src, "html")
    outdir = Path(app.outdir)
    pages = sorted(outdir.glob("**/*.html"))
    assert len(pages) > 4
    for page in pages:
        html = page.read_text(encoding="utf-8")
        if "article-header-buttons" not in html:
            continue  # search and index pages have no article header
        relative = Path(*[".."] * (len(page.relative_to(outdir).parts) - 1), PDF_NAME)
        assert f'href="{relative.as_posix()}"' in html, page


@pytest.mark.pdf
def test_a_pdf_with_broken_internal_links_is_not_published(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(ROOTS / "test-pdf", tmp_path / "docs")
    shutil.copy2(ROOTS / "test-pdf" / "conf.py", tmp_path / "conf.py")
    previous = tmp_path / "build" / "pdf" / PDF_NAME
    previous.parent.mkdir(parents=True)
    previous.write_bytes(b"the previous PDF")
    broken = "page 3: a link to '/exercises' lands on no page"
    monkeypatch.setattr("mlops_handbook.pdf.__main__.check_pdf", lambda path: [broken])
    assert pdf_main(["--root", str(tmp_path)]) == 1
    assert previous.read_bytes() == b"the previous PDF"
    assert [p.name for p in previous.parent.iterdir()] == [PDF_NAME]
    assert f"{PDF_NAME}: {broken}" in capsys.readouterr().err
