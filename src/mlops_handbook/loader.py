"""Read YAML into the typed model, collecting every problem with its file and line.

PyYAML's node tree keeps the position of every value, so each type error, missing key or
typo can be reported exactly where the maintainer has to fix it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import types
import typing
from functools import cache
from pathlib import Path
from typing import Any, Literal, TypeVar, get_args, get_origin

import yaml

from .errors import Location, Problem

T = TypeVar("T")

_TEXT_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "timestamp")}
_NULL_TAG = "tag:yaml.org,2002:null"
_TOP = "the file"


class _Invalid(Exception):
    """Internal signal: this value was reported and cannot be built."""


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if node.tag == _NULL_TAG:
        return "nothing"
    return repr(node.value)


class _Reader:
    """Converts one file's node tree; ``problems`` collects everything that is wrong."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def where(self, node: yaml.Node) -> Location:
        return Location(self.path, node.start_mark.line + 1)

    def fail(self, node: yaml.Node, message: str) -> _Invalid:
        self.problems.append(Problem(self.where(node), message))
        return _Invalid()

    def convert(self, node: yaml.Node, hint: Any, what: str) -> Any:
        origin = get_origin(hint)
        if origin in (typing.Union, types.UnionType):
            options = [a for a in get_args(hint) if a is not type(None)]
            if node.tag == _NULL_TAG and len(options) < len(get_args(hint)):
                return None
            return self.convert(node, options[0], what)
        if origin is Literal:
            allowed = get_args(hint)
            if not isinstance(node, yaml.ScalarNode) or node.value not in allowed:
                raise self.fail(
                    node, f"{what} must be one of {', '.join(allowed)}, not {_describe(node)}"
                )
            return node.value
        if origin is tuple:
            return self.sequence(node, get_args(hint)[0], what)
        if dataclasses.is_dataclass(hint):
            return self.record(node, hint, what)
        if hint is str:
            if not isinstance(node, yaml.ScalarNode) or node.tag not in _TEXT_TAGS:
                raise self.fail(node, f"{what} must be text, not {_describe(node)}")
            if not node.value.strip():
                raise self.fail(node, f"{what} must not be empty")
            return node.value
        if hint is int:
            if node.tag != "tag:yaml.org,2002:int":
                raise self.fail(node, f"{what} must be a whole number, not {_describe(node)}")
            return int(node.value)
        if hint is dt.date:
            try:
                if not isinstance(node, yaml.ScalarNode):
                    raise ValueError
                return dt.date.fromisoformat(node.value)
            except ValueError:
                raise self.fail(
                    node, f"{what} must be a date written YYYY-MM-DD, not {_describe(node)}"
                ) from None
        raise TypeError(f"the model uses a type the loader does not know: {hint!r}")

    def sequence(self, node: yaml.Node, item: Any, what: str) -> tuple[Any, ...]:
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, f"{what} must be a list, not {_describe(node)}")
        values = []
        for index, child in enumerate(node.value, start=1):
            try:
                values.append(self.convert(child, item, f"{what} item {index}"))
            except _Invalid:
                continue
        return tuple(values)

    def record(self, node: yaml.Node, cls: type[T], what: str) -> T:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(
                node, f"{what} must be a mapping of keys to values, not {_describe(node)}"
            )
        hints = _hints(cls)
        fields = {f.name: f for f in dataclasses.fields(cls) if f.name != "where"}
        seen: dict[str, yaml.Node] = {}
        values: dict[str, Any] = {}
        broken = False
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in seen:
                self.fail(key_node, f"key {key!r} appears twice in {what}")
                broken = True
                continue
            seen[key] = key_node
            if key not in fields:
                close = difflib.get_close_matches(key, fields, n=1)
                hint = (
                    f"did you mean {close[0]!r}?" if close else f"known keys: {', '.join(fields)}"
                )
                self.fail(key_node, f"unknown key {key!r} in {what} ({hint})")
                broken = True
                continue
            child = key if what == _TOP else f"{key!r} of {what}"
            try:
                values[key] = self.convert(value_node, hints[key], child)
            except _Invalid:
                broken = True
        for name, f in fields.items():
            required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
            if required and name not in seen:
                self.fail(node, f"{what} is missing the required key {name!r}")
                broken = True
        if broken:
            raise _Invalid()
        return cls(where=self.where(node), **values)


def load_file(path: Path, cls: type[T], shown_as: str) -> tuple[T | None, list[Problem]]:
    """Load one data file as ``cls``; ``shown_as`` is the path used in messages."""
    reader = _Reader(shown_as)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        return None, [Problem(Location(shown_as, 0), f"cannot read the file: {error.strerror}")]
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 0
        return None, [Problem(Location(shown_as, line), f"not valid YAML: {error.problem}")]
    if node is None:
        return None, [Problem(Location(shown_as, 1), "the file is empty")]
    try:
        return reader.record(node, cls, _TOP), reader.problems
    except _Invalid:
        return None, reader.problems
