from pathlib import Path

import torch

from corrupt_mnist.data import PROCESSED_FILES, corrupt, load_split


def test_preprocess_writes_four_normalised_tensors(processed_dir: Path) -> None:
    assert sorted(p.name for p in processed_dir.iterdir()) == sorted(PROCESSED_FILES)
    train = load_split(processed_dir, "train")
    images, targets = train.tensors
    assert images.shape == (256, 1, 28, 28)
    assert set(targets.tolist()) == set(range(10))
    assert abs(images.mean().item()) < 1e-3
    assert abs(images.std().item() - 1) < 1e-3


def test_corrupt_keeps_pixels_in_range_and_is_seeded() -> None:
    images = torch.rand(8, 1, 28, 28)
    first = corrupt(images, torch.Generator().manual_seed(1))
    second = corrupt(images, torch.Generator().manual_seed(1))
    assert torch.equal(first, second)
    assert first.min() >= 0 and first.max() <= 1
