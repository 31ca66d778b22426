"""A teammate's pull request: a validation split and a resumable checkpoint.

It trains on made-up digits shaped like data/processed, so it needs no download.
"""

import torch
from torch import nn

STRIPES = torch.arange(10) * 2 + 4  # an image of class k has a bright row at 4 + 2k


def make_digits(n: int, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """Normalised 1x28x28 images and int64 targets, like the processed data."""
    generator = torch.Generator().manual_seed(seed)
    targets = torch.randint(0, 10, (n,), generator=generator)
    images = 0.8 * torch.randn(n, 1, 28, 28, generator=generator)
    images[torch.arange(n), 0, STRIPES[targets], :] += 2.0
    return images, targets


def read_class(images: torch.Tensor) -> torch.Tensor:
    """The class a person would read off each image: its brightest stripe."""
    return images[:, 0, STRIPES, :].mean(dim=2).argmax(dim=1)


def split(images, targets, val_fraction: float = 0.2):
    """Shuffle once, then cut off a validation set."""
    order = torch.randperm(len(images), generator=torch.Generator().manual_seed(1))
    n_val = int(len(images) * val_fraction)
    train_idx, val_idx = order[n_val:], order[:n_val]
    return (images[train_idx], targets[train_idx]), (images[val_idx], targets[val_idx])


def build_model() -> nn.Module:
    """A small fully connected network, enough for the striped digits."""
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 64), nn.ReLU(), nn.Linear(64, 10))


def accuracy(model: nn.Module, images, targets, batch_size: int = 256) -> float:
    """The share of images whose class the model predicts correctly."""
    model.eval()
    correct = 0
    with torch.no_grad():
        for start in range(0, len(images), batch_size):
            logits = model(images[start : start + batch_size])
            correct += (logits.argmax(dim=1) == targets[start : start + batch_size]).sum().item()
    return correct / len(images)


def train(epochs: int = 5, batch_size: int = 64, checkpoint: str = "checkpoint.pt") -> float:
    """Train, save a checkpoint and return the last batch's loss."""
    torch.manual_seed(0)
    (train_x, train_y), (val_x, val_y) = split(*make_digits(3000))
    model = build_model()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    for epoch in range(epochs):
        model.train()
        order = torch.randperm(len(train_x))
        for start in range(0, len(train_x), batch_size):
            batch = order[start : start + batch_size]
            optimizer.zero_grad()
            logits = model(train_x[batch])
            loss = loss_fn(logits, train_y[batch])
            loss.backward()
            optimizer.step()
        val_acc = accuracy(model, val_x, val_y)
        print(f"epoch {epoch}: loss {loss.item():.3f}, validation accuracy {val_acc:.3f}")
    torch.save({"model": model.state_dict(), "epoch": epochs}, checkpoint)
    return loss.item()


def evaluate(checkpoint: str = "checkpoint.pt") -> float:
    """The accuracy of the saved model on digits it has never seen."""
    model = build_model()
    model.load_state_dict(torch.load(checkpoint)["model"])
    test_x, test_y = make_digits(1000, seed=7)
    return accuracy(model, test_x, test_y)


if __name__ == "__main__":
    train()
    print(f"test accuracy {evaluate():.3f}")
