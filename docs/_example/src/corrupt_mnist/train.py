"""Train the classifier on the processed data and save its weights."""

from pathlib import Path

import hydra
import torch
from omegaconf import DictConfig
from torch import nn
from torch.utils.data import DataLoader, Dataset

from corrupt_mnist.cloud_secrets import ensure_wandb_key
from corrupt_mnist.data import load_split
from corrupt_mnist.model import MnistCNN


def pick_device() -> torch.device:
    """Use a GPU when there is one, Apple's MPS on a Mac, and the CPU otherwise."""
    if torch.cuda.is_available():
        return torch.device("cuda")
    if torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def make_loader(dataset: Dataset, batch_size: int, num_workers: int, on_gpu: bool) -> DataLoader:
    """Shuffle into batches; workers stay alive between epochs, pinned memory only for a GPU."""
    return DataLoader(
        dataset,
        batch_size=batch_size,
        shuffle=True,
        num_workers=num_workers,
        persistent_workers=num_workers > 0,
        pin_memory=on_gpu,
    )


def train(cfg: DictConfig, device_name: str | None = None) -> list[float]:
    """Train a model as cfg describes, save its state dict and return the loss of every epoch.

    device_name ("cpu", "cuda", "mps") pins the device, as `corrupt-mnist train --device` does;
    None picks the best one this machine has.
    """
    ensure_wandb_key()  # before any W&B call: the key may have to come from Secret Manager
    torch.manual_seed(cfg.seed)
    device = torch.device(device_name) if device_name else pick_device()
    dataset = load_split(Path(cfg.paths.processed), "train")
    training = cfg.training
    loader = make_loader(dataset, training.batch_size, training.num_workers, device.type == "cuda")

    model: MnistCNN = hydra.utils.instantiate(cfg.model).to(device)
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=training.lr)

    history = []
    for epoch in range(training.epochs):
        model.train()
        total_loss, correct = 0.0, 0
        for x, y in loader:
            x, y = x.to(device), y.to(device)
            optimizer.zero_grad()
            logits = model(x)
            loss = loss_fn(logits, y)
            loss.backward()
            optimizer.step()
            total_loss += loss.item() * len(y)
            correct += (logits.argmax(dim=1) == y).sum().item()
        history.append(total_loss / len(dataset))
        print(f"epoch {epoch + 1}: loss {history[-1]:.4f}, accuracy {correct / len(dataset):.3f}")

    weights = Path(cfg.paths.model)
    weights.parent.mkdir(parents=True, exist_ok=True)
    torch.save(model.state_dict(), weights)
    print(f"saved weights to {weights} (trained on {device})")
    return history
