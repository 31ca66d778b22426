"""Do worker processes help when the data is already a tensor in memory?"""

from pathlib import Path

import torch
from torch import nn
from torch.utils.data import DataLoader

from corrupt_mnist.data import load_split
from corrupt_mnist.model import MnistCNN
from timing import wait_share

# A cheap model stands in for a fast accelerator: its step is so quick that any delay shows.
MODELS = {"cnn": MnistCNN, "linear": lambda: nn.Sequential(nn.Flatten(), nn.Linear(784, 10))}


def main(
    processed: Path = Path("data/processed"), workers: tuple[int, ...] = (0, 1, 2), steps: int = 60
) -> None:
    """Print the wait share of each model with each number of workers."""
    torch.manual_seed(0)
    dataset = load_split(processed, "train")
    for name, make_model in MODELS.items():
        for n in workers:
            loader = DataLoader(dataset, batch_size=64, shuffle=True, num_workers=n)
            share, per_step = wait_share(loader, make_model(), steps)
            print(f"{name:6} workers={n}: waiting {share:4.0%}, {per_step * 1000:6.1f} ms/step")


if __name__ == "__main__":
    main()
