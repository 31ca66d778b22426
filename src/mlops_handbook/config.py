"""The extension's settings as one typed dataclass; each field is a ``handbook_*`` value."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from sphinx.application import Sphinx
from sphinx.config import Config


@dataclass(frozen=True)
class HandbookConfig:
    """Where the course data and the session pages live, relative to the source directory.

    A field's ``rebuild`` metadata says what Sphinx must redo when it changes (default: re-read
    every page); a cache location changes nothing that is built.
    """

    data_dir: str = "_data"
    sessions_dir: str = "sessions"
    # Rendered Mermaid diagrams, relative to conf.py; empty keeps them beside the doctrees.
    diagram_cache: str = field(default="", metadata={"rebuild": ""})
    # Highlighted code blocks, relative to conf.py (see highlight.py); empty: no cache.
    highlight_cache: str = field(default="", metadata={"rebuild": ""})
    # Finished stylesheet bundles, diagrams and page words, relative to conf.py (see
    # lean/cache.py); empty: no cache.
    lean_cache: str = field(default="", metadata={"rebuild": ""})
    # Git's answers for the "Last updated" dates, by commit (see last_updated.py), relative to
    # conf.py; empty: beside the doctrees, so a clean build asks git again.
    git_dates_cache: str = field(default="", metadata={"rebuild": ""})
    # A lock file (relative to conf.py) held while Sphinx runs; see lock.py. Empty: none.
    build_lock: str = field(default="", metadata={"rebuild": ""})
    # The handbook's own repository (not the course's): edit and "report a problem" links.
    repository: str = field(default="", metadata={"rebuild": "html"})
    branch: str = field(default="main", metadata={"rebuild": "html"})
    # The printed PDFs, relative to conf.py; the Downloads page shows their sizes.
    pdf_dir: str = field(default="build/pdf", metadata={"rebuild": ""})

    @classmethod
    def from_sphinx(cls, config: Config) -> HandbookConfig:
        return cls(**{f.name: getattr(config, f"handbook_{f.name}") for f in fields(cls)})


def setup_config(app: Sphinx) -> None:
    for f in fields(HandbookConfig):
        rebuild = f.metadata.get("rebuild", "env")
        app.add_config_value(f"handbook_{f.name}", f.default, rebuild, types=(str,))
