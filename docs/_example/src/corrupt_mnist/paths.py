"""The project's folders, found from this file so that any working folder will do."""

from pathlib import Path

# src/corrupt_mnist/paths.py: parents[0] is the package, [1] is src/, [2] is the project root.
PROJECT_ROOT = Path(__file__).resolve().parents[2]
CONFIGS_DIR = PROJECT_ROOT / "configs"
DATA_DIR = PROJECT_ROOT / "data"
PROCESSED_DIR = DATA_DIR / "processed"
MODELS_DIR = PROJECT_ROOT / "models"
FIGURES_DIR = PROJECT_ROOT / "reports" / "figures"
