"""One build at a time per repository: an exclusive lock on ``build/.lock``.

Two builds at once shared the staging folders and Sphinx's saved environment, and each could
publish the other's half-written pages. Every command that writes under ``build/`` (``nox -s
html``, ``pdf``, ``book``, and each rebuild of ``serve``) holds this lock while it works; one
that finds it taken says who holds it and waits. The operating system releases the lock when
its holder exits, however it ends, so a killed build never leaves a stale lock behind.

The lock itself is filelock's (``fcntl`` on Linux and macOS, ``msvcrt`` on Windows); who holds
it is written to a file beside it, ``build/.lock.holder``, for the message of the one waiting.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout
from sphinx.application import Sphinx
from sphinx.config import Config

from .config import HandbookConfig

_held: dict[Path, FileLock] = {}


def holder_file(path: Path) -> Path:
    return path.with_name(path.name + ".holder")


def acquire(path: Path, what: str) -> bool:
    """Take the lock at ``path``, waiting for its holder; False if this process holds it."""
    path = path.resolve()
    if path in _held:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(path, is_singleton=False, thread_local=False)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        try:
            holder = holder_file(path).read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError):
            holder = ""
        print(
            f"Waiting for {holder or 'another build'} to finish (it holds {path}); "
            "press Ctrl-C to stop waiting.",
            file=sys.stderr,
            flush=True,
        )
        lock.acquire()
    holder_file(path).write_text(f"{what} (process {os.getpid()})\n", encoding="utf-8")
    _held[path] = lock
    return True


def release(path: Path) -> None:
    path = path.resolve()
    lock = _held.pop(path, None)
    if lock is not None:
        holder_file(path).unlink(missing_ok=True)
        lock.release()


@contextmanager
def build_lock(path: Path, what: str) -> Iterator[None]:
    """Hold the lock at ``path`` for the ``with`` block (a no-op if this process holds it)."""
    taken = acquire(path, what)
    try:
        yield
    finally:
        if taken:
            release(path)


class SphinxLock:
    """Builds that other tools start (``serve``) honour the lock named by ``handbook_build_lock``.

    Held from the moment the configuration is read until the build has finished; a build that
    runs inside ``nox -s html`` or ``pdf`` already holds it, and leaves it to them.
    """

    def __init__(self) -> None:
        self.taken: Path | None = None

    def acquire(self, app: Sphinx, config: Config) -> None:
        configured = HandbookConfig.from_sphinx(config).build_lock
        path = Path(app.confdir, configured)
        if configured and acquire(path, f"a Sphinx build into {app.outdir}"):
            self.taken = path

    def release(self, app: Sphinx, exception: BaseException | None) -> None:
        if self.taken is not None:
            release(self.taken)
            self.taken = None


def setup_lock(app: Sphinx) -> None:
    lock = SphinxLock()
    app.connect("config-inited", lock.acquire)
    app.connect("build-finished", lock.release, priority=900)
