from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest
import torch

from corrupt_mnist.iris import make_model, train
from export_onnx import export


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The iris weights, trained for the test, and their ONNX export."""
    folder = tmp_path_factory.mktemp("onnx")
    train(str(folder / "iris.pt"), steps=50)
    export(str(folder / "iris.pt"), str(folder / "iris.onnx"))
    return folder / "iris.pt", folder / "iris.onnx"


def test_the_export_is_a_valid_onnx_file(exported: tuple[Path, Path]) -> None:
    model_proto = onnx.load(exported[1])
    onnx.checker.check_model(model_proto)
    assert [i.name for i in model_proto.graph.input] == ["input"]


@pytest.mark.parametrize("batch_size", [1, 32, 100])
def test_onnx_matches_pytorch(exported: tuple[Path, Path], batch_size: int) -> None:
    weights, onnx_file = exported
    model = make_model()
    model.load_state_dict(torch.load(weights, map_location="cpu"))
    model.eval()
    session = ort.InferenceSession(onnx_file, providers=["CPUExecutionProvider"])
    x = torch.randn(batch_size, 4)
    with torch.no_grad():
        expected = model(x).numpy()
    (actual,) = session.run(None, {"input": x.numpy()})
    np.testing.assert_allclose(actual, expected, rtol=1e-4, atol=1e-5)
