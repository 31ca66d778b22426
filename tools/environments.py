"""nox's environments: shared where the packages are the same, made anew when Python changed.

nox gives every session its own environment (``.nox/<session>``, about 340 MB each). Sessions
that install the same extras share one here: the first of a group to run creates it, and
before any session runs the others become links to it, which nox reuses as their own. A
group's environment made with another Python than the one nox runs on (say 3.10, before
switching to 3.11), or whose interpreter link is broken, is deleted, so nox makes it anew.
"""

from __future__ import annotations

import logging
import shutil
import sys
from collections.abc import Iterable
from pathlib import Path

from packaging.specifiers import SpecifierSet


def python_version(env: Path) -> str:
    """The ``X.Y`` of the Python an environment was made with, from its ``pyvenv.cfg``."""
    config = env / "pyvenv.cfg"
    for line in config.read_text(encoding="utf-8").splitlines() if config.is_file() else []:
        key, _, value = line.partition("=")
        if key.strip() in {"version", "version_info"}:
            return ".".join(value.strip().split(".")[:2])
    return ""


def fits(env: Path, supported: SpecifierSet) -> bool:
    """The environment works and was made with nox's own (supported) Python."""
    running = f"{sys.version_info.major}.{sys.version_info.minor}"
    made = python_version(env)
    return (env / "bin" / "python").exists() and made == running and made in supported


def share(envdir: Path, names: Iterable[str], supported: SpecifierSet) -> str:
    """Link the environments of the sessions ``names`` to one; say what was done, if anything."""
    paths = [envdir / name for name in names]
    for path in paths:
        if path.is_symlink() and not path.exists():
            path.unlink()  # its environment was deleted
    real = [p for p in paths if p.is_dir() and not p.is_symlink()]
    said = ""
    if real and not fits(real[0], supported):
        made = python_version(real[0]) or "an unknown Python"
        said = f"{real[0].name}: made with Python {made}, nox runs on {sys.version.split()[0]}"
        said += "; it is made anew."
        for path in paths:
            remove(path)
        return said
    if not real:
        return said
    owner = real[0]
    for path in paths:
        if path != owner and not path.is_symlink():
            remove(path)  # an environment of its own, from before they were shared
            path.symlink_to(owner.name, target_is_directory=True)
    return said


def remove(path: Path) -> None:
    if path.is_symlink():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)


class QuietUvSearch(logging.Filter):
    """nox says "uv binary not found." when it looks for uv; without uv, venv is simply used."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != "uv binary not found."
