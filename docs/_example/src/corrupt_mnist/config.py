"""Compose the experiment configuration from configs/ at the project root."""

from hydra import compose, initialize
from omegaconf import DictConfig

# Relative to this file: src/corrupt_mnist/ -> src/ -> the project root.
CONFIG_PATH = "../../configs"


def load_config(overrides: list[str] | None = None) -> DictConfig:
    """Build the config from configs/config.yaml plus overrides such as `training.lr=0.01`."""
    with initialize(version_base="1.3", config_path=CONFIG_PATH):
        return compose(config_name="config", overrides=overrides or [])
