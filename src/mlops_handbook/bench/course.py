"""Private copies of the book to measure on: the real one, and synthetic larger courses.

A synthetic course repeats every module ``factor`` times, each copy a new module in the
data with the same page content, so every page of a larger course costs what a real one does.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path

import yaml

from ..config import HandbookConfig
from ..data import load_course_data
from ..directives.common import escape_myst
from ..model import CourseData, Module
from ..validate import GENERATED_MARK

CONFIG = HandbookConfig()
WORD = re.compile(r"\S+")
HEADING = re.compile(r"^# .*$", re.MULTILINE)


def copy_book(repo: Path, dest: Path) -> Path:
    """Copy what a build reads: conf.py, pyproject.toml and the sources.

    conf.py reads the repository's address from pyproject.toml; generated session pages are
    left behind, since the build writes them.
    """
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(repo / "conf.py", dest / "conf.py")
    if (repo / "pyproject.toml").is_file():  # a small test book has none
        shutil.copy2(repo / "pyproject.toml", dest / "pyproject.toml")
    shutil.copytree(repo / "docs", dest / "docs", ignore=_generated, dirs_exist_ok=True)
    return dest


def _generated(directory: str, names: list[str]) -> list[str]:
    index = Path(directory, "index.md")
    if "index.md" in names and index.read_text(encoding="utf-8").startswith(GENERATED_MARK):
        return ["index.md"]
    return []


def course_data(root: Path) -> CourseData:
    return load_course_data(root / "docs", CONFIG.data_dir, CONFIG.sessions_dir)


def module_entry(module: Module) -> dict[str, str]:
    """A module as it is written in modules.yaml."""
    fields = (f.name for f in dataclasses.fields(module) if f.name != "where")
    return {name: getattr(module, name) for name in fields}


def scale_course(root: Path, factor: int) -> int:
    """Give every module of the book in ``root`` ``factor - 1`` copies; return the module count."""
    data = course_data(root)
    docs = root / "docs"
    entries = []
    count = len(data.modules)
    for module in data.modules:
        entries.append(module_entry(module))
        text = (docs / f"{data.module_docname(module)}.md").read_text(encoding="utf-8")
        for copy in range(2, factor + 1):
            clone = dataclasses.replace(
                module,
                id=f"M{int(module.id[1:]) + (copy - 1) * count}",  # ids stay 'M' and a number
                title=f"{module.title} (copy {copy})",
                page=f"{module.page}_copy{copy}",
                # Optional, so the copies' core exercises do not overfill the session's day.
                kind="optional",
            )
            page = HEADING.sub(lambda _, c=clone: f"# {escape_myst(c.title)}", text, count=1)
            (docs / f"{data.module_docname(clone)}.md").write_text(page, encoding="utf-8")
            entries.append(module_entry(clone))
    modules = yaml.safe_dump({"modules": entries}, allow_unicode=True, sort_keys=False)
    (docs / CONFIG.data_dir / "modules.yaml").write_text(modules, encoding="utf-8")
    return len(entries)


def count_words(docs: Path) -> dict[str, int]:
    """Words of source: the Markdown pages and the course data the pages are made from."""
    pages = sum(_words(p) for p in docs.rglob("*.md"))
    data = sum(_words(p) for p in (docs / CONFIG.data_dir).glob("*.yaml"))
    return {"pages": pages, "data": data, "total": pages + data}


def _words(path: Path) -> int:
    return len(WORD.findall(path.read_text(encoding="utf-8")))
