"""The handbook's clean build beside mkdocs-material's, in one run: ``--vs-mkdocs DIR``.

A figure measured on another day, under another load, says little on a shared machine. So
the peer (the course's current mkdocs-material site, prepared in ``DIR`` by
``../shared/bench/peer-site.sh DIR``) and the handbook are built in turn, A B A B …, after
one untimed build of each, and compared per 1,000 words of source: each pair's ratio, then
the median and range of the ratios, in CPU time (which other work stretches little) and in
wall time (what a maintainer waits).
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .course import count_words
from .measure import CommandFailedError, Measurement, Run, run
from .report import table, write_json
from .scenarios import Bench, build_command

PAIRS = 5  # at least, after the warm-up
CPU_GOAL = 0.8  # the handbook's CPU time per 1,000 words, as a share of the peer's
WORD = re.compile(r"\S+")  # what `wc -w` counts


class PeerNotReadyError(RuntimeError):
    """``DIR`` holds no prepared peer."""


@dataclass(frozen=True)
class Peer:
    """The prepared peer site: its mkdocs, its sources and the folder it builds into."""

    folder: Path

    @property
    def sources(self) -> Path:
        return self.folder / "site-src"

    def command(self) -> list[str]:
        mkdocs = self.folder / "venv" / "bin" / "mkdocs"
        config = self.sources / "mkdocs-bench.yml"
        if not (mkdocs.is_file() and config.is_file()):
            raise PeerNotReadyError(
                f"{self.folder} holds no prepared peer ({mkdocs} or {config} is missing). "
                f"Prepare it with ../shared/bench/peer-site.sh {self.folder}, then run again."
            )
        return [str(mkdocs), "build", "-q", "-f", str(config), "-d", str(self.folder / "site")]

    def words(self) -> int:
        """Words of Markdown the peer is built from, counted as peer-site.sh counts them."""
        files = [
            *self.sources.glob("pages/*.md"),
            *self.sources.glob("s*/*.md"),
            self.sources / "README.md",
        ]
        return sum(len(WORD.findall(p.read_text(encoding="utf-8"))) for p in files)


def per_1000_words(runs: list[Run], words: int, what: str) -> str:
    """The median and range of ``runs`` per 1,000 words, in CPU and wall milliseconds."""
    scale = 1000 * 1000 / words

    def spread(values: list[float]) -> str:
        values = [v * scale for v in values]
        return f"{statistics.median(values):.0f} ms ({min(values):.0f}–{max(values):.0f})"

    cpu, wall = spread([r.cpu for r in runs]), spread([r.wall for r in runs])
    return f"{what} per 1,000 words: CPU {cpu}, wall {wall}"


def ratios(ours: list[Run], theirs: list[Run], words: tuple[int, int]) -> tuple[float, str]:
    """Each pair's ratio per 1,000 words (handbook / peer); the median CPU ratio and a line."""
    scale = words[1] / words[0]
    cpu = [a.cpu / b.cpu * scale for a, b in zip(ours, theirs, strict=True)]
    wall = [a.wall / b.wall * scale for a, b in zip(ours, theirs, strict=True)]

    def spread(values: list[float]) -> str:
        return f"{statistics.median(values):.2f}x ({min(values):.2f}–{max(values):.2f})"

    line = f"handbook / mkdocs-material per 1,000 words: CPU {spread(cpu)}, wall {spread(wall)}"
    return statistics.median(cpu), line


def side_by_side(bench: Bench, root: Path, peer: Peer, pairs: int) -> list[Measurement]:
    """Build the peer and the handbook (clean, diagram cache kept) in turn, ``pairs`` times."""
    theirs_command = peer.command()
    ours_command = [*build_command(root), "--clean"]
    words = (count_words(root / "docs")["total"], peer.words())
    theirs = Measurement("mkdocs-material (peer), clean build", unit="ms CPU per 1,000 words")
    ours = Measurement("handbook, clean build (build CLI --clean)", unit="ms CPU per 1,000 words")
    run(theirs_command, peer.folder)  # warm-up: caches, and the handbook's diagram cache
    run(ours_command, root)
    for _ in range(pairs):
        theirs.runs.append(run(theirs_command, peer.folder))
        ours.runs.append(run(ours_command, root))
    for measurement, count in ((ours, words[0]), (theirs, words[1])):
        measurement.per_unit = measurement.cpu * 1000 / (count / 1000)
        measurement.notes.append(f"{count:,} words of source, {pairs} runs, A B A B")
        measurement.notes.append(per_1000_words(measurement.runs, count, "median (range)"))
    cpu_ratio, line = ratios(ours.runs, theirs.runs, words)
    ours.goal = f"CPU per 1,000 words <= {CPU_GOAL:g}x the peer's"
    ours.met = cpu_ratio <= CPU_GOAL
    ours.notes.append(line)
    return [theirs, ours]


def main(argv: list[str] | None = None) -> int:
    """Only the comparison: ``python -m mlops_handbook.bench.peer DIR [--pairs N]``."""
    parser = argparse.ArgumentParser(
        prog="python -m mlops_handbook.bench.peer", description=__doc__
    )
    parser.add_argument("peer", type=Path, help="the folder peer-site.sh prepared")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the repository root")
    parser.add_argument("--pairs", type=int, default=PAIRS, help=f"timed pairs (default {PAIRS})")
    args = parser.parse_args(argv)
    repo = args.root.resolve()
    work = Path(tempfile.mkdtemp(prefix="handbook-bench-"))
    try:
        bench = Bench(repo, work, args.pairs)
        results = side_by_side(bench, bench.book("book"), Peer(args.peer.resolve()), args.pairs)
    except (CommandFailedError, PeerNotReadyError) as error:
        print(error, file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
    out = repo / "build" / "bench-vs-mkdocs.json"
    write_json(out, results, count_words(repo / "docs"))
    print(f"{table(results)}\nresults in {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
