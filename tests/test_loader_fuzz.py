"""No input escapes the loader as an exception: random bytes, random YAML, damaged real files.

Whatever a data file holds, loading ends in a value or in located problems, and a build in
``CourseDataError`` (exit status 2), never in a traceback.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlops_handbook.data import FILES, load_course_data
from mlops_handbook.errors import CourseDataError, Problem
from mlops_handbook.loader import load_file

ROOT = Path(__file__).resolve().parent / "roots" / "test-handbook" / "_data"
FUZZ = settings(
    max_examples=100,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
MODELS = list(FILES.items())

# Pieces of YAML syntax, so random text reaches the parser's and composer's corners.
YAML_PIECES = [
    *["\n", "  ", "- ", ": ", "? ", "[", "]", "{", "}", ",", "&a ", "*a", "&b ", "*b", "'", '"'],
    *["!!python/object/new:os.system ", "!x ", "!!str ", "!!int ", "!!binary ", "<<: "],
    *["|", ">", "#", "---\n", "...\n", "%YAML 1.1\n", "\t", "0x5", "1:30", "9" * 5000, "Yes"],
    *["~", "2030-01-07", "2030-02-30", "id", "title", "sessions", "days", "name", "S1", "é"],
    *["\u202e", "\u200b", "\x00", "\ufeff", "\x85", "\u2028"],
]
yaml_text = st.lists(st.sampled_from(YAML_PIECES), max_size=60).map("".join)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.dates(min_value=dt.date(1, 1, 1)),
)
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5),
        st.dictionaries(st.sampled_from(["id", "title", "name", "tas", "x", "days"]), inner),
    ),
    max_leaves=30,
)


def check(path: Path, cls: type, shown: str) -> None:
    value, problems, _ = load_file(path, cls, shown)
    assert value is not None or problems, "a file that cannot be built must say why"
    for problem in problems:
        assert isinstance(problem, Problem)
        assert str(problem).startswith(shown)
        assert len(problem.message) < 400


@pytest.mark.parametrize(("cls", "filename"), MODELS, ids=[f for _, f in MODELS])
@FUZZ
@given(data=st.binary(max_size=400))
def test_random_bytes_never_escape(tmp_path: Path, cls: type, filename: str, data: bytes):
    path = tmp_path / filename
    path.write_bytes(data)
    check(path, cls, filename)


@pytest.mark.parametrize(("cls", "filename"), MODELS, ids=[f for _, f in MODELS])
@FUZZ
@given(text=yaml_text)
def test_random_yaml_syntax_never_escapes(tmp_path: Path, cls: type, filename: str, text: str):
    path = tmp_path / filename
    path.write_text(text, encoding="utf-8")
    check(path, cls, filename)


@pytest.mark.parametrize(("cls", "filename"), MODELS, ids=[f for _, f in MODELS])
@FUZZ
@given(document=documents)
def test_random_yaml_values_never_escape(
    tmp_path: Path, cls: type, filename: str, document: object
):
    path = tmp_path / filename
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    check(path, cls, filename)


@pytest.mark.parametrize(("cls", "filename"), MODELS, ids=[f for _, f in MODELS])
@FUZZ
@given(at=st.floats(0, 1), cut=st.integers(0, 20), insert=yaml_text)
def test_damaged_real_files_never_escape(
    tmp_path: Path, cls: type, filename: str, at: float, cut: int, insert: str
):
    text = (ROOT / filename).read_text(encoding="utf-8")
    index = int(at * len(text))
    path = tmp_path / filename
    path.write_text(text[:index] + insert + text[index + cut :], encoding="utf-8")
    check(path, cls, filename)


@FUZZ
@given(insert=yaml_text, at=st.floats(0, 1))
def test_a_damaged_handbook_stops_with_located_problems(handbook_src: Path, insert: str, at: float):
    path = handbook_src / "_data" / "modules.yaml"
    original = (ROOT / "modules.yaml").read_text(encoding="utf-8")
    index = int(at * len(original))
    path.write_text(original[:index] + insert + original[index:], encoding="utf-8")
    try:
        load_course_data(handbook_src, "_data", "sessions")
    except CourseDataError as error:
        assert error.problems, "the build stopped without saying why"
        assert error.code == 2
