"""What a build left in the staging folder: which pages, and which of them it rewrote."""

from __future__ import annotations

import pickle
from pathlib import Path

from ..build import Layout

# Pages Sphinx writes on every build, whatever changed.
ALWAYS_WRITTEN = frozenset({"genindex.html", "search.html"})


def staging(root: Path) -> Path:
    return Layout(root).staging("html")


def pages(site: Path) -> dict[str, int]:
    """Every page a reader can open (not ``_static``), with its modification time."""
    found = {}
    for path in site.rglob("*.html"):
        rel = path.relative_to(site).as_posix()
        if not rel.startswith("_"):
            found[rel] = path.stat().st_mtime_ns
    return found


def rewritten(before: dict[str, int], after: dict[str, int]) -> list[str]:
    """Pages that are new or were written again, leaving out the ones Sphinx always writes."""
    return sorted(p for p, t in after.items() if before.get(p) != t and p not in ALWAYS_WRITTEN)


def pages_showing(site: Path, text: str) -> list[str]:
    """Pages whose HTML contains ``text``: the pages a data edit has to reach."""
    found = []
    for rel in pages(site):
        if rel not in ALWAYS_WRITTEN and text in (site / rel).read_text(encoding="utf-8"):
            found.append(rel)
    return sorted(found)


def toctree_parents(root: Path, shown: list[str]) -> list[str]:
    """Pages whose toctree lists one of ``shown``: Sphinx rewrites them whenever it re-reads one.

    (A re-read page's title may have changed, and its parent's toctree shows that title.)
    """
    with (root / "build" / ".doctrees" / "html" / "environment.pickle").open("rb") as handle:
        env = pickle.load(handle)  # written by the build just measured
    docnames = {page.removesuffix(".html") for page in shown}
    parents = {p for d in docnames for p in env.files_to_rebuild.get(d, ())}
    return sorted(f"{p}.html" for p in parents - docnames)
