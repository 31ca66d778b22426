"""The build's speed-ups change nothing a reader sees: diagrams, templates, publish, links."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import mmdr
import pytest
from sphinx.testing.util import SphinxTestApp

from mlops_handbook import diagrams
from mlops_handbook.build import Layout, parallel_jobs, publish
from mlops_handbook.links import page_cache
from mlops_handbook.links.cli import main as links_main
from mlops_handbook.links.internal import Page, read_page

MakeApp = Callable[..., SphinxTestApp]

DIAGRAM = """
```{mermaid}
:alt: A hammer hits a nail.

flowchart LR
  hammer --> nail
```
"""


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every diagram mmdr is asked to render."""
    seen: list[str] = []
    original = mmdr.render

    def render(code: str) -> mmdr.Diagram:
        seen.append(code)
        return original(code)

    monkeypatch.setattr(diagrams.mmdr, "render", render)
    return seen


def test_a_diagram_is_rendered_once_for_every_clean_build(
    make_app: MakeApp, handbook_src: Path, tmp_path: Path, renders: list[str]
):
    page = handbook_src / "sessions/s1_first/hammering.md"
    page.write_text(page.read_text(encoding="utf-8") + DIAGRAM, encoding="utf-8")
    cache = tmp_path / "diagram-cache"
    images = []
    for build in ("first", "clean"):
        app = make_app(
            "html",
            srcdir=handbook_src,
            builddir=tmp_path / build,
            confoverrides={"handbook_diagram_cache": str(cache)},
        )
        app.build()
        assert app.warning.getvalue() == ""
        html = (Path(app.outdir) / "sessions/s1_first/hammering.html").read_text(encoding="utf-8")
        assert 'alt="A hammer hits a nail."' in html
        images += [p.read_text(encoding="utf-8") for p in Path(app.outdir, "_images").iterdir()]
        app.cleanup()  # so the next app registers its nodes afresh
    assert len(renders) == 1
    assert len(images) == 2 and images[0] == images[1] == mmdr.render(renders[0]).svg()
    assert len(list(cache.iterdir())) == 1


def test_compiled_templates_are_kept_beside_the_doctrees(make_app: MakeApp, handbook_src: Path):
    app = make_app("html", srcdir=handbook_src)
    app.build()
    assert list(Path(app.doctreedir, "templates").glob("*.cache"))


def test_publishing_links_unchanged_files_and_copies_changed_ones(tmp_path: Path):
    layout = Layout(tmp_path)
    staged = layout.staging("html")
    (staged / "sub").mkdir(parents=True)
    (staged / "same.html").write_text("same", encoding="utf-8")
    (staged / "sub" / "page.html").write_text("old", encoding="utf-8")
    publish(layout)
    same = (layout.site / "same.html").stat().st_ino
    kept = tmp_path / "kept.html"  # the file a reader of the last site may still have open
    kept.hardlink_to(layout.site / "sub" / "page.html")
    (staged / "sub" / "page.html").write_text("new text", encoding="utf-8")
    publish(layout)
    assert (layout.site / "same.html").stat().st_ino == same
    assert (layout.site / "sub" / "page.html").read_text(encoding="utf-8") == "new text"
    assert kept.read_text(encoding="utf-8") == "old"  # replaced, not written over


def test_the_link_check_reads_again_only_pages_that_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    site, cache = tmp_path / "site", tmp_path / "cache" / "pages.pickle"
    site.mkdir()
    (site / "a.html").write_text('<a href="b.html#x">b</a>', encoding="utf-8")
    (site / "b.html").write_text('<p id="x">x</p>', encoding="utf-8")
    reads: list[str] = []

    def read(file: Path) -> Page:
        reads.append(file.name)
        return read_page(file)

    monkeypatch.setattr(page_cache, "read_page", read)
    check = ["internal", str(site), "--cache", str(cache)]
    assert links_main(check) == 0
    assert sorted(reads) == ["a.html", "b.html"]
    reads.clear()
    assert links_main(check) == 0
    assert reads == []
    (site / "b.html").write_text('<p id="y">the anchor moved</p>', encoding="utf-8")
    assert links_main(check) == 1
    assert reads == ["b.html"]


def test_a_rebuild_of_a_few_edited_pages_runs_serially(tmp_path: Path):
    layout = Layout(tmp_path)
    (tmp_path / "conf.py").write_text("", encoding="utf-8")
    pages = [layout.source / f"page{i}.md" for i in range(5)]
    for page in [*pages, layout.source / "_data" / "tas.yaml"]:
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text("", encoding="utf-8")
        os.utime(page, (1, 1))
    os.utime(tmp_path / "conf.py", (1, 1))
    assert parallel_jobs(layout, clean=False) == "auto"  # never built
    env = layout.doctrees("html") / "environment.pickle"
    env.parent.mkdir(parents=True)
    env.write_bytes(b"")
    os.utime(env, (2, 2))
    assert parallel_jobs(layout, clean=True) == "auto"
    os.utime(pages[0], (3, 3))
    assert parallel_jobs(layout, clean=False) == "1"
    for page in pages:
        os.utime(page, (3, 3))
    assert parallel_jobs(layout, clean=False) == "auto"  # many pages
    for page in pages[1:]:
        os.utime(page, (1, 1))
    os.utime(layout.source / "_data" / "tas.yaml", (3, 3))
    assert parallel_jobs(layout, clean=False) == "auto"  # data: any number of pages
