import io

from fastapi.testclient import TestClient
from PIL import Image

from image_info import app

client = TestClient(app)  # no lifespan to run: the app loads no model


def test_image_info_reads_size_and_mode() -> None:
    buffer = io.BytesIO()
    Image.new("L", (28, 20)).save(buffer, format="PNG")
    files = {"file": ("digit.png", buffer.getvalue(), "image/png")}
    response = client.post("/image-info", files=files)
    assert response.status_code == 200
    assert response.json() == {"filename": "digit.png", "width": 28, "height": 20, "mode": "L"}


def test_image_info_rejects_a_text_file() -> None:
    files = {"file": ("notes.txt", b"not an image", "text/plain")}
    response = client.post("/image-info", files=files)
    assert response.status_code == 400
    assert response.json()["detail"] == "notes.txt is not an image I can read"
