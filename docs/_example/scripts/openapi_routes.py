"""List the routes and answer fields of a running API from its OpenAPI document (API module).

Run ``uv run python scripts/openapi_routes.py [URL]`` while the corrupted MNIST API runs; the URL
defaults to http://127.0.0.1:8000.
"""

import sys

import requests


def describe(spec: dict) -> list[str]:
    """One line per path with its methods, then the field names of the Prediction schema."""
    lines = [f"{path} {' '.join(operations)}" for path, operations in spec["paths"].items()]
    lines.append(" ".join(spec["components"]["schemas"]["Prediction"]["properties"]))
    return lines


def main(url: str) -> None:
    """Fetch /openapi.json, the document /docs renders, and print what it promises."""
    spec = requests.get(f"{url}/openapi.json", timeout=5).json()
    print("\n".join(describe(spec)))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
