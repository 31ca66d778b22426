"""Export the trained iris classifier to ONNX (the ML deployment module).

Run it after ``python -m corrupt_mnist.iris``: it reads models/iris.pt, writes models/iris.onnx.
``scripts/export_onnx_cnn.py`` exports the project's CNN with the same ``to_onnx``.
"""

import sys

import torch

from corrupt_mnist.iris import make_model


def to_onnx(model: torch.nn.Module, example: torch.Tensor, out_path: str) -> None:
    """Write the model with its weights as one ONNX file, with a free batch dimension."""
    model.eval()
    batch = torch.export.Dim("batch", min=1, max=4096)
    torch.onnx.export(
        model,
        (example,),
        out_path,
        dynamo=True,
        input_names=["input"],
        output_names=["logits"],
        dynamic_shapes=({0: batch},),
        external_data=False,  # the weights inside the file, not in a second .onnx.data file
    )
    print(f"exported {out_path}")


def export(weights: str = "models/iris.pt", out_path: str = "models/iris.onnx") -> None:
    """Load the iris weights and export them; the example batch has 8 flowers of 4 features."""
    model = make_model()
    model.load_state_dict(torch.load(weights, map_location="cpu"))
    to_onnx(model, torch.randn(8, 4), out_path)


if __name__ == "__main__":
    export(*sys.argv[1:])
