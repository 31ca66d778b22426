"""The data drifting module: a classifier as a drift detector, also called adversarial validation.

``python scripts/drift_auc.py [FOLDER]`` asks a random forest to tell the training data from the
first and from the last 100 predictions logged in FOLDER (default data/predictions).
"""

import sys

import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import cross_val_score

from corrupt_mnist.drift import FEATURES, load_predictions, load_reference


def stacked(reference: pd.DataFrame, current: pd.DataFrame) -> tuple[pd.DataFrame, list[int]]:
    """Both samples in one table, labelled 0 (reference) and 1 (current)."""
    rows = pd.concat([reference, current], ignore_index=True)
    return rows, [0] * len(reference) + [1] * len(current)


def forest() -> RandomForestClassifier:
    """The same seeded forest for the score and the importances."""
    return RandomForestClassifier(n_estimators=200, random_state=0)


def drift_auc(reference: pd.DataFrame, current: pd.DataFrame) -> float:
    """How well a classifier separates current rows from reference rows (0.5: not at all)."""
    rows, labels = stacked(reference, current)
    return float(cross_val_score(forest(), rows, labels, cv=5, scoring="roc_auc").mean())


def importances(reference: pd.DataFrame, current: pd.DataFrame) -> dict[str, float]:
    """How much each column helps the classifier: where the drift is."""
    rows, labels = stacked(reference, current)
    weights = forest().fit(rows, labels).feature_importances_
    return {
        column: round(float(weight), 2) for column, weight in zip(FEATURES, weights, strict=True)
    }


def main(folder: str = "data/predictions") -> None:
    """Print both scores and the importances for the last window."""
    log = load_predictions(folder)[FEATURES]
    reference = load_reference()
    print(f"first 100: AUC {drift_auc(reference, log.head(100)):.2f}")
    print(f"last 100: AUC {drift_auc(reference, log.tail(100)):.2f}")
    print(f"importances: {importances(reference, log.tail(100))}")


if __name__ == "__main__":
    main(*sys.argv[1:2])
