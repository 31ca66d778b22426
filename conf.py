"""Sphinx configuration of the DTU MLOps handbook: sources in docs/, course data in docs/_data/."""

from __future__ import annotations

import datetime as dt

import mlops_handbook

project = "DTU MLOps handbook"
author = "Nicki Skafte Detlefsen"
copyright = f"2021–{dt.date.today().year}, Nicki Skafte Detlefsen"
version = release = mlops_handbook.__version__
language = "en"

extensions = [
    "myst_parser",
    "sphinx_design",
    "sphinx_copybutton",
    "sphinxcontrib.mermaid",
    "mlops_handbook",
]

root_doc = "index"
exclude_patterns = ["_data", "_build", "**/.ipynb_checkpoints"]
templates_path: list[str] = []

# MyST: colon fences for directives in Markdown, anchors on headings for links to sections.
myst_enable_extensions = ["colon_fence", "deflist", "fieldlist", "attrs_inline"]
myst_heading_anchors = 3

# Mermaid is rendered to SVG at build time, so pages need no script and work offline.
mermaid_output_format = "svg"
mermaid_cmd = "mmdr"
# Rendered diagrams are kept by content here, so even a clean build renders only new ones.
handbook_diagram_cache = "build/.cache/diagrams"

# The published site (GitHub Pages of the repository below); a session's PDF links there for
# everything outside the session.
repository_url = "https://github.com/SkafteNicki/dtu_mlops"
_owner, _name = repository_url.removeprefix("https://github.com/").split("/")
html_baseurl = f"https://{_owner.lower()}.github.io/{_name}/"

# The theme.
html_theme = "sphinx_book_theme"
html_title = "DTU MLOps handbook"
html_short_title = "DTU-MLOps"
html_last_updated_fmt = ""
html_copy_source = False
# The book has no index entries: skip rendering an empty index page on every build.
html_use_index = False
# The theme leaves the mode empty on a first visit and logs a console error; follow the OS.
html_context = {"default_mode": "auto"}
# Browsers ask every site for an icon; without one each first visit logs a 404.
html_favicon = "docs/_static/favicon.svg"
html_theme_options = {
    "repository_url": repository_url,
    "repository_branch": "main",
    "path_to_docs": "docs",
    "use_repository_button": True,
    "use_edit_page_button": True,
    "use_issues_button": True,
    "use_download_button": False,
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
    "show_toc_level": 2,
    # The sidebar lists every session and the modules of the current one. The theme renders
    # it for every page; listing every module on every page made that cost grow with the
    # square of the book (twice the time per page at 5x the modules). Pages deeper than a
    # module never appear in it.
    "collapse_navbar": True,
    "max_navbar_depth": 2,
}

# Copy buttons copy the command, not the prompt or the output.
copybutton_exclude = ".linenos, .gp, .go"
