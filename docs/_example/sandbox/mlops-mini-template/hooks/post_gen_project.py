"""Runs inside the new project right after cookiecutter has written it."""

import subprocess
from pathlib import Path

for folder in ("data/raw", "data/processed", "models", "reports/figures", "tests"):
    Path(folder).mkdir(parents=True, exist_ok=True)
subprocess.run(["git", "init", "--quiet"], check=True)
NAME = "{{ cookiecutter.project_name }}"
print(f"created {NAME}; next: cd {NAME} && uv sync")
