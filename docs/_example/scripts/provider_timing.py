"""Time the CNN with another execution provider against the CPU (the ML deployment module).

Run it after ``scripts/export_onnx_cnn.py`` with the provider your machine offers, for example
``python scripts/provider_timing.py CoreMLExecutionProvider`` on a Mac. Each line says which
provider the session really runs on: a provider that is missing falls back to the CPU.
"""

import sys
from functools import partial

import numpy as np
import onnxruntime as ort

from time_runtimes import seconds_per_call


def time_provider(onnx_path: str, provider: str, batch: np.ndarray, calls: int) -> str:
    """One line: the provider asked for, the one the session uses, and the time per batch."""
    session = ort.InferenceSession(onnx_path, providers=[provider, "CPUExecutionProvider"])
    used = session.get_providers()[0]
    seconds = seconds_per_call(partial(session.run, None, {"input": batch}), calls)
    return f"asked for {provider}, runs on {used}: {seconds * 1e3:.2f} ms per batch of {len(batch)}"


def main(provider: str, onnx_path: str = "models/model.onnx", calls: str = "1000") -> None:
    """The same batch of 64 images through the chosen provider, then through the CPU alone."""
    batch = np.random.default_rng(0).standard_normal((64, 1, 28, 28), dtype=np.float32)
    for name in (provider, "CPUExecutionProvider"):
        print(time_provider(onnx_path, name, batch, int(calls)))


if __name__ == "__main__":
    main(*sys.argv[1:])
