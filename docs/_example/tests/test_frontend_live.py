"""The digit page against the real API on 127.0.0.1: classify, health and history."""

import io
import threading
import time
from collections.abc import Callable, Iterator

import pytest
import requests
import streamlit as st
import torch
import uvicorn
from streamlit.runtime.caching import cache_utils
from streamlit.testing.v1 import AppTest
from test_frontend import APP, drawn_digit

from corrupt_mnist.api import app as mnist_api
from corrupt_mnist.model import MnistCNN


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    """st.cache_data lives as long as the process: each test starts without a cached answer."""
    st.cache_data.clear()


@pytest.fixture(scope="module")
def api_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real corrupted MNIST API on 127.0.0.1, served in a thread: the page talks HTTP to it."""
    weights = tmp_path_factory.mktemp("api") / "model.pt"
    torch.save(MnistCNN().state_dict(), weights)  # untrained: any digit will do
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MODEL_PATH", str(weights))
        config = uvicorn.Config(mnist_api, host="127.0.0.1", port=0, log_level="warning")
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:  # port 0: the system picks a free port
            assert thread.is_alive(), "the API did not start"
            time.sleep(0.05)
        port = server.servers[0].sockets[0].getsockname()[1]
        yield f"http://127.0.0.1:{port}"
        server.should_exit = True
        thread.join()


def page(url: str, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    """The digit page after its first run, pointed at the API by BACKEND_URL."""
    monkeypatch.setenv("BACKEND_URL", url)
    return AppTest.from_file(APP, default_timeout=30).run()


def upload(app: AppTest, name: str, png: io.BytesIO) -> AppTest:
    """What a user does: pick a file, and the page runs again."""
    return app.file_uploader[0].set_value((name, png.getvalue(), "image/png")).run()


def test_a_stopped_backend_is_a_message_not_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    app = upload(page("http://127.0.0.1:9", monkeypatch), "seven.png", drawn_digit())
    assert not app.exception
    assert app.error[0].value.startswith("The prediction service did not answer")


def test_an_uploaded_digit_is_classified_by_the_api(
    api_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = upload(page(api_url, monkeypatch), "seven.png", drawn_digit())
    assert not app.exception and not app.error
    assert app.success[0].value.startswith("Digit ")


# [health]
def test_the_sidebar_asks_for_health_once_per_10_seconds(
    api_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three runs within the cache's 10 s ask /health once; 11 s later the page asks again."""
    health_checks: list[str] = []
    real_get: Callable[..., requests.Response] = requests.get

    def counting_get(url: str, **kwargs: object) -> requests.Response:
        health_checks.append(url)
        return real_get(url, **kwargs)

    monkeypatch.setattr(requests, "get", counting_get)
    # The cache reads the time from this function (Streamlit's own tests replace it too), so the
    # test moves the clock instead of waiting, and a slow machine cannot let the entry expire.
    now = [0.0]
    monkeypatch.setattr(cache_utils, "TTLCACHE_TIMER", lambda: now[0])
    app = upload(page(api_url, monkeypatch), "seven.png", drawn_digit())
    app = upload(app, "one.png", drawn_digit((45, 10, 55, 90)))
    assert app.sidebar.success[0].value == "Backend is up"
    assert health_checks == [f"{api_url}/health"]
    now[0] = 11.0
    app.run()
    assert health_checks == [f"{api_url}/health"] * 2


# [health-end]


# [history]
def test_the_visit_remembers_each_prediction_once_newest_first(
    api_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = upload(page(api_url, monkeypatch), "seven.png", drawn_digit())
    app.run()  # a rerun with the same upload adds no row
    app = upload(app, "one.png", drawn_digit((45, 10, 55, 90)))
    table = app.dataframe[0].value
    assert list(table["file"]) == ["one.png", "seven.png"]
    assert set(table.columns) == {"file", "digit", "probability"}
    reloaded = page(api_url, monkeypatch)  # a new browser session starts with no history
    assert not reloaded.dataframe


# [history-end]
