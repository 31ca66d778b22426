from pathlib import Path

import pytest
import torch
from torch.nn import functional as F

from corrupt_mnist.config import load_config
from corrupt_mnist.data import load_split
from corrupt_mnist.evaluate import evaluate
from corrupt_mnist.model import MnistCNN
from corrupt_mnist.train import make_loader, train


def test_training_lowers_the_loss_and_saves_weights(processed_dir: Path, tmp_path: Path) -> None:
    weights = tmp_path / "models" / "model.pt"
    cfg = load_config([f"paths.processed={processed_dir}", f"paths.model={weights}"])
    history = train(cfg)
    assert history[-1] < history[0]
    assert weights.is_file()
    assert 0.5 < evaluate(cfg) <= 1.0


def test_overrides_reach_the_config() -> None:
    cfg = load_config(["training.lr=0.01", "model=wide"])
    assert cfg.training.lr == 0.01
    assert cfg.model.channels == 64


def test_workers_change_the_speed_not_the_batches(processed_dir: Path) -> None:
    dataset = load_split(processed_dir, "train")
    targets_seen = []
    for workers in (0, 2):
        torch.manual_seed(0)  # the shuffled order comes from the main process's generator
        loader = make_loader(dataset, batch_size=64, num_workers=workers, on_gpu=False)
        targets_seen.append(torch.cat([targets for _, targets in loader]))
    assert torch.equal(targets_seen[0], targets_seen[1])


def test_one_training_step_changes_the_weights() -> None:
    torch.manual_seed(0)
    model = MnistCNN()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    before = [p.detach().clone() for p in model.parameters()]
    loss = F.cross_entropy(model(torch.randn(4, 1, 28, 28)), torch.tensor([0, 1, 2, 3]))
    loss.backward()
    optimizer.step()
    assert all(not torch.equal(b, p) for b, p in zip(before, model.parameters(), strict=True))


@pytest.mark.slow
def test_loss_decreases_on_a_tiny_batch() -> None:
    torch.manual_seed(0)
    model = MnistCNN()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    x, y = torch.randn(8, 1, 28, 28), torch.randint(0, 10, (8,))
    first = F.cross_entropy(model(x), y).item()
    for _ in range(20):
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
    assert loss.item() < first
