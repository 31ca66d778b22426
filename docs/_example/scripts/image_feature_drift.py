"""A drift report for images (the data drifting module): describe each image by a few numbers.

``python scripts/image_feature_drift.py`` turns one half of the processed training images and a
darkened copy of the other half into tables of brightness and contrast, runs the drift report of
scripts/drift_demo.py on the two tables, writes reports/image_drift.html and exits with 1 when any
feature drifts; ``python scripts/image_feature_drift.py 0`` leaves the images alone: no drift.
"""

import sys

import pandas as pd
import torch

from drift_demo import drift_tests, drifted_columns
from image_drift import image_features


def feature_table(images: torch.Tensor) -> pd.DataFrame:
    """One row per image, one column per feature of image_drift.py (brightness, contrast)."""
    # MNIST images are all 28 x 28; with images of varying size, add height and width columns.
    return pd.DataFrame({name: v.numpy() for name, v in image_features(images).items()})


def main(darken: float = 0.5) -> int:
    """Compare two halves of the training images, the second darker by `darken` standard units."""
    images = torch.load("data/processed/train_images.pt")
    half = len(images) // 2
    reference, current = feature_table(images[:half]), feature_table(images[half:] - darken)
    drifted = drifted_columns(drift_tests(reference, current, html="reports/image_drift.html"))
    print("drifted:", ", ".join(drifted) or "none")
    return 1 if drifted else 0


if __name__ == "__main__":
    sys.exit(main(*map(float, sys.argv[1:2])))
