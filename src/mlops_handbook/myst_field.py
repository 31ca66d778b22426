"""Fields that are MyST Markdown by design (FAQ answers, session intros).

They are parsed as MyST at build time, as their own small documents whose source is the YAML
file: every warning they raise (an unknown role, a link to nowhere) points at the YAML line to
edit, not at the page that shows them. Raw HTML, and the directives and roles that paste a file
or markup unchanged into the page, are refused: course data is no place for scripts.
"""

from __future__ import annotations

import logging as py_logging

from docutils import nodes
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser
from myst_parser.parsers.sphinx_ import MystParser
from sphinx.util import logging
from sphinx.util.docutils import LoggingReporter, SphinxDirective

from .model import MystText

# Each pastes markup or a file's content into the page without MyST's rules in between.
REFUSED_DIRECTIVES = frozenset({"raw", "eval-rst", "eval-rest", "include", "literalinclude"})
REFUSED_ROLES = frozenset({"raw"})
_PARSER = create_md_parser(MdParserConfig(enable_extensions={"colon_fence"}), RendererHTML)


def _directive_name(token: Token) -> str | None:
    info = token.info.strip()
    if token.type in ("fence", "colon_fence") and info.startswith("{") and "}" in info:
        return info[1 : info.index("}")].strip()
    return None


def refused_markup(text: str, first: int = 0) -> list[tuple[int, str]]:
    """Raw HTML and refused directives or roles in ``text``: (line offset from 0, message)."""
    found: list[tuple[int, str]] = []
    if "<" not in text and "{" not in text:
        return found  # no tag, no directive, no role: nothing to parse for
    for token in _PARSER.parse(text):
        line = first + (token.map[0] if token.map else 0)
        if token.type == "html_block":
            found.append((line, "raw HTML is not allowed in course data; write it in MyST"))
        name = _directive_name(token)
        if name in REFUSED_DIRECTIVES:
            found.append((line, f"the directive {{{name}}} is not allowed in course data"))
        elif name is not None:
            found += refused_markup(token.content, line + 1)
        for child in token.children or ():
            if child.type == "html_inline":
                found.append(
                    (
                        line,
                        f"raw HTML {child.content[:30]!r} is not allowed in course data; "
                        "write it in MyST",
                    )
                )
            role = child.meta.get("name") if child.type == "myst_role" else None
            if role in REFUSED_ROLES:
                found.append((line, f"the role {{{role}}} is not allowed in course data"))
    return found


def _relocate(record: py_logging.LogRecord, docname: str, source: str) -> None:
    """Point a warning that myst-parser located on the page at the same line of the YAML."""
    location = getattr(record, "location", None)
    if isinstance(location, tuple) and location[0] == docname and location[1]:
        record.location = f"{source}:{location[1]}"


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
            _relocate(record, directive.env.docname, source)
    return list(document.children)
