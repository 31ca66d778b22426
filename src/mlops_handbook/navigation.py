"""Write every page again when the navigation that every page shows has changed.

Each page carries the sidebar (every session and the modules of its own), previous/next links
and its parent's cards. Sphinx writes only the pages it re-read, so renaming a session or adding
a module left the other pages showing the old navigation until a clean build. A digest of
everything the navigation is made from (each page's title and each toctree: entries, caption,
options) is kept in the environment; when it differs after reading, every page is written.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from .domain import handbook

TOCTREE_OPTIONS = ("caption", "hidden", "maxdepth", "titlesonly", "includehidden", "numbered")


def toctrees_of(doctree: nodes.document) -> str:
    """What a page's toctrees contribute to the navigation, as comparable text."""
    found = [
        (tuple(node["entries"]), tuple(node.get(option) for option in TOCTREE_OPTIONS))
        for node in doctree.findall(addnodes.toctree)
    ]
    return repr(found)


def note_toctrees(app: Sphinx, doctree: nodes.document) -> None:
    handbook(app.env).toctrees[app.env.docname] = toctrees_of(doctree)


def navigation_digest(env: BuildEnvironment) -> str:
    """A digest of the page titles and toctrees, in a stable order."""
    toctrees = handbook(env).toctrees
    digest = hashlib.sha256()
    for docname in sorted(env.found_docs):
        title = env.titles.get(docname)
        digest.update(repr((docname, title and title.pformat(), toctrees.get(docname))).encode())
    return digest.hexdigest()


def pages_showing_navigation(app: Sphinx, env: BuildEnvironment) -> Iterable[str]:
    domain = handbook(env)
    current = navigation_digest(env)
    if current == domain.navigation:
        return []
    domain.navigation = current
    return sorted(env.found_docs)


def setup_navigation(app: Sphinx) -> None:
    app.connect("doctree-read", note_toctrees)
    app.connect("env-get-updated", pages_showing_navigation)
