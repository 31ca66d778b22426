"""Write each session's page from the data, so a new session needs no hand-made file.

Files are rewritten only when their text changes, which keeps incremental builds incremental.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx

from .domain import handbook
from .model import CourseData, Session
from .validate import GENERATED_MARK


def session_source(session: Session) -> str:
    return (
        f"{GENERATED_MARK} from _data/sessions.yaml: edit the data, not this file. -->\n"
        f"# {session.label}\n\n"
        f"```{{session-overview}} {session.id}\n```\n"
    )


def write_session_pages(data: CourseData, srcdir: Path) -> None:
    root = srcdir / data.sessions_dir
    wanted = {root / s.folder / "index.md": session_source(s) for s in data.sessions}
    for path, text in wanted.items():
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    for stale in root.glob("*/index.md"):
        if stale not in wanted and stale.read_text(encoding="utf-8").startswith(GENERATED_MARK):
            stale.unlink()


def generate_pages(app: Sphinx) -> None:
    write_session_pages(handbook(app.env).course, Path(app.srcdir))


def setup_pages(app: Sphinx) -> None:
    # After the data is loaded (priority 400), before Sphinx looks for source files.
    app.connect("builder-inited", generate_pages, priority=450)
