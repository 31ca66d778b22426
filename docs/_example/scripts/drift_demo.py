"""A first drift report (the data drifting module): half of the iris data against the other half.

``python scripts/drift_demo.py`` makes the petals of the second half 30 % longer and reports
drift in that column; ``python scripts/drift_demo.py 1.0`` leaves them alone: no drift. It writes
reports/iris_drift.html and exits with 1 when any column drifts.
"""

import json
import sys
from pathlib import Path

import pandas as pd
from evidently import Report
from evidently.presets import DataDriftPreset

from corrupt_mnist.drift import load_reference

COLUMN_TEST = "Value Drift for column "


def halves(petal_factor: float = 1.3) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A random half of the flowers as reference, the other half with scaled petal lengths."""
    iris = load_reference()
    reference = iris.sample(frac=0.5, random_state=0)
    current = iris.drop(reference.index).copy()
    current["petal_length"] *= petal_factor  # the simulated drift
    return reference, current


def drift_tests(
    reference: pd.DataFrame, current: pd.DataFrame, html: str | None = "reports/iris_drift.html"
) -> list[dict[str, str]]:
    """Run the drift preset with its tests; save the HTML page (unless html is None)."""
    snapshot = Report([DataDriftPreset()], include_tests=True).run(
        current_data=current, reference_data=reference
    )
    if html:
        Path(html).parent.mkdir(exist_ok=True)
        snapshot.save_html(html)
    return json.loads(snapshot.json())["tests"]


def drifted_columns(tests: list[dict[str, str]]) -> list[str]:
    """The columns whose own drift test failed, read from the report's tests."""
    return [
        test["name"].removeprefix(COLUMN_TEST)
        for test in tests
        if test["name"].startswith(COLUMN_TEST) and test["status"] == "FAIL"
    ]


def main(petal_factor: float = 1.3) -> int:
    """Print every test's status and return 1 when a column drifts, for a CI step to fail on."""
    tests = drift_tests(*halves(petal_factor))
    for test in tests:
        print(f"{test['status']:8} {test['name']}")
    drifted = drifted_columns(tests)
    print("drifted:", ", ".join(drifted) or "none")
    return 1 if drifted else 0


if __name__ == "__main__":
    sys.exit(main(*map(float, sys.argv[1:2])))
