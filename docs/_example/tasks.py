"""Shortcuts for the project's recurring commands: `uv run invoke --list` shows them all.

Run every task through `uv run invoke ...`: uv puts the project's environment first on PATH,
so the tasks can call `corrupt-mnist`, `dvc`, `pytest` and `ruff` by their plain names.
"""

import os
import shutil
import tomllib
from pathlib import Path

from invoke import Context, task

# A pseudo-terminal keeps colours and progress bars alive, but Windows has none.
PTY = os.name != "nt"


@task
def preprocess(ctx: Context, raw_dir: str = "data/raw") -> None:
    """Corrupt the raw MNIST files in RAW_DIR into tensors in data/processed/."""
    ctx.run(f"corrupt-mnist preprocess --raw-dir {raw_dir}", echo=True, pty=PTY)


@task
def train(ctx: Context, overrides: str = "") -> None:
    """Train the model; OVERRIDES are Hydra overrides such as "training.lr=0.01 model=wide"."""
    ctx.run(f"corrupt-mnist train {overrides}", echo=True, pty=PTY)


@task
def evaluate(ctx: Context) -> None:
    """Print the test accuracy of models/model.pt and write reports/metrics.json."""
    ctx.run("corrupt-mnist evaluate", echo=True, pty=PTY)


@task(pre=[preprocess, train, evaluate])
def pipeline(ctx: Context) -> None:
    """Preprocess, train and evaluate with the default settings, in this order."""


# [tasks-pipeline-end]
# [tasks-tools]
@task
def pull_data(ctx: Context) -> None:
    """Fetch the DVC-tracked data and models from the remote."""
    ctx.run("dvc pull", echo=True, pty=PTY)


@task
def test(ctx: Context) -> None:
    """Run the unit tests."""
    ctx.run("pytest tests/", echo=True, pty=PTY)


@task
def lint(ctx: Context) -> None:
    """Check formatting and lint rules without changing any file."""
    ctx.run("ruff format --check .", echo=True, pty=PTY)
    ctx.run("ruff check .", echo=True, pty=PTY)


def project_version() -> str:
    """The version in pyproject.toml, which tags the project's own images as compose.yaml does."""
    with open(Path(__file__).parent / "pyproject.toml", "rb") as file:
        return tomllib.load(file)["project"]["version"]


@task
def docker_build(ctx: Context, image: str = "train") -> None:
    """Build dockerfiles/IMAGE.dockerfile as corrupt-mnist-IMAGE:VERSION (train, api, frontend)."""
    tag = f"corrupt-mnist-{image}:{project_version()}"
    ctx.run(f"docker build -f dockerfiles/{image}.dockerfile -t {tag} .", echo=True, pty=PTY)


# [tasks-tools-end]
# [tasks-clean]
# What the pipeline writes and can write again; data/raw/ is not here on purpose.
GENERATED = (Path("data/processed"), Path("models"), Path("reports/metrics.json"))


@task
def clean(ctx: Context, yes: bool = False) -> None:
    """Delete data/processed/, models/ and reports/metrics.json (asks first unless --yes)."""
    existing = [path for path in GENERATED if path.exists()]
    if not existing:
        print("nothing to clean")
        return
    names = ", ".join(map(str, existing))
    if not yes and input(f"delete {names}? [y/N] ").strip().lower() != "y":
        print("nothing deleted")
        return
    for path in existing:
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
    print(f"deleted {names}")


# [tasks-clean-end]
