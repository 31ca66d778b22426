"""The data drifting module: does a batch of corrupted MNIST images look like the training data?

``python scripts/image_drift.py`` compares brightness and contrast of three pairs of image sets
in data/processed/ with SciPy's two-sample Kolmogorov-Smirnov test.
"""

import torch
from scipy.stats import ks_2samp


def image_features(images: torch.Tensor) -> dict[str, torch.Tensor]:
    """Per image: mean pixel value (brightness) and standard deviation (contrast)."""
    flat = images.flatten(start_dim=1)
    return {"brightness": flat.mean(dim=1), "contrast": flat.std(dim=1)}


def compare(label: str, reference: torch.Tensor, current: torch.Tensor) -> None:
    """Print the KS statistic and p-value of each feature for one pair of image sets."""
    ref, cur = image_features(reference), image_features(current)
    for name in ref:
        result = ks_2samp(ref[name].numpy(), cur[name].numpy())
        print(f"{label:>14} {name:>10}: KS {result.statistic:.3f}, p {result.pvalue:.3g}")


def main() -> None:
    """The halves of the training set, training against test, and a low-contrast test set."""
    train = torch.load("data/processed/train_images.pt")
    test = torch.load("data/processed/test_images.pt")
    half = len(train) // 2
    compare("train halves", train[:half], train[half:])
    compare("train vs test", train, test)
    compare("low contrast", train, test * 0.5)


if __name__ == "__main__":
    main()
