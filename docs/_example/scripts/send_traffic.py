"""Send the iris API 200 flowers: 100 typical ones, then 100 with unusually long petals.

``python scripts/send_traffic.py`` sends them to the API on this machine; give another address,
such as a Cloud Run URL, as the first argument.
"""

import sys

import httpx
import numpy as np
from sklearn.datasets import load_iris

NAMES = ["sepal_length", "sepal_width", "petal_length", "petal_width"]


def send(client: httpx.Client, requests: int = 200, drift_from: int = 100) -> None:
    """Post random flowers of the iris data; from request `drift_from` on, with longer petals."""
    rows = load_iris().data
    rng = np.random.default_rng(0)
    for i in range(requests):
        values = rows[rng.integers(len(rows))].copy()
        if i >= drift_from:
            values[2] *= 1.5  # unusually long petals
        response = client.post("/predict", json=dict(zip(NAMES, map(float, values), strict=True)))
        response.raise_for_status()
    print(f"sent {requests} requests")


if __name__ == "__main__":
    url = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
    with httpx.Client(base_url=url, timeout=10) as api:
        send(api)
