"""The `corrupt-mnist` command: one subcommand per step of the pipeline."""

import json
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from hydra.errors import HydraException
from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from corrupt_mnist.config import load_config

# Each command imports PyTorch only when it runs, so `--help` and mistakes answer at once.

app = typer.Typer()  # its help text is the docstring of `main`, the callback below

Overrides = Annotated[
    list[str] | None, typer.Argument(help="Hydra overrides such as training.lr=0.01 or model=wide.")
]
# [raw-dir-option]
# Shared by `download` and `preprocess`: one option name and one variable for the same folder.
RawDir = Annotated[
    Path, typer.Option(envvar="CORRUPT_MNIST_RAW_DIR", help="Folder of the raw MNIST files.")
]
# [raw-dir-option-end]
# [size-option]
# Checked while parsing, so a bad size fails before a single file is read.
Size = Annotated[int, typer.Option(min=1, help="Number of images to keep; at least 1.")]
# [size-option-end]


# [device-option]
class Device(StrEnum):
    """The devices `train --device` accepts; Click refuses any other word while parsing."""

    cpu = "cpu"
    cuda = "cuda"
    mps = "mps"


DeviceOption = Annotated[
    Device | None, typer.Option(help="Train on this device; without it, the best one found.")
]
# [device-option-end]


# [verbose]
@dataclass
class Output:
    """What the app-wide options ask of every command; set once per run by `main`."""

    verbose: bool = False


output = Output()


@app.callback()
def main(
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Also print the composed config.")
    ] = False,
) -> None:
    """Build the corrupted MNIST data, train the classifier and evaluate it."""
    output.verbose = verbose


# [verbose-end]


def config_or_exit(overrides: list[str] | None) -> DictConfig:
    """Compose the config; a mistyped override becomes a one-line error, not a traceback."""
    try:
        cfg = load_config(overrides)
    except (HydraException, OmegaConfBaseException) as error:
        typer.echo(f"error in the overrides {overrides}: {error}", err=True)
        raise typer.Exit(2) from None
    if output.verbose:
        typer.echo(f"composed config:\n{OmegaConf.to_yaml(cfg)}", err=True)
    return cfg


def exit_if_missing(*paths: Path, hint: str) -> None:
    """Stop with a clear message when an earlier step has not produced its files yet."""
    for path in paths:
        if not path.exists():
            typer.echo(f"error: {path} does not exist; {hint}", err=True)
            raise typer.Exit(1)


@app.command()
def download(raw_dir: RawDir = Path("data/raw")) -> None:
    """Download the original MNIST files into RAW_DIR."""
    from corrupt_mnist.data import download as fetch

    fetch(raw_dir)


@app.command()
def preprocess(
    raw_dir: RawDir = Path("data/raw"),
    processed_dir: Path = Path("data/processed"),
    train_size: Size = 25_000,
    test_size: Size = 5_000,
    seed: int = 42,
) -> None:
    """Corrupt the raw MNIST files and save the tensors to PROCESSED_DIR."""
    exit_if_missing(raw_dir, hint="run `corrupt-mnist download` first (or `dvc pull`)")
    from corrupt_mnist.data import preprocess as build

    build(raw_dir, processed_dir, train_size, test_size, seed)


def exit_if_unusable(device: Device) -> None:
    """Ask PyTorch for an empty tensor on the device: a one-line error now, not mid-training."""
    import torch

    try:
        torch.empty(0, device=device.value)
    except (AssertionError, RuntimeError) as error:  # a CPU-only build asserts, a driver raises
        reason = str(error).splitlines()[0]  # MPS off a Mac explains itself over 60 lines
        typer.echo(f"error: --device {device.value} is not usable here: {reason}", err=True)
        raise typer.Exit(1) from None


@app.command()
def train(overrides: Overrides = None, device: DeviceOption = None) -> None:
    """Train the model with the config from configs/ and any overrides."""
    cfg = config_or_exit(overrides)
    exit_if_missing(Path(cfg.paths.processed), hint="run `corrupt-mnist preprocess` first")
    if device is not None:
        exit_if_unusable(device)
    from corrupt_mnist.train import train as run_training

    run_training(cfg, device.value if device else None)


@app.command()
def train_lit(overrides: Overrides = None) -> None:
    """Train the same model with PyTorch Lightning; the Trainer's flags are in configs/trainer/."""
    cfg = config_or_exit(overrides)
    exit_if_missing(Path(cfg.paths.processed), hint="run `corrupt-mnist preprocess` first")
    from corrupt_mnist.logging_setup import setup_logging
    from corrupt_mnist.train_lit import train_lit as run_training

    setup_logging()  # after importing Lightning: the config replaces the handlers it adds itself
    run_training(cfg)


@app.command()
def evaluate(overrides: Overrides = None, metrics: Path = Path("reports/metrics.json")) -> None:
    """Print the test accuracy of the saved model and write it to METRICS."""
    cfg = config_or_exit(overrides)
    exit_if_missing(Path(cfg.paths.model), hint="run `corrupt-mnist train` first")
    from corrupt_mnist.evaluate import evaluate as run_evaluation

    accuracy = run_evaluation(cfg)
    metrics.parent.mkdir(parents=True, exist_ok=True)
    metrics.write_text(json.dumps({"accuracy": accuracy}) + "\n")
    print(f"test accuracy: {accuracy:.3f}")


# [data-group]
# The same two functions a second time, under `corrupt-mnist data ...`; the flat names stay,
# because dvc.yaml, tasks.py and the Dockerfiles call them.
data_app = typer.Typer(help="Get and prepare the data: `download`, then `preprocess`.")
data_app.command("download")(download)
data_app.command("preprocess")(preprocess)
app.add_typer(data_app, name="data")
# [data-group-end]


if __name__ == "__main__":
    app()
