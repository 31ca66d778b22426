"""Start the loader's workers the way macOS and Windows do, also on Linux."""

import torch
from torch.utils.data import DataLoader, TensorDataset


def count_samples(num_workers: int = 2) -> int:
    """Load a small dataset through spawned workers and count the samples that arrive."""
    dataset = TensorDataset(torch.zeros(256, 1, 28, 28), torch.zeros(256, dtype=torch.int64))
    loader = DataLoader(
        dataset, batch_size=64, num_workers=num_workers, multiprocessing_context="spawn"
    )
    return sum(len(targets) for _, targets in loader)


if __name__ == "__main__":
    print(f"{count_samples()} samples through spawned workers")
