"""Save the plots and the table of a stored digits study: python scripts/digits_report.py.

Reads the SQLite study that several processes filled (the sharing exercise), so the report
covers every trial, whichever terminal ran it.
"""

from pathlib import Path

import matplotlib.pyplot as plt
import optuna
import typer
from optuna.visualization.matplotlib import plot_optimization_history, plot_param_importances


def main(
    storage: str = "sqlite:///optuna.db",
    study_name: str = "digits-mlp",
    folder: Path = Path("reports/figures"),
) -> None:
    """Write the optimisation history, the parameter importances and every trial as CSV."""
    study = optuna.load_study(study_name=study_name, storage=storage)
    folder.mkdir(parents=True, exist_ok=True)
    plot_optimization_history(study)
    plt.savefig(folder / "optimization_history.png", dpi=150, bbox_inches="tight")
    plot_param_importances(study)
    plt.savefig(folder / "param_importances.png", dpi=150, bbox_inches="tight")
    study.trials_dataframe().to_csv(folder / "trials.csv", index=False)
    ranking = list(optuna.importance.get_param_importances(study))
    print(f"{len(study.trials)} trials; most important first: {', '.join(ranking)}")


if __name__ == "__main__":
    typer.run(main)
