import json
from pathlib import Path

import pytest
import torch
from fastapi.testclient import TestClient

from corrupt_mnist.iris_api import app, get_model

SETOSA = {"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2}


def test_health_answers_ok() -> None:
    client = TestClient(app)  # no with block: /health does not need the model
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_predict_returns_setosa(client: TestClient) -> None:
    response = client.post("/predict", json=SETOSA)
    assert response.status_code == 200
    assert response.json()["label"] == "setosa"
    assert 0.5 < response.json()["probability"] <= 1.0


@pytest.mark.parametrize(
    "body",
    [
        {},
        SETOSA | {"sepal_length": "long"},
        SETOSA | {"sepal_length": -1.0},
    ],
)
def test_predict_rejects_bad_input(client: TestClient, body: dict) -> None:
    assert client.post("/predict", json=body).status_code == 422


# [fake-model]
class AlwaysVirginica(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.tensor([[0.0, 0.0, 10.0]]).repeat(x.shape[0], 1)


def test_predict_with_fake_model() -> None:
    app.dependency_overrides[get_model] = lambda: AlwaysVirginica()
    try:
        client = TestClient(app)  # no with block: no real model is loaded
        response = client.post("/predict", json=SETOSA)
    finally:
        app.dependency_overrides.clear()
    assert response.json()["label"] == "virginica"


# [fake-model-end]


def test_each_prediction_is_logged_as_one_json_file(
    client: TestClient, prediction_log: Path
) -> None:
    for _ in range(3):
        client.post("/predict", json=SETOSA)
    logged = sorted(prediction_log.glob("*.json"))
    assert len(logged) == 3
    assert all(json.loads(file.read_text())["label"] == "setosa" for file in logged)


def test_metrics_count_requests_by_status(client: TestClient) -> None:
    client.post("/predict", json=SETOSA)
    client.post("/predict", json=SETOSA | {"petal_width": -1})
    metrics = client.get("/metrics/").text
    assert 'iris_http_requests_total{method="POST",path="/predict",status="200"}' in metrics
    assert 'iris_http_requests_total{method="POST",path="/predict",status="422"}' in metrics
    assert 'iris_predicted_class_total{label="setosa"}' in metrics


def test_predict_batch_answers_each_flower_in_order(client: TestClient) -> None:
    virginica = SETOSA | {"petal_length": 6.0, "petal_width": 2.3, "sepal_length": 7.0}
    response = client.post("/predict-batch", json=[SETOSA, virginica, SETOSA])
    assert response.status_code == 200
    assert [p["label"] for p in response.json()] == ["setosa", "virginica", "setosa"]


@pytest.mark.parametrize("size", [0, 101])
def test_predict_batch_rejects_an_empty_or_too_long_list(client: TestClient, size: int) -> None:
    assert client.post("/predict-batch", json=[SETOSA] * size).status_code == 422


def test_every_response_says_how_long_it_took(client: TestClient) -> None:
    for response in (client.post("/predict", json=SETOSA), client.get("/docs")):
        assert float(response.headers["X-Process-Time-Ms"]) >= 0
