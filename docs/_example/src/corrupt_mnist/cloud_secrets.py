"""Fetch the W&B key from Secret Manager at start-up, so it never lives in code or images.

The using-the-cloud module, exercise 25. Named cloud_secrets, not secrets: the standard library
has a `secrets` module already, and two of that name invite the wrong import.
"""

import os
from typing import Any, Protocol

# Set it to a secret's resource name (projects/<project>/secrets/<name>) to ask for the key;
# vertex_config.yaml does, a laptop normally does not.
SECRET_ENV = "CORRUPT_MNIST_WANDB_SECRET"


class SecretClient(Protocol):
    """The one call of google-cloud-secret-manager's client used here; tests pass a fake."""

    def access_secret_version(self, request: dict[str, str]) -> Any:
        """The secret version named in request["name"]; its payload.data holds the bytes."""


def read_secret(name: str, client: SecretClient | None = None) -> str:
    """The text of one secret version; the real client is imported only when it is needed."""
    if client is None:
        from google.cloud import secretmanager

        client = secretmanager.SecretManagerServiceClient()
    response = client.access_secret_version(request={"name": name})
    return response.payload.data.decode("utf-8")


def ensure_wandb_key(client: SecretClient | None = None) -> None:
    """Leave a WANDB_API_KEY that is set alone; otherwise read the latest version of the secret."""
    if os.environ.get("WANDB_API_KEY"):
        return  # `export`ed on a laptop, or injected by the platform (Cloud Run, Cloud Build)
    secret = os.environ.get(SECRET_ENV)
    if not secret:
        return  # no secret asked for: W&B uses the key `wandb login` stored, if any
    os.environ["WANDB_API_KEY"] = read_secret(f"{secret}/versions/latest", client)
    print(f"WANDB_API_KEY read from {secret}")  # the secret's name only, never its value
