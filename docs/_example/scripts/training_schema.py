"""Check the training section of a config against typed fields (the config files module).

Run ``uv run python scripts/training_schema.py [CONFIG]`` (default configs/config.yaml): it prints
the checked section, or stops at once with a ValidationError that names the key at fault.
"""

import sys
from dataclasses import dataclass

from omegaconf import DictConfig, ListConfig, OmegaConf


@dataclass
class TrainingConfig:
    """The values the training loop reads, with their types."""

    epochs: int = 3
    batch_size: int = 64
    num_workers: int = 0
    lr: float = 1e-3
    resume: str | None = None


def checked_training(cfg: DictConfig | ListConfig) -> DictConfig | ListConfig:
    """The training section merged into the schema: a wrong type or an unknown key raises."""
    schema = OmegaConf.structured(TrainingConfig)
    return OmegaConf.merge(schema, cfg.training)


if __name__ == "__main__":
    config = OmegaConf.load(sys.argv[1] if len(sys.argv) > 1 else "configs/config.yaml")
    print(OmegaConf.to_yaml(checked_training(config)))
