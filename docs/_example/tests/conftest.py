"""Fixtures that give every test a tiny, learnable stand-in for MNIST, made on the spot."""

import gzip
from pathlib import Path

import pytest
import torch

from corrupt_mnist.data import RAW_FILES, preprocess


def write_idx(path: Path, tensor: torch.Tensor) -> None:
    """Write a uint8 tensor as a gzipped IDX file, the format MNIST ships in."""
    header = bytes([0, 0, 0x08, tensor.ndim]) + b"".join(
        size.to_bytes(4, "big") for size in tensor.shape
    )
    path.write_bytes(gzip.compress(header + tensor.contiguous().numpy().tobytes()))


def write_fake_mnist(raw_dir: Path, train_size: int = 256, test_size: int = 64) -> None:
    """Write MNIST-shaped files where digit k is a bright bar in row band k plus noise."""
    generator = torch.Generator().manual_seed(0)
    raw_dir.mkdir(parents=True, exist_ok=True)
    for split, size in (("train", train_size), ("test", test_size)):
        labels = torch.arange(size) % 10
        images = torch.randint(0, 60, (size, 28, 28), generator=generator)
        for i, label in enumerate(labels.tolist()):
            images[i, 2 + 2 * label : 4 + 2 * label, 4:24] = 255
        image_file, label_file = RAW_FILES[split]
        write_idx(raw_dir / image_file, images.to(torch.uint8))
        write_idx(raw_dir / label_file, labels.to(torch.uint8))


@pytest.fixture
def processed_dir(tmp_path: Path) -> Path:
    """A processed dataset built by the real data step from fake raw files."""
    write_fake_mnist(tmp_path / "raw")
    preprocess(tmp_path / "raw", tmp_path / "processed", seed=0)
    return tmp_path / "processed"
