"""Skip the theme's "does this template render empty?" check where the answer is always no.

For every page, pydata-sphinx-theme renders each template of the sidebar, header and footer
once only to drop those that come out blank, and then renders the kept ones again in the page.
For sphinx-book-theme's sidebar navigation and header buttons this trial render was about a
tenth of a clean build's CPU (the theme itself skips it only for its own navigation templates).
A template whose source writes non-blank text outside every condition, loop and block can never
render blank, so it is kept without the trial render; the page is the same, byte for byte.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePosixPath
from typing import Any
from weakref import WeakKeyDictionary

from jinja2 import Environment, TemplateError, nodes
from pydata_sphinx_theme import utils as theme_utils
from sphinx.application import Sphinx


def never_blank(environment: Environment, name: str) -> bool:
    """Whether the template's own top level writes text that is not whitespace."""
    try:
        source = environment.loader.get_source(environment, name)[0]  # type: ignore[union-attr]
        body = environment.parse(source).body
    except TemplateError:
        return False  # the trial render reports the problem, as before
    if any(isinstance(node, nodes.Extends) for node in body):
        return False  # what it writes is its parent's
    return any(
        isinstance(child, nodes.TemplateData) and child.data.strip()
        for node in body
        if isinstance(node, nodes.Output)
        for child in node.nodes
    )


def with_html_suffix(templates: list[str] | str) -> list[str]:
    """The theme's template names as it renders them: split at commas, ``.html`` added."""
    names = [t.strip() for t in templates.split(",")] if isinstance(templates, str) else templates
    return [n if PurePosixPath(n).suffix else f"{n}.html" for n in names]


def skipping_full_templates(update: Callable[..., list[str]]) -> Callable[..., list[str]]:
    """Wrap the theme's update-and-remove function to skip the check of never-blank templates."""
    known: WeakKeyDictionary[Environment, dict[str, bool]] = WeakKeyDictionary()

    def update_skipping(
        app: Sphinx,
        context: dict[str, Any],
        templates: list[str] | str,
        section: str,
        templates_skip_empty_check: list[str] | None = None,
    ) -> list[str]:
        environment = app.builder.templates.environment  # type: ignore[attr-defined]
        answers = known.setdefault(environment, {})
        skip = list(templates_skip_empty_check or [])
        for name in with_html_suffix(templates):
            if name not in answers:
                answers[name] = never_blank(environment, name)
            if answers[name]:
                skip.append(name)
        return update(app, context, templates, section, templates_skip_empty_check=skip)

    update_skipping.__wrapped__ = update  # type: ignore[attr-defined]
    return update_skipping


def setup_template_checks(_app: Sphinx) -> None:
    """Install the wrapper once per process (sphinx-book-theme is built on pydata's theme)."""
    if not hasattr(theme_utils._update_and_remove_templates, "__wrapped__"):
        theme_utils._update_and_remove_templates = skipping_full_templates(
            theme_utils._update_and_remove_templates
        )
