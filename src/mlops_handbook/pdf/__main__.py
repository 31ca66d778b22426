"""Print the handbook's PDFs: ``python -m mlops_handbook.pdf [--out DIR] [--clean]``.

Runs the print build (``singlehtml`` with the ``print`` tag) into ``build/.staging/singlehtml``,
prints the whole book and one PDF per session with headless Chromium, checks that every
internal link lands on a page, and writes them to ``build/pdf/`` (named after the edition, see
``names.py``), then puts them into the published site. A failed build, print or link check
leaves the previous PDFs as they were.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError

from ..build import Layout, publish_pdf, sphinx_build
from ..directives.timeplan import count
from ..lock import build_lock
from ..progress import PROGRESS
from ..unchanged import inputs_digest, unchanged_since_published
from .book import BrokenLinksError, Report, print_book
from .browser import BrowserNotFoundError, find_browser
from .contents import ContentsError
from .downloads import human_size
from .kept import KeptPrints
from .mode import PRINT_TAG
from .print_build import SOURCES_READ
from .printer import HINT_NAME
from .renderer import renderers

BUILDER = "singlehtml"
NO_FOLDER = Path(os.devnull)  # for the digest's folder of PDFs: their sizes are given instead


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mlops_handbook.pdf", description=__doc__)
    parser.add_argument("--out", type=Path, help="the folder for the PDFs (default: build/pdf/)")
    parser.add_argument(
        "--clean",
        action="store_true",
        help="rebuild the print build from scratch and print every piece anew",
    )
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the repository root")
    parser.add_argument(
        "--book-only",
        action="store_true",
        help="print only the whole book (the sessions' PDFs already there are kept)",
    )
    args = parser.parse_args(argv)
    layout = Layout(args.root.resolve())
    out = (args.out or layout.pdf).resolve()
    try:
        browser = find_browser()
    except BrowserNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    with build_lock(layout.lock, "a PDF print (nox -s pdf)"):
        return print_and_publish(
            layout, out, browser, clean=args.clean, sessions=not args.book_only
        )


def print_and_publish(
    layout: Layout, out: Path, browser: Path, *, clean: bool, sessions: bool = True
) -> int:
    started = time.perf_counter()
    SOURCES_READ.clear()
    book_pool = merge_process()
    try:
        # The browsers start once Sphinx has read the sources: it reads them on both cores,
        # then writes the book on one, and starting two browsers takes a core for seconds.
        with renderers(browser, after=SOURCES_READ) as browsers:
            try:
                failed = print_build(layout, clean=clean)
            finally:
                SOURCES_READ.set()  # also when nothing was read, or the build failed
            if failed:
                print(
                    f"The print build failed; the PDFs in {out} were left as they were.",
                    file=sys.stderr,
                )
                return 1
            built = time.perf_counter() - started
            print("Printing the book and each session with Chromium...", flush=True)
            report = print_book(
                layout.staging(BUILDER),
                out,
                sessions=sessions,
                started=browsers,
                hint=hint_file(layout),
                kept=KeptPrints(kept_folder(layout), layout.staging(BUILDER), reuse=not clean),
                book_pool=book_pool,
            )
        PROGRESS.finish()
    except BrokenLinksError as error:
        PROGRESS.finish()
        print(f"error: broken internal links:\n{error}", file=sys.stderr)
        print(f"The PDFs in {out} were left as they were.", file=sys.stderr)
        return 1
    except (ContentsError, PlaywrightError, OSError) as error:
        PROGRESS.finish()
        print(f"error: printing failed: {error}", file=sys.stderr)
        print(f"The PDFs in {out} were left as they were.", file=sys.stderr)
        return 1
    finally:
        book_pool.shutdown(cancel_futures=True)
    if out == layout.pdf:
        publish_pdf(layout)
    print(summary(out, report, built, time.perf_counter() - started))
    return 0


def merge_process() -> ProcessPoolExecutor:
    """The process that merges the book while Chromium prints (see ``book.EarlyBook``).

    On Linux it is forked at once, while this process has no other thread yet and has
    imported all that the merge needs: a spawned one imports the handbook, Sphinx and
    Playwright again, about a second of CPU while the browsers load the book.
    """
    if not sys.platform.startswith("linux"):
        return ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
    # At a lower priority: it takes the CPU the browsers leave, not theirs.
    pool = ProcessPoolExecutor(
        1, mp_context=multiprocessing.get_context("fork"), initializer=os.nice, initargs=(10,)
    )
    pool.submit(int)  # a fork pool starts its process on the first task
    return pool


def hint_file(layout: Layout) -> Path:
    """Where the last print's page numbers are kept: in the cache that ``--clean`` keeps.

    So a clean print starts from them too. When they are stale, only the chunks they got wrong
    are printed again, and the PDFs are the same bytes either way.
    """
    return layout.root / "build" / ".cache" / "pdf" / HINT_NAME


def kept_folder(layout: Layout) -> Path:
    """The pieces of the last print (see ``kept.py``); ``--clean`` prints them all anew."""
    return layout.root / "build" / ".cache" / "pdf" / "pieces"


def print_build(layout: Layout, *, clean: bool) -> int:
    """Run the print build, unless nothing it reads changed since the last one succeeded.

    An incremental ``singlehtml`` build rewrites the whole book even when no page changed
    (seconds of work for the same page). The digest (``unchanged.py``) covers the sources, this
    package, the installed packages, git's commit and ``SOURCE_DATE_EPOCH``. Of the PDFs it
    takes the sizes the Downloads page shows, not the files, which every print rewrites.
    """
    stamp = layout.staging(BUILDER).with_name(f"{BUILDER}.inputs")
    shown = [
        f"{pdf.name} {human_size(pdf.stat().st_size)}" for pdf in sorted(layout.pdf.glob("*.pdf"))
    ]
    digest = inputs_digest(layout.root, layout.source, NO_FOLDER, [BUILDER, PRINT_TAG, *shown])
    if not clean and unchanged_since_published(stamp, digest, layout.staging(BUILDER)):
        print("Nothing the print build reads changed; it is reused as it is.", flush=True)
        return 0
    stamp.unlink(missing_ok=True)
    print("Building the print version of the book (sphinx-build, singlehtml)...", flush=True)
    status = sphinx_build(layout, BUILDER, clean=clean, tags=[PRINT_TAG])
    if status == 0:
        stamp.write_text(digest, encoding="utf-8")
    return status


def summary(out: Path, report: Report, built: float, total: float) -> str:
    """Where the PDFs are, their pages, and how long each phase took."""
    lines = [f"The PDFs are in {out}:"]
    lines += [f"  {name}  {pages} pages" for name, pages in report.pages.items()]
    lines.append(f"  print build (sphinx-build)  {built:.1f} s")
    lines += [f"  {phase}  {seconds:.1f} s" for phase, seconds in report.seconds.items()]
    again = f", {report.reprinted_pages} of them again" if report.reprinted_pages else ""
    kept = f"; {count(report.kept, 'piece')} as the last print made them" if report.kept else ""
    lines.append(
        f"  in all  {total:.1f} s ({count(report.prints, 'print')} by Chromium, "
        f"{count(report.printed_pages, 'page')}{again}{kept})"
    )
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
