"""Print the iris API's request rate per status code, as Prometheus computes it.

The monitoring module, exercise 10: ``python scripts/request_rates.py`` asks the Prometheus at
127.0.0.1:9090 (or the URL given as the first argument) through its HTTP API, the same API that
its Graph view and every dashboard use.
"""

import sys

import requests

QUERY = "sum by (status) (rate(iris_http_requests_total[1m]))"


def request_rates(prometheus: str = "http://127.0.0.1:9090") -> dict[str, float]:
    """Requests per second over the last minute, keyed by status code."""
    answer = requests.get(f"{prometheus}/api/v1/query", params={"query": QUERY}, timeout=5)
    answer.raise_for_status()
    # An instant vector: each series has its labels and a [timestamp, "value"] pair.
    return {
        series["metric"]["status"]: float(series["value"][1])
        for series in answer.json()["data"]["result"]
    }


def main(prometheus: str = "http://127.0.0.1:9090") -> None:
    """One line per status code, in order."""
    for status, rate in sorted(request_rates(prometheus).items()):
        print(f"{status} {rate:.2f} requests/s")


if __name__ == "__main__":
    main(*sys.argv[1:])
