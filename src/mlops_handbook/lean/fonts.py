"""The icon fonts a stylesheet uses, cut to the characters it draws and put inside it.

The theme draws a few icons with FontAwesome's font (the mark of an admonition, of a
download link) from CSS ``content``; the browser would fetch the whole 115 KB font for them,
after the first paint. fontTools' subsetter keeps only the characters the stylesheet names
in its strings, and the font becomes a ``data:`` URL of a kilobyte or two in the stylesheet
itself: one request fewer, and the icons are there at first paint. A font of which no
character is drawn loses its ``@font-face`` rule.
"""

from __future__ import annotations

import base64
import io
import logging
import re
from pathlib import Path

FONT_FACE = re.compile(r"@font-face\s*\{([^{}]*)\}")
FONT_URL = re.compile(r"url\(\s*[\"']?([^\"')]+\.woff2)[\"']?\s*\)")
STRING = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'")
ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})\s?")

# fontTools reports each table it prunes at INFO; a theme package (a11y_pygments) sets the root
# logger to INFO on import, which put 75 such lines in every build's output.
logging.getLogger("fontTools").setLevel(logging.WARNING)


def drawn_characters(css: str) -> set[int]:
    r"""The characters the stylesheet's strings name by escape (``content: "\f05a"``)."""
    return {int(m[1], 16) for s in STRING.findall(css) for m in ESCAPE.finditer(s)}


def subset_woff2(font: bytes, characters: set[int]) -> bytes | None:
    """``font`` with only ``characters`` (WOFF2), or None if it has none of them.

    fontTools is imported here, not with the module: importing it took 0.08 s, and with the
    cache of finished bundles (:mod:`.cache`) most builds never cut a font.
    """
    from fontTools import subset  # noqa: PLC0415
    from fontTools.ttLib import TTFont  # noqa: PLC0415

    face = TTFont(io.BytesIO(font), recalcTimestamp=False)  # the same bytes in every build
    wanted = characters & set(face.getBestCmap())
    if not wanted:
        return None
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = []
    options.name_IDs = []
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=wanted)
    subsetter.subset(face)
    out = io.BytesIO()
    face.flavor = "woff2"
    face.save(out)
    return out.getvalue()


def inline_fonts(css: str, folder: Path) -> str:
    """``css`` with each WOFF2 font it loads (relative to ``folder``) subset and inline."""
    characters = drawn_characters(css)

    def face(match: re.Match[str]) -> str:
        url = FONT_URL.search(match[1])
        font = (folder / url[1]) if url else None
        if font is None or not font.is_file():
            return match[0]
        cut = subset_woff2(font.read_bytes(), characters)
        if cut is None:
            return ""
        data = base64.b64encode(cut).decode("ascii")
        return match[0].replace(url[0], f'url("data:font/woff2;base64,{data}")')  # type: ignore[index]

    return FONT_FACE.sub(face, css)
