"""A Streamlit page that classifies an uploaded digit with the corrupted MNIST API.

Run it with ``streamlit run src/corrupt_mnist/frontend.py``; it needs only Streamlit, requests
and Pillow (``requirements_frontend.txt``), not PyTorch, because the API runs the model.
"""

import os
import statistics
from typing import BinaryIO

import requests
import streamlit as st
from PIL import Image, ImageOps

BACKEND_URL = os.environ.get("BACKEND_URL", "http://127.0.0.1:8000")


def to_pixels(uploaded: BinaryIO) -> list[list[float]]:
    """Turn a PNG into the API's input: 28x28, white digit on black, in [0, 1], standardised."""
    image = ImageOps.invert(Image.open(uploaded).convert("L")).resize((28, 28))
    values = [value / 255 for value in image.getdata()]
    mean = statistics.fmean(values)
    std = statistics.pstdev(values) or 1.0  # an empty, one-colour image has no spread
    scaled = [(value - mean) / std for value in values]
    return [scaled[row * 28 : (row + 1) * 28] for row in range(28)]


st.title("Which digit is this?")
uploaded = st.file_uploader("A PNG of one handwritten digit", type=["png"])
if uploaded is not None:
    st.image(uploaded, width=140)
    try:
        response = requests.post(
            f"{BACKEND_URL}/predict", json={"pixels": to_pixels(uploaded)}, timeout=10
        )
        response.raise_for_status()
    except requests.RequestException as error:
        st.error(f"The prediction service did not answer: {error}")
    else:
        answer = response.json()
        st.success(f"Digit {answer['digit']} (probability {answer['probability']:.2f})")
