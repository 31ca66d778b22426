"""Print the whole handbook to one PDF: ``python -m mlops_handbook.pdf [--out PATH] [--clean]``.

Runs the print build (``singlehtml`` with the ``print`` tag) into ``build/.staging/singlehtml``,
prints it with headless Chromium, checks that every internal link lands on a page, and writes
``build/pdf/dtu-mlops-handbook.pdf``, then puts it into the published site. A failed build,
print or link check leaves the previous PDF as it was.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError

from ..build import Layout, publish_pdf, sphinx_build
from ..links.pdf import check_pdf
from ..lock import build_lock
from .book import print_book
from .browser import BrowserNotFoundError, find_browser
from .contents import ContentsError
from .mode import PRINT_TAG

BUILDER = "singlehtml"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mlops_handbook.pdf", description=__doc__)
    parser.add_argument("--out", type=Path, help="where to write the PDF (default: build/pdf/)")
    parser.add_argument("--clean", action="store_true", help="rebuild the print build from scratch")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the repository root")
    args = parser.parse_args(argv)
    layout = Layout(args.root.resolve())
    out = (args.out or layout.pdf).resolve()
    try:
        browser = find_browser()
    except BrowserNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    with build_lock(layout.lock, "a PDF print (nox -s pdf)"):
        return print_and_publish(layout, out, browser, clean=args.clean)


def print_and_publish(layout: Layout, out: Path, browser: Path, *, clean: bool) -> int:
    started = time.perf_counter()
    if sphinx_build(layout, BUILDER, clean=clean, tags=[PRINT_TAG]):
        print(f"The print build failed; {out} was left as it was.", file=sys.stderr)
        return 1
    built = time.perf_counter()
    candidate = out.with_name(f".{out.name}.unchecked")
    try:
        print_book(layout.staging(BUILDER), candidate, browser)
    except (ContentsError, PlaywrightError, OSError) as error:
        print(f"error: printing failed: {error}\n{out} was left as it was.", file=sys.stderr)
        return 1
    broken = check_pdf(candidate)
    if broken:
        candidate.unlink()
        for problem in broken:
            print(f"error: {out.name}: {problem}", file=sys.stderr)
        print(f"The PDF has broken internal links; {out} was left as it was.", file=sys.stderr)
        return 1
    os.replace(candidate, out)
    done = time.perf_counter()
    if out == layout.pdf:
        publish_pdf(layout)
    print(
        f"The PDF is in {out} (print build {built - started:.1f} s, "
        f"Chromium and pypdf {done - built:.1f} s)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
