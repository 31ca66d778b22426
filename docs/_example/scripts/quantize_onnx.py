"""Quantize the exported CNN to int8 and weigh what it costs (the ML deployment module).

Run it after ``scripts/export_onnx_cnn.py``, from the project root: it writes
models/model.int8.onnx and prints, for the float and the int8 file, the size on disk, the accuracy
on the processed test images and the time per batch of 64.
"""

import sys
from functools import partial
from pathlib import Path

import numpy as np
import onnxruntime as ort
from onnxruntime.quantization import QuantType, quantize_dynamic

from corrupt_mnist.data import load_split
from time_runtimes import seconds_per_call


def accuracy(session: ort.InferenceSession, images: np.ndarray, labels: np.ndarray) -> float:
    """Share of test images whose largest logit is the true digit."""
    (logits,) = session.run(None, {"input": images})
    return float((logits.argmax(axis=1) == labels).mean())


def main(
    float_path: str = "models/model.onnx",
    int8_path: str = "models/model.int8.onnx",
    calls: str = "200",
) -> None:
    """Write the int8 file, then print one line per file: size, accuracy, milliseconds."""
    # Weights become int8 with one scale per tensor; activations are quantized on the fly.
    quantize_dynamic(float_path, int8_path, weight_type=QuantType.QInt8)
    images, labels = (t.numpy() for t in load_split(Path("data/processed"), "test").tensors)
    batch = images[:64]
    for path in (float_path, int8_path):
        session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
        size_kb = Path(path).stat().st_size / 1000
        seconds = seconds_per_call(partial(session.run, None, {"input": batch}), int(calls))
        print(
            f"{path}: {size_kb:.0f} kB, accuracy {accuracy(session, images, labels):.4f}, "
            f"{seconds * 1e3:.2f} ms per batch of 64"
        )


if __name__ == "__main__":
    main(*sys.argv[1:])
