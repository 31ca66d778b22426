from pathlib import Path

import torch

from corrupt_mnist.config import load_config
from corrupt_mnist.data import load_split
from corrupt_mnist.evaluate import evaluate
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
