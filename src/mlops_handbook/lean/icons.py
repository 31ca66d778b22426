"""The theme's FontAwesome icons as inline SVG, so that no page loads FontAwesome's script.

pydata-sphinx-theme writes icons as ``<i class="fa-solid fa-sun">`` and loads
``fontawesome.js`` (1.5 MB) on every page to swap each for an ``<svg>`` after the page loads.
The build does that swap instead, with the same markup the script makes and the drawings from
that same script, so pages show the same icons without it, and show them at first paint.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

# An icon in fontawesome.js: name:[width,height,[aliases],"unicode","path"].
ICON = re.compile(
    r'(?:"(?P<quoted>[\w-]+)"|(?P<name>[A-Za-z_]\w*)):\[(?P<w>\d+),(?P<h>\d+),'
    r'\[(?P<aliases>[^\]]*)\],"[0-9a-f]+","(?P<path>[^"]+)"\]'
)
# Where fontawesome.js hands a set of icons to its library under a prefix.
ICON_SET = re.compile(r'\("(fa[bsr])",')
STYLE = {"fa-solid": "fas", "fas": "fas", "fa-regular": "far", "far": "far"}
STYLE |= {"fa-brands": "fab", "fab": "fab"}
# The stylesheet the script injects into every page before it draws.
INJECTED_CSS = re.compile(r'"(:root, :host \{(?:[^"\\]|\\.)*)"')
TAG = re.compile(r"<i\s+([^>]*\bclass=\"[^\"]*\bfa-[^\"]*\"[^>]*)>\s*</i>")
ATTRIBUTE = re.compile(r'([\w:-]+)="([^"]*)"')


@dataclass(frozen=True)
class Icon:
    width: int
    height: int
    path: str


class IconSet:
    """The icons of ``fontawesome.js`` by prefix and name (aliases included)."""

    def __init__(self, script: str) -> None:
        self.icons: dict[tuple[str, str], Icon] = {}
        sets = [(m.start(), m[1]) for m in ICON_SET.finditer(script)]
        for match in ICON.finditer(script):
            prefix = next((p for at, p in sets if at > match.start()), "")
            icon = Icon(int(match["w"]), int(match["h"]), match["path"])
            names = [match["quoted"] or match["name"], *re.findall(r'"([\w-]+)"', match["aliases"])]
            for name in names:
                self.icons.setdefault((prefix, name), icon)
        css = INJECTED_CSS.search(script)
        self.css = css[1].encode().decode("unicode_escape") if css else ""

    @classmethod
    def from_file(cls, script: Path) -> IconSet:
        return cls(script.read_text(encoding="utf-8"))

    def svg(self, attributes: str) -> str | None:
        """The ``<svg>`` FontAwesome's script would put in place of ``<i attributes>``."""
        attrs = dict(ATTRIBUTE.findall(attributes))
        classes = attrs.pop("class").split()
        prefix = next((STYLE[c] for c in classes if c in STYLE), "fas")
        names = [c[3:] for c in classes if c.startswith("fa-") and c not in STYLE]
        found = [(n, self.icons[prefix, n]) for n in names if (prefix, n) in self.icons]
        if not found:
            return None
        name, icon = found[0]
        kept = [c for c in classes if c not in STYLE and c != f"fa-{name}"]
        svg_class = " ".join(["svg-inline--fa", f"fa-{name}", *kept])
        extra = "".join(f' {k}="{v}"' for k, v in attrs.items() if k != "aria-hidden")
        return (
            f'<svg class="{svg_class}" aria-hidden="true" focusable="false" '
            f'data-prefix="{prefix}" data-icon="{name}" role="img" '
            f'xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {icon.width} {icon.height}"{extra}>'
            f'<path fill="currentColor" d="{html.escape(icon.path)}"></path></svg>'
        )

    def inline(self, page: str) -> str:
        """Every icon of ``page`` drawn inline; an unknown icon is left for the reader to see."""
        return TAG.sub(lambda m: self.svg(m[1]) or m[0], page)
