"""The drift check as a small web service (the data drifting module), beside the iris API.

``uvicorn corrupt_mnist.drift_service:app`` reads the predictions that the iris API logs, from
the same setting, PREDICTION_DIR (on Cloud Run the mounted bucket, /mnt/gcs/predictions).
"""

from typing import Annotated

import pandas as pd
from fastapi import FastAPI, HTTPException, Query
from fastapi.responses import HTMLResponse

from corrupt_mnist.drift import dataset_drifted, drift_snapshot, failed_tests, latest_window
from corrupt_mnist.iris_api import prediction_dir

app = FastAPI(title="Drift report")
# At least a few rows: a drift test on a handful of predictions says nothing.
Latest = Annotated[int, Query(ge=10, description="how many of the newest predictions to check")]


def current_window(latest: int) -> pd.DataFrame:
    """The newest logged inputs; 404 rather than a crash while nothing has been logged yet."""
    try:
        return latest_window(prediction_dir(), latest)
    except FileNotFoundError as error:
        raise HTTPException(status_code=404, detail=str(error)) from error


@app.get("/health")
def health() -> dict[str, str]:
    """For Cloud Run's and a test's start-up check: the service answers without any data."""
    return {"status": "ok"}


@app.get("/report", response_class=HTMLResponse)
def report(latest: Latest = 100) -> str:
    """The interactive Evidently report of the newest predictions, for a person to read."""
    return drift_snapshot(current_window(latest)).get_html_str(as_iframe=False)


@app.get("/drift")
def drift(latest: Latest = 100) -> dict[str, int | bool | list[str]]:
    """The same check as JSON, for a script or an alert: the failed tests and the verdict."""
    current = current_window(latest)
    failed = failed_tests(drift_snapshot(current))
    return {"rows": len(current), "failed": failed, "drift": dataset_drifted(failed)}
