"""Dates ("Last updated") for pages whose text lives in the course data.

sphinx-last-updated-by-git dates each page by the last commit of its source file. A generated
session page has no committed source, and the TA, time plan and FAQ pages change when their
data changes; those pages take the date of the file their text comes from (see
:mod:`.edit_links`), or of their own source if that is newer.
"""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.util.i18n import format_date

from .edit_links import source_file


@cache
def commit_time(root: Path, path: str) -> int | None:
    """When the last commit that changed ``path`` was made (epoch seconds), if git knows."""
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%ct", "--", path],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return int(out) if out else None


def date_from_data(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    text = source_file(app, pagename)
    own = getattr(app.env, "git_last_updated", {}).get(pagename)
    if text is None or not app.config.html_last_updated_fmt or app.builder.name != "html":
        return
    if (
        pagename in app.env.all_docs
        and Path(app.env.doc2path(pagename)).resolve() == (Path(app.confdir) / text).resolve()
    ):
        return  # the page's own source: sphinx-last-updated-by-git has dated it
    # The extension keeps its timestamp as git printed it (bytes), or None.
    times = [int(t) for t in (commit_time(Path(app.confdir), str(text)), own and own[0]) if t]
    if not times:
        return
    date = datetime.fromtimestamp(int(max(times)), UTC).astimezone(
        app.config.git_last_updated_timezone
    )
    context["last_updated"] = format_date(
        app.config.html_last_updated_fmt, date=date, language=app.config.language
    )


def setup_last_updated(app: Sphinx) -> None:
    # After sphinx-last-updated-by-git (default priority) has dated the page's own source.
    app.connect("html-page-context", date_from_data, priority=520)
