import io
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from streamlit.testing.v1 import AppTest

from corrupt_mnist.frontend import to_pixels

# AppTest resolves relative paths against this test file, so build the path from it.
APP = str(Path(__file__).parents[1] / "src" / "corrupt_mnist" / "frontend.py")


def drawn_digit(box: tuple[int, int, int, int] = (30, 30, 70, 70)) -> io.BytesIO:
    """A PNG as a paint program saves it: a black shape on white, larger than 28x28."""
    image = Image.new("L", (100, 100), color=255)
    ImageDraw.Draw(image).rectangle(box, fill=0)
    png = io.BytesIO()
    image.save(png, format="PNG")
    png.seek(0)
    return png


def test_to_pixels_gives_a_standardised_28_by_28_image() -> None:
    pixels = to_pixels(drawn_digit())
    assert len(pixels) == 28 and all(len(row) == 28 for row in pixels)
    assert abs(sum(map(sum, pixels)) / 784) < 1e-5


def test_the_drawn_strokes_become_the_bright_pixels() -> None:
    """MNIST digits are white on black: the square drawn in black must come out brightest."""
    pixels = to_pixels(drawn_digit())
    assert pixels[14][14] > 0 > pixels[0][0]


def test_the_page_renders_without_a_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BACKEND_URL", "http://127.0.0.1:9")  # nothing listens here
    # A busy CI machine can take longer than AppTest's default of 3 seconds for a run.
    app = AppTest.from_file(APP, default_timeout=30).run()
    assert not app.exception
    assert app.title[0].value == "Which digit is this?"
    assert app.sidebar.error[0].value == "No answer from http://127.0.0.1:9"
