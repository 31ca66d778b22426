"""``python -m mlops_handbook.bench [--runs N] [--scales 2 5 10] [--vs-mkdocs DIR]``: time builds.

``--page-weight [--vs-peer DIR] [--before SITE]`` measures the published pages on a phone instead;
``--scale N`` only the time per page and peak memory at 1x and N times the modules.

Writes ``build/bench.json`` under the repository and prints a table. Wall time is what a
maintainer waits; CPU time is shown too, since other work on the machine stretches wall time.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from .course import count_words
from .measure import CommandFailedError, Measurement, run
from .page_weight import page_weight
from .peer import PAIRS, Peer, PeerNotReadyError, side_by_side
from .report import table, write_json
from .scale import scale_pair
from .scenarios import (
    NOX_EDIT_SECONDS,
    Bench,
    Size,
    build_command,
    edit_data,
    edit_page,
    full_build,
    link_check,
    nox_command,
    pdf_build,
    pdf_edit,
    scaling,
)
from .search import index_time, search_quality
from .serve import serve_reload
from .site import pages, staging


def one_x(serial: Measurement, root: Path, words: int) -> tuple[Measurement, Size]:
    """The 1x point of the scaling run is the serial build of the real book."""
    count = len(pages(staging(root)))
    result = Measurement("scaling: 1x the modules, serial", runs=serial.runs, unit="ms per page")
    result.per_unit = serial.wall * 1000 / count
    result.notes.append(f"{count} pages (the serial full build above)")
    return result, Size(count, words, serial.wall, serial.cpu)


def measure_all(
    bench: Bench, scales: Sequence[int], peer: Peer | None = None
) -> tuple[list[Measurement], dict[str, int]]:
    root = bench.book("book")
    words = count_words(root / "docs")
    results = [] if peer is None else side_by_side(bench, root, peer, max(bench.runs, PAIRS))
    serial = full_build(bench, root, "1", words["total"])
    results += [serial, full_build(bench, root, "auto", words["total"])]
    run(build_command(root), root)  # publish once, so edits are timed as incremental builds
    results.append(edit_page(bench, root, build_command(root), "one-page edit, build module"))
    nox = nox_command(bench, root)
    if nox is None:
        results.append(Measurement("one-page edit, nox -s html", skipped="nox not found"))
    else:
        run(nox, bench.repo)  # creates or reuses the session's venv; not timed
        results.append(edit_page(bench, root, nox, "one-page edit, nox -s html", NOX_EDIT_SECONDS))
    results.append(edit_data(bench, root))
    results.append(link_check(bench, root))
    results += pdf_measurements(bench, root)
    results += [index_time(bench, root), search_quality(bench, root)]
    baseline, size = one_x(serial, root, words["total"])
    results.append(baseline)
    results.extend(scaling(bench, factor, size) for factor in scales)
    return results, words


def pdf_measurements(bench: Bench, root: Path) -> list[Measurement]:
    """The whole book from clean, then after a one-page edit; the book and sessions from clean."""
    return [
        pdf_build(bench, root, book_only=True),
        pdf_edit(bench, root),
        pdf_build(bench, root),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mlops_handbook.bench", description=__doc__)
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the repository root")
    parser.add_argument("--runs", type=int, default=3, help="runs per benchmark (median)")
    parser.add_argument(
        "--scales",
        type=int,
        nargs="*",
        default=[2, 5, 10],
        help="copies of the modules to time the build at, beside 1x (default: 2 5 10)",
    )
    parser.add_argument(
        "--vs-mkdocs",
        type=Path,
        metavar="DIR",
        help="first build mkdocs-material's peer site in DIR (from ../shared/bench/"
        f"peer-site.sh DIR) and the book in turn, at least {PAIRS} times each, and compare",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary copies")
    parser.add_argument(
        "--page-weight",
        action="store_true",
        help="only measure build/html on an emulated phone (see bench/page_weight.py)",
    )
    parser.add_argument(
        "--vs-peer", type=Path, metavar="DIR", help="with --page-weight: the course site beside"
    )
    parser.add_argument(
        "--before", type=Path, metavar="SITE", help="with --page-weight: another handbook build"
    )
    parser.add_argument(
        "--serve",
        action="store_true",
        help="only time save → reloaded page in serve (--runs edits), into build/bench-serve.json",
    )
    parser.add_argument(
        "--pdf",
        action="store_true",
        help="only time the PDFs (from clean, and the book after a one-page edit; --runs each), "
        "into build/bench-pdf.json",
    )
    parser.add_argument(
        "--scale",
        type=int,
        metavar="N",
        help="only time clean serial builds at 1x and N times the modules (--runs each): "
        "time per page and peak memory, into build/bench-scale.json",
    )
    args = parser.parse_args(argv)
    repo = args.root.resolve()
    if args.page_weight:
        return page_weight(repo, args.vs_peer, args.runs, args.before)
    work = Path(tempfile.mkdtemp(prefix="handbook-bench-"))
    peer = None if args.vs_mkdocs is None else Peer(args.vs_mkdocs.resolve())
    try:
        if args.serve:
            results, words = (
                [serve_reload(Bench(repo, work, args.runs))],
                count_words(repo / "docs"),
            )
        elif args.pdf:
            bench = Bench(repo, work, args.runs)
            results, words = pdf_measurements(bench, bench.book("book")), count_words(repo / "docs")
        elif args.scale:
            results = scale_pair(Bench(repo, work, args.runs), args.scale)
            words = count_words(repo / "docs")
        else:
            results, words = measure_all(Bench(repo, work, args.runs), args.scales, peer)
    except (CommandFailedError, PeerNotReadyError) as error:
        print(error, file=sys.stderr)
        return 1
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    name = next(
        (f"bench-{kind}" for kind in ("serve", "pdf", "scale") if getattr(args, kind)), "bench"
    )
    out = repo / "build" / f"{name}.json"
    write_json(out, results, words)
    print(table(results))
    print(
        f"\n{words['total']:,} words of source ({words['pages']:,} in pages, "
        f"{words['data']:,} in the course data); results in {out}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
