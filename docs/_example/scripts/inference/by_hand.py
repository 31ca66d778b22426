"""The inference module: quantize tensors by hand to see what scale and zero point do.

``python scripts/inference/by_hand.py`` prints the three experiments of exercises 6 to 8.
"""

import torch


def quantize_at_two_scales() -> list[tuple[torch.Tensor, torch.Tensor]]:
    """Exercise 6: five values quantized with a coarse and a fine scale."""
    x = torch.tensor([-1.0, 0.0, 0.04, 0.5, 2.7])
    results = []
    for scale in [0.1, 0.01]:
        q = torch.quantize_per_tensor(x, scale=scale, zero_point=0, dtype=torch.qint8)
        results.append((q.int_repr(), q.dequantize()))
    return results


def minmax_qparams(w: torch.Tensor) -> tuple[float, int]:
    """Exercise 7: the asymmetric quint8 scale and zero point from the extreme values."""
    lo, hi = w.min().item(), w.max().item()
    scale = (hi - lo) / 255
    return scale, round(-lo / scale)


def largest_error(w: torch.Tensor, scale: float, zero_point: int) -> float:
    """How far the dequantized values land from the originals, at worst."""
    q = torch.quantize_per_tensor(w, scale, zero_point, torch.quint8)
    return (q.dequantize() - w).abs().max().item()


def per_row_errors(weights: torch.Tensor) -> dict[str, list[float]]:
    """Exercise 8: each row's largest error relative to its largest value, both ways."""
    row_max = weights.abs().amax(dim=1)
    per_tensor = torch.quantize_per_tensor(
        weights, weights.abs().max().item() / 127, 0, torch.qint8
    )
    per_channel = torch.quantize_per_channel(
        weights, row_max / 127, torch.zeros(len(weights), dtype=torch.int64), 0, torch.qint8
    )
    return {
        name: ((q.dequantize() - weights).abs().amax(dim=1) / row_max).tolist()
        for name, q in [("per tensor", per_tensor), ("per channel", per_channel)]
    }


def main() -> None:
    """Run the three experiments with fixed seeds."""
    for integers, values in quantize_at_two_scales():
        print(integers.tolist(), [round(v, 3) for v in values.tolist()])

    torch.manual_seed(0)
    w = torch.randn(1000) * 0.3 + 0.2
    scale, zero_point = minmax_qparams(w)
    observer = torch.ao.quantization.MinMaxObserver(dtype=torch.quint8)
    observer(w)
    observed_scale, observed_zero = observer.calculate_qparams()
    print(f"by hand: scale {scale:.6f}, zero point {zero_point}")
    print(f"observer: scale {observed_scale.item():.6f}, zero point {observed_zero.item()}")
    print(f"largest error {largest_error(w, scale, zero_point):.6f}, half a step {scale / 2:.6f}")

    weights = torch.randn(4, 100) * torch.tensor([[0.01], [0.1], [1.0], [10.0]])
    for name, errors in per_row_errors(weights).items():
        print(f"{name}: " + " ".join(f"{e:.4f}" for e in errors))


if __name__ == "__main__":
    main()
