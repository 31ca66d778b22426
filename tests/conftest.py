"""Shared fixtures: Sphinx's test app, and one build of the real book per test run."""

from __future__ import annotations

import ast
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sphinx.cmd.build import build_main
from sphinx.testing.util import SphinxTestApp
from xdist.scheduler import LoadGroupScheduling

from mlops_handbook.pdf.__main__ import main as pdf_main

if TYPE_CHECKING:
    from xdist.scheduler.protocol import Scheduling

pytest_plugins = ("sphinx.testing.fixtures",)

REPO = Path(__file__).resolve().parent.parent
ROOTS = Path(__file__).resolve().parent / "roots"


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """Where ``@pytest.mark.sphinx(testroot=...)`` finds its ``test-*`` folders."""
    return ROOTS


@pytest.fixture
def handbook_src(tmp_path: Path) -> Path:
    """A private copy of the small test handbook, free to break."""
    target = tmp_path / "src"
    shutil.copytree(ROOTS / "test-handbook", target)
    return target


@pytest.fixture
def edit() -> Callable[[Path, str, str], None]:
    """Replace exactly one occurrence of ``old`` in a file, failing loudly if it is not there."""

    def _edit(path: Path, old: str, new: str) -> None:
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} should occur once in {path}"
        path.write_text(text.replace(old, new), encoding="utf-8")

    return _edit


def build_book(outdir: Path, *, builder: str = "html", jobs: str = "1") -> Path:
    """Build the real handbook with the strict flags of `nox -s html`; fail on any warning."""
    warnings = outdir.parent / f"{outdir.name}-warnings.txt"
    status = build_main(
        ["-b", builder, "-W", "--keep-going", "-n", "-q", "-j", jobs, "-c", str(REPO),
         "-d", str(outdir.parent / f"{outdir.name}-doctrees"), "-w", str(warnings),
         str(REPO / "docs"), str(outdir)]
    )  # fmt: skip
    assert status == 0, f"the real book does not build cleanly:\n{warnings.read_text()}"
    return outdir


@pytest.fixture
def built(make_app: Callable[..., SphinxTestApp], handbook_src: Path) -> SphinxTestApp:
    """The small test handbook built as HTML, with no warning."""
    app = make_app("html", srcdir=handbook_src)
    app.build()
    assert app.warning.getvalue() == ""
    return app


def page(app: SphinxTestApp, name: str) -> str:
    """A built page's HTML."""
    return (Path(app.outdir) / f"{name}.html").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def printed_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A scratch repository in which the real book was printed once, as `nox -s pdf` prints it.

    Printing takes half a minute, so the PDF tests and the browser tests share this one print.
    """
    root = tmp_path_factory.mktemp("repo")
    (root / "conf.py").symlink_to(REPO / "conf.py")
    (root / "docs").symlink_to(REPO / "docs", target_is_directory=True)
    assert pdf_main(["--root", str(root)]) == 0, "the real book could not be printed"
    return root


@pytest.fixture(scope="session")
def real_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real handbook built once, serially, as `nox -s html` builds it."""
    return build_book(tmp_path_factory.mktemp("book") / "html")


# The companion project's module fixtures that only some tests use and that take seconds of CPU
# to build (a Lightning run, 1024 images, a server): each is built once if its tests share a worker.
EXAMPLE_TESTS = Path(__file__).resolve().parent / "test_example.py"
# Fixture -> group; the two servers share one because a test uses both.
EXAMPLE_GROUPS = {
    "lit": "lit", "lit_runs": "lit", "loading": "loading", "session_one": "session_one",
    "session_one_runs": "session_one", "mnist_server": "servers", "iris_server": "servers",
    "drift_runs": "drift", "local_hooks": "local_hooks", "friday_runs": "friday_runs",
    "onnx_runs": "onnx", "own_tests": "own_tests", "inference_runs": "inference",
    "study_runs": "studies", "trained_runs": "trained_runs",
    "ddp_runs": "ddp",
}  # fmt: skip


def example_groups(tests: Path = EXAMPLE_TESTS) -> dict[str, str]:
    """Test name -> the group of the expensive module fixture it takes, read from the test file.

    The xdist controller collects nothing, so the groups come from the test functions' arguments.
    """
    groups = {}
    for node in ast.parse(tests.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
            arguments = {a.arg for a in node.args.args}
            group = next((g for f, g in EXAMPLE_GROUPS.items() if f in arguments), None)
            if group:
                groups[node.name] = group
    return groups


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> Scheduling | None:
    """`--dist loadgroup` that works under pytest 9.2, grouping by fixture instead of by mark.

    pytest-xdist 3.8 adds a test's group to `item._nodeid`, which pytest 9 no longer reads, so
    its own loadgroup spreads a group over the workers and each builds the fixture again.
    """
    if config.getvalue("dist") != "loadgroup":
        return None
    groups = example_groups()

    class ByFixture(LoadGroupScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path, _, name = nodeid.partition("::")
            group = groups.get(name.partition("[")[0]) if path.endswith("test_example.py") else None
            return f"example-{group}" if group else nodeid

    return ByFixture(config, log)  # type: ignore[arg-type]
