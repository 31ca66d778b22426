"""The stylesheet cut in two: the rules the pages' markup can match, and the rules for states.

A phone paints nothing before the head's stylesheet has arrived, and on a slow connection
every kilobyte of it is time before the first paint. About a third of the theme's rules
style what only scripts make: an open menu (``.dropdown-menu.show``), tooltips, the search
results, copy buttons. No element of a page as served can match them, so they cannot change
its first paint. They go to a second stylesheet linked at the very end of the body: the page
above it paints without waiting for it, and the browser runs the deferred scripts only once
it has arrived, so no state a script sets is drawn without its rules.

A rule is kept in the head when every compound of its selectors (``ul.nav``, ``.show``)
could match an element of some page's markup, pseudo-classes and attributes aside (so
``:hover`` and ``[data-theme=dark]`` rules stay), or names a word an inline script of a page
uses (it may set it before the first paint). Moving a rule to the end changes the cascade
where a later rule of the head, of the same specificity, sets the same property (or a longhand
of the same shorthand): such a rule stays in the head too, so every element ends up with the
styles it had.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache

from .css import Group, Rule, compile_sheet
from .css import selectors as split_selectors

TAG = re.compile(r"<([a-zA-Z][\w-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
CLASS_ATTRIBUTE = re.compile(r"\sclass\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'>]+))", re.I)
ID_ATTRIBUTE = re.compile(r"\sid\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'>]+))", re.I)
INLINE_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.S | re.I)
WORD = re.compile(r"[\w-]+")
NESTED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
PSEUDO = re.compile(r"::?[\w-]+")
TYPE = re.compile(r"\*|[a-zA-Z][\w-]*")
CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
ID = re.compile(r"#(-?[_a-zA-Z][\w-]*)")
LICENCE = re.compile(r"/\*!.*?\*/", re.S)
DECLARATION = re.compile(r"(?:^|;)\s*(-?-?[\w-]+)\s*:")
# Pseudo-elements written with one colon (CSS 2), counted as elements.
LEGACY_ELEMENTS = {"before", "after", "first-line", "first-letter"}
# Pseudo-classes whose specificity is their most specific argument's (:where counts nothing).
TAKES_ARGUMENT = {"not", "is", "has", "matches", "-webkit-any", "-moz-any"}


@dataclass(frozen=True)
class Element:
    tag: str
    classes: frozenset[str]
    id: str | None


def attribute(pattern: re.Pattern[str], attributes: str) -> str | None:
    found = pattern.search(attributes)
    return None if found is None else next(v for v in found.groups() if v is not None)


PageMarkup = tuple[frozenset[Element], frozenset[str]]


def page_markup(page: str) -> PageMarkup:
    """The elements ``page`` is served with, and the words of its inline scripts."""
    scripted: set[str] = set()
    for script in INLINE_SCRIPT.findall(page):
        scripted.update(WORD.findall(script))
    elements = set()
    for tag in TAG.finditer(INLINE_SCRIPT.sub("", page)):
        classes = attribute(CLASS_ATTRIBUTE, tag[2]) or ""
        elements.add(
            Element(tag[1].lower(), frozenset(classes.split()), attribute(ID_ATTRIBUTE, tag[2]))
        )
    return frozenset(elements), frozenset(scripted)


@dataclass
class Markup:
    """The elements the site's pages are served with, and the words their inline scripts use."""

    elements: set[Element] = field(default_factory=set)
    scripted: set[str] = field(default_factory=set)
    _by_class: dict[str, list[Element]] = field(default_factory=dict)
    _seen: dict[str, bool] = field(default_factory=dict)

    @classmethod
    def of(cls, pages: Iterable[str]) -> Markup:
        return cls.joined(page_markup(page) for page in pages)

    @classmethod
    def joined(cls, parts: Iterable[PageMarkup]) -> Markup:
        """The markup of a site from that of each of its pages (:func:`page_markup`)."""
        markup = cls()
        for elements, scripted in parts:
            markup.elements |= elements
            markup.scripted |= scripted
        for element in markup.elements:
            for name in element.classes:
                markup._by_class.setdefault(name, []).append(element)
        return markup

    def fingerprint(self) -> str:
        """The elements and scripts' words as one text: what a split of a sheet depends on."""
        elements = sorted(repr((e.tag, e.id, sorted(e.classes))) for e in self.elements)
        return "\n".join([*elements, "\0", *sorted(self.scripted)])

    def has(self, compound: str) -> bool:
        """Whether some element could match ``compound``, pseudo-classes and attributes aside."""
        if compound not in self._seen:
            self._seen[compound] = self._has(compound)
        return self._seen[compound]

    def _has(self, compound: str) -> bool:
        bare = compound
        while (inner := NESTED.sub("", bare)) != bare:
            bare = inner
        found = TYPE.match(bare)
        tag = found[0].lower() if found else "*"
        classes = {c for c in CLASS.findall(bare) if c not in self.scripted}
        ids = {i for i in ID.findall(bare) if i not in self.scripted}
        if tag in self.scripted:
            tag = "*"
        candidates: Iterable[Element] = self.elements
        if classes:
            candidates = self._by_class.get(min(classes), [])
        return any(
            tag in ("*", e.tag) and classes <= e.classes and ids <= {e.id} for e in candidates
        )

    def may_match(self, selector: str) -> bool:
        """Whether ``selector`` could match an element of a page before its scripts run."""
        if "\\" in selector:
            return True
        return all(self.has(c) for c in compounds(selector))


def compounds(selector: str) -> list[str]:
    """The compound selectors of ``selector``: ``ul.nav > li a`` gives ``ul.nav``, ``li``, ``a``."""
    parts, depth, start = [], 0, 0
    for found in re.finditer(r"[()\[\]]|\s*[>+~]\s*|\s+", selector):
        text = found[0]
        if text in "([":
            depth += 1
        elif text in ")]":
            depth -= 1
        elif depth == 0:
            parts.append(selector[start : found.start()])
            start = found.end()
    parts.append(selector[start:])
    return [p for p in parts if p]


def specificity(selector: str) -> tuple[int, int, int]:
    """The selector's specificity: (ids, classes, attributes and pseudo-classes, types)."""
    ids = classes = types = 0
    i = 0
    while i < len(selector):
        char = selector[i]
        if char == "#":
            ids += 1
            i = skip_name(selector, i + 1)
        elif char == ".":
            classes += 1
            i = skip_name(selector, i + 1)
        elif char == "[":
            classes += 1
            i = selector.index("]", i) + 1 if "]" in selector[i:] else len(selector)
        elif char == ":":
            element = selector.startswith("::", i)
            end = skip_name(selector, i + (2 if element else 1))
            name = selector[i:end].lstrip(":").lower()
            argument = ""
            if end < len(selector) and selector[end] == "(":
                close = matching(selector, end)
                argument, end = selector[end + 1 : close], close + 1
            if element or name in LEGACY_ELEMENTS:
                types += 1
            elif name in TAKES_ARGUMENT:
                inner = [specificity(s) for s in split_selectors(argument)]
                a, b, c = max(inner, default=(0, 0, 0))
                ids, classes, types = ids + a, classes + b, types + c
            elif name != "where":
                classes += 1
            i = end
        elif TYPE.match(selector, i) and selector[i] != "*":
            types += 1
            i = skip_name(selector, i)
        else:
            i += 1
    return ids, classes, types


def skip_name(text: str, i: int) -> int:
    found = re.compile(r"-?[\w-]*").match(text, i)
    return found.end() if found else i


def matching(text: str, i: int) -> int:
    """The index of the parenthesis that closes the one at ``i``."""
    depth = 0
    for j in range(i, len(text)):
        depth += {"(": 1, ")": -1}.get(text[j], 0)
        if depth == 0:
            return j
    return len(text)


def property_families(block: str) -> set[str]:
    """The properties a block sets, by family: ``margin-top`` and ``margin`` are one."""
    families = set()
    for name in DECLARATION.findall(block):
        if name.startswith("--"):
            families.add(name)
        else:
            families.add(re.sub(r"^-\w+-", "", name).split("-")[0])
    return families


Decision = tuple[list[str], list[str]]
# A property family, a specificity and the pseudo-element a selector styles ("" for none).
Key = tuple[str, tuple[int, int, int], str]


def subject(selector: str) -> tuple[str, str]:
    """The type (``*`` for any) and pseudo-element of the element ``selector`` styles."""
    last = compounds(selector)[-1] if compounds(selector) else "*"
    bare = last
    while (inner := NESTED.sub("", bare)) != bare:
        bare = inner
    found = TYPE.match(bare)
    pseudo = [p.lstrip(":").lower() for p in PSEUDO.findall(bare)]
    element = next((p for p in pseudo if p in LEGACY_ELEMENTS or f"::{p}" in bare), "")
    return (found[0].lower() if found else "*"), element


def decide(
    items: tuple[Rule | Group | str, ...],
    markup: Markup,
    moved: dict[Key, set[str]],
    out: list[Decision],
) -> None:
    """For each rule, in order, its selectors for the head and those for the end of the body.

    A rule of the head that comes after a moved one and may style the same element (the
    same type or any, the same pseudo-element), with the same specificity and a property of
    the same family, would now lose to it where it won before: it is repeated at the end,
    after the moved one (and so on for the rules after it), so the last still wins.
    ``moved`` maps the (family, specificity, pseudo-element) of the rules at the end to the
    types they style.
    """
    for item in items:
        if isinstance(item, Group):
            decide(item.items, markup, moved, out)
        elif isinstance(item, Rule):
            selectors = [s for s, _ in item.selectors]
            head = [s for s in selectors if markup.may_match(s)]
            families = property_families(item.block)
            keys = []
            for selector in selectors:
                tag, element = subject(selector)
                keys += [((f, specificity(selector), element), tag) for f in families]
            clash = any(
                key in moved and (tag == "*" or bool({tag, "*"} & moved[key])) for key, tag in keys
            )
            if len(head) < len(selectors) or clash:
                for key, tag in keys:
                    moved.setdefault(key, set()).add(tag)
                out.append((head, selectors))
            else:
                out.append((head, []))


def emit(items: tuple[Rule | Group | str, ...], decisions: Iterator[Decision]) -> tuple[str, str]:
    head: list[str] = []
    end: list[str] = []
    for item in items:
        if isinstance(item, str):
            head.append(item)
        elif isinstance(item, Group):
            inner_head, inner_end = emit(item.items, decisions)
            if inner_head:
                head.append(f"{item.prelude}{{{inner_head}}}")
            if inner_end:
                end.append(f"{item.prelude}{{{inner_end}}}")
        else:
            now, last = next(decisions)
            if now:
                head.append(f"{','.join(now)}{{{item.block}}}")
            if last:
                end.append(f"{','.join(last)}{{{item.block}}}")
    return "".join(head), "".join(end)


def splitter(markup: Callable[[], Markup]) -> Callable[[str], tuple[str, str]]:
    """:func:`split_sheet` with what ``markup`` returns, worked out once, when first needed."""
    found = cache(markup)
    return lambda css: split_sheet(css, found())


def split_sheet(css: str, markup: Markup) -> tuple[str, str]:
    """``css`` as the stylesheet the head links and the one the end of the body links.

    Both carry the licence comments ``css`` starts with.
    """
    licences = "".join(m[0] for m in LICENCE.finditer(css[:2000]))
    items = compile_sheet(css)
    decisions: list[Decision] = []
    decide(items, markup, {}, decisions)
    head, end = emit(items, iter(decisions))
    return licences + head, licences + end
