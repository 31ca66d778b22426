import pytest
import torch

from corrupt_mnist.model import MnistCNN


@pytest.mark.parametrize("batch_size", [1, 32])
def test_model_gives_ten_logits_per_image(batch_size: int) -> None:
    assert MnistCNN()(torch.rand(batch_size, 1, 28, 28)).shape == (batch_size, 10)


def test_model_rejects_a_wrong_shape() -> None:
    with pytest.raises(ValueError, match="expected a batch of shape"):
        MnistCNN()(torch.rand(1, 28, 28))
