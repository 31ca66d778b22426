"""The inference module: prune the project's MnistCNN, and see what the zeros cost.

``python scripts/inference/prune.py`` prunes the trained ``models/model.pt`` (exercise 14),
removes whole filters from a fresh network (exercises 17 and 18) and measures sparse formats
(exercise 19).
"""

import copy
from pathlib import Path

import torch
from torch import nn
from torch.nn.utils import prune

from corrupt_mnist.config import load_config
from corrupt_mnist.data import load_split
from corrupt_mnist.evaluate import load_model
from corrupt_mnist.model import MnistCNN


def global_sparsity(model: nn.Module, amount: float) -> float:
    """Remove the smallest weights, ranked across all linear layers together, for good."""
    layers = [(m, "weight") for m in model.modules() if isinstance(m, nn.Linear)]
    prune.global_unstructured(layers, pruning_method=prune.L1Unstructured, amount=amount)
    for module, name in layers:
        prune.remove(module, name)
    zeros = sum(int((m.weight == 0).sum()) for m, _ in layers)
    return zeros / sum(m.weight.numel() for m, _ in layers)


def prune_convolutions(model: MnistCNN, amount: float = 0.5) -> dict[str, float]:
    """Exercise 14: L1-prune each convolution's weight; the share of zeros per convolution."""
    for module in model.modules():
        if isinstance(module, nn.Conv2d):
            prune.l1_unstructured(module, "weight", amount=amount)
    return {
        name: (module.weight == 0).float().mean().item()
        for name, module in model.named_modules()
        if isinstance(module, nn.Conv2d)
    }


def accuracy_on_test_split(model: nn.Module, processed: Path) -> float:
    """Accuracy on the processed test split."""
    images, targets = load_split(processed, "test").tensors
    with torch.inference_mode():
        return (model(images).argmax(dim=1) == targets).float().mean().item()


def zero_filters(conv: nn.Conv2d) -> torch.Tensor:
    """Exercise 17: which output channels of a convolution are entirely zero."""
    return conv.weight.flatten(1).abs().sum(dim=1) == 0


def without_pruned_filters(
    model: MnistCNN, amount: float = 0.25, *, fix_bias: bool = True
) -> nn.Module:
    """Exercise 18: a smaller copy whose first convolution keeps only the surviving filters."""
    first, second = model.features[0], model.features[3]
    prune.ln_structured(first, "weight", amount=amount, n=2, dim=0)
    prune.remove(first, "weight")
    zero = zero_filters(first)
    if fix_bias:
        with torch.no_grad():
            first.bias[zero] = 0  # a removed filter must not leave its bias behind
    keep = (~zero).nonzero().squeeze(1)
    small = copy.deepcopy(model)
    new_first = nn.Conv2d(first.in_channels, len(keep), kernel_size=3, padding=1)
    new_second = nn.Conv2d(len(keep), second.out_channels, kernel_size=3, padding=1)
    with torch.no_grad():
        new_first.weight.copy_(first.weight[keep])
        new_first.bias.copy_(first.bias[keep])
        new_second.weight.copy_(second.weight[:, keep])
        new_second.bias.copy_(second.bias)
    small.features[0], small.features[3] = new_first, new_second
    return small.eval()


def sparse_bytes(amount: float, size: int = 512) -> tuple[int, int, int]:
    """Exercise 19: bytes of a pruned weight as a dense, a COO and a CSR tensor."""
    layer = nn.Linear(size, size)
    prune.l1_unstructured(layer, "weight", amount=amount)
    prune.remove(layer, "weight")
    dense = layer.weight.detach()
    coo, csr = dense.to_sparse(), dense.to_sparse_csr()
    coo_bytes = coo.values().nbytes + coo.indices().nbytes
    csr_bytes = csr.values().nbytes + csr.col_indices().nbytes + csr.crow_indices().nbytes
    return dense.nbytes, coo_bytes, csr_bytes


def main() -> None:
    """Run exercises 14, 17, 18 and 19 in turn."""
    torch.manual_seed(0)
    model = load_model(load_config(), Path("models/model.pt"))
    for name, zeros in prune_convolutions(model).items():
        print(f"{name}: {zeros:.0%} zeros")
    print("parameters:", [name for name, _ in model.named_parameters()])
    print("buffers:", [name for name, _ in model.named_buffers()])
    print(
        f"test accuracy after pruning: {accuracy_on_test_split(model, Path('data/processed')):.3f}"
    )

    fresh = MnistCNN().eval()
    x = torch.rand(8, 1, 28, 28)
    for fix_bias in (False, True):
        pruned = copy.deepcopy(fresh)
        small = without_pruned_filters(pruned, fix_bias=fix_bias)
        with torch.inference_mode():
            difference = (pruned(x) - small(x)).abs().max().item()
        kept = small.features[0].out_channels
        print(f"bias fixed {fix_bias}: {kept} filters kept, largest difference {difference:.2e}")
    print(
        f"parameters: {sum(p.numel() for p in fresh.parameters())} -> "
        f"{sum(p.numel() for p in small.parameters())}"
    )

    for amount in (0.5, 0.8, 0.9):
        dense, coo, csr = sparse_bytes(amount)
        print(f"{amount:.0%} zeros: dense {dense}, COO {coo}, CSR {csr} bytes")


if __name__ == "__main__":
    main()
