"""Time PyTorch against ONNX Runtime on single flowers (the ML deployment module).

Run it after ``python -m corrupt_mnist.iris`` and ``scripts/export_onnx.py``: it reads
models/iris.pt and models/iris.onnx and prints the mean time of one prediction with each runtime.
"""

import sys
import time
from collections.abc import Callable

import onnxruntime as ort
import torch

from corrupt_mnist.iris import make_model


def seconds_per_call(predict: Callable[[], object], calls: int = 1000, warmup: int = 20) -> float:
    """Mean wall time of one call, after warm-up calls that pay the one-off set-up costs."""
    for _ in range(warmup):
        predict()
    start = time.perf_counter()
    for _ in range(calls):
        predict()
    return (time.perf_counter() - start) / calls


def main(
    weights: str = "models/iris.pt", onnx_path: str = "models/iris.onnx", calls: str = "1000"
) -> None:
    """Time the same single flower through both runtimes and print microseconds per call."""
    model = make_model()
    model.load_state_dict(torch.load(weights, map_location="cpu"))
    model.eval()
    session = ort.InferenceSession(onnx_path, providers=["CPUExecutionProvider"])
    flower = torch.randn(1, 4)
    flower_np = flower.numpy()

    def torch_call() -> None:
        with torch.inference_mode():
            model(flower)

    def onnx_call() -> None:
        session.run(None, {"input": flower_np})

    for name, predict in [("pytorch", torch_call), ("onnxruntime", onnx_call)]:
        print(f"{name}: {seconds_per_call(predict, int(calls)) * 1e6:.1f} microseconds per call")


if __name__ == "__main__":
    main(*sys.argv[1:])
