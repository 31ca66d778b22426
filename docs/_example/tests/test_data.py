import gzip
from pathlib import Path

import pytest
import torch

from corrupt_mnist.data import PROCESSED_FILES, corrupt, load_split, read_idx
from corrupt_mnist.paths import PROCESSED_DIR


def test_preprocess_writes_four_normalised_tensors(processed_dir: Path) -> None:
    assert sorted(p.name for p in processed_dir.iterdir()) == sorted(PROCESSED_FILES)
    train = load_split(processed_dir, "train")
    images, targets = train.tensors
    assert images.shape == (256, 1, 28, 28)
    assert set(targets.tolist()) == set(range(10))
    assert abs(images.mean().item()) < 1e-3
    assert abs(images.std().item() - 1) < 1e-3


def test_corrupt_keeps_pixels_in_range_and_is_seeded() -> None:
    images = torch.rand(8, 1, 28, 28)
    first = corrupt(images, torch.Generator().manual_seed(1))
    second = corrupt(images, torch.Generator().manual_seed(1))
    assert torch.equal(first, second)
    assert first.min() >= 0 and first.max() <= 1


def test_read_idx_rejects_other_files(tmp_path: Path) -> None:
    path = tmp_path / "notes.gz"
    path.write_bytes(gzip.compress(b"this is not an image file"))
    with pytest.raises(ValueError, match="not an IDX file") as error:
        read_idx(path)
    assert str(path) in str(error.value)


@pytest.mark.skipif(
    not (PROCESSED_DIR / "train_images.pt").is_file(),
    reason="processed data not found, run dvc pull",
)
def test_training_data_is_consistent() -> None:
    images, targets = load_split(PROCESSED_DIR, "train").tensors
    assert len(images) == len(targets)
    assert images.shape[1:] == (1, 28, 28)
    assert set(targets.tolist()) == set(range(10))
