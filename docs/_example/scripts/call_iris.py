"""Call the running iris API from Python: one good flower, then one it must refuse (API module).

Start the API first (``uv run fastapi dev src/corrupt_mnist/iris_api.py``), then run
``uv run python scripts/call_iris.py [URL]``; the URL defaults to http://127.0.0.1:8000.
"""

import sys

import requests

FLOWER = {"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2}


def main(url: str) -> None:
    """Print the status and answer for the example flower, then the reason a bad one fails."""
    response = requests.post(f"{url}/predict", json=FLOWER, timeout=10)
    print(response.status_code, response.json())

    response = requests.post(f"{url}/predict", json=FLOWER | {"petal_width": -1}, timeout=10)
    print(response.status_code, response.json()["detail"][0]["msg"])


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
