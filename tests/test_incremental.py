"""An incremental build publishes exactly what a clean build of the same sources publishes.

Each case makes one edit after a first build, builds again, and compares the published site
byte for byte with a clean build of the edited sources.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from mlops_handbook.bench.course import copy_book
from mlops_handbook.build import Layout

from .conftest import REPO
from .repo import build, clean_site, differences, make_repo, site_files

Edit = Callable[[Path, str, str], None]

NEW_MODULE = """  - id: M4
    title: Sanding
    session: S2
    kind: optional
    page: sanding
    summary: Smooth the edges.
"""


def rename_session(docs: Path, edit: Edit) -> None:
    edit(docs / "_data" / "sessions.yaml", "title: Second things", "title: Second, renamed")


def rename_ta(docs: Path, edit: Edit) -> None:
    edit(docs / "_data" / "tas.yaml", "Björn Ørsted", "Bjørn Ørsted")


def change_faq_answer(docs: Path, edit: Edit) -> None:
    edit(docs / "_data" / "faq.yaml", "**bold** and lists", "**bold**, and also lists")


def change_page_text(docs: Path, edit: Edit) -> None:
    edit(docs / "sessions" / "s2_second" / "gluing.md", "Gluing text.", "Gluing, rewritten.")


def change_exercise_time(docs: Path, edit: Edit) -> None:
    """Changes S1's core total, which its session page shows but does not re-read."""
    edit(docs / "sessions" / "s1_first" / "hammering.md", "core 20 min", "core 25 min")


def add_module(docs: Path, edit: Edit) -> None:
    modules = docs / "_data" / "modules.yaml"
    modules.write_text(modules.read_text(encoding="utf-8") + NEW_MODULE, encoding="utf-8")
    page = "# Sanding\n\n```{module-header}\n```\n\nSanding text.\n"
    (docs / "sessions" / "s2_second" / "sanding.md").write_text(page, encoding="utf-8")


def delete_module(docs: Path, edit: Edit) -> None:
    """M2 (Sawing), the last module of S1: the page before and after it link to it."""
    modules = docs / "_data" / "modules.yaml"
    text = modules.read_text(encoding="utf-8")
    start, end = text.index("  - id: M2"), text.index("  - id: M3")
    modules.write_text(text[:start] + text[end:], encoding="utf-8")
    (docs / "sessions" / "s1_first" / "sawing.md").unlink()
    edit(docs / "_data" / "sessions.yaml", "the role {module}`M2`", "a role")
    edit(docs / "_data" / "checklist.yaml", "modules: [M1, M2]", "modules: [M1]")


def reorder_modules(docs: Path, edit: Edit) -> None:
    modules = docs / "_data" / "modules.yaml"
    text = modules.read_text(encoding="utf-8")
    m1, m2, m3 = text.index("  - id: M1"), text.index("  - id: M2"), text.index("  - id: M3")
    modules.write_text(text[:m1] + text[m2:m3] + text[m1:m2] + text[m3:], encoding="utf-8")


EDITS = [
    rename_session,
    rename_ta,
    change_faq_answer,
    change_page_text,
    change_exercise_time,
    add_module,
    delete_module,
    reorder_modules,
]


@pytest.mark.parametrize("change", EDITS, ids=[e.__name__ for e in EDITS])
def test_incremental_equals_clean(tmp_path: Path, edit: Edit, change: Callable[..., None]):
    layout = make_repo(tmp_path / "repo")
    assert build(layout) == 0
    before = site_files(layout.site)
    change(layout.source, edit)
    assert build(layout) == 0
    published = site_files(layout.site)
    assert published != before, "the edit should change the site"
    assert differences(published, clean_site(layout, tmp_path / "clean")) == []


def test_a_renamed_session_reaches_every_page(tmp_path: Path, edit: Edit):
    """The sidebar of every page, and the previous/next links, show the new title."""
    layout = make_repo(tmp_path / "repo")
    assert build(layout) == 0
    rename_session(layout.source, edit)
    assert build(layout) == 0
    pages = sorted(layout.site.rglob("*.html"))
    stale = [p.name for p in pages if "S2 · Second things" in p.read_text(encoding="utf-8")]
    assert stale == []
    gluing_prev = (layout.site / "sessions" / "s2_second" / "gluing.html").read_text("utf-8")
    assert "S2 · Second, renamed" in gluing_prev


def test_a_deleted_page_leaves_the_site(tmp_path: Path, edit: Edit):
    layout = make_repo(tmp_path / "repo")
    assert build(layout) == 0
    assert (layout.site / "sessions" / "s1_first" / "sawing.html").is_file()
    delete_module(layout.source, edit)
    assert build(layout) == 0
    assert not (layout.site / "sessions" / "s1_first" / "sawing.html").exists()
    assert not (layout.staging("html") / "sessions" / "s1_first" / "sawing.html").exists()


def test_a_page_of_a_failed_build_never_goes_out(tmp_path: Path):
    """A page added in a failed build, then removed, is not in the next good site."""
    layout = make_repo(tmp_path / "repo")
    assert build(layout) == 0
    page = layout.source / "draft.md"
    page.write_text(":orphan:\n\n# Draft\n\n{module}`M99`\n", encoding="utf-8")
    assert build(layout) != 0
    assert (layout.staging("html") / "draft.html").is_file()  # Sphinx wrote it anyway
    page.unlink()
    assert build(layout) == 0
    assert not (layout.site / "draft.html").exists()


@pytest.mark.book
def test_real_book_incremental_equals_clean(tmp_path: Path, edit: Edit):
    """On the real book: rename the first session, which every page's sidebar shows."""
    layout = Layout(copy_book(REPO, tmp_path / "repo"))
    assert build(layout) == 0
    sessions = layout.source / "_data" / "sessions.yaml"
    first = next(line for line in sessions.read_text("utf-8").splitlines() if "title:" in line)
    edit(sessions, first, f"{first} (renamed)")
    assert build(layout) == 0
    assert differences(site_files(layout.site), clean_site(layout, tmp_path / "clean")) == []


DIAGRAM = """
```{mermaid}
:alt: A hammer hits a nail.

flowchart LR
  hammer --> nail
```
"""


def test_a_changed_diagram_leaves_no_old_image(tmp_path: Path, edit: Edit):
    layout = make_repo(tmp_path / "repo")
    page = layout.source / "sessions" / "s1_first" / "hammering.md"
    page.write_text(page.read_text(encoding="utf-8") + DIAGRAM, encoding="utf-8")
    assert build(layout) == 0
    images = layout.site / "_images"
    old = {p.name for p in images.iterdir()}
    edit(page, "hammer --> nail", "hammer --> nail --> wood")
    assert build(layout) == 0
    assert len([p for p in images.iterdir() if p.suffix != ".gz"]) == 1  # and its gzip copy
    assert not old & {p.name for p in images.iterdir()}
    assert differences(site_files(layout.site), clean_site(layout, tmp_path / "clean")) == []
