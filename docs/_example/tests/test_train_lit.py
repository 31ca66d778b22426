from pathlib import Path

import torch

from corrupt_mnist.config import load_config
from corrupt_mnist.train_lit import LitMnistCNN, make_loaders


def test_the_module_is_a_model_without_a_trainer() -> None:
    lit = LitMnistCNN(channels=16)
    batch = (torch.randn(8, 1, 28, 28), torch.arange(8))
    assert lit(batch[0]).shape == (8, 10)
    loss = lit.training_step(batch, 0)
    assert loss.ndim == 0 and loss.requires_grad
    assert dict(lit.hparams) == {"channels": 16, "dropout": 0.25, "lr": 1e-3}


def test_validation_comes_out_of_the_training_split(processed_dir: Path) -> None:
    cfg = load_config([f"paths.processed={processed_dir}"])
    train, val, test = (loader.dataset for loader in make_loaders(cfg))
    assert (len(train), len(val), len(test)) == (231, 25, 64)
    again = make_loaders(cfg)[1].dataset
    assert val.indices == again.indices  # seeded: the same validation images every run
