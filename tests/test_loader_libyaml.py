"""The loader parses with libyaml for speed, and must compose exactly what PyYAML composes.

Every position in an error message comes from a node's marks, and the MyST fields use a
scalar's style, so the fast parser has to give the same tree (tags, values, styles, and the
line and column where each value starts) as the pure-Python one, and the same located problem
where the YAML is broken. The real course data and damaged and random YAML are compared; and
a file is parsed once per version of its bytes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from mlops_handbook import loader
from mlops_handbook.data import FILES, load_course_data

from .conftest import REPO
from .test_loader_fuzz import FUZZ, ROOT, yaml_text

REAL_DATA = sorted((REPO / "docs" / "_data").glob("*.yaml"))

pytestmark = pytest.mark.skipif(loader.CParser is None, reason="PyYAML without libyaml")


def tree(node: yaml.Node | loader.Problem | None) -> object:
    """Everything of a composed node that the loader reads, as nested tuples."""
    if not isinstance(node, yaml.Node):
        return node
    marks = (node.start_mark.line, node.start_mark.column)  # the loader reads no end marks
    if isinstance(node, yaml.ScalarNode):
        return ("scalar", node.tag, node.value, node.style, marks)
    if isinstance(node, yaml.SequenceNode):
        return ("list", node.tag, marks, [tree(child) for child in node.value])
    pairs = [(tree(key), tree(value)) for key, value in node.value]
    return ("mapping", node.tag, marks, pairs)


def pure(text: str) -> object:
    """What the pure-Python composer makes of ``text``: a tree, or the located problem."""
    try:
        return tree(loader._parse(loader._Composer, text))
    except yaml.YAMLError as error:
        return loader._syntax_problem(error, text, "f.yaml")


def fast(text: str) -> object:
    return tree(loader._compose(text, "f.yaml"))


@pytest.mark.parametrize("path", REAL_DATA, ids=[p.name for p in REAL_DATA])
def test_the_course_data_composes_the_same(path: Path):
    text = path.read_text(encoding="utf-8")
    assert tree(loader._parse(loader._FastComposer, text)) == pure(text)


@FUZZ
@given(text=yaml_text)
def test_random_yaml_composes_the_same(text: str):
    assert fast(text) == pure(text)


@FUZZ
@given(name=st.sampled_from(sorted(FILES.values())), at=st.floats(0, 1), insert=yaml_text)
def test_damaged_course_data_composes_the_same(name: str, at: float, insert: str):
    original = (ROOT / name).read_text(encoding="utf-8")
    index = int(at * len(original))
    text = original[:index] + insert + original[index:]
    assert fast(text) == pure(text)


def test_a_file_is_parsed_again_only_when_its_bytes_change(
    handbook_src: Path, monkeypatch: pytest.MonkeyPatch
):
    parsed: list[str] = []
    compose = loader._compose

    def counted(text: str, shown: str) -> object:
        parsed.append(shown)
        return compose(text, shown)

    monkeypatch.setattr(loader, "_compose", counted)
    loader._LOADED.clear()
    load_course_data(handbook_src, "_data", "sessions")
    assert len(parsed) == len(FILES)
    load_course_data(handbook_src, "_data", "sessions")
    assert len(parsed) == len(FILES)
    tas = handbook_src / "_data" / "tas.yaml"
    tas.write_text(tas.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    load_course_data(handbook_src, "_data", "sessions")
    assert parsed[len(FILES) :] == [f"{handbook_src.name}/_data/tas.yaml"]
