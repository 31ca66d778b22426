"""Prediction API for the iris classifier: the side example of the API and monitoring modules."""

import json
import os
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated
from uuid import uuid4

import torch
from fastapi import BackgroundTasks, Body, Depends, FastAPI, Request, Response
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    make_asgi_app,
    multiprocess,
)
from pydantic import BaseModel, Field

from corrupt_mnist.iris import CLASS_NAMES, make_model


class Flower(BaseModel):
    """The four measurements of one flower, in centimetres."""

    sepal_length: float = Field(gt=0, description="Sepal length in cm")
    sepal_width: float = Field(gt=0, description="Sepal width in cm")
    petal_length: float = Field(gt=0, description="Petal length in cm")
    petal_width: float = Field(gt=0, description="Petal width in cm")


class Prediction(BaseModel):
    """The most likely class and the model's probability for it."""

    label: str
    probability: float


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Load the weights once at start-up, from MODEL_PATH (default models/iris.pt)."""
    model = make_model()
    weights = os.environ.get("MODEL_PATH", "models/iris.pt")
    model.load_state_dict(torch.load(weights, map_location="cpu"))
    app.state.model = model.eval()
    yield
    del app.state.model


app = FastAPI(title="Flower API", lifespan=lifespan)


def get_model(request: Request) -> torch.nn.Module:
    """The loaded model, as a dependency that a test can replace with a fake."""
    return request.app.state.model


def metrics_app() -> Callable[..., Awaitable[None]]:
    """This process's metrics, or with several worker processes the sum over all of them.

    Multiprocess mode (the monitoring module, exercise 12) starts when PROMETHEUS_MULTIPROC_DIR
    names a folder before Python starts: every process writes its values to files there.
    """
    if "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
        return make_asgi_app()
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)  # adds up the files of every process
    return make_asgi_app(registry=registry)


# [metrics]
HTTP_REQUESTS = Counter(
    "iris_http_requests", "HTTP requests handled by the API", ["method", "path", "status"]
)
PREDICTION_LATENCY = Histogram(
    "iris_prediction_latency_seconds",
    "Time spent computing one prediction",
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0),
)
IN_PROGRESS = Gauge(
    "iris_predictions_in_progress",
    "Predictions being computed right now",
    multiprocess_mode="livesum",  # with several workers: the sum over the running ones
)
PREDICTED_CLASS = Counter("iris_predicted_class", "Predictions per class", ["label"])
CONFIDENCE = Histogram(
    "iris_prediction_confidence",
    "Probability of the predicted class",
    buckets=(0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0),
)

app.mount("/metrics", metrics_app())


@app.middleware("http")
async def count_requests(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    """Count every request with its final status, 422s that never reach a route included."""
    try:
        response = await call_next(request)
    except Exception:
        HTTP_REQUESTS.labels(request.method, request.url.path, "500").inc()
        raise
    HTTP_REQUESTS.labels(request.method, request.url.path, str(response.status_code)).inc()
    return response


# [metrics-end]


@app.middleware("http")
async def add_process_time(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    """Time every request, whatever endpoint handles it, in the header X-Process-Time-Ms."""
    start = time.perf_counter()
    response = await call_next(request)
    response.headers["X-Process-Time-Ms"] = f"{(time.perf_counter() - start) * 1000:.1f}"
    return response


# [prediction-log]
def prediction_dir() -> Path:
    """Where each prediction is logged: PREDICTION_DIR, default data/predictions.

    On Cloud Run, point it into the mounted bucket (/mnt/gcs/predictions).
    """
    return Path(os.environ.get("PREDICTION_DIR", "data/predictions"))


def log_prediction(flower: Flower, prediction: Prediction) -> None:
    """Write one JSON file per request, named by time: instances never share a file."""
    now = datetime.now(UTC)
    record = {"time": now.isoformat(), **flower.model_dump(), **prediction.model_dump()}
    folder = prediction_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{now:%Y%m%dT%H%M%S%f}-{uuid4().hex[:8]}.json").write_text(json.dumps(record))


# [prediction-log-end]


@app.get("/health")
def health() -> dict[str, str]:
    """Answer at once, without touching the model: the server is up."""
    return {"status": "ok"}


@app.post("/predict")
def predict(
    flower: Flower,
    background_tasks: BackgroundTasks,
    model: Annotated[torch.nn.Module, Depends(get_model)],
) -> Prediction:
    """Classify one flower; count it, and log it once the response has been sent."""
    x = torch.tensor(
        [[flower.sepal_length, flower.sepal_width, flower.petal_length, flower.petal_width]]
    )
    with IN_PROGRESS.track_inprogress(), PREDICTION_LATENCY.time():
        with torch.inference_mode():
            probabilities = model(x).softmax(dim=-1)[0]
    best = int(probabilities.argmax())
    probability = round(float(probabilities[best]), 4)
    prediction = Prediction(label=CLASS_NAMES[best], probability=probability)
    PREDICTED_CLASS.labels(label=prediction.label).inc()
    CONFIDENCE.observe(prediction.probability)
    background_tasks.add_task(log_prediction, flower, prediction)
    return prediction


@app.post("/predict-batch")
def predict_batch(
    flowers: Annotated[list[Flower], Body(min_length=1, max_length=100)],
    background_tasks: BackgroundTasks,
    model: Annotated[torch.nn.Module, Depends(get_model)],
) -> list[Prediction]:
    """Classify 1 to 100 flowers in one forward pass; count and log each one like /predict."""
    x = torch.tensor(
        [[f.sepal_length, f.sepal_width, f.petal_length, f.petal_width] for f in flowers]
    )
    with torch.inference_mode():
        probabilities = model(x).softmax(dim=-1)
    best = probabilities.argmax(dim=-1)
    predictions = [
        Prediction(label=CLASS_NAMES[int(i)], probability=round(float(p[i]), 4))
        for i, p in zip(best, probabilities, strict=True)
    ]
    for flower, prediction in zip(flowers, predictions, strict=True):
        PREDICTED_CLASS.labels(label=prediction.label).inc()
        CONFIDENCE.observe(prediction.probability)
        background_tasks.add_task(log_prediction, flower, prediction)
    return predictions
