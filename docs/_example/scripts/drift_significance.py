"""Significance is not importance (the data drifting module): one tiny shift, three sample sizes.

``python scripts/drift_significance.py`` compares a standard normal sample with one shifted by 0.05
standard deviations, for 100, 1 000 and 100 000 rows, with Evidently's KS test and its Wasserstein
distance, and prints each method's value and verdict.
"""

import json
import sys

import numpy as np
import pandas as pd
from evidently import Report
from evidently.metrics import ValueDrift

METHODS = ("ks", "wasserstein")


def drift_verdicts(rows: int, shift: float, seed: int = 0) -> dict[str, tuple[float, bool]]:
    """Per method: Evidently's value and whether it calls the shift drift."""
    rng = np.random.default_rng(seed)
    reference = pd.DataFrame({"x": rng.normal(0.0, 1.0, rows)})
    current = pd.DataFrame({"x": rng.normal(shift, 1.0, rows)})
    report = Report([ValueDrift(column="x", method=method) for method in METHODS])
    metrics = json.loads(report.run(current_data=current, reference_data=reference).json())
    verdicts = {}
    for metric in metrics["metrics"]:
        config, value = metric["config"], metric["value"]
        # A test drifts when its p-value is small, a distance when it is large.
        small = value < config["threshold"]
        verdicts[config["method"]] = (value, small if config["method"] == "ks" else not small)
    return verdicts


def main(shift: float = 0.05) -> None:
    """One line per sample size: the KS p-value and the distance, each with its verdict."""
    for rows in (100, 1_000, 100_000):
        verdicts = drift_verdicts(rows, shift).items()
        said = [f"{m} {v:.4f} ({'drift' if d else 'no drift'})" for m, (v, d) in verdicts]
        print(f"{rows:>7} rows: " + ", ".join(said))


if __name__ == "__main__":
    main(*map(float, sys.argv[1:2]))
