"""A parallel build keeps the record of which data each page showed, as a serial build does.

Sphinx reads pages in worker processes with ``-j``; each worker's record comes back through
``merge_domaindata``. Without it the main process would not know which pages to rebuild when
the data changes, and an edit would leave stale pages behind.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sphinx.testing.util import SphinxTestApp

from mlops_handbook.domain import HandbookDomain

MakeApp = Callable[..., SphinxTestApp]


def build(make_app: MakeApp, src: Path, builddir: Path, parallel: int) -> SphinxTestApp:
    app = make_app("html", srcdir=src, builddir=builddir, parallel=parallel, freshenv=False)
    app.build()
    app.cleanup()  # lets the next app of this test register its nodes afresh
    assert app.warning.getvalue() == ""
    return app


def uses(app: SphinxTestApp) -> dict[str, dict[str, str]]:
    domain = app.env.domains["handbook"]
    assert isinstance(domain, HandbookDomain)
    return domain.uses


def test_a_parallel_build_records_what_a_serial_build_records(
    make_app: MakeApp, handbook_src: Path, tmp_path: Path
):
    serial = uses(build(make_app, handbook_src, tmp_path / "serial", 1))
    parallel = uses(build(make_app, handbook_src, tmp_path / "parallel", 2))
    assert len(serial) == 9  # every page of the test handbook shows some course data
    assert "tas" in serial and "faq" in serial
    assert parallel == serial


def test_after_a_parallel_build_a_data_edit_rebuilds_the_pages_that_show_it(
    make_app: MakeApp, handbook_src: Path, tmp_path: Path, edit: Callable[[Path, str, str], None]
):
    build(make_app, handbook_src, tmp_path / "build", 2)
    edit(handbook_src / "_data/tas.yaml", "Björn Ørsted", "Bjørn Ørsted")
    read: list[str] = []
    app = make_app("html", srcdir=handbook_src, builddir=tmp_path / "build", parallel=2)
    app.connect("env-before-read-docs", lambda _app, _env, docnames: read.extend(docnames))
    app.build()
    assert read == ["tas"]
    assert "Bjørn Ørsted" in (Path(app.outdir) / "tas.html").read_text(encoding="utf-8")


def test_merging_takes_only_the_pages_a_worker_read(make_app: MakeApp, handbook_src: Path):
    """A worker's record holds every page it knows; only the pages it read replace ours."""
    app = make_app("html", srcdir=handbook_src)
    domain = app.env.domains["handbook"]
    assert isinstance(domain, HandbookDomain)
    domain.uses.clear()
    domain.toctrees.clear()
    domain.uses["kept"] = {"tas": "old"}
    domain.toctrees["kept"] = "old toctree"
    exercises = domain.data["exercises"]
    exercises.clear()
    exercises["kept"] = [("core", 10)]
    other = {
        "uses": {"a": {"tas": "1"}, "b": {"faq": "2"}, "kept": {"tas": "new"}},
        "toctrees": {"a": "toctree of a", "b": "toctree of b", "kept": "new toctree"},
        "exercises": {"a": [("core", 20)], "b": [("stretch", 5)], "kept": [("core", 99)]},
        "navigation": "a worker's digest",
    }
    domain.merge_domaindata({"a", "missing"}, other)
    assert domain.uses == {"kept": {"tas": "old"}, "a": {"tas": "1"}}
    assert domain.toctrees == {"kept": "old toctree", "a": "toctree of a"}
    assert exercises == {"kept": [("core", 10)], "a": [("core", 20)]}
