"""The inference module, exercise 25: distil the wide MnistCNN into a small student.

Train the teacher first: ``corrupt-mnist train model=wide paths.model=models/teacher.pt``.
Then ``python scripts/inference/distil_cnn.py`` trains a student with about a fifth of
MnistCNN's parameters twice from the same start, once taught and once on labels alone.
"""

import argparse
import copy
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from corrupt_mnist.config import load_config
from corrupt_mnist.data import load_split
from corrupt_mnist.distill import distillation_loss
from corrupt_mnist.evaluate import load_model


def make_student() -> nn.Module:
    """Two narrow convolutions and one linear layer: about 9,000 parameters."""
    return nn.Sequential(
        nn.Conv2d(1, 8, kernel_size=3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, kernel_size=3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(16 * 7 * 7, 10),
    )  # fmt: skip


def fit(student: nn.Module, teacher: nn.Module | None, processed: Path, epochs: int) -> nn.Module:
    """Train on the training split: taught by the teacher if there is one, else labels only."""
    loader = torch.utils.data.DataLoader(
        load_split(processed, "train"), batch_size=64, shuffle=True
    )
    optimizer = torch.optim.Adam(student.parameters(), lr=1e-3)
    student.train()
    for _ in range(epochs):
        for images, targets in loader:
            logits = student(images)
            if teacher is None:
                loss = F.cross_entropy(logits, targets)
            else:
                with torch.no_grad():
                    teacher_logits = teacher(images)
                loss = distillation_loss(logits, teacher_logits, targets)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return student.eval()


def main() -> None:
    """Print parameters and test accuracy of the teacher and both students."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--teacher", type=Path, default=Path("models/teacher.pt"))
    parser.add_argument("--teacher-model", default="wide", help="the config the teacher used")
    parser.add_argument("--epochs", type=int, default=3)
    args = parser.parse_args()
    torch.manual_seed(0)
    processed = Path("data/processed")
    teacher = load_model(load_config([f"model={args.teacher_model}"]), args.teacher)
    student = make_student()
    plain = copy.deepcopy(student)  # the same starting point, for a fair comparison
    fit(student, teacher, processed, args.epochs)
    fit(plain, None, processed, args.epochs)
    images, targets = load_split(processed, "test").tensors
    with torch.inference_mode():
        for name, model in [("teacher", teacher), ("student", student), ("plain", plain)]:
            accuracy = (model(images).argmax(dim=1) == targets).float().mean().item()
            params = sum(p.numel() for p in model.parameters())
            print(f"{name:8s} {params:>8d} parameters, test accuracy {accuracy:.3f}")


if __name__ == "__main__":
    main()
