"""``search.yaml``: page keywords the index ranks by, synonym groups the search box expands.

Each problem in the file is reported with its line, like the rest of the course data; the
keywords reach every page as Pagefind metadata and the groups reach the site as JSON.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from mlops_handbook import search
from mlops_handbook.data import load_course_data
from mlops_handbook.errors import CourseDataError
from mlops_handbook.search import indexed_body
from mlops_handbook.search.vocabulary import LONGEST_PHRASE, SYNONYMS_FILE, load_vocabulary

from .conftest import page

MakeApp = Callable[..., SphinxTestApp]

SEARCH = """\
keywords:
  - page: tas
    words: TAs, helpers
  - page: M2
    words: cutting wood
synonyms:
  - words: [TA, teaching assistant]
"""


def write_search(srcdir: Path, text: str) -> Path:
    path = srcdir / "_data" / "search.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(srcdir: Path, text: str) -> list[str]:
    write_search(srcdir, text)
    data = load_course_data(srcdir, "_data", "sessions")
    with pytest.raises(CourseDataError) as caught:
        load_vocabulary(srcdir, "_data", data)
    return [str(problem) for problem in caught.value.problems]


def test_keywords_name_pages_by_docname_and_groups_are_lower_case(handbook_src: Path) -> None:
    write_search(handbook_src, SEARCH)
    data = load_course_data(handbook_src, "_data", "sessions")
    found = load_vocabulary(handbook_src, "_data", data)
    assert found.keywords == {"tas": "TAs, helpers", "sessions/s1_first/sawing": "cutting wood"}
    assert found.synonyms == (("ta", "teaching assistant"),)


def test_without_the_file_the_search_knows_only_the_pages_words(handbook_src: Path) -> None:
    data = load_course_data(handbook_src, "_data", "sessions")
    found = load_vocabulary(handbook_src, "_data", data)
    assert (found.keywords, found.synonyms) == ({}, ())


@pytest.mark.parametrize("text", ["", "\n\n", "# keywords:\n#   - page: tas\n"])
def test_a_file_with_every_line_commented_out_is_as_good_as_none(
    handbook_src: Path, text: str
) -> None:
    write_search(handbook_src, text)
    data = load_course_data(handbook_src, "_data", "sessions")
    found = load_vocabulary(handbook_src, "_data", data)
    assert (found.keywords, found.synonyms) == ({}, ())
    assert problems(handbook_src, "# keywords:\nsynonyms: oops\n")  # the rest is still checked


def test_each_wrong_entry_is_reported_at_its_line(handbook_src: Path) -> None:
    found = problems(
        handbook_src,
        "keywords:\n"
        "  - {page: tas, words: helpers}\n"
        "  - {page: M9, words: none}\n"
        "  - {page: tas, words: again}\n"
        "  - {pages: faq, words: typo}\n"
        "synonyms:\n"
        "  - words: [alone]\n"
        "  - words: [TA, ta]\n",
    )
    shown = "src/_data/search.yaml"
    assert found == [
        f"{shown}:3: keywords for 'M9', which is neither a module id of modules.yaml nor a page "
        "of docs/ (such as faq or projects)",
        f"{shown}:4: 'tas' has keywords twice: merge them",
        f"{shown}:5:6: unknown key 'pages' in keywords item 4 (did you mean 'page'?)",
        f"{shown}:7: a synonym group needs 2 to 8 words",
        f"{shown}:8:17: 'words' of synonyms item 2 item 2, 'ta', repeats item 1: list each once",
    ]


def test_a_build_with_a_wrong_entry_stops_and_names_its_line(
    make_app: MakeApp, handbook_src: Path
) -> None:
    write_search(handbook_src, SEARCH.replace("page: M2", "page: M9"))
    warnings = StringIO()
    with pytest.raises(CourseDataError):
        make_app("html", srcdir=handbook_src, warning=warnings)
    assert "src/_data/search.yaml:4: ERROR: keywords for 'M9'" in warnings.getvalue()


def test_a_search_file_linked_from_outside_is_refused(handbook_src: Path, tmp_path: Path) -> None:
    outside = tmp_path / "secret.yaml"
    outside.write_text(SEARCH, encoding="utf-8")
    (handbook_src / "_data" / "search.yaml").symlink_to(outside)
    data = load_course_data(handbook_src, "_data", "sessions")
    with pytest.raises(CourseDataError) as caught:
        load_vocabulary(handbook_src, "_data", data)
    assert "outside the project's sources" in str(caught.value.problems[0])


@pytest.mark.parametrize("target", ["search.yaml", "gone.yaml"])
def test_a_search_file_that_links_nowhere_is_refused(handbook_src: Path, target: str) -> None:
    """A link to itself or to a missing file is a mistake to fix, not a file left out."""
    (handbook_src / "_data" / "search.yaml").symlink_to(target)
    data = load_course_data(handbook_src, "_data", "sessions")
    with pytest.raises(CourseDataError) as caught:
        load_vocabulary(handbook_src, "_data", data)
    problem = str(caught.value.problems[0])
    assert problem.startswith("src/_data/search.yaml")
    assert "link that leads back to itself" in problem or "missing" in problem


def test_faq_questions_weigh_as_headings_in_the_index() -> None:
    body = indexed_body('<p class="handbook-faq-question"><strong>Q?</strong></p><p>A.</p>', {})
    assert '<p class="handbook-faq-question" data-pagefind-weight="5">' in body
    assert "<p>A.</p>" in body


def test_keywords_and_synonyms_reach_the_site_and_follow_an_edit(
    make_app: MakeApp, handbook_src: Path
) -> None:
    """An edit to search.yaml alone rewrites the pages that carry its keywords."""
    path = write_search(handbook_src, SEARCH)
    app = make_app("html", srcdir=handbook_src)
    app.build()
    tas = page(app, "tas")
    assert 'data-handbook-keywords="TAs, helpers"' in tas
    assert "keywords[data-handbook-keywords]" in tas
    assert 'data-handbook-keywords="cutting wood"' in page(app, "sessions/s1_first/sawing")
    synonyms = Path(app.outdir) / "_static" / SYNONYMS_FILE
    assert json.loads(synonyms.read_text(encoding="utf-8")) == [["ta", "teaching assistant"]]
    app.cleanup()
    path.write_text(SEARCH.replace("TAs, helpers", "assistants"), encoding="utf-8")
    again = make_app("html", srcdir=handbook_src, freshenv=False)
    again.build()
    assert 'data-handbook-keywords="assistants"' in page(again, "tas")


def test_a_phrase_in_two_groups_or_too_long_to_find_is_named_at_its_line(
    handbook_src: Path,
) -> None:
    found = problems(
        handbook_src,
        "synonyms:\n"
        "  - words: [ta, helper]\n"
        "  - words:\n"
        "      - teaching assistant\n"
        "      - TA\n"
        "  - words: [pass or fail now, passed]\n",
    )
    shown = "src/_data/search.yaml"
    assert found == [
        f"{shown}:5: the synonym 'ta' is also in the group at line 2; a word belongs to one "
        "group: merge the two",
        f"{shown}:6: the synonym 'pass or fail now' has 4 words; the search box finds phrases "
        "of at most 3: shorten it",
    ]


def test_a_phrase_is_kept_as_the_search_box_splits_a_query(handbook_src: Path) -> None:
    write_search(handbook_src, 'synonyms:\n  - words: ["Hand \\t In ", hand-in]\n')
    data = load_course_data(handbook_src, "_data", "sessions")
    assert load_vocabulary(handbook_src, "_data", data).synonyms == (("hand in", "hand-in"),)


def test_the_longest_phrase_is_the_search_boxs() -> None:
    script = (Path(search.__file__).parent.parent / "static" / "handbook-search.js").read_text()
    assert f"const LONGEST_SYNONYM = {LONGEST_PHRASE};" in script


def test_problems_in_the_course_data_do_not_hide_the_search_files(
    handbook_src: Path, edit: Callable[[Path, str, str], None]
) -> None:
    """The course data's problems stop the build before the search reads its file."""
    write_search(handbook_src, SEARCH.replace("page: M2", "page: M9") + "  - words: [alone]\n")
    edit(handbook_src / "_data" / "course.yaml", "ects: 5", "ects: five")
    with pytest.raises(CourseDataError) as caught:
        load_course_data(handbook_src, "_data", "sessions")
    assert [str(problem) for problem in caught.value.problems] == [
        "src/_data/course.yaml:8:7: ects must be a whole number, not 'five'",
        "src/_data/search.yaml:4: keywords for 'M9', which is neither a module id of "
        "modules.yaml nor a page of docs/ (such as faq or projects)",
        "src/_data/search.yaml:8: a synonym group needs 2 to 8 words",
    ]


def test_a_keyword_may_name_a_module_whose_id_cannot_be_read(
    handbook_src: Path, edit: Callable[[Path, str, str], None]
) -> None:
    write_search(handbook_src, SEARCH)
    edit(handbook_src / "_data" / "modules.yaml", "id: M2", "id: [M2]")
    with pytest.raises(CourseDataError) as caught:
        load_course_data(handbook_src, "_data", "sessions")
    assert [str(problem) for problem in caught.value.problems] == [
        "src/_data/modules.yaml:8:9: 'id' of modules item 2 must be text, not a list"
    ]
