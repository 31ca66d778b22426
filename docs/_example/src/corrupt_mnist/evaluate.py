"""Measure the accuracy of saved weights on the corrupted test set."""

from pathlib import Path

import hydra
import torch
from omegaconf import DictConfig
from torch.utils.data import DataLoader

from corrupt_mnist.data import load_split
from corrupt_mnist.model import MnistCNN


def load_model(cfg: DictConfig, weights: Path) -> MnistCNN:
    """Create the model that cfg describes and load trained weights into it."""
    model: MnistCNN = hydra.utils.instantiate(cfg.model)
    model.load_state_dict(torch.load(weights, map_location="cpu"))
    return model.eval()


def evaluate(cfg: DictConfig) -> float:
    """Return the test accuracy of the weights at cfg.paths.model."""
    model = load_model(cfg, Path(cfg.paths.model))
    dataset = load_split(Path(cfg.paths.processed), "test")
    correct = 0
    with torch.no_grad():
        for x, y in DataLoader(dataset, batch_size=256):
            correct += (model(x).argmax(dim=1) == y).sum().item()
    return correct / len(dataset)


def confusion_matrix(targets: torch.Tensor, predictions: torch.Tensor) -> torch.Tensor:
    """Count how often each true digit (row) was predicted as each digit (column)."""
    return torch.bincount(targets * 10 + predictions, minlength=100).reshape(10, 10)


def top_mistakes(matrix: torch.Tensor, k: int = 3) -> list[tuple[int, int, int]]:
    """Return the k most frequent confusions as (true digit, predicted digit, count)."""
    off_diagonal = matrix.clone()
    off_diagonal.fill_diagonal_(0)
    counts, flat = off_diagonal.flatten().topk(k)
    return [(int(i) // 10, int(i) % 10, int(c)) for c, i in zip(counts, flat, strict=True)]
