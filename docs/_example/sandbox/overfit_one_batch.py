"""Overfit one batch: a correct model and training loop drive the loss on 64 images to zero."""

from pathlib import Path

import torch
from torch import nn

from corrupt_mnist.data import load_split
from corrupt_mnist.model import MnistCNN


def overfit_one_batch(
    model: nn.Module, images: torch.Tensor, targets: torch.Tensor, steps: int = 150
) -> list[float]:
    """Train on the same batch again and again; return the loss of every step."""
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    model.train()
    losses = []
    for _ in range(steps):
        optimizer.zero_grad()
        loss = loss_fn(model(images), targets)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


def main(batch_size: int = 64, steps: int = 150) -> None:
    """Overfit the first batch of the processed training data and print the first and last loss."""
    torch.manual_seed(0)
    images, targets = load_split(Path("data/processed"), "train")[:batch_size]
    losses = overfit_one_batch(MnistCNN(dropout=0.0), images, targets, steps)
    print(f"loss at step 1: {losses[0]:.3f}, at step {len(losses)}: {losses[-1]:.4f}")


if __name__ == "__main__":
    main()
