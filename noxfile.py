"""The maintainers' interface: build the book, check it, test it.

Every session passes its positional arguments through, e.g. ``nox -s html -- --clean``
or ``nox -s tests -- -k timeplan``. Virtual environments are reused and only reinstalled
when pyproject.toml changes, so an incremental ``nox -s html`` stays fast.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import nox
from nox.logger import logger
from packaging.specifiers import SpecifierSet

ROOT = Path(__file__).parent
sys.path.insert(0, str(ROOT / "tools"))
from environments import QuietUvSearch, share  # noqa: E402

# The Pythons the handbook is built and tested with; nox uses the one it runs on.
SUPPORTED_PYTHON = SpecifierSet(">=3.11,<3.15")
# Sessions that install the same packages share one environment (see tools/environments.py).
SHARED_ENVIRONMENTS = (
    (
        "html",
        "pdf",
        "book",
        "serve",
        "editions",
        "linkcheck",
        "new-edition",
        "bump-actions",
        "bench",
    ),
    ("tests", "browser", "example"),
)

nox.options.reuse_venv = "yes"
nox.options.sessions = ["html", "tests"]
# uv when it is installed (much faster installs), else the standard library's venv.
nox.options.default_venv_backend = "uv|venv"
# uv installs without compiling bytecode; then every build whose Python may not write .pyc files
# (PYTHONDONTWRITEBYTECODE, a read-only environment) compiles its imports from source again.
os.environ.setdefault("UV_COMPILE_BYTECODE", "1")
logger.addFilter(QuietUvSearch())
# The test sessions install torch's CPU wheel, which CI finds through pip's own configuration
# (find-links); uv does not read it and would fetch the CUDA build. They use pip.
PIP = "venv"
for group in SHARED_ENVIRONMENTS:
    if said := share(ROOT / ".nox", group, SUPPORTED_PYTHON):
        logger.warning(said)


def install(session: nox.Session, extras: str = "") -> None:
    """Install the project (editable) once per change of pyproject.toml, not on every run."""
    running = f"{sys.version_info.major}.{sys.version_info.minor}"
    if running not in SUPPORTED_PYTHON:
        session.error(
            f"nox runs on Python {running}; the handbook needs {SUPPORTED_PYTHON}. Install nox "
            "with a supported Python, e.g. `python3.12 -m pip install nox`, and run it again."
        )
    target = f".[{extras}]" if extras else "."
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + target.encode()).hexdigest()
    stamp = Path(session.virtualenv.location) / ".handbook-install"
    if stamp.is_file() and stamp.read_text() == wanted:
        return
    session.install("-e", target)
    stamp.write_text(wanted)


@nox.session
def html(session: nox.Session) -> None:
    """Build the HTML site into build/html (incremental; `-- --clean` rebuilds every page)."""
    install(session)
    session.run("python", "-m", "mlops_handbook.build", "html", *session.posargs)


@nox.session
def pdf(session: nox.Session) -> None:
    """Print the whole book and one PDF per session into build/pdf/ with headless Chromium."""
    install(session)
    session.run("python", "-m", "mlops_handbook.pdf", *session.posargs)


@nox.session
def book(session: nox.Session) -> None:
    """Build everything students get: the PDFs, then the HTML site with them inside it.

    The PDFs come first so that the Downloads page shows the sizes of the ones it links.
    `-- --clean` rebuilds both the print build and the site from scratch.
    """
    install(session)
    clean = ["--clean"] if "--clean" in session.posargs else []
    session.run("python", "-m", "mlops_handbook.pdf", *clean)
    session.run("python", "-m", "mlops_handbook.build", "html", *session.posargs)


@nox.session
def editions(session: nox.Session) -> None:
    """After `book`: build earlier editions from their tags and write build/pages/ to publish.

    Tags are named `edition/<year>-<month>`; this edition goes at the root, earlier ones under
    /<year>-<month>/, and a zip of each edition's offline site in editions/.
    """
    install(session)
    session.run("python", "-m", "mlops_handbook.editions", *session.posargs)


@nox.session
def linkcheck(session: nox.Session) -> None:
    """Check every external link (needs the internet); writes a JSON and a readable report."""
    install(session)
    session.run("python", "-m", "mlops_handbook.links", "external", *session.posargs)


@nox.session(venv_backend=PIP)
def tests(session: nox.Session) -> None:
    """Run the whole test suite (needs Chromium for the PDF and browser tests)."""
    install(session, "test")
    session.run("pytest", *session.posargs)


@nox.session(venv_backend=PIP)
def example(session: nox.Session) -> None:
    """Run the companion project docs/_example/ end to end: CPU only, offline, tiny data."""
    install(session, "test")
    # Two processes (pytest-xdist): each check runs one single-threaded subprocess at a time.
    # `--dist loadgroup` is tests/conftest.py's scheduler: the tests that share an expensive
    # module fixture (the Lightning run, the loading data, the servers, one process of ONNX or
    # drift scripts) run in one process, so that fixture is built once; `project`, which most
    # tests use, is installed in each, and `trained` is trained in one and copied to the other.
    session.run(
        "pytest", "-m", "example", "-n", "2", "--dist", "loadgroup", "tests/test_example.py",
        *session.posargs,
    )  # fmt: skip


@nox.session(name="bump-actions")
def bump_actions(session: nox.Session) -> None:
    """Rewrite every GitHub Action in docs/ to the major pinned in docs/_data/actions.yaml."""
    install(session)
    session.run("python", "-m", "mlops_handbook.action_pins", "bump")


@nox.session(venv_backend=PIP)
def browser(session: nox.Session) -> None:
    """Run only the tests that drive the built site in a real browser."""
    install(session, "test")
    session.run("pytest", "tests/browser", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """Check style and common mistakes with ruff."""
    session.install("ruff>=0.6")
    session.run("ruff", "check", ".", *session.posargs)
    session.run("ruff", "format", "--check", ".")


@nox.session
def serve(session: nox.Session) -> None:
    """Rebuild like `html` on every save and serve the site on http://127.0.0.1:8000.

    A failed rebuild leaves the last good site and shows its problems on every served page.
    """
    install(session)
    session.run("python", "-m", "mlops_handbook.serve", *session.posargs)


@nox.session(name="new-edition")
def new_edition(session: nox.Session) -> None:
    """Move the course data to a new January: `nox -s new-edition -- 2027-01-04` (a Monday)."""
    install(session)
    session.run("python", "-m", "mlops_handbook.edition", *session.posargs)


@nox.session
def bench(session: nox.Session) -> None:
    """Measure build times into build/bench.json (`-- --page-weight`: pages on a phone)."""
    install(session)
    session.run("python", "-m", "mlops_handbook.bench", *session.posargs)


@nox.session(venv_backend=PIP)
def mutants(session: nox.Session) -> None:
    """Mutation testing: kill rate per module and every survivor, in build/mutants/report.md."""
    # Not editable: the tests must import mutmut's mutated copy in mutants/, not src/.
    session.install(".[test]", "mutmut==3.8.1")
    session.run("python", "tools/mutants.py", *session.posargs)
