"""Download MNIST and build the corrupted dataset the whole course trains on."""

import gzip
import urllib.request
from pathlib import Path
from typing import Literal

import torch

MIRROR = "https://ossci-datasets.s3.amazonaws.com/mnist/"
RAW_FILES = {
    "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
    "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
}
# The four files that every later step reads, and the only names the book uses for them.
PROCESSED_FILES = ("train_images.pt", "train_targets.pt", "test_images.pt", "test_targets.pt")


def download(raw_dir: Path) -> None:
    """Fetch the four original MNIST files into raw_dir, skipping those already there."""
    raw_dir.mkdir(parents=True, exist_ok=True)
    for name in (name for pair in RAW_FILES.values() for name in pair):
        target = raw_dir / name
        if target.exists():
            continue
        with urllib.request.urlopen(MIRROR + name, timeout=60) as response:
            target.write_bytes(response.read())
        print(f"downloaded {target}")


def read_idx(path: Path) -> torch.Tensor:
    """Read one gzipped IDX file (the format MNIST ships in) into a uint8 tensor."""
    data = gzip.decompress(path.read_bytes())
    if data[:2] != b"\x00\x00" or data[2] != 0x08:
        raise ValueError(f"{path}: not an IDX file of unsigned bytes")
    ndim = data[3]
    shape = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim)]
    return torch.frombuffer(bytearray(data[4 + 4 * ndim :]), dtype=torch.uint8).reshape(shape)


def corrupt(images: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """Add Gaussian noise and knock out a tenth of the pixels; expects floats in [0, 1].

    Examples:
        >>> import torch
        >>> noisy = corrupt(torch.rand(2, 1, 28, 28), torch.Generator().manual_seed(0))
        >>> noisy.shape
        torch.Size([2, 1, 28, 28])
        >>> bool(noisy.min() >= 0 and noisy.max() <= 1)
        True
    """
    noisy = images + 0.25 * torch.randn(images.shape, generator=generator)
    dead = torch.rand(images.shape, generator=generator) < 0.1
    noisy[dead] = 0.0
    return noisy.clamp(0.0, 1.0)


def build_split(
    raw_dir: Path, split: str, size: int, generator: torch.Generator
) -> tuple[torch.Tensor, torch.Tensor]:
    """Take a random subset of one MNIST split, scale it to [0, 1] and corrupt it."""
    image_file, label_file = RAW_FILES[split]
    images, targets = read_idx(raw_dir / image_file), read_idx(raw_dir / label_file)
    index = torch.randperm(len(targets), generator=generator)[:size]
    scaled = images[index].float().div(255).unsqueeze(1)  # shape (N, 1, 28, 28)
    return corrupt(scaled, generator), targets[index].long()


def preprocess(
    raw_dir: Path,
    processed_dir: Path,
    train_size: int = 25_000,
    test_size: int = 5_000,
    seed: int = 42,
) -> None:
    """Corrupt both splits, normalise with the training statistics and save four tensors."""
    generator = torch.Generator().manual_seed(seed)
    train_images, train_targets = build_split(raw_dir, "train", train_size, generator)
    test_images, test_targets = build_split(raw_dir, "test", test_size, generator)
    mean, std = train_images.mean(), train_images.std()

    processed_dir.mkdir(parents=True, exist_ok=True)
    tensors = ((train_images - mean) / std, train_targets, (test_images - mean) / std, test_targets)
    for name, tensor in zip(PROCESSED_FILES, tensors, strict=True):
        torch.save(tensor, processed_dir / name)
    print(f"saved {len(train_targets)} training and {len(test_targets)} test images")


# The two splits the data step writes; mypy rejects any other name at the call site.
Split = Literal["train", "test"]


def load_split(processed_dir: Path, split: Split) -> torch.utils.data.TensorDataset:
    """Load the processed images and targets of one split as a dataset."""
    images = torch.load(processed_dir / f"{split}_images.pt")
    targets = torch.load(processed_dir / f"{split}_targets.pt")
    return torch.utils.data.TensorDataset(images, targets)


if __name__ == "__main__":
    download(Path("data/raw"))
    preprocess(Path("data/raw"), Path("data/processed"))
