"""``python -m tests.fault_build PHASE ROOT``: run `nox -s html`'s build, stopped in one phase.

Used only by test_faults.py, in a subprocess: the build is killed (SIGKILL, as a crash or
``kill -9`` would end it) or interrupted (Ctrl-C) at the named point.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sphinx.builders import Builder
from sphinx.builders.html import StandaloneHTMLBuilder

from mlops_handbook import build, lean


def kill() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def interrupt() -> None:
    raise KeyboardInterrupt


def on_call(
    owner: Any, name: str, calls: int, stop: Callable[[], None], after: bool = False
) -> None:
    """Make the ``calls``-th call of ``owner.name`` stop the build, before or after it runs."""
    original = getattr(owner, name)
    count = 0

    def stopping(*args: Any, **kwargs: Any) -> Any:
        nonlocal count
        count += 1
        if count == calls and not after:
            stop()
        result = original(*args, **kwargs)
        if count == calls and after:
            stop()
        return result

    setattr(owner, name, stopping)


def on_first_rename(after: bool) -> None:
    """Stop at the first rename of publishing (whichever function does it), before or after."""
    original = build.publish

    def publish(*args: Any) -> Any:
        for owner, name in ((os, "rename"), (os, "replace"), (Path, "rename"), (Path, "replace")):
            on_call(owner, name, 1, kill, after=after)
        return original(*args)

    build.publish = publish


PHASES: dict[str, Callable[[], None]] = {
    "reading": lambda: on_call(Builder, "read_doc", 3, kill),
    "writing": lambda: on_call(StandaloneHTMLBuilder, "handle_page", 3, kill),
    "writing, Ctrl-C": lambda: on_call(StandaloneHTMLBuilder, "handle_page", 3, interrupt),
    # Pagefind has started by then (the pages are final); the bundles are not written yet.
    "finishing, Pagefind running": lambda: on_call(lean, "finish_site", 1, kill),
    "finishing, Pagefind running, Ctrl-C": lambda: on_call(lean, "finish_site", 1, interrupt),
    "link check": lambda: on_call(build, "check_internal_links", 1, kill),
    "publish, copying": lambda: on_call(build, "link_or_copy", 5, kill),
    "publish, at its first rename": lambda: on_first_rename(after=False),
    "publish, after its first rename": lambda: on_first_rename(after=True),
}


if __name__ == "__main__":
    phase, root = sys.argv[1:]
    PHASES[phase]()
    sys.exit(build.main(["html", "--root", root, "--", "-j", "1"]))
