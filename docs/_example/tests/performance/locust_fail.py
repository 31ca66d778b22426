"""Mostly failing traffic for the alerting exercise of the monitoring module.

``locust -f tests/performance/locust_fail.py --host http://127.0.0.1:8000``, against the API
started from ``sandbox/failing_iris_api.py``: nine requests in ten get a 500.
"""

from locust import HttpUser, constant, task


class FailingUser(HttpUser):
    """One simulated client that calls /fail nine times as often as /health."""

    wait_time = constant(0.2)

    @task(9)
    def fail(self) -> None:
        """Ask for the route that always raises."""
        self.client.get("/fail")

    @task(1)
    def health(self) -> None:
        """A request that succeeds, so the error share stays below 100 %."""
        self.client.get("/health")
