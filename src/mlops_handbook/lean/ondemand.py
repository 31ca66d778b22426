"""Bootstrap left out of what a page loads before its load event; a small script fetches it.

The theme's Bootstrap bundle (81 KB with Popper) was the largest script of every page, and on
a phone its bytes and its start-up (it measures the header for the back-to-top button) came
before the load event. What it does on the handbook's pages waits for a reader's hand: the
header's menus, its buttons' tooltips and the back-to-top button. ``handbook-bootstrap.js``
fetches it on the reader's first touch, key, focus or scroll, or once the page has loaded,
and plays again a menu click that came before it (see that script). The file stays published:
it is in no bundle.
"""

from __future__ import annotations

import re

LOADER = "handbook-bootstrap.js"
# The theme's deferred tag and its preload hint; either would fetch the file with the page.
BOOTSTRAP = re.compile(
    r"\s*<(?:script\b[^>]*\bsrc|link\b[^>]*\bhref)=\"[^\"]*_static/scripts/bootstrap\.js"
    r"[^\"]*\"[^>]*>(?:</script>)?"
)


def bootstrap_on_demand(page: str) -> str:
    """``page`` without the tags that load Bootstrap, if it has the script that fetches it."""
    if f"_static/{LOADER}" not in page:
        return page  # without the loader, its menus would never open
    return BOOTSTRAP.sub("", page)
