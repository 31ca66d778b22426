"""Ask ONNX Runtime which execution providers it has and which one a session uses (ML deployment).

Run it after ``scripts/export_onnx.py``: the session asks for CUDA first and falls back to the CPU
when this installation has no CUDA provider, which is why the last line is worth checking.
"""

import sys

import onnxruntime as ort


def main(onnx_path: str = "models/iris.onnx") -> None:
    """Print the installed providers, how many exist, and the ones the session really uses."""
    print("available:", ort.get_available_providers())
    print(len(ort.get_all_providers()), "providers exist in ONNX Runtime")
    # A preference order, not a demand: a provider that is not installed is skipped with a warning.
    session = ort.InferenceSession(
        onnx_path, providers=["CUDAExecutionProvider", "CPUExecutionProvider"]
    )
    print("session uses:", session.get_providers())


if __name__ == "__main__":
    main(*sys.argv[1:])
