"""The extension's settings as one typed dataclass; each field is a ``handbook_*`` value."""

from __future__ import annotations

from dataclasses import dataclass, fields

from sphinx.application import Sphinx
from sphinx.config import Config


@dataclass(frozen=True)
class HandbookConfig:
    """Where the course data and the session pages live, relative to the source directory."""

    data_dir: str = "_data"
    sessions_dir: str = "sessions"

    @classmethod
    def from_sphinx(cls, config: Config) -> HandbookConfig:
        return cls(**{f.name: getattr(config, f"handbook_{f.name}") for f in fields(cls)})


def setup_config(app: Sphinx) -> None:
    for f in fields(HandbookConfig):
        app.add_config_value(f"handbook_{f.name}", f.default, "env", types=(str,))
