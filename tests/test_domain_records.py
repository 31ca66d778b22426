"""The domain's record of what each page showed: the keys, their digests, what is outdated."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_colors
from sphinx.util.docutils import docutils_namespace

from mlops_handbook.data import load_course_data
from mlops_handbook.domain import HandbookDomain, _digest, lookup, outdated_docs
from mlops_handbook.errors import CourseDataError

MakeApp = Callable[..., SphinxTestApp]


def test_each_key_names_the_data_it_stands_for(handbook_src: Path):
    data = load_course_data(handbook_src, "_data", "sessions")
    s1, s2 = data.sessions
    assert lookup(data, "session:S1") is s1
    m1, m2, m3 = data.modules
    assert lookup(data, "course") is data.course
    assert lookup(data, "sessions") is data.sessions
    assert lookup(data, "session:S2") is s2
    assert lookup(data, "session:S9") is None
    assert lookup(data, "module:M2") == (m2, "sessions/s1_first/sawing")
    assert lookup(data, "module:M9") == (None, None)
    assert lookup(data, "modules-of:S1") == [
        (m1, "sessions/s1_first/hammering"),
        (m2, "sessions/s1_first/sawing"),
    ]
    assert lookup(data, "modules-of:S2") == [(m3, "sessions/s2_second/gluing")]
    assert lookup(data, "day-of:S1") is data.days[0]
    assert lookup(data, "day-of:S2") is None
    assert lookup(data, "timeplan") == (data.days, data.sessions)
    assert lookup(data, "tas") is data.tas
    assert lookup(data, "faq") is data.faq
    with pytest.raises(KeyError) as caught:
        lookup(data, "colour:red")
    assert caught.value.args == ("colour:red",)


def test_the_pdf_sizes_key_stands_for_each_pdf_and_its_printed_size(
    handbook_src: Path, tmp_path: Path
):
    """The downloads table's record: a print that changes a size, or a first print, shows."""
    data = load_course_data(handbook_src, "_data", "sessions")
    printed = tmp_path / "pdf"
    printed.mkdir()
    (printed / "dtu-mlops-handbook-2030-january.pdf").write_bytes(b"%PDF" * 300)
    (printed / "dtu-mlops-handbook-2030-january-s2.pdf").write_bytes(b"%PDF")
    assert lookup(data, f"pdf-sizes:{printed}") == [
        ("dtu-mlops-handbook-2030-january.pdf", 1200),
        ("dtu-mlops-handbook-2030-january-s1.pdf", None),  # not printed yet
        ("dtu-mlops-handbook-2030-january-s2.pdf", 4),
    ]


def test_a_digest_changes_with_the_value_only():
    assert _digest(("a", 1)) == hashlib.sha1(b"('a', 1)").hexdigest()
    assert _digest(("a", 1)) != _digest(("a", 2))


@pytest.fixture
def app(make_app: MakeApp, handbook_src: Path) -> SphinxTestApp:
    """A test app whose domain starts with no record."""
    app = make_app("html", srcdir=handbook_src)
    handbook(app).uses.clear()
    return app


def handbook(app: SphinxTestApp) -> HandbookDomain:
    found = app.env.domains["handbook"]
    assert isinstance(found, HandbookDomain)
    return found


def test_a_page_is_outdated_when_any_data_it_showed_changed(app: SphinxTestApp):
    domain = handbook(app)
    domain.note_use("tas", "tas")
    domain.note_use("faq", "faq")
    domain.note_use("both", "tas")
    domain.note_use("both", "faq")
    domain.note_use("gone", "session:S1")
    assert list(domain.outdated()) == []
    domain.uses["faq"]["faq"] = "an older digest"
    domain.uses["both"]["tas"] = domain.uses["both"]["faq"] = "an older digest"
    domain.uses["gone"]["colour:red"] = "a key this version no longer knows"
    assert list(domain.outdated()) == ["faq", "both", "gone"]  # each page once
    assert outdated_docs(app, app.env, set(), set(), {"both"}) == ["faq", "gone"]


def test_clearing_a_page_forgets_only_that_page(app: SphinxTestApp):
    domain = handbook(app)
    domain.note_use("tas", "tas")
    domain.note_use("faq", "faq")
    domain.clear_doc("tas")
    domain.clear_doc("never-read")
    assert list(domain.uses) == ["faq"]


def test_invalid_data_is_logged_at_its_file_and_line(
    make_app: MakeApp, handbook_src: Path, edit: Callable[[Path, str, str], None]
):
    """Each problem is a Sphinx error at its place (a missing file has no line), then a total."""
    edit(handbook_src / "_data/tas.yaml", "  - name: Björn", "  - name: Björn\n    age: 3")
    (handbook_src / "_data/faq.yaml").unlink()
    warnings = io.StringIO()
    # The error ends the build like sys.exit, past the test app's own clean-up: undo what the
    # extensions registered, or later apps in this process warn about it.
    with docutils_namespace(), pytest.raises(CourseDataError):
        make_app("html", srcdir=handbook_src, warning=warnings)
    assert strip_colors(warnings.getvalue()).splitlines() == [
        "ERROR: src/_data/faq.yaml: this data file is missing: create it [handbook]",
        "src/_data/tas.yaml:5:5: ERROR: unknown key 'age' in tas item 1 "
        "(known keys: name, hours) [handbook]",
        "ERROR: the build stopped: 2 problems in the course data, "
        "each reported above with the file and line to fix [handbook]",
    ]
