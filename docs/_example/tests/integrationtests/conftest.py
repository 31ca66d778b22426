from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from corrupt_mnist.iris import train
from corrupt_mnist.iris_api import app


@pytest.fixture(autouse=True)
def prediction_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test logs its predictions to a folder of its own, never into data/predictions/."""
    monkeypatch.setenv("PREDICTION_DIR", str(tmp_path / "predictions"))
    return tmp_path / "predictions"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The iris API with weights trained for the tests, loaded once per test file."""
    weights: Path = tmp_path_factory.mktemp("iris") / "iris.pt"
    train(str(weights))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MODEL_PATH", str(weights))
        with TestClient(app) as test_client:  # the with block runs the lifespan: model loaded
            yield test_client
