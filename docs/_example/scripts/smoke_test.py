"""Check a deployed corrupted MNIST API after each deployment (the cloud deployment module).

Run it as ``python scripts/smoke_test.py URL``: it exits with 0 when /health and /predict answer
as the API promises, and with 1 and one line saying what is wrong otherwise.
"""

import sys

import httpx

BLANK_IMAGE = {"pixels": [[0.0] * 28 for _ in range(28)]}


def digit(response: httpx.Response) -> int | None:
    """The answer's digit if the body is a JSON object with a digit from 0 to 9, else None."""
    try:
        value = response.json().get("digit")
    except (ValueError, AttributeError):  # not JSON at all, or JSON but not an object
        return None
    return value if value in range(10) else None


def problem(url: str) -> str | None:
    """What is wrong with the service at URL, or None when both routes answer correctly."""
    try:
        health = httpx.get(f"{url}/health", timeout=30)
        if health.status_code != 200:
            return f"/health answered {health.status_code}: {health.text}"
        prediction = httpx.post(f"{url}/predict", json=BLANK_IMAGE, timeout=30)
    except httpx.HTTPError as error:  # no server, wrong host name, timeout
        return f"no answer from {url}: {error!r}"
    if prediction.status_code != 200:
        return f"/predict answered {prediction.status_code}: {prediction.text}"
    if digit(prediction) is None:
        return f"/predict answered without a digit from 0 to 9: {prediction.text}"
    return None


def main(url: str) -> int:
    """Print the verdict; the exit status lets a Cloud Build step or a CI job fail on it."""
    found = problem(url.rstrip("/"))
    print(f"FAILED: {found}" if found else f"ok: {url} answers /health and /predict")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
