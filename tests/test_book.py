"""The real handbook: it builds without a warning, and every page keeps its promises."""

from __future__ import annotations

import pickle
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from docutils import nodes

from mlops_handbook.data import load_course_data
from mlops_handbook.model import CourseData, Module

from .conftest import REPO, build_book

pytestmark = pytest.mark.book

DATA: CourseData = load_course_data(REPO / "docs", "_data", "sessions")
MODULES = [pytest.param(m, id=m.id) for m in DATA.modules]
SECTIONS = ("What you will learn", "Exercises", "Knowledge check", "Further reading")


@cache
def doctree(doctrees: Path, docname: str) -> nodes.document:
    with (doctrees / f"{docname}.doctree").open("rb") as handle:
        return pickle.load(handle)


@pytest.fixture(scope="module")
def doctrees(real_book: Path) -> Path:
    return real_book.parent / f"{real_book.name}-doctrees"


def visible_text(html: str) -> str:
    main = html.split('<article class="bd-article">', 1)[-1].split("</article>", 1)[0]
    main = re.sub(r"<(script|style)\b.*?</\1>", " ", main, flags=re.S)
    main = re.sub(r"</?(a|span|em|strong|code)\b[^>]*>", "", main)
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def sections(tree: nodes.document) -> dict[str, nodes.section]:
    top = next(iter(tree.findall(nodes.section)))
    return {child[0].astext(): child for child in top.children if isinstance(child, nodes.section)}


def top_level_items(section: nodes.section, kind: type[nodes.Element]) -> list[nodes.list_item]:
    return [item for lst in section.children if isinstance(lst, kind) for item in lst.children]


def prose_words(tree: nodes.document) -> int:
    """Words of explanation: paragraphs outside code, exercises, checks and reading lists."""
    counted = 0
    for title, section in sections(tree).items():
        if title in SECTIONS:
            continue
        counted += sum(len(para.astext().split()) for para in section.findall(nodes.paragraph))
    return counted


def code_blocks(doctrees: Path) -> Iterator[tuple[str, nodes.literal_block]]:
    for path in sorted(doctrees.glob("**/*.doctree")):
        docname = path.relative_to(doctrees).with_suffix("").as_posix()
        for block in doctree(doctrees, docname).findall(nodes.literal_block):
            yield docname, block


def test_every_session_and_module_has_a_page(real_book: Path):
    for session in DATA.sessions:
        html = (real_book / f"{DATA.session_docname(session)}.html").read_text()
        for module in DATA.modules_of(session.id):
            assert f"{module.id} · {module.title}" in visible_text(html)
    for module in DATA.modules:
        page = real_book / f"{DATA.module_docname(module)}.html"
        assert "Core module" in page.read_text() or "Optional module" in page.read_text()


def test_generated_tables_are_complete(real_book: Path):
    tas = (real_book / "tas.html").read_text()
    assert all(ta.name in tas for ta in DATA.tas.tas)
    assert len(re.findall(r"<tr class=\"row-(?:odd|even)\">", tas)) == 13 + 1
    plan = visible_text((real_book / "timeplan.html").read_text())
    assert "15 course days: 9 exercise days and 6 project days." in plan
    assert [f"Week {n}" in plan for n in (1, 2, 3)] == [True] * 3
    faq = (real_book / "faq.html").read_text()
    assert len(re.findall(r'id="faq-[\w-]+"', faq)) == len(DATA.faq.entries) >= 12


def test_a_parallel_build_gives_the_same_pages(real_book: Path, tmp_path: Path):
    parallel = build_book(tmp_path / "html", jobs="2")
    serial_pages = sorted(p.relative_to(real_book) for p in real_book.glob("**/*.html"))
    parallel_pages = sorted(p.relative_to(parallel) for p in parallel.glob("**/*.html"))
    assert serial_pages == parallel_pages
    for page in serial_pages:
        assert visible_text((real_book / page).read_text()) == visible_text(
            (parallel / page).read_text()
        ), page


def test_python_code_blocks_compile(doctrees: Path):
    failures, compiled = [], 0
    for docname, block in code_blocks(doctrees):
        if block.get("language") not in ("python", "py", "python3"):
            continue
        if "partial" in block.get("classes", []):
            continue
        where = f"docs/{docname}.md:{block.line}"
        try:
            compile(block.astext(), where, "exec")
            compiled += 1
        except SyntaxError as error:
            failures.append(f"{where}: {error.msg} (block line {error.lineno})")
    assert not failures, "\n".join(failures)
    assert compiled > 100


def test_every_code_block_names_its_language(doctrees: Path):
    unnamed = [
        f"docs/{docname}.md:{block.line}"
        for docname, block in code_blocks(doctrees)
        if block.get("language", "default") in ("default", "none", "")
    ]
    assert not unnamed, "code blocks without a language:\n" + "\n".join(unnamed)


def test_every_image_has_alt_text(real_book: Path):
    missing = []
    for page in real_book.glob("**/*.html"):
        for tag in re.findall(r"<img\b[^>]*>", page.read_text()):
            if not re.search(r'alt="[^"]+"', tag):
                missing.append(f"{page.relative_to(real_book)}: {tag}")
    assert not missing, "\n".join(missing)


def test_every_session_page_has_a_diagram(real_book: Path):
    for session in DATA.sessions:
        html = (real_book / f"{DATA.session_docname(session)}.html").read_text()
        diagrams = re.findall(r'<img\b[^>]*\bclass="mermaid"[^>]*>', html)
        assert diagrams, session.id


@pytest.mark.parametrize("module", MODULES)
def test_module_page_anatomy(doctrees: Path, module: Module):
    tree = doctree(doctrees, DATA.module_docname(module))
    found = sections(tree)
    missing = [title for title in SECTIONS if title not in found]
    assert not missing, f"{module.id} lacks the sections {missing}"
    outcomes = top_level_items(found["What you will learn"], nodes.bullet_list)
    assert 3 <= len(outcomes) <= 6, f"{module.id}: {len(outcomes)} learning outcomes"
    exercises = top_level_items(found["Exercises"], nodes.enumerated_list)
    assert len(exercises) >= 5, f"{module.id}: {len(exercises)} exercises"
    questions = top_level_items(found["Knowledge check"], nodes.enumerated_list)
    assert len(questions) >= 3, f"{module.id}: {len(questions)} knowledge-check questions"
    for question in questions:
        assert "Answer" in question.astext(), f"{module.id}: a question without an answer"
    reading = list(found["Further reading"].findall(nodes.reference))
    assert any(ref.get("refuri", "").startswith("https://") for ref in reading)
    assert prose_words(tree) >= 900, f"{module.id}: {prose_words(tree)} words of prose"


def os_tab_sets(tree: nodes.document) -> list[dict[str, nodes.Element]]:
    """Each OS tab set of a page as sync key → the tab's content."""
    found = []
    for tab_set in tree.findall(
        lambda n: isinstance(n, nodes.container) and n.get("design_component") == "tab-set"
    ):
        items = [item for item in tab_set.children if isinstance(item, nodes.container)]
        tabs = {i[0].get("sync_id"): i[1] for i in items if i[0].get("sync_group") == "os"}
        if tabs:
            found.append(tabs)
    return found


@pytest.mark.parametrize("module", MODULES)
def test_os_tabs_cover_every_system_once(doctrees: Path, module: Module):
    """Linux and macOS share one tab where their instructions are the same."""
    for tabs in os_tab_sets(doctree(doctrees, DATA.module_docname(module))):
        assert set(tabs) in ({"linux", "macos", "windows"}, {"unix", "windows"}), (
            f"{module.id}: OS tabs {set(tabs)}"
        )
        if "linux" in tabs:
            linux, macos = tabs["linux"].astext(), tabs["macos"].astext()
            assert linux != macos, f"{module.id}: identical Linux and macOS tabs: {linux[:60]!r}"


THINKING = ("Predict.", "Spot the bug.", "Choose.")


@pytest.mark.parametrize("module", MODULES)
def test_knowledge_check_makes_you_think(doctrees: Path, module: Module):
    """Three to eight questions; one at least asks to predict, debug or choose, not recall."""
    found = sections(doctree(doctrees, DATA.module_docname(module)))
    questions = top_level_items(found["Knowledge check"], nodes.enumerated_list)
    assert 3 <= len(questions) <= 8, f"{module.id}: {len(questions)} questions"
    leads = [q.astext().lstrip() for q in questions]
    assert any(lead.startswith(THINKING) for lead in leads), (
        f"{module.id}: no question starts with one of {THINKING}"
    )
