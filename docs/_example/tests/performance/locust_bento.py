"""Load test of the BentoML classifier (the ML deployment module), to watch adaptive batching.

`locust -f tests/performance/locust_bento.py --host http://127.0.0.1:3000` against
`bentoml serve service:IrisClassifier`. Locust puts this folder on the import path.
"""

from locust import HttpUser, between, task
from locustfile import random_flower


class BentoUser(HttpUser):
    """One client that sends a single flower at a time: BentoML may stack many into one batch."""

    # Short waits, so that requests from different users arrive close together.
    wait_time = between(0.1, 0.5)

    @task
    def predict(self) -> None:
        """Post one flower as a batch of one row, the shape IrisClassifier.predict takes."""
        self.client.post("/predict", json={"features": [list(random_flower().values())]})
