"""The iris classifier: one network definition for training and for serving."""

from pathlib import Path

import torch
from sklearn.datasets import load_iris

CLASS_NAMES = ["setosa", "versicolor", "virginica"]


def make_model() -> torch.nn.Module:
    """A small network from four measurements to three class scores."""
    return torch.nn.Sequential(torch.nn.Linear(4, 16), torch.nn.ReLU(), torch.nn.Linear(16, 3))


def train(out_path: str = "models/iris.pt", steps: int = 300) -> None:
    """Fit the network to the 150 flowers of scikit-learn's iris data and save its weights."""
    torch.manual_seed(0)
    features, labels = load_iris(return_X_y=True)
    x = torch.tensor(features, dtype=torch.float32)
    y = torch.tensor(labels)
    model = make_model()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
    for _ in range(steps):
        optimizer.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
    Path(out_path).parent.mkdir(parents=True, exist_ok=True)
    torch.save(model.state_dict(), out_path)
    print(f"saved {out_path}, final loss {loss.item():.3f}")


if __name__ == "__main__":
    train()
