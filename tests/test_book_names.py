"""One running example: pages use the naming table's names and show the example's real files."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
EXAMPLE = DOCS / "_example"
CONTRIBUTING = ROOT / "CONTRIBUTING.md"
TEXT_SUFFIXES = {".md", ".yaml", ".yml", ".toml", ".py", ".txt", ".cfg", ".json", ".dockerfile"}


def between(text: str, marker: str) -> str:
    start, end = f"<!-- {marker} -->", f"<!-- {marker}-end -->"
    return text[text.index(start) + len(start) : text.index(end)]


def naming_table() -> str:
    return between(CONTRIBUTING.read_text(encoding="utf-8"), "naming-table")


def retired_names() -> list[str]:
    return re.findall(
        r"`([^`]+)`", between(CONTRIBUTING.read_text(encoding="utf-8"), "retired-names")
    )


def book_files() -> list[Path]:
    return sorted(
        p
        for p in DOCS.rglob("*")
        if p.is_file()
        and (p.suffix in TEXT_SUFFIXES or p.name.startswith("."))
        and ".venv" not in p.parts
    )


def retired_uses(files: list[Path], names: list[str]) -> list[str]:
    """`file:line: name` for every retired name used as a whole word."""
    pattern = re.compile(r"(?<![\w.-])(" + "|".join(map(re.escape, names)) + r")(?![\w-])")
    found = []
    for path in files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
            found += [f"{shown}:{number}: {m[1]}" for m in pattern.finditer(line)]
    return found


def test_no_retired_name_anywhere_in_the_book() -> None:
    names = retired_names()
    assert "DigitClassifier" in names and "train_labels.pt" in names
    assert retired_uses(book_files(), names) == []


def test_retired_name_check_finds_whole_words_with_their_line(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "intro\nLoad `train_labels.pt` into a `Classifier`.\nMnistClassifier, classifier: fine\n"
    )
    found = retired_uses([page], ["train_labels.pt", "Classifier"])
    assert found == [f"{page}:2: train_labels.pt", f"{page}:2: Classifier"]


# Earlier-stage snippets ------------------------------------------------------------------

CODE_BLOCK = re.compile(
    r"^(?P<indent>[ \t]*)```\{code-block\}[^\n]*\n(?P<body>.*?)^(?P=indent)```", re.M | re.S
)
# Names a snippet can drift on: the package, the model class, data and weight files, commands.
NAME_PATTERNS = {
    "package": re.compile(
        r"(?:src/|from |import |-m )([a-z_]+)[/.](?:data|model|train|evaluate|config|cli|api)\b"
    ),
    "model class": re.compile(r"class (\w+)\((?:nn|torch\.nn)\.Module\)"),
    "file": re.compile(r"([\w-]+\.pt)\b"),
    "command": re.compile(r"\b(corrupt-mnist[\w-]*)"),
}


def earlier_stage_blocks() -> list[tuple[str, str, str]]:
    """(page:line, options, body) for every code-block marked as an earlier stage."""
    blocks = []
    for page in sorted((DOCS / "sessions").rglob("*.md")):
        text = page.read_text(encoding="utf-8")
        for block in CODE_BLOCK.finditer(text):
            options = "\n".join(
                line for line in block["body"].splitlines() if line.strip().startswith(":")
            )
            if "earlier-stage" in options:
                line = text.count("\n", 0, block.start()) + 1
                code = "\n".join(
                    row for row in block["body"].splitlines() if not row.strip().startswith(":")
                )
                blocks.append((f"{page.relative_to(ROOT)}:{line}", options, code))
    return blocks


def off_table_names(body: str, table: str) -> list[str]:
    """Names in a snippet that the naming table does not list."""
    found = []
    for kind, pattern in NAME_PATTERNS.items():
        for name in pattern.findall(body):
            if f"`{name}`" not in table and name not in re.findall(r"[\w.-]+", table):
                found.append(f"{kind} {name}")
    return found


def test_earlier_stage_snippets_say_so_and_use_the_table() -> None:
    blocks = earlier_stage_blocks()
    assert len(blocks) >= 3
    table = naming_table()
    for where, options, body in blocks:
        assert re.search(r":caption:.*earlier stage", options), (
            f"{where}: caption must say 'earlier stage'"
        )
        assert off_table_names(body, table) == [], where


def test_off_table_names_are_caught() -> None:
    table = naming_table()
    body = (
        "from mnist_app.model import Net\nclass Net(nn.Module):\ntorch.save(m, 'models/net.pt')\n"
    )
    assert off_table_names(body, table) == ["package mnist_app", "model class Net", "file net.pt"]
    assert off_table_names("from corrupt_mnist.model import MnistCNN\n", table) == []


# literalinclude targets -----------------------------------------------------------------

LITERALINCLUDE = re.compile(r"```\{literalinclude\} (?P<path>\S+)\n(?P<options>(?:[ \t]*:.*\n)*)")


def literalincludes() -> list[tuple[Path, Path, dict[str, str]]]:
    found = []
    for page in sorted((DOCS / "sessions").rglob("*.md")):
        for match in LITERALINCLUDE.finditer(page.read_text(encoding="utf-8")):
            options = dict(re.findall(r"^\s*:([\w-]+):\s*(.*?)\s*$", match["options"], re.M))
            found.append((page, (page.parent / match["path"]).resolve(), options))
    return found


def include_problem(target: Path, options: dict[str, str]) -> str | None:
    """Why a literalinclude would show nothing or the wrong thing, or None."""
    if not target.is_relative_to(EXAMPLE.resolve()):
        return f"{target} is not in docs/_example/"
    if not target.is_file():
        return f"{target} does not exist"
    text = target.read_text(encoding="utf-8")
    if "pyobject" in options:
        names = {
            node.name
            for node in ast.walk(ast.parse(text))
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        }
        if options["pyobject"].split(".")[-1] not in names:
            return f"{target} has no {options['pyobject']}"
    for key in ("start-after", "start-at", "end-before", "end-at"):
        if key in options and options[key].strip("\"'") not in text:
            return f"{target} has no marker {options[key]!r}"
    return None


def test_pages_include_the_example() -> None:
    includes = literalincludes()
    assert len(includes) >= 15
    problems = [
        f"{page.relative_to(ROOT)}: {include_problem(t, o)}"
        for page, t, o in includes
        if include_problem(t, o)
    ]
    assert problems == []


@pytest.mark.parametrize(
    ("name", "options", "problem"),
    [
        ("src/corrupt_mnist/model.py", {"pyobject": "DigitNet"}, "has no DigitNet"),
        (".pre-commit-config.yaml", {"start-after": "# [nope]"}, "has no marker"),
        ("missing.py", {}, "does not exist"),
    ],
)
def test_include_problems_are_found(name: str, options: dict[str, str], problem: str) -> None:
    assert problem in (include_problem((EXAMPLE / name).resolve(), options) or "")


# Files the pages name ---------------------------------------------------------------------

# A path in backticks under one of the project's folders is a file of the companion project.
PROJECT_FILE = re.compile(
    r"`((?:src|configs|tests|scripts|dockerfiles|\.github|monitoring|function)/[\w./-]+\.[a-z]{1,8})`"
)
# Files a page names on purpose although the finished project has none: each with the reason.
PRACTICE_FILES = {
    "scripts/notes.txt": "the command line module's nano warm-up, deleted afterwards",
    "scripts/show_env.py": "the command line module's environment-variable warm-up",
    "scripts/train.py": "the command line module's argparse warm-up, before the package exists",
    "scripts/run_seeds.sh": "the command line module's shell-script warm-up",
    "tests/test_explore.py": "the editor module's first test, of its throwaway explore.py",
    "src/scratch.py": "the pre-commit module's file with an unused import, never committed",
}


def named_files(pages: list[Path]) -> dict[str, list[str]]:
    """Every project path a page names in backticks, with the page:line where it is named."""
    found: dict[str, list[str]] = {}
    for page in pages:
        for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), start=1):
            shown = page.relative_to(ROOT) if page.is_relative_to(ROOT) else page
            for name in PROJECT_FILE.findall(line):
                found.setdefault(name, []).append(f"{shown}:{number}")
    return found


def missing_files(named: dict[str, list[str]], example: Path) -> list[str]:
    """Named files that are neither in the example nor a declared practice file."""
    return [
        f"{where[0]}: {name} is not in docs/_example/ (add it, or to PRACTICE_FILES with why)"
        for name, where in sorted(named.items())
        if not (example / name).exists() and name not in PRACTICE_FILES
    ]


def test_every_project_file_a_page_names_is_in_the_example() -> None:
    named = named_files(sorted((DOCS / "sessions").rglob("*.md")))
    assert len(named) >= 50
    assert missing_files(named, EXAMPLE) == []
    assert sorted(name for name in PRACTICE_FILES if name in named) == sorted(PRACTICE_FILES)


def test_a_named_file_missing_from_the_example_is_found(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("Write `src/corrupt_mnist/nowhere.py`, then `scripts/notes.txt`.\n")
    (tmp_path / "src").mkdir()
    assert missing_files(named_files([page]), tmp_path) == [
        f"{page}:1: src/corrupt_mnist/nowhere.py is not in docs/_example/ "
        "(add it, or to PRACTICE_FILES with why)"
    ]
