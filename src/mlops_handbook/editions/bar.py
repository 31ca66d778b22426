"""The editions bar at the top of every published page: a switcher, and "archived edition".

On an earlier edition's pages the bar says the edition is archived and links to the current one.

Earlier editions are built by their own (older) code, which knows nothing of other editions,
so the bar is added to the built pages. Every value in it is escaped, and the editions' names
come from validated tags (``tags.SLUG``), never from free text.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

from .tags import Edition

BODY = re.compile(rb"<body[^>]*>")
STYLE = (
    "<style>.handbook-editions{display:flex;flex-wrap:wrap;gap:.25rem 1rem;align-items:center;"
    "padding:.35rem 1rem;font-size:.9rem;background:var(--pst-color-surface,#f3f4f5);"
    "border-bottom:1px solid var(--pst-color-border,#ccc)}"
    ".handbook-editions ul{display:flex;gap:.75rem;margin:0;padding:0;list-style:none}"
    ".handbook-archived{margin:0;font-weight:600;color:var(--pst-color-warning,#8a5300)}</style>"
)


def bar(editions: list[Edition], shown: Edition, current: Edition, up: str) -> str:
    """The bar for a page of edition ``shown``; ``up`` leads from the page to the site root."""
    home = {e.slug: f"{up}{'' if e == current else e.slug + '/'}index.html" for e in editions}
    items = []
    for edition in editions:
        label = edition.label + (" (current)" if edition == current else "")
        mark = ' aria-current="page"' if edition == shown else ""
        items.append(f'<li><a href="{escape(home[edition.slug])}"{mark}>{escape(label)}</a></li>')
    notice = ""
    if shown != current:
        notice = (
            f'<p class="handbook-archived" role="note">Archived edition ({escape(shown.label)}) '
            f'— <a href="{escape(home[current.slug])}">see the current one</a></p>'
        )
    return (
        f'{STYLE}<nav class="handbook-editions" aria-label="Editions">{notice}'
        f"<span>Editions:</span><ul>{''.join(items)}</ul></nav>"
    )


def add_bar(
    site: Path, pages_root: Path, editions: list[Edition], shown: Edition, current: Edition
) -> int:
    """Put the bar into every HTML page of ``site`` (a folder of ``pages_root``); count them."""
    count = 0
    for page in sorted(site.rglob("*.html")):
        depth = len(page.relative_to(pages_root).parts) - 1
        html = page.read_bytes()
        found = BODY.search(html)
        if found is None:
            continue
        inserted = bar(editions, shown, current, "../" * depth).encode()
        page.write_bytes(html[: found.end()] + inserted + html[found.end() :])
        count += 1
    return count
