"""Tune a small MLP on scikit-learn's digits with Optuna: python scripts/tune_digits.py.

The digits ship with scikit-learn, so the search runs offline in a few minutes; it is the
hyperparameter module's warm-up before the same ideas tune MnistCNN (scripts/tune_mnist.py).
"""

import optuna
import torch
import typer
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from torch import nn

x, y = load_digits(return_X_y=True)
x_train, x_val, y_train, y_val = train_test_split(x / 16.0, y, test_size=0.25, random_state=0)
x_train = torch.tensor(x_train, dtype=torch.float32)
x_val = torch.tensor(x_val, dtype=torch.float32)
y_train, y_val = torch.tensor(y_train), torch.tensor(y_val)


def build_model(trial: optuna.Trial) -> nn.Module:
    """Sample an MLP architecture; deeper nets get extra width questions."""
    dropout = trial.suggest_float("dropout", 0.0, 0.5)
    layers: list[nn.Module] = []
    width_in = 64
    for i in range(trial.suggest_int("n_layers", 1, 3)):
        width_out = trial.suggest_int(f"units_l{i}", 16, 256, log=True)
        layers += [nn.Linear(width_in, width_out), nn.ReLU(), nn.Dropout(dropout)]
        width_in = width_out
    layers.append(nn.Linear(width_in, 10))
    return nn.Sequential(*layers)


def train_mlp(trial: optuna.Trial, prune: bool = True) -> tuple[nn.Module, float]:
    """Train one sampled MLP for up to 100 epochs; return it with its validation accuracy."""
    torch.manual_seed(0)
    model = build_model(trial)
    lr = trial.suggest_float("lr", 1e-4, 1e-1, log=True)
    if trial.suggest_categorical("optimizer", ["adam", "sgd"]) == "adam":
        optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    else:
        optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)

    for epoch in range(100):
        model.train()
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(x_train), y_train).backward()
        optimizer.step()
        model.eval()
        with torch.no_grad():
            accuracy = (model(x_val).argmax(dim=1) == y_val).float().mean().item()
        if prune:
            trial.report(accuracy, step=epoch)
            if trial.should_prune():
                raise optuna.TrialPruned()
    return model, accuracy


def objective(trial: optuna.Trial) -> float:
    """The study's score: the validation accuracy of one sampled MLP."""
    return train_mlp(trial)[1]


def main(trials: int = 30) -> None:
    """Search with pruning and print the best configuration."""
    study = optuna.create_study(
        direction="maximize",
        sampler=optuna.samplers.TPESampler(seed=0),
        pruner=optuna.pruners.MedianPruner(n_startup_trials=5, n_warmup_steps=10),
    )
    study.optimize(objective, n_trials=trials)
    print(f"best accuracy {study.best_value:.3f} with {study.best_params}")


if __name__ == "__main__":
    typer.run(main)
