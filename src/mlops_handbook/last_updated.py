"""Dates ("Last updated") for pages whose text lives in the course data.

sphinx-last-updated-by-git dates each page by the last commit of its source file. A generated
session page has no committed source, and the TA, time plan and FAQ pages change when their
data changes; those pages take the date of the file their text comes from (see
:mod:`.edit_links`), or of their own source if that is newer.

Asking git was most of the wall time of a one-page rebuild's reading (about 0.1 s: a
``git log`` per folder of the page and of each file it includes), and a second of a clean
build's. A file's date depends only on the commit checked out, so the answers are kept by
commit (:class:`GitDates`, in ``handbook_git_dates_cache``, which ``--clean`` keeps) and git
is asked again only after a commit, a checkout or for a new file.
"""

from __future__ import annotations

import pickle
import subprocess
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import sphinx_last_updated_by_git as by_git
from sphinx.application import Sphinx
from sphinx.util.i18n import format_date

from .config import HandbookConfig
from .edit_links import source_file

DATES_FILE = "git-dates.pickle"
# sphinx-last-updated-by-git's own function: (folder, excluded commits, {file: None}) -> None,
# filling in each file git knows with (author time, whether the history is cut short).
AskGit = Callable[[Path, set[bytes], dict[str, Any]], None]


def checked_out(folder: Path) -> str | None:
    """The repository, commit and shallowness of ``folder``: what every date there rests on."""
    try:
        return subprocess.run(
            ["git", "rev-parse", "--show-toplevel", "HEAD", "--is-shallow-repository"],
            cwd=folder,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None


def repository_of(folder: Path) -> Path:
    """The nearest folder, ``folder`` or above it, with a ``.git`` (a worktree's is a file).

    Every folder below it answers ``git rev-parse`` alike, so it is asked once for all of
    them. Without one, the folder stands for itself (``GIT_DIR`` may still name a repository).
    """
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return folder


ASK_GIT: AskGit = by_git.update_file_dates


class GitDates:
    """Dates git gave for files at a commit, kept in one file from one build to the next.

    Only ever a cache: a key holds the repository's commit, so a commit, checkout or fetch
    that changes any date also changes the key, and a broken or missing file means asking git.
    """

    def __init__(self, file: Path) -> None:
        self.file = file
        self.states: dict[Path, str | None] = {}  # per repository, asked once per build
        self.learned = False  # whether git told this build anything the file does not hold
        try:
            self.known: dict[tuple[str, ...], Any] = pickle.loads(file.read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError):
            self.known = {}
        if not isinstance(self.known, dict):
            self.known = {}

    def state(self, folder: Path) -> str | None:
        repository = repository_of(folder.absolute())
        if repository not in self.states:
            self.states[repository] = checked_out(folder)
        return self.states[repository]

    def save(self, *_: object) -> None:
        """Write the answers for the commits of this build (older commits' are dropped).

        Once, when the build finishes (``build-finished``), if git was asked anything.
        """
        if not self.learned:
            return
        current = set(self.states.values())
        self.known = {key: value for key, value in self.known.items() if key[0] in current}
        self.file.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.file.with_name(f".{self.file.name}.new")
        temporary.write_bytes(pickle.dumps(self.known, protocol=5))
        temporary.replace(self.file)

    def asking(self, ask: AskGit) -> AskGit:
        """``ask``, answered from this cache where it can be, and remembered where not."""

        def update_file_dates(folder: Path, exclude: set[bytes], dates: dict[str, Any]) -> None:
            state = self.state(folder)
            if state is None:
                ask(folder, exclude, dates)
                return
            scope = (state, str(folder), *sorted(c.decode() for c in exclude))
            wanted = [name for name in dates if (*scope, name) not in self.known]
            if wanted:
                fresh: dict[str, Any] = dict.fromkeys(wanted)
                ask(folder, exclude, fresh)
                self.known.update({(*scope, name): fresh[name] for name in wanted})
                self.learned = True
            for name in dates:
                dates[name] = self.known[(*scope, name)]

        return update_file_dates

    def commit_time(self, root: Path, path: str) -> int | None:
        """:func:`commit_time`, remembered by commit."""
        state = self.state(root)
        if state is None:
            return None
        key = (state, str(root), "commit time", path)
        if key not in self.known:
            self.known[key] = commit_time(root, path)
            self.learned = True
        return self.known[key]


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
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: Any,
    *,
    dates: GitDates,
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
    times = [int(t) for t in (dates.commit_time(Path(app.confdir), str(text)), own and own[0]) if t]
    if not times:
        return
    date = datetime.fromtimestamp(int(max(times)), UTC).astimezone(
        app.config.git_last_updated_timezone
    )
    context["last_updated"] = format_date(
        app.config.html_last_updated_fmt, date=date, language=app.config.language
    )


def remember_dates(app: Sphinx) -> None:
    """Answer sphinx-last-updated-by-git's questions to git from this build's :class:`GitDates`."""
    kept = HandbookConfig.from_sphinx(app.config).git_dates_cache
    dates = GitDates(Path(app.confdir, kept) if kept else Path(app.doctreedir) / DATES_FILE)
    by_git.update_file_dates = dates.asking(ASK_GIT)
    # After sphinx-last-updated-by-git (default priority) has dated the page's own source.
    app.connect("html-page-context", partial(date_from_data, dates=dates), priority=520)
    app.connect("build-finished", dates.save)


def setup_last_updated(app: Sphinx) -> None:
    app.connect("builder-inited", remember_dates)
