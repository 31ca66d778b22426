"""Search as you type over a Pagefind index of the built site; Sphinx's search stays as fallback.

Sphinx's own search drops every page on one typo and ranks by a page's best single word.
Pagefind (``pagefind[extended]`` on PyPI, binary in the wheel) indexes the finished HTML
offline, ranks with BM25 and matches prefixes. Here each page marks what Pagefind reads: the
article body only (never the navigation), with the module and session it belongs to as
metadata the results show, and the page's keywords from ``search.yaml`` (:mod:`.vocabulary`)
as metadata it ranks by. :func:`~.index.index_site` writes the index after the build.
"""

from __future__ import annotations

import hashlib
import re
from html import escape
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

from ..config import HandbookConfig
from ..domain import handbook
from ..errors import CourseDataError
from ..model import CourseData
from ..prune import PRUNE_PRIORITY
from .index import start_requested_index
from .vocabulary import FILENAME, SYNONYMS_FILE, Vocabulary, load_vocabulary

logger = logging.getLogger(__name__)
STATIC = Path(__file__).parent.parent / "static"
# A higher priority than the theme's handlers (500), so they see the body as Sphinx made it.
AFTER_THEME = 900
AFTER_DATA = 450  # the course data is loaded at 400
# A FAQ question is the heading of its answer, but a paragraph: Pagefind weighs it as an h3.
QUESTION = re.compile(r'(<p class="handbook-faq-question")')
QUESTION_WEIGHT = 5


def static_digest(folder: Path = STATIC) -> str:
    """A digest of the extension's scripts and styles.

    Every page names them with a checksum (``handbook-search.js?v=...``), but Sphinx rewrites
    only changed pages: after an update of the extension, an incremental build would keep
    the old checksums and differ from a clean build. Declared as a setting that affects the
    HTML, a new digest makes Sphinx write every page again.
    """
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def page_meta(data: CourseData, docname: str, keywords: dict[str, str]) -> dict[str, str]:
    """What a result shows beside its title (module id, session), the summary and keywords.

    Pagefind searches metadata too and boosts pages whose metadata matches: the summary, the
    module's own one-line description of itself, ranks a module above pages that mention it;
    the keywords do the same for the words students use that the page does not.
    """
    found = {"keywords": keywords[docname]} if docname in keywords else {}
    module = data.module_for_doc(docname)
    if module is not None:
        session = data.session(module.session).label
        return {"module": module.id, "session": session, "summary": module.summary} | found
    for session in data.sessions:
        if data.session_docname(session) == docname:
            return {"session": session.label} | found
    return found


def indexed_body(body: str, meta: dict[str, str]) -> str:
    """Wrap the article in the element Pagefind indexes, carrying the metadata as attributes.

    Pagefind reads each value from its own ``data-`` attribute (``key[attribute]``), so a
    session title with a comma or a colon stays one value; every value is escaped.
    """
    attributes = ["data-pagefind-body"]
    if meta:
        keys = ", ".join(f"{key}[data-handbook-{key}]" for key in meta)
        attributes.append(f'data-pagefind-meta="{escape(keys)}"')
        attributes += [f'data-handbook-{key}="{escape(value)}"' for key, value in meta.items()]
    weighted = QUESTION.sub(rf'\1 data-pagefind-weight="{QUESTION_WEIGHT}"', body)
    return f"<div {' '.join(attributes)}>{weighted}</div>"


def mark_indexed_body(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: object
) -> None:
    if app.builder.name != "html" or doctree is None or "body" not in context:
        return
    meta = page_meta(handbook(app.env).course, pagename, vocabulary(app).keywords)
    context["body"] = indexed_body(context["body"], meta)


def vocabulary(app: Sphinx) -> Vocabulary:
    return app.env.handbook_search_vocabulary  # type: ignore[attr-defined, no-any-return]


def load_search_vocabulary(app: Sphinx) -> None:
    """Read ``search.yaml`` once per build, after the course data its keywords name."""
    config = HandbookConfig.from_sphinx(app.config)
    data = handbook(app.env).course
    try:
        found = load_vocabulary(Path(app.srcdir), config.data_dir, data)
    except CourseDataError as error:
        error.log(logger)
        raise
    app.env.handbook_search_vocabulary = found  # type: ignore[attr-defined]


def vocabulary_digest(app: Sphinx, config: Config) -> None:
    """Every page carries its keywords: a change to ``search.yaml`` rewrites every page."""
    path = Path(app.srcdir) / HandbookConfig.from_sphinx(config).data_dir / FILENAME
    data = path.read_bytes() if path.is_file() else b""
    config.handbook_search_digest = hashlib.sha256(data).hexdigest()[:16]


def write_synonyms(app: Sphinx, exception: Exception | None) -> None:
    """The synonym groups, beside the scripts, for the search box to fetch on first use."""
    if exception or app.builder.name != "html":
        return
    text = vocabulary(app).synonyms_json()
    path = Path(app.outdir) / "_static" / SYNONYMS_FILE
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def add_search_assets(app: Sphinx) -> None:
    """Only the HTML site gets the search box; the print build (singlehtml) has none."""
    if app.builder.name == "html":
        app.add_css_file("handbook-search.css")
        app.add_js_file("handbook-search.js", loading_method="defer")


def setup_search(app: Sphinx) -> None:
    app.add_config_value("handbook_static_digest", static_digest(), "html", types=frozenset({str}))
    app.add_config_value("handbook_search_digest", "", "html", types=frozenset({str}))
    app.connect("config-inited", vocabulary_digest)
    app.connect("builder-inited", add_search_assets)
    app.connect("builder-inited", load_search_vocabulary, priority=AFTER_DATA)
    app.connect("html-page-context", mark_indexed_body, priority=AFTER_THEME)
    app.connect("build-finished", write_synonyms)
    # Once every page is final: right after the pruning of stale pages, and before the
    # calendar, the sitemap, the bundles and the build's bookkeeping (none of them a page).
    app.connect("build-finished", start_requested_index, priority=PRUNE_PRIORITY + 10)
