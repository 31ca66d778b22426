"""BentoML services for the iris classifier and the digit classifier (the ML deployment module).

Serve them with ``bentoml serve service:IrisGateway``; they read models/iris.onnx, which
``python scripts/export_onnx.py`` writes. ``bentoml serve service:MnistClassifier`` serves
models/model.onnx (``python scripts/export_onnx_cnn.py``), on a GPU when there is one.
"""

import logging
from typing import TYPE_CHECKING

import bentoml
import numpy as np

if TYPE_CHECKING:  # imported for real inside open_session, in the worker that needs it
    import onnxruntime as ort

# Copied on purpose instead of importing corrupt_mnist.iris: the service must not need torch.
CLASSES = ["setosa", "versicolor", "virginica"]
# BentoML shows the records of its own logger in the server's output.
logger = logging.getLogger("bentoml")


def open_session(onnx_path: str, providers: list[str]) -> "ort.InferenceSession":
    """One ONNX Runtime session, with the providers it really uses in the log: a fallback shows."""
    import onnxruntime as ort

    session = ort.InferenceSession(onnx_path, providers=providers)
    logger.info("%s runs on %s", onnx_path, session.get_providers())
    return session


def most_likely(session: "ort.InferenceSession", batch: np.ndarray) -> np.ndarray:
    """The index of the largest output of each row; JSON numbers arrive as float64, not float32."""
    (logits,) = session.run(None, {"input": batch.astype(np.float32)})
    return logits.argmax(axis=1)


@bentoml.service(resources={"cpu": "1"}, traffic={"timeout": 10}, workers=2)
class IrisClassifier:
    """The ONNX model, called with batches that BentoML assembles from single requests."""

    def __init__(self) -> None:
        """Open one ONNX Runtime session per worker process."""
        self.session = open_session("models/iris.onnx", ["CPUExecutionProvider"])

    @bentoml.api(batchable=True, max_batch_size=64, max_latency_ms=50)
    def predict(self, features: np.ndarray) -> np.ndarray:
        """Return the index of the most likely class for each row of features."""
        # BentoML hands over many requests stacked into one array of shape (n, 4).
        return most_likely(self.session, features)


@bentoml.service
class IrisGateway:
    """The friendly endpoint: named measurements in, a class name out."""

    classifier = bentoml.depends(IrisClassifier)

    @bentoml.api
    def classify(
        self, sepal_length: float, sepal_width: float, petal_length: float, petal_width: float
    ) -> dict[str, str]:
        """Classify one flower through the batching classifier service."""
        row = np.array([[sepal_length, sepal_width, petal_length, petal_width]])
        index = int(self.classifier.predict(row)[0])
        return {"label": CLASSES[index]}


# [gpu-service]
# A preference order: without onnxruntime-gpu or a GPU, ONNX Runtime warns and uses the CPU.
GPU_FIRST = ["CUDAExecutionProvider", "CPUExecutionProvider"]


@bentoml.service(resources={"gpu": 1}, traffic={"timeout": 10})
class MnistClassifier:
    """The corrupted MNIST CNN on a GPU: one worker, fed large batches."""

    def __init__(self) -> None:
        """Ask for CUDA first; the start-up log tells whether the session got it."""
        self.session = open_session("models/model.onnx", GPU_FIRST)

    @bentoml.api(batchable=True, max_batch_size=256, max_latency_ms=20)
    def predict(self, images: np.ndarray) -> np.ndarray:
        """Return the most likely digit for each (1, 28, 28) image of the batch."""
        return most_likely(self.session, images)
