"""Classify iris flowers with a scikit-learn model stored in Cloud Storage.

A Cloud Run function (the cloud deployment module): ``functions-framework --target=predict``
runs it locally; ``scripts/iris_sklearn.py`` trains the model and uploads it to the bucket.
"""

import os
import pickle

import functions_framework
from flask import Request
from google.cloud import storage

BUCKET = os.environ.get("MODEL_BUCKET", "mlops-group-42-data")
BLOB = os.environ.get("MODEL_BLOB", "models/iris_sklearn.pkl")
CLASS_NAMES = ["setosa", "versicolor", "virginica"]
_model = None


def get_model():
    """Download and unpickle the model on first use; later requests reuse it."""
    global _model
    if _model is None:
        data = storage.Client().bucket(BUCKET).blob(BLOB).download_as_bytes()
        _model = pickle.loads(data)
    return _model


@functions_framework.http
def predict(request: Request) -> tuple[dict, int] | dict:
    """Answer {"features": [four numbers]} with the predicted class name, or 400."""
    payload = request.get_json(silent=True)
    if not payload or len(payload.get("features", [])) != 4:
        return {"error": 'send JSON like {"features": [5.1, 3.5, 1.4, 0.2]}'}, 400
    index = int(get_model().predict([payload["features"]])[0])
    return {"label": CLASS_NAMES[index]}
