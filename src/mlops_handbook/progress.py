"""Say what a long build is doing: phases with counts, so no step is silent for long.

In a terminal it is one line, rewritten in place (``reading sources 31/52``); elsewhere (CI,
a log file, the serve banner) a plain line when a phase starts and then at most every
``PLAIN_EVERY`` seconds. Sphinx runs quietly (``-q``, so its own chatter is gone), and its
progress reports are routed here by replacing ``status_iterator`` and ``progress_message``,
the two helpers Sphinx and its extensions call for every long step.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TextIO, TypeVar

from sphinx.util import display

T = TypeVar("T")
PLAIN_EVERY = 3.0
TTY_EVERY = 0.1
TTY_WIDTH = 100  # characters of the updating line; a longer one would wrap and not be erased


class Progress:
    """The current phase and count, shown on ``stream``."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.chosen = stream
        self.shown = ""
        self.last = 0.0

    @property
    def stream(self) -> TextIO:
        """The stream given, else standard output as it is now (tests replace it)."""
        return self.chosen or sys.stdout

    @property
    def live(self) -> bool:
        return self.stream.isatty()

    def show(self, text: str, *, start: bool = False) -> None:
        """Show ``text``; a new phase (``start``) always, a count when enough time passed."""
        now = time.monotonic()
        if not start and now - self.last < (TTY_EVERY if self.live else PLAIN_EVERY):
            return
        self.last = now
        if self.live:
            self.stream.write(f"\r\x1b[2K{text[:TTY_WIDTH]}")
            self.shown = text
        else:
            self.stream.write(f"{text}\n")
        self.stream.flush()

    def finish(self) -> None:
        """Clear the updating line, so what is printed next starts on a clean line."""
        if self.live and self.shown:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
        self.shown = ""

    @contextmanager
    def ticking(self, name: str) -> Iterator[None]:
        """Show ``name`` and the seconds it has taken so far, for one step that has no count."""
        started = time.monotonic()
        stop = threading.Event()

        def tick() -> None:
            every = 1.0 if self.live else PLAIN_EVERY
            while not stop.wait(every):
                self.show(f"{name}… {time.monotonic() - started:.0f} s", start=True)

        self.show(f"{name}…", start=True)
        ticker = threading.Thread(target=tick, daemon=True)
        ticker.start()
        try:
            yield
        finally:
            stop.set()
            ticker.join()

    def count(self, name: str, items: Iterable[T], total: int) -> Iterator[T]:
        """Yield ``items``; a list is a chunk of documents (a parallel build) and counts whole."""
        done = 0
        for item in items:
            done += len(item) if isinstance(item, list) else 1
            self.show(f"{name} {done}/{total}", start=done in {1, total})
            yield item


PROGRESS = Progress()


def _status_iterator(
    iterable: Iterable[T], summary: str, color: str = "", length: int = 0, *args: Any, **kw: Any
) -> Iterator[T]:
    items = list(iterable)
    total = sum(len(i) if isinstance(i, list) else 1 for i in items) if length else len(items)
    name = summary.strip().rstrip(".").strip()
    yield from PROGRESS.count(name, items, total)


class _ProgressMessage(display.progress_message):
    def __enter__(self) -> None:
        PROGRESS.show(f"{self.message}…", start=True)


def install(stream: TextIO | None = None) -> Progress:
    """Route Sphinx's progress to one :class:`Progress` for this process; return it.

    Without a ``stream`` the progress keeps going where it went (standard output at first).
    """
    if stream is not None:
        PROGRESS.__init__(stream)  # type: ignore[misc]
    originals: dict[str, Callable[..., Any]] = {
        "status_iterator": display.status_iterator,
        "progress_message": display.progress_message,
    }
    replacements = {"status_iterator": _status_iterator, "progress_message": _ProgressMessage}
    for module in list(sys.modules.values()):
        for name, original in originals.items():
            if getattr(module, name, None) is original:
                setattr(module, name, replacements[name])
    return PROGRESS
