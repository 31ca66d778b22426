"""``sitemap.xml`` for the published site: every page's URL under ``html_baseurl``.

sphinx-sitemap was tried first: it keeps its list in a multiprocessing manager, a server
process that outlives a build ending in ``os._exit`` (see build.py) and keeps the caller
waiting. A sitemap is a sorted list of URLs, written once at the end of the build.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from sphinx.application import Sphinx


def sitemap(base: str, pages: list[str]) -> str:
    urls = "".join(f"  <url><loc>{escape(base + page)}</loc></url>\n" for page in sorted(pages))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{urls}</urlset>\n"
    )


def write_sitemap(app: Sphinx, exception: Exception | None) -> None:
    base = app.config.html_baseurl
    if exception or not base or app.builder.name != "html":
        return
    base = base if base.endswith("/") else f"{base}/"
    pages = [app.builder.get_target_uri(docname) for docname in app.env.found_docs]
    text = sitemap(base, pages)
    path = Path(app.outdir) / "sitemap.xml"
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def setup_sitemap(app: Sphinx) -> None:
    app.connect("build-finished", write_sitemap)
