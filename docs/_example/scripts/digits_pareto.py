"""Trade accuracy against size on the digits study: python scripts/digits_pareto.py.

With two objectives there is no single best trial, only the Pareto front: trials that no other
trial beats on both accuracy and parameter count.
"""

import optuna
import typer
from optuna.trial import FrozenTrial

from tune_digits import train_mlp


def objective(trial: optuna.Trial) -> tuple[float, int]:
    """Return the validation accuracy and the number of parameters of one sampled MLP."""
    model, accuracy = train_mlp(trial, prune=False)  # pruning needs a single objective
    return accuracy, sum(p.numel() for p in model.parameters())


def smallest_within(front: list[FrozenTrial], tolerance: float = 0.01) -> FrozenTrial:
    """The smallest model on the front whose accuracy is at most `tolerance` below the best."""
    best = max(trial.values[0] for trial in front)
    good_enough = [trial for trial in front if trial.values[0] >= best - tolerance]
    return min(good_enough, key=lambda trial: trial.values[1])


def main(trials: int = 30) -> None:
    """Search both objectives, print the front from small to large and the pick."""
    study = optuna.create_study(
        directions=["maximize", "minimize"], sampler=optuna.samplers.TPESampler(seed=0)
    )
    study.optimize(objective, n_trials=trials)
    for trial in sorted(study.best_trials, key=lambda t: t.values[1]):
        print(f"accuracy {trial.values[0]:.3f}, parameters {int(trial.values[1])}, {trial.params}")
    pick = smallest_within(study.best_trials)
    print(f"pick: trial {pick.number} with {int(pick.values[1])} parameters")


if __name__ == "__main__":
    typer.run(main)
