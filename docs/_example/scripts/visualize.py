"""Plot the first 16 corrupted training digits with their labels: python scripts/visualize.py.

A look at the data before training catches a wrong normalisation or shuffled labels early.
"""

from pathlib import Path

import matplotlib.pyplot as plt
import torch
from matplotlib.figure import Figure


def plot_samples(images: torch.Tensor, targets: torch.Tensor) -> Figure:
    """Draw up to 16 images in a 4 by 4 grid, each titled with its label."""
    fig, axes = plt.subplots(4, 4, figsize=(6, 6))
    for ax, image, target in zip(axes.flat, images, targets, strict=False):
        ax.imshow(image.squeeze(), cmap="gray")
        ax.set_title(str(target.item()))
        ax.axis("off")
    fig.tight_layout()
    return fig


def main(
    processed: Path = Path("data/processed"),
    figure: Path = Path("reports/figures/samples.png"),
) -> None:
    """Plot the first 16 training images and save the figure where the report finds it."""
    images = torch.load(processed / "train_images.pt")[:16]
    targets = torch.load(processed / "train_targets.pt")[:16]
    figure.parent.mkdir(parents=True, exist_ok=True)
    plot_samples(images, targets).savefig(figure)
    print(f"saved {figure}")


if __name__ == "__main__":
    main()
