"""One worker of a study that several cluster jobs share (the high performance clusters module).

Every element of a job array runs `python scripts/tune_worker.py --trials 5`; all of them add
their trials to one study in a journal file. Run it with --split once beforehand, on the login
node: four jobs writing the same split at the same moment could read each other's half files.
"""

import socket
from pathlib import Path

import optuna
import typer
from optuna.storages import JournalStorage
from optuna.storages.journal import JournalFileBackend

from tune_mnist import TUNING_DIR, make_validation_split, objective

JOURNAL = Path("optuna_journal.log")  # only ever appended to: safe on a network file system
STUDY = "mnist-sweep"


def shared_study() -> optuna.Study:
    """The study in the journal file, created by whichever worker comes first."""
    storage = JournalStorage(JournalFileBackend(str(JOURNAL)))
    return optuna.create_study(
        study_name=STUDY, storage=storage, direction="maximize", load_if_exists=True
    )


def tagged(trial: optuna.Trial) -> float:
    """The tuning module's objective, with the host that ran the trial written beside it."""
    trial.set_user_attr("host", socket.gethostname())
    return objective(trial)


def main(trials: int = 5, split: bool = False) -> None:
    """Add TRIALS trials to the shared study; --split only writes the validation split."""
    if split:
        make_validation_split()
        return
    if not (TUNING_DIR / "test_targets.pt").exists():
        typer.echo(f"error: no {TUNING_DIR}; run this script with --split first", err=True)
        raise typer.Exit(1)
    shared_study().optimize(tagged, n_trials=trials)


if __name__ == "__main__":
    typer.run(main)
