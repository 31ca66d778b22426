"""Link checking: internal links of the built site, external links through ``-b linkcheck``.

Internal links are checked after every HTML build (``python -m mlops_handbook.links internal``);
external links only on request (``nox -s linkcheck``), because they need the network.
"""

from __future__ import annotations

from sphinx.application import Sphinx

from .external import HandbookLinkcheckBuilder, OccurrenceCollector
from .policy import setup_policy


def setup_links(app: Sphinx) -> None:
    """Give ``-b linkcheck`` the handbook's policy, pace, cache and report."""
    setup_policy(app)
    app.add_builder(HandbookLinkcheckBuilder, override=True)
    app.add_post_transform(OccurrenceCollector)
