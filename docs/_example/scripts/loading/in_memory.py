"""How long does a training step of the running example wait for in-memory data?"""

from pathlib import Path

import torch
from torch.utils.data import DataLoader

from corrupt_mnist.data import load_split
from corrupt_mnist.model import MnistCNN
from timing import wait_share


def main(processed: Path = Path("data/processed"), steps: int = 60, warmup: int = 10) -> None:
    """Print the wait share and the time per step with no workers."""
    torch.manual_seed(0)
    dataset = load_split(processed, "train")
    loader = DataLoader(dataset, batch_size=64, shuffle=True, num_workers=0)
    share, per_step = wait_share(loader, MnistCNN(), steps, warmup)
    print(f"in memory, workers=0: waiting {share:.0%} of {per_step * 1000:.1f} ms per step")


if __name__ == "__main__":
    main()
