import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import torch
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corrupt_mnist.api import app
from corrupt_mnist.model import MnistCNN


@pytest.fixture
def client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    weights = tmp_path / "model.pt"
    torch.save(MnistCNN().state_dict(), weights)
    monkeypatch.setenv("MODEL_PATH", str(weights))
    with TestClient(app) as client:  # the with block runs the lifespan: the model is loaded
        yield client


def test_health(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "ok"}


def test_predict_returns_a_digit(client: TestClient) -> None:
    response = client.post("/predict", json={"pixels": [[0.0] * 28] * 28})
    assert response.status_code == 200
    assert response.json()["digit"] in range(10)
    assert 0 < response.json()["probability"] <= 1


def test_predict_rejects_a_short_row(client: TestClient) -> None:
    pixels = [[0.0] * 28] * 27 + [[0.0] * 5]
    assert client.post("/predict", json={"pixels": pixels}).status_code == 422


def sample(metrics: str, series: str) -> float:
    """The value of one series in the text /metrics/ serves; 0 before its first count."""
    found = re.search(rf"^{re.escape(series)} (\S+)$", metrics, re.M)
    return float(found[1]) if found else 0.0


def test_metrics_count_the_predicted_digit(client: TestClient) -> None:
    before = client.get("/metrics/").text  # the counters live as long as the process
    digit = client.post("/predict", json={"pixels": [[0.0] * 28] * 28}).json()["digit"]
    after = client.get("/metrics/").text
    series = f'corrupt_mnist_predicted_digit_total{{digit="{digit}"}}'
    assert sample(after, series) == sample(before, series) + 1
    confidence = "corrupt_mnist_prediction_confidence_count"
    assert sample(after, confidence) == sample(before, confidence) + 1


row = st.lists(st.floats(-5, 5), min_size=28, max_size=28)
image = st.lists(row, min_size=28, max_size=28)


# deadline=None: Hypothesis would otherwise fail an example that takes over 200 ms, a timing
# check that a busy CI machine trips at random. Even the smallest image is 784 numbers, which
# Hypothesis reports as a large base example unless told that this is expected.
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.large_base_example],
)
@given(pixels=image)
def test_predict_answers_any_image(client: TestClient, pixels: list[list[float]]) -> None:
    response = client.post("/predict", json={"pixels": pixels})
    assert response.status_code == 200
    assert response.json()["digit"] in range(10)
    assert 0 < response.json()["probability"] <= 1
