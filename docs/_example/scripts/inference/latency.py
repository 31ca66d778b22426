"""The inference module: time a model's forward pass the way a warm server sees it.

``python scripts/inference/latency.py`` times a fresh ``resnet18`` (torchvision); ``--model
mnist`` times the project's ``MnistCNN`` instead, which needs nothing beyond the project.
"""

import argparse
import statistics
import time

import torch
from torch.utils import benchmark

from corrupt_mnist.model import MnistCNN


def median_latency_ms(
    model: torch.nn.Module,
    batch_size: int = 1,
    threads: int = 1,
    shape: tuple[int, ...] = (3, 224, 224),
    min_run_time: float = 2.0,
) -> float:
    """Median forward-pass time in milliseconds for a batch of random inputs."""
    model.eval()
    x = torch.randn(batch_size, *shape)
    with torch.inference_mode():
        timer = benchmark.Timer(
            stmt="model(x)", globals={"model": model, "x": x}, num_threads=threads
        )
        return timer.blocked_autorange(min_run_time=min_run_time).median * 1000


def first_and_warm_ms(
    model: torch.nn.Module, x: torch.Tensor, runs: int = 20
) -> tuple[float, float]:
    """The first forward pass, and the median of the next ``runs`` passes, in milliseconds."""
    model.eval()
    times = []
    with torch.inference_mode():
        for _ in range(runs + 1):
            start = time.perf_counter()
            model(x)
            times.append((time.perf_counter() - start) * 1000)
    return times[0], statistics.median(times[1:])


def pick_model(name: str) -> tuple[torch.nn.Module, tuple[int, ...]]:
    """A model with random weights and the shape of one input; random weights time the same."""
    if name == "mnist":
        return MnistCNN(), (1, 28, 28)
    from torchvision import models  # noqa: PLC0415  (only for the torchvision models)

    return models.get_model(name, weights=None), (3, 224, 224)


def main() -> None:
    """Print the first call against the warm median, then the batch-1 latency."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default="resnet18", help="'mnist' or a torchvision model name")
    parser.add_argument("--min-run-time", type=float, default=2.0, help="seconds per timing")
    args = parser.parse_args()
    model, shape = pick_model(args.model)
    first, warm = first_and_warm_ms(model, torch.randn(1, *shape))
    print(f"first call {first:.1f} ms, median afterwards {warm:.1f} ms")
    latency = median_latency_ms(model, shape=shape, min_run_time=args.min_run_time)
    print(f"{args.model}: {latency:.2f} ms per batch of 1")


if __name__ == "__main__":
    main()
