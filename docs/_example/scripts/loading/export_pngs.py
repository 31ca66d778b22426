"""Write part of the processed data as one PNG per image, in a folder per class."""

from pathlib import Path

import torch
from PIL import Image


def export_pngs(processed: Path, out: Path, split: str = "train", limit: int = 6000) -> None:
    """Save the first `limit` images of a split as out/<split>/<class>/<index>.png."""
    images = torch.load(processed / f"{split}_images.pt")[:limit]
    targets = torch.load(processed / f"{split}_targets.pt")[:limit]
    low, high = images.min(), images.max()
    pixels = ((images - low) / (high - low) * 255).round().to(torch.uint8)
    for index, (image, target) in enumerate(zip(pixels, targets, strict=True)):
        folder = out / split / str(int(target))
        folder.mkdir(parents=True, exist_ok=True)
        Image.fromarray(image[0].numpy()).save(folder / f"{index:05d}.png")


if __name__ == "__main__":
    export_pngs(Path("data/processed"), Path("data/png"))
