import os

import httpx
import pytest

URL = os.environ.get("DEPLOYED_URL")


@pytest.mark.skipif(URL is None, reason="DEPLOYED_URL is not set")
def test_live_health() -> None:
    response = httpx.get(f"{URL}/health", timeout=30)
    assert response.status_code == 200
