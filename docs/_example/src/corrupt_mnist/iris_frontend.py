"""A small Streamlit frontend for the iris prediction API (the frontend module).

Run it with ``streamlit run src/corrupt_mnist/iris_frontend.py`` beside a running
``uvicorn corrupt_mnist.iris_api:app``; ``BACKEND_URL`` says where that API answers.
"""

import os

import requests
import streamlit as st

BACKEND_URL = os.environ.get("BACKEND_URL", "http://127.0.0.1:8000")


def classify(flower: dict[str, float]) -> dict:
    """Send one flower to the API's /predict and return its answer (label and probability)."""
    response = requests.post(f"{BACKEND_URL}/predict", json=flower, timeout=10)
    response.raise_for_status()
    return response.json()


st.title("Iris classifier")
st.write("Enter the measurements of one flower, in centimetres.")

with st.form("flower"):
    left, right = st.columns(2)
    sepal_length = left.slider("Sepal length", 4.0, 8.0, 5.8, step=0.1)
    sepal_width = left.slider("Sepal width", 2.0, 4.5, 3.0, step=0.1)
    petal_length = right.slider("Petal length", 1.0, 7.0, 4.3, step=0.1)
    petal_width = right.slider("Petal width", 0.1, 2.5, 1.3, step=0.1)
    submitted = st.form_submit_button("Classify")

if submitted:
    flower = {
        "sepal_length": sepal_length,
        "sepal_width": sepal_width,
        "petal_length": petal_length,
        "petal_width": petal_width,
    }
    try:
        result = classify(flower)
    except requests.RequestException as error:
        st.error(f"The prediction service did not answer: {error}")
    else:
        st.success(f"This flower looks like **{result['label']}**.")
        st.metric("Confidence", f"{result['probability']:.0%}")
