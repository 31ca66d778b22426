"""Read YAML into the typed model, collecting every problem with its file, line and column.

PyYAML's node tree keeps the position of every value, so each type error, missing key or
typo can be reported exactly where the maintainer has to fix it. The loader is total: bytes
that are not UTF-8, control characters, nesting that would exhaust the stack, numbers Python
cannot read and tags that ask for Python objects all become located problems, never
exceptions.
"""

from __future__ import annotations

import codecs
import copy
import dataclasses
import datetime as dt
import difflib
import os
import re
import types
import typing
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal, TypeVar, get_args, get_origin

import yaml
from yaml.composer import Composer
from yaml.resolver import Resolver

from .errors import Location, Problem, clip, shorten
from .model import MystText, Record
from .myst_field import refused_markup
from .names import (
    MAX_ITEMS,
    MAX_MARKS,
    MAX_MYST,
    MAX_NAME,
    Pattern,
    bidi_controls,
    has_visible,
    identity,
    mixed_script,
    odd_character,
    stacked_marks,
)

T = TypeVar("T")

_YAML = "tag:yaml.org,2002:"
_INT, _NULL, _BOOL, _MERGE_TAG = (f"{_YAML}{t}" for t in ("int", "null", "bool", "merge"))
_TEXT_TAGS = {f"{_YAML}{t}" for t in ("str", "int", "float", "timestamp")}
_PLAIN_TAGS = {f"{_YAML}{t}" for t in ("str", "int", "float", "bool", "null", "timestamp")}
_NODE_TAGS = {yaml.MappingNode: f"{_YAML}map", yaml.SequenceNode: f"{_YAML}seq"}
_TOP = "the file"
# Far deeper than any course file; shallow enough that Python's stack never runs out.
MAX_DEPTH = 40
MAX_DIGITS = 6
_NAME_LIMIT = (MAX_NAME, "a name or title")
_MYST_LIMIT = (MAX_MYST, "a MyST field")
# Far above any data file (the largest is tens of kilobytes); reading more is only a slow build.
MAX_FILE_BYTES = 4_000_000
# The longest escape a quoted scalar writes for one character, like \U0001F600.
_MAX_ESCAPE = 10
# Any edition's dates; far enough from year 1 and 9999 that a time zone cannot overflow them.
YEARS = (1970, 2999)
_DECIMAL = re.compile(r"[+-]?[0-9]+")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# What YAML itself refuses; we find them first to name each one with its line and column.
_NOT_YAML = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Where libyaml reads YAML differently from PyYAML (tests/test_loader_libyaml.py finds them):
# tabs, a byte order mark, Unicode line breaks, tags and complex keys (a word that starts with
# ``!`` or ``?``), document markers, and a block text's header with more than ``|`` or ``>``
# and a sign. A file holding one is parsed by PyYAML alone; a question ending in ``?`` is not.
_NOT_FOR_LIBYAML = re.compile(
    r"[\t\x85\u2028\u2029\ufeff]"
    r"|(?:^|[\s\[{,])[?!]"
    r"|^(?:---|\.\.\.)"
    r"|(?:^|\s)[|>](?![-+]?[ ]*$)",
    re.MULTILINE,
)
# A build loads the same files twice (Sphinx before reading pages, the link check to name the
# PDFs); the same bytes give the same frozen records and problems, so each file's outcome is
# kept by its bytes. A forked process (a mutation test's) loads afresh.
_LOADED: dict[tuple[Any, ...], tuple[Any, tuple[Problem, ...], tuple[Broken, ...]]] = {}
REMEMBERED = 32
EMPTY_FILE = "the file is empty"  # nothing but comments and blank lines
# The lines git writes around the two sides of a merge it could not finish, at a line's start.
_CONFLICT = re.compile(r"(<{7}|>{7})(?: |$)")
# What ends a line for YAML: CR LF, CR or LF, and NEL, LS and PS.
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_MERGE = (
    "an unfinished merge: git's conflict markers on lines {start} to {end}; keep the lines "
    "you mean and delete the markers (<<<<<<<, =======, >>>>>>>)"
)
_HALF_MERGE = (
    "git's conflict marker {marker} from an unfinished merge, without its other end; delete "
    "it and check the lines near it"
)
_CONTROL_NAMES = {"\x00": "NUL", "\x1b": "ESC", "\x7f": "DEL", "\x08": "backspace"}
_LISTED_CONTROLS = 10


class _Invalid(Exception):
    """Internal signal: this value was reported and cannot be built."""


class _TooDeep(yaml.MarkedYAMLError):
    """Raised by the composer before Python's own recursion limit is reached."""


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _tag(node: yaml.Node) -> str:
    return node.tag.replace(_YAML, "!!", 1)


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if node.tag == _NULL:
        return "nothing"
    if node.tag == _BOOL:
        return (
            f"{shorten(node.value)}, which YAML reads as a yes/no value: put it in quotes "
            "to keep it as text"
        )
    return shorten(node.value)


class _Located:
    """Composing shared by both parsers: a depth limit, and aliases located where they are used."""

    depth = 0

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:
        event = self.peek_event()  # type: ignore[attr-defined]
        if isinstance(event, yaml.AliasEvent):
            anchored = super().compose_node(parent, index)  # type: ignore[misc]
            used = copy.copy(anchored)
            used.start_mark, used.end_mark = event.start_mark, event.end_mark
            return used
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise _TooDeep(
                    problem=f"values nested more than {MAX_DEPTH} deep",
                    problem_mark=event.start_mark,
                )
            return super().compose_node(parent, index)  # type: ignore[misc]
        finally:
            self.depth -= 1


class _Composer(_Located, yaml.SafeLoader):
    """PyYAML's safe loader in pure Python: its error messages are the ones users see."""


if yaml.__with_libyaml__:  # PyYAML's wheels carry libyaml; a build from source may not
    from yaml.cyaml import CParser
else:  # pragma: no cover
    CParser = None


class _FastComposer(_Located, Composer, Resolver, CParser or object):
    """libyaml's parser in C under PyYAML's composer: the same nodes, several times faster.

    Only a file that parses is composed this way; a syntax error is parsed again by
    :class:`_Composer`, whose messages and marks the error reports are written for.
    """

    def __init__(self, stream: str) -> None:
        CParser.__init__(self, stream)
        Composer.__init__(self)
        Resolver.__init__(self)

    def compose_scalar_node(self, anchor: str | None) -> yaml.Node:
        node = super().compose_scalar_node(anchor)
        node.style = node.style or None  # libyaml says '' for plain text, PyYAML None
        return node


@dataclass
class Broken:
    """A record that could not be built, with the fields that could: checks skip it by id."""

    cls: type
    values: dict[str, Any]


@dataclass
class Reader:
    """Converts one file's node tree; ``problems`` collects everything that is wrong."""

    path: str
    source: str = ""
    text_of_file: str = ""
    problems: list[Problem] = field(default_factory=list)
    broken: list[Broken] = field(default_factory=list)

    def where(self, node: yaml.Node, *, column: bool = True) -> Location:
        mark = node.start_mark
        return Location(self.path, mark.line + 1, mark.column + 1 if column else 0)

    def fail(self, node: yaml.Node, message: str) -> _Invalid:
        self.problems.append(Problem(self.where(node), message))
        return _Invalid()

    def convert(self, node: yaml.Node, hint: Any, what: str, meta: Any = None) -> Any:
        expected = _NODE_TAGS.get(type(node))
        if node.tag not in ({expected} if expected else _PLAIN_TAGS):
            raise self.fail(
                node,
                f"{what} has the tag {shorten(_tag(node))}, which course data does not allow: "
                "remove the tag, the handbook reads plain YAML only",
            )
        return self._convert(node, hint, what, meta or {})

    def _convert(self, node: yaml.Node, hint: Any, what: str, meta: dict[str, Any]) -> Any:
        origin = get_origin(hint)
        if origin in (typing.Union, types.UnionType):
            options = [a for a in get_args(hint) if a is not type(None)]
            if node.tag == _NULL and len(options) < len(get_args(hint)):
                return None
            return self._convert(node, options[0], what, meta)
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
        if hint is str or hint is MystText:
            return self.text(node, what, meta, myst=hint is MystText)
        if hint is int:
            return self.number(node, what, positive=meta.get("positive", False))
        if hint is dt.date:
            return self.date(node, what)
        raise TypeError(f"the model uses a type the loader does not know: {hint!r}")

    def text(self, node: yaml.Node, what: str, meta: dict[str, Any], *, myst: bool) -> str:
        if not isinstance(node, yaml.ScalarNode) or node.tag not in _TEXT_TAGS:
            raise self.fail(node, f"{what} must be text, not {_describe(node)}")
        value: str = node.value
        limit, kind = meta.get("limit", _MYST_LIMIT if myst else _NAME_LIMIT)
        if len(value) > limit:
            raise self.fail(
                node,
                f"{what} is {len(value):,} characters long; {kind} holds at most {limit:,}: "
                "shorten it",
            )
        if odd := odd_character(value):
            raise self.fail(
                node,
                f"{what} holds the character {odd}, a control character or one no page can "
                "show (written with an escape like \\0 or \\x1b in quotes?): delete it",
            )
        if stacked_marks(value):
            raise self.fail(
                node,
                f"{what} stacks more than {MAX_MARKS} accents on one letter, which draws over "
                "the text around it: keep the accents the word needs",
            )
        pattern: Pattern | None = meta.get("pattern")
        if not has_visible(value):
            hidden = " once invisible characters are removed" if value.strip() else ""
            raise self.fail(node, f"{what} must not be empty{hidden}")
        if controls := bidi_controls(value):
            raise self.fail(
                node,
                f"{what} holds the invisible bidirectional control {controls[0]}, which can "
                "make text read differently from what it is: delete it",
            )
        if word := mixed_script(value):
            raise self.fail(
                node,
                f"{what} mixes Latin letters with Greek or Cyrillic ones that look alike: "
                f"{clip(word, 120)}; write the word in one alphabet",
            )
        if pattern is not None and not pattern.matches(value):
            raise self.fail(node, f"{what} must be {pattern.described}, not {shorten(value)}")
        if pattern is not None and value in pattern.reserved:
            raise self.fail(
                node,
                f"{what} must not be {value!r}: Windows keeps that name for a device, so a "
                "clone of the repository there cannot hold it; choose another name",
            )
        if not myst:
            return value
        text = MystText(value).at(self.source, _char_lines(self.text_of_file, node))
        seen: dict[tuple[int, str], int] = {}
        for offset, message, written in refused_markup(value):
            nth = seen[offset, written] = seen.get((offset, written), -1) + 1
            line = text.line_of(offset, written, nth)
            self.problems.append(Problem(Location(self.path, line), message))
        return text

    def number(self, node: yaml.Node, what: str, *, positive: bool) -> int:
        if isinstance(node, yaml.ScalarNode) and node.style and _DECIMAL.fullmatch(node.value):
            raise self.fail(
                node,
                f"{what} must be a whole number, not the text {shorten(node.value)}: "
                "remove the quotes",
            )
        if not isinstance(node, yaml.ScalarNode) or node.tag != _INT:
            raise self.fail(node, f"{what} must be a whole number, not {_describe(node)}")
        value: str = node.value
        if ":" in value:
            raise self.fail(
                node,
                f"{what} must be a whole number, not {shorten(value)} "
                "(YAML reads it as a time in base 60)",
            )
        digits = value.lstrip("+-")
        if not _DECIMAL.fullmatch(value) or (len(digits) > 1 and digits.startswith("0")):
            raise self.fail(
                node,
                f"{what} must be a whole number written with the digits 0-9, "
                f"like 5, not {shorten(value)}",
            )
        if len(digits) > MAX_DIGITS:
            raise self.fail(
                node, f"{what} must have at most {MAX_DIGITS} digits, not {len(digits):,}"
            )
        number = int(value)
        if positive and number <= 0:
            raise self.fail(node, f"{what} must be above 0, not {number}")
        return number

    def date(self, node: yaml.Node, what: str) -> dt.date:
        wrong = f"{what} must be a date written YYYY-MM-DD, not {_describe(node)}"
        if not isinstance(node, yaml.ScalarNode) or not _ISO_DATE.fullmatch(node.value):
            raise self.fail(node, wrong)
        try:
            day = dt.date.fromisoformat(node.value)
        except ValueError:
            raise self.fail(
                node, f"{what}: {shorten(node.value)} is not a day of the calendar"
            ) from None
        if not YEARS[0] <= day.year <= YEARS[1]:
            raise self.fail(
                node,
                f"{what}: {day} is not a year of a course edition (years {YEARS[0]} to "
                f"{YEARS[1]}); is the year mistyped?",
            )
        return day

    def sequence(self, node: yaml.Node, item: Any, what: str) -> tuple[Any, ...]:
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, f"{what} must be a list, not {_describe(node)}")
        if len(node.value) > MAX_ITEMS:
            raise self.fail(
                node,
                f"{what} has {len(node.value):,} items; a list in course data holds at most "
                f"{MAX_ITEMS:,}: is it a mistake, or should it be split?",
            )
        values = []
        first: dict[object, int] = {}  # a list of plain values names each once
        for index, child in enumerate(node.value, start=1):
            try:
                value = self.convert(child, item, f"{what} item {index}")
            except _Invalid:
                continue
            same = identity(value) if isinstance(value, str) else value
            if isinstance(value, str | dt.date) and same in first:
                self.fail(
                    child,
                    f"{what} item {index}, {shorten(str(value))}, repeats item {first[same]}: "
                    "list each once",
                )
                continue
            first.setdefault(same, index)
            values.append(value)
        return tuple(values)

    def key(self, node: yaml.Node, what: str) -> str:
        if not isinstance(node, yaml.ScalarNode):
            raise self.fail(node, f"a key in {what} must be a name, not {_describe(node)}")
        if node.tag not in _PLAIN_TAGS:
            merge = node.tag == _MERGE_TAG  # '<<', which copies the keys of another mapping
            raise self.fail(
                node,
                f"the key {shorten(node.value)} in {what} has the tag "
                f"{shorten(_tag(node))}, which course data does not allow"
                f"{': write out the keys it would copy' if merge else ''}",
            )
        return node.value

    def record(self, node: yaml.Node, cls: type[T], what: str) -> T:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(
                node, f"{what} must be a mapping of keys to values, not {_describe(node)}"
            )
        if len(node.value) > MAX_ITEMS:  # each unknown key would be a problem of its own
            raise self.fail(
                node, f"{what} has {len(node.value):,} keys; a record has at most {MAX_ITEMS:,}"
            )
        hints = _hints(cls)
        fields = {f.name: f for f in dataclasses.fields(cls) if f.name != "where"}
        seen: set[str] = set()
        values: dict[str, Any] = {}
        spots: dict[str, Location] = {}
        meant: set[str] = set()  # the keys that unknown keys resemble
        broken = unread = False
        for key_node, value_node in node.value:
            try:
                key = self.key(key_node, what)
            except _Invalid:
                broken = unread = True  # it may stand for any key: none is missing for sure
                continue
            if key in seen:
                self.fail(key_node, f"key {shorten(key)} appears twice in {what}")
                broken = True
                continue
            seen.add(key)
            spots[key] = self.where(value_node, column=False)
            if isinstance(value_node, yaml.SequenceNode):  # each item of a list, as key[0]...
                for index, item in enumerate(value_node.value):
                    spots[f"{key}[{index}]"] = self.where(item, column=False)
            if key not in fields:
                close = difflib.get_close_matches(key, fields, n=1)
                meant.update(close)
                hint = (
                    f"did you mean {close[0]!r}?" if close else f"known keys: {', '.join(fields)}"
                )
                self.fail(key_node, f"unknown key {shorten(key)} in {what} ({hint})")
                broken = True
                continue
            child = key if what == _TOP else f"{key!r} of {what}"
            try:
                values[key] = self.convert(value_node, hints[key], child, fields[key].metadata)
            except _Invalid:
                broken = True
                continue
            if (
                fields[key].metadata.get("nonempty")
                and isinstance(value_node, yaml.SequenceNode)
                and not value_node.value
            ):
                del values[key]  # unread, like a wrong value: no check reports what it lacks
                self.fail(
                    value_node,
                    f"{child} is an empty list: it needs at least one item, or the page that "
                    "shows it has nothing to show",
                )
                broken = True
        for name, f in fields.items():
            # A misspelt or unreadable key is one mistake, not also a missing key.
            if _required(f) and name not in seen | meant and not unread:
                self.problems.append(
                    Problem(
                        self.where(node, column=False),
                        f"{what} is missing the required key {name!r}",
                    )
                )
                broken = True
        if broken:
            self.broken.append(Broken(cls, values))
            raise _Invalid()
        record: Record = cls(where=self.where(node, column=False), **values)  # type: ignore[call-arg]
        return record.placed(spots)  # type: ignore[return-value]


def _required(f: dataclasses.Field[Any]) -> bool:
    return f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING


def _char_lines(text: str, node: yaml.ScalarNode) -> list[int]:
    """The line of the file (from 1) that each character of a scalar's value was written on.

    A literal block keeps its lines, but a folded block, a quoted or a plain scalar over several
    lines joins them, and quotes escape characters; only the white space differs otherwise. So
    each visible character is matched to the next same character of the source; the escapes
    between are skipped, and white space takes the line of the next visible character.
    """
    value, end = node.value, node.end_mark.index
    position = node.start_mark.index
    if node.style == "|":  # each line of the text is the next line of the file
        first = node.start_mark.line + 2
        each = [n for n, part in enumerate(value.split("\n"), first) for _ in range(len(part) + 1)]
        return [*each[: len(value)], first + value.count("\n")]
    if node.style == ">":  # the header line (> with its indicators) holds no text
        position = text.find("\n", position, end) + 1 or end
    line = text.count("\n", 0, position) + 1
    lines: list[int | None] = []
    for char in value:
        if char.isspace():
            lines.append(None)
            continue
        found, skipped = position, 0
        while found < end and text[found] != char and skipped <= _MAX_ESCAPE:
            skipped += not text[found].isspace()
            found += 1
        if found < end and text[found] == char:
            line += text.count("\n", position, found)
            position = found + 1
        lines.append(line)
    following = line
    for index in reversed(range(len(lines))):
        following = lines[index] = lines[index] or following
    return [*lines, line]  # one past the end: the line of the end of the value


def _position(text: str, index: int) -> tuple[int, int]:
    """Line and column (from 1) of a character index, as YAML and an editor count them.

    A line ends where YAML's does (so at a lone CR too, as in files from old Macs), and a
    byte order mark at the start of the file is no column.
    """
    breaks = list(_LINE_BREAK.finditer(text, 0, index))
    line_start = breaks[-1].end() if breaks else int(text.startswith("\ufeff"))
    return len(breaks) + 1, index - line_start + 1


def _decode(raw: bytes, shown: str) -> str | Problem:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # "Unicode" in Notepad
        return Problem(
            Location(shown, 1, 1),
            "the file is UTF-16, not UTF-8 (some Windows editors call UTF-16 'Unicode'); "
            "save the file with the encoding UTF-8",
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        before = raw[: error.start].decode("utf-8")  # all is UTF-8 up to the first bad byte
        line, column = _position(before, len(before))
        return Problem(
            Location(shown, line, column),
            f"the file is not UTF-8: byte 0x{raw[error.start]:02X} cannot be read (Latin-1 or "
            "Windows-1252 perhaps); save the file with the encoding UTF-8",
        )


def conflicts(text: str) -> list[tuple[int, str]]:
    """Each unfinished merge git left in ``text``: its first line (from 1) and what to do.

    A conflict runs from ``<<<<<<<`` to ``>>>>>>>``; either one alone (half a conflict
    cleaned up) counts too. A lone ``=======`` is left alone: Markdown underlines a heading so.
    """
    found: list[tuple[int, str]] = []
    start = 0
    for number, line in enumerate(_LINE_BREAK.split(text.removeprefix("\ufeff")), start=1):
        marker = _CONFLICT.match(line)
        kind = marker.group(1) if marker else ""
        if kind.startswith(">") and start:
            found.append((start, _MERGE.format(start=start, end=number)))
            start = 0
        elif kind.startswith("<") and not start:
            start = number
        elif kind:
            found.append((number, _HALF_MERGE.format(marker=kind)))
    if start:
        found.append((start, _HALF_MERGE.format(marker="<" * 7)))
    return found


def _unprintable(text: str, shown: str) -> list[Problem]:
    found = list(_NOT_YAML.finditer(text))
    problems = []
    for match in found[:_LISTED_CONTROLS]:
        char = match.group()
        name = _CONTROL_NAMES.get(char, f"U+{ord(char):04X}")
        problems.append(
            Problem(
                Location(shown, *_position(text, match.start())),
                f"the control character {name} cannot be in a YAML file: delete it",
            )
        )
    if len(found) > _LISTED_CONTROLS:
        problems.append(
            Problem(
                Location(shown),
                f"and {len(found) - _LISTED_CONTROLS:,} more control characters after these",
            )
        )
    return problems


def _runaway_quote(text: str, line: int) -> yaml.Token | None:
    """A quoted value over several lines that ends where parsing failed: a lost closing quote.

    YAML lets quoted text span lines, so a missing quote only shows where the next quote
    closes it, often many lines below the mistake.
    """
    found = None
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if token.start_mark.line > line:
                break
            if (
                isinstance(token, yaml.ScalarToken)
                and token.style in ('"', "'")
                and token.start_mark.line < token.end_mark.line == line
            ):
                found = token
    except yaml.YAMLError:
        pass
    return found


def _syntax_problem(error: yaml.YAMLError, text: str, shown: str) -> Problem:
    if not isinstance(error, yaml.MarkedYAMLError):
        return Problem(Location(shown, 1), f"not valid YAML: {shorten(str(error))}")
    if error.problem_mark and (quote := _runaway_quote(text, error.problem_mark.line)):
        start = quote.start_mark
        return Problem(
            Location(shown, start.line + 1, start.column + 1),
            f"not valid YAML: the quoted text that starts here runs on to line "
            f"{quote.end_mark.line + 1}; is its closing quote missing? ({error.problem})",
        )
    context = error.context or ""
    # A quote or key left open: the place it started is the place to fix.
    opened = context.startswith("while scanning") and error.context_mark is not None
    mark = error.context_mark if opened else error.problem_mark or error.context_mark
    message = f"not valid YAML: {error.problem}"
    if opened:
        what = context.removeprefix("while scanning ").replace("scalar", "text")
        message = f"not valid YAML: {what.replace('simple key', 'key')} that starts here is "
        message += f"not closed ({error.problem} at line {error.problem_mark.line + 1})"
    elif context.startswith("while") and error.context_mark is not None:
        message += f" ({context} started at line {error.context_mark.line + 1})"
    elif context and error.context_mark is not None:
        message = f"not valid YAML: {context} (from line {error.context_mark.line + 1}), "
        message += f"{error.problem}"
    if "'\\t'" in message:
        message += "; YAML indents with spaces, not tabs"
    if mark is None:
        return Problem(Location(shown, 1), message)
    return Problem(Location(shown, mark.line + 1, mark.column + 1), message)


def _compose(text: str, shown: str) -> yaml.Node | Problem | None:
    if CParser is not None and not _NOT_FOR_LIBYAML.search(text):
        try:
            return _parse(_FastComposer, text)
        except Exception:  # parsed again below, where every error is located
            pass
    try:
        return _parse(_Composer, text)
    except yaml.YAMLError as error:
        return _syntax_problem(error, text, shown)


def _parse(composer: type[_Composer | _FastComposer], text: str) -> yaml.Node | None:
    loader = composer(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def load_file(
    path: Path, cls: type[T], shown_as: str
) -> tuple[T | None, list[Problem], list[Broken]]:
    """Load one data file as ``cls``; ``shown_as`` is the path used in messages.

    Returns the record (``None`` if the file as a whole cannot be built), every problem, and
    the records that could not be built, so that cross-checks can skip exactly those.
    """
    if path.exists() and not path.is_file() and not path.is_dir():  # a pipe waits forever
        return None, [Problem(Location(shown_as), "cannot read the file: not a regular file")], []
    try:
        with path.open("rb") as handle:  # never more than the limit, whatever the file's size
            raw = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        return None, [Problem(Location(shown_as), "this data file is missing: create it")], []
    except OSError as error:
        reason = error.strerror or type(error).__name__
        return None, [Problem(Location(shown_as), f"cannot read the file: {reason}")], []
    if len(raw) > MAX_FILE_BYTES:
        return None, [_too_big(shown_as)], []
    key = (os.getpid(), raw, cls, shown_as, str(path.resolve()))
    if key not in _LOADED:
        if len(_LOADED) >= REMEMBERED:
            _LOADED.clear()
        _LOADED[key] = _load_bytes(raw, cls, shown_as, key[-1])
    value, problems, broken = _LOADED[key]
    return value, list(problems), list(broken)


def _too_big(shown: str) -> Problem:
    return Problem(
        Location(shown),
        f"the file is over {MAX_FILE_BYTES:,} bytes, far more than course data needs: "
        "is a value pasted in by mistake?",
    )


def _load_bytes(
    raw: bytes, cls: type[T], shown_as: str, source: str
) -> tuple[T | None, tuple[Problem, ...], tuple[Broken, ...]]:
    """Load the bytes of one file (:func:`load_file` remembers the outcome)."""
    text = _decode(raw, shown_as)
    if isinstance(text, Problem):
        return None, (text,), ()
    # YAML reads CR LF and a lone CR as LF; so do the MyST fields' line counts, after this.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if problems := _unprintable(text, shown_as):
        return None, tuple(problems), ()
    if merges := conflicts(text):  # YAML would read the markers as text, or fail on them
        return None, tuple(Problem(Location(shown_as, n, 1), why) for n, why in merges), ()
    node = _compose(text, shown_as)
    if isinstance(node, Problem):
        return None, (node,), ()
    if node is None:
        return None, (Problem(Location(shown_as, 1), EMPTY_FILE),), ()
    reader = Reader(shown_as, source, text)
    try:
        value = reader.record(node, cls, _TOP)
    except _Invalid:
        value = None
    return value, tuple(reader.problems), tuple(reader.broken)
