"""``python -m mlops_handbook.bench.phases``: where a build's time goes, phase by phase.

Runs one serial build of a private copy of the book in this process, clean or (``--edit``)
after a one-page edit, following a warm-up build that fills the diagram cache (``--clean``
keeps it). A timer runs around each phase of Sphinx and of the handbook's build: setup,
reading, resolving, writing (and, inside it, the theme's templates, code highlighting and
diagrams), search indexes, static files, the link check and publishing. ``--profile`` adds
cProfile's top functions (cProfile slows Python code about twofold, so its seconds are for
ranking, the phase table for amounts).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import wraps
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.environment import BuildEnvironment
from sphinx.events import EventManager
from sphinx.highlighting import PygmentsBridge

from .. import build, diagrams
from ..search.index import Indexing
from .course import copy_book
from .scenarios import first_module_page


@dataclass
class Spent:
    """Wall and CPU seconds (with the commands run meanwhile), summed over calls."""

    wall: float = 0.0
    cpu: float = 0.0
    calls: int = 0


@dataclass
class Phases:
    """Time per phase and, for reading and writing, per page."""

    total: dict[str, Spent] = field(default_factory=lambda: {p: Spent() for *_, p, _a in WRAPPED})
    pages: dict[str, dict[str, Spent]] = field(default_factory=dict)
    finished: dict[str, Spent] = field(default_factory=dict)  # each build-finished listener

    @contextmanager
    def timed(self, phase: str, page: str = "") -> Iterator[None]:
        wall, cpu = time.perf_counter(), cpu_time()
        try:
            yield
        finally:
            wall, cpu = time.perf_counter() - wall, cpu_time() - cpu
            spents = [self.total[phase] if phase in self.total else self.finished[phase]]
            if page:
                spents.append(self.pages.setdefault(page, {}).setdefault(phase, Spent()))
            for spent in spents:
                spent.wall += wall
                spent.cpu += cpu
                spent.calls += 1


def cpu_time() -> float:
    """CPU seconds of this process and of the commands it ran (Pagefind)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


READ, RESOLVE, WRITE = "    read a page", "    resolve a page", "    write a page"
FINISHED = "  build-finished: the extensions' last steps"
# (owner, attribute, phase, index of the page name among the arguments, or None); a phase
# indented below another is part of it.
WRAPPED: list[tuple[Any, str, str, int | None]] = [
    (build, "sphinx_build", "sphinx-build", None),
    (Sphinx, "__init__", "  configuration, extensions, theme", None),
    (Builder, "read", "  reading", None),
    (Builder, "read_doc", READ, 0),
    (Builder, "write", "  resolving and writing", None),
    (BuildEnvironment, "get_and_resolve_doctree", RESOLVE, 0),
    (StandaloneHTMLBuilder, "write_doc", WRITE, 0),
    (StandaloneHTMLBuilder, "handle_page", "      the theme's templates", 0),
    (PygmentsBridge, "highlight_block", "      code highlighting", None),
    (diagrams, "render_svg", "      diagrams", None),
    (StandaloneHTMLBuilder, "index_page", "    Sphinx's search index, per page", 0),
    (StandaloneHTMLBuilder, "finish", "  finishing", None),
    (StandaloneHTMLBuilder, "copy_static_files", "    static files (theme and _static)", None),
    (StandaloneHTMLBuilder, "copy_image_files", "    images", None),
    (StandaloneHTMLBuilder, "gen_additional_pages", "    search.html and the 404 page", None),
    (StandaloneHTMLBuilder, "dump_search_index", "    Sphinx's search index, written", None),
    (EventManager, "emit", FINISHED, None),  # only for build-finished: see _timer
    (build, "check_internal_links", "internal link check (Pagefind runs meanwhile)", None),
    (build, "publish", "publish (Pagefind finishes meanwhile)", None),
    (Indexing, "wait", "  word list, then wait for Pagefind", None),
    (Indexing, "install", "search index kept for the next build", None),
]


def instrument(phases: Phases) -> Callable[[], None]:
    """Wrap every function of :data:`WRAPPED` with a timer; return a function that unwraps."""
    originals = []
    for owner, name, phase, page_arg in WRAPPED:
        original = getattr(owner, name)
        originals.append((owner, name, original))
        setattr(owner, name, _timer(phases, original, phase, page_arg, isinstance(owner, type)))
    connect = EventManager.connect
    originals.append((EventManager, "connect", connect))

    def timed_connect(self: EventManager, name: str, callback: Any, priority: int) -> int:
        if name == "build-finished":
            label = f"    {getattr(callback, '__module__', '')}.{callback.__qualname__}"
            phases.finished.setdefault(label, Spent())
            callback = _timer(phases, callback, label, None, method=False)
        return connect(self, name, callback, priority)

    EventManager.connect = timed_connect  # type: ignore[method-assign]

    def restore() -> None:
        for owner, name, original in originals:
            setattr(owner, name, original)

    return restore


def _timer(
    phases: Phases, function: Callable[..., Any], phase: str, page_arg: int | None, method: bool
) -> Callable[..., Any]:
    @wraps(function)
    def timed(*args: Any, **kwargs: Any) -> Any:
        if phase == FINISHED and args[1] != "build-finished":
            return function(*args, **kwargs)
        index = None if page_arg is None else page_arg + method
        page = args[index] if index is not None and len(args) > index else ""
        with phases.timed(phase, page if isinstance(page, str) else ""):
            return function(*args, **kwargs)

    return timed


def timed_build(root: Path, *, clean: bool) -> tuple[Phases, Spent]:
    """One serial build of the book at ``root``, each phase timed; and the whole."""
    phases = Phases()
    restore = instrument(phases)
    wall, cpu = time.perf_counter(), cpu_time()
    try:
        status = build.build_check_publish(build.Layout(root), clean=clean, extra=["-j", "1"])
    finally:
        restore()
    if status:
        raise SystemExit(f"the build of {root} failed (status {status})")
    return phases, Spent(time.perf_counter() - wall, cpu_time() - cpu, 1)


def edit_one_page(root: Path, count: int) -> None:
    """What a writer does between two builds: change a paragraph of one module page."""
    page = first_module_page(root)
    page.write_text(f"{page.read_text('utf-8')}\nA sentence for the profile ({count}).\n", "utf-8")


def profiled_build(root: Path, top: int, *, clean: bool) -> str:
    """One more serial build under cProfile; its top functions by own and total time."""
    profiler = cProfile.Profile()
    profiler.runcall(build.build_check_publish, build.Layout(root), clean=clean, extra=["-j", "1"])
    lines = []
    for key in ("tottime", "cumulative"):
        stream = io.StringIO()
        pstats.Stats(profiler, stream=stream).sort_stats(key).print_stats(top)
        lines += ["", f"cProfile, top {top} by {key}:", _trim(stream.getvalue())]
    return "\n".join(lines)


def startup() -> Spent:
    """What a new ``python -m mlops_handbook.build`` costs before any work: the imports."""
    wall, cpu = time.perf_counter(), cpu_time()
    command = [sys.executable, "-c", "import mlops_handbook.build, sphinx.application"]
    subprocess.run(command, check=True)
    return Spent(time.perf_counter() - wall, cpu_time() - cpu, 1)


def report(phases: Phases, whole: Spent, start: Spent, top: int) -> str:
    rows = [("a new process: Python and imports", start)]
    for name, spent in phases.total.items():
        rows.append((name, spent))
        if name == FINISHED:  # the slowest listeners below it
            listeners = sorted(phases.finished.items(), key=lambda item: -item[1].wall)
            rows += [
                (label[: 44 - 1] + "…" if len(label) > 44 else label, s)
                for label, s in listeners
                if s.calls
            ][:8]
    rows.append(("whole build, without the imports", whole))
    lines = [f"{'phase':<44} {'calls':>5} {'wall s':>7} {'cpu s':>7}"]
    lines += [f"{name:<44} {s.calls:>5} {s.wall:>7.2f} {s.cpu:>7.2f}" for name, s in rows]
    lines += ["", f"slowest pages, CPU s to read, resolve and write; top {top}:"]

    def page_cpu(page: str) -> list[float]:
        return [phases.pages[page].get(phase, Spent()).cpu for phase in (READ, RESOLVE, WRITE)]

    for page in sorted(phases.pages, key=lambda p: -sum(page_cpu(p)))[:top]:
        lines.append(f"  {page:<60} " + " ".join(f"{c:>6.3f}" for c in page_cpu(page)))
    return "\n".join(lines)


def _trim(text: str) -> str:
    """pstats' table without its preamble and with site-packages paths shortened."""
    body = text[text.index("   ncalls") :] if "   ncalls" in text else text
    return re.sub(r"\S*site-packages/", "", body.rstrip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m mlops_handbook.bench.phases", description=__doc__
    )
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the repository root")
    parser.add_argument("--profile", action="store_true", help="add cProfile's top functions")
    parser.add_argument(
        "--edit", action="store_true", help="time a one-page edit's rebuild, not a clean build"
    )
    parser.add_argument("--top", type=int, default=25, help="rows of each list (default 25)")
    parser.add_argument("--out", type=Path, help="also write the report to this file")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="handbook-phases-"))
    try:
        root = copy_book(args.root.resolve(), work / "book")
        cache = args.root.resolve() / "build" / ".cache"
        if cache.is_dir():
            shutil.copytree(cache, root / "build" / ".cache")
        warm_up = [sys.executable, "-m", "mlops_handbook.build", "html", "--root", str(root)]
        subprocess.run(warm_up, check=True, capture_output=True)  # fills the diagram cache
        clean = not args.edit
        if args.edit:
            edit_one_page(root, 1)
        phases, whole = timed_build(root, clean=clean)
        text = report(phases, whole, startup(), args.top)
        if args.profile:
            if args.edit:
                edit_one_page(root, 2)
            text += "\n" + profiled_build(root, args.top, clean=clean)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
