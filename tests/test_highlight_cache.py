"""Highlighting with shared styles and a cache writes exactly what Sphinx and Pygments write."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer
from sphinx.highlighting import PygmentsBridge
from sphinx.testing.util import SphinxTestApp

from mlops_handbook.highlight import HighlightCache, SharedStyleFormatter

MakeApp = Callable[..., SphinxTestApp]

CODE = """
```python
def hammer(nail: str) -> str:
    return f"{nail} is in"  # a comment
```

```{code-block} bash
:emphasize-lines: 2

echo one
echo two
```
"""
SOURCE = 'def hammer(nail):\n    return "in"  # done\n'


@pytest.mark.parametrize("style", ["default", "monokai"])
@pytest.mark.parametrize("options", [{}, {"noclasses": True}, {"classprefix": "x-"}])
def test_shared_styles_write_what_pygments_writes(style: str, options: dict[str, Any]):
    for prefix in ("", "y-"):  # a second prefix after the first must not reuse its classes
        settings = {"style": style, "classprefix": prefix, **options}
        expected = highlight(SOURCE, PythonLexer(), HtmlFormatter(**settings))
        assert highlight(SOURCE, PythonLexer(), SharedStyleFormatter(**settings)) == expected
        css = HtmlFormatter(**settings).get_style_defs(".highlight")
        assert SharedStyleFormatter(**settings).get_style_defs(".highlight") == css


@pytest.fixture
def highlighted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The source of every block Sphinx's own highlighting is asked for."""
    seen: list[str] = []
    original = PygmentsBridge.highlight_block

    def highlight_block(self: PygmentsBridge, source: str, *args: Any, **kwargs: Any) -> str:
        seen.append(source)
        return original(self, source, *args, **kwargs)

    monkeypatch.setattr(PygmentsBridge, "highlight_block", highlight_block)
    return seen


def test_a_clean_build_highlights_only_blocks_it_has_not_seen(
    make_app: MakeApp, handbook_src: Path, tmp_path: Path, highlighted: list[str]
):
    page = handbook_src / "sessions/s1_first/hammering.md"
    page.write_text(page.read_text(encoding="utf-8") + CODE, encoding="utf-8")
    cache = tmp_path / "highlight-cache"
    pages = []
    for build in ("first", "clean", "uncached"):
        overrides = {"handbook_highlight_cache": "" if build == "uncached" else str(cache)}
        app = make_app(
            "html", srcdir=handbook_src, builddir=tmp_path / build, confoverrides=overrides
        )
        app.build()
        assert app.warning.getvalue() == ""
        pages.append((Path(app.outdir) / "sessions/s1_first/hammering.html").read_text("utf-8"))
        app.cleanup()  # so the next app registers its nodes afresh
    blocks = [s for s in highlighted if "hammer(nail" in s or "echo two" in s]
    assert len(blocks) == 4  # both blocks in the first build, none in the clean, both uncached
    assert pages[0] == pages[1] == pages[2]
    assert '<span class="hll">' in pages[1]  # the emphasized line: the options reach it
    assert len(list(cache.rglob("*.html"))) == 2


def test_a_block_whose_highlighting_warns_is_not_kept(tmp_path: Path, highlighted: list[str]):
    cache = HighlightCache(tmp_path, PygmentsBridge("html", "sphinx"))
    for _ in range(2):  # Sphinx highlights it, and warns, every time
        assert "err" in cache.highlight_block("print($x)\n", "python")
    assert highlighted == ["print($x)\n"] * 2
    assert not list(tmp_path.rglob("*.html"))
    for _ in range(2):
        cache.highlight_block("print(x)\n", "python")
    assert highlighted[2:] == ["print(x)\n"]
    assert len(list(tmp_path.rglob("*.html"))) == 1


def test_the_same_text_with_other_options_or_language_is_highlighted_anew(tmp_path: Path):
    bridge = PygmentsBridge("html", "sphinx")
    cache = HighlightCache(tmp_path, bridge)
    variants: list[tuple[str, dict[str, Any]]] = [
        ("python", {}),
        ("python", {"hl_lines": [2]}),
        ("python", {"linenos": True}),
        ("text", {}),
    ]
    for _ in range(2):
        for lang, options in variants:
            expected = PygmentsBridge("html", "sphinx").highlight_block(SOURCE, lang, **options)
            assert cache.highlight_block(SOURCE, lang, **options) == expected
    assert len(list(tmp_path.rglob("*.html"))) == len(variants)
