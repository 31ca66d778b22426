"""`nox -s serve`: strict rebuilds on save, problems shown on the served pages until fixed."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from mlops_handbook.build import Layout, Reached
from mlops_handbook.pdf.browser import find_browser
from mlops_handbook.pdf.renderer import CHROMIUM_ARGS
from mlops_handbook.serve import rebuild
from mlops_handbook.serve.__main__ import Preview
from mlops_handbook.serve.rebuild import Outcome
from mlops_handbook.serve.server import SCRIPT_TAG, BuildState, make_server, with_script
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


def test_a_rebuild_tells_the_server_each_stage_it_reaches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    def build(layout: Layout, *, clean: bool, extra: list[str], reached: Reached) -> int:
        reached("checked")
        reached("published")
        return 3

    monkeypatch.setattr(rebuild, "build_html", build)  # the forked child runs it
    heard: list[str] = []
    outcome = rebuild.rebuild(Layout(tmp_path), heard.append)
    assert outcome.status == 3
    assert heard == ["checked", "published"]


def test_checked_pages_are_served_before_they_are_published(tmp_path: Path):
    layout = Layout(tmp_path)
    published, staged = tmp_path / "published", layout.staging("html")
    for folder, text in ((published, "old"), (staged, "new")):
        (folder / "_pagefind").mkdir(parents=True)
        (folder / "page.html").write_text(f"<p>{text} page</p>")
        (folder / "_pagefind" / "pagefind.js").write_text(f"// {text} index")
    (published / "pdf").mkdir()
    (published / "pdf" / "book.pdf").write_text("the printed book")
    state = BuildState(generation=1, building=True, problems="x.md:1: WARNING: old")
    server = make_server(published, "127.0.0.1", 0, state)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"

    def get(path: str) -> str:
        with urllib.request.urlopen(url + path, timeout=10) as response:
            return response.read().decode("utf-8")

    try:
        preview = Preview(layout, state)
        preview("checked")
        assert (state.generation, state.problems) == (2, "")  # the pages reload, no banner
        assert "new page" in get("/page.html")
        assert get("/_pagefind/pagefind.js") == "// new index"  # staged: the last build's
        assert get("/pdf/book.pdf") == "the printed book"  # only in build/html
        preview("published")
        assert "old page" in get("/page.html")  # (here build/html did not change)
        preview.done("")
        assert (state.generation, state.building) == (2, False)  # no second reload
    finally:
        server.shutdown()
        server.server_close()


def test_a_build_that_fails_after_its_preview_shows_its_problems():
    state = BuildState(generation=3, building=True)
    preview = Preview(Layout(Path("/nowhere")), state)
    preview("checked")
    preview.done("Pagefind could not index the site")
    assert state.preview is None
    assert (state.generation, state.problems) == (5, "Pagefind could not index the site")


def test_a_build_without_a_preview_moves_the_generation_on_once():
    state = BuildState(generation=3, building=True)
    Preview(Layout(Path("/nowhere")), state).done("x.md:3: WARNING: bad")
    assert (state.generation, state.building, state.preview) == (4, False, None)


@pytest.mark.pdf
def test_an_open_page_reloads_itself_with_the_saved_edit(served: Served, edit: Edit):
    """In a real browser: the page polls the server and reloads once the rebuild is checked."""
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - only this test needs it

    assert served.after_build(1)["problems"] == ""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(find_browser()), args=list(CHROMIUM_ARGS)
        )
        try:
            page = browser.new_page()
            page.goto(f"{served.url}/tas.html")
            page.wait_for_function("window.performance.getEntriesByType('resource').length > 0")
            edit(served.root / "docs" / "tas.md", "# TAs\n", "# TAs\n\nSaved a moment ago.\n")
            page.wait_for_function(
                "document.body.innerText.includes('Saved a moment ago.')", timeout=PATIENCE * 1000
            )
            assert page.locator("#handbook-serve-problems").count() == 0
        finally:
            browser.close()
