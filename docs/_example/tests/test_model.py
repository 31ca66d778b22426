import pytest
import torch

from corrupt_mnist.model import MnistCNN


@pytest.fixture
def model() -> MnistCNN:
    torch.manual_seed(0)
    return MnistCNN().eval()


@pytest.mark.parametrize("batch_size", [1, 16, 64])
def test_output_shape(model: MnistCNN, batch_size: int) -> None:
    x = torch.randn(batch_size, 1, 28, 28)
    assert model(x).shape == (batch_size, 10)


@pytest.mark.parametrize(
    "bad_input",
    [torch.randn(1, 28, 28), torch.randn(2, 3, 28, 28)],
    ids=["no batch dimension", "three channels"],
)
def test_rejects_malformed_input(model: MnistCNN, bad_input: torch.Tensor) -> None:
    with pytest.raises(ValueError, match="expected a batch of shape"):
        model(bad_input)


def test_save_and_load_roundtrip(model: MnistCNN, tmp_path) -> None:
    path = tmp_path / "model.pt"
    torch.save(model.state_dict(), path)
    restored = MnistCNN().eval()
    restored.load_state_dict(torch.load(path))
    x = torch.randn(2, 1, 28, 28)
    torch.testing.assert_close(model(x), restored(x))
