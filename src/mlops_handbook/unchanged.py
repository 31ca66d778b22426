"""Know that nothing a build reads has changed since the last published build, and skip it.

A build with nothing to do still started Sphinx, loaded its environment, wrote the search
and 404 pages, finished the bundles, checked every link and published a new version: about
0.6 s of CPU after the imports, for the site that was already there. A digest of everything
the site is made from is kept beside the staging folder once a build has published; the next
build that finds the same digest leaves the site as it is.

The digest covers the sources (``docs/``, with the data and the example project; not the
session pages the build writes from the data), ``conf.py`` and ``pyproject.toml``, the
printed PDFs the site holds, this package's code, the installed packages (each folder of
``sys.path``, whose modification time changes whenever a package is installed, upgraded or
removed), the Python, the Sphinx arguments, ``SOURCE_DATE_EPOCH``, the working directory
(Pagefind reads a configuration file from it) and the commit checked out (the "last
updated" dates come from git). Files are compared by size and modification time, as Sphinx
and rsync do. The digest is removed when a build starts and written only once it has
published, so a build that fails or is stopped is never taken for a good one.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from .pages import SESSION_SOURCE

PACKAGE = Path(__file__).parent
SKIPPED_DIRS = {"__pycache__", ".ipynb_checkpoints"}
GENERATED = SESSION_SOURCE.encode()


def files_below(folder: Path) -> Iterator[Path]:
    """Every file below ``folder``, in a stable order; Python's byte-code caches left out."""
    for parent, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS)
        for name in sorted(files):
            yield Path(parent, name)


def generated(path: Path, size: int) -> bool:
    """A session page as the build writes it: made from the data, which the digest holds.

    Left out, or the first build after a new session would change the inputs it read.
    """
    return path.name == "index.md" and size == len(GENERATED) and path.read_bytes() == GENERATED


def commit(root: Path) -> str:
    """The commit checked out in ``root`` (empty outside a git repository)."""
    try:
        found = subprocess.run(
            ["git", "rev-parse", "--verify", "--quiet", "HEAD"],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:  # no git: the dates come from nowhere, as in conf.py
        return ""
    return found.stdout.strip()


def inputs_digest(root: Path, source: Path, pdf: Path, extra: Sequence[str]) -> str:
    """A digest of everything the published site is made from (see the module's docstring)."""
    digest = hashlib.sha256()
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    context = [sys.executable, sys.version, os.getcwd(), epoch, commit(root), *extra]
    digest.update("\0".join(context).encode())
    folders = [source, PACKAGE, pdf]
    files = [root / "conf.py", root / "pyproject.toml"]
    for path in [*files, *(f for folder in folders for f in files_below(folder))]:
        try:
            info = path.stat()
        except OSError:
            stamp = "missing"
        else:
            if generated(path, info.st_size):
                continue
            stamp = f"{info.st_size} {info.st_mtime_ns}"
        digest.update(f"\0{path}\0{stamp}".encode())
    for entry in sys.path:
        try:
            digest.update(f"\0{entry}\0{os.stat(entry or '.').st_mtime_ns}".encode())
        except OSError:
            continue
    return digest.hexdigest()


def unchanged_since_published(stamp: Path, digest: str, site: Path) -> bool:
    """Whether the last published build read exactly these inputs, and its site is there."""
    try:
        return stamp.read_text(encoding="utf-8") == digest and site.is_dir()
    except OSError:
        return False
