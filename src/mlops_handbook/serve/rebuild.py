"""Run one ``nox -s html`` build in a forked child and keep what it printed."""

from __future__ import annotations

import importlib
import os
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from ..build import Layout, Reached, Stage, build_html, exit_now, nowhere
from ..progress import install as show_progress

BANNER_LINES = 60


@dataclass(frozen=True)
class Outcome:
    """A finished build: its exit status and everything it printed."""

    status: int
    output: str

    @property
    def problems(self) -> str:
        """What the banner shows: the failed build's output (its last lines), else nothing."""
        if self.status == 0:
            return ""
        lines = self.output.strip().splitlines()[-BANNER_LINES:]
        return "\n".join(lines) or f"The build stopped with status {self.status}."


def rebuild(layout: Layout, reached: Reached = nowhere) -> Outcome:
    """Build, check and publish like ``nox -s html``; echo the output and return it.

    The progress line is not part of the output: it goes to the terminal only. ``reached``
    is called in this process, from a thread, as the child reaches each stage of the build.

    The child starts from this process's imports (Sphinx, the theme, the extension), which
    saves a second or two per rebuild, and exits when done, taking its module state with it.
    It names the modules it imported, and this process imports them before the next save,
    so that the next child finds them loaded (see :func:`warm`).
    """
    sys.stdout.flush()
    sys.stderr.flush()
    read, write = os.pipe()
    stages, tell = os.pipe()
    with tempfile.NamedTemporaryFile("r", encoding="utf-8", prefix="serve-modules-") as used:
        child = os.fork()
        if child == 0:
            os.close(read)
            os.close(stages)
            # Progress goes straight to the terminal; everything else to the pipe (and banner).
            show_progress(os.fdopen(os.dup(1), "w", encoding="utf-8"))
            os.dup2(write, 1)
            os.dup2(write, 2)
            try:
                status = build_html(
                    layout, clean=False, extra=[], reached=lambda stage: told(tell, stage)
                )
            except BaseException as error:
                print(f"The build crashed: {error!r}", file=sys.stderr)
                status = 1
            Path(used.name).write_text("\n".join(sorted(sys.modules)), encoding="utf-8")
            exit_now(status)
        os.close(write)
        os.close(tell)
        listener = threading.Thread(target=hear, args=(stages, reached), daemon=True)
        listener.start()
        chunks: list[bytes] = []
        with os.fdopen(read, "rb") as pipe:
            while chunk := pipe.read1(4096):
                chunks.append(chunk)
                sys.stdout.buffer.write(chunk)
                sys.stdout.flush()
        status = os.waitstatus_to_exitcode(os.waitpid(child, 0)[1])
        listener.join()
        warm(used.read().split())
    return Outcome(status, b"".join(chunks).decode("utf-8", "replace"))


def told(pipe: int, stage: Stage) -> None:
    """In the child: tell the server how far the build got, one line per stage."""
    os.write(pipe, f"{stage}\n".encode())


def hear(pipe: int, reached: Reached) -> None:
    """In the server: pass on each stage the child reached, until the child is gone."""
    with os.fdopen(pipe, "r", encoding="utf-8") as lines:
        for line in lines:
            reached(cast(Stage, line.strip()))


def warm(modules: list[str]) -> None:
    """Import what the last build imported, ahead of the next build.

    A forked build starts with this process's memory: the next one then imports no module
    (Sphinx's builders, the theme's, Pygments' lexers, the other extensions).
    """
    for name in modules:
        if name not in sys.modules and not name.startswith("__"):
            try:
                importlib.import_module(name)
            except Exception:  # the build imports it itself, as before
                continue
