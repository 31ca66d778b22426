"""Time the loop and the vectorised normalise on the same images (the profiling module)."""

import torch
from torch.utils.benchmark import Timer


def normalise_loop(images: torch.Tensor) -> torch.Tensor:
    """The handed-out version: one image at a time, in Python."""
    out = torch.empty_like(images)
    for i in range(images.shape[0]):
        out[i] = (images[i] - images[i].mean()) / images[i].std()
    return out


def normalise_vectorised(images: torch.Tensor) -> torch.Tensor:
    """One mean and one standard deviation per image in one call; broadcasting does the rest."""
    mean = images.mean(dim=(1, 2, 3), keepdim=True)
    std = images.std(dim=(1, 2, 3), keepdim=True)
    return (images - mean) / std


def main() -> None:
    """Check that both agree, then print both measurements and the ratio of their medians."""
    images = torch.rand(1000, 1, 28, 28)
    assert torch.allclose(normalise_loop(images), normalise_vectorised(images), atol=1e-6)
    slow = Timer("f(x)", globals={"f": normalise_loop, "x": images}).blocked_autorange()
    fast = Timer("f(x)", globals={"f": normalise_vectorised, "x": images}).blocked_autorange()
    print(slow, fast, f"speed-up {slow.median / fast.median:.0f}x", sep="\n")


if __name__ == "__main__":
    main()
