"""Serve ``build/html`` and tell the pages when a rebuild finished or failed.

While a rebuild's checked pages wait for the search index and publishing (Pagefind reads
the whole book again, about 0.7 s), the server already shows them: it serves the staging
folder, whose search index is still the last build's, until ``build/html`` is the new site.
``build/html`` itself only ever changes whole (see :mod:`mlops_handbook.build`).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

LIVE_SCRIPT = Path(__file__).with_name("live.js")
STATUS_PATH = "/__serve/status"
SCRIPT_PATH = "/__serve/live.js"
SCRIPT_TAG = f'<script src="{SCRIPT_PATH}" defer></script>'.encode()


@dataclass
class BuildState:
    """What the pages poll: the number of builds shown so far and the last failure, if any.

    ``preview``: the checked pages of the running build, served until it has published.
    """

    generation: int = 0
    building: bool = False
    problems: str = ""
    preview: Path | None = None
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def as_json(self) -> bytes:
        with self.lock:
            state = {
                "generation": self.generation,
                "building": self.building,
                "problems": self.problems,
            }
        return json.dumps(state).encode()


class Handler(SimpleHTTPRequestHandler):
    """Files from the published site; HTML pages get the live-reload script."""

    def __init__(self, *args: object, state: BuildState, **kwargs: object) -> None:
        self.state = state
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def do_GET(self) -> None:
        route = self.path.split("?", 1)[0]
        if route == STATUS_PATH:
            self.send_bytes(self.state.as_json(), "application/json")
            return
        if route == SCRIPT_PATH:
            self.send_bytes(LIVE_SCRIPT.read_bytes(), "text/javascript")
            return
        path = Path(self.translate_path(self.path))
        if path.is_dir() and route.endswith("/"):
            path /= "index.html"
        if path.suffix == ".html" and path.is_file():
            self.send_bytes(with_script(path.read_bytes()), "text/html; charset=utf-8")
            return
        super().do_GET()

    def translate_path(self, path: str) -> str:
        """The file in the running build's checked pages, if any and it is there; else published."""
        published = super().translate_path(path)
        preview = self.state.preview
        if preview is None:
            return published
        staged = preview / Path(published).relative_to(self.directory)
        return str(staged) if staged.exists() else published

    def send_bytes(self, body: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def end_headers(self) -> None:
        # A page the browser cached would hide a rebuild; every file is asked for again.
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the terminal shows the builds, not every request."""


def with_script(page: bytes) -> bytes:
    """The page with the live-reload script before ``</head>`` (or at the end)."""
    at = page.find(b"</head>")
    return page + SCRIPT_TAG if at < 0 else page[:at] + SCRIPT_TAG + page[at:]


def make_server(site: Path, host: str, port: int, state: BuildState) -> ThreadingHTTPServer:
    handler = partial(Handler, directory=str(site), state=state)
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server
