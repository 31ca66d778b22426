"""Do the workers draw different random shifts?"""

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset, get_worker_info


class ShiftedDigits(Dataset):
    """Digits moved by up to two pixels in each direction: a cheap augmentation."""

    def __init__(self, images: torch.Tensor, targets: torch.Tensor, seed: int = 0) -> None:
        """Keep the tensors and a generator for the shifts."""
        self.images, self.targets = images, targets
        self.rng = np.random.default_rng(seed)

    def __len__(self) -> int:
        """The number of images."""
        return len(self.targets)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """One shifted image, its target and the shift that was drawn."""
        dy, dx = (int(d) for d in self.rng.integers(-2, 3, size=2))
        image = torch.roll(self.images[index], shifts=(dy, dx), dims=(1, 2))
        return image, self.targets[index], torch.tensor([dy, dx])


def reseed(worker_id: int) -> None:
    """Give each worker its own generator, seeded from the seed PyTorch gave the worker."""
    info = get_worker_info()
    info.dataset.rng = np.random.default_rng(info.seed)


def repeated_batches(loader: DataLoader, n_batches: int = 8) -> int:
    """Count batches whose shifts exactly repeat those of an earlier batch."""
    seen, repeats = set(), 0
    for number, (_, _, shifts) in enumerate(loader):
        if number == n_batches:
            break
        key = tuple(shifts.flatten().tolist())
        repeats += key in seen
        seen.add(key)
    return repeats


if __name__ == "__main__":
    images, targets = torch.zeros(1024, 1, 28, 28), torch.zeros(1024, dtype=torch.int64)
    for workers in (0, 2, 4):
        dataset = ShiftedDigits(images, targets)
        loader = DataLoader(dataset, batch_size=64, num_workers=workers, worker_init_fn=reseed)
        print(f"workers={workers}: {repeated_batches(loader)} of 8 batches repeat an earlier one")
