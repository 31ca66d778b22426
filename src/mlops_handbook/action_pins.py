"""One major version per GitHub Action, from docs/_data/actions.yaml: check and bump every use.

The pages and the example project show workflows that students copy. An action on a retired
major (Node 20) fails on GitHub's runners, so the book pins every action once, in the data, and
this module finds each ``owner/name@vN`` in docs/ that disagrees, or rewrites it.
Run ``python -m mlops_handbook.action_pins check`` or ``bump`` from the repository root.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

import yaml

from mlops_handbook.errors import Location, Problem

PINS = Path("docs/_data/actions.yaml")
# Where actions are used: the pages and the example (docs/) and the handbook's own workflows.
ROOTS = (Path("docs"), Path(".github"))
SCANNED = ("*.md", "*.yaml", "*.yml")
# `owner/name@v7` in a `uses:` line or in prose ("`actions/cache@v4` stores folders").
USES = re.compile(r"(?<![\w./-])(?P<action>[\w-]+/[\w.-]+)(?P<sub>/[\w./-]+)?@(?P<ref>v\d[\w.]*)")
MAJOR = re.compile(r"v\d+")
ACTION = re.compile(r"[\w-]+/[\w.-]+")
EXAMPLE = "'actions/checkout: v7'"


def load_pins(path: Path) -> dict[str, str]:
    """Read the table; anything wrong in it stops with the file, the line and what to write."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SystemExit(
            f"{path}: missing; it lists each GitHub Action's major, like {EXAMPLE}"
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise SystemExit(
            f"{path}: cannot be read as UTF-8 text ({error}); save it as UTF-8"
        ) from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except (yaml.YAMLError, RecursionError) as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        problem = getattr(error, "problem", None) or "values nested too deep"
        raise SystemExit(
            f"{where}: not a YAML table ({problem}); write lines like {EXAMPLE}"
        ) from None
    if node is None:
        return {}
    if not isinstance(node, yaml.MappingNode):
        raise SystemExit(f"{path}:{node.start_mark.line + 1}: write lines like {EXAMPLE}")
    pins: dict[str, str] = {}
    bad = []
    for key, value in node.value:
        line = f"{path}:{key.start_mark.line + 1}"
        if not isinstance(key, yaml.ScalarNode) or not ACTION.fullmatch(key.value):
            bad.append(f"{line}: a key must name an action, owner/name, like {EXAMPLE}")
        elif key.value in pins:
            bad.append(f"{line}: {key.value} is listed twice; keep one major")
        elif not isinstance(value, yaml.ScalarNode) or not MAJOR.fullmatch(value.value):
            shown = value.value[:40] if isinstance(value, yaml.ScalarNode) else "a list or table"
            bad.append(f"{line}: {key.value} needs a major like 'v7', not {shown!r}")
        else:
            pins[key.value] = value.value
    if bad:
        raise SystemExit("\n".join(bad))
    return pins


def scanned_files(docs: Path) -> Iterator[Path]:
    """Every page and every YAML file under docs/, the example project included."""
    for pattern in SCANNED:
        yield from sorted(p for p in docs.rglob(pattern) if p.is_file() and p.name != PINS.name)


def check(docs: Path, pins: dict[str, str]) -> list[Problem]:
    """Each ``uses:`` whose action is not in the table, or not on the table's major."""
    problems = []
    for path in scanned_files(docs):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for use in USES.finditer(line):
                action, ref = use["action"], use["ref"]
                where = Location(path.as_posix(), number)
                if action not in pins:
                    problems.append(Problem(where, f"{action} is not in {PINS}: add its major"))
                elif ref != pins[action]:
                    problems.append(
                        Problem(where, f"{action}@{ref}: use @{pins[action]} (from {PINS})")
                    )
    return problems


def bump(docs: Path, pins: dict[str, str]) -> list[Path]:
    """Rewrite every known action to the table's major; return the files that changed."""

    def pinned(use: re.Match[str]) -> str:
        major = pins.get(use["action"])
        return use[0] if major is None else f"{use['action']}{use['sub'] or ''}@{major}"

    changed = []
    for path in scanned_files(docs):
        text = path.read_text(encoding="utf-8")
        new = USES.sub(pinned, text)
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(path)
    return changed


def main(argv: list[str]) -> int:
    """``check`` reports every stray major (status 1); ``bump`` rewrites them and lists files."""
    if argv not in (["check"], ["bump"]):
        print("usage: python -m mlops_handbook.action_pins check|bump", file=sys.stderr)
        return 2
    pins = load_pins(PINS)
    if argv == ["bump"]:
        for path in (path for root in ROOTS for path in bump(root, pins)):
            print(f"rewrote {path}")
    problems = [problem for root in ROOTS for problem in check(root, pins)]
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
