"""``--max-age`` decides which confirmed links the external check trusts; 0 trusts none."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from mlops_handbook.links.cache import LinkCache
from mlops_handbook.links.cli import main

CONF = """
from mlops_handbook.links import setup_links

project = "max-age"
links_ignore_local = False  # the test server is on 127.0.0.1
links_host_interval = 0.0


def setup(app):
    setup_links(app)
"""


class Counting(BaseHTTPRequestHandler):
    hits = 0

    def do_HEAD(self) -> None:
        type(self).hits += 1
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        """Keep the test output quiet."""


@pytest.fixture
def server() -> Iterator[tuple[str, type[Counting]]]:
    handler = type("Handler", (Counting,), {"hits": 0})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}/ok", handler
    httpd.shutdown()
    httpd.server_close()


def test_max_age_zero_rechecks_a_link_confirmed_a_moment_ago(
    tmp_path: Path, server: tuple[str, type[Counting]]
):
    url, handler = server
    src = tmp_path / "book"
    src.mkdir()
    (src / "conf.py").write_text(CONF, encoding="utf-8")
    (src / "index.rst").write_text(f"Book\n====\n\nA `link <{url}>`__.\n", encoding="utf-8")
    out = tmp_path / "out"
    args = ["external", "--srcdir", str(src), "--confdir", str(src), "--outdir", str(out)]
    args += ["--doctrees", str(tmp_path / "doctrees")]
    assert main(args) == 0
    assert handler.hits == 1
    assert main(args) == 0  # the default age trusts the confirmation
    assert handler.hits == 1
    assert main([*args, "--max-age", "0"]) == 0
    assert handler.hits == 2
    assert main([*args, "--max-age", "3600"]) == 0
    assert handler.hits == 2


def test_a_confirmation_is_trusted_for_less_than_max_age(tmp_path: Path):
    path = tmp_path / "cache.json"
    cache = LinkCache.load(path, max_age=100, now=1000.0)
    cache.confirm(["https://a.org"], now=1000.0)
    cache.confirm(["https://b.org"], now=901.0)
    cache.confirm(["https://c.org"], now=900.0)
    cache.save()
    assert list(LinkCache.load(path, max_age=100, now=1000.0).confirmed) == [
        "https://a.org",
        "https://b.org",
    ]
    assert LinkCache.load(path, max_age=0, now=1000.0).confirmed == {}
