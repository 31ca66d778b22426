"""A small web API that classifies one 28x28 image per request."""

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated

import torch
from fastapi import FastAPI, Request
from prometheus_client import Counter, Histogram, make_asgi_app
from pydantic import BaseModel, Field

from corrupt_mnist.config import load_config
from corrupt_mnist.evaluate import load_model

Row = Annotated[list[float], Field(min_length=28, max_length=28)]


class Image(BaseModel):
    """One normalised image as 28 rows of 28 pixel values."""

    pixels: Annotated[list[Row], Field(min_length=28, max_length=28)]


class Prediction(BaseModel):
    """The most likely digit and the model's probability for it."""

    digit: int
    probability: float


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Load the model once at start-up, from MODEL_PATH (default models/model.pt)."""
    weights = Path(os.environ.get("MODEL_PATH", "models/model.pt"))
    app.state.model = load_model(load_config(), weights)
    yield
    del app.state.model


app = FastAPI(title="Corrupted MNIST classifier", lifespan=lifespan)

# [metrics]
# What the model answers, for Prometheus at /metrics/ (the monitoring module, exercise 9).
PREDICTED_DIGIT = Counter("corrupt_mnist_predicted_digit", "Predictions per digit", ["digit"])
CONFIDENCE = Histogram(
    "corrupt_mnist_prediction_confidence",
    "Probability of the predicted digit",
    buckets=(0.2, 0.4, 0.6, 0.8, 0.9, 0.95, 0.99, 1.0),  # ten classes: 0.1 is the floor
)
app.mount("/metrics", make_asgi_app())
# [metrics-end]


@app.get("/health")
def health() -> dict[str, str]:
    """Tell a load balancer or a test that the server is up and the model is loaded."""
    return {"status": "ok"}


@app.post("/predict")
def predict(image: Image, request: Request) -> Prediction:
    """Classify one image."""
    x = torch.tensor(image.pixels).reshape(1, 1, 28, 28)
    with torch.inference_mode():
        probabilities = request.app.state.model(x).softmax(dim=-1)[0]
    best = int(probabilities.argmax())
    PREDICTED_DIGIT.labels(digit=str(best)).inc()
    CONFIDENCE.observe(float(probabilities[best]))
    return Prediction(digit=best, probability=round(float(probabilities[best]), 4))
