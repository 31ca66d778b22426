from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from corrupt_mnist.drift import load_predictions, load_reference, main
from corrupt_mnist.iris_api import Flower, Prediction, log_prediction
from send_traffic import send


def load_reference_rows() -> list[dict[str, float]]:
    """100 flowers of the training data, as the API would receive them."""
    return load_reference().sample(100, random_state=1).to_dict("records")


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # main() writes reports/drift.html


def test_the_drift_check_reads_what_the_api_logs(
    client: TestClient, prediction_log: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The chain of the data drifting module: traffic -> logged predictions -> drift report."""
    send(client)  # 100 typical flowers, then 100 with long petals
    assert len(load_predictions(prediction_log)) == 200

    assert main(str(prediction_log), latest=100) == 0  # one of four columns: dataset test passes
    assert "FAIL Value Drift for column petal_length" in capsys.readouterr().out
    assert Path("reports/drift.html").is_file()


def test_typical_traffic_shows_no_drift(
    prediction_log: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for row in load_reference_rows():
        log_prediction(Flower(**row), Prediction(label="setosa", probability=1.0))
    assert main(str(prediction_log)) == 0
    assert "FAIL" not in capsys.readouterr().out


def test_most_columns_drifting_fails_the_check(prediction_log: Path) -> None:
    for row in load_reference_rows():
        bigger = {name: value * 1.5 for name, value in row.items()}
        log_prediction(Flower(**bigger), Prediction(label="virginica", probability=1.0))
    assert main(str(prediction_log)) == 1


def test_an_empty_log_names_the_folder(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no logged predictions"):
        load_predictions(tmp_path)
