"""Compare TPE with random search on the digits study: python scripts/compare_samplers.py.

Pruning is off, so both samplers pay for every trial and the curves compare like with like.
"""

from collections.abc import Callable
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import optuna
import typer

from tune_digits import objective


def best_so_far(
    sampler: optuna.samplers.BaseSampler,
    trials: int,
    score: Callable[[optuna.Trial], float] = objective,
) -> np.ndarray:
    """Run one study without pruning; return the best accuracy reached after each trial."""
    study = optuna.create_study(
        direction="maximize", sampler=sampler, pruner=optuna.pruners.NopPruner()
    )
    study.optimize(score, n_trials=trials)
    return np.maximum.accumulate([trial.value for trial in study.trials])


def main(trials: int = 40, figure: Path = Path("reports/figures/sampler_comparison.png")) -> None:
    """Plot both samplers' best-so-far curves in one figure."""
    samplers = {
        "TPE": optuna.samplers.TPESampler(seed=0),
        "random": optuna.samplers.RandomSampler(seed=0),
    }
    fig, ax = plt.subplots()
    for name, sampler in samplers.items():
        curve = best_so_far(sampler, trials)
        ax.plot(range(1, trials + 1), curve, label=name)
        print(f"{name}: best validation accuracy {curve[-1]:.3f} after {trials} trials")
    ax.set_xlabel("trial")
    ax.set_ylabel("best validation accuracy so far")
    ax.legend()
    figure.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(figure, dpi=150)


if __name__ == "__main__":
    typer.run(main)
