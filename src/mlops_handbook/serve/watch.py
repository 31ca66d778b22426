"""Notice saved files by polling their modification times; no watcher library is needed."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..validate import GENERATED_MARK

Snapshot = dict[Path, tuple[int, int]]

SKIPPED_PARTS = frozenset({"__pycache__", ".ipynb_checkpoints", ".pytest_cache", "build"})


def watched_files(root: Path) -> Iterable[Path]:
    """Every file a build reads: the sources and data, the extension, the configuration."""
    for name in ("conf.py", "pyproject.toml"):
        if (root / name).is_file():
            yield root / name
    for folder in (root / "docs", root / "src"):
        for path in folder.rglob("*"):
            if path.is_file() and not SKIPPED_PARTS.intersection(path.parts):
                yield path


def snapshot(root: Path) -> Snapshot:
    found: Snapshot = {}
    for path in watched_files(root):
        try:
            status = path.stat()
        except FileNotFoundError:  # deleted while listing
            continue
        found[path] = (status.st_mtime_ns, status.st_size)
    return found


def changed(before: Snapshot, after: Snapshot) -> list[Path]:
    """Files added, removed or modified between two snapshots, sorted."""
    paths = before.keys() | after.keys()
    return sorted(p for p in paths if before.get(p) != after.get(p))


def generated(path: Path) -> bool:
    """A page the build writes from the data (it starts with the generated mark)."""
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            return handle.readline().startswith(GENERATED_MARK)
    except OSError:
        return False


def written_by_build(before: Snapshot, after: Snapshot) -> Snapshot:
    """``before``, updated with the generated pages the build wrote, but not with any save."""
    result = dict(before)
    for path in changed(before, after):
        if path in after and generated(path):
            result[path] = after[path]
    return result
