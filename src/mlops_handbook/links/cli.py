"""Link checks as commands (``python -m mlops_handbook.links``), so nox stays one line each.

``internal SITE --srcdir docs``  relative links, anchors and images of a built HTML site
``external``                     Sphinx's linkcheck builder with the handbook's policy and cache
``pdf FILE``                     every internal link of a printed PDF lands on one of its pages
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from sphinx.cmd.build import build_main

from .internal import check_site
from .locate import describe
from .page_cache import PageCache


def run_internal(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    cache = PageCache(args.cache)
    problems, pages, links = check_site(args.site, args.publish_adds, cache.page)
    cache.save()
    for line in describe(problems, args.site, args.srcdir):
        print(line)
    elapsed = time.perf_counter() - start
    verdict = f"{len(problems)} broken" if problems else "all resolve"
    print(f"internal links: {pages} pages, {links} links, {verdict} ({elapsed:.2f} s)")
    return 1 if problems else 0


def run_external(args: argparse.Namespace) -> int:
    # No -W: a redirect that is not allowed is reported (as a Sphinx warning), not a failure;
    # broken links and timeouts set the exit status.
    argv = ["-b", "linkcheck", "-n", "-c", str(args.confdir)]
    argv += [str(args.srcdir), str(args.outdir), "-d", str(args.doctrees)]
    if args.max_age is not None:
        argv += ["-D", f"links_cache_max_age={args.max_age}"]
    status = build_main(argv)
    report = args.outdir / "report.md"
    if status in (0, 1) and report.is_file():  # 2: offline or a build error, no new report
        print(report.read_text(encoding="utf-8").splitlines()[2])
        print(f"The report: {report} (and report.json beside it)")
    return status


def run_pdf(args: argparse.Namespace) -> int:
    from .pdf import check_pdf  # noqa: PLC0415 - only the PDF check needs pikepdf

    problems = check_pdf(args.pdf)
    for problem in problems:
        print(f"{args.pdf}: {problem}")
    print(f"PDF internal links: {len(problems) or 'none'} broken")
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mlops_handbook.links", description=__doc__)
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    commands = parser.add_subparsers(dest="command", required=True)

    internal = commands.add_parser("internal", help="check a built HTML site")
    internal.add_argument("site", type=Path, help="the built site, e.g. build/.staging/html")
    internal.add_argument("--srcdir", type=Path, help="the Sphinx source dir, to name sources")
    internal.add_argument(
        "--publish-adds",
        action="append",
        default=[],
        metavar="FILE",
        help="a file publishing adds to the site after the check (e.g. the PDF); repeatable",
    )
    internal.add_argument(
        "--cache", type=Path, help="keep parsed pages here, to re-read only changed ones"
    )
    internal.set_defaults(run=run_internal)

    external = commands.add_parser("external", help="check external links (network)")
    external.add_argument(
        "--srcdir", type=Path, default=Path("docs"), help="the book's sources (default: docs)"
    )
    external.add_argument(
        "--confdir", type=Path, default=Path("."), help="the folder of conf.py (default: .)"
    )
    external.add_argument(
        "--outdir",
        type=Path,
        default=Path("build/linkcheck"),
        help="where the reports and the cache go (default: build/linkcheck)",
    )
    external.add_argument(
        "--doctrees",
        type=Path,
        default=Path("build/.doctrees/linkcheck"),
        help="Sphinx's parsed pages for this check (default: build/.doctrees/linkcheck)",
    )
    external.add_argument(
        "--max-age",
        type=int,
        help="seconds a confirmed link stays trusted (0 re-checks everything)",
    )
    external.set_defaults(run=run_external)

    pdf = commands.add_parser("pdf", help="check a PDF's internal links")
    pdf.add_argument("pdf", type=Path, help="the printed PDF, e.g. build/pdf/<name>.pdf")
    pdf.set_defaults(run=run_pdf)

    args = parser.parse_args(argv)
    return args.run(args)
