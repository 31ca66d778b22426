"""The digit page again, built with Gradio instead of Streamlit (the frontend module, exercise 7).

Gradio is not one of the project's dependencies: try it with ``uv add --dev gradio`` and
``uv run python -m corrupt_mnist.gradio_app``, which serves the page on port 7860.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from corrupt_mnist.frontend import classify

if TYPE_CHECKING:
    import gradio as gr


def digit_scores(image_path: str) -> dict[str, float]:
    """Ask the API about one image; Gradio's Label shows a {label: probability} dict as bars."""
    with open(image_path, "rb") as image:
        answer = classify(image)
    return {str(answer["digit"]): answer["probability"]}


def build_demo() -> gr.Interface:
    """Wire the function to an image input and a label output: Gradio builds the page from it."""
    import gradio as gr  # here, not at the top: the tests import digit_scores without Gradio

    return gr.Interface(
        fn=digit_scores,
        inputs=gr.Image(type="filepath", label="A PNG of one handwritten digit"),
        outputs=gr.Label(label="Digit"),
        title="Which digit is this?",
    )


if __name__ == "__main__":
    build_demo().launch()
