"""The external link check waits between retries, and spaces requests to one host.

No clock is read here: urllib3's sleep and the pace's clock are replaced by recorders, so the
tests check how long the checker *asks* to wait, which no load on the machine can change.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace
from typing import Any

import pytest
import requests
import urllib3.util.retry

from mlops_handbook.links import external
from mlops_handbook.links.external import HostPace, PacedAdapter
from mlops_handbook.links.policy import SETTINGS


class FailsThreeTimes(BaseHTTPRequestHandler):
    """Answers 503 three times, then 200: a site that recovers from a short outage."""

    hits = 0

    def do_GET(self) -> None:
        type(self).hits += 1
        self.send_response(503 if self.hits <= 3 else 200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        """Keep the test output quiet."""


@pytest.fixture
def flaky_server() -> Iterator[str]:
    handler = type("Handler", (FailsThreeTimes,), {"hits": 0})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}/page"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def backoffs(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Every wait urllib3 asks for between two tries."""
    waits: list[float] = []
    fake = SimpleNamespace(sleep=waits.append, time=lambda: 0.0)
    monkeypatch.setattr(urllib3.util.retry, "time", fake)
    return waits


def session(retries: int, backoff: float) -> requests.Session:
    adapter = PacedAdapter(HostPace(0.0), retries, backoff)
    http = requests.Session()
    http.mount("http://", adapter)
    return http


def test_retries_after_5xx_wait_longer_each_time(flaky_server: str, backoffs: list[float]):
    retries, backoff = SETTINGS["links_retries"], SETTINGS["links_retry_backoff"]
    assert (retries, backoff) == (3, 1.0)
    response = session(retries, backoff).get(flaky_server, timeout=10)
    assert response.status_code == 200
    # urllib3 retries once at once, then waits backoff * 2, backoff * 4, ...
    assert backoffs == [2.0, 4.0]


def test_a_refused_connection_is_retried_with_backoff(backoffs: list[float]):
    with pytest.raises(requests.ConnectionError):
        session(3, 0.5).get("http://127.0.0.1:9/", timeout=10)  # nothing listens on port 9
    assert backoffs == [1.0, 2.0]


def test_the_last_answer_goes_to_sphinx_when_retries_run_out(
    flaky_server: str, backoffs: list[float]
):
    assert session(2, 1.0).get(flaky_server, timeout=10).status_code == 503
    assert backoffs == [2.0]


class FakeClock:
    """A monotonic clock that moves only when someone sleeps."""

    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def test_host_pace_spaces_one_host_only(monkeypatch: pytest.MonkeyPatch):
    clock = FakeClock()
    monkeypatch.setattr(external, "time", clock)
    pace = HostPace(0.2)
    for _ in range(3):
        pace.wait("https://github.com/a")
    pace.wait("https://pypi.org/b")  # another host: no wait
    assert clock.sleeps == pytest.approx([0.2, 0.2])
    clock.now += 1.0  # a host not asked for a while is asked at once
    pace.wait("https://github.com/c")
    assert len(clock.sleeps) == 2
