"""`nox -s serve`: strict rebuilds on save, problems shown on the served pages until fixed."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from mlops_handbook.build import Layout
from mlops_handbook.serve import rebuild
from mlops_handbook.serve.rebuild import Outcome
from mlops_handbook.serve.server import SCRIPT_TAG, with_script
from mlops_handbook.serve.watch import changed, snapshot

from .conftest import ROOTS

Edit = Callable[[Path, str, str], None]
PATIENCE = 240  # seconds to wait for a rebuild on a busy machine; never asserted on


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Served:
    """A running ``python -m mlops_handbook.serve`` on a copy of the small test handbook."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.url = f"http://127.0.0.1:{free_port()}"
        command = [sys.executable, "-m", "mlops_handbook.serve", "--root", str(root)]
        self.process = subprocess.Popen(
            [*command, "--port", self.url.rsplit(":", 1)[1]],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def get(self, path: str) -> str:
        with urllib.request.urlopen(self.url + path, timeout=10) as response:
            return response.read().decode("utf-8")

    def status(self) -> dict[str, object]:
        return json.loads(self.get("/__serve/status"))

    def after_build(self, generation: int) -> dict[str, object]:
        """The status once build number ``generation`` has finished."""
        deadline = time.monotonic() + PATIENCE
        while time.monotonic() < deadline:
            try:
                state = self.status()
            except OSError:  # not listening yet
                state = {"generation": 0}
            if state["generation"] >= generation and not state.get("building"):
                return state
            time.sleep(0.2)
        pytest.fail(f"serve did not finish build {generation} in {PATIENCE} s")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    shutil.copytree(ROOTS / "test-handbook", tmp_path / "docs")
    shutil.move(tmp_path / "docs" / "conf.py", tmp_path / "conf.py")
    server = Served(tmp_path)
    yield server
    server.process.terminate()
    server.process.wait(timeout=30)


def test_a_warning_is_shown_on_the_served_page_until_fixed(served: Served, edit: Edit):
    assert served.after_build(1)["problems"] == ""
    page = served.get("/tas.html")
    assert SCRIPT_TAG.decode() in page
    assert not (served.root / "build" / "html" / "tas.html").read_text().count("__serve")

    tas = served.root / "docs" / "tas.md"
    edit(tas, "# TAs\n", "# TAs\n\nSee {ref}`no-such-label`.\n")
    problems = str(served.after_build(2)["problems"])
    assert "tas.md" in problems
    assert "no-such-label" in problems  # a warning fails serve exactly as it fails html
    assert "reading sources" not in problems  # progress goes to the terminal, not the banner
    assert served.get("/tas.html") == page  # the last good page, and the banner above it

    edit(tas, "See {ref}`no-such-label`.\n", "Fixed for the serve test.\n")
    assert served.after_build(3)["problems"] == ""
    assert "Fixed for the serve test." in served.get("/tas.html")


def test_the_script_goes_into_the_head():
    page = b"<html><head><title>t</title></head><body></body></html>"
    assert with_script(page) == page.replace(b"</head>", SCRIPT_TAG + b"</head>")
    assert with_script(b"<p>no head</p>") == b"<p>no head</p>" + SCRIPT_TAG


def test_only_a_failed_build_has_problems():
    assert Outcome(0, "search index: 53 pages\n").problems == ""
    assert Outcome(1, "x.md:3: WARNING: bad\n").problems == "x.md:3: WARNING: bad"
    assert Outcome(2, "").problems == "The build stopped with status 2."


def test_an_edit_is_noticed(tmp_path: Path):
    (tmp_path / "docs").mkdir()
    page = tmp_path / "docs" / "page.md"
    page.write_text("one")
    before = snapshot(tmp_path)
    assert changed(before, snapshot(tmp_path)) == []
    page.write_text("two, longer")
    (tmp_path / "docs" / "build").mkdir()
    (tmp_path / "docs" / "build" / "out.html").write_text("ignored")
    assert changed(before, snapshot(tmp_path)) == [page]


def test_the_server_imports_what_a_build_imported_before_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    shutil.copytree(ROOTS / "test-handbook", tmp_path / "docs")
    shutil.move(tmp_path / "docs" / "conf.py", tmp_path / "conf.py")
    named: list[str] = []
    warm = rebuild.warm

    def noted(modules: list[str]) -> None:
        named.extend(modules)
        warm(modules)

    monkeypatch.setattr(rebuild, "warm", noted)
    assert rebuild.rebuild(Layout(tmp_path)).status == 0
    assert "sphinx.builders.html" in named
    assert not [name for name in named if name not in sys.modules and not name.startswith("__")]
