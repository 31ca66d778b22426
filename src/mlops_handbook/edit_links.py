"""Header links that lead to the file a page's text really lives in, and to a prefilled issue.

The theme's "edit this page" link always points at the page's Markdown file. For the handbook
that is wrong twice over: session pages are generated (their file is not in the repository)
and the TA, time plan and FAQ pages are short stubs whose content is in the course data. Here
every page names the file to edit: a generated session page its data file, a page with
``edit-source`` in its front matter that file, any other page its own source.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlencode

from sphinx.application import Sphinx

from .config import HandbookConfig
from .domain import handbook

EDIT_SOURCE = "edit-source"


def generated_pages(app: Sphinx) -> dict[str, str]:
    """Docname of each generated session page -> the data file it is generated from."""
    config = HandbookConfig.from_sphinx(app.config)
    data = f"{config.data_dir}/sessions.yaml"
    return {
        f"{config.sessions_dir}/{session.folder}/index": data
        for session in handbook(app.env).course.sessions
    }


def source_file(app: Sphinx, pagename: str) -> PurePosixPath | None:
    """The file, relative to the repository root (conf.py's folder), that holds the page's text."""
    srcdir = Path(app.srcdir).resolve()
    root = Path(app.confdir).resolve()
    declared = app.env.metadata.get(pagename, {}).get(EDIT_SOURCE)
    if declared:
        path = srcdir / str(declared)
    elif pagename in generated_pages(app):
        path = srcdir / generated_pages(app)[pagename]
    elif pagename in app.env.all_docs:
        path = Path(app.env.doc2path(pagename)).resolve()
    else:
        return None  # search, 404 and other pages that Sphinx makes itself
    try:
        return PurePosixPath(path.resolve().relative_to(root).as_posix())
    except ValueError:
        return None


def report_url(repository: str, title: str, page_url: str, edition: str) -> str:
    """A new-issue URL whose title and body already say which page and which edition."""
    body = (
        f"Page: {page_url}\nEdition: {edition}\n\n"
        "What is wrong, and what did you expect? (A screenshot helps.)\n"
    )
    query = urlencode({"title": f"Problem on the page “{title}”", "body": body})
    return f"{repository}/issues/new?{query}"


def add_repository_buttons(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Replace the theme's single repository button with a group: repository, edit, report."""
    config = HandbookConfig.from_sphinx(app.config)
    repository = config.repository.rstrip("/")
    buttons = context.get("header_buttons")
    if not repository or buttons is None:
        return
    group: list[dict[str, str]] = [
        {
            "type": "link",
            "url": repository,
            "text": "Repository",
            "tooltip": "The handbook's source repository",
            "icon": "fab fa-github",
            "label": "source-repository-button",
        }
    ]
    edited = source_file(app, pagename)
    if edited is not None:
        group.append(
            {
                "type": "link",
                "url": f"{repository}/edit/{config.branch}/{edited}",
                "text": "Suggest an edit",
                "tooltip": f"Edit {edited}, the file this page's text comes from",
                "icon": "fas fa-pencil-alt",
                "label": "source-edit-button",
            }
        )
    base = app.config.html_baseurl.rstrip("/")
    page_url = f"{base}/{pagename}.html" if base else f"{pagename}.html"
    edition = handbook(app.env).course.course.edition.label
    title_node = app.env.titles.get(pagename)
    title = title_node.astext() if title_node is not None else pagename
    group.append(
        {
            "type": "link",
            "url": report_url(repository, title, page_url, edition),
            "text": "Report a problem",
            "tooltip": "Open an issue about this page",
            "icon": "fas fa-lightbulb",
            "label": "source-issues-button",
        }
    )
    buttons[:] = [b for b in buttons if b.get("label") != "source-repository-button"]
    buttons.append(
        {
            "type": "group",
            "tooltip": "Source and problems",
            "icon": "fab fa-github",
            "buttons": group,
            "label": "source-buttons",
        }
    )


def setup_edit_links(app: Sphinx) -> None:
    # After the theme has made its header buttons (priority 501).
    app.connect("html-page-context", add_repository_buttons, priority=510)
