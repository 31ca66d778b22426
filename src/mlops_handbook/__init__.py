"""A Sphinx extension that builds the DTU MLOps handbook's pages from one set of course data."""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util.typing import ExtensionMetadata

from .banners import setup_banners
from .collector import setup_collector
from .config import setup_config
from .diagrams import setup_diagrams
from .directives.exercise import ExerciseRole
from .directives.facts import CourseFacts
from .directives.faq import Faq
from .directives.module_header import ModuleHeader, check_module_title
from .directives.roles import FactRole, ModuleRole, SessionRole
from .directives.session import SessionOverview, SessionPage, SessionToctree
from .directives.tas import TaTable
from .directives.timeplan import Timeplan
from .domain import setup_domain
from .edit_links import setup_edit_links
from .exercises import setup_exercises
from .highlight import setup_highlight
from .last_updated import setup_last_updated
from .lean import setup_lean
from .links import setup_links
from .lock import setup_lock
from .navigation import setup_navigation
from .offline import setup_offline
from .pages import setup_pages
from .pdf import setup_print
from .planner.extension import setup_planner
from .prune import setup_prune
from .search import setup_search
from .sidebar import setup_sidebar
from .sitemap import setup_sitemap
from .smartquotes import setup_smartquotes
from .template_cache import setup_template_cache
from .template_checks import setup_template_checks
from .traversal import setup_traversal

__version__ = "2026.1.0"

STATIC = Path(__file__).parent / "static"


def add_html_assets(app: Sphinx) -> None:
    """Styles for badges, cards and tables; only HTML builders get them."""
    if app.builder.format == "html":
        app.config.html_static_path.append(str(STATIC))
        app.add_css_file("mlops_handbook.css")


def setup(app: Sphinx) -> ExtensionMetadata:
    setup_config(app)
    setup_banners(app)
    setup_collector(app)
    app.setup_extension("sphinx_design")
    setup_diagrams(app)
    setup_domain(app)
    setup_edit_links(app)
    setup_exercises(app)
    setup_highlight(app)
    setup_last_updated(app)
    setup_lean(app)
    setup_links(app)
    setup_lock(app)
    setup_navigation(app)
    setup_offline(app)
    setup_pages(app)
    setup_print(app)
    setup_planner(app)
    setup_prune(app)
    setup_search(app)
    setup_sidebar(app)
    setup_sitemap(app)
    setup_smartquotes(app)
    setup_template_cache(app)
    setup_template_checks(app)
    setup_traversal(app)
    for name, directive in {
        "module-header": ModuleHeader,
        "session-overview": SessionOverview,
        "session-page": SessionPage,
        "session-toctree": SessionToctree,
        "ta-table": TaTable,
        "timeplan": Timeplan,
        "faq": Faq,
        "course-facts": CourseFacts,
    }.items():
        app.add_directive(name, directive)
    app.add_role("module", ModuleRole())
    app.add_role("session", SessionRole())
    app.add_role("fact", FactRole())
    app.add_role("ex", ExerciseRole())
    app.connect("doctree-read", check_module_title)
    app.connect("builder-inited", add_html_assets)
    return {
        "version": __version__,
        "env_version": 4,  # 4: pages record their exercises' levels and times
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
