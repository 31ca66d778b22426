"""The companion project works when followed, and each check fails when its link is broken.

Run alone with ``nox -s example``; ``nox -s tests`` runs it too. CPU only and offline: the
data is a tiny fake MNIST, the tools come from the test environment.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.example_project import (
    DEPRECATED_LANGUAGE,
    EXAMPLE,
    ROOT,
    Project,
    actionlint,
    copy_example,
    copy_sources,
    dockerfile_problems,
    dockerignored,
    dvc_repro,
    hadolint,
    install,
    invoke_tasks,
    is_precommit_config,
    is_workflow,
    page_yaml_blocks,
    pipeline,
    precommit_validate,
    ruff,
)

pytestmark = pytest.mark.example

PAGES = ROOT / "docs" / "sessions"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """One installed copy of the example, shared by the tests that only read it."""
    return install(copy_example(tmp_path_factory.mktemp("example") / "corrupt-mnist"))


def test_pipeline_runs_through_the_entry_points(project: Project) -> None:
    accuracy = pipeline(project)
    assert 0.0 <= accuracy <= 1.0
    assert (project.path / "models" / "model.pt").is_file()


def test_the_projects_own_tests_pass(project: Project) -> None:
    """Its pytest suite: config overrides, training, the API's /health and /predict."""
    result = project.run(project.bin / "python", "-m", "pytest", "-q", "-p", "no:cacheprovider")
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"\b1\d passed\b", result.stdout), result.stdout


def test_hydra_overrides_compose(project: Project) -> None:
    code = (
        "from corrupt_mnist.config import load_config; "
        "cfg = load_config(['training.lr=0.01', 'model=wide']); "
        "print(cfg.training.lr, cfg.model._target_, cfg.model.channels)"
    )
    result = project.run(project.bin / "python", "-c", code)
    assert result.stdout.split() == ["0.01", "corrupt_mnist.model.MnistCNN", "64"], result.stderr


def test_a_mistyped_override_is_one_line_not_a_traceback(project: Project) -> None:
    result = project.run("corrupt-mnist", "train", "training.lrr=0.1")
    assert result.returncode == 2
    assert "training.lrr" in result.stderr
    assert "Traceback" not in result.stderr


def test_training_before_the_data_step_says_what_to_run(tmp_path: Path) -> None:
    project = install(copy_example(tmp_path / "p"))
    result = project.run("corrupt-mnist", "train")
    assert result.returncode == 1
    assert "run `corrupt-mnist preprocess` first" in result.stderr


def test_dvc_repro_with_a_local_remote(tmp_path: Path) -> None:
    project = install(copy_example(tmp_path / "p"))
    outputs = dvc_repro(project, tmp_path / "remote")
    assert (project.path / "reports" / "metrics.json").is_file()
    assert any((tmp_path / "remote").rglob("*")), "dvc push stored nothing in the remote"
    assert "up to date" in outputs[-1].lower()


def test_the_example_passes_its_own_ruff_rules(tmp_path: Path) -> None:
    """Docstrings included: the pages show model.py as the solution of a docstring exercise."""
    path = copy_example(tmp_path / "p")
    for command in (["check", "--no-cache"], ["format", "--check", "--no-cache"]):
        result = ruff(path, *command)
        assert result.returncode == 0, result.stdout
    model = path / "src/corrupt_mnist/model.py"
    edit(model, '"""The convolutional network that classifies corrupted MNIST digits."""\n', "")
    edit(
        model,
        '        """Build the layers; `channels` is the width of the first convolution."""\n',
        "",
    )
    output = ruff(path, "check", "--no-cache").stdout
    assert "D100" in output and "D107" in output


def test_every_dockerfile_passes_hadolint() -> None:
    dockerfiles = sorted((EXAMPLE / "dockerfiles").glob("*.dockerfile"))
    assert len(dockerfiles) == 2
    for dockerfile in dockerfiles:
        result = hadolint(dockerfile)
        assert result.returncode == 0, f"{dockerfile}:\n{result.stdout}"


def test_every_copy_source_exists_and_is_not_dockerignored() -> None:
    assert dockerfile_problems(EXAMPLE) == []


def test_every_workflow_passes_actionlint(tmp_path: Path) -> None:
    files = sorted((EXAMPLE / ".github" / "workflows").glob("*.yaml"))
    for where, block in page_yaml_blocks(PAGES):
        if is_workflow(block):
            page_copy = tmp_path / f"{len(files)}-{Path(where.split(':')[0]).stem}.yaml"
            page_copy.write_text(block)
            files.append(page_copy)
    assert len(files) >= 6
    result = actionlint(files)
    assert result.returncode == 0, result.stdout


def test_every_precommit_config_validates(tmp_path: Path) -> None:
    files = [EXAMPLE / ".pre-commit-config.yaml"]
    for n, (_, block) in enumerate(page_yaml_blocks(PAGES)):
        if is_precommit_config(block):
            files.append(tmp_path / f"page-{n}.yaml")
            files[-1].write_text(block)
    result = precommit_validate(files)
    assert result.returncode == 0, result.stdout + result.stderr
    assert [f for f in files if DEPRECATED_LANGUAGE.search(f.read_text())] == []


TASKS = ("preprocess", "train", "evaluate", "pipeline", "pull-data", "test", "lint", "docker-build")


def test_the_tasks_are_listed_and_run_offline(project: Project) -> None:
    """The cli module's tasks.py: every task listed with its docstring, one run for real."""
    listing = invoke_tasks(project)
    for name in TASKS:
        assert re.search(rf"^ +{name} +\S", listing, re.M), f"{name} has no help:\n{listing}"
    dry = project.run("invoke", "--dry", "docker-build", "--image", "api")
    assert "docker build -f dockerfiles/api.dockerfile -t corrupt-mnist-api:latest ." in dry.stdout


# Each check fails when its link is broken ------------------------------------------------


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{path} no longer contains {old!r}: update this test"
    path.write_text(text.replace(old, new, 1))


def run_pipeline(path: Path) -> None:
    pipeline(install(path))


BREAKAGES: dict[str, tuple[Callable[[Path], None], Callable[[Path], object]]] = {
    "data file renamed between steps": (
        lambda p: edit(p / "src/corrupt_mnist/data.py", '"train_targets.pt"', '"train_labels.pt"'),
        run_pipeline,
    ),
    "config beside the script": (
        lambda p: edit(p / "src/corrupt_mnist/config.py", '"../../configs"', '"configs"'),
        run_pipeline,
    ),
    "entry point at a function that returns a value": (
        lambda p: edit(
            p / "pyproject.toml", "corrupt_mnist.cli:app", "corrupt_mnist.evaluate:evaluate"
        ),
        run_pipeline,
    ),
    "data step that takes no arguments": (
        lambda p: edit(p / "dvc.yaml", "--raw-dir data/raw", "data/raw data/processed"),
        lambda p: dvc_repro(install(p), p.parent / "remote"),
    ),
}


@pytest.mark.parametrize("breakage", BREAKAGES, ids=list(BREAKAGES))
def test_the_chain_fails_when_a_link_breaks(breakage: str, tmp_path: Path) -> None:
    break_it, check = BREAKAGES[breakage]
    path = copy_example(tmp_path / "p")
    break_it(path)
    with pytest.raises(AssertionError):
        check(path)


def test_a_task_that_calls_a_missing_command_fails(tmp_path: Path) -> None:
    path = copy_example(tmp_path / "p")
    edit(path / "tasks.py", "corrupt-mnist preprocess", "corrupt-mnist prepare")
    with pytest.raises(AssertionError, match="invoke preprocess failed"):
        invoke_tasks(install(path))


def test_copy_check_catches_an_excluded_or_missing_source(tmp_path: Path) -> None:
    path = copy_example(tmp_path / "p")
    (path / ".dockerignore").write_text((path / ".dockerignore").read_text() + "configs/\n")
    edit(
        path / "dockerfiles/api.dockerfile",
        "COPY src/ src/",
        "COPY src/ src/\nCOPY models/ models/",
    )
    assert dockerfile_problems(path) == [
        "dockerfiles/api.dockerfile: COPY configs: excluded by .dockerignore",
        "dockerfiles/api.dockerfile: COPY models: no such file in the project",
        "dockerfiles/train.dockerfile: COPY configs: excluded by .dockerignore",
    ]


@pytest.mark.parametrize(
    ("rules", "path", "excluded"),
    [
        (["data/"], "data/processed/x.pt", True),
        (["models/"], "src/models", False),
        (["**/__pycache__/"], "src/pkg/__pycache__", True),
        (["*.md", "!README.md"], "README.md", False),
        (["*.md", "!README.md"], "NOTES.md", True),
        (["/configs"], "configs/model/cnn.yaml", True),
    ],
)
def test_dockerignore_rules(rules: list[str], path: str, excluded: bool) -> None:
    assert dockerignored(rules, path) is excluded


def test_copy_sources_skips_the_destination_and_flags() -> None:
    text = (
        "COPY --chown=app pyproject.toml uv.lock ./\nCOPY --from=build /app /app\nADD src/ src/\n"
    )
    assert copy_sources(text) == ["pyproject.toml", "uv.lock", "src"]


def test_linters_reject_broken_files(tmp_path: Path) -> None:
    bad_dockerfile = tmp_path / "bad.dockerfile"
    bad_dockerfile.write_text("FROM python\nRUN cd /app && pip install torch\n")
    assert hadolint(bad_dockerfile).returncode != 0  # untagged image, cd, unpinned pip

    workflow = (EXAMPLE / ".github/workflows/tests.yaml").read_text()
    bad_workflow = tmp_path / "bad.yaml"
    bad_workflow.write_text(
        workflow.replace("runs-on: ${{ matrix.os }}", "runs-on: ${{ matrix.oss }}")
    )
    assert actionlint([bad_workflow]).returncode != 0

    bad_hooks = tmp_path / "bad-hooks.yaml"
    bad_hooks.write_text("repos:\n  - repo: local\n    hooks:\n      - id: x\n")
    assert precommit_validate([bad_hooks]).returncode != 0
    assert DEPRECATED_LANGUAGE.search("        language: system\n")
