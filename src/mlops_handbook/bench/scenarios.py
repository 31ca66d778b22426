"""The benchmarks, each on its own copy of the book, each timed ``runs`` times."""

from __future__ import annotations

import importlib.util
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from ..links.internal import check_site
from ..pdf.browser import BrowserNotFoundError, find_browser
from ..pdf.names import published_pdfs
from .course import copy_book, count_words, scale_course
from .measure import CommandFailedError, Measurement, python, repeat, run, sphinx_html
from .site import pages, pages_showing, rewritten, staging, toctree_parents

# A full build is compared with mkdocs-material side by side (--vs-mkdocs), not with a figure.
EDIT_SECONDS = 0.8  # through the build CLI
NOX_EDIT_SECONDS = 1.0  # through nox -s html, which starts nox and then the build CLI
PDF_SECONDS = 30.0  # the book and the ten sessions' PDFs
BOOK_PDF_SECONDS = 20.0  # the whole book alone (--book-only)
SCALING_LIMIT = 1.3
LINK_CHECK_CPU_SECONDS = 0.5  # the scan itself, without starting Python
TA_NAME = re.compile(r"^(\s*- name: )(.+)$", re.MULTILINE)


@dataclass(frozen=True)
class Bench:
    """Where the book comes from, where the copies go, and how often each thing is timed."""

    repo: Path
    work: Path
    runs: int

    def book(self, name: str, factor: int = 1) -> Path:
        """A copy of the book, with the repository's caches of diagrams and highlighted code.

        A clean build of the repository itself finds them, so the copy's builds do too.
        """
        root = copy_book(self.repo, self.work / name)
        caches = self.repo / "build" / ".cache"
        if caches.is_dir():
            shutil.copytree(caches, root / "build" / ".cache")
        if factor > 1:
            scale_course(root, factor)
        return root


def build_command(root: Path) -> list[str]:
    return python("-m", "mlops_handbook.build", "html", "--root", str(root))


def clean(root: Path) -> None:
    shutil.rmtree(root / "build" / ".staging", ignore_errors=True)
    shutil.rmtree(root / "build" / ".doctrees", ignore_errors=True)


def full_build(bench: Bench, root: Path, jobs: str, words: int) -> Measurement:
    """A clean Sphinx build (the rendered-diagram cache is kept, as ``--clean`` keeps it)."""
    label = "serial" if jobs == "1" else f"-j {jobs}"
    result = Measurement(f"full HTML build, {label}", unit="ms per 1,000 words")
    repeat(result, sphinx_html(root, jobs), root, bench.runs, lambda _: clean(root))
    result.per_unit = result.wall * 1000 / (words / 1000)
    result.notes.append(f"{len(pages(staging(root)))} pages, {words:,} words of source")
    return result


def first_module_page(root: Path) -> Path:
    found = sorted((root / "docs" / "sessions").rglob("*.md"))
    return next(p for p in found if p.name != "index.md")


def edit_page(
    bench: Bench, root: Path, command: list[str], name: str, limit: float = EDIT_SECONDS
) -> Measurement:
    """Change one paragraph of one module page, then rebuild, check and publish."""
    page = first_module_page(root)
    original = page.read_text(encoding="utf-8")
    result = Measurement(name, goal=f"<= {limit:g} s")
    written: list[str] = []
    for index in range(bench.runs):
        page.write_text(f"{original}\nA sentence changed for the benchmark ({index}).\n", "utf-8")
        before = pages(staging(root))
        result.runs.append(run(command, root))
        written = rewritten(before, pages(staging(root)))
    page.write_text(original, encoding="utf-8")
    run(command, root)  # back to the original, so the next benchmark starts from a clean state
    result.met = result.wall <= limit
    result.notes.append(f"pages rewritten: {', '.join(written) or 'none'}")
    return result


def nox_command(bench: Bench, root: Path) -> list[str] | None:
    nox = shutil.which("nox")
    noxfile = bench.repo / "noxfile.py"
    if nox is None or not noxfile.is_file():
        return None
    return [nox, "-f", str(noxfile), "-s", "html", "--", "--root", str(root)]


def edit_data(bench: Bench, root: Path) -> Measurement:
    """Rename one TA, then rebuild: only the pages that show TAs may be written again."""
    tas = root / "docs" / "_data" / "tas.yaml"
    original = tas.read_text(encoding="utf-8")
    result = Measurement("rebuild after renaming one TA", goal="only the pages showing TAs")
    written: list[str] = []
    name = ""
    for index in range(bench.runs):
        name = f"Bench Renamed{index}"
        tas.write_text(TA_NAME.sub(rf"\g<1>{name}", original, count=1), encoding="utf-8")
        before = pages(staging(root))
        result.runs.append(run(build_command(root), root))
        written = rewritten(before, pages(staging(root)))
    showing = pages_showing(staging(root), name)
    parents = toctree_parents(root, showing)
    tas.write_text(original, encoding="utf-8")
    result.met = set(showing) <= set(written) <= {*showing, *parents}
    result.notes.append(f"pages rewritten: {', '.join(written) or 'none'}")
    result.notes.append(
        f"pages showing the TA: {', '.join(showing) or 'none'}; their toctree parents, "
        f"which Sphinx rewrites with them: {', '.join(parents) or 'none'}"
    )
    return result


def link_check(bench: Bench, root: Path) -> Measurement:
    command = python(
        "-m", "mlops_handbook.links", "internal", str(staging(root)),
        "--srcdir", str(root / "docs"),
        *(a for pdf in published_pdfs(root / "docs") for a in ("--publish-adds", pdf)),
    )  # fmt: skip
    result = Measurement(
        "internal link check, whole site", goal=f"scan <= {LINK_CHECK_CPU_SECONDS:g} s of CPU"
    )
    repeat(result, command, root, bench.runs)
    start = time.process_time()
    _problems, scanned, links = check_site(staging(root), published_pdfs(root / "docs"))
    spent = time.process_time() - start
    result.met = spent <= LINK_CHECK_CPU_SECONDS
    result.notes.append(f"{scanned} pages, {links} links; the scan took {spent:.2f} s of CPU")
    return result


def pdf_build(bench: Bench, root: Path, *, book_only: bool = False) -> Measurement:
    """The print build from scratch, printed by Chromium: ``python -m mlops_handbook.pdf``.

    With ``book_only``, only the whole book (``--book-only``); else the book and the sessions.
    """
    name, goal = ("PDF, whole book alone", BOOK_PDF_SECONDS) if book_only else ("PDF", PDF_SECONDS)
    result = Measurement(f"{name}, from clean", goal=f"<= {goal:g} s")
    if importlib.util.find_spec("mlops_handbook.pdf.__main__") is None:
        result.skipped = "no `python -m mlops_handbook.pdf` yet"
        return result
    try:
        find_browser()
    except BrowserNotFoundError:
        result.skipped = "no Chromium-family browser"
        return result
    command = python("-m", "mlops_handbook.pdf", "--root", str(root), "--clean")
    command += ["--book-only"] if book_only else []
    try:
        repeat(result, command, root, bench.runs)
    except CommandFailedError as error:
        result.runs.clear()
        result.skipped = f"the PDF build failed: {str(error).strip().splitlines()[-1]}"
        return result
    result.met = result.wall <= goal
    result.notes += result.runs[-1].output.strip().splitlines()[-1:]
    return result


def pdf_edit(bench: Bench, root: Path) -> Measurement:
    """The whole book's PDF after a one-page edit (a maintainer's usual ``nox -s pdf``).

    Kept printed pieces and the print build's environment are used, as they are after
    :func:`pdf_build`; only what the edit changed is printed again.
    """
    name = "PDF, whole book alone, after a one-page edit"
    command = python("-m", "mlops_handbook.pdf", "--root", str(root), "--book-only")
    try:
        find_browser()
        run(command, root)  # the state a maintainer edits from: everything printed once
    except (BrowserNotFoundError, CommandFailedError) as error:
        return Measurement(name, skipped=f"no PDF to start from: {error}")
    result = edit_page(bench, root, command, name, BOOK_PDF_SECONDS)
    result.notes = result.runs[-1].output.strip().splitlines()[-1:]
    return result


@dataclass(frozen=True)
class Size:
    """A course as built: its pages and words of source, and the build's wall and CPU time."""

    pages: int
    words: int
    wall: float
    cpu: float


def scaling(bench: Bench, factor: int, base: Size) -> Measurement:
    """A clean serial build of a course with ``factor`` times the modules; time per page.

    Module pages are longer than the book's other pages, so a larger course has longer pages
    on average; the time per 1,000 words is given beside the time per page to tell the two
    apart.
    """
    root = bench.book(f"scale-{factor}", factor)
    result = Measurement(f"scaling: {factor}x the modules, serial", unit="ms per page")
    repeat(result, sphinx_html(root, "1"), root, bench.runs, lambda _: clean(root))
    size = Size(len(pages(staging(root))), count_words(root / "docs")["total"], 0, 0)
    shutil.rmtree(root, ignore_errors=True)
    result.per_unit = result.wall * 1000 / size.pages
    ratio = result.per_unit / (base.wall * 1000 / base.pages)
    cpu_ratio = (result.cpu / size.pages) / (base.cpu / base.pages)
    per_words = (result.wall / size.words) / (base.wall / base.words)
    longer = (size.words / size.pages) / (base.words / base.pages)
    result.goal = f"<= {SCALING_LIMIT:g}x the time per page at 1x"
    result.met = ratio <= SCALING_LIMIT
    result.notes += [
        f"{size.pages} pages, {size.words:,} words of source; a page has {longer:.2f}x "
        "the words of a page at 1x",
        f"{ratio:.2f}x the time per page at 1x ({cpu_ratio:.2f}x in CPU time, which other "
        f"work on the machine does not stretch); {per_words:.2f}x the time per 1,000 words",
    ]
    return result
