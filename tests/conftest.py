"""Shared fixtures: Sphinx's test app, and one build of the real book per test run."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from sphinx.cmd.build import build_main
from sphinx.testing.util import SphinxTestApp

from mlops_handbook.pdf.__main__ import main as pdf_main

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
