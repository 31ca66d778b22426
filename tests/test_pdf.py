"""The PDFs: a small test book printed once, the real handbook printed once, the failure paths.

The test root ``test-pdf`` holds every printing hazard (tabs, dropdowns, emoji, Danish letters,
wide code and tables, a diagram, links across pages, ids that repeat between pages), so each
promise of the book and of the sessions' PDFs is checked on a print that takes seconds.
"""

from __future__ import annotations

import datetime as dt
import io
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from functools import partial
from io import StringIO
from pathlib import Path

import pikepdf
import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, sync_playwright
from playwright.sync_api._context_manager import PlaywrightContextManager
from pypdf import PdfReader
from pypdf.generic import Destination, DictionaryObject
from sphinx.testing.util import SphinxTestApp

from mlops_handbook.build import Layout, sphinx_build
from mlops_handbook.data import load_course_data
from mlops_handbook.domain import handbook
from mlops_handbook.links.pdf import check_pdf
from mlops_handbook.model import CourseData, Session
from mlops_handbook.pdf.__main__ import BUILDER, hint_file, merge_process, print_build
from mlops_handbook.pdf.__main__ import main as pdf_main
from mlops_handbook.pdf.book import EarlyBook, Report, print_book
from mlops_handbook.pdf.browser import ENV_VAR, BrowserNotFoundError, find_browser
from mlops_handbook.pdf.contents import PLACEHOLDER
from mlops_handbook.pdf.epoch import source_date
from mlops_handbook.pdf.kept import KeptPrints
from mlops_handbook.pdf.manifest import Manifest
from mlops_handbook.pdf.mode import PRINT_TAG
from mlops_handbook.pdf.names import PDF_DIR, book_name, session_name
from mlops_handbook.pdf.print_build import SOURCES_READ
from mlops_handbook.pdf.printer import SHOW, Chunk, Hint, _load, _plan, middle, print_pdf
from mlops_handbook.pdf.renderer import Renderer, renderers
from mlops_handbook.pdf.server import serve_directory

from .conftest import ROOTS

A4_WIDTH, A4_HEIGHT = 595.28, 841.89  # points
EPOCH = 1767603600  # 2026-01-05 09:00 UTC, the test root's SOURCE_DATE_EPOCH
SITE = "https://example.org/handbook/"  # the test root's html_baseurl


@dataclass(frozen=True)
class Printed:
    folder: Path
    html: Path
    data: CourseData
    report: Report | None = None

    @property
    def pdf(self) -> Path:
        return self.folder / book_name(self.data)

    @property
    def reader(self) -> PdfReader:
        return PdfReader(self.pdf)

    def session_reader(self, session: Session) -> PdfReader:
        return PdfReader(self.folder / session_name(self.data, session))


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


def print_small_book(folder: Path) -> Printed:
    """Print-build the test root in ``folder`` and print it, as of a fixed source date."""
    src = folder / "src"
    shutil.copytree(ROOTS / "test-pdf", src)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
        app = build(src, "singlehtml", (PRINT_TAG,))
    report = print_book(Path(app.outdir), folder / "pdf")
    return Printed(folder / "pdf", Path(app.outdir), handbook(app.env).course, report)


@pytest.fixture(scope="module")
def small_book(tmp_path_factory: pytest.TempPathFactory) -> Printed:
    """The test root, print-built and printed."""
    return print_small_book(tmp_path_factory.mktemp("pdf"))


@pytest.fixture(scope="module")
def real_pdf(printed_book: Path) -> Printed:
    """The real handbook printed by the CLI that `nox -s pdf` runs (see tests/conftest.py)."""
    html = printed_book / "build" / ".staging" / "singlehtml"
    data = load_course_data(printed_book / "docs", "_data", "sessions")
    return Printed(printed_book / "build" / "pdf", html, data)


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
    out = tmp_path / book_name(small_book.data)
    out.write_bytes(b"the previous PDF")
    with pytest.raises(PlaywrightError):
        print_book(small_book.html, tmp_path, browser=Path(shutil.which("false") or "/bin/false"))
    assert out.read_bytes() == b"the previous PDF"
    assert [p.name for p in tmp_path.iterdir()] == [out.name]


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


def test_every_site_page_links_the_book_and_its_sessions_pdf(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-pdf", src)
    app = build(src, "html")
    data = handbook(app.env).course
    assert book_name(data) == "dtu-mlops-handbook-2026-january.pdf"
    assert session_name(data, data.sessions[1]) == "dtu-mlops-handbook-2026-january-s2.pdf"
    outdir = Path(app.outdir)
    pages = sorted(outdir.glob("**/*.html"))
    assert len(pages) > 4
    with_session_button = set()
    for page in pages:
        html = page.read_text(encoding="utf-8")
        if "article-header-buttons" not in html:
            continue  # search and index pages have no article header
        up = Path(*[".."] * (len(page.relative_to(outdir).parts) - 1), PDF_DIR)
        assert f'href="{(up / book_name(data)).as_posix()}"' in html, page
        docname = page.relative_to(outdir).with_suffix("").as_posix()
        for session in data.sessions:
            button = f'href="{(up / session_name(data, session)).as_posix()}"'
            if button in html:
                with_session_button.add(docname)
                assert docname.startswith(f"sessions/{session.folder}/"), page
    pages_of_sessions = {data.session_docname(s) for s in data.sessions}
    pages_of_sessions |= {data.module_docname(m) for m in data.modules}
    assert with_session_button == pages_of_sessions


def test_the_downloads_table_gives_each_pdf_and_its_size(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-pdf", src)
    (src / "downloads.md").write_text("# Downloads\n\n```{pdf-downloads}\n```\n")
    (src / "index.md").write_text(
        (src / "index.md").read_text() + "\n```{toctree}\n:hidden:\n\ndownloads\n```\n"
    )
    printed = src / "build" / "pdf"
    printed.mkdir(parents=True)
    (printed / "dtu-mlops-handbook-2026-january.pdf").write_bytes(b"%" * 2_345_678)
    (printed / "dtu-mlops-handbook-2026-january-s1.pdf").write_bytes(b"%" * 41_000)
    app = build(src, "html")
    html = (Path(app.outdir) / "downloads.html").read_text(encoding="utf-8")
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S)
    cell = re.compile(r"<t[dh][^>]*>(.*?)</t[dh]>", re.S)
    cells = [[re.sub(r"<[^>]+>", "", c).strip() for c in cell.findall(row)] for row in rows]
    assert cells == [
        ["Contents", "File", "Size"],
        ["The whole handbook", "dtu-mlops-handbook-2026-january.pdf", "2.3 MB"],
        ["S1 · Basics", "dtu-mlops-handbook-2026-january-s1.pdf", "41 kB"],
        ["S2 · More Practice", "dtu-mlops-handbook-2026-january-s2.pdf", "not printed yet"],
    ]
    assert 'href="pdf/dtu-mlops-handbook-2026-january-s1.pdf"' in html


@pytest.mark.pdf
def test_a_pdf_with_broken_internal_links_is_not_published(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(ROOTS / "test-pdf", tmp_path / "docs")
    shutil.copy2(ROOTS / "test-pdf" / "conf.py", tmp_path / "conf.py")
    name = book_name(load_course_data(tmp_path / "docs", "_data", "sessions"))
    previous = tmp_path / "build" / "pdf" / name
    previous.parent.mkdir(parents=True)
    previous.write_bytes(b"the previous PDF")
    broken = "page 3: a link to '/exercises' lands on no page"
    monkeypatch.setattr("mlops_handbook.pdf.book.check_pdf", lambda path: [broken])
    assert pdf_main(["--root", str(tmp_path)]) == 1
    assert previous.read_bytes() == b"the previous PDF"
    assert [p.name for p in previous.parent.iterdir()] == [name]
    assert f"{name}: {broken}" in capsys.readouterr().err


@pytest.mark.pdf
def test_the_browsers_start_once_the_print_build_has_read_the_sources(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Starting them takes a core for seconds: not while Sphinx reads on both."""
    shutil.copytree(ROOTS / "test-pdf", tmp_path / "docs")
    shutil.copy2(ROOTS / "test-pdf" / "conf.py", tmp_path / "conf.py")
    read_when_started: list[bool] = []

    def start() -> PlaywrightContextManager:
        read_when_started.append(SOURCES_READ.is_set())
        return sync_playwright()

    monkeypatch.setattr("mlops_handbook.pdf.renderer.sync_playwright", start)
    assert pdf_main(["--root", str(tmp_path), "--book-only"]) == 0
    assert read_when_started == [True, True]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forked on Linux only")
def test_the_books_merge_process_is_forked_at_once() -> None:
    """Before the browsers' threads exist, and before the build: not at the first chunk."""
    pool = merge_process()
    try:
        assert len(pool._processes) == 1
    finally:
        pool.shutdown()


# The sessions' PDFs, the structure tree and the bytes.


def structure(reader: PdfReader) -> Iterator[DictionaryObject]:
    """Every element of the PDF's structure tree (what a screen reader reads), in order."""
    stack = [reader.trailer["/Root"]["/StructTreeRoot"]]
    while stack:
        element = stack.pop()
        kids = element.get("/K")
        kids = kids if isinstance(kids, list) else [kids] if kids is not None else []
        children = [k.get_object() for k in kids if not isinstance(k, int)]
        children = [c for c in children if isinstance(c, DictionaryObject) and "/S" in c]
        yield from children
        stack.extend(reversed(children))


@pytest.mark.pdf
def test_each_session_has_its_own_pdf_with_exactly_its_modules(printed: Printed) -> None:
    for session in printed.data.sessions:
        reader = printed.session_reader(session)
        top = [title for level, title, _ in outline(reader) if level == 1]
        assert top == [m.title for m in printed.data.modules_of(session.id)], session.id
        assert session.label in reader.metadata.title


@pytest.mark.pdf
def test_a_sessions_cover_and_contents(printed: Printed) -> None:
    course = printed.data.course
    for session in printed.data.sessions:
        reader = printed.session_reader(session)
        first = " ".join(reader.pages[0].extract_text().split())
        day = printed.data.day_of(session.id)
        for fact in (session.label, course.edition.label, course.edition.version, course.name):
            assert fact in first, (session.id, fact)
        if day is not None:  # S10's extra modules have no day of their own
            assert f"{day.date.day} {day.date:%B %Y}" in first, session.id
        labels = reader.page_labels
        in_book = {title: page for _, title, page in outline(printed.reader)}
        for _, title, page in outline(reader):
            if title in {m.title for m in printed.data.modules}:
                # A session's pages keep the book's numbers, in the footer and the labels.
                label = labels[page - 1]
                assert re.search(rf"{re.escape(title)}\s+{label}\b", first), (session.id, title)
                footer = reader.pages[page - 1].extract_text().splitlines()
                assert label in [line.strip() for line in footer], (session.id, title)
                assert label == str(in_book[title]), (session.id, title)


@pytest.mark.pdf
def test_every_pdf_is_tagged_with_headings_and_described_figures(printed: Printed) -> None:
    readers = [printed.reader, *map(printed.session_reader, printed.data.sessions)]
    for reader in readers:
        root = reader.trailer["/Root"]
        assert bool(root["/MarkInfo"]["/Marked"])
        assert root["/Lang"] == "en"
        assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
        elements = list(structure(reader))
        kinds = [str(e["/S"]) for e in elements]
        assert "/H1" in kinds and "/H2" in kinds
        figures = [e for e in elements if e["/S"] == "/Figure"]
        for figure in figures:
            assert len(str(figure.get("/Alt", ""))) > 20, figure
    first = printed.session_reader(printed.data.sessions[0])
    headings = [e for e in structure(first) if e["/S"] in ("/H1", "/H2")]
    assert str(headings[0]["/S"]) == "/H1"


def pdfs(printed: Printed) -> list[Path]:
    """The book and every session's PDF."""
    sessions = [printed.folder / session_name(printed.data, s) for s in printed.data.sessions]
    return [printed.pdf, *sessions]


def pages_of(element: pikepdf.Dictionary) -> set[tuple[int, int]]:
    """The pages an element's content is on: its own ``/Pg`` and that of its marked pieces."""
    kids = element.get("/K")
    kids = kids if isinstance(kids, pikepdf.Array) else [kids]
    found = {element.Pg.objgen} if "/Pg" in element else set()
    found |= {k.Pg.objgen for k in kids if isinstance(k, pikepdf.Dictionary) and "/MCID" in k}
    return found


@pytest.mark.pdf
def test_every_page_and_link_finds_its_structure_elements(printed: Printed) -> None:
    """The merged pieces' numbers do not collide.

    Each page's marked content and each link lead, through the parent tree, to structure
    elements on that page.
    """
    for path in pdfs(printed):
        with pikepdf.open(path) as pdf:
            parents = dict(pikepdf.NumberTree(pdf.Root.StructTreeRoot.ParentTree).items())
            links = 0
            for page in pdf.pages:
                elements = parents[int(page.StructParents)]
                for element in elements:
                    if isinstance(element, pikepdf.Dictionary):
                        assert page.objgen in pages_of(element), (path.name, page.index)
                for annotation in page.get("/Annots", ()):
                    kids = parents[int(annotation.StructParent)].K
                    kids = kids if isinstance(kids, pikepdf.Array) else [kids]
                    objects = [
                        k.Obj.objgen
                        for k in kids
                        if isinstance(k, pikepdf.Dictionary) and "/Obj" in k
                    ]
                    assert annotation.objgen in objects, (path.name, page.index)
                    links += 1
            assert links, path.name


@pytest.mark.pdf
def test_the_diagrams_alt_text_is_in_the_structure_tree(small_book: Printed) -> None:
    for reader in (small_book.reader, small_book.session_reader(small_book.data.sessions[0])):
        alts = [str(e["/Alt"]) for e in structure(reader) if e["/S"] == "/Figure"]
        assert "A three-step flow from code to model to service." in alts


@pytest.mark.pdf
def test_links_leaving_a_session_go_to_the_site(small_book: Printed) -> None:
    second = small_book.session_reader(small_book.data.sessions[1])
    uris = [str(link["/A"]["/URI"]) for link in links(second) if "/A" in link]
    assert f"{SITE}sessions/s1_basics/hazards.html" in uris
    book = [str(link["/A"]["/URI"]) for link in links(small_book.reader) if "/A" in link]
    assert f"{SITE}sessions/s1_basics/hazards.html" not in book  # inside the book, a page
    assert all(not uri.startswith(SITE) or ".html" in uri for uri in uris)
    for session in small_book.data.sessions:
        assert check_pdf(small_book.folder / session_name(small_book.data, session)) == []


@pytest.mark.pdf
def test_each_module_starts_a_new_page(printed: Printed) -> None:
    reader = printed.reader
    pages = {title: page for level, title, page in outline(reader) if level == 2}
    for module in printed.data.modules:
        lines = reader.pages[pages[module.title] - 1].extract_text().splitlines()
        body = [line for line in lines[1:] if not line.strip().isdigit()]  # header, page number
        assert body[0].startswith(module.title), (module.id, lines[:3])


@pytest.mark.pdf
def test_code_lines_are_kept_whole(small_book: Printed) -> None:
    html = (small_book.html / "index.html").read_text(encoding="utf-8")
    blocks = re.findall(r'<div class="highlight"><pre>(.*?)</pre></div>', html, re.S)
    assert blocks
    for block in blocks:  # one element per source line, each ending in its line break
        assert block.count('<span class="handbook-line">') == block.count("\n") > 0, block[:200]
        assert block.count("\n</span>") == block.count("\n")
    css = (small_book.html / "_static" / "handbook-print.css").read_text()
    assert re.search(r"\.handbook-line \{\s*display: block;\s*break-inside: avoid;", css)


@pytest.mark.pdf
def test_dates_come_from_the_sources_not_the_clock(small_book: Printed) -> None:
    assert "built 2026-01-05" in small_book.reader.pages[0].extract_text()
    for name in small_book.report.pages:
        meta = PdfReader(small_book.folder / name).metadata
        assert meta["/CreationDate"] == meta["/ModDate"] == "D:20260105090000Z"


@pytest.mark.pdf
def test_two_prints_of_the_same_sources_are_byte_identical(
    small_book: Printed, tmp_path: Path
) -> None:
    again = print_small_book(tmp_path)
    names = sorted(small_book.report.pages)
    assert names == sorted(again.report.pages)
    assert len(names) == 1 + len(small_book.data.sessions)
    for name in names:
        assert (small_book.folder / name).read_bytes() == (again.folder / name).read_bytes(), name


@pytest.mark.pdf
def test_structure_ids_do_not_depend_on_the_browsers_history(printed: Printed) -> None:
    """Chromium's ids count the nodes it made before; the PDFs name them by rank instead."""
    with pikepdf.open(printed.pdf) as pdf:
        names = set(pikepdf.NameTree(pdf.Root.StructTreeRoot.IDTree).keys())
        assert names
        assert all(re.fullmatch(r"id\d+", name) for name in names), sorted(names)[:3]
        headers = [
            str(header)
            for obj in pdf.objects
            if isinstance(obj, pikepdf.Dictionary) and "/S" in obj and "/A" in obj
            for attribute in (obj.A if isinstance(obj.A, pikepdf.Array) else [obj.A])
            if isinstance(attribute, pikepdf.Dictionary)
            for header in attribute.get("/Headers", [])
        ]
        assert headers
        assert set(headers) <= names


@pytest.mark.pdf
def test_pdfinfo_says_tagged(small_book: Printed) -> None:
    pdfinfo = shutil.which("pdfinfo")
    if pdfinfo is None:
        pytest.skip("poppler's pdfinfo is not installed")
    for name in small_book.report.pages:
        shown = subprocess.run(
            [pdfinfo, small_book.folder / name], capture_output=True, text=True, check=True
        ).stdout
        assert re.search(r"^Tagged:\s+yes$", shown, re.M), name


def front_pages(reader: PdfReader) -> int:
    """The book's pages before its first bookmark: the cover and the contents."""
    return min(page for _, _, page in outline(reader)) - 1


def first_sheets(reader: PdfReader) -> int:
    """A session's pages before its first page of the book: labelled i, ii, … not 1, 2, …"""
    return sum(not label.isdigit() for label in reader.page_labels)


@pytest.fixture(scope="module")
def printed_again(small_book: Printed, tmp_path_factory: pytest.TempPathFactory) -> Printed:
    """The same print build printed a second time: the second browser knows where to start."""
    folder = tmp_path_factory.mktemp("again")
    return replace(small_book, folder=folder, report=print_book(small_book.html, folder))


@pytest.mark.pdf
def test_each_page_of_the_body_is_printed_once(small_book: Printed, printed_again: Printed) -> None:
    """The sessions' PDFs reuse the book's pages; only the front matter is printed twice.

    The first print of a print build has no page to start the second half from, so it prints
    that half again with the right numbers; the next print does not.
    """
    sessions = [small_book.session_reader(s) for s in small_book.data.sessions]
    expected = len(small_book.reader.pages) + front_pages(small_book.reader)
    expected += sum(first_sheets(reader) for reader in sessions)
    assert printed_again.report.printed_pages == expected
    assert printed_again.report.reprinted_pages == 0
    first = small_book.report
    assert first.printed_pages == expected + first.reprinted_pages


@pytest.mark.pdf
def test_a_wrong_guess_of_the_page_numbers_changes_no_byte(
    small_book: Printed, printed_again: Printed
) -> None:
    """The second browser's chunks, numbered from a guess, are printed again where it was wrong."""
    assert small_book.report.reprinted_pages > 0  # the first print guessed wrong
    assert sorted(printed_again.report.pages) == sorted(small_book.report.pages)
    for name in small_book.report.pages:
        assert (printed_again.folder / name).read_bytes() == (small_book.folder / name).read_bytes()


@pytest.mark.pdf
def test_the_book_has_the_same_bytes_whatever_order_its_chunks_are_printed_in(
    small_book: Printed, tmp_path: Path
) -> None:
    """The book is merged while Chromium prints; the two browsers finish chunks in any order.

    A chunk numbered from a wrong guess comes first and then again, printed right: it waits
    for its turn, and only the right one is copied.
    """
    manifest = Manifest.read(small_book.html)
    chunks: dict[int, Chunk] = {}
    with serve_directory(small_book.html) as base, renderers(find_browser()) as started:
        printed = print_pdf(
            started,
            base + manifest.page,
            manifest,
            hint=tmp_path / "hint.json",
            on_chunk=chunks.__setitem__,
        )
    assert len(printed.chunks) > 2
    assert [chunks[i] for i in range(len(printed.chunks))] == list(printed.chunks)
    context = multiprocessing.get_context("spawn")
    books = []
    for order in (range(len(chunks)), reversed(range(len(chunks)))):
        with ProcessPoolExecutor(1, mp_context=context) as pool:
            early = EarlyBook(pool)
            for index in order:
                if index == 1:
                    wrong = replace(chunks[index], first_page=chunks[index].first_page + 1)
                    early.chunk_printed(index, wrong)
                early.chunk_printed(index, chunks[index])
            books.append(early.finish(printed, manifest))
            assert not early.restarted
    assert books[0].data == books[1].data
    assert books[0].problems == []
    assert len(PdfReader(io.BytesIO(books[0].data)).pages) == len(small_book.reader.pages)


def test_the_body_is_shared_by_the_length_of_its_text() -> None:
    assert middle([1, 1, 1, 1]) == 2
    assert middle([10, 1, 1]) == 1
    assert middle([1, 1, 10]) == 2
    assert middle([5]) == 1  # one chunk: the second browser has nothing to print


def test_the_second_browser_prints_the_edited_chunks_of_the_first_half_first() -> None:
    """Only an edited chunk before the middle can move the page the second half starts on."""
    hint = Hint([4, 10, 20, 30], [1.0, 1.0, 1.0, 1.0], [100, 200, 300, 400])
    assert _plan(hint, [100, 250, 300, 400]) == (2, [1])
    assert _plan(hint, [90, 200, 300, 400]) == (2, [0])
    assert _plan(hint, [100, 200, 300, 999]) == (2, [])  # after the middle: moves nothing before
    assert _plan(replace(hint, sizes=[]), [100, 250, 300, 400]) == (2, [])  # an older hint
    assert _plan(Hint([], []), [100, 200]) == (1, None)  # no hint: the middle is a guess


def test_the_print_build_is_skipped_while_nothing_it_reads_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sources and the PDFs' sizes on the Downloads page count; a reprint's new files do not."""
    builds: list[bool] = []

    def sphinx_build(layout: Layout, builder: str, *, clean: bool, tags: list[str]) -> int:
        builds.append(clean)
        layout.staging(builder).mkdir(parents=True, exist_ok=True)
        return 0

    monkeypatch.setattr("mlops_handbook.pdf.__main__.sphinx_build", sphinx_build)
    (tmp_path / "docs").mkdir()
    page = tmp_path / "docs" / "index.md"
    page.write_text("# A page\n", encoding="utf-8")
    layout = Layout(tmp_path)
    for _ in range(2):
        assert print_build(layout, clean=False) == 0
    assert builds == [False]
    layout.pdf.mkdir(parents=True)
    (layout.pdf / "book.pdf").write_bytes(b"%" * 2000)
    assert print_build(layout, clean=False) == 0  # the Downloads page shows a new size
    (layout.pdf / "book.pdf").write_bytes(b"%" * 2001)  # reprinted: a new file, still 2 kB
    assert print_build(layout, clean=False) == 0
    assert builds == [False, False]
    page.write_text("# A page, edited\n", encoding="utf-8")
    assert print_build(layout, clean=False) == 0
    assert print_build(layout, clean=True) == 0
    assert builds == [False, False, False, True]


def test_the_sources_date_comes_from_the_environment_then_git_then_the_edition(
    tmp_path: Path,
) -> None:
    start = dt.date(2026, 1, 5)
    assert source_date(tmp_path, start, {"SOURCE_DATE_EPOCH": "1700000000"}) == 1700000000
    assert source_date(tmp_path, start, {}) == EPOCH - 9 * 3600  # no git here: the edition
    repo = tmp_path / "repo"
    repo.mkdir()
    git = ["git", "-C", str(repo), "-c", "user.name=T", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run(
        [*git, "commit", "-q", "--allow-empty", "-m", "x", "--date", "@1750000000"],
        check=True,
        env={**os.environ, "GIT_COMMITTER_DATE": "@1750000000"},
    )
    assert source_date(repo, start, {}) == 1750000000


def test_a_clean_print_starts_from_the_last_prints_page_numbers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--clean` empties the print build, but the hint survives, so nothing is printed twice."""
    layout = Layout(tmp_path)
    Hint([1, 40], [1.5, 2.5]).write(hint_file(layout))
    staged = layout.staging(BUILDER)
    staged.mkdir(parents=True)
    (staged / "index.html").write_text("the last print build", encoding="utf-8")
    monkeypatch.setattr("mlops_handbook.build.build_main", lambda args: 0)
    assert sphinx_build(layout, BUILDER, clean=True, tags=[PRINT_TAG]) == 0
    assert not (staged / "index.html").exists()
    assert Hint.read(hint_file(layout)).first_pages == [1, 40]


def test_a_kept_pieces_digest_covers_all_that_shows_on_its_pages(tmp_path: Path) -> None:
    """What a piece shows changes its digest; what it does not show leaves it."""
    kept = KeptPrints(tmp_path, tmp_path)
    recipe = {"html_sha256": "0a1b", "anchors": ["a"], "leaving": ["b"], "boxes": ["c"]}
    urls, numbers = {"b": f"{SITE}b.html", "z": f"{SITE}z.html"}, {"c": 3, "z": 9}
    key = kept.key(recipe, 5, numbers, urls)
    assert kept.key(recipe, 5, {**numbers, "z": 10}, {**urls, "z": "elsewhere"}) == key
    changed = [
        kept.key({**recipe, "html_sha256": "0a1c"}, 5, numbers, urls),
        kept.key({**recipe, "anchors": ["a", "d"]}, 5, numbers, urls),
        kept.key(recipe, 5, numbers, {**urls, "b": f"{SITE}moved.html"}),
        kept.key(recipe, 5, {**numbers, "c": 4}, urls),
        kept.key(recipe, 6, numbers, urls),
        replace(kept, base="another page around the book").key(recipe, 5, numbers, urls),
    ]
    assert key not in changed
    assert len(set(changed)) == len(changed)


@pytest.mark.pdf
def test_a_print_takes_the_pieces_it_printed_before_and_prints_an_edit(
    small_book: Printed, tmp_path: Path
) -> None:
    """Printed again: nothing is printed, the bytes are a fresh print's; an edit prints a chunk."""
    kept = tmp_path / "kept"
    first = print_book(small_book.html, tmp_path / "one", kept=KeptPrints(kept, small_book.html))
    assert first.prints > 0 and first.kept == 0
    again = print_book(small_book.html, tmp_path / "two", kept=KeptPrints(kept, small_book.html))
    assert (again.prints, again.printed_pages, again.kept) == (0, 0, first.prints)
    for name in small_book.report.pages:
        assert (tmp_path / "two" / name).read_bytes() == (small_book.folder / name).read_bytes()
    edited = tmp_path / "edited"
    shutil.copytree(small_book.html, edited)
    page = edited / "index.html"
    old, new = "Exercises section?", "Exercises chapter?"
    assert page.read_text(encoding="utf-8").count(old) == 1
    page.write_text(page.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    report = print_book(edited, tmp_path / "three", kept=KeptPrints(kept, edited))
    assert (report.prints, report.kept) == (1, first.prints - 1)
    edited_in = {
        book_name(small_book.data),
        session_name(small_book.data, small_book.data.sessions[1]),
    }
    for name in small_book.report.pages:
        text = " ".join(p.extract_text() for p in PdfReader(tmp_path / "three" / name).pages)
        assert (new in text) == (name in edited_in), name
        if name not in edited_in:
            assert (tmp_path / "three" / name).read_bytes() == (
                small_book.folder / name
            ).read_bytes()
    fresh = print_book(edited, tmp_path / "four", kept=KeptPrints(kept, edited, reuse=False))
    assert (fresh.prints, fresh.kept) == (first.prints, 0)


SCREEN_BOXES = """() => {
  const store = document.getElementById("handbook-store");
  return [...store.parentNode.children].filter((e) => e !== store).map(
    (e) => e.getClientRects().length);
}"""


@pytest.mark.pdf
def test_a_shown_piece_is_laid_out_for_print_only(small_book: Printed) -> None:
    """Nothing of a shown piece has a box on screen: Chromium lays it out once, to print it."""
    manifest = Manifest.read(small_book.html)

    def boxes(renderer: Renderer, url: str, page: Page) -> list[int]:
        printer, _ = _load(renderer, url, manifest, None, page)
        page.evaluate(SHOW, [{"chunk": 0}, {}, PLACEHOLDER, printer.urls, printer.targets, 1])
        return page.evaluate(SCREEN_BOXES)

    with serve_directory(small_book.html) as base, Renderer(find_browser()) as renderer:
        shown = renderer.run(partial(boxes, renderer, base + manifest.page)).result()
    assert shown
    assert not any(shown)


@pytest.mark.pdf
def test_a_clean_print_build_links_its_styles_as_an_incremental_one_does(
    small_book: Printed,
) -> None:
    """With their checksum: else a clean build's page differs, and every kept piece is stale."""
    page = (small_book.html / "index.html").read_text(encoding="utf-8")
    assert re.search(r'href="_static/handbook-print\.css\?v=\w+"', page)


@pytest.mark.pdf
def test_the_browsers_close_while_the_pdfs_are_merged(small_book: Printed, tmp_path: Path) -> None:
    """Once all is printed they have nothing left to do: they close as soon as it is done."""
    with renderers(find_browser()) as started:
        print_book(small_book.html, tmp_path, started=started)
        connected = [r.run(lambda page: page.context.browser.is_connected()) for r in started]
        assert [future.result() for future in connected] == [False, False]
