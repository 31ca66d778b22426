from pathlib import Path

from corrupt_mnist.config import load_config
from corrupt_mnist.evaluate import evaluate
from corrupt_mnist.train import train


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
