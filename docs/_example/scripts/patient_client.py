"""Call the API's /health with a timeout and a few retries, so the client never hangs (API module).

Run ``uv run python scripts/patient_client.py [URL]``; the URL defaults to http://127.0.0.1:8000.
With no server there, it gives up with a ConnectionError after the retries.
"""

import sys

import requests
from requests.adapters import HTTPAdapter
from urllib3.util import Retry


def patient_session(retries: int = 3, backoff: float = 0.5) -> requests.Session:
    """A session that retries refused connections and 502-504 answers, waiting longer each time."""
    session = requests.Session()
    retry = Retry(total=retries, backoff_factor=backoff, status_forcelist=[502, 503, 504])
    session.mount("http://", HTTPAdapter(max_retries=retry))
    return session


def main(url: str) -> None:
    """Print the health answer; a timeout bounds each attempt, so the wait is bounded too."""
    response = patient_session().get(f"{url}/health", timeout=2)
    print(response.status_code, response.json())


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
