from pathlib import Path

import pytest
import requests
from fastapi.testclient import TestClient
from streamlit.testing.v1 import AppTest

from corrupt_mnist.iris import train
from corrupt_mnist.iris_api import app as iris_api

# AppTest resolves relative paths against this test file, so build the path from it.
# A busy CI machine can take longer than AppTest's default of 3 seconds for a run.
APP = str(Path(__file__).parents[1] / "src" / "corrupt_mnist" / "iris_frontend.py")


def test_shows_an_error_when_backend_is_down(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BACKEND_URL", "http://127.0.0.1:9")  # nothing listens here
    app = AppTest.from_file(APP, default_timeout=30).run()
    app.button[0].click().run()
    assert len(app.error) == 1


def test_shows_the_predicted_label(monkeypatch: pytest.MonkeyPatch) -> None:
    class FakeResponse:
        def raise_for_status(self) -> None:
            pass

        def json(self) -> dict:
            return {"label": "setosa", "probability": 0.97}

    monkeypatch.setattr(requests, "post", lambda *args, **kwargs: FakeResponse())
    app = AppTest.from_file(APP, default_timeout=30).run()
    app.button[0].click().run()
    assert "setosa" in app.success[0].value


# [real-api]
def test_classifies_through_the_real_api(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The page's request goes to the iris API in this process, with freshly trained weights."""
    train(str(tmp_path / "iris.pt"))
    monkeypatch.setenv("MODEL_PATH", str(tmp_path / "iris.pt"))
    monkeypatch.setenv("PREDICTION_DIR", str(tmp_path / "predictions"))
    with TestClient(iris_api) as api:
        # requests.post(url, json=..., timeout=...) becomes a call of the app in this process.
        monkeypatch.setattr(requests, "post", lambda url, json, timeout: api.post(url, json=json))
        app = AppTest.from_file(APP, default_timeout=30).run()
        app.slider[2].set_value(1.4)  # petal length
        app.slider[3].set_value(0.2)  # petal width: a small flower, setosa
        app.button[0].click().run()
    assert not app.error
    assert "setosa" in app.success[0].value
    assert app.metric[0].value.endswith("%")


# [real-api-end]
