"""Compare the CNN's graph before and after ONNX Runtime's optimisations (the ML deployment module).

Run it after ``scripts/export_onnx_cnn.py``: it saves the optimised graph as
models/model.optimized.onnx (for looking at in Netron, not for shipping: it may hold
optimisations for this machine's CPU) and prints node counts and the time per batch of both.
"""

import sys
from collections import Counter
from functools import partial

import numpy as np
import onnx
import onnxruntime as ort

from time_runtimes import seconds_per_call


def session(
    onnx_path: str, level: ort.GraphOptimizationLevel, saved_to: str = ""
) -> ort.InferenceSession:
    """A CPU session at one optimisation level, optionally writing the graph it runs."""
    options = ort.SessionOptions()
    options.graph_optimization_level = level
    if saved_to:
        options.optimized_model_filepath = saved_to
    return ort.InferenceSession(onnx_path, options, providers=["CPUExecutionProvider"])


def main(
    onnx_path: str = "models/model.onnx",
    optimized_path: str = "models/model.optimized.onnx",
    calls: str = "200",
) -> None:
    """Print the operators of both graphs and the milliseconds per batch of both sessions."""
    plain = session(onnx_path, ort.GraphOptimizationLevel.ORT_DISABLE_ALL)
    optimized = session(onnx_path, ort.GraphOptimizationLevel.ORT_ENABLE_ALL, optimized_path)
    batch = np.random.default_rng(0).random((64, 1, 28, 28), dtype=np.float32)
    for name, path, runs in [("plain", onnx_path, plain), ("optimized", optimized_path, optimized)]:
        operators = Counter(node.op_type for node in onnx.load(path).graph.node)
        seconds = seconds_per_call(partial(runs.run, None, {"input": batch}), int(calls))
        print(f"{name}: {operators.total()} nodes {dict(sorted(operators.items()))}")
        print(f"{name}: {seconds * 1e3:.2f} ms per batch of 64")


if __name__ == "__main__":
    main(*sys.argv[1:])
