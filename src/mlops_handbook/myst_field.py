"""Fields that are MyST Markdown by design (FAQ answers, session intros).

They are parsed as MyST at build time, as their own small documents whose source is the YAML
file: every warning they raise (an unknown role, a link to nowhere) points at the YAML line to
edit, not at the page that shows them. Raw HTML, and the directives and roles that paste a file
or markup unchanged into the page, are refused: course data is no place for scripts.
"""

from __future__ import annotations

import logging as py_logging
import re
from itertools import takewhile
from pathlib import Path
from urllib.parse import unquote

from docutils import nodes
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser
from myst_parser.parsers.sphinx_ import MystParser
from sphinx.util import logging
from sphinx.util.docutils import LoggingReporter, SphinxDirective

from .errors import clip
from .model import MystText

# Each pastes markup or a file's content into the page without MyST's rules in between.
REFUSED_DIRECTIVES = frozenset({"raw", "eval-rst", "eval-rest", "include", "literalinclude"})
REFUSED_ROLES = frozenset({"raw"})
# The handbook's own directives show course data, and a toctree changes the site's navigation:
# only pages place them.
PAGE_DIRECTIVES = frozenset(
    {
        *("faq", "session-overview", "session-page", "session-toctree", "module-header"),
        *("ta-table", "timeplan", "course-facts", "pdf-downloads", "toctree"),
        *("today", "add-to-calendar", "progress-summary", "project-checklist"),
    }
)
# Far deeper than any answer or intro nests its notes and tabs.
MAX_NESTING = 10
# Directives whose argument names a file to read or show (mermaid reads its diagram from it).
_FILE_ARGUMENT = frozenset({"image", "figure", "mermaid"})
# Options that read a file or a web address into the page (csv-table's :file: and :url:).
_READING_OPTIONS = frozenset({"file", "url"})
# Every syntax the handbook's pages may enable: a fence inside a definition list or a field
# list must be found too, whichever of them the build turns on.
_PARSER = create_md_parser(
    MdParserConfig(
        enable_extensions={"colon_fence", "deflist", "fieldlist", "attrs_inline", "attrs_block"}
    ),
    RendererHTML,
)
_NO_FOOTNOTE = "a footnote is not allowed in course data; write the note in the text"
# A heading would enter the page's table of contents, and a target would take an anchor the
# page may use itself; the page around a field owns both.
_PAGE_STRUCTURE = {
    "heading_open": "a heading is not allowed in course data; the page sets the headings "
    "(write **bold** text instead)",
    "myst_target": "a target (name)= is not allowed in course data; the page sets the anchors "
    "(link to the page or FAQ entry instead)",
    # A field is parsed on its own, so its footnotes could never be matched to their notes.
    "footnote_ref": _NO_FOOTNOTE,
    "footnote_reference_open": _NO_FOOTNOTE,
}
# Schemes that run a script or reach the reader's own files; a letter before one (metadata:)
# is another word.
_SCRIPT_SCHEME = re.compile(r"(?<![a-z0-9])(?:javascript|vbscript|data|file):", re.IGNORECASE)
_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:|//")
_OPTION = re.compile(r"\s*:?([\w-]+):")
_ROLE_TARGET = re.compile(r".*<([^<>]*)>\s*", re.DOTALL)
# What a parser's warning names in quotes: an unknown role, a target.
_NAMED = re.compile(r"[\"']([^\"'\n]{1,80})[\"']")


def _directive_name(token: Token) -> str | None:
    info = token.info.strip()
    if token.type in ("fence", "colon_fence") and info.startswith("{") and "}" in info:
        return info[1 : info.index("}")].strip()
    return None


def _options(content: str) -> list[tuple[str, str]]:
    """The options at the top of a directive's body (``:name:`` lines or a YAML block)."""
    lines = content.splitlines()
    if lines and lines[0].strip() == "---":
        block = takewhile(lambda line: line.strip() != "---", lines[1:])
    else:
        block = takewhile(lambda line: line.lstrip().startswith(":"), lines)
    return [(match[1], line[match.end() :]) for line in block if (match := _OPTION.match(line))]


def _script_address(value: str, what: str) -> str | None:
    """Why ``value`` may not be in course data if it holds a script or local-file address.

    A directive's option (``:target:``), a button's argument or a badge role's link becomes an
    ``href`` as written; browsers ignore white space inside the scheme, so it is ignored here.
    """
    match = _SCRIPT_SCHEME.search(re.sub(r"[\s\x00-\x1f]+", "", value))
    if match is None:
        return None
    return (
        f"{what} holds the address {match[0].lower()}..., which runs a script or reads a file "
        "on the reader's machine: use a web address (https://) or a path in the project"
    )


def _file_problem(target: str, what: str, *, image: bool) -> str | None:
    """Why a path or address named in course data may not be used, or None if it may.

    A path that climbs with ``..`` can reach any file on the machine and copy it into the
    site; an image from another host would make every reader's browser fetch it.
    """
    target = unquote(target.strip()).removeprefix("path:")
    if ".." in re.split(r"[/\\]", target.split("#")[0]):
        return (
            f"{what} {clip(target)!r} climbs out of its folder with '..': course data may only "
            "name files inside the project, from its root, like /images/plot.png"
        )
    if image and _SCHEME.match(target):
        return (
            f"{what} {clip(target)!r} is on another host; pages load nothing from other hosts: "
            "put the file in the project and give its path"
        )
    return None


def _directive_problems(name: str, token: Token) -> list[str]:
    """What a directive other than the refused ones may not do in course data."""
    argument = token.info.strip()[len(name) + 2 :].strip()
    options = _options(token.content)
    problems = [
        f"the option :{option}: of {{{name}}} reads a file or a web address into the page; "
        "write the content in the directive instead"
        for option, _ in options
        if option in _READING_OPTIONS
    ]
    problems.append(_script_address(argument, f"the argument of {{{name}}}") or "")
    problems += [
        _script_address(value, f"the option :{option}: of {{{name}}}") or ""
        for option, value in options
    ]
    if name == "mermaid" and argument:
        problems.append(
            "{mermaid} with an argument reads the diagram from a file; "
            "write the diagram inside the directive instead"
        )
    elif name in _FILE_ARGUMENT and argument:
        problems.append(_file_problem(argument, f"the {{{name}}}", image=True) or "")
    return [problem for problem in problems if problem]


def _inline_problem(child: Token) -> str | None:
    """Why an inline element (a link, an image, a role) may not be in course data, or None."""
    if child.type == "image":
        return _file_problem(str(child.attrGet("src") or ""), "the image", image=True)
    if child.type == "link_open":
        return _file_problem(str(child.attrGet("href") or ""), "the link", image=False)
    if child.type != "myst_role":
        return None
    name = child.meta.get("name")
    if script := _script_address(child.content, f"the role {{{name}}}"):
        return script
    if name == "download":
        match = _ROLE_TARGET.fullmatch(child.content)
        target = match[1] if match else child.content
        return _file_problem(target, "the download", image=False)
    return None


def refused_markup(text: str, first: int = 0, depth: int = 0) -> list[tuple[int, str, str]]:
    """Raw HTML and refused directives or roles in ``text``.

    Each is (line offset from 0, message, the text to look for on that line or after it): an
    inline element is found by its text, since in folded YAML one line holds a whole paragraph.
    """
    found: list[tuple[int, str, str]] = []
    if depth > MAX_NESTING:  # each level is parsed again: far sooner than Python's stack ends
        message = f"directives nested more than {MAX_NESTING} deep; course data needs few"
        return [(first, message, "")]
    for token in _PARSER.parse(text):
        line = first + (token.map[0] if token.map else 0)
        if token.type == "html_block":
            found.append((line, "raw HTML is not allowed in course data; write it in MyST", ""))
        elif token.type in _PAGE_STRUCTURE:
            found.append((line, _PAGE_STRUCTURE[token.type], ""))
        name = _directive_name(token)
        if name in REFUSED_DIRECTIVES:
            found.append((line, f"the directive {{{name}}} is not allowed in course data", ""))
        elif name in PAGE_DIRECTIVES:
            found.append(
                (
                    line,
                    f"the directive {{{name}}} places a part of the site on a page; it is not "
                    "allowed in course data (in an FAQ answer, {faq} would show itself forever)",
                    "",
                )
            )
        elif name is not None:
            found += [(line, problem, "") for problem in _directive_problems(name, token)]
            found += refused_markup(token.content, line + 1, depth + 1)
        for child in token.children or ():
            found += [(line, problem, _written(child)) for problem in _child_problems(child)]
    return found


def _child_problems(child: Token) -> list[str]:
    """Why an inline element of a paragraph may not be in course data (nothing if it may)."""
    problems = []
    if problem := _inline_problem(child) or _PAGE_STRUCTURE.get(child.type):
        problems.append(problem)
    if child.type == "html_inline":
        problems.append(
            f"raw HTML {child.content[:30]!r} is not allowed in course data; write it in MyST"
        )
    role = child.meta.get("name") if child.type == "myst_role" else None
    if role in REFUSED_ROLES:
        problems.append(f"the role {{{role}}} is not allowed in course data")
    return problems


def _written(child: Token) -> str:
    """Text that an inline element starts with in the source, to find the line it is on."""
    if child.type == "myst_role":
        return f"{{{child.meta.get('name')}}}"
    if child.type in ("link_open", "image"):
        return str(child.attrGet("href") or child.attrGet("src") or "")
    if child.type == "html_inline":
        return child.content
    return "[^" if child.type.startswith("footnote") else ""


def _relocate(record: py_logging.LogRecord, docname: str, source: str, text: MystText) -> None:
    """Point a warning that myst-parser located on the page at its line of the YAML."""
    location = getattr(record, "location", None)
    if isinstance(location, tuple) and location[0] == docname and location[1]:
        line = location[1]
    elif isinstance(location, str) and location.removeprefix(f"{source}:").isdigit():
        line = int(location.removeprefix(f"{source}:"))
    else:
        return
    named = _NAMED.search(record.getMessage())
    record.location = f"{source}:{text.line_of(line - text.line, named[1] if named else '')}"


def _relocate_nodes(document: nodes.document, text: MystText) -> None:
    """Give each node its line in the YAML, for the warnings raised after parsing.

    A link to nowhere is reported when references resolve; the parser counted the text's lines,
    which folded or quoted YAML joins.
    """
    for node in document.findall(nodes.Element):
        if node.line:
            named = str(node.get("reftarget", ""))
            node.line = text.line_of(node.line - text.line, named)


def render_myst(directive: SphinxDirective, text: MystText) -> list[nodes.Node]:
    """``text`` as docutils nodes, parsed as a document of its own located in the YAML file."""
    main = directive.state.document
    source = text.source or main["source"]
    reporter = main.reporter
    document = nodes.document(
        main.settings,
        LoggingReporter(source, reporter.report_level, reporter.halt_level, reporter.debug_flag),
        source=source,
    )
    document.note_source(source, -1)
    with logging.pending_logging() as held:
        # Blank lines put every line of the field at its line in the YAML file.
        MystParser().parse("\n" * max(text.line - 1, 0) + text, document)
        for record in held.buffer:
            _relocate(record, directive.env.docname, source, text)
    _relocate_nodes(document, text)
    _own_ids(document, f"{nodes.make_id(Path(source).stem)}-{text.line}-")
    return list(document.children)


def _own_ids(document: nodes.document, prefix: str) -> None:
    """Prefix the ids a field made: two answers on one page must not both have a footnote id1."""
    renamed: dict[str, str] = {}
    for node in document.findall(nodes.Element):
        node["ids"] = [renamed.setdefault(i, prefix + i) for i in node["ids"]]
    for node in document.findall(nodes.Element):
        if node.get("refid") in renamed:
            node["refid"] = renamed[node["refid"]]
        if node.get("backrefs"):
            node["backrefs"] = [renamed.get(i, i) for i in node["backrefs"]]
