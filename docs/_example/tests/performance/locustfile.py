"""Load test of the iris API: `locust -f tests/performance/locustfile.py --host URL`."""

import random

from locust import HttpUser, between, task


def random_flower() -> dict[str, float]:
    """One random flower within the measurements of the training data."""
    return {
        "sepal_length": random.uniform(4.5, 7.5),
        "sepal_width": random.uniform(2.0, 4.0),
        "petal_length": random.uniform(1.0, 6.5),
        "petal_width": random.uniform(0.1, 2.5),
    }


class IrisUser(HttpUser):
    """One simulated client: mostly predictions, now and then a health check."""

    # Each simulated user waits 0.5 to 2 seconds between requests.
    wait_time = between(0.5, 2)

    @task(1)
    def health(self) -> None:
        """Ask whether the server is up."""
        self.client.get("/health")

    @task(5)
    def predict(self) -> None:
        """Classify one random flower."""
        self.client.post("/predict", json=random_flower())
