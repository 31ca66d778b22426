"""Tune MnistCNN through its Hydra config with Optuna: python scripts/tune_mnist.py --trials 10.

The search scores each trial on a validation split of the training data, so the test set in
data/processed/ stays untouched until the winner is evaluated once.
"""

from pathlib import Path

import optuna
import torch
import typer

from corrupt_mnist.config import load_config
from corrupt_mnist.data import PROCESSED_FILES
from corrupt_mnist.evaluate import evaluate
from corrupt_mnist.train import train

TUNING_DIR = Path("data/tuning")


def make_validation_split(source: Path = Path("data/processed"), target: Path = TUNING_DIR) -> None:
    """Save 90 % of the training tensors as train_*, the last 10 % as test_* for validation.

    train() and evaluate() read whatever folder paths.processed names, so pointing it here
    turns evaluate() into a validation score with no change to their code.
    """
    images = torch.load(source / "train_images.pt")
    targets = torch.load(source / "train_targets.pt")
    cut = int(0.9 * len(targets))  # the data step drew the images at random: no need to shuffle
    target.mkdir(parents=True, exist_ok=True)
    parts = (images[:cut], targets[:cut], images[cut:], targets[cut:])
    for name, tensor in zip(PROCESSED_FILES, parts, strict=True):
        torch.save(tensor, target / name)


def objective(trial: optuna.Trial) -> float:
    """Train one epoch with the trial's values as Hydra overrides; return validation accuracy."""
    overrides = [
        f"paths.processed={TUNING_DIR}",
        f"paths.model=models/tuning/trial_{trial.number}.pt",
        "training.epochs=1",
        f"training.lr={trial.suggest_float('lr', 1e-4, 1e-2, log=True)}",
        f"model.channels={trial.suggest_categorical('channels', [16, 32, 64])}",
        f"model.dropout={trial.suggest_float('dropout', 0.0, 0.5)}",
    ]
    cfg = load_config(overrides)
    train(cfg)
    return evaluate(cfg)


def baseline() -> dict[str, float | int]:
    """The config's own values, run as trial 0 so the search has to beat the defaults."""
    cfg = load_config()
    return {"lr": cfg.training.lr, "channels": cfg.model.channels, "dropout": cfg.model.dropout}


def main(trials: int = 10) -> optuna.Study:
    """Run the study and print the best parameters, ready to pass as overrides."""
    make_validation_split()
    study = optuna.create_study(direction="maximize", sampler=optuna.samplers.TPESampler(seed=0))
    study.enqueue_trial(baseline())
    study.optimize(objective, n_trials=trials)
    print(f"best validation accuracy {study.best_value:.3f} with {study.best_params}")
    return study


if __name__ == "__main__":
    typer.run(main)
