"""A FAQ question is plain text from the data: shown as written, never as HTML or MyST."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sphinx.testing.util import SphinxTestApp

MakeApp = Callable[..., SphinxTestApp]
QUESTION = "Is <b>this</b> & *that* a [link](faq.md)?"
SHOWN = "Is &lt;b&gt;this&lt;/b&gt; &amp; *that* a [link](faq.md)?"


def test_a_question_with_markup_is_shown_as_its_text(
    make_app: MakeApp, handbook_src: Path, edit: Callable[[Path, str, str], None]
):
    edit(
        handbook_src / "_data/faq.yaml",
        "question: Is this the first question?",
        f'question: "{QUESTION}"',
    )
    index = handbook_src / "index.md"
    index.write_text(index.read_text() + "\nSee {ref}`faq-first-question`.\n", encoding="utf-8")
    app = make_app("html", srcdir=handbook_src)
    app.build()
    assert app.warning.getvalue() == ""
    faq = (Path(app.outdir) / "faq.html").read_text(encoding="utf-8")
    assert f"<strong>{SHOWN}</strong>" in faq
    assert "<b>this</b>" not in faq
    # A reference to the question takes the same text as its link text.
    html = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    assert f'<span class="std std-ref">{SHOWN}</span>' in html
