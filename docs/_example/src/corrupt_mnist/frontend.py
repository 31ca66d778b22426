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
from streamlit.runtime.uploaded_file_manager import UploadedFile

BACKEND_URL = os.environ.get("BACKEND_URL", "http://127.0.0.1:8000")


def to_pixels(uploaded: BinaryIO) -> list[list[float]]:
    """Turn a PNG into the API's input: 28x28, white digit on black, in [0, 1], standardised."""
    image = ImageOps.invert(Image.open(uploaded).convert("L")).resize((28, 28))
    values = [value / 255 for value in image.tobytes()]  # one byte per pixel in mode "L"
    mean = statistics.fmean(values)
    std = statistics.pstdev(values) or 1.0  # an empty, one-colour image has no spread
    scaled = [(value - mean) / std for value in values]
    return [scaled[row * 28 : (row + 1) * 28] for row in range(28)]


def classify(uploaded: BinaryIO) -> dict:
    """Ask the API for the digit; a timeout turns a hanging backend into an error message."""
    response = requests.post(
        f"{BACKEND_URL}/predict", json={"pixels": to_pixels(uploaded)}, timeout=10
    )
    response.raise_for_status()
    return response.json()


# [health]
@st.cache_data(ttl=10)
def backend_is_up(url: str) -> bool:
    """Ask /health at most once per 10 s per URL: the script reruns on every interaction."""
    try:
        return requests.get(f"{url}/health", timeout=2).ok
    except requests.RequestException:
        return False


def show_backend_health() -> None:
    """One line in the sidebar, green or red, so a user knows why nothing works."""
    if backend_is_up(BACKEND_URL):
        st.sidebar.success("Backend is up")
    else:
        st.sidebar.error(f"No answer from {BACKEND_URL}")


# [health-end]


# [history]
def remember(uploaded: UploadedFile, answer: dict) -> None:
    """Keep one row per upload in the session: plain variables are gone after each rerun."""
    history = st.session_state.setdefault("history", {})
    history[uploaded.file_id] = {"file": uploaded.name, **answer}  # a rerun adds no new row


def show_history() -> None:
    """This visit's predictions as a table, newest first."""
    rows = list(st.session_state.get("history", {}).values())
    if rows:
        st.subheader("Your predictions")
        st.dataframe(rows[::-1])


# [history-end]


def main() -> None:
    """The page, top to bottom: Streamlit runs this file again on every interaction."""
    st.title("Which digit is this?")
    show_backend_health()
    uploaded = st.file_uploader("A PNG of one handwritten digit", type=["png"])
    if uploaded is not None:
        st.image(uploaded, width=140)
        try:
            answer = classify(uploaded)
        except requests.RequestException as error:
            st.error(f"The prediction service did not answer: {error}")
        else:
            st.success(f"Digit {answer['digit']} (probability {answer['probability']:.2f})")
            remember(uploaded, answer)
    show_history()


# Streamlit runs the file as __main__; a test that imports to_pixels gets no page and no request.
if __name__ == "__main__":
    main()
