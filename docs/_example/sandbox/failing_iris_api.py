"""The iris API with one route that always fails: the monitoring module's alerting exercise.

Start it instead of the real API with
``uv run uvicorn failing_iris_api:app --app-dir sandbox --host 0.0.0.0 --port 8000``: the route
lives here, so the project's own API never gets it and there is nothing to remove afterwards.
"""

from corrupt_mnist.iris_api import app


@app.get("/fail")
def fail() -> None:
    """Raise, so the request counter records a 500 and HighErrorRate has something to see."""
    raise RuntimeError("deliberate failure for the alerting exercise")
