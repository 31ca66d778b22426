"""The words students search with that the pages themselves do not use: ``search.yaml``.

Pages say "hand in the link", students type "submit"; the course pages never call the
teaching assistants "TAs" in a heading. The file has two general lists. ``keywords`` gives a
page (a course page such as ``faq``, or a module id) a line of words Pagefind indexes as its
metadata, as a module's summary is. ``synonyms`` are groups of words that mean the same to a
student; the search box also searches a query with a word of a group swapped for the others.
The file is optional: without it, the search works on the pages' words alone.
"""

from __future__ import annotations

import json
from collections.abc import Set
from dataclasses import dataclass
from pathlib import Path

from ..errors import CourseDataError, Location, Problem, shorten
from ..loader import EMPTY_FILE, load_file
from ..model import CourseData, Record
from ..validate import linked_out

FILENAME = "search.yaml"
SYNONYMS_FILE = "handbook-synonyms.json"  # in _static/, fetched by the box on first use
MOST_SYNONYMS = 8  # each word of a group is one more search per query: keep groups small
# The search box looks for a group's phrases among at most this many typed words in a row
# (LONGEST_SYNONYM in static/handbook-search.js): a longer phrase would never be found.
LONGEST_PHRASE = 3


@dataclass(frozen=True, kw_only=True)
class Keywords(Record):
    page: str  # a course page's name ("faq") or a module id ("M10")
    words: str


@dataclass(frozen=True, kw_only=True)
class Synonyms(Record):
    words: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class SearchFile(Record):
    keywords: tuple[Keywords, ...] = ()
    synonyms: tuple[Synonyms, ...] = ()


@dataclass(frozen=True)
class Vocabulary:
    """The keywords of each page by its docname, and the synonym groups, in lower case."""

    keywords: dict[str, str]
    synonyms: tuple[tuple[str, ...], ...]

    def synonyms_json(self) -> str:
        return json.dumps([list(group) for group in self.synonyms], separators=(",", ":"))


def load_vocabulary(srcdir: Path, data_dir: str, data: CourseData) -> Vocabulary:
    """Read and check ``search.yaml``; raise one error naming every problem with its line."""
    pages = {m.id: data.module_docname(m) for m in data.modules} | _top_pages(srcdir)
    found, problems = read_search_file(srcdir, data_dir, pages)
    if problems:
        raise CourseDataError(problems)
    if found is None:  # no file: the search works on the pages' words alone
        return Vocabulary({}, ())
    return Vocabulary(
        {pages[k.page]: k.words for k in found.keywords},
        tuple(tuple(as_typed(word) for word in group.words) for group in found.synonyms),
    )


def search_file_problems(srcdir: Path, data_dir: str, module_ids: Set[str] | None) -> list[Problem]:
    """The problems of ``search.yaml``, for a build that problems in the course data stop.

    Those stop the build before the search loads its file; its problems are reported with
    theirs, so that one build shows every problem. ``module_ids`` is None when a module's id
    could not be read: a keyword may name that module, so no keyword's page is checked.
    """
    pages = None if module_ids is None else dict.fromkeys(module_ids, "") | _top_pages(srcdir)
    return read_search_file(srcdir, data_dir, pages)[1]


def read_search_file(
    srcdir: Path, data_dir: str, pages: dict[str, str] | None
) -> tuple[SearchFile | None, list[Problem]]:
    """The file (None if there is none or it cannot be read) and its problems.

    ``pages`` maps what a keyword entry may name to its docname; None leaves names unchecked.
    """
    shown = f"{srcdir.name}/{data_dir}/{FILENAME}"
    path = srcdir / data_dir / FILENAME
    if not path.exists() and not path.is_symlink():  # a link to nowhere is no absent file
        return None, []
    if outside := linked_out(path, srcdir):
        return None, [Problem(Location(shown), outside)]
    found, problems, _ = load_file(path, SearchFile, shown)
    if [problem.message for problem in problems] == [EMPTY_FILE]:
        return SearchFile(), []  # every line commented out: as optional as no file at all
    if found is not None:
        problems += _check(found, pages, {problem.where.line for problem in problems})
    return found, problems


def as_typed(word: str) -> str:
    """A synonym as the search box compares it: lower case, words split by single spaces.

    The box splits a query at any white space and joins its words with one space, so a
    phrase written with two spaces or a tab would never match what a student types.
    """
    return " ".join(word.lower().split())


def _top_pages(srcdir: Path) -> dict[str, str]:
    """The course pages a keyword entry may name (as modules by id), by their docnames."""
    return {page.stem: page.stem for page in srcdir.glob("*.md")}


def _check(found: SearchFile, pages: dict[str, str] | None, reported: set[int]) -> list[Problem]:
    """Each keyword entry names a page once; each synonym group holds 2 to 8 words.

    The loader already refuses (and leaves out) a word a group repeats; a group it shortened
    so is not reported again for its size: ``reported`` holds the lines of its problems.
    """
    problems = []
    seen: set[str] = set()
    for entry in found.keywords:
        if pages is not None and entry.page not in pages:
            problems.append(
                Problem(
                    entry.where,
                    f"keywords for {entry.page!r}, which is neither a module id of "
                    "modules.yaml nor a page of docs/ (such as faq or projects)",
                )
            )
        elif entry.page in seen:
            problems.append(Problem(entry.where, f"{entry.page!r} has keywords twice: merge them"))
        seen.add(entry.page)
    starts = [group.where.line for group in found.synonyms] + [float("inf")]
    for group, start, end in zip(found.synonyms, starts, starts[1:], strict=False):
        shortened = any(start <= line < end for line in reported)
        if not 2 <= len(group.words) <= MOST_SYNONYMS and not shortened:
            problems.append(
                Problem(group.where, f"a synonym group needs 2 to {MOST_SYNONYMS} words")
            )
    return problems + _check_phrases(found.synonyms)


def _check_phrases(groups: tuple[Synonyms, ...]) -> list[Problem]:
    """Each phrase is short enough for the box to find, and in one group only.

    The box maps each phrase to the other words of its group; a phrase in two groups would
    keep only the last group's words, and lose the first group's without a word.
    """
    problems = []
    group_of: dict[str, Location] = {}
    for group in groups:
        for index, word in enumerate(group.words):
            typed, where = as_typed(word), group.place(f"words[{index}]")
            if len(typed.split()) > LONGEST_PHRASE:
                problems.append(
                    Problem(
                        where,
                        f"the synonym {shorten(word)} has {len(typed.split())} words; the "
                        f"search box finds phrases of at most {LONGEST_PHRASE}: shorten it",
                    )
                )
            elif typed in group_of:
                problems.append(
                    Problem(
                        where,
                        f"the synonym {shorten(typed)} is also in the group at line "
                        f"{group_of[typed].line}; a word belongs to one group: merge the two",
                    )
                )
            else:
                group_of[typed] = group.where
    return problems
