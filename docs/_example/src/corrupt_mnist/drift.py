"""Compare the latest logged predictions of the iris API with the training data."""

import json
import sys
from pathlib import Path

import pandas as pd
from evidently import Report, Run
from evidently.presets import DataDriftPreset
from sklearn.datasets import load_iris

FEATURES = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
DATASET_TEST = "Share of Drifted Columns"


def load_reference() -> pd.DataFrame:
    """The training data: the 150 flowers of scikit-learn's iris data, without the target."""
    frame = load_iris(as_frame=True).frame.drop(columns="target")
    frame.columns = FEATURES
    return frame


def load_predictions(folder: str | Path = "data/predictions") -> pd.DataFrame:
    """Every prediction the API logged (one JSON file each, in subfolders too), oldest first."""
    # The file names start with the time of the prediction.
    files = sorted(Path(folder).rglob("*.json"), key=lambda file: file.name)
    if not files:
        raise FileNotFoundError(f"no logged predictions (*.json) in {folder}")
    return pd.DataFrame([json.loads(file.read_text()) for file in files])


def latest_window(folder: str | Path, latest: int) -> pd.DataFrame:
    """The input columns of the `latest` newest predictions: the current data of a check."""
    return load_predictions(folder).tail(latest)[FEATURES]


def drift_snapshot(current: pd.DataFrame) -> Run:
    """The drift preset with its tests, run on the current window against the training data."""
    return Report([DataDriftPreset()], include_tests=True).run(
        current_data=current, reference_data=load_reference()
    )


def failed_tests(snapshot: Run) -> list[str]:
    """The names of the report's tests that failed, read from its JSON for automation."""
    return [t["name"] for t in json.loads(snapshot.json())["tests"] if t["status"] == "FAIL"]


def dataset_drifted(failed: list[str]) -> bool:
    """True when the dataset-level test failed: too large a share of the columns drift."""
    return any(name.startswith(DATASET_TEST) for name in failed)


def main(folder: str = "data/predictions", latest: int = 100) -> int:
    """Write reports/drift.html; return 1 when the dataset-level drift test fails."""
    snapshot = drift_snapshot(latest_window(folder, latest))
    Path("reports").mkdir(exist_ok=True)
    snapshot.save_html("reports/drift.html")
    failed = failed_tests(snapshot)
    for name in failed:
        print("FAIL", name)
    return 1 if dataset_drifted(failed) else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:2]))
