"""The quicker smart quotes educate every text exactly as Sphinx's own transform does."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from docutils import nodes
from docutils.utils import smartquotes
from sphinx.testing.util import SphinxTestApp
from sphinx.transforms import SphinxSmartQuotes
from sphinx.util.docutils import new_document

from mlops_handbook.smartquotes import ACTION, QuickSmartQuotes

MakeApp = Callable[..., SphinxTestApp]

# Each case is one paragraph: its text nodes, in order, with an inline literal marked by `...`.
PARAGRAPHS = [
    ["Nothing to change here, only words and a hyphen-ated word."],
    ['She said "run it" twice.'],
    ["It's the student's turn."],
    ["Pages 3--5 and a pause --- then more."],
    ["Wait for it... and . . . again."],
    ['An escaped \x00"quote\x00" stays straight.'],
    ["A plain part then ", '"a quoted part"', " after it."],
    ["Ends with a letter", "'s own quote"],
    ["Ends with a space ", "'single'"],
    ["Run ", "`pip install 'x'`", " and 'then' this."],
    ["Version 2.0 and a single - dash."],
]


def educated(transform_class: type[SphinxSmartQuotes], texts: list[str]) -> list[str]:
    document = new_document("<test>")
    paragraph = nodes.paragraph()
    for text in texts:
        if text.startswith("`"):
            paragraph += nodes.literal(text, text.strip("`"))
        else:
            paragraph += nodes.Text(text)
    document += paragraph
    transform = transform_class(document, startnode=None)
    transform.smartquotes_action = ACTION
    text_nodes = list(paragraph.findall(nodes.Text))
    tokens = transform.get_tokens(text_nodes)
    return list(smartquotes.educate_tokens(tokens, attr=ACTION, language="en"))


@pytest.mark.parametrize("texts", PARAGRAPHS, ids=[t[0][:24] for t in PARAGRAPHS])
def test_quick_smart_quotes_educate_as_sphinx_does(texts: list[str]):
    assert educated(QuickSmartQuotes, texts) == educated(SphinxSmartQuotes, texts)


def test_the_quick_transform_replaces_sphinxs_own(make_app: MakeApp, handbook_src: Path):
    app = make_app("html", srcdir=handbook_src)
    assert QuickSmartQuotes in app.registry.transforms
    assert SphinxSmartQuotes not in app.registry.transforms
