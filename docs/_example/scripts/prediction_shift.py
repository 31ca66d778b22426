"""The data drifting module: watch the predicted digits when no labels arrive.

``python scripts/prediction_shift.py`` predicts the test set with models/model.pt and compares
how often each digit is predicted with the training labels, for all test images and for a user
base that writes only the digits 0 to 4.
"""

from pathlib import Path

import torch
from scipy.stats import chisquare

from corrupt_mnist.config import load_config
from corrupt_mnist.evaluate import load_model


def prediction_shift(predicted: torch.Tensor, train_targets: torch.Tensor) -> float:
    """The p-value of 'the predictions follow the distribution of the training labels'."""
    observed = torch.bincount(predicted, minlength=10).double()
    expected = torch.bincount(train_targets, minlength=10).double()
    expected = expected / expected.sum() * observed.sum()
    return float(chisquare(observed.numpy(), expected.numpy()).pvalue)


def main() -> None:
    """Print the p-value for all test images and for the small digits only."""
    model = load_model(load_config(), Path("models/model.pt"))
    images = torch.load("data/processed/test_images.pt")
    targets = torch.load("data/processed/test_targets.pt")
    train_targets = torch.load("data/processed/train_targets.pt")
    with torch.inference_mode():
        predicted = model(images).argmax(dim=1)
    print(f"all test images: p {prediction_shift(predicted, train_targets):.3g}")
    print(f"small digits only: p {prediction_shift(predicted[targets < 5], train_targets):.3g}")


if __name__ == "__main__":
    main()
