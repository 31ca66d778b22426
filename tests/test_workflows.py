"""The GitHub workflows: valid for actionlint, and doing what the README says they do."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from .conftest import REPO

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))


def actionlint(*paths: Path) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("actionlint")
    assert binary, "actionlint is not installed: it comes with the test extra (pip install .[test])"
    return subprocess.run(
        [binary, "-no-color", *map(str, paths)], capture_output=True, text=True, check=False
    )


def load(name: str) -> dict:
    # PyYAML reads the key `on` as True; the workflow keys are what matters here.
    return yaml.safe_load((REPO / ".github" / "workflows" / name).read_text("utf-8"))


def test_there_are_workflows() -> None:
    assert {p.name for p in WORKFLOWS} >= {"ci.yml", "pages.yml", "linkcheck.yml"}


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_actionlint_passes(workflow: Path) -> None:
    result = actionlint(workflow)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / ".github" / "workflows" / "broken.yml"
    broken.parent.mkdir(parents=True)
    text = (REPO / ".github" / "workflows" / "pages.yml").read_text("utf-8")
    broken.write_text(text.replace("needs: build", "needs: bulid"), "utf-8")
    assert actionlint(broken).returncode != 0


def test_pull_requests_run_the_readme_test_command() -> None:
    workflow = load("ci.yml")
    assert "pull_request" in workflow[True]
    runs = [step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"]]
    assert "bash .ci/run" in runs and "nox -s lint" in runs
    assert "nox -s tests" in (REPO / ".ci" / "run").read_text("utf-8")


def test_deploy_builds_clean_with_the_maintainers_session_and_least_permissions() -> None:
    workflow = load("pages.yml")
    assert workflow[True]["push"]["branches"] == ["main"]
    assert workflow["permissions"] == {"contents": "read"}
    assert workflow["concurrency"]["group"] == "pages"
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    runs = [step.get("run", "") for step in build["steps"]]
    assert "nox -s book -- --clean" in runs
    # The archive of earlier editions is added to the fresh book, and all of it is published.
    assert runs.index("nox -s editions") > runs.index("nox -s book -- --clean")
    upload = next(s for s in build["steps"] if "upload-pages-artifact" in s.get("uses", ""))
    assert upload["with"]["path"] == "build/pages"
    uses = [step.get("uses", "").split("@")[0] for step in build["steps"] + deploy["steps"]]
    assert "actions/upload-pages-artifact" in uses and "actions/deploy-pages" in uses
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert "permissions" not in build


def test_link_check_reports_in_an_issue_and_never_fails() -> None:
    workflow = load("linkcheck.yml")
    assert "schedule" in workflow[True]
    job = workflow["jobs"]["linkcheck"]
    assert job["permissions"]["issues"] == "write"
    check = next(step for step in job["steps"] if step.get("id") == "check")
    assert "if nox -s linkcheck" in check["run"], "a broken link must not fail the workflow"
    assert "gh issue" in job["steps"][-1]["run"]
