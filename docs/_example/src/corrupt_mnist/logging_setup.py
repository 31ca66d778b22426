"""Configure logging once, in an entry point, from configs/logging.yaml."""

import logging
import logging.config
from pathlib import Path

import yaml

from corrupt_mnist.paths import CONFIGS_DIR


def setup_logging(config: Path = CONFIGS_DIR / "logging.yaml") -> None:
    """Apply the handlers of `config` and send warnings from libraries to the same log."""
    settings = yaml.safe_load(config.read_text())
    for handler in settings.get("handlers", {}).values():
        if "filename" in handler:  # a file handler cannot create its folder itself
            Path(handler["filename"]).parent.mkdir(parents=True, exist_ok=True)
    logging.config.dictConfig(settings)
    # warnings.warn() goes to stderr only; captured, it reaches the log file as `py.warnings`.
    logging.captureWarnings(True)
