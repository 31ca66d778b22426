"""``python -m mlops_handbook.serve [--port 8000]``: rebuild on save, serve, show problems."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from ..build import Layout, Stage
from .rebuild import rebuild
from .server import BuildState, make_server
from .watch import changed, snapshot, written_by_build

POLL_SECONDS = 0.1
# Imported once here, so that each forked rebuild starts with them loaded.
WARM_MODULES = ("sphinx.application", "myst_parser", "sphinx_book_theme", "sphinx_design")
# Selectors of the kinds the theme's navigation uses (descendant, child, class, attribute,
# :not): compiling them makes soupsieve compile its whole selector grammar.
GRAMMAR_SAMPLE = "li.has-children > details > summary, .toc-h1 .a:not(.b) > p.caption[c='d']"


def compile_selector_grammar() -> None:
    """Compile soupsieve's selector grammar here, once, not in every forked rebuild.

    The theme selects parts of its navigation with CSS selectors (BeautifulSoup, soupsieve),
    whose parser compiles its regular expressions on first use: about 0.1 s of each rebuild
    went to compiling them again.
    """
    importlib.import_module("soupsieve").compile(GRAMMAR_SAMPLE)


def restart() -> None:
    """Start this server again in a new interpreter: the extension's own code changed."""
    print("The extension's code changed; restarting the server.", flush=True)
    os.execv(sys.executable, [sys.executable, "-m", "mlops_handbook.serve", *sys.argv[1:]])


class Preview:
    """Show a rebuild's pages as soon as they pass the checks, not only once published.

    The pages reload then (the generation moves on), with the last build's search index
    until the new one is published a moment later; they do not reload a second time.
    """

    def __init__(self, layout: Layout, state: BuildState) -> None:
        self.layout, self.state, self.shown = layout, state, False

    def __call__(self, stage: Stage) -> None:
        with self.state.lock:
            if stage == "checked":
                self.state.preview = self.layout.staging("html")
                self.state.problems = ""
                self.state.generation += 1
                self.shown = True
            else:
                self.state.preview = None

    def done(self, problems: str) -> None:
        with self.state.lock:
            self.state.preview = None
            if problems or not self.shown:
                self.state.generation += 1
            self.state.building = False
            self.state.problems = problems


def build_loop(layout: Layout, state: BuildState) -> None:
    """Build once, then again after every save, until the process is stopped.

    The files are looked at before each build, so a save during a build starts the next one;
    the session pages the build writes from the data are not saves.
    """
    while True:
        before = snapshot(layout.root)
        with state.lock:
            state.building = True
        preview = Preview(layout, state)
        outcome = rebuild(layout, preview)
        preview.done(outcome.problems)
        if outcome.status:
            print("The build failed; the pages show its problems until a build succeeds.")
        before = written_by_build(before, snapshot(layout.root))
        while not (edits := changed(before, snapshot(layout.root))):
            time.sleep(POLL_SECONDS)
        src = layout.root / "src"
        if any(p.suffix == ".py" and p.is_relative_to(src) for p in edits):
            restart()
        shown = ", ".join(str(p.relative_to(layout.root)) for p in edits[:3])
        print(f"Changed: {shown}{' …' if len(edits) > 3 else ''}; rebuilding.", flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mlops_handbook.serve", description=__doc__)
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the repository root")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on")
    args = parser.parse_args(argv)
    layout = Layout(args.root.resolve())
    for name in WARM_MODULES:
        importlib.import_module(name)
    compile_selector_grammar()
    state = BuildState()
    layout.site.parent.mkdir(parents=True, exist_ok=True)
    server = make_server(layout.site, args.host, args.port, state)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"Serving {layout.site} on http://{args.host}:{args.port}/ (Ctrl-C stops).", flush=True)
    try:
        build_loop(layout, state)
    except KeyboardInterrupt:
        print("Stopped serving.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
