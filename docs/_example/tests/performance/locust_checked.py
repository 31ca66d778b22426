"""A load test that also checks the answers: `locust -f tests/performance/locust_checked.py`.

A 200 with the wrong body (an error page from a proxy, a model that is still loading) counts
as a failure here, where the status code alone would call it a success. Locust puts this
folder on the import path, so the flowers come from the first locustfile.
"""

from locust import HttpUser, between, task
from locustfile import random_flower


class CheckedIrisUser(HttpUser):
    """One simulated client that asks for predictions and reads every answer."""

    wait_time = between(0.5, 2)

    # [checked-predict]
    @task
    def predict(self) -> None:
        """Classify one random flower; an answer without a label is a failed request."""
        with self.client.post("/predict", json=random_flower(), catch_response=True) as response:
            try:
                body = response.json()
            except ValueError:  # not JSON at all: an HTML error page, for example
                body = None
            if not isinstance(body, dict) or "label" not in body:
                response.failure(f"no label in {response.text[:80]!r}")

    # [checked-predict-end]
