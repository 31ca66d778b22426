"""Export the trained iris classifier to ONNX (the ML deployment module).

Run it after ``python -m corrupt_mnist.iris``: it reads models/iris.pt, writes models/iris.onnx.
"""

import sys

import torch

from corrupt_mnist.iris import make_model


def export(weights: str = "models/iris.pt", out_path: str = "models/iris.onnx") -> None:
    """Write the network with its weights as ONNX, with a free batch dimension."""
    model = make_model()
    model.load_state_dict(torch.load(weights, map_location="cpu"))
    model.eval()

    example = torch.randn(8, 4)
    batch = torch.export.Dim("batch", min=1, max=4096)
    torch.onnx.export(
        model,
        (example,),
        out_path,
        dynamo=True,
        input_names=["input"],
        output_names=["logits"],
        dynamic_shapes=({0: batch},),
    )
    print(f"exported {out_path}")


if __name__ == "__main__":
    export(*sys.argv[1:])
