"""Sphinx configuration of the DTU MLOps handbook: sources in docs/, course data in docs/_data/."""

from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path

import mlops_handbook

# The handbook's own repository is named once, in pyproject.toml; edit links, the "report a
# problem" link, the repository button and the published site's address all derive from it.
_root = Path(__file__).resolve().parent  # conf.py may be reached through a symlink
_project = tomllib.loads((_root / "pyproject.toml").read_text("utf-8"))["project"]
handbook_repository = _project["urls"]["Repository"]
handbook_branch = "main"
_owner, _name = handbook_repository.rstrip("/").rsplit("/", 2)[1:]
# Where GitHub Pages publishes the site (the pages workflow): the sitemap, the 404 page, the
# calendar's event links and a session PDF's links to everything outside its session use it.
html_baseurl = f"https://{_owner.lower()}.github.io/{_name}/"

project = "DTU MLOps handbook"
author = "The DTU MLOps handbook maintainers"
copyright = "The DTU MLOps handbook maintainers"
version = release = mlops_handbook.__version__
language = "en"

extensions = [
    "myst_parser",
    "sphinx_design",
    "sphinx_copybutton",
    "sphinxcontrib.mermaid",
    "notfound.extension",
    "mlops_handbook",
]

root_doc = "index"
exclude_patterns = ["_data", "_build", "_example", "**/.ipynb_checkpoints"]
templates_path: list[str] = []

# MyST: colon fences for directives in Markdown, anchors on headings for links to sections.
myst_enable_extensions = ["colon_fence", "deflist", "fieldlist", "attrs_inline"]
myst_heading_anchors = 3

# Mermaid is rendered to SVG at build time, so pages need no script and work offline.
mermaid_output_format = "svg"
mermaid_cmd = "mmdr"
# Rendered diagrams are kept by content here, so even a clean build renders only new ones.
handbook_diagram_cache = "build/.cache/diagrams"
# Highlighted code blocks are kept by content too (text, language, options, Pygments and
# Sphinx versions), so a clean build highlights only blocks it has not seen.
handbook_highlight_cache = "build/.cache/highlight"
# The site's finished stylesheets and diagrams, kept by a hash of their inputs (lean/cache.py).
handbook_lean_cache = "build/.cache/lean"
# Git's dates for "Last updated", by commit: a clean build (site or print) runs no git log.
handbook_git_dates_cache = "build/.cache/git-dates.pickle"

# The theme.
html_theme = "sphinx_book_theme"
html_title = "DTU MLOps handbook"
html_short_title = "DTU-MLOps"
# "Last updated" is the date of the last commit that changed the page (or, for a generated
# page, the data it is made from), never the date of the build. A copy without git history
# (a downloaded archive) builds without dates; a shallow clone's oldest dates are too recent.
_history = subprocess.run(
    ["git", "rev-parse", "--verify", "--quiet", "HEAD"],
    cwd=_root,
    capture_output=True,
    check=False,
)
if _history.returncode == 0:
    extensions.insert(-1, "sphinx_last_updated_by_git")
    html_last_updated_fmt = "%d %B %Y"
    git_last_updated_timezone = "Europe/Copenhagen"
    # The Downloads page depends on the printed PDFs, which are build output, not history.
    suppress_warnings = ["git.too_shallow", "git.dependency_not_found"]
else:
    html_last_updated_fmt = None
# A 404 page for the published site; its links are absolute, so it works at any depth.
notfound_urls_prefix = "/" + html_baseurl.split("/", 3)[3]
html_copy_source = False
# The book has no index entries: skip rendering an empty index page on every build.
html_use_index = False
# The theme leaves the mode empty on a first visit and logs a console error; follow the OS.
html_context = {"default_mode": "auto"}
# Browsers ask every site for an icon; without one each first visit logs a 404.
html_favicon = "docs/_static/favicon.svg"
html_theme_options = {
    # The repository button only; the extension turns it into a group with an edit link to the
    # file that holds each page's text (the data file for generated pages) and "Report a problem".
    "repository_url": handbook_repository,
    "use_repository_button": True,
    "use_edit_page_button": False,
    "use_issues_button": False,
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
