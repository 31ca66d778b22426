"""The processed digits read back from PNG files, one file per sample."""

from pathlib import Path

import numpy as np
import torch
from PIL import Image
from torch.utils.data import Dataset


class PngDigits(Dataset):
    """Images stored as root/<class>/<index>.png, decoded on every access."""

    def __init__(self, root: Path) -> None:
        """Find the files; decoding waits until a sample is asked for."""
        paths = sorted(root.glob("*/*.png"))
        # One NumPy array of strings, not a list of Path objects: cheap to copy into workers.
        self.paths = np.array([str(path) for path in paths])
        self.targets = torch.tensor([int(path.parent.name) for path in paths])

    def __len__(self) -> int:
        """The number of image files."""
        return len(self.paths)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor]:
        """Decode one file into a normalised (1, 28, 28) tensor, with its target."""
        with Image.open(self.paths[index]) as image:
            pixels = torch.from_numpy(np.asarray(image, dtype=np.float32) / 255.0)
        return ((pixels - 0.5) / 0.5).unsqueeze(0), self.targets[index]
