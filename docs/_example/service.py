"""BentoML services for the iris classifier (the ML deployment module).

Serve them with ``bentoml serve service:IrisGateway``; they read models/iris.onnx, which
``python scripts/export_onnx.py`` writes.
"""

import bentoml
import numpy as np

# Copied on purpose instead of importing corrupt_mnist.iris: the service must not need torch.
CLASSES = ["setosa", "versicolor", "virginica"]


@bentoml.service(resources={"cpu": "1"}, traffic={"timeout": 10}, workers=2)
class IrisClassifier:
    """The ONNX model, called with batches that BentoML assembles from single requests."""

    def __init__(self) -> None:
        """Open one ONNX Runtime session per worker process."""
        import onnxruntime as ort

        self.session = ort.InferenceSession("models/iris.onnx", providers=["CPUExecutionProvider"])

    @bentoml.api(batchable=True, max_batch_size=64, max_latency_ms=50)
    def predict(self, features: np.ndarray) -> np.ndarray:
        """Return the index of the most likely class for each row of features."""
        # BentoML hands over many requests stacked into one array of shape (n, 4).
        (logits,) = self.session.run(None, {"input": features.astype(np.float32)})
        return logits.argmax(axis=1)


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
