"""Write each session's page from the data, so a new session needs no hand-made file.

A generated page holds no text from the data, only the ``session-page`` directive, which finds
its session by the page's own path and renders the title and overview as nodes. A title can
then never become markup. Files are rewritten only when their text changes, which keeps
incremental builds incremental. Every page read is checked for what an unfinished merge
leaves in it, which Markdown would otherwise publish as text and block quotes; a code block
may show such markers on purpose (the git module does).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

from .config import HandbookConfig
from .domain import handbook
from .loader import conflicts
from .model import CourseData, Session
from .validate import GENERATED_MARK, OUT_OF_SOURCES, is_generated, linked_out

logger = logging.getLogger(__name__)

# A code fence's opening line, and the run of backticks or tildes that a closing line repeats.
_FENCE = re.compile(r"[ \t]*(`{3,}|~{3,})")

SESSION_SOURCE = (
    f"{GENERATED_MARK} from _data/sessions.yaml: edit the data, not this file. -->\n"
    "```{session-page}\n```\n"
)


def session_page_path(root: Path, session: Session) -> Path | None:
    """``<root>/<folder>/index.md``, or None if the folder would lead anywhere but one level down.

    The data's validation already insists on a slug; this is the last line of defence before a
    file is written. The folder is resolved, not the page: a page that is a link is refused
    by :func:`write_session_page`, never followed.
    """
    folder = (root / session.folder).resolve()
    return folder / "index.md" if folder.parent == root and folder.name == session.folder else None


def write_session_page(path: Path) -> str | None:
    """Write the generated page at ``path`` unless it is there already; why not, if it cannot.

    A page the build wrote before is replaced (the file is git-ignored), but a link is not
    followed (it would overwrite the page it points to), a folder is not removed, and a page
    without the generated mark, written by a maintainer, is never overwritten.
    """
    if path.is_symlink() or (path.exists() and not path.is_file()):
        return "is a link or a folder where the session's generated page goes: delete it"
    if path.is_file() and not is_generated(path):
        return (
            "was written by hand, but this page is generated from the data and would replace "
            "it: move its text into the session's intro in _data/sessions.yaml (MyST), then "
            "delete the file"
        )
    try:
        if not path.is_file() or path.read_bytes() != SESSION_SOURCE.encode():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(SESSION_SOURCE.encode())
    except OSError as error:
        return f"cannot be written: {error.strerror or type(error).__name__}"
    return None


def write_session_pages(data: CourseData, srcdir: Path) -> None:
    root = (srcdir / data.sessions_dir).resolve()
    if not root.is_relative_to(srcdir.resolve()):  # the pages would be written out there
        logger.error(
            f"{srcdir.name}/{data.sessions_dir} is {OUT_OF_SOURCES}, so no session page was "
            "written: put the folder itself there",
            type="handbook",
        )
        return
    wanted = set()
    for session in data.sessions:
        path = session_page_path(root, session)
        if path is None:
            why = f"folder {session.folder[:80]!r} is not a plain folder name"
        elif failed := write_session_page(path):
            why = f"{path.relative_to(srcdir.resolve()).as_posix()} {failed}"
        else:
            wanted.add(path)
            continue
        logger.error(
            f"session {session.id}: {why}; no page was written for it",
            location=str(session.place("folder")),
            type="handbook",
        )
    for stale in root.glob("*/index.md"):
        if stale not in wanted and not stale.is_symlink() and is_generated(stale):
            stale.unlink()


def generate_pages(app: Sphinx) -> None:
    write_session_pages(handbook(app.env).course, Path(app.srcdir))


def outside_code(text: str) -> str:
    """``text`` with the lines inside fenced code blocks emptied, so each line keeps its number."""
    kept, fence = [], ""
    for line in text.split("\n"):
        opening = _FENCE.match(line)
        if fence:
            if opening and opening.group(1).startswith(fence) and not line[opening.end() :].strip():
                fence = ""  # the same character, at least as many times, and nothing after
            kept.append("")
        else:
            fence = opening.group(1) if opening else ""
            kept.append(line)
    return "\n".join(kept)


def refuse_conflicts(app: Sphinx, docname: str, source: list[str]) -> None:
    """Warn (so fail the build) at each merge conflict git left in a page, outside its code."""
    for line, message in conflicts(outside_code(source[0])):
        logger.warning(message, location=(docname, line), type="handbook")


def links_out(srcdir: Path, skipped: set[Path]) -> list[tuple[Path, str]]:
    """Every link under ``srcdir`` (outside ``skipped``) that leads out of it, and why not."""
    found = []
    folders = [srcdir]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                path = Path(entry.path)
                if path in skipped:
                    continue
                if entry.is_symlink():
                    if why := linked_out(path, srcdir, "file"):
                        found.append((path, why))
                elif entry.is_dir():
                    folders.append(path)
    return sorted(found)


def refuse_links_out(app: Sphinx) -> None:
    """Stop at a page, picture or file in the sources that is a link out of them.

    Sphinx follows links: a page linked to /etc/passwd would be published with its text, a
    picture with its bytes. The data files are checked as they are loaded; so are the sessions'
    folders and pages, and a link out there has stopped the build (at its line) before this
    runs, which leaves the other files of the session folders, such as pictures, to this walk.
    """
    srcdir = Path(app.srcdir)
    skipped = {srcdir / HandbookConfig.from_sphinx(app.config).data_dir}
    for path, why in links_out(srcdir, skipped):
        shown = path.relative_to(srcdir.parent).as_posix()  # like docs/faq.md
        logger.error(f"{shown}: {why}", type="handbook")


def setup_pages(app: Sphinx) -> None:
    # After the data is loaded (priority 400), before Sphinx looks for source files.
    app.connect("builder-inited", generate_pages, priority=450)
    app.connect("builder-inited", refuse_links_out, priority=450)
    app.connect("source-read", refuse_conflicts)
