"""The data drifting module: how soon does a drift check notice, and how often is it wrong?

Run it on the log of ``scripts/send_traffic.py``, whose petals grow from request 100 on:
``python scripts/drift_windows.py [FOLDER]`` slides windows of 20, 50 and 100 logged predictions
over FOLDER (default data/predictions) and prints, for each size, where petal length is flagged.
"""

import sys

import pandas as pd

from corrupt_mnist.drift import FEATURES, load_predictions, load_reference
from drift_demo import drift_tests, drifted_columns

CHANGE_AT = 100  # send_traffic.py makes the petals longer from this request on


def flagged_ends(
    log: pd.DataFrame, reference: pd.DataFrame, size: int, step: int = 10
) -> list[int]:
    """The last rows of the windows of `size` rows, every `step` rows, that flag petal length."""
    return [
        end
        for end in range(size, len(log) + 1, step)
        if "petal_length"
        in drifted_columns(drift_tests(reference, log.iloc[end - size : end], None))
    ]


def main(folder: str = "data/predictions") -> None:
    """Print the first flag after the change and every flag before it (a false alarm)."""
    log = load_predictions(folder)[FEATURES]
    reference = load_reference()
    for size in (20, 50, 100):
        ends = flagged_ends(log, reference, size)
        first = next((end for end in ends if end > CHANGE_AT), None)
        false_alarms = [end for end in ends if end <= CHANGE_AT]
        print(f"window {size}: first flag at row {first}, false alarms at rows {false_alarms}")


if __name__ == "__main__":
    main(*sys.argv[1:2])
