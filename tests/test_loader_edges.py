"""Edges of the loader's rules that ``nox -s mutants`` found untested.

Each test names the value a maintainer writes and the located message (or the record) that
must come out.

The records are small ones made for the test, as in tests/test_loader_messages.py; every
message is checked with its file, line and column, since those are what the maintainer reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from mlops_handbook import loader
from mlops_handbook.loader import load_file
from mlops_handbook.model import MystText, Record
from mlops_handbook.names import positive


@dataclass(frozen=True, kw_only=True)
class Counts(Record):
    size: int = 0
    weeks: int = field(default=1, metadata=positive())


def load(tmp_path: Path, text: str, cls: type = Counts) -> tuple[object, list[str]]:
    """The record (or None) and each problem as the build prints it."""
    path = tmp_path / "counts.yaml"
    path.write_text(text, encoding="utf-8")
    value, problems, _broken = load_file(path, cls, "data/counts.yaml")
    return value, [str(p) for p in problems]


NOT_DIGITS = "size must be a whole number written with the digits 0-9, like 5, not"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("05", f"{NOT_DIGITS} '05'"),
        ("+05", f"{NOT_DIGITS} '+05'"),
        ("-05", f"{NOT_DIGITS} '-05'"),
        ("1234567", "size must have at most 6 digits, not 7"),
        ("-1234567", "size must have at most 6 digits, not 7"),
    ],
)
def test_a_number_with_a_leading_zero_or_too_many_digits_is_refused(
    tmp_path: Path, value: str, message: str
):
    assert load(tmp_path, f"size: {value}\n") == (None, [f"data/counts.yaml:1:7: {message}"])


@pytest.mark.parametrize(
    ("value", "size"), [("0", 0), ("-0", 0), ("+7", 7), ("123456", 123456), ("-123456", -123456)]
)
def test_a_number_at_the_edge_of_the_rules_is_read(tmp_path: Path, value: str, size: int):
    assert load(tmp_path, f"size: {value}\n") == (Counts(size=size), [])


def test_a_count_must_be_above_zero_and_one_is(tmp_path: Path):
    assert load(tmp_path, "weeks: 1\n") == (Counts(weeks=1), [])
    assert load(tmp_path, "weeks: 0\n") == (
        None,
        ["data/counts.yaml:1:8: weeks must be above 0, not 0"],
    )


@dataclass(frozen=True, kw_only=True)
class Note(Record):
    name: str = "note"
    body: MystText | None = None


def test_a_bidirectional_control_is_named_with_the_reason_and_the_fix(tmp_path: Path):
    assert load(tmp_path, "name: a \u202eb\n", Note) == (
        None,
        [
            "data/counts.yaml:1:7: name holds the invisible bidirectional control U+202E, "
            "which can make text read differently from what it is: delete it"
        ],
    )


@pytest.mark.parametrize("style", ["|", ">", "|-", ">+"])
def test_markup_in_a_block_text_is_located_on_the_line_after_its_indicator(
    tmp_path: Path, style: str
):
    """A block text starts on the line below ``|`` or ``>``: that is the line to edit."""
    _, problems = load(tmp_path, f"name: n\nbody: {style}\n  <b>bold</b> words\n", Note)
    assert problems[0] == (
        "data/counts.yaml:3: raw HTML '<b>' is not allowed in course data; write it in MyST"
    )


@pytest.mark.parametrize(
    ("text", "line"), [("body: |\n  some *words*\n", 3), ("body: plain *words*\n", 2)]
)
def test_a_myst_text_remembers_its_file_and_first_line_for_later_warnings(
    tmp_path: Path, text: str, line: int
):
    note, problems = load(tmp_path, f"name: n\n{text}", Note)
    assert problems == [] and isinstance(note, Note) and note.body is not None
    where = str((tmp_path / "counts.yaml").resolve())
    assert (note.body.source, note.body.line) == (where, line)


@pytest.mark.parametrize(
    ("text", "body"),
    [("body: |\n  some *words*\n", "some *words*\n"), ("body: plain *words*\n", "plain *words*")],
)
def test_a_myst_text_keeps_its_words(tmp_path: Path, text: str, body: str):
    note, problems = load(tmp_path, f"name: n\n{text}", Note)
    assert problems == [] and isinstance(note, Note)
    assert note.body == body


def test_a_tag_is_refused_with_the_fix(tmp_path: Path):
    assert load(tmp_path, "name: !!binary aGk=\n", Note) == (
        None,
        [
            "data/counts.yaml:1:7: name has the tag '!!binary', which course data does not "
            "allow: remove the tag, the handbook reads plain YAML only"
        ],
    )


@dataclass(frozen=True, kw_only=True)
class Either(Record):
    value: str | int


def test_nothing_is_refused_where_the_type_does_not_allow_it(tmp_path: Path):
    """Only ``X | None`` lets a key be left empty; a union of two types still needs a value."""
    assert load(tmp_path, "value:\n", Either) == (
        None,
        ["data/counts.yaml:1:7: value must be text, not nothing"],
    )


def test_a_tagged_key_is_named_with_its_text_and_tag(tmp_path: Path):
    assert load(tmp_path, "size: 1\n!!binary aGk=: 2\n") == (
        None,
        [
            "data/counts.yaml:2:1: the key 'aGk=' in the file has the tag '!!binary', which "
            "course data does not allow"
        ],
    )


def test_a_key_written_twice_leaves_no_record_to_build_on(tmp_path: Path):
    """Which of the two values was meant is unknown: the record is not built from the first."""
    assert load(tmp_path, "size: 1\nsize: 2\n") == (
        None,
        ["data/counts.yaml:2:1: key 'size' appears twice in the file"],
    )


def test_the_keys_after_one_written_twice_are_still_checked(tmp_path: Path):
    _, problems = load(tmp_path, "size: 1\nsize: 2\ncolour: red\n")
    assert problems == [
        "data/counts.yaml:2:1: key 'size' appears twice in the file",
        "data/counts.yaml:3:1: unknown key 'colour' in the file (known keys: size, weeks)",
    ]


NOT_UTF8 = (
    "the file is not UTF-8: byte 0xF6 cannot be read (Latin-1 or Windows-1252 perhaps); save "
    "the file with the encoding UTF-8"
)


@pytest.mark.parametrize(
    ("raw", "where"),
    [
        (b"\n\xf6\n", "2:1"),  # the only line break before it is the file's first byte
        (b"size: 1\nname: caf\xc3\xa9 \xf6\n", "2:12"),  # a character of two bytes is one column
    ],
)
def test_a_byte_that_is_not_utf8_is_located_as_an_editor_counts(
    tmp_path: Path, raw: bytes, where: str
):
    path = tmp_path / "counts.yaml"
    path.write_bytes(raw)
    value, problems, _broken = load_file(path, Counts, "data/counts.yaml")
    assert (value, [str(p) for p in problems]) == (None, [f"data/counts.yaml:{where}: {NOT_UTF8}"])


def test_a_control_character_without_a_name_is_named_by_its_code_point(tmp_path: Path):
    assert load(tmp_path, "size: 1\nname: a\x01b\n") == (
        None,
        ["data/counts.yaml:2:8: the control character U+0001 cannot be in a YAML file: delete it"],
    )


@pytest.mark.parametrize(("count", "more"), [(10, []), (11, ["and 1 more"]), (12, ["and 2 more"])])
def test_ten_control_characters_are_listed_and_the_rest_counted(
    tmp_path: Path, count: int, more: list[str]
):
    _, problems = load(tmp_path, "size: 1\n" + "\x7f" * count + "\n")
    listed = [f"data/counts.yaml:2:{column}: the control character DEL" for column in range(1, 11)]
    assert [p.split(" cannot")[0] for p in problems] == listed + [
        f"data/counts.yaml: {m} control characters after these" for m in more
    ]


def test_a_file_that_cannot_be_read_is_named_with_the_reason(tmp_path: Path):
    value, problems, _broken = load_file(tmp_path, Counts, "data/counts.yaml")  # a folder
    assert (value, [str(p) for p in problems]) == (
        None,
        ["data/counts.yaml: cannot read the file: Is a directory"],
    )


def test_a_read_error_without_a_description_is_named_by_its_kind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    def fail(_path: Path, _mode: str) -> bytes:
        raise PermissionError

    monkeypatch.setattr(Path, "open", fail)
    _, problems, _broken = load_file(tmp_path / "counts.yaml", Counts, "data/counts.yaml")
    assert [str(p) for p in problems] == ["data/counts.yaml: cannot read the file: PermissionError"]


def test_the_outcomes_kept_by_their_bytes_stay_few(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A long session of edits loads many versions of a file: the store of outcomes stays small."""
    monkeypatch.setattr(loader, "_LOADED", {})
    for size in range(loader.REMEMBERED + 1):
        assert load(tmp_path, f"size: {size}\n")[0] == Counts(size=size)
    assert len(loader._LOADED) <= loader.REMEMBERED


@pytest.mark.skipif(loader.CParser is None, reason="PyYAML without libyaml")
@pytest.mark.parametrize(
    ("text", "parsers"),
    [
        ("size: 1\n", ["_FastComposer"]),
        ("size: &n 1\nweeks: *n\n", ["_FastComposer"]),  # an alias of a text, found by libyaml
        ("size:\t1\n", ["_Composer"]),  # a tab: libyaml may read it otherwise
        ("size: 1\n--- \n", ["_Composer"]),  # a document marker, likewise
    ],
)
def test_plain_yaml_is_parsed_once_by_libyaml_and_the_rest_by_pyyaml_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, parsers: list[str]
):
    """Counts the parses of one file: libyaml is several times faster, never a second try."""
    used: list[str] = []
    parse = loader._parse

    def counted(composer: type, source: str) -> object:
        used.append(getattr(composer, "__name__", repr(composer)))
        return parse(composer, source)

    monkeypatch.setattr(loader, "_parse", counted)
    monkeypatch.setattr(loader, "_LOADED", {})
    load(tmp_path, text)
    assert used == parsers
