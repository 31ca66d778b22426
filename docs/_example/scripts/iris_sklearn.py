"""Train a tiny scikit-learn iris classifier and store it in the project bucket.

The model of the Cloud Run function in function/main.py (the cloud deployment module).
"""

import pickle

from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression

BUCKET = "mlops-group-42-data"
BLOB = "models/iris_sklearn.pkl"


def train() -> LogisticRegression:
    """Fit a logistic regression to the 150 flowers of scikit-learn's iris data."""
    features, labels = load_iris(return_X_y=True)
    return LogisticRegression(max_iter=500).fit(features, labels)


def upload(model: LogisticRegression) -> None:
    """Pickle the model into the bucket, where the function loads it from."""
    from google.cloud import storage

    blob = storage.Client().bucket(BUCKET).blob(BLOB)
    blob.upload_from_string(pickle.dumps(model))
    print("uploaded", blob.name)


if __name__ == "__main__":
    upload(train())
