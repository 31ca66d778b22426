"""Export the trained MnistCNN to ONNX and check it against PyTorch (the ML deployment module).

Run it after training, from the project root: it reads models/model.pt and the processed test
images, writes models/model.onnx and exits with an error when ONNX Runtime disagrees.
"""

import sys
from pathlib import Path

import numpy as np
import onnxruntime as ort
import torch

from corrupt_mnist.config import load_config
from corrupt_mnist.data import load_split
from corrupt_mnist.evaluate import load_model
from export_onnx import to_onnx


def compare(model: torch.nn.Module, onnx_path: str, images: torch.Tensor) -> None:
    """Raise AssertionError unless ONNX Runtime predicts the same digits with close logits."""
    with torch.inference_mode():
        expected = model(images).numpy()
    session = ort.InferenceSession(onnx_path, providers=["CPUExecutionProvider"])
    (actual,) = session.run(None, {"input": images.numpy()})
    np.testing.assert_array_equal(actual.argmax(axis=1), expected.argmax(axis=1))
    np.testing.assert_allclose(actual, expected, rtol=1e-4, atol=1e-4)


def main(weights: str = "models/model.pt", out_path: str = "models/model.onnx") -> None:
    """Export the CNN that configs/ describes and compare the two on 64 test images."""
    model = load_model(load_config(), Path(weights))
    # MnistCNN checks the shape in forward: only the batch of (N, 1, 28, 28) may vary.
    to_onnx(model, torch.rand(8, 1, 28, 28), out_path)
    images = load_split(Path("data/processed"), "test").tensors[0][:64]
    compare(model, out_path, images)
    print(f"ONNX Runtime matches PyTorch on {len(images)} test images")


if __name__ == "__main__":
    main(*sys.argv[1:])
