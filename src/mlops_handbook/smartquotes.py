"""Smart quotes for less CPU: text that holds nothing to educate is not run through it.

Sphinx's smart-quotes transform runs every block of text of every page through docutils'
``educate_tokens`` (a dozen regular expressions per text node) and checks each node's
ancestors for literal parents: some 0.4 s of a clean build of the book. Most text nodes
hold no quote, backslash, double hyphen or ellipsis, and for those the educated text is the
text itself. Such a node is handed over as literal text, which ``educate_tokens`` passes through
untouched and whose last character is the context of a quote after it, as it would have been;
every other node, and any other ``smartquotes_action``, goes the usual way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxSmartQuotes

# The action this shortcut knows: quotes, old-school dashes, ellipses (Sphinx's default).
ACTION = "qDe"
# What that action (or its backslash escapes, marked by NUL in docutils' text) may change.
ACTIVE = re.compile(r"['\"\\\x00]|--|\.\.\.|\. \.")


class QuickSmartQuotes(SphinxSmartQuotes):
    """Sphinx's smart quotes, with blocks that hold nothing to educate passed through."""

    def get_tokens(self, txtnodes: list[nodes.Text]) -> Iterator[tuple[str, str]]:
        if self.smartquotes_action != ACTION:
            yield from super().get_tokens(txtnodes)
            return
        for text in txtnodes:
            if ACTIVE.search(text):
                yield from super().get_tokens([text])
            else:
                # What educating it would give, and the same context for a quote after it.
                yield "literal", str(text)


def replace_transform(transforms: list[type], old: type, new: type) -> None:
    """Put ``new`` where ``old`` is registered (once each), so nothing runs both."""
    transforms[:] = [new if transform is old else transform for transform in transforms]


def setup_smartquotes(app: Sphinx) -> None:
    replace_transform(app.registry.transforms, SphinxSmartQuotes, QuickSmartQuotes)
