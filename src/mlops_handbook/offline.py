"""Keep the site's search working without errors when the site is opened from disk.

Sphinx's search fetches every result page to show a summary under its link. Browsers refuse
``fetch`` on ``file://`` pages, so from disk each result logged an error and showed no summary.
There the results are listed without summaries; served over HTTP nothing changes.
"""

from __future__ import annotations

from sphinx.application import Sphinx

NO_SUMMARIES_FROM_DISK = (
    'if (location.protocol === "file:" && typeof DOCUMENTATION_OPTIONS !== "undefined") '
    "{ DOCUMENTATION_OPTIONS.SHOW_SEARCH_SUMMARY = false; }"
)


def add_offline_search(app: Sphinx) -> None:
    if app.builder.format == "html":
        # After documentation_options.js (priority 200), before the search runs on load.
        app.add_js_file(None, body=NO_SUMMARIES_FROM_DISK, priority=210)


def setup_offline(app: Sphinx) -> None:
    app.connect("builder-inited", add_offline_search)
