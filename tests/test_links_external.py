"""The external link check against a server on 127.0.0.1: every verdict, the cache, the report."""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from mlops_handbook.links import network
from mlops_handbook.links.cache import LinkCache
from mlops_handbook.links.cli import main
from mlops_handbook.links.policy import LOCAL_URLS

ROOT = Path(__file__).parent / "roots" / "test-links-external"
PAGE = b"<html><body><h2 id='present'>Here</h2></body></html>"


class Handler(BaseHTTPRequestHandler):
    """Answers each path the way one kind of real site does; counts every request."""

    hits: Counter[str]

    def do_GET(self) -> None:
        self.answer(body=True)

    def do_HEAD(self) -> None:
        self.answer(body=False)

    def answer(self, *, body: bool) -> None:
        path = self.path
        self.hits[path] += 1
        match path:
            case "/ok" | "/docs/en/latest/":
                self.reply(200, body=PAGE if body else b"")
            case "/moved":
                self.reply(301, Location="/moved-again")
            case "/moved-again":
                self.reply(302, Location="/ok")
            case "/docs/":
                self.reply(302, Location="/docs/en/latest/")
            case "/limited" if self.hits[path] == 1:
                self.reply(429, **{"Retry-After": "1"})
            case "/flaky" if self.hits[path] == 1:
                self.reply(503)
            case "/limited" | "/flaky":
                self.reply(200, body=PAGE if body else b"")
            case "/slow":
                time.sleep(20)  # far past linkcheck_timeout
                self.reply(200)
            case _:
                self.reply(404)

    def reply(self, code: int, body: bytes = b"", **headers: str) -> None:
        self.send_response(code)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        with contextlib.suppress(ConnectionError):  # the checker gave up on a slow answer
            self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        """Keep the test output quiet."""


@dataclass
class Server:
    """Where the test server listens, and what it was asked."""

    host: str
    hits: Counter[str]


@pytest.fixture
def server() -> Iterator[Server]:
    handler = type("CountingHandler", (Handler,), {"hits": Counter()})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield Server(f"127.0.0.1:{httpd.server_port}", handler.hits)
    httpd.shutdown()
    httpd.server_close()


FAST = {
    "links_ignore_local": False,  # the test server is on 127.0.0.1
    "linkcheck_exclude_documents": ["local"],
    "links_retries": 1,
    "links_retry_backoff": 0.0,
    "links_host_interval": 0.0,
}


@pytest.fixture
def check(make_app: Callable[..., Any], tmp_path: Path) -> Callable[..., dict[str, Any]]:
    """Build the test book with -b linkcheck against ``host``; return report.json by URL."""

    def _check(host: str, **overrides: Any) -> dict[str, Any]:
        src = tmp_path / "book"
        if not src.exists():
            shutil.copytree(ROOT, src)
            for page in src.glob("*.rst"):
                page.write_text(page.read_text().replace("SERVER", host))
        app = make_app(
            "linkcheck", srcdir=src, builddir=tmp_path / "build", confoverrides=overrides
        )
        app.build()
        report = json.loads((app.outdir / "report.json").read_text())
        report["statuscode"] = app.statuscode
        report["markdown"] = (app.outdir / "report.md").read_text()
        prefix = f"http://{host}"
        report["by_path"] = {
            link["uri"].removeprefix(prefix): link
            for link in report["links"]
            if link["uri"].startswith(prefix)
        }
        return report

    return _check


def test_every_verdict(server: Server, check: Callable[..., Any]) -> None:
    host, hits = server.host, server.hits
    report = check(host, **FAST)
    links = report["by_path"]
    verdicts = {path: link["status"] for path, link in links.items()}
    assert verdicts == {
        "/ok": "working",
        "/ok#present": "working",
        "/ok#absent": "broken",
        "/missing": "broken",
        "/moved": "redirected",
        "/docs/": "working",  # allowed: a docs site sending readers to its latest version
        "/limited": "working",  # after waiting as long as Retry-After asked
        "/flaky": "working",  # after one retry
        "/slow": "timeout",
    }
    assert "Anchor 'absent' not found" in links["/ok#absent"]["info"]
    assert links["/moved"]["code"] == 302
    assert links["/moved"]["info"].endswith("/ok")
    assert links["/missing"]["pages"] == ["book/index.rst:6", "book/second.rst:4"]
    assert hits["/limited"] == 2 and hits["/flaky"] == 2
    assert report["statuscode"] == 1


def test_report_is_readable(server: Server, check: Callable[..., Any]) -> None:
    host = server.host
    markdown = check(host, **FAST)["markdown"]
    assert "## Broken (2)" in markdown
    assert "## Timed out (1)" in markdown
    assert "## Redirected (1)" in markdown
    assert f"- <http://{host}/missing>: 404 Client Error" in markdown
    assert "on book/index.rst:6, book/second.rst:4" in markdown


def test_second_run_rechecks_only_unconfirmed(server: Server, check: Callable[..., Any]) -> None:
    host, hits = server.host, server.hits
    check(host, **FAST)
    first = hits.copy()
    report = check(host, **FAST)
    confirmed = ("/docs/", "/limited", "/flaky")
    assert all(hits[path] == first[path] for path in confirmed)  # not asked again
    assert hits["/missing"] > first["/missing"]  # broken: asked again
    assert hits["/moved"] > first["/moved"]  # redirected: asked again
    assert report["by_path"]["/flaky"]["cached"]
    assert report["by_path"]["/flaky"]["status"] == "working"
    assert report["by_path"]["/missing"]["status"] == "broken"

    check(host, **FAST, links_cache_max_age=0)
    assert hits["/docs/"] > first["/docs/"]


def test_local_addresses_are_ignored_without_a_request(check: Callable[..., Any]) -> None:
    report = check("127.0.0.1:9")  # the default policy: nothing here may be fetched
    assert {link["status"] for link in report["links"]} == {"ignored"}
    assert len(report["links"]) == 13
    assert report["statuscode"] == 0


def test_cli_writes_the_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "book"
    shutil.copytree(ROOT, src)
    for page in src.glob("*.rst"):  # every link local, so ignored: nothing leaves the machine
        page.write_text(page.read_text().replace("SERVER", "127.0.0.1:9"))
    out = tmp_path / "out"
    args = ["external", "--srcdir", str(src), "--confdir", str(src), "--outdir", str(out)]
    assert main([*args, "--doctrees", str(tmp_path / "doctrees"), "--max-age", "0"]) == 0
    assert "0 broken" in capsys.readouterr().out
    assert json.loads((out / "report.json").read_text())["summary"] == {"ignored": 13}


@pytest.mark.parametrize(
    ("url", "ignored"),
    [
        ("http://localhost:8000/docs", True),
        ("http://127.0.0.1/", True),
        ("http://10.0.0.2:5000", True),
        ("http://172.20.1.1/", True),
        ("http://192.168.1.10/", True),
        ("https://example.com", True),
        ("https://api.example.org/v1", True),
        ("https://my-bucket.storage.test/x", True),
        ("https://%7Bproject%7D.web.app", True),
        ("https://172.32.0.1/", False),
        ("https://examples.com/", False),
        ("https://docs.python.org/3/", False),
        ("https://github.com/SkafteNicki/dtu_mlops", False),
    ],
)
def test_local_patterns(url: str, ignored: bool) -> None:
    assert any(re.match(pattern, url) for pattern in LOCAL_URLS) is ignored


def test_policy_fills_only_what_conf_py_left(make_app: Callable[..., Any], tmp_path: Path) -> None:
    src = tmp_path / "book"
    shutil.copytree(ROOT, src)
    app = make_app("linkcheck", srcdir=src, confoverrides={"linkcheck_workers": 2})
    assert app.config.linkcheck_timeout == 3  # set in the root's conf.py
    assert app.config.linkcheck_workers == 2  # set on the command line
    assert app.config.linkcheck_rate_limit_timeout == 120.0  # the handbook's default
    assert any("github" in p for p in app.config.linkcheck_anchors_ignore_for_url)


def test_cache_forgets_old_confirmations(tmp_path: Path) -> None:
    cache = LinkCache.load(tmp_path / "cache.json", max_age=100, now=1000.0)
    cache.confirm(["https://old.org"], now=850.0)
    cache.confirm(["https://new.org"], now=950.0)
    cache.save()
    assert set(LinkCache.load(cache.path, max_age=100, now=1000.0).confirmed) == {"https://new.org"}
    (tmp_path / "cache.json").write_text("{not json")
    assert LinkCache.load(cache.path, max_age=100).confirmed == {}


def test_offline_says_so_in_one_line_and_keeps_the_last_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(network, "resolves", lambda host: False)  # no name resolves: offline
    src = tmp_path / "book"
    shutil.copytree(ROOT, src)
    for page in src.glob("*.rst"):
        page.write_text(page.read_text().replace("http://SERVER", "https://docs.python.org"))
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.md").write_text("the last complete report\n")
    args = ["external", "--srcdir", str(src), "--confdir", str(src), "--outdir", str(out)]
    status = main([*args, "--doctrees", str(tmp_path / "doctrees"), "--max-age", "0"])
    err = capsys.readouterr().err
    assert status == 2
    assert "Offline: none of docs.python.org can be resolved" in err
    assert (out / "report.md").read_text() == "the last complete report\n"
    assert not (out / "output.txt").exists() or (out / "output.txt").stat().st_size == 0


def test_offline_probe_skips_addresses_and_stops_at_one_answer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[str] = []

    def resolves(host: str) -> bool:
        asked.append(host)
        return host == "b.org"

    monkeypatch.setattr(network, "resolves", resolves)
    urls = ["https://a.org/1", "https://a.org/2", "https://b.org/", "http://127.0.0.1:9/x"]
    assert network.offline_hosts(urls) == []
    assert asked[0] == "a.org", "the most linked host is tried first"
    assert "127.0.0.1" not in asked
    asked.clear()
    monkeypatch.setattr(network, "resolves", lambda host: asked.append(host) or False)
    assert network.offline_hosts(urls) == ["a.org", "b.org"]
    assert network.offline_hosts(["http://127.0.0.1/", "mailto:x@y.z"]) == []
