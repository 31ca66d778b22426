"""Save → reloaded page in ``nox -s serve``: a real edit, then poll the served page.

The server runs on its own copy of the book. Each edit appends a sentence with a unique token
to a module page; the clock runs from the write until the served page contains the token,
which is when the browser's reload (polling every 0.1 s) can show it. Serve shows a
rebuild's pages once they are checked, before the search index and publishing finish, so the
next edit waits until the server is idle. CPU time is the server's and its whole rebuild's,
read from ``/proc`` (Linux) once the rebuild has ended.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from .measure import CommandFailedError, Measurement, Run, python
from .scenarios import Bench, first_module_page

SERVE_SECONDS = 1.0
POLL_SECONDS = 0.05
PATIENCE = 600.0  # give up on a rebuild after this long: the server is stuck


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """CPU of a process and of its finished children (the forked rebuilds)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = sum(int(fields[i]) for i in (11, 12, 13, 14))  # utime stime cutime cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return ""


def wait_for(server: subprocess.Popen[bytes], url: str, wanted: str) -> None:
    deadline = time.monotonic() + PATIENCE
    while wanted not in fetch(url):
        if server.poll() is not None or time.monotonic() > deadline:
            raise CommandFailedError(f"serve never showed {wanted!r} at {url}")
        time.sleep(POLL_SECONDS)


def idle(url: str) -> bool:
    """Serve has finished its first build and is not building: nothing of it is left to run."""
    status = fetch(f"{url}/__serve/status")
    if not status:
        return False
    state = json.loads(status)
    return state["generation"] >= 1 and not state["building"]


def wait_until_idle(server: subprocess.Popen[bytes], url: str) -> None:
    deadline = time.monotonic() + PATIENCE
    while not idle(url):
        if server.poll() is not None or time.monotonic() > deadline:
            raise CommandFailedError("serve did not finish its build")
        time.sleep(POLL_SECONDS)


def serve_reload(bench: Bench) -> Measurement:
    """Edit one module page ``bench.runs`` times while serve runs; time each until served."""
    root = bench.book("serve")
    page = first_module_page(root)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    address = f"{base}/{page.relative_to(root / 'docs').with_suffix('.html').as_posix()}"
    result = Measurement("save → reloaded page, nox -s serve", goal=f"<= {SERVE_SECONDS:g} s")
    command = python("-m", "mlops_handbook.serve", "--root", str(root), "--port", str(port))
    server = subprocess.Popen(command, cwd=root, stdout=subprocess.DEVNULL)
    try:
        original = page.read_text(encoding="utf-8")
        for index in range(bench.runs):
            wait_until_idle(server, base)  # the first, full build is not timed
            token = f"serve-bench-{index}-{time.time_ns()}"
            load, cpu = os.getloadavg()[0], cpu_seconds(server.pid)
            start = time.perf_counter()
            page.write_text(f"{original}\nA sentence saved for the benchmark: {token}.\n")
            wait_for(server, address, token)
            wall = time.perf_counter() - start
            wait_until_idle(server, base)  # the rebuild's CPU, search index and publish included
            result.runs.append(Run(wall, cpu_seconds(server.pid) - cpu, load))
    finally:
        server.terminate()
        server.wait(timeout=30)
    walls = [r.wall for r in result.runs]
    result.met = result.wall <= SERVE_SECONDS
    result.notes.append(f"{len(walls)} edits, range {min(walls):.2f}–{max(walls):.2f} s")
    return result
