"""How many workers does each model need when every sample is decoded from a file?"""

from pathlib import Path

import torch
from torch.utils.data import DataLoader

from png_digits import PngDigits
from timing import wait_share
from workers_in_memory import MODELS


def main(root: Path = Path("data/png/train"), max_workers: int = 8, steps: int = 60) -> None:
    """For each model, add workers until the wait share drops below 10 %."""
    torch.manual_seed(0)
    dataset = PngDigits(root)
    for name, make_model in MODELS.items():
        for workers in range(max_workers + 1):
            loader = DataLoader(dataset, batch_size=64, shuffle=True, num_workers=workers)
            share, per_step = wait_share(loader, make_model(), steps)
            print(
                f"{name:6} workers={workers}: waiting {share:4.0%}, {per_step * 1000:6.1f} ms/step"
            )
            if share < 0.10:
                print(f"{name}: {workers} workers are enough")
                break


if __name__ == "__main__":
    main()
