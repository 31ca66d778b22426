"""Serve the print build on 127.0.0.1 while Chromium prints it.

Chromium blocks some resources (ES modules, fonts) on ``file://`` pages, so the book is printed
from a local HTTP server on an ephemeral port that only this machine can reach.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

POLL_SECONDS = 0.02


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves files without logging every request to stderr."""

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _QuietServer(ThreadingHTTPServer):
    """A browser that navigates away mid-response closes the socket; that is not an error."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def serve_directory(
    root: Path, handler_class: type[SimpleHTTPRequestHandler] = QuietHandler
) -> Iterator[str]:
    """Serve ``root`` for the duration of the block; yield its base URL (ending in ``/``)."""
    handler = partial(handler_class, directory=str(root))
    with _QuietServer(("127.0.0.1", 0), handler) as server:
        # Its loop sees a shutdown only between polls: every 0.5 s by default, paid at the end
        # of every print.
        serve = partial(server.serve_forever, poll_interval=POLL_SECONDS)
        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        try:
            host, port = server.server_address[:2]
            yield f"http://{host}:{port}/"
        finally:
            server.shutdown()
            thread.join()
