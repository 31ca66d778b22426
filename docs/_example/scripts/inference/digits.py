"""The inference module: quantize and distil a small MLP on scikit-learn's digits.

The digits (8x8 images, 1,797 of them) ship with scikit-learn, so nothing is downloaded and
full-batch training takes seconds. ``python scripts/inference/digits.py quantize`` compares a
float and a dynamically quantized MLP; ``distil`` compares a student taught by a teacher with
one trained on few labels.
"""

import argparse
import copy
import io

import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from torch import nn

from corrupt_mnist.distill import distillation_loss


def make_digits() -> tuple[torch.Tensor, ...]:
    """Pixels scaled to [0, 1], split into train and test the same way on every run."""
    x, y = load_digits(return_X_y=True)
    x_train, x_test, y_train, y_test = train_test_split(x / 16.0, y, random_state=0)
    return (
        torch.tensor(x_train, dtype=torch.float32),
        torch.tensor(x_test, dtype=torch.float32),
        torch.tensor(y_train),
        torch.tensor(y_test),
    )


def mlp(*widths: int) -> nn.Sequential:
    """Linear layers of the given widths with ReLUs between them."""
    layers: list[nn.Module] = []
    for inputs, outputs in zip(widths, widths[1:], strict=False):
        layers += [nn.Linear(inputs, outputs), nn.ReLU()]
    return nn.Sequential(*layers[:-1])


def train(model: nn.Module, x: torch.Tensor, y: torch.Tensor, epochs: int = 200) -> nn.Module:
    """Full-batch Adam on cross-entropy: the digits fit in one batch."""
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    model.train()
    for _ in range(epochs):
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        optimizer.step()
    return model.eval()


def accuracy(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> float:
    """The share of correctly classified images."""
    with torch.inference_mode():
        return (model(x).argmax(dim=1) == y).float().mean().item()


def size_mb(model: nn.Module) -> float:
    """Size of the model's saved state_dict in megabytes."""
    buffer = io.BytesIO()
    torch.save(model.state_dict(), buffer)
    return buffer.getbuffer().nbytes / 1e6


def quantize(model: nn.Module) -> nn.Module:
    """Exercise 9: int8 weights for every linear layer, activations quantized on the fly."""
    return torch.ao.quantization.quantize_dynamic(model, {nn.Linear}, dtype=torch.qint8)


def describe_first_layer(quantized: nn.Module) -> None:
    """Exercise 10: what a dynamically quantized linear layer holds."""
    layer = quantized[0]
    print(layer)
    print(list(quantized.state_dict().keys()))
    weight = layer.weight()
    print(weight.dtype, weight.qscheme(), weight.q_scale(), weight.int_repr()[0, :8].tolist())


def train_student(
    student: nn.Module,
    teacher: nn.Module,
    x: torch.Tensor,
    y: torch.Tensor | None = None,
    epochs: int = 500,
    temperature: float = 4.0,
) -> nn.Module:
    """Exercise 22: distil the teacher into the student; without labels only the soft term."""
    teacher.eval()
    with torch.no_grad():
        teacher_logits = teacher(x)
    optimizer = torch.optim.Adam(student.parameters(), lr=1e-3)
    student.train()
    for _ in range(epochs):
        optimizer.zero_grad()
        distillation_loss(student(x), teacher_logits, y, temperature=temperature).backward()
        optimizer.step()
    return student.eval()


def soft_targets(teacher: nn.Module, image: torch.Tensor) -> dict[float, list[float]]:
    """Exercise 23: the teacher's probabilities for one image at temperatures 1 and 4."""
    with torch.no_grad():
        logits = teacher(image)
    return {
        t: [round(p, 3) for p in torch.softmax(logits / t, dim=1).squeeze(0).tolist()]
        for t in (1.0, 4.0)
    }


def compare_quantized(epochs: int, hidden: int) -> None:
    """Print accuracy and size of the float MLP and its int8 copy, then look inside."""
    x_train, x_test, y_train, y_test = make_digits()
    model = train(mlp(64, hidden, hidden, 10), x_train, y_train, epochs)
    quantized = quantize(model)
    for name, m in [("float32", model), ("int8", quantized)]:
        print(f"{name}: accuracy {accuracy(m, x_test, y_test):.3f}, {size_mb(m):.3f} MB")
    describe_first_layer(quantized)


def compare_students(epochs: int, hidden: int, labels: int = 100) -> None:
    """The few-labels setting: a plain student on `labels` images, a taught one on all."""
    x_train, x_test, y_train, y_test = make_digits()
    teacher = train(mlp(64, hidden, hidden, 10), x_train, y_train, epochs)
    print(f"teacher: accuracy {accuracy(teacher, x_test, y_test):.3f}")
    student = mlp(64, 16, 10)
    plain = copy.deepcopy(student)  # the same starting point, for a fair comparison
    train(plain, x_train[:labels], y_train[:labels], epochs)
    train_student(student, teacher, x_train, None, epochs)
    print(f"plain student on {labels} labels: accuracy {accuracy(plain, x_test, y_test):.3f}")
    print(f"distilled student, no labels: accuracy {accuracy(student, x_test, y_test):.3f}")
    for t, probabilities in soft_targets(teacher, x_test[:1]).items():
        print(f"T={t:g}: {probabilities}")


def main() -> None:
    """Run one of the two comparisons."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("experiment", choices=["quantize", "distil"])
    parser.add_argument("--epochs", type=int, default=200, help="full-batch training steps")
    parser.add_argument("--hidden", type=int, default=512, help="width of the large MLP")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    torch.manual_seed(args.seed)
    if args.experiment == "quantize":
        compare_quantized(args.epochs, args.hidden)
    else:
        compare_students(args.epochs, args.hidden)


if __name__ == "__main__":
    main()
