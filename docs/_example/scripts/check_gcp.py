"""Check that Python code finds your Google Cloud credentials (the cloud setup module).

`uv run python scripts/check_gcp.py` prints the project that Application Default Credentials
point at, then the buckets in it. A 403 error on the second line means the credentials work
but may not list buckets, as with the read-only CI account of exercise 8.
"""

import google.auth
from google.cloud import storage


def main() -> None:
    """Print the default project first, so a failing bucket listing still shows who asked."""
    _, project = google.auth.default()
    print(f"Authenticated, default project: {project}")
    client = storage.Client(project=project)
    print(f"Buckets: {[bucket.name for bucket in client.list_buckets()]}")


if __name__ == "__main__":
    main()
