"""The benchmark's own logic: synthetic courses, rewritten pages, the report; no timing."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from mlops_handbook.bench.__main__ import one_x
from mlops_handbook.bench.course import copy_book, count_words, course_data, scale_course
from mlops_handbook.bench.measure import Measurement, Run
from mlops_handbook.bench.report import table, write_json
from mlops_handbook.bench.scale import scale_pair
from mlops_handbook.bench.scenarios import Bench, edit_data, full_build, scaling
from mlops_handbook.bench.site import pages, rewritten, staging

from .conftest import ROOTS


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The small test handbook laid out like the repository: conf.py beside docs/."""
    repo = tmp_path / "repo"
    shutil.copytree(ROOTS / "test-handbook", repo / "docs")
    (repo / "docs" / "conf.py").rename(repo / "conf.py")
    return repo


def test_a_scaled_course_repeats_every_module_with_its_page(repo: Path, tmp_path: Path):
    root = copy_book(repo, tmp_path / "scaled")
    assert scale_course(root, 3) == 9
    data = course_data(root)  # the copies are valid course data, pages included
    assert [m.id for m in data.modules_of("S2")] == ["M3", "M6", "M9"]
    copy = data.module("M7")  # the third M1
    assert (copy.title, copy.kind, copy.summary) == (
        "Hammering (copy 3)",
        "optional",  # so the copies' exercises do not overfill a session's day
        "Hit nails <b>hard</b>.",
    )
    page = (root / "docs" / f"{data.module_docname(copy)}.md").read_text(encoding="utf-8")
    assert page.startswith("# Hammering \\(copy 3\\)\n")
    original = (repo / "docs/sessions/s1_first/hammering.md").read_text(encoding="utf-8")
    assert page.split("\n", 1)[1] == original.split("\n", 1)[1]


def test_words_are_counted_in_pages_and_data(repo: Path):
    words = count_words(repo / "docs")
    assert words["total"] == words["pages"] + words["data"]
    assert words["pages"] > 0 and words["data"] > 0


def test_rewritten_pages_leave_out_the_ones_sphinx_always_writes():
    before = {"a.html": 1, "b.html": 1, "search.html": 1}
    after = {"a.html": 1, "b.html": 2, "search.html": 2, "c.html": 3}
    assert rewritten(before, after) == ["b.html", "c.html"]


def test_report_as_json_and_table(tmp_path: Path):
    build = Measurement("full HTML build, serial", unit="ms per 1,000 words", goal="<= 75 ms")
    build.runs = [Run(2.0, 1.5, 0.5), Run(1.0, 1.0, 0.5), Run(3.0, 2.0, 0.5)]
    build.per_unit, build.met = 50.0, True
    build.notes.append("53 pages")
    pdf = Measurement("PDF build", goal="<= 30 s", skipped="no Chromium-family browser")
    out = tmp_path / "build" / "bench.json"
    write_json(out, [build, pdf], {"pages": 10, "data": 2, "total": 12})
    report = json.loads(out.read_text(encoding="utf-8"))
    first, second = report["results"]
    assert (first["median_wall_s"], first["median_cpu_s"], first["met"]) == (2.0, 1.5, True)
    assert len(first["runs"]) == 3
    assert second == {"name": "PDF build", "skipped": "no Chromium-family browser"}
    assert report["words_of_source"]["total"] == 12
    text = table([build, pdf])
    assert "full HTML build, serial  2.00    1.50   50.0 ms per 1,000 words" in text
    assert "skipped: no Chromium-family browser" in text
    assert "full HTML build, serial: 53 pages" in text


def test_builds_and_a_data_edit_on_the_small_book(repo: Path, tmp_path: Path):
    bench = Bench(repo, tmp_path / "work", runs=1)
    root = bench.book("book")
    build = full_build(bench, root, "1", count_words(root / "docs")["total"])
    assert len(build.runs) == 1 and build.per_unit is not None
    assert "tas.html" in pages(staging(root))
    words = count_words(root / "docs")["total"]
    _, size = one_x(build, root, words)
    doubled = scaling(bench, 2, size)
    assert doubled.notes[0].startswith(f"{size.pages + 3} pages, ")  # a copy of 3 modules
    assert "x the time per page at 1x (" in doubled.notes[1]
    assert doubled.notes[1].endswith("x the time per 1,000 words")
    renamed = edit_data(bench, root)
    assert renamed.notes[0] == "pages rewritten: index.html, tas.html"
    assert renamed.notes[1].startswith("pages showing the TA: tas.html; their toctree parents")
    assert renamed.met


def test_scale_mode_reports_time_per_page_and_peak_memory_at_1x_and_nx(repo: Path, tmp_path: Path):
    cached = repo / "build" / ".cache" / "highlight" / "kept.html"
    cached.parent.mkdir(parents=True)
    cached.write_text("<pre>kept</pre>", encoding="utf-8")
    bench = Bench(repo, tmp_path / "work", runs=1)
    assert (bench.book("copy") / "build/.cache/highlight/kept.html").is_file()
    one, doubled = scale_pair(bench, 2)
    assert one.name == "scaling: 1x the modules, serial" and one.per_unit
    assert doubled.notes[0].startswith(
        f"{len(pages(staging(tmp_path / 'work/scale-1'))) + 3} pages"
    )
    peak = re.fullmatch(
        r"peak memory (\d+) MiB at 1x, (\d+) MiB at 2x \(\d\.\d\dx\)", doubled.notes[-1]
    )
    assert peak and int(peak[1]) > 0 and int(peak[2]) > 0
