"""The files linked at the end of the body, asked for once the first paint's stylesheet is in.

The late stylesheet (:mod:`.late`) and the script bundles (:mod:`.bundle`) are linked at the
end of the body, and Chromium asks for them only when its parser gets there. On a phone it
parses a long module page for half a second after the page's last byte has arrived, and the
network stood idle meanwhile (0.6 s on the API page under Fast 3G and a CPU four times
slower). A short script at the start of the body asks for them with preload hints instead.
A script waits for the stylesheets before it, so it runs the moment the head's stylesheet has
arrived: the files come after the one the first paint needs, not beside it, and they are the
same files the page loads, so nothing is fetched twice.
"""

from __future__ import annotations

import json
import re

from .bundle import LATE

BODY = re.compile(r"<body\b[^>]*>")
LATE_SHEET = re.compile(
    rf"<link rel=\"stylesheet\" href=\"([^\"]*_static/bundle-[0-9a-f]{{12}}{LATE}\.css)\""
)
BUNDLED_SCRIPT = re.compile(r"<script defer src=\"([^\"]*_static/bundle-[0-9a-f]{12}\.js)\"")
# No name that a stylesheet could use for an element (``a``, ``p``): the rules that an inline
# script's words name are kept in the head (:mod:`.late`).
ASK = (
    '<script>for(const f of {files}){{const l=document.createElement("link");'
    'l.rel="preload";l.href=f[0];l.as=f[1];document.head.append(l)}}</script>'
)


def ask_early(page: str) -> str:
    """``page`` with a script at the start of its body that preloads its late files."""
    body = BODY.search(page)
    if body is None:
        return page
    rest = page[body.end() :]
    files = [(url, "style") for url in LATE_SHEET.findall(rest)]
    files += [(url, "script") for url in BUNDLED_SCRIPT.findall(rest)]
    if not files:
        return page
    listed = json.dumps([list(f) for f in files], separators=(",", ":")).replace("</", "<\\/")
    return page[: body.end()] + ASK.format(files=listed) + rest
