from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import torch
from fastapi.testclient import TestClient
from PIL import Image, ImageDraw

from corrupt_mnist.api import app as mnist_api
from corrupt_mnist.frontend import to_pixels
from corrupt_mnist.gradio_app import digit_scores
from corrupt_mnist.model import MnistCNN


@pytest.fixture
def api(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """The corrupted MNIST API in this process; the page's requests.post goes to it."""
    torch.save(MnistCNN().state_dict(), tmp_path / "model.pt")
    monkeypatch.setenv("MODEL_PATH", str(tmp_path / "model.pt"))
    with TestClient(mnist_api) as client:
        monkeypatch.setattr(
            requests, "post", lambda url, json, timeout: client.post(url, json=json)
        )
        yield client


def test_the_gradio_function_labels_the_digit_the_api_found(
    api: TestClient, tmp_path: Path
) -> None:
    """Gradio hands the function a file path and draws the dict it returns as a label."""
    png = tmp_path / "one.png"
    image = Image.new("L", (100, 100), color=255)
    ImageDraw.Draw(image).rectangle((45, 10, 55, 90), fill=0)  # a black stroke on white
    image.save(png)
    with png.open("rb") as file:
        expected = api.post("/predict", json={"pixels": to_pixels(file)}).json()
    assert digit_scores(str(png)) == {str(expected["digit"]): expected["probability"]}
